"""ECB+ event and story clustering: our online clusterer vs HDBSCAN and agglomerative clustering.

    nice -n 10 python bench/stories_ecbplus.py [--save-params]

Data: ../shared/data/ecbplus/ECB+.tar.gz (982 texts, 43 topics; tokens joined; in `ecbplus` files
sentence 0 is the source URL and is dropped; the first remaining sentence is used as the title).
Gold: event = topic + ecb/ecbplus half; story = topic. Tuning (logistic weights, thresholds; the
peers' distance thresholds / min cluster sizes) on the odd-numbered topics, reporting on the even ones.
ECB+ has no publication dates: every article is undated, so the time penalties never apply and the
stream order is a seeded shuffle; a second shuffle measures how much arrival order matters.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import asdict
from typing import Any

import numpy as np
from _stories_common import embed_cached, fmt, write_result  # noqa: I001

from storyline.config import shared_dir
from storyline.stories.calibrate import Item, fit_params, run_stream, tune_thresholds
from storyline.stories.clusterer import PARAMS_FILE, Params
from storyline.stories.lexical import terms, text_keys
from storyline.stories.metrics import scores
from storyline.stories.neardup import NearDuplicates

NAME = re.compile(r"ECB\+/(\d+)/(\d+)_(\d+)(ecbplus|ecb)\.xml$")


def load_ecbplus() -> list[dict[str, Any]]:
    base = shared_dir()
    if base is None:
        sys.exit("../shared is not present")
    docs = []
    with tarfile.open(base / "data" / "ecbplus" / "ECB+.tar.gz") as tar:
        for m in tar.getmembers():
            hit = NAME.search(m.name)
            if not hit or not m.isfile():
                continue
            root = ET.fromstring(tar.extractfile(m).read())  # type: ignore[union-attr]
            sents: dict[int, list[str]] = defaultdict(list)
            for tok in root.iter("token"):
                sents[int(tok.get("sentence", "0"))].append(tok.text or "")
            kind = hit.group(4)
            keep = [" ".join(sents[k]) for k in sorted(sents) if not (kind == "ecbplus" and k == 0)]
            if not keep:
                continue
            topic = int(hit.group(1))
            docs.append({"id": f"{topic}_{hit.group(3)}{kind}", "topic": topic, "event": f"{topic}-{kind}",
                         "title": keep[0], "text": " ".join(keep[1:])})
    docs.sort(key=lambda d: d["id"])
    return docs


def items_for(docs: list[dict[str, Any]], vecs: np.ndarray, seed: int) -> list[Item]:
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    nd = NearDuplicates()
    out = []
    for i in order:
        d = docs[i]
        rep = nd.add(d["id"], d["title"] + "\n" + d["text"])
        out.append(Item(d["id"], vecs[i], terms(d["title"], d["text"]), text_keys(d["title"], d["text"], "en"),
                        None, d["event"], d["topic"], rep, "en"))
    return out


# --------------------------------------------------------------------------- peers


def agglomerative(x: np.ndarray, thr: float, metric: str = "cosine") -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(n_clusters=None, distance_threshold=thr, metric=metric,
                                   linkage="average").fit_predict(x).tolist()


def hdbscan_labels(x: np.ndarray, size: int) -> list[int]:
    import hdbscan

    lab = hdbscan.HDBSCAN(min_cluster_size=size, min_samples=1, metric="euclidean").fit_predict(x)
    nxt = int(lab.max()) + 1
    out = []
    for v in lab:  # noise points become singletons
        if v < 0:
            out.append(nxt)
            nxt += 1
        else:
            out.append(int(v))
    return out


def tfidf(docs: list[dict[str, Any]], fit_on: list[dict[str, Any]]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, min_df=1, stop_words="english").fit(
        [d["title"] + " " + d["text"] for d in fit_on])
    return vec.transform([d["title"] + " " + d["text"] for d in docs]).toarray()


def tuned_peer(name: str, fn: Any, grid: list[Any], x_dev: np.ndarray, x_test: np.ndarray,
               dev: list[dict[str, Any]], test: list[dict[str, Any]]) -> dict[str, Any]:
    row: dict[str, Any] = {"system": name}
    for level in ("event", "story"):
        key = "event" if level == "event" else "topic"
        g_dev = [d[key] for d in dev]
        best = max(grid, key=lambda p: scores(g_dev, fn(x_dev, p))["bcubed_f1"])
        s = scores([d[key] for d in test], fn(x_test, best))
        row[level] = {**s, "param": best}
    return row


def load_split() -> tuple[list[dict[str, Any]], np.ndarray, list[int], list[int]]:
    """ECB+ documents, their cached USE vectors, and the dev (odd topics) / test (even topics) indices."""
    docs = load_ecbplus()
    vecs = embed_cached([(d["title"], d["text"]) for d in docs])
    dev_idx = [i for i, d in enumerate(docs) if d["topic"] % 2 == 1]
    test_idx = [i for i, d in enumerate(docs) if d["topic"] % 2 == 0]
    return docs, vecs, dev_idx, test_idx


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--save-params", action="store_true", help=f"write the dev-fitted parameters to {PARAMS_FILE}")
    args = ap.parse_args()
    t0 = time.time()
    docs, vecs, dev_idx, test_idx = load_split()
    dim = vecs.shape[1]
    dev, test = [docs[i] for i in dev_idx], [docs[i] for i in test_idx]
    print(f"ECB+: {len(docs)} docs, {len({d['topic'] for d in docs})} topics; dev (odd topics) {len(dev)} docs, "
          f"test (even topics) {len(test)} docs; encoder USE-m3; {time.time() - t0:.0f}s")

    dev_items = items_for(dev, vecs[dev_idx], seed=0)
    params = fit_params(dev_items, dim, Params(), note="ECB+ odd topics (dev)")
    params = tune_thresholds(dev_items, params, dim)
    print("fitted:", {k: v for k, v in asdict(params).items() if k.startswith(("event_w", "event_b", "story_w",
                                                                              "story_b", "event_tau", "story_tau"))})
    results: list[dict[str, Any]] = []
    runs = {}
    for seed in (0, 1):
        test_items = items_for(test, vecs[test_idx], seed=seed)
        ev, st = run_stream(test_items, params, dim)
        runs[seed] = {it.id: (e, s) for it, e, s in zip(test_items, ev, st, strict=True)}
        if seed == 0:
            gold = {d["id"]: d for d in test}
            ids = [it.id for it in test_items]
            results.append({"system": "storyline online (USE + terms + names)",
                            "event": scores([gold[i]["event"] for i in ids], ev),
                            "story": scores([gold[i]["topic"] for i in ids], st)})
    ids = sorted(runs[0])
    order = {lvl: scores([runs[0][i][k] for i in ids], [runs[1][i][k] for i in ids])
             for k, lvl in ((0, "event"), (1, "story"))}
    order_agreement = {lvl: {"ari": s["ari"], "bcubed_f1": s["bcubed_f1"]} for lvl, s in order.items()}

    xd, xt = vecs[dev_idx], vecs[test_idx]
    thr_grid = [round(x, 2) for x in np.arange(0.2, 0.95, 0.05)]
    results.append(tuned_peer("agglomerative average-link (USE)", agglomerative, thr_grid, xd, xt, dev, test))
    results.append(tuned_peer("HDBSCAN (USE)", hdbscan_labels, [2, 3, 4, 5, 8, 12, 16], xd, xt, dev, test))
    td, tt = tfidf(dev, dev), tfidf(test, dev)
    results.append(tuned_peer("agglomerative average-link (TF-IDF)", agglomerative, thr_grid, td, tt, dev, test))
    results.append(tuned_peer("HDBSCAN (TF-IDF)", hdbscan_labels, [2, 3, 4, 5, 8, 12, 16], td, tt, dev, test))

    keys = ["bcubed_f1", "pairwise_f1", "nmi", "clusters", "gold_clusters"]
    for r in results:
        print(f"\n{r['system']}" + (f"  (tuned: event {r['event'].get('param')}, story {r['story'].get('param')})"
                                     if "param" in r["event"] else ""))
        for lvl in ("event", "story"):
            print(f"  {lvl:5s}  " + fmt(r[lvl], keys))
    print(f"\narrival-order agreement (two shuffles of the test stream): "
          f"event ARI {order_agreement['event']['ari']:.3f}, story ARI {order_agreement['story']['ari']:.3f}")
    out = write_result("stories_ecbplus", {
        "data": "ECB+ (982 docs, 43 topics)", "tuned_on": "odd topics", "reported_on": "even topics",
        "dev_docs": len(dev), "test_docs": len(test), "params": asdict(params), "results": results,
        "order_agreement": order_agreement, "seconds": time.time() - t0})
    print(f"wrote {out}")
    if args.save_params:
        params.save(PARAMS_FILE)
        print(f"saved parameters to {PARAMS_FILE}")


if __name__ == "__main__":
    main()
