"""Clustering agreement: B-cubed and pairwise precision/recall/F1, NMI, ARI (sklearn)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def _check(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels, prediction {len(pred)}")
    if not gold:
        raise ValueError("no items to score")


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over items."""
    _check(gold, pred)
    both = Counter(zip(gold, pred, strict=True))
    g, p = Counter(gold), Counter(pred)
    prec = sum(n * n / p[pl] for (_gl, pl), n in both.items()) / len(gold)
    rec = sum(n * n / g[gl] for (gl, _pl), n in both.items()) / len(gold)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1}


def pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """Precision/recall/F1 over item pairs placed in the same cluster."""
    _check(gold, pred)

    def pairs(c: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in c.values())

    tp = pairs(Counter(zip(gold, pred, strict=True)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    prec = tp / pp if pp else 1.0
    rec = tp / gp if gp else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1}


def purity(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Share of items whose cluster's majority gold label is their own."""
    _check(gold, pred)
    both = Counter(zip(pred, gold, strict=True))
    best: dict[Hashable, int] = {}
    for (pl, _gl), n in both.items():
        best[pl] = max(best.get(pl, 0), n)
    return sum(best.values()) / len(gold)


def scores(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """All the figures at once (plus cluster counts)."""
    g = [str(x) for x in gold]
    p = [str(x) for x in pred]
    b, pw = bcubed(g, p), pairwise(g, p)
    return {
        "bcubed_p": b["precision"], "bcubed_r": b["recall"], "bcubed_f1": b["f1"],
        "pairwise_p": pw["precision"], "pairwise_r": pw["recall"], "pairwise_f1": pw["f1"],
        "nmi": float(normalized_mutual_info_score(g, p)), "ari": float(adjusted_rand_score(g, p)),
        "purity": purity(g, p), "inverse_purity": purity(p, g),
        "clusters": len(set(p)), "gold_clusters": len(set(g)),
    }
