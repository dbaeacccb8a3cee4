"""Build the sample corpus in every input format from one source of truth.

    python examples/build.py            # regenerate examples/corpus/*, examples/mapped/*, gold.json
    python examples/build.py --out DIR  # write elsewhere (tests compare that with the committed files)
    python examples/build.py --check    # exit 1 if the committed files differ from a fresh build

Sources: `examples/source/outlets.yaml` (fictional outlets and their page furniture),
`examples/source/stories.yaml` (stories and events), `examples/source/articles/*.yaml` (articles).
The build is deterministic: no clocks, no randomness, fixed WARC record ids and dates, gzip mtime 0.
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import hashlib
import html
import io
import json
import re
import sys
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
FORMATS = ("text", "html", "html.gz", "jsonl", "jsonl-alt", "rss", "atom", "warc")
CORPUS = "corpus"  # everything `storyline ingest examples/corpus` reads without options
OUTPUT_DIRS = ("corpus/text", "corpus/html", "corpus/jsonl", "corpus/feeds", "corpus/warc", "mapped")
JSONL_DEFAULT = "corpus/jsonl/newsdesk-aggregator.jsonl"
JSONL_ALT = "mapped/partner-export.jsonl"  # needs --map: kept out of corpus/
WARC_FILE = "corpus/warc/crawl-2025-01.warc.gz"
CRAWL_START = datetime(2025, 1, 14, 9, 30, 0, tzinfo=UTC)
UUID_NS = uuid.UUID("6f1c2d8e-5b7a-4e21-9c3d-0a1b2c3d4e5f")

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"],
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "ko": ["월", "화", "수", "목", "금", "토", "일"],
}
PUBLISHED_LABEL = {"en": "Published", "fr": "Publié le", "de": "Veröffentlicht am", "ru": "Опубликовано",
                   "ko": "입력"}
UPDATED_LABEL = {"en": "Updated", "fr": "Mis à jour le", "de": "Aktualisiert", "ru": "Обновлено",
                 "ko": "수정"}


class SourceError(ValueError):
    """A source record is malformed; the message names the file and record."""


@dataclass
class Outlet:
    key: str
    name: str
    domain: str
    lang: str
    style: str
    html_date: str
    sections: list[str]
    blurb: str
    subscribe: str
    read_more: str
    related: str
    newsfeed: str
    comments: list[str]
    photo: str
    cookie: str
    footer: str
    foreign: str
    byline_prefix: str = ""
    windows_dumps: bool = False  # text dumps saved with a UTF-8 BOM and CRLF line ends


@dataclass
class Article:
    id: str
    story: str
    event: str
    lang: str
    outlet: Outlet
    url: str
    published: datetime
    title: str
    authors: list[str]
    paragraphs: list[str]
    formats: list[str]
    section: str = ""
    caption: str = ""
    place: str = ""
    tags: list[str] = field(default_factory=list)
    near_duplicate_of: str | None = None
    event_date: date | None = None  # day of the event (photos in captions were taken then)
    origin: str = ""  # source file, for error messages

    @property
    def doc_id(self) -> str:
        """Opaque identifier used in JSONL and feeds (does not reveal the gold labels)."""
        return hashlib.sha1(self.url.encode()).hexdigest()[:16]

    @property
    def slug(self) -> str:
        path, _, query = self.url.partition("?")
        last = path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]
        values = [kv.partition("=")[2] for kv in query.split("&") if kv]
        return "-".join([last, *values])


# --------------------------------------------------------------------------- loading

def load_outlets(path: Path = SOURCE / "outlets.yaml") -> dict[str, Outlet]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    outlets = {}
    for key, rec in data.items():
        try:
            outlets[key] = Outlet(key=key, **rec)
        except TypeError as exc:
            raise SourceError(f"{path}: outlet {key!r}: {exc}") from exc
    return outlets


def load_stories(path: Path = SOURCE / "stories.yaml") -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, story in data.items():
        for ev_key, ev in story["events"].items():
            if not ev_key.startswith(key + "-"):
                raise SourceError(f"{path}: event {ev_key!r} does not belong to story {key!r}")
            ev["date"] = str(ev["date"])
    return data


def load_articles(outlets: dict[str, Outlet], stories: dict[str, dict[str, Any]],
                  folder: Path = SOURCE / "articles") -> list[Article]:
    articles: list[Article] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        for i, rec in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            where = f"{path.name} record {i} ({rec.get('id', '?')})"
            art = _article(rec, outlets, stories, where)
            if art.id in seen:
                raise SourceError(f"{where}: duplicate id")
            seen.add(art.id)
            articles.append(art)
    ids = {a.id for a in articles}
    for a in articles:
        if a.near_duplicate_of and a.near_duplicate_of not in ids:
            raise SourceError(f"{a.origin}: near_duplicate_of {a.near_duplicate_of!r} is unknown")
    urls = [a.url for a in articles]
    if len(set(urls)) != len(urls):
        raise SourceError("two articles share a URL")
    return sorted(articles, key=lambda a: (a.published, a.id))


def _article(rec: dict[str, Any], outlets: dict[str, Outlet], stories: dict[str, dict[str, Any]],
             where: str) -> Article:
    required = ("id", "story", "event", "lang", "outlet", "url", "published", "title", "paragraphs", "formats")
    missing = [k for k in required if not rec.get(k)]
    if missing:
        raise SourceError(f"{where}: missing {', '.join(missing)}")
    if rec["outlet"] not in outlets:
        raise SourceError(f"{where}: unknown outlet {rec['outlet']!r}")
    outlet = outlets[rec["outlet"]]
    if rec["lang"] != outlet.lang:
        raise SourceError(f"{where}: lang {rec['lang']} differs from outlet language {outlet.lang}")
    if rec["story"] not in stories or rec["event"] not in stories[rec["story"]]["events"]:
        raise SourceError(f"{where}: unknown story/event {rec['story']}/{rec['event']}")
    bad = [f for f in rec["formats"] if f not in FORMATS]
    if bad:
        raise SourceError(f"{where}: unknown format(s) {bad}")
    published = datetime.fromisoformat(str(rec["published"]))
    if published.tzinfo is None:
        raise SourceError(f"{where}: published needs a UTC offset")
    if not rec["url"].startswith("https://" + outlet.domain + "/"):
        raise SourceError(f"{where}: url is not on {outlet.domain}")
    return Article(
        id=rec["id"], story=rec["story"], event=rec["event"], lang=rec["lang"], outlet=outlet,
        url=rec["url"], published=published, title=rec["title"].strip(),
        authors=list(rec.get("authors") or []),
        paragraphs=[" ".join(p.split()) for p in rec["paragraphs"]], formats=list(rec["formats"]),
        section=rec.get("section") or outlet.sections[1], caption=(rec.get("caption") or "").strip(),
        place=rec.get("place") or "", tags=list(rec.get("tags") or []),
        near_duplicate_of=rec.get("near_duplicate_of"), origin=where,
        event_date=date.fromisoformat(str(stories[rec["story"]]["events"][rec["event"]]["date"])),
    )


# --------------------------------------------------------------------------- dates

def local_date(dt: date, lang: str, weekday: bool = False) -> str:
    """A date as the outlet's language writes it in running text."""
    d, m, y = dt.day, dt.month, dt.year
    if lang == "en":
        s = f"{MONTHS['en'][m - 1]} {d}, {y}"
        return f"{WEEKDAYS['en'][dt.weekday()]}, {s}" if weekday else s
    if lang == "fr":
        s = f"{d} {MONTHS['fr'][m - 1]} {y}"
        return f"{WEEKDAYS['fr'][dt.weekday()]} {s}" if weekday else s
    if lang == "de":
        s = f"{d}. {MONTHS['de'][m - 1]} {y}"
        return f"{WEEKDAYS['de'][dt.weekday()]}, {s}" if weekday else s
    if lang == "ru":
        return f"{d} {MONTHS['ru'][m - 1]} {y} года"
    if lang == "ko":
        s = f"{y}년 {m}월 {d}일"
        return f"{s}({WEEKDAYS['ko'][dt.weekday()]})" if weekday else s
    raise SourceError(f"no date format for language {lang!r}")


