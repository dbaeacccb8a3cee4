"""Ingest throughput (articles/second) on real corpora, `--raw` (clean + store) and full pipeline.

Data (read from ../shared at run time):
- SemEval-2022 Task 8 train texts, `texts/train_texts_bl_joined.jsonl` (one pair per line), ingested
  as JSONL twice with `--map`: title=title1,text=text1,lang=lang1 then title2/text2/lang2;
- Timeline17 `*/InputDocs.tar.gz`, extracted to a temp dir (plain-text dumps; the folder name is the
  publication date, which also gives a text-dating accuracy figure for documents with no metadata);
- the SemEval trial Internet-Archive HTML (`trial/ia_dump/*/*.html.gz`), to compare with the peer
  `trafilatura.bare_extraction` alone on the same pages (our HTML path wraps it).

Each corpus goes into a fresh SQLite store in a temp dir. Nothing is tuned on these data.

    nice -n 10 python bench/ingest_throughput.py [--limit N] [--full N]
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import logging
import re
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.config import shared_dir  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "ingest_throughput.json"


def run_ingest(inputs: list[str], maps: list[dict[str, str]], raw: bool, limit: int | None) -> dict[str, Any]:
    from storyline.ingest.pipeline import ingest
    from storyline.ingest.records import ReadOptions
    from storyline.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        t = time.perf_counter()
        totals = {"read": 0, "stored": 0, "duplicates": 0, "rejected": 0}
        for field_map in maps or [{}]:
            rep = ingest(inputs, store, options=ReadOptions(field_map=field_map), raw=raw, limit=limit)
            for k in ("read", "stored", "duplicates"):
                totals[k] += getattr(rep, k)
            totals["rejected"] += len(rep.rejected)
        secs = time.perf_counter() - t
        arts = list(store.articles.iter())
        store.close()
    totals["seconds"] = round(secs, 2)
    totals["articles_per_second"] = round(totals["read"] / secs, 2) if secs else 0.0
    totals["_articles"] = arts
    return totals


def t17_inputs(base: Path, tmp: Path) -> list[str]:
    for tgz in sorted(glob.glob(str(base / "data" / "timeline17" / "*" / "InputDocs.tar.gz"))):
        dest = tmp / Path(tgz).parent.name
        dest.mkdir()
        with tarfile.open(tgz) as tf:
            tf.extractall(dest, filter="data")
    return [str(tmp)]


def folder_date_accuracy(arts: list[Any]) -> dict[str, Any]:
    """Share of Timeline17 documents whose found date equals the date folder they sit in."""
    n = dated = correct = 0
    for a in arts:
        m = re.search(r"/(\d{4}-\d{2}-\d{2})/", a.path or "")
        if not m:
            continue
        n += 1
        if a.published:
            dated += 1
            correct += a.published.date().isoformat() == m.group(1)
    return {"n": n, "coverage": round(dated / n, 4) if n else 0, "exact_day_accuracy": round(correct / n, 4) if n else 0,
            "precision": round(correct / dated, 4) if dated else 0}


def trafilatura_alone(files: list[str]) -> dict[str, Any]:
    import trafilatura

    t = time.perf_counter()
    ok = 0
    for f in files:
        html = gzip.decompress(Path(f).read_bytes())
        doc = trafilatura.bare_extraction(html, with_metadata=True, as_dict=False)
        ok += bool(doc is not None and doc.text)
    secs = time.perf_counter() - t
    return {"read": len(files), "extracted": ok, "seconds": round(secs, 2),
            "articles_per_second": round(len(files) / secs, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, help="at most N records per corpus pass")
    ap.add_argument("--full", type=int, metavar="N", default=0,
                    help="also run the full pipeline (enrich/embed/stories) on the first N records per corpus")
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    base = shared_dir()
    if base is None:
        sys.exit("../shared is not present")
    semeval = str(base / "data" / "semeval2022-task8" / "texts" / "train_texts_bl_joined.jsonl")
    pair_maps = [{"title": f"title{i}", "text": f"text{i}", "lang": f"lang{i}"} for i in (1, 2)]
    html_files = sorted(glob.glob(str(base / "data" / "semeval2022-task8" / "trial" / "ia_dump" / "*" / "*.html.gz")))
    if args.limit:
        html_files = html_files[: args.limit]
    out: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "limit": args.limit, "runs": {}}
    modes = [(True, args.limit)] + ([(False, args.full)] if args.full else [])
    with tempfile.TemporaryDirectory() as tmp:
        t17 = t17_inputs(base, Path(tmp))
        for raw, limit in modes:
            mode = "raw" if raw else "full"
            for name, inputs, maps in (("semeval_jsonl", [semeval], pair_maps), ("timeline17_text", t17, []),
                                       ("ia_dump_html", html_files, [])):
                res = run_ingest(inputs, maps, raw, limit)
                res["limit"] = limit
                arts = res.pop("_articles")
                if name == "timeline17_text":
                    res["folder_date"] = folder_date_accuracy(arts)
                    res["published_from"] = {k: sum(a.published_from == k for a in arts)
                                             for k in ("metadata", "url", "text", None)}
                out["runs"][f"{name}:{mode}"] = res
                print(f"{name:18} {mode:4} limit {limit} read {res['read']:5} stored {res['stored']:5} dup {res['duplicates']:4} "
                      f"rejected {res['rejected']:4}  {res['articles_per_second']:7.2f} art/s ({res['seconds']} s)")
    peer = trafilatura_alone(html_files)
    out["runs"]["peer_trafilatura_bare_extraction:ia_dump_html"] = peer
    print(f"{'peer trafilatura':18} html read {peer['read']:5} extracted {peer['extracted']:5}  "
          f"{peer['articles_per_second']:7.2f} art/s ({peer['seconds']} s)")
    t17r = out["runs"]["timeline17_text:raw"]
    print("timeline17 date vs folder:", t17r["folder_date"], "provenance:", t17r["published_from"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
