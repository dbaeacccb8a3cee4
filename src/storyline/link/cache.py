"""On-disk cache of chunk embeddings for batch scoring and benchmarks (not the article store).

Stored articles keep their vectors in `store.vectors`; loose texts (score-pairs, benchmarks, training)
are cached here by content hash so reruns skip the encoder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.embed import embed_texts


def default_cache_dir() -> Path:
    """`$STORYLINE_CACHE` or /tmp/storyline-cache."""
    return Path(os.environ.get("STORYLINE_CACHE", "/tmp/storyline-cache"))


def _key(encoder_name: str, title: str, text: str) -> str:
    h = hashlib.sha1()
    for part in (encoder_name, title or "", text or ""):
        h.update(part.encode("utf-8", "replace"))
        h.update(b"\x00")
    return h.hexdigest()


def _load_cached(cache_dir: Path | None, model: str, suffix: str, keys: Sequence[str]
                 ) -> tuple[Path | None, list[np.ndarray | None]]:
    """(cache folder or None, the cached array per key: None where absent or unreadable)."""
    out: list[np.ndarray | None] = [None] * len(keys)
    if cache_dir is None:
        return None, out
    folder = Path(cache_dir) / (model.replace("/", "_").replace(":", "_") + suffix)
    folder.mkdir(parents=True, exist_ok=True)
    for i, k in enumerate(keys):
        f = folder / f"{k}.npy"
        if f.exists():
            try:
                out[i] = np.load(f)
            except (OSError, ValueError):
                out[i] = None
    return folder, out


def chunk_embeddings(encoder: Any, items: Sequence[tuple[str, str]], cache_dir: Path | None = None,
                     batch: int = 32, progress: Callable[[int], None] | None = None) -> list[np.ndarray]:
    """Chunk matrices (n_chunks, dim) for (title, text) items, from cache when present.

    `cache_dir=None` disables caching. `progress(n)` is called with the number of items just done.
    """
    keys = [_key(encoder.name, t, x) for t, x in items]
    folder, out = _load_cached(cache_dir, encoder.name, "", keys)
    todo = [i for i, v in enumerate(out) if v is None]
    if progress and len(todo) < len(items):
        progress(len(items) - len(todo))
    for s in range(0, len(todo), batch):
        part = todo[s : s + batch]
        res = embed_texts(encoder, [items[i] for i in part])
        for i, (_doc, chunks) in zip(part, res, strict=True):
            out[i] = chunks.astype(np.float32)
            if folder is not None:
                np.save(folder / f"{keys[i]}.npy", out[i])
        if progress:
            progress(len(part))
    return [v for v in out if v is not None]


def text_embeddings(encoder: Any, texts: Sequence[str], cache_dir: Path | None = None,
                    batch: int = 32) -> np.ndarray:
    """One vector per text (no chunking), from cache when present: (n, dim)."""
    keys = [_key(encoder.name, "\x01single", t) for t in texts]
    folder, out = _load_cached(cache_dir, encoder.name, "-single", keys)
    todo = [i for i, v in enumerate(out) if v is None]
    for s in range(0, len(todo), batch):
        part = todo[s : s + batch]
        vecs = encoder.encode([texts[i] or " " for i in part])
        for i, v in zip(part, vecs, strict=True):
            out[i] = np.asarray(v, dtype=np.float32)
            if folder is not None:
                np.save(folder / f"{keys[i]}.npy", out[i])
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.vstack([v for v in out if v is not None])
