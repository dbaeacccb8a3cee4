"""JSON Lines / JSON records (one object, an array of objects, or one object per line).

Default field mapping (first present wins; `--map title=headline,text=body` overrides per field, and
dotted names reach into nested objects, e.g. `--map title=meta.headline`):

    title      title, headline, name
    text       text, body, content, maintext, article_text, article
    html       html, raw_html, article_html          (extracted like an HTML page when there is no text)
    published  published, publish_date, date_publish, datePublished, published_at, pubDate, date
    url        url, canonical_link, canonical_url, link
    source     source, sitename, site_name, outlet, publisher, source_domain
    authors    authors, author, byline                 (a list, or a string; "['A', 'B']" is parsed)
    lang       lang, language, meta_lang

This reads the newspaper3k-style JSON of the SemEval-2022 Task 8 downloader as is.
"""

from __future__ import annotations

import ast
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from storyline.ingest.formats import Format, base_name, register_format
from storyline.ingest.records import READ_ERRORS, ReadOptions, RecordError, TooLarge, error_reason
from storyline.ingest.sources import decode_text, open_binary, read_file_bounded
from storyline.models import RawDocument

JSON_EXT = (".jsonl", ".ndjson", ".json", ".jsonlines")
DEFAULT_MAP: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "maintext", "article_text", "article"),
    "html": ("html", "raw_html", "article_html"),
    "published": ("published", "publish_date", "date_publish", "datePublished", "published_at",
                  "pubDate", "date"),
    "url": ("url", "canonical_link", "canonical_url", "link"),
    "source": ("source", "sitename", "site_name", "outlet", "publisher", "source_domain"),
    "authors": ("authors", "author", "byline"),
    "lang": ("lang", "language", "meta_lang"),
}
FIELDS = tuple(DEFAULT_MAP)
MAX_META_FIELDS = 20


def parse_map(spec: str | None) -> dict[str, str]:
    """`title=headline,text=body` -> {"title": "headline", "text": "body"}; ValueError if malformed."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        ours, sep, theirs = part.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if not sep or not theirs:
            raise ValueError(f"bad --map entry {part!r}: expected FIELD=SOURCE_FIELD")
        if ours not in FIELDS:
            raise ValueError(f"bad --map field {ours!r}: known fields are {', '.join(FIELDS)}")
        out[ours] = theirs
    return out


def sniff(path: Path, head: bytes) -> bool:
    if base_name(path).endswith(JSON_EXT):
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start in (b"{", b"[")


def _lookup(obj: dict[str, Any], name: str) -> Any:
    cur: Any = obj
    for key in name.split("."):
        if not isinstance(cur, dict) or key not in cur:
            return None
        cur = cur[key]
    return cur


def _value(obj: dict[str, Any], ours: str, field_map: dict[str, str]) -> tuple[Any, str | None]:
    names = (field_map[ours],) if ours in field_map else DEFAULT_MAP[ours]
    for name in names:
        value = _lookup(obj, name)
        if value not in (None, "", [], "None", "null"):
            return value, name
    return None, None


def _authors(value: Any) -> list[str]:
    if isinstance(value, str) and value.strip().startswith("[") and len(value) < 2000:
        with contextlib.suppress(ValueError, SyntaxError, RecursionError, MemoryError):
            value = ast.literal_eval(value.strip())
    if isinstance(value, str):
        value = value.replace(" and ", ";").split(";")
    if isinstance(value, list):
        return [str(a.get("name", "") if isinstance(a, dict) else a).strip() for a in value
                if str(a).strip()][:20]
    return []


def record_to_raw(obj: Any, origin: str, record: str, field_map: dict[str, str]) -> RawDocument | RecordError:
    """One JSON object -> RawDocument (or a RecordError saying what is wrong with it)."""
    if not isinstance(obj, dict):
        return RecordError(origin, record, f"expected a JSON object, got {type(obj).__name__}")
    got: dict[str, Any] = {}
    used: set[str] = set()
    for ours in FIELDS:
        value, name = _value(obj, ours, field_map)
        got[ours] = value
        if name:
            used.add(name.split(".")[0])
    text, html = got["text"], got["html"]
    if not isinstance(text, str | type(None)) or not isinstance(html, str | type(None)):
        return RecordError(origin, record, "the text field is not a string")
    if not text and not html:
        names = field_map.get("text") or "/".join(DEFAULT_MAP["text"])
        return RecordError(origin, record, f"empty article: no text field ({names})")
    meta = {k: v for k, v in obj.items() if k not in used and isinstance(v, str | int | float | bool)
            and len(str(v)) <= 200}
    meta = dict(list(meta.items())[:MAX_META_FIELDS])

    def as_str(v: Any) -> str | None:
        return None if v is None else str(v).strip()[:2000] or None

    return RawDocument(
        origin=origin,
        format="json" if text else "html",
        record=record,
        content=text if text else html,
        url=as_str(got["url"]),
        title=as_str(got["title"]),
        published=as_str(got["published"]),
        source=as_str(got["source"]),
        authors=_authors(got["authors"]),
        lang=as_str(got["lang"]),
        meta={"fields": meta} if meta else {},
    )


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | TooLarge]]:
    """(line number, bytes) per line; an over-long line yields TooLarge and is skipped unread."""
    n = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the line in bounded chunks
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, TooLarge(f"line is over the {max_bytes} byte cap")
            continue
        yield n, line


def read(path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    name = base_name(path)
    head = b""
    try:
        with open_binary(path) as f:
            head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except READ_ERRORS as exc:
        yield RecordError(origin, "0", error_reason(exc))
        return
    if name.endswith(".json") or head.startswith(b"["):
        yield from _read_document(path, origin, options)
        return
    yield from _read_lines(path, origin, options)


def _read_document(path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    try:
        data = json.loads(decode_text(read_file_bounded(path, options.max_bytes)))
    except json.JSONDecodeError as exc:
        # a `.json` file may really be JSON Lines
        if exc.msg == "Extra data":
            yield from _read_lines(path, origin, options)
            return
        yield RecordError(origin, "0", f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    except READ_ERRORS as exc:
        yield RecordError(origin, "0", error_reason(exc))
        return
    if isinstance(data, list):
        for i, obj in enumerate(data, 1):
            yield record_to_raw(obj, origin, f"item={i}", options.field_map)
    else:
        yield record_to_raw(data, origin, "0", options.field_map)


def _read_lines(path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    n = 0
    try:
        with open_binary(path) as f:
            for n, line in _lines(f, options.max_bytes):
                record = f"line={n}"
                if isinstance(line, TooLarge):
                    yield RecordError(origin, record, str(line))
                    continue
                if not line.strip():
                    continue
                try:
                    obj = json.loads(decode_text(line))
                except json.JSONDecodeError as exc:
                    yield RecordError(origin, record, f"malformed JSON line: {exc.msg} at column {exc.colno}")
                    continue
                except ValueError as exc:
                    yield RecordError(origin, record, str(exc))
                    continue
                yield record_to_raw(obj, origin, record, options.field_map)
    except READ_ERRORS as exc:
        yield RecordError(origin, f"line={n + 1}", error_reason(exc))


FORMAT = register_format(Format("jsonl", sniff, read, priority=40))
