"""Shingle-overlap scoring of extracted text against gold text (article-extraction-benchmark metric).

Re-implemented from the published description: tokens are `\\w+` matches (case kept), each text becomes
a multiset of word 4-grams; per document TP/FP/FN are shingle-count overlaps normalised to sum to 1;
precision and recall come from the document-normalised sums, F1 from those two averages. "Accuracy"
is the share of documents whose token sequence matches the gold one exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str | None) -> list[str]:
    """`\\w+` tokens of `text` (case preserved)."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[str]:
    """Multiset of word n-grams; texts shorter than n give one shingle with all their tokens."""
    toks = tokens(text)
    grams = [" ".join(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1))]
    return Counter(g for g in grams if g)


def doc_scores(gold: str | None, pred: str | None, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one document; all zero when both texts are empty."""
    g, p = shingles(gold, n), shingles(pred, n)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@dataclass
class ShingleResult:
    precision: float
    recall: float
    f1: float
    accuracy: float
    n: int

    def to_dict(self) -> dict[str, float | int]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def evaluate(pairs: Iterable[tuple[str | None, str | None]]) -> ShingleResult:
    """Score (gold, predicted) pairs: precision/recall over document-normalised counts, F1, accuracy."""
    tp = fp = fn = 0.0
    exact = n = 0
    for gold, pred in pairs:
        a, b, c = doc_scores(gold, pred)
        tp, fp, fn = tp + a, fp + b, fn + c
        exact += tokens(gold) == tokens(pred)
        n += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ShingleResult(precision, recall, f1, exact / n if n else 0.0, n)
