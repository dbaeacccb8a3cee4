"""The bundled sample corpus (examples/) is complete, well-formed, consistent with gold.json and up to date."""

from __future__ import annotations

import filecmp
import gzip
import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import feedparser
import pytest
from warcio.archiveiterator import ArchiveIterator

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MIN_ARTICLES = 60
MIN_STORIES = 5
MIN_NEAR_DUPLICATES = 3
QUOTES = {
    "en": r"“[^”]{3,}”",
    "fr": r"«\s?[^»]{3,}\s?»",
    "de": r"„[^“]{3,}“",
    "ru": r"«[^»]{3,}»",
    "ko": r"“[^”]{3,}”|「[^」]{3,}」",
}
DEFAULT_KEYS = {"id", "url", "title", "text", "published", "source", "lang", "authors"}
# the mapping examples/README.md documents for `storyline ingest --map` on the partner export
ALT_MAP = {"title": "heading", "text": "story_body", "url": "permalink", "published": "first_released",
           "authors": "writers", "source": "meta.publication", "lang": "meta.locale"}


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("examples_build", EXAMPLES / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


build = _load_build()


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads((EXAMPLES / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sources() -> list:
    return build.load_articles(build.load_outlets(), build.load_stories())


def _words(text: str) -> int:
    return len(text.split())


def _html_of(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")


def _jaccard(a: str, b: str) -> float:
    x, y = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(x & y) / len(x | y)


# --------------------------------------------------------------------------- build


def test_committed_files_match_a_fresh_build(tmp_path: Path) -> None:
    build.build(tmp_path)
    fresh = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(EXAMPLES).as_posix() for d in build.OUTPUT_DIRS
                       for p in (EXAMPLES / d).glob("*") if p.is_file()) + ["gold.json"]
    assert sorted(fresh) == sorted(committed)
    stale = [n for n in fresh if not filecmp.cmp(tmp_path / n, EXAMPLES / n, shallow=False)]
    assert stale == [], f"run `python examples/build.py`: stale {stale}"


def test_build_is_deterministic(tmp_path: Path) -> None:
    build.build(tmp_path / "a")
    build.build(tmp_path / "b")
    for p in (tmp_path / "a").rglob("*"):
        if p.is_file():
            assert p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes(), p


def test_bad_source_record_is_named_in_the_error(tmp_path: Path) -> None:
    outlets, stories = build.load_outlets(), build.load_stories()
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "broken.yaml").write_text(
        "- id: x-1\n  story: korea\n  event: korea-2019-dmz-meeting\n  lang: en\n  outlet: harbor\n"
        "  url: https://harborlinepost.example/x\n  published: '2019-06-30T10:00:00'\n  title: T\n"
        "  paragraphs: [a, b]\n  formats: [text]\n", encoding="utf-8")
    with pytest.raises(build.SourceError, match=r"broken\.yaml record 0 \(x-1\).*UTC offset"):
        build.load_articles(outlets, stories, folder)
    (folder / "broken.yaml").write_text("- id: x-2\n  story: korea\n", encoding="utf-8")
    with pytest.raises(build.SourceError, match=r"broken\.yaml record 0 \(x-2\): missing .*url"):
        build.load_articles(outlets, stories, folder)


# --------------------------------------------------------------------------- corpus shape


def test_corpus_size_stories_languages_outlets_and_span(gold: dict) -> None:
    arts = gold["articles"]
    assert len(arts) >= MIN_ARTICLES
    stories = Counter(a["story"] for a in arts.values())
    assert len(stories) >= MIN_STORIES and min(stories.values()) >= 6
    langs = Counter(a["lang"] for a in arts.values())
    assert {"en", "fr", "de", "ru", "ko"} <= set(langs)
    assert min(langs["ru"], langs["ko"]) >= MIN_ARTICLES // 12
    assert len({a["source"] for a in arts.values()}) >= 8
    published = [datetime.fromisoformat(a["published"]) for a in arts.values()]
    assert max(published) - min(published) > timedelta(days=366)


def test_stories_have_two_to_four_distinct_dated_events(gold: dict) -> None:
    used = defaultdict(set)
    for a in gold["articles"].values():
        used[a["story"]].add(a["event"])
    for key, story in gold["stories"].items():
        events = story["events"]
        assert 2 <= len(events) <= 4, key
        assert len({e["date"] for e in events.values()}) == len(events), key
        assert used[key] == set(events), f"{key}: every event needs articles"
    spans = [max(date.fromisoformat(e["date"]) for e in s["events"].values())
             - min(date.fromisoformat(e["date"]) for e in s["events"].values()) for s in gold["stories"].values()]
    assert sum(s > timedelta(days=365) for s in spans) >= MIN_STORIES // 2 + 1


def test_events_are_covered_across_languages(gold: dict) -> None:
    langs = defaultdict(set)
    for a in gold["articles"].values():
        langs[a["event"]].add(a["lang"])
    multi = [e for e, ls in langs.items() if len(ls) >= 2]
    assert len(multi) >= 0.8 * len(langs)
    assert all(len(ls) <= 4 for ls in langs.values())


def test_articles_are_dated_at_their_event(gold: dict) -> None:
    for aid, a in gold["articles"].items():
        event = gold["stories"][a["story"]]["events"][a["event"]]
        day = datetime.fromisoformat(a["published"]).date()
        delta = day - date.fromisoformat(event["date"])
        assert timedelta(days=-1) <= delta <= timedelta(days=3), aid


def test_article_length_paragraphs_and_quotes(sources: list) -> None:
    for art in sources:
        assert 2 <= len(art.paragraphs) <= 5, art.id
        text = " ".join(art.paragraphs)
        if art.lang == "ko":  # Korean words are long agglutinated units: count characters
            assert 350 <= len(text) <= 1300, (art.id, len(text))
        else:  # German compounds and Russian inflection make fewer, longer words than English
            assert 90 <= _words(text) <= 260 and len(text) >= 600, (art.id, _words(text))
        assert re.search(QUOTES[art.lang], text), f"{art.id}: no {art.lang} quotation"


def test_gold_matches_sources(gold: dict, sources: list) -> None:
    assert set(gold["articles"]) == {a.id for a in sources}
    for art in sources:
        g = gold["articles"][art.id]
        assert (g["story"], g["event"], g["url"], g["lang"]) == (art.story, art.event, art.url, art.lang)
        assert g["event"] in gold["stories"][g["story"]]["events"]
    assert len({g["doc_id"] for g in gold["articles"].values()}) == len(gold["articles"])


# --------------------------------------------------------------------------- formats


def test_every_article_is_delivered_and_every_format_present(gold: dict, sources: list) -> None:
    for aid, g in gold["articles"].items():
        assert g["deliveries"], aid
        for d in g["deliveries"]:
            assert (EXAMPLES / d["path"]).is_file(), (aid, d)
    used = {f for a in sources for f in a.formats}
    assert used == set(build.FORMATS)
    assert list((EXAMPLES / "corpus" / "html").glob("*.html.gz"))


def test_text_dumps_carry_article_furniture_and_date(gold: dict, sources: list) -> None:
    by_id = {a.id: a for a in sources}
    n = 0
    for aid, g in gold["articles"].items():
        for d in g["deliveries"]:
            if d["format"] != "text":
                continue
            n += 1
            page = (EXAMPLES / d["path"]).read_text(encoding="utf-8")
            art = by_id[aid]
            assert art.title in page
            assert all(p in page for p in art.paragraphs), aid
            furniture = [ln for ln in page.splitlines()
                         if ln.strip() and ln not in art.paragraphs and ln != art.title]
            assert len(furniture) >= 8, aid
            assert str(art.published.year) in page, aid
    assert n >= MIN_ARTICLES // 6
    dumped = [by_id[aid] for aid, g in gold["articles"].items() if any(d["format"] == "text" for d in g["deliveries"])]
    assert len({a.outlet.style for a in dumped}) == 3 and len({a.lang for a in dumped}) >= 5
    assert len({a.outlet.key for a in dumped}) >= 8


def test_html_pages_have_realistic_structure(gold: dict) -> None:
    paths = {d["path"] for g in gold["articles"].values() for d in g["deliveries"] if d["format"] == "html"}
    with_meta_date = 0
    for name in paths:
        page = _html_of(EXAMPLES / name)
        for needle in ("<title>", 'property="og:title"', 'property="og:site_name"', 'rel="canonical"',
                       "<nav", "<header", "<footer", "<article", 'class="sidebar"', 'id="comments"',
                       'id="cookie-banner"'):
            assert needle in page, (name, needle)
        with_meta_date += 'property="article:published_time"' in page
    assert 0 < with_meta_date < len(paths)


def test_jsonl_lines_are_valid(gold: dict) -> None:
    urls = {g["url"]: aid for aid, g in gold["articles"].items()}
    default = (EXAMPLES / build.JSONL_DEFAULT).read_text(encoding="utf-8").splitlines()
    alt = (EXAMPLES / build.JSONL_ALT).read_text(encoding="utf-8").splitlines()
    assert default and alt
    for line in default:
        rec = json.loads(line)
        assert set(rec) == DEFAULT_KEYS
        assert rec["url"] in urls and rec["text"].count("\n\n") >= 1
        assert datetime.fromisoformat(rec["published"]).tzinfo is not None
        assert isinstance(rec["authors"], list)
    for line in alt:
        rec = json.loads(line)
        assert not DEFAULT_KEYS & set(rec), "the alternative export must need --map"
        assert set(ALT_MAP.values()) <= set(rec) | {"meta.publication", "meta.locale"}
        assert rec["permalink"] in urls and rec["meta"]["locale"] in QUOTES


def test_feeds_parse_with_full_text(gold: dict) -> None:
    urls = {g["url"] for g in gold["articles"].values()}
    kinds = set()
    for path in sorted((EXAMPLES / "corpus" / "feeds").glob("*.xml")):
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        kinds.add(feed.version[:3])
        assert feed.entries, path
        for e in feed.entries:
            assert e.link in urls
            assert e.get("published_parsed") or e.get("updated_parsed")
            assert e.get("author")
            assert len(e.content[0].value) > 300 and "<p>" in e.content[0].value
    assert kinds == {"rss", "ato"}


def test_warc_is_readable_and_holds_the_crawled_pages(gold: dict) -> None:
    expected = {d["record"] for g in gold["articles"].values() for d in g["deliveries"] if d["format"] == "warc"}
    found, ids, types = set(), set(), Counter()
    with (EXAMPLES / build.WARC_FILE).open("rb") as fh:
        for rec in ArchiveIterator(fh):
            types[rec.rec_type] += 1
            ids.add(rec.rec_headers.get_header("WARC-Record-ID"))
            if rec.rec_type == "response" and rec.http_headers.get_statuscode() == "200":
                body = rec.content_stream().read()
                if rec.http_headers.get_header("Content-Type", "").startswith("text/html"):
                    assert b"<article" in body
                    found.add(rec.rec_headers.get_header("WARC-Target-URI"))
    assert found == expected and len(expected) >= MIN_ARTICLES // 8
    assert types["warcinfo"] == 1 and types["request"] >= len(expected)
    assert len(ids) == sum(types.values())


# --------------------------------------------------------------------------- duplicates


def test_syndicated_near_duplicates_are_near_but_not_equal(sources: list) -> None:
    by_id = {a.id: a for a in sources}
    near = [a for a in sources if a.near_duplicate_of]
    assert MIN_NEAR_DUPLICATES <= len(near) <= 5
    for a in near:
        orig = by_id[a.near_duplicate_of]
        assert a.event == orig.event and a.outlet.key != orig.outlet.key
        assert a.title != orig.title and a.paragraphs != orig.paragraphs
        assert _jaccard(" ".join(a.paragraphs), " ".join(orig.paragraphs)) > 0.7


def test_one_exact_duplicate_in_two_formats(gold: dict) -> None:
    multi = [aid for aid, g in gold["articles"].items() if len({d["format"] for d in g["deliveries"]}) >= 2]
    assert len(multi) >= 1


# --------------------------------------------------------------------------- provenance


def test_no_seed_text_was_copied(shared: Path) -> None:
    seed_lines = {ln.strip() for p in (shared / "seeds").glob("*.txt")
                  for ln in p.read_text(encoding="utf-8", errors="replace").splitlines()
                  if len(ln.strip()) >= 25}
    ours = "\n".join(p.read_text(encoding="utf-8") for p in (EXAMPLES / "source").rglob("*.yaml"))
    assert seed_lines and not [ln for ln in seed_lines if ln in ours]


# --------------------------------------------------------------------------- the real reader


def test_corpus_folder_reads_cleanly_and_mapped_export_needs_map(gold: dict) -> None:
    pipeline = pytest.importorskip("storyline.ingest.pipeline")
    from storyline.ingest.records import ReadOptions

    items = list(pipeline.clean_records([str(EXAMPLES / build.CORPUS)]))
    errors = [i for i in items if not hasattr(i, "text")]
    assert errors == []
    in_corpus = [d for g in gold["articles"].values() for d in g["deliveries"]
                 if d["path"].startswith(build.CORPUS + "/")]
    assert len(items) == len(in_corpus)
    urls = {a.canonical_url or a.url for a in items} - {None}
    assert urls == {g["url"] for g in gold["articles"].values()
                    if any(d["path"].startswith(build.CORPUS + "/") and d["format"] != "text"
                           for d in g["deliveries"])}

    mapped = str(EXAMPLES / build.JSONL_ALT)
    assert all(not hasattr(i, "text") for i in pipeline.clean_records([mapped]))
    arts = list(pipeline.clean_records([mapped], ReadOptions(field_map=ALT_MAP)))
    by_url = {g["url"]: g for g in gold["articles"].values()}
    assert len(arts) == len(Path(mapped).read_text(encoding="utf-8").splitlines())
    for a in arts:
        g = by_url[a.url]
        assert (a.title, a.lang, a.source, a.authors) == (g["title"], g["lang"], g["source"], g["authors"])
        ours = a.published if a.published.tzinfo else a.published.replace(tzinfo=UTC)
        assert ours == datetime.fromisoformat(g["published"])
