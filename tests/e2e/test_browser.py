"""End-to-end in headless Chromium (Playwright): a real server on a free loopback port, the sample
corpus ingested through the browser's ingest form, then dashboard -> story -> timeline event ->
article -> compare -> cross-lingual search. Screenshots of each step go to pytest's temporary folder
(the README's are taken from the whole sample corpus by docs/screenshots/capture.py)."""

from __future__ import annotations

import importlib.util
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TOKEN = "e2e-token"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None, reason="playwright is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("storyline.ingest.pipeline") is None, reason="no ingest stage"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    import uvicorn

    sys.path.insert(0, str(REPO / "tests"))
    from test_api_data import build_corpus, new_store

    from storyline.api import Settings, create_app

    tmp = tmp_path_factory.mktemp("e2e")
    store = new_store(tmp)
    ids = build_corpus(store)  # one own-words story, so the story pages have data whatever stages exist
    app = create_app(store, Settings(token=TOKEN), upload_dir=tmp / "uploads")
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}", ids
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def page(server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 860})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.errors = errors  # type: ignore[attr-defined]
        yield pg
        browser.close()


def shot(pg: Any, name: str, tmp: Path) -> None:
    pg.screenshot(path=str(tmp / f"{name}.png"), full_page=False)


def test_ui_flow(server: Any, page: Any, tmp_path: Path) -> None:
    base, ids = server
    pg = page
    # Log in and ingest sample-corpus files through the form.
    pg.goto(base + "/ingest")
    pg.click("text=Log in")
    pg.fill("input[name=token]", TOKEN)
    pg.click("button:has-text('Log in')")
    assert pg.url.endswith("/ingest")
    from test_api_ingest import HTML

    files = [str(p) for p in HTML]
    assert files, "sample corpus missing"
    pg.set_input_files("input[name=files]", files)
    shot(pg, "ingest", tmp_path)
    pg.click("button:has-text('Ingest')")
    pg.wait_for_selector(".job-status[data-status=done], .job-status[data-status=failed]", timeout=120_000)
    assert pg.get_attribute(".job-status", "data-status") == "done"
    assert int(pg.inner_text("table.kv tr:has(th:text('stored')) td")) == len(files)

    # Dashboard -> a story.
    pg.goto(base + "/")
    assert pg.locator("table.stories tbody tr").count() >= 1
    assert pg.locator("svg.spark").count() >= 1
    shot(pg, "dashboard", tmp_path)
    pg.click("a.story-link >> nth=0")
    pg.wait_for_selector("svg.timeline")
    story_url = pg.url

    # Click a timeline event: its details open and list its articles.
    first = pg.locator("svg.timeline a.ev").first
    event_id = first.get_attribute("data-event")
    first.click()
    details = pg.locator(f"details#ev-{event_id}")
    assert details.get_attribute("open") is not None
    assert pg.locator(f"details#ev-{event_id} ul.arts li").count() >= 1
    shot(pg, "story", tmp_path)

    # Open an article from that event.
    pg.locator(f"details#ev-{event_id} ul.arts a").first.click()
    pg.wait_for_selector("article.article")
    shot(pg, "article", tmp_path)

    # Our own-words flood story: the article page has highlights and cross-language relations.
    pg.goto(f"{base}/articles/{ids['en1']}")
    assert pg.locator("mark.hl-per").count() >= 1 and pg.locator("ul.related li").count() >= 1
    # Hostile content stays text: no dialog, no injected element.
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(f"{base}/articles/{ids['bad']}")
    assert pg.locator("article.article img, article.article iframe, article.article svg").count() == 0
    assert "<script>" in pg.inner_text("h1")
    pg.goto(story_url)
    assert not dialogs

    # Compare two articles (bars when the similarity stage exists, a clear message otherwise).
    pg.goto(f"{base}/compare?a={ids['en1']}&b={ids['fr1']}")
    if pg.locator("svg.bars").count():
        assert pg.locator("svg.bars rect.bar").count() >= 7
    else:  # no similarity stage or no trained model in this checkout
        assert "not available" in pg.inner_text("main")
    shot(pg, "compare", tmp_path)

    # Search in another language: a German query finds the English article about the Singapore summit.
    pg.goto(base + "/search")
    pg.fill("form.search input[name=q]", "Händedruck von Trump und Kim beim Gipfel in Singapur")
    pg.select_option("form.search select[name=mode]", "semantic")
    pg.click("form.search button")
    pg.wait_for_selector("ol.hits li.hit")
    first_hit = pg.locator("ol.hits li.hit").first
    assert re.search(r"Singapore", first_hit.inner_text())
    shot(pg, "search", tmp_path)
    assert not [e for e in pg.errors if "Content Security Policy" in e or "Refused" in e], pg.errors
