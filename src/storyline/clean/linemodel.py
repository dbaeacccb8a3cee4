"""Line model: body probability per line from an ensemble of a logistic model and gradient-boosted trees.

Stage 1 scores each line from its features (`storyline.clean.lines.FEATURES`: the line's own shape and
phrasing, neighbour windows of them, and its place relative to the main prose block); the probabilities
of the members (standardised logistic regression, sklearn HistGradientBoosting exported to plain
arrays) are averaged. An optional stage 2 re-scores each line with the stage-1 scores of its
neighbourhood (`CONTEXT`). Weights and trees live in a small versioned JSON file under `clean/models/`,
written by `scripts/train_cleaner.py`; prediction needs numpy only (no pickles, no sklearn version lock).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from storyline.clean.lines import FEATURES

VERSION = 2
MODEL_PATH = Path(__file__).with_name("models") / f"line_model_v{VERSION}.json"
CONTEXT = [
    "s1_self", "s1_prev1", "s1_prev2", "s1_next1", "s1_next2", "s1_win3", "s1_win8",
    "s1_before_max", "s1_after_max", "in_main_block", "dist_main_block", "s1_rel_max",
]


class Scorer(Protocol):
    def logit(self, x: np.ndarray) -> np.ndarray: ...

    def to_dict(self) -> dict[str, object]: ...


@dataclass
class Logistic:
    """Standardised logistic regression: sigmoid(((x - mean) / scale) . coef + intercept)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def to_dict(self) -> dict[str, object]:
        return {"kind": "logistic", "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "coef": self.coef.round(6).tolist(), "intercept": round(float(self.intercept), 6)}

    @classmethod
    def from_dict(cls, d: dict) -> Logistic:
        return cls(np.asarray(d["mean"]), np.asarray(d["scale"]), np.asarray(d["coef"]), float(d["intercept"]))


@dataclass
class Trees:
    """Binary gradient-boosted trees as flat arrays: logit = baseline + sum of one leaf value per tree.
    A node goes left when x[feature] <= threshold (features are never missing). Thresholds are often
    training values themselves, so they are stored at full precision."""

    baseline: float
    trees: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]  # feature, thr, left, right, value

    def logit(self, x: np.ndarray) -> np.ndarray:
        out = np.full(len(x), self.baseline)
        rows = np.arange(len(x))
        for feature, thr, left, right, value in self.trees:
            node = np.zeros(len(x), dtype=np.int64)
            inner = left[node] >= 0
            while inner.any():
                go_left = x[rows, feature[node]] <= thr[node]
                node = np.where(inner, np.where(go_left, left[node], right[node]), node)
                inner = left[node] >= 0
            out += value[node]
        return out

    @classmethod
    def from_sklearn(cls, model: object) -> Trees:
        """Export a fitted binary `HistGradientBoostingClassifier` (numeric features only)."""
        trees = []
        for (pred,) in model._predictors:  # type: ignore[attr-defined]
            nodes = pred.nodes
            leaf = nodes["is_leaf"].astype(bool)
            trees.append((nodes["feature_idx"].astype(np.int64), nodes["num_threshold"].astype(float),
                          np.where(leaf, -1, nodes["left"].astype(np.int64)),
                          np.where(leaf, -1, nodes["right"].astype(np.int64)),
                          np.where(leaf, nodes["value"], 0.0)))
        return cls(float(np.ravel(model._baseline_prediction)[0]), trees)  # type: ignore[attr-defined]

    def to_dict(self) -> dict[str, object]:
        return {"kind": "trees", "baseline": round(self.baseline, 8),
                "trees": [[f.tolist(), thr.tolist(), lt.tolist(), rt.tolist(),
                           [float(f"{v:.7g}") for v in val]] for f, thr, lt, rt, val in self.trees]}

    @classmethod
    def from_dict(cls, d: dict) -> Trees:
        return cls(float(d["baseline"]), [
            (np.asarray(f, dtype=np.int64), np.asarray(t, dtype=float), np.asarray(lt, dtype=np.int64),
             np.asarray(rt, dtype=np.int64), np.asarray(v, dtype=float)) for f, t, lt, rt, v in d["trees"]])


