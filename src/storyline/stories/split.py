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

`check_events` does the same one level down for events that gained articles: their articles (vectors,
terms and keys read back from the store) are linked with the event model; an article that alone holds
two groups together is set aside as a bridge; when two groups of at least `min_core` articles remain
clearly apart, the event is split (the group with most already-seen articles keeps the id) and the
new event stays in the same story, which is then re-checked as above.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.stories.clusterer import EVENT_FEATURES, STORY_FEATURES, Cluster, OnlineClusterer
from storyline.stories.lexical import DocTerms

log = logging.getLogger(__name__)


@dataclass
class SplitParams:
    """Hysteresis and size limits of the cohesion check."""

    margin: float = 1.0  # logit units below the join threshold that count as "clearly apart"
    # (chosen on the ECB+ dev topics by bench/stories_splits.py: 0.5 and 1.0 tie there; the larger is safer)
    min_core: int = 2  # articles an event needs to count as a core event
    neighbours: int = 8  # core events scored per core event in big stories (nearest by centroid)
    max_core: int = 400  # only the biggest core events of a giant story are examined
    max_parts: int = 60  # a story falling into more pieces than this is left alone (too fragmented to judge)
    max_event_articles: int = 60  # bigger events are not re-checked (cost: their articles are re-read each batch)


@dataclass
class SplitResult:
    """One split: the story (or event) id, the ids of its parts (kept id first), the members of each part
    (event ids of a story, article ids of an event), and why."""

    id: str
    parts: list[str]
    members: list[list[str]]
    reason: str
    level: str = "story"


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def split_threshold(cl: OnlineClusterer, sp: SplitParams, level: str = "story") -> float:
    """Probability below which two parts of a story (or an event) count as clearly apart."""
    tau = cl.params.story_tau if level == "story" else cl.params.event_tau
    return 1.0 / (1.0 + math.exp(-(_logit(tau) - sp.margin)))


def _pooled(cl: OnlineClusterer, members: Sequence[Cluster]) -> Cluster:
    """A temporary cluster pooling several clusters (registered nowhere): sums, exemplars, profiles, span."""
    p = cl.params
    tmp = Cluster("pool", -1, cl.dim)
    tmp.vsum = np.sum([e.vsum for e in members], axis=0).astype(np.float32)
    tmp.n = sum(e.n for e in members)
    tmp.refresh()
    ex = [e.exemplars[i] for i in range(p.exemplars) for e in members if i < len(e.exemplars)][: p.exemplars]
    tmp.exemplars = np.vstack(ex).astype(np.float16) if ex else tmp.exemplars
    for e in members:
        tmp.terms.update(e.terms)
        tmp.keys.update(e.keys)
        tmp.langs.update(e.langs)
    ts = [t for e in members for t in (e.t_min, e.t_max) if t is not None]
    tmp.t_min, tmp.t_max = (min(ts), max(ts)) if ts else (None, None)
    return tmp


def _main_lang(c: Cluster) -> str | None:
    return c.langs.most_common(1)[0][0] if c.langs else None


def _span_gap(a: Cluster, b: Cluster) -> float | None:
    if a.t_min is None or a.t_max is None or b.t_min is None or b.t_max is None:
        return None
    return max(0.0, a.t_min - b.t_max, b.t_min - a.t_max)


