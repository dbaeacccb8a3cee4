"""Plain-text page dumps (title line, article, site furniture): one document per file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.formats import Format, base_name, register_format
from storyline.ingest.records import READ_ERRORS, ReadOptions, RecordError, error_reason
from storyline.ingest.sources import decode_text, read_file_bounded
from storyline.models import RawDocument

TEXT_EXT = (".txt", ".text", ".md")


def sniff(path: Path, head: bytes) -> bool:
    """Text if named so, or if the head has no NUL bytes (the fallback format)."""
    if base_name(path).endswith(TEXT_EXT):
        return True
    return bool(head) and b"\x00" not in head[:4096]


def read(path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
    try:
        text = decode_text(read_file_bounded(path, options.max_bytes))
    except READ_ERRORS as exc:
        yield RecordError(origin, "0", error_reason(exc))
        return
    yield RawDocument(origin=origin, format="text", record="0", content=text)


FORMAT = register_format(Format("text", sniff, read, priority=90))
