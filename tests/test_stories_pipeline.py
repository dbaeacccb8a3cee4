"""The `stories` stage and CLI on a small multilingual fixture written for these tests (real USE model)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.models import Article
from storyline.stories.update import update_stories

FIXTURE = Path(__file__).parent / "data" / "stories_multilingual.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
GOLD = {r["id"]: (r["event"], r["story"]) for r in ROWS}


def _article(r: dict[str, Any]) -> Article:
    return Article(id=r["id"], text=r["text"], title=r["title"], source=r["source"], lang=r["lang"],
                   published=datetime.fromisoformat(r["published"]), content_hash=Article.hash_text(r["text"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A store fed in two batches (first the 2018 articles, then the rest, out of date order)."""
    from storyline.store.sqlite import SQLiteStore

    data = tmp_path_factory.mktemp("stories")
    store = SQLiteStore(data / "storyline.db")
    arts = [_article(r) for r in ROWS]
    first = [a for a in arts if a.id.startswith("sg-")]
    rest = [a for a in arts if not a.id.startswith("sg-")][::-1]
    store.articles.add(first)
    update_stories(store, first)
    before = dict(store.stories.assignments())
    store.articles.add(rest)
    update_stories(store, rest)
    copy = Article(id="sg-copy", title=ROWS[0]["title"], text=ROWS[0]["text"] + " Additional reporting by agencies.",
                   source="Wire Reprint", lang="en", published=datetime.fromisoformat("2018-06-12T15:00:00+00:00"),
                   content_hash="copyhash")
    store.articles.add([copy])
    update_stories(store, [copy])
    yield {"store": store, "data": data, "before": before, "after": dict(store.stories.assignments())}
    store.close()


def test_same_event_in_three_languages_shares_an_event(built: dict[str, Any]) -> None:
    after = built["after"]
    assert after["sg-en-1"][1] == after["sg-fr-1"][1] == after["sg-es-1"][1]
    assert after["hn-en-1"][1] == after["hn-fr-1"][1]
    assert after["nd-en-1"][1] == after["nd-fr-1"][1]


def test_two_events_of_one_story_share_the_story(built: dict[str, Any]) -> None:
    after = built["after"]
    assert after["sg-en-1"][1] != after["hn-en-1"][1]
    assert after["sg-en-1"][0] == after["hn-en-1"][0]


def test_unrelated_articles_start_their_own_stories(built: dict[str, Any]) -> None:
    after = built["after"]
    stories = {after[i][0] for i in ("sg-en-1", "nd-en-1", "ice-en-1")}
    assert len(stories) == 3


def test_ids_stay_stable_when_more_articles_arrive(built: dict[str, Any]) -> None:
    for aid, assignment in built["before"].items():
        assert built["after"][aid] == assignment


def test_near_duplicate_is_grouped_and_not_an_independent_source(built: dict[str, Any]) -> None:
    store = built["store"]
    sid, eid, dup = store.stories.of_article("sg-copy")
    assert dup == "sg-en-1" and eid == built["after"]["sg-en-1"][1]
    assert "sg-en-1" in store.stories.duplicates_of("sg-copy")
    st = store.stories.get(sid)
    assert "Wire Reprint" in st.sources
    assert st.independent_sources == len(set(st.sources)) - 1


def test_saved_story_fields(built: dict[str, Any]) -> None:
    st = built["store"].stories.get(built["after"]["sg-en-1"][0])
    assert st.title and set(st.languages) == {"en", "fr", "es"}
    assert [e.date for e in st.events] == ["2018-06-12", "2019-02-28"]
    assert st.first_seen < st.last_seen
    assert sorted(st.articles) == sorted(a for a, (s, _e) in built["after"].items() if s == st.id)


def test_stories_and_story_cli_json(built: dict[str, Any]) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["--data", str(built["data"]), "stories", "--json", "--sort", "growth"])
    assert res.exit_code == 0, res.output
    items = json.loads(res.output)
    assert len(items) == 3
    for it in items:
        assert {"id", "title", "articles", "events", "first_seen", "last_seen", "languages", "sources"} <= set(it)
        assert all({"id", "date", "title", "articles"} <= set(ev) for ev in it["events"])
    korea = next(it for it in items if "sg-en-1" in it["articles"])
    res = runner.invoke(cli, ["--data", str(built["data"]), "story", korea["id"], "--json"])
    assert res.exit_code == 0, res.output
    tl = json.loads(res.output)["timeline"]
    assert [e["date"] for e in tl] == sorted(e["date"] for e in tl)
    assert tl[0]["article_count"] == 4 and set(tl[0]["languages"]) == {"en", "fr", "es"}
    res = runner.invoke(cli, ["--data", str(built["data"]), "story", korea["id"]])
    assert res.exit_code == 0 and "2018-06-12" in res.output and korea["title"] in res.output
    res = runner.invoke(cli, ["--data", str(built["data"]), "stories", "--sort", "size", "--limit", "1"])
    assert res.exit_code == 0 and res.output.count("\n") == 1 and korea["id"] in res.output
    res = runner.invoke(cli, ["--data", str(built["data"]), "story", "s-missing"])
    assert res.exit_code != 0 and "s-missing" in res.output


def test_cluster_cli_streams_and_skips_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({k: r[k] for k in ("id", "title", "text", "lang", "published")}) for r in ROWS]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"title": "no id"}))
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(cli, ["cluster", "--in", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert ":3: skipped: invalid JSON" in res.output and ":5: skipped: missing or invalid 'id'" in res.output
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [g["id"] for g in got] == [r["id"] for r in ROWS]
    by = {g["id"]: g for g in got}
    assert by["sg-en-1"]["event"] == by["sg-fr-1"]["event"] != by["hn-en-1"]["event"]
    assert by["sg-en-1"]["story"] == by["hn-fr-1"]["story"] != by["nd-en-1"]["story"]


def test_rerunning_a_batch_changes_nothing(built: dict[str, Any]) -> None:
    store = built["store"]
    again = store.articles.get_many(["sg-fr-1", "hn-en-1"])
    update_stories(store, again)
    assert dict(store.stories.assignments()) == built["after"]
    assert store.state.get("stories", "neardup") is not None


def test_clusterer_state_records_article_languages(built: dict[str, Any]) -> None:
    from storyline.stories.update import load_state

    clusterer, _ = load_state(built["store"], 512, "use-m3")
    ev = clusterer.events.clusters[clusterer.assign["sg-fr-1"]]
    lang_of = {r["id"]: r["lang"] for r in ROWS} | {"sg-copy": "en"}
    assert ev.langs == Counter(lang_of[a] for a in ev.members)
    assert {"en", "fr", "es"} <= set(ev.langs)
