"""End-to-end quality on the bundled sample corpus against its gold labels (examples/gold.json).

Runs the whole pipeline (ingest → clean → enrich → embed → stories) into a fresh store and reports:
title / publication day / language / outlet accuracy per input format, and story- and event-level
B-cubed F1 (+ number of clusters, cross-lingual event recall). The corpus and its labels are our own
(written and annotated by the project), used for reporting only: nothing is fitted to it.

    python bench/sample_corpus.py [--out bench/results/sample_corpus.json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from storyline.cli.demo_cmds import PARTNER_MAP, sample_inputs
from storyline.config import repo_root
from storyline.stories.metrics import bcubed


def norm(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", s or "").casefold().split())


def match_gold(gold: dict, arts: list) -> dict[str, object]:
    """gold article key -> stored article (by canonical URL, else by the delivery file path)."""
    by_url = {a.canonical_url or a.url: a for a in arts if a.canonical_url or a.url}
    by_path: dict[str, object] = {}
    for a in arts:
        if a.path:
            by_path[a.path.split("#", 1)[0]] = a
    out = {}
    for key, g in gold["articles"].items():
        for d in g["deliveries"]:
            hit = None
            if d["format"] == "text":
                hit = next((a for p, a in by_path.items() if p.endswith(d["path"])), None)
            hit = hit or by_url.get(g.get("url"))
            if hit is not None:
                out[key] = hit
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="bench/results/sample_corpus.json")
    args = ap.parse_args()
    from storyline.cli.ingest_cmds import read_options
    from storyline.ingest.pipeline import ingest
    from storyline.ingest.records import DEFAULT_MAX_BYTES
    from storyline.store.sqlite import SQLiteStore

    examples = repo_root() / "examples"
    gold = json.loads((examples / "gold.json").read_text())
    store = SQLiteStore(Path(tempfile.mkdtemp()) / "storyline.db")
    t0 = time.perf_counter()
    for path, fmap in sample_inputs(examples):
        opts = read_options(DEFAULT_MAX_BYTES / 2**20, fmap if fmap == PARTNER_MAP else None, False, False)
        ingest([path], store, options=opts)
    elapsed = time.perf_counter() - t0
    arts = store.articles.list()
    matched = match_gold(gold, arts)
    per_fmt: dict[str, Counter] = defaultdict(Counter)
    misses: list[dict] = []
    for key, a in matched.items():
        g = gold["articles"][key]
        f = a.format  # type: ignore[attr-defined]
        c = per_fmt[f]
        c["n"] += 1
        ok_title = norm(a.title) == norm(g["title"])  # type: ignore[attr-defined]
        gday = datetime.fromisoformat(g["published"]).date()
        pub = a.published  # type: ignore[attr-defined]
        ok_day = pub is not None and abs((pub.date() - gday).days) <= 1  # time zones: ±1 day
        c["title"] += ok_title
        c["day"] += ok_day
        c["lang"] += a.lang == g["lang"]  # type: ignore[attr-defined]
        c["source"] += norm(a.source) == norm(g["source"])  # type: ignore[attr-defined]
        if not (ok_title and ok_day):
            misses.append({"key": key, "format": f, "title": a.title, "gold_title": g["title"],  # type: ignore[attr-defined]
                           "published": pub.isoformat() if pub else None, "gold_published": g["published"]})
    asg = store.stories.assignments()
    keys = [k for k, a in matched.items() if a.id in asg]  # type: ignore[attr-defined]
    g_story = [gold["articles"][k]["story"] for k in keys]
    g_event = [gold["articles"][k]["event"] for k in keys]
    p_story = [asg[matched[k].id][0] for k in keys]  # type: ignore[attr-defined]
    p_event = [asg[matched[k].id][1] for k in keys]  # type: ignore[attr-defined]
    # cross-lingual event recall: pairs of same-gold-event articles in different languages that share
    # a predicted event
    pairs = hits = 0
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            gi, gj = gold["articles"][keys[i]], gold["articles"][keys[j]]
            if gi["event"] == gj["event"] and gi["lang"] != gj["lang"]:
                pairs += 1
                hits += p_event[i] == p_event[j]
    result = {
        "articles_gold": len(gold["articles"]), "articles_stored": len(arts), "matched": len(matched),
        "seconds": round(elapsed, 1),
        "per_format": {f: {k: (round(v / c["n"], 3) if k != "n" else v) for k, v in c.items()}
                       for f, c in per_fmt.items()},
        "overall": {k: round(sum(c[k] for c in per_fmt.values()) / max(1, len(matched)), 3)
                    for k in ("title", "day", "lang", "source")},
        "stories": {**{k: round(v, 3) for k, v in bcubed(g_story, p_story).items()},
                    "gold_clusters": len(set(g_story)), "found": len(set(p_story))},
        "events": {**{k: round(v, 3) for k, v in bcubed(g_event, p_event).items()},
                   "gold_clusters": len(set(g_event)), "found": len(set(p_event))},
        "crosslingual_event_pair_recall": round(hits / pairs, 3) if pairs else None,
        "misses": misses,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "misses"}, indent=2, ensure_ascii=False))
    for m in misses[:15]:
        print("miss:", json.dumps(m, ensure_ascii=False))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
