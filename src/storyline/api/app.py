"""The FastAPI application: JSON API under /api, server-rendered pages, static files.

    app = create_app(store, Settings(token="..."))      # tests, `storyline serve`
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from storyline import __version__
from storyline.api.errors import install_error_handlers
from storyline.api.ingest_jobs import IngestJobs
from storyline.api.security import SecurityMiddleware
from storyline.api.settings import Settings


def default_encoder() -> Any:
    from storyline.embed import get_encoder

    return get_encoder()


def create_app(store: Any, settings: Settings | None = None,
               encoder: Callable[[], Any] | None = default_encoder,
               upload_dir: Path | None = None) -> FastAPI:
    """Build the app over an open store. `encoder` is called lazily for semantic search."""
    from storyline.api.routes import articles, ingest, search, stories
    from storyline.web import pages
    from storyline.web.render import STATIC, render_error

    settings = settings or Settings()
    if upload_dir is None:
        from storyline.config import data_dir

        upload_dir = settings.upload_dir or data_dir() / "uploads"
    jobs = IngestJobs(store, settings, upload_dir)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(title="Storyline", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", lifespan=lifespan,
                  description="Follow news stories across outlets, languages and years.")
    app.state.store = store
    app.state.settings = settings
    app.state.encoder = encoder
    app.state.jobs = jobs
    app.state.render_error = render_error
    install_error_handlers(app)
    app.add_middleware(SecurityMiddleware, max_body_bytes=settings.max_body_bytes)
    for module in (articles, stories, search, ingest):
        app.include_router(module.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
