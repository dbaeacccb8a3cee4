"""Cross-lingual join diagnostics on DEV data: feature values of same-event vs different-event pairs.

    nice -n 10 python bench/xling_dev.py

Dev sources (read from ../shared at run time, never copied; no reporting set is touched):
- SemEval-2022 Task 8 TRAIN pairs with texts (`texts/hfl-sample/*.csv`: the winning team's samples of
  the official train split, incl. real de-en/zh-en/pl-en pairs and machine-translated es-it/es-en/de-fr
  ones), minus every pair whose base id is in `splits.json` "test". Label: Overall <= 1.75 = same event
  (1), >= 2.75 = different (0), in between dropped.
- ECB+ odd topics with the pseudo-language augmentation (teacher-forced candidate rows, as calibrated).
Prints mean features per (same/cross language) x (same/different event) and writes
bench/results/xling_dev.json.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from _stories_common import embed_cached, write_result

from storyline.config import shared_dir
from storyline.stories.clusterer import EVENT_FEATURES, Cluster, OnlineClusterer, Params
from storyline.stories.lexical import DocTerms, terms, text_keys

SAME, DIFF = 1.75, 2.75
MAX_CHARS = 1500


def _base_id(pair_id: str) -> str:
    return "_".join(re.sub(r"\D", "", part) for part in pair_id.split("_"))


def load_semeval_pairs() -> list[dict[str, Any]]:
    """Labelled SemEval-2022 train pairs (hfl sample, test split excluded), one row per distinct pair id."""
    base = shared_dir()
    if base is None:
        sys.exit("../shared is not present")
    root = base / "data" / "semeval2022-task8"
    test = set(json.loads((root / "splits.json").read_text())["test"])
    csv.field_size_limit(10**8)
    seen: set[str] = set()
    out = []
    for name in ("training_set.csv", "testing_set.csv"):
        with (root / "texts" / "hfl-sample" / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                pid = row["pair_id"]
                if pid in seen or _base_id(pid) in test:
                    continue
                seen.add(pid)
                try:
                    overall = float(row["Overall"])
                except ValueError:
                    print(f"{name}: pair {pid}: unreadable Overall {row['Overall'][:20]!r}; skipped", file=sys.stderr)
                    continue
                if DIFF > overall > SAME or not row["text1"].strip() or not row["text2"].strip():
                    continue
                ids = pid.split("_")
                out.append({"pair": pid, "label": int(overall <= SAME),
                            "a": {"id": ids[0], "lang": row["lang1"], "text": row["text1"].strip()[:MAX_CHARS]},
                            "b": {"id": ids[1], "lang": row["lang2"], "text": row["text2"].strip()[:MAX_CHARS]}})
    return out


def pair_feature_rows(pairs: list[dict[str, Any]], dim: int, encoder: str = "use") -> tuple[np.ndarray, np.ndarray,
                                                                                             np.ndarray]:
    """(X, y, cross-language flag): features of article b against a one-article event made of a,
    with IDFs accumulated over all dev texts (as a running corpus would have them)."""
    docs: dict[str, dict[str, Any]] = {}
    for p in pairs:
        for side in ("a", "b"):
            docs.setdefault(f"{p[side]['lang']}:{p[side]['id']}:{hash(p[side]['text'])}", p[side])
    keys = list(docs)
    vecs = embed_cached([("", docs[k]["text"]) for k in keys], encoder)
    vec_of = {k: v / (np.linalg.norm(v) or 1.0) for k, v in zip(keys, vecs, strict=True)}
    cl = OnlineClusterer(dim, Params())
    feats_of = {}
    for k, d in docs.items():
        t = terms("", d["text"])
        ks = text_keys("", d["text"], d["lang"])
        feats_of[k] = (t, ks)
        cl.idf.add(t)
        cl.kidf.add(ks)
    x, y, xl = [], [], []
    for p in pairs:
        ka = f"{p['a']['lang']}:{p['a']['id']}:{hash(p['a']['text'])}"
        kb = f"{p['b']['lang']}:{p['b']['id']}:{hash(p['b']['text'])}"
        c = Cluster("e-pair", 0, dim)
        c.absorb(vec_of[ka], feats_of[ka][0], feats_of[ka][1], None, 1, 8, 300, p["a"]["lang"])
        f = cl._features(c, vec_of[kb], DocTerms(feats_of[kb][0], cl.idf), feats_of[kb][1], p["b"]["lang"])
        x.append(f)
        y.append(p["label"])
        xl.append(int(p["a"]["lang"] != p["b"]["lang"]))
    return np.asarray(x), np.asarray(y), np.asarray(xl)


def summarise(x: np.ndarray, y: np.ndarray, cross: np.ndarray, names: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c_name, c_val in (("same-language", 0), ("cross-language", 1)):
        for l_name, l_val in (("same event", 1), ("different", 0)):
            m = (cross == c_val) & (y == l_val)
            if m.any():
                out[f"{c_name} / {l_name}"] = {"n": int(m.sum()),
                                               **{n: round(float(x[m, i].mean()), 3) for i, n in enumerate(names)}}
    return out


def main() -> None:
    t0 = time.time()
    pairs = load_semeval_pairs()
    langs = Counter(f"{p['a']['lang']}-{p['b']['lang']}" for p in pairs)
    print(f"SemEval-2022 train pairs (hfl sample, test split excluded): {len(pairs)}; {dict(langs)}")
    x, y, cross = pair_feature_rows(pairs, 512)
    sem = summarise(x, y, cross, EVENT_FEATURES)
    by_pair: dict[str, dict[str, float]] = defaultdict(dict)
    for lp in sorted(langs):
        for lab in (1, 0):
            m = np.asarray([f"{p['a']['lang']}-{p['b']['lang']}" == lp for p in pairs]) & (y == lab)
            if m.any():
                by_pair[lp]["cos_same" if lab else "cos_diff"] = round(float(x[m, 0].mean()), 3)
    print("\nSemEval pairs: mean features (event level, b against a one-article event of a)")
    for k, r in sem.items():
        print(f"  {k:36s} " + "  ".join(f"{n}={v}" for n, v in r.items()))
    print("\nmean USE cosine by language pair (same event / different):")
    for lp, r in by_pair.items():
        print(f"  {lp}: {r}")
    out = write_result("xling_dev", {"data": "SemEval-2022 Task 8 train pairs (hfl sample; splits.json test "
                                     "excluded)", "pairs": len(pairs), "features": sem, "cosine_by_pair": by_pair,
                                     "seconds": time.time() - t0})
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
