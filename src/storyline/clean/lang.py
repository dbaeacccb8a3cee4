"""Language identification (py3langid, offline): ISO 639-1 code + share of text per language.

INTERFACE (stable): `detect_language(text) -> (lang | None, {lang: share})`, `line_language(line)`.
Robust to short and mixed texts: text is cut into paragraphs and, inside them, into writing-system runs
(a Korean fragment after an English headline is its own run); scripts used by one language decide
directly (Hangul -> ko, kana -> ja, Greek -> el, ...), other runs go to py3langid; shares are by letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
from scipy import sparse

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


def _char_scripts(text: str) -> dict[str, str | None]:
    """Script of each distinct character of `text` (a page has few distinct characters)."""
    return {ch: char_script(ch) for ch in set(text)}


@lru_cache(maxsize=2048)
def script_of(text: str) -> str | None:
    """Dominant writing system of the letters in `text` (kana counts as CJK)."""
    if text.isascii():  # fast path: most lines of Latin-script pages
        return "LATIN" if any(c.isalpha() for c in text) else None
    counts: dict[str, int] = {}
    for ch, n in Counter(text).items():
        sc = char_script(ch)
        if sc:
            sc = "CJK" if sc in ("HIRAGANA", "KATAKANA") else sc
            counts[sc] = counts.get(sc, 0) + n
    if not counts:
        return None
    top = max(counts.values())
    tied = {sc for sc, n in counts.items() if n == top}
    if len(tied) == 1:
        return tied.pop()
    for ch in text:  # a tie goes to the script that occurs first, as when counting left to right
        sc = char_script(ch)
        sc = "CJK" if sc in ("HIRAGANA", "KATAKANA") else sc
        if sc in tied:
            return sc
    return None


def script_runs(text: str) -> list[tuple[str, str]]:
    """(script, chunk) runs; digits, spaces and punctuation stay with the surrounding run."""
    if text.isascii():  # fast path: one Latin run (or none without letters)
        return [("LATIN", text)] if any(c.isalpha() for c in text) else []
    table = _char_scripts(text)
    runs: list[tuple[str, list[str]]] = []
    for ch in text:
        sc = table[ch]
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


MAX_GRID_CELLS = 4_000_000  # bytes held at once by the batched walk (texts are cut into such chunks)


@lru_cache(maxsize=1)
def _dfa_tables():  # type: ignore[no-untyped-def]
    """py3langid's DFA as numpy arrays: next-state table, row offsets, output feature per state."""
    ident = _identifier()
    nm = ident.tk_nextmove
    nm = nm if isinstance(nm, np.ndarray) else np.frombuffer(nm, dtype=np.dtype(f"u{nm.itemsize}"))
    return nm, np.asarray(ident._rowbase, dtype=np.int64), np.asarray(ident.tk_output, dtype=np.int64)


