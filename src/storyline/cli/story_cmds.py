"""`storyline stories`, `storyline story ID`, `storyline cluster --in A.jsonl --out B.jsonl`."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, TextIO

import click

from storyline.models import Story

GROWTH_DAYS = 7


def _open_store() -> Any:
    from storyline.config import data_dir, db_url
    from storyline.store import open_store

    return open_store(db_url(), data_dir())


def story_summary(st: Story) -> dict[str, Any]:
    """The JSON contract of one story in `storyline stories --json`."""
    return {
        "id": st.id,
        "title": st.title,
        "articles": st.articles,
        "events": [{"id": e.id, "date": e.date, "title": e.title, "articles": e.articles} for e in st.events],
        "first_seen": st.first_seen.isoformat() if st.first_seen else None,
        "last_seen": st.last_seen.isoformat() if st.last_seen else None,
        "languages": st.languages,
        "sources": st.sources,
        "independent_sources": st.independent_sources,
        "size": len(st.articles),
    }


def growth(st: Story, now: datetime | None) -> int:
    """Articles in the story's events active during the last `GROWTH_DAYS` days before `now`."""
    if now is None:
        return 0
    since = now - timedelta(days=GROWTH_DAYS)
    return sum(len(e.articles) for e in st.events if e.last_seen and e.last_seen >= since)


def sorted_stories(store: Any, sort: str, limit: int | None) -> list[Story]:
    if sort != "growth":
        return store.stories.list(sort=sort, limit=limit)
    stories = store.stories.list(sort="recency")
    now = max((s.last_seen for s in stories if s.last_seen), default=None)
    stories.sort(key=lambda s: (-growth(s, now), -len(s.articles)))
    return stories[:limit] if limit else stories


@click.command("stories")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--sort", type=click.Choice(["size", "recency", "growth"]), default="size", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
def stories(as_json: bool, sort: str, limit: int) -> None:
    """List stories (threads of events), biggest, newest or fastest-growing first."""
    with _open_store() as store:
        items = sorted_stories(store, sort, limit)
    if as_json:
        click.echo(json.dumps([story_summary(s) for s in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("no stories yet (ingest some articles first)")
    for s in items:
        span = f"{s.first_seen:%Y-%m-%d}..{s.last_seen:%Y-%m-%d}" if s.first_seen and s.last_seen else "undated"
        click.echo(f"{s.id}  {len(s.articles):4d} art  {len(s.events):3d} ev  {span}  "
                   f"[{','.join(s.languages)}]  {click.style(s.title[:90], bold=True)}")


def timeline(store: Any, st: Story, max_quotes: int = 3) -> list[dict[str, Any]]:
    """Events in date order with date, title, summary, outlets, languages, counts and key quotes."""
    out = []
    for ev in sorted(st.events, key=lambda e: (e.date or "9999", e.id)):
        arts = store.articles.get_many(ev.articles)
        quotes: list[dict[str, Any]] = []
        for a in arts:
            enr = store.enrichments.get(a.id)
            for q in (enr.quotes if enr else []):
                if q.speaker and len(quotes) < max_quotes:
                    quotes.append({"text": q.text[:400], "speaker": q.speaker, "article": a.id})
        out.append({
            "id": ev.id,
            "date": ev.date,
            "title": ev.title,
            "summary": ev.summary,
            "articles": ev.articles,
            "article_count": len(ev.articles),
            "outlets": [s for s, _ in Counter(a.source for a in arts if a.source).most_common()],
            "languages": [lang for lang, _ in Counter(a.lang for a in arts if a.lang).most_common()],
            "quotes": quotes,
        })
    return out


@click.command("story")
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def story(story_id: str, as_json: bool) -> None:
    """Show one story as a timeline of its events."""
    from storyline.stories.lineage import lineage_view, status

    with _open_store() as store:
        state, ids = status(store, story_id)
        if state == "unknown":
            raise click.ClickException(f"no story with id {story_id!r}")
        old_lineage = lineage_view(store, story_id) if state != "live" else []
        st = store.stories.get(ids[0])
        if st is None:
            raise click.ClickException(f"story {story_id!r} resolves to {ids[0]!r}, which is not stored")
        data = {**story_summary(st), "timeline": timeline(store, st), "lineage": lineage_view(store, st.id),
                "requested": story_id, "status": state if state == "live" else f"merged into {', '.join(ids)}"}
        if old_lineage:
            data["requested_lineage"] = old_lineage
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    if state != "live":
        click.echo(f"story {story_id} was {data['status']}", err=True)
    click.echo(click.style(st.title, bold=True))
    click.echo(f"{st.id} · {len(st.articles)} articles · {st.independent_sources} independent sources · "
               f"languages: {', '.join(st.languages) or '?'}")
    for rec in data["lineage"]:
        click.echo(f"  {str(rec.get('at') or '')[:19]}  {rec['summary']}" + (f"  ({rec['note']})" if rec.get("note") else ""))
    for ev in data["timeline"]:
        click.echo(f"\n{ev['date'] or 'undated'}  {ev['title']}  ({ev['article_count']} articles; "
                   f"{', '.join(ev['outlets'][:4])}; {', '.join(ev['languages'])})")
        for sent in ev["summary"][:3]:
            click.echo(f"    {sent}")
        for q in ev["quotes"]:
            click.echo(f"    “{q['text'][:160]}” — {q['speaker']}")


def _records(fh: TextIO, errors: TextIO) -> Iterator[Any]:
    from storyline.stories.stream import RecordError, parse_record

    for n, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            yield parse_record(line)
        except RecordError as exc:
            click.echo(f"{getattr(fh, 'name', 'input')}:{n}: skipped: {exc}", file=errors)


@click.command("cluster")
@click.option("--in", "in_path", type=click.File("r", encoding="utf-8"), required=True,
              help="JSON lines: {id, title, text[, lang, published, url]} ('-' = stdin).")
@click.option("--out", "out_path", type=click.File("w", encoding="utf-8"), default="-",
              help="JSON lines {id, event, story} (default: stdout).")
@click.option("--encoder", default=None, help="Encoder name (default: use).")
def cluster(in_path: TextIO, out_path: TextIO, encoder: str | None) -> None:
    """Cluster a JSON-lines file into events and stories, in file order, without a store."""
    from storyline.embed import get_encoder
    from storyline.stories.stream import StreamClusterer

    sc = StreamClusterer(get_encoder(encoder))
    n = 0
    for rid, ev, st in sc.run(_records(in_path, sys.stderr)):
        out_path.write(json.dumps({"id": rid, "event": ev, "story": st}) + "\n")
        n += 1
    click.echo(f"clustered {n} records into {len(sc.clusterer.events.clusters)} events and "
               f"{len(sc.clusterer.stories.clusters)} stories", err=True)


@click.command("recheck")
@click.argument("story_ids", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Report the splits without saving them.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def recheck(story_ids: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Re-check stories (all, or the STORY_IDS given) and split those whose threads came apart."""
    from storyline.stories.update import recheck_stories

    with _open_store() as store:
        done = recheck_stories(store, list(story_ids) or None, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "level": r.level, "parts": r.parts, "members": r.members, "reason": r.reason}
                               for r in done], indent=2))
        return
    for r in done:
        click.echo(f"{r.level} {r.id}: split into {', '.join(r.parts)}" + (" (dry run)" if dry_run else ""))
    click.echo(f"{len(done)} stor{'y' if len(done) == 1 else 'ies'} split" + (" (dry run, nothing saved)" if dry_run else ""))