def numeric_stamp(dt: datetime, lang: str) -> str:
    """A short date-time stamp of the kind shown under headlines."""
    if lang == "en":
        return dt.strftime("%d %b %Y, %H:%M")
    if lang == "ko":
        return dt.strftime("%Y.%m.%d %H:%M")
    return dt.strftime("%d.%m.%Y %H:%M")


# --------------------------------------------------------------------------- helpers

def _stable(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)


def teasers(art: Article, corpus: list[Article], n: int) -> list[Article]:
    """Other articles an outlet would advertise beside this one.

    Same language; older ones first, then the outlet's own, then other stories (the usual traps).
    """
    pool = [a for a in corpus if a.lang == art.lang and a.id != art.id]
    pool.sort(key=lambda a: (a.published > art.published, a.outlet.key != art.outlet.key,
                             a.story == art.story, _stable(art.id + a.id)))
    return pool[:n]


def byline(art: Article) -> str:
    names = ", ".join(art.authors)
    if not names:
        return ""
    return f"{art.outlet.byline_prefix} {names}".strip()


def paragraph_html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


# --------------------------------------------------------------------------- plain-text page dumps

def render_text(art: Article, corpus: list[Article]) -> str:
    """A page as a scraper's 'copy all text' would capture it, furniture included."""
    style = {"portal": _text_portal, "broadcast": _text_broadcast, "minimal": _text_minimal}
    return style[art.outlet.style](art, corpus).rstrip() + "\n"


