"""The understanding stage: Article -> Enrichment (entities, places, dates, quotes, keyphrases).

`enrich_article(article)` is pure (no store). `enrich_articles(store, articles)` enriches those without
an enrichment yet, batching texts of one language through the model (`nlp.pipe`), and stores results;
a failing article is logged with its id and skipped, never aborting the batch.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from storyline.enrich import lexicon
from storyline.enrich.keyphrases import keyphrases
from storyline.enrich.mentioned_dates import event_date, find_dates
from storyline.enrich.ner import MAX_CHARS, Analysis, Mention, analyse_many
from storyline.enrich.normalise import clean_person, fold, misc_key, org_key, person_keys, slug
from storyline.enrich.places import Resolved, gazetteer
from storyline.enrich.quotes import find_quotes
from storyline.models import Article, Enrichment, Entity, Place

log = logging.getLogger(__name__)

BATCH = 32
MAX_FOCUS = 3


def enrich_article(article: Article) -> Enrichment:
    """Enrich one article (pure: nothing is read from or written to a store)."""
    return build(article, analyse_many([article.text or ""], article.lang)[0])


def enrich_batch(articles: Sequence[Article]) -> list[Enrichment | Exception]:
    """Enrich articles, grouped by language and batched through the models; errors are returned in place."""
    out: list[Enrichment | Exception] = [ValueError("not processed")] * len(articles)
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        by_lang[(a.lang or "").lower()].append(i)
    for lang, idx in by_lang.items():
        try:
            analyses = analyse_many([articles[i].text or "" for i in idx], lang)
        except Exception:  # noqa: BLE001 - retry one by one to isolate a bad record
            analyses = []
            for i in idx:
                try:
                    analyses.append(analyse_many([articles[i].text or ""], lang)[0])
                except Exception as exc:  # noqa: BLE001
                    analyses.append(exc)  # type: ignore[arg-type]
        for i, an in zip(idx, analyses, strict=True):
            if isinstance(an, Exception):
                out[i] = an
                continue
            try:
                out[i] = build(articles[i], an)
            except Exception as exc:  # noqa: BLE001 - a bad record never aborts a batch
                out[i] = exc
    return out


def enrich_iter(
    store: Any, articles: Iterable[Article], batch_size: int = BATCH, force: bool = False,
) -> Iterator[tuple[str, str | None]]:
    """Enrich and store; yields (article_id, error or None) per processed article (for progress bars)."""
    batch: list[Article] = []
    corpus: Counter[str] | None = None
    for a in articles:
        if not force and store.enrichments.has(a.id):
            continue
        batch.append(a)
        if len(batch) >= batch_size:
            corpus = corpus if corpus is not None else corpus_person_keys(store)
            yield from _store_batch(store, batch, corpus)
            batch = []
    if batch:
        corpus = corpus if corpus is not None else corpus_person_keys(store)
        yield from _store_batch(store, batch, corpus)


def enrich_articles(store: Any, articles: Sequence[Article], progress: Callable[[int], None] | None = None) -> None:
    """Compute and store enrichments for `articles` lacking one (called after every ingest batch)."""
    for _aid, _err in enrich_iter(store, articles):  # errors are logged with the article id
        if progress is not None:
            progress(1)


def _store_batch(store: Any, batch: list[Article], corpus: Counter[str]) -> Iterator[tuple[str, str | None]]:
    results = enrich_batch(batch)
    good = [r for r in results if isinstance(r, Enrichment)]
    resolve_surnames(good, corpus)
    for enr in good:  # later batches of this run see this batch's full names
        corpus.update({e.key for e in enr.entities if e.label == "PER" and "_" in e.key})
    for a, r in zip(batch, results, strict=True):
        if isinstance(r, Exception):
            msg = f"{type(r).__name__}: {r}"
            log.error("enrich: article %s (%s): %s", a.id, a.path or a.url or "", msg)
            yield a.id, msg
            continue
        try:
            store.enrichments.put(r)
        except Exception as exc:  # noqa: BLE001 - report and continue with the next article
            log.error("enrich: article %s: could not store: %s", a.id, exc)
            yield a.id, str(exc)
            continue
        yield a.id, None


# ----------------------------------------------------------------------------- building


def build(article: Article, an: Analysis) -> Enrichment:
    """Turn a model analysis of `article.text` into an Enrichment."""
    text = an.text
    lang = (article.lang or "").lower()
    entities = _entities(an, lang)
    places = _places(entities, article.title or "", lang, len(text))
    dates = find_dates(text, lang, article.published, an.sentences,
                       [(m.start, m.end) for m in an.mentions if m.label in ("DATE", "TIME")])
    quotes = find_quotes(text, lang, entities, an.sentences)
    return Enrichment(
        article_id=article.id,
        entities=entities,
        places=places,
        dates=dates,
        quotes=quotes,
        keyphrases=keyphrases(article.title or "", text, lang),
        event_date=event_date(dates, article.published, len(text)),
        model=an.model,
    )


_SPEECH_AFTER = 30


FACILITY_WORDS = {
    "center", "centre", "clinic", "hospital", "facility", "airport", "stadium", "prison", "jail", "hotel",
    "church", "mosque", "cathedral", "museum", "park", "bridge", "station", "square", "arena", "mall",
    "palace", "embassy", "base", "hôpital", "aéroport", "gare", "place", "flughafen", "krankenhaus",
    "bahnhof", "aeropuerto", "estación", "plaza", "аэропорт", "больница", "вокзал", "площадь",
}


def _relabel(named: list[Mention]) -> None:
    """Make labels consistent inside an article: a name seen as a person stays a person ("Lohan"
    tagged as a place after "Lindsay Lohan"); organisations named after a facility are places;
    organisation/misc mentions that are exactly a country name are places."""
    gz = gazetteer()
    people = {m.text for m in named if m.label == "PER"}
    people |= {m.text.split()[-1] for m in named if m.label == "PER" and len(m.text.split()) >= 2}
    for m in named:
        if m.label != "PER" and m.text in people:
            m.label = "PER"
        elif m.label == "ORG" and m.text.split()[-1].lower().strip(".,") in FACILITY_WORDS:
            m.label = "LOC"
        elif m.label in ("ORG", "MISC"):
            f = fold(m.text)
            if f in gz.countries or (f in gz.aliases and gz.aliases[f].count(":") == 1):
                m.label = "LOC"


def _entities(an: Analysis, lang: str) -> list[Entity]:
    text = an.text
    named = [m for m in an.mentions if m.label in ("PER", "ORG", "LOC", "MISC")]
    _relabel(named)
    people = {id(m): clean_person(m.normal or m.text, lang) for m in named if m.label == "PER"}
    pkeys = person_keys(list(people.values()))
    gz = gazetteer()
    resolved: dict[int, Resolved | None] = {}
    for m in named:  # countries first: they disambiguate cities
        if m.label == "LOC":
            r = gz.lookup(m.normal or m.text) or (gz.lookup(m.text) if m.normal != m.text else None)
            resolved[id(m)] = r
    hint = {r.country for r in resolved.values() if r is not None and r.city is None}
    verb = re.compile("|".join(map(re.escape, lexicon.speech_verbs(lang))), re.IGNORECASE)
    out: list[Entity] = []
    for m in named:
        key, canonical, label = "", m.text, m.label
        if m.label == "PER":
            key, canonical = pkeys.get(people[id(m)], ("", m.text))
        elif m.label == "LOC":
            r = resolved.get(id(m))
            if r is not None and r.city is not None and hint and r.country not in hint:
                r = gz.lookup(m.normal or m.text, hint) or r
            if r is None:
                s = slug(m.normal or m.text)
                key = f"loc:{s.lower()}" if s else ""
            else:
                key, canonical = r.key, r.name
                if r.city and _acts(m, text, verb):
                    cc = gz.capital_country(r)
                    if cc:  # "Pyongyang said": the capital stands for the country
                        key, canonical = f"loc:{cc}", gz.country(cc).name
        elif m.label == "ORG":
            key = org_key(m.normal or m.text)
        else:
            key = misc_key(m.normal or m.text)
        if text[m.start : m.end] != m.text:  # keep offsets honest
            continue
        out.append(Entity(text=m.text, label=label, start=m.start, end=m.end, key=key, canonical=canonical))
    return out


def _acts(m: Mention, text: str, verb: re.Pattern[str]) -> bool:
    """Whether a place mention acts as an agent (subject, or followed by a speech verb)."""
    return m.subject or bool(verb.match(text[m.end : m.end + _SPEECH_AFTER].lstrip(" ,")))


def _places(entities: list[Entity], title: str, lang: str, text_len: int) -> list[Place]:
    gz = gazetteer()
    title_keys: set[str] = set()
    for _s, _e, surface in gz.scan(title, lang):
        r = gz.lookup(surface)
        if r is not None:
            title_keys.update({r.key, f"loc:{r.country}"})
    agg: dict[str, dict[str, Any]] = {}
    for e in entities:
        if e.label != "LOC" or not e.key:
            continue
        r = gz.from_key(e.key)
        if r is None:
            continue
        keys = [r.key] + ([f"loc:{r.country}"] if r.city else [])
        for k in keys:
            slot = agg.setdefault(k, {"n": 0, "first": e.start})
            slot["n"] += 1
            slot["first"] = min(slot["first"], e.start)
    scores = {}
    for k, slot in agg.items():
        early = 1.0 if slot["first"] < max(300, text_len // 5) else 0.0
        scores[k] = slot["n"] + 2.0 * (k in title_keys) + early
    ranked = sorted(scores, key=lambda k: -scores[k])
    top = scores[ranked[0]] if ranked else 0.0
    focus = {k for k in ranked[:MAX_FOCUS] if scores[k] >= max(2.0, 0.6 * top)}
    out: list[Place] = []
    for k in ranked:
        r = gz.from_key(k)
        if r is None:
            continue
        out.append(Place(name=r.name, key=k, country=r.country, city=r.city, lat=r.lat, lon=r.lon,
                         mentions=agg[k]["n"], focus=k in focus))
    return out


# ----------------------------------------------------------------------------- corpus-level names


def corpus_person_keys(store: Any, limit: int = 20000) -> Counter[str]:
    """Multi-word person keys already in the corpus, with article counts."""
    try:
        rows = store.enrichments.entities(label="PER", limit=limit, prefix="per:")
    except Exception as exc:  # noqa: BLE001 - a store without the table yet: no corpus knowledge
        log.debug("no corpus person keys: %s", exc)
        return Counter()
    return Counter({r["key"]: int(r["articles"]) for r in rows if "_" in r["key"]})


def resolve_surnames(enrichments: Sequence[Enrichment], corpus: Counter[str]) -> None:
    """Map single-word person keys ("per:putin") to the corpus's dominant full name ending in that word."""
    full = Counter(corpus)
    for enr in enrichments:
        for k in {e.key for e in enr.entities if e.label == "PER" and "_" in e.key}:
            full[k] += 1
    by_last: dict[str, Counter[str]] = defaultdict(Counter)
    for k, n in full.items():
        by_last[k.rsplit("_", 1)[-1]][k] += n
    remap: dict[str, tuple[str, str]] = {}
    for last, cands in by_last.items():
        (best, n), *rest = cands.most_common(2) + [("", 0)]
        if n > 0 and n >= 2 * rest[0][1]:
            remap["per:" + last] = (best, best[4:].replace("_", " ").title())
    for enr in enrichments:
        for e in enr.entities:
            if e.label == "PER" and e.key in remap:
                e.key, e.canonical = remap[e.key]
        for q in enr.quotes:
            if q.speaker_key in remap:
                q.speaker_key, q.speaker = remap[q.speaker_key]


__all__ = ["MAX_CHARS", "enrich_article", "enrich_articles", "enrich_batch", "enrich_iter", "build"]
