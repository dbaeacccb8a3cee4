"""Understanding stage: entities, keys, places, dates, quotes, fallback, store integration.

All snippets are written for these tests. Models load once per session (module-level caches).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from storyline.enrich.pipeline import enrich_article, enrich_articles, enrich_batch, resolve_surnames
from storyline.models import Article, Enrichment, Entity, Quote

PUB = datetime(2024, 5, 16, 9, 30)  # a Thursday

SNIPPETS = {
    "en": "North Korea fired a rocket over the sea on Tuesday, officials in Seoul said. President Putin "
          "had met Kim Jong Un in Pyongyang the day before. \"Our friendship grows stronger every year,\" "
          "Vladimir Putin said after the talks. Putin also said that Moscow would send more wheat.",
    "fr": "La Corée du Nord a tiré une fusée mardi. « Nous suivons la situation de très près », a déclaré "
          "Emmanuel Macron à Paris. Le ministre Jean Moreau a affirmé que la France restait prudente.",
    "ru": "КНДР во вторник запустила ракету. «Наши страны станут ещё ближе», — заявил Владимир Путин в "
          "Пхеньяне. По словам Дмитрия Пескова, переговоры шли весь день. 14 мая Путин прибыл в Северную Корею.",
    "ko": "북한은 5월 14일 평양에서 미사일을 발사했다. 김정은 위원장이 현장을 지켜봤다. 푸틴 대통령은 어제 "
          "모스크바에서 \"양국 관계는 더 깊어질 것\"이라고 말했다.",
    "de": "Nordkorea hat am Dienstag eine Rakete gestartet. Bundeskanzler Olaf Scholz sagte in Berlin, dass "
          "die Lage ernst sei. „Wir beobachten das sehr genau“, sagte Scholz.",
    "es": "Corea del Norte lanzó un cohete el martes. El presidente Pedro Sánchez dijo que España está "
          "preocupada por la tensión en la región.",
}


def _art(lang: str, text: str | None = None, title: str = "", aid: str | None = None) -> Article:
    body = SNIPPETS[lang] if text is None else text
    return Article(id=aid or f"t-{lang}", text=body, title=title, lang=lang, published=PUB,
                   content_hash=Article.hash_text(body))


@pytest.fixture(scope="module")
def enriched() -> dict[str, Enrichment]:
    arts = [_art(lang) for lang in SNIPPETS]
    out = enrich_batch(arts)
    assert all(isinstance(e, Enrichment) for e in out), out
    return {a.lang: e for a, e in zip(arts, out, strict=True)}  # type: ignore[misc]


def keys(enr: Enrichment, label: str | None = None) -> set[str]:
    return {e.key for e in enr.entities if label is None or e.label == label}


@pytest.mark.parametrize("lang", list(SNIPPETS))
def test_entity_offsets_slice_text(enriched: dict[str, Enrichment], lang: str) -> None:
    enr = enriched[lang]
    assert enr.entities, f"no entities for {lang}"
    for e in enr.entities:
        assert SNIPPETS[lang][e.start : e.end] == e.text
        assert e.key, e
    for q in enr.quotes:
        assert SNIPPETS[lang][q.start : q.end].strip() == q.text


def test_putin_variants_share_one_key(enriched: dict[str, Enrichment]) -> None:
    en = [e for e in enriched["en"].entities if "Putin" in e.text]
    assert len(en) >= 3  # "President Putin", "Vladimir Putin", "Putin"
    assert {e.key for e in en} == {"per:vladimir_putin"}
    assert "per:vladimir_putin" in keys(enriched["ru"], "PER")
    assert "per:vladimir_putin" in keys(enriched["ko"], "PER")  # 푸틴 대통령 via the alias table
    assert "per:kim_jong_un" in keys(enriched["en"]) and "per:kim_jong_un" in keys(enriched["ko"])


@pytest.mark.parametrize("lang", list(SNIPPETS))
def test_north_korea_is_one_key_in_every_language(enriched: dict[str, Enrichment], lang: str) -> None:
    assert "loc:KP" in keys(enriched[lang], "LOC")
    kp = next(p for p in enriched[lang].places if p.key == "loc:KP")
    assert kp.country == "KP" and kp.lat is not None and kp.lon is not None


def test_capital_acting_as_country_gets_country_key() -> None:
    enr = enrich_article(_art("en", "Pyongyang said the launch was a routine test. Tourists visited Pyongyang."))
    ents = [e for e in enr.entities if e.text == "Pyongyang"]
    assert ents[0].key == "loc:KP"  # metonymy: the state speaks
    assert ents[1].key.startswith("loc:KP:")  # the city
    city = next(p for p in enr.places if p.key == ents[1].key)
    assert city.city == "Pyongyang" and abs(city.lat - 39.0) < 0.5


def test_focus_place_from_title_and_frequency() -> None:
    text = ("Floods hit Spain again. Rescue teams in Spain worked all night. A minister from France sent "
            "condolences, and Spain asked for European help.")
    enr = enrich_article(_art("en", text, title="Spain floods"))
    focus = [p.key for p in enr.places if p.focus]
    assert focus == ["loc:ES"]
    assert any(p.key == "loc:FR" and not p.focus for p in enr.places)


def test_relative_dates_resolved_against_publication(enriched: dict[str, Enrichment]) -> None:
    en = {d.text.lower(): d.date for d in enriched["en"].dates}
    assert en["tuesday"] == "2024-05-14"
    assert en["the day before"] == "2024-05-15"
    ru = {d.text: d.date for d in enriched["ru"].dates}
    assert ru["14 мая"] == "2024-05-14"
    ko = {d.text: d.date for d in enriched["ko"].dates}
    assert ko["5월 14일"] == "2024-05-14" and ko["어제"] == "2024-05-15"
    enr = enrich_article(_art("en", "On December 13 the council voted. The result came in 2019 too."))
    got = {d.text: (d.date, d.granularity) for d in enr.dates}
    assert got["December 13"] == ("2023-12-13", "day")  # the past December, not the next one
    assert any(v == ("2019-05-16", "year") or (v[0][:4] == "2019" and v[1] == "year") for v in got.values())
    d = enriched["en"].dates[0]
    assert d.sentence and d.text in d.sentence


def test_weekday_on_its_own_day_is_the_publication_day() -> None:
    from storyline.enrich.mentioned_dates import parse_span

    tue = datetime(2018, 6, 12, 8)  # a Tuesday
    assert parse_span("Tuesday", "en", tue)[0].isoformat() == "2018-06-12"
    assert parse_span("last Tuesday", "en", tue)[0].isoformat() == "2018-06-05"
    assert parse_span("mercredi", "fr", tue)[0].isoformat() == "2018-06-06"
    assert parse_span("в понедельник", "ru", tue)[0].isoformat() == "2018-06-11"


def test_event_date_differs_from_publication(enriched: dict[str, Enrichment]) -> None:
    assert enriched["en"].event_date in ("2024-05-14", "2024-05-15")
    enr = enrich_article(_art("en", "The council met today and voted on the budget."))
    assert enr.event_date is None  # only the publication day itself


def _speakers(enr: Enrichment) -> dict[str, str | None]:
    return {q.text: q.speaker_key for q in enr.quotes}


def test_quotes_with_speakers_in_several_languages(enriched: dict[str, Enrichment]) -> None:
    en = enriched["en"].quotes
    direct = [q for q in en if q.kind == "direct"]
    assert direct and direct[0].text.startswith("Our friendship grows") and direct[0].speaker_key == "per:vladimir_putin"
    reported = [q for q in en if q.kind == "reported" and "wheat" in q.text]
    assert reported and reported[0].speaker_key == "per:vladimir_putin"
    assert reported[0].text.startswith("Moscow would send")
    fr = _speakers(enriched["fr"])
    assert fr["Nous suivons la situation de très près"] == "per:emmanuel_macron"
    assert fr["la France restait prudente"] == "per:jean_moreau"
    ru = _speakers(enriched["ru"])
    assert ru["Наши страны станут ещё ближе"] == "per:vladimir_putin"
    assert ru["переговоры шли весь день"] == "per:dmitry_peskov"
    de = _speakers(enriched["de"])
    assert de["Wir beobachten das sehr genau"] == "per:olaf_scholz"
    assert de["die Lage ernst sei"] == "per:olaf_scholz"
    es = _speakers(enriched["es"])
    assert es["España está preocupada por la tensión en la región"] == "per:pedro_sanchez"


def test_pronoun_speaker_resolves_to_last_person() -> None:
    text = "Maria Lopez arrived late. \"The vote was rigged from the start,\" she said."
    enr = enrich_article(_art("en", text))
    assert enr.quotes[0].speaker_key == "per:maria_lopez"


def test_scare_quotes_are_not_quotes() -> None:
    enr = enrich_article(_art("en", "The minister called the plan \"reckless\" and left the room."))
    assert enr.quotes == []


def test_models_and_fallback_are_labelled(enriched: dict[str, Enrichment]) -> None:
    assert enriched["en"].model.startswith("spacy:")
    assert enriched["fr"].model.startswith("spacy:")
    assert enriched["ru"].model.startswith("natasha")
    assert enriched["ko"].model == "fallback:gazetteer"
    assert enriched["de"].model == "fallback:gazetteer+caps"


def test_keyphrases_present(enriched: dict[str, Enrichment]) -> None:
    for lang in SNIPPETS:
        assert enriched[lang].keyphrases, lang
    assert any("korea" in k.lower() or "rocket" in k.lower() for k in enriched["en"].keyphrases)


def test_hostile_and_empty_input() -> None:
    enr = enrich_article(_art("en", ""))
    assert enr.entities == [] and enr.quotes == []
    big = ("Angela Weber visited Lyon. " * 5000) + "<script>alert(1)</script>"
    enr = enrich_article(_art("en", big, aid="big"))
    assert all(e.end <= 60_000 for e in enr.entities)
    enr = enrich_article(Article(id="nolang", text="Berlin and Paris signed it.", lang=None))
    assert enr.model.startswith("fallback") and {"loc:DE:2950159", "loc:FR:2988507"} <= keys(enr)


def test_surnames_resolved_across_corpus() -> None:
    enr = Enrichment(
        "a1", entities=[Entity("Okafor", "PER", 0, 6, "per:okafor", "Okafor")],
        quotes=[Quote("we stay", "Okafor", "per:okafor")],
    )
    resolve_surnames([enr], Counter({"per:ngozi_okafor": 5, "per:ade_okafor": 1}))
    assert enr.entities[0].key == "per:ngozi_okafor" and enr.quotes[0].speaker_key == "per:ngozi_okafor"
    enr2 = Enrichment("a2", entities=[Entity("Okafor", "PER", 0, 6, "per:okafor", "Okafor")])
    resolve_surnames([enr2], Counter({"per:ngozi_okafor": 2, "per:ade_okafor": 2}))
    assert enr2.entities[0].key == "per:okafor"  # ambiguous: left alone


def test_enrich_articles_stores_skips_and_isolates_bad_records(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.enrich import pipeline

    arts = [_art("en", aid="a-en"), _art("fr", aid="a-fr"), _art("en", "Ghent and Bruges.", aid="a-bad")]
    store.articles.add(arts)
    real = pipeline.build

    def flaky(article: Article, an):  # type: ignore[no-untyped-def]
        if article.id == "a-bad":
            raise ValueError("broken record")
        return real(article, an)

    monkeypatch.setattr(pipeline, "build", flaky)
    enrich_articles(store, arts)
    assert store.enrichments.has("a-en") and store.enrichments.has("a-fr")
    assert not store.enrichments.has("a-bad")
    got = store.enrichments.get("a-en")
    assert got is not None and "per:vladimir_putin" in keys(got)
    rows = store.enrichments.entities(label="PER")
    assert any(r["key"] == "per:vladimir_putin" and r["articles"] == 1 for r in rows)
    monkeypatch.setattr(pipeline, "build", real)
    results = list(pipeline.enrich_iter(store, arts))
    assert [aid for aid, _ in results] == ["a-bad"]  # the others already have an enrichment
    assert results[0][1] is None and store.enrichments.has("a-bad")


def test_cli_enrich_and_entities(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from storyline.cli import cli
    from storyline.store import open_store

    st = open_store(data_dir=tmp_path)
    st.articles.add([_art("en", aid="c1"), _art("de", aid="c2")])
    st.close()
    runner = CliRunner()
    res = runner.invoke(cli, ["--data", str(tmp_path), "enrich"])
    assert res.exit_code == 0, res.output
    assert "enriched 2 article(s), 0 error(s)" in res.output
    res = runner.invoke(cli, ["--data", str(tmp_path), "entities", "--type", "LOC", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    kp = next(r for r in rows if r["key"] == "loc:KP")
    assert kp["articles"] == 2 and all(r["label"] == "LOC" for r in rows)
