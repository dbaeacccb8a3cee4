"""Plain dataclasses exchanged between pipeline stages.

ingest -> RawDocument -> clean -> Article -> enrich -> Enrichment -> embed -> vectors
-> link (Similarity) -> stories (Event, Story, Assignment) -> store.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

DateSource = Literal["metadata", "url", "text"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class JsonMixin:
    """`to_dict()` for dataclasses: datetimes become ISO 8601 strings."""

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(self)


@dataclass
class RawDocument(JsonMixin):
    """One record read from an input, before cleaning.

    `origin` names where it came from (file path, URL, `file.warc.gz#record=12`) and,
    together with `record`, is the resume key of an interrupted ingest.
    """

    origin: str
    format: str  # text | html | json | feed | warc | url
    record: str = "0"
    content: str | bytes = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None  # raw, unparsed metadata value
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article(JsonMixin):
    """A cleaned article: the unit everything else works on."""

    id: str
    text: str
    title: str = ""
    url: str | None = None
    canonical_url: str | None = None
    source: str | None = None  # outlet, e.g. "Sputnik International" or a host name
    lang: str | None = None  # ISO 639-1
    lang_share: dict[str, float] = field(default_factory=dict)  # share of text per language
    published: datetime | None = None
    published_from: DateSource | None = None
    published_confidence: float = 0.0
    authors: list[str] = field(default_factory=list)
    format: str = "text"
    path: str | None = None  # origin file / record
    content_hash: str = ""
    ingested_at: datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def hash_text(text: str) -> str:
        """Content hash over whitespace- and case-normalised text."""
        norm = " ".join(text.lower().split())
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()

    @staticmethod
    def make_id(canonical_url: str | None, content_hash: str) -> str:
        """Stable id: from the canonical URL when known, else from the content hash."""
        key = f"url:{canonical_url}" if canonical_url else f"hash:{content_hash}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Entity(JsonMixin):
    """A named-entity mention with its normalised key (e.g. `per:vladimir_putin`, `loc:KP`)."""

    text: str
    label: str  # PER | ORG | LOC | GPE | MISC | DATE ...
    start: int
    end: int
    key: str = ""
    canonical: str = ""


@dataclass
class Place(JsonMixin):
    """A resolved place: country (ISO 3166-1 alpha-2) and optionally a city, with coordinates."""

    name: str
    key: str
    country: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    mentions: int = 1
    focus: bool = False


@dataclass
class DateMention(JsonMixin):
    """A date mentioned in text, resolved relative to the publication date."""

    text: str
    date: str  # ISO date YYYY-MM-DD
    sentence: str
    start: int = -1
    end: int = -1
    granularity: str = "day"  # day | month | year


@dataclass
class Quote(JsonMixin):
    """A direct quote or reported speech with its (normalised) speaker."""

    text: str
    speaker: str | None = None
    speaker_key: str | None = None
    kind: str = "direct"  # direct | reported
    start: int = -1
    end: int = -1


@dataclass
class Enrichment(JsonMixin):
    """What the understanding stage extracts from one article."""

    article_id: str
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    keyphrases: list[str] = field(default_factory=list)
    event_date: str | None = None
    model: str = ""  # which models produced it, e.g. "spacy:en_core_web_sm" or "fallback:rules"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Enrichment:
        return cls(
            article_id=d["article_id"],
            entities=[Entity(**e) for e in d.get("entities", [])],
            places=[Place(**p) for p in d.get("places", [])],
            dates=[DateMention(**x) for x in d.get("dates", [])],
            quotes=[Quote(**q) for q in d.get("quotes", [])],
            keyphrases=list(d.get("keyphrases", [])),
            event_date=d.get("event_date"),
            model=d.get("model", ""),
        )


@dataclass
class Event(JsonMixin):
    """What happened, over days: a cluster of articles."""

    id: str
    story_id: str
    title: str = ""
    date: str | None = None  # YYYY-MM-DD
    summary: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass
class Story(JsonMixin):
    """A thread of events over months or years."""

    id: str
    title: str = ""
    events: list[Event] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    independent_sources: int = 0


@dataclass
class IngestReport(JsonMixin):
    """Summary of one ingest run."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    skipped: int = 0  # already ingested (resume / idempotence)
    rejected: list[dict[str, str]] = field(default_factory=list)  # {"origin","record","reason"}
    article_ids: list[str] = field(default_factory=list)
