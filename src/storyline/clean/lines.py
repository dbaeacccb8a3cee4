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

from storyline.clean.lang import line_language, script_of

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
    r"leer más|lee también|читайте также|смотрите также|по теме|관련기사|더보기"
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
    r"©|\b(photo|image|picture|video|file|credit|getty images|ap photo|afp|reuters|pool|illustration|"
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
    per: list[tuple[str, float] | None] = []
    weight: dict[str, float] = {}
    scripts: dict[str, int] = {}
    for ln in lines:
        n = len(_WORD.findall(ln.text))
        sc = script_of(ln.text)
        if sc:
            scripts[sc] = scripts.get(sc, 0) + len(ln.text)
        if n >= 3 or (sc and sc not in ("LATIN",) and len(ln.text) >= 4):
            lang, prob = line_language(ln.text[:2000])
            per.append((lang, prob))
            weight[lang] = weight.get(lang, 0.0) + len(ln.text) * prob
        else:
            per.append(None)
    main = max(weight, key=weight.__getitem__) if weight else None
    script = max(scripts, key=scripts.__getitem__) if scripts else None
    return main, script, per


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
    long_keys = [(i, k) for i, k in enumerate(keys) if len(k.split()) >= 3][:MAX_NEAR_DUP]
    rows = []
    for i, ln in enumerate(lines):
        t, w, k = ln.text, words[i], keys[i]
        nw = len(w)
        letters = [c for c in t if c.isalpha()]
        near = contains = 0.0
        if nw >= 3:
            for j, other in long_keys:
                if j == i or other == k:
                    continue
                if k in other:
                    near = 1.0  # this line is a fragment of a longer line (e.g. caption + credit)
                elif other in k and len(other) >= 0.5 * len(k):
                    contains = 1.0
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
            _ratio(sum(1 for x in w if x.islower()), nw),
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
    return np.asarray(rows, dtype=float), {"lang": lang, "script": script, "line_lang": per}


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
