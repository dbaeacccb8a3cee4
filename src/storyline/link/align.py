"""Chunk×chunk (or sentence×sentence) cosine alignment between two articles.

Inputs are L2-normalised embedding matrices (first row = title when the article has one), as
produced by `storyline.embed.embed_text` / stored in `store.vectors` with `chunks=True`.
"""

from __future__ import annotations

import numpy as np

from storyline.embed import pool_document

COVERAGE_AT = (0.5, 0.6, 0.7, 0.8)


def split_title(mat: np.ndarray, has_title: bool) -> tuple[np.ndarray | None, np.ndarray]:
    """(title vector or None, body chunk matrix); a title-only article keeps its title as body."""
    if has_title and len(mat) > 1:
        return mat[0], mat[1:]
    if has_title:
        return mat[0], mat
    return None, mat


def alignment_features(a: np.ndarray, b: np.ndarray, a_title: bool = True, b_title: bool = True,
                       prefix: str = "") -> dict[str, float]:
    """Similarity statistics of two chunk matrices: pooled cosine, title/lead cosines, max-mean, coverage."""
    ta, ba = split_title(a, a_title)
    tb, bb = split_title(b, b_title)
    sim = ba @ bb.T
    row = sim.max(axis=1)
    col = sim.max(axis=0)
    flat = np.sort(sim.ravel())[::-1]
    doc_a = pool_document(a, n_title=1 if a_title else 0)
    doc_b = pool_document(b, n_title=1 if b_title else 0)
    mean_a = ba.mean(axis=0)
    mean_b = bb.mean(axis=0)
    centroid = float(mean_a @ mean_b / max(np.linalg.norm(mean_a) * np.linalg.norm(mean_b), 1e-9))
    lead_a = ta if ta is not None else ba[0]
    lead_b = tb if tb is not None else bb[0]
    f = {
        "doc_cos": float(doc_a @ doc_b),
        "centroid_cos": centroid,
        "title_cos": float(lead_a @ lead_b),
        "title_body_cos": float((lead_a @ mean_b / max(np.linalg.norm(mean_b), 1e-9)
                                 + lead_b @ mean_a / max(np.linalg.norm(mean_a), 1e-9)) / 2),
        "lead_cos": float(ba[0] @ bb[0]),
        "max": float(flat[0]),
        "top3": float(flat[:3].mean()),
        "mean": float(sim.mean()),
        "rowmax_mean": float((row.mean() + col.mean()) / 2),
        "rowmax_min": float(min(row.mean(), col.mean())),
        "rowmax_max": float(max(row.mean(), col.mean())),
    }
    for t in COVERAGE_AT:
        f[f"cover{int(t * 100)}"] = float(((row >= t).mean() + (col >= t).mean()) / 2)
    return {prefix + k: v for k, v in f.items()}


def best_pairs(sim: np.ndarray, k: int = 3) -> list[tuple[int, int, float]]:
    """The k most similar (i, j) cells, each row and column used at most once (greedy)."""
    out: list[tuple[int, int, float]] = []
    used_i: set[int] = set()
    used_j: set[int] = set()
    for flat in np.argsort(sim, axis=None)[::-1]:
        i, j = np.unravel_index(int(flat), sim.shape)
        if i in used_i or j in used_j:
            continue
        out.append((int(i), int(j), float(sim[i, j])))
        used_i.add(int(i))
        used_j.add(int(j))
        if len(out) >= k:
            break
    return out
