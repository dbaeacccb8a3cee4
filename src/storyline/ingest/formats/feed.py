"""RSS / Atom feeds (feedparser): each entry becomes an article.

Without `--fetch` the entry's own content (or summary) is the text; with `--fetch` the linked page is
fetched safely (see `ingest.fetch`) and extracted like any HTML page, keeping the entry's metadata.
The record key is the entry id (else its link), so re-reading an updated feed skips known entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.ingest.formats import Format, base_name, register_format
from storyline.ingest.records import READ_ERRORS, ReadOptions, RecordError, error_reason
from storyline.ingest.sources import read_file_bounded
from storyline.models import RawDocument

FEED_EXT = (".rss", ".atom", ".rdf")
_FEED_HEAD = re.compile(rb"<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]", re.I)


def sniff(path: Path, head: bytes) -> bool:
    return base_name(path).endswith(FEED_EXT) or bool(_FEED_HEAD.search(head[:2048]))


def _entry_text(entry: Any) -> str:
    for item in entry.get("content") or []:
        if item.get("value"):
            return str(item["value"])
    return str(entry.get("summary") or entry.get("description") or "")


def _authors(entry: Any) -> list[str]:
    names = [str(a.get("name", "")).strip() for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and entry.get("author"):
        names = [str(entry["author"]).strip()]
    return names[:20]


def entries_to_raw(data: bytes, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    """Parse feed bytes and yield one RawDocument per entry."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f"not a readable feed: {parsed.get('bozo_exception')}" if parsed.bozo else "feed has no entries"
        yield RecordError(origin, "0", reason)
        return
    feed_title = str(parsed.feed.get("title") or "").strip() or None
    lang = str(parsed.feed.get("language") or "").strip() or None
    for i, entry in enumerate(parsed.entries, 1):
        record = str(entry.get("id") or entry.get("link") or f"entry={i}")[:500]
        link = entry.get("link")
        published = entry.get("published") or entry.get("updated") or entry.get("created")
        base = {"origin": origin, "record": record, "url": link, "title": entry.get("title"),
                "published": published, "source": feed_title, "authors": _authors(entry), "lang": lang}
        if options.fetch and link:
            from storyline.ingest.fetch import FetchError, fetch

            try:
                page = fetch(link, options.max_bytes, options.timeout, options.allow_private)
            except FetchError as exc:
                yield RecordError(origin, record, f"fetching {link}: {exc}")
                continue
            base["url"] = page.url
            yield RawDocument(format="html", content=page.content, meta={"feed_entry": link}, **base)
            continue
        text = _entry_text(entry)
        if not text.strip():
            yield RecordError(origin, record, "empty article: entry has no content or summary (try --fetch)")
            continue
        yield RawDocument(format="feed", content=text, **base)


def read(path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    try:
        data = read_file_bounded(path, options.max_bytes)
    except READ_ERRORS as exc:
        yield RecordError(origin, "0", error_reason(exc))
        return
    yield from entries_to_raw(data, origin, options)


FORMAT = register_format(Format("feed", sniff, read, priority=20))
