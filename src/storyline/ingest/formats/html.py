"""HTML pages (`.html`, `.htm`, gzipped too): one document per file, extracted later by `extract_html`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.formats import Format, base_name, register_format
from storyline.ingest.records import READ_ERRORS, ReadOptions, RecordError, error_reason
from storyline.ingest.sources import read_file_bounded
from storyline.models import RawDocument

HTML_EXT = (".html", ".htm", ".xhtml", ".shtml")
_HTML_HEAD = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)


def sniff(path: Path, head: bytes) -> bool:
    return base_name(path).endswith(HTML_EXT) or bool(_HTML_HEAD.search(head[:4096]))


def read(path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    try:
        data = read_file_bounded(path, options.max_bytes)
    except READ_ERRORS as exc:
        yield RecordError(origin, "0", error_reason(exc))
        return
    yield RawDocument(origin=origin, format="html", record="0", content=data)


FORMAT = register_format(Format("html", sniff, read, priority=30))
