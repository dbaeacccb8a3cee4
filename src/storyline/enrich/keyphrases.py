"""Keyphrases per article with YAKE (unsupervised, statistical, language-aware stop words)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MAX_CHARS = 2500  # keyphrases come from the title and the opening of the text (YAKE cost grows with length)
YAKE_LANGS = {"ar", "bg", "br", "cz", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "hi", "hr",
              "hu", "hy", "id", "it", "ja", "lt", "lv", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl",
              "sv", "tr", "uk", "zh"}


@lru_cache(maxsize=32)
def _extractor(lang: str, top: int) -> Any:
    import yake

    return yake.KeywordExtractor(lan=lang if lang in YAKE_LANGS else "en", n=3, dedupLim=0.7, top=top)


def keyphrases(title: str, text: str, lang: str | None, top: int = 10) -> list[str]:
    """Top keyphrases (most relevant first) from the title and the first MAX_CHARS of the text."""
    body = f"{title}.\n{text[:MAX_CHARS]}" if title else text[:MAX_CHARS]
    if len(body.split()) < 3:
        return []
    try:
        pairs = _extractor((lang or "en").lower(), top * 3).extract_keywords(body)
    except (ValueError, ZeroDivisionError, KeyError, IndexError):  # degenerate input
        return []
    out: list[str] = []
    seen: list[set[str]] = []
    for kw, _ in pairs:
        words = set(kw.lower().split())
        if any(words <= s or s <= words for s in seen):
            continue  # a sub- or super-phrase of a better one
        seen.append(words)
        out.append(kw)
        if len(out) == top:
            break
    return out
