"""Two-stage logistic line model: body probability per line, with contextual smoothing.

Stage 1 scores each line from its own features (`storyline.clean.lines.FEATURES`). Stage 2 re-scores
it with the stage-1 scores of its neighbours and whether it lies in the document's main body block
(maximum-sum run of stage-1 evidence), since body lines cluster together. Weights live in a small
versioned JSON file under `clean/models/`, written by `scripts/train_cleaner.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from storyline.clean.lines import FEATURES

MODEL_PATH = Path(__file__).with_name("models") / "line_model_v1.json"
CONTEXT = [
    "s1_self", "s1_prev1", "s1_prev2", "s1_next1", "s1_next2", "s1_win3", "s1_win8",
    "s1_before_max", "s1_after_max", "in_main_block", "dist_main_block", "s1_rel_max",
]


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
        return {"mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "coef": self.coef.round(6).tolist(), "intercept": round(float(self.intercept), 6)}

    @classmethod
    def from_dict(cls, d: dict) -> Logistic:
        return cls(np.asarray(d["mean"]), np.asarray(d["scale"]), np.asarray(d["coef"]), float(d["intercept"]))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


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
    stage1: Logistic
    stage2: Logistic
    threshold: float
    meta: dict
    hysteresis: float = 0.5  # share of the threshold enough for a sentence line next to kept body

    def predict(self, feats: np.ndarray) -> np.ndarray:
        """Body probability of each line given its FEATURES row."""
        if not len(feats):
            return np.zeros(0)
        s1 = sigmoid(self.stage1.logit(feats))
        ctx = context_features(s1, feats[:, FEATURES.index("log_words")])
        return sigmoid(self.stage2.logit(np.hstack([feats, ctx])))

    def to_dict(self) -> dict[str, object]:
        return {"version": 1, "features": FEATURES, "context": CONTEXT, "stage1": self.stage1.to_dict(),
                "stage2": self.stage2.to_dict(), "threshold": self.threshold,
                "hysteresis": self.hysteresis, "meta": self.meta}

    @classmethod
    def from_dict(cls, d: dict) -> LineModel:
        if d.get("features") != FEATURES or d.get("context") != CONTEXT:
            raise ValueError("line model was trained with a different feature set; re-run scripts/train_cleaner.py")
        return cls(Logistic.from_dict(d["stage1"]), Logistic.from_dict(d["stage2"]), float(d["threshold"]),
                   d.get("meta", {}), float(d.get("hysteresis", 0.5)))

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> LineModel:
    """The trained line model (cached)."""
    return LineModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
