"""Publication dates from metadata, URL and text (clean/dates.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.clean.dates import date_from_url, dates_in_text, find_publication_date, parse_date


@pytest.mark.parametrize(
    ("url", "expected", "granularity"),
    [
        ("https://news.example/world/2019/05/14/talks-resume", "2019-05-14", "day"),
        ("https://news.example/2019/5/4/short", "2019-05-04", "day"),
        ("https://news.example/story-2019-05-14-talks.html", "2019-05-14", "day"),
        ("https://news.example/archive/20190514/talks", "2019-05-14", "day"),
        ("https://news.example/2019/05/talks", "2019-05-01", "month"),
    ],
)
def test_url_dates(url: str, expected: str, granularity: str) -> None:
    hit = date_from_url(url)
    assert hit is not None
    assert hit[0].date().isoformat() == expected
    assert hit[1] == granularity


@pytest.mark.parametrize(
    "url", ["https://news.example/item/12345678", "https://news.example/2019/13/40/x", None, "https://n.example/2999/01/01/x"]
)
def test_url_without_valid_date(url: str | None) -> None:
    assert date_from_url(url) is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Danang, Saturday, Nov. 11, 2017 - leaders met at the summit.", "en", "2017-11-11"),
        ("Москва, 14 мая 2019 года. Министры провели переговоры.", "ru", "2019-05-14"),
        ("서울, 2019년 5월 14일 — 외교 장관들이 만났다.", "ko", "2019-05-14"),
        ("Berlin, 14. Mai 2019. Die Minister trafen sich.", "de", "2019-05-14"),
        ("Madrid, 14 de mayo de 2019. Los ministros se reunieron.", "es", "2019-05-14"),
        ("Mis à jour le 14/05/2019 à 10h", "fr", "2019-05-14"),
    ],
)
def test_text_dates_multilingual(text: str, lang: str, expected: str) -> None:
    found = dates_in_text(text, lang)
    assert [d.value.date().isoformat() for d in found][:1] == [expected]


def test_yearless_mentions_take_year_from_context() -> None:
    text = "The summit ended on 3 November 2021. On December 13, the ministers met again; on January 5 they signed."
    found = {d.raw.strip(): d.value.date().isoformat() for d in dates_in_text(text, "en")}
    assert found["December 13"] == "2021-12-13"
    assert found["January 5"] == "2022-01-05"  # after December: the next year


def test_metadata_beats_url_and_text() -> None:
    pd = find_publication_date(
        metadata="Wed Feb 26 09:00:00 2020", url="https://x.example/2020/02/25/a", text="On 1 May 2019 ...", lang="en"
    )
    assert pd is not None and pd.source == "metadata"
    assert pd.value == datetime(2020, 2, 26, 9, 0)


def test_metadata_timezone_normalised_to_utc() -> None:
    pd = find_publication_date(metadata="2019-05-14T01:30:00+02:00")
    assert pd is not None and pd.value == datetime(2019, 5, 13, 23, 30)


def test_unparseable_metadata_falls_back_to_url_then_text() -> None:
    pd = find_publication_date(metadata="None", url="https://x.example/2020/02/25/a", lang="en")
    assert pd is not None and (pd.source, pd.value.date().isoformat()) == ("url", "2020-02-25")
    pd = find_publication_date(metadata="soon", url="https://x.example/a", text="London, 3 March 2020 - rain.", lang="en")
    assert pd is not None and (pd.source, pd.value.date().isoformat()) == ("text", "2020-03-03")
    assert pd.confidence < 0.8


def test_no_date_anywhere() -> None:
    assert find_publication_date(text="The ministers met on Tuesday.", lang="en") is None
    assert parse_date("next week maybe", "en") is None


def test_future_dates_are_not_publication_dates() -> None:
    assert find_publication_date(metadata="2999-01-01") is None
    assert dates_in_text("The treaty expires on 1 January 2999.", "en") == []


def test_seed_dates_from_text(shared) -> None:  # type: ignore[no-untyped-def]
    """Seed 000 carries dates only in its text (Nov./Dec. 2017); seed 003 has no explicit date at all
    (only "on Tuesday"), so no date may be invented for it."""
    text = (shared / "seeds" / "000_2c697fb7fec97110.txt").read_text("utf-8")
    pd = find_publication_date(text=text, lang="en")
    assert pd is not None and pd.source == "text"
    assert (pd.value.year, pd.value.month) == (2017, 12)
    text = (shared / "seeds" / "003_398344f335fdbf74.txt").read_text("utf-8")
    assert find_publication_date(text=text, lang="en") is None


def test_dateline_wins_unless_it_is_a_photo_caption() -> None:
    body = "On March 4, the council voted to close the old bridge to lorries."
    pd = find_publication_date(text=body, lang="en", dateline="GLASGOW, 5 March 2020")
    assert pd is not None and (pd.value.date().isoformat(), pd.confidence) == ("2020-03-05", 0.6)
    caption = "© Photo agency / A. Person. The bridge seen from the river, Sunday, 12 January 2020"
    pd = find_publication_date(text=body, lang="en", dateline=caption)
    assert pd is not None and pd.value.date().isoformat() == "2020-03-04"  # caption only gives the year
