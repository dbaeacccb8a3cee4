"""Quotes: direct quotes in any common quotation-mark style, and reported speech, with speakers.

Speaker rule: the speech verb nearest the quote (after it first, then before it, then a colon
introducing it) and the person entity nearest that verb in the same stretch of text; a pronoun
next to the verb resolves to the last person mentioned before the quote; organisations and places
("the Kremlin said", "Pyongyang said") are used when no person is there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from storyline.enrich import lexicon
from storyline.models import Entity, Quote

MAX_QUOTE = 1500
MIN_WORDS = 3
CONTEXT = 160

_PAIRS = [
    ("“", "”"), ("“", "“"), ("„", "“"), ("„", "”"), ("«", "»"), ("»", "«"), ("「", "」"), ("『", "』"),
    ("‹", "›"), ('"', '"'),
]
_DIRECT = re.compile(
    "|".join(
        rf"{re.escape(o)}(?P<q{i}>[^{re.escape(o + c)}\n]{{2,{MAX_QUOTE}}}?){re.escape(c)}"
        for i, (o, c) in enumerate(_PAIRS)
    )
    + rf"|(?<!\w)‘(?P<qs>[^‘’\n]{{2,{MAX_QUOTE}}}?)’(?!\w)"
)
# Dialogue dash (ru/fr/es): "— Мы готовы, — сказал он."
_DASH = re.compile(rf"(?m)^[ \t]*[—–][ \t]*(?P<q>[^—–\n]{{2,{MAX_QUOTE}}}?)[,.!?…]?[ \t]+[—–][ \t]+(?=\w)")
_SENT_END = re.compile(r"[.!?。！？…]\s|\n")


@dataclass
class _Span:
    start: int
    end: int  # content span (without marks)
    outer_start: int
    outer_end: int


@lru_cache(maxsize=16)
def _verb_re(lang: str) -> re.Pattern[str]:
    verbs = sorted(set(lexicon.speech_verbs(lang)), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, verbs)) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=16)
def _according_re(lang: str) -> re.Pattern[str] | None:
    marks = lexicon.ACCORDING_TO.get(lang) or []
    if not marks:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, marks)) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=16)
def _pronoun_re(lang: str) -> re.Pattern[str]:
    prons = lexicon.PRONOUNS.get(lang, set()) | lexicon.PRONOUNS["en"]
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(prons, key=len, reverse=True))) + r")(?!\w)",
                      re.IGNORECASE)


def direct_spans(text: str) -> list[_Span]:
    """Quoted stretches of at least MIN_WORDS words (scare quotes around a term are skipped)."""
    out: list[_Span] = []
    for m in _DIRECT.finditer(text):
        name = next(k for k, v in m.groupdict().items() if v is not None)
        s, e = m.span(name)
        out.append(_Span(s, e, m.start(), m.end()))
    for m in _DASH.finditer(text):
        s, e = m.span("q")
        if not any(s < x.outer_end and x.outer_start < e for x in out):
            out.append(_Span(s, e, m.start(), m.end()))
    out = [x for x in out if len(text[x.start : x.end].split()) >= MIN_WORDS]
    out.sort(key=lambda x: x.start)
    return out


class _Speakers:
    """Speaker lookup over an article's entities (outside quotes)."""

    def __init__(self, text: str, lang: str, entities: Sequence[Entity], quoted: list[_Span]) -> None:
        self.text = text
        self.lang = lang
        self.ents = [
            e for e in entities
            if e.label in ("PER", "ORG", "LOC", "MISC") and e.key
            and not any(q.start <= e.start < q.end for q in quoted)
        ]
        self.verb = _verb_re(lang)
        self.pron = _pronoun_re(lang)

    def last_person_before(self, pos: int) -> Entity | None:
        people = [e for e in self.ents if e.label == "PER" and e.end <= pos]
        return people[-1] if people else None

    def near(self, lo: int, hi: int, anchor: int) -> Entity | None:
        """Entity in [lo, hi) nearest to `anchor`, people first."""
        inside = [e for e in self.ents if lo <= e.start and e.end <= hi]
        for labels in (("PER",), ("ORG", "LOC", "MISC")):
            cands = [e for e in inside if e.label in labels]
            if cands:
                return min(cands, key=lambda e: min(abs(e.start - anchor), abs(e.end - anchor)))
        return None

    def around_verb(self, lo: int, hi: int, vs: int, ve: int, before: int) -> Entity | None:
        """Speaker for a speech verb at [vs, ve) looked for in [lo, hi)."""
        ent = self.near(lo, hi, (vs + ve) // 2)
        if ent is not None and (ent.label == "PER" or not self._pronoun_near(vs, ve, lo, hi)):
            return ent
        if self._pronoun_near(vs, ve, lo, hi):
            return self.last_person_before(before)
        return ent

    def _pronoun_near(self, vs: int, ve: int, lo: int, hi: int) -> bool:
        left = self.text[max(lo, vs - 25) : vs]
        right = self.text[ve : min(hi, ve + 12)]
        return bool(self.pron.search(left) or self.pron.search(right) or "-t-" in self.text[vs:ve])


def find_quotes(text: str, lang: str | None, entities: Sequence[Entity],
                sentences: Sequence[tuple[int, int]]) -> list[Quote]:
    """Direct quotes and reported speech in `text`, with speakers resolved to entity keys."""
    lang = (lang or "en").lower()
    spans = direct_spans(text)
    sp = _Speakers(text, lang, entities, spans)
    quotes: list[Quote] = []
    prev: tuple[int, Entity | None] | None = None
    for q in spans:
        speaker = _direct_speaker(sp, q, spans)
        if speaker is None and prev and q.outer_start - prev[0] < 250 and prev[1] is not None:
            between = [e for e in sp.ents if prev[0] <= e.start < q.outer_start and e.label == "PER"
                       and e.key != prev[1].key]
            if not between:  # a continuation of the previous speaker's quote
                speaker = prev[1]
        quotes.append(_quote(text[q.start : q.end], speaker, "direct", q.start, q.end))
        prev = (q.outer_end, speaker)
    quotes.extend(_reported(text, lang, sp, spans, sentences))
    quotes.sort(key=lambda x: x.start)
    return quotes


def _quote(text: str, speaker: Entity | None, kind: str, start: int, end: int) -> Quote:
    return Quote(
        text=text.strip(), speaker=(speaker.canonical or speaker.text) if speaker else None,
        speaker_key=speaker.key if speaker else None, kind=kind, start=start, end=end,
    )


def _direct_speaker(sp: _Speakers, q: _Span, spans: list[_Span]) -> Entity | None:
    text = sp.text
    # right context: up to the next sentence end / next quote
    hi = min(len(text), q.outer_end + CONTEXT)
    nxt = [x.outer_start for x in spans if x.outer_start >= q.outer_end]
    if nxt:
        hi = min(hi, nxt[0])
    m_end = _SENT_END.search(text, q.outer_end, hi)
    r_hi = m_end.start() + 1 if m_end else hi
    v = sp.verb.search(text, q.outer_end, r_hi)
    verb_after = bool(v and v.start() - q.outer_end < 60)
    if v and verb_after:
        ent = sp.around_verb(q.outer_end, r_hi, v.start(), v.end(), q.start)
        if ent is not None:
            return ent
    # left context: back to the previous sentence end / previous quote
    lo = max(0, q.outer_start - CONTEXT)
    prv = [x.outer_end for x in spans if x.outer_end <= q.outer_start]
    if prv:
        lo = max(lo, prv[-1])
    ends = list(_SENT_END.finditer(text, lo, q.outer_start))
    if ends:
        lo = ends[-1].end()
    left = list(sp.verb.finditer(text, lo, q.outer_start))
    if left:
        v2 = left[-1]
        ent = sp.around_verb(lo, q.outer_start, v2.start(), v2.end(), q.start)
        if ent is not None:
            return ent
    if verb_after or text[lo : q.outer_start].rstrip().endswith(":"):
        # "Putin told reporters: '...'" / Korean "푸틴은 '...'고 말했다": subject before the quote
        return sp.near(lo, q.outer_start, q.outer_start)
    return None


def _reported(text: str, lang: str, sp: _Speakers, spans: list[_Span],
              sentences: Sequence[tuple[int, int]]) -> list[Quote]:
    out: list[Quote] = []
    acc = _according_re(lang)
    that = lexicon.THAT.get(lang, []) + (lexicon.THAT["en"] if lang != "en" else [])
    that_re = re.compile(r"(?<!\w)[\s,:]*(?:" + "|".join(map(re.escape, that)) + r")(?!\w)\s*", re.IGNORECASE) \
        if that else None
    for ss, se in sentences:
        if any(ss < x.outer_end and x.outer_start < se for x in spans):
            continue
        if acc is not None:
            m = acc.search(text, ss, se)
            if m:
                q = _according(sp, ss, se, m, lang)
                if q:
                    out.append(q)
                    continue
        for v in sp.verb.finditer(text, ss, se):
            q = _speech_clause(sp, ss, se, v, that_re)
            if q:
                out.append(q)
                break
    return out


def _content(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,:;—–-\t":
        s += 1
    while e > s and text[e - 1] in " .,;:!?\t":
        e -= 1
    return s, e


def _according(sp: _Speakers, ss: int, se: int, m: re.Match[str], lang: str) -> Quote | None:
    text = sp.text
    ms, me = m.start(), m.end()
    postposition = m.group().lower() in ("zufolge", "göre")
    if postposition:
        speaker = sp.near(max(ss, ms - 60), ms, ms)
        cs, ce = _content(text, me, se)
    else:
        speaker = sp.near(me, min(se, me + 80), me)
        comma = text.find(",", speaker.end if speaker else me, se)
        if ms - ss < 5 and comma > 0:  # "According to X, clause."
            cs, ce = _content(text, comma + 1, se)
        else:  # "Clause, according to X."
            cs, ce = _content(text, ss, ms)
    if speaker is None or len(text[cs:ce].split()) < MIN_WORDS:
        return None
    return _quote(text[cs:ce], speaker, "reported", cs, ce)


def _speech_clause(sp: _Speakers, ss: int, se: int, v: re.Match[str],
                   that_re: re.Pattern[str] | None) -> Quote | None:
    text = sp.text
    vs, ve = v.start(), v.end()
    after = text[ve:se]
    rest = after.strip(" .!?")
    # "Clause, X said." / "Clause, said X." : verb near the end of the sentence
    tail = [e for e in sp.ents if ve <= e.start < se]
    if len(rest.split()) <= 4 and (not tail or tail[-1].end >= se - 3 or len(rest.split()) <= 1):
        speaker = sp.around_verb(max(ss, vs - 60), se, vs, ve, vs)
        head_end = speaker.start if speaker and speaker.start < vs else vs
        comma = max(text.rfind(",", ss, head_end), text.rfind("—", ss, head_end))
        cs, ce = _content(text, ss, comma if comma > ss else head_end)
        if speaker is None or len(text[cs:ce].split()) < MIN_WORDS:
            return None
        return _quote(text[cs:ce], speaker, "reported", cs, ce)
    # "X said (that) clause"
    speaker = sp.around_verb(ss, min(se, ve + 40), vs, ve, vs)
    if speaker is None:
        return None
    start = ve
    if speaker.start >= ve:  # inverted: "a déclaré X que ..." / "заявил Путин, что"
        start = speaker.end
    if that_re is not None:
        m = that_re.search(text, start, min(se, start + 40))  # "said on Tuesday that ..."
        if m:
            start = m.end()
        elif text[start:se].lstrip().startswith((",", ":")):
            start = text.index(text[start:se].lstrip()[0], start) + 1
        elif (sp.lang == "en" and v.group().lower() in lexicon.BARE_CLAUSE_VERBS
              and (text[start:se].split() or [""])[0].lower() in lexicon.CLAUSE_STARTERS):
            pass  # "X said the talks would continue"
        else:
            return None  # "X said on Tuesday" without a complement: not reported speech
    cs, ce = _content(text, start, se)
    if len(text[cs:ce].split()) < MIN_WORDS:
        return None
    return _quote(text[cs:ce], speaker, "reported", cs, ce)
