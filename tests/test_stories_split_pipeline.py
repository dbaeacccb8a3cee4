"""Splits through the `stories` stage on every store backend, with the real encoder and articles
written for this test: two unrelated threads glued by an early (wrong) merge come apart once new
reports arrive; ids stay stable, lineage resolves, nothing is lost or duplicated."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.embed import get_encoder
from storyline.models import Article
from storyline.stories.lineage import lineage_view, status
from storyline.stories.update import commit_changes, load_state, recheck_stories, update_stories

T0 = datetime.fromisoformat("2025-03-03T08:00:00+00:00")

FERRY = [  # thread A: a ferry runs aground off a (fictional) island
    ("Ferry runs aground off Tervoy island with 140 passengers aboard",
     "The ferry Morning Gull ran aground on rocks off Tervoy island early on Monday with 140 passengers "
     "aboard. Coastguard boats took the passengers to the harbour and nobody was badly hurt."),
    ("Coastguard evacuates passengers after Tervoy ferry grounding",
     "Coastguard crews evacuated all 140 passengers of the Morning Gull after the ferry struck rocks near "
     "Tervoy island on Monday morning. The vessel's hull was damaged and fuel is leaking."),
    ("Passengers rescued as ferry Morning Gull hits rocks near Tervoy",
     "Every passenger of the ferry Morning Gull was rescued after it hit rocks near Tervoy island. The "
     "coastguard said the ship's hull was holed and a small fuel leak was being contained."),
    ("Tervoy ferry grounding: fuel leak contained, hull badly damaged",
     "The coastguard said on Monday that the fuel leak from the Morning Gull, the ferry that ran aground "
     "off Tervoy island with 140 passengers, had been contained. The damaged ferry remains on the rocks."),
]
CHESS = [  # thread B: a chess tournament in a (fictional) city
    ("Teenager Ilsa Brandt wins the Lisket open chess tournament",
     "Sixteen-year-old Ilsa Brandt won the Lisket open chess tournament on Sunday, beating the top seed "
     "in the final round with the black pieces to finish a full point ahead of the field."),
    ("Ilsa Brandt, 16, takes Lisket chess open title with final-round win",
     "Ilsa Brandt, aged sixteen, took the title at the Lisket open chess tournament after a final-round "
     "victory over the top seed, finishing one point clear of every other player."),
    ("Chess prodigy Brandt triumphs at Lisket open",
     "The chess prodigy Ilsa Brandt triumphed at the Lisket open on Sunday. The sixteen-year-old beat the "
     "tournament's top seed in the last round and ended a point ahead of her rivals."),
]


def _articles(prefix: str, rows: list[tuple[str, str]], start: int) -> list[Article]:
    return [Article(id=f"{prefix}{i}", title=t, text=x, source=f"Outlet {i % 3}", lang="en",
                    published=T0 + timedelta(hours=3 * (start + i)), content_hash=Article.hash_text(x))
            for i, (t, x) in enumerate(rows)]


def _story_of(store: Any) -> dict[str, str]:
    return {a: s for a, (s, _e) in store.stories.assignments().items()}


def _glued(store: Any) -> tuple[str, str, list[Article], list[Article]]:
    """Both threads clustered (2 chess reports held back), then wrongly merged: (kept id, merged-away id)."""
    ferry, chess = _articles("fe", FERRY, 0), _articles("ch", CHESS, 1)
    first = ferry + chess[:2]
    store.articles.add(first)
    update_stories(store, first)
    by = _story_of(store)
    sa, sb = by["fe0"], by["ch0"]
    assert sa != sb and {by[a.id] for a in ferry} == {sa} and {by[a.id] for a in chess[:2]} == {sb}
    enc = get_encoder()
    cl, nd = load_state(store, enc.dim, enc.name)
    kept = cl.merge_stories(cl.stories.clusters[sa], cl.stories.clusters[sb], reason="bridged (test)")
    commit_changes(store, enc.name, cl, nd)
    assert kept.id == sa and store.stories.get(sb) is None
    return sa, sb, ferry, chess


def test_glued_threads_split_when_new_reports_arrive(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sa, sb, ferry, chess = _glued(store)
    assert status(store, sb) == ("merged", [sa])
    assert [r["summary"] for r in lineage_view(store, sb)] == [f"merged into {sa}"]
    before = set(_story_of(store))

    store.articles.add(chess[2:])
    monkeypatch.setenv("STORYLINE_SPLITS", "0")
    update_stories(store, chess[2:])  # with splits off the wrong merge stands
    assert set(_story_of(store).values()) == {sa}
    monkeypatch.setenv("STORYLINE_SPLITS", "1")
    assert recheck_stories(store, dry_run=True) and set(_story_of(store).values()) == {sa}  # dry run saves nothing
    done = recheck_stories(store)
    assert len(done) == 1 and done[0].id == sa
    after = _story_of(store)
    assert set(after) == before | {chess[2].id}  # every article still assigned, exactly once (primary key)
    assert {after[a.id] for a in ferry} == {sa}  # the part with most already-seen articles keeps the id
    assert {after[a.id] for a in chess} == {sb}  # the new part's id is minted from its founder: sb again
    assert done[0].parts == [sa, sb]
    stored_ids = {aid for st in store.stories.list() for aid in st.articles}
    assert stored_ids == set(after) and sum(len(st.articles) for st in store.stories.list()) == len(after)
    assert status(store, sb) == ("live", [sb])
    assert [r["summary"] for r in lineage_view(store, sa)] == [f"merged from {sb}", f"split into {sa}, {sb}"]
    assert recheck_stories(store) == []  # idempotent


def test_split_runs_after_each_batch_and_cli_shows_lineage(tmp_path: Any) -> None:
    from storyline.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "storyline.db")
    try:
        sa, sb, _ferry, chess = _glued(store)
        runner = CliRunner()
        res = runner.invoke(cli, ["--data", str(tmp_path), "story", sb, "--json"])
        assert res.exit_code == 0, res.output
        import json

        data = json.loads(res.stdout)
        assert data["id"] == sa and data["requested"] == sb and data["status"] == f"merged into {sa}"
        assert data["requested_lineage"][0]["summary"] == f"merged into {sa}"
        store.articles.add(chess[2:])
        update_stories(store, chess[2:])  # the batch touches the glued story: the check splits it
        assert _story_of(store)["ch0"] == sb and _story_of(store)["fe0"] == sa
        res = runner.invoke(cli, ["--data", str(tmp_path), "story", sa, "--json"])
        data = json.loads(res.stdout)
        assert data["status"] == "live"
        assert [r["summary"] for r in data["lineage"]] == [f"merged from {sb}", f"split into {sa}, {sb}"]
        assert {"events", "articles", "timeline", "independent_sources"} <= set(data)
        res = runner.invoke(cli, ["--data", str(tmp_path), "story", sa])
        assert f"split into {sa}, {sb}" in res.output
        res = runner.invoke(cli, ["--data", str(tmp_path), "recheck", "--json"])
        assert res.exit_code == 0 and json.loads(res.stdout) == []
    finally:
        store.close()


def test_glued_events_split_back_into_their_events_and_stories(store: Any) -> None:
    ferry, chess = _articles("fe", FERRY, 0), _articles("ch", CHESS, 1)
    store.articles.add(ferry + chess)
    update_stories(store, ferry + chess)
    enc = get_encoder()
    cl, nd = load_state(store, enc.dim, enc.name)
    ea, eb = cl.assign["fe0"], cl.assign["ch0"]
    assert ea != eb and {cl.assign[a.id] for a in ferry} == {ea} and {cl.assign[a.id] for a in chess} == {eb}
    sa, sb = cl.story_of("fe0"), cl.story_of("ch0")
    kept = cl.merge_events(cl.events.clusters[ea], cl.events.clusters[eb], reason="bridged (test)")
    commit_changes(store, enc.name, cl, nd)
    assert kept.id == ea and {e for _s, e in store.stories.assignments().values()} == {ea}
    done = recheck_stories(store)
    assert [(r.level, r.id) for r in done] == [("event", ea), ("story", sa)]
    asg = store.stories.assignments()
    assert {asg[a.id] for a in ferry} == {(sa, ea)}
    assert {asg[a.id] for a in chess} == {(sb, eb)}  # the new ids are minted from the founders again
    stored = store.stories.list()
    assert sorted(a for st in stored for ev in st.events for a in ev.articles) == sorted(asg)
    assert recheck_stories(store) == []
