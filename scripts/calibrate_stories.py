"""Calibrate the story clusterer (`stories.clusterer.Params`) on DEV data only; write `stories/params.json`.

    nice -n 10 python scripts/calibrate_stories.py [--t17-per-group 60] [--dry-run]

Dev data (read from ../shared at run time, never copied):
- ECB+ odd-numbered topics (the split of bench/stories_ecbplus.py, which reports on the even ones):
  event = topic + ecb/ecbplus half, story = topic; undated, so it says nothing about time scales.
- Timeline17: a seeded sample of dated English articles per topic group (bpoil, H1N1, ...: the outlet
  folders of one group are one story). Events are not labelled there, so it is used for the story
  level (pairs of an article vs candidate stories) and the story time scales only.
- SemEval-2022 Task 8 TRAIN pairs with texts (bench/xling_dev.py: the hfl sample of the official train
  split, incl. real de-en/zh-en/pl-en and machine-translated es-it/es-en/de-fr pairs; pairs listed as
  "test" in splits.json are left out): the only dev source with real cross-language pairs.
Not used: examples/ (sample corpus), ML-Crisis, MStream, ECB+ even topics (all reporting sets).

Cross-lingual robustness: each ECB+/Timeline17 article is given a pseudo-language (seeded coin flip) and
its terms are tagged with it, so half of the pairs share no words (the `xl` feature is set for them).
That simulates the missing term overlap but not the lower cross-language cosines, so the join model is
fitted in two stages: (1) one logistic regression per level on the teacher-forced rows of the dev streams
(each source weighing the same in total, so 5,900 Timeline17 story rows do not drown 700 ECB+ ones), with
`xl_cos` held at 0; (2) the cross-language corrections `xl` and `xl_cos` re-learned on the SemEval pairs
by a logistic regression with the stage-1 logit as a fixed offset (`calibrate.fit_offset_weights`).

Procedure (all seeds fixed): teacher-forced pair collection (`calibrate.collect_pairs`) -> the two-stage
fit -> grid search of event_tau (ECB+ dev event B-cubed F1 + SemEval cross-language pair F1), then
story_tau, merge_tau and story_recheck (mean story B-cubed F1 over both dev streams), then the story time
scales (Timeline17 story F1). Two stream orders (seeds) are averaged at each grid point.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]

from _stories_common import embed_cached  # noqa: E402
from stories_ecbplus import load_ecbplus  # noqa: E402
from tls_data import read_tar_docs  # noqa: E402
from xling_dev import load_semeval_pairs, pair_feature_rows  # noqa: E402

from storyline.config import shared_dir  # noqa: E402
from storyline.stories.calibrate import (  # noqa: E402
    Item,
    collect_pairs,
    fit_offset_weights,
    make_items,
    run_stream,
)
from storyline.stories.clusterer import EVENT_FEATURES, PARAMS_FILE, STORY_FEATURES, Params  # noqa: E402
from storyline.stories.metrics import bcubed  # noqa: E402

SEEDS = (0, 1)
MAX_CHARS = 2000  # each T17 text is embedded from its lead (bounds encoding time on a shared machine)
GRID = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
EVENT_GRID = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6]


def load_ecb_dev() -> tuple[list[dict[str, Any]], np.ndarray]:
    """ECB+ odd topics only (the benchmark's dev part) and their vectors (same cache as the benchmark)."""
    docs = load_ecbplus()
    vecs = embed_cached([(d["title"], d["text"]) for d in docs])
    keep = [i for i, d in enumerate(docs) if d["topic"] % 2 == 1]
    return [{**docs[i], "story": docs[i]["topic"], "t": None} for i in keep], vecs[keep]


def load_t17_dev(per_group: int, seed: int) -> list[dict[str, Any]]:
    base = shared_dir()
    assert base is not None
    root = base / "data" / "timeline17"
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for folder in sorted(p for p in root.iterdir() if (p / "InputDocs.tar.gz").exists()):
        group = folder.name.split("_")[0]
        for d in read_tar_docs(folder / "InputDocs.tar.gz", "en", ptb=True):
            lines = [x.strip() for x in d.text.splitlines() if x.strip()]
            if len(lines) < 2 or d.published is None:
                continue
            t = datetime(d.published.year, d.published.month, d.published.day, tzinfo=UTC).timestamp() / 86400
            groups[group].append({"id": f"{folder.name}/{d.id}", "title": lines[0][:300],
                                  "text": "\n".join(lines[1:])[:MAX_CHARS], "t": t, "story": group})
    rng = random.Random(seed)
    out = []
    for g in sorted(groups):
        docs = sorted(groups[g], key=lambda d: d["id"])
        for d in rng.sample(docs, min(per_group, len(docs))):
            out.append({**d, "event": d["id"]})  # events unlabelled: every article its own event
    return out


def fit_level(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[list[float], float]:
    """One logistic regression over rows from several dev sources, each source weighing the same in total
    (so thousands of ECB+ candidate rows do not drown the few real cross-language SemEval pairs)."""
    parts = [(x, y) for x, y in parts if len(x)]
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([np.full(len(p[1]), len(y) / (len(parts) * len(p[1]))) for p in parts])
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w)
    return [round(float(v), 4) for v in lr.coef_[0]], round(float(lr.intercept_[0]), 4)


def zero_col(x: np.ndarray, col: int) -> np.ndarray:
    out = x.copy()
    out[:, col] = 0.0
    return out


def pair_f1(x: np.ndarray, y: np.ndarray, params: Params) -> float:
    """F1 of the event decision (probability >= event_tau) on labelled article pairs."""
    z = params.event_b + x @ np.asarray(params.event_w)
    pred = 1.0 / (1.0 + np.exp(-z)) >= params.event_tau
    tp = float((pred & (y == 1)).sum())
    return 2 * tp / max(1.0, float(pred.sum() + (y == 1).sum()))


def evaluate(streams: dict[str, list[list[Item]]], params: Params, dim: int) -> dict[str, float]:
    """Mean B-cubed F1 over the seeded orders: ECB+ events and stories, T17 stories."""
    out: dict[str, list[float]] = defaultdict(list)
    for name, runs in streams.items():
        for items in runs:
            ev, st = run_stream(items, params, dim)
            out[f"{name}_story"].append(bcubed([it.story for it in items], st)["f1"])
            if name == "ecb":
                out["ecb_event"].append(bcubed([it.event for it in items], ev)["f1"])
    res = {k: round(float(np.mean(v)), 4) for k, v in out.items()}
    print(f"  event_tau={params.event_tau} story_tau={params.story_tau} merge_tau={params.merge_tau} "
          f"recheck={params.story_recheck} "
          f"story_time={params.story_slack_days}/{params.story_scale_days}: {res}", file=sys.stderr, flush=True)
    return res


def story_obj(s: dict[str, float]) -> float:
    return (s["ecb_story"] + s["t17_story"]) / 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--t17-per-group", type=int, default=60)
    ap.add_argument("--dry-run", action="store_true", help="print the parameters, do not write params.json")
    args = ap.parse_args()
    t0 = time.time()
    ecb, ecb_vecs = load_ecb_dev()
    t17 = load_t17_dev(args.t17_per_group, seed=0)
    t17_vecs = embed_cached([(d["title"], d["text"]) for d in t17])
    dim = ecb_vecs.shape[1]
    print(f"dev: ECB+ odd topics {len(ecb)} docs / {len({d['topic'] for d in ecb})} topics; Timeline17 sample "
          f"{len(t17)} docs / {len({d['story'] for d in t17})} groups; {time.time() - t0:.0f}s", flush=True)

    base = Params()
    streams = {"ecb": [make_items(ecb, ecb_vecs, s, True, False) for s in SEEDS],
               "t17": [make_items(t17, t17_vecs, s, True, True) for s in SEEDS]}
    before = evaluate(streams, base, dim)
    print("defaults on dev:", before, flush=True)

    rows: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"ecb_e": [], "ecb_s": [], "t17_s": []}
    for items in streams["ecb"]:
        a, b, c, d = collect_pairs(items, base, dim)
        rows["ecb_e"].append((a, b))
        rows["ecb_s"].append((c, d))
    for items in streams["t17"]:
        _, _, c, d = collect_pairs(items, base, dim)
        rows["t17_s"].append((c, d))
    sem = load_semeval_pairs()
    x_p, y_p, cross = pair_feature_rows(sem, dim)
    x_px, y_px = x_p[cross == 1], y_p[cross == 1]
    print(f"SemEval-2022 train pairs: {len(y_p)} ({int(cross.sum())} cross-language, {int(y_p.sum())} same event)")

    def stack(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        return np.vstack([x for x, _ in parts if len(x)]), np.concatenate([y for _, y in parts])

    ev_parts = [stack(rows["ecb_e"])]
    st_parts = [stack(rows["ecb_s"]), stack(rows["t17_s"])]
    print("pairs: " + ", ".join(f"{n} {len(y)} ({int(y.sum())} positive)" for n, (_, y) in
                                zip(("event/ECB+", "story/ECB+", "story/T17", "SemEval"),
                                    [*ev_parts, *st_parts, (x_p, y_p)], strict=True)))
    p = replace(base)
    # stage 1: the model on the (pseudo-bilingual) dev streams; xl_cos is left to stage 2
    xc_e, xc_s = EVENT_FEATURES.index("xl_cos"), STORY_FEATURES.index("xl_cos")
    p.event_w, p.event_b = fit_level([(zero_col(x, xc_e), y) for x, y in ev_parts])
    p.story_w, p.story_b = fit_level([(zero_col(x, xc_s), y) for x, y in st_parts])
    print("stage 1 weights:", p.event_w, p.event_b, p.story_w, p.story_b, flush=True)
    # stage 2: the cross-language correction (xl, xl_cos) learned from real SemEval pairs, rest fixed
    p.event_w = [round(v, 4) for v in fit_offset_weights(x_p, y_p, p.event_w, p.event_b,
                                                         [EVENT_FEATURES.index("xl"), xc_e])]
    p.story_w = [round(v, 4) for v in fit_offset_weights(x_p, y_p, p.story_w, p.story_b,
                                                         [STORY_FEATURES.index("xl"), xc_s])]
    print("fitted weights:", p.event_w, p.event_b, p.story_w, p.story_b, flush=True)

    def event_obj(tau: float) -> float:
        q = replace(p, event_tau=tau)
        f1 = pair_f1(x_px, y_px, q)
        print(f"  event_tau={tau}: SemEval cross-language pair F1 {f1:.4f}", file=sys.stderr)
        return evaluate({"ecb": streams["ecb"]}, q, dim)["ecb_event"] + f1

    best = max(EVENT_GRID, key=event_obj)
    p = replace(p, event_tau=float(best))
    best = max(GRID, key=lambda tau: story_obj(evaluate(streams, replace(p, story_tau=tau), dim)))
    p = replace(p, story_tau=float(best))
    print("event_tau", p.event_tau, "story_tau", p.story_tau, flush=True)
    merge_grid = [m for m in (0.8, 0.9, 0.95) if m >= max(p.event_tau, p.story_tau)]
    if merge_grid:
        def merge_obj(m: float) -> float:
            s = evaluate(streams, replace(p, merge_tau=m), dim)
            return s["ecb_event"] + story_obj(s)

        best = max(merge_grid, key=merge_obj)
        p = replace(p, merge_tau=float(best))
    print("merge_tau", p.merge_tau, flush=True)
    p = replace(p, story_recheck=max((False, True), key=lambda r: story_obj(evaluate(
        streams, replace(p, story_recheck=r), dim))))
    print("story_recheck", p.story_recheck, flush=True)
    scales = [(s, sc) for s in (30.0, 60.0, 120.0) for sc in (180.0, 365.0, 730.0)]
    t17_only = {"t17": streams["t17"]}
    best_sc = max(scales, key=lambda v: evaluate(t17_only, replace(p, story_slack_days=v[0],
                                                                   story_scale_days=v[1]), dim)["t17_story"])
    p = replace(p, story_slack_days=best_sc[0], story_scale_days=best_sc[1])
    after = {**evaluate(streams, p, dim), "semeval_xl_pair_f1": round(pair_f1(x_px, y_px, p), 4)}
    print("fitted on dev:", after)
    p.fitted_on = (
        f"scripts/calibrate_stories.py: stage 1, logistic weights on teacher-forced pairs from ECB+ odd topics "
        f"({len(ecb)} docs; event+story rows) and a seeded Timeline17 sample ({len(t17)} docs, "
        f"{args.t17_per_group}/topic group; story rows only, events unlabelled), each source weighing the same, "
        f"every article given a pseudo-language (terms tagged, 50%); stage 2, the cross-language weights "
        f"(xl, xl_cos) on {len(y_p)} SemEval-2022 Task 8 train pairs with texts ({int(cross.sum())} "
        f"cross-language; splits.json test pairs left out) with the stage-1 logit as offset; event_tau on ECB+ "
        f"dev event B-cubed F1 + SemEval cross-language pair F1, story_tau/merge_tau/story_recheck on mean dev "
        f"story F1, story time scales on Timeline17 story F1; seeds {list(SEEDS)}; dev F1 {json.dumps(after)}")
    print(json.dumps(asdict(p), indent=2))
    if not args.dry_run:
        p.save(PARAMS_FILE)
        print(f"wrote {PARAMS_FILE} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