class Linker:
    """Scores cluster-to-cluster links with the clusterer's story (or event) model, both directions,
    the better kept."""

    def __init__(self, cl: OnlineClusterer, level: str = "story") -> None:
        self.cl = cl
        self.level = level
        # keyed by id(); the cluster is kept in the value so that its id cannot be reused meanwhile
        self._doc: dict[int, tuple[Cluster, DocTerms, set[str], str | None]] = {}

    def _as_doc(self, c: Cluster) -> tuple[DocTerms, set[str], str | None]:
        got = self._doc.get(id(c))
        if got is None:
            # the keys a cluster stands for: those at least half of its members mention
            keys = {k for k, n in c.keys.items() if n * 2 >= c.n} or {k for k, _ in c.keys.most_common(10)}
            got = (c, DocTerms(c.terms, self.cl.idf), keys, _main_lang(c))
            self._doc[id(c)] = got
        return got[1], got[2], got[3]

    def directed(self, a: Cluster, b: Cluster) -> float:
        """Probability that `a`, arriving as one document, would join `b` (at this linker's level)."""
        cl, p = self.cl, self.cl.params
        doc, keys, lang = self._as_doc(a)
        gap = _span_gap(a, b)
        if self.level == "event":
            pen = cl._time_penalty(gap, p.event_slack_days, p.event_scale_days, p.event_max_days)
        else:
            pen = cl._time_penalty(gap, p.story_slack_days, p.story_scale_days)
        if math.isinf(pen):
            return 0.0
        return cl._prob(cl._features(b, a.centroid, doc, keys, lang), self.level, pen)

    def link(self, a: Cluster, b: Cluster) -> float:
        return max(self.directed(a, b), self.directed(b, a))

    def single_bounds(self, cos: float, gap: float | None, other_lang: bool = False) -> tuple[float, float] | None:
        """(lower, upper) bound of `link` between two single articles whose vectors have cosine `cos`
        (`other_lang`: both languages known and different), whatever their terms and keys, or None when
        the model has features this cannot bound."""
        cl, p = self.cl, self.cl.params
        names = EVENT_FEATURES if self.level == "event" else STORY_FEATURES
        w, b = (p.event_w, p.event_b) if self.level == "event" else (p.story_w, p.story_b)
        xl = 1.0 if other_lang else 0.0
        known = {"cos_centroid": cos, "cos_nearest": cos, "log_size": math.log1p(1), "xl": xl, "xl_cos": xl * cos}
        if len(w) != len(names) or not set(names) <= set(known) | _UNIT_FEATURES:
            return None
        if self.level == "event":
            pen = cl._time_penalty(gap, p.event_slack_days, p.event_scale_days, p.event_max_days)
        else:
            pen = cl._time_penalty(gap, p.story_slack_days, p.story_scale_days)
        if math.isinf(pen):
            return 0.0, 0.0
        base = b - pen + sum(wi * known[n] for wi, n in zip(w, names, strict=True) if n in known)
        lo = base + sum(min(0.0, wi) for wi, n in zip(w, names, strict=True) if n not in known) - _SLACK
        hi = base + sum(max(0.0, wi) for wi, n in zip(w, names, strict=True) if n not in known) + _SLACK
        return 1.0 / (1.0 + math.exp(-max(-50.0, lo))), 1.0 / (1.0 + math.exp(-min(50.0, hi)))


_UNIT_FEATURES = {"terms", "keys", "has_keys"}  # features that lie in [0, 1]
_SLACK = 0.05  # logit units: float16 exemplars make the exact score differ slightly from the bound


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


def _partition(linker: Linker, nodes: Sequence[Cluster], thr: float, sp: SplitParams,
               edges: Sequence[tuple[int, int]] | None = None) -> list[list[int]] | None:
    """Groups of node indices that are clearly apart: connected components of the links that clear
    `thr` (`edges` when already known), then components whose pooled link still clears it joined back.
    None when cohesive."""
    if edges is None:
        edges = [(i, j) for i, j in _candidate_pairs(nodes, sp.neighbours)
                 if linker.link(nodes[i], nodes[j]) >= thr]
    comps = _components(len(nodes), edges)
    if len(comps) < 2 or len(comps) > sp.max_parts:
        return None  # cohesive, or too fragmented to judge: leave it alone
    pools = [_pooled(linker.cl, [nodes[i] for i in c]) for c in comps]
    links = {(i, j): linker.link(pools[i], pools[j]) for i in range(len(comps)) for j in range(i + 1, len(comps))}
    alive = set(range(len(comps)))
    while links:  # join the best-linked pair of parts until no pair clears the threshold
        (i, j), best = max(links.items(), key=lambda kv: kv[1])
        if best < thr:
            break
        comps[i] = comps[i] + comps[j]
        pools[i] = _pooled(linker.cl, [nodes[k] for k in comps[i]])
        alive.discard(j)
        links = {k: v for k, v in links.items() if i not in k and j not in k}
        for o in alive - {i}:
            links[(min(i, o), max(i, o))] = linker.link(pools[i], pools[o])
    return [comps[i] for i in sorted(alive)] if len(alive) >= 2 else None


def _attach_rest(linker: Linker, parts: list[list[Cluster]], rest: Sequence[Cluster]) -> list[list[Cluster]]:
    """Every leftover cluster joins the part it links best (ties: the earlier part, i.e. the id keeper)."""
    pools = [_pooled(linker.cl, p) for p in parts]
    out = [list(p) for p in parts]
    for c in rest:
        scores = [linker.link(c, pool) for pool in pools]
        out[int(np.argmax(scores))].append(c)
    return out


