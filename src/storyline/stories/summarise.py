"""Extractive selection of sentences: vectors, centrality, maximal marginal relevance (MMR).

Shared by `describe_event` (one event's articles) and the timeline summariser (one date's candidates).
Two sentence representations: "use" (multilingual USE v3 sentence embeddings, `storyline.embed`) for
mixed-language input, and "tfidf" (scikit-learn, fast, monolingual).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

MAX_SENTENCE_CHARS = 400
_WORD = re.compile(r"\w+", re.UNICODE)
Vectors = np.ndarray | sparse.csr_matrix


def clip(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    """Whitespace-normalised sentence, cut at a word boundary to at most `limit` characters."""
    s = " ".join(sentence.split())
    if len(s) <= limit:
        return s
    cut = s[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def word_count(sentence: str) -> int:
    return len(_WORD.findall(sentence))


def is_candidate(sentence: str, min_words: int = 6, max_words: int = 60) -> bool:
    """A sentence worth showing: not a fragment, a caption, a byline or a run-on blob."""
    n = word_count(sentence)
    if n < min_words or n > max_words:
        return False
    letters = sum(ch.isalpha() for ch in sentence)
    return letters >= 0.6 * len(sentence.replace(" ", ""))


def sentence_vectors(sentences: Sequence[str], method: str = "use", encoder: Any | None = None) -> Vectors:
    """L2-normalised row vectors: "use" (multilingual embeddings, dense) or "tfidf" (word uni+bigrams,
    a sparse CSR matrix; the functions below accept both)."""
    if not sentences:
        return np.zeros((0, 1), dtype=np.float32)
    if method == "tfidf":
        from sklearn.feature_extraction.text import TfidfVectorizer

        try:
            mat = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1,
                                  stop_words="english").fit_transform(sentences)
        except ValueError:  # only stop words
            return np.zeros((len(sentences), 1), dtype=np.float32)
        return sparse.csr_matrix(mat, dtype=np.float32)
    if encoder is None:
        from storyline.embed import get_encoder

        encoder = get_encoder(None if method == "use" else method)
    return _cached_encode(encoder, list(sentences))


_CACHE: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
CACHE_SIZE = 50_000  # sentence vectors kept (events are re-described as their stories grow)
_LOCK = threading.Lock()


def _cached_encode(encoder: Any, sentences: list[str]) -> np.ndarray:
    """Encode with a process-wide LRU cache keyed by (encoder name, sentence)."""
    name = str(getattr(encoder, "name", id(encoder)))
    with _LOCK:
        todo = list(dict.fromkeys(s for s in sentences if (name, s) not in _CACHE))
    if todo:
        vecs = np.asarray(encoder.encode(todo))
        with _LOCK:
            for s, v in zip(todo, vecs, strict=True):
                _CACHE[(name, s)] = v
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    with _LOCK:
        rows = []
        for s in sentences:
            v = _CACHE.get((name, s))
            if v is None:  # evicted meanwhile by a concurrent caller
                v = np.asarray(encoder.encode([s]))[0]
            else:
                _CACHE.move_to_end((name, s))
            rows.append(v)
    return np.vstack(rows)


def _dense(x: object) -> np.ndarray:
    return np.asarray(x.toarray() if sparse.issparse(x) else x)  # type: ignore[attr-defined]


def cosine(a: Vectors, b: Vectors) -> np.ndarray:
    """Dense (len(a), len(b)) matrix of dot products of normalised rows."""
    return _dense(a @ b.T)


def stack(rows: list[Vectors]) -> Vectors:
    """Stack row blocks (dense or sparse)."""
    if rows and sparse.issparse(rows[0]):
        return sparse.vstack(rows).tocsr()
    return np.vstack(rows)


def centroid_scores(vecs: Vectors, weights: np.ndarray | None = None) -> np.ndarray:
    """Cosine of each (normalised) row to the (weighted) centroid of all rows."""
    n_rows = vecs.shape[0]
    if n_rows == 0:
        return np.zeros(0, dtype=np.float32)
    w = np.ones(n_rows, dtype=np.float32) if weights is None else np.asarray(weights, dtype=np.float32)
    c = np.asarray(vecs.T @ w).ravel()
    n = float(np.linalg.norm(c))
    if n == 0:
        return np.zeros(n_rows, dtype=np.float32)
    return np.asarray(vecs @ (c / n)).ravel()


def mmr(vecs: Vectors, scores: np.ndarray, k: int, lam: float = 0.7,
        avoid: Vectors | None = None, max_sim: float = 0.8) -> list[int]:
    """Pick up to `k` rows by maximal marginal relevance.

    score' = lam * score - (1 - lam) * max cosine to what is already picked (and to `avoid` rows,
    e.g. sentences already used on other dates); rows more similar than `max_sim` are never picked.
    """
    chosen: list[int] = []
    n_rows = vecs.shape[0]
    if n_rows == 0 or k <= 0:
        return chosen
    prior = avoid if avoid is not None and avoid.shape[0] else None
    red = cosine(vecs, prior).max(axis=1) if prior is not None else np.zeros(n_rows, dtype=np.float32)
    blocked = red > max_sim
    for _ in range(min(k, n_rows)):
        val = lam * scores - (1 - lam) * red
        val = np.where(blocked, -np.inf, val)
        if chosen:
            val[chosen] = -np.inf
        i = int(np.argmax(val))
        if not np.isfinite(val[i]):
            break
        chosen.append(i)
        sim = cosine(vecs, vecs[i : i + 1]).ravel()
        red = np.maximum(red, sim)
        blocked |= sim > max_sim
    return chosen
