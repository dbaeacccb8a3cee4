"""Publication dates from metadata, the URL and the text, with provenance and confidence.

`find_publication_date(metadata=..., url=..., text=..., lang=...)` tries, in order:

1. metadata (a raw date string from HTML meta tags / htmldate, a feed entry, a JSON field): conf. 0.9;
2. the URL (`/2019/05/14/`, `/2019-05-14-`, `20190514`; `/2019/05/` gives the 1st with conf. 0.4);
3. the text: explicit dates ("Saturday, Nov. 11, 2017", "14 мая 2019", "2019년 5월 14일",
   "14.05.2019"; year-less "On December 13" takes its year from the explicit dates around it). The
   cleaner's `dateline` wins; otherwise the first date mentioned outside photo captions (captions date
   the photo); dates after today are never publication dates.

Multilingual parsing uses dateparser, ALWAYS with the article's language (auto-detection is ~50x
slower); one `DateDataParser` per language is cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from storyline.models import DateSource

EARLIEST = date(1800, 1, 1)
MAX_TEXT_SCAN = 50_000  # characters of text scanned for dates
DATELINE_CHARS = 400


@dataclass(frozen=True)
class PublicationDate:
    """A publication date with where it came from and how sure we are (0..1)."""

    value: datetime
    source: DateSource
    confidence: float
    raw: str = ""


# --------------------------------------------------------------------------- parsing


_DOTTED = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")


def date_order(lang: str, raw: str) -> str:
    """Order of a numeric date: dotted dates (02.06.2017) are day-first in every language that uses
    them; otherwise month-first for English, day-first elsewhere. (Without it, the English fallback
    parser reads German 02.06.2017 as February 6.)"""
    return "DMY" if _DOTTED.search(raw) or lang != "en" else "MDY"


@lru_cache(maxsize=64)
def _parser(lang: str, order: str = "MDY") -> Any:
    from dateparser.date import DateDataParser

    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False,
                "DATE_ORDER": order,
                "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}  # no "3 days ago" parsing
    langs = [lang] if lang == "en" else [lang, "en"]
    try:
        return DateDataParser(languages=langs, settings=settings)
    except ValueError:  # a language dateparser does not know
        return DateDataParser(languages=["en"], settings=settings)


def _today() -> date:
    return datetime.now(UTC).date()


def _plausible(d: date) -> bool:
    return EARLIEST <= d <= _today()


def parse_date(raw: str, lang: str | None = None) -> tuple[datetime, str] | None:
    """Parse one date string; returns (naive UTC datetime, granularity day|month|year) or None."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200 or raw.lower() in ("none", "null", "nan"):
        return None
    iso = _parse_iso(raw)
    if iso is not None:
        return iso, "day"
    try:
        code = (lang or "en").lower()[:2]
        data = _parser(code, date_order(code, raw)).get_date_data(raw)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None:
        return None
    value = data.date_obj
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    parts = getattr(data, "parts", None) or ()
    if parts and "year" not in parts:
        return None  # a year-less string is not a publication date on its own
    return value, data.period or "day"


def _parse_iso(raw: str) -> datetime | None:
    text = raw.replace("Z", "+00:00") if raw.endswith("Z") else raw
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            value = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


# --------------------------------------------------------------------------- URL

_URL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[-_.])"), "day"),
    (re.compile(r"[/_-]((?:19|20)\d{2})[-_](0[1-9]|1[0-2])[-_](0[1-9]|[12]\d|3[01])(?:/|$|[-_.])"), "day"),
    (re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$|[-_.])"), "day"),
    (re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/"), "month"),
]


def date_from_url(url: str | None) -> tuple[datetime, str] | None:
    """A date written in the URL path: (datetime, "day"|"month") or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I).split("?", 1)[0]
    for pattern, granularity in _URL_PATTERNS:
        m = pattern.search(path)
        if not m:
            continue
        y, mo = int(m.group(1)), int(m.group(2))
        d = int(m.group(3)) if granularity == "day" else 1
        try:
            value = datetime(y, mo, d)
        except ValueError:
            continue
        if _plausible(value.date()):
            return value, granularity
    return None


# --------------------------------------------------------------------------- text

_MONTHWORD = r"[^\W\d_]{3,}\.?"  # a month name in any alphabet (validated by dateparser)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_FULL_PATTERNS = [
    # Saturday, Nov. 11, 2017 | November 11 2017
    rf"{_MONTHWORD}\s+{_DAY}(?:st|nd|rd|th)?\s*,?\s+{_YEAR}",
    # 14 мая 2019 | 14. Mai 2019 | 14 de mayo de 2019 | Tuesday 14 May 2019
    rf"\b{_DAY}(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?{_MONTHWORD}\s+(?:de\s+)?{_YEAR}",
    # 2019년 5월 14일 | 2019年5月14日
    rf"{_YEAR}\s*(?:년|年)\s*(?:1[0-2]|0?[1-9])\s*(?:월|月)\s*{_DAY}\s*(?:일|日)",
    # 2019-05-14 | 14.05.2019 | 14/05/2019
    rf"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])",
    rf"{_DAY}[./](?:1[0-2]|0?[1-9])[./]{_YEAR}",
]
_FULL = re.compile("|".join(f"(?:{p})" for p in _FULL_PATTERNS), re.UNICODE)
# Year-less: "December 13", "13 December", "13 мая"
_PARTIALS = [
    re.compile(rf"{_MONTHWORD}\s+{_DAY}(?:st|nd|rd|th)?\b", re.UNICODE),
    re.compile(rf"\b{_DAY}\.?\s+(?:de\s+)?{_MONTHWORD}", re.UNICODE),
]


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@lru_cache(maxsize=64)
def month_words(lang: str) -> frozenset[str]:
    """Lower-case month names and abbreviations of `lang` (and English), from dateparser's locales."""
    from dateparser.languages.loader import default_loader

    words: set[str] = set()
    for code in {lang, "en"}:
        try:
            info = default_loader.get_locale(code).info
        except (ValueError, KeyError):
            continue
        for month in _MONTHS:
            words.update(w.lower().rstrip(".") for w in info.get(month, []) if isinstance(w, str))
    return frozenset(words)


