"""Turn clusterer output into `Story`/`Event` records: dates, titles and summaries, outlets, languages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from storyline.models import Article, Event, Story

MAX_DESCRIBE = 60  # articles passed to describe_event per event (earliest first)


def _when(a: Article) -> datetime | None:
    return a.published or a.ingested_at


def independent_sources(articles: Sequence[Article], dup_of: dict[str, str]) -> int:
    """Outlets that contributed at least one original (not a near-copy of another article).

    Articles without a known outlet count once per near-duplicate group.
    """
    outlets: set[str] = set()
    for a in articles:
        if a.id in dup_of:
            continue
        outlets.add(f"src:{a.source}" if a.source else f"grp:{a.id}")
    return len(outlets)


def build_event(event_id: str, story_id: str, arts: Sequence[Article], describe: Callable[..., Any],
                enrichments: dict[str, Any] | None) -> Event:
    """An `Event` with date/title/summary from `describe_event` and its first/last publication times."""
    ordered = sorted(arts, key=lambda a: (_when(a) is None, _when(a) or datetime.min, a.id))
    head = ordered[:MAX_DESCRIBE]
    summary = describe(head, {k: v for k, v in (enrichments or {}).items() if any(a.id == k for a in head)})
    times = [t for t in (_when(a) for a in arts) if t is not None]
    return Event(
        id=event_id,
        story_id=story_id,
        title=summary.title or (ordered[0].title if ordered else ""),
        date=summary.date,
        summary=list(summary.summary),
        articles=[a.id for a in ordered],
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
    )


def build_story(story_id: str, events: list[Event], arts: dict[str, Article], dup_of: dict[str, str]) -> Story:
    """A `Story` over its events; the title comes from the biggest (then earliest) event."""
    members = [arts[aid] for ev in events for aid in ev.articles if aid in arts]
    events = sorted(events, key=lambda e: (e.date or "9999", e.id))
    main = max(events, key=lambda e: (len(e.articles), -(events.index(e)))) if events else None
    times = [t for t in (_when(a) for a in members) if t is not None]
    langs = Counter(a.lang for a in members if a.lang)
    sources = Counter(a.source for a in members if a.source)
    return Story(
        id=story_id,
        title=main.title if main else "",
        events=events,
        articles=[a.id for a in sorted(members, key=lambda a: (_when(a) is None, _when(a) or datetime.min, a.id))],
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
        languages=[lang for lang, _ in langs.most_common()],
        sources=[s for s, _ in sources.most_common()],
        independent_sources=independent_sources(members, dup_of),
    )
