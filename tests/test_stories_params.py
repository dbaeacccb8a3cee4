"""The calibrated parameters shipped in storyline/stories/params.json (scripts/calibrate_stories.py)."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from storyline.stories.clusterer import EVENT_FEATURES, PARAMS_FILE, STORY_FEATURES, OnlineClusterer, Params

DIM = 64


@pytest.fixture(scope="module")
def shipped() -> Params:
    if not PARAMS_FILE.exists():
        pytest.skip("no params.json shipped")
    return Params.load()


def test_shipped_params_are_complete_and_sane(shipped: Params) -> None:
    raw = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))
    assert set(raw) == set(Params.__dataclass_fields__)  # nothing silently dropped or defaulted
    assert len(shipped.event_w) == len(EVENT_FEATURES) and len(shipped.story_w) == len(STORY_FEATURES)
    assert 0 < shipped.event_tau < 1 and 0 < shipped.story_tau < 1
    assert max(shipped.event_tau, shipped.story_tau) <= shipped.merge_tau < 1
    # meaning must push towards joining at both levels
    assert shipped.event_w[0] + shipped.event_w[1] > 0 and shipped.story_w[0] + shipped.story_w[1] > 0
    # provenance names the dev data and none of the reporting sets as fitting data
    assert "ECB+ odd topics" in shipped.fitted_on and "Timeline17" in shipped.fitted_on
    for reporting in ("ML-Crisis", "MStream", "examples", "even topics"):
        assert reporting not in shipped.fitted_on


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_shipped_params_link_translations_and_keep_topics_apart(shipped: Params) -> None:
    """Close vectors with no shared words (as across languages) share a story; unrelated ones do not."""
    rng = np.random.default_rng(3)
    topics = [_unit(rng.normal(size=DIM)) for _ in range(3)]
    cl = OnlineClusterer(DIM, shipped)
    stories: dict[int, set[str]] = {0: set(), 1: set(), 2: set()}
    for i in range(18):
        k = i % 3
        vec = _unit(topics[k] + 0.12 * rng.normal(size=DIM))
        lang = ("en", "fr", "de")[(i // 3) % 3]  # words never overlap across these "languages"
        words = Counter({f"{lang}-t{k}-w{j}": 1 for j in range(5)})
        _, story = cl.add(f"a{i}", vec, words, {f"name{k}"}, t=100.0 + i * 0.2)
        stories[k].add(story)
    assert all(len(s) == 1 for s in stories.values())  # each topic one story despite three languages
    assert len(set().union(*stories.values())) == 3  # and the three topics stay apart


def test_offset_weights_learn_a_cross_language_shift_without_touching_the_rest() -> None:
    from storyline.stories.calibrate import fit_offset_weights

    rng = np.random.default_rng(0)
    n = 4000
    cos = rng.uniform(0, 1, n)
    xl = rng.integers(0, 2, n).astype(float)
    x = np.column_stack([cos, xl, xl * cos])
    # truth: same slope on cosine, but cross-language pairs need 0.2 less cosine (+2 logit units)
    logit = 10 * cos - 6 + 2.0 * xl
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)
    w = fit_offset_weights(x, y, [10.0, 0.0, 0.0], -6.0, [1, 2])
    assert w[0] == 10.0  # fixed weight untouched
    shift_at_half = w[1] + 0.5 * w[2]
    assert 1.2 < shift_at_half < 2.8
