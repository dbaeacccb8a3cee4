"""Language-independent keys read off the text (stories.lexical)."""

from __future__ import annotations

from storyline.stories.lexical import place_keys, text_keys


def test_place_names_in_three_scripts_share_a_key() -> None:
    fr = place_keys("Sommet à Moscou", "Les dirigeants se sont retrouvés à Moscou mardi.", "fr")
    ru = place_keys("Саммит", "Переговоры прошли в городе Москва во вторник.", "ru")
    en = place_keys("Summit in Moscow", "Leaders met in Moscow on Tuesday.", "en")
    shared = fr & ru & en
    assert "loc:RU" in shared and any(k.startswith("loc:RU:") for k in shared)


def test_short_ambiguous_forms_are_not_places() -> None:
    assert place_keys("La réunion", "La ville a voté. Un accord est signé.", "fr") == set()


def test_text_keys_combine_names_and_places() -> None:
    keys = text_keys("Talks", "On Monday the minister Anna Berglund flew to Cairo for talks.", "en")
    assert "name:berglund" in keys and "loc:EG" in keys
