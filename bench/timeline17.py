"""Timeline17 benchmark: our timeline summariser vs baselines, beside news-tls's published figures.

    nice -n 10 python bench/timeline17.py [--methods ...] [--vectors tfidf|use] [--limit N]

Protocol as in news-tls (Gholipour Ghalandari & Ifrim, ACL 2020): for each of the 19 gold timelines the
input is the topic's articles published within the gold timeline's span +-1 day; output length = the gold
number of dates and round(mean gold sentences per date); metrics are Date-F1 and alignment-based
ROUGE-1/2 F ("align+ m:1"), averaged over timelines (`storyline.stories.tls_eval`).
Tuning: the fixed date weights were hand-set looking only at the dev topic H1N1 (3 timelines); the
supervised date ranker is fitted leave-one-topic-out (for each of the 9 topics, on the other 8 topics'
timelines); with --grid, the sentence-selection settings (GRID) are chosen by nested leave-one-topic-out
("ours-loto-tuned": each topic gets the setting best on the other 8). The library defaults were set from
the settings those folds chose, so "ours-defaults" has seen every topic; the held-out figure is
"ours-loto-tuned". Reported: the 16 timelines of the 8 non-dev topics (and all 19).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tls_data import read_tar_docs, t17_keywords, t17_timelines, t17_topics  # noqa: E402

from storyline.config import shared_dir  # noqa: E402
from storyline.stories.summarise import is_candidate  # noqa: E402
from storyline.stories.tls import Collection, DateRanker, date_features, prepare, summarise  # noqa: E402
from storyline.stories.tls_eval import evaluate  # noqa: E402

DEV_TOPICS = {"H1N1"}
PUBLISHED = {  # Gholipour Ghalandari & Ifrim 2020, Table 4 (T17): AR1-F, AR2-F, Date-F1
    "DATEWISE (news-tls)": {"ar1_f": 0.120, "ar2_f": 0.035, "date_f1": 0.544},
    "CLUST (news-tls)": {"ar1_f": 0.082, "ar2_f": 0.020, "date_f1": 0.407},
    "Martschat & Markert 2018": {"ar1_f": 0.105, "ar2_f": 0.030, "date_f1": 0.544},
    "Tran et al. 2013": {"ar1_f": 0.094, "ar2_f": 0.022, "date_f1": 0.517},
}
METRICS = ("date_f1", "ar1_f", "ar2_f")


def load_instances(root: Path, limit: int | None, cache: Path | None) -> list[dict]:
    """One instance per gold timeline: docs within its span, prepared once (cached as a pickle)."""
    out = []
    for topic in t17_topics(root)[:limit]:
        docs = None
        for k, gold in enumerate(t17_timelines(root, topic)):
            span = (min(gold) - timedelta(days=1), max(gold) + timedelta(days=1))
            key = cache / f"t17-{topic}-{k}.pkl" if cache else None
            if key and key.exists():
                coll = pickle.loads(key.read_bytes())
            else:
                docs = docs or read_tar_docs(root / topic / "InputDocs.tar.gz", "en", ptb=True)
                sel = [d for d in docs if d.published and span[0] <= d.published <= span[1]]
                coll = prepare(sel, t17_keywords(root, topic), span=span)
                if key:
                    key.write_bytes(pickle.dumps(coll))
            out.append({"topic": topic, "group": topic.split("_")[0], "k": k, "gold": gold, "span": span,
                        "coll": coll, "n_dates": len(gold),
                        "n_sents": max(1, round(sum(len(v) for v in gold.values()) / len(gold)))})
            print(f"  {topic}#{k}: {len(coll.docs)} docs, {len(coll.sentences)} sentences, "
                  f"{len(gold)} gold dates", file=sys.stderr)
    return out


def baseline_pubfreq(coll: Collection, n_dates: int, n_sents: int, span: tuple[date, date]) -> dict:
    """Most frequent publication dates; the first sentences of that day's articles."""
    count: dict[date, int] = {}
    for d in coll.docs:
        if d.published and span[0] <= d.published <= span[1]:
            count[d.published] = count.get(d.published, 0) + 1
    days = sorted(count, key=lambda x: (-count[x], x))[:n_dates]
    out = {}
    for day in days:
        sents = [s.text for s in coll.sentences if s.pub == day and s.pos == 0 and is_candidate(s.text)]
        sents = sents or [s.text for s in coll.sentences if s.pub == day][:1]
        out[day] = list(dict.fromkeys(sents))[:n_sents]
    return out


