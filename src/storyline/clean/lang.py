"""Language identification (py3langid, offline): ISO 639-1 code + share of text per language.

INTERFACE (stable): `detect_language(text) -> (lang | None, {lang: share})`, `line_language(line)`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def line_language(line: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) for one line or paragraph."""
    lang, prob = _identifier().classify(line)
    return lang, float(prob)


def detect_language(text: str, min_chars: int = 20) -> tuple[str | None, dict[str, float]]:
    """Main language of `text` and the share of characters in each language (by paragraph)."""
    paras = [p for p in re.split(r"\n+", text or "") if len(_WORD.findall(p)) >= 2]
    if not paras or len(text.strip()) < 3:
        return None, {}
    weights: dict[str, float] = {}
    for p in paras:
        lang, _ = line_language(p)
        weights[lang] = weights.get(lang, 0.0) + len(p)
    total = sum(weights.values())
    shares = {k: round(v / total, 3) for k, v in sorted(weights.items(), key=lambda kv: -kv[1])}
    main = next(iter(shares))
    if len(text.strip()) < min_chars:
        main = line_language(text)[0]
    return main, shares
