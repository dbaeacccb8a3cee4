"""Compare two articles with the similarity stage (`storyline.link.compare.compare`): the seven
SemEval-2022 Task 8 dimensions plus evidence and explanations, normalised for display."""

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


def _scale(result: dict[str, Any], scores: dict[str, float]) -> tuple[list[float], bool, str]:
    """(low, high), whether low means *more* similar, and a note for readers."""
    scale = result.get("scale")
    if isinstance(scale, list | tuple) and len(scale) == 2:
        return [float(scale[0]), float(scale[1])], False, ""
    note = scale if isinstance(scale, str) else ""
    semeval = "1 = very similar" in note or any(v > 1.0 for v in scores.values())
    if semeval:
        return [1.0, 4.0], True, note or "1 = very similar … 4 = very dissimilar (SemEval-2022 Task 8)"
    return [0.0, 1.0], False, note


def compare_articles(store: Any, a_id: str, b_id: str) -> dict[str, Any]:
    a = get_article_or_404(store, a_id)
    b = get_article_or_404(store, b_id)
    fn = optional("storyline.link.compare:compare")
    if fn is None:
        raise ApiError(503, "the similarity stage (storyline.link.compare) is not available yet")
    model_error = optional("storyline.link.regressor:ModelError")
    try:
        result = fn(a, b, store=store)
    except Exception as exc:
        if model_error is not None and isinstance(exc, model_error):
            raise ApiError(503, f"the similarity model is not available: {exc}") from exc
        raise
    if not isinstance(result, dict):
        raise ApiError(500, "the similarity stage returned an unexpected result")
    scores = _scores(result)
    ordered = [k for k in DIMENSIONS if k in scores] + sorted(k for k in scores if k not in DIMENSIONS)
    scale, lower_is_closer, note = _scale(result, scores)
    explanations = result.get("explanations")
    return {
        "a": article_card(a, snippet=""),
        "b": article_card(b, snippet=""),
        "scores": {k: scores[k] for k in ordered},
        "scale": scale,
        "lower_is_more_similar": lower_is_closer,
        "scale_note": note,
        "explanations": explanations if isinstance(explanations, dict) else {},
        "evidence": result.get("evidence", {}) if isinstance(result.get("evidence"), dict) else {},
        "model": result.get("model"),
    }
