"""Article text with entities, dates and quotes highlighted by character offsets.

Overlapping annotations are handled by cutting the text at every boundary and giving each piece the
classes of all annotations covering it, so the output is always well-formed. Every piece of text is
escaped; class names come from a fixed table, labels (tooltips) are escaped too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

KIND_CLASS = {"PER": "hl-per", "ORG": "hl-org", "LOC": "hl-loc", "GPE": "hl-loc", "DATE": "hl-date",
              "QUOTE": "hl-quote", "MISC": "hl-misc"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a key of KIND_CLASS
    label: str = ""


def spans_from_enrichment(enrichment: dict[str, Any] | None, text_len: int) -> list[Span]:
    """Valid spans from an enrichment dict (bad offsets are dropped, never trusted)."""
    if not enrichment:
        return []
    out: list[Span] = []

    def add(start: Any, end: Any, kind: str, label: str) -> None:
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= text_len:
            out.append(Span(start, end, kind if kind in KIND_CLASS else "MISC", label[:200]))

    for e in enrichment.get("entities") or []:
        label = e.get("label") or "MISC"
        if label == "DATE":
            continue
        add(e.get("start"), e.get("end"), label, f"{label}: {e.get('canonical') or e.get('text') or ''}")
    for d in enrichment.get("dates") or []:
        add(d.get("start"), d.get("end"), "DATE", f"date: {d.get('date') or ''}")
    for q in enrichment.get("quotes") or []:
        add(q.get("start"), q.get("end"), "QUOTE", f"quote: {q.get('speaker') or 'unknown speaker'}")
    return out


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """Escaped text with <mark> elements for the spans (line breaks kept by CSS `pre-wrap`)."""
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = escape(text[a:b])
        active = [s for s in spans if s.start <= a and b <= s.end]
        if not active:
            out.append(str(piece))
            continue
        classes = " ".join(sorted({KIND_CLASS[s.kind] for s in active}))
        title = " | ".join(dict.fromkeys(s.label for s in active))
        out.append(f'<mark class="{classes}" title="{escape(title)}">{piece}</mark>')
    return Markup('<div class="article-text">' + "".join(out) + "</div>")
