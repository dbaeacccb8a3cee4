"""Compare two articles on the seven SemEval-2022 Task 8 dimensions, with the evidence behind the scores.

    storyline.compare(a, b, store=None) -> dict

`a`/`b`: Article objects, dicts with title/text/lang (optional published/url/id), stored article ids
(with a store), paths of files or http(s) URLs. Scores use the task's scale: 1 = very similar …
4 = very dissimilar.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from storyline.embed import embed_text, get_encoder, split_sentences
from storyline.link.align import alignment_features, best_pairs
from storyline.link.dataset import MAX_TEXT, MAX_TITLE
from storyline.link.features import feature_matrix, lexical_features, pair_features
from storyline.link.profile import MAX_CHARS, Profile, build_profile, lead_text
from storyline.link.regressor import DIMENSIONS, SimilarityModel, load_model
from storyline.models import Article

MAX_FETCH_BYTES = 5_000_000
MAX_SENTENCES = 60
MAX_SENTENCE_CHARS = 400


class CompareError(ValueError):
    """An input could not be resolved to an article (names the input and the reason)."""


# --------------------------------------------------------------------------- resolving inputs

def _from_file(path: Path) -> Article:
    try:
        from storyline.ingest.pipeline import clean_file  # type: ignore[import-not-found]
    except ImportError:
        clean_file = None
    if clean_file is not None:
        arts = clean_file(path)
        if not arts:
            raise CompareError(f"{path}: no article could be extracted")
        return arts[0]
    raw = path.read_bytes()[:MAX_FETCH_BYTES].decode("utf-8", "replace")
    if path.suffix.lower() in (".html", ".htm") or raw.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return _from_html(raw, url=None, origin=str(path))
    from storyline.clean.text import clean_text

    c = clean_text(raw)
    if not c.text.strip() and not c.title.strip():
        raise CompareError(f"{path}: empty file")
    return Article(id=Article.make_id(None, Article.hash_text(c.text or c.title)), title=c.title, text=c.text, path=str(path), source=c.source)


def _from_html(html: str, url: str | None, origin: str) -> Article:
    from storyline.clean.html import extract_html

    page = extract_html(html, url=url)
    if not page.text.strip():
        raise CompareError(f"{origin}: no article text found in the page")
    return Article(id=Article.make_id(url, Article.hash_text(page.text)), title=page.title, text=page.text, url=url,
                   source=page.sitename, lang=page.lang, meta={"published_raw": page.published})


def _from_url(url: str) -> Article:
    import httpx

    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=20.0) as resp:
            resp.raise_for_status()
            body = b""
            for part in resp.iter_bytes():
                body += part
                if len(body) > MAX_FETCH_BYTES:
                    break
    except httpx.HTTPError as exc:
        raise CompareError(f"{url}: could not fetch ({exc})") from exc
    return _from_html(body.decode("utf-8", "replace"), url=url, origin=url)


def resolve(x: Any, store: Any = None) -> Article:
    """An Article from any accepted input; raises CompareError naming the input when impossible."""
    if isinstance(x, Article):
        return x
    if isinstance(x, dict):
        text = x.get("text")
        if not isinstance(text, str) or not text.strip():
            raise CompareError(f"{x.get('id') or x.get('title') or 'dict input'}: needs a non-empty 'text'")
        from storyline.store.base import str_to_dt

        pub = x.get("published")
        return Article(id=str(x.get("id") or Article.make_id(x.get("url"), Article.hash_text(text))), text=text,
                       title=str(x.get("title") or ""), lang=x.get("lang"), url=x.get("url"),
                       source=x.get("source"), published=str_to_dt(pub) if isinstance(pub, str) else pub)
    if not isinstance(x, str | os.PathLike):
        raise CompareError(f"{x!r}: expected an Article, a dict, a stored id, a file path or a URL")
    s = str(x)
    if store is not None:
        art = store.articles.get(s)
        if art is not None:
            return art
    if s.startswith(("http://", "https://")):
        try:
            from storyline.ingest.pipeline import clean_file  # type: ignore[import-not-found]
        except ImportError:
            return _from_url(s)
        arts = clean_file(s)
        if not arts:
            raise CompareError(f"{s}: no article could be fetched or extracted")
        return arts[0]
    path = Path(s)
    if path.is_file():
        return _from_file(path)
    raise CompareError(f"{s}: not a stored article id, an existing file or an http(s) URL")


def _ensure_lang(a: Article) -> str | None:
    if a.lang:
        return a.lang
    try:
        from storyline.clean.lang import detect_language

        a.lang = detect_language(f"{a.title}\n{a.text}"[:5000])[0]
    except Exception:  # noqa: BLE001 - language is optional evidence
        a.lang = None
    return a.lang


# --------------------------------------------------------------------------- embeddings

def _chunks(a: Article, key: str, store: Any) -> np.ndarray:
    """Chunk matrix of `a` for encoder `key`: from the store when it holds the article, else computed."""
    enc = get_encoder(key)
    if store is not None and store.articles.get(a.id) is not None:
        from storyline.embed import ensure_embeddings

        ensure_embeddings(store, [a], enc)
        got = store.vectors.get([a.id], enc.name, chunks=True)
        if a.id in got:
            return got[a.id]
    return embed_text(enc, (a.title or "")[:MAX_TITLE], (a.text or "")[:MAX_TEXT])[1]


# --------------------------------------------------------------------------- evidence

def _enrichment(a: Article, store: Any) -> Any:
    """Enrichment from the store, else from the enrich stage when it is installed, else None."""
    if store is not None:
        try:
            e = store.enrichments.get(a.id)
            if e is not None:
                return e
        except Exception:  # noqa: BLE001 - evidence is best effort
            pass
    try:
        from storyline.enrich.pipeline import enrich_article  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        return enrich_article(a)
    except Exception:  # noqa: BLE001 - a failing enricher must not break scoring
        return None


def _split(a: set[str], b: set[str], limit: int = 15) -> dict[str, list[str]]:
    return {"shared": sorted(a & b)[:limit], "only_a": sorted(a - b)[:limit], "only_b": sorted(b - a)[:limit]}


def _entity_evidence(ea: Any, eb: Any, pa: Profile, pb: Profile) -> dict[str, Any]:
    """People/organisations/places from the enrich stage when available, plus the scorer's own name matches."""
    names_rules = _split(set(pa.names), set(pb.names))
    if ea is not None and eb is not None:
        def keyed(e: Any, labels: set[str]) -> dict[str, str]:
            return {(x.key or x.canonical or x.text).lower(): (x.canonical or x.text)
                    for x in e.entities if x.label in labels}

        out: dict[str, Any] = {"source": "enrich"}
        for group, labels in (("people", {"PER", "PERSON"}), ("organisations", {"ORG"})):
            ka, kb = keyed(ea, labels), keyed(eb, labels)
            names = {**kb, **ka}
            out[group] = {k: [names[x] for x in v] for k, v in _split(set(ka), set(kb)).items()}
        pa_ = {p.key: p.name for p in ea.places}
        pb_ = {p.key: p.name for p in eb.places}
        names = {**pb_, **pa_}
        out["places"] = {k: [names[x] for x in v] for k, v in _split(set(pa_), set(pb_)).items()}
        out["names"] = names_rules
        return out
    from storyline.link.profile import place_lexicon

    inv: dict[str, str] = {}
    for name, (key, _cc) in place_lexicon().items():
        inv.setdefault(key, name)
    places = _split(set(pa.places), set(pb.places))
    return {
        "source": "rules",
        "names": names_rules,
        "places": {k: [inv.get(x, x).title() for x in v] for k, v in places.items()},
    }


