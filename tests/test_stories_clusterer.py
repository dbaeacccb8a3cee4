"""Online clusterer on synthetic vectors (no model needed): decisions, merges, ids, state."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from storyline.stories.clusterer import OnlineClusterer, Params, mint_id

DIM = 16


def _unit(i: int, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[i] = 1.0
    if noise:
        v += np.random.default_rng(seed).normal(0, noise, DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _params(**kw: float) -> Params:
    # a transparent model: probability rises with centroid cosine only
    p = Params(event_w=[20.0, 0, 0, 0, 0, 0], event_b=-16.0, story_w=[20.0, 0, 0, 0, 0, 0], story_b=-10.0)
    for k, v in kw.items():
        setattr(p, k, v)
    return p


def test_same_direction_joins_event_and_far_vector_starts_new_story() -> None:
    cl = OnlineClusterer(DIM, _params())
    e1, s1 = cl.add("a", _unit(0), t=100.0)
    e2, s2 = cl.add("b", _unit(0, 0.05, 1), t=100.5)
    e3, s3 = cl.add("c", _unit(5), t=100.5)
    assert (e1, s1) == (e2, s2)
    assert e3 != e1 and s3 != s1
    assert e1 == mint_id("e-", "a") and s3 == mint_id("s-", "c")


def test_story_level_joins_related_event() -> None:
    cl = OnlineClusterer(DIM, _params())
    related = _unit(0) * 0.8 + _unit(1) * 0.6  # cos 0.8 to the first article: same story, new event
    e1, s1 = cl.add("a", _unit(0), t=0.0)
    e2, s2 = cl.add("b", related, t=200.0)
    assert e1 != e2 and s1 == s2
    assert cl.story_events(s1) == [e1, e2]


def test_time_gate_expires_far_events() -> None:
    cl = OnlineClusterer(DIM, _params(event_max_days=30.0))
    e1, _ = cl.add("a", _unit(0), t=0.0)
    e2, s2 = cl.add("b", _unit(0), t=200.0)  # same content months later: a new event of the same story
    assert e2 != e1
    assert s2 == cl.story_of("a")


def test_merge_keeps_larger_cluster_id_and_logs_lineage() -> None:
    cl = OnlineClusterer(DIM, _params(merge_tau=0.5, event_b=-11.0))
    left = _unit(0) * 0.6 + _unit(1) * 0.8
    right = _unit(0) * 0.6 - _unit(1) * 0.8
    ea, sa = cl.add("a", left, t=1.0)
    cl.add("a2", left, t=1.0)
    eb, sb = cl.add("b", right, t=1.0)
    assert ea != eb and sa != sb  # cos(left, right) = -0.28: unrelated so far
    cl.drain_changes()
    ec, sc = cl.add("c", _unit(0), t=1.0)  # cos 0.6 to both: joins a's event and bridges to b's
    assert ec == ea and sc == sa  # the larger (2 articles) event/story survives
    touched, removed, lineage = cl.drain_changes()
    assert sb in removed and sa in touched
    assert {(r["level"], tuple(r["to"])) for r in lineage} >= {("event", (ea,)), ("story", (sa,))}
    assert cl.story_of("b") == sa and cl.assign["b"] == ea


def test_known_article_is_not_added_twice() -> None:
    cl = OnlineClusterer(DIM, _params())
    first = cl.add("a", _unit(0), t=0.0)
    assert cl.add("a", _unit(3), t=0.0) == first
    assert cl.events.clusters[first[0]].n == 1


def test_near_duplicate_follows_its_original() -> None:
    cl = OnlineClusterer(DIM, _params())
    e1, _ = cl.add("a", _unit(0), t=0.0)
    e2, _ = cl.add("copy", _unit(7), t=0.0, dup_of="a")  # vector disagrees, the copy link wins
    assert e2 == e1


def test_state_round_trip_continues_where_it_left_off() -> None:
    cl = OnlineClusterer(DIM, _params())
    cl.add("a", _unit(0), Counter({"summit": 2}), {"per:kim"}, t=3.0)
    cl.add("b", _unit(4), Counter({"fire": 1}), set(), t=None)
    restored = OnlineClusterer.from_bytes(cl.to_bytes())
    assert restored.assign == cl.assign
    assert restored.events.clusters.keys() == cl.events.clusters.keys()
    ev = restored.events.clusters[restored.assign["a"]]
    assert ev.terms["summit"] == 2 and ev.keys["per:kim"] == 1 and ev.t_min == 3.0
    assert restored.add("c", _unit(0, 0.05, 2), t=3.2)[0] == cl.assign["a"]
    assert restored.add("d", _unit(9), t=3.2)[1] not in cl.stories.clusters


def test_bad_state_version_is_rejected() -> None:
    import io
    import json

    cl = OnlineClusterer(DIM, _params())
    z = dict(np.load(io.BytesIO(cl.to_bytes())))
    meta = json.loads(z["meta"].tobytes())
    meta["version"] = 99
    z["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **z)
    with pytest.raises(ValueError, match="version"):
        OnlineClusterer.from_bytes(buf.getvalue())


def test_old_events_expire_from_the_index_and_stay_expired_after_reload() -> None:
    cl = OnlineClusterer(DIM, _params(event_max_days=10.0))
    old, _ = cl.add("a", _unit(0), Counter({f"t{i}": 1 for i in range(50)}), t=0.0)
    cl.add("b", _unit(3), t=5.0)
    cl.add("c", _unit(6), t=40.0)
    assert cl.expire() == 2  # a and b ended more than 20 days before the newest article
    assert len(cl.events.index) == 1 and len(cl.events.clusters[old].terms) <= 30
    restored = OnlineClusterer.from_bytes(cl.to_bytes())
    assert len(restored.events.index) == 1 and restored.t_latest == 40.0
    assert restored.add("d", _unit(0), t=41.0)[0] != old  # an expired event is not joined again


def test_old_weight_lists_are_padded_with_zero_weights_for_new_features() -> None:
    from storyline.stories.clusterer import EVENT_FEATURES, STORY_FEATURES

    p = Params(event_w=[1.0] * 6, story_w=[2.0] * 6)
    assert p.event_w == [1.0] * 6 + [0.0] * (len(EVENT_FEATURES) - 6)
    assert len(p.story_w) == len(STORY_FEATURES) and p.story_w[-1] == 0.0


def test_language_share_feeds_the_cross_language_features_and_survives_reload() -> None:
    from storyline.stories.clusterer import EVENT_FEATURES

    cl = OnlineClusterer(DIM, _params())
    ev, _ = cl.add("a", _unit(0), t=1.0, lang="en")
    cl.add("b", _unit(0, 0.01, 3), t=1.0, lang="en")
    cl.add("c", _unit(0, 0.01, 4), t=1.0, lang="fr")
    c = cl.events.clusters[ev]
    assert c.langs == Counter({"en": 2, "fr": 1})
    assert c.other_lang_share("de") == 1.0 and c.other_lang_share("en") == pytest.approx(1 / 3)
    assert c.other_lang_share(None) == 0.0  # unknown language: neutral
    feats = cl.event_candidates(_unit(0), Counter(), set(), 1.0, "de")[0].features
    xl, xl_cos = feats[EVENT_FEATURES.index("xl")], feats[EVENT_FEATURES.index("xl_cos")]
    assert xl == 1.0 and xl_cos == pytest.approx(feats[0])
    restored = OnlineClusterer.from_bytes(cl.to_bytes())
    assert restored.events.clusters[ev].langs == c.langs


def test_cross_language_weight_lets_a_translation_join_despite_no_shared_terms() -> None:
    # the same model with and without a learned cross-language offset: cosine 0.7, no shared terms
    base = dict(event_w=[10.0, 0, 6.0, 0, 0, 0, 0, 0], event_b=-9.0)
    vec = _unit(0) * 0.7 + _unit(1) * (1 - 0.49) ** 0.5
    for xl_w, joins in ((0.0, False), (3.0, True)):
        w = list(base["event_w"])
        w[6] = xl_w
        cl = OnlineClusterer(DIM, _params(event_w=w, event_b=base["event_b"], event_tau=0.5))
        e1, _ = cl.add("a", _unit(0), Counter({"gipfel": 2, "treffen": 1}), t=1.0, lang="de")
        e2, _ = cl.add("b", vec, Counter({"sommet": 2, "rencontre": 1}), t=1.0, lang="fr")
        assert (e1 == e2) is joins


def test_story_recheck_merges_when_the_grown_event_points_at_another_story() -> None:
    b_vec = _unit(0) * 0.6 + _unit(1) * 0.8  # cos 0.6 to story a: founds its own event and story
    for recheck in (False, True):
        cl = OnlineClusterer(DIM, _params(story_b=-14.0, story_tau=0.5, merge_tau=0.8, story_recheck=recheck))
        _, sa = cl.add("a", _unit(0), t=1.0)
        eb, sb = cl.add("b", b_vec, t=1.0)
        assert sb != sa
        cl.drain_changes()
        ec, sc = cl.add("c", _unit(0), t=1.0, dup_of="b")  # joins b's event; its centroid moves to cos 0.89
        assert ec == eb
        if recheck:
            assert sc == cl.story_of("a") == cl.story_of("b")
            _, removed, lineage = cl.drain_changes()
            assert removed and any("re-checked" in r["note"] for r in lineage)
        else:
            assert sc == sb != cl.story_of("a")
