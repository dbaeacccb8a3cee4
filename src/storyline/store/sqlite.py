"""Embedded default store: SQLite (FTS5 full-text index) + usearch ANN index files in the data dir."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, event, text

from storyline.store.base import Store, TextIndex, VectorIndex

_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


class Fts5Index(TextIndex):
    """FTS5 over title + text; `unicode61` with diacritics folded, so it works for every script."""

    def create(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                "id UNINDEXED, lang UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')"
            )

    def add(self, conn: Any, rows: Sequence[dict[str, Any]]) -> None:
        conn.execute(
            text("INSERT INTO articles_fts(id, lang, title, text) VALUES (:id, :lang, :title, :text)"),
            [{"id": r["id"], "lang": r["lang"], "title": r["title"], "text": r["text"]} for r in rows],
        )

    def remove(self, conn: Any, ids: Sequence[str]) -> None:
        for i in ids:
            conn.execute(text("DELETE FROM articles_fts WHERE id = :id"), {"id": i})

    @staticmethod
    def to_match(query: str) -> str:
        """User words -> a safe FTS5 expression (every word required, quoted, prefix on the last)."""
        words = _FTS_TOKEN.findall(query)
        if not words:
            return ""
        parts = ['"' + w.replace('"', "") + '"' for w in words]
        parts[-1] += "*"
        return " ".join(parts)

    def search(
        self, query: str, limit: int = 20, offset: int = 0, lang: str | None = None
    ) -> list[tuple[str, float, str]]:
        match = self.to_match(query)
        if not match:
            return []
        sql = (
            "SELECT id, bm25(articles_fts, 0, 0, 5.0, 1.0) AS score, "
            "snippet(articles_fts, 3, '[', ']', ' … ', 24) FROM articles_fts WHERE articles_fts MATCH :q"
        )
        params: dict[str, Any] = {"q": match, "limit": limit, "offset": offset}
        if lang:
            sql += " AND lang = :lang"
            params["lang"] = lang
        sql += " ORDER BY score LIMIT :limit OFFSET :offset"
        with self.engine.connect() as conn:
            rows = conn.execute(text(sql), params).all()
        # bm25() is lower-is-better; flip the sign so that higher = better, as the interface says.
        return [(r[0], -float(r[1]), r[2]) for r in rows]


class UsearchIndex(VectorIndex):
    """One usearch HNSW index per model, saved as `<data>/vectors/<model>.usearch`.

    The database is the source of truth: an index file that is missing or out of step with the
    `embeddings` table is rebuilt from it on first use.
    """

    def __init__(self, directory: Path | None, store_ref: Any, dtype: str = "f32") -> None:
        self.directory = directory
        self._store_ref = store_ref
        self.dtype = dtype  # scalar kind of the stored index: f32 (exact), f16 or i8 (smaller, faster builds)
        self._indexes: dict[str, Any] = {}
        self._dirty: set[str] = set()
        self._lock = threading.RLock()

    def _path(self, model: str) -> Path | None:
        if self.directory is None:
            return None
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", model)
        return self.directory / f"{safe}.usearch"

    def _load(self, model: str, dim: int | None = None) -> Any:
        """The index for `model`: the saved file, topped up with any stored vector it lacks."""
        from usearch.index import Index

        if model in self._indexes:
            return self._indexes[model]
        keys, mat = self._store_ref().vectors.all_doc_vectors(model)
        if dim is None and not len(keys):
            return None
        dim = dim or mat.shape[1]
        index = Index(ndim=dim, metric="cos", dtype=self.dtype)
        path = self._path(model)
        if path is not None and path.exists():
            index.load(str(path))
        if len(keys):
            lacking = ~np.asarray(index.contains(keys), dtype=bool) if len(index) else np.ones(len(keys), bool)
            if lacking.any():
                index.add(keys[lacking], mat[lacking])
                self._dirty.add(model)
        self._indexes[model] = index
        return index

    def add(self, model: str, keys: np.ndarray, vectors: np.ndarray) -> None:
        with self._lock:
            index = self._load(model, vectors.shape[1])
            lacking = ~np.asarray(index.contains(keys), dtype=bool) if len(index) else np.ones(len(keys), bool)
            if lacking.any():
                index.add(keys[lacking], vectors[lacking])
            self._dirty.add(model)

    def search(self, model: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        with self._lock:
            index = self._load(model)
            if index is None or len(index) == 0:
                return []
            res = index.search(vector.astype(np.float32), min(k, len(index)))
            return [(int(key), 1.0 - float(d)) for key, d in zip(res.keys, res.distances, strict=False)]

    def flush(self) -> None:
        with self._lock:
            for model in list(self._dirty):
                path = self._path(model)
                if path is not None and model in self._indexes:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self._indexes[model].save(str(path))
            self._dirty.clear()


class SQLiteStore(Store):
    """SQLite file `<data>/storyline.db` (or in memory when `path` is None)."""

    name = "sqlite"

    def __init__(self, path: str | Path | None) -> None:
        import weakref

        if path is None:
            from sqlalchemy.pool import StaticPool

            engine = create_engine(
                "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
            )
            vec_dir = None
        else:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 60}
            )
            vec_dir = path.parent / "vectors"

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        self.path = path
        ref = weakref.ref(self)
        super().__init__(engine, Fts5Index(engine), UsearchIndex(vec_dir, ref))
        self.create()
