"""`/api/stories`: the list (size, recency, growth) and one story with timeline and facets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse

from storyline.api.routes.deps import Limit, Offset, jsonable, store_of
from storyline.api.views.stories import list_stories, story_detail, successor

router = APIRouter(prefix="/api/stories", tags=["stories"])


@router.get("")
def stories(
    request: Request,
    sort: Annotated[str, Query(pattern=r"^(size|recency|growth|first)$")] = "size",
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stories with size, independent sources, languages, first/last seen and coverage per day."""
    return jsonable(list_stories(store_of(request), sort=sort, limit=limit, offset=offset))


@router.get("/{story_id}")
def story(request: Request,
          story_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]) -> Any:
    """One story: events (timeline), people, organisations, places, quotes, outlets, languages, lineage.
    An id merged into another story redirects (307) to that story."""
    if (succ := successor(store_of(request), story_id)) is not None:
        return RedirectResponse(f"/api/stories/{succ}", status_code=307)
    cap = request.app.state.settings.story_articles_cap
    return jsonable(story_detail(store_of(request), story_id, cap=cap))
