"""Where things live: data directory, database URL, the shared evaluation data."""

from __future__ import annotations

import os
from pathlib import Path

_data_override: Path | None = None
_db_override: str | None = None


def set_overrides(data: str | Path | None = None, db: str | None = None) -> None:
    """Set by the CLI's global `--data` / `--db` options."""
    global _data_override, _db_override
    _data_override = Path(data) if data else None
    _db_override = db


def data_dir() -> Path:
    """`--data DIR`, else `$STORYLINE_DATA`, else the per-user default (`$XDG_DATA_HOME/storyline`)."""
    if _data_override:
        return _data_override
    env = os.environ.get("STORYLINE_DATA")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "storyline"


def db_url() -> str | None:
    """`--db URL`, else `$STORYLINE_DB`, else None (embedded SQLite in the data dir)."""
    return _db_override or os.environ.get("STORYLINE_DB") or None


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def shared_dir() -> Path | None:
    """`../shared` beside the checkout (evaluation data, seeds), or `$STORYLINE_SHARED`; None if absent."""
    env = os.environ.get("STORYLINE_SHARED")
    cand = Path(env) if env else repo_root().parent / "shared"
    return cand if cand.is_dir() else None
