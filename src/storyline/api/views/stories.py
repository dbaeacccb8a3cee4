"""Story read models: the dashboard list (with coverage series and growth) and one story with its
timeline, people and organisations, places, quotes, outlets and languages."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from storyline.api.errors import ApiError
from storyline.api.views.common import article_card, iso, optional
from storyline.models import Article, Story

log = logging.getLogger(__name__)

GROWTH_DAYS = 7
SORTS = ("size", "recency", "growth", "first")


def coverage_series(story: Story) -> list[tuple[str, int]]:
    """(day, number of articles) per event day, in date order; undated events are left out."""
    per_day: Counter[str] = Counter()
    for ev in story.events:
        if ev.date:
            per_day[ev.date[:10]] += len(ev.articles)
    return sorted(per_day.items())


def _to_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def growth(series: list[tuple[str, int]], now: date | None) -> int:
    """Articles in the last GROWTH_DAYS days up to `now` (the newest coverage day of the corpus)."""
    if now is None:
        return 0
    start = now - timedelta(days=GROWTH_DAYS - 1)
    total = 0
    for d, n in series:
        dd = _to_date(d)
        if dd is not None and start <= dd <= now:
            total += n
    return total


def story_card(story: Story, now: date | None = None,
               series: list[tuple[str, int]] | None = None) -> dict[str, Any]:
    series = coverage_series(story) if series is None else series
    return {
        "id": story.id,
        "title": story.title or "(untitled story)",
        "size": len(story.articles),
        "independent_sources": story.independent_sources,
        "sources": len(story.sources),
        "languages": list(story.languages),
        "first_seen": iso(story.first_seen),
        "last_seen": iso(story.last_seen),
        "series": series,
        "growth": growth(series, now),
    }


def _newest_day(series: dict[str, list[tuple[str, int]]]) -> date | None:
    days = [_to_date(d) for ser in series.values() for d, _ in ser]
    return max((d for d in days if d), default=None)


def list_stories(store: Any, sort: str = "size", limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Stories sorted by size | recency | growth | first, with articles per day (from the store's
    coverage query, so no event is loaded); growth is ranked over all stories."""
    from storyline.api.views.articles import page

    total = store.stories.count()
    if sort == "growth":
        series = store.stories.coverage()
        now = _newest_day(series)
        ranked = sorted(series, key=lambda sid: (-growth(series[sid], now), -sum(n for _, n in series[sid]), sid))
        ids = ranked[offset : offset + limit]
        if len(ids) < limit:  # stories without dated events come last
            skip, need = max(0, offset - len(ranked)), limit - len(ids)
            window = store.stories.headers(sort="size", limit=skip + need + len(series))
            rest = [s.id for s in window if s.id not in series]
            ids += rest[skip : skip + need]
        heads = {s.id: s for s in store.stories.headers(ids=ids)}
        cards = [story_card(heads[i], now, series.get(i, [])) for i in ids if i in heads]
        return page(cards, total, limit, offset)
    stories = store.stories.headers(sort=sort, limit=limit, offset=offset)
    series = store.stories.coverage([s.id for s in stories])
    newest = max((s.last_seen for s in stories if s.last_seen), default=None)
    now = newest.date() if newest else None
    return page([story_card(s, now, series.get(s.id, [])) for s in stories], total, limit, offset)