def story_parts(cl: OnlineClusterer, story_id: str, sp: SplitParams | None = None,
                seen: Callable[[str], bool] | None = None) -> list[list[str]] | None:
    """Event ids per part when the story has fallen apart (the part keeping the id first), else None."""
    sp = sp or SplitParams()
    story = cl.stories.clusters.get(story_id)
    if story is None or len(story.members) < 2:
        return None
    events = [cl.events.clusters[e] for e in story.members]
    core = sorted((e for e in events if e.n >= sp.min_core), key=lambda e: (-e.n, e.key))[: sp.max_core]
    if len(core) < 2:
        return None
    linker = Linker(cl, "story")
    groups = _partition(linker, core, split_threshold(cl, sp), sp)
    if groups is None:
        return None
    parts = order_parts(cl, [[core[i].id for i in g] for g in groups], seen or (lambda a: True))
    placed = {e for p in parts for e in p}
    rest = [e for e in events if e.id not in placed]
    full = _attach_rest(linker, [[cl.events.clusters[e] for e in p] for p in parts], rest)
    return [[e.id for e in p] for p in full]


def order_parts(cl: OnlineClusterer, parts: list[list[str]], seen: Callable[[str], bool]) -> list[list[str]]:
    """Parts of a story (event ids) with the id keeper first: most already-seen articles, then the oldest,
    then the oldest event."""

    def rank(part: list[str]) -> tuple[float, float, int]:
        evs = [cl.events.clusters[e] for e in part]
        n_seen = sum(1 for e in evs for a in e.members if seen(a))
        t0 = min((e.t_min for e in evs if e.t_min is not None), default=math.inf)
        return (-n_seen, t0, min(e.key for e in evs))

    return sorted(parts, key=rank)


ArticleData = tuple[np.ndarray, Counter[str], set[str], float | None, str | None]  # vector, terms, keys, day, lang


def _substantial(comps: Iterable[list[int]], min_part: int, without: int = -1) -> int:
    return sum(1 for c in comps if without not in c and len(c) >= min_part)


def _bridges(n: int, edges: Sequence[tuple[int, int]], min_part: int) -> set[int]:
    """Nodes whose removal adds a component of at least `min_part` nodes (they alone hold two groups
    together)."""
    base = _substantial(_components(n, edges), min_part)
    out = set()
    for v in range(n):
        rest = [(i, j) for i, j in edges if v not in (i, j)]
        if _substantial(_components(n, rest), min_part, without=v) > base:
            out.add(v)
    return out


class _ArticleGraph:
    """Links between the single articles of an event, scored lazily and cached: a pair is only scored
    when its two ends are not yet connected (components come out exact with few scores), and pairs
    whose vectors alone settle the question (bounds over any terms and keys) are not scored in full."""

    def __init__(self, linker: Linker, nodes: Sequence[Cluster], thr: float, sp: SplitParams) -> None:
        self.linker, self.nodes, self.thr, self.min_core = linker, nodes, thr, sp.min_core
        cen = np.vstack([c.centroid for c in nodes]).astype(np.float32)
        self.sim = cen @ cen.T
        pairs = _candidate_pairs(nodes, sp.neighbours)
        self.pairs = sorted(pairs, key=lambda ij: -float(self.sim[ij[0], ij[1]]))  # likeliest links first
        self._cache: dict[tuple[int, int], bool] = {}

    def linked(self, i: int, j: int) -> bool:
        got = self._cache.get((i, j))
        if got is None:
            a, b = self.nodes[i], self.nodes[j]
            la, lb = _main_lang(a), _main_lang(b)
            lo, hi = self.linker.single_bounds(float(self.sim[i, j]), _span_gap(a, b),
                                               bool(la and lb and la != lb)) or (0.0, 1.0)
            got = lo >= self.thr or (hi >= self.thr and self.linker.link(a, b) >= self.thr)
            self._cache[(i, j)] = got
        return got

    def spanning_edges(self, keep: set[int]) -> list[tuple[int, int]]:
        """Links among `keep` that connect what was not yet connected (a spanning forest of the links)."""
        parent = {i: i for i in keep}

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        out = []
        for i, j in self.pairs:
            if i in keep and j in keep and find(i) != find(j) and self.linked(i, j):
                parent[find(j)] = find(i)
                out.append((i, j))
        return out

    def parts_without(self, keep: set[int]) -> int:
        """How many components of at least `min_core` articles the links among `keep` form."""
        comps = [c for c in _components(len(self.nodes), self.spanning_edges(keep)) if c[0] in keep]
        return _substantial(comps, self.min_core)


