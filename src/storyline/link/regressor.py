"""Learned per-dimension regressors (SemEval-2022 Task 8 scale: 1 = very similar … 4 = very dissimilar).

One scikit-learn ensemble per dimension (gradient boosting + standardised ridge, averaged), saved
with its feature list, encoder keys and cross-validation scores in one small versioned joblib file.
Retrain with `scripts/train_similarity.py`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DIMENSIONS = ("geography", "entities", "time", "narrative", "overall", "style", "tone")
GOLD_COLUMNS = {d: d.capitalize() for d in DIMENSIONS}
MODEL_VERSION = "similarity-v1"
MODEL_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL = MODEL_DIR / f"{MODEL_VERSION}.joblib"


def _threads() -> int:
    """OpenMP/BLAS threads for fitting and prediction (default 1: extra threads spin on a busy machine)."""
    return int(os.environ.get("STORYLINE_THREADS", "1"))


class ModelError(RuntimeError):
    """The similarity model file is missing, unreadable or incompatible."""


def make_estimator(seed: int = 0) -> Any:
    """Gradient boosting and ridge, averaged (each is robust where the other is weak)."""
    from sklearn.ensemble import HistGradientBoostingRegressor, VotingRegressor
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    hgb = HistGradientBoostingRegressor(learning_rate=0.04, max_iter=250, max_leaf_nodes=15,
                                        min_samples_leaf=20, l2_regularization=1.0, random_state=seed)
    ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-2, 3, 12)))
    return VotingRegressor([("hgb", hgb), ("ridge", ridge)])


@dataclass
class SimilarityModel:
    """Fitted regressors for the seven dimensions plus what is needed to use them."""

    features: list[str]
    encoders: list[str]
    models: dict[str, Any]
    version: str = MODEL_VERSION
    meta: dict[str, Any] = field(default_factory=dict)
    lead_encoders: list[str] = field(default_factory=list)  # encoders of the title/lead only

    def predict(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Scores per dimension for rows of `x` (columns in `self.features` order), clipped to [1, 4]."""
        from threadpoolctl import threadpool_limits

        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.features):
            raise ModelError(f"expected {len(self.features)} features per row, got shape {x.shape}")
        with threadpool_limits(_threads()):
            return {d: np.clip(m.predict(x), 1.0, 4.0) for d, m in self.models.items()}

    def save(self, path: str | Path) -> Path:
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"version": self.version, "features": self.features, "encoders": self.encoders,
                     "lead_encoders": self.lead_encoders, "models": self.models, "meta": self.meta}, path, compress=3)
        return path

    @classmethod
    def load(cls, path: str | Path) -> SimilarityModel:
        import joblib

        path = Path(path)
        if not path.exists():
            raise ModelError(f"{path}: similarity model not found (train it with scripts/train_similarity.py)")
        try:
            d = joblib.load(path)
            return cls(features=list(d["features"]), encoders=list(d["encoders"]), models=dict(d["models"]),
                       version=str(d.get("version", "")), meta=dict(d.get("meta", {})),
                       lead_encoders=list(d.get("lead_encoders", [])))
        except (OSError, KeyError, TypeError, ValueError, EOFError) as exc:
            raise ModelError(f"{path}: unreadable similarity model ({exc})") from exc


def fit_model(x: np.ndarray, targets: dict[str, np.ndarray], features: list[str], encoders: list[str],
              seed: int = 0, folds: int = 5, lead_encoders: list[str] | None = None) -> SimilarityModel:
    """Fit one ensemble per dimension; `meta["cv_pearson"]` holds k-fold CV Pearson r (on the fit data)."""
    from scipy.stats import pearsonr
    from sklearn.model_selection import KFold, cross_val_predict
    from threadpoolctl import threadpool_limits

    models: dict[str, Any] = {}
    cv: dict[str, float] = {}
    kf = KFold(folds, shuffle=True, random_state=seed)
    with threadpool_limits(_threads()):
        for dim in DIMENSIONS:
            y = np.asarray(targets[dim], dtype=np.float64)
            if folds > 1:
                pred = cross_val_predict(make_estimator(seed), x, y, cv=kf)
                cv[dim] = float(pearsonr(pred, y)[0])
            models[dim] = make_estimator(seed).fit(x, y)
    return SimilarityModel(features=list(features), encoders=list(encoders), models=models,
                           meta={"cv_pearson": cv, "n_train": int(len(x)), "seed": seed},
                           lead_encoders=list(lead_encoders or []))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> SimilarityModel:
    """The packaged model (or `$STORYLINE_SIMILARITY_MODEL` / `path`), loaded once per process."""
    return SimilarityModel.load(path or os.environ.get("STORYLINE_SIMILARITY_MODEL") or DEFAULT_MODEL)
