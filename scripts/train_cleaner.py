"""Train the plain-text line model (`src/storyline/clean/models/line_model_v1.json`) reproducibly.

Training data: the TRAIN half (sha1(id) parity, `storyline.clean.evaldata.split_of`) of the Zyte
article-extraction benchmark. Each page's html-text rendering is split into lines; a line is labelled
body when most of its tokens align (difflib over `\\w+` tokens) with the gold articleBody. Stage 1 is
fitted on line features, stage 2 on features + out-of-fold stage-1 context; the regularisation C and
the keep threshold are chosen by 5-fold cross-validated shingle F1 on the train half. The TEST half is never read here.

    PYTHONPATH=src python scripts/train_cleaner.py
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

from storyline.clean.evaldata import scrapinghub_items
from storyline.clean.linemodel import CONTEXT, LineModel, Logistic, context_features, sigmoid
from storyline.clean.lines import FEATURES, Line, line_features, split_lines
from storyline.clean.shingles import evaluate, tokens
from storyline.clean.text import select_body


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


def fit(x: np.ndarray, y: np.ndarray, c: float) -> Logistic:
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000, class_weight=None)
    lr.fit((x - mean) / scale, y)
    return Logistic(mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def stage1_oof(docs: list, fold: list[int], folds: int, c: float) -> list[np.ndarray]:
    """Out-of-fold stage-1 probabilities per document."""
    oof: list[np.ndarray] = [np.zeros(0)] * len(docs)
    for f in range(folds):
        tr = [d for d, k in zip(docs, fold, strict=True) if k != f]
        s1 = fit(np.vstack([d[2] for d in tr]), np.concatenate([d[4] for d in tr]), c)
        for i, d in enumerate(docs):
            if fold[i] == f:
                oof[i] = sigmoid(s1.logit(d[2]))
    return oof


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--c", type=float, nargs="+", default=[0.3, 1.0, 3.0],
                    help="inverse regularisation strengths to choose from by cross-validation")
    ap.add_argument("--folds", type=int, default=5)
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
    lw = FEATURES.index("log_words")
    best = (0.0, 0.5, args.c[0], 0.5)
    for c in args.c:
        # out-of-fold stage-1 scores, so that stage 2 learns from realistic (not memorised) context ...
        oof = stage1_oof(docs, fold, args.folds, c)
        x2 = [np.hstack([d[2], context_features(oof[i], d[2][:, lw])]) for i, d in enumerate(docs)]
        # ... and out-of-fold stage-2 scores, on which C and the keep threshold are chosen
        probs: list[np.ndarray] = [np.zeros(0)] * len(docs)
        for f in range(args.folds):
            idx = [i for i in range(len(docs)) if fold[i] != f]
            s2 = fit(np.vstack([x2[i] for i in idx]), np.concatenate([docs[i][4] for i in idx]), c)
            for i in range(len(docs)):
                if fold[i] == f:
                    probs[i] = sigmoid(s2.logit(x2[i]))
        for thr in np.arange(0.2, 0.81, 0.05):
            for hyst in (0.25, 0.5, 0.75):
                pairs = []
                for d, p in zip(docs, probs, strict=True):
                    keep, _ = select_body(d[1], d[2], d[3], p, float(thr), hysteresis=hyst)
                    pairs.append((d[0].gold, "\n".join(ln.text for ln, k in zip(d[1], keep, strict=True) if k)))
                f1 = evaluate(pairs).f1
                print(f"C {c:g} threshold {thr:.2f} hysteresis {hyst}: train cross-validated F1 {f1:.4f}",
                      file=sys.stderr)
                if f1 > best[0] + 1e-4:
                    best = (f1, float(thr), c, hyst)
    c = best[2]
    oof = stage1_oof(docs, fold, args.folds, c)
    stage1 = fit(np.vstack([d[2] for d in docs]), np.concatenate([d[4] for d in docs]), c)
    x2all = np.vstack([np.hstack([d[2], context_features(oof[i], d[2][:, lw])]) for i, d in enumerate(docs)])
    stage2 = fit(x2all, np.concatenate([d[4] for d in docs]), c)
    model = LineModel(stage1, stage2, 0.5, {})
    model.threshold = round(best[1], 2)
    model.hysteresis = best[3]
    model.meta = {
        "trained_on": "scrapinghub-article-extraction train half (sha1(id)[0] even), html-text lines "
                      "labelled by token alignment with gold articleBody",
        "train_docs": len(docs), "train_lines": int(sum(len(d[1]) for d in docs)), "C": c,
        "train_cv_f1": round(best[0], 4),
        "stage2_top_weights": sorted(zip(FEATURES + CONTEXT, stage2.coef.round(3).tolist(), strict=True),
                                     key=lambda kv: -abs(kv[1]))[:12],
    }
    print(f"chosen C {c:g}, threshold {model.threshold}, hysteresis {model.hysteresis} (train cross-validated F1 {best[0]:.4f})", file=sys.stderr)
    if not args.dry_run:
        model.save()
        print("saved", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
