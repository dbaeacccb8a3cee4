"""Outlet finder on own-words footers and mastheads (en/fr/de/ru/ko), negatives and the URL fallback."""

from __future__ import annotations

import pytest

from storyline.clean.lines import split_lines
from storyline.clean.outlet import domain_label, find_outlet, matches_domain

BODY = ("The regional council approved the budget for the coming year after a long debate.\n"
        "Several members asked for more money for rural bus lines and school repairs.\n")


def outlet(footer: str, url: str | None = None, header: str = "Home\nNews\nSport\n") -> str | None:
    return find_outlet(split_lines(header + BODY + footer), url)


@pytest.mark.parametrize(("footer", "expected"), [
    ("Contact\n© 2023 Valley Morning Herald. All rights reserved.\n", "Valley Morning Herald"),
    ("Copyright (c) 2019-2024 The Pinewood Gazette | Privacy\n", "The Pinewood Gazette"),
    ("Lakeshore Evening Star, part of the Blue Harbor media family. Terms\n", "Lakeshore Evening Star"),
    ("Riverbend Chronicle, a division of Northgate Media Inc.\n", "Riverbend Chronicle"),
    ("Follow Prairie Dispatch on Instagram\n", "Prairie Dispatch"),
    ("© 2022 L'Écho des Collines — Tous droits réservés\n", "L'Écho des Collines"),
    ("Le Messager Alpin SARL · Mentions légales · Nous écrire\n", "Le Messager Alpin"),
    ("Suivez Le Phare Breton sur Facebook\n", "Le Phare Breton"),
    ("Folgen Sie Nordsee Kurier auf Instagram\n", "Nordsee Kurier"),
    ("Bergland Medien GmbH | Impressum | Datenschutz\n", "Bergland Medien"),
    ("Talblick Zeitung ist ein Angebot der Südwest Verlagsgruppe\n", "Talblick Zeitung"),
    ("© 2021 Уральская звезда. Все права защищены.\n", "Уральская звезда"),
    ("ООО «Северный телеграф» — контакты для прессы\n", "Северный телеграф"),
    ("Волжская неделя входит в медиагруппу «Река»\n", "Волжская неделя"),
])
def test_footer_names_outlet(footer: str, expected: str | None) -> None:
    assert outlet(footer) == expected


def test_agreeing_weak_evidence_adds_up() -> None:
    # a broadcast sign-off alone is weak; with a social line naming the same outlet it is enough
    assert outlet("Anna Weber, Radio Kestrel.\n") is None
    assert outlet("Anna Weber, Radio Kestrel.\nRadio Kestrel on Facebook\n") == "Radio Kestrel"
    assert outlet("오늘 날씨는 맑겠습니다. 하늘방송 김민지입니다.\n하늘방송 페이스북\n") == "하늘방송"


@pytest.mark.parametrize("footer", [
    "Share on Facebook\nPartager sur Facebook\nTeilen auf X\nFollow us on Instagram\nSuivez-nous sur X\n",
    "Photo © Jane Doe\n",
    "© Getty Images\nAll rights reserved\n",
])
def test_furniture_is_not_an_outlet(footer: str) -> None:
    assert outlet(footer) is None


def test_photo_credit_does_not_beat_footer() -> None:
    text = "© Peter Lang / Stadtarchiv\n© 2020 Harzer Abendblatt. Alle Rechte vorbehalten.\n"
    assert outlet(text) == "Harzer Abendblatt"


def test_url_domain_breaks_ties_and_falls_back() -> None:
    two = "Follow Coastline Weekly on X\nFollow Inland Review on X\n"
    assert outlet(two, "https://www.coastlineweekly.example/a/1") == "Coastline Weekly"
    assert outlet(two, "https://inland-review.example/a/1") == "Inland Review"
    assert outlet("", "https://www.dailyridge.example/a/1") == "Dailyridge"
    assert outlet("") is None


def test_domain_helpers() -> None:
    assert domain_label("https://www.news.kestrel.co.uk/x") == "kestrel"
    assert domain_label("not a url") is None
    assert matches_domain("Невский курьер", "nevskykurier")
    assert matches_domain("The Meadow Times", "meadowtimes")
    assert not matches_domain("Meadow Times", "riverpost")
