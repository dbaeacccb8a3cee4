"""Story splits: re-check the cohesion of stories that changed and split the ones that fell apart.

The online clusterer joins an event to a story on the evidence it has at that moment; an ambiguous
article (a "bridge") can pull two threads into one story, and later reports then show two separate
threads. `check_stories` revisits each story that changed:

1. **Core events** are events with at least `min_core` articles; single-article events (bridges,
   stray reports) may not hold a story together on their own.
2. Two core events are linked when the clusterer's own story model (`OnlineClusterer._features` /
   `_prob`: centroid and nearest-exemplar cosine, TF-IDF terms, entity/place keys, size, time gap),
   scored event against event in both directions, clears the *split* threshold: the story join
   threshold lowered by a hysteresis margin (`margin` logit units), so a story is only split when the
   parts are clearly apart and a story does not flip-flop between one and two.
3. The connected components are then compared as wholes (core events pooled): components whose pooled
   link still clears the split threshold are put back together.
4. When two or more parts remain, every other event goes to the part it links best (ties: the part
   that keeps the id), and the story is split: the part holding most of the articles users had
   already seen (then the oldest) keeps the id, the others get new ids, a `split` lineage record
   names them all, and the clusterer's centroids and indexes are rebuilt so that later arrivals go
   to the right part. Splits never lose or duplicate an article.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.stories.clusterer import Cluster, OnlineClusterer
from storyline.stories.lexical import DocTerms


@dataclass
class SplitParams:
    """Hysteresis and size limits of the cohesion check."""

    margin: float = 0.5  # logit units below the story join threshold that count as "clearly apart"
    # (chosen on ECB+ dev topics by bench/stories_splits.py; the smallest margin on its grid)
    min_core: int = 2  # articles an event needs to count as a core event
    neighbours: int = 8  # core events scored per core event in big stories (nearest by centroid)
    max_core: int = 400  # only the biggest core events of a giant story are examined
    max_parts: int = 60  # a story falling into more pieces than this is left alone (too fragmented to judge)


@dataclass
class SplitResult:
    """One split: the story, the ids of its parts (kept id first), events per part, and why."""

    story: str
    parts: list[str]
    events: list[list[str]]
    reason: str


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def split_threshold(cl: OnlineClusterer, sp: SplitParams) -> float:
    """Probability below which two parts of a story count as clearly apart."""
    return 1.0 / (1.0 + math.exp(-(_logit(cl.params.story_tau) - sp.margin)))


def _fill(cl: OnlineClusterer, tmp: Cluster, events: Sequence[Cluster]) -> None:
    p = cl.params
    tmp.vsum = np.sum([e.vsum for e in events], axis=0).astype(np.float32)
    tmp.n = sum(e.n for e in events)
    tmp.refresh()
    ex = [e.exemplars[i] for i in range(p.exemplars) for e in events if i < len(e.exemplars)][: p.exemplars]
    tmp.exemplars = np.vstack(ex).astype(np.float16) if ex else tmp.exemplars
    for e in events:
        tmp.terms.update(e.terms)
        tmp.keys.update(e.keys)
    ts = [t for e in events for t in (e.t_min, e.t_max) if t is not None]
    tmp.t_min, tmp.t_max = (min(ts), max(ts)) if ts else (None, None)


def _span_gap(a: Cluster, b: Cluster) -> float | None:
    if a.t_min is None or a.t_max is None or b.t_min is None or b.t_max is None:
        return None
    return max(0.0, a.t_min - b.t_max, b.t_min - a.t_max)


class Linker:
    """Scores cluster-to-cluster links with the clusterer's story model (both directions, best kept)."""

    def __init__(self, cl: OnlineClusterer) -> None:
        self.cl = cl
        # keyed by id(); the cluster is kept in the value so that its id cannot be reused meanwhile
        self._doc: dict[int, tuple[Cluster, DocTerms, set[str]]] = {}

    def _as_doc(self, c: Cluster) -> tuple[DocTerms, set[str]]:
        got = self._doc.get(id(c))
        if got is None:
            # the keys a cluster stands for: those at least half of its members mention
            keys = {k for k, n in c.keys.items() if n * 2 >= c.n} or {k for k, _ in c.keys.most_common(10)}
            got = (c, DocTerms(c.terms, self.cl.idf), keys)
            self._doc[id(c)] = got
        return got[1], got[2]

    def directed(self, a: Cluster, b: Cluster) -> float:
        """Probability that `a`, arriving as one document, would join `b` as a story."""
        cl, p = self.cl, self.cl.params
        doc, keys = self._as_doc(a)
        pen = cl._time_penalty(_span_gap(a, b), p.story_slack_days, p.story_scale_days)
        return cl._prob(cl._features(b, a.centroid, doc, keys), "story", pen)

    def link(self, a: Cluster, b: Cluster) -> float:
        return max(self.directed(a, b), self.directed(b, a))


