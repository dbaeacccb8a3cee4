"""CLI JSON contracts of ingest, clean, articles, show, search (click CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES

from storyline import config
from storyline.cli import cli

CONTRACT = {"id", "path", "url", "source", "title", "text", "lang", "published", "published_from", "format"}


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        result = runner.invoke(cli, ["--data", str(tmp_path / "data"), *args], input=input)
        return result

    yield invoke
    config.set_overrides(None, None)


def test_clean_one_file_prints_one_object(run) -> None:  # type: ignore[no-untyped-def]
    res = run("clean", str(FIXTURES / "harbour.html"), "--json")
    assert res.exit_code == 0, res.output
    obj = json.loads(res.stdout)
    assert isinstance(obj, dict) and set(obj) >= CONTRACT
    assert obj["published"].startswith("2021-03-09") and obj["published_from"] == "metadata"
    assert obj["format"] == "html"
    try:  # the enrich stage (built elsewhere) adds its arrays when present
        import storyline.enrich.pipeline  # noqa: F401
    except ImportError:
        assert "entities" not in obj
    else:
        assert all(isinstance(obj[k], list) for k in ("entities", "places", "dates", "quotes"))
        assert any("Brandvold" in e["text"] for e in obj["entities"])


def test_clean_multi_record_file_prints_array(run) -> None:  # type: ignore[no-untyped-def]
    res = run("clean", str(FIXTURES / "briefs.rss"), "--json")
    arr = json.loads(res.stdout)
    assert isinstance(arr, list) and len(arr) == 2 and all(set(o) >= CONTRACT for o in arr)


def test_clean_dir_jsonl(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.jsonl"
    res = run("clean", str(FIXTURES), "--jsonl", str(out))
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6 and all(set(r) >= CONTRACT for r in rows)
    assert {r["format"] for r in rows} == {"html", "feed", "json", "text"}


def test_clean_map_option_and_bad_map(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps({"h": "Heading here", "b": "Body text of the record, long enough to keep.",
                             "d": "2020-01-02"}) + "\n")
    res = run("clean", str(p), "--json", "--map", "title=h,text=b,published=d")
    obj = json.loads(res.stdout)
    assert (obj["title"], obj["published"][:10]) == ("Heading here", "2020-01-02")
    bad = run("clean", str(p), "--map", "nonsense")
    assert bad.exit_code != 0 and "--map" in bad.output


def test_clean_reports_rejection(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "bad.jsonl"
    p.write_text("{not json\n")
    res = run("clean", str(p), "--json")
    assert res.exit_code == 1
    assert "bad.jsonl [line=1]" in res.stderr and "malformed JSON" in res.stderr


def test_ingest_then_articles_show_search(run) -> None:  # type: ignore[no-untyped-def]
    res = run("ingest", str(FIXTURES), "--raw")
    assert res.exit_code == 0, res.output
    assert "stored 6" in res.stderr and "rejected 0" in res.stderr
    again = run("ingest", str(FIXTURES), "--raw", "--json")
    assert json.loads(again.stdout)["skipped"] == 6

    arts = json.loads(run("articles", "--json").stdout)
    assert isinstance(arts, list) and len(arts) == 6 and all(set(a) >= CONTRACT for a in arts)
    since = json.loads(run("articles", "--json", "--since", "2022-05-01", "--until", "2022-05-31").stdout)
    assert {a["title"] for a in since} == {"Library extends opening hours for exam season",
                                          "Bridge inspection closes east lane overnight"}
    assert len(json.loads(run("articles", "--json", "--limit", "2").stdout)) == 2

    some = arts[0]
    shown = json.loads(run("show", some["id"], "--json").stdout)
    assert shown["id"] == some["id"] and "enrichment" in shown and "story" in shown
    assert run("show", "nope").exit_code != 0

    hits = json.loads(run("search", "pontoon", "--json").stdout)
    assert [h["title"][:13] for h in hits] == ["Harbour ferry"]
    human = run("articles")
    assert "Harbour ferry" in human.stdout


def test_ingest_stdin(run) -> None:  # type: ignore[no-untyped-def]
    rec = json.dumps({"title": "From stdin", "text": "A record piped in on standard input for the test."})
    res = run("ingest", "-", "--raw", "--json", input=rec + "\n")
    report = json.loads(res.stdout)
    assert report["stored"] == 1


def test_human_output_strips_control_characters(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "evil.txt"
    p.write_text("Evil \x1b[31mtitle\n\nBody with an escape \x1b]0;pwned\x07 sequence and more words.\n")
    res = run("clean", str(p))
    assert "\x1b" not in res.stdout and "\x07" not in res.stdout


def test_show_includes_enrichment_and_story(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from storyline.models import Enrichment, Entity, Event, Story
    from storyline.store import open_store

    run("ingest", str(FIXTURES / "harbour.html"), "--raw")
    [art] = json.loads(run("articles", "--json").stdout)
    store = open_store(data_dir=tmp_path / "data")
    store.enrichments.put(Enrichment(article_id=art["id"], entities=[
        Entity(text="Ilse Brandvold", label="PER", start=0, end=14, key="per:ilse_brandvold")]))
    store.stories.save([Story(id="s1", title="Harbour ferry", articles=[art["id"]],
                              events=[Event(id="e1", story_id="s1", title="Ferry resumes", date="2021-03-09",
                                            articles=[art["id"]])])])
    store.close()
    shown = json.loads(run("show", art["id"], "--json").stdout)
    assert shown["enrichment"]["entities"][0]["key"] == "per:ilse_brandvold"
    assert shown["story"] == {"story_id": "s1", "story_title": "Harbour ferry", "event_id": "e1",
                              "event_title": "Ferry resumes", "event_date": "2021-03-09", "duplicate_of": None}
    human = run("show", art["id"]).stdout
    assert "Ilse Brandvold" in human and "Ferry resumes" in human