def _caption(art: Article) -> str:
    """The photo caption, dated with the day the photo was taken (the event) unless it names a year."""
    if re.search(r"\b(19|20)\d\d\b", art.caption):
        return art.caption
    when = local_date(art.event_date or art.published, art.lang, weekday=True)
    return f"{art.caption}, {when}" if art.lang != "ko" else f"{art.caption} ({when})"


def _text_portal(art: Article, corpus: list[Article]) -> str:
    o = art.outlet
    t = teasers(art, corpus, 3)
    lines = [f"- {o.name}", art.section, o.blurb, "", art.title, ""]
    if art.caption:
        cap = _caption(art)
        lines += [f"{o.photo} / {art.place or o.name}{cap}", f"{cap} - {o.name}", o.subscribe]
    else:
        lines += [f"{PUBLISHED_LABEL[art.lang]} {numeric_stamp(art.published, art.lang)}", o.subscribe]
    paras = list(art.paragraphs)
    for i, p in enumerate(paras):
        lines += [p, ""]
        if i == 1 and t:
            lines += [f"{o.read_more} {t[0].title}", ""]
        if i == 2 and len(t) > 1:
            lines += [f"{t[1].caption or t[1].title} - {o.name}", t[1].section, t[1].title, ""]
    if len(paras) <= 2 and len(t) > 1:
        lines += [f"{o.read_more} {t[1].title}", ""]
    if art.tags:
        lines += [" ".join("#" + x for x in art.tags), ""]
    lines += [o.newsfeed, *o.comments, o.foreign]
    if len(t) > 2:
        lines += [t[2].title]
    return "\n".join(lines)


def _text_broadcast(art: Article, corpus: list[Article]) -> str:
    o = art.outlet
    t = teasers(art, corpus, 2)
    lines = ["", art.title, "", f"{art.title} {o.foreign}", ""]
    lines += [f"{PUBLISHED_LABEL[art.lang]} {numeric_stamp(art.published, art.lang)}", ""]
    lines += list(art.paragraphs)
    if art.authors and o.name not in art.paragraphs[-1]:
        lines += [f"{', '.join(art.authors)}, {o.name}."]
    lines += [""]
    if art.tags:
        lines += [" ".join("#" + x for x in art.tags), ""]
    lines += [f"{o.name} Facebook:", "", o.read_more]
    lines += [f"· {a.title}" for a in t]
    lines += ["", *o.comments]
    return "\n".join(lines)


def _text_minimal(art: Article, corpus: list[Article]) -> str:
    o = art.outlet
    t = teasers(art, corpus, 3)
    lines = [" | ".join(o.sections), o.subscribe, "", art.section.upper(), art.title]
    if art.authors:
        lines += [byline(art)]
    lines += [f"{local_date(art.published, art.lang)} {art.published:%H:%M}", "",
              "Share: Facebook  X  WhatsApp  Email", ""]
    if art.caption:
        lines += [f"{art.caption} ({o.photo})", ""]
    for i, p in enumerate(art.paragraphs):
        lines += [p, ""]
        if i == 0 and t:
            lines += [f"{o.read_more} {t[0].title}", ""]
    lines += [o.related]
    lines += [f"{n}. {a.title}" for n, a in enumerate(t[1:], 1)]
    lines += ["", o.newsfeed, *o.comments, "", o.footer]
    return "\n".join(lines)


