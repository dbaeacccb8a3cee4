"""Story timelines: event dating, headline and summary choice, quotes, `story_timeline` over a real store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from storyline.models import Article, DateMention, Enrichment, Event, Quote, Story
from storyline.stories.dates import find_dates
from storyline.stories.summarise import centroid_scores, mmr, sentence_vectors
from storyline.stories.timeline import describe_event, event_date, story_timeline


def art(aid: str, title: str, text: str, lang: str = "en", day: str = "2024-03-12",
        source: str = "Example Daily") -> Article:
    return Article(id=aid, title=title, text=text, lang=lang, source=source,
                   published=datetime.fromisoformat(day + "T09:00:00"), url=f"https://example.org/{aid}",
                   content_hash=Article.hash_text(text))


# Own-words articles about an invented event: a river ferry runs aground near a fictional town.
FERRY = [
    art("a1", "Ferry runs aground on the Varna river",
        "A passenger ferry ran aground on the Varna river near Oldmill on Monday evening. "
        "All forty passengers were taken ashore by rescue boats within two hours. "
        "The local weather office had warned of low water levels for a week. "
        "A cafe owner in Oldmill said business had been slow all winter."),
    art("a2", "Rescue boats bring forty ferry passengers ashore",
        "Rescue boats brought forty passengers ashore after their ferry ran aground on the Varna river on Monday. "
        "The ferry operator said the vessel struck a sandbank as the river level fell. "
        "Nobody was seriously hurt, according to the regional health service.",
        source="River News"),
    art("a3", "Transbordador encalla en el río Varna",
        "Un transbordador con cuarenta pasajeros encalló en el río Varna cerca de Oldmill el lunes por la noche. "
        "Los botes de rescate llevaron a todos los pasajeros a tierra en dos horas.",
        lang="es", source="Diario Ejemplo"),
    art("a4", "Stranded ferry passengers recall the night on the river",
        "Passengers of the ferry that ran aground on the Varna river on Monday described a calm rescue. "
        "The ferry hit a sandbank and tilted slightly, one passenger said. "
        "Engineers will inspect the hull once the water rises again.",
        day="2024-03-13", source="Evening Post"),
]


def test_find_dates_resolves_relative_to_publication_date() -> None:
    pub = date(2024, 3, 13)  # a Wednesday
    got = {r.text.lower(): r.date for r in find_dates(
        "Talks failed yesterday; the strike began on Monday and the deal was signed on 2 February 2023.",
        "en", pub)}
    assert got["yesterday"] == date(2024, 3, 12)
    assert got["on monday"] == date(2024, 3, 11)
    assert got["2 february 2023"] == date(2023, 2, 2)
    es = find_dates("Ayer el ministro habló; el 5 de enero comenzó la huelga.", "es", pub)
    assert [r.date for r in es] == [date(2024, 3, 12), date(2024, 1, 5)]
    fr = find_dates("Hier, le gouvernement a démissionné. Le vote aura lieu en mars 2024.", "fr", pub)
    assert fr[0].date == date(2024, 3, 12) and fr[-1].granularity == "month"
    it = find_dates("Ieri sera il sindaco ha parlato del 17 febbraio.", "it", pub)
    assert {r.date for r in it} == {date(2024, 3, 12), date(2024, 2, 17)}


def test_find_dates_weekdays() -> None:
    tue = date(2018, 6, 12)  # a Tuesday: "on Tuesday" in a Tuesday paper is that very day
    got = {r.text.lower(): r.date for r in find_dates(
        "They met on Tuesday; talks began on Monday, after last Tuesday's call; next Tuesday they vote.", "en", tue)}
    assert got == {"on tuesday": tue, "on monday": date(2018, 6, 11), "last tuesday": date(2018, 6, 5),
                   "next tuesday": date(2018, 6, 19)}
    assert [r.date for r in find_dates("se sont rencontrés mardi", "fr", tue)] == [tue]
    assert [r.date for r in find_dates("el domingo pasado", "es", tue)] == [date(2018, 6, 10)]


def test_find_dates_ignores_month_words_used_otherwise() -> None:
    assert find_dates("You may march on if you like.", "en", date(2024, 3, 13)) == []


def test_event_date_prefers_mentioned_day_over_publication_day() -> None:
    # Published Tuesday (3 articles) and Wednesday (1), but all say the grounding was on Monday.
    assert event_date(FERRY) == "2024-03-11"


def test_event_date_uses_enrichment_event_date() -> None:
    arts = [art("b1", "Vote held", "The council voted on the budget.", day="2024-05-02"),
            art("b2", "Vote held", "The council voted on the budget plan.", day="2024-05-03")]
    enr = {"b2": Enrichment(article_id="b2", event_date="2024-05-01"),
           "b1": Enrichment(article_id="b1", event_date="2024-05-01",
                            dates=[DateMention(text="1 May", date="2024-05-01", sentence="The council voted")])}
    assert event_date(arts, enr) == "2024-05-01"
    assert event_date(arts) == "2024-05-02"  # without enrichments: earliest of tied publication days


@pytest.mark.parametrize("vectors", ["tfidf", "use"])
def test_describe_event_picks_central_sentence_in_majority_language(vectors: str) -> None:
    es = describe_event(FERRY, vectors=vectors, max_sentences=1)
    assert es.date == "2024-03-11"
    assert es.summary_lang == "en"
    assert len(es.summary) == 1
    s = es.summary[0]
    assert "ran aground" in s and "cafe" not in s and "weather" not in s
    assert "aground" in es.title.lower() or "ferry" in es.title.lower()


def test_describe_event_display_language_and_fallbacks() -> None:
    es = describe_event(FERRY, display_lang="es", max_sentences=1)
    assert es.summary_lang == "es" and "encalló" in es.summary[0]
    assert es.title == "Transbordador encalla en el río Varna"
    assert describe_event([]).title == "" and describe_event([]).date is None
    tiny = describe_event([art("c1", "", "Short.", day="2024-01-01")])
    assert tiny.date == "2024-01-01" and tiny.summary == ["Short."]


def test_mmr_skips_near_duplicates() -> None:
    sents = ["The ferry ran aground on the river on Monday.",
             "The ferry ran aground on the river on Monday!",
             "Passengers were rescued by boats within two hours."]
    vecs = sentence_vectors(sents, "tfidf")
    pick = mmr(vecs, centroid_scores(vecs), 2)
    assert sorted(pick) in ([0, 2], [1, 2])


def test_story_timeline_from_store(store) -> None:  # type: ignore[no-untyped-def]
    later = [
        art("d1", "Ferry refloated after river rises",
            "The ferry that ran aground on the Varna river was refloated on Friday after rain raised the water. "
            "Tugs pulled the vessel free and towed it to the Oldmill dock.", day="2024-03-16", source="River News"),
    ]
    store.articles.add(FERRY + later)
    store.enrichments.put(Enrichment(article_id="a2", quotes=[
        Quote(text="The vessel touched a sandbank as the water fell", speaker="the operator",
              speaker_key="org:varna_ferries")]))
    ev1 = Event(id="e1", story_id="s1", articles=[a.id for a in FERRY])
    ev2 = Event(id="e2", story_id="s1", articles=["d1"], date="2024-03-15", title="Stored title",
                summary=["Stored summary."])
    store.stories.save([Story(id="s1", title="Varna ferry", events=[ev2, ev1],
                              articles=[a.id for a in FERRY] + ["d1"])])
    tl = story_timeline(store, "s1")
    assert [e["id"] for e in tl["events"]] == ["e1", "e2"]  # date order
    first, second = tl["events"]
    assert first["date"] == "2024-03-11" and first["article_count"] == 4
    assert first["languages"] == {"en": 3, "es": 1}
    assert first["outlets"]["Example Daily"] == 1 and len(first["outlets"]) == 4
    assert first["summary"] and first["summary_lang"] == "en"
    assert first["quotes"][0]["speaker"] == "the operator"
    assert second["title"] == "Stored title"  # stored description reused
    assert tl["article_count"] == 5 and tl["event_count"] == 2
    again = story_timeline(store, "s1", recompute=True)
    assert again["events"][1]["title"] == "Ferry refloated after river rises"
    assert again["events"][1]["date"] == "2024-03-15"  # "on Friday" relative to Saturday 16 March
    with pytest.raises(KeyError):
        story_timeline(store, "nope")
