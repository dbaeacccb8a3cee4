"""Small helpers shared by the read models: safe links, article cards, the document-vector model name."""

from __future__ import annotations

import importlib
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from storyline.models import Article

SNIPPET_CHARS = 240


def safe_href(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data:, relative tricks)."""
    if not url or not isinstance(url, str) or len(url) > 2048:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch in url for ch in "\x00\r\n\t<>\"'` "):
        return None
    return url


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def article_card(a: Article, snippet: str | None = None) -> dict[str, Any]:
    """What a list shows about one article."""
    text = a.text or ""
    return {
        "id": a.id,
        "title": a.title or (text[:80] + ("…" if len(text) > 80 else "")),
        "source": a.source,
        "lang": a.lang,
        "published": iso(a.published),
        "url": safe_href(a.url),
        "snippet": snippet if snippet is not None else text[:SNIPPET_CHARS],
    }


@lru_cache(maxsize=4)
def doc_model_name(encoder: str | None = None) -> str:
    """Name under which the default encoder's vectors are stored, without loading the model."""
    from storyline.embed import DEFAULT_ENCODER
    from storyline.registry import encoders

    name = encoder or DEFAULT_ENCODER
    if name.startswith("st:"):
        return name
    return str(getattr(encoders.get(name), "name", name))


def optional(target: str) -> Any | None:
    """`module:attr` from another stage, or None when that stage is not built yet."""
    module, attr = target.split(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        return None
