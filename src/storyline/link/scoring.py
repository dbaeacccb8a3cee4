"""Batch scoring of loose text pairs: profiles + cached chunk embeddings -> features -> model scores."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from storyline.embed import get_encoder
from storyline.link.cache import chunk_embeddings
from storyline.link.dataset import Pair
from storyline.link.features import feature_matrix, pair_features
from storyline.link.profile import build_profile
from storyline.link.regressor import DIMENSIONS, SimilarityModel, load_model


def pair_feature_rows(pairs: Sequence[Pair], encoder_keys: Sequence[str], cache_dir: Path | None = None,
                      progress: Callable[[int], None] | None = None) -> list[dict[str, float]]:
    """Feature dicts for `pairs`; embeddings come from (and go to) `cache_dir` when given.

    `progress(n)` receives article counts while embedding (two per pair, per encoder).
    """
    mats: dict[str, list[np.ndarray]] = {}
    items = [it for p in pairs for it in ((p.title1, p.text1), (p.title2, p.text2))]
    for key in encoder_keys:
        mats[key] = chunk_embeddings(get_encoder(key), items, cache_dir=cache_dir, progress=progress)
    rows = []
    for i, p in enumerate(pairs):
        a = build_profile(p.title1, p.text1, p.lang1, p.published1)
        b = build_profile(p.title2, p.text2, p.lang2, p.published2)
        rows.append(pair_features(a, b, {k: (m[2 * i], m[2 * i + 1]) for k, m in mats.items()}))
    return rows


def score_pairs(pairs: Sequence[Pair], model: SimilarityModel | None = None, cache_dir: Path | None = None,
                progress: Callable[[int], None] | None = None) -> list[dict[str, float]]:
    """Seven scores (1 = very similar … 4 = very dissimilar) per pair, in input order."""
    if not pairs:
        return []
    model = model or load_model()
    rows = pair_feature_rows(pairs, model.encoders, cache_dir=cache_dir, progress=progress)
    pred = model.predict(feature_matrix(rows, model.features))
    return [{d: round(float(pred[d][i]), 4) for d in DIMENSIONS} for i in range(len(pairs))]