def _components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _candidate_pairs(core: Sequence[Cluster], k: int) -> list[tuple[int, int]]:
    """All pairs in small stories; each event's `k` nearest (by centroid cosine) in big ones."""
    n = len(core)
    if n <= k + 1:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    cen = np.vstack([c.centroid for c in core]).astype(np.float32)
    sim = cen @ cen.T
    np.fill_diagonal(sim, -np.inf)
    near = np.argpartition(-sim, k, axis=1)[:, :k]
    return sorted({(min(i, int(j)), max(i, int(j))) for i in range(n) for j in near[i]})


def story_parts(cl: OnlineClusterer, story_id: str, sp: SplitParams | None = None) -> list[list[str]] | None:
    """Event ids per part when the story has fallen apart (unordered), else None."""
    sp = sp or SplitParams()
    story = cl.stories.clusters.get(story_id)
    if story is None or len(story.members) < 2:
        return None
    events = [cl.events.clusters[e] for e in story.members]
    core = [e for e in events if e.n >= sp.min_core]
    if len(core) < 2:
        return None
    core = sorted(core, key=lambda e: (-e.n, e.key))[: sp.max_core]
    thr = split_threshold(cl, sp)
    linker = Linker(cl)
    edges = [(i, j) for i, j in _candidate_pairs(core, sp.neighbours) if linker.link(core[i], core[j]) >= thr]
    comps = [[core[i] for i in g] for g in _components(len(core), edges)]
    if len(comps) < 2 or len(comps) > sp.max_parts:
        return None  # cohesive, or too fragmented to judge: leave it alone
    # parts still linked as wholes belong together: join the best-linked pair until none clears the threshold
    pools = [_pooled(cl, c) for c in comps]
    links = {(i, j): linker.link(pools[i], pools[j]) for i in range(len(comps)) for j in range(i + 1, len(comps))}
    alive = set(range(len(comps)))
    while links:
        (i, j), best = max(links.items(), key=lambda kv: kv[1])
        if best < thr:
            break
        comps[i] = comps[i] + comps[j]
        pools[i] = _pooled(cl, comps[i])
        alive.discard(j)
        links = {k: v for k, v in links.items() if i not in k and j not in k}
        for o in alive - {i}:
            links[(min(i, o), max(i, o))] = linker.link(pools[i], pools[o])
    if len(alive) < 2:
        return None
    comps = [comps[i] for i in sorted(alive)]
    pools = [pools[i] for i in sorted(alive)]
    parts = [[e.id for e in c] for c in comps]
    placed = {e for part in parts for e in part}
    for e in events:
        if e.id not in placed:
            scores = [linker.link(e, pool) for pool in pools]
            parts[int(np.argmax(scores))].append(e.id)
    return parts


def _pooled(cl: OnlineClusterer, events: Sequence[Cluster]) -> Cluster:
    tmp = Cluster("pool", -1, cl.dim)
    _fill(cl, tmp, events)
    return tmp


def order_parts(cl: OnlineClusterer, parts: list[list[str]], seen: Callable[[str], bool]) -> list[list[str]]:
    """Parts with the id keeper first: most already-seen articles, then the oldest, then the oldest event."""

    def rank(part: list[str]) -> tuple[float, float, int]:
        evs = [cl.events.clusters[e] for e in part]
        n_seen = sum(1 for e in evs for a in e.members if seen(a))
        t0 = min((e.t_min for e in evs if e.t_min is not None), default=math.inf)
        return (-n_seen, t0, min(e.key for e in evs))

    return sorted(parts, key=rank)


def check_stories(cl: OnlineClusterer, story_ids: Iterable[str], new_articles: Iterable[str] = (),
                  sp: SplitParams | None = None) -> list[SplitResult]:
    """Split every story in `story_ids` that has fallen apart; `new_articles` are the ids users have not
    seen yet (they do not count when deciding which part keeps the id). Returns the splits made."""
    sp = sp or SplitParams()
    fresh = set(new_articles)
    out = []
    for sid in sorted(set(story_ids)):
        parts = story_parts(cl, sid, sp)
        if not parts:
            continue
        before = Counter(a for e in cl.stories.clusters[sid].members for a in cl.events.clusters[e].members)
        parts = order_parts(cl, parts, lambda a: a not in fresh)
        reason = (f"cohesion: {len(parts)} parts of {sum(before.values())} articles no longer linked "
                  f"(p < {split_threshold(cl, sp):.3f})")
        ids = cl.split_story(sid, parts, reason=reason)
        after = Counter(a for s in ids for e in cl.stories.clusters[s].members for a in cl.events.clusters[e].members)
        if after != before:  # invariant: a split never loses or duplicates an article
            raise RuntimeError(f"split of {sid} changed its articles")
        out.append(SplitResult(sid, ids, parts, reason))
    return out
