"""Online two-level clustering: articles -> events (days) -> stories (months, years).

Each new article is matched against candidate events retrieved from a usearch index of event
centroids (top-k, so the cost per article grows with log(corpus), not with the corpus); each
candidate is scored on meaning (cosine to the centroid and to the nearest exemplar), terms, entity
keys, size and language mix (share of the cluster in another language than the article, alone and times
the cosine: cross-language candidates share few terms, so they get their own offset) by a logistic model (`Params`, calibrated on dev data by `storyline.stories.calibrate`),
damped by a soft time penalty on the logit (events: days; stories: months). The article joins the best event when the
probability clears the event threshold, otherwise it founds a new event, which is then matched the
same way against story centroids (second usearch index). When a new article clears a stricter merge
threshold for two clusters, they merge: the larger (then older) id survives and the merge is logged
as lineage. Ids are minted once from the founding article, so they are stable as news arrives.

The whole state (centroids, counts, profiles, assignments) round-trips through `to_bytes`/`from_bytes`
(numpy arrays + JSON, no pickle); the ANN indexes are rebuilt from the centroids on load.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from usearch.index import Index

from storyline.stories.lexical import DocTerms, OnlineIdf, key_overlap, profile_norm

# `xl` = share of the cluster's articles in another language than the arriving one (0 when unknown):
# with it the model shifts its bias where terms cannot overlap, and `xl_cos` gives cross-language pairs
# their own slope on the (lower) cross-lingual cosine.
EVENT_FEATURES = ["cos_centroid", "cos_nearest", "terms", "keys", "has_keys", "log_size", "xl", "xl_cos"]
STORY_FEATURES = ["cos_centroid", "cos_nearest", "terms", "keys", "has_keys", "log_size", "xl", "xl_cos"]
PARAMS_FILE = Path(__file__).with_name("params.json")
EXPIRY_EVERY = 2000  # articles between two expiry sweeps
EXPIRED_PROFILE = 30  # terms/keys kept for an expired event


@dataclass
class Params:
    """Decision model: logistic weights per level, attach/merge thresholds and time scales."""

    event_w: list[float] = field(default_factory=lambda: [9.0, 5.0, 4.0, 2.0, -0.5, 0.2])
    event_b: float = -11.0
    story_w: list[float] = field(default_factory=lambda: [8.0, 4.0, 3.0, 2.0, -0.5, 0.1])
    story_b: float = -8.0
    event_tau: float = 0.5
    story_tau: float = 0.5
    merge_tau: float = 0.9  # a second candidate this likely merges into the first
    event_slack_days: float = 2.0  # no time penalty within this distance of the event's span
    event_scale_days: float = 4.0  # beyond it, one logit unit per this many days
    event_max_days: float = 30.0  # events further away are skipped (expired)
    story_slack_days: float = 60.0
    story_scale_days: float = 730.0  # stories run for years: one logit unit per two years
    story_recheck: bool = False  # re-decide an event's story from its centroid as it grows (2, 4, 8... articles)
    k: int = 10
    exemplars: int = 8
    max_profile: int = 300
    fitted_on: str = "defaults"

    def __post_init__(self) -> None:
        # parameters fitted before features were added: the new features get weight 0 (no effect)
        self.event_w = list(self.event_w) + [0.0] * (len(EVENT_FEATURES) - len(self.event_w))
        self.story_w = list(self.story_w) + [0.0] * (len(STORY_FEATURES) - len(self.story_w))

    @classmethod
    def load(cls, path: str | Path | None = None) -> Params:
        """Parameters from `path`, else the calibrated `params.json` shipped with the package, else defaults."""
        p = Path(path) if path else PARAMS_FILE
        if p.exists():
            data = json.loads(p.read_text(encoding="utf-8"))
            known = {f for f in cls.__dataclass_fields__}
            return cls(**{k: v for k, v in data.items() if k in known})
        return cls()

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


def _release_freed_memory() -> None:
    """Hand freed heap pages back to the OS (glibc `malloc_trim`). Profiles shrunk on expiry leave many
    freed medium-sized blocks that glibc otherwise keeps resident, so a long stream's RSS would grow
    with the corpus even though live data does not. A no-op where glibc is absent."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Any = None


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def mint_id(prefix: str, article_id: str) -> str:
    """Stable id of a cluster founded by `article_id`."""
    return prefix + hashlib.sha1(f"{prefix}{article_id}".encode()).hexdigest()[:12]


