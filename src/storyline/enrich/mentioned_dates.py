"""Dates mentioned in an article, resolved against its publication date.

Candidate spans come from regexes (month names, weekdays, numeric and Korean dates, years with a
preposition) and from model DATE entities; only those short spans go to dateparser, with the article
language passed explicitly and RELATIVE_BASE = publication date. Relative words ("yesterday",
"the day before", "накануне", "어제") are resolved from an own table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from storyline.models import DateMention

MAX_CANDIDATES = 60
MAX_SPAN = 60

_MONTHS: dict[str, str] = {
    "en": r"january|february|march|april|may|june|july|august|september|october|november|december|"
          r"jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?",
    "fr": r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre",
    "de": r"januar|jänner|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember",
    "es": r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre",
    "ru": r"январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|"
          r"ноябр[ья]|декабр[ья]",
    "tr": r"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık",
}
_WEEKDAY_NAMES: dict[str, list[str]] = {  # Monday first
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "ru": ["понедельник", "вторник", "сред[уа]", "четверг", "пятниц[уа]", "суббот[уа]", "воскресенье"],
    "tr": ["pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar"],
    "ko": ["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"],
}
_WEEKDAYS: dict[str, str] = {lg: "|".join(names) for lg, names in _WEEKDAY_NAMES.items()}
_WEEKDAY_RE = [
    (lg, i, re.compile(rf"(?:(?:on|last|early|late|le|am|el|в|во)\s+)?(?:{name})(?:\s+(?:dernier|passado|pasado))?",
                       re.IGNORECASE))
    for lg, names in _WEEKDAY_NAMES.items() for i, name in enumerate(names)
]
# Relative day words -> offset in days from publication (own table).
_RELATIVE: dict[str, dict[str, int]] = {
    "en": {"yesterday": -1, "today": 0, "tomorrow": 1, "the day before": -1, "the previous day": -1,
           "the day before yesterday": -2, "tonight": 0, "this morning": 0, "last night": -1},
    "fr": {"hier": -1, "aujourd'hui": 0, "aujourd’hui": 0, "demain": 1, "la veille": -1, "avant-hier": -2,
           "ce matin": 0, "hier soir": -1},
    "de": {"gestern": -1, "heute": 0, "morgen": 1, "am vortag": -1, "vorgestern": -2, "gestern abend": -1},
    "es": {"ayer": -1, "hoy": 0, "mañana": 1, "el día anterior": -1, "anteayer": -2, "anoche": -1},
    "ru": {"вчера": -1, "сегодня": 0, "завтра": 1, "накануне": -1, "позавчера": -2},
    "tr": {"dün": -1, "bugün": 0, "yarın": 1},
    "ko": {"어제": -1, "오늘": 0, "내일": 1, "그제": -2, "전날": -1},
}
# "last week", "three weeks ago", "late Thursday" (English and the article language where given)
_PERIOD: dict[str, list[str]] = {
    "en": [r"(?:last|this|next|earlier this|later this|past)\s+(?:week|weekend|month|year)",
           r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+"
           r"(?:days?|weeks?|months?|years?)\s+ago"],
    "fr": [r"(?:la semaine|le mois|l'année|l’année) (?:dernière|dernier|prochaine|prochain)",
           r"il y a (?:\d+|un|une|deux|trois|quelques) (?:jours?|semaines?|mois|ans?)"],
    "de": [r"(?:letzte|vergangene|nächste|diese)[nrs]? (?:woche|monat|jahr)",
           r"vor (?:\d+|einem|einer|zwei|drei|wenigen) (?:tagen?|wochen?|monaten?|jahren?)"],
    "es": [r"(?:la semana|el mes|el año) (?:pasad[oa]|próxim[oa])",
           r"hace (?:\d+|un|una|dos|tres|unos) (?:días?|semanas?|mes(?:es)?|años?)"],
    "ru": [r"на (?:прошлой|этой|следующей) неделе", r"в (?:прошлом|этом|следующем) (?:месяце|году)",
           r"(?:\d+|два|три|несколько) (?:дн(?:я|ей)|недел[иь]|месяц(?:а|ев)?|год(?:а)?|лет) назад"],
}
_MODIFIER = r"(?:(?:early|late|earlier|later)\s+)?"

_YEAR_PREP: dict[str, str] = {
    "en": r"in|since|by|until|of", "fr": r"en|depuis", "de": r"im jahr|seit|bis", "es": r"en|desde",
    "ru": r"в|с", "tr": r"", "ko": r"",
}


@lru_cache(maxsize=32)
def _patterns(lang: str) -> list[tuple[re.Pattern[str], str]]:
    """(regex, granularity hint) candidates for `lang` (its own words plus English ones)."""
    pats: list[tuple[str, str]] = []
    for lg in dict.fromkeys([lang, "en"]):
        mon = _MONTHS.get(lg)
        wd = _WEEKDAYS.get(lg)
        if mon:
            pats.append((rf"\b\d{{1,2}}(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?(?:{mon})(?:\s+(?:de\s+)?\d{{4}})?(?!\w)", "day"))
            pats.append((rf"\b(?:{mon})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?!\w)", "day"))
            pats.append((rf"\b(?:{mon})(?:\s+(?:de\s+|of\s+)?\d{{4}})(?!\w)", "month"))
        if wd:
            mod = _MODIFIER if lg == "en" else ""
            pats.append((rf"(?:\b|(?<=\d)){mod}(?:{wd})(?!\w)", "day"))
        for p in _PERIOD.get(lg, []):
            pats.append((rf"(?<!\w){p}(?!\w)", "period"))
        rel = _RELATIVE.get(lg)
        if rel:
            words = "|".join(sorted(map(re.escape, rel), key=len, reverse=True))
            pats.append((rf"(?<!\w)(?:{words})(?!\w)", "rel"))
        prep = _YEAR_PREP.get(lg)
        if prep:
            pats.append((rf"(?<!\w)(?:{prep})\s+((?:1[89]|20)\d{{2}})(?!\w)", "year"))
    if lang == "ko":
        pats.append((r"(?:\d{4}년\s*)?\d{1,2}월\s*\d{1,2}일", "day"))
        pats.append((r"\d{4}년\s*\d{1,2}월(?!\s*\d)", "month"))
        pats.append((r"\d{4}년", "year"))
    if lang == "ru":
        pats.append((r"(?<!\w)((?:1[89]|20)\d{2})\s+год[ау]?", "year"))
    if lang == "tr":
        pats.append((r"(?<!\w)((?:1[89]|20)\d{2})\s*(?:yılında|yılı)", "year"))
    pats.append((r"\b\d{4}-\d{2}-\d{2}\b", "day"))
    pats.append((r"\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b", "day"))
    return [(re.compile(p, re.IGNORECASE), g) for p, g in pats]


@lru_cache(maxsize=64)
def _parser(lang: str, base: datetime) -> Any:
    """A dateparser for one language and relative base (cached: articles share days)."""
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base}
    try:
        return DateDataParser(languages=[lang] if lang else None, settings=settings)
    except ValueError:  # language unknown to dateparser
        return DateDataParser(settings=settings)


_LEAD = re.compile(r"^(?:on|in|of|since|by|until|early|late|earlier|later|le|en|depuis|am|im|seit|el|desde|"
                   r"в|во|с)\s+", re.IGNORECASE)


def parse_span(span: str, lang: str, base: datetime) -> tuple[date, str] | None:
    """Resolve one short date expression against `base`; returns (date, granularity) or None."""
    lang = (lang or "en").lower()
    low = span.strip().lower()
    for lg in (lang, "en"):
        rel = _RELATIVE.get(lg, {})
        if low in rel:
            return (base + timedelta(days=rel[low])).date(), "day"
    for lg, idx, rx in _WEEKDAY_RE:  # a bare weekday: the latest such day up to publication (news usage)
        if lg in (lang, "en") and rx.fullmatch(low):
            back = (base.weekday() - idx) % 7 or (7 if low.startswith("last") else 0)
            return (base - timedelta(days=back)).date(), "day"
    text = _LEAD.sub("", span.strip())
    text = re.sub(r"\s+год[ау]?$|\s*yılı(?:nda)?$", "", text)
    try:
        data = _parser(lang, base).get_date_data(text)
    except (ValueError, TypeError, OverflowError, AttributeError):
        return None
    if data is None or data.date_obj is None:
        return None
    period = data.period if data.period in ("day", "week", "month", "year") else "day"
    if re.fullmatch(r"(?:1[89]|20)\d{2}", text.strip()):
        period = "year"
    return data.date_obj.date(), period


def find_dates(
    text: str, lang: str | None, published: datetime | None,
    sentences: list[tuple[int, int]], model_spans: Iterable[tuple[int, int]] = (),
) -> list[DateMention]:
    """Dates mentioned in `text` with the sentence each comes from."""
    lang = (lang or "en").lower()
    base = (published.replace(tzinfo=None) if published else datetime.now()).replace(
        hour=12, minute=0, second=0, microsecond=0)
    spans: list[tuple[int, int]] = []
    for rx, _ in _patterns(lang):
        spans.extend(m.span() for m in rx.finditer(text))
    spans.extend(s for s in model_spans if 0 < s[1] - s[0] <= MAX_SPAN)
    chosen: list[tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        if not any(s < b and a < e for a, b in chosen):
            chosen.append((s, e))
    chosen.sort()
    out: list[DateMention] = []
    for s, e in chosen[:MAX_CANDIDATES]:
        got = parse_span(text[s:e], lang, base)
        if got is None:  # e.g. a model span "Early Friday morning, around 1:30 a.m.": try the pieces
            for rx, _ in _patterns(lang):
                m = rx.search(text, s, e)
                if m and m.span() != (s, e):
                    got = parse_span(m.group(), lang, base)
                    if got is not None:
                        s, e = m.span()
                        break
        if got is None:
            continue
        d, gran = got
        if not (1800 <= d.year <= base.year + 5):
            continue
        ss, se = next(((a, b) for a, b in sentences if a <= s < b), (s, e))
        out.append(DateMention(text=text[s:e], date=d.isoformat(), sentence=text[ss:se][:400],
                               start=s, end=e, granularity=gran))
    return out


def event_date(dates: list[DateMention], published: datetime | None, text_len: int) -> str | None:
    """The date the article reports on, when it differs from publication (else None).

    Day-precision dates in the 31 days up to publication are scored by frequency, with a bonus for
    appearing early in the text; the best one is returned if it is not the publication day.
    """
    if not dates:
        return None
    pub = published.date() if published else None
    score: Counter[str] = Counter()
    for d in dates:
        if d.granularity != "day":
            continue
        dd = date.fromisoformat(d.date)
        if pub and not (pub - timedelta(days=31) <= dd <= pub):
            continue
        early = d.start >= 0 and d.start < max(400, text_len // 5)
        score[d.date] += 1.0 + (1.0 if early else 0.0)
    if not score:
        return None
    best = max(score.items(), key=lambda kv: (kv[1], kv[0]))[0]
    if pub and best == pub.isoformat():
        return None
    return best
