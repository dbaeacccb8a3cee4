"""Train the plain-text line model (`src/storyline/clean/models/line_model_v2.json`) reproducibly.

Training data: the TRAIN half (sha1(id) parity, `storyline.clean.evaldata.split_of`) of the Zyte
article-extraction benchmark. Each page's html-text rendering is split into lines; a line is labelled
body when most of its tokens align (difflib over `\\w+` tokens) with the gold articleBody. The model
averages a standardised logistic regression and sklearn HistGradientBoosting over the line features
(`storyline.clean.lines.FEATURES`); optionally (`--stage2`) a second ensemble re-scores lines with the
out-of-fold stage-1 scores of their neighbours. The keep threshold and the hysteresis of
`storyline.clean.text.select_body` are chosen by 5-fold cross-validated shingle F1 on the train half.
The TEST half is never read here.

    PYTHONPATH=src nice -n 10 python scripts/train_cleaner.py
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from storyline.clean.evaldata import scrapinghub_items
from storyline.clean.linemodel import (
    CONTEXT,
    LineModel,
    Logistic,
    Scorer,
    Trees,
    context_features,
    ensemble_proba,
)
from storyline.clean.lines import FEATURES, Line, line_features, split_lines
from storyline.clean.shingles import evaluate, tokens
from storyline.clean.text import select_body

HGB = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 40,
       "l2_regularization": 1.0, "random_state": 0}


def label_lines(lines: list[Line], gold: str) -> np.ndarray:
    """1 for lines whose tokens mostly align with the gold body, else 0."""
    owner: list[int] = []
    toks: list[str] = []
    for i, ln in enumerate(lines):
        t = tokens(ln.text)
        toks += t
        owner += [i] * len(t)
    gtoks = tokens(gold)
    matched = np.zeros(len(lines))
    sm = difflib.SequenceMatcher(None, toks, gtoks, autojunk=False)
    for a, _b, size in sm.get_matching_blocks():
        if size >= 2 or (size == 1 and len(gtoks) < 5):
            for k in range(a, a + size):
                matched[owner[k]] += 1
    counts = np.array([max(1, len(tokens(ln.text))) for ln in lines])
    return (matched / counts >= 0.5).astype(int)


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> Logistic:
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit((x - mean) / scale, y)
    return Logistic(mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def fit_ensemble(x: np.ndarray, y: np.ndarray, c: float) -> list[Scorer]:
    """Logistic regression + gradient-boosted trees (probabilities averaged at prediction)."""
    return [fit_logistic(x, y, c), Trees.from_sklearn(HistGradientBoostingClassifier(**HGB).fit(x, y))]


def out_of_fold(xs: list[np.ndarray], ys: list[np.ndarray], fold: list[int], folds: int, c: float) -> list[np.ndarray]:
    """Out-of-fold ensemble probabilities per document."""
    oof: list[np.ndarray] = [np.zeros(0)] * len(xs)
    for f in range(folds):
        tr = [i for i in range(len(xs)) if fold[i] != f]
        members = fit_ensemble(np.vstack([xs[i] for i in tr]), np.concatenate([ys[i] for i in tr]), c)
        for i in range(len(xs)):
            if fold[i] == f:
                oof[i] = ensemble_proba(members, xs[i])
    return oof


def choose_selection(docs: list, probs: list[np.ndarray]) -> tuple[float, float, float]:
    """(cross-validated F1, threshold, hysteresis) maximising shingle F1 of `select_body`."""
    best = (0.0, 0.5, 0.5)
    for thr in np.arange(0.3, 0.76, 0.05):
        for hyst in (0.25, 0.5, 0.75):
            pairs = []
            for d, p in zip(docs, probs, strict=True):
                keep, _ = select_body(d[1], d[2], d[3], p, float(thr), hysteresis=hyst)
                pairs.append((d[0].gold, "\n".join(ln.text for ln, k in zip(d[1], keep, strict=True) if k)))
            f1 = evaluate(pairs).f1
            print(f"threshold {thr:.2f} hysteresis {hyst}: train cross-validated F1 {f1:.4f}", file=sys.stderr)
            if f1 > best[0] + 1e-4:
                best = (f1, round(float(thr), 2), hyst)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength of the logistic member")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--stage2", action="store_true", help="add a context re-scoring stage")
    ap.add_argument("--dry-run", action="store_true", help="do not write the model file")
    args = ap.parse_args(argv)
    t0 = time.time()
    docs = []
    for it in scrapinghub_items():
        if it.split != "train":
            continue
        lines = split_lines(it.plain)
        if not lines:
            continue
        feats, facts = line_features(lines)
        docs.append((it, lines, feats, facts, label_lines(lines, it.gold)))
    print(f"{len(docs)} train docs, {sum(len(d[1]) for d in docs)} lines, "
          f"{sum(int(d[4].sum()) for d in docs)} body lines ({time.time() - t0:.0f}s)", file=sys.stderr)
    fold = [i % args.folds for i in range(len(docs))]
    xs, ys = [d[2] for d in docs], [d[4] for d in docs]
    lw = FEATURES.index("log_words")
    probs = out_of_fold(xs, ys, fold, args.folds, args.c)
    x2: list[np.ndarray] = []
    if args.stage2:  # stage 2 learns from out-of-fold (realistic, not memorised) stage-1 context
        x2 = [np.hstack([x, context_features(p, x[:, lw])]) for x, p in zip(xs, probs, strict=True)]
        probs = out_of_fold(x2, ys, fold, args.folds, args.c)
    f1, thr, hyst = choose_selection(docs, probs)
    x_all, y_all = np.vstack(xs), np.concatenate(ys)
    stage1 = fit_ensemble(x_all, y_all, args.c)
    stage2 = None
    if x2:
        stage2 = fit_ensemble(np.vstack(x2), y_all, args.c)
    model = LineModel(stage1, thr, {}, hyst, stage2)
    model.meta = {
        "trained_on": "scrapinghub-article-extraction train half (sha1(id)[0] even), html-text lines "
                      "labelled by token alignment with gold articleBody",
        "members": "logistic regression + HistGradientBoosting, probabilities averaged",
        "hgb": HGB, "stage2": bool(stage2), "context": CONTEXT if stage2 else [],
        "train_docs": len(docs), "train_lines": int(sum(len(d[1]) for d in docs)), "C": args.c,
        "train_cv_f1": round(f1, 4),
    }
    print(f"chosen threshold {thr}, hysteresis {hyst} (train cross-validated F1 {f1:.4f}, "
          f"{time.time() - t0:.0f}s)", file=sys.stderr)
    if not args.dry_run:
        model.save()
        print("saved", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
