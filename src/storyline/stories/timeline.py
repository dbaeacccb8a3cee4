"""Story timelines: each event of a story in date order with its date, headline, a summary chosen from
its articles (any language, stated), outlets, languages, article counts and key quotes.

INTERFACE (stable):
  `describe_event(articles, enrichments=None) -> EventSummary(date, title, summary, summary_lang)` — used
  by the story clusterer to date, title and summarise each event;
  `story_timeline(store, story) -> dict` — used by `storyline story ID` and the web UI.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from storyline.embed import split_sentences
from storyline.models import Enrichment, Story
from storyline.stories.dates import find_dates
from storyline.stories.summarise import (
    centroid_scores,
    clip,
    is_candidate,
    mmr,
    sentence_vectors,
    word_count,
)

log = logging.getLogger(__name__)

LEAD_SENTENCES = 5  # sentences per article considered for the summary
MAX_ARTICLES = 16  # articles per event considered for the summary (earliest first)
DATE_LEAD = 3  # sentences per article searched for the event date
PUB_WEIGHT, EVENT_DATE_WEIGHT, MENTION_WEIGHT = 1.0, 1.5, 1.2
MAX_LOOKBACK_DAYS = 14  # a mentioned date may precede the earliest publication by this much
MAX_QUOTES = 3


@dataclass
class EventSummary:
    """What `describe_event` returns: the event's date, headline and summary sentences (with their language)."""

    date: str | None
    title: str
    summary: list[str] = field(default_factory=list)
    summary_lang: str | None = None


def _enrichment(enrichments: Mapping[str, Any] | None, article_id: str) -> Enrichment | None:
    if not enrichments:
        return None
    e = enrichments.get(article_id)
    if e is None or isinstance(e, Enrichment):
        return e
    return Enrichment.from_dict(e) if isinstance(e, dict) else None


def _pub_day(a: Any) -> date | None:
    p = getattr(a, "published", None)
    if isinstance(p, datetime):
        return p.date()
    return p if isinstance(p, date) else None


def event_date(articles: Sequence[Any], enrichments: Mapping[str, Any] | None = None) -> str | None:
    """The day the event happened: votes from publication days, the understanding stage's `event_date`
    and day-precise dates mentioned in each article's lead (its own `Enrichment.dates` when present,
    else resolved here relative to the publication date). Ties go to the earliest day."""
    votes: Counter[date] = Counter()
    pubs = [d for d in (_pub_day(a) for a in articles) if d]
    lo = min(pubs) - timedelta(days=MAX_LOOKBACK_DAYS) if pubs else None
    hi = max(pubs) if pubs else None

    def in_range(d: date) -> bool:
        return lo is None or hi is None or lo <= d <= hi

    for a in articles:
        pub = _pub_day(a)
        if pub:
            votes[pub] += PUB_WEIGHT
        enr = _enrichment(enrichments, a.id)
        mentioned: set[date] = set()
        if enr is not None and enr.event_date:
            try:
                d = date.fromisoformat(enr.event_date[:10])
                if in_range(d):
                    votes[d] += EVENT_DATE_WEIGHT
            except ValueError:
                pass
        if enr is not None and enr.dates:
            lead = " ".join(split_sentences(a.text or "")[:DATE_LEAD])
            for dm in enr.dates:
                if dm.granularity == "day" and dm.sentence and dm.sentence[:60] in lead:
                    try:
                        mentioned.add(date.fromisoformat(dm.date[:10]))
                    except ValueError:
                        continue
        elif pub:
            lead = " ".join(split_sentences(a.text or "")[:DATE_LEAD])
            mentioned = {r.date for r in find_dates(f"{a.title or ''}. {lead}", a.lang, pub)
                         if r.granularity == "day"}
        for d in mentioned:
            if in_range(d):
                votes[d] += MENTION_WEIGHT
    if not votes:
        return None
    best = max(votes.values())
    return min(d for d, v in votes.items() if v == best).isoformat()


