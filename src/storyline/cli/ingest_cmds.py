"""Commands `ingest`, `clean`, `articles`, `show`, `search`.

JSON output carries every Article field (at least id, path, url, source, title, text, lang, published,
published_from, format). Human output strips control characters from article text (hostile input).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from storyline.ingest.records import DEFAULT_MAX_BYTES, ReadOptions, RecordError
from storyline.models import Article

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x1b\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_SHOWN_REJECTIONS = 20


def safe(text: Any) -> str:
    """Text safe to print on a terminal: no control / bidi-override characters."""
    return _CONTROL.sub("", "" if text is None else str(text))


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


@contextmanager
def opened_store() -> Iterator[Any]:
    from storyline.store import open_store

    store = open_store()
    try:
        yield store
    finally:
        store.close()


def _enrich_fn() -> Any:
    """`storyline.enrich.pipeline.enrich_article` when that stage exists, else None."""
    try:
        from storyline.enrich.pipeline import enrich_article  # type: ignore[import-not-found]
    except ImportError:
        return None
    return enrich_article


def read_options(max_mb: float, map_spec: str | None, fetch: bool, allow_private: bool) -> ReadOptions:
    from storyline.ingest.formats.jsonl import parse_map

    try:
        field_map = parse_map(map_spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    if max_mb <= 0:
        raise click.BadParameter("must be positive", param_hint="--max-mb")
    return ReadOptions(max_bytes=int(max_mb * 1024 * 1024), field_map=field_map, fetch=fetch,
                       allow_private=allow_private)


def input_options(fn: Any) -> Any:
    """Options shared by `ingest` and `clean`."""
    fn = click.option("--format", "fmt", help="Force an input format (text, html, jsonl, feed, warc).")(fn)
    fn = click.option("--map", "map_spec", metavar="F=SRC,...",
                      help="JSON field mapping, e.g. title=headline,text=body,published=date.")(fn)
    fn = click.option("--fetch", is_flag=True, help="Feeds: fetch each entry's linked page.")(fn)
    fn = click.option("--allow-private", is_flag=True,
                      help="Allow fetching private/loopback addresses (tests, intranets).")(fn)
    fn = click.option("--max-mb", type=float, default=DEFAULT_MAX_BYTES / (1024 * 1024), show_default=True,
                      help="Size cap per record / file, in MB.")(fn)
    return fn


# --------------------------------------------------------------------------- ingest


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@input_options
@click.option("--batch-size", type=int, default=200, show_default=True)
@click.option("--no-enrich", is_flag=True, help="Skip entity/date/quote extraction.")
@click.option("--no-embed", is_flag=True, help="Skip embeddings.")
@click.option("--no-stories", is_flag=True, help="Skip story/event updates.")
@click.option("--raw", is_flag=True, help="Clean and store only (skip every later stage).")
@click.option("--limit", type=int, help="Stop after this many records.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: clean, enrich and embed on Dask workers (see docs/operations.md).")
@click.option("--workers", type=int, help="--engine dask: size of the local cluster (default 2).")
@click.option("--scheduler", help="--engine dask: address of an existing Dask scheduler.")
def ingest(inputs: tuple[str, ...], fmt: str | None, map_spec: str | None, fetch: bool, allow_private: bool,
           max_mb: float, batch_size: int, no_enrich: bool, no_embed: bool, no_stories: bool, raw: bool,
           limit: int | None, as_json: bool, engine: str, workers: int | None, scheduler: str | None) -> None:
    """Ingest files, directories, globs, '-' (stdin) or http(s) URLs (format auto-detected)."""
    from storyline.ingest.pipeline import ingest as run_ingest

    options = read_options(max_mb, map_spec, fetch, allow_private)
    skip = [name for name, off in (("enrich", no_enrich), ("embed", no_embed), ("stories", no_stories)) if off]
    with opened_store() as store:
        if engine == "dask":
            from storyline.scale.dask_engine import ingest_dask

            report = ingest_dask(list(inputs), store, workers=workers, scheduler=scheduler, options=options,
                                 fmt=fmt, batch_size=batch_size, skip=skip, raw=raw, progress=True)
        else:
            report = run_ingest(list(inputs), store, options=options, fmt=fmt, batch_size=batch_size,
                                skip=skip, raw=raw, limit=limit, progress=True)
    if as_json:
        click.echo(dump(report.to_dict()))
        return
    click.echo(
        f"read {report.read}, stored {report.stored}, duplicates {report.duplicates}, "
        f"already ingested {report.skipped}, rejected {len(report.rejected)}",
        err=True,
    )
    for r in report.rejected[:MAX_SHOWN_REJECTIONS]:
        click.echo(f"  rejected {safe(r['origin'])} [{safe(r['record'])}]: {safe(r['reason'])}", err=True)
    if len(report.rejected) > MAX_SHOWN_REJECTIONS:
        click.echo(f"  ... and {len(report.rejected) - MAX_SHOWN_REJECTIONS} more (use --json)", err=True)


# --------------------------------------------------------------------------- clean


def article_json(article: Article, enrich: Any = None) -> dict[str, Any]:
    """The JSON object of an article; with enrichment arrays when the enrich stage is available."""
    data = article.to_dict()
    if enrich is not None:
        try:
            enr = enrich(article).to_dict()
        except Exception as exc:  # noqa: BLE001 - enrichment is optional here; report and go on
            click.echo(f"enrichment failed for {article.path}: {exc}", err=True)
        else:
            for key in ("entities", "places", "dates", "quotes"):
                data[key] = enr.get(key, [])
    return data


def _human(article: Article) -> str:
    date = article.published.date().isoformat() if article.published else "?"
    head = [
        f"# {safe(article.title)}",
        f"id {article.id} | {safe(article.source) or '?'} | {article.lang or '?'} | {date}"
        f" ({article.published_from or 'no date'}) | {article.format} | {safe(article.path)}",
    ]
    if article.url:
        head.append(safe(article.url))
    return "\n".join(head) + "\n\n" + safe(article.text).replace("\n\n", "\n\n") + "\n"


@click.command("clean")
@click.argument("inputs", nargs=-1, required=True)
@input_options
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: one object for a single article, an array when there are several.")
@click.option("--jsonl", "jsonl_out", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write one JSON object per line to this file ('-' = stdout).")
def clean(inputs: tuple[str, ...], fmt: str | None, map_spec: str | None, fetch: bool, allow_private: bool,
          max_mb: float, as_json: bool, jsonl_out: str | None) -> None:
    """Print the cleaned article(s) of FILE/DIR/URL without storing anything."""
    from storyline.ingest.pipeline import clean_records

    options = read_options(max_mb, map_spec, fetch, allow_private)
    enrich = _enrich_fn() if (as_json or jsonl_out) else None
    errors = 0
    objects: list[dict[str, Any]] = []
    out = None
    if jsonl_out:
        out = sys.stdout if jsonl_out == "-" else open(jsonl_out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for item in clean_records(list(inputs), options, fmt):
            if isinstance(item, RecordError):
                errors += 1
                click.echo(f"rejected {safe(item.origin)} [{safe(item.record)}]: {safe(item.reason)}", err=True)
                continue
            if out is not None:
                out.write(json.dumps(article_json(item, enrich), ensure_ascii=False) + "\n")
            elif as_json:
                objects.append(article_json(item, enrich))
            else:
                click.echo(_human(item))
    finally:
        if out is not None and out is not sys.stdout:
            out.close()
    if as_json and out is None:
        click.echo(dump(objects[0] if len(objects) == 1 else objects))
    if errors and not (objects or out):
        sys.exit(1)


# --------------------------------------------------------------------------- articles / show / search


@click.command("articles")
@click.option("--lang")
@click.option("--source")
@click.option("--since", metavar="YYYY-MM-DD")
@click.option("--until", metavar="YYYY-MM-DD")
@click.option("--limit", type=int, help="At most this many (default: all for --json, 50 otherwise).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of the articles.")
def articles(lang: str | None, source: str | None, since: str | None, until: str | None,
             limit: int | None, as_json: bool) -> None:
    """List stored articles (by publication date)."""
    if limit is None and not as_json:
        limit = 50
    with opened_store() as store:
        rows = store.articles.list(limit=limit, lang=lang, source=source, since=since, until=until)
    if as_json:
        click.echo(dump([a.to_dict() for a in rows]))
        return
    for a in rows:
        date = a.published.date().isoformat() if a.published else "----------"
        click.echo(f"{a.id}  {date}  {a.lang or '??'}  {safe(a.source)[:24]:24}  {safe(a.title)[:90]}")


@click.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True)
def show(article_id: str, as_json: bool) -> None:
    """Show one stored article, with its enrichment and story when present."""
    with opened_store() as store:
        article = store.articles.get(article_id)
        if article is None:
            raise click.ClickException(f"no article with id {article_id!r}")
        enr = store.enrichments.get(article_id)
        story = store.stories.of_article(article_id)
        full = store.stories.get(story[0]) if story else None
    data = article.to_dict()
    data["enrichment"] = enr.to_dict() if enr else None
    data["story"] = None
    if story is not None:
        event = next((e for e in full.events if e.id == story[1]), None) if full else None
        data["story"] = {"story_id": story[0], "story_title": full.title if full else None,
                         "event_id": story[1], "event_title": event.title if event else None,
                         "event_date": event.date if event else None, "duplicate_of": story[2]}
    if as_json:
        click.echo(dump(data))
        return
    click.echo(_human(article))
    if enr is not None:
        ents = ", ".join(sorted({safe(e.canonical or e.text) for e in enr.entities}))[:1000]
        click.echo(f"entities: {ents or '-'}")
        click.echo(f"places: {', '.join(safe(p.name) for p in enr.places) or '-'}")
        for q in enr.quotes[:10]:
            click.echo(f"quote ({safe(q.speaker) or '?'}): {safe(q.text)[:300]}")
    if data["story"] is not None:
        st = data["story"]
        click.echo(f"story {st['story_id']} {safe(st['story_title'])!r}, event {st['event_id']} "
                   f"{safe(st['event_title'])!r} {st['event_date'] or ''}"
                   + (f", duplicate of {st['duplicate_of']}" if st["duplicate_of"] else ""))


@click.command("search")
@click.argument("query")
@click.option("--lang")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def search(query: str, lang: str | None, limit: int, as_json: bool) -> None:
    """Full-text search over stored articles."""
    with opened_store() as store:
        hits = store.articles.search(query, limit=limit, lang=lang)
        found = {a.id: a for a in store.articles.get_many([h[0] for h in hits])}
    results = []
    for aid, score, snippet in hits:
        a = found.get(aid)
        results.append({"id": aid, "score": score, "snippet": snippet, "title": a.title if a else "",
                        "source": a.source if a else None, "lang": a.lang if a else None,
                        "published": a.published.isoformat() if a and a.published else None})
    if as_json:
        click.echo(dump(results))
        return
    for r in results:
        click.echo(f"{r['id']}  {r['score']:.2f}  {safe(r['title'])[:80]}\n    {safe(r['snippet'])[:200]}")
