"""Fit the clusterer's "join or start a new cluster?" decision on labelled dev streams.

1. `collect_pairs`: replay a dev stream with the gold assignment forced (teacher forcing); every
   candidate event/story retrieved for an arriving article gives one feature row, labelled 1 when the
   candidate is the article's gold cluster.
2. `fit_params`: a logistic regression per level on those rows (weights and bias of `Params`).
3. `tune_thresholds`: grid search of the attach thresholds for B-cubed F1 by running the real online
   clusterer over the dev stream. Only dev data may be passed in here.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from storyline.stories.clusterer import OnlineClusterer, Params
from storyline.stories.lexical import terms, text_keys
from storyline.stories.metrics import bcubed
from storyline.stories.neardup import NearDuplicates


@dataclass
class Item:
    """One article of a stream as the clusterer sees it, with optional gold labels."""

    id: str
    vec: np.ndarray
    terms: Counter[str]
    keys: set[str]
    t: float | None = None
    event: Hashable = None
    story: Hashable = None
    dup_of: str | None = None
    lang: str | None = None


def collect_pairs(items: Sequence[Item], params: Params, dim: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_event, y_event, X_story, y_story) from a teacher-forced replay of `items`."""
    cl = OnlineClusterer(dim, params)
    ev_of: dict[Hashable, str] = {}
    st_of: dict[Hashable, str] = {}
    label_ev: dict[str, Hashable] = {}
    label_st: dict[str, Hashable] = {}
    xe: list[list[float]] = []
    ye: list[int] = []
    xs: list[list[float]] = []
    ys: list[int] = []
    for it in items:
        vec = it.vec / (np.linalg.norm(it.vec) or 1.0)
        cl.idf.add(it.terms)
        cl.kidf.add(it.keys)
        for c in cl.event_candidates(vec, it.terms, it.keys, it.t, it.lang):
            xe.append(c.features)
            ye.append(int(label_ev[c.cluster.id] == it.event))
        if it.event in ev_of:
            ev = cl.events.clusters[ev_of[it.event]]
        else:
            for c in cl.story_candidates(vec, it.terms, it.keys, it.t, it.lang):
                xs.append(c.features)
                ys.append(int(label_st[c.cluster.id] == it.story))
            ev = cl.events.new(it.id)
            ev_of[it.event] = ev.id
            label_ev[ev.id] = it.event
            if it.story in st_of:
                story = cl.stories.clusters[st_of[it.story]]
            else:
                story = cl.stories.new(it.id)
                st_of[it.story] = story.id
                label_st[story.id] = it.story
            ev.parent = story.id
            story.members.append(ev.id)
        cl._attach(it.id, ev, vec, it.terms, it.keys, it.t, it.lang)
    return np.asarray(xe), np.asarray(ye), np.asarray(xs), np.asarray(ys)


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[list[float], float] | None:
    if len(x) == 0 or len(set(y.tolist())) < 2:
        return None
    lr = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    return [float(w) for w in lr.coef_[0]], float(lr.intercept_[0])


def fit_offset_weights(x: np.ndarray, y: np.ndarray, w: Sequence[float], b: float, cols: Sequence[int],
                       l2: float = 1e-2) -> list[float]:
    """Weights of the feature columns `cols` learned on top of a fitted model (w, b) that stays fixed.

    Logistic regression with offset: logit = b + x·w (with `cols` zeroed) + a + x[:, cols]·v, fitting only v
    and a free intercept a (which absorbs how this source's labels are calibrated and is dropped). Used to
    learn the cross-language corrections (`xl`, `xl_cos`) from real cross-lingual pairs without letting
    a small, differently labelled source re-weight the rest of the model. Returns `w` with `cols` set to v.
    """
    from scipy.optimize import minimize

    w0 = np.asarray(w, dtype=float).copy()
    w0[list(cols)] = 0.0
    off = b + x @ w0
    z = x[:, list(cols)]
    yy = np.asarray(y, dtype=float)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        logit = off + theta[0] + z @ theta[1:]
        pr = 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))
        nll = float(np.sum(np.logaddexp(0.0, logit) - yy * logit)) + l2 * float(theta[1:] @ theta[1:])
        g = pr - yy
        grad = np.concatenate([[g.sum()], z.T @ g + 2 * l2 * theta[1:]])
        return nll, grad

    res = minimize(loss, np.zeros(1 + len(cols)), jac=True, method="L-BFGS-B")
    out = [float(v) for v in w]
    for c, v in zip(cols, res.x[1:], strict=True):
        out[c] = float(v)
    return out