def scorer_from_dict(d: dict) -> Scorer:
    return Trees.from_dict(d) if d.get("kind") == "trees" else Logistic.from_dict(d)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def ensemble_proba(members: list[Scorer], x: np.ndarray) -> np.ndarray:
    """Mean of the members' probabilities."""
    return np.mean([sigmoid(m.logit(x)) for m in members], axis=0)


def main_block(p: np.ndarray, weight: np.ndarray) -> tuple[int, int]:
    """[start, end) of the maximum-sum run of (p - 0.5) * weight: the densest body region."""
    best, best_span = 0.0, (0, 0)
    cur, start = 0.0, 0
    for i, v in enumerate((p - 0.5) * weight):
        if cur <= 0:
            cur, start = 0.0, i
        cur += v
        if cur > best:
            best, best_span = cur, (start, i + 1)
    return best_span


def context_features(s1: np.ndarray, log_words: np.ndarray) -> np.ndarray:
    """Neighbourhood features from stage-1 probabilities (see CONTEXT)."""
    n = len(s1)
    if not n:
        return np.zeros((0, len(CONTEXT)))
    pad = np.concatenate([[0.5, 0.5], s1, [0.5, 0.5]])
    lo, hi = main_block(s1, log_words)
    cmax_before = np.maximum.accumulate(np.concatenate([[0.0], s1[:-1]]))
    cmax_after = np.maximum.accumulate(np.concatenate([s1[1:], [0.0]])[::-1])[::-1]
    top = max(float(s1.max()), 1e-6)
    rows = []
    for i in range(n):
        w3 = s1[max(0, i - 3) : i + 4]
        w8 = s1[max(0, i - 8) : i + 9]
        dist = 0 if lo <= i < hi else (lo - i if i < lo else i - hi + 1)
        rows.append([
            s1[i], pad[i + 1], pad[i], pad[i + 3], pad[i + 4], float(w3.mean()), float(w8.mean()),
            cmax_before[i], cmax_after[i], 1.0 if lo <= i < hi else 0.0, np.log1p(dist),
            s1[i] / top,
        ])
    return np.asarray(rows, dtype=float)


@dataclass
class LineModel:
    stage1: list[Scorer]
    threshold: float
    meta: dict
    hysteresis: float = 0.5  # share of the threshold enough for a sentence line next to kept body
    stage2: list[Scorer] | None = None  # optional re-scoring with CONTEXT features

    def predict(self, feats: np.ndarray) -> np.ndarray:
        """Body probability of each line given its FEATURES row."""
        if not len(feats):
            return np.zeros(0)
        p = ensemble_proba(self.stage1, feats)
        if not self.stage2:
            return p
        ctx = context_features(p, feats[:, FEATURES.index("log_words")])
        return ensemble_proba(self.stage2, np.hstack([feats, ctx]))

    def to_dict(self) -> dict[str, object]:
        return {"version": VERSION, "features": FEATURES, "context": CONTEXT if self.stage2 else [],
                "stage1": [m.to_dict() for m in self.stage1],
                "stage2": [m.to_dict() for m in self.stage2 or []], "threshold": self.threshold,
                "hysteresis": self.hysteresis, "meta": self.meta}

    @classmethod
    def from_dict(cls, d: dict) -> LineModel:
        if d.get("version") != VERSION or d.get("features") != FEATURES or d.get("context") not in ([], CONTEXT):
            raise ValueError("line model was trained with a different feature set; re-run scripts/train_cleaner.py")
        return cls([scorer_from_dict(m) for m in d["stage1"]], float(d["threshold"]), d.get("meta", {}),
                   float(d.get("hysteresis", 0.5)), [scorer_from_dict(m) for m in d.get("stage2") or []] or None)

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> LineModel:
    """The trained line model (cached)."""
    return LineModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
