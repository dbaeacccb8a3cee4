"""What format readers yield besides documents: `RecordError`, and the options they read with."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # per record (and per non-streamed file)


@dataclass(frozen=True)
class RecordError:
    """A record that could not be read: where it was and why. Never stops the batch."""

    origin: str
    record: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"origin": self.origin, "record": self.record, "reason": self.reason}


@dataclass
class ReadOptions:
    """Options shared by every format reader."""

    max_bytes: int = DEFAULT_MAX_BYTES
    field_map: dict[str, str] = field(default_factory=dict)  # JSON: our field -> their field
    fetch: bool = False  # feeds: fetch each entry's linked page
    allow_private: bool = False  # URLs: allow private / loopback targets
    timeout: float = 15.0


class TooLarge(Exception):
    """Raised by the bounded readers when a stream exceeds the size cap."""


# Exceptions a reader turns into a RecordError (I/O, truncated gzip, decoding, size cap).
READ_ERRORS: tuple[type[BaseException], ...] = (TooLarge, OSError, EOFError, zlib.error, ValueError)


def error_reason(exc: BaseException) -> str:
    """A short human reason for a read error."""
    if isinstance(exc, EOFError | zlib.error) or "gzip" in type(exc).__name__.lower():
        return f"truncated or corrupt compressed data ({exc})"
    return str(exc) or type(exc).__name__
