"""Ingest pipeline: inputs -> RawDocument -> Article -> store, with resume and per-record errors.

Functional core: `raw_to_article(raw)` is pure (no store, no I/O), so the HTTP API's ingest job and a
Dask engine can map it over records. I/O stays at the edges: `read_inputs` (files, stdin, URLs) and
`ingest` (the store-writing loop: batches, ingest log, `process_new` after each batch).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.clean.dates import find_publication_date
from storyline.clean.urls import canonical_url, host_of
from storyline.ingest.formats import Format, detect, get_format
from storyline.ingest.records import READ_ERRORS, ReadOptions, RecordError, error_reason
from storyline.ingest.sources import Source, expand_inputs, read_head, stdin_spool
from storyline.models import Article, IngestReport, RawDocument

log = logging.getLogger(__name__)

MAX_TITLE = 1000
MAX_TEXT = 2_000_000  # characters kept per article
MIN_WORDS = 3
BATCH_SIZE = 200
_WS = re.compile(r"[ \t\u00a0]+")


class RejectRecord(ValueError):
    """A record that cannot become an article (the message is the reason)."""


# --------------------------------------------------------------------------- pure core


@dataclass
class _Cleaned:
    title: str
    text: str
    published: str | None = None
    authors: list[str] | None = None
    source: str | None = None
    lang: str | None = None
    canonical: str | None = None
    dateline: str | None = None


def _normalise_text(text: str) -> str:
    paras = [_WS.sub(" ", p).strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text)]
    return "\n\n".join(p for p in paras if p)


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries), paragraphs kept; nothing is executed."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        el.tail = "\n\n" + (el.tail or "")
    return root.text_content()


def _clean(raw: RawDocument) -> _Cleaned:
    content = raw.content
    if raw.format == "html":
        from storyline.clean.html import extract_html

        page = extract_html(content, raw.url)
        return _Cleaned(page.title or "", page.text or "", page.published, page.authors, page.sitename,
                        page.lang, page.canonical_url)
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    if raw.format == "text":
        from storyline.clean.text import clean_text

        cleaned = clean_text(text, raw.url)
        return _Cleaned(cleaned.title, cleaned.text, source=cleaned.source, dateline=cleaned.dateline)
    if raw.format == "feed" or (raw.format == "json" and re.search(r"<(p|br|div)[\s/>]", text[:5000], re.I)):
        text = html_fragment_text(text)
    return _Cleaned(raw.title or "", _normalise_text(text))


def raw_to_article(raw: RawDocument, now: datetime | None = None) -> Article:
    """Clean one record into an Article (title, text, language, date, canonical URL, hash, id).

    Pure: no store access. Raises RejectRecord for records that hold no article.
    """
    from storyline.clean.lang import detect_language

    try:
        c = _clean(raw)
    except RejectRecord:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input may break any parser; report, don't crash
        raise RejectRecord(f"cannot extract ({raw.format}): {type(exc).__name__}: {exc}"[:300]) from None
    title = _WS.sub(" ", (raw.title or c.title or "").strip())[:MAX_TITLE]
    text = c.text.strip()[:MAX_TEXT]
    if len(text.split()) < MIN_WORDS:
        raise RejectRecord("empty article: no main text" if not text else f"empty article: {len(text.split())} word(s)")
    lang, shares = detect_language(text)
    if lang is None and (raw.lang or c.lang):
        lang = (raw.lang or c.lang or "").lower()[:2] or None
    url = raw.url or c.canonical
    canonical = canonical_url(c.canonical) or canonical_url(raw.url)
    date = find_publication_date(
        metadata=raw.published or c.published, url=canonical or url, text=text, lang=lang, dateline=c.dateline
    )
    content_hash = Article.hash_text(text)
    meta: dict[str, Any] = dict(raw.meta)
    if raw.record != "0":
        meta["record"] = raw.record
    if date is not None:
        meta["date_raw"] = date.raw[:200]
    return Article(
        id=Article.make_id(canonical, content_hash),
        text=text,
        title=title,
        url=url,
        canonical_url=canonical,
        source=(raw.source or c.source or host_of(url) or None),
        lang=lang,
        lang_share=shares,
        published=date.value.replace(tzinfo=UTC) if date else None,  # naive UTC -> aware
        published_from=date.source if date else None,
        published_confidence=date.confidence if date else 0.0,
        authors=list(raw.authors or c.authors or []),
        format=raw.format,
        path=raw.origin if raw.record == "0" else f"{raw.origin}#{raw.record}",
        content_hash=content_hash,
        ingested_at=now or datetime.now(UTC),
        meta=meta,
    )


def fingerprint(raw: RawDocument) -> str:
    """Fingerprint of a record's bytes and metadata (a changed record is re-ingested)."""
    h = hashlib.sha1()
    content = raw.content if isinstance(raw.content, bytes) else raw.content.encode("utf-8", "replace")
    h.update(content)
    for part in (raw.format, raw.url, raw.title, raw.published, raw.source):
        h.update(b"\0" + (part or "").encode("utf-8", "replace"))
    return h.hexdigest()


