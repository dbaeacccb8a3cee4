"""Server-rendered pages: stories dashboard, story, article, search, compare, ingest, login."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from storyline.api.errors import ApiError
from storyline.api.ingest_jobs import job_view
from storyline.api.routes.deps import DATE
from storyline.api.routes.ingest import read_uploads
from storyline.api.security import (
    SESSION_COOKIE,
    is_authorised,
    require_csrf,
    session_value,
)
from storyline.api.views.articles import article_detail, list_articles
from storyline.api.views.compare import compare_articles
from storyline.api.views.search import search as run_search
from storyline.api.views.stories import list_stories, story_detail, successor
from storyline.web import svg
from storyline.web.highlight import highlight, spans_from_enrichment
from storyline.web.render import render
from storyline.web.worldmap import world_svg

router = APIRouter(include_in_schema=False)
PAGE = 25
AnyId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
OptText = Annotated[str | None, Query(max_length=500)]


def _opt_date(value: str | None, name: str) -> str | None:
    import re

    if not value:
        return None
    if not re.match(DATE, value):
        raise ApiError(422, f"invalid {name}: use YYYY-MM-DD")
    return value


@router.get("/")
def dashboard(request: Request, sort: Annotated[str, Query(pattern=r"^(size|recency|growth|first)$")] = "size",
              offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    store = request.app.state.store
    data = list_stories(store, sort=sort, limit=PAGE, offset=offset)
    return render(request, "stories.html", data=data, sort=sort, articles=store.articles.count())


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: AnyId,
               merged: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")] = None) -> Response:
    store = request.app.state.store
    if (succ := successor(store, story_id)) is not None:
        return RedirectResponse(f"/stories/{succ}?merged={story_id}", status_code=303)
    data = story_detail(store, story_id, cap=request.app.state.settings.story_articles_cap, with_timeline=False)
    return render(request, "story.html", s=data, timeline_svg=svg.timeline(data["events_list"]),
                  map_svg=svg.places_map(data["places"]), merged_from=merged)


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: AnyId) -> Response:
    store = request.app.state.store
    a = article_detail(store, article_id, related_k=request.app.state.settings.related_k)
    body = highlight(a["text"], spans_from_enrichment(a["enrichment"], len(a["text"])))
    return render(request, "article.html", a=a, body=body)


@router.get("/search")
def search_page(request: Request, q: OptText = None,
                mode: Annotated[str, Query(pattern=r"^(keyword|semantic)$")] = "keyword",
                lang: Annotated[str | None, Query(max_length=8)] = None, source: OptText = None,
                since: OptText = None, until: OptText = None, entity: OptText = None,
                story: OptText = None,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    store = request.app.state.store
    since, until = _opt_date(since, "since"), _opt_date(until, "until")
    filters = {"lang": lang or None, "source": source or None, "since": since, "until": until}
    if q and q.strip():
        data = run_search(store, q, mode=mode, limit=PAGE, offset=offset,
                          encoder=request.app.state.encoder, **filters)
    else:
        data = list_articles(store, PAGE, offset, entity=entity or None, story=story or None, **filters)
    return render(request, "search.html", data=data, q=q or "", mode=mode, filters=filters,
                  entity=entity or "", story=story or "",
                  facets=store.articles.facets())


@router.get("/compare")
def compare_page(request: Request, a: OptText = None, b: OptText = None) -> Response:
    result = None
    if a and b:
        result = compare_articles(request.app.state.store, a.strip(), b.strip())
        result["chart"] = svg.bars(result["scores"], result["scale"], invert=result["lower_is_more_similar"])
    return render(request, "compare.html", a=a or "", b=b or "", result=result)


@router.get("/ingest")
def ingest_page(request: Request) -> Response:
    return render(request, "ingest.html", settings=request.app.state.settings)


@router.post("/ingest")
async def ingest_submit(request: Request, csrf: Annotated[str, Form(max_length=200)] = "",
                        urls: Annotated[str, Form(max_length=400_000)] = "",
                        files: list[UploadFile] | None = None) -> Response:
    require_csrf(request, csrf)
    if not is_authorised(request):
        raise ApiError(401, "log in with the server token first")
    jobs = request.app.state.jobs
    uploads = [f for f in (files or []) if f.filename]
    if uploads:
        job_id = jobs.submit_files(await read_uploads(request, uploads))
    else:
        job_id = jobs.submit_urls([u for u in urls.splitlines() if u.strip()])
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9]+$")]) -> Response:
    job = job_view(request.app.state.store.jobs.get(job_id), job_id)
    return render(request, "job.html", job=job)


@router.get("/login")
def login_page(request: Request, next: Annotated[str, Query(max_length=200)] = "/ingest") -> Response:
    return render(request, "login.html", next=_local(next))


@router.post("/login")
def login_submit(request: Request, token: Annotated[str, Form(max_length=500)],
                 csrf: Annotated[str, Form(max_length=200)] = "",
                 next: Annotated[str, Form(max_length=200)] = "/ingest") -> Response:
    require_csrf(request, csrf)
    settings = request.app.state.settings
    if not hmac.compare_digest(token.encode(), settings.token.encode()):
        return render(request, "login.html", status=401, next=_local(next), failed=True)
    resp = RedirectResponse(_local(next), status_code=303)
    resp.set_cookie(SESSION_COOKIE, session_value(settings.secret, settings.token), httponly=True,
                    samesite="strict", path="/")
    return resp


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    require_csrf(request, csrf)
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


def _local(path: str) -> str:
    """Only same-site relative paths are valid redirect targets."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/map/world.svg")
def world_map() -> Response:
    return Response(world_svg(), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})
