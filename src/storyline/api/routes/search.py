"""`/api/search` (keyword and semantic), `/api/compare`, `/api/entities`, `/api/facets`, `/api/health`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from storyline import __version__
from storyline.api.routes.deps import Id, Lang, Limit, Offset, Since, Source, Until, jsonable, store_of
from storyline.api.views.compare import compare_articles
from storyline.api.views.search import search as run_search

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    mode: Annotated[str, Query(pattern=r"^(keyword|semantic)$")] = "keyword",
    lang: Lang = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Full-text search, or semantic search (cross-lingual: a query in one language finds others)."""
    return run_search(store_of(request), q, mode=mode, lang=lang, source=source, since=since,
                      until=until, limit=limit, offset=offset, encoder=request.app.state.encoder)


@router.get("/compare")
def compare(request: Request, a: Id, b: Id) -> dict[str, Any]:
    """The seven similarity dimensions of two stored articles, with evidence."""
    out = compare_articles(store_of(request), a, b)
    out.pop("raw", None)
    return jsonable(out)


@router.get("/entities")
def entities(
    request: Request,
    label: Annotated[str | None, Query(pattern=r"^[A-Z]{2,8}$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Corpus entities with article counts, most frequent first."""
    rows = store_of(request).enrichments.entities(label=label, limit=limit, offset=offset)
    return {"items": jsonable(rows), "limit": limit, "offset": offset}


@router.get("/facets")
def facets(request: Request) -> dict[str, Any]:
    """Article counts per language and per outlet."""
    return store_of(request).articles.facets()


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Liveness plus what the store holds."""
    store = store_of(request)
    return {"status": "ok", "version": __version__, "store": getattr(store, "name", "?"),
            "articles": store.articles.count(), "stories": store.stories.count()}
