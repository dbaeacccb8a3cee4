"""Lexical signals for clustering: content terms (with online IDF) and language-independent name keys.

Embeddings carry most of the meaning; terms sharpen within-language matches (and carry short,
pre-processed headlines), name keys (capitalised tokens, numbers) link across languages when the
understanding stage has not produced entity keys.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)

_POSSESSIVE = re.compile(r"[’']s$")

MAX_TERMS = 400


def _fold(s: str) -> str:
    """Lower-case and strip accents (so 'Égypte' and 'egypte' meet)."""
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def terms(title: str, text: str, lead_words: int = 120) -> Counter[str]:
    """Content terms of the title (counted twice) and the lead: folded tokens of ≥ 3 letters."""
    words = _TOKEN.findall(text or "")[:lead_words]
    c: Counter[str] = Counter()
    for tok in _TOKEN.findall(title or "") * 2 + words:
        if len(tok) >= 3 and not tok.isdigit():
            c[_fold(tok)] += 1
    return Counter(dict(c.most_common(MAX_TERMS)))


def name_keys(title: str, text: str, lead_chars: int = 1500) -> set[str]:
    """Fallback entity keys: capitalised words (not sentence-initial unless part of a longer name).

    Proper names are usually spelled alike across Latin-script languages (Trump, Putin, Kim Jong Un),
    so these keys help cross-lingual matching where the understanding stage gave no entity keys.
    """
    out: set[str] = set()
    for part in (title or "", (text or "")[:lead_chars]):
        toks = [(m.group(0), m.start()) for m in _TOKEN.finditer(part)]
        if toks and sum(t[0][:1].isupper() for t in toks) > 0.6 * len(toks) and len(toks) > 3:
            continue  # Title Case headline: capitals say nothing
        for i, (tok, pos) in enumerate(toks):
            if len(tok) < 3 or not tok[0].isupper() or tok.isupper() and len(tok) > 6:
                continue
            prev = part[:pos].rstrip()
            initial = not prev or prev[-1] in ".!?:;\"«“—-" or "\n" in part[len(prev) : pos]
            nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
            if initial and not (nxt[:1].isupper()):
                continue
            out.add("name:" + _fold(_POSSESSIVE.sub("", tok)))
    return out


def place_keys(title: str, text: str, lang: str | None = None, lead_chars: int = 1500) -> set[str]:
    """Language-independent place keys (`loc:CC`, `loc:CC:<geonameid>`, as the understanding stage mints
    them) found by scanning the title and lead with the multilingual gazetteer: 'Moscou', 'Москва' and
    'Moscow' give the same key, also in scripts where capitalised-word name keys cannot match."""
    from storyline.enrich.places import gazetteer

    gz = gazetteer()
    out: set[str] = set()
    for part in (title or "", (text or "")[:lead_chars]):
        for _s, _e, form in gz.scan(part, lang):
            if len(form) < 4:  # 'La', 'Un', 'US': too ambiguous without a tagger
                continue
            res = gz.lookup(form)
            if res is not None:
                out.add(res.key)
                out.add(f"loc:{res.country}")
    return out


def text_keys(title: str, text: str, lang: str | None = None) -> set[str]:
    """Keys read off the text without the understanding stage: name keys plus gazetteer place keys."""
    return name_keys(title, text) | place_keys(title, text, lang)


class OnlineIdf:
    """Document frequencies accumulated as documents arrive; idf = ln((N+1)/(df+1)) + 1."""

    def __init__(self) -> None:
        self.n = 0
        self.df: Counter[str] = Counter()

    def add(self, doc_terms: Iterable[str]) -> None:
        self.n += 1
        self.df.update(set(doc_terms))

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 1)) + 1.0


class DocTerms:
    """A document's TF-IDF weights, computed once per article and reused for every candidate."""

    __slots__ = ("idf", "weights", "norm")

    def __init__(self, doc: Counter[str], idf: OnlineIdf) -> None:
        self.idf = {t: idf.idf(t) for t in doc}
        self.weights = {t: c * self.idf[t] for t, c in doc.items()}
        self.norm = math.sqrt(sum(w * w for w in self.weights.values()))

    def cosine(self, profile: Counter[str], profile_norm: float) -> float:
        """Cosine with a cluster profile whose TF-IDF norm is `profile_norm`."""
        if not self.norm or not profile_norm:
            return 0.0
        dot = 0.0
        for t, w in self.weights.items():
            pc = profile.get(t)
            if pc:
                dot += w * pc * self.idf[t]
        return dot / (self.norm * profile_norm)


def profile_norm(profile: Counter[str], idf: OnlineIdf) -> float:
    return math.sqrt(sum((c * idf.idf(t)) ** 2 for t, c in profile.items()))


def key_overlap(keys: set[str], profile: Counter[str], size: int, idf: OnlineIdf) -> float:
    """IDF-weighted share of the article's keys that the cluster's members mention (by member share)."""
    if not keys or not profile or size <= 0:
        return 0.0
    num = den = 0.0
    for k in keys:
        w = idf.idf(k)
        den += w
        num += w * min(1.0, profile.get(k, 0) / size)
    return num / den if den else 0.0