def _aggregate_enrichment(store: Any, articles: list[Article]) -> dict[str, Any]:
    people: dict[str, dict[str, Any]] = {}
    orgs: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    quotes: list[dict[str, Any]] = []
    seen_quotes: set[str] = set()
    enriched = 0
    found = store.enrichments.get_many([a.id for a in articles])
    for a in articles:
        enr = found.get(a.id)
        if enr is None:
            continue
        enriched += 1
        keys_here: set[str] = set()
        for e in enr.entities:
            table = people if e.label == "PER" else orgs if e.label == "ORG" else None
            key = e.key or f"{e.label.lower()}:{e.text.lower()}"
            if table is None or key in keys_here:
                continue
            keys_here.add(key)
            slot = table.setdefault(key, {"key": key, "name": e.canonical or e.text, "articles": 0})
            slot["articles"] += 1
        for p in enr.places:
            slot = places.setdefault(p.key, {"key": p.key, "name": p.name, "country": p.country,
                                             "lat": p.lat, "lon": p.lon, "articles": 0, "mentions": 0})
            slot["articles"] += 1
            slot["mentions"] += p.mentions
        for q in enr.quotes:
            norm = " ".join(q.text.lower().split())[:200]
            if not q.text.strip() or norm in seen_quotes:
                continue
            seen_quotes.add(norm)
            quotes.append({"text": q.text, "speaker": q.speaker, "kind": q.kind, "article_id": a.id,
                           "source": a.source, "lang": a.lang, "published": iso(a.published)})

    def top(table: dict[str, dict[str, Any]], n: int) -> list[dict[str, Any]]:
        return sorted(table.values(), key=lambda x: (-x["articles"], x["name"]))[:n]

    quotes.sort(key=lambda q: (q["speaker"] is None, q["kind"] != "direct", q["published"] or ""))
    return {"people": top(people, 15), "organisations": top(orgs, 15), "places": top(places, 60),
            "quotes": quotes[:12], "enriched_articles": enriched}


def _lineage(store: Any, story_id: str) -> list[dict[str, Any]]:
    """Merges and splits naming the story, with a one-line summary each ("split into X, Y")."""
    fn = optional("storyline.stories.lineage:lineage_view")
    if fn is None:
        return []
    return [{"kind": r["kind"], "from": list(r["from_ids"]), "to": list(r["to_ids"]), "at": r.get("at"),
             "note": r.get("note") or "", "summary": r["summary"]} for r in fn(store, story_id)]


def successor(store: Any, story_id: str) -> str | None:
    """The live story a merged-away id now belongs to (None when the id is live or unknown)."""
    if store.stories.get(story_id) is not None:
        return None
    ids = store.stories.resolve(story_id) if hasattr(store.stories, "resolve") else []
    return ids[0] if ids else None


def story_detail(store: Any, story_id: str, cap: int = 400, with_timeline: bool = True) -> dict[str, Any]:
    """Everything the story page and `GET /api/stories/{id}` show; `timeline` is the timeline stage's
    view of the story (`storyline.stories.timeline.story_timeline`) when asked for and available."""
    story = store.stories.get(story_id)
    if story is None:
        raise ApiError(404, f"no story with id {story_id!r}")
    wanted = [aid for ev in story.events for aid in ev.articles] or list(story.articles)
    articles = store.articles.get_many(list(dict.fromkeys(wanted))[:cap])
    by_id = {a.id: a for a in articles}
    events = []
    for ev in story.events:
        arts = [by_id[i] for i in ev.articles if i in by_id]
        langs = Counter(a.lang or "?" for a in arts)
        events.append({
            "id": ev.id,
            "date": ev.date,
            "title": ev.title,
            "summary": list(ev.summary),
            "size": len(ev.articles),
            "languages": dict(langs.most_common()),
            "lang": langs.most_common(1)[0][0] if langs else None,
            "first_seen": iso(ev.first_seen),
            "last_seen": iso(ev.last_seen),
            "articles": [article_card(a, snippet="") for a in arts],
        })
    outlets = Counter(a.source or "unknown" for a in articles)
    languages = Counter(a.lang or "?" for a in articles)
    by_lang_day: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        if a.published:
            by_lang_day[a.lang or "?"][a.published.date().isoformat()] += 1
    data = {
        **story_card(story),
        "events": len(story.events),
        "events_list": events,
        "outlets": [{"name": k, "articles": n} for k, n in outlets.most_common()],
        "languages_count": [{"lang": k, "articles": n} for k, n in languages.most_common()],
        "coverage_by_language": {k: sorted(v.items()) for k, v in by_lang_day.items()},
        **_aggregate_enrichment(store, articles),
        "timeline": None,
        "lineage": _lineage(store, story_id),
    }
    timeline_fn = optional("storyline.stories.timeline:story_timeline")
    if timeline_fn is not None and with_timeline:
        try:
            data["timeline"] = timeline_fn(store, story)
        except Exception as exc:  # another stage's failure must not take the page down
            log.warning("story_timeline failed for %s: %s", story_id, exc)
    return data