def _display_language(articles: Sequence[Any], display_lang: str | None) -> str | None:
    langs = Counter(a.lang for a in articles if a.lang)
    if display_lang and langs.get(display_lang):
        return display_lang
    if not langs:
        return None
    top = max(langs.values())
    # ties: the language of the earliest article among the tied ones
    tied = {lg for lg, n in langs.items() if n == top}
    for a in sorted(articles, key=lambda a: (a.published is None, a.published or datetime.min)):
        if a.lang in tied:
            return a.lang
    return sorted(tied)[0]


def _vectors(texts: list[str], method: str) -> np.ndarray:
    try:
        return sentence_vectors(texts, method)
    except (ImportError, OSError, RuntimeError) as exc:  # encoder unavailable: degrade, do not fail
        log.warning("sentence encoder %r unavailable (%s); using tf-idf", method, exc)
        return sentence_vectors(texts, "tfidf")


def describe_event(articles: Sequence[Any], enrichments: Mapping[str, Any] | None = None, *,
                   display_lang: str | None = None, max_sentences: int = 2,
                   vectors: str = "use") -> EventSummary:
    """Date, headline and a one- or two-sentence summary of an event (a group of articles).

    The summary is extractive: the most central lead sentences across *all* the event's articles
    (multilingual sentence embeddings, so articles in every language shape the centroid), chosen by MMR
    among the sentences in the display language (`display_lang` if any article has it, else the majority
    language). The headline is the most central title in that language.
    """
    if not articles:
        return EventSummary(date=None, title="")
    when = event_date(articles, enrichments)
    lang = _display_language(articles, display_lang)
    ordered = sorted(articles, key=lambda a: (a.published is None, a.published or datetime.min))[:MAX_ARTICLES]
    sents: list[str] = []
    weights: list[float] = []
    langs: list[str | None] = []
    for a in ordered:
        seen = 0
        for s in split_sentences(a.text or ""):
            if seen >= LEAD_SENTENCES:
                break
            if not is_candidate(s):
                continue
            sents.append(clip(s))
            weights.append(1.0 / (1.0 + 0.15 * seen))  # lead sentences say what happened
            langs.append(a.lang)
            seen += 1
    titles = [(clip(a.title, 200), a.lang) for a in ordered if a.title and a.title.strip()]
    texts = sents + [t for t, _ in titles]
    if not texts:
        first = ordered[0]
        fallback = [clip(s) for s in split_sentences(first.text or "")[:1]]
        return EventSummary(date=when, title=clip(first.title or (fallback[0] if fallback else ""), 200),
                            summary=fallback, summary_lang=first.lang)
    vecs = _vectors(texts, vectors)
    w = np.array(weights + [1.0] * len(titles), dtype=np.float32)
    central = centroid_scores(vecs, w)
    summary: list[str] = []
    summary_lang = lang
    if sents:
        idx = [i for i, lg in enumerate(langs) if lg == lang] or list(range(len(sents)))
        scores = central[idx] * w[idx]
        pick = mmr(vecs[idx], scores, max_sentences, lam=0.75, max_sim=0.85)
        summary = [sents[idx[i]] for i in sorted(pick)]
        summary_lang = langs[idx[pick[0]]] if pick else lang
    tidx = [len(sents) + i for i, (_, lg) in enumerate(titles) if lg == summary_lang] or \
           [len(sents) + i for i in range(len(titles))]
    title = texts[max(tidx, key=lambda i: central[i])] if tidx else summary[0] if summary else ""
    return EventSummary(date=when, title=title, summary=summary, summary_lang=summary_lang)