class Cluster:
    """An event or a story: vector sum, exemplars, term and key profiles, time span, members."""

    __slots__ = ("id", "key", "vsum", "cen", "n", "exemplars", "terms", "tnorm", "keys", "langs", "t_min", "t_max",
                 "members", "parent", "indexed")

    def __init__(self, cid: str, key: int, dim: int) -> None:
        self.id = cid
        self.key = key
        self.vsum = np.zeros(dim, dtype=np.float32)
        self.n = 0
        self.cen = self.vsum
        self.exemplars = np.zeros((0, dim), dtype=np.float16)  # half precision: 4x less memory
        self.terms: Counter[str] = Counter()
        self.tnorm: tuple[int, int, float] = (-1, -1, 0.0)  # (size, idf epoch, TF-IDF norm of `terms`)
        self.keys: Counter[str] = Counter()
        self.langs: Counter[str] = Counter()  # members per language (those with a known language)
        self.t_min: float | None = None
        self.t_max: float | None = None
        self.members: list[str] = []  # article ids (events) or event ids (stories)
        self.parent: str | None = None  # story id of an event
        self.indexed: np.ndarray | None = None

    @property
    def centroid(self) -> np.ndarray:
        return self.cen

    def refresh(self) -> None:
        """Recompute the unit centroid from the vector sum."""
        norm = float(np.linalg.norm(self.vsum))
        self.cen = self.vsum / norm if norm else self.vsum.copy()

    def term_norm(self, idf: OnlineIdf) -> float:
        """TF-IDF norm of the term profile, recomputed when the cluster grows or the IDF has moved on."""
        epoch = int(math.log1p(idf.n) * 20)  # ~5% growth of the corpus
        if self.tnorm[0] != self.n or self.tnorm[1] != epoch:
            self.tnorm = (self.n, epoch, profile_norm(self.terms, idf))
        return self.tnorm[2]

    def other_lang_share(self, lang: str | None) -> float:
        """Share of members with a known language that are not in `lang` (0 when either is unknown)."""
        total = sum(self.langs.values())
        if not lang or not total:
            return 0.0
        return 1.0 - self.langs.get(lang, 0) / total

    def nearest_exemplar(self, vec: np.ndarray) -> float:
        return float(np.max(self.exemplars.astype(np.float32) @ vec)) if len(self.exemplars) else 0.0

    def time_gap(self, t: float | None) -> float | None:
        """Days between `t` and this cluster's time span (0 inside it); None when either is unknown."""
        if t is None or self.t_min is None or self.t_max is None:
            return None
        if t < self.t_min:
            return self.t_min - t
        return max(0.0, t - self.t_max)

    def absorb(self, vec: np.ndarray, terms: Counter[str], keys: Iterable[str], t: float | None,
               n: int, max_exemplars: int, max_profile: int, lang: str | None = None) -> None:
        self.vsum += vec
        self.n += n
        self.refresh()
        ex = (vec / (np.linalg.norm(vec) or 1.0)).astype(np.float16)
        if len(self.exemplars) < max_exemplars:
            self.exemplars = np.vstack([self.exemplars, ex[None, :]])
        else:  # keep the first half, rotate the rest (recent exemplars follow a drifting event)
            half = max_exemplars // 2
            self.exemplars[half + (self.n % (max_exemplars - half))] = ex
        self.terms.update(terms)
        if len(self.terms) > max_profile * 2:
            self.terms = Counter(dict(self.terms.most_common(max_profile)))
        self.keys.update(keys)
        if len(self.keys) > max_profile * 2:
            self.keys = Counter(dict(self.keys.most_common(max_profile)))
        if lang:
            self.langs[lang] += n
        if t is not None:
            self.t_min = t if self.t_min is None else min(self.t_min, t)
            self.t_max = t if self.t_max is None else max(self.t_max, t)


