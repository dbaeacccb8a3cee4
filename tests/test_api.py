"""JSON API tests (FastAPI TestClient) over a real SQLite store filled with an own-words corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api_data import build_corpus, new_store

from storyline.api import Settings, create_app

TOKEN = "test-token-123"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    tmp = tmp_path_factory.mktemp("api")
    store = new_store(tmp)
    ids = build_corpus(store)
    app = create_app(store, Settings(token=TOKEN, max_body_bytes=200_000, max_upload_bytes=50_000),
                     encoder=None, upload_dir=tmp / "uploads")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, ids, store
    store.close()


def assert_error(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_health_and_openapi(env: Any) -> None:
    client, _, _ = env
    h = client.get("/api/health").json()
    assert h["status"] == "ok" and h["articles"] == 6 and h["stories"] == 2
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/search", "/api/compare", "/api/ingest/files", "/api/ingest/urls", "/api/jobs/{job_id}",
                 "/api/health"):
        assert path in spec["paths"], path
    assert "/stories/{story_id}" not in spec["paths"]  # HTML pages stay out of the API spec
    assert client.get("/docs").status_code == 404  # no CDN-backed Swagger UI


def test_security_headers_on_api_and_pages(env: Any) -> None:
    client, ids, _ = env
    for url in ("/api/health", "/", f"/articles/{ids['en1']}", "/api/articles/missing"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp and "script-src 'self' 'nonce-" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    n1 = client.get("/").headers["content-security-policy"]
    n2 = client.get("/").headers["content-security-policy"]
    assert n1 != n2  # a fresh nonce per response


def test_list_articles_filters_and_pagination(env: Any) -> None:
    client, ids, _ = env
    page1 = client.get("/api/articles", params={"limit": 2}).json()
    assert page1["total"] == 6 and len(page1["items"]) == 2 and page1["next_offset"] == 2
    assert page1["items"][0]["published"] >= page1["items"][1]["published"]  # newest first
    page3 = client.get("/api/articles", params={"limit": 2, "offset": 4}).json()
    assert len(page3["items"]) == 2 and page3["next_offset"] is None
    seen = {a["id"] for p in (page1, client.get("/api/articles?limit=2&offset=2").json(), page3) for a in p["items"]}
    assert seen == set(ids.values())
    assert [a["id"] for a in client.get("/api/articles?lang=fr").json()["items"]] == [ids["fr1"]]
    assert client.get("/api/articles", params={"source": "Valley Gazette"}).json()["total"] == 2
    ranged = client.get("/api/articles?since=2024-03-05&until=2024-03-09").json()
    assert {a["id"] for a in ranged["items"]} == {ids["fr1"], ids["de1"], ids["en2"]}
    assert client.get("/api/articles?story=st-chess").json()["items"][0]["id"] == ids["sport"]
    by_entity = client.get("/api/articles?entity=per:anna_kessler").json()
    assert {a["id"] for a in by_entity["items"]} == {ids["en1"], ids["fr1"]}


@pytest.mark.parametrize("query", ["limit=0", "limit=100000", "offset=-1", "since=yesterday", "lang=e%3Cn",
                                   "order=drop"])
def test_bad_parameters_give_json_errors(env: Any, query: str) -> None:
    client, _, _ = env
    err = assert_error(client.get(f"/api/articles?{query}"), 422, "invalid_request")
    assert err["details"]


def test_article_detail(env: Any) -> None:
    client, ids, _ = env
    a = client.get(f"/api/articles/{ids['en1']}").json()
    assert a["title"].startswith("Lindenport closes") and a["lang"] == "en"
    assert a["enrichment"]["quotes"][0]["speaker"] == "Anna Kessler"
    assert a["story"] == {"id": "st-flood", "title": "Storm surge in Lindenport", "event_id": "ev-barrier"}
    assert [d["id"] for d in a["duplicates"]] == [ids["en2"]]
    related_langs = {r["lang"] for r in a["related"]}
    assert related_langs and "en" not in related_langs  # other languages only
    assert {r["id"] for r in a["related"]} <= {ids["fr1"], ids["de1"]}
    same = client.get(f"/api/articles/{ids['en1']}/related?other_languages=false&k=5").json()["items"]
    assert ids["en2"] in {r["id"] for r in same}
    bad = client.get(f"/api/articles/{ids['bad']}").json()
    assert bad["url"] is None  # javascript: links are never handed out
    assert_error(client.get("/api/articles/does-not-exist"), 404, "not_found")
    assert_error(client.get("/api/articles/" + "x" * 100), 422)


def test_story_list_sorts(env: Any) -> None:
    client, _, _ = env
    by_size = client.get("/api/stories?sort=size").json()
    assert [s["id"] for s in by_size["items"]] == ["st-flood", "st-chess"] and by_size["total"] == 2
    flood = by_size["items"][0]
    assert flood["size"] == 5 and flood["independent_sources"] == 4 and flood["languages"] == ["en", "fr", "de"]
    assert flood["series"] == [["2024-03-04", 2], ["2024-03-09", 2], ["2024-03-10", 1]]
    assert [s["id"] for s in client.get("/api/stories?sort=first").json()["items"]] == ["st-chess", "st-flood"]
    growth = client.get("/api/stories?sort=growth").json()["items"]
    assert growth[0]["id"] == "st-flood" and growth[0]["growth"] == 5 and growth[1]["growth"] == 0
    assert client.get("/api/stories?sort=growth&limit=1&offset=1").json()["items"][0]["id"] == "st-chess"
    assert_error(client.get("/api/stories?sort=random"), 422)


def test_story_detail(env: Any) -> None:
    client, ids, _ = env
    s = client.get("/api/stories/st-flood").json()
    assert [e["id"] for e in s["events_list"]] == ["ev-barrier", "ev-cleanup", "ev-hostile"]
    first = s["events_list"][0]
    assert first["size"] == 2 and first["languages"] == {"en": 1, "fr": 1}
    assert {a["id"] for a in first["articles"]} == {ids["en1"], ids["fr1"]}
    assert s["people"][0] == {"key": "per:anna_kessler", "name": "Anna Kessler", "articles": 2}
    assert s["organisations"][0]["name"] == "Coastal Safety Agency"
    lind = next(p for p in s["places"] if p["key"] == "loc:lindenport")
    assert lind["lat"] == 53.2 and lind["articles"] == 2
    assert s["quotes"][0]["speaker"] == "Anna Kessler" and s["quotes"][0]["article_id"] == ids["en1"]
    assert {o["name"] for o in s["outlets"]} >= {"Harbour Times", "Le Courrier du Port"}
    assert {row["lang"]: row["articles"] for row in s["languages_count"]} == {"en": 3, "fr": 1, "de": 1}
    assert_error(client.get("/api/stories/nope"), 404, "not_found")


def test_keyword_search_with_filters(env: Any) -> None:
    client, ids, _ = env
    hits = client.get("/api/search", params={"q": "Lindenport"}).json()
    assert hits["mode"] == "keyword" and {h["id"] for h in hits["items"]} >= {ids["en1"], ids["fr1"], ids["de1"]}
    assert all("score" in h for h in hits["items"])
    fr = client.get("/api/search", params={"q": "Lindenport", "lang": "fr"}).json()["items"]
    assert [h["id"] for h in fr] == [ids["fr1"]]
    src = client.get("/api/search", params={"q": "Lindenport", "source": "Valley Gazette"}).json()["items"]
    assert [h["id"] for h in src] == [ids["en2"]]
    dated = client.get("/api/search", params={"q": "Lindenport", "until": "2024-03-04"}).json()["items"]
    assert [h["id"] for h in dated] == [ids["en1"]]
    paged = client.get("/api/search", params={"q": "Lindenport", "limit": 1}).json()
    assert len(paged["items"]) == 1 and paged["next_offset"] == 1
    assert client.get("/api/search", params={"q": "zebra"}).json()["items"] == []
    assert_error(client.get("/api/search", params={"q": ""}), 422)
    assert_error(client.get("/api/search", params={"q": "x" * 600}), 422)
    assert_error(client.get("/api/search", params={"q": "storm", "mode": "semantic"}), 503, "unavailable")


def test_compare_endpoint(env: Any) -> None:
    client, ids, _ = env
    assert_error(client.get("/api/compare", params={"a": ids["en1"], "b": "missing"}), 404)
    r = client.get("/api/compare", params={"a": ids["en1"], "b": ids["fr1"]})
    if r.status_code == 503:  # no similarity stage or no trained model on this checkout
        assert_error(r, 503, "unavailable")
        return
    body = r.json()
    assert r.status_code == 200 and len(body["scores"]) >= 7
    assert body["a"]["id"] == ids["en1"] and body["b"]["id"] == ids["fr1"]


def test_write_endpoints_need_the_token(env: Any) -> None:
    client, _, _ = env
    files = {"files": ("a.txt", b"some text", "text/plain")}
    assert_error(client.post("/api/ingest/files", files=files), 401, "unauthorized")
    assert_error(client.post("/api/ingest/files", files=files, headers={"Authorization": "Bearer wrong"}), 401)
    assert_error(client.post("/api/ingest/urls", json={"urls": ["https://example.org/"]}), 401)
    r = client.post("/api/ingest/urls", json={"urls": ["ftp://example.org/x"]},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (400, 503)
    assert_error(client.get("/api/jobs/abc123"), 404, "not_found")


def test_request_and_upload_size_limits(env: Any) -> None:
    client, _, _ = env
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = {"files": ("big.html", b"x" * 300_000, "text/html")}
    err = assert_error(client.post("/api/ingest/files", files=big, headers=auth), 413, "too_large")
    assert "200000" in err["message"]
    one_file = {"files": ("mid.html", b"x" * 60_000, "text/html")}
    err = assert_error(client.post("/api/ingest/files", files=one_file, headers=auth), 413, "too_large")
    assert "mid.html" in err["message"]


def test_ingest_job_lifecycle(env: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The job runner (queue, status, report, failure capture) with a minimal ingest function."""
    import time

    from storyline.api.ingest_jobs import IngestJobs
    from storyline.models import IngestReport

    client, _, _ = env
    seen: list[list[str]] = []

    def fake_ingest(paths: list[str], store: Any, allow_private: bool = False) -> IngestReport:
        seen.append([Path(p).read_text() if Path(p).exists() else p for p in paths])
        if any("explode" in s for s in seen[-1]):
            raise ValueError("cannot parse explode.txt")
        return IngestReport(read=len(paths), stored=len(paths))

    monkeypatch.setattr(IngestJobs, "ingest_function", staticmethod(lambda: fake_ingest))
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def wait(job: str) -> dict[str, Any]:
        for _ in range(200):
            j = client.get(f"/api/jobs/{job}").json()
            if j["status"] in ("done", "failed"):
                return j
            time.sleep(0.02)
        raise AssertionError("job did not finish")

    r = client.post("/api/ingest/files", headers=auth,
                    files=[("files", ("../../etc/a b.txt", b"first", "text/plain")),
                           ("files", ("b.html", b"second", "text/html"))])
    assert r.status_code == 202 and r.headers["location"].startswith("/api/jobs/")
    job = wait(r.json()["job"])
    assert job["status"] == "done" and job["result"]["stored"] == 2 and seen[-1] == ["first", "second"]
    r = client.post("/api/ingest/urls", headers=auth, json={"urls": ["https://example.org/a"],
                                                           "feeds": ["https://example.org/feed.xml"]})
    job = wait(r.json()["job"])
    assert job["status"] == "done" and seen[-1] == ["https://example.org/a", "https://example.org/feed.xml"]
    r = client.post("/api/ingest/files", headers=auth, files={"files": ("x.txt", b"explode", "text/plain")})
    job = wait(r.json()["job"])
    assert job["status"] == "failed" and "explode.txt" in job["error"]


