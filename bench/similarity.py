"""SemEval-2022 Task 8 similarity benchmark: our learned scorer vs TF-IDF / raw e5 / raw USE cosines.

    PYTHONPATH=src nice -n 10 python bench/similarity.py [--cache /tmp/storyline-cache] [--e5-pairs 100]

Reports Pearson r with the gold scores on the `test` ids of splits.json (the packaged model was fitted on
the `train` ids only). Gold is 1 = very similar … 4 = very dissimilar, so peers are correlated as
-cosine (a positive r is good for everyone). Also: machine-translated (cross-lingual) rows of
texts/hfl-sample whose original pair is in the test split, and scoring speed. JSON goes to
bench/results/similarity.json.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # busy shared machine: OpenMP threads spin

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr
from tqdm import tqdm

from storyline.config import shared_dir
from storyline.embed import get_encoder
from storyline.link.dataset import Pair, load_joined, load_splits, load_translated, original_id
from storyline.link.features import feature_matrix
from storyline.link.regressor import DIMENSIONS, load_model
from storyline.link.scoring import cached_feature_rows, pair_feature_rows

RESULTS = Path(__file__).resolve().parent / "results" / "similarity.json"
PUBLISHED_BEST = 0.818  # best official eval-set Pearson (Overall), not comparable to our split


def r(x: np.ndarray, y: np.ndarray) -> float:
    return round(float(pearsonr(x, y)[0]), 4) if len(x) > 2 else float("nan")


def tfidf_cos(pairs: list[Pair], fit_texts: list[str]) -> np.ndarray:
    """Word TF-IDF cosine (IDF fitted on the train texts)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, min_df=2).fit(fit_texts)
    a = vec.transform([f"{p.title1}\n{p.text1}" for p in pairs])
    b = vec.transform([f"{p.title2}\n{p.text2}" for p in pairs])
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def raw_cos(pairs: list[Pair], key: str, chars: int, cache: Path) -> np.ndarray:
    """Cosine of one embedding of the first `chars` characters (title + text) of each article (cached)."""
    texts = [t for p in pairs for t in (f"{p.title1}\n{p.text1}"[:chars], f"{p.title2}\n{p.text2}"[:chars])]
    h = hashlib.sha1(("\x00".join(texts) + key).encode("utf-8", "replace")).hexdigest()[:12]
    f = cache / f"peer-{key}-{chars}-{h}.npy"
    if f.exists():
        vecs = np.load(f)
    else:
        enc = get_encoder(key)
        vecs = np.vstack([enc.encode(texts[i : i + 16])
                          for i in tqdm(range(0, len(texts), 16), desc=f"peer {key}", file=sys.stderr)])
        cache.mkdir(parents=True, exist_ok=True)
        np.save(f, vecs)
    return np.einsum("ij,ij->i", vecs[0::2], vecs[1::2])


