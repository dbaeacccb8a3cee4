"""End to end through the HTTP API with the real ingest stage and the real multilingual encoder:
upload sample-corpus files, wait for the job, then search by meaning across languages."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.api import Settings, create_app
from storyline.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parents[1]
SAMPLE = ["harbor-trump-kim-summit-singapore-handshake.html", "hanbit-articleView-201712130041.html",
          "abendbote-britisches-unterhaus-lehnt-brexit-vertrag-ab-id4471.html",
          "nevsky-london-i-bryussel-dogovorilis-o-torgovle.html", "meridian-uk-votes-to-leave-cameron-to-quit.html"]
HTML = [p for p in (REPO / "examples" / "corpus" / "html" / name for name in SAMPLE) if p.exists()]
TOKEN = "ingest-token"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("storyline.ingest.pipeline") is None or not HTML,
    reason="needs the ingest stage and the sample corpus",
)


def wait(client: TestClient, job: str, seconds: float = 90) -> dict[str, Any]:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        j = client.get(f"/api/jobs/{job}").json()
        if j["status"] in ("done", "failed"):
            return j
        time.sleep(0.1)
    raise AssertionError(f"job {job} did not finish")


def test_upload_ingest_then_cross_lingual_search(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    app = create_app(store, Settings(token=TOKEN), upload_dir=tmp_path / "up")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app, raise_server_exceptions=False) as client:
        files = [("files", (p.name, p.read_bytes(), "text/html")) for p in HTML]
        files.append(("files", ("broken.json", b"{not json", "application/json")))
        r = client.post("/api/ingest/files", files=files, headers=auth)
        assert r.status_code == 202
        job = wait(client, r.json()["job"])
        assert job["status"] == "done", job
        report = job["result"]
        assert report["stored"] == len(HTML) and len(report["article_ids"]) == len(HTML)
        assert any("broken.json" in rej["origin"] for rej in report["rejected"])  # bad record, batch goes on
        again = wait(client, client.post("/api/ingest/files", files=files[:1], headers=auth).json()["job"])
        assert again["result"]["stored"] == 0  # idempotent
        langs = {a["lang"] for a in client.get("/api/articles?limit=50").json()["items"]}
        assert {"en", "de", "ru"} <= langs
        # German query; the best match is the English article about the Singapore handshake.
        hits = client.get("/api/search", params={"q": "Händedruck von Trump und Kim beim Gipfel in Singapur",
                                                 "mode": "semantic", "limit": 3}).json()["items"]
        assert hits and "Singapore" in hits[0]["title"] and hits[0]["lang"] == "en"
        ru = client.get("/api/search", params={"q": "trade deal between London and Brussels", "mode": "semantic",
                                               "lang": "ru"}).json()["items"]
        assert ru and all(h["lang"] == "ru" for h in ru)
        refused = client.post("/api/ingest/urls", json={"urls": ["http://127.0.0.1:9/x"]}, headers=auth)
        job = wait(client, refused.json()["job"])
        assert job["status"] == "done" and job["result"]["stored"] == 0
        assert "private" in job["result"]["rejected"][0]["reason"] or "loopback" in job["result"]["rejected"][0]["reason"]
    store.close()
