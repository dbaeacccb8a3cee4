"""The `Store` interface: one object, composed of small repositories, one per concern.

    store.articles     articles + duplicate lookup + listing/filtering
    store.ingest_log   per-record ingest log (idempotence, resume)
    store.enrichments  entities, places, dates, quotes per article; corpus entity index
    store.vectors      embeddings (computed once, stored) + ANN search
    store.stories      events, stories, assignments, lineage
    store.state        opaque component state (e.g. the online clusterer)
    store.jobs         asynchronous jobs (HTTP ingest)

The repositories are written once on SQLAlchemy Core; a backend (SQLite, PostgreSQL) supplies the
engine, the full-text index (`TextIndex`) and the vector index (`VectorIndex`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update

from storyline.models import Article, Enrichment, Event, Story
from storyline.store import schema as S


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def dt_to_str(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def str_to_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# --------------------------------------------------------------------------- dialect hooks


class TextIndex:
    """Full-text index over article title + text. Backends override."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def add(self, conn: Any, rows: Sequence[dict[str, Any]]) -> None:  # pragma: no cover
        raise NotImplementedError

    def remove(self, conn: Any, ids: Sequence[str]) -> None:  # pragma: no cover
        raise NotImplementedError

    def search(
        self, query: str, limit: int = 20, offset: int = 0, lang: str | None = None
    ) -> list[tuple[str, float, str]]:  # pragma: no cover
        """Return (article_id, score, snippet); higher score = better."""
        raise NotImplementedError


class VectorIndex:
    """Approximate nearest-neighbour index over document vectors of one model. Backends override."""

    def add(self, model: str, keys: np.ndarray, vectors: np.ndarray) -> None:  # pragma: no cover
        raise NotImplementedError

    def search(self, model: str, vector: np.ndarray, k: int) -> list[tuple[int, float]]:  # pragma: no cover
        """Return (key, cosine similarity) best first."""
        raise NotImplementedError

    def flush(self) -> None:
        """Persist pending changes (no-op where the database persists them)."""


# --------------------------------------------------------------------------- repositories


def _article_row(a: Article, seq: int) -> dict[str, Any]:
    return {
        "id": a.id,
        "url": a.url,
        "canonical_url": a.canonical_url,
        "source": a.source,
        "title": a.title or "",
        "text": a.text,
        "lang": a.lang,
        "lang_share": a.lang_share,
        "published": dt_to_str(a.published),
        "published_from": a.published_from,
        "published_confidence": a.published_confidence,
        "authors": a.authors,
        "format": a.format,
        "path": a.path,
        "content_hash": a.content_hash,
        "ingested_at": dt_to_str(a.ingested_at) or now_iso(),
        "meta": a.meta,
        "seq": seq,
    }


def _row_article(r: Any) -> Article:
    m = r._mapping
    return Article(
        id=m["id"],
        text=m["text"],
        title=m["title"] or "",
        url=m["url"],
        canonical_url=m["canonical_url"],
        source=m["source"],
        lang=m["lang"],
        lang_share=m["lang_share"] or {},
        published=str_to_dt(m["published"]),
        published_from=m["published_from"],
        published_confidence=m["published_confidence"] or 0.0,
        authors=m["authors"] or [],
        format=m["format"] or "text",
        path=m["path"],
        content_hash=m["content_hash"],
        ingested_at=str_to_dt(m["ingested_at"]),
        meta=m["meta"] or {},
    )


