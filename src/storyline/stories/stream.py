"""Store-free streaming clustering: JSON lines in, `(id, event, story)` out, in input order.

Used by `storyline cluster` and the benchmarks. Records are embedded in small batches (one encoder
call per batch) and clustered one by one in the order given, so the output is what an online system
would have decided at each arrival.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from storyline.embed import embed_texts, get_encoder
from storyline.stories.clusterer import OnlineClusterer, Params
from storyline.stories.lexical import terms, text_keys
from storyline.stories.neardup import NearDuplicates
from storyline.stories.update import day_number

MAX_TEXT = 200_000  # characters kept per record (hostile input is capped)


class RecordError(ValueError):
    """A record that cannot be clustered, with the reason."""


@dataclass
class Record:
    id: str
    title: str
    text: str
    lang: str | None = None
    published: datetime | None = None
    url: str | None = None


def parse_record(line: str) -> Record:
    """One input line → `Record`; raises `RecordError` naming what is wrong."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise RecordError("not a JSON object")
    rid = obj.get("id")
    if not isinstance(rid, str | int) or isinstance(rid, bool) or str(rid) == "":
        raise RecordError("missing or invalid 'id'")
    title, text = obj.get("title") or "", obj.get("text") or ""
    if not isinstance(title, str) or not isinstance(text, str):
        raise RecordError(f"record {rid}: 'title' and 'text' must be strings")
    if not (title.strip() or text.strip()):
        raise RecordError(f"record {rid}: empty 'title' and 'text'")
    published = None
    if obj.get("published"):
        try:
            published = datetime.fromisoformat(str(obj["published"]).replace("Z", "+00:00"))
        except ValueError:
            raise RecordError(f"record {rid}: unparseable 'published' {str(obj['published'])[:40]!r}") from None
    lang = obj.get("lang") if isinstance(obj.get("lang"), str) else None
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    return Record(str(rid), title[:2000], text[:MAX_TEXT], lang, published, url)


class StreamClusterer:
    """An in-memory online clusterer with near-duplicate grouping and its own encoder."""

    def __init__(self, encoder: Any | None = None, params: Params | None = None,
                 neardup: bool = True, use_keys: bool = True) -> None:
        self.encoder = encoder or get_encoder()
        self.clusterer = OnlineClusterer(self.encoder.dim, params)
        self.neardup = NearDuplicates() if neardup else None
        self.use_keys = use_keys

    def add(self, rec: Record, vec: np.ndarray) -> tuple[str, str]:
        """Cluster one record whose document vector is already known."""
        rep = self.neardup.add(rec.id, f"{rec.title}\n{rec.text}") if self.neardup else None
        keys = text_keys(rec.title, rec.text, rec.lang) if self.use_keys else set()
        return self.clusterer.add(rec.id, vec, terms(rec.title, rec.text), keys, day_number(rec.published),
                                  dup_of=rep, lang=rec.lang)

    def run(self, records: Iterable[Record], batch: int = 32) -> Iterator[tuple[str, str, str]]:
        """Cluster records in the order given; yields (id, event id, story id)."""
        buf: list[Record] = []

        def flush() -> Iterator[tuple[str, str, str]]:
            vecs = embed_texts(self.encoder, [(r.title, r.text) for r in buf])
            for r, (doc, _chunks) in zip(buf, vecs, strict=True):
                ev, st = self.add(r, doc)
                yield r.id, ev, st
            buf.clear()

        for rec in records:
            buf.append(rec)
            if len(buf) >= batch:
                yield from flush()
        if buf:
            yield from flush()
