"""HTML pages -> main text + metadata (trafilatura, htmldate).

INTERFACE (stable): `extract_html(html, url=None) -> ExtractedPage`.
Settings were chosen on the train half of the Zyte article-extraction benchmark (see bench/extraction.py
and docs/benchmarks.md); the function never raises on broken input and caps its size.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

MAX_HTML_BYTES = 8_000_000
# trafilatura options (measured, not guessed: see docs/benchmarks.md, section extraction)
SETTINGS: dict[str, object] = {
    "include_comments": False,
    "include_tables": True,
    "favor_precision": True,
    "favor_recall": False,
    "deduplicate": False,
}


@dataclass
class ExtractedPage:
    title: str
    text: str
    published: str | None = None  # raw date string from metadata
    authors: list[str] = field(default_factory=list)
    sitename: str | None = None
    lang: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    error: str | None = None  # why nothing could be extracted, if so


def _cap(html: str | bytes) -> str | bytes:
    if isinstance(html, bytes):
        return html[:MAX_HTML_BYTES]
    return html[:MAX_HTML_BYTES]


def _date(html: str | bytes, url: str | None, fallback: str | None) -> str | None:
    """Original publication date by htmldate (metadata, URL, then page text), else trafilatura's."""
    try:
        from htmldate import find_date

        found = find_date(html, url=url, original_date=True, extensive_search=True)
        return found or fallback
    except Exception as exc:  # htmldate raises on some malformed trees; the date is optional
        log.debug("htmldate failed on %s: %s", url, exc)
        return fallback


def extract_html(html: str | bytes, url: str | None = None, **options: object) -> ExtractedPage:
    """Main text and metadata of an HTML page; empty text (with `error`) when nothing can be extracted."""
    import trafilatura

    if not html:
        return ExtractedPage(title="", text="", error="empty input")
    html = _cap(html)
    opts = {**SETTINGS, **options}
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, as_dict=False, **opts)
    except Exception as exc:  # hostile/broken markup must not abort a batch
        return ExtractedPage(title="", text="", error=f"{type(exc).__name__}: {exc}"[:300])
    if doc is None:
        return ExtractedPage(title="", text="", error="no main text found")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return ExtractedPage(
        title=doc.title or "",
        text=doc.text or "",
        published=_date(html, url, doc.date),
        authors=authors,
        sitename=doc.sitename,
        lang=doc.language,
        canonical_url=doc.url,
        description=doc.description,
    )