# --------------------------------------------------------------------------- HTML pages

def render_html(art: Article, corpus: list[Article]) -> str:
    """A full article page with head metadata, navigation, banner, sidebar and comments."""
    o = art.outlet
    esc = html.escape
    iso = art.published.isoformat()
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(art.title)} | {esc(o.name)}</title>",
        f'<meta name="description" content="{esc(art.paragraphs[0][:180])}">',
        f'<meta property="og:title" content="{esc(art.title)}">',
        f'<meta property="og:site_name" content="{esc(o.name)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{esc(art.url)}">',
        f'<link rel="canonical" href="{esc(art.url)}">',
        f'<link rel="alternate" type="application/rss+xml" href="https://{o.domain}/rss.xml">',
    ]
    if o.html_date == "meta":
        head.append(f'<meta property="article:published_time" content="{iso}">')
        head.append(f'<meta property="article:section" content="{esc(art.section)}">')
    if o.html_date == "jsonld":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
              "datePublished": iso, "inLanguage": art.lang,
              "author": [{"@type": "Person", "name": n} for n in art.authors],
              "publisher": {"@type": "Organization", "name": o.name}}
        head.append('<script type="application/ld+json">'
                    + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/") + "</script>")
    head.append('<link rel="stylesheet" href="/static/site.css">')
    head.append("<script>window.dataLayer = window.dataLayer || []; "
                "dataLayer.push({'event': 'pageview', 'section': 'news'});</script>")

    nav = "".join(f'<li><a href="/{esc(s.lower())}/">{esc(s)}</a></li>' for s in o.sections)
    t = [a for a in teasers(art, corpus, 12) if a.outlet.key == o.key][:4]  # links stay on the site
    when_text = f"{PUBLISHED_LABEL[art.lang]} {local_date(art.published, art.lang)}, {art.published:%H:%M}"
    if o.html_date in ("meta", "time"):
        when = f'<time datetime="{iso}" class="published">{esc(when_text)}</time>'
    else:
        when = f'<span class="date">{esc(when_text)}</span>' if o.html_date == "text" else ""
    body: list[str] = [f"<h1>{esc(art.title)}</h1>",
                       f"<script>window.articleMeta = {{id: '{art.doc_id}', paywall: false}};</script>",
                       '<div class="meta">']
    if art.authors:
        body.append(f'<span class="byline">{esc(byline(art))}</span>')
    body += [when, "</div>"]
    if art.caption:
        body.append(f'<figure><img src="/media/{art.doc_id}.jpg" alt="{esc(art.caption)}">'
                    f"<figcaption>{esc(art.caption)} <span class=\"credit\">{esc(o.photo)}</span>"
                    "</figcaption></figure>")
    for i, p in enumerate(art.paragraphs):
        body.append(paragraph_html(p))
        if i == 1 and t:
            body.append(f'<aside class="inline-teaser"><strong>{esc(o.read_more)}</strong> '
                        f'<a href="{esc(t[0].url)}">{esc(t[0].title)}</a></aside>')
    if art.tags:
        body.append('<ul class="tags">' + "".join(f'<li><a href="/tag/{esc(x)}">#{esc(x)}</a></li>'
                                                   for x in art.tags) + "</ul>")
    body.append(f'<div class="share"><button>Facebook</button><button>X</button>'
                f"<button>{esc(o.subscribe)}</button></div>")
    related = "".join(f'<li><a href="{esc(a.url)}">{esc(a.title)}</a></li>' for a in t[1:])
    comments = "".join(f"<p>{esc(c)}</p>" for c in o.comments)
    page = f"""<!DOCTYPE html>
<html lang="{art.lang}">
<head>
{chr(10).join(head)}
</head>
<body class="article-page">
<div id="cookie-banner" class="consent"><p>{esc(o.cookie)}</p><button>OK</button></div>
<header class="site-header">
<a class="logo" href="https://{o.domain}/">{esc(o.name)}</a>
<p class="tagline">{esc(o.blurb)}</p>
<nav class="main-nav"><ul>{nav}</ul></nav>
<a class="subscribe" href="/subscribe">{esc(o.subscribe)}</a>
</header>
<main>
<div class="breadcrumbs"><a href="/">{esc(o.sections[0])}</a> › <a href="/{esc(art.section.lower())}/">{esc(art.section)}</a></div>
<article class="story">
{chr(10).join(body)}
</article>
<aside class="sidebar"><h2>{esc(o.related)}</h2><ol>{related}</ol>
<div class="newsletter"><h3>{esc(o.newsfeed)}</h3><form><input type="email" placeholder="email"><button>{esc(o.subscribe)}</button></form></div>
</aside>
<section id="comments" class="comments"><h2>{esc(o.comments[0])}</h2>{comments}<form><textarea></textarea></form></section>
</main>
<footer class="site-footer"><p>{esc(o.footer)}</p><p class="language-switch">{esc(o.foreign)}</p></footer>
<script src="/static/app.js" defer></script>
</body>
</html>
"""
    return page


# --------------------------------------------------------------------------- JSONL

def jsonl_default(art: Article) -> dict[str, Any]:
    return {"id": art.doc_id, "url": art.url, "title": art.title, "text": "\n\n".join(art.paragraphs),
            "published": art.published.isoformat(), "source": art.outlet.name, "lang": art.lang,
            "authors": art.authors}


def jsonl_alt(art: Article) -> dict[str, Any]:
    """A partner export with its own field names (demonstrates `--map`)."""
    return {"guid": art.doc_id, "permalink": art.url, "heading": art.title,
            "story_body": "\n\n".join(art.paragraphs),
            "first_released": art.published.strftime("%Y-%m-%d %H:%M:%S%z"), "writers": art.authors,
            "meta": {"publication": art.outlet.name, "locale": art.lang, "desk": art.section}}


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")


# --------------------------------------------------------------------------- feeds

def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_rss(outlet: Outlet, items: list[Article]) -> str:
    esc = html.escape
    last = max(a.published for a in items)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
           "<channel>",
           f"<title>{esc(outlet.name)}</title>",
           f"<link>https://{outlet.domain}/</link>",
           f'<atom:link href="https://{outlet.domain}/rss.xml" rel="self" type="application/rss+xml"/>',
           f"<description>{esc(outlet.blurb)}</description>",
           f"<language>{outlet.lang}</language>",
           f"<lastBuildDate>{format_datetime(last)}</lastBuildDate>",
           "<generator>Storyline sample corpus</generator>"]
    for a in sorted(items, key=lambda x: x.published, reverse=True):
        content = "\n".join(paragraph_html(p) for p in a.paragraphs)
        out += ["<item>",
                f"<title>{esc(a.title)}</title>",
                f"<link>{esc(a.url)}</link>",
                f'<guid isPermaLink="false">{a.doc_id}</guid>',
                f"<pubDate>{format_datetime(a.published)}</pubDate>"]
        if a.authors:
            out.append(f"<author>newsdesk@{outlet.domain} ({esc(', '.join(a.authors))})</author>")
            out += [f"<dc:creator>{esc(n)}</dc:creator>" for n in a.authors]
        out += [f"<category>{esc(a.section)}</category>",
                f"<description>{esc(a.paragraphs[0])}</description>",
                f"<content:encoded>{_cdata(content)}</content:encoded>",
                "</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def render_atom(outlet: Outlet, items: list[Article]) -> str:
    esc = html.escape
    last = max(a.published for a in items)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">',
           f"<id>tag:{outlet.domain},2015:feed</id>",
           f"<title>{esc(outlet.name)}</title>",
           f"<subtitle>{esc(outlet.blurb)}</subtitle>",
           f'<link rel="alternate" type="text/html" href="https://{outlet.domain}/"/>',
           f'<link rel="self" type="application/atom+xml" href="https://{outlet.domain}/atom.xml"/>',
           f"<updated>{last.isoformat()}</updated>"]
    for a in sorted(items, key=lambda x: x.published, reverse=True):
        content = "\n".join(paragraph_html(p) for p in a.paragraphs)
        out += ["<entry>",
                f"<id>tag:{outlet.domain},{a.published:%Y-%m-%d}:{a.doc_id}</id>",
                f"<title>{esc(a.title)}</title>",
                f'<link rel="alternate" type="text/html" href="{esc(a.url)}"/>',
                f"<published>{a.published.isoformat()}</published>",
                f"<updated>{a.published.isoformat()}</updated>"]
        out += [f"<author><name>{esc(n)}</name></author>" for n in a.authors]
        out += [f'<category term="{esc(a.section)}"/>',
                f"<summary>{esc(a.paragraphs[0])}</summary>",
                f'<content type="html">{esc(content)}</content>',
                "</entry>"]
    out += ["</feed>", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- WARC

def render_warc(articles: list[Article], corpus: list[Article]) -> bytes:
    """A crawl of the articles' pages: warcinfo, then request/response pairs, plus non-article noise."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    clock = [CRAWL_START]

    def record(uri: str, rtype: str, payload: bytes, http: StatusAndHeaders | None = None,
               content_type: str | None = None, extra: dict[str, str] | None = None) -> None:
        stamp = clock[0].strftime("%Y-%m-%dT%H:%M:%SZ")
        clock[0] += timedelta(seconds=7)
        headers = {"WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(UUID_NS, rtype + ' ' + uri)}>",
                   "WARC-Date": stamp, **(extra or {})}
        rec = writer.create_warc_record(uri, rtype, payload=io.BytesIO(payload), http_headers=http,
                                        warc_headers_dict=headers, warc_content_type=content_type)
        writer.write_record(rec)

    info = (b"software: storyline examples/build.py\r\nformat: WARC File Format 1.1\r\n"
            b"description: Sample crawl of fictional news pages for the Storyline demo corpus\r\n"
            b"isPartOf: storyline-sample-corpus\r\n")
    record(WARC_FILE.rsplit("/", 1)[-1], "warcinfo", info, content_type="application/warc-fields")

    robots = b"User-agent: *\nDisallow: /account/\n"
    first = articles[0]
    robots_uri = f"https://{first.outlet.domain}/robots.txt"
    record(robots_uri, "response", robots,
           StatusAndHeaders("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(robots)))],
                            protocol="HTTP/1.1"))
    for art in articles:
        stamp = clock[0]
        http_date = format_datetime(stamp, usegmt=True)
        req = StatusAndHeaders(f"GET /{art.url.split('/', 3)[3]} HTTP/1.1",
                               [("Host", art.outlet.domain), ("User-Agent", "storyline-sample-crawler/1.0"),
                                ("Accept", "text/html")], is_http_request=True)
        record(art.url, "request", b"", req)
        if art.id == articles[-1].id:  # one redirect, as crawls are full of them
            http_url = "http://" + art.url[len("https://"):]
            redirect = StatusAndHeaders("301 Moved Permanently",
                                        [("Location", art.url), ("Content-Length", "0"), ("Date", http_date)],
                                        protocol="HTTP/1.1")
            record(http_url, "response", b"", redirect)
        page = render_html(art, corpus).encode("utf-8")
        http = StatusAndHeaders("200 OK", [("Date", http_date), ("Server", "nginx"),
                                           ("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Length", str(len(page))),
                                           ("Cache-Control", "max-age=300")], protocol="HTTP/1.1")
        record(art.url, "response", page, http, extra={"WARC-IP-Address": "192.0.2.10"})
    return buf.getvalue()


# --------------------------------------------------------------------------- gold + build

def text_name(art: Article, n: int) -> str:
    return f"corpus/text/{n:03d}_{art.doc_id}.txt"


def html_name(art: Article, fmt: str) -> str:
    return f"corpus/html/{art.outlet.key}-{art.slug}.{fmt}"


def build(out: Path) -> dict[str, Any]:
    """Write every derived file under `out`; return the gold annotation."""
    outlets = load_outlets()
    stories = load_stories()
    corpus = load_articles(outlets, stories)
    for d in OUTPUT_DIRS:
        (out / d).mkdir(parents=True, exist_ok=True)
    deliveries: dict[str, list[dict[str, str]]] = {a.id: [] for a in corpus}

    n = 0
    for art in corpus:
        for fmt in art.formats:
            if fmt == "text":
                name = text_name(art, n)
                n += 1
                windows = art.outlet.windows_dumps
                (out / name).write_text(render_text(art, corpus), encoding="utf-8-sig" if windows else "utf-8",
                                        newline="\r\n" if windows else "\n")
                deliveries[art.id].append({"format": "text", "path": name})
            elif fmt == "html":
                name = html_name(art, fmt)
                (out / name).write_text(render_html(art, corpus), encoding="utf-8", newline="\n")
                deliveries[art.id].append({"format": "html", "path": name})
            elif fmt == "html.gz":
                name = html_name(art, fmt)
                with (out / name).open("wb") as raw, \
                        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    gz.write(render_html(art, corpus).encode("utf-8"))
                deliveries[art.id].append({"format": "html", "path": name})

    default = [a for a in corpus if "jsonl" in a.formats]
    alt = [a for a in corpus if "jsonl-alt" in a.formats]
    write_jsonl(out / JSONL_DEFAULT, (jsonl_default(a) for a in default))
    write_jsonl(out / JSONL_ALT, (jsonl_alt(a) for a in alt))
    for line, a in enumerate(default, 1):
        deliveries[a.id].append({"format": "jsonl", "path": JSONL_DEFAULT, "record": str(line)})
    for line, a in enumerate(alt, 1):
        deliveries[a.id].append({"format": "jsonl", "path": JSONL_ALT, "record": str(line)})

    for kind, render in (("rss", render_rss), ("atom", render_atom)):
        by_outlet: dict[str, list[Article]] = {}
        for a in corpus:
            if kind in a.formats:
                by_outlet.setdefault(a.outlet.key, []).append(a)
        for key, items in sorted(by_outlet.items()):
            name = f"corpus/feeds/{key}-{kind}.xml"
            (out / name).write_text(render(outlets[key], items), encoding="utf-8", newline="\n")
            for a in items:
                deliveries[a.id].append({"format": "feed", "path": name, "record": a.url})

    crawled = [a for a in corpus if "warc" in a.formats]
    if crawled:
        (out / WARC_FILE).write_bytes(render_warc(crawled, corpus))
        for a in crawled:
            deliveries[a.id].append({"format": "warc", "path": WARC_FILE, "record": a.url})

    gold = {
        "description": "Story and event labels of the Storyline sample corpus (our own annotation).",
        "stories": {k: {"title": s["title"], "events": s["events"]} for k, s in stories.items()},
        "articles": {
            a.id: {"story": a.story, "event": a.event, "lang": a.lang, "source": a.outlet.name,
                   "url": a.url, "doc_id": a.doc_id, "title": a.title, "published": a.published.isoformat(),
                   "authors": a.authors, "near_duplicate_of": a.near_duplicate_of,
                   "deliveries": deliveries[a.id]}
            for a in corpus
        },
    }
    (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return gold


def _clear(out: Path) -> None:
    for d in OUTPUT_DIRS:
        for f in (out / d).glob("*") if (out / d).is_dir() else []:
            if f.is_file():
                f.unlink()


def check() -> list[str]:
    """Names of generated files that differ from (or are missing in) the committed tree."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        build(fresh)
        diffs = []
        names = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        names |= {p.relative_to(HERE).as_posix() for d in OUTPUT_DIRS for p in (HERE / d).glob("*")
                  if p.is_file()}
        names.add("gold.json")
        for name in sorted(names):
            a, b = fresh / name, HERE / name
            if not (a.exists() and b.exists() and filecmp.cmp(a, b, shallow=False)):
                diffs.append(name)
        return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: examples/)")
    ap.add_argument("--check", action="store_true", help="compare a fresh build with the committed files")
    args = ap.parse_args(argv)
    try:
        if args.check:
            diffs = check()
            for d in diffs:
                print(f"stale: {d}", file=sys.stderr)
            return 1 if diffs else 0
        _clear(args.out)
        gold = build(args.out)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    arts = gold["articles"]
    print(f"{len(arts)} articles, {len(gold['stories'])} stories, "
          f"{len({a['lang'] for a in arts.values()})} languages, "
          f"{len({a['source'] for a in arts.values()})} outlets -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
