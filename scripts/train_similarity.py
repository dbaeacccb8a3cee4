"""Retrain the packaged similarity model reproducibly (fixed seed) on the `train` ids only.

    PYTHONPATH=src nice -n 10 python scripts/train_similarity.py [--encoders use] [--cache /tmp/storyline-cache]

Data: ../shared/data/semeval2022-task8/texts/train_texts_bl_joined.jsonl restricted to the "train" ids of
splits.json (the "test" ids are never read here). Embeddings and feature rows are cached in --cache.
Writes src/storyline/link/models/similarity-v1.joblib and prints 5-fold CV Pearson r inside train.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # busy shared machine: OpenMP threads spin

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storyline.config import shared_dir
from storyline.link.dataset import load_joined, load_splits
from storyline.link.features import feature_matrix
from storyline.link.regressor import DEFAULT_MODEL, DIMENSIONS, fit_model
from storyline.link.scoring import cached_feature_rows, code_fingerprint


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=None, help="shared data dir (default: ../shared)")
    ap.add_argument("--encoders", default="use", help="comma-separated encoder keys (use, e5)")
    ap.add_argument("--lead-encoders", default="", help="comma-separated encoders for the title/lead only (e5)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storyline-cache"))
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    shared = args.shared or shared_dir()
    if shared is None:
        ap.error("../shared not found; pass --shared")
    encoders = [e.strip() for e in args.encoders.split(",") if e.strip()]
    train_ids = load_splits(shared)["train"]
    pairs = [p for p in load_joined(shared) if p.pair_id in train_ids]
    t0 = time.time()
    leads = [e.strip() for e in args.lead_encoders.split(",") if e.strip()]
    rows = cached_feature_rows(pairs, encoders, args.cache, "train", lead_keys=leads)
    names = sorted(rows[0])
    x = feature_matrix(rows, names)
    targets = {d: np.array([p.gold[d] for p in pairs]) for d in DIMENSIONS}
    model = fit_model(x, targets, names, encoders, seed=args.seed, lead_encoders=leads)
    model.meta.update({"trained_on": "semeval2022-task8 splits.json train ids", "n_features": len(names),
                       "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
                       "feature_code": code_fingerprint()})
    path = model.save(args.out)
    print(json.dumps({"model": str(path), "bytes": path.stat().st_size, "n_train": len(pairs),
                      "encoders": encoders, "lead_encoders": leads, "cv_pearson": model.meta["cv_pearson"],
                      "seconds": round(time.time() - t0, 1)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
