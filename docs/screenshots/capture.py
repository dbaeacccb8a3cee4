"""Take the README screenshots from the sample corpus: ingest examples/corpus into a fresh store, serve
it on a free loopback port, and photograph each page in headless Chromium.

    python docs/screenshots/capture.py [--data /tmp/storyline-shots]
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
OUT = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from storyline.api import Settings, create_app
    from storyline.ingest.pipeline import ingest
    from storyline.store import open_store

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/tmp/storyline-shots"))
    args = ap.parse_args()
    store = open_store(data_dir=args.data)
    if store.articles.count() == 0:
        print(ingest([str(REPO / "examples" / "corpus")], store).to_dict()["stored"], "articles stored")
    app = create_app(store, Settings(token="shots"), upload_dir=args.data / "uploads")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    top = store.stories.headers(sort="size", limit=1)[0]
    arts = store.articles.list(story=top.id, limit=50)
    enriched = next((a for a in arts if store.enrichments.has(a.id) and a.lang == "en"), arts[0])
    other = next((a for a in arts if a.lang != enriched.lang), arts[-1])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 860})
        pg.goto(base + "/")
        pg.screenshot(path=str(OUT / "dashboard.png"))
        pg.goto(f"{base}/stories/{top.id}")
        pg.locator("svg.timeline a.ev").nth(1).click()
        pg.screenshot(path=str(OUT / "story.png"))
        pg.evaluate("document.querySelector('svg.map') && document.querySelector('svg.map').scrollIntoView()")
        pg.screenshot(path=str(OUT / "story-map.png"))
        pg.goto(f"{base}/articles/{enriched.id}")
        pg.screenshot(path=str(OUT / "article.png"))
        pg.goto(f"{base}/compare?a={enriched.id}&b={other.id}")
        pg.screenshot(path=str(OUT / "compare.png"))
        pg.goto(base + "/search?mode=semantic&q=" + "Händedruck von Trump und Kim beim Gipfel in Singapur")
        pg.screenshot(path=str(OUT / "search.png"))
        pg.goto(base + "/login?next=/ingest")
        pg.fill("input[name=token]", "shots")
        pg.click("button:has-text('Log in')")
        pg.screenshot(path=str(OUT / "ingest.png"))
        browser.close()
    srv.should_exit = True
    store.close()
    print("screenshots written to", OUT)


if __name__ == "__main__":
    main()
