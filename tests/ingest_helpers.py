"""Helpers for the ingest tests: fixture paths and small generated inputs (all text is our own)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>{body}</p><p>Officials said more details would follow later in the week, and residents were "
    "asked to check the town website for updates on the work.</p></article></body></html>"
)


def html_page(title: str, body: str) -> bytes:
    return PAGE.format(title=title, body=body).encode("utf-8")


def write_warc(path: Path, pages: list[tuple[str, bytes]], extra_image: bool = True) -> None:
    """A (gzipped if the name ends in .gz) WARC with one HTML response record per page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=path.name.endswith(".gz"))
        for url, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
            if extra_image:
                img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url + "logo.png", "response",
                                                              payload=io.BytesIO(b"\x89PNG...."),
                                                              http_headers=img))


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)
