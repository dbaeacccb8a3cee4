"""Server-rendered pages: content, escaping of hostile article content, CSRF and login, SVG helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api_data import build_corpus, new_store

from storyline.api import Settings, create_app
from storyline.api.views.common import safe_href
from storyline.web import svg
from storyline.web.highlight import Span, highlight, spans_from_enrichment

TOKEN = "web-token-xyz"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("web")
    store = new_store(tmp)
    ids = build_corpus(store)
    app = create_app(store, Settings(token=TOKEN), encoder=None, upload_dir=tmp / "uploads")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, ids
    store.close()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(html: str) -> None:
    """Parsed as a browser would: no script but our own file, no event-handler attributes, no
    javascript: links, no embedded documents or images, SVG only from our own charts."""
    parser = _Tags()
    parser.feed(html)
    tags = parser.tags
    assert [a.get("src") for t, a in tags if t == "script"] == ["/static/app.js"]
    for tag, attrs in tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        for k in ("href", "src", "action", "formaction"):
            assert not attrs.get(k, "").strip().lower().startswith(("javascript:", "data:")), (tag, attrs)
        assert tag not in ("iframe", "img", "object", "embed", "base", "meta") or (
            tag == "meta" and set(attrs) <= {"charset", "name", "content"}), (tag, attrs)
        if tag == "svg":
            assert attrs.get("class") in ("spark", "timeline", "map", "bars"), attrs


def test_dashboard(env: Any) -> None:
    client, _ = env
    html = client.get("/").text
    assert 'href="/stories/st-flood"' in html and "Storm surge in Lindenport" in html
    assert html.index("st-flood") < html.index("st-chess")  # by size
    assert html.count('<svg class="spark"') == 2
    growth = client.get("/?sort=growth").text
    assert "+5 recently" in growth
    assert_inert(html)


def test_story_page(env: Any) -> None:
    client, ids = env
    html = client.get("/stories/st-flood").text
    assert '<svg class="timeline"' in html and html.count('class="ev" data-event=') == 3
    assert 'id="ev-ev-barrier"' in html and f'href="/articles/{ids["fr1"]}"' in html
    assert '<svg class="map"' in html and html.count("<circle") >= 3 + 2  # events + places
    assert "Anna Kessler" in html and "Coastal Safety Agency" in html
    assert "we expect the highest water in twenty years" in html
    assert "&lt;script&gt;alert(&#34;ev&#34;)&lt;/script&gt;" in html  # hostile event title, escaped
    assert_inert(html)


def test_article_page_highlights_and_links(env: Any) -> None:
    client, ids = env
    html = client.get(f"/articles/{ids['en1']}").text
    assert '<mark class="hl-per" title="PER: Anna Kessler">Anna Kessler</mark>' in html
    assert '<mark class="hl-date" title="date: 2024-03-04">Monday evening</mark>' in html
    assert 'class="hl-quote"' in html
    assert ('href="https://harbour.example/flood-barrier-closes" rel="noopener noreferrer"' in html)
    assert f'/articles/{ids["en2"]}' in html  # near-duplicate
    assert f'/compare?a={ids["en1"]}&amp;b=' in html  # related in another language
    assert_inert(html)


def test_hostile_article_is_escaped_everywhere(env: Any) -> None:
    client, ids = env
    html = client.get(f"/articles/{ids['bad']}").text
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;Harbour &lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;svg onload=alert(2)&gt;" in html and "&lt;iframe" in html
    assert "original</a>" not in html  # a javascript: URL gets no link at all
    assert "Comment &lt;b&gt;Board&lt;/b&gt;" in html
    assert_inert(html)
    for page in ("/", "/search", "/search?q=mayor", "/stories/st-flood", f"/search?q={ids['bad']}"):
        assert_inert(client.get(page).text)


def test_search_page(env: Any) -> None:
    client, ids = env
    html = client.get("/search", params={"q": "cleanup", "lang": "en"}).text
    assert f'href="/articles/{ids["en2"]}"' in html and ids["de1"] not in html
    listing = client.get("/search", params={"lang": "fr"}).text
    assert f'href="/articles/{ids["fr1"]}"' in listing and ids["en1"] not in listing
    assert ids["fr1"] in client.get("/search", params={"entity": "per:anna_kessler"}).text
    r = client.get("/search", params={"since": "not-a-date"})
    assert r.status_code == 422 and "use YYYY-MM-DD" in r.text and r.headers["content-type"].startswith("text/html")


def test_compare_page_without_or_with_stage(env: Any) -> None:
    client, ids = env
    assert '<form class="compare"' in client.get("/compare").text
    r = client.get("/compare", params={"a": ids["en1"], "b": ids["fr1"]})
    assert r.status_code in (200, 503)
    if r.status_code == 200:
        assert '<svg class="bars"' in r.text and r.text.count('class="bar"') >= 7
    else:
        assert "not available" in r.text


SIMILARITY_RESULT = {  # the shape `storyline.link.compare.compare` returns
    "scores": {"geography": 1.2, "entities": 1.9, "time": 1.4, "narrative": 2.2, "overall": 1.8, "style": 2.5,
               "tone": 2.0},
    "overall": 1.8,
    "scale": "1 = very similar ... 4 = very dissimilar (SemEval-2022 Task 8)",
    "evidence": {
        "language_pair": "en-fr", "title_similarity": 0.71, "document_similarity": 0.66,
        "passage_alignment": {"max": 0.8, "mean_best": 0.5, "coverage": 0.4},
        "entities": {"source": "enrich", "people": {"shared": ["Anna Kessler"], "only_a": ["<b>Bob</b>"], "only_b": []},
                     "places": {"shared": ["Lindenport"], "only_a": [], "only_b": []}},
        "dates": {"a": "2024-03-04", "b": "2024-03-05", "gap_days": 1},
        "sentence_pairs": [{"a": "The barrier closed.", "b": "<script>x()</script>La barrière a fermé.",
                            "similarity": 0.83}],
    },
    "explanations": {"geography": "very similar: 1 shared place(s)", "tone": "somewhat similar"},
}


def test_compare_page_renders_scores_and_evidence(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering of the similarity stage's result (its model is trained elsewhere)."""
    from storyline.api.views import compare as view

    client, ids = env
    real = view.optional

    def fake_optional(target: str) -> Any:
        if target == "storyline.link.compare:compare":
            return lambda a, b, store=None: SIMILARITY_RESULT
        return real(target)

    monkeypatch.setattr(view, "optional", fake_optional)
    html = client.get("/compare", params={"a": ids["en1"], "b": ids["fr1"]}).text
    assert html.count('class="bar"') == 7 and "1 = very similar" in html
    # geography 1.2 on 1..4 where 1 = very similar: a long bar (frac 0.933 of 350 px)
    assert re.search(r'<rect class="bar" x="110" y="\d+" width="326\.7"', html)
    assert "Anna Kessler" in html and "&lt;b&gt;Bob&lt;/b&gt;" in html and "Lindenport" in html
    assert "&lt;script&gt;x()&lt;/script&gt;La barrière" in html and "cosine 0.83" in html
    assert "very similar: 1 shared place(s)" in html and "gap days" in html
    assert_inert(html)
    api = client.get("/api/compare", params={"a": ids["en1"], "b": ids["fr1"]}).json()
    assert api["scale"] == [1.0, 4.0] and api["lower_is_more_similar"] is True
    assert list(api["scores"]) == ["geography", "entities", "time", "narrative", "overall", "style", "tone"]