def _has_month_word(raw: str, lang: str) -> bool:
    """True if a word of `raw` is a month name (cheap pre-filter before dateparser)."""
    words = month_words(lang)
    return any(w.lower() in words for w in _WORD.findall(raw)) or not _WORD.search(raw.replace("年", ""))


@dataclass(frozen=True)
class TextDate:
    """A date found in the text, with its character offset."""

    value: datetime
    start: int
    raw: str
    explicit_year: bool


@lru_cache(maxsize=4096)
def _parse_mention(raw: str, lang: str) -> datetime | None:
    if not _has_month_word(raw, lang):
        return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th|er)\b", r"\1", raw).replace(" ,", ",")
    cleaned = re.sub(r"\s+", " ", cleaned.replace(" de ", " "))
    try:
        data = _parser(lang, date_order(lang, cleaned)).get_date_data(cleaned)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None or (data.period or "day") != "day":
        return None
    return data.date_obj.replace(tzinfo=None)


def dates_in_text(text: str, lang: str | None = None) -> list[TextDate]:
    """Explicit dates in `text` (year-less ones resolved against the explicit years nearby)."""
    lang = (lang or "en").lower()[:2]
    text = (text or "")[:MAX_TEXT_SCAN]
    found: list[TextDate] = []
    taken: list[tuple[int, int]] = []
    for m in _FULL.finditer(text):
        value = _parse_mention(m.group(0), lang)
        if value is None:
            # "Saturday, Nov. 11, 2017": retry without a leading word the parser rejected
            tail = re.sub(r"^[^\W\d_]{3,}\.?,?\s+", "", m.group(0))
            value = _parse_mention(tail, lang) if tail != m.group(0) else None
        if value is not None and _plausible(value.date()):
            found.append(TextDate(value, m.start(), m.group(0), True))
            taken.append(m.span())
    years = [d.value for d in found]
    partial = sorted((m for rx in _PARTIALS for m in rx.finditer(text)), key=lambda m: m.start())
    for m in partial if years else []:
        if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
            continue
        value = _parse_mention(m.group(0), lang)
        if value is None:
            continue
        # the explicit date closest before this mention (else the first) gives the year
        before = [d for d in found if d.start < m.start()]
        anchor = (before[-1] if before else found[0]).value
        try:
            cand = value.replace(year=anchor.year)
        except ValueError:
            continue
        if before and cand.date() < anchor.date() and (anchor.month - cand.month) > 6:
            cand = cand.replace(year=anchor.year + 1)
        if _plausible(cand.date()):
            found.append(TextDate(cand, m.start(), m.group(0), False))
            taken.append(m.span())
    found.sort(key=lambda d: d.start)
    return found


_CAPTION = re.compile(r"©|\bphotos?\b|getty images|\(file\)|\bcredit:|\bimage:", re.IGNORECASE)


def _in_caption(text: str, pos: int) -> bool:
    """True if the line holding `pos` looks like a photo caption / credit (it dates the photo)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return bool(_CAPTION.search(text[start : end if end >= 0 else len(text)]))


def date_from_text(
    text: str, lang: str | None = None, dateline: str | None = None
) -> tuple[datetime, float, str] | None:
    """Best guess of the publication date from the text: (datetime, confidence, raw mention).

    The cleaner's dateline wins unless it is a photo caption; else the first date mentioned outside photo captions (news
    reports open with the day's events); else the latest date mentioned.
    """
    if dateline and not _CAPTION.search(dateline):
        head = dates_in_text(dateline, lang)
        if head:
            return head[0].value, 0.6, head[0].raw
    text = (text or "")[:MAX_TEXT_SCAN]
    if dateline:  # a caption: its dates only anchor the years of year-less mentions in the text
        text = dateline.replace("\n", " ")[:DATELINE_CHARS] + "\n" + text
    mentions = dates_in_text(text, lang)
    if not mentions:
        return None
    body = [d for d in mentions if not _in_caption(text, d.start)]
    if body:
        first = body[0]
        conf = 0.5 if first.start < DATELINE_CHARS and first.explicit_year else 0.35
        return first.value, conf, first.raw
    latest = max(mentions, key=lambda d: d.value)
    return latest.value, 0.3, latest.raw


# --------------------------------------------------------------------------- all together


def find_publication_date(
    metadata: str | None = None,
    url: str | None = None,
    text: str | None = None,
    lang: str | None = None,
    dateline: str | None = None,
) -> PublicationDate | None:
    """The publication date from metadata, else the URL, else the text (see module docstring)."""
    if metadata:
        parsed = parse_date(str(metadata), lang)
        if parsed is not None and _plausible(parsed[0].date()):
            value, granularity = parsed
            url_hit = date_from_url(url)
            conf = 0.9 if granularity == "day" else 0.5
            if url_hit and url_hit[0].date() == value.date():
                conf = 0.95
            return PublicationDate(value, "metadata", conf, str(metadata)[:100])
    url_hit = date_from_url(url)
    if url_hit is not None:
        value, granularity = url_hit
        return PublicationDate(value, "url", 0.8 if granularity == "day" else 0.4, url or "")
    if text or dateline:
        hit = date_from_text(text or "", lang, dateline)
        if hit is not None:
            return PublicationDate(hit[0], "text", hit[1], hit[2])
    return None