def _key_quotes(articles: Sequence[Any], enrichments: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Up to MAX_QUOTES direct quotes, attributed ones first, speakers quoted in most articles first."""
    found: list[tuple[str, Any, Any]] = []
    speakers: Counter[str] = Counter()
    for a in articles:
        enr = _enrichment(enrichments, a.id)
        if enr is None:
            continue
        seen: set[str] = set()
        for q in enr.quotes:
            if word_count(q.text) < 4:
                continue
            found.append((a.id, a, q))
            key = q.speaker_key or q.speaker or ""
            if key and key not in seen:
                speakers[key] += 1
                seen.add(key)
    found.sort(key=lambda t: (not (t[2].speaker_key or t[2].speaker), -speakers[t[2].speaker_key or t[2].speaker or ""],
                              t[2].kind != "direct", abs(word_count(t[2].text) - 25)))
    out: list[dict[str, Any]] = []
    texts: set[str] = set()
    for aid, a, q in found:
        norm = " ".join(q.text.lower().split())[:80]
        if norm in texts:
            continue
        texts.add(norm)
        out.append({"text": clip(q.text, 300), "speaker": q.speaker, "speaker_key": q.speaker_key,
                    "kind": q.kind, "article_id": aid, "source": a.source, "lang": a.lang})
        if len(out) >= MAX_QUOTES:
            break
    return out


def story_timeline(store: Any, story: Story | str, *, display_lang: str | None = None,
                   recompute: bool = False, vectors: str = "use") -> dict[str, Any]:
    """A story as a timeline: its events in date order, each with date, headline, summary (and its
    language), outlets, languages, article counts, key quotes and its articles.

    Stored event titles/summaries (written by the clusterer via `describe_event`) are reused unless
    `recompute` is set or `display_lang` asks for another language. Raises KeyError for an unknown story.
    """
    st = store.stories.get(story) if isinstance(story, str) else story
    if st is None:
        raise KeyError(f"no story {story!r}")
    events_out: list[dict[str, Any]] = []
    all_langs: Counter[str] = Counter()
    all_sources: Counter[str] = Counter()
    for ev in st.events:
        arts = store.articles.get_many(ev.articles) if ev.articles else []
        enrs = {a.id: e for a in arts if (e := store.enrichments.get(a.id)) is not None}
        langs = Counter(a.lang or "und" for a in arts)
        sources = Counter(a.source or "unknown" for a in arts)
        all_langs.update(langs)
        all_sources.update(sources)
        need = recompute or not ev.title or not ev.summary or not ev.date or (
            display_lang is not None and display_lang in langs)
        if need and arts:
            es = describe_event(arts, enrs, display_lang=display_lang, vectors=vectors)
            date_, title, summary, slang = es.date or ev.date, es.title, es.summary, es.summary_lang
        else:
            date_, title, summary = ev.date, ev.title, list(ev.summary)
            slang = _display_language(arts, None)
        pubs = sorted(a.published for a in arts if a.published)
        events_out.append({
            "id": ev.id,
            "date": date_,
            "title": title,
            "summary": summary,
            "summary_lang": slang,
            "article_count": len(arts),
            "outlets": dict(sources.most_common()),
            "languages": dict(langs.most_common()),
            "first_seen": pubs[0].isoformat() if pubs else None,
            "last_seen": pubs[-1].isoformat() if pubs else None,
            "quotes": _key_quotes(arts, enrs),
            "articles": [
                {"id": a.id, "title": clip(a.title or "", 300), "source": a.source, "lang": a.lang,
                 "url": a.url, "published": a.published.isoformat() if a.published else None}
                for a in sorted(arts, key=lambda a: (a.published is None, a.published or datetime.min))
            ],
        })
    events_out.sort(key=lambda e: (e["date"] is None, e["date"] or "", e["first_seen"] or "", e["id"]))
    by_day: dict[str, int] = defaultdict(int)
    for e in events_out:
        if e["date"]:
            by_day[e["date"]] += e["article_count"]
    return {
        "id": st.id,
        "title": st.title,
        "first_seen": st.first_seen.isoformat() if st.first_seen else None,
        "last_seen": st.last_seen.isoformat() if st.last_seen else None,
        "article_count": sum(e["article_count"] for e in events_out),
        "event_count": len(events_out),
        "languages": dict(all_langs.most_common()),
        "outlets": dict(all_sources.most_common()),
        "articles_per_day": dict(sorted(by_day.items())),
        "events": events_out,
    }
