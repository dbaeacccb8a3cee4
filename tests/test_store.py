"""One store test suite, run against every backend (see the `store` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from storyline.models import Article, Enrichment, Entity, Event, Place, Story


def art(i: int, text: str, lang: str = "en", url: str | None = None, day: int = 1) -> Article:
    h = Article.hash_text(text)
    return Article(
        id=Article.make_id(url, h), text=text, title=f"Title {i}", url=url, canonical_url=url,
        source="Example Herald", lang=lang, published=datetime(2019, 5, day, 12, tzinfo=UTC),
        published_from="metadata", content_hash=h,
    )


def test_add_get_and_dedupe(store) -> None:
    a = art(1, "Talks resumed in Hanoi on Tuesday.", url="https://example.org/a")
    b = art(2, "A different story about rain in Lyon.")
    assert store.articles.add([a, b]) == [(a.id, "stored"), (b.id, "stored")]
    # same content again (whitespace/case changes) -> duplicate of the stored one
    again = art(3, "talks  resumed in Hanoi on Tuesday.")
    assert store.articles.add([again])[0][1] == f"duplicate:{a.id}"
    # same canonical URL, different text -> duplicate
    same_url = art(4, "Updated text of the Hanoi talks story.", url="https://example.org/a")
    assert store.articles.add([same_url])[0][1] == f"duplicate:{a.id}"
    got = store.articles.get(a.id)
    assert got is not None and got.text == a.text and got.published == a.published
    assert store.articles.count() == 2
    assert [x.id for x in store.articles.get_many([b.id, a.id])] == [b.id, a.id]


def test_filters_and_order(store) -> None:
    rows = [art(i, f"text number {i} about things", lang="fr" if i % 2 else "en", day=i) for i in range(1, 7)]
    store.articles.add(rows)
    assert store.articles.count(lang="fr") == 3
    assert store.articles.count(since="2019-05-03", until="2019-05-04") == 2
    listed = store.articles.list(order="-published", limit=2)
    assert [x.published.day for x in listed] == [6, 5]
    assert store.articles.facets()["lang"] == {"fr": 3, "en": 3}


def test_full_text_search_any_script(store) -> None:
    store.articles.add([
        art(1, "Пхеньян провёл испытание ракеты, сообщает агентство.", lang="ru"),
        art(2, "북한이 미사일을 발사했다고 합참이 밝혔다.", lang="ko"),
        art(3, "The summit in Singapore ended without a deal.", lang="en"),
    ])
    hits = store.articles.search("ракеты")
    assert len(hits) == 1 and hits[0][0] == store.articles.list(lang="ru")[0].id
    assert store.articles.search("summit singapore")[0][0] == store.articles.list(lang="en")[0].id
    assert store.articles.search("summit", lang="ru") == []
    assert store.articles.search('"; DROP TABLE articles; --') == []  # hostile query is harmless
    assert store.articles.count() == 3


def test_ingest_log_resume(store) -> None:
    assert not store.ingest_log.seen("f.jsonl", "3", "abc")
    store.ingest_log.mark("f.jsonl", "3", "abc", "rejected", reason="malformed JSON")
    assert store.ingest_log.seen("f.jsonl", "3", "abc")
    assert not store.ingest_log.seen("f.jsonl", "3", "changed")
    assert store.ingest_log.rejected()[0]["reason"] == "malformed JSON"


def test_enrichment_and_entity_index(store) -> None:
    a, b = art(1, "Putin spoke."), art(2, "Putin and Trump met.")
    store.articles.add([a, b])
    for x, ents in ((a, ["per:vladimir_putin"]), (b, ["per:vladimir_putin", "per:donald_trump"])):
        store.enrichments.put(Enrichment(
            article_id=x.id,
            entities=[Entity(text=k, label="PER", start=0, end=5, key=k, canonical=k) for k in ents],
            places=[Place(name="Russia", key="loc:RU", country="RU")],
        ))
    got = store.enrichments.get(b.id)
    assert got is not None and {e.key for e in got.entities} == {"per:vladimir_putin", "per:donald_trump"}
    ents = store.enrichments.entities()
    assert ents[0]["articles"] == 2 and ents[0]["key"] in ("per:vladimir_putin", "loc:RU")
    assert store.articles.count(entity="per:donald_trump") == 1
    store.enrichments.put(Enrichment(article_id=b.id))  # re-enrich replaces
    assert store.articles.count(entity="per:donald_trump") == 0


def test_vectors_roundtrip_and_search(store) -> None:
    rng = np.random.default_rng(0)
    arts = [art(i, f"vector article {i}") for i in range(20)]
    store.articles.add(arts)
    mat = rng.normal(size=(20, 16)).astype(np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    store.vectors.put_many("m", [(a.id, mat[i], mat[i : i + 1].repeat(2, 0)) for i, a in enumerate(arts)])
    got = store.vectors.get([arts[3].id], "m")
    assert np.allclose(got[arts[3].id], mat[3])
    assert store.vectors.get([arts[3].id], "m", chunks=True)[arts[3].id].shape == (2, 16)
    hits = store.vectors.search("m", mat[7], k=3)
    assert hits[0][0] == arts[7].id and hits[0][1] > 0.99
    assert store.vectors.missing([arts[0].id, "nope"], "m") == ["nope"]
    store.flush()


def test_vectors_bulk_batches(store) -> None:
    """Large batches take the bulk path (COPY + index build on PostgreSQL); a second, overlapping bulk
    batch adds only what is new, and search still finds each vector itself."""
    rng = np.random.default_rng(1)
    arts = [art(i, f"bulk vector article {i}") for i in range(2600)]
    store.articles.add(arts)
    mat = rng.normal(size=(len(arts), 16)).astype(np.float32)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True)
    store.vectors.put_many("bulk", [(a.id, mat[i], None) for i, a in enumerate(arts[:2200])])
    store.vectors.put_many("bulk", [(a.id, mat[i], None) for i, a in enumerate(arts) if i >= 400])
    assert store.vectors.missing([a.id for a in arts], "bulk") == []
    for i in (5, 1500, 2500):
        hits = store.vectors.search("bulk", mat[i], k=5)
        assert hits[0][0] == arts[i].id and hits[0][1] > 0.99


def test_stories_and_lineage(store) -> None:
    a, b, c = art(1, "one", day=1), art(2, "two", day=2), art(3, "three", day=9)
    store.articles.add([a, b, c])
    st = Story(id="s1", title="Summit", articles=[a.id, b.id, c.id], languages=["en"],
               sources=["Example Herald"], first_seen=a.published, last_seen=c.published,
               events=[Event(id="e1", story_id="s1", date="2019-05-01", articles=[a.id, b.id]),
                       Event(id="e2", story_id="s1", date="2019-05-09", articles=[c.id])])
    store.stories.save([st], dup_of={b.id: a.id})
    got = store.stories.get("s1")
    assert got is not None and [e.id for e in got.events] == ["e1", "e2"]
    assert store.stories.of_article(c.id) == ("s1", "e2", None)
    assert store.stories.duplicates_of(a.id) == [b.id]
    assert store.articles.count(story="s1") == 3
    store.stories.add_lineage("merge", "story", ["s2"], ["s1"])
    assert store.stories.lineage("s1")[0]["kind"] == "merge"
    assert [s.id for s in store.stories.list(sort="recency")] == ["s1"]


def test_story_split_moves_events_and_lineage_resolves(store) -> None:
    a, b, c = art(1, "one", day=1), art(2, "two", day=2), art(3, "three", day=9)
    store.articles.add([a, b, c])
    whole = Story(id="s1", title="Both", articles=[a.id, b.id, c.id],
                  events=[Event(id="e1", story_id="s1", articles=[a.id, b.id]),
                          Event(id="e2", story_id="s1", articles=[c.id])])
    store.stories.save([whole])
    # a split saves the new part first: its event is still stored under the old story at that moment
    store.stories.save([Story(id="s2", title="Part", articles=[c.id],
                              events=[Event(id="e2", story_id="s2", articles=[c.id])])])
    store.stories.save([Story(id="s1", title="Rest", articles=[a.id, b.id],
                              events=[Event(id="e1", story_id="s1", articles=[a.id, b.id])])])
    assert [e.id for e in store.stories.get("s1").events] == ["e1"]
    assert [e.id for e in store.stories.get("s2").events] == ["e2"]
    assert store.stories.of_article(c.id) == ("s2", "e2", None)
    assert sorted(store.stories.assignments()) == sorted([a.id, b.id, c.id])
    store.stories.add_lineage("split", "story", ["s1"], ["s1", "s2"], "test")
    store.stories.add_lineage("merge", "story", ["s3", "s9"], ["s3"])  # s9 merged into s3 ...
    store.stories.add_lineage("merge", "story", ["s2", "s3"], ["s2"])  # ... which merged into s2
    assert store.stories.resolve("s1") == ["s1"]
    assert store.stories.resolve("s9") == ["s2"]
    assert store.stories.resolve("nope") == []
    assert [r["kind"] for r in store.stories.lineage("s2")] == ["split", "merge"]


def test_state_and_jobs(store) -> None:
    store.state.put_json("clusterer", "v1", {"n": 3})
    assert store.state.get_json("clusterer", "v1") == {"n": 3}
    jid = store.jobs.create("ingest", {"paths": ["x"]})
    store.jobs.update(jid, "done", result={"stored": 2})
    assert store.jobs.get(jid)["result"] == {"stored": 2}


def test_story_headers_and_coverage(store) -> None:
    a, b, c, d = art(1, "one", day=1), art(2, "two", day=1), art(3, "three", day=9), art(4, "four", day=3)
    store.articles.add([a, b, c, d])
    big = Story(id="s1", title="Summit", articles=[a.id, b.id, c.id], first_seen=a.published, last_seen=c.published,
                events=[Event(id="e1", story_id="s1", date="2019-05-01", articles=[a.id, b.id]),
                        Event(id="e2", story_id="s1", date="2019-05-09", articles=[c.id]),
                        Event(id="e3", story_id="s1", date=None, articles=[])])
    small = Story(id="s2", title="Vote", articles=[d.id], first_seen=d.published, last_seen=d.published,
                  events=[Event(id="e4", story_id="s2", date="2019-05-03", articles=[d.id])])
    store.stories.save([big, small])
    heads = store.stories.headers(sort="size")
    assert [s.id for s in heads] == ["s1", "s2"] and heads[0].events == [] and len(heads[0].articles) == 3
    assert [s.id for s in store.stories.headers(sort="first", limit=1, offset=1)] == ["s2"]
    assert [s.id for s in store.stories.headers(ids=["s2", "nope"])] == ["s2"]
    assert store.stories.coverage() == {"s1": [("2019-05-01", 2), ("2019-05-09", 1)], "s2": [("2019-05-03", 1)]}
    assert store.stories.coverage(["s2"]) == {"s2": [("2019-05-03", 1)]}


def test_enrichments_get_many(store) -> None:
    a, b = art(1, "alpha"), art(2, "beta")
    store.articles.add([a, b])
    store.enrichments.put(Enrichment(article_id=a.id, entities=[Entity("Ann", "PER", 0, 3, key="per:ann")]))
    got = store.enrichments.get_many([a.id, b.id, "missing"])
    assert list(got) == [a.id] and got[a.id].entities[0].key == "per:ann"
    assert store.enrichments.get_many([]) == {}
