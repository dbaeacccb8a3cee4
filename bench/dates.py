"""Publication-date accuracy on the trafilatura evaluation set: our pipeline vs htmldate alone.

Gold: `date` in ../shared/data/trafilatura-eval/evaldata.json (728 of 990 pages); HTML under eval/ or
cache/ as `<file>.gz`. For each page we run, in the same process:

- ours: `raw_to_article(RawDocument(format="html", url=...))`, i.e. extract_html metadata (trafilatura +
  htmldate) -> URL -> text, via `clean.dates.find_publication_date`;
- htmldate alone, default settings (`find_date(html, url=url)`), and with `original_date=True`.

Metrics: exact-day accuracy (correct / all gold pages), coverage (pages given any date) and precision
(correct / dated). Nothing is fitted on this set; pages are split deterministically by URL hash into
dev (hash even) and test (hash odd) halves, and the test half is the reported figure.

    nice -n 10 python bench/dates.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.config import shared_dir  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "dates.json"


def load(limit: int | None) -> list[dict[str, Any]]:
    base = shared_dir()
    if base is None:
        sys.exit("../shared is not present")
    root = base / "data" / "trafilatura-eval"
    gold = json.loads((root / "evaldata.json").read_text("utf-8"))
    items = []
    for url, entry in gold.items():
        if not entry.get("date"):
            continue
        for sub in ("eval", "cache"):
            path = root / sub / (entry["file"] + ".gz")
            if path.exists():
                split = "dev" if int(hashlib.sha1(url.encode()).hexdigest(), 16) % 2 == 0 else "test"
                items.append({"url": url, "path": path, "gold": entry["date"][:10], "split": split})
                break
    return items[:limit] if limit else items


def summarise(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    n = len(rows)
    dated = [r for r in rows if r[key]]
    correct = sum(1 for r in dated if r[key] == r["gold"])
    return {"n": n, "accuracy": round(correct / n, 4) if n else 0.0,
            "coverage": round(len(dated) / n, 4) if n else 0.0,
            "precision": round(correct / len(dated), 4) if dated else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    from htmldate import find_date

    from storyline.ingest.pipeline import RejectRecord, raw_to_article
    from storyline.models import RawDocument

    items = load(args.limit)
    times = {"ours": 0.0, "htmldate": 0.0, "htmldate_original": 0.0}
    rows = []
    for it in items:
        html = gzip.decompress(it["path"].read_bytes())
        row = {"url": it["url"], "gold": it["gold"], "split": it["split"]}
        t = time.perf_counter()
        try:
            art = raw_to_article(RawDocument(origin=str(it["path"]), format="html", content=html, url=it["url"]))
            row["ours"] = art.published.date().isoformat() if art.published else None
            row["ours_from"] = art.published_from
        except RejectRecord:
            row["ours"], row["ours_from"] = None, None
        times["ours"] += time.perf_counter() - t
        for key, kwargs in (("htmldate", {}), ("htmldate_original", {"original_date": True})):
            t = time.perf_counter()
            try:
                row[key] = find_date(html, url=it["url"], **kwargs)
            except Exception:  # noqa: BLE001 - a peer failing on a page counts as no date
                row[key] = None
            times[key] += time.perf_counter() - t
        rows.append(row)

    out: dict[str, Any] = {"data": "trafilatura-eval evaldata.json pages with a gold date", "splits": {}}
    for split in ("test", "dev", "all"):
        part = [r for r in rows if split == "all" or r["split"] == split]
        out["splits"][split] = {k: summarise(part, k) for k in ("ours", "htmldate", "htmldate_original")}
        by_src: dict[str, dict[str, int]] = {}
        for r in part:
            s = by_src.setdefault(str(r.get("ours_from")), {"n": 0, "correct": 0})
            s["n"] += 1
            s["correct"] += int(r["ours"] == r["gold"])
        out["splits"][split]["ours_by_provenance"] = by_src
    out["seconds_per_page"] = {k: round(v / max(len(rows), 1), 4) for k, v in times.items()}
    out["date"] = time.strftime("%Y-%m-%d")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2))
    print(f"pages with gold date: {len(rows)} (test {sum(r['split'] == 'test' for r in rows)})")
    print(f"{'system':28} {'split':5} {'accuracy':>9} {'coverage':>9} {'precision':>9}")
    for split in ("test", "all"):
        for k, label in (("ours", "storyline (meta>url>text)"), ("htmldate", "htmldate find_date default"),
                         ("htmldate_original", "htmldate original_date=True")):
            s = out["splits"][split][k]
            print(f"{label:28} {split:5} {s['accuracy']:9.3f} {s['coverage']:9.3f} {s['precision']:9.3f}")
    print("ours by provenance (test):", out["splits"]["test"]["ours_by_provenance"])
    print("seconds/page:", out["seconds_per_page"])


if __name__ == "__main__":
    main()