class Articles:
    def __init__(self, engine: Engine, text_index: TextIndex) -> None:
        self.engine = engine
        self.text_index = text_index

    def find_duplicate(self, canonical_url: str | None, content_hash: str) -> str | None:
        """Id of a stored article with the same canonical URL or the same content hash."""
        cond = [S.articles.c.content_hash == content_hash]
        if canonical_url:
            cond.append(S.articles.c.canonical_url == canonical_url)
        with self.engine.connect() as conn:
            row = conn.execute(select(S.articles.c.id).where(or_(*cond)).limit(1)).first()
        return row[0] if row else None

    def add(self, items: Iterable[Article]) -> list[tuple[str, str]]:
        """Store articles; returns (id, "stored" | "duplicate:<id>") per article, in order."""
        out: list[tuple[str, str]] = []
        with self.engine.begin() as conn:
            seq = conn.execute(select(func.coalesce(func.max(S.articles.c.seq), 0))).scalar_one()
            new_rows: list[dict[str, Any]] = []
            seen: dict[str, str] = {}
            for a in items:
                cond = [S.articles.c.content_hash == a.content_hash, S.articles.c.id == a.id]
                if a.canonical_url:
                    cond.append(S.articles.c.canonical_url == a.canonical_url)
                row = conn.execute(select(S.articles.c.id).where(or_(*cond)).limit(1)).first()
                dup = row[0] if row else seen.get(a.content_hash) or seen.get(a.canonical_url or "\0")
                if dup:
                    out.append((a.id, f"duplicate:{dup}"))
                    continue
                seq += 1
                new_rows.append(_article_row(a, seq))
                seen[a.content_hash] = a.id
                if a.canonical_url:
                    seen[a.canonical_url] = a.id
                out.append((a.id, "stored"))
            if new_rows:
                conn.execute(insert(S.articles), new_rows)
                self.text_index.add(conn, new_rows)
        return out

    def get(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(S.articles).where(S.articles.c.id == article_id)).first()
        return _row_article(row) if row else None

    def get_many(self, ids: Sequence[str]) -> list[Article]:
        """Articles for `ids`, in the given order (missing ids are left out)."""
        found: dict[str, Article] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                chunk = list(ids[i : i + 500])
                for row in conn.execute(select(S.articles).where(S.articles.c.id.in_(chunk))):
                    a = _row_article(row)
                    found[a.id] = a
        return [found[i] for i in ids if i in found]

    def _filters(
        self,
        lang: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        entity: str | None = None,
    ) -> list[Any]:
        c = S.articles.c
        cond: list[Any] = []
        if lang:
            cond.append(c.lang == lang)
        if source:
            cond.append(c.source == source)
        if since:
            cond.append(c.published >= since)
        if until:
            cond.append(c.published <= until + ("T23:59:59" if len(until) == 10 else ""))
        if story:
            cond.append(c.id.in_(select(S.assignments.c.article_id).where(S.assignments.c.story_id == story)))
        if entity:
            cond.append(
                c.id.in_(select(S.entity_mentions.c.article_id).where(S.entity_mentions.c.key == entity))
            )
        return cond

    def list(
        self, limit: int | None = None, offset: int = 0, order: str = "published", **filters: Any
    ) -> list[Article]:
        """Filtered listing; `order` is published | -published | seq."""
        c = S.articles.c
        q = select(S.articles).where(and_(*self._filters(**filters)))
        if order == "-published":
            q = q.order_by(c.published.desc(), c.seq)
        elif order == "seq":
            q = q.order_by(c.seq)
        else:
            q = q.order_by(c.published, c.seq)
        if limit is not None:
            q = q.limit(limit)
        q = q.offset(offset)
        with self.engine.connect() as conn:
            return [_row_article(r) for r in conn.execute(q)]

    def count(self, **filters: Any) -> int:
        q = select(func.count()).select_from(S.articles).where(and_(*self._filters(**filters)))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def ids(self, order: str = "seq") -> list[str]:
        col = S.articles.c.seq if order == "seq" else S.articles.c.published
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(S.articles.c.id).order_by(col, S.articles.c.seq))]

    def iter(self, batch: int = 500, order: str = "seq") -> Iterator[Article]:
        """All articles in arrival (`seq`) or publication (`published`) order, batch by batch."""
        ids = self.ids(order)
        for i in range(0, len(ids), batch):
            yield from self.get_many(ids[i : i + batch])

    def facets(self) -> dict[str, dict[str, int]]:
        """Counts per language and per source."""
        out: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for col in ("lang", "source"):
                c = S.articles.c[col]
                rows = conn.execute(select(c, func.count()).group_by(c).order_by(func.count().desc()))
                out[col] = {str(k): int(n) for k, n in rows}
        return out

    def search(
        self, query: str, limit: int = 20, offset: int = 0, lang: str | None = None
    ) -> list[tuple[str, float, str]]:
        """Full-text search: (article_id, score, snippet), best first."""
        return self.text_index.search(query, limit=limit, offset=offset, lang=lang)