def _date_of(a: Article, p: Profile, enr: Any) -> tuple[str | None, str]:
    if a.published:
        return a.published.date().isoformat(), "published"
    if enr is not None and getattr(enr, "event_date", None):
        return enr.event_date, "event date in text"
    if p.years:
        return str(p.years.most_common(1)[0][0]), "most mentioned year"
    return None, "unknown"


def _gap_days(x: str | None, y: str | None) -> int | None:
    from datetime import date

    def parse(v: str) -> date | None:
        try:
            return date.fromisoformat(v) if len(v) == 10 else date(int(v[:4]), 7, 1)
        except ValueError:
            return None

    if not x or not y:
        return None
    dx, dy = parse(x), parse(y)
    return abs((dx - dy).days) if dx and dy else None


def _sentence_pairs(a: Article, b: Article, key: str, k: int = 3) -> list[dict[str, Any]]:
    """Most similar sentence pairs (embedding cosine; works across languages)."""
    sa = [s[:MAX_SENTENCE_CHARS] for s in split_sentences((a.text or "")[:MAX_CHARS]) if len(s) >= 20][:MAX_SENTENCES]
    sb = [s[:MAX_SENTENCE_CHARS] for s in split_sentences((b.text or "")[:MAX_CHARS]) if len(s) >= 20][:MAX_SENTENCES]
    if not sa or not sb:
        return []
    mat = get_encoder(key).encode(sa + sb)
    sim = mat[: len(sa)] @ mat[len(sa) :].T
    return [{"a": sa[i], "b": sb[j], "similarity": round(s, 3)} for i, j, s in best_pairs(sim, k)]


_WORDS = {1: "very similar", 2: "somewhat similar", 3: "somewhat dissimilar", 4: "very dissimilar"}


def _label(score: float) -> str:
    return _WORDS[int(min(4, max(1, round(score))))]