def baseline_random(coll: Collection, n_dates: int, n_sents: int, span: tuple[date, date], seed: int) -> dict:
    """Random days of the span with random sentences of that day's articles (or of any article)."""
    rng = random.Random(seed)
    days = [span[0] + timedelta(days=i) for i in range((span[1] - span[0]).days + 1)]
    by_day: dict[date, list[str]] = {}
    for s in coll.sentences:
        if is_candidate(s.text) and s.pub:
            by_day.setdefault(s.pub, []).append(s.text)
    pool_all = [t for v in by_day.values() for t in v]
    out = {}
    for day in sorted(rng.sample(days, min(n_dates, len(days)))):
        pool = by_day.get(day) or pool_all
        out[day] = rng.sample(pool, min(n_sents, len(pool)))
    return out


def fit_ranker(train: list[dict]) -> DateRanker:
    data = []
    for inst in train:
        dates, x = date_features(inst["coll"], inst["span"])
        data.append((x, np.array([d in inst["gold"] for d in dates], dtype=int)))
    return DateRanker.fit(data)


# Session-1 library defaults (chosen on dev H1N1 + an earlier nested LOTO over freshness x topic prior).
PREVIOUS = {"query_weight": 0.2, "max_words": 40, "redundancy": 0.5, "candidates": 200, "near_first": False}
# Sentence-selection settings searched by nested leave-one-topic-out: each previous value vs a new one
# (topic prior 2 and freshness prior 0 stay as the earlier nested LOTO chose them in every fold).
GRID = [{"query_weight": q, "max_words": w, "redundancy": r, "candidates": c, "near_first": n}
        for q in (0.0, 0.2) for w in (40, 50) for r in (0.35, 0.5) for c in (50, 200) for n in (False, True)]
_INSTS: list[dict] = []


def _score_config(job: tuple[dict, str]) -> list[dict]:
    cfg, vectors = job
    row = []
    for inst in _INSTS:
        tl = summarise(inst["coll"], inst["n_dates"], inst["n_sents"], span=inst["span"], vectors=vectors, **cfg)
        row.append(evaluate({d: [s.text for s in ss] for d, ss in tl}, inst["gold"]))
    return row


def loto_tuned(insts: list[dict], vectors: str, workers: int = 1) -> tuple[list[dict], dict[str, dict]]:
    """Nested leave-one-topic-out: for each topic, the GRID setting with the best mean AR1-F on the other
    8 topics' timelines is applied to it (fixed date weights). No topic's own score picks its setting."""
    global _INSTS
    _INSTS = insts
    jobs = [(cfg, vectors) for cfg in GRID]
    if workers > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(workers) as pool:
            scores = pool.map(_score_config, jobs)  # [config][instance]
    else:
        scores = [_score_config(j) for j in jobs]
    out, chosen = [], {}
    for j, inst in enumerate(insts):
        g = inst["group"]
        train = [i for i, x in enumerate(insts) if x["group"] != g]
        best = max(range(len(GRID)), key=lambda c: np.mean([scores[c][i]["ar1_f"] for i in train]))
        chosen[g] = GRID[best]
        out.append({"topic": inst["topic"], "k": inst["k"], "group": g, **scores[best][j]})
    return out, chosen