def by_language(pairs: list[Pair], scores: np.ndarray, gold: np.ndarray) -> dict[str, dict[str, float]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        groups[f"{p.lang1}-{p.lang2}"].append(i)
    return {g: {"n": len(ix), "r": r(scores[ix], gold[ix])} for g, ix in sorted(groups.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storyline-cache"))
    ap.add_argument("--e5-pairs", type=int, default=100,
                    help="test pairs (evenly spread) for the slow raw e5 peer; 0 skips it")
    ap.add_argument("--no-unseen", action="store_true", help="skip the larger translated cross-language set")
    args = ap.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("../shared not found", file=sys.stderr)
        return 2
    splits = load_splits(shared)
    joined = load_joined(shared)
    test = [p for p in joined if p.pair_id in splits["test"]]
    train = [p for p in joined if p.pair_id in splits["train"]]
    model = load_model()
    gold = np.array([p.gold["overall"] for p in test])

    # our scorer; speed is timed on a sample without any cache (encoder + features + model)
    t0 = time.time()
    rows = cached_feature_rows(test, model.encoders, args.cache, "test", model.lead_encoders)
    pred = model.predict(feature_matrix(rows, model.features))
    sample = test[:40]
    t0 = time.time()
    model.predict(feature_matrix(pair_feature_rows(sample, model.encoders, cache_dir=None, lead_keys=model.lead_encoders), model.features))
    cold_pps = len(sample) / (time.time() - t0)

    ours = {"overall": r(pred["overall"], gold),
            "per_dimension": {d: r(pred[d], np.array([p.gold[d] for p in test])) for d in DIMENSIONS},
            "per_language": by_language(test, pred["overall"], gold)}
    peers: dict[str, dict] = {}
    fit_texts = [t for p in train for t in (f"{p.title1}\n{p.text1}", f"{p.title2}\n{p.text2}")]
    tf = tfidf_cos(test, fit_texts)
    peers["tfidf_cosine"] = {"overall": r(-tf, gold), "per_language": by_language(test, -tf, gold)}
    use = raw_cos(test, "use", 1500, args.cache)
    peers["use_cosine_1500"] = {"overall": r(-use, gold), "per_language": by_language(test, -use, gold)}
    e5_subset: dict[str, object] = {}
    if args.e5_pairs > 0:
        # e5 is slow here (~1 s per 600-char chunk on the busy shared cores): an evenly spread subset,
        # with our scorer and raw USE on exactly the same pairs for comparison
        ix = np.unique(np.linspace(0, len(test) - 1, min(args.e5_pairs, len(test))).round().astype(int))
        sub = [test[i] for i in ix]
        e5 = raw_cos(sub, "e5", 600, args.cache)
        e5_subset = {"n": len(sub), "e5_cosine_600": r(-e5, gold[ix]), "ours": r(pred["overall"][ix], gold[ix]),
                     "use_cosine_1500": r(-use[ix], gold[ix]), "tfidf_cosine": r(-tf[ix], gold[ix])}

    # cross-lingual: machine-translated rows whose original pair is in our test split (never trained on)
    trans = [p for p in load_translated(shared) if original_id(p.pair_id) in splits["test"]]
    assert not any(original_id(p.pair_id) in splits["train"] for p in trans)
    cross: dict[str, object] = {"n": len(trans)}
    if trans:
        trows = cached_feature_rows(trans, model.encoders, args.cache, "translated", model.lead_encoders)
        tpred = model.predict(feature_matrix(trows, model.features))["overall"]
        tgold = np.array([p.gold["overall"] for p in trans])
        tuse = raw_cos(trans, "use", 1500, args.cache)
        xl = [i for i, p in enumerate(trans) if p.lang1 != p.lang2]
        cross.update({"ours": r(tpred, tgold), "use_cosine_1500": r(-tuse, tgold),
                      "n_cross_language": len(xl), "ours_cross_language": r(tpred[xl], tgold[xl]),
                      "use_cross_language": r(-tuse[xl], tgold[xl]),
                      "language_pairs": sorted({f"{p.lang1}-{p.lang2}" for p in trans})})

    # larger cross-language check: translated rows across two languages whose original pair is not among
    # our training ids (most originals are official train pairs without texts in the joined file)
    unseen = [p for p in load_translated(shared)
              if p.lang1 != p.lang2 and original_id(p.pair_id) not in splits["train"]]
    xl_unseen: dict[str, object] = {"n": len(unseen)}
    if unseen and not args.no_unseen:
        urows = cached_feature_rows(unseen, model.encoders, args.cache, "translated-unseen", model.lead_encoders)
        upred = model.predict(feature_matrix(urows, model.features))["overall"]
        ugold = np.array([p.gold["overall"] for p in unseen])
        uuse = raw_cos(unseen, "use", 1500, args.cache)
        utf = tfidf_cos(unseen, fit_texts)
        xl_unseen.update({"ours": r(upred, ugold), "use_cosine_1500": r(-uuse, ugold), "tfidf_cosine": r(-utf, ugold),
                          "per_language": {g: {"n": v["n"], "ours": v["r"],
                                               "use": by_language(unseen, -uuse, ugold)[g]["r"]}
                                           for g, v in by_language(unseen, upred, ugold).items()}})

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": "semeval2022-task8 texts/train_texts_bl_joined.jsonl; test ids of splits.json",
        "n_test": len(test), "metric": "Pearson r with gold (1=similar..4=dissimilar); peers as -cosine",
        "model": {"version": model.version, "encoders": model.encoders, "lead_encoders": model.lead_encoders, "cv_pearson_train": model.meta.get("cv_pearson")},
        "ours": ours, "peers": peers, "published_best_eval_set": PUBLISHED_BEST, "e5_subset": e5_subset,
        "translated_test_pairs": cross, "translated_cross_language_unseen": xl_unseen,
        "speed": {"pairs_per_s_no_cache": round(cold_pps, 2), "sample_pairs": len(sample),
                  "note": "2 shared, busy CPU cores; one encoder thread"},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"SemEval-2022 Task 8, our test split ({len(test)} pairs), Pearson r vs gold Overall")
    print(f"  ours ({model.version}, {'+'.join(model.encoders)}): {ours['overall']:.4f}")
    for name, v in peers.items():
        print(f"  peer {name:<16}: {v['overall']:.4f}")
    if e5_subset:
        print(f"  raw e5 peer on an evenly spread subset of {e5_subset['n']} test pairs: "
              + ", ".join(f"{k} {v:.4f}" for k, v in e5_subset.items() if k != "n"))
    print(f"  published best (official eval set, not comparable): {PUBLISHED_BEST}")
    print("  per language (ours | " + " | ".join(peers) + "):")
    for g, v in ours["per_language"].items():
        print(f"    {g} n={v['n']:<4} {v['r']:.4f} | "
              + " | ".join(f"{peers[k]['per_language'][g]['r']:.4f}" for k in peers))
    print("  per dimension (ours): " + ", ".join(f"{d} {v:.4f}" for d, v in ours["per_dimension"].items()))
    print(f"  translated rows of test pairs: {cross}")
    print(f"  translated cross-language rows, originals not in our training ids: {xl_unseen}")
    print(f"  speed: {result['speed']}")
    print(f"-> {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
