"""Input formats, registered in `storyline.registry.formats` (third parties add more by entry point).

Each format module defines `sniff(path, head) -> bool` and
`read(path, origin, options) -> Iterator[RawDocument | RecordError]` and registers a `Format`.
`detect(path, head)` asks the formats in priority order (most specific first; text last).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.ingest.records import ReadOptions, RecordError
from storyline.models import RawDocument
from storyline.registry import formats

BUILTIN = ("warc", "feed", "html", "jsonl", "text")

Reader = Callable[[Path, str, ReadOptions], Iterator[RawDocument | RecordError]]


@dataclass(frozen=True)
class Format:
    """A registered input format: how to recognise it and how to read it."""

    name: str
    sniff: Callable[[Path, bytes], bool]
    read: Reader
    priority: int = 50  # lower is asked first

    def __call__(self, path: Path, origin: str, options: ReadOptions) -> Iterator[RawDocument | RecordError]:
        return self.read(path, origin, options)


def register_format(fmt: Format) -> Format:
    formats.register(fmt.name)(fmt)
    return fmt


def load_builtins() -> None:
    for name in BUILTIN:
        importlib.import_module(f"storyline.ingest.formats.{name}")


def all_formats() -> list[Format]:
    load_builtins()
    found = [formats.get(n) for n in formats.names()]
    return sorted((f for f in found if isinstance(f, Format)), key=lambda f: (f.priority, f.name))


def get_format(name: str) -> Format:
    load_builtins()
    fmt = formats.get(name)
    if not isinstance(fmt, Format):
        raise KeyError(f"{name!r} is not an input format")
    return fmt


def detect(path: Path, head: bytes) -> Format | None:
    """The first format whose sniffer accepts this file, or None."""
    for fmt in all_formats():
        if fmt.sniff(path, head):
            return fmt
    return None


def base_name(path: Path) -> str:
    """Lower-case file name without a trailing `.gz`."""
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name
