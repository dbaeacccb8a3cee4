"""Batch scoring of loose text pairs: profiles + cached chunk embeddings -> features -> model scores."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from storyline.embed import get_encoder
from storyline.link import align, features, profile
from storyline.link.cache import chunk_embeddings, text_embeddings
from storyline.link.dataset import Pair
from storyline.link.features import feature_matrix, pair_features
from storyline.link.profile import build_profile, lead_text
from storyline.link.regressor import DIMENSIONS, SimilarityModel, load_model


def pair_feature_rows(pairs: Sequence[Pair], encoder_keys: Sequence[str], cache_dir: Path | None = None,
                      progress: Callable[[int], None] | None = None,
                      lead_keys: Sequence[str] = ()) -> list[dict[str, float]]:
    """Feature dicts for `pairs`; embeddings come from (and go to) `cache_dir` when given.

    `progress(n)` receives article counts while embedding (two per pair, per encoder).
    """
    mats: dict[str, list[np.ndarray]] = {}
    items = [it for p in pairs for it in ((p.title1, p.text1), (p.title2, p.text2))]
    for key in encoder_keys:
        mats[key] = chunk_embeddings(get_encoder(key), items, cache_dir=cache_dir, progress=progress)
    leads = {key: text_embeddings(get_encoder(key), [lead_text(t, x) for t, x in items], cache_dir=cache_dir)
             for key in lead_keys}
    rows = []
    for i, p in enumerate(pairs):
        a = build_profile(p.title1, p.text1, p.lang1, p.published1)
        b = build_profile(p.title2, p.text2, p.lang2, p.published2)
        rows.append(pair_features(a, b, {k: (m[2 * i], m[2 * i + 1]) for k, m in mats.items()},
                                  {k: (v[2 * i], v[2 * i + 1]) for k, v in leads.items()}))
    return rows


def score_pairs(pairs: Sequence[Pair], model: SimilarityModel | None = None, cache_dir: Path | None = None,
                progress: Callable[[int], None] | None = None) -> list[dict[str, float]]:
    """Seven scores (1 = very similar … 4 = very dissimilar) per pair, in input order."""
    if not pairs:
        return []
    model = model or load_model()
    rows = pair_feature_rows(pairs, model.encoders, cache_dir=cache_dir, progress=progress,
                             lead_keys=model.lead_encoders)
    pred = model.predict(feature_matrix(rows, model.features))
    return [{d: round(float(pred[d][i]), 4) for d in DIMENSIONS} for i in range(len(pairs))]


def code_fingerprint() -> str:
    """Hash of the feature code, so cached feature rows are recomputed when it changes."""
    h = hashlib.sha1()
    for mod in (align, features, profile):
        h.update(Path(str(mod.__file__)).read_bytes())
    return h.hexdigest()[:12]


def cached_feature_rows(pairs: list[Pair], encoders: list[str], cache: Path, tag: str,
                        lead_keys: Sequence[str] = ()) -> list[dict[str, float]]:
    """Feature rows for `pairs`, cached per (tag, encoders, lead encoders, feature code)."""
    key = hashlib.sha1(("|".join(p.pair_id for p in pairs) + "|".join(encoders)).encode()).hexdigest()[:12]
    encs = "+".join(encoders) + ("-lead-" + "+".join(lead_keys) if lead_keys else "")
    path = cache / f"features-{tag}-{encs}-{code_fingerprint()}-{key}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    from tqdm import tqdm

    bar = tqdm(total=2 * len(pairs) * len(encoders), desc=f"embed {tag}", unit="doc", file=sys.stderr)
    rows = pair_feature_rows(pairs, encoders, cache_dir=cache, progress=bar.update, lead_keys=lead_keys)
    bar.close()
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows), encoding="utf-8")
    return rows
