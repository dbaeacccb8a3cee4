"""Story splits on synthetic vectors (no model): a bridge article glues two threads, later reports
pull them apart; ids stay stable, lineage is recorded, no article is lost or duplicated."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from storyline.stories.clusterer import OnlineClusterer, Params
from storyline.stories.split import SplitParams, check_stories, story_parts

DIM = 16


def _unit(*weights: tuple[int, float], noise: float = 0.0, seed: int = 0) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    for i, w in weights:
        v[i] += w
    if noise:
        v += np.random.default_rng(seed).normal(0, noise, DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _params() -> Params:
    # events join on centroid cosine > 0.8; stories join when the nearest exemplar has cosine > 0.5
    return Params(event_w=[20.0, 0, 0, 0, 0, 0], event_b=-16.0, story_w=[0, 20.0, 0, 0, 0, 0], story_b=-10.0,
                  event_tau=0.5, story_tau=0.5, merge_tau=0.99)


def _articles(cl: OnlineClusterer) -> Counter[str]:
    return Counter(a for s in cl.stories.clusters.values() for e in s.members for a in cl.events.clusters[e].members)


def _bridged() -> tuple[OnlineClusterer, str]:
    """Thread A (2 reports), a bridge mentioning A and B, then one report on B: one story so far."""
    cl = OnlineClusterer(DIM, _params())
    _, s = cl.add("a1", _unit((0, 1.0)), t=10.0)
    cl.add("a2", _unit((0, 1.0), noise=0.05, seed=1), t=10.2)
    _, sb = cl.add("bridge", _unit((0, 1.0), (1, 1.0)), t=10.5)
    _, sc = cl.add("b1", _unit((1, 1.0)), t=11.0)
    assert s == sb == sc, "the bridge should have glued both threads into one story"
    return cl, s


def test_bridge_story_splits_once_the_second_thread_has_its_own_reports() -> None:
    cl, sid = _bridged()
    assert check_stories(cl, [sid], new_articles=["b1"]) == []  # B has a single report: not a core event yet
    cl.drain_changes()
    for i, aid in enumerate(["b2", "b3"]):
        _, s = cl.add(aid, _unit((1, 1.0), noise=0.05, seed=10 + i), t=11.5)
        assert s == sid
    before = _articles(cl)
    done = check_stories(cl, [sid], new_articles=["b2", "b3"])
    assert len(done) == 1
    res = done[0]
    assert res.id == sid and res.parts[0] == sid and len(res.parts) == 2
    new_id = res.parts[1]
    assert cl.story_of("a1") == cl.story_of("a2") == sid  # the thread users saw most keeps the id
    assert cl.story_of("b1") == cl.story_of("b2") == cl.story_of("b3") == new_id
    assert cl.story_of("bridge") == sid  # tie between the parts: the bridge stays with the kept id
    after = _articles(cl)
    assert after == before and max(after.values()) == 1  # nothing lost, nothing duplicated
    touched, removed, lineage = cl.drain_changes()
    assert {sid, new_id} <= touched and not removed
    split = [r for r in lineage if r["kind"] == "split"]
    assert split == [{"kind": "split", "level": "story", "from": [sid], "to": [sid, new_id], "note": res.reason}]
    # the clusterer state follows: sizes, centroids and the ANN index point later arrivals to the right part
    assert cl.stories.clusters[sid].n == 3 and cl.stories.clusters[new_id].n == 3
    _, s_late = cl.add("b4", _unit((1, 1.0), noise=0.05, seed=20), t=12.0)
    assert s_late == new_id
    _, a_late = cl.add("a3", _unit((0, 1.0), noise=0.05, seed=21), t=12.0)
    assert a_late == sid


def test_recheck_is_idempotent_and_state_round_trips() -> None:
    cl, sid = _bridged()
    for i, aid in enumerate(["b2", "b3"]):
        cl.add(aid, _unit((1, 1.0), noise=0.05, seed=10 + i), t=11.5)
    assert len(check_stories(cl, [sid], new_articles=["b2", "b3"])) == 1
    cl.drain_changes()
    assert check_stories(cl, list(cl.stories.clusters)) == []
    restored = OnlineClusterer.from_bytes(cl.to_bytes())
    assert {a: restored.story_of(a) for a in cl.assign} == {a: cl.story_of(a) for a in cl.assign}
    assert check_stories(restored, list(restored.stories.clusters)) == []


def test_cohesive_story_is_not_split() -> None:
    cl = OnlineClusterer(DIM, _params())
    sids = set()
    # two events of one thread: close enough as wholes (cos 0.6 > 0.5), far enough to be two events
    for i in range(3):
        sids.add(cl.add(f"x{i}", _unit((0, 1.0), noise=0.03, seed=i), t=1.0)[1])
    for i in range(3):
        sids.add(cl.add(f"y{i}", _unit((0, 0.6), (1, 0.8), noise=0.03, seed=10 + i), t=3.0)[1])
    assert len(sids) == 1 and len(cl.stories.clusters[sids.pop()].members) == 2
    assert check_stories(cl, list(cl.stories.clusters)) == []


def test_hysteresis_margin_keeps_borderline_parts_together() -> None:
    cl, sid = _bridged()
    for i, aid in enumerate(["b2", "b3"]):
        cl.add(aid, _unit((1, 1.0), noise=0.05, seed=10 + i), t=11.5)
    # with an absurd margin nothing is "clearly apart"
    assert story_parts(cl, sid, SplitParams(margin=40.0)) is None
    assert story_parts(cl, sid, SplitParams()) is not None


def test_split_story_rejects_groups_that_are_not_a_partition() -> None:
    cl, sid = _bridged()
    evs = cl.story_events(sid)
    with pytest.raises(ValueError, match="partition"):
        cl.split_story(sid, [evs[:1], evs[:1]])
    with pytest.raises(ValueError, match="partition"):
        cl.split_story(sid, [evs[:1]])


def test_merge_then_split_then_merge_keeps_every_article_once() -> None:
    cl, sid = _bridged()
    for i, aid in enumerate(["b2", "b3"]):
        cl.add(aid, _unit((1, 1.0), noise=0.05, seed=10 + i), t=11.5)
    (res,) = check_stories(cl, [sid], new_articles=["b2", "b3"])
    other = res.parts[1]
    kept = cl.merge_stories(cl.stories.clusters[sid], cl.stories.clusters[other], reason="test")
    assert kept.id == sid and other not in cl.stories.clusters
    c = _articles(cl)
    assert max(c.values()) == 1 and set(c) == set(cl.assign)


def _event_params() -> Params:
    # events join when the nearest exemplar has cosine > 0.8, stories when it has cosine > 0.5
    return Params(event_w=[0, 20.0, 0, 0, 0, 0], event_b=-16.0, story_w=[0, 20.0, 0, 0, 0, 0], story_b=-10.0,
                  event_tau=0.5, story_tau=0.5, merge_tau=0.99)


def test_event_glued_by_a_bridge_article_splits_and_stays_in_its_story() -> None:
    from storyline.stories.split import check_events

    vecs = {"a1": _unit((0, 1.0)), "a2": _unit((0, 1.0), noise=0.03, seed=1),
            "bridge": _unit((0, 0.85), (1, 0.53)), "b1": _unit((0, 0.4), (1, 0.92)),
            "b2": _unit((0, 0.4), (1, 0.92), noise=0.03, seed=2)}
    data = {a: (v, Counter(), set(), 5.0, "en") for a, v in vecs.items()}
    cl = OnlineClusterer(DIM, _event_params())
    for a in ["a1", "a2", "bridge", "b1"]:
        cl.add(a, vecs[a], t=5.0)
    eid = cl.assign["a1"]
    assert {cl.assign[a] for a in vecs if a != "b2"} == {eid}, "the bridge should have glued both groups"
    assert check_events(cl, [eid], data.__getitem__, new_articles=["b1"]) == []  # b1 alone is no group
    cl.add("b2", vecs["b2"], t=5.0)
    sid = cl.story_of("a1")
    (res,) = check_events(cl, [eid], data.__getitem__, new_articles=["b2"])
    assert res.level == "event" and res.parts[0] == eid and len(res.parts) == 2
    new = res.parts[1]
    assert cl.event_members(eid) == ["a1", "a2", "bridge"] and cl.event_members(new) == ["b1", "b2"]
    assert cl.story_of("b1") == sid and cl.story_events(sid) == [eid, new]
    assert sorted(cl.assign) == sorted(vecs) and cl.events.clusters[eid].n + cl.events.clusters[new].n == 5
    _, _, lineage = cl.drain_changes()
    assert [r for r in lineage if r["kind"] == "split"][0]["to"] == [eid, new]
    assert check_events(cl, [eid, new], data.__getitem__) == []  # idempotent
    assert check_stories(cl, [sid]) == []  # two events, still one story
    e_late, _ = cl.add("b3", _unit((0, 0.4), (1, 0.92), noise=0.03, seed=3), t=5.1)
    assert e_late == new  # the rebuilt event index sends later reports to the right part


def test_single_article_bounds_contain_the_exact_link() -> None:
    from storyline.stories.clusterer import Cluster
    from storyline.stories.split import Linker

    rng = np.random.default_rng(7)
    cl = OnlineClusterer(DIM, Params.load())
    words = [f"w{i}" for i in range(30)]
    for _ in range(50):  # some document frequencies for the IDF
        cl.idf.add(set(rng.choice(words, 5)))
        cl.kidf.add({f"k{i}" for i in rng.choice(10, 2)})
    for level in ("event", "story"):
        linker = Linker(cl, level)
        for trial in range(40):
            a, b = Cluster("a", -1, DIM), Cluster("b", -1, DIM)
            base = rng.normal(size=DIM)
            langs = [str(rng.choice(["en", "fr"])) for _ in range(2)]
            for c, shift, lang in ((a, 0.0, langs[0]), (b, rng.uniform(0, 2), langs[1])):
                v = (base + shift * rng.normal(size=DIM)).astype(np.float32)
                c.absorb(v / np.linalg.norm(v), Counter(rng.choice(words, 6).tolist()),
                         {f"k{i}" for i in rng.choice(10, int(rng.integers(0, 3)))}, 1.0 + trial % 3, 1, 8, 300,
                         lang)
            cos = float(a.centroid @ b.centroid)
            bounds = linker.single_bounds(cos, abs((a.t_min or 0) - (b.t_min or 0)), langs[0] != langs[1])
            assert bounds is not None
            exact = linker.link(a, b)
            assert bounds[0] <= exact <= bounds[1], (level, cos, bounds, exact)
