"""`storyline timeline`: a query-driven timeline summary of a set of articles (JSON lines in, JSON lines out)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

MAX_LINE_CHARS = 2_000_000  # one input record; longer lines are rejected
MAX_TEXT_CHARS = 200_000  # article text kept per record


def _doc(rec: Any, default_lang: str | None) -> Any:
    """A TLDoc from one input record, or ValueError naming what is wrong."""
    from storyline.stories.tls import TLDoc

    if not isinstance(rec, dict):
        raise ValueError("not a JSON object")
    for key in ("id", "text"):
        if not isinstance(rec.get(key), str) or not rec[key].strip():
            raise ValueError(f"missing or empty {key!r}")
    title = rec.get("title") or ""
    if not isinstance(title, str):
        raise ValueError("'title' is not a string")
    pub = rec.get("published")
    day = None
    if pub not in (None, ""):
        try:
            day = date.fromisoformat(str(pub)[:10])
        except ValueError as exc:
            raise ValueError(f"bad 'published' {str(pub)[:40]!r} (want YYYY-MM-DD...)") from exc
    lang = rec.get("lang") or default_lang
    if lang is None:
        from storyline.clean.lang import detect_language

        lang = detect_language(f"{title}\n{rec['text'][:2000]}")[0] or "en"
    return TLDoc(id=rec["id"], text=rec["text"][:MAX_TEXT_CHARS], title=title, lang=str(lang)[:8],
                 published=day, url=rec.get("url") if isinstance(rec.get("url"), str) else None)


def read_articles(path: Path, default_lang: str | None = None) -> tuple[list[Any], list[str]]:
    """Parse a JSONL file of articles; bad lines are reported (file:line: reason) and skipped."""
    docs, errors = [], []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_CHARS:
                errors.append(f"{path}:{n}: line longer than {MAX_LINE_CHARS} characters")
                continue
            try:
                docs.append(_doc(json.loads(line), default_lang))
            except (json.JSONDecodeError, ValueError) as exc:
                errors.append(f"{path}:{n}: {exc}")
    return docs, errors


@click.command("timeline")
@click.option("--in", "inp", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='Articles as JSON lines: {"id","title","text"} + optional "lang","published","url".')
@click.option("--query", default=None, help="Query words: a relevance prior for dates and sentences.")
@click.option("--dates", "n_dates", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Number of dates in the timeline.")
@click.option("--sentences", "n_sents", type=click.IntRange(1, 20), default=2, show_default=True,
              help="Sentences per date.")
@click.option("--vectors", type=click.Choice(["auto", "tfidf", "use", "e5"]), default="auto", show_default=True,
              help="Sentence vectors: tf-idf (fast, one language) or multilingual embeddings; "
                   "auto = tf-idf for one language, USE for several.")
@click.option("--lang", "display_lang", default=None, help="Preferred display language of the sentences.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only dates from this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only dates up to this day.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help='Output JSON lines {"date","sentences","articles"} in date order ("-" for stdout).')
def timeline(inp: Path, query: str | None, n_dates: int, n_sents: int, vectors: str, display_lang: str | None,
             since: Any, until: Any, out: Path) -> None:
    """Summarise a set of articles as a dated timeline (Timeline17-style, query-driven)."""
    from tqdm import tqdm

    from storyline.stories.tls import prepare, summarise

    docs, errors = read_articles(inp)
    for e in errors:
        click.echo(f"skipped {e}", err=True)
    if not docs:
        raise click.ClickException(f"{inp}: no usable articles ({len(errors)} bad lines)")
    dated = [d.published for d in docs if d.published]
    if not dated:
        click.echo("warning: no article has a 'published' date; only absolute dates in the text count",
                   err=True)
    lo = since.date() if since else (min(dated) if dated else date(1900, 1, 1))
    hi = until.date() if until else (max(dated) if dated else date(2100, 1, 1))
    if since is None and dated:
        lo = date.fromordinal(lo.toordinal() - 90)  # events reported later may precede the first article
    span = (lo, hi)
    if vectors == "auto":
        vectors = "use" if len({d.lang for d in docs}) > 1 else "tfidf"
    with tqdm(total=len(docs), desc="reading dates", unit="doc", file=sys.stderr,
              disable=not sys.stderr.isatty()) as bar:
        coll = prepare(docs, query, span=span, progress=bar.update)
    tl = summarise(coll, n_dates, n_sents, span=span, vectors=vectors, display_lang=display_lang)
    lines = [json.dumps({"date": d.isoformat(), "sentences": [s.text for s in ss],
                         "articles": [coll.docs[s.doc].id for s in ss]}, ensure_ascii=False) for d, ss in tl]
    text = "\n".join(lines) + ("\n" if lines else "")
    if str(out) == "-":
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(lines)} dates to {out} ({len(docs)} articles, {len(errors)} bad lines skipped)",
                   err=True)
