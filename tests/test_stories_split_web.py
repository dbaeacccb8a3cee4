"""Lineage on the story page and in the API: merged-away ids redirect, records are escaped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from storyline.api import Settings, create_app
from storyline.models import Article, Event, Story


def _store(tmp: Any) -> Any:
    from storyline.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp / "storyline.db")
    arts = [Article(id=f"a{i}", title=f"Report {i}", text=f"Report number {i} about the harbour works.",
                    source="Example Post", lang="en", published=datetime(2025, 1, 1 + i),
                    content_hash=f"h{i}") for i in range(3)]
    store.articles.add(arts)
    store.stories.save([Story(id="s-keep", title="Harbour works", articles=["a0", "a1"],
                              events=[Event(id="e-1", story_id="s-keep", articles=["a0", "a1"])]),
                        Story(id="s-part", title="Harbour strike", articles=["a2"],
                              events=[Event(id="e-2", story_id="s-part", articles=["a2"])])])
    store.stories.add_lineage("merge", "story", ["s-keep", "s-old"], ["s-keep"], "bridged by <b>x</b>")
    store.stories.add_lineage("split", "story", ["s-keep"], ["s-keep", "s-part"],
                              "cohesion <script>alert(1)</script>")
    return store


def test_story_page_and_api_show_lineage_and_resolve_merged_ids(tmp_path: Any) -> None:
    store = _store(tmp_path)
    try:
        app = create_app(store, Settings(token="t"), encoder=None, upload_dir=tmp_path / "up")
        with TestClient(app, raise_server_exceptions=False) as client:
            data = client.get("/api/stories/s-keep").json()
            assert [r["summary"] for r in data["lineage"]] == ["merged from s-old", "split into s-keep, s-part"]
            assert data["lineage"][1]["to"] == ["s-keep", "s-part"] and data["size"] == 2
            moved = client.get("/api/stories/s-old")  # merged away: follows to the survivor
            assert moved.status_code == 200 and moved.json()["id"] == "s-keep"
            assert client.get("/api/stories/s-never").status_code == 404
            page = client.get("/stories/s-keep")
            assert page.status_code == 200
            assert "split into s-keep, s-part" in page.text and 'href="/stories/s-part"' in page.text
            assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
            assert "<b>x</b>" not in page.text
            old = client.get("/stories/s-old", follow_redirects=False)
            assert old.status_code == 303 and old.headers["location"] == "/stories/s-keep?merged=s-old"
            page = client.get("/stories/s-old")
            assert "Story s-old was merged into this one." in page.text
            part = client.get("/stories/s-part").text
            assert "split from s-keep" in part
    finally:
        store.close()