class IngestLog:
    """Which input records were already processed (idempotence and resume)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def seen(self, origin: str, record: str, fingerprint: str) -> bool:
        t = S.ingest_log.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.fingerprint).where(and_(t.origin == origin, t.record == record))
            ).first()
        return bool(row and row[0] == fingerprint)

    def mark(
        self,
        origin: str,
        record: str,
        fingerprint: str,
        status: str,
        article_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        t = S.ingest_log
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(and_(t.c.origin == origin, t.c.record == record)))
            conn.execute(
                insert(t).values(
                    origin=origin,
                    record=record,
                    fingerprint=fingerprint,
                    status=status,
                    article_id=article_id,
                    reason=reason,
                    at=now_iso(),
                )
            )

    def rejected(self, limit: int = 100) -> list[dict[str, Any]]:
        t = S.ingest_log.c
        q = select(t.origin, t.record, t.reason, t.at).where(t.status == "rejected").limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]


class Enrichments:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, enr: Enrichment) -> None:
        data = enr.to_dict()
        counts: dict[str, dict[str, Any]] = {}
        for e in enr.entities:
            if not e.key:
                continue
            slot = counts.setdefault(e.key, {"label": e.label, "canonical": e.canonical or e.text, "count": 0})
            slot["count"] += 1
        for p in enr.places:
            slot = counts.setdefault(p.key, {"label": "LOC", "canonical": p.name, "count": 0})
            slot["count"] = max(slot["count"], p.mentions)
        with self.engine.begin() as conn:
            aid = enr.article_id
            conn.execute(delete(S.enrichments).where(S.enrichments.c.article_id == aid))
            conn.execute(delete(S.entity_mentions).where(S.entity_mentions.c.article_id == aid))
            conn.execute(insert(S.enrichments).values(article_id=aid, data=data, model=enr.model))
            if counts:
                conn.execute(
                    insert(S.entity_mentions),
                    [{"article_id": aid, "key": k, **v} for k, v in counts.items()],
                )

    def get(self, article_id: str) -> Enrichment | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(S.enrichments.c.data).where(S.enrichments.c.article_id == article_id)
            ).first()
        return Enrichment.from_dict(row[0]) if row else None

    def get_many(self, article_ids: Sequence[str]) -> dict[str, Enrichment]:
        """Enrichments of the given articles that have one, by article id (one query per 500 ids)."""
        out: dict[str, Enrichment] = {}
        t = S.enrichments.c
        with self.engine.connect() as conn:
            for i in range(0, len(article_ids), 500):
                chunk = list(article_ids[i : i + 500])
                for aid, data in conn.execute(select(t.article_id, t.data).where(t.article_id.in_(chunk))):
                    out[aid] = Enrichment.from_dict(data)
        return out

    def has(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            q = select(S.enrichments.c.article_id).where(S.enrichments.c.article_id == article_id)
            return conn.execute(q).first() is not None

    def entities(
        self, label: str | None = None, limit: int = 100, offset: int = 0, prefix: str | None = None
    ) -> list[dict[str, Any]]:
        """Corpus entities with article counts, most frequent first."""
        t = S.entity_mentions.c
        q = select(
            t.key,
            func.min(t.canonical).label("canonical"),
            func.min(t.label).label("label"),
            func.count(func.distinct(t.article_id)).label("articles"),
            func.sum(t.count).label("mentions"),
        ).group_by(t.key)
        if label:
            q = q.where(t.label == label)
        if prefix:
            q = q.where(t.key.like(prefix + "%"))
        q = q.order_by(func.count(func.distinct(t.article_id)).desc(), t.key).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def keys_for(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        t = S.entity_mentions.c
        out: dict[str, list[str]] = {a: [] for a in article_ids}
        with self.engine.connect() as conn:
            for i in range(0, len(article_ids), 500):
                chunk = list(article_ids[i : i + 500])
                for aid, key in conn.execute(select(t.article_id, t.key).where(t.article_id.in_(chunk))):
                    out[aid].append(key)
        return out


class Vectors:
    """Embeddings, computed once and stored; document vectors also go to the ANN index."""

    def __init__(self, engine: Engine, index: VectorIndex) -> None:
        self.engine = engine
        self.index = index

    def put(self, article_id: str, model: str, doc: np.ndarray, chunks: np.ndarray | None = None) -> None:
        self.put_many(model, [(article_id, doc, chunks)])

    def put_many(
        self, model: str, items: Sequence[tuple[str, np.ndarray, np.ndarray | None]]
    ) -> None:
        t = S.embeddings
        rows: list[dict[str, Any]] = []
        with self.engine.begin() as conn:
            ids = [i[0] for i in items]
            conn.execute(delete(t).where(and_(t.c.model == model, t.c.article_id.in_(ids))))
            start = conn.execute(
                select(func.coalesce(func.max(t.c.key), 0)).where(t.c.model == model)
            ).scalar_one()
            keys, docs = [], []
            for n, (aid, doc, chunks) in enumerate(items, start=1):
                doc = np.asarray(doc, dtype=np.float32).ravel()
                key = int(start) + n
                rows.append({"article_id": aid, "model": model, "chunk": -1, "vector": doc.tobytes(),
                             "dim": doc.size, "key": key})
                keys.append(key)
                docs.append(doc)
                if chunks is not None:
                    for ci, vec in enumerate(np.asarray(chunks, dtype=np.float32)):
                        rows.append({"article_id": aid, "model": model, "chunk": ci,
                                     "vector": vec.tobytes(), "dim": vec.size, "key": None})
            if rows:
                conn.execute(insert(t), rows)
        if keys:
            self.index.add(model, np.asarray(keys, dtype=np.int64), np.vstack(docs))

    def get(self, article_ids: Sequence[str], model: str, chunks: bool = False) -> dict[str, np.ndarray]:
        """Document vectors (or chunk matrices when `chunks`) per article id."""
        t = S.embeddings.c
        out: dict[str, list[tuple[int, np.ndarray]]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(article_ids), 500):
                chunk = list(article_ids[i : i + 500])
                cond = [t.model == model, t.article_id.in_(chunk)]
                cond.append(t.chunk >= 0 if chunks else t.chunk == -1)
                for aid, ci, blob in conn.execute(select(t.article_id, t.chunk, t.vector).where(and_(*cond))):
                    out.setdefault(aid, []).append((ci, np.frombuffer(blob, dtype=np.float32)))
        return {
            aid: (np.vstack([v for _, v in sorted(vs, key=lambda x: x[0])]) if chunks else vs[0][1])
            for aid, vs in out.items()
        }

    def missing(self, article_ids: Sequence[str], model: str) -> list[str]:
        have = self.get(article_ids, model)
        return [a for a in article_ids if a not in have]

    def search(self, model: str, vector: np.ndarray, k: int = 10) -> list[tuple[str, float]]:
        """Nearest stored articles to `vector`: (article_id, cosine), best first."""
        hits = self.index.search(model, np.asarray(vector, dtype=np.float32).ravel(), k)
        if not hits:
            return []
        t = S.embeddings.c
        keys = [h[0] for h in hits]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.key, t.article_id).where(and_(t.model == model, t.chunk == -1, t.key.in_(keys)))
            )
            by_key = {int(k): a for k, a in rows}
        return [(by_key[k], s) for k, s in hits if k in by_key]

    def all_doc_vectors(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """(keys, matrix) of every document vector of `model` (to rebuild an index)."""
        t = S.embeddings.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.key, t.vector).where(and_(t.model == model, t.chunk == -1))).all()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        keys = np.asarray([r[0] for r in rows], dtype=np.int64)
        return keys, np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])


class Stories:
    """Events and stories with article assignments and merge/split lineage."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, stories: Sequence[Story], dup_of: dict[str, str] | None = None) -> None:
        """Upsert stories (with their events and article assignments)."""
        dup_of = dup_of or {}
        with self.engine.begin() as conn:
            for st in stories:
                conn.execute(delete(S.events).where(S.events.c.story_id == st.id))
                conn.execute(delete(S.assignments).where(S.assignments.c.story_id == st.id))
                conn.execute(delete(S.stories).where(S.stories.c.id == st.id))
                data = st.to_dict()
                data.pop("events")
                conn.execute(
                    insert(S.stories).values(
                        id=st.id,
                        data=data,
                        first_seen=dt_to_str(st.first_seen),
                        last_seen=dt_to_str(st.last_seen),
                        size=len(st.articles),
                    )
                )
                ev_rows, as_rows = [], []
                for ev in st.events:
                    ev_rows.append({"id": ev.id, "story_id": st.id, "data": ev.to_dict(), "date": ev.date})
                    for aid in ev.articles:
                        as_rows.append({"article_id": aid, "event_id": ev.id, "story_id": st.id,
                                        "dup_of": dup_of.get(aid)})
                if as_rows:
                    ids = [r["article_id"] for r in as_rows]
                    conn.execute(delete(S.assignments).where(S.assignments.c.article_id.in_(ids)))
                if ev_rows:  # an event moved here by a split may still be stored under its old story
                    conn.execute(delete(S.events).where(S.events.c.id.in_([r["id"] for r in ev_rows])))
                    conn.execute(insert(S.events), ev_rows)
                if as_rows:
                    conn.execute(insert(S.assignments), as_rows)

    def delete(self, story_ids: Sequence[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(S.events).where(S.events.c.story_id.in_(list(story_ids))))
            conn.execute(delete(S.assignments).where(S.assignments.c.story_id.in_(list(story_ids))))
            conn.execute(delete(S.stories).where(S.stories.c.id.in_(list(story_ids))))

    def clear(self) -> None:
        with self.engine.begin() as conn:
            for t in (S.events, S.assignments, S.stories, S.lineage):
                conn.execute(delete(t))

    @staticmethod
    def _story(data: dict[str, Any], events: list[dict[str, Any]]) -> Story:
        evs = [
            Event(**{**e, "first_seen": str_to_dt(e.get("first_seen")), "last_seen": str_to_dt(e.get("last_seen"))})
            for e in events
        ]
        evs.sort(key=lambda e: (e.date or "", e.id))
        return Story(
            **{
                **data,
                "events": evs,
                "first_seen": str_to_dt(data.get("first_seen")),
                "last_seen": str_to_dt(data.get("last_seen")),
            }
        )

    def get(self, story_id: str) -> Story | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(S.stories.c.data).where(S.stories.c.id == story_id)).first()
            if not row:
                return None
            evs = [r[0] for r in conn.execute(select(S.events.c.data).where(S.events.c.story_id == story_id))]
        return self._story(row[0], evs)

    @staticmethod
    def _order(sort: str) -> list[Any]:
        """ORDER BY columns for size | recency | first (oldest first); size for anything else."""
        c = S.stories.c
        return {
            "size": [c.size.desc(), c.last_seen.desc()],
            "recency": [c.last_seen.desc(), c.size.desc()],
            "first": [c.first_seen, c.id],
        }.get(sort, [c.size.desc()])

    def list(self, sort: str = "size", limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories sorted by size | recency | first (oldest first)."""
        c = S.stories.c
        order = self._order(sort)
        q = select(c.id, c.data).order_by(*order).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            ids = [r[0] for r in rows]
            evs: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
            for i in range(0, len(ids), 500):
                q2 = select(S.events.c.story_id, S.events.c.data).where(S.events.c.story_id.in_(ids[i : i + 500]))
                for sid, data in conn.execute(q2):
                    evs[sid].append(data)
        return [self._story(data, evs[sid]) for sid, data in rows]

    def headers(self, sort: str = "size", limit: int | None = None, offset: int = 0,
                ids: Sequence[str] | None = None) -> list[Story]:
        """Like `list`, but the stories come without their events (cheap: for dashboards);
        `ids` restricts the result to those stories."""
        c = S.stories.c
        order = self._order(sort)
        q = select(c.data).order_by(*order).offset(offset)
        if ids is not None:
            q = q.where(c.id.in_(list(ids)))
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [self._story(row[0], []) for row in conn.execute(q)]

    def coverage(self, story_ids: Sequence[str] | None = None) -> dict[str, list[tuple[str, int]]]:
        """Assigned articles per event day: {story_id: [(YYYY-MM-DD, n), ...]} in date order.

        Undated events are left out; `story_ids=None` covers every story."""
        e, a = S.events.c, S.assignments.c
        q = (
            select(e.story_id, e.date, func.count(a.article_id))
            .select_from(S.events.join(S.assignments, a.event_id == e.id))
            .where(e.date.isnot(None))
            .group_by(e.story_id, e.date)
            .order_by(e.story_id, e.date)
        )
        out: dict[str, list[tuple[str, int]]] = {}
        with self.engine.connect() as conn:
            if story_ids is None:
                rows = list(conn.execute(q))
            else:
                ids = list(story_ids)
                rows = [r for i in range(0, len(ids), 500) for r in conn.execute(q.where(e.story_id.in_(ids[i : i + 500])))]
        for sid, day, n in rows:
            out.setdefault(sid, []).append((str(day)[:10], int(n)))
        return out

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(S.stories)).scalar_one())

    def of_article(self, article_id: str) -> tuple[str, str, str | None] | None:
        """(story_id, event_id, dup_of) for an article, if assigned."""
        t = S.assignments.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.story_id, t.event_id, t.dup_of).where(t.article_id == article_id)
            ).first()
        return (row[0], row[1], row[2]) if row else None

    def assignments(self) -> dict[str, tuple[str, str]]:
        t = S.assignments.c
        with self.engine.connect() as conn:
            return {a: (s, e) for a, e, s in conn.execute(select(t.article_id, t.event_id, t.story_id))}

    def duplicates_of(self, article_id: str) -> list[str]:
        """Other articles in the same near-duplicate group."""
        t = S.assignments.c
        with self.engine.connect() as conn:
            row = conn.execute(select(t.dup_of).where(t.article_id == article_id)).first()
            rep = (row[0] if row and row[0] else article_id)
            q = select(t.article_id).where(or_(t.dup_of == rep, t.article_id == rep))
            return [r[0] for r in conn.execute(q) if r[0] != article_id]

    def add_lineage(self, kind: str, level: str, from_ids: list[str], to_ids: list[str], note: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(S.lineage).values(kind=kind, level=level, from_ids=from_ids, to_ids=to_ids,
                                         at=now_iso(), note=note)
            )

    def lineage(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Merge/split records, oldest first; with `story_id`, those naming it on either side."""
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(S.lineage).order_by(S.lineage.c.id))]
        if story_id:
            rows = [r for r in rows if story_id in r["from_ids"] or story_id in r["to_ids"]]
        return rows

    def resolve(self, story_id: str, level: str = "story") -> list[str]:
        """Live ids that `story_id` lives on as: itself when stored, else where lineage took it (a merged-away
        id resolves to the story it was merged into, followed through later merges); [] when unknown."""
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(
                select(S.lineage).where(S.lineage.c.level == level).order_by(S.lineage.c.id))]

            def live(ids: list[str]) -> set[str]:
                if not ids:
                    return set()
                table = S.stories if level == "story" else S.events
                return {r[0] for r in conn.execute(select(table.c.id).where(table.c.id.in_(ids)))}

            if live([story_id]):
                return [story_id]
            frontier, seen, out = [story_id], {story_id}, []
            while frontier:
                cur = frontier.pop(0)
                nxt = [t for r in rows if cur in r["from_ids"] for t in r["to_ids"] if t not in seen]
                for t in nxt:
                    seen.add(t)
                alive = live(nxt)
                out.extend(t for t in nxt if t in alive)
                frontier.extend(t for t in nxt if t not in alive)
        return list(dict.fromkeys(out))