class _Level:
    """The clusters of one level plus their usearch centroid index."""

    def __init__(self, prefix: str, dim: int) -> None:
        self.prefix = prefix
        self.dim = dim
        self.clusters: dict[str, Cluster] = {}
        self.by_key: dict[int, str] = {}
        self.next_key = 1
        self.index = Index(ndim=dim, metric="cos", dtype="f32")

    def new(self, founder: str) -> Cluster:
        cid = mint_id(self.prefix, founder)
        n = 1
        while cid in self.clusters:  # the founder was re-clustered after a split: keep ids unique
            cid = mint_id(self.prefix, f"{founder}#{n}")
            n += 1
        c = Cluster(cid, self.next_key, self.dim)
        self.next_key += 1
        self.clusters[cid] = c
        self.by_key[c.key] = cid
        return c

    def reindex(self, c: Cluster, force: bool = False) -> None:
        """Refresh the ANN entry when the centroid has drifted (exact scores use the live centroid)."""
        cen = c.centroid
        if not force and c.indexed is not None and float(c.indexed @ cen) > 0.995:
            return
        if c.indexed is not None and c.key in self.index:
            self.index.remove(c.key)
        self.index.add(c.key, cen.astype(np.float32), threads=1)  # one vector: no thread pool
        c.indexed = cen.copy()

    def drop(self, c: Cluster) -> None:
        if c.key in self.index:
            self.index.remove(c.key)
        self.by_key.pop(c.key, None)
        self.clusters.pop(c.id, None)

    def nearest(self, vec: np.ndarray, k: int) -> list[Cluster]:
        if len(self.index) == 0:
            return []
        m = self.index.search(vec.astype(np.float32), min(k, len(self.index)), threads=1)
        return [self.clusters[self.by_key[int(key)]] for key in m.keys if int(key) in self.by_key]


@dataclass
class Candidate:
    cluster: Cluster
    features: list[float]
    prob: float


