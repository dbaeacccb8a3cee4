"""`/api/articles`: list with filters, get one, related articles in other languages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from storyline.api.routes.deps import Lang, Limit, Offset, Since, Source, Until, jsonable, store_of
from storyline.api.views.articles import article_detail, get_article_or_404, list_articles, related_articles

router = APIRouter(prefix="/api/articles", tags=["articles"])
ArticleId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


@router.get("")
def articles(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
    lang: Lang = None,
    source: Source = None,
    since: Since = None,
    until: Until = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    story: Annotated[str | None, Query(max_length=64)] = None,
    order: Annotated[str, Query(pattern=r"^-?published$|^seq$")] = "-published",
) -> dict[str, Any]:
    """Articles, newest first, filtered by language, outlet, date range, entity key or story."""
    return list_articles(store_of(request), limit, offset, order=order, lang=lang, source=source,
                         since=since, until=until, entity=entity, story=story)


@router.get("/{article_id}")
def article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    """One article: cleaned text, metadata, enrichment, story, near-duplicates, related articles."""
    settings = request.app.state.settings
    return jsonable(article_detail(store_of(request), article_id, related_k=settings.related_k))


@router.get("/{article_id}/related")
def related(request: Request, article_id: ArticleId,
            k: Annotated[int, Query(ge=1, le=50)] = 10,
            other_languages: bool = True) -> dict[str, Any]:
    """Nearest articles by document vector (cross-lingual with the multilingual encoder)."""
    store = store_of(request)
    a = get_article_or_404(store, article_id)
    return {"items": related_articles(store, a, k=k, other_languages=other_languages)}
