"""Query-driven timeline summarisation of a set of dated articles (the Timeline17 task).

Method (news-tls DATEWISE, extended):
1. Split each article into sentences; resolve the day-precise dates each sentence mentions relative to
   the article's publication date, in the article's language (`storyline.stories.dates`).
2. Rank candidate dates from date-reference features (publication counts, mention counts, mentions by
   later articles, mentions near the query ...), either with fixed weights or with a logistic-regression
   `DateRanker` fitted on training topics (`bench/timeline17.py` fits one per held-out topic).
3. For each top date, candidate sentences are those mentioning it (those naming only this date and
   written within two days of it first, capped per date) plus lead sentences of articles published that
   day that mention no other date; they are scored by centrality (cosine to the candidates' centroid and
   to the centroid of all dates' candidates, tf-idf or multilingual USE vectors) times priors, picked by
   MMR while avoiding sentences similar to those already chosen for other dates. A date whose
   candidates are all redundant is skipped for the next-ranked one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from storyline.embed import split_sentences
from storyline.stories.dates import find_dates
from storyline.stories.summarise import (
    Vectors,
    centroid_scores,
    clip,
    is_candidate,
    mmr,
    sentence_vectors,
    stack,
    word_count,
)

MAX_DOC_SENTENCES = 80
MAX_CANDIDATES = 50  # per date (tf-idf); fewer for embeddings, which cost more
LEAD = 5
FEATURES = ("pub", "pub_next", "men", "men_docs", "men_later", "men_week", "men_query", "men_lead")


@dataclass
class TLDoc:
    """One input article."""

    id: str
    text: str
    title: str = ""
    lang: str | None = None
    published: date | None = None
    url: str | None = None


@dataclass
class TLSentence:
    doc: int
    pos: int
    text: str
    pub: date | None
    lang: str | None
    dates: tuple[date, ...] = ()
    query: float = 0.0


@dataclass
class Collection:
    """Sentences of a document set with their resolved date mentions."""

    docs: list[TLDoc]
    sentences: list[TLSentence]
    by_date: dict[date, list[int]] = field(default_factory=dict)  # date -> sentence indices mentioning it
    pub_lead: dict[date, list[int]] = field(default_factory=dict)  # pub date -> undated lead sentences


def query_terms(query: str | Sequence[str] | None) -> list[str]:
    """Lower-case query words; CamelCase and snake/kebab names are split ("SyrianCrisis" -> syrian, crisis)."""
    if not query:
        return []
    words = query if isinstance(query, list | tuple) else [query]
    out: list[str] = []
    for w in words:
        w = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(w))
        out.extend(t.lower() for t in re.findall(r"[^\W_]+", w) if len(t) > 1)
    return list(dict.fromkeys(out))


def _query_score(text: str, terms: Sequence[str]) -> float:
    """Share of query terms present (prefix match on the first 5 letters, a crude stemmer)."""
    if not terms:
        return 0.0
    low = text.lower()
    return sum(1 for t in terms if t[:5] in low) / len(terms)


def _as_date(v: Any) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def prepare(docs: Sequence[TLDoc], query: str | Sequence[str] | None = None,
            span: tuple[date, date] | None = None,
            progress: Callable[[int], None] | None = None) -> Collection:
    """Sentence-split the documents and resolve their date mentions (day granularity only).

    With `span`, dates outside it are dropped (as news-tls restricts to the reference time span)."""
    terms = query_terms(query)
    sents: list[TLSentence] = []
    by_date: dict[date, list[int]] = defaultdict(list)
    pub_lead: dict[date, list[int]] = defaultdict(list)
    for di, d in enumerate(docs):
        pub = d.published
        for pos, raw in enumerate(split_sentences(d.text or "")[:MAX_DOC_SENTENCES]):
            text = clip(raw)
            refs = find_dates(text, d.lang, pub or date.today(), max_chars=500)
            ds = sorted({r.date for r in refs if r.granularity == "day"
                         and (pub is not None or re.search(r"\d{4}", r.text))})
            if span:
                ds = [x for x in ds if span[0] <= x <= span[1]]
            si = len(sents)
            sents.append(TLSentence(doc=di, pos=pos, text=text, pub=pub, lang=d.lang, dates=tuple(ds),
                                    query=_query_score(text, terms)))
            for x in ds:
                by_date[x].append(si)
            if not refs and pub is not None and pos < LEAD:
                pub_lead[pub].append(si)
        if progress:
            progress(1)
    return Collection(docs=list(docs), sentences=sents, by_date=dict(by_date), pub_lead=dict(pub_lead))


def date_features(coll: Collection, span: tuple[date, date] | None = None) -> tuple[list[date], np.ndarray]:
    """Candidate dates and their features (log counts scaled by the collection maximum to [0, 1])."""
    raw: dict[date, Counter[str]] = defaultdict(Counter)
    for d in coll.docs:
        if d.published:
            raw[d.published]["pub"] += 1
            raw[d.published - timedelta(days=1)]["pub_next"] += 1
    for day, idx in coll.by_date.items():
        c = raw[day]
        docs = {coll.sentences[i].doc for i in idx}
        c["men"] += len(idx)
        c["men_docs"] += len(docs)
        for di in docs:
            pub = coll.docs[di].published
            if pub and pub > day:
                c["men_later"] += 1
            if pub and (pub - day).days >= 7:
                c["men_week"] += 1
        c["men_query"] += sum(1 for i in idx if coll.sentences[i].query > 0)
        c["men_lead"] += sum(1 for i in idx if coll.sentences[i].pos < LEAD)
    dates = sorted(d for d, c in raw.items() if (c["pub"] or c["men"])
                   and (span is None or span[0] <= d <= span[1]))
    if not dates:
        return [], np.zeros((0, len(FEATURES)))
    x = np.array([[math.log1p(raw[d][f]) for f in FEATURES] for d in dates], dtype=np.float64)
    top = x.max(axis=0)
    top[top == 0] = 1.0
    return dates, x / top


DEFAULT_WEIGHTS = {"pub": 0.5, "pub_next": 0.2, "men": 0.3, "men_docs": 1.0, "men_later": 0.5,
                   "men_week": 0.3, "men_query": 0.2, "men_lead": 0.2}


@dataclass
class DateRanker:
    """Linear date scorer over `FEATURES`; `fit` learns the weights by logistic regression."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bias: float = 0.0

    def score(self, x: np.ndarray) -> np.ndarray:
        w = np.array([self.weights.get(f, 0.0) for f in FEATURES])
        return x @ w + self.bias

    @classmethod
    def fit(cls, data: Iterable[tuple[np.ndarray, np.ndarray]], c: float = 1.0) -> DateRanker:
        """Fit on (features, is-gold-date) pairs of training collections."""
        from sklearn.linear_model import LogisticRegression

        xs, ys = zip(*data, strict=True)
        x, y = np.vstack(xs), np.concatenate(ys)
        if len(set(y.tolist())) < 2:
            raise ValueError("date ranker needs both gold and non-gold dates to fit")
        m = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(x, y)
        return cls(weights={f: float(v) for f, v in zip(FEATURES, m.coef_[0], strict=True)},
                   bias=float(m.intercept_[0]))

    def to_dict(self) -> dict[str, Any]:
        return {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DateRanker:
        return cls(weights={k: float(v) for k, v in d["weights"].items()}, bias=float(d.get("bias", 0.0)))


def rank_dates(coll: Collection, ranker: DateRanker | None = None,
               span: tuple[date, date] | None = None) -> list[tuple[date, float]]:
    """Candidate dates, best first."""
    dates, x = date_features(coll, span)
    if not dates:
        return []
    s = (ranker or DateRanker()).score(x)
    order = sorted(range(len(dates)), key=lambda i: (-s[i], dates[i]))
    return [(dates[i], float(s[i])) for i in order]


def _near(s: TLSentence, day: date, days: int = 2) -> bool:
    """Published within `days` of `day` (either side): written close to the event."""
    return s.pub is not None and abs((s.pub - day).days) <= days


def _candidates(coll: Collection, day: date, limit: int, max_words: int = 50, near_first: bool = True) -> list[int]:
    """Up to `limit` candidate sentences for `day`, best sources first: mentions naming only this date,
    (with `near_first`) those published within two days of it, earlier positions in the article;
    then undated lead sentences of articles published that day."""
    mention = [i for i in coll.by_date.get(day, []) if is_candidate(coll.sentences[i].text, 6, max_words)]
    lead = [i for i in coll.pub_lead.get(day, []) if is_candidate(coll.sentences[i].text, 6, max_words)]
    seen: set[str] = set()
    out: list[int] = []

    def key(i: int) -> tuple[bool, bool, int]:
        s = coll.sentences[i]
        return len(s.dates) > 1, near_first and not _near(s, day), s.pos

    for i in sorted(mention, key=key) + lead:
        text = coll.sentences[i].text.lower()
        if text in seen:
            continue
        seen.add(text)
        out.append(i)
        if len(out) >= limit:
            break
    return out


def _fresh(s: TLSentence, day: date) -> bool:
    """Written within two days after `day` (a report of the event rather than a later look back)."""
    return s.pub is not None and 0 <= (s.pub - day).days <= 2


def summarise(coll: Collection, n_dates: int = 10, n_sents: int = 1, *, ranker: DateRanker | None = None,
              span: tuple[date, date] | None = None, vectors: str = "tfidf", query_weight: float = 0.0,
              display_lang: str | None = None, redundancy: float | None = None,
              pool: int = 3, max_words: int = 50, length_pref: float = 0.0,
              topic_weight: float = 2.0, fresh_weight: float = 0.0, candidates: int | None = None,
              near_first: bool = True, lead_weight: float = 0.1,
              encoder: Any | None = None) -> list[tuple[date, list[TLSentence]]]:
    """The timeline: up to `n_dates` dates, each with up to `n_sents` sentences, in date order.

    `pool` x `n_dates` top-ranked dates are considered so that dates without usable sentences can be
    replaced by the next ones. `length_pref` favours shorter sentences (score / words**length_pref);
    `topic_weight` adds closeness to the centroid of all candidates (what the whole collection is about).
    `fresh_weight` favours sentences published within two days after the date.
    `candidates` caps the sentences considered per date (`near_first`: those published within two days of
    the date are taken first); `query_weight` favours sentences containing the query words;
    `redundancy` is the cosine above which a sentence counts as a repeat; `encoder` overrides the sentence
    encoder. Defaults: chosen on Timeline17 (see docs/benchmarks.md, section timelines)."""
    ranked = rank_dates(coll, ranker, span)[: max(n_dates * pool, n_dates)]
    if not ranked:
        return []
    limit = candidates or (MAX_CANDIDATES if vectors == "tfidf" else 40)
    cands = {d: _candidates(coll, d, limit, max_words, near_first) for d, _ in ranked}
    all_idx = sorted({i for idx in cands.values() for i in idx})
    if not all_idx:
        return []
    pos = {i: k for k, i in enumerate(all_idx)}
    vecs = sentence_vectors([coll.sentences[i].text for i in all_idx], vectors, encoder)
    topic = centroid_scores(vecs) if topic_weight else np.zeros(len(all_idx))
    max_sim = redundancy if redundancy is not None else (0.35 if vectors == "tfidf" else 0.8)
    chosen_vecs: list[Vectors] = []
    out: list[tuple[date, list[TLSentence]]] = []
    for day, _ in ranked:
        idx = cands[day]
        if not idx:
            continue
        v = vecs[[pos[i] for i in idx]]
        rows = [pos[i] for i in idx]
        sc = centroid_scores(v) + topic_weight * topic[rows]
        if length_pref:
            sc = sc / np.array([max(word_count(coll.sentences[i].text), 5) for i in idx]) ** length_pref
        prior = np.array([1.0 + query_weight * coll.sentences[i].query
                          + (0.2 if display_lang and coll.sentences[i].lang == display_lang else 0.0)
                          + (lead_weight if coll.sentences[i].pos < LEAD else 0.0)
                          + (fresh_weight if _fresh(coll.sentences[i], day) else 0.0) for i in idx])
        avoid = stack(chosen_vecs) if chosen_vecs else None
        pick = mmr(v, sc * prior, n_sents, lam=0.7, avoid=avoid, max_sim=max_sim)
        if not pick:
            continue
        out.append((day, [coll.sentences[idx[k]] for k in pick]))
        chosen_vecs.extend(v[k : k + 1] for k in pick)
        if len(out) >= n_dates:
            break
    out.sort(key=lambda t: t[0])
    return out


def timeline(docs: Sequence[TLDoc], query: str | Sequence[str] | None = None, n_dates: int = 10,
             n_sents: int = 1, **kw: Any) -> list[dict[str, Any]]:
    """Convenience: prepare + summarise, as JSON-able `{"date", "sentences", "articles"}` records."""
    span = kw.pop("span", None)
    coll = prepare(docs, query, span=span, progress=kw.pop("progress", None))
    tl = summarise(coll, n_dates, n_sents, span=span, **kw)
    return [{"date": d.isoformat(), "sentences": [s.text for s in ss],
             "articles": [coll.docs[s.doc].id for s in ss]} for d, ss in tl]
