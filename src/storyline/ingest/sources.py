"""Input expansion (files, directories, globs, `-`, URLs) and bounded, gzip-transparent reading."""

from __future__ import annotations

import glob
import gzip
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from storyline.ingest.records import TooLarge

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 8192
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass(frozen=True)
class Source:
    """One input: a local file, standard input, or an http(s) URL."""

    origin: str  # the resume key: absolute path, "-" or the URL
    path: Path | None = None
    url: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.origin == "-"


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def expand_inputs(inputs: list[str]) -> Iterator[Source | tuple[str, str]]:
    """Sources for files, directories (recursive, sorted), globs, `-` and URLs.

    An input that matches nothing yields `(input, reason)` so the caller can report it.
    """
    for item in inputs:
        if item == "-":
            yield Source("-")
        elif is_url(item):
            yield Source(item, url=item)
        elif os.path.isdir(item):
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or name in SKIP_NAMES:
                        continue
                    path = Path(root, name)
                    yield Source(str(path.resolve()), path=path)
        elif os.path.isfile(item):
            yield Source(str(Path(item).resolve()), path=Path(item))
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield (item, "glob matched no files")
            for match in matches:
                if os.path.isfile(match):
                    yield Source(str(Path(match).resolve()), path=Path(match))
        else:
            yield (item, "no such file or directory")


def open_binary(path: Path) -> BinaryIO:
    """Open a file for reading, decompressing gzip transparently (by magic bytes, not name)."""
    raw = open(path, "rb")  # noqa: SIM115 - returned to the caller
    magic = raw.read(2)
    raw.seek(0)
    if magic == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def read_head(path: Path) -> bytes:
    """The first bytes of the (decompressed) content, for sniffing; b"" if unreadable."""
    try:
        with open_binary(path) as f:
            return f.read(HEAD_BYTES)
    except (OSError, EOFError, zlib.error):
        return b""


def read_bounded(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read at most `max_bytes` bytes; raise TooLarge if there is more (never reads it all)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"larger than the {max_bytes // (1024 * 1024) or max_bytes} "
                       f"{'MB' if max_bytes >= 1024 * 1024 else 'byte'} cap")
    return data


def read_file_bounded(path: Path, max_bytes: int) -> bytes:
    """Whole (decompressed) file content, refusing files over the cap before reading them."""
    if not path.name.endswith(".gz") and path.stat().st_size > max_bytes:
        raise TooLarge(f"file is {path.stat().st_size} bytes, over the {max_bytes} byte cap")
    with open_binary(path) as f:
        return read_bounded(f, max_bytes)


def stdin_spool(max_bytes: int) -> Path:
    """Spool standard input to a temporary file (bounded) so formats can sniff and re-read it."""
    import tempfile

    data = read_bounded(sys.stdin.buffer, max_bytes)
    fd, name = tempfile.mkstemp(prefix="storyline-stdin-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Path(name)


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with a BOM; raise ValueError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"undecodable bytes (not UTF-8) at byte {exc.start}") from None


__all__ = ["Source", "expand_inputs", "open_binary", "read_head", "read_bounded", "read_file_bounded",
           "stdin_spool", "decode_text", "is_url"]
