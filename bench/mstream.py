"""MStream "News-T" short-text stream clustering: NMI of our online clusterer in stream order.

    nice -n 10 python bench/mstream.py

Data: ../shared/data/mstream-news/News-T.jsonl (11,109 pre-processed headlines, 152 gold clusters, line
order = stream order) and News.jsonl (the same documents in another order). Because both files hold
the same documents, tuning uses a held-out part: the clusters with an odd `clusterNo`, replayed in
News.jsonl order (logistic weights by teacher forcing, then attach thresholds for NMI). We report on
the full News-T stream (what the published figures measure) and, separately, on the News-T documents
of even-numbered clusters only (never seen during tuning). The text has no dates: time is not used.
Peers: the figures published in the MStream paper (Yin et al., KDD 2018, Table 2) for the same data.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import asdict, replace
from typing import Any

import numpy as np
from _stories_common import embed_cached, write_result

from storyline.config import shared_dir
from storyline.stories.calibrate import Item, fit_params, run_stream, tune_thresholds
from storyline.stories.clusterer import Params
from storyline.stories.lexical import terms
from storyline.stories.metrics import scores

PUBLISHED = {"MStream (published)": 0.850, "MStreamF (published)": 0.873, "DTM (published)": 0.806,
             "Sumblr (published)": 0.720}


def load(name: str) -> list[dict[str, Any]]:
    base = shared_dir()
    if base is None:
        sys.exit("../shared is not present")
    return [json.loads(line) for line in (base / "data" / "mstream-news" / name).read_text().splitlines() if line]


def items(rows: list[dict[str, Any]], vec_of: dict[str, np.ndarray]) -> list[Item]:
    return [Item(r["Id"], vec_of[r["Id"]], terms(r["textCleaned"], ""), set(), None,
                 r["clusterNo"], r["clusterNo"]) for r in rows]


def nmi(gold: Any, pred: Any) -> float:
    return scores(gold, pred)["nmi"]


def main() -> None:
    t0 = time.time()
    stream, other = load("News-T.jsonl"), load("News.jsonl")
    assert {r["Id"] for r in stream} == {r["Id"] for r in other}, "News and News-T differ"
    vecs = embed_cached([(r["textCleaned"], "") for r in stream])
    vec_of = {r["Id"]: v for r, v in zip(stream, vecs, strict=True)}
    dim = vecs.shape[1]
    dev = items([r for r in other if r["clusterNo"] % 2 == 1], vec_of)
    print(f"News-T: {len(stream)} docs, {len({r['clusterNo'] for r in stream})} clusters; dev = odd clusters "
          f"in News.jsonl order ({len(dev)} docs); {time.time() - t0:.0f}s")
    base = Params(event_max_days=1e9)
    params = fit_params(dev, dim, base, note="MStream News.jsonl odd clusters (dev)")
    params = tune_thresholds(dev, params, dim, grid=[0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], objective=nmi)
    print("fitted:", {k: v for k, v in asdict(params).items() if k[:7] in ("event_w", "event_b", "story_w",
                                                                         "story_b", "event_t", "story_t")})
    results: dict[str, Any] = {}
    test = items(stream, vec_of)
    t1 = time.time()
    ev, st = run_stream(test, params, dim)
    secs = time.time() - t1
    gold = [it.story for it in test]
    results["full News-T"] = {"event": scores(gold, ev), "story": scores(gold, st)}
    held = [i for i, it in enumerate(test) if it.story % 2 == 0]
    results["News-T even clusters (held out)"] = {
        lvl: scores([gold[i] for i in held], [pred[i] for i in held]) for lvl, pred in (("event", ev), ("story", st))}
    # ablation: embeddings only (no lexical terms)
    no_terms = [replace(it, terms=Counter()) for it in test]
    ev2, st2 = run_stream(no_terms, params, dim)
    results["full News-T, no term features (ablation)"] = {"event": scores(gold, ev2), "story": scores(gold, st2)}

    print(f"\nNMI on News-T in stream order ({secs:.1f}s clustering, {len(test) / secs:.0f} docs/s):")
    for name, r in results.items():
        print(f"  storyline {name:42s} events NMI {r['event']['nmi']:.3f} ({r['event']['clusters']} clusters)  "
              f"stories NMI {r['story']['nmi']:.3f} ({r['story']['clusters']} clusters)")
    for name, v in PUBLISHED.items():
        print(f"  {name:52s} NMI {v:.3f}")
    out = write_result("mstream", {"data": "MStream News-T (11,109 headlines, 152 clusters)",
                                   "tuned_on": "News.jsonl, odd clusterNo only", "reported_on": "News-T stream",
                                   "params": asdict(params), "results": results, "published": PUBLISHED,
                                   "seconds": time.time() - t0})
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
