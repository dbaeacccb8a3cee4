"""Dates mentioned in sentences, resolved relative to the publication date (regex finds, dateparser resolves).

    mentions = find_dates("On Tuesday the talks failed.", lang="en", ref=date(2011, 3, 10))
    # -> [DateRef(text="Tuesday", date=date(2011, 3, 8), granularity="day")]

Candidates are found with per-language regular expressions (month names, numeric dates, weekdays and
words such as "yesterday"/"ayer"/"hier"/"ieri"), then resolved by `dateparser` in the given language with
the publication date as the relative base, preferring the past (news reports what happened). Resolutions
are cached, so the same phrase relative to the same day is parsed once.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

MONTHS: dict[str, list[str]] = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept",
           "sep", "oct", "nov", "dec"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "setiembre", "octubre", "noviembre", "diciembre"],
    "fr": ["janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
           "septembre", "octobre", "novembre", "décembre", "decembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"],
    "de": ["januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "dezember"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
           "outubro", "novembro", "dezembro"],
}
WEEKDAYS: dict[str, list[str]] = {
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "es": ["lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "it": ["lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "giovedì", "giovedi",
           "venerdì", "venerdi", "sabato", "domenica"],
    "de": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado",
           "domingo"],
}
RELATIVE: dict[str, list[str]] = {
    "en": ["yesterday", "today", "tomorrow", "last night", "this morning", "tonight"],
    "es": ["ayer", "hoy", "anteayer", "mañana", "anoche"],
    "fr": ["hier", "aujourd'hui", "avant-hier", "demain"],
    "it": ["ieri", "oggi", "domani", "l'altro ieri", "ieri sera"],
    "de": ["gestern", "heute", "vorgestern", "morgen"],
    "pt": ["ontem", "hoje", "amanhã", "anteontem"],
}
# weekday name -> Monday=0 .. Sunday=6 (resolved directly: a bare weekday is the latest such day on or
# before publication, "last X" the one strictly before, "next X" the one after)
_WEEKDAY_NAMES = (
    ("monday", "lunes", "lundi", "lunedì", "lunedi", "montag", "segunda-feira"),
    ("tuesday", "martes", "mardi", "martedì", "martedi", "dienstag", "terça-feira"),
    ("wednesday", "miércoles", "miercoles", "mercredi", "mercoledì", "mercoledi", "mittwoch", "quarta-feira"),
    ("thursday", "jueves", "jeudi", "giovedì", "giovedi", "donnerstag", "quinta-feira"),
    ("friday", "viernes", "vendredi", "venerdì", "venerdi", "freitag", "sexta-feira"),
    ("saturday", "sábado", "sabado", "samedi", "sabato", "samstag"),
    ("sunday", "domingo", "dimanche", "domenica", "sonntag"),
)
_WEEKDAY_INDEX = {name: i for i, names in enumerate(_WEEKDAY_NAMES) for name in names}

# Pure relative words map to a day offset directly (dateparser is slower and handles them the same way).
_OFFSETS = {
    "yesterday": -1, "today": 0, "tonight": 0, "this morning": 0, "last night": -1, "tomorrow": 1,
    "ayer": -1, "hoy": 0, "anteayer": -2, "anoche": -1, "hier": -1, "aujourd'hui": 0, "avant-hier": -2,
    "demain": 1, "ieri": -1, "oggi": 0, "domani": 1, "l'altro ieri": -2, "ieri sera": -1, "gestern": -1,
    "heute": 0, "vorgestern": -2, "ontem": -1, "hoje": 0, "anteontem": -2,
}
# "mañana", "morgen", "amanhã" also mean "morning": too ambiguous to resolve without parsing.
_AMBIGUOUS = {"mañana", "morgen", "amanhã"}


@dataclass(frozen=True)
class DateRef:
    """A date phrase found in text and the date it resolves to."""

    text: str
    date: date
    granularity: str  # day | month | year
    start: int
    end: int


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=16)
def _pattern(lang: str) -> re.Pattern[str]:
    """One regex for the date phrases of `lang` (English patterns are always included)."""
    langs = [lang] if lang == "en" else [lang, "en"]
    months = _alt([m for lg in langs for m in MONTHS.get(lg, [])])
    days = _alt([d for lg in langs for d in WEEKDAYS.get(lg, [])])
    rel = _alt([r for lg in langs for r in RELATIVE.get(lg, []) if r not in _AMBIGUOUS])
    d = r"(?:[0-3]?\d)(?:st|nd|rd|th|er|º|°)?"
    y = r"(?:1[89]\d\d|20\d\d)"
    parts = [
        # 20 March 2011 / 20 de marzo de 2011 / 20 mars / March 20, 2011 / March 2011 / March 20
        rf"\b{d}\.?\s+(?:de\s+)?(?:{months})\.?(?:\s+(?:de(?:l)?\s+)?{y})?\b",
        rf"\b(?:{months})\.?\s+{d}(?:\s*,?\s*{y})?\b",
        rf"\b(?:{months})\.?\s+(?:de(?:l)?\s+)?{y}\b",
        # 2011-03-20, 20/03/2011, 20.03.2011
        rf"\b{y}-[01]\d-[0-3]\d\b",
        rf"\b[0-3]?\d[/.][01]?\d[/.]{y}\b",
        # (last|next)? Tuesday, martes, mardi ...
        rf"\b(?:last\s+|next\s+|this\s+|on\s+)?(?:{days})\b",
        rf"(?<![\w'])(?:{rel})\b",
    ]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


_HAS_DAY = re.compile(r"\d")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _granularity(text: str, lang: str) -> str:
    """day when a day number, weekday or relative word is present; month for 'March 2011'."""
    low = text.lower()
    stripped = _YEAR.sub("", low)
    if _HAS_DAY.search(stripped):
        return "day"
    if _YEAR.search(low) and any(m in low for m in MONTHS.get(lang, []) + MONTHS["en"]):
        return "month"
    return "day"


@lru_cache(maxsize=200_000)
def _resolve(phrase: str, lang: str, ref: date) -> date | None:
    low = phrase.lower().strip()
    if low in _OFFSETS:
        return ref + timedelta(days=_OFFSETS[low])
    low = re.sub(r"^(on|this)\s+", "", low)
    words = low.split()
    if words and words[-1] in _WEEKDAY_INDEX and len(words) <= 2:
        back = (ref.weekday() - _WEEKDAY_INDEX[words[-1]]) % 7
        if words[0] == "last" and back == 0:
            back = 7
        if words[0] == "next":
            return ref + timedelta(days=(7 - back) % 7 or 7)
        return ref - timedelta(days=back)
    import dateparser

    settings = {
        "RELATIVE_BASE": datetime(ref.year, ref.month, ref.day, 12),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "MDY" if lang == "en" and "/" in low else "DMY",
    }
    langs = [lang, "en"] if lang != "en" else ["en"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            dt = dateparser.parse(low, languages=langs, settings=settings)  # type: ignore[arg-type]
        except Exception:  # dateparser raises assorted errors on odd input
            return None
    if dt is None:
        return None
    return dt.date()


def find_dates(text: str, lang: str | None = "en", ref: date | datetime | None = None,
               max_chars: int = 2000) -> list[DateRef]:
    """Date phrases in `text` resolved relative to `ref` (the publication date; today if None)."""
    lang = (lang or "en").lower()[:2]
    if isinstance(ref, datetime):
        ref = ref.date()
    ref = ref or date.today()
    out: list[DateRef] = []
    for m in _pattern(lang).finditer(text[:max_chars]):
        phrase = m.group(0).strip()
        if not phrase or phrase.isdigit():
            continue
        low = phrase.lower()
        # a lone month name (e.g. "may", "march") is too often a verb or a vague reference
        if low in MONTHS.get(lang, []) or low in MONTHS["en"]:
            continue
        when = _resolve(phrase, lang, ref)
        if when is None or abs((when - ref).days) > 365 * 30:
            continue
        out.append(DateRef(text=phrase, date=when, granularity=_granularity(phrase, lang),
                           start=m.start(), end=m.end()))
    return out
