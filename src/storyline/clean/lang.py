"""Language identification (py3langid, offline): ISO 639-1 code + share of text per language.

INTERFACE (stable): `detect_language(text) -> (lang | None, {lang: share})`, `line_language(line)`.
Robust to short and mixed texts: text is cut into paragraphs and, inside them, into writing-system runs
(a Korean fragment after an English headline is its own run); scripts used by one language decide
directly (Hangul -> ko, kana -> ja, Greek -> el, ...), other runs go to py3langid; shares are by letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
# scripts that identify one language on their own
SCRIPT_LANG = {
    "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "GREEK": "el", "HEBREW": "he", "THAI": "th",
    "GEORGIAN": "ka", "ARMENIAN": "hy", "KHMER": "km", "LAO": "lo", "MYANMAR": "my", "SINHALA": "si",
    "TAMIL": "ta", "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml", "GUJARATI": "gu", "GURMUKHI": "pa",
    "ETHIOPIC": "am", "TIBETAN": "bo",
}
MAX_CHARS = 200_000


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str | None:
    """Writing system of one letter (LATIN, CYRILLIC, HANGUL, CJK, ...), None for non-letters."""
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch).split()[0]
    except ValueError:
        return None
    return "CJK" if name in ("CJK", "IDEOGRAPHIC") else name


def script_of(text: str) -> str | None:
    """Dominant writing system of the letters in `text` (kana counts as CJK)."""
    counts: dict[str, int] = {}
    for ch in text:
        sc = char_script(ch)
        if sc:
            sc = "CJK" if sc in ("HIRAGANA", "KATAKANA") else sc
            counts[sc] = counts.get(sc, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def script_runs(text: str) -> list[tuple[str, str]]:
    """(script, chunk) runs; digits, spaces and punctuation stay with the surrounding run."""
    runs: list[tuple[str, list[str]]] = []
    for ch in text:
        sc = char_script(ch)
        if sc in ("HIRAGANA", "KATAKANA"):
            sc = "KANA"
        if sc is None or (runs and runs[-1][0] == sc):
            if runs:
                runs[-1][1].append(ch)
            else:
                runs.append(("", [ch]))
            continue
        if runs and runs[-1][0] == "":
            runs[-1] = (sc, runs[-1][1] + [ch])
        elif runs and sc == "CJK" and runs[-1][0] == "KANA" or runs and sc == "KANA" and runs[-1][0] == "CJK":
            runs[-1] = ("KANA", runs[-1][1] + [ch])  # Japanese mixes kanji and kana
        else:
            runs.append((sc, [ch]))
    return [(sc, "".join(chars)) for sc, chars in runs if sc]


def _run_language(script: str, chunk: str) -> tuple[str, float]:
    if script == "KANA":
        return "ja", 1.0
    if script in SCRIPT_LANG:
        return SCRIPT_LANG[script], 1.0
    if script == "CJK":
        return "zh", 0.9
    lang, prob = _identifier().classify(chunk)
    return lang, float(prob)


def line_language(line: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) for one line or paragraph (its dominant script run decides)."""
    runs = script_runs(line[:MAX_CHARS])
    if not runs:
        lang, prob = _identifier().classify(line[:MAX_CHARS])
        return lang, float(prob) * 0.5
    letters = lambda s: sum(1 for c in s if c.isalpha())  # noqa: E731
    if len(runs) > 1:
        totals: dict[str, int] = {}
        for sc, chunk in runs:
            totals[sc] = totals.get(sc, 0) + letters(chunk)
        main = max(totals, key=totals.__getitem__)
        chunk = " ".join(c for sc, c in runs if sc == main)
        return _run_language(main, chunk)
    return _run_language(*runs[0])


def detect_language(text: str, min_chars: int = 20) -> tuple[str | None, dict[str, float]]:
    """Main language of `text` and the share of letters in each language (by paragraph and script run)."""
    text = (text or "")[:MAX_CHARS]
    if sum(1 for c in text if c.isalpha()) < 2:
        return None, {}
    weights: dict[str, float] = {}
    for para in re.split(r"\n+", text):
        if not para.strip():
            continue
        for sc, chunk in script_runs(para):
            n = sum(1 for c in chunk if c.isalpha())
            if n < 2:
                continue
            if sc in ("LATIN", "CYRILLIC", "ARABIC", "DEVANAGARI", "BENGALI") and len(_WORD.findall(chunk)) < 3 \
                    and len(text.strip()) >= min_chars:
                weight_scale = 0.3  # a stray short word says little about the language
            else:
                weight_scale = 1.0
            lang, prob = _run_language(sc, chunk)
            weights[lang] = weights.get(lang, 0.0) + n * weight_scale * (0.5 + 0.5 * prob)
    if not weights:
        return None, {}
    total = sum(weights.values())
    shares = {k: round(v / total, 3) for k, v in sorted(weights.items(), key=lambda kv: -kv[1])}
    return next(iter(shares)), shares
