"""Story splits: story B-cubed with the cohesion re-check off vs on, and how many splits it makes.

    nice -n 10 python bench/stories_splits.py [--skip-sample]

ECB+ (../shared/data/ecbplus): the clusterer with the shipped parameters (`params.json`) replays a seeded
shuffle of the test stream (even topics) in batches of 32 articles, as the pipeline does; after each
batch the stories it changed are re-checked (`storyline.stories.split.check_stories`). Two settings:

* clean stream: does the check leave good stories alone and split bad ones?
* repair: halfway through, 5 wrong merges are injected (each joins the two biggest stories of two
  different gold topics, as a misleading bridge article would); does the check undo them?
* event repair: halfway through, the biggest events of the two gold events of 5 topics are merged.

After each batch the events it changed are re-checked too (`check_events`, article vectors from the
stream). The hysteresis margin is chosen on the dev stream (odd topics, same protocol: mean of story
B-cubed F1 clean and repair and event B-cubed F1 clean); reported on test (even topics). Peers (offline, tuned on dev as in `bench/stories_ecbplus.py`) from the same run.
The bundled sample corpus (examples/, our own labels) is ingested end to end twice, with
STORYLINE_SPLITS=0 and =1, reporting story/event B-cubed F1 and the split count.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _stories_common import write_result  # noqa: I001
from stories_ecbplus import agglomerative, hdbscan_labels, items_for, load_split, tfidf, tuned_peer

from storyline.stories.calibrate import Item
from storyline.stories.clusterer import OnlineClusterer, Params
from storyline.stories.metrics import scores
from storyline.stories.split import SplitParams, check_events, check_stories

BATCH = 32
MARGINS = [0.5, 1.0, 2.0, 3.0, 4.0]


def inject_merges(cl: OnlineClusterer, gold: dict[str, Any], n: int, seed: int) -> int:
    """Merge the biggest stories of `n` random pairs of different gold topics; returns merges made."""
    by_topic: dict[Any, list[tuple[int, str]]] = {}
    for sid, st in cl.stories.clusters.items():
        arts = [a for e in st.members for a in cl.events.clusters[e].members]
        topic = Counter(gold[a] for a in arts).most_common(1)[0][0]
        by_topic.setdefault(topic, []).append((len(arts), sid))
    topics = sorted(t for t, v in by_topic.items() if max(v)[0] >= 3)
    rng = random.Random(seed)
    rng.shuffle(topics)
    done = 0
    for a, b in zip(topics[0::2], topics[1::2], strict=False):
        if done >= n:
            break
        sa, sb = max(by_topic[a])[1], max(by_topic[b])[1]
        cl.merge_stories(cl.stories.clusters[sa], cl.stories.clusters[sb], reason="injected")
        done += 1
    return done


def inject_event_merges(cl: OnlineClusterer, gold_ev: dict[str, Any], gold_st: dict[str, Any], n: int,
                        seed: int) -> int:
    """Merge the biggest events of the two gold events of `n` random topics (ECB+: the ecb and ecbplus
    halves of a topic: same story, different event); returns merges made."""
    best: dict[Any, tuple[int, str]] = {}
    for eid, ev in cl.events.clusters.items():
        if ev.indexed is None or not ev.members:
            continue
        label = Counter(gold_ev[a] for a in ev.members).most_common(1)[0][0]
        best[label] = max(best.get(label, (0, "")), (len(ev.members), eid))
    by_story: dict[Any, list[str]] = {}
    for size, eid in best.values():
        if size >= 3:
            by_story.setdefault(gold_st[cl.events.clusters[eid].members[0]], []).append(eid)
    topics = sorted(t for t, v in by_story.items() if len(v) >= 2)
    random.Random(seed).shuffle(topics)
    done = 0
    for t in topics[:n]:
        a, b = by_story[t][:2]
        if a in cl.events.clusters and b in cl.events.clusters:
            cl.merge_events(cl.events.clusters[a], cl.events.clusters[b], reason="injected")
            done += 1
    return done


def replay(items: Sequence[Item], params: Params, dim: int, sp: SplitParams | None,
           inject: int = 0, seed: int = 0, events: bool = True, inject_events: int = 0) -> dict[str, Any]:
    """Stream `items` in batches; re-check changed events (when `events`) and stories after each batch
    when `sp` is given."""
    cl = OnlineClusterer(dim, params)
    gold = {it.id: it.story for it in items}
    gold_ev = {it.id: it.event for it in items}
    data = {it.id: (it.vec, it.terms, it.keys, it.t, it.lang) for it in items}
    splits = ev_splits = injected = remerged = 0
    apart: set[frozenset[str]] = set()
    check_s = 0.0
    half = (len(items) // 2) // BATCH * BATCH
    for i in range(0, len(items), BATCH):
        chunk = items[i : i + BATCH]
        for it in chunk:
            cl.add(it.id, it.vec, it.terms, it.keys, it.t, dup_of=it.dup_of, lang=it.lang)
        if inject and i + BATCH == half:
            injected = inject_merges(cl, gold, inject, seed)
        if inject_events and i + BATCH == half:
            injected = inject_event_merges(cl, gold_ev, gold, inject_events, seed)
        if sp is not None:
            t0 = time.perf_counter()
            fresh = [it.id for it in chunk]
            if events:
                ev_splits += len(check_events(cl, cl.touched_events - cl.removed_events, data.__getitem__, fresh, sp))
            splits += len(check_stories(cl, cl.touched_stories - cl.removed_stories, fresh, sp))
            check_s += time.perf_counter() - t0
        for rec in cl.drain_changes()[2]:  # flip-flop: a later merge of two stories that a split separated
            if rec["level"] != "story":
                continue
            if rec["kind"] == "split":
                apart.update(frozenset((rec["to"][0], other)) for other in rec["to"][1:])
            elif rec["kind"] == "merge" and frozenset(rec["from"]) in apart:
                remerged += 1
    ids = [it.id for it in items]
    s = scores([gold[a] for a in ids], [str(cl.story_of(a)) for a in ids])
    e = scores([gold_ev[a] for a in ids], [cl.assign[a] for a in ids])
    return {"story": s, "event": e, "splits": splits, "event_splits": ev_splits, "injected": injected,
            "remerged_after_split": remerged,
            "check_ms_per_batch": 1000 * check_s / max(1, (len(items) + BATCH - 1) // BATCH)}


def ecbplus(seeds: Sequence[int]) -> dict[str, Any]:
    docs, vecs, dev_idx, test_idx = load_split()
    dim = vecs.shape[1]
    dev, test = [docs[i] for i in dev_idx], [docs[i] for i in test_idx]
    params = Params.load()

    def mean_f1(items_list: list[list[Item]], sp: SplitParams | None, inject: int, level: str) -> float:
        return float(np.mean([replay(its, params, dim, sp, inject, seed)[level]["bcubed_f1"]
                              for seed, its in enumerate(items_list)]))

    dev_items = [items_for(dev, vecs[dev_idx], seed=s) for s in seeds]
    # margin: best mean of the dev story B3 F1 (clean and repair setting) and the dev event B3 F1 (clean)
    tuning = {m: float(np.mean([mean_f1(dev_items, SplitParams(margin=m), 0, "story"),
                                mean_f1(dev_items, SplitParams(margin=m), 5, "story"),
                                mean_f1(dev_items, SplitParams(margin=m), 0, "event")]))
              for m in MARGINS}
    margin = max(MARGINS, key=lambda m: (round(tuning[m], 4), m))
    print(f"dev (odd topics) mean B3 F1 (story clean, story repair, event clean) by margin: "
          f"{ {m: round(v, 4) for m, v in tuning.items()} } -> margin {margin}")
    sp = SplitParams(margin=margin)
    rows: list[dict[str, Any]] = []
    variants = (("splits off", None, False), (f"story splits only (margin {margin})", sp, False),
                (f"story + event splits (margin {margin})", sp, True))
    settings = (("clean stream", 0, 0), ("repair (5 injected wrong story merges)", 5, 0),
                ("repair (5 injected wrong event merges)", 0, 5))
    for setting, inject, inject_ev in settings:
        for label, spx, with_events in variants:
            runs = [replay(items_for(test, vecs[test_idx], seed=s), params, dim, spx, inject, s, with_events,
                           inject_ev) for s in seeds]
            row = {"setting": setting, "system": label, "runs": runs,
                   **{k: float(np.mean([r["story"][k] for r in runs]))
                      for k in ("bcubed_f1", "pairwise_f1", "nmi", "clusters")},
                   "event_bcubed_f1": float(np.mean([r["event"]["bcubed_f1"] for r in runs])),
                   "events": float(np.mean([r["event"]["clusters"] for r in runs])),
                   **{k: float(np.mean([r[k] for r in runs])) for k in ("splits", "event_splits", "remerged_after_split", "check_ms_per_batch")}}
            rows.append(row)
            print(f"{setting:40s} {label:38s} story B3 F1 {row['bcubed_f1']:.3f}  pairwise F1 "
                  f"{row['pairwise_f1']:.3f}  NMI {row['nmi']:.3f}  stories {row['clusters']:.1f}  "
                  f"splits {row['splits']:.1f}  | event B3 F1 {row['event_bcubed_f1']:.3f}  events "
                  f"{row['events']:.1f}  event splits {row['event_splits']:.1f}  | re-merged after split "
                  f"{row['remerged_after_split']:.1f}  check {row['check_ms_per_batch']:.1f} ms/batch")
    xd, xt = vecs[dev_idx], vecs[test_idx]
    thr_grid = [round(x, 2) for x in np.arange(0.2, 0.95, 0.05)]
    peers = [tuned_peer("agglomerative average-link (USE)", agglomerative, thr_grid, xd, xt, dev, test),
             tuned_peer("HDBSCAN (USE)", hdbscan_labels, [2, 3, 4, 5, 8, 12, 16], xd, xt, dev, test)]
    td, tt = tfidf(dev, dev), tfidf(test, dev)
    peers.append(tuned_peer("agglomerative average-link (TF-IDF)", agglomerative, thr_grid, td, tt, dev, test))
    peers.append(tuned_peer("HDBSCAN (TF-IDF)", hdbscan_labels, [2, 3, 4, 5, 8, 12, 16], td, tt, dev, test))
    for p in peers:
        st = p["story"]
        print(f"{'peer (offline)':40s} {p['system']:24s} story B3 F1 {st['bcubed_f1']:.3f}  pairwise F1 "
              f"{st['pairwise_f1']:.3f}  NMI {st['nmi']:.3f}  stories {st['clusters']}")
    return {"tuned_on": "odd topics (margin)", "reported_on": "even topics", "seeds": list(seeds),
            "margin_tuning": tuning, "margin": margin, "rows": rows,
            "peers": [{"system": p["system"], "story": p["story"]} for p in peers]}


def sample_corpus() -> dict[str, Any]:
    """Ingest examples/ end to end with splits off and on (fresh stores)."""
    import json

    from sample_corpus import match_gold

    from storyline.cli.demo_cmds import PARTNER_MAP, sample_inputs
    from storyline.cli.ingest_cmds import read_options
    from storyline.config import repo_root
    from storyline.ingest.pipeline import ingest
    from storyline.ingest.records import DEFAULT_MAX_BYTES
    from storyline.store.sqlite import SQLiteStore
    from storyline.stories.metrics import bcubed

    examples = repo_root() / "examples"
    gold = json.loads((examples / "gold.json").read_text())
    out = {}
    for flag in ("0", "1"):
        os.environ["STORYLINE_SPLITS"] = flag
        store = SQLiteStore(Path(tempfile.mkdtemp()) / "storyline.db")
        for path, fmap in sample_inputs(examples):
            opts = read_options(DEFAULT_MAX_BYTES / 2**20, fmap if fmap == PARTNER_MAP else None, False, False)
            ingest([path], store, options=opts)
        matched = match_gold(gold, store.articles.list())
        asg = store.stories.assignments()
        keys = [k for k, a in matched.items() if a.id in asg]  # type: ignore[attr-defined]
        res = {}
        for lvl, pos in (("stories", 0), ("events", 1)):
            g = [gold["articles"][k]["story" if pos == 0 else "event"] for k in keys]
            p = [asg[matched[k].id][pos] for k in keys]  # type: ignore[attr-defined]
            res[lvl] = {**{k: round(v, 3) for k, v in bcubed(g, p).items()}, "found": len(set(p)),
                        "gold_clusters": len(set(g))}
        kinds = Counter(r["kind"] for r in store.stories.lineage() if r["level"] == "story")
        res["lineage"] = dict(kinds)
        store.close()
        label = "splits on" if flag == "1" else "splits off"
        out[label] = res
        print(f"sample corpus {label:10s} story B3 F1 {res['stories']['f1']:.3f} ({res['stories']['found']} stories, "
              f"gold {res['stories']['gold_clusters']})  event B3 F1 {res['events']['f1']:.3f}  lineage {dict(kinds)}")
    os.environ.pop("STORYLINE_SPLITS", None)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skip-sample", action="store_true", help="only ECB+")
    ap.add_argument("--seeds", type=int, default=3, help="stream shuffles per setting")
    args = ap.parse_args()
    t0 = time.time()
    result = {"ecbplus": ecbplus(list(range(args.seeds)))}
    if not args.skip_sample:
        result["sample_corpus"] = sample_corpus()
    result["seconds"] = time.time() - t0
    print(f"wrote {write_result('stories_splits', result)}")


if __name__ == "__main__":
    main()
