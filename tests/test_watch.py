"""`storyline watch`: polite, incremental, restart-safe polling of a feed served on 127.0.0.1."""

from __future__ import annotations

import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.scale.watch import Watcher, read_opml

ITEM = """<item><title>{title}</title><link>https://news.example.org/{n}</link><guid>urn:feed:{n}</guid>
<pubDate>Tue, 0{n} Mar 2021 10:00:00 GMT</pubDate>
<description>{body}</description></item>"""

BODIES = [
    "The harbour authority said the container ship was refloated at dawn after six days aground. "
    "Tugs and dredgers worked through the night, and traffic resumed in both directions by noon.",
    "Insurers began assessing claims from shippers whose cargo sat idle while the canal was blocked. "
    "Analysts said the delay would ripple through supply chains for weeks.",
    "The canal authority announced plans to widen the southern section where the vessel ran aground, "
    "a project it said would take two years to finish.",
]


class FeedServer:
    """A feed that grows over time; honours If-None-Match; counts requests; serves robots.txt."""

    def __init__(self) -> None:
        self.items = 1
        self.requests: list[tuple[str, str | None]] = []
        self.disallow = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                outer.requests.append((self.path, self.headers.get("If-None-Match")))
                if self.path == "/robots.txt":
                    body = b"User-agent: *\nDisallow: /private\n" + (b"Disallow: /feed\n" if outer.disallow else b"")
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(body)
                    return
                etag = f'"v{outer.items}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                items = "".join(ITEM.format(n=i + 1, title=f"Canal update {i + 1}", body=BODIES[i])
                                for i in range(outer.items))
                xml = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Wire</title>'
                       f"<link>https://news.example.org/</link><description>d</description>{items}"
                       "</channel></rss>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", formatdate(usegmt=True))
                self.end_headers()
                self.wfile.write(xml)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()


SKIP = ("enrich", "embed", "stories")


def test_incremental_conditional_and_restart_safe(store) -> None:
    with FeedServer() as srv:
        w = Watcher(store, [srv.url], interval=60, allow_private=True, skip=SKIP)
        rep = w.poll_once(force=True)
        assert (rep.stored, rep.rejected) == (1, [])
        # nothing changed: a conditional GET answered 304, nothing read
        rep = w.poll_once(force=True)
        assert rep.read == 0 and srv.requests[-1] == ("/feed", '"v1"')
        # the feed grows: only the new entries are stored
        srv.items = 3
        rep = w.poll_once(force=True)
        assert rep.stored == 2 and rep.skipped == 1
        # a restarted watcher (new object, same store) neither re-ingests nor loses anything
        srv.items = 3
        w2 = Watcher(store, [srv.url], interval=60, allow_private=True, skip=SKIP)
        assert w2.state(srv.url).etag == '"v3"'
        assert w2.poll_once(force=True).stored == 0
        assert store.articles.count() == 3
        titles = sorted(a.title for a in store.articles.list())
        assert titles == ["Canal update 1", "Canal update 2", "Canal update 3"]


def test_robots_backoff_and_schedule(store) -> None:
    now = [1000.0]
    with FeedServer() as srv:
        srv.disallow = True
        w = Watcher(store, [srv.url], interval=60, allow_private=True, skip=SKIP, clock=lambda: now[0])
        assert w.poll_once().stored == 0
        assert w.state(srv.url).last_status == "disallowed by robots.txt"
        assert not any(p == "/feed" for p, _ in srv.requests)
        # not due again until the interval has passed
        assert w.due() == []
        now[0] += 61
        assert w.due() == [srv.url]
    # server gone: errors back off exponentially and are reported, not raised
    w = Watcher(store, ["http://127.0.0.1:9/feed"], interval=60, allow_private=True, skip=SKIP,
                clock=lambda: now[0])
    rep = w.poll_once()
    st = w.state("http://127.0.0.1:9/feed")
    assert rep.rejected and st.failures == 1 and st.next_due == now[0] + 120


def test_loopback_refused_without_allow_private(store) -> None:
    with FeedServer() as srv:
        w = Watcher(store, [srv.url], interval=60, skip=SKIP)
        rep = w.poll_once(force=True)
        assert rep.stored == 0 and "private" in rep.rejected[0]["reason"]


def test_directory_polling_and_opml(store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.jsonl").write_text(
        '{"id": "a1", "title": "Canal reopens", "text": "' + BODIES[0] + '", "published": "2021-03-29"}\n'
    )
    w = Watcher(store, [str(inbox)], interval=60, skip=SKIP)
    assert w.poll_once(force=True).stored == 1
    assert w.poll_once(force=True).read == 0  # unchanged file is not even re-read
    (inbox / "b.jsonl").write_text(
        '{"id": "b1", "title": "Claims follow", "text": "' + BODIES[1] + '", "published": "2021-03-30"}\n'
    )
    assert w.poll_once(force=True).stored == 1
    opml = tmp_path / "feeds.opml"
    opml.write_text('<opml version="2.0"><body><outline text="x" xmlUrl="https://a.example/rss"/>'
                    '<outline text="g"><outline xmlUrl="https://b.example/atom"/></outline></body></opml>')
    assert read_opml(opml) == ["https://a.example/rss", "https://b.example/atom"]


@pytest.mark.parametrize("bad", ["/nonexistent/dir/for/watch"])
def test_bad_source_reported(store, bad: str) -> None:
    rep = Watcher(store, [bad], interval=60, skip=SKIP).poll_once(force=True)
    assert "not a directory" in rep.rejected[0]["reason"]
