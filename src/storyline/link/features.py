"""Pair features for the similarity regressor: embeddings alignment, lexical, entity/place/date overlap, style.

All features are symmetric (swapping the two articles gives the same values).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from storyline.link.align import alignment_features
from storyline.link.profile import Profile

LEX_CHARS = 6000  # lexical features look at the title + first LEX_CHARS of the body


@lru_cache(maxsize=1)
def _char_vectoriser():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**20,
                             alternate_sign=False, norm=None, lowercase=True)


def char_cosine(a: str, b: str) -> float:
    """Cosine of sublinear-tf character 3–5-gram vectors (hashed; no corpus needed)."""
    if not a.strip() or not b.strip():
        return 0.0
    m = _char_vectoriser().transform([a, b]).astype(np.float32)
    m.data = 1.0 + np.log(m.data)
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A.ravel()
    if norms.min() == 0:
        return 0.0
    return float(m[0].multiply(m[1]).sum() / (norms[0] * norms[1]))


def _jaccard(a: set | Counter, b: set | Counter) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _weighted_overlap(a: Counter, b: Counter) -> float:
    """Share of mention mass (both sides) on shared keys."""
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 0.0
    shared = set(a) & set(b)
    return (sum(a[k] for k in shared) + sum(b[k] for k in shared)) / total


def _top_match(a: Counter, b: Counter) -> float:
    """1 if both sides' most mentioned key is the same, 0 if different, 0.5 if unknown."""
    if not a or not b:
        return 0.5
    return float(a.most_common(1)[0][0] == b.most_common(1)[0][0])


def _dominant_year(p: Profile) -> int | None:
    if p.published:
        return p.published.year
    return p.years.most_common(1)[0][0] if p.years else None


def lexical_features(a: Profile, b: Profile) -> dict[str, float]:
    ta = f"{a.title}\n{a.text[:LEX_CHARS]}"
    tb = f"{b.title}\n{b.text[:LEX_CHARS]}"
    return {
        "char_cos": char_cosine(ta, tb),
        "title_char_cos": char_cosine(a.title, b.title) if a.title and b.title else 0.0,
        "word_jacc": _jaccard(a.words, b.words),
        "title_word_jacc": _jaccard(a.title_words, b.title_words),
    }


def overlap_features(a: Profile, b: Profile) -> dict[str, float]:
    ya, yb = _dominant_year(a), _dominant_year(b)
    f = {
        "names_jacc": _jaccard(a.names, b.names),
        "names_wover": _weighted_overlap(a.names, b.names),
        "names_top": _top_match(a.names, b.names),
        "names_shared": math.log1p(len(set(a.names) & set(b.names))),
        "places_jacc": _jaccard(a.places, b.places),
        "places_wover": _weighted_overlap(a.places, b.places),
        "places_top": _top_match(a.places, b.places),
        "country_jacc": _jaccard(a.countries, b.countries),
        "country_top": _top_match(a.countries, b.countries),
        "places_none": float(not a.places or not b.places),
        "numbers_jacc": _jaccard(a.numbers, b.numbers),
        "years_jacc": _jaccard(a.years, b.years),
        "year_gap": float(min(abs(ya - yb), 10)) if ya and yb else -1.0,
    }
    if a.published and b.published:
        f["date_gap"] = math.log1p(abs((a.published - b.published).days))
    else:
        f["date_gap"] = -1.0
    return f


def style_features(a: Profile, b: Profile) -> dict[str, float]:
    f: dict[str, float] = {"same_lang": float(bool(a.lang) and a.lang == b.lang)}
    for k, va in a.style.items():
        vb = b.style.get(k, 0.0)
        f[f"style_{k}_diff"] = abs(va - vb)
        f[f"style_{k}_min"] = min(va, vb)
    return f


def pair_features(a: Profile, b: Profile, mats: Mapping[str, tuple[np.ndarray, np.ndarray]],
                  leads: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None) -> dict[str, float]:
    """All features of a pair; `mats` maps encoder key -> (chunk matrix of a, chunk matrix of b),
    `leads` maps a lead encoder key -> (title/lead vector of a, of b)."""
    f: dict[str, float] = {}
    for key, (va, vb) in (leads or {}).items():
        f[f"{key}_lead_cos"] = float(np.asarray(va) @ np.asarray(vb))
    for key, (ma, mb) in mats.items():
        f.update(alignment_features(ma, mb, bool(a.title.strip()), bool(b.title.strip()), prefix=f"{key}_"))
    f.update(lexical_features(a, b))
    f.update(overlap_features(a, b))
    f.update(style_features(a, b))
    return f


def feature_matrix(rows: list[dict[str, float]], names: list[str]) -> np.ndarray:
    """Rows of feature dicts -> (n, len(names)) float matrix in `names` order (missing -> 0)."""
    return np.array([[r.get(n, 0.0) for n in names] for r in rows], dtype=np.float64)