# --------------------------------------------------------------------------- reading (I/O edge)


def _read_url(src: Source, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    from storyline.ingest.fetch import FetchError, fetch
    from storyline.ingest.formats.feed import entries_to_raw
    from storyline.ingest.formats.feed import sniff as feed_sniff

    assert src.url is not None
    try:
        page = fetch(src.url, options.max_bytes, options.timeout, options.allow_private)
    except FetchError as exc:
        yield RecordError(src.origin, "0", str(exc))
        return
    ctype = page.content_type.lower()
    if "rss" in ctype or "atom" in ctype or feed_sniff(Path("x"), page.content[:2048]):
        yield from entries_to_raw(page.content, src.origin, options)
    elif "html" in ctype or not ctype or re.search(rb"<html|<body|<!doctype", page.content[:4096], re.I):
        yield RawDocument(origin=src.origin, format="html", content=page.content, url=page.url,
                          meta={"requested_url": src.url} if page.url != src.url else {})
    else:
        yield RecordError(src.origin, "0", f"unsupported content type {page.content_type!r}")


def _read_path(path: Path, origin: str, options: ReadOptions, fmt: str | None) -> Iterator[RawDocument | RecordError]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield RecordError(origin, "0", error_reason(exc))
        return
    if size == 0:
        yield RecordError(origin, "0", "empty file")
        return
    head = read_head(path)
    try:
        chosen: Format | None = get_format(fmt) if fmt else detect(path, head)
    except KeyError as exc:
        yield RecordError(origin, "0", str(exc))
        return
    if chosen is None:
        yield RecordError(origin, "0", "unrecognised format (binary or corrupt file?)")
        return
    try:
        yield from chosen(path, origin, options)
    except READ_ERRORS as exc:
        yield RecordError(origin, "?", error_reason(exc))


def read_inputs(
    inputs: Sequence[str], options: ReadOptions | None = None, fmt: str | None = None
) -> Iterator[RawDocument | RecordError]:
    """Every record of every input, in order; problems come out as RecordError, never raised."""
    options = options or ReadOptions()
    for src in expand_inputs(list(inputs)):
        if isinstance(src, tuple):
            yield RecordError(src[0], "0", src[1])
        elif src.url:
            yield from _read_url(src, options)
        elif src.is_stdin:
            try:
                tmp = stdin_spool(options.max_bytes)
            except READ_ERRORS as exc:
                yield RecordError("-", "0", error_reason(exc))
                continue
            try:
                yield from _read_path(tmp, "-", options, fmt)
            finally:
                os.unlink(tmp)
        else:
            assert src.path is not None
            yield from _read_path(src.path, src.origin, options, fmt)


def clean_records(
    inputs: Sequence[str], options: ReadOptions | None = None, fmt: str | None = None
) -> Iterator[Article | RecordError]:
    """Cleaned articles (or errors) for the inputs, without storing anything."""
    for item in read_inputs(inputs, options, fmt):
        if isinstance(item, RecordError):
            yield item
            continue
        try:
            yield raw_to_article(item)
        except RejectRecord as exc:
            yield RecordError(item.origin, item.record, str(exc))


def clean_file(path: str | Path, options: ReadOptions | None = None) -> list[Article]:
    """API: the cleaned article(s) of one file (or directory / URL); bad records are logged and left out."""
    out: list[Article] = []
    for item in clean_records([str(path)], options):
        if isinstance(item, RecordError):
            log.warning("%s [%s]: %s", item.origin, item.record, item.reason)
        else:
            out.append(item)
    return out


# --------------------------------------------------------------------------- store-writing loop


def _progress(items: Iterable[Any], enabled: bool) -> Iterable[Any]:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="ingest", unit=" rec", disable=None, file=None)


