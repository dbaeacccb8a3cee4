"""Relational schema shared by every SQL store (SQLAlchemy Core).

Dialect-specific parts (full-text index, vector index) live in the store implementations.
Datetimes are stored as ISO 8601 strings in UTC so that they sort the same on every backend.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("source", Text),
    Column("title", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("lang", String(8)),
    Column("lang_share", JSON),
    Column("published", String(40)),
    Column("published_from", String(16)),
    Column("published_confidence", Float),
    Column("authors", JSON),
    Column("format", String(16)),
    Column("path", Text),
    Column("content_hash", String(64), nullable=False),
    Column("ingested_at", String(40)),
    Column("meta", JSON),
    Column("seq", Integer, nullable=False),  # arrival order
    Index("ix_articles_canonical_url", "canonical_url"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_lang", "lang"),
    Index("ix_articles_source", "source"),
    Index("ix_articles_seq", "seq"),
)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("origin", Text, primary_key=True),
    Column("record", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # stored | duplicate | rejected
    Column("article_id", String(32)),
    Column("reason", Text),
    Column("at", String(40)),
)

enrichments = Table(
    "enrichments",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("model", Text),
)

entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("article_id", String(32), nullable=False),
    Column("key", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("canonical", Text, nullable=False),
    Column("count", Integer, nullable=False, default=1),
    UniqueConstraint("article_id", "key", name="uq_entity_mentions"),
    Index("ix_entity_mentions_key", "key"),
)

embeddings = Table(
    "embeddings",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("model", String(64), primary_key=True),
    Column("chunk", Integer, primary_key=True),  # -1 = whole-document vector
    Column("vector", LargeBinary, nullable=False),  # float32 little-endian
    Column("dim", Integer, nullable=False),
    Column("key", Integer),  # integer key in the ANN index (document vectors only)
    Index("ix_embeddings_key", "model", "key"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("data", JSON, nullable=False),  # Story.to_dict() without events/articles
    Column("first_seen", String(40)),
    Column("last_seen", String(40)),
    Column("size", Integer, nullable=False, default=0),
)

events = Table(
    "events",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("story_id", String(32), nullable=False),
    Column("data", JSON, nullable=False),
    Column("date", String(10)),
    Index("ix_events_story", "story_id"),
)

assignments = Table(
    "assignments",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("event_id", String(32), nullable=False),
    Column("story_id", String(32), nullable=False),
    Column("dup_of", String(32)),  # near-duplicate group representative
    Index("ix_assignments_event", "event_id"),
    Index("ix_assignments_story", "story_id"),
)

lineage = Table(
    "lineage",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # merge | split | rename
    Column("level", String(8), nullable=False),  # story | event
    Column("from_ids", JSON, nullable=False),
    Column("to_ids", JSON, nullable=False),
    Column("at", String(40)),
    Column("note", Text),
)

state = Table(
    "state",
    metadata,
    Column("namespace", String(64), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("value", LargeBinary),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # queued | running | done | failed
    Column("params", JSON),
    Column("result", JSON),
    Column("error", Text),
    Column("created", String(40)),
    Column("updated", String(40)),
)

meta_table = Table(
    "storyline_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)
