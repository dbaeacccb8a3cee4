"""Clustering metrics and the dev-data calibration of the join decision (synthetic data, no model)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from storyline.stories.calibrate import Item, collect_pairs, fit_params, run_stream, tune_thresholds
from storyline.stories.clusterer import EVENT_FEATURES, STORY_FEATURES, Params
from storyline.stories.metrics import bcubed, pairwise, purity, scores


def test_bcubed_and_pairwise_on_a_known_case() -> None:
    gold = ["a", "a", "a", "b", "b"]
    pred = [1, 1, 2, 2, 2]
    b = bcubed(gold, pred)
    # precision: items 1,2 -> 1; items 3,4,5 -> (1/3, 2/3, 2/3); recall: a-items (2/3,2/3,1/3), b-items 1,1
    assert b["precision"] == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert b["recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    pw = pairwise(gold, pred)
    assert pw["precision"] == pytest.approx(2 / 4) and pw["recall"] == pytest.approx(2 / 4)
    assert purity(gold, pred) == pytest.approx(4 / 5)
    assert scores(gold, gold)["bcubed_f1"] == 1.0 and scores(gold, gold)["nmi"] == pytest.approx(1.0)


def test_metrics_reject_mismatched_input() -> None:
    with pytest.raises(ValueError, match="labels"):
        bcubed(["a"], [1, 2])


def _stream(seed: int, n_stories: int = 6, per_event: int = 5) -> list[Item]:
    """Stories = directions; events = nearby directions within a story; noisy members."""
    rng = np.random.default_rng(seed)
    dim = 32
    items = []
    for s in range(n_stories):
        axis = rng.normal(size=dim)
        for e in range(2):
            centre = axis / np.linalg.norm(axis) + 0.45 * rng.normal(size=dim) / np.sqrt(dim)
            for m in range(per_event):
                v = centre + 0.15 * rng.normal(size=dim) / np.sqrt(dim)
                items.append(Item(f"{s}-{e}-{m}", v.astype(np.float32), Counter({f"w{s}{e}": 1}), set(),
                                  None, f"{s}-{e}", s))
    order = rng.permutation(len(items))
    return [items[i] for i in order]


def test_teacher_forced_pairs_are_labelled() -> None:
    xe, ye, xs, ys = collect_pairs(_stream(0), Params(), 32)
    assert xe.shape[1] == len(EVENT_FEATURES) and xs.shape[1] == len(STORY_FEATURES)
    assert set(ye.tolist()) == {0, 1} and 1 in ys.tolist()
    # a true candidate is on average more similar than a wrong one
    assert xe[ye == 1, 0].mean() > xe[ye == 0, 0].mean()


def test_fitted_decision_beats_a_bad_prior_on_held_out_stream() -> None:
    bad = Params(event_w=[1, 0, 0, 0, 0, 0], event_b=-5, story_w=[1, 0, 0, 0, 0, 0], story_b=-5)
    dev, test = _stream(1), _stream(2)
    fitted = tune_thresholds(dev, fit_params(dev, 32, bad, note="synthetic"), 32)
    assert fitted.fitted_on == "synthetic"
    gold_e = [it.event for it in test]
    before = bcubed(gold_e, run_stream(test, bad, 32)[0])["f1"]
    after = bcubed(gold_e, run_stream(test, fitted, 32)[0])["f1"]
    assert after > before + 0.2
