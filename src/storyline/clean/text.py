"""Plain-text page dumps (scraped page text with site furniture) -> title + article body.

INTERFACE (stable): `clean_text(raw, url=None) -> CleanedText`.
Baseline implementation; the line-model cleaner replaces the body of `clean_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CleanedText:
    title: str
    text: str  # body paragraphs joined by blank lines
    paragraphs: list[str] = field(default_factory=list)
    source: str | None = None  # outlet name found in the furniture, if any
    dateline: str | None = None  # a date-bearing line/phrase (caption, byline) useful for dating
    removed: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)


def clean_text(raw: str, url: str | None = None) -> CleanedText:
    """Baseline: first non-empty line is the title, the rest is the body."""
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    if not lines:
        return CleanedText(title="", text="")
    title, body = lines[0], lines[1:]
    return CleanedText(title=title, text="\n\n".join(body), paragraphs=body)
