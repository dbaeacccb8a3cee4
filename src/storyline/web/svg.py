"""Server-rendered SVG charts: sparklines, the story timeline, similarity bars, the places map.

Every text that reaches the SVG is escaped here; colours use presentation attributes (no inline
style), so the pages work under a strict content security policy and without JavaScript.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

PALETTE = {
    "en": "#1f77b4", "de": "#d62728", "fr": "#2ca02c", "es": "#ff7f0e", "it": "#9467bd",
    "ru": "#8c564b", "zh": "#e377c2", "ar": "#17becf", "pl": "#bcbd22", "tr": "#7f7f7f",
    "pt": "#aec7e8", "nl": "#ffbb78", "ja": "#98df8a", "uk": "#c5b0d5", "ko": "#c49c94",
}
_EXTRA = ["#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354"]


def lang_colour(lang: str | None) -> str:
    """A stable colour per language code."""
    if not lang or lang == "?":
        return "#999999"
    if lang in PALETTE:
        return PALETTE[lang]
    h = int(hashlib.md5(lang.encode()).hexdigest(), 16)
    return _EXTRA[h % len(_EXTRA)]


def _d(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def sparkline(series: Sequence[tuple[str, int]], width: int = 140, height: int = 28, bins: int = 28) -> Markup:
    """Coverage over time: articles per period as a filled line, oldest left."""
    pts = [(d, n) for d, n in ((_d(s), n) for s, n in series) if d is not None]
    label = f"coverage over time: {sum(n for _, n in pts)} dated articles"
    head = (f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">')
    if not pts:
        return Markup(head + f'<line x1="0" y1="{height - 1}" x2="{width}" y2="{height - 1}" '
                      'stroke="#ccc"/></svg>')
    first = min(d for d, _ in pts)
    last = max(d for d, _ in pts)
    span = max((last - first).days, 1)
    counts = [0] * bins
    for d, n in pts:
        counts[min(bins - 1, int((d - first).days / span * bins))] += n
    top = max(counts) or 1
    step = width / (bins - 1)
    coords = [(i * step, height - 2 - (c / top) * (height - 4)) for i, c in enumerate(counts)]
    line = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)
    area = f"0,{height} {line} {width},{height}"
    return Markup(
        head + f"<title>{escape(label)} ({first} to {last})</title>"
        f'<polygon points="{area}" fill="#cfe0f3"/>'
        f'<polyline points="{line}" fill="none" stroke="#1f5f9f" stroke-width="1.5"/></svg>'
    )


def _ticks(first: date, last: date, n: int = 6) -> list[date]:
    span = (last - first).days
    if span <= 0:
        return [first]
    if span > 3 * 365:
        years = range(first.year + 1, last.year + 1)
        stride = max(1, math.ceil(len(years) / n))
        return [date(y, 1, 1) for y in list(years)[::stride]]
    if span > 90:
        out, y, m = [], first.year, first.month
        while True:
            m += 1
            if m > 12:
                y, m = y + 1, 1
            d = date(y, m, 1)
            if d > last:
                break
            out.append(d)
        stride = max(1, math.ceil(len(out) / n))
        return out[::stride]
    stride = max(1, math.ceil(span / n))
    return [first + timedelta(days=i) for i in range(0, span + 1, stride)]


def timeline(events: Sequence[dict[str, Any]], width: int = 960) -> Markup:
    """Events on a time axis, one lane per language, radius by coverage; each links to its details."""
    dated = [e for e in events if _d(e.get("date"))]
    if not dated:
        return Markup('<p class="muted">No dated events yet.</p>')
    langs = sorted({e.get("lang") or "?" for e in dated}, key=lambda x: (x == "?", x))
    lane_h, left, right, top = 46, 54, 44, 16
    height = top + lane_h * len(langs) + 34
    first = min(_d(e["date"]) for e in dated)  # type: ignore[type-var]
    last = max(_d(e["date"]) for e in dated)  # type: ignore[type-var]
    span = max((last - first).days, 1)
    max_size = max(int(e.get("size") or 1) for e in dated)

    def x_of(d: date) -> float:
        if first == last:
            return left + (width - left - right) / 2
        return left + (d - first).days / span * (width - left - right)

    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="story timeline" xmlns="http://www.w3.org/2000/svg">']
    axis_y = top + lane_h * len(langs) + 6
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#888"/>')
    for t in _ticks(first, last):
        x = _num(x_of(t))
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{axis_y + 4}" stroke="#e3e3e3"/>'
                     f'<text x="{x}" y="{axis_y + 18}" font-size="11" text-anchor="middle" '
                     f'fill="#555">{escape(t.isoformat() if span <= 90 else t.strftime("%b %Y"))}</text>')
    for i, lang in enumerate(langs):
        y = top + lane_h * i + lane_h / 2
        parts.append(f'<text x="6" y="{_num(y + 4)}" font-size="12" fill="{lang_colour(lang)}" '
                     f'font-weight="bold">{escape(lang)}</text>'
                     f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}" stroke="#f0f0f0"/>')
    lane = {lang: i for i, lang in enumerate(langs)}
    for e in sorted(dated, key=lambda e: -int(e.get("size") or 1)):
        d = _d(e["date"])
        assert d is not None
        size = int(e.get("size") or 1)
        r = 4 + 14 * math.sqrt(size / max_size)
        y = top + lane_h * lane[e.get("lang") or "?"] + lane_h / 2
        eid = escape(str(e["id"]))
        tip = f"{e['date']} · {size} article{'s' if size != 1 else ''} · {e.get('title') or ''}"
        parts.append(
            f'<a href="#ev-{eid}" class="ev" data-event="{eid}">'
            f'<circle cx="{_num(x_of(d))}" cy="{_num(y)}" r="{_num(r)}" fill="{lang_colour(e.get("lang"))}" '
            f'fill-opacity="0.75" stroke="#fff" stroke-width="1"><title>{escape(tip[:300])}</title></circle></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(scores: dict[str, float], scale: Sequence[float] = (0.0, 1.0), width: int = 520,
         invert: bool = False) -> Markup:
    """Horizontal bars, one per similarity dimension, with the value printed. A longer bar always
    means more similar: with `invert` (SemEval's 1 = very similar) the low end fills the bar."""
    if not scores:
        return Markup('<p class="muted">No scores.</p>')
    lo, hi = float(scale[0]), float(scale[1])
    row, label_w, bar_w = 26, 110, width - 170
    height = row * len(scores) + 8
    parts = [f'<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" role="img" '
             f'aria-label="similarity scores" xmlns="http://www.w3.org/2000/svg">']
    for i, (name, value) in enumerate(scores.items()):
        frac = 0.0 if hi == lo else min(1.0, max(0.0, (value - lo) / (hi - lo)))
        if invert:
            frac = 1.0 - frac
        y = 4 + i * row
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" fill="#333">{escape(name)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="#eee"/>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{_num(frac * bar_w)}" height="16" '
            f'fill="#3b78b5"/><text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="13" '
            f'fill="#333">{escape(f"{value:.2f}")}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


MAP_W, MAP_H = 720, 360


def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular projection onto the MAP_W x MAP_H canvas."""
    return (lon + 180.0) / 360.0 * MAP_W, (90.0 - lat) / 180.0 * MAP_H


def places_map(places: Sequence[dict[str, Any]], background: str = "/map/world.svg") -> Markup:
    """Points at lat/lon over a coarse world outline (served separately, cached by the browser)."""
    located = [p for p in places if isinstance(p.get("lat"), int | float) and isinstance(p.get("lon"), int | float)
               and -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180]
    parts = [f'<svg class="map" viewBox="0 0 {MAP_W} {MAP_H}" width="100%" role="img" '
             f'aria-label="map of places" xmlns="http://www.w3.org/2000/svg">'
             f'<rect width="{MAP_W}" height="{MAP_H}" fill="#f4f8fb"/>'
             f'<image href="{escape(background)}" x="0" y="0" width="{MAP_W}" height="{MAP_H}"/>']
    top = max((int(p.get("articles") or 1) for p in located), default=1)
    for p in sorted(located, key=lambda p: -int(p.get("articles") or 1)):
        x, y = project(float(p["lat"]), float(p["lon"]))
        n = int(p.get("articles") or 1)
        r = 2.5 + 7 * math.sqrt(n / top)
        tip = f"{p.get('name') or p.get('key')}: {n} article{'s' if n != 1 else ''}"
        parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="#d6452b" fill-opacity="0.7" '
                     f'stroke="#7a1d0e" stroke-width="0.6"><title>{escape(tip[:200])}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
