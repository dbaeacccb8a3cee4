"""Timelines: story timelines (events in date order with date, headline, summary) and query-driven
timeline summarisation over a set of articles.

INTERFACE (stable): `describe_event(articles, enrichments=None) -> EventSummary` — used by the story
clusterer to date, title and summarise each event. Baseline implementation; the timeline work replaces it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.embed import split_sentences


@dataclass
class EventSummary:
    date: str | None
    title: str
    summary: list[str] = field(default_factory=list)
    summary_lang: str | None = None


def describe_event(articles: Sequence[Any], enrichments: dict[str, Any] | None = None) -> EventSummary:
    """Baseline: most common publication day, the earliest article's title and first sentence."""
    days = Counter(a.published.date().isoformat() for a in articles if a.published)
    date = days.most_common(1)[0][0] if days else None
    first = min(articles, key=lambda a: (a.published is None, a.published or 0)) if articles else None
    if first is None:
        return EventSummary(date=date, title="")
    sents = split_sentences(first.text)[:1]
    return EventSummary(date=date, title=first.title or (sents[0] if sents else ""), summary=sents,
                        summary_lang=first.lang)
