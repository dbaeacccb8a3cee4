"""Ingest loop: idempotence, resume, bad records, URL fetching, canonical URLs, post-ingest stages."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import FIXTURES, html_page, write_warc

from storyline.clean.urls import canonical_url, host_of
from storyline.ingest.pipeline import ingest, raw_to_article
from storyline.ingest.records import ReadOptions
from storyline.models import RawDocument


def _jsonl(path: Path, n: int, start: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            f.write(json.dumps({"title": f"Council note {i}",
                                "text": f"Meeting {i} of the parish council discussed the footpath, "
                                        f"the bus shelter and item number {i} on the agenda."}) + "\n")
    return path


# --------------------------------------------------------------------------- canonical URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://WWW.Example.COM:80/a/b?utm_source=x&b=2&a=1&fbclid=3#frag", "http://www.example.com/a/b?a=1&b=2"),
        ("https://ex.example:443/p?gclid=1&id=7", "https://ex.example/p?id=7"),
        ("https://ex.example:8443/p", "https://ex.example:8443/p"),
        ("https://ex.example", "https://ex.example/"),
        ("ftp://ex.example/file", None),
        ("not a url", None),
        (None, None),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_host_of() -> None:
    assert host_of("https://www.News.example/x") == "news.example"
    assert host_of("nonsense") is None


# --------------------------------------------------------------------------- pure core


def test_raw_to_article_is_pure_and_stable() -> None:
    raw = RawDocument(origin="mem", format="json", content="Three short words and then some more words here.",
                      title="T", url="https://a.example/2020/02/03/x?utm_campaign=z")
    a, b = raw_to_article(raw), raw_to_article(raw)
    assert a.id == b.id and a.canonical_url == "https://a.example/2020/02/03/x"
    assert (a.published_from, a.published.date().isoformat()) == ("url", "2020-02-03")  # type: ignore[union-attr]
    assert a.source == "a.example"


# --------------------------------------------------------------------------- idempotence / resume


def test_idempotent(store: Any) -> None:
    first = ingest([str(FIXTURES)], store, raw=True)
    assert first.stored == 6 and not first.rejected  # html + 2 feed entries + 2 json + text
    n = store.articles.count()
    second = ingest([str(FIXTURES)], store, raw=True)
    assert store.articles.count() == n
    assert (second.stored, second.skipped, second.read) == (0, first.read, first.read)


def test_duplicates_by_url_and_content(store: Any, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes((FIXTURES / "harbour.html").read_bytes())
    (tmp_path / "b.html.gz").write_bytes(gzip.compress((FIXTURES / "harbour.html").read_bytes()))
    same_text = {"title": "x", "text": "Identical body text written for the duplicate test, nothing more."}
    (tmp_path / "c.jsonl").write_text(json.dumps(same_text) + "\n" + json.dumps(same_text | {"title": "y"}) + "\n")
    report = ingest([str(tmp_path)], store, raw=True)
    assert (report.stored, report.duplicates) == (2, 2)
    assert store.articles.count() == 2


def test_resume_after_interruption(store: Any, tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "notes.jsonl", 10)
    half = ingest([str(src)], store, raw=True, limit=5, batch_size=2)
    assert half.stored == 5 and store.articles.count() == 5
    rest = ingest([str(src)], store, raw=True, batch_size=2)
    assert (rest.skipped, rest.stored, rest.duplicates) == (5, 5, 0)
    assert store.articles.count() == 10


def test_changed_record_is_reingested(store: Any, tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "notes.jsonl", 3)
    ingest([str(src)], store, raw=True)
    _jsonl(src, 3, start=100)  # same records (line numbers), new content
    again = ingest([str(src)], store, raw=True)
    assert again.stored == 3 and store.articles.count() == 6


# --------------------------------------------------------------------------- bad input


def test_bad_inputs_are_reported_and_the_rest_stored(store: Any, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("A good headline\n\nThe ferry ran on time today and everyone was pleased about it.\n")
    (d / "bad_bytes.txt").write_bytes(b"Title\n\nSome text \xff\xfe\xc3\x28 broken")
    (d / "broken.html").write_bytes(b"<html><body><div><p></div></span>")
    lines = [json.dumps({"title": "ok", "text": "A perfectly fine record about the harvest festival."}),
             '{"title": "broken", "text": ',
             json.dumps({"title": "empty", "text": ""})]
    (d / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    gz = gzip.compress(html_page("Truncated", "words " * 200))
    (d / "cut.html.gz").write_bytes(gz[: len(gz) // 2])
    write_warc(d / "cut.warc.gz", [(f"https://w.example/{i}", html_page(f"W{i}", f"warc body {i} " * 40))
                                   for i in range(3)], extra_image=False)
    data = (d / "cut.warc.gz").read_bytes()
    (d / "cut.warc.gz").write_bytes(data[: int(len(data) * 0.8)])
    with open(d / "huge.txt", "wb") as f:  # 200 MB, sparse: must be refused without reading it
        f.truncate(200 * 1024 * 1024)
    (d / "empty.txt").write_bytes(b"")

    report = ingest([str(d), str(tmp_path / "missing.txt")], store, raw=True)
    why = {(Path(r["origin"]).name, r["record"]): r["reason"] for r in report.rejected}
    assert "not UTF-8" in why[("bad_bytes.txt", "0")]
    assert "empty article" in why[("broken.html", "0")]
    assert "malformed JSON" in why[("mixed.jsonl", "line=2")]
    assert "empty article" in why[("mixed.jsonl", "line=3")]
    assert "truncated" in why[("cut.html.gz", "0")]
    assert any(k[0] == "cut.warc.gz" and "truncated" in v for k, v in why.items())
    assert "cap" in why[("huge.txt", "0")]
    assert why[("empty.txt", "0")] == "empty file"
    assert "no such file" in why[("missing.txt", "0")]
    titles = {a.title for a in store.articles.list()}
    assert {"A good headline", "ok"} <= titles
    assert {"W0", "W1"} & titles  # WARC records before the cut are kept
    assert store.ingest_log.rejected()


def test_record_size_cap(store: Any, tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    big = json.dumps({"title": "big", "text": "word " * 5000})
    small = json.dumps({"title": "small", "text": "a small record about the weather today"})
    src.write_text(big + "\n" + small + "\n")
    report = ingest([str(src)], store, raw=True, options=ReadOptions(max_bytes=4096))
    assert [r["record"] for r in report.rejected] == ["line=1"] and "cap" in report.rejected[0]["reason"]
    assert [a.title for a in store.articles.list()] == ["small"]


# --------------------------------------------------------------------------- post-ingest stages


def test_process_new_called_per_batch_with_new_articles(store: Any, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import storyline.pipeline as pl

    calls: list[tuple[int, tuple[str, ...]]] = []
    monkeypatch.setattr(pl, "process_new", lambda st, arts, skip=(): calls.append((len(arts), tuple(skip))))
    src = _jsonl(tmp_path / "n.jsonl", 5)
    ingest([str(src)], store, batch_size=2, skip=["embed"])
    assert calls == [(2, ("embed",)), (2, ("embed",)), (1, ("embed",))]
    calls.clear()
    ingest([str(src)], store)  # nothing new: no stage runs
    assert calls == []
    ingest([str(_jsonl(tmp_path / "m.jsonl", 1, start=50))], store, raw=True)
    assert calls == [(1, ("enrich", "embed", "stories"))]


# --------------------------------------------------------------------------- URLs


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/go":
            self.send_response(302)
            self.send_header("Location", "/harbour.html")
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        name = {"/harbour.html": "harbour.html", "/feed": "briefs.rss"}.get(self.path)
        if name is None:
            self.send_response(404)
            self.end_headers()
            return
        body = (FIXTURES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if name.endswith("html") else "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_url_with_allow_private(store: Any, local_server: str) -> None:
    opts = ReadOptions(allow_private=True, timeout=5)
    report = ingest([f"{local_server}/go", f"{local_server}/feed", f"{local_server}/nope"], store,
                    raw=True, options=opts)
    assert report.stored == 3  # the page (after a redirect) + 2 feed entries
    assert [r["reason"] for r in report.rejected] == [f"HTTP 404 from {local_server}/nope"]
    page = [a for a in store.articles.list() if a.format == "html"][0]
    assert page.url == f"{local_server}/harbour.html" or page.canonical_url


def test_redirect_loop_is_capped(store: Any, local_server: str) -> None:
    report = ingest([f"{local_server}/loop"], store, raw=True, options=ReadOptions(allow_private=True, timeout=5))
    assert "redirects" in report.rejected[0]["reason"]


def test_loopback_refused_without_allow_private(store: Any, local_server: str) -> None:
    report = ingest([f"{local_server}/harbour.html"], store, raw=True)
    assert report.stored == 0
    assert "refusing private/loopback" in report.rejected[0]["reason"]


def test_feed_fetch_checks_linked_pages(store: Any, tmp_path: Path) -> None:
    """--fetch on a feed whose links point at a loopback host: each entry is refused, with its reason."""
    feed = (FIXTURES / "briefs.rss").read_text().replace("https://valley-gazette.example", "http://127.0.0.1:9")
    (tmp_path / "local.rss").write_text(feed)
    report = ingest([str(tmp_path / "local.rss")], store, raw=True, options=ReadOptions(fetch=True))
    assert len(report.rejected) == 2 and all("refusing" in r["reason"] for r in report.rejected)
    assert {r["record"] for r in report.rejected} == {"vg-1001", "vg-1002"}
