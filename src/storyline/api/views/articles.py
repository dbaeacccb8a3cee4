"""Article read models: listing with filters, one article with its enrichment, duplicates and
related articles in other languages (vector search)."""

from __future__ import annotations

from typing import Any

from storyline.api.errors import ApiError
from storyline.api.views.common import article_card, doc_model_name, iso, safe_href
from storyline.models import Article, Enrichment

MAX_TEXT_CHARS = 200_000  # an article page never renders more than this


def list_articles(store: Any, limit: int, offset: int, order: str = "-published",
                  **filters: Any) -> dict[str, Any]:
    clean = {k: v for k, v in filters.items() if v}
    items = store.articles.list(limit=limit, offset=offset, order=order, **clean)
    total = store.articles.count(**clean)
    return page([article_card(a) for a in items], total, limit, offset)


def page(items: list[Any], total: int | None, limit: int, offset: int) -> dict[str, Any]:
    more = (offset + len(items) < total) if total is not None else len(items) >= limit
    return {"items": items, "total": total, "limit": limit, "offset": offset,
            "next_offset": offset + len(items) if more else None}


def get_article_or_404(store: Any, article_id: str) -> Article:
    a = store.articles.get(article_id)
    if a is None:
        raise ApiError(404, f"no article with id {article_id!r}")
    return a


def enrichment_dict(store: Any, article_id: str) -> dict[str, Any] | None:
    enr: Enrichment | None = store.enrichments.get(article_id)
    return enr.to_dict() if enr else None


MIN_RELATED = 0.3  # cosine below which an article is not shown as related


def related_articles(store: Any, article: Article, k: int = 6, other_languages: bool = True,
                     model: str | None = None, min_similarity: float = MIN_RELATED) -> list[dict[str, Any]]:
    """Nearest articles by stored document vector; by default only those in another language."""
    model = model or doc_model_name()
    vec = store.vectors.get([article.id], model).get(article.id)
    if vec is None:
        return []
    hits = store.vectors.search(model, vec, k=k * 6 + 1)
    ids = [aid for aid, s in hits if aid != article.id and s >= min_similarity]
    score = dict(hits)
    out = []
    for a in store.articles.get_many(ids):
        if other_languages and a.lang and article.lang and a.lang == article.lang:
            continue
        out.append({**article_card(a, snippet=""), "similarity": round(float(score[a.id]), 4)})
        if len(out) >= k:
            break
    return out


def article_detail(store: Any, article_id: str, related_k: int = 6) -> dict[str, Any]:
    """Everything the article page and `GET /api/articles/{id}` show."""
    a = get_article_or_404(store, article_id)
    data = a.to_dict()
    data["text"] = (a.text or "")[:MAX_TEXT_CHARS]
    data["truncated"] = len(a.text or "") > MAX_TEXT_CHARS
    data["url"] = safe_href(a.url)
    data["canonical_url"] = safe_href(a.canonical_url)
    data["published"] = iso(a.published)
    data["enrichment"] = enrichment_dict(store, a.id)
    assigned = store.stories.of_article(a.id)
    story = store.stories.get(assigned[0]) if assigned else None
    data["story"] = {"id": story.id, "title": story.title, "event_id": assigned[1]} if story else None
    dup_ids = store.stories.duplicates_of(a.id) if assigned else []
    data["duplicates"] = [article_card(d, snippet="") for d in store.articles.get_many(dup_ids[:50])]
    data["related"] = related_articles(store, a, k=related_k)
    return data
