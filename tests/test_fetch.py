"""Fetch pinning against DNS rebinding: the connection goes to the address that was checked."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from storyline.ingest import fetch as fetch_mod
from storyline.ingest.fetch import FetchError, fetch, pinned

SEEN_HOSTS: list[str] = []


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        SEEN_HOSTS.append(self.headers.get("Host", ""))
        if self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", "http://evil.test/inside")
            self.end_headers()
            return
        body = b"<html><body><p>Harbour news of the day.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def server_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture()
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A resolver whose answer for news.test changes after the first lookup (127.0.0.1, the test server,
    then 127.0.0.2, where nothing listens), and a policy in which only 127.0.0.1 counts as public."""
    lookups: list[str] = []
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in ("news.test", "evil.test"):
            lookups.append(host)
            ip = "127.0.0.1" if host == "news.test" and lookups.count(host) == 1 else "127.0.0.2"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    monkeypatch.setattr(fetch_mod, "is_blocked", lambda addr: addr != ipaddress.ip_address("127.0.0.1"))
    return lookups


def test_connection_pinned_to_checked_address(rebinding_dns: list[str], server_port: int) -> None:
    SEEN_HOSTS.clear()
    got = fetch(f"http://news.test:{server_port}/page", max_bytes=10_000, timeout=5)
    assert got.status == 200 and b"Harbour news" in got.content
    assert got.url == f"http://news.test:{server_port}/page"
    assert [f"news.test:{server_port}"] == SEEN_HOSTS  # the server saw the original host name
    assert rebinding_dns == ["news.test"]  # resolved once: httpx did not look the name up again


def test_unpinned_client_would_follow_the_rebound_answer(rebinding_dns: list[str], server_port: int) -> None:
    import httpx

    fetch_mod.check_target(f"http://news.test:{server_port}/page")  # first answer: vetted
    with pytest.raises(httpx.ConnectError):  # a plain second lookup lands on the other address
        httpx.get(f"http://news.test:{server_port}/page", timeout=2)


def test_redirect_hop_is_checked_again(rebinding_dns: list[str], server_port: int) -> None:
    with pytest.raises(FetchError, match="refusing private/loopback address 127.0.0.2 for evil.test"):
        fetch(f"http://news.test:{server_port}/hop", max_bytes=10_000, timeout=5)


def test_pinned_urls() -> None:
    assert pinned("http://a.example/x?y=1", None) == ("http://a.example/x?y=1", {}, {})
    url, headers, ext = pinned("https://user:pw@a.example:8443/x", "203.0.113.5")
    assert url == "https://203.0.113.5:8443/x" and headers == {"Host": "a.example:8443"}
    assert ext == {"sni_hostname": "a.example"}
    url, headers, _ = pinned("http://a.example/x", "2001:db8::1")
    assert url == "http://[2001:db8::1]/x" and headers == {"Host": "a.example"}