def _explain(scores: dict[str, float], ev: dict[str, Any]) -> dict[str, str]:
    ents = ev["entities"]
    places = ents.get("places", {})
    named = [ents.get(g) or {} for g in ("people", "organisations", "names")]
    people = max(named, key=lambda g: len(g.get("shared", [])))
    dates = ev["dates"]
    gap = dates.get("gap_days")
    gap_txt = f"{gap} days apart" if gap is not None else "dates not comparable"
    return {
        "geography": f"{_label(scores['geography'])}: {len(places.get('shared', []))} shared place(s), "
                     f"{len(places.get('only_a', []))}+{len(places.get('only_b', []))} unmatched",
        "entities": f"{_label(scores['entities'])}: {len(people.get('shared', []))} shared name(s), "
                    f"{len(people.get('only_a', []))}+{len(people.get('only_b', []))} unmatched",
        "time": f"{_label(scores['time'])}: {dates.get('a')} vs {dates.get('b')} ({gap_txt})",
        "narrative": f"{_label(scores['narrative'])}: best passage match "
                     f"{ev['passage_alignment']['max']:.2f}, coverage {ev['passage_alignment']['coverage']:.2f}",
        "overall": f"{_label(scores['overall'])}: document similarity {ev['document_similarity']:.2f}, "
                   f"title similarity {ev['title_similarity']:.2f}",
        "style": f"{_label(scores['style'])}: lengths {ev['style']['chars'][0]} vs {ev['style']['chars'][1]} chars",
        "tone": f"{_label(scores['tone'])}",
    }


def _describe(a: Article) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "lang": a.lang, "source": a.source, "url": a.url,
            "published": a.published.isoformat() if a.published else None, "chars": len(a.text or "")}


def compare(a: Any, b: Any, store: Any = None, model: SimilarityModel | None = None,
            sentences: bool = True) -> dict[str, Any]:
    """Scores on the seven dimensions (1 = very similar … 4 = very dissimilar) plus evidence and explanations."""
    model = model or load_model()
    art_a, art_b = resolve(a, store), resolve(b, store)
    lang_a, lang_b = _ensure_lang(art_a), _ensure_lang(art_b)
    pa = build_profile(art_a.title or "", art_a.text or "", lang_a, art_a.published)
    pb = build_profile(art_b.title or "", art_b.text or "", lang_b, art_b.published)
    mats = {k: (_chunks(art_a, k, store), _chunks(art_b, k, store)) for k in model.encoders}
    leads = {k: tuple(get_encoder(k).encode([lead_text(art_a.title or "", art_a.text or ""),
                                             lead_text(art_b.title or "", art_b.text or "")]))
             for k in model.lead_encoders}
    feats = pair_features(pa, pb, mats, leads)  # type: ignore[arg-type]
    pred = model.predict(feature_matrix([feats], model.features))
    scores = {d: round(float(pred[d][0]), 3) for d in DIMENSIONS}

    key = model.encoders[0] if model.encoders else "use"
    ma, mb = mats[key] if key in mats else (_chunks(art_a, key, store), _chunks(art_b, key, store))
    al = alignment_features(ma, mb, bool(pa.title.strip()), bool(pb.title.strip()))
    lex = lexical_features(pa, pb)
    ea, eb = _enrichment(art_a, store), _enrichment(art_b, store)
    da, src_a = _date_of(art_a, pa, ea)
    db, src_b = _date_of(art_b, pb, eb)
    evidence: dict[str, Any] = {
        "language_pair": f"{lang_a or '?'}-{lang_b or '?'}",
        "title_similarity": round(al["title_cos"], 3),
        "document_similarity": round(al["doc_cos"], 3),
        "lexical_similarity": round(lex["char_cos"], 3),
        "passage_alignment": {"max": round(al["max"], 3), "mean_best": round(al["rowmax_mean"], 3),
                              "coverage": round(al["cover60"], 3)},
        "entities": _entity_evidence(ea, eb, pa, pb),
        "dates": {"a": da, "a_from": src_a, "b": db, "b_from": src_b, "gap_days": _gap_days(da, db)},
        "style": {"chars": [len(art_a.text or ""), len(art_b.text or "")],
                  "mean_sentence_chars": [round(pa.style["sent_len"], 1), round(pb.style["sent_len"], 1)],
                  "quotes_per_1000_chars": [round(pa.style["quotes"], 2), round(pb.style["quotes"], 2)]},
        "sentence_pairs": _sentence_pairs(art_a, art_b, key) if sentences else [],
    }
    return {
        "a": _describe(art_a),
        "b": _describe(art_b),
        "scores": scores,
        "overall": scores["overall"],
        "scale": "1 = very similar ... 4 = very dissimilar (SemEval-2022 Task 8)",
        "evidence": evidence,
        "explanations": _explain(scores, evidence),
        "model": {"version": model.version, "encoders": model.encoders},
    }
