"""WARC files (`.warc`, `.warc.gz`, e.g. Common Crawl CC-NEWS): HTML response records (warcio).

The record key is the WARC-Record-ID (else `record=N`). A truncated or corrupt file yields one
RecordError at the point of failure; the records before it are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.formats import Format, base_name, register_format
from storyline.ingest.records import READ_ERRORS, ReadOptions, RecordError, TooLarge, error_reason
from storyline.ingest.sources import read_bounded
from storyline.models import RawDocument

WARC_EXT = (".warc", ".arc")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def sniff(path: Path, head: bytes) -> bool:
    return base_name(path).endswith(WARC_EXT) or head.startswith(b"WARC/")


def read(path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    record = "record=0"
    try:
        with open(path, "rb") as f:
            # Key records by WARC-Record-ID (stable, unique). Never call it.get_record_offset() before
            # reading the payload: it reads the record to its end, leaving an empty content stream.
            it = ArchiveIterator(f)
            for n, rec in enumerate(it, 1):
                record = rec.rec_headers.get_header("WARC-Record-ID") or f"record={n}"
                if rec.rec_type != "response" or rec.http_headers is None:
                    continue
                ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
                status = rec.http_headers.get_statuscode() or ""
                if not any(t in ctype for t in HTML_TYPES) or not str(status).startswith("2"):
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI")
                try:
                    body = read_bounded(rec.content_stream(), options.max_bytes)
                except TooLarge as exc:
                    yield RecordError(origin, record, f"{url}: {exc}")
                    continue
                yield RawDocument(
                    origin=origin, format="html", record=record, content=body, url=url,
                    meta={"warc_date": rec.rec_headers.get_header("WARC-Date"), "container": "warc"},
                )
            size = path.stat().st_size
            if it.offset < size:  # warcio stops quietly at a cut-off gzip member
                yield RecordError(origin, f"offset={it.offset}", f"truncated or corrupt WARC: "
                                  f"{size - it.offset} trailing bytes could not be read")
    except (ArchiveLoadFailed, *READ_ERRORS) as exc:
        yield RecordError(origin, record, f"truncated or corrupt WARC: {error_reason(exc)}")


FORMAT = register_format(Format("warc", sniff, read, priority=10))
