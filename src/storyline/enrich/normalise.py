"""Entity keys: transliteration-aware person keys, organisation/misc slugs, in-article coreference.

`per:<latin name>` keys come from the fullest form of a name in the article: "Putin", "President
Putin" and "Vladimir Putin" all become `per:vladimir_putin`; Cyrillic and Hangul names are
transliterated to Latin first (anyascii), and an own-made alias table maps well-known people written
in other scripts to one key (e.g. 김정은 / Ким Чен Ын / Kim Jong-un -> `per:kim_jong_un`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources

from anyascii import anyascii

from storyline.enrich import lexicon

_NON_WORD = re.compile(r"[^0-9a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_APOS = re.compile(r"['’ʹʼ`]")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DROP = re.compile(r"[.\u00b7]")
_SEP = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lookup form: case-folded, combining marks removed, 'U.S.' -> 'us', other punctuation to spaces."""
    if text.isascii():
        t = text.lower()
    else:
        t = unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFKD", text))).casefold()
    return _SEP.sub(" ", _DROP.sub("", t)).strip()


def translit(text: str) -> str:
    """Latin transliteration; Hangul syllable runs are split into their romanised syllables."""
    out = anyascii(text)
    return _CAMEL.sub(" ", out)


def slug(text: str) -> str:
    """ASCII slug of a name: 'Jean-Luc Mélenchon' -> 'jean_luc_melenchon'."""
    return _NON_WORD.sub("_", _APOS.sub("", translit(text).lower())).strip("_")


@lru_cache(maxsize=1)
def person_aliases() -> dict[str, str]:
    """folded alias -> canonical slug, from the own-made table data/person_aliases.tsv."""
    table: dict[str, str] = {}
    text = resources.files("storyline.enrich").joinpath("data/person_aliases.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, *aliases = [c.strip() for c in line.split("\t")]
        for alias in [canonical, *aliases]:
            if alias:
                table[fold(alias)] = slug(canonical)
    return table


def clean_person(text: str, lang: str | None = None) -> str:
    """Strip titles, possessives and stray punctuation from a person mention."""
    t = _POSSESSIVE.sub("", text.strip())
    toks = t.replace("\u00a0", " ").split()
    titles = lexicon.all_titles()
    while len(toks) > 1 and toks[0].lower().strip(".,") in titles:
        toks = toks[1:]
    return " ".join(toks).strip(" ,.;:\"'“”«»")


def person_slug(name: str) -> str:
    """Canonical slug for a cleaned person name (alias table first, else transliteration)."""
    alias = person_aliases().get(fold(name))
    return alias or slug(name)


def person_keys(names: list[str]) -> dict[str, tuple[str, str]]:
    """Coreference inside one article: cleaned name -> (key, canonical display name).

    Single-word mentions resolve to the most frequent fuller name ending (or, for East Asian
    order, starting) with that word; otherwise they keep their own key.
    """
    counts = Counter(n for n in names if n)
    out: dict[str, tuple[str, str]] = {}
    full = [n for n in counts if len(person_slug(n).split("_")) >= 2]
    for n in full:
        out[n] = ("per:" + person_slug(n), n)
    # a shorter full name contained in a longer one ("Vladimir Putin" in "Vladimir V. Putin") stays as is
    for n in counts:
        if n in out:
            continue
        s = person_slug(n)
        cands = [f for f in full if person_slug(f).split("_")[-1] == s or person_slug(f).split("_")[0] == s]
        if s in {person_slug(f) for f in full}:
            cands = []
        if cands:
            best = max(cands, key=lambda f: (counts[f], person_slug(f).split("_")[-1] == s, len(f)))
            out[n] = out[best]
        else:
            out[n] = ("per:" + s, n) if s else ("", n)
    return out


def org_key(text: str) -> str:
    t = re.sub(r"^(the|la|le|les|l'|l’|el|los|las|die|der|das)\s+", "", text.strip(), flags=re.I)
    s = slug(_POSSESSIVE.sub("", t))
    return f"org:{s}" if s else ""


def misc_key(text: str) -> str:
    s = slug(text)
    return f"misc:{s}" if s else ""
