"""Line features of scraped page text: what makes a line article body or page furniture.

Features are site-independent: shape (length, words, punctuation, capitalisation, digits), position,
generic furniture phrasing (teasers, widgets, credits, legal), repetition of other lines, language and
script versus the document's main language, and neighbourhood (blank lines, neighbours' lengths).
`storyline.clean.linemodel` turns them into body probabilities.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from storyline.clean.lang import line_languages, script_of

MAX_LINE_CHARS = 20_000  # longer "lines" are truncated before analysis (hostile input)
MAX_NEAR_DUP = 1500

_WORD = re.compile(r"\w+", re.UNICODE)
_SENT_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*$")
_QUOTE_END = re.compile(r"['\"”’»]$")
_QUOTE_START = re.compile(r"^['\"“‘«„]")
_URLISH = re.compile(r"https?://|www\.|\.(com|org|net|html?)\b|@\w", re.I)
_CAPS_PREFIX = re.compile(r"^[A-Z][A-Z0-9 '&-]{2,30}:\s")
_SITE_SUFFIX = re.compile(r"\s[-|–—:]\s([A-Z][\w.&' ]{1,40})$")
# Generic furniture vocabulary (several languages); about page widgets, not about any one site.
TEASER_WORDS = (
    r"read (more|also|next)|see also|related( (stories|articles|posts|content|news))?|more (from|on|about|"
    r"stories|news)|recommended|most (read|popular|viewed|shared)|trending|top stories|you may (also )?like|"
    r"don't miss|watch( now)?|lire aussi|à lire|voir aussi|mehr zum thema|lesen sie auch|auch interessant|"
    r"leer más|lee también|читайте также|смотрите также|по теме|관련 ?기사|함께 (보면 좋은|볼만한) 기사|많이 본 기사|더보기"
)
_TEASER = re.compile(rf"\b({TEASER_WORDS})\b", re.I)
TEASER_PREFIX = re.compile(rf"^\W{{0,3}}({TEASER_WORDS})\s*[:：»>|-]", re.I)
_WIDGET = re.compile(
    r"\b(subscribe|sign (up|in)|log ?in|log out|register|newsletter|follow us|follow \w+ on|share (this|on)|"
    r"shares?|tweet|facebook|twitter|instagram|linkedin|whatsapp|pinterest|e-?mail( this)?|print( this)?|"
    r"comments?|reply|advertisement|advertising|sponsored|cookies?|privacy|terms (of|and)|contact us|"
    r"about us|all rights reserved|copyright|newsfeed|menu|search|home ?page|skip to|click here|loading|"
    r"abonnez|connexion|partager|commentaires?|anmelden|teilen|kommentare?|werbung|datenschutz|impressum|"
    r"подписаться|войти|комментари\w*|поделиться|реклама|로그인|구독|댓글|공유)\b",
    re.I,
)
_CREDIT = re.compile(
    r"[©ⓒ]|\b(photo|image|picture|video|file|credit|getty images|ap photo|afp|reuters|pool|illustration|"
    r"caption|foto|bild|фото)\b\s*[:/|)]?",
    re.I,
)
_DATE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-](19|20)\d{2}|(19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janv|févr|mars|avr|mai|juin|juil|août|sept|"
    r"déc|januar|februar|märz|juni|juli|okt|dez|января|февраля|марта|апреля|мая|июня|июля|августа|"
    r"сентября|октября|ноября|декабря)[a-zéû]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+(19|20)\d{2}|"
    r"\d{1,2}\.?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|mars|avr|mai|juin|juil|août|"
    r"déc|januar|februar|märz|juni|juli|okt|dez|января|февраля|марта|апреля|мая|июня|июля|августа|"
    r"сентября|октября|ноября|декабря)[a-zéû]*\.?,?\s+(19|20)\d{2}|(19|20)\d{2}년\s*\d{1,2}월)",
    re.I,
)

FEATURES = [
    "log_chars", "log_words", "position", "mass_before", "is_first", "sentence_end", "quote_end",
    "quote_start", "colon_end", "n_sentences", "cap_word_ratio", "lower_word_ratio", "upper_char_ratio",
    "digit_ratio", "punct_ratio", "comma_per_word", "short_word_ratio", "mean_word_len", "urlish",
    "caps_prefix", "site_suffix", "teaser", "widget", "credit", "hashtag_ratio", "pipe", "dup_exact",
    "dup_near", "contains_other", "lang_mismatch", "script_mismatch", "blank_before", "blank_after",
    "prev_log_words", "next_log_words", "window_log_words", "window_sentence_end", "long_run",
    "has_date", "single_word", "headline_like", "teaser_prefix",
    "rel_len", "prev_sentence_end", "next_sentence_end",
]
# neighbour windows: previous line, next line and the mean over +-5 lines of these base features
WINDOWED = ["sentence_end", "widget", "teaser", "cap_word_ratio", "log_words", "urlish", "credit",
            "headline_like", "digit_ratio", "punct_ratio", "lower_word_ratio", "dup_exact", "has_date"]
BLOCK = ["in_prose_block", "lines_before_prose", "lines_after_prose", "prose_after", "prose_before",
         "para_sentence_end", "para_lines", "para_words"]
BASE_FEATURES = list(FEATURES)
FEATURES = BASE_FEATURES + [f"{k}_{w}" for k in WINDOWED for w in ("prev", "next", "win5")] + BLOCK
PROSE_WORDS = 12  # a "prose" line: at least this many words and a sentence end


@dataclass
class Line:
    """A non-empty line of a page dump with its layout context."""

    text: str
    index: int  # position among non-empty lines
    blank_before: bool
    blank_after: bool


def split_lines(raw: str) -> list[Line]:
    """Non-empty, stripped lines with the blank-line layout around them."""
    out: list[Line] = []
    blank = True
    for ln in (raw or "").splitlines():
        s = " ".join(ln.split())[:MAX_LINE_CHARS]
        if not s:
            blank = True
            if out:
                out[-1].blank_after = True
            continue
        out.append(Line(s, len(out), blank, False))
        blank = False
    if out:
        out[-1].blank_after = True
    return out


def norm_key(text: str) -> str:
    """Lower-cased word sequence, for duplicate detection."""
    return " ".join(_WORD.findall(text.lower()))


def doc_language(lines: list[Line]) -> tuple[str | None, str | None, list[tuple[str, float] | None]]:
    """(main language, main script, per-line (lang, prob) or None for lines too short to classify)."""
    per: list[tuple[str, float] | None] = [None] * len(lines)
    weight: dict[str, float] = {}
    scripts: dict[str, int] = {}
    todo: list[int] = []
    for i, ln in enumerate(lines):
        n = len(_WORD.findall(ln.text))
        sc = script_of(ln.text)
        if sc:
            scripts[sc] = scripts.get(sc, 0) + len(ln.text)
        if n >= 3 or (sc and sc not in ("LATIN",) and len(ln.text) >= 4):
            todo.append(i)
    # one batched pass over the lines (repeated lines once)
    texts = list(dict.fromkeys(lines[i].text[:2000] for i in todo))
    found = dict(zip(texts, line_languages(texts), strict=True))
    for i in todo:
        lang, prob = found[lines[i].text[:2000]]
        per[i] = (lang, prob)
        weight[lang] = weight.get(lang, 0.0) + len(lines[i].text) * prob
    main = max(weight, key=weight.__getitem__) if weight else None
    script = max(scripts, key=scripts.__getitem__) if scripts else None
    return main, script, per


def _lower_like(word: str) -> bool:
    """A lower-case word, or a word of a script without case (Hangul, CJK, Arabic...), which reads like
    running text rather than a capitalised name or heading."""
    return word.islower() or (word.isalpha() and word.lower() == word.upper())


def _ratio(n: int, d: int) -> float:
    return n / d if d else 0.0


def line_features(lines: list[Line]) -> tuple[np.ndarray, dict[str, object]]:
    """Feature matrix (one row per line, columns = FEATURES) and document facts (lang, script)."""
    n = len(lines)
    if not n:
        return np.zeros((0, len(FEATURES))), {"lang": None, "script": None}
    lang, script, per = doc_language(lines)
    keys = [norm_key(ln.text) for ln in lines]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    words = [_WORD.findall(ln.text) for ln in lines]
    nwords = np.array([len(w) for w in words], dtype=float)
    lens = np.array([len(ln.text) for ln in lines], dtype=float)
    cum = np.concatenate([[0.0], np.cumsum(lens)])
    total = float(cum[-1]) or 1.0
    sent_end = np.array([1.0 if _SENT_END.search(ln.text) else 0.0 for ln in lines])
    max_lw = max(1.0, float(np.log1p(nwords).max()))
    # near-duplicate search is quadratic: bounded to the first MAX_NEAR_DUP lines of 3+ words
    near_set, contains_set = near_duplicates(keys)
    rows = []
    for i, ln in enumerate(lines):
        t, w, k = ln.text, words[i], keys[i]
        nw = len(w)
        letters = [c for c in t if c.isalpha()]
        near, contains = float(i in near_set), float(i in contains_set)
        pl = per[i]
        lo, hi = max(0, i - 3), min(n, i + 4)
        run = 0
        j = i
        while j >= 0 and nwords[j] >= 12 and i - j < 30:
            run += 1
            j -= 1
        j = i + 1
        while j < n and nwords[j] >= 12 and j - i < 30:
            run += 1
            j += 1
        line_script = script_of(t)
        rows.append([
            math.log1p(len(t)),
            math.log1p(nw),
            i / max(1, n - 1),
            cum[i] / total,
            1.0 if i == 0 else 0.0,
            sent_end[i],
            1.0 if _QUOTE_END.search(t) else 0.0,
            1.0 if _QUOTE_START.search(t) else 0.0,
            1.0 if t.endswith(":") else 0.0,
            math.log1p(len(re.findall(r"[.!?。](\s|$)", t))),
            _ratio(sum(1 for x in w if x[:1].isupper()), nw),
            _ratio(sum(1 for x in w if _lower_like(x)), nw),
            _ratio(sum(1 for c in letters if c.isupper()), len(letters)),
            _ratio(sum(1 for c in t if c.isdigit()), len(t)),
            _ratio(sum(1 for c in t if not c.isalnum() and not c.isspace()), len(t)),
            _ratio(t.count(","), nw),
            _ratio(sum(1 for x in w if len(x) <= 3), nw),
            _ratio(sum(len(x) for x in w), nw) / 10.0,
            1.0 if _URLISH.search(t) else 0.0,
            1.0 if _CAPS_PREFIX.search(t) else 0.0,
            1.0 if _SITE_SUFFIX.search(t) else 0.0,
            1.0 if _TEASER.search(t) else 0.0,
            1.0 if _WIDGET.search(t) else 0.0,
            1.0 if _CREDIT.search(t) else 0.0,
            _ratio(len(re.findall(r"(^|\s)#\w", t)), max(1, nw)),
            1.0 if " | " in t or " / " in t else 0.0,
            1.0 if counts[k] > 1 else 0.0,
            near,
            contains,
            1.0 if pl and lang and pl[0] != lang and pl[1] > 0.8 else 0.0,
            1.0 if line_script and script and line_script != script else 0.0,
            1.0 if ln.blank_before else 0.0,
            1.0 if ln.blank_after else 0.0,
            math.log1p(nwords[i - 1]) if i > 0 else 0.0,
            math.log1p(nwords[i + 1]) if i + 1 < n else 0.0,
            float(np.mean(np.log1p(nwords[lo:hi]))),
            float(np.mean(sent_end[lo:hi])),
            math.log1p(run),
            1.0 if _DATE.search(t) else 0.0,
            1.0 if nw <= 1 else 0.0,
            1.0 if 3 <= nw <= 16 and not sent_end[i] and _ratio(sum(1 for x in w if x[:1].isupper()), nw) >= 0.6
            else 0.0,
            1.0 if TEASER_PREFIX.match(t) else 0.0,
            math.log1p(nw) / max_lw,
            sent_end[i - 1] if i > 0 else 0.0,
            sent_end[i + 1] if i + 1 < n else 0.0,
        ])
    base = np.asarray(rows, dtype=float)
    return np.hstack([base, window_features(base), block_features(lines, base)]), \
        {"lang": lang, "script": script, "line_lang": per}


def near_duplicates(keys: list[str]) -> tuple[set[int], set[int]]:
    """(lines that are a fragment of another line, lines that contain another line of at least half their
    length), comparing lines of 3+ words with the first MAX_NEAR_DUP such lines. A fragment's interior
    words are whole consecutive words of the longer line, so only lines sharing its rarest interior word
    n-gram (n <= 3) are compared: an inverted index instead of all pairs."""
    multi = [i for i, k in enumerate(keys) if k.count(" ") >= 2]
    words = {i: keys[i].split() for i in multi}
    index: dict[tuple[str, ...], set[int]] = {}
    for i in multi:
        w = words[i]
        for n in (1, 2, 3):
            for g in {tuple(w[a : a + n]) for a in range(len(w) - n + 1)}:
                index.setdefault(g, set()).add(i)

    def holders(i: int) -> set[int]:
        inner = words[i][1:-1]
        n = min(3, len(inner))
        return min((index.get(tuple(inner[a : a + n]), set()) for a in range(len(inner) - n + 1)), key=len)

    long_set = set(multi[:MAX_NEAR_DUP])
    near: set[int] = set()
    contains: set[int] = set()
    for i in multi:  # i inside a longer line j (j among the first MAX_NEAR_DUP)
        if any(j in long_set and keys[j] != keys[i] and keys[i] in keys[j] for j in holders(i)):
            near.add(i)
    for j in multi[:MAX_NEAR_DUP]:  # line i contains line j of at least half its length
        for i in holders(j):
            if keys[j] != keys[i] and keys[j] in keys[i] and len(keys[j]) >= 0.5 * len(keys[i]):
                contains.add(i)
    return near, contains


def window_features(base: np.ndarray) -> np.ndarray:
    """Previous-line, next-line and +-5-line mean values of the WINDOWED base features."""
    n = len(base)
    cols = []
    idx = np.arange(n)
    lo, hi = np.maximum(0, idx - 5), np.minimum(n, idx + 6)
    for k in WINDOWED:
        v = base[:, BASE_FEATURES.index(k)]
        pad = np.concatenate([[0.0], v, [0.0]])
        cs = np.concatenate([[0.0], np.cumsum(v)])
        cols += [pad[:n], pad[2:], (cs[hi] - cs[lo]) / (hi - lo)]
    return np.stack(cols, 1)


def block_features(lines: list[Line], base: np.ndarray) -> np.ndarray:
    """Where a line lies relative to the document's main prose block (the maximum-sum run of long
    sentence-like lines), how much prose comes before/after it, and the shape of its paragraph
    (lines between blank lines)."""
    n = len(base)
    prose = ((base[:, BASE_FEATURES.index("log_words")] >= math.log1p(PROSE_WORDS))
             & (base[:, BASE_FEATURES.index("sentence_end")] > 0)).astype(float)
    best, span, cur, start = 0.0, (0, 0), 0.0, 0
    for i, v in enumerate(prose - 0.35 * (1.0 - prose)):
        if cur <= 0:
            cur, start = 0.0, i
        cur += v
        if cur > best:
            best, span = cur, (start, i + 1)
    lo, hi = span
    idx = np.arange(n)
    cs = np.concatenate([[0.0], np.cumsum(prose)])
    total = max(float(cs[-1]), 1.0)
    para = np.cumsum([1 if ln.blank_before else 0 for ln in lines])
    se, lw = base[:, BASE_FEATURES.index("sentence_end")], base[:, BASE_FEATURES.index("log_words")]
    p_se, p_lines, p_words = np.zeros(n), np.zeros(n), np.zeros(n)
    for b in np.unique(para):
        m = para == b
        p_se[m], p_lines[m], p_words[m] = se[m].mean(), math.log1p(int(m.sum())), math.log1p(np.expm1(lw[m]).sum())
    return np.stack([
        ((idx >= lo) & (idx < hi)).astype(float),
        np.log1p(np.clip(lo - idx, 0, None)),
        np.log1p(np.clip(idx - hi + 1, 0, None)),
        (total - cs[idx + 1]) / total,
        cs[idx] / total,
        p_se, p_lines, p_words,
    ], 1)


HASHTAGS_ONLY = re.compile(r"^(#\w+[\s,;·|]*)+$")


def find_date_phrase(text: str) -> str | None:
    """The first date-like phrase in `text`, if any."""
    m = _DATE.search(text)
    return m.group(0) if m else None


def site_suffix(text: str) -> str | None:
    """The outlet-like suffix of a line ("... - Sputnik International" -> "Sputnik International")."""
    m = _SITE_SUFFIX.search(text)
    if m and len(m.group(1).split()) <= 4:
        return m.group(1).strip()
    return None