def store_batch(
    store: Any,
    pending: list[tuple[RawDocument, str, Article]],
    report: IngestReport,
    skip: Sequence[str] = (),
    before_process: Any = None,
) -> list[Article]:
    """Store a batch of cleaned records, log each one, then run the post-ingest stages on the new ones.

    `before_process(new_articles)` runs between storing and the stages (the Dask engine stores the
    enrichments and vectors its workers computed there, so those stages find nothing left to do).
    Empties `pending`; returns the newly stored articles.
    """
    from storyline.pipeline import process_new

    if not pending:
        return []
    results = store.articles.add([a for _, _, a in pending])
    new: list[Article] = []
    for (rec, fp, art), (aid, status) in zip(pending, results, strict=True):
        if status == "stored":
            report.stored += 1
            report.article_ids.append(aid)
            new.append(art)
            store.ingest_log.mark(rec.origin, rec.record, fp, "stored", article_id=aid)
        else:
            report.duplicates += 1
            dup = status.split(":", 1)[1]
            store.ingest_log.mark(rec.origin, rec.record, fp, "duplicate", article_id=dup)
    pending.clear()
    if new:
        if before_process is not None:
            before_process(new)
        try:
            process_new(store, new, skip=skip)
        except Exception:  # noqa: BLE001 - a failing stage must not lose the stored batch
            log.exception("post-ingest stages failed for a batch of %d articles", len(new))
    return new


def ingest(
    inputs: Sequence[str] | str,
    store: Any = None,
    *,
    options: ReadOptions | None = None,
    fmt: str | None = None,
    batch_size: int = BATCH_SIZE,
    skip: Sequence[str] = (),
    raw: bool = False,
    limit: int | None = None,
    progress: bool = False,
) -> IngestReport:
    """Read, clean and store the inputs; run `process_new` after each stored batch.

    Idempotent and resumable: every record is logged in `store.ingest_log` under (origin, record) with
    a fingerprint of its bytes, and a record already logged with the same fingerprint is skipped.
    `raw=True` skips every post-ingest stage (enrich, embed, stories).
    """
    if isinstance(inputs, str):
        inputs = [inputs]
    return ingest_records(read_inputs(inputs, options, fmt), store, batch_size=batch_size, skip=skip,
                          raw=raw, limit=limit, progress=progress)


def ingest_records(
    records: Iterable[RawDocument | RecordError],
    store: Any = None,
    *,
    batch_size: int = BATCH_SIZE,
    skip: Sequence[str] = (),
    raw: bool = False,
    limit: int | None = None,
    progress: bool = False,
) -> IngestReport:
    """The store-writing loop of `ingest`, over records from any reader (files, feeds being watched...)."""
    from storyline.pipeline import STAGES

    if store is None:
        from storyline.store import open_store

        store = open_store()
    skip = tuple(name for name, _ in STAGES) if raw else tuple(skip)
    report = IngestReport()
    pending: list[tuple[RawDocument, str, Article]] = []

    def reject(origin: str, record: str, reason: str, fp: str = "") -> None:
        report.rejected.append({"origin": origin, "record": record, "reason": reason})
        store.ingest_log.mark(origin, record, f"rejected:{fp}", "rejected", reason=reason[:500])

    for item in _progress(records, progress):
        if limit is not None and report.read >= limit:
            break
        report.read += 1
        if isinstance(item, RecordError):
            reject(item.origin, item.record, item.reason)
            continue
        fp = fingerprint(item)
        if store.ingest_log.seen(item.origin, item.record, fp):
            report.skipped += 1
            continue
        try:
            art = raw_to_article(item)
        except RejectRecord as exc:
            reject(item.origin, item.record, str(exc), fp)
            continue
        pending.append((item, fp, art))
        if len(pending) >= batch_size:
            store_batch(store, pending, report, skip)
    store_batch(store, pending, report, skip)
    store.flush()
    return report
