"""HTML extraction: own-words pages, metadata, broken and hostile input."""

from __future__ import annotations

from storyline.clean.html import MAX_HTML_BYTES, ExtractedPage, extract_html

BODY = " ".join(
    f"<p>Paragraph {i}: the regional water board said on Thursday that the reservoir had reached its "
    f"highest level in a decade after weeks of steady rain, and that no restrictions were planned.</p>"
    for i in range(6)
)
PAGE = f"""<!doctype html><html lang="en"><head>
<title>Reservoir reaches decade high | Valley Courier</title>
<meta property="og:title" content="Reservoir reaches decade high">
<meta property="og:site_name" content="Valley Courier">
<meta name="author" content="Dana Reyes">
<meta property="article:published_time" content="2024-03-14T09:30:00Z">
<link rel="canonical" href="https://valley.example/news/reservoir-high">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li><li>Subscribe now</li></ul></nav>
<article><h1>Reservoir reaches decade high</h1>{BODY}
<script>alert('x')</script></article>
<footer>Copyright Valley Courier. All rights reserved. Privacy policy. Cookie settings.</footer>
</body></html>"""


def test_extracts_body_and_metadata() -> None:
    page = extract_html(PAGE, url="https://valley.example/news/reservoir-high")
    assert "highest level in a decade" in page.text
    assert "Paragraph 5" in page.text
    assert "Cookie settings" not in page.text and "Subscribe now" not in page.text
    assert "alert(" not in page.text
    assert page.title == "Reservoir reaches decade high"
    assert page.published and page.published.startswith("2024-03-14")
    assert page.sitename == "Valley Courier"
    assert page.authors == ["Dana Reyes"]
    assert page.canonical_url == "https://valley.example/news/reservoir-high"


def test_bytes_input() -> None:
    page = extract_html(PAGE.encode("utf-8"))
    assert "reservoir" in page.text


def test_broken_input_never_raises() -> None:
    for bad in ["", "<html><body><p>unclosed <div><span>", "\x00\x01\x02 binary", "<<<>>>", b"\xff\xfe\xfa",
                "<html>" + "<div>" * 5000 + "deep" + "</div>" * 10]:
        page = extract_html(bad)
        assert isinstance(page, ExtractedPage)
        assert isinstance(page.text, str)
    assert extract_html("").error


def test_input_is_capped() -> None:
    huge = PAGE.replace("</article>", "<p>" + "filler text " * (MAX_HTML_BYTES // 10) + "</p></article>")
    page = extract_html(huge)
    assert len(page.text) <= MAX_HTML_BYTES
