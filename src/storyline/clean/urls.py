"""Canonical URLs: one spelling per page, so the same article fetched twice is stored once.

`canonical_url(url)` lowercases scheme and host, drops default ports, fragments and tracking
parameters (utm_*, fbclid, gclid, ...), and sorts the remaining query parameters (courlan does most
of this; we add a few trackers and refuse non-web schemes). `host_of(url)` gives the outlet host.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

# Query parameters that identify a campaign or a click, never the page.
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|"
    r"ref|ref_src|ref_url|referrer|cmpid|ocid|spm|smid|smtyp|share|sharetype|at_medium|at_campaign|"
    r"__twitter_impression|ito|icid|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|xtor)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str | None) -> str | None:
    """Normalised http(s) URL, or None when `url` is empty or not a web URL."""
    if not url:
        return None
    url = url.strip()
    if len(url) > 4096:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname.lower().rstrip(".")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    rebuilt = urlunsplit((scheme, netloc, parts.path or "/", urlencode(sorted(query)), ""))
    try:
        normal = normalize_url(rebuilt)
    except (ValueError, AttributeError):
        normal = rebuilt
    return normal.split("#", 1)[0]


def host_of(url: str | None) -> str | None:
    """Host name without a leading `www.` (the fallback outlet name), or None."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host
