"""Semantic search latency (p50/p95) and recall@10 vs exact search: usearch (SQLite default) and pgvector.

Vectors: synthetic, clustered like news embeddings (N/100 topic centres on the 512-d unit sphere, members
= centre + noise, normalised), because embedding 1M real articles is out of reach on 2 cores; queries are
held-out members of the same distribution. Exact top-10 by brute-force cosine (numpy) is the reference.

    python bench/vector_search.py --sizes 100000 1000000 --pg-sizes 100000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

DIM = 512


def make_vectors(n: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_centres = max(10, n // 100)
    centres = rng.normal(size=(n_centres, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    def sample(m: int) -> np.ndarray:
        out = np.empty((m, DIM), dtype=np.float32)
        for s in range(0, m, 100_000):
            e = min(m, s + 100_000)
            idx = rng.integers(0, n_centres, size=e - s)
            v = centres[idx] + rng.normal(scale=0.045, size=(e - s, DIM)).astype(np.float32)
            out[s:e] = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out

    return sample(n), sample(n_queries)


def exact_top(data: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    out = np.empty((len(queries), k), dtype=np.int64)
    for i in range(0, len(queries), 50):
        sims = queries[i : i + 50] @ data.T
        top = np.argpartition(-sims, k, axis=1)[:, :k]
        order = np.take_along_axis(sims, top, 1).argsort(axis=1)[:, ::-1]
        out[i : i + 50] = np.take_along_axis(top, order, 1)
    return out


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:10]) & set(t.tolist())) / 10 for f, t in zip(found, truth, strict=True)]))


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(xs) * 1000.0, p))


def bench_usearch(data: np.ndarray, queries: np.ndarray, truth: np.ndarray, dtype: str = "f32") -> dict:
    from storyline.store.sqlite import UsearchIndex

    class _NoStored:  # the index's store reference: nothing stored yet, we add directly
        class vectors:  # noqa: N801
            @staticmethod
            def all_doc_vectors(model: str) -> tuple[np.ndarray, np.ndarray]:
                return np.zeros(0, dtype=np.int64), np.zeros((0, DIM), dtype=np.float32)

    index = UsearchIndex(None, lambda: _NoStored, dtype=dtype)
    t0 = time.perf_counter()
    index.add("bench", np.arange(len(data), dtype=np.int64), data)
    build = time.perf_counter() - t0
    lat, found = [], []
    for q in queries:
        t = time.perf_counter()
        hits = index.search("bench", q, 10)
        lat.append(time.perf_counter() - t)
        found.append([h[0] for h in hits])
    return {"build_s": round(build, 1), "p50_ms": round(pct(lat, 50), 3), "p95_ms": round(pct(lat, 95), 3),
            "recall@10": round(recall(found, truth), 4)}


def bench_pgvector(data: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> dict:
    from sqlalchemy import text

    from storyline.store.postgres import PgVectorIndex, fresh_test_store

    store = fresh_test_store()
    vindex = PgVectorIndex(store.engine)
    t0 = time.perf_counter()
    vindex.bulk_load("bench", np.arange(len(data), dtype=np.int64), data, build_memory="6GB")  # binary COPY, then parallel HNSW build
    build = time.perf_counter() - t0
    lat, found = [], []
    for q in queries:
        t = time.perf_counter()
        hits = vindex.search("bench", q, 10)
        lat.append(time.perf_counter() - t)
        found.append([h[0] for h in hits])
    with store.engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {vindex.table('bench')}"))
    store.close()
    return {"build_s": round(build, 1), "p50_ms": round(pct(lat, 50), 3),
            "p95_ms": round(pct(lat, 95), 3), "recall@10": round(recall(found, truth), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--pg-sizes", type=int, nargs="*", default=[100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--usearch-dtypes", nargs="+", default=["f32", "f16"],
                    help="scalar kinds of the usearch index to measure (f32 is the default store's)")
    ap.add_argument("--out", default="bench/results/vector_search.json")
    args = ap.parse_args()
    results = []
    for n in sorted(set(args.sizes) | set(args.pg_sizes)):
        data, queries = make_vectors(n, args.queries)
        truth = exact_top(data, queries)
        row: dict = {"n": n}
        t = time.perf_counter()
        exact_top(data, queries[:20])
        row["exact_numpy_p50_ms"] = round((time.perf_counter() - t) / 20 * 1000, 2)
        if n in args.sizes:
            for dtype in args.usearch_dtypes:
                key = "usearch" if dtype == "f32" else f"usearch_{dtype}"
                row[key] = bench_usearch(data, queries, truth, dtype)
                print(json.dumps({"n": n, key: row[key]}), flush=True)
        if n in args.pg_sizes:
            row["pgvector"] = bench_pgvector(data, queries, truth)
        print(json.dumps(row), flush=True)
        results.append(row)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    merged: dict[int, dict] = {}
    if out.exists():  # keep rows of other sizes/engines from earlier runs; this run's measurements win
        merged = {r["n"]: r for r in json.loads(out.read_text()).get("results", [])}
    for row in results:
        merged[row["n"]] = {**merged.get(row["n"], {}), **row}
    out.write_text(json.dumps({"dim": DIM, "queries": args.queries,
                               "results": [merged[n] for n in sorted(merged)]}, indent=2))


if __name__ == "__main__":
    main()
