"""Continuous ingestion: poll feeds (RSS/Atom URLs, OPML lists) and directories, politely, forever.

Politeness: conditional GET (ETag / Last-Modified → 304 costs nothing), robots.txt honoured per host,
at most `per_host` requests at once to one host, exponential backoff after errors (capped), a
User-Agent that names Storyline. Durability: every source's state (validators, failures, next poll,
file mtimes) lives in `store.state` (namespace "watch"), and every record goes through the ingest log,
so a restart neither re-ingests nor loses items. Stories update incrementally: each poll's new articles
go through `process_new` like any ingest.
"""

from __future__ import annotations

import logging
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

from storyline.models import IngestReport

log = logging.getLogger(__name__)
NAMESPACE = "watch"
MAX_BACKOFF = 6 * 3600.0
MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass
class SourceState:
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_due: float = 0.0
    last_status: str = ""
    files: dict[str, float] = field(default_factory=dict)  # directories: path -> mtime ingested


def expand_sources(sources: Sequence[str]) -> list[str]:
    """Feed URLs and directories as given; an OPML file becomes the feed URLs it lists."""
    out: list[str] = []
    for s in sources:
        p = Path(s)
        if p.is_file() and p.suffix.lower() in (".opml", ".xml") and _looks_like_opml(p):
            out.extend(read_opml(p))
        else:
            out.append(s)
    return list(dict.fromkeys(out))


def _looks_like_opml(path: Path) -> bool:
    with path.open("rb") as fh:
        return b"<opml" in fh.read(4096).lower()


def read_opml(path: Path) -> list[str]:
    """The `xmlUrl` of every outline in an OPML file."""
    if path.stat().st_size > MAX_OPML_BYTES:
        raise ValueError(f"{path}: OPML file over {MAX_OPML_BYTES} bytes")
    root = ET.parse(path).getroot()  # noqa: S314 - local file chosen by the user, size-capped
    return [o.attrib["xmlUrl"] for o in root.iter("outline") if o.attrib.get("xmlUrl")]


class Watcher:
    """Polls sources on an interval; `poll_once()` does one polite round."""

    def __init__(
        self,
        store: Any,
        sources: Sequence[str],
        interval: float = 900.0,
        per_host: int = 2,
        allow_private: bool = False,
        skip: Sequence[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        from storyline.ingest.records import ReadOptions

        self.store = store
        self.sources = expand_sources(sources)
        self.interval = interval
        self.per_host = per_host
        self.options = ReadOptions(allow_private=allow_private)
        self.skip = tuple(skip)
        self.clock = clock
        self._host_locks: dict[str, threading.Semaphore] = {}
        self._robots: dict[str, robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()
        self._store_lock = threading.Lock()

    # ------------------------------------------------------------------ state

    def state(self, source: str) -> SourceState:
        raw = self.store.state.get_json(NAMESPACE, source)
        return SourceState(**raw) if raw else SourceState()

    def save_state(self, source: str, st: SourceState) -> None:
        self.store.state.put_json(NAMESPACE, source, st.__dict__)

    # ------------------------------------------------------------------ politeness

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            return self._host_locks.setdefault(host, threading.Semaphore(self.per_host))

    def allowed(self, url: str) -> bool:
        """robots.txt says we may fetch `url` (a missing or unreadable robots.txt allows)."""
        from storyline.ingest.fetch import USER_AGENT, FetchError, fetch

        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = base in self._robots
        if not known:
            parser: robotparser.RobotFileParser | None = robotparser.RobotFileParser()
            try:
                page = fetch(urljoin(base, "/robots.txt"), 512 * 1024, 10.0, self.options.allow_private)
                assert parser is not None
                parser.parse(page.content.decode("utf-8", "replace").splitlines())
            except FetchError:
                parser = None  # no robots.txt (404) or unreachable: allowed
            with self._lock:
                self._robots[base] = parser
        rp = self._robots[base]
        return True if rp is None else rp.can_fetch(USER_AGENT, url)

    # ------------------------------------------------------------------ polling

    def due(self) -> list[str]:
        now = self.clock()
        return [s for s in self.sources if self.state(s).next_due <= now]

    def poll_once(self, force: bool = False) -> IngestReport:
        """Poll every due source once (all of them with `force`); returns the combined report."""
        todo = self.sources if force else self.due()
        total = IngestReport()
        with ThreadPoolExecutor(max_workers=max(1, min(8, len(todo)))) as pool:
            for rep in pool.map(self._poll_source, todo):
                total.read += rep.read
                total.stored += rep.stored
                total.duplicates += rep.duplicates
                total.skipped += rep.skipped
                total.rejected.extend(rep.rejected)
                total.article_ids.extend(rep.article_ids)
        return total

    def _poll_source(self, source: str) -> IngestReport:
        st = self.state(source)
        try:
            if source.startswith(("http://", "https://")):
                rep = self._poll_feed(source, st)
            else:
                rep = self._poll_dir(source, st)
            st.failures = 0
            st.next_due = self.clock() + self.interval
        except Exception as exc:  # noqa: BLE001 - one failing source must not stop the others
            st.failures += 1
            st.last_status = f"error: {exc}"[:300]
            delay = min(MAX_BACKOFF, self.interval * (2 ** min(st.failures, 10)))
            st.next_due = self.clock() + delay
            log.warning("watch %s: %s (retry in %.0fs)", source, exc, delay)
            rep = IngestReport(rejected=[{"origin": source, "record": "0", "reason": str(exc)}])
        self.save_state(source, st)
        return rep

    def _poll_feed(self, url: str, st: SourceState) -> IngestReport:
        from storyline.ingest.fetch import fetch
        from storyline.ingest.formats.feed import entries_to_raw
        from storyline.ingest.pipeline import ingest_records

        if not self.allowed(url):
            st.last_status = "disallowed by robots.txt"
            return IngestReport()
        headers = {}
        if st.etag:
            headers["If-None-Match"] = st.etag
        if st.last_modified:
            headers["If-Modified-Since"] = st.last_modified
        with self._host_slot(url):
            page = fetch(url, self.options.max_bytes, self.options.timeout, self.options.allow_private,
                         headers=headers)
        if page.status == 304:
            st.last_status = "304 not modified"
            return IngestReport()
        st.etag = page.headers.get("etag") or None
        st.last_modified = page.headers.get("last-modified") or None
        st.last_status = f"{page.status} ok"
        with self._store_lock:
            return ingest_records(entries_to_raw(page.content, url, self.options), self.store, skip=self.skip)

    def _poll_dir(self, directory: str, st: SourceState) -> IngestReport:
        from storyline.ingest.pipeline import ingest

        root = Path(directory)
        if not root.is_dir():
            raise FileNotFoundError(f"not a directory or feed URL: {directory}")
        changed = []
        for p in sorted(root.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                mtime = p.stat().st_mtime
                if st.files.get(str(p)) != mtime:
                    changed.append((str(p), mtime))
        st.last_status = f"{len(changed)} new or changed files"
        if not changed:
            return IngestReport()
        with self._store_lock:
            rep = ingest([c[0] for c in changed], self.store, skip=self.skip)
        for path, mtime in changed:
            st.files[path] = mtime
        return rep

    def run(self, stop: threading.Event, on_round: Callable[[IngestReport], None] | None = None) -> None:
        """Poll until `stop` is set, sleeping until the next source is due."""
        while not stop.is_set():
            rep = self.poll_once()
            if on_round is not None:
                on_round(rep)
            upcoming = [self.state(s).next_due for s in self.sources] or [self.clock() + self.interval]
            stop.wait(max(1.0, min(upcoming) - self.clock()))
