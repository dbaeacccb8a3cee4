"""Plain-text page dumps (scraped page text with site furniture) -> title + article body.

INTERFACE (stable): `clean_text(raw, url=None) -> CleanedText`.
Each line is scored by the trained line model (`storyline.clean.linemodel`); body lines are kept, exact
repeats and lines in another language/script than the body are dropped, the title is found among the
headline-like lines, and the outlet name and a date-bearing phrase are read from the furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from storyline.clean.lang import script_of
from storyline.clean.linemodel import LineModel, load_model, main_block
from storyline.clean.lines import (
    _CREDIT,
    _DATE,
    _TEASER,
    _WIDGET,
    FEATURES,
    HASHTAGS_ONLY,
    TEASER_PREFIX,
    Line,
    find_date_phrase,
    line_features,
    norm_key,
    split_lines,
)
from storyline.clean.outlet import find_outlet

MAX_INPUT_CHARS = 2_000_000
DROP_REPEATED = True  # a longer line shown twice on the page is a teaser/caption, not body
HYSTERESIS = 0.5  # share of the keep threshold that suffices for a sentence line next to kept body


@dataclass
class CleanedText:
    title: str
    text: str  # body paragraphs joined by blank lines
    paragraphs: list[str] = field(default_factory=list)
    source: str | None = None  # outlet name found in the furniture, if any
    dateline: str | None = None  # a date-bearing line/phrase (caption, byline) useful for dating
    removed: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)
    lang: str | None = None  # main language of the body (ISO 639-1)
    scores: list[float] = field(default_factory=list)  # body probability per non-empty input line


def _reason(text: str) -> str:
    if _TEASER.search(text):
        return "teaser"
    if _CREDIT.search(text):
        return "credit"
    if _WIDGET.search(text):
        return "widget"
    if text.lstrip().startswith("#"):
        return "hashtags"
    return "furniture"


def _strip_site(title: str) -> str:
    """Headline without a trailing " | Site" / " - Site" part."""
    for sep in (" | ", " – ", " — ", " - ", " :: "):
        if sep in title:
            head = title.rsplit(sep, 1)[0].strip()
            if len(head.split()) >= 3:
                return head
    return title.strip()


def _ends_with_date(text: str) -> bool:
    """A line that ends in a full date ("…, Tuesday, December 12, 2017", "… 3 апреля 2023 года") or is
    mostly a date/time stamp is a photo caption or a timestamp, not a headline."""
    matches = list(_DATE.finditer(text))
    if not matches:
        return False
    tail = text[matches[-1].end():].strip(" .,)»\"'")
    return len(tail.split()) <= 2 and not re.search(r"\w{4,}", tail.replace("года", "").replace("год", ""))


_BYLINE = re.compile(r"^(by|par|von|por|di|от|автор)\s+\w+(\s+\w+){0,3}$", re.I)


def _headline_like(text: str) -> bool:
    n = len(text.split())
    return (3 <= n <= 30 and not text.endswith((".", ":", ",", ";")) and not _WIDGET.search(text[:40])
            and not TEASER_PREFIX.search(text[:40]) and not _BYLINE.match(text.strip())
            and not _ends_with_date(_strip_site(text)))


def find_title(lines: list[Line], keep: np.ndarray, facts: dict | None = None) -> int | None:
    """Index of the title line: a repeated headline, else the headline-like line before the body
    (in the body's script and language)."""
    if not lines:
        return None
    facts = facts or {}
    per = facts.get("line_lang") or [None] * len(lines)

    def same_language(i: int) -> bool:
        sc, pl = script_of(lines[i].text), per[i]
        if sc and facts.get("script") and sc != facts["script"]:
            return False
        return not (pl and facts.get("lang") and pl[0] != facts["lang"] and pl[1] > 0.98)

    first_body = int(np.argmax(keep)) if keep.any() else len(lines)
    head = lines[: max(first_body, 1) + 1]
    keys = [norm_key(_strip_site(ln.text)) for ln in head]
    # a headline shown twice (page <title> + h1, or a repeated header) is the strongest signal
    # (but a line repeated inside a photo-credit line is a caption shown twice, not a headline)
    repeated = [i for i in range(len(head)) if not keep[i] and _headline_like(head[i].text) and keys[i]
                and any(j != i and keys[i] in keys[j] for j in range(len(head)))
                and not any(keys[i] in keys[j] and _CREDIT.search(head[j].text) for j in range(len(head)))]
    if repeated:
        first = norm_key(lines[0].text)
        return max(repeated, key=lambda i: (i > 0 and keys[i] in first, len(keys[i]), -i))
    def candidate(i: int) -> bool:
        return _headline_like(lines[i].text) and not _CREDIT.search(lines[i].text) and same_language(i)

    for i in range(min(first_body, len(lines)) - 1, -1, -1):
        if candidate(i):
            return i
    if _headline_like(lines[0].text) or len(lines) == 1:
        return 0
    # The line model kept the header as body (e.g. scripts without capitals): the title is then the last
    # headline-like line before the first real paragraph.
    first_long = next((i for i, ln in enumerate(lines) if keep[i] and len(ln.text) >= 80), len(lines))
    return next((i for i in range(min(first_long, 12) - 1, -1, -1) if candidate(i)), None)


def find_source(lines: list[Line], url: str | None = None) -> str | None:
    """Outlet name from the masthead, caption suffixes and footer lines, else from the URL's domain
    (see `storyline.clean.outlet`)."""
    return find_outlet(lines, url)


def _next_to_body(i: int, keep: np.ndarray, lw: np.ndarray, teaser: np.ndarray) -> bool:
    """Line i touches kept body, possibly across one inline interruption (a teaser or a short line)."""
    n = len(keep)
    for step in (-1, 1):
        j = i + step
        if 0 <= j < n and keep[j]:
            return True
        k = j + step
        if 0 <= j < n and 0 <= k < n and keep[k] and (teaser[j] > 0 or lw[j] < np.log1p(8)):
            return True
    return False


def select_body(lines: list[Line], feats: np.ndarray, facts: dict, p: np.ndarray, threshold: float,
                source: str | None = None, hysteresis: float = HYSTERESIS) -> tuple[np.ndarray, dict[int, str]]:
    """Kept-line mask and removal reasons: body probabilities, then duplicate, teaser, outlet-suffix
    (captions) and other-language filters."""
    keep = p >= threshold
    if not keep.any() and len(p):  # short article: keep the best-scoring block rather than nothing
        lo, hi = main_block(p / max(float(p.max()), 1e-6), feats[:, FEATURES.index("log_words")])
        keep[lo:hi] = p[lo:hi] >= 0.5 * float(p.max())
    # hysteresis: a full sentence-like line next to kept body needs less evidence (body lines cluster)
    lw, se = feats[:, FEATURES.index("log_words")], feats[:, FEATURES.index("sentence_end")]
    tp = feats[:, FEATURES.index("teaser_prefix")]
    grown = True
    while grown:
        grown = False
        for i in np.flatnonzero(~keep & (p >= hysteresis * threshold) & (se > 0) & (lw >= np.log1p(10))):
            if _next_to_body(i, keep, lw, tp):
                keep[i] = grown = True
    suffixes = tuple(f"{sep}{source}" for sep in (" - ", " | ", " – ", " — ")) if source else ()
    reasons: dict[int, str] = {}
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for ln in lines:
        k = norm_key(ln.text)
        counts[k] = counts.get(k, 0) + 1
    script, lang = facts.get("script"), facts.get("lang")
    per = facts.get("line_lang") or [None] * len(lines)
    for i, ln in enumerate(lines):
        if not keep[i]:
            reasons[i] = _reason(ln.text)
            continue
        key = norm_key(ln.text)
        sc = script_of(ln.text)
        if (key in seen and len(key) > 0) or (DROP_REPEATED and counts[key] > 1 and len(key.split()) >= 5):
            keep[i], reasons[i] = False, "duplicate"
        elif TEASER_PREFIX.match(ln.text):
            keep[i], reasons[i] = False, "teaser"
        elif HASHTAGS_ONLY.match(ln.text):  # a tag list is never body text
            keep[i], reasons[i] = False, "hashtags"
        elif suffixes and ln.text.endswith(suffixes):
            keep[i], reasons[i] = False, "credit"
        elif sc and script and sc != script or per[i] and lang and per[i][0] != lang and per[i][1] > 0.98 and len(key.split()) >= 4 \
                and not (i > 0 and keep[i - 1] and i + 1 < len(lines) and p[i + 1] >= threshold):
            keep[i], reasons[i] = False, "other-language"
        seen.add(key)
    return keep, reasons


def clean_text(raw: str, url: str | None = None, model: LineModel | None = None) -> CleanedText:
    """Title, body paragraphs, outlet and a date phrase of a scraped page's plain text."""
    lines = split_lines((raw or "")[:MAX_INPUT_CHARS])
    if not lines:
        return CleanedText(title="", text="")
    model = model or load_model()
    feats, facts = line_features(lines)
    p = model.predict(feats)
    source = find_source(lines, url)
    keep, reasons = select_body(lines, feats, facts, p, model.threshold, source, model.hysteresis)
    t = find_title(lines, keep, facts)
    title = _strip_site(lines[t].text) if t is not None else ""
    if t is not None:
        keep[t], reasons[t] = False, "title"
        tkey = norm_key(title)
        for i, ln in enumerate(lines):  # repeated title lines (possibly with extra text) go too
            if keep[i] and tkey and norm_key(ln.text).startswith(tkey) and len(ln.text) < 2 * len(title) + 40:
                keep[i], reasons[i] = False, "title"
    body = [ln.text for i, ln in enumerate(lines) if keep[i]]
    removed = [(ln.text, reasons.get(i, "furniture")) for i, ln in enumerate(lines) if not keep[i]]
    dateline = None
    candidates = [ln.text for i, ln in enumerate(lines) if not keep[i] and reasons.get(i) != "title"]
    candidates += body[:2]
    for text in candidates:
        if find_date_phrase(text):
            dateline = text[:300]
            break
    return CleanedText(
        title=title,
        text="\n\n".join(body),
        paragraphs=body,
        source=source,
        dateline=dateline,
        removed=removed,
        lang=facts.get("lang"),
        scores=[round(float(x), 4) for x in p],
    )