class State:
    """Opaque bytes per (namespace, key): component state such as the online clusterer's."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, namespace: str, key: str) -> bytes | None:
        t = S.state.c
        with self.engine.connect() as conn:
            row = conn.execute(select(t.value).where(and_(t.namespace == namespace, t.key == key))).first()
        return bytes(row[0]) if row and row[0] is not None else None

    def put(self, namespace: str, key: str, value: bytes) -> None:
        t = S.state
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(and_(t.c.namespace == namespace, t.c.key == key)))
            conn.execute(insert(t).values(namespace=namespace, key=key, value=value))

    def get_json(self, namespace: str, key: str) -> Any:
        raw = self.get(namespace, key)
        return json.loads(raw) if raw is not None else None

    def put_json(self, namespace: str, key: str, value: Any) -> None:
        self.put(namespace, key, json.dumps(value).encode("utf-8"))


class Jobs:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, kind: str, params: dict[str, Any]) -> str:
        jid = uuid.uuid4().hex[:16]
        with self.engine.begin() as conn:
            conn.execute(
                insert(S.jobs).values(id=jid, kind=kind, status="queued", params=params,
                                      created=now_iso(), updated=now_iso())
            )
        return jid

    def update(self, job_id: str, status: str, result: Any = None, error: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(S.jobs).where(S.jobs.c.id == job_id).values(
                    status=status, result=result, error=error, updated=now_iso()
                )
            )

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(S.jobs).where(S.jobs.c.id == job_id)).first()
        return dict(row._mapping) if row else None


# --------------------------------------------------------------------------- the store


class Store:
    """A storage backend: engine + text index + vector index, exposed as repositories."""

    name = "base"

    def __init__(self, engine: Engine, text_index: TextIndex, vector_index: VectorIndex) -> None:
        self.engine = engine
        self.articles = Articles(engine, text_index)
        self.ingest_log = IngestLog(engine)
        self.enrichments = Enrichments(engine)
        self.vectors = Vectors(engine, vector_index)
        self.stories = Stories(engine)
        self.state = State(engine)
        self.jobs = Jobs(engine)
        self._text_index = text_index
        self._vector_index = vector_index

    def create(self) -> None:
        S.metadata.create_all(self.engine)
        self._text_index.create()
        with self.engine.begin() as conn:
            if not conn.execute(select(S.meta_table).where(S.meta_table.c.key == "schema_version")).first():
                conn.execute(insert(S.meta_table).values(key="schema_version", value=str(S.SCHEMA_VERSION)))

    def flush(self) -> None:
        self._vector_index.flush()

    def close(self) -> None:
        self.flush()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