def _csrf(client: TestClient, page: str = "/login") -> str:
    html = client.get(page).text
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "form without CSRF token"
    return m.group(1)


def test_login_csrf_and_ingest_form(env: Any) -> None:
    client, _ = env
    client.cookies.clear()
    assert "Log in" in client.get("/ingest").text and 'action="/ingest"' not in client.get("/ingest").text
    assert client.post("/login", data={"token": TOKEN}, follow_redirects=False).status_code == 403
    csrf = _csrf(client)
    assert client.post("/login", data={"token": TOKEN, "csrf": csrf + "x"}, follow_redirects=False).status_code == 403
    assert client.post("/login", data={"token": "nope", "csrf": csrf}, follow_redirects=False).status_code == 401
    r = client.post("/login", data={"token": TOKEN, "csrf": csrf, "next": "//evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    page = client.get("/ingest").text
    # the session opens the HTML form, but not the JSON API (which wants the token in a header)
    api = client.post("/api/ingest/urls", json={"urls": ["https://example.org/"]})
    assert api.status_code == 401 and api.json()["error"]["code"] == "unauthorized"
    assert 'action="/ingest"' in page and 'enctype="multipart/form-data"' in page
    assert client.post("/ingest", data={"urls": "https://example.org/"}, follow_redirects=False).status_code == 403
    r = client.post("/ingest", data={"urls": "javascript:alert(1)", "csrf": _csrf(client, "/ingest")},
                    follow_redirects=False)
    assert r.status_code in (400, 503)  # a bad URL, or no ingest stage yet: never accepted
    assert client.post("/logout", data={"csrf": _csrf(client, "/")}, follow_redirects=False).status_code == 303
    client.cookies.clear()


def test_cookie_from_another_server_secret_is_rejected(env: Any) -> None:
    client, _ = env
    client.cookies.clear()
    forged = "abc.0123456789abcdef0123456789abcdef"
    client.cookies.set("sl_csrf", forged)
    r = client.post("/login", data={"token": TOKEN, "csrf": forged}, follow_redirects=False)
    assert r.status_code == 403
    client.cookies.clear()


def test_error_pages_and_world_map(env: Any) -> None:
    client, _ = env
    r = client.get("/stories/nope")
    assert r.status_code == 404 and "no story with id" in r.text and r.headers["content-type"].startswith("text/html")
    m = client.get("/map/world.svg")
    assert m.headers["content-type"].startswith("image/svg+xml") and m.text.startswith("<svg")
    assert len(m.text) > 10_000 and "<script" not in m.text
    assert client.get("/static/style.css").status_code == 200


# --------------------------------------------------------------------------- units


def test_safe_href() -> None:
    assert safe_href("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example", "/local",
                'https://a.example/"onmouseover=x', "vbscript:x", None, ""):
        assert safe_href(bad) is None, bad


def test_highlight_overlaps_and_escaping() -> None:
    text = 'Ann <b>said</b> "hi" in Rome'
    spans = [Span(0, 3, "PER", "PER: Ann"), Span(0, 20, "QUOTE", 'quote: "x"<'), Span(24, 28, "LOC", "LOC")]
    html = str(highlight(text, spans))
    assert '<mark class="hl-per hl-quote" title="PER: Ann | quote: &#34;x&#34;&lt;">Ann</mark>' in html
    assert "&lt;b&gt;said&lt;/b&gt;" in html and "<b>" not in html
    assert html.count("<mark") == html.count("</mark>") == 3
    enr = {"entities": [{"start": 5, "end": 2, "label": "PER"}, {"start": 0, "end": 999, "label": "ORG"},
                        {"start": "0", "end": 3, "label": "PER"}, {"start": 0, "end": 3, "label": "ODD"}]}
    assert spans_from_enrichment(enr, len(text)) == [Span(0, 3, "MISC", "ODD: ")]


def test_svg_helpers_escape_and_project() -> None:
    assert svg.project(0, 0) == (360.0, 180.0) and svg.project(90, -180) == (0.0, 0.0)
    line = str(svg.sparkline([("2024-01-01", 3), ("2024-02-01", 1), ("bad", 9)]))
    assert line.startswith('<svg class="spark"') and "<polyline" in line and "4 dated articles" in line
    assert "<polyline" not in str(svg.sparkline([]))
    tl = str(svg.timeline([{"id": 'x"><script>', "date": "2024-01-01", "size": 2, "lang": "en",
                            "title": "</title><script>alert(1)</script>"}]))
    assert "<script" not in tl and "&lt;/title&gt;&lt;script&gt;" in tl
    assert "No dated events" in str(svg.timeline([{"id": "a", "date": None, "size": 1}]))
    m = str(svg.places_map([{"name": "<b>", "lat": 48.85, "lon": 2.35, "articles": 3},
                            {"name": "nowhere", "lat": None, "lon": 5}, {"name": "bad", "lat": 200, "lon": 0}]))
    assert m.count("<circle") == 1 and "&lt;b&gt;: 3 articles" in m
    bars = str(svg.bars({"overall": 2.5, "<tone>": 1.0}, (1, 4)))
    assert bars.count('class="bar"') == 2 and "&lt;tone&gt;" in bars and 'width="175"' in bars
