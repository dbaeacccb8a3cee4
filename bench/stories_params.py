"""Shipped clusterer parameters vs the hard-coded defaults on the ECB+ REPORT topics (even-numbered).

    nice -n 10 python bench/stories_params.py

`bench/stories_ecbplus.py` fits its own parameters on the odd topics; this one checks what the live
pipeline actually runs with: `storyline/stories/params.json` (written by scripts/calibrate_stories.py
from dev data only) against `Params()` defaults, on the even topics, two seeded stream orders, nothing
fitted here. Also reports a pseudo-bilingual copy of the stream (terms of a random half of the articles
tagged with another language, so they share no words with the rest) to show cross-lingual robustness.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

import numpy as np
from _stories_common import embed_cached, write_result  # noqa: I001
from stories_ecbplus import load_ecbplus

from storyline.stories.calibrate import make_items, run_stream
from storyline.stories.clusterer import PARAMS_FILE, Params
from storyline.stories.metrics import scores


def main() -> None:
    t0 = time.time()
    docs = load_ecbplus()
    vecs = embed_cached([(d["title"], d["text"]) for d in docs])
    test_idx = [i for i, d in enumerate(docs) if d["topic"] % 2 == 0]
    test = [docs[i] for i in test_idx]
    dim = vecs.shape[1]
    shipped = Params.load()
    print(f"ECB+ report topics (even): {len(test)} docs; shipped params: "
          f"{'present' if PARAMS_FILE.exists() else 'absent'}")
    rows: dict[str, Any] = {}
    for name, params in (("defaults", Params()), ("shipped params.json", shipped)):
        for cond in ("english", "pseudo-bilingual"):
            acc: dict[str, list[float]] = {}
            for seed in (0, 1):
                items = make_items([{**d, "story": d["topic"]} for d in test], vecs[test_idx], seed,
                                   cond != "english", by_time=False)
                ev, st = run_stream(items, params, dim)
                for lvl, gold, pred in (("event", [it.event for it in items], ev),
                                        ("story", [it.story for it in items], st)):
                    s = scores(gold, pred)
                    for k in ("bcubed_p", "bcubed_r", "bcubed_f1", "clusters"):
                        if k in s:
                            acc.setdefault(f"{lvl}_{k}", []).append(float(s[k]))
            rows[f"{name} / {cond}"] = {k: round(float(np.mean(v)), 3) for k, v in acc.items()}
    for name, r in rows.items():
        print(f"{name:45s} " + "  ".join(f"{k}={v}" for k, v in r.items()))
    out = write_result("stories_params", {"data": "ECB+ even topics", "tuned_on": "nothing here (params.json "
                                          "fitted by scripts/calibrate_stories.py on dev data)",
                                          "params": asdict(shipped), "results": rows,
                                          "seconds": time.time() - t0})
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
