"""Numeric dates follow the article language's day/month order (regression: 02.06.2017 read as Feb 6)."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.clean.dates import date_order, dates_in_text, parse_date


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Veröffentlicht am 02.06.2017 06:45", "de", datetime(2017, 6, 2)),
        ("Опубликовано 06.12.2024 09:30", "ru", datetime(2024, 12, 6)),
        ("Publié le 03/04/2019", "fr", datetime(2019, 4, 3)),
        ("Posted 04/03/2019", "en", datetime(2019, 4, 3)),
        ("Posted 03.04.2019 in Leeds", "en", datetime(2019, 4, 3)),
    ],
)
def test_numeric_date_order(text: str, lang: str, expected: datetime) -> None:
    found = dates_in_text(text, lang)
    assert found and found[0].value.date() == expected.date()


def test_metadata_strings_and_order_rule() -> None:
    assert parse_date("02.06.2017", "de")[0].date() == datetime(2017, 6, 2).date()
    assert parse_date("06/12/2024", "en")[0].date() == datetime(2024, 6, 12).date()
    assert date_order("en", "5/6/2020") == "MDY" and date_order("tr", "5/6/2020") == "DMY"
