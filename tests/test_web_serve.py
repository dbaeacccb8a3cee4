"""`storyline serve` starts the app on loopback over the CLI's store and prints its URL and token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def test_serve_prints_url_and_token_and_serves(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "STORYLINE_TOKEN": "cli-token-42"}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "storyline", "--data", str(tmp_path / "data"), "serve",
                                 "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health == {"status": "ok", "version": health["version"], "store": "sqlite", "articles": 0,
                          "stories": 0}, log.read_text()
        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/" in printed and "cli-token-42" in printed
        r = httpx.post(f"http://127.0.0.1:{port}/api/ingest/urls", json={"urls": ["https://example.org/"]})
        assert r.status_code == 401
        assert (tmp_path / "data" / "storyline.db").exists()  # the CLI's store, in --data
    finally:
        proc.terminate()
        proc.wait(timeout=20)
