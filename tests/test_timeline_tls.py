"""Timeline summarisation of an article set: dates, sentences, metrics and the `timeline` command contract."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.stories.tls import FEATURES, DateRanker, TLDoc, prepare, query_terms, summarise, timeline
from storyline.stories.tls_eval import align_rouge, date_prf, evaluate, rouge_tokens, stop_list

# Own-words articles about an invented story: the Kessel bridge is closed, inspected, then reopened.
D = date.fromisoformat
DOCS = [
    TLDoc("n1", "Engineers found deep cracks in the Kessel bridge yesterday, and the city closed it to all traffic. "
          "Commuters face long detours around the harbour.", "Kessel bridge closed", "en", D("2023-04-04")),
    TLDoc("n2", "The Kessel bridge was closed on Monday after engineers found deep cracks in two pillars. "
          "The mayor promised a full inspection within weeks.", "Cracks close bridge", "en", D("2023-04-05")),
    TLDoc("n3", "El puente Kessel fue cerrado ayer tras descubrirse grietas profundas en dos pilares. "
          "Los conductores deberán rodear el puerto.", "Cierran el puente Kessel", "es", D("2023-04-04")),
    TLDoc("n4", "Divers began an underwater inspection of the Kessel bridge pillars on Tuesday. "
          "The inspection of the cracked pillars should take ten days, officials said.",
          "Divers inspect bridge", "en", D("2023-04-19")),
    TLDoc("n5", "Les plongeurs ont commencé hier l'inspection sous-marine des piliers du pont Kessel. "
          "Les résultats sont attendus dans dix jours.", "Inspection du pont", "fr", D("2023-04-19")),
    TLDoc("n6", "The Kessel bridge reopened to cars on 2 May 2023 after repairs to the cracked pillars. "
          "Trucks remain banned until the summer, the city said.", "Bridge reopens", "en", D("2023-05-03")),
    TLDoc("n7", "El puente Kessel reabrió ayer al tráfico de coches tras la reparación de los pilares agrietados. "
          "Los camiones seguirán prohibidos hasta el verano.", "Reabre el puente", "es", D("2023-05-03")),
    TLDoc("n8", "A local bakery near the harbour won a regional prize for its rye bread this spring. "
          "The owner thanked her loyal customers for many years of support.", "Bakery prize", "en",
          D("2023-04-20")),
]
EVENTS = {D("2023-04-03"), D("2023-04-18"), D("2023-05-02")}


def test_prepare_resolves_relative_dates_per_language() -> None:
    coll = prepare(DOCS)

    def dates_of(prefix: str) -> tuple[date, ...]:
        return next(s.dates for s in coll.sentences if s.text.startswith(prefix))

    assert dates_of("Engineers found deep cracks") == (D("2023-04-03"),)  # "yesterday", published 4 April
    assert dates_of("El puente Kessel fue cerrado ayer") == (D("2023-04-03"),)  # "ayer"
    assert dates_of("Les plongeurs ont commencé hier") == (D("2023-04-18"),)  # "hier"
    assert dates_of("The Kessel bridge was closed on Monday") == (D("2023-04-03"),)  # published Wed 5th
    assert dates_of("The Kessel bridge reopened") == (D("2023-05-02"),)
    assert dates_of("Commuters face long detours") == ()


@pytest.mark.parametrize("vectors", ["tfidf", "use"])
def test_timeline_finds_event_dates_and_sentences(vectors: str) -> None:
    tl = timeline(DOCS, query="Kessel bridge", n_dates=3, n_sents=1, vectors=vectors)
    assert [r["date"] for r in tl] == sorted(r["date"] for r in tl)
    assert {D(r["date"]) for r in tl} == EVENTS
    for r in tl:
        assert len(r["sentences"]) == 1 and len(r["articles"]) == 1
        assert "bakery" not in r["sentences"][0].lower()
    reopen = next(r for r in tl if r["date"] == "2023-05-02")
    assert reopen["articles"][0] in {"n6", "n7"}


def test_summarise_prefers_display_language_and_avoids_repeats() -> None:
    coll = prepare(DOCS)
    tl = summarise(coll, 3, 2, vectors="use", display_lang="es", ranker=DateRanker())
    first = dict(tl)[D("2023-04-03")]
    assert first[0].lang == "es"
    texts = [s.text for _, ss in tl for s in ss]
    assert len(texts) == len(set(texts))


def test_candidates_prefer_sentences_written_near_the_date() -> None:
    docs = [
        TLDoc("late", "A month ago, on 3 April 2023, the Kessel bridge was closed over cracks in its pillars. "
              "It has been shut ever since.", "Looking back", "en", D("2023-05-04")),
        TLDoc("near", "Engineers found deep cracks in the Kessel bridge pillars on 3 April 2023 and closed it. "
              "Detours were signposted.", "Bridge shut", "en", D("2023-04-04")),
    ]
    coll = prepare(docs)

    def pick(**kw: object) -> str:
        tl = summarise(coll, 1, 1, candidates=1, ranker=DateRanker(), **kw)
        assert [d for d, _ in tl] == [D("2023-04-03")]
        return coll.docs[tl[0][1][0].doc].id

    assert pick(near_first=True) == "near"
    assert pick(near_first=False) == "late"  # same position: the first listed mention wins


def test_query_terms_split_names() -> None:
    assert query_terms("SyrianCrisis") == ["syrian", "crisis"]
    assert query_terms(["bp_oil", "H1N1"]) == ["bp", "oil", "h1n1"]
    assert query_terms(None) == []


def test_date_ranker_fit_learns_informative_feature() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((200, len(FEATURES)))
    y = (x[:, FEATURES.index("men_docs")] > 0.6).astype(int)
    r = DateRanker.fit([(x, y)])
    assert max(r.weights, key=lambda f: r.weights[f]) == "men_docs"
    assert DateRanker.from_dict(r.to_dict()).weights == r.weights
    with pytest.raises(ValueError):
        DateRanker.fit([(x, np.zeros(200, dtype=int))])


def test_metrics() -> None:
    assert rouge_tokens("The bridges were closed -LRB- again -RRB- .") == ["bridg", "close"]
    gold = {D("2023-04-03"): ["The bridge closed after cracks were found."],
            D("2023-05-02"): ["The bridge reopened to cars."]}
    perfect = evaluate(gold, gold)
    assert perfect["date_f1"] == 1.0 and perfect["ar1_f"] == pytest.approx(1.0) and perfect["ar2_f"] == 1.0
    shifted = {D("2023-04-04"): gold[D("2023-04-03")], D("2023-05-02"): gold[D("2023-05-02")]}
    assert date_prf(shifted, gold)["f1"] == 0.5
    # one date off by a day: its n-grams count half
    r1 = align_rouge(shifted, gold, 1)
    n_close, n_open = 4, 3  # "bridg close crack found" / "bridg reopen car"
    assert r1["precision"] == pytest.approx((0.5 * n_close + n_open) / (n_close + n_open))
    assert evaluate({}, gold)["ar1_f"] == 0.0


def test_rouge_stop_lists() -> None:
    # ROUGE-1.5.5's SMART list (the default) keeps content words that scikit-learn's list drops ("fire",
    # "found") and drops news-wire words that scikit-learn keeps ("reuters")
    text = "Reuters reported the fire was found quickly."
    assert rouge_tokens(text) == ["report", "fire", "found", "quickli"]
    assert rouge_tokens(text, stoplist="sklearn") == ["reuter", "report", "quickli"]
    assert len(stop_list("smart")) > 500
    with pytest.raises(ValueError, match="unknown stop list"):
        stop_list("klingon")
    gold = {D("2023-04-03"): ["Crews put out the fire."]}
    pred = {D("2023-04-03"): ["The fire was put out."]}
    assert evaluate(pred, gold)["ar1_f"] > evaluate(pred, gold, stoplist="sklearn")["ar1_f"]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_timeline_contract(tmp_path: Path) -> None:
    recs = [json.dumps({"id": d.id, "title": d.title, "text": d.text, "lang": d.lang,
                        "published": d.published.isoformat()}) for d in DOCS if d.lang == "en"]
    inp = _write(tmp_path / "in.jsonl", recs[:2] + ["{not json", json.dumps({"id": "x", "title": "t"}),
                                                    json.dumps({"id": "y", "text": "Some text here.",
                                                                "published": "yesterday"})] + recs[2:])
    out = tmp_path / "tl.jsonl"
    res = CliRunner().invoke(cli, ["timeline", "--in", str(inp), "--query", "bridge", "--dates", "3",
                                   "--sentences", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert f"{inp}:3:" in res.output and f"{inp}:4: missing or empty 'text'" in res.output
    assert f"{inp}:5: bad 'published'" in res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["date"] for r in rows] == ["2023-04-03", "2023-04-18", "2023-05-02"]
    assert all(set(r) >= {"date", "sentences"} and len(r["sentences"]) == 1 for r in rows)


def test_cli_timeline_rejects_empty_input(tmp_path: Path) -> None:
    inp = _write(tmp_path / "bad.jsonl", ["[1, 2]"])
    res = CliRunner().invoke(cli, ["timeline", "--in", str(inp), "--out", str(tmp_path / "o.jsonl")])
    assert res.exit_code != 0 and "no usable articles" in res.output


def test_align_embedding_scores_meaning_across_languages() -> None:
    from storyline.stories.tls_eval import align_embedding

    # a toy "multilingual" embedding: sentences with the same meaning id share a vector
    meaning = {"Bridge closed.": 0, "Puente cerrado.": 0, "Bridge reopened.": 1, "Puente reabierto.": 1,
               "Bakery prize.": 2}

    def embed(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 3))
        for i, t in enumerate(texts):
            out[i, meaning[t]] = 1.0
        return out

    ref = {D("2023-04-03"): ["Bridge closed."], D("2023-05-02"): ["Bridge reopened."]}
    same = {D("2023-04-03"): ["Puente cerrado."], D("2023-05-02"): ["Puente reabierto."]}
    assert align_embedding(same, ref, embed)["f1"] == pytest.approx(1.0)
    late = {D("2023-04-04"): ["Puente cerrado."], D("2023-05-02"): ["Bakery prize."]}
    got = align_embedding(late, ref, embed)
    assert got["precision"] == pytest.approx(0.25)  # half credit for one day off, nothing for the prize
    assert align_embedding({}, ref, embed)["f1"] == 0.0