def fit_params(items: Sequence[Item], dim: int, base: Params | None = None, note: str = "") -> Params:
    """Logistic weights per level fitted on teacher-forced pairs from `items` (dev data only)."""
    base = base or Params()
    xe, ye, xs, ys = collect_pairs(items, base, dim)
    p = replace(base, fitted_on=note or base.fitted_on)
    if (fe := _fit(xe, ye)) is not None:
        p.event_w, p.event_b = fe
    if (fs := _fit(xs, ys)) is not None:
        p.story_w, p.story_b = fs
    return p


def run_stream(items: Sequence[Item], params: Params, dim: int) -> tuple[list[str], list[str]]:
    """Final (event, story) of each item after clustering the stream in order."""
    cl = OnlineClusterer(dim, params)
    for it in items:
        cl.add(it.id, it.vec, it.terms, it.keys, it.t, dup_of=it.dup_of, lang=it.lang)
    evs = [cl.assign[it.id] for it in items]
    return evs, [str(cl.events.clusters[e].parent) for e in evs]


def tune_thresholds(items: Sequence[Item], params: Params, dim: int,
                    grid: Sequence[float] = tuple(np.round(np.arange(0.1, 0.95, 0.05), 2)),
                    objective: Callable[[Sequence[Hashable], Sequence[Hashable]], float] | None = None,
                    ) -> Params:
    """Attach thresholds maximising dev B-cubed F1: the event threshold first, then the story one."""
    score = objective or (lambda g, p: bcubed(g, p)["f1"])
    gold_e = [it.event for it in items]
    gold_s = [it.story for it in items]
    best_e = max(grid, key=lambda tau: score(gold_e, run_stream(items, replace(params, event_tau=tau), dim)[0]))
    p = replace(params, event_tau=float(best_e))
    best_s = max(grid, key=lambda tau: score(gold_s, run_stream(items, replace(p, story_tau=tau), dim)[1]))
    return replace(p, story_tau=float(best_s))


def pseudo_lang(terms_: Counter[str], lang: str) -> Counter[str]:
    """Terms tagged with a pseudo-language: they only overlap with articles of the same tag."""
    return Counter({f"{lang}:{t}": c for t, c in terms_.items()}) if lang != "en" else terms_


def make_items(docs: list[dict[str, Any]], vecs: np.ndarray, seed: int, bilingual: bool,
               by_time: bool) -> list[Item]:
    """A stream of dev items: seeded shuffle (or publication order), near-dups, pseudo-languages."""
    rng = random.Random(seed)
    order = list(range(len(docs)))
    rng.shuffle(order)
    if by_time:
        order.sort(key=lambda i: docs[i]["t"])
    lang_rng = random.Random(1000 + seed)
    nd = NearDuplicates()
    out = []
    for i in order:
        d = docs[i]
        rep = nd.add(d["id"], d["title"] + "\n" + d["text"])
        lang = "xx" if bilingual and lang_rng.random() < 0.5 else "en"
        out.append(Item(d["id"], vecs[i], pseudo_lang(terms(d["title"], d["text"]), lang),
                        text_keys(d["title"], d["text"], d.get("lang")), d.get("t"), d["event"], d["story"], rep,
                        lang))
    return out
