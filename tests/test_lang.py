"""Language identification: ISO 639-1 codes, short texts, mixed-script and mixed-language texts."""

from __future__ import annotations

import pytest

from storyline.clean.lang import detect_language, line_language, script_of, script_runs


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The council voted on Tuesday to extend the cycle lanes across the city centre.", "en"),
        ("Le conseil a voté mardi pour prolonger les pistes cyclables dans le centre-ville.", "fr"),
        ("Der Stadtrat hat am Dienstag beschlossen, die Radwege in der Innenstadt zu verlängern.", "de"),
        ("Городской совет во вторник проголосовал за продление велосипедных дорожек.", "ru"),
        ("시의회는 화요일 도심 자전거 도로를 연장하기로 의결했다.", "ko"),
        ("市議会は火曜日、自転車道の延長を決めた。", "ja"),
        ("Το δημοτικό συμβούλιο ψήφισε την Τρίτη.", "el"),
        ("El ayuntamiento aprobó el martes ampliar los carriles bici del centro.", "es"),
    ],
)
def test_detect_language_iso639_1(text: str, lang: str) -> None:
    main, shares = detect_language(text)
    assert main == lang
    assert abs(sum(shares.values()) - 1.0) < 0.01


def test_short_texts() -> None:
    assert detect_language("서울")[0] == "ko"
    assert detect_language("Заголовок")[0] in ("ru", "uk", "bg", "mk", "sr", "be")
    assert line_language("Здравствуйте, как дела?")[0] == "ru"
    assert detect_language("")[0] is None
    assert detect_language("123 456 !!!")[0] is None


def test_mixed_line_shares() -> None:
    text = ("Trump urges Russia to help ensure North Korea's denuclearization, officials said on Tuesday "
            "백악관 트럼프")
    main, shares = detect_language(text)
    assert main == "en"
    assert "ko" in shares and shares["ko"] < shares["en"]


def test_mixed_document_majority() -> None:
    body = "\n".join([
        "Die Regierung hat am Montag ein neues Gesetz zur Förderung erneuerbarer Energien vorgestellt.",
        "Nach Angaben des Ministeriums sollen bis zum Jahr 2030 deutlich mehr Windräder gebaut werden.",
        "Kritiker bemängeln, dass die Finanzierung des Programms noch nicht geklärt sei.",
        "Subscribe to our newsletter",
        "Читайте также",
    ])
    main, shares = detect_language(body)
    assert main == "de"
    assert shares["de"] > 0.6


def test_scripts() -> None:
    assert script_of("abc") == "LATIN"
    assert script_of("абв") == "CYRILLIC"
    assert script_of("한국어") == "HANGUL"
    assert script_of("123") is None
    runs = script_runs("News 뉴스 today")
    assert [r[0] for r in runs] == ["LATIN", "HANGUL", "LATIN"]


def test_batched_line_languages_match_single_calls(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.clean import lang

    lines = ["The harbour board said ferries would run twice as often next summer.",
             "La direction du port a annoncé des traversées plus fréquentes cet été.",
             "Die Hafenverwaltung kündigte häufigere Fährverbindungen im Sommer an.",
             "Портовое управление объявило о более частых паромах этим летом.",
             "항만청은 올여름 여객선 운항을 늘린다고 밝혔다.", "12345 ---", "",
             "El puerto anunció más ferris para el verano.", "Il porto ha annunciato più traghetti in estate.",
             "De haven kondigde meer veerboten aan voor de zomer."] * 3
    monkeypatch.setattr(lang, "MAX_GRID_CELLS", 150)  # force many small chunks
    batched = lang.line_languages(lines)
    for line, (code, prob) in zip(lines, batched, strict=True):
        ref_code, ref_prob = lang.line_language(line)
        assert code == ref_code and abs(prob - ref_prob) < 1e-4, line
    assert [c for c, _ in batched[:5]] == ["en", "fr", "de", "ru", "ko"]
