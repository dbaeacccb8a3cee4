"""Storage backends behind one `Store` interface; `open_store()` picks one from a URL or data dir."""

from __future__ import annotations

from pathlib import Path

from storyline.registry import stores
from storyline.store.base import Store

__all__ = ["Store", "open_store"]


@stores.register("sqlite")
def _sqlite(url: str, data_dir: Path | None) -> Store:
    from storyline.store.sqlite import SQLiteStore

    if url in ("sqlite://", "sqlite:///:memory:"):
        return SQLiteStore(None)
    if url.startswith("sqlite:///"):
        return SQLiteStore(Path(url[len("sqlite:///") :]))
    assert data_dir is not None
    return SQLiteStore(data_dir / "storyline.db")


@stores.register("postgresql")
def _postgresql(url: str, data_dir: Path | None) -> Store:
    from storyline.store.postgres import PostgresStore

    return PostgresStore(url)


def open_store(db: str | None = None, data_dir: str | Path | None = None) -> Store:
    """Open a store: `db` is a URL (`sqlite:///file.db`, `postgresql://...`) or None for the
    embedded SQLite store in `data_dir` (see `storyline.config.data_dir`)."""
    from storyline.config import data_dir as default_data_dir
    from storyline.config import db_url

    url = db or db_url()
    ddir = Path(data_dir) if data_dir else default_data_dir()
    if not url:
        return stores.get("sqlite")("", ddir)
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    if scheme in ("postgresql", "postgres"):
        scheme = "postgresql"
    return stores.get(scheme)(url, ddir)
