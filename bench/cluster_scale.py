"""Clustering throughput and memory at 10k / 100k (/ 1M) articles: is the cost per article flat?

    nice -n 10 python bench/cluster_scale.py [--n 100000] [--window 10000]

Replays real article embeddings (the cached USE vectors of MStream News-T headlines and ECB+ texts,
computed once by bench/mstream.py and bench/stories_ecbplus.py) with perturbed vectors (Gaussian noise,
re-normalised; cos ≈ 0.95 to the original) and shifted dates: each replay round moves the base set 45
days later, documents of one gold cluster share a 3-day span inside a 30-day round. Events thus
expire between rounds while stories continue. Only clustering is timed (no encoding, no store).
Reported per window of `--window` articles: articles/s, ms per article, live events/stories, peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import zlib
from typing import Any

import numpy as np
from _stories_common import embed_cached, write_result
from mstream import load as load_mstream
from stories_ecbplus import load_ecbplus

from storyline.stories.clusterer import OnlineClusterer, Params
from storyline.stories.lexical import terms


def base_set() -> list[dict[str, Any]]:
    ms = load_mstream("News-T.jsonl")
    ecb = load_ecbplus()
    v1 = embed_cached([(r["textCleaned"], "") for r in ms])
    v2 = embed_cached([(d["title"], d["text"]) for d in ecb])
    out = [{"vec": v, "terms": terms(r["textCleaned"], ""), "cluster": f"m{r['clusterNo']}"} for r, v in zip(ms, v1, strict=True)]
    out += [{"vec": v, "terms": terms(d["title"], d["text"]), "cluster": d["event"]} for d, v in zip(ecb, v2, strict=True)]
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mb() -> float:
    """Current resident set size (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return peak_rss_mb()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--window", type=int, default=10_000)
    ap.add_argument("--noise", type=float, default=0.012)
    ap.add_argument("--name", default="cluster_scale", help="result file bench/results/NAME.json")
    args = ap.parse_args()
    base = base_set()
    rng = np.random.default_rng(0)
    order = list(range(len(base)))
    random.Random(0).shuffle(order)
    dim = base[0]["vec"].shape[0]
    day = {b["cluster"]: zlib.crc32(b["cluster"].encode()) % 27 for b in base}
    cl = OnlineClusterer(dim, Params.load())
    rss0 = peak_rss_mb()
    windows = []
    t_win = time.perf_counter()
    total = 0.0
    for n in range(args.n):
        rnd, pos = divmod(n, len(base))
        b = base[order[pos]]
        v = b["vec"] + rng.normal(0, args.noise, dim).astype(np.float32)
        t = rnd * 45.0 + day[b["cluster"]] + float(rng.uniform(0, 3))
        cl.add(f"{rnd}:{order[pos]}", v, b["terms"], (), t)
        if (n + 1) % args.window == 0:
            el = time.perf_counter() - t_win
            total += el
            w = {"articles": n + 1, "seconds": el, "articles_per_s": args.window / el,
                 "ms_per_article": 1000 * el / args.window, "events": len(cl.events.clusters),
                 "stories": len(cl.stories.clusters), "rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb(),
                 "cpu_s": time.process_time()}
            windows.append(w)
            print(f"{n + 1:8d} articles  {w['articles_per_s']:7.0f}/s  {w['ms_per_article']:6.2f} ms/article  "
                  f"events {w['events']:7d}  stories {w['stories']:6d}  RSS {w['rss_mb']:7.0f} MB",
                  flush=True)
            if (n + 1) % (10 * args.window) == 0:  # a long run leaves its curve behind even if stopped
                write_result(args.name, {"partial": True, "windows": windows, "noise": args.noise})
            t_win = time.perf_counter()
    state = cl.to_bytes()
    ms = [w["ms_per_article"] for w in windows]
    summary = {"articles": args.n, "base_articles": len(base), "seconds": total,
               "articles_per_s": args.n / total if total else 0.0,
               "ms_per_article_first_window": ms[0], "ms_per_article_last_window": ms[-1],
               "peak_rss_mb": peak_rss_mb(), "rss_before_clustering_mb": rss0,
               "state_bytes": len(state)}
    print(f"\n{args.n} articles in {total:.0f}s: {summary['articles_per_s']:.0f} articles/s; ms/article first window "
          f"{ms[0]:.2f}, last {ms[-1]:.2f}; peak RSS {summary['peak_rss_mb']:.0f} MB; state {len(state) / 1e6:.1f} MB")
    out = write_result(args.name, {"summary": summary, "windows": windows, "noise": args.noise})
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
