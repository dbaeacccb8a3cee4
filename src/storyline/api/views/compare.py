"""Compare two articles with the similarity stage (`storyline.link.compare.compare`): the seven
SemEval-2022 Task 8 dimensions plus evidence, normalised for display."""

from __future__ import annotations

from typing import Any

from storyline.api.errors import ApiError
from storyline.api.views.articles import get_article_or_404
from storyline.api.views.common import article_card, optional

DIMENSIONS = ("geography", "entities", "time", "narrative", "overall", "style", "tone")


def _scores(result: dict[str, Any]) -> dict[str, float]:
    """The numeric scores, whether the result nests them under `scores` or not."""
    src = result.get("scores") if isinstance(result.get("scores"), dict) else result
    out = {}
    for k, v in src.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        out[str(k)] = float(v)
    return out


def compare_articles(store: Any, a_id: str, b_id: str) -> dict[str, Any]:
    a = get_article_or_404(store, a_id)
    b = get_article_or_404(store, b_id)
    fn = optional("storyline.link.compare:compare")
    if fn is None:
        raise ApiError(503, "the similarity stage (storyline.link.compare) is not available yet")
    result = fn(a, b, store=store)
    if not isinstance(result, dict):
        raise ApiError(500, "the similarity stage returned an unexpected result")
    scores = _scores(result)
    ordered = [k for k in DIMENSIONS if k in scores] + sorted(k for k in scores if k not in DIMENSIONS)
    return {
        "a": article_card(a, snippet=""),
        "b": article_card(b, snippet=""),
        "scores": {k: scores[k] for k in ordered},
        "scale": result.get("scale") or ([1, 4] if any(v > 1.0 for v in scores.values()) else [0, 1]),
        "evidence": result.get("evidence", {}),
        "raw": result,
    }
