"""Correctness of the enrichment benchmarks' loaders and scorers (not their figures)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))


def test_ecbplus_loader_and_scorer(shared) -> None:  # type: ignore[no-untyped-def]
    import entities_ecbplus as E

    docs = E.load(limit=5)
    assert len(docs) == 5
    for d in docs:
        assert d.scored, d.name
        for cls, spans in d.gold.items():
            for s, e, _named in spans:
                assert d.text[s:e].strip(), (d.name, cls)
    perfect = [{cls: [(s, e) for s, e, _ in d.gold.get(cls, [])] for cls in E.GOLD} for d in docs]
    scores = E.score(docs, perfect)
    for cls, r in scores.items():
        if r["gold"]:
            assert r["precision"] == 1.0 and r["recall"] == 1.0, cls
    empty = E.score(docs, [{} for _ in docs])
    assert all(r["recall"] == 0.0 for r in empty.values())


def test_quote_set_loads_and_scores_itself() -> None:
    import quotes as Q

    for split in ("dev", "test"):
        items = Q.load(split)
        assert {it["lang"] for it in items} >= {"en", "fr", "ru"}
        gold_as_pred = [[dict(q) for q in it["quotes"]] for it in items]
        r = Q.evaluate(items, gold_as_pred)
        assert r["quote_recall"] == 1.0 and r["speaker_recall"] == 1.0
        wrong = [[{**q, "speaker_key": "per:nobody"} for q in it["quotes"]] for it in items]
        assert Q.evaluate(items, wrong)["speaker_recall"] == 0.0
