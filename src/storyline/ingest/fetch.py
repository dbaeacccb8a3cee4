"""Safe HTTP fetching (httpx): timeouts, a size cap, capped redirects, and no private targets.

Every hop's host is resolved and refused if any address is private, loopback, link-local, reserved,
multicast or unspecified, unless `allow_private=True` (tests, intranets). Redirects are followed by
hand so each hop is checked. The connection is pinned to the address that was checked (the request goes
to that IP, with the original Host header and, for https, the original name for SNI and certificate
checks), so a DNS answer that changes between the check and the connect (DNS rebinding) is not used.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from storyline import __version__

MAX_REDIRECTS = 5
USER_AGENT = f"storyline/{__version__} (+https://github.com/storyline)"


class FetchError(Exception):
    """A URL that could not or must not be fetched; the message says why."""


@dataclass
class Fetched:
    url: str  # final URL after redirects
    status: int
    content_type: str
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)  # response headers, lower-case names


def is_blocked(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A non-public address: private, loopback, link-local, reserved, multicast or unspecified."""
    return bool(addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved
                or addr.is_multicast or addr.is_unspecified)


def check_target(url: str, allow_private: bool = False) -> str | None:
    """Raise FetchError unless `url` is http(s) and its host resolves only to public addresses; return the
    vetted address to connect to (None with `allow_private`, when nothing is resolved here)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {parts.hostname}: {exc}") from None
    addrs = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addrs:
        raise FetchError(f"cannot resolve {parts.hostname}: no address")
    for addr in addrs:
        if is_blocked(addr):
            raise FetchError(
                f"refusing private/loopback address {addr} for {parts.hostname} (use --allow-private)"
            )
    return str(addrs[0])


def pinned(url: str, ip: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
    """(request URL, extra headers, httpx request extensions) that connect to the vetted `ip` while the
    server still sees the original host name (Host header; SNI and certificate name for https)."""
    if ip is None:
        return url, {}, {}
    parts = urlsplit(url)
    host = f"[{ip}]" if ":" in ip else ip
    netloc = f"{host}:{parts.port}" if parts.port else host
    host_header = parts.netloc.rsplit("@", 1)[-1]  # no credentials in the Host header
    target = parts._replace(netloc=netloc).geturl()
    ext = {"sni_hostname": parts.hostname} if parts.scheme == "https" and parts.hostname else {}
    return target, {"Host": host_header}, ext


def fetch(
    url: str,
    max_bytes: int,
    timeout: float = 15.0,
    allow_private: bool = False,
    client: httpx.Client | None = None,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET `url` safely; raises FetchError with the reason on any failure."""
    own = client is None
    client = client or httpx.Client(
        timeout=httpx.Timeout(timeout), follow_redirects=False, headers={"User-Agent": USER_AGENT}
    )
    try:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            target, pin_headers, ext = pinned(current, check_target(current, allow_private))
            try:
                with client.stream("GET", target, headers={**(headers or {}), **pin_headers},
                                   extensions=ext) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise FetchError(f"redirect without Location from {current}")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code == 304:  # conditional GET: not modified
                        return Fetched(current, 304, resp.headers.get("content-type", ""), b"",
                                       {k.lower(): v for k, v in resp.headers.items()})
                    if resp.status_code >= 400:
                        raise FetchError(f"HTTP {resp.status_code} from {current}")
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"response of {declared} bytes is over the {max_bytes} byte cap")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(f"response is over the {max_bytes} byte cap")
                        chunks.append(chunk)
                    return Fetched(current, resp.status_code,
                                   resp.headers.get("content-type", ""), b"".join(chunks),
                                   {k.lower(): v for k, v in resp.headers.items()})
            except httpx.HTTPError as exc:
                raise FetchError(f"{type(exc).__name__} fetching {current}: {exc}") from None
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")
    finally:
        if own:
            client.close()
