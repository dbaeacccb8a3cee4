"""Server settings: token, limits, URL-ingest policy. Built once by `storyline serve` or tests."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _env_bool(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Settings:
    """What the HTTP layer needs to know; everything has a safe default."""

    token: str = field(default_factory=lambda: os.environ.get("STORYLINE_TOKEN") or secrets.token_urlsafe(24))
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs CSRF tokens, sessions
    max_body_bytes: int = 64 * 1024 * 1024  # whole request
    max_upload_bytes: int = 20 * 1024 * 1024  # one uploaded file
    max_files: int = 50
    max_urls: int = 200
    allow_private_urls: bool = field(default_factory=lambda: _env_bool("STORYLINE_ALLOW_PRIVATE_URLS"))
    upload_dir: Path | None = None  # default: <data dir>/uploads
    page_max: int = 200  # largest page size
    related_k: int = 6
    story_articles_cap: int = 400  # articles read to build one story page