def _dfa_features(texts: list[bytes]) -> list[np.ndarray]:
    """py3langid's byte-level DFA walk over many texts at once (numpy steps over byte positions instead of a
    Python loop per byte): the feature index hit at every position of every text."""
    nm, rowbase, out = _dfa_tables()
    feats: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    start = 0
    while start < len(order):  # longest first; each chunk at most MAX_GRID_CELLS bytes wide x tall
        width = max(1, len(texts[order[start]]))
        chunk = order[start : start + max(1, MAX_GRID_CELLS // width)]
        start += len(chunk)
        lens = np.array([len(texts[i]) for i in chunk])
        grid = np.zeros((len(chunk), width), dtype=np.uint8)
        for r, i in enumerate(chunk):
            grid[r, : lens[r]] = np.frombuffer(texts[i], dtype=np.uint8)
        state = np.zeros(len(chunk), dtype=np.int64)
        hits_row: list[np.ndarray] = []
        hits_feat: list[np.ndarray] = []
        active = len(chunk)
        for pos in range(int(lens[0]) if len(lens) else 0):
            while active and lens[active - 1] <= pos:
                active -= 1
            st = nm[rowbase[state[:active]] + grid[:active, pos]].astype(np.int64)
            state[:active] = st
            f = out[st]
            m = f >= 0
            if m.any():
                hits_row.append(np.flatnonzero(m))
                hits_feat.append(f[m])
        if hits_row:
            rows, fs = np.concatenate(hits_row), np.concatenate(hits_feat)
            srt = np.argsort(rows, kind="stable")
            rows, fs = rows[srt], fs[srt]
            bounds = np.searchsorted(rows, np.arange(len(chunk) + 1))
            for r, i in enumerate(chunk):
                feats[i] = fs[bounds[r] : bounds[r + 1]]
    return feats


def classify_many(texts: list[str]) -> list[tuple[str, float]]:
    """py3langid `classify` of many texts, with the byte walk batched (same model, same scores)."""
    ident = _identifier()
    if len(texts) < 8 or not _batch_ok():
        return [tuple(ident.classify(t)) for t in texts]  # type: ignore[misc]
    enc = [ident._encode(t) for t in texts]
    feats = _dfa_features(enc)
    # one sparse product over the features the batch uses: log1p(counts) @ per-class weights
    rows = np.concatenate([np.full(len(f), i, dtype=np.int64) for i, f in enumerate(feats)])
    cols = np.concatenate(feats) if feats else np.zeros(0, dtype=np.int64)
    used, local = np.unique(cols, return_inverse=True)
    counts = sparse.coo_matrix((np.ones(len(cols), dtype=np.float32), (rows, local)),
                               shape=(len(texts), len(used))).tocsr()
    counts.sum_duplicates()
    counts.data = np.log1p(counts.data)
    scores = np.asarray(counts @ ident.nb_ptc[used].astype(np.float32), dtype=np.float32) + ident.nb_pc
    has = np.array([len(f) > 0 for f in feats])
    scores[~has] = 0.0  # no feature: uniform
    scores *= (1.0 / np.sqrt(np.maximum([len(b) for b in enc], 1)))[:, None].astype(np.float32)
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in ident._alias_pairs:
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    best = scores.argmax(axis=1)
    return [(ident.nb_classes[k], float(scores[r, k])) for r, k in enumerate(best)]


@lru_cache(maxsize=1)
def _batch_ok() -> bool:
    """The batched walk relies on py3langid internals: use it only if it reproduces `classify`."""
    ident = _identifier()
    probe = ["The council met on Monday to discuss the budget.", "Le conseil s'est réuni lundi soir.",
             "Der Rat tagte am Montag.", "Совет собрался в понедельник.", "x", "", "El consejo se reunió.",
             "Il consiglio si è riunito lunedì.", "1234"]
    try:
        if not ident._norm_probs or ident.min_confidence is not None:
            return False
        enc = [ident._encode(t) for t in probe]
        feats = _dfa_features(enc)
        return all(sorted(visit_counts_ref(ident, b)) == sorted(fs.tolist()) for b, fs in zip(enc, feats, strict=True))
    except (AttributeError, TypeError, ValueError, IndexError):
        return False


def visit_counts_ref(ident, text: bytes) -> list[int]:  # type: ignore[no-untyped-def]
    """Reference (per-byte Python) walk, used to check the batched one."""
    state, hits = 0, []
    for letter in text:
        state = ident.tk_nextmove[ident._rowbase[state] + letter]
        f = ident.tk_output[state]
        if f >= 0:
            hits.append(f)
    return hits


def line_languages(lines: list[str]) -> list[tuple[str, float]]:
    """`line_language` of many lines at once (script-decided lines directly, the rest batched)."""
    out: list[tuple[str, float] | None] = [None] * len(lines)
    todo: list[tuple[int, str, float]] = []  # (index, text to classify, probability factor)
    for i, line in enumerate(lines):
        runs = script_runs(line[:MAX_CHARS])
        if not runs:
            todo.append((i, line[:MAX_CHARS], 0.5))
            continue
        if len(runs) > 1:
            totals: dict[str, int] = {}
            for sc, chunk in runs:
                totals[sc] = totals.get(sc, 0) + sum(1 for c in chunk if c.isalpha())
            main = max(totals, key=totals.__getitem__)
            runs = [(main, " ".join(c for sc, c in runs if sc == main))]
        script, chunk = runs[0]
        if script == "KANA" or script in SCRIPT_LANG or script == "CJK":
            out[i] = _run_language(script, chunk)
        else:
            todo.append((i, chunk, 1.0))
    for (i, _, factor), (lang, prob) in zip(todo, classify_many([t for _, t, _ in todo]), strict=True):
        out[i] = (lang, prob * factor)
    return [o if o is not None else ("und", 0.0) for o in out]


def _run_language(script: str, chunk: str) -> tuple[str, float]:
    if script == "KANA":
        return "ja", 1.0
    if script in SCRIPT_LANG:
        return SCRIPT_LANG[script], 1.0
    if script == "CJK":
        return "zh", 0.9
    lang, prob = _identifier().classify(chunk)
    return lang, float(prob)


@lru_cache(maxsize=2048)
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