def run(args: argparse.Namespace) -> dict:
    root = (shared_dir() or Path("/nonexistent")) / "data" / "timeline17"
    if not root.is_dir():
        sys.exit("Timeline17 not found under ../shared/data/timeline17")
    cache = None if args.no_cache else Path(tempfile.gettempdir()) / "storyline-bench-cache"
    if cache:
        cache.mkdir(exist_ok=True)
    t0 = time.time()
    insts = load_instances(root, args.limit, cache)
    t_prep = time.time() - t0
    groups = sorted({i["group"] for i in insts})
    rankers = {g: fit_ranker([i for i in insts if i["group"] != g]) for g in groups} \
        if "ours-loto" in args.methods else {}
    results: dict[str, list[dict]] = {m: [] for m in args.methods}
    t1 = time.time()
    for inst in insts:
        c, n, k, span, gold = inst["coll"], inst["n_dates"], inst["n_sents"], inst["span"], inst["gold"]
        for m in args.methods:
            if m == "random":
                pred = baseline_random(c, n, k, span, seed=13)
            elif m == "pubfreq-lead":
                pred = baseline_pubfreq(c, n, k, span)
            elif m == "ours-prev":
                tl = summarise(c, n, k, span=span, vectors=args.vectors, **PREVIOUS)
                pred = {d: [s.text for s in ss] for d, ss in tl}
            else:
                ranker = rankers[inst["group"]] if m == "ours-loto" else None
                fresh = args.fresh_weight if m in ("ours-fixed", "ours-loto") else 0.0
                tl = summarise(c, n, k, ranker=ranker, span=span, vectors=args.vectors, fresh_weight=fresh)
                pred = {d: [s.text for s in ss] for d, ss in tl}
            sc = evaluate(pred, gold)
            results[m].append({"topic": inst["topic"], "k": inst["k"], "group": inst["group"], **sc})
    chosen: dict[str, dict] = {}
    if args.grid:
        results["ours-loto-tuned"], chosen = loto_tuned(insts, args.vectors, args.workers)
    t_run = time.time() - t1

    def mean(rows: list[dict], dev: bool | None) -> dict:
        sel = [r for r in rows if dev is None or (r["group"] in DEV_TOPICS) == dev]
        return {m: float(np.mean([r[m] for r in sel])) for m in METRICS} | {"timelines": len(sel)}

    summary = {m: {"test": mean(rows, False), "dev": mean(rows, True), "all": mean(rows, None)}
               for m, rows in results.items()}
    print(f"\nTimeline17 ({len(insts)} timelines; test = {summary[args.methods[0]]['test']['timelines']} "
          f"timelines of non-dev topics; dev = {sorted(DEV_TOPICS)})")
    print(f"{'method':34s} {'Date-F1':>8s} {'AR1-F':>7s} {'AR2-F':>7s}   (all 19: Date-F1 AR1-F AR2-F)")
    for m, s in summary.items():
        t, a = s["test"], s["all"]
        print(f"{'ours/' + m if m.startswith('ours') else m:34s} {t['date_f1']:8.3f} {t['ar1_f']:7.3f} "
              f"{t['ar2_f']:7.3f}   ({a['date_f1']:.3f} {a['ar1_f']:.3f} {a['ar2_f']:.3f})")
    for name, p in PUBLISHED.items():
        print(f"{name + ' [published, all 19]':34s} {p['date_f1']:8.3f} {p['ar1_f']:7.3f} {p['ar2_f']:7.3f}")
    print(f"prepare {t_prep:.0f}s, summarise+evaluate {t_run:.0f}s")
    return {
        "benchmark": "timeline17", "date": time.strftime("%Y-%m-%d"), "vectors": args.vectors,
        "fresh_weight": args.fresh_weight,
        "protocol": "news-tls: input = articles within gold span +-1 day; L = gold dates; "
                    "k = round(mean gold sentences/date); metrics averaged over timelines",
        "dev_topics": sorted(DEV_TOPICS), "fit": "date ranker: leave-one-topic-out over 9 topics",
        "summary": summary, "published": PUBLISHED, "per_timeline": results,
        "rankers": {g: r.to_dict() for g, r in rankers.items()},
        "loto_tuned_configs": chosen,
        "seconds": {"prepare": t_prep, "summarise_evaluate": t_run},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--methods", nargs="+",
                    default=["random", "pubfreq-lead", "ours-prev", "ours-fixed", "ours-loto", "ours-defaults"])
    ap.add_argument("--vectors", default="tfidf", help="sentence vectors: tfidf | use | e5")
    ap.add_argument("--fresh-weight", type=float, default=0.0,
                    help="prior for sentences published 0-2 days after the date for the ours-fixed/ours-loto "
                         "methods (dev H1N1 chose 1.0; leave-one-topic-out chooses 0.0, the library default)")
    ap.add_argument("--grid", action="store_true",
                    help="also run 'ours-loto-tuned': sentence-selection settings chosen leave-one-topic-out")
    ap.add_argument("--workers", type=int, default=2, help="processes for the --grid search")
    ap.add_argument("--limit", type=int, default=None, help="first N topic folders only (smoke test)")
    ap.add_argument("--no-cache", action="store_true", help="do not cache prepared collections in $TMPDIR")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "timeline17.json"))
    args = ap.parse_args()
    res = run(args)
    Path(args.out).write_text(json.dumps(res, indent=1, default=str))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
