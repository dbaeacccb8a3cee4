"""Calibrate the story clusterer (`stories.clusterer.Params`) on DEV data only; write `stories/params.json`.

    nice -n 10 python scripts/calibrate_stories.py [--t17-per-group 60] [--dry-run]

Dev data (read from ../shared at run time, never copied):
- ECB+ odd-numbered topics (the split of bench/stories_ecbplus.py, which reports on the even ones):
  event = topic + ecb/ecbplus half, story = topic; undated, so it says nothing about time scales.
- Timeline17: a seeded sample of dated English articles per topic group (bpoil, H1N1, ...: the outlet
  folders of one group are one story). Events are not labelled there, so it is used for the story
  level (pairs of an article vs candidate stories) and the story time scales only.
Not used: examples/ (sample corpus), ML-Crisis, MStream, ECB+ even topics (all reporting sets).

Cross-lingual robustness: the dev data is English, but the pipeline mixes languages whose vectors are
multilingual USE while terms never overlap across languages. Each dev article is given a pseudo-language
(seeded coin flip) and its terms are tagged with it, so half of all article-cluster pairs behave like
translations: no term overlap, names (keys) still shared, only the embedding left to link them. Both the
logistic fit and the threshold search run on these pseudo-bilingual streams, so the model learns to rely
on the embedding when words do not overlap.

Procedure (all seeds fixed): teacher-forced pair collection (`calibrate.collect_pairs`) on the ECB+ dev
stream (event + story rows) and the Timeline17 stream (story rows, every article its own event) ->
one logistic regression per level -> grid search of event_tau (ECB+ dev event B-cubed F1), then
story_tau and merge_tau (mean story B-cubed F1 over both dev streams), then the story time scales
(Timeline17 story F1). Two stream orders (seeds) are averaged at each grid point.
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

from storyline.config import shared_dir  # noqa: E402
from storyline.stories.calibrate import Item, collect_pairs, make_items, run_stream  # noqa: E402
from storyline.stories.clusterer import PARAMS_FILE, Params  # noqa: E402
from storyline.stories.metrics import bcubed  # noqa: E402

SEEDS = (0, 1)
MAX_CHARS = 2000  # each T17 text is embedded from its lead (bounds encoding time on a shared machine)
GRID = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


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


def fit_level(x: np.ndarray, y: np.ndarray) -> tuple[list[float], float]:
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    return [round(float(w), 4) for w in lr.coef_[0]], round(float(lr.intercept_[0]), 4)


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

    xe, ye, xs, ys = [], [], [], []
    for items in streams["ecb"]:
        a, b, c, d = collect_pairs(items, base, dim)
        xe.append(a)
        ye.append(b)
        xs.append(c)
        ys.append(d)
    for items in streams["t17"]:
        _, _, c, d = collect_pairs(items, base, dim)
        xs.append(c)
        ys.append(d)
    x_e, y_e = np.vstack(xe), np.concatenate(ye)
    x_s, y_s = np.vstack([x for x in xs if len(x)]), np.concatenate(ys)
    print(f"pairs: event {len(y_e)} ({int(y_e.sum())} positive), story {len(y_s)} ({int(y_s.sum())} positive)")
    p = replace(base)
    p.event_w, p.event_b = fit_level(x_e, y_e)
    p.story_w, p.story_b = fit_level(x_s, y_s)
    print("fitted weights:", p.event_w, p.event_b, p.story_w, p.story_b, flush=True)

    best = max(GRID, key=lambda tau: evaluate({"ecb": streams["ecb"]}, replace(p, event_tau=tau), dim)["ecb_event"])
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
    scales = [(s, sc) for s in (30.0, 60.0, 120.0) for sc in (180.0, 365.0, 730.0)]
    t17_only = {"t17": streams["t17"]}
    best_sc = max(scales, key=lambda v: evaluate(t17_only, replace(p, story_slack_days=v[0],
                                                                   story_scale_days=v[1]), dim)["t17_story"])
    p = replace(p, story_slack_days=best_sc[0], story_scale_days=best_sc[1])
    after = evaluate(streams, p, dim)
    print("fitted on dev:", after)
    p.fitted_on = (
        f"scripts/calibrate_stories.py: logistic weights on teacher-forced pairs from ECB+ odd topics "
        f"({len(ecb)} docs; event+story rows) and a seeded Timeline17 sample ({len(t17)} docs, "
        f"{args.t17_per_group}/topic group; story rows only, events unlabelled); every dev article given a "
        f"pseudo-language (terms tagged, 50%) for cross-lingual robustness; event_tau on ECB+ dev event "
        f"B-cubed F1, story_tau/merge_tau on mean dev story F1, story time scales on Timeline17 story F1; "
        f"seeds {list(SEEDS)}; dev F1 {json.dumps(after)}")
    print(json.dumps(asdict(p), indent=2))
    if not args.dry_run:
        p.save(PARAMS_FILE)
        print(f"wrote {PARAMS_FILE} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
