"""Asynchronous ingest for the HTTP API: uploads and URL/feed lists become jobs (`store.jobs`) run one
at a time by a background worker thread; the job row carries status and the IngestReport."""

from __future__ import annotations

import inspect
import logging
import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storyline.api.errors import ApiError
from storyline.api.settings import Settings
from storyline.api.views.common import optional

log = logging.getLogger(__name__)

INGEST_TARGET = "storyline.ingest.pipeline:ingest"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str | None, index: int) -> str:
    """A harmless local file name that keeps the extension (format detection relies on it)."""
    base = Path((name or "").replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip("._") or "upload"
    return f"{index:03d}_{base[-100:]}"


def check_url(url: str) -> str:
    """Only absolute http(s) URLs are accepted; the fetcher itself refuses private addresses."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or len(url) > 2048:
        raise ApiError(400, f"not an http(s) URL: {url[:200]!r}")
    return url


class IngestJobs:
    """Queue of ingest jobs over one store, executed sequentially in a worker thread."""

    def __init__(self, store: Any, settings: Settings, upload_dir: Path) -> None:
        self.store = store
        self.settings = settings
        self.upload_dir = upload_dir
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-ingest")

    @staticmethod
    def ingest_function() -> Any:
        fn = optional(INGEST_TARGET)
        if fn is None:
            raise ApiError(503, "the ingest stage (storyline.ingest.pipeline) is not available yet")
        return fn

    def submit_files(self, files: Sequence[tuple[str | None, bytes]]) -> str:
        fn = self.ingest_function()
        if not files:
            raise ApiError(400, "no files were uploaded")
        job_id = self.store.jobs.create("ingest", {"files": [f[0] for f in files][:100], "urls": []})
        folder = self.upload_dir / job_id
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for i, (name, content) in enumerate(files):
            path = folder / safe_filename(name, i)
            path.write_bytes(content)
            paths.append(str(path))
        self._pool.submit(self._run, fn, job_id, paths, folder)
        return job_id

    def submit_urls(self, urls: Sequence[str]) -> str:
        fn = self.ingest_function()
        clean = [check_url(u) for u in urls if u and u.strip()]
        if not clean:
            raise ApiError(400, "no URLs were given")
        if len(clean) > self.settings.max_urls:
            raise ApiError(413, f"too many URLs ({len(clean)} > {self.settings.max_urls})")
        job_id = self.store.jobs.create("ingest", {"files": [], "urls": clean})
        self._pool.submit(self._run, fn, job_id, clean, None)
        return job_id

    def _kwargs(self, fn: Any) -> dict[str, Any]:
        """Pass the URL policy (private/loopback targets) the way the ingest function accepts it."""
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            return {}
        allow = self.settings.allow_private_urls
        if "options" in params:
            from storyline.ingest.records import ReadOptions

            return {"options": ReadOptions(allow_private=allow)}
        return {k: allow for k in ("allow_private", "allow_private_urls") if k in params}

    def _run(self, fn: Any, job_id: str, inputs: list[str], folder: Path | None) -> None:
        self.store.jobs.update(job_id, "running")
        try:
            report = fn(inputs, self.store, **self._kwargs(fn))
            result = report.to_dict() if hasattr(report, "to_dict") else report
            self.store.jobs.update(job_id, "done", result=result)
        except Exception as exc:  # the job records the failure; the server keeps running
            log.exception("ingest job %s failed", job_id)
            self.store.jobs.update(job_id, "failed", error=f"{type(exc).__name__}: {exc}"[:2000])
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def job_view(row: dict[str, Any] | None, job_id: str) -> dict[str, Any]:
    if row is None:
        raise ApiError(404, f"no job with id {job_id!r}")
    return {k: row.get(k) for k in ("id", "kind", "status", "params", "result", "error", "created", "updated")}
