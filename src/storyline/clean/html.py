"""HTML pages -> main text + metadata (trafilatura, htmldate).

INTERFACE (stable): `extract_html(html, url=None) -> ExtractedPage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


def extract_html(html: str | bytes, url: str | None = None) -> ExtractedPage:
    """Main text and metadata of an HTML page (baseline: trafilatura defaults)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, as_dict=False)
    if doc is None:
        return ExtractedPage(title="", text="")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return ExtractedPage(
        title=doc.title or "",
        text=doc.text or "",
        published=doc.date,
        authors=authors,
        sitename=doc.sitename,
        lang=doc.language,
        canonical_url=doc.url,
        description=doc.description,
    )