class OnlineClusterer:
    """Online two-level clusterer over document vectors, terms, entity keys and times (days)."""

    def __init__(self, dim: int, params: Params | None = None) -> None:
        self.dim = dim
        self.params = params or Params.load()
        self.events = _Level("e-", dim)
        self.stories = _Level("s-", dim)
        self.assign: dict[str, str] = {}  # article id -> event id
        self.idf = OnlineIdf()
        self.kidf = OnlineIdf()
        self.lineage: list[dict[str, Any]] = []  # pending merge records, drained by the caller
        self.touched_events: set[str] = set()
        self.touched_stories: set[str] = set()
        self.removed_stories: set[str] = set()
        self.removed_events: set[str] = set()
        self.t_latest: float | None = None
        self._since_expiry = 0

    # ------------------------------------------------------------------ scoring

    @staticmethod
    def _time_penalty(gap: float | None, slack: float, scale: float, max_days: float | None = None) -> float:
        """Logit penalty for distance in time: 0 within `slack` days, then one unit per `scale` days;
        infinite beyond `max_days` (expired). Unknown times cost nothing."""
        if gap is None:
            return 0.0
        if max_days is not None and gap > max_days:
            return math.inf
        return max(0.0, gap - slack) / scale

    def _features(self, c: Cluster, vec: np.ndarray, terms: DocTerms, keys: set[str],
                  lang: str | None = None) -> list[float]:
        cos_c = float(c.centroid @ vec)
        cos_n = c.nearest_exemplar(vec) if len(c.exemplars) else cos_c
        term = terms.cosine(c.terms, c.term_norm(self.idf))
        size = c.n
        kov = key_overlap(keys, c.keys, size, self.kidf)
        xl = c.other_lang_share(lang)
        return [cos_c, cos_n, term, kov, 1.0 if keys else 0.0, math.log1p(size), xl, xl * cos_c]

    def _prob(self, feats: list[float], level: str, penalty: float = 0.0) -> float:
        p = self.params
        w, b = (p.event_w, p.event_b) if level == "event" else (p.story_w, p.story_b)
        return _sigmoid(b + sum(wi * fi for wi, fi in zip(w, feats, strict=True)) - penalty)

    def event_candidates(self, vec: np.ndarray, terms: Counter[str], keys: set[str],
                         t: float | None, lang: str | None = None) -> list[Candidate]:
        """Top-k event candidates with features and gated probability, best first."""
        p = self.params
        out = []
        doc = DocTerms(terms, self.idf)
        for c in self.events.nearest(vec, p.k):
            pen = self._time_penalty(c.time_gap(t), p.event_slack_days, p.event_scale_days, p.event_max_days)
            if math.isinf(pen):
                continue  # expired: too far in time
            f = self._features(c, vec, doc, keys, lang)
            out.append(Candidate(c, f, self._prob(f, "event", pen)))
        return sorted(out, key=lambda x: -x.prob)

    def story_candidates(self, vec: np.ndarray, terms: Counter[str], keys: set[str],
                         t: float | None, lang: str | None = None) -> list[Candidate]:
        p = self.params
        out = []
        doc = DocTerms(terms, self.idf)
        for c in self.stories.nearest(vec, p.k):
            pen = self._time_penalty(c.time_gap(t), p.story_slack_days, p.story_scale_days)
            f = self._features(c, vec, doc, keys, lang)
            out.append(Candidate(c, f, self._prob(f, "story", pen)))
        return sorted(out, key=lambda x: -x.prob)

    # ------------------------------------------------------------------ updates

    def _absorb(self, level: _Level, c: Cluster, vec: np.ndarray, terms: Counter[str], keys: Iterable[str],
                t: float | None, lang: str | None = None) -> None:
        p = self.params
        c.absorb(vec, terms, keys, t, 1, p.exemplars, p.max_profile, lang)
        level.reindex(c)

    def add(self, article_id: str, vec: np.ndarray, terms: Counter[str] | None = None,
            keys: Iterable[str] = (), t: float | None = None, dup_of: str | None = None,
            lang: str | None = None) -> tuple[str, str]:
        """Cluster one article; returns (event id, story id). Re-adding a known article is a no-op.

        `lang` (ISO code, optional) lets the decision tell cross-language candidates apart (no shared terms,
        lower cosines) from unrelated ones."""
        if article_id in self.assign:
            ev = self.events.clusters[self.assign[article_id]]
            return ev.id, str(ev.parent)
        vec = np.asarray(vec, dtype=np.float32).ravel()
        vec = vec / (np.linalg.norm(vec) or 1.0)
        terms = terms or Counter()
        keyset = set(keys)
        self.idf.add(terms)
        self.kidf.add(keyset)
        if t is not None:
            self.t_latest = t if self.t_latest is None else max(self.t_latest, t)
        self._since_expiry += 1
        if self._since_expiry >= EXPIRY_EVERY:
            self.expire()
        if dup_of and dup_of in self.assign:  # a near-copy goes where its original went
            return self._attach(article_id, self.events.clusters[self.assign[dup_of]], vec, terms, keyset, t, lang)
        cands = self.event_candidates(vec, terms, keyset, t, lang)
        if cands and cands[0].prob >= self.params.event_tau:
            best = cands[0].cluster
            for other in cands[1:]:
                if other.prob >= self.params.merge_tau and other.cluster.id in self.events.clusters:
                    best = self.merge_events(best, other.cluster, reason=f"bridged by {article_id}")
            return self._attach(article_id, best, vec, terms, keyset, t, lang)
        ev = self.events.new(article_id)
        scands = self.story_candidates(vec, terms, keyset, t, lang)
        if scands and scands[0].prob >= self.params.story_tau:
            story = scands[0].cluster
            for other in scands[1:]:
                if other.prob >= self.params.merge_tau and other.cluster.id in self.stories.clusters:
                    story = self.merge_stories(story, other.cluster, reason=f"bridged by {article_id}")
        else:
            story = self.stories.new(article_id)
        ev.parent = story.id
        story.members.append(ev.id)
        return self._attach(article_id, ev, vec, terms, keyset, t, lang)

    def _attach(self, article_id: str, ev: Cluster, vec: np.ndarray, terms: Counter[str], keys: set[str],
                t: float | None, lang: str | None = None) -> tuple[str, str]:
        story = self.stories.clusters[str(ev.parent)]
        ev.members.append(article_id)
        self.assign[article_id] = ev.id
        self._absorb(self.events, ev, vec, terms, keys, t, lang)
        self._absorb(self.stories, story, vec, terms, keys, t, lang)
        self.touched_events.add(ev.id)
        self.touched_stories.add(story.id)
        if self.params.story_recheck and ev.n >= 2 and ev.n & (ev.n - 1) == 0:
            story = self._recheck_story(ev)
        return ev.id, story.id

    def _recheck_story(self, ev: Cluster) -> Cluster:
        """Event-to-story decision with the event's evidence instead of its founding article's: the event
        centroid, pooled terms and the keys at least half its articles mention. Another story this likely
        to be the same (>= merge_tau) is merged in. Returns the event's story."""
        story = self.stories.clusters[str(ev.parent)]
        keys = {k for k, n in ev.keys.items() if 2 * n >= ev.n}
        lang = ev.langs.most_common(1)[0][0] if ev.langs else None
        doc = DocTerms(ev.terms, self.idf)
        p = self.params
        for c in self.stories.nearest(ev.centroid, p.k):
            if c.id == story.id or c.id not in self.stories.clusters:
                continue
            pen = self._time_penalty(c.time_gap(ev.t_max), p.story_slack_days, p.story_scale_days)
            gap_min = c.time_gap(ev.t_min)
            if gap_min is not None:
                pen = min(pen, self._time_penalty(gap_min, p.story_slack_days, p.story_scale_days))
            f = self._features(c, ev.centroid, doc, keys, lang)
            if self._prob(f, "story", pen) >= p.merge_tau:
                story = self.merge_stories(story, c, reason=f"event {ev.id} re-checked at {ev.n} articles")
        return story

    @staticmethod
    def _survivor(a: Cluster, b: Cluster) -> tuple[Cluster, Cluster]:
        """(survivor, absorbed): the larger cluster survives; on a tie the older (lower key)."""
        if (a.n, -a.key) >= (b.n, -b.key):
            return a, b
        return b, a

    def _fold(self, level: _Level, keep: Cluster, gone: Cluster) -> None:
        p = self.params
        keep.vsum += gone.vsum
        keep.n += gone.n
        keep.exemplars = np.vstack([keep.exemplars, gone.exemplars])[: p.exemplars]
        keep.refresh()
        keep.terms.update(gone.terms)
        keep.keys.update(gone.keys)
        keep.langs.update(gone.langs)
        for t in (gone.t_min, gone.t_max):
            if t is not None:
                keep.t_min = t if keep.t_min is None else min(keep.t_min, t)
                keep.t_max = t if keep.t_max is None else max(keep.t_max, t)
        keep.members.extend(gone.members)
        level.drop(gone)
        level.reindex(keep, force=True)

    def merge_events(self, a: Cluster, b: Cluster, reason: str = "") -> Cluster:
        """Merge two events (and their stories when they differ); returns the surviving event."""
        keep, gone = self._survivor(a, b)
        if keep.parent != gone.parent:
            sa, sb = self.stories.clusters[str(keep.parent)], self.stories.clusters[str(gone.parent)]
            self.merge_stories(sa, sb, reason=reason)
        story = self.stories.clusters[str(keep.parent)]
        if gone.id in story.members:
            story.members.remove(gone.id)
        for aid in gone.members:
            self.assign[aid] = keep.id
        self._fold(self.events, keep, gone)
        # the story's sums already contain both events' articles: only the event level folds
        self.lineage.append({"kind": "merge", "level": "event", "from": [keep.id, gone.id], "to": [keep.id],
                             "note": reason})
        self.touched_events.add(keep.id)
        self.removed_events.add(gone.id)
        self.touched_stories.add(story.id)
        return keep

    def merge_stories(self, a: Cluster, b: Cluster, reason: str = "") -> Cluster:
        """Merge two stories; the larger (then older) id survives; returns it."""
        keep, gone = self._survivor(a, b)
        for eid in gone.members:
            self.events.clusters[eid].parent = keep.id
        self._fold(self.stories, keep, gone)
        self.lineage.append({"kind": "merge", "level": "story", "from": [keep.id, gone.id], "to": [keep.id],
                             "note": reason})
        self.touched_stories.add(keep.id)
        self.touched_stories.discard(gone.id)
        self.removed_stories.add(gone.id)
        return keep

    def expire(self) -> int:
        """Take events that ended long before the newest article out of the ANN index and shrink their
        profiles (they can no longer be joined: see `event_max_days`), so memory and search cost per
        article stay flat as the corpus grows. Returns how many events expired."""
        self._since_expiry = 0
        if self.t_latest is None:
            return 0
        horizon = self.t_latest - 2 * self.params.event_max_days
        n = 0
        for c in self.events.clusters.values():
            if c.indexed is None or c.t_max is None or c.t_max >= horizon:
                continue
            if c.key in self.events.index:
                self.events.index.remove(c.key)
            c.indexed = None
            c.exemplars = c.exemplars[:1].copy()  # a copy: a view would keep all exemplars alive
            c.terms = Counter(dict(c.terms.most_common(EXPIRED_PROFILE)))
            c.keys = Counter(dict(c.keys.most_common(EXPIRED_PROFILE)))
            n += 1
        if n:
            _release_freed_memory()
        return n

    # ------------------------------------------------------------------ splits (see storyline.stories.split)

    def rebuild_story(self, story: Cluster, event_ids: Sequence[str]) -> None:
        """Recompute a story's sums, size, exemplars, profiles and time span from `event_ids` (which
        become its members) and refresh its ANN entry. Event sums add up to story sums exactly."""
        p = self.params
        evs = [self.events.clusters[e] for e in event_ids]
        story.members = list(event_ids)
        story.vsum = np.sum([e.vsum for e in evs], axis=0).astype(np.float32) if evs else story.vsum * 0
        story.n = sum(e.n for e in evs)
        story.refresh()
        ex: list[np.ndarray] = []
        for i in range(p.exemplars):  # round robin: the first exemplar of each event first
            for e in evs:
                if i < len(e.exemplars) and len(ex) < p.exemplars:
                    ex.append(e.exemplars[i])
        story.exemplars = np.vstack(ex).astype(np.float16) if ex else story.exemplars[:0]
        story.terms, story.keys, story.langs = Counter(), Counter(), Counter()
        for e in evs:
            story.terms.update(e.terms)
            story.keys.update(e.keys)
            story.langs.update(e.langs)
        if len(story.terms) > p.max_profile * 2:
            story.terms = Counter(dict(story.terms.most_common(p.max_profile)))
        if len(story.keys) > p.max_profile * 2:
            story.keys = Counter(dict(story.keys.most_common(p.max_profile)))
        story.tnorm = (-1, -1, 0.0)
        ts = [t for e in evs for t in (e.t_min, e.t_max) if t is not None]
        story.t_min, story.t_max = (min(ts), max(ts)) if ts else (None, None)
        for e in evs:
            e.parent = story.id
        self.stories.reindex(story, force=True)

    def split_story(self, story_id: str, groups: Sequence[Sequence[str]], reason: str = "") -> list[str]:
        """Split a story into groups of its events. `groups[0]` keeps the story id; every other group
        becomes a new story whose id is minted from the founding article of its oldest event. Records a
        `split` lineage entry and returns the story ids (kept id first)."""
        story = self.stories.clusters[story_id]
        grouped = [e for g in groups for e in g]
        if len(groups) < 2 or sorted(grouped) != sorted(story.members) or any(not g for g in groups):
            raise ValueError(f"split of {story_id}: groups must partition its events into non-empty parts")
        out = [story_id]
        for g in groups[1:]:
            oldest = min((self.events.clusters[e] for e in g), key=lambda c: c.key)
            new = self.stories.new(oldest.members[0] if oldest.members else oldest.id)
            self.rebuild_story(new, g)
            out.append(new.id)
            self.removed_stories.discard(new.id)
            self.touched_stories.add(new.id)
        self.rebuild_story(story, groups[0])
        self.touched_stories.add(story_id)
        self.lineage.append({"kind": "split", "level": "story", "from": [story_id], "to": out, "note": reason})
        return out

    def split_event(self, event_id: str, groups: Sequence[Sequence[str]],
                    article: Callable[[str], tuple[np.ndarray, Counter[str], set[str], float | None, str | None]],
                    reason: str = "") -> list[str]:
        """Split a live event into groups of its articles, rebuilding each part from the articles' data
        (`article(id)` -> (vector, terms, keys, day, language)). `groups[0]` keeps the id; the others become new
        events of the same story (ids minted from their first article). Returns the event ids."""
        ev = self.events.clusters[event_id]
        grouped = [a for g in groups for a in g]
        if len(groups) < 2 or sorted(grouped) != sorted(ev.members) or any(not g for g in groups):
            raise ValueError(f"split of {event_id}: groups must partition its articles into non-empty parts")
        if ev.indexed is None:
            raise ValueError(f"split of {event_id}: the event has expired")
        order = {a: i for i, a in enumerate(ev.members)}
        story = self.stories.clusters[str(ev.parent)]
        if ev.key in self.events.index:
            self.events.index.remove(ev.key)
        kept = Cluster(ev.id, ev.key, self.dim)
        kept.parent = ev.parent
        self.events.clusters[ev.id] = kept
        parts = [kept]
        for g in groups[1:]:
            new = self.events.new(min(g, key=order.__getitem__))
            new.parent = ev.parent
            story.members.append(new.id)
            parts.append(new)
        p = self.params
        for c, g in zip(parts, groups, strict=True):
            for aid in sorted(g, key=order.__getitem__):
                vec, terms, keys, t, lang = article(aid)
                vec = np.asarray(vec, dtype=np.float32).ravel()
                c.members.append(aid)
                self.assign[aid] = c.id
                c.absorb(vec / (np.linalg.norm(vec) or 1.0), terms, keys, t, 1, p.exemplars, p.max_profile, lang)
            self.events.reindex(c, force=True)
            self.touched_events.add(c.id)
        self.touched_stories.add(story.id)
        out = [c.id for c in parts]
        self.lineage.append({"kind": "split", "level": "event", "from": [event_id], "to": out, "note": reason})
        return out

    # ------------------------------------------------------------------ queries

    def story_of(self, article_id: str) -> str | None:
        eid = self.assign.get(article_id)
        return self.events.clusters[eid].parent if eid else None

    def event_members(self, event_id: str) -> list[str]:
        return list(self.events.clusters[event_id].members)

    def story_events(self, story_id: str) -> list[str]:
        return list(self.stories.clusters[story_id].members)

    def drain_changes(self) -> tuple[set[str], set[str], list[dict[str, Any]]]:
        """(touched story ids, removed story ids, lineage records) since the last call; resets them."""
        out = (set(self.touched_stories) - self.removed_stories, set(self.removed_stories), list(self.lineage))
        self.touched_events.clear()
        self.touched_stories.clear()
        self.removed_stories.clear()
        self.removed_events.clear()
        self.lineage.clear()
        return out

    # ------------------------------------------------------------------ persistence

    def _dump_level(self, level: _Level) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        cs = list(level.clusters.values())
        ex_count = [len(c.exemplars) for c in cs]
        ex = [c.exemplars for c in cs if len(c.exemplars)]
        meta = {
            "next_key": level.next_key,
            "clusters": [
                {"id": c.id, "key": c.key, "n": c.n, "terms": dict(c.terms), "keys": dict(c.keys),
                 "langs": dict(c.langs),
                 "t": [c.t_min, c.t_max], "members": c.members, "parent": c.parent,
                 "live": c.indexed is not None}
                for c in cs
            ],
            "ex_count": ex_count,
        }
        arrays = {
            "vsum": np.vstack([c.vsum for c in cs]) if cs else np.zeros((0, self.dim), np.float32),
            "ex": np.vstack(ex) if ex else np.zeros((0, self.dim), np.float16),
        }
        return meta, arrays

    def _load_level(self, level: _Level, meta: dict[str, Any], vsum: np.ndarray, ex: np.ndarray) -> None:
        level.next_key = int(meta["next_key"])
        pos = 0
        for i, (m, n_ex) in enumerate(zip(meta["clusters"], meta["ex_count"], strict=True)):
            c = Cluster(m["id"], int(m["key"]), self.dim)
            c.n = int(m["n"])
            c.vsum = vsum[i].astype(np.float32).copy()
            c.exemplars = ex[pos : pos + n_ex].astype(np.float16)
            c.refresh()
            pos += n_ex
            c.terms = Counter(m["terms"])
            c.keys = Counter(m["keys"])
            c.langs = Counter(m.get("langs", {}))
            c.t_min, c.t_max = m["t"]
            c.members = list(m["members"])
            c.parent = m["parent"]
            c.indexed = c.cen if m.get("live", True) else None
            level.clusters[c.id] = c
            level.by_key[c.key] = c.id
        live = [c for c in level.clusters.values() if c.indexed is not None]
        if live:
            cens = np.vstack([c.centroid for c in live]).astype(np.float32)
            level.index.add(np.asarray([c.key for c in live], dtype=np.int64), cens)

    def to_bytes(self) -> bytes:
        """Serialise the full state (numpy arrays + JSON; no pickle)."""
        em, ea = self._dump_level(self.events)
        sm, sa = self._dump_level(self.stories)
        meta = {
            "version": 1, "dim": self.dim, "t_latest": self.t_latest, "params": asdict(self.params), "events": em, "stories": sm,
            "assign": self.assign, "idf": [self.idf.n, dict(self.idf.df)],
            "kidf": [self.kidf.n, dict(self.kidf.df)],
        }
        buf = io.BytesIO()
        np.savez_compressed(buf, ev_vsum=ea["vsum"], ev_ex=ea["ex"], st_vsum=sa["vsum"], st_ex=sa["ex"],
                            meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, params: Params | None = None) -> OnlineClusterer:
        """Restore a clusterer saved by `to_bytes` (current `params` win over the saved ones if given)."""
        z = np.load(io.BytesIO(data), allow_pickle=False)
        meta = json.loads(z["meta"].tobytes().decode("utf-8"))
        if meta.get("version") != 1:
            raise ValueError(f"unsupported clusterer state version: {meta.get('version')!r}")
        saved = Params(**{k: v for k, v in meta["params"].items() if k in Params.__dataclass_fields__})
        cl = cls(int(meta["dim"]), params or saved)
        cl._load_level(cl.events, meta["events"], z["ev_vsum"], z["ev_ex"])
        cl._load_level(cl.stories, meta["stories"], z["st_vsum"], z["st_ex"])
        cl.assign = dict(meta["assign"])
        cl.t_latest = meta.get("t_latest")
        cl.idf.n, cl.idf.df = int(meta["idf"][0]), Counter(meta["idf"][1])
        cl.kidf.n, cl.kidf.df = int(meta["kidf"][0]), Counter(meta["kidf"][1])
        return cl
