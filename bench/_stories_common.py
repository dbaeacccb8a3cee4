"""Shared helpers of the stories benchmarks: embedding cache, stream items, peers, JSON output.

Embeddings are cached under `$XDG_CACHE_HOME/storyline-bench` (outside the repo), keyed by encoder
and a hash of the texts, so re-running a benchmark does not re-encode the data.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.embed import embed_texts, get_encoder  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    d = Path(base) / "storyline-bench"
    d.mkdir(parents=True, exist_ok=True)
    return d


def embed_cached(docs: Sequence[tuple[str, str]], encoder_name: str = "use", batch: int = 64,
                 max_chars: int | None = None) -> np.ndarray:
    """Document vectors of (title, text) pairs, computed once and cached on disk.

    `max_chars` keeps only the lead of each text (to bound encoding time on a shared 2-core machine).
    """
    enc = get_encoder(encoder_name)
    if max_chars:
        docs = [(t, x[:max_chars]) for t, x in docs]
    h = hashlib.sha1(enc.name.encode())
    for title, text in docs:
        h.update(title.encode("utf-8", "replace") + b"\0" + text.encode("utf-8", "replace") + b"\1")
    path = cache_dir() / f"{enc.name}-{h.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    t0 = time.time()
    out = []
    for i in range(0, len(docs), batch):
        out.extend(d for d, _ in embed_texts(enc, list(docs[i : i + batch])))
        print(f"  embedded {min(i + batch, len(docs))}/{len(docs)} ({time.time() - t0:.0f}s)", file=sys.stderr)
    mat = np.vstack(out).astype(np.float32)
    np.save(path, mat)
    return mat


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=float) + "\n", encoding="utf-8")
    return path


def fmt(row: dict[str, Any], keys: Sequence[str]) -> str:
    return "  ".join(f"{k}={row[k]:.3f}" if isinstance(row[k], float) else f"{k}={row[k]}" for k in keys)
