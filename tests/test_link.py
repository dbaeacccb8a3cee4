"""Similarity: profiles, pair features, regressor file, compare() and the score-pairs command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.link.align import alignment_features, best_pairs
from storyline.link.dataset import Pair, original_id
from storyline.link.features import char_cosine, pair_features
from storyline.link.profile import build_profile
from storyline.link.regressor import (
    DEFAULT_MODEL,
    DIMENSIONS,
    ModelError,
    SimilarityModel,
    fit_model,
    load_model,
)
from storyline.models import Article

DATA = Path(__file__).resolve().parent / "data" / "link"


def _article(name: str, lang: str) -> dict[str, str]:
    title, _, body = (DATA / name).read_text(encoding="utf-8").partition("\n")
    return {"title": title.strip(), "text": body.strip(), "lang": lang}


@pytest.fixture(scope="module")
def texts() -> dict[str, dict[str, str]]:
    return {"en": _article("flood_en.txt", "en"), "de": _article("flood_de.txt", "de"),
            "es": _article("chess_es.txt", "es")}


@pytest.fixture(scope="module")
def results(texts: dict[str, dict[str, str]]) -> dict[str, dict]:
    from storyline.link.compare import compare

    return {"same": compare(texts["en"], texts["de"]), "other": compare(texts["en"], texts["es"])}


# --------------------------------------------------------------------------- features

def test_profile_finds_places_names_years_across_languages(texts: dict[str, dict[str, str]]) -> None:
    en = build_profile(texts["en"]["title"], texts["en"]["text"], "en")
    de = build_profile(texts["de"]["title"], texts["de"]["text"], "de")
    es = build_profile(texts["es"]["title"], texts["es"]["text"], "es")
    assert set(en.places) & set(de.places), "Berlin/Frankfurt should resolve to the same GeoNames keys"
    assert "DE" in en.countries and "DE" in de.countries
    assert "karl weber" in en.names and any("karl weber" in n for n in de.names)
    assert 1997 in en.years and 1997 in de.years
    assert not set(en.places) & set(es.places)
    assert en.style["quotes"] > 0 and 0 < en.style["ttr"] <= 1


def test_pair_features_are_symmetric_and_rank_overlap() -> None:
    rng = np.random.default_rng(0)
    ma = rng.normal(size=(4, 16)).astype(np.float32)
    mb = rng.normal(size=(6, 16)).astype(np.float32)
    ma /= np.linalg.norm(ma, axis=1, keepdims=True)
    mb /= np.linalg.norm(mb, axis=1, keepdims=True)
    a = build_profile("Storm hits Lisbon", "A storm hit Lisbon on Monday. Mayor Ana Costa spoke in 2021.")
    b = build_profile("Lisbon storm", "Mayor Ana Costa said Lisbon was hit by a storm in 2021. Trains stopped.")
    fab = pair_features(a, b, {"x": (ma, mb)})
    fba = pair_features(b, a, {"x": (mb, ma)})
    assert fab.keys() == fba.keys()
    for k in fab:
        assert fab[k] == pytest.approx(fba[k], abs=1e-6), k
    assert fab["names_shared"] > 0 and fab["places_jacc"] > 0
    assert char_cosine("the same words here", "the same words here") == pytest.approx(1.0, abs=1e-5)
    assert char_cosine("flood in the valley", "chess champion wins") < 0.3


def test_alignment_of_identical_and_best_pairs() -> None:
    m = np.eye(5, dtype=np.float32)
    f = alignment_features(m, m)
    assert f["max"] == pytest.approx(1.0) and f["cover80"] == pytest.approx(1.0)
    assert f["doc_cos"] == pytest.approx(1.0, abs=1e-5)
    sim = np.array([[0.9, 0.8], [0.85, 0.1]])
    assert best_pairs(sim, 2) == [(0, 0, 0.9), (1, 1, 0.1)]


def test_original_id_of_translated_rows() -> None:
    assert original_id("1484188835es_1484147550") == "1484188835_1484147550"
    assert original_id("1484039360it_1484180228it") == "1484039360_1484180228"
    assert original_id("nonsense") is None


# --------------------------------------------------------------------------- regressor

def test_regressor_fit_save_load_and_clip(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(80, 3))
    targets = {d: np.clip(2.5 + x[:, 0] + 0.1 * rng.normal(size=80), 1, 4) for d in DIMENSIONS}
    m = fit_model(x, targets, ["f0", "f1", "f2"], [], folds=2)
    assert m.meta["cv_pearson"]["overall"] > 0.8
    path = m.save(tmp_path / "m.joblib")
    back = SimilarityModel.load(path)
    pred = back.predict(np.array([[10.0, 0, 0], [-10.0, 0, 0]]))
    assert set(pred) == set(DIMENSIONS)
    assert pred["overall"][0] == pytest.approx(4.0) and pred["overall"][1] == pytest.approx(1.0)
    with pytest.raises(ModelError):
        back.predict(np.zeros((1, 5)))
    with pytest.raises(ModelError, match="not found"):
        SimilarityModel.load(tmp_path / "missing.joblib")


def test_packaged_model_is_small_and_consistent() -> None:
    assert DEFAULT_MODEL.exists()
    assert DEFAULT_MODEL.stat().st_size < 5_000_000
    m = load_model()
    assert set(m.models) == set(DIMENSIONS)
    assert m.encoders and len(m.features) == len(set(m.features)) > 20
    assert m.meta["cv_pearson"]["overall"] > 0.6


# --------------------------------------------------------------------------- compare

def test_same_event_across_languages_scores_more_similar(results: dict[str, dict]) -> None:
    same, other = results["same"], results["other"]
    assert same["overall"] < other["overall"] - 0.5
    assert same["scores"]["narrative"] < other["scores"]["narrative"]
    assert same["evidence"]["document_similarity"] > other["evidence"]["document_similarity"]


def test_compare_json_structure(results: dict[str, dict]) -> None:
    import storyline
    from storyline.link.compare import compare

    assert storyline.compare is compare  # the public API
    res = results["same"]
    json.dumps(res)  # serialisable
    assert set(res["scores"]) == set(DIMENSIONS)
    assert all(1.0 <= v <= 4.0 for r in results.values() for v in r["scores"].values())
    assert res["overall"] == res["scores"]["overall"]
    ev = res["evidence"]
    assert ev["language_pair"] == "en-de"
    assert {"title_similarity", "lexical_similarity", "entities", "dates", "sentence_pairs"} <= set(ev)
    assert ev["dates"]["a"] and "gap_days" in ev["dates"]
    places = ev["entities"]["places"]
    assert places["shared"], places
    pairs = ev["sentence_pairs"]
    assert pairs and all(-1 <= p["similarity"] <= 1 for p in pairs)
    assert any("Weber" in p["a"] and "Weber" in p["b"] for p in pairs) or pairs[0]["similarity"] > 0.5
    assert set(res["explanations"]) == set(DIMENSIONS)


def test_compare_files_ids_and_bad_input(store, tmp_path: Path) -> None:
    from storyline.link.compare import CompareError, compare

    res = compare(str(DATA / "flood_en.txt"), str(DATA / "flood_de.txt"), sentences=False)
    assert res["a"]["title"].startswith("River Oder") and res["overall"] < 2.5
    arts = [Article(id=f"x{i}", title=t["title"], text=t["text"], lang=t["lang"],
                    content_hash=Article.hash_text(t["text"]))
            for i, t in enumerate([_article("flood_en.txt", "en"), _article("chess_es.txt", "es")])]
    store.articles.add(arts)
    res = compare("x0", "x1", store=store, sentences=False)
    assert res["a"]["id"] == "x0" and res["overall"] > 2.5
    assert store.vectors.get(["x0", "x1"], "use-m3", chunks=True)["x0"].shape[1] == 512
    with pytest.raises(CompareError, match="no-such-file"):
        compare(str(tmp_path / "no-such-file.txt"), "x0", store=store)
    with pytest.raises(CompareError, match="non-empty 'text'"):
        compare({"title": "t", "text": ""}, "x0", store=store)


def test_score_pairs_skips_bad_lines(tmp_path: Path, texts: dict[str, dict[str, str]]) -> None:
    en, de, es = texts["en"], texts["de"], texts["es"]
    good1 = {"pair_id": "p1", "lang1": "en", "title1": en["title"], "text1": en["text"],
             "lang2": "de", "title2": de["title"], "text2": de["text"]}
    good2 = {**good1, "pair_id": "p2", "lang2": "es", "title2": es["title"], "text2": es["text"]}
    lines = [json.dumps(good1), "{not json", json.dumps({"pair_id": "p3", "text1": "x"}), json.dumps(good2)]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    res = runner.invoke(cli, ["--data", str(tmp_path / "d"), "score-pairs", "--pairs", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert ":2:" in res.stderr and ":3:" in res.stderr and "text2" in res.stderr
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["pair_id"] for r in rows] == ["p1", "p2"]
    assert all(set(r) == {"pair_id", *DIMENSIONS} for r in rows)
    assert all(1 <= r[d] <= 4 for r in rows for d in DIMENSIONS)
    assert rows[0]["overall"] < rows[1]["overall"]


def test_compare_command_json(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["--data", str(tmp_path / "d"), "compare", str(DATA / "flood_en.txt"),
                                   str(DATA / "chess_es.txt"), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["evidence"]["language_pair"] == "en-es" and 1 <= out["overall"] <= 4
    res = CliRunner().invoke(cli, ["--data", str(tmp_path / "d"), "compare", "nope-a", "nope-b"])
    assert res.exit_code != 0 and "nope-a" in res.output


def test_pair_from_dict_reports_reason() -> None:
    with pytest.raises(ValueError, match="text2"):
        Pair.from_dict({"pair_id": "a", "text1": "x"})
    with pytest.raises(ValueError, match="JSON object"):
        Pair.from_dict(["a"])  # type: ignore[arg-type]