def test_growth_sort_pages_through_undated_stories(tmp_path: Path) -> None:
    """Stories with dated coverage are ranked by growth; undated ones follow, by size, across pages."""
    from datetime import UTC, datetime

    from storyline.api.views.stories import list_stories
    from storyline.models import Article, Event, Story

    store = new_store(tmp_path)
    stories = []
    for i in range(5):
        arts = [Article(id=f"a{i}{j}", text=f"text {i} {j}", content_hash=f"h{i}{j}",
                        published=datetime(2024, 1, 1 + i, tzinfo=UTC)) for j in range(i + 1)]
        store.articles.add(arts)
        dated = i in (1, 3)
        stories.append(Story(id=f"s{i}", articles=[a.id for a in arts],
                             events=[Event(id=f"e{i}", story_id=f"s{i}", date=f"2024-01-0{1 + i}" if dated else None,
                                           articles=[a.id for a in arts])]))
    store.stories.save(stories)
    pages = [list_stories(store, sort="growth", limit=2, offset=o) for o in (0, 2, 4)]
    order = [c["id"] for p in pages for c in p["items"]]
    assert order == ["s3", "s1", "s4", "s2", "s0"]  # dated by growth, then undated by size
    assert pages[0]["items"][0]["growth"] == 4 and pages[2]["next_offset"] is None
    store.close()
