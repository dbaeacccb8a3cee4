"""`storyline serve`: the web UI and JSON API over the same store the CLI uses."""

from __future__ import annotations

import ipaddress
import os
import secrets
from typing import Any

import click


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_store(store: Any, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
                allow_private_urls: bool = False, max_upload_mb: int = 20) -> None:
    """Serve `store` until interrupted, after printing the URL and the write token
    (also what `storyline demo` calls at its end)."""
    import uvicorn

    from storyline.api import Settings, create_app

    if not _is_loopback(host):
        click.echo(f"warning: listening on {host}, not loopback: anyone who can reach it can read the store",
                   err=True)
    token = token or os.environ.get("STORYLINE_TOKEN") or secrets.token_urlsafe(24)
    settings = Settings(token=token, allow_private_urls=allow_private_urls,
                        max_upload_bytes=max_upload_mb * 1024 * 1024)
    app = create_app(store, settings)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Storyline is serving {store.articles.count()} articles, {store.stories.count()} stories")
    click.echo(f"  URL:   http://{shown}:{port}/")
    click.echo(f"  token: {token}   (log in at http://{shown}:{port}/login to ingest from the browser;")
    click.echo("          API clients send 'Authorization: Bearer <token>')")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, timeout_keep_alive=10)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--token", envvar="STORYLINE_TOKEN", help="Token for write endpoints (default: random, printed).")
@click.option("--allow-private-urls", is_flag=True, envvar="STORYLINE_ALLOW_PRIVATE_URLS",
              help="Let URL ingest fetch private and loopback addresses.")
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 1024),
              help="Largest uploaded file.")
def serve(host: str, port: int, token: str | None, allow_private_urls: bool, max_upload_mb: int) -> None:
    """Serve the web UI and JSON API (prints the URL and the write token)."""
    from storyline.store import open_store

    store = open_store()
    try:
        serve_store(store, host, port, token, allow_private_urls, max_upload_mb)
    finally:
        store.close()