def event_parts(cl: OnlineClusterer, event_id: str, article: Callable[[str], ArticleData],
                sp: SplitParams | None = None, seen: Callable[[str], bool] | None = None) -> list[list[str]] | None:
    """Article ids per part when an event has fallen apart (the part keeping the id first), else None.

    Articles are linked with the clusterer's event model; single articles that alone hold two groups
    together (bridges) are set aside first and then join the part they link best. Components and
    bridges are found on a spanning forest of the links (exact for both, far fewer scores)."""
    sp = sp or SplitParams()
    ev = cl.events.clusters.get(event_id)
    if ev is None or ev.indexed is None or ev.n < 2 * sp.min_core or ev.n > sp.max_event_articles:
        return None
    p = cl.params
    nodes = []
    for aid in ev.members:
        vec, terms, keys, t, lang = article(aid)
        c = Cluster(aid, -1, cl.dim)
        vec = np.asarray(vec, dtype=np.float32).ravel()
        c.absorb(vec / (np.linalg.norm(vec) or 1.0), terms, keys, t, 1, p.exemplars, p.max_profile, lang)
        nodes.append(c)
    linker = Linker(cl, "event")
    thr = split_threshold(cl, sp, "event")
    graph = _ArticleGraph(linker, nodes, thr, sp)
    everyone = set(range(len(nodes)))
    edges = graph.spanning_edges(everyone)
    # every bridge of all the links is one of the spanning forest; keep those that are bridges of all links
    base = _substantial(_components(len(nodes), edges), sp.min_core)
    bridges = {v for v in _bridges(len(nodes), edges, sp.min_core)
               if graph.parts_without(everyone - {v}) > base}
    if len(edges) == len(nodes) - 1 and not bridges:
        return None  # connected, and no single article holds it together
    keep = [i for i in range(len(nodes)) if i not in bridges]
    pos = {i: k for k, i in enumerate(keep)}
    edges = graph.spanning_edges(set(keep))
    groups = _partition(linker, [nodes[i] for i in keep], thr, sp, [(pos[i], pos[j]) for i, j in edges])
    if groups is None:
        return None
    big = [[nodes[keep[i]] for i in g] for g in groups if len(g) >= sp.min_core]
    if len(big) < 2:
        return None
    placed = {c.id for g in big for c in g}
    first = {a: i for i, a in enumerate(ev.members)}
    is_seen = seen or (lambda a: True)
    big.sort(key=lambda g: (-sum(1 for c in g if is_seen(c.id)), min(first[c.id] for c in g)))
    full = _attach_rest(linker, big, [c for c in nodes if c.id not in placed])
    return [[c.id for c in g] for g in full]


def check_events(cl: OnlineClusterer, event_ids: Iterable[str], article: Callable[[str], ArticleData],
                 new_articles: Iterable[str] = (), sp: SplitParams | None = None) -> list[SplitResult]:
    """Split every live event in `event_ids` whose articles have fallen apart into separate groups
    (the group with most already-seen articles, then the earliest, keeps the id)."""
    sp = sp or SplitParams()
    fresh = set(new_articles)
    out = []
    for eid in sorted(set(event_ids)):
        try:
            parts = event_parts(cl, eid, article, sp, seen=lambda a: a not in fresh)
        except KeyError as exc:  # an article without stored data: leave the event as it is
            log.warning("event %s not re-checked: no data for article %s", eid, exc)
            continue
        if not parts:
            continue
        before = sorted(cl.events.clusters[eid].members)
        reason = (f"cohesion: {len(parts)} groups of {len(before)} articles no longer linked "
                  f"(p < {split_threshold(cl, sp, 'event'):.3f})")
        ids = cl.split_event(eid, parts, article, reason=reason)
        if sorted(a for e in ids for a in cl.events.clusters[e].members) != before:
            raise RuntimeError(f"split of {eid} changed its articles")
        out.append(SplitResult(eid, ids, parts, reason, "event"))
    return out


def check_stories(cl: OnlineClusterer, story_ids: Iterable[str], new_articles: Iterable[str] = (),
                  sp: SplitParams | None = None) -> list[SplitResult]:
    """Split every story in `story_ids` that has fallen apart; `new_articles` are the ids users have not
    seen yet (they do not count when deciding which part keeps the id). Returns the splits made."""
    sp = sp or SplitParams()
    fresh = set(new_articles)
    out = []
    for sid in sorted(set(story_ids)):
        parts = story_parts(cl, sid, sp, seen=lambda a: a not in fresh)
        if not parts:
            continue
        before = Counter(a for e in cl.stories.clusters[sid].members for a in cl.events.clusters[e].members)
        reason = (f"cohesion: {len(parts)} parts of {sum(before.values())} articles no longer linked "
                  f"(p < {split_threshold(cl, sp):.3f})")
        ids = cl.split_story(sid, parts, reason=reason)
        after = Counter(a for s in ids for e in cl.stories.clusters[s].members for a in cl.events.clusters[e].members)
        if after != before:  # invariant: a split never loses or duplicates an article
            raise RuntimeError(f"split of {sid} changed its articles")
        out.append(SplitResult(sid, ids, parts, reason))
    return out
