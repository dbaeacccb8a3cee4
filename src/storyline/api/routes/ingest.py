"""`/api/ingest` (token required): upload files or submit URLs/feeds; `/api/jobs/{id}` for status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from storyline.api.errors import ApiError
from storyline.api.ingest_jobs import job_view
from storyline.api.routes.deps import store_of
from storyline.api.security import require_token

router = APIRouter(prefix="/api", tags=["ingest"])


class UrlIngest(BaseModel):
    urls: list[Annotated[str, Field(max_length=2048)]] = Field(default_factory=list, max_length=1000)
    feeds: list[Annotated[str, Field(max_length=2048)]] = Field(default_factory=list, max_length=1000)


async def read_uploads(request: Request, files: list[UploadFile]) -> list[tuple[str | None, bytes]]:
    """Read uploaded files, enforcing the per-file and file-count caps."""
    settings = request.app.state.settings
    if len(files) > settings.max_files:
        raise ApiError(413, f"too many files ({len(files)} > {settings.max_files})")
    out = []
    for f in files:
        data = await f.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            raise ApiError(413, f"file {f.filename!r} exceeds {settings.max_upload_bytes} bytes")
        out.append((f.filename, data))
    return out


def accepted(job_id: str) -> JSONResponse:
    return JSONResponse({"job": job_id, "status": "queued", "status_url": f"/api/jobs/{job_id}"},
                        status_code=202, headers={"Location": f"/api/jobs/{job_id}"})


@router.post("/ingest/files", status_code=202, dependencies=[Depends(require_token)])
async def ingest_files(request: Request, files: list[UploadFile]) -> JSONResponse:
    """Upload article files (HTML, text, JSON lines, feeds, WARC); ingested in the background."""
    payload = await read_uploads(request, files)
    return accepted(request.app.state.jobs.submit_files(payload))


@router.post("/ingest/urls", status_code=202, dependencies=[Depends(require_token)])
def ingest_urls(request: Request, body: UrlIngest) -> JSONResponse:
    """Fetch article URLs and feeds in the background (private/loopback addresses refused by default)."""
    return accepted(request.app.state.jobs.submit_urls(body.urls + body.feeds))


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9]+$")]) -> dict[str, Any]:
    """Status of an ingest job: queued | running | done (with the ingest report) | failed (with error)."""
    return job_view(store_of(request).jobs.get(job_id), job_id)
