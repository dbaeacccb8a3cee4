"""A tiny own-words corpus for the API and web tests: three languages, one story with two events,
enrichment with offsets, stored document vectors, and one hostile article."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from storyline.api.views.common import doc_model_name
from storyline.models import Article, DateMention, Enrichment, Entity, Event, Place, Quote, Story

HOSTILE_TITLE = '<script>alert("t")</script>Harbour <img src=x onerror=alert(1)>'
HOSTILE_TEXT = (
    'The mayor of Lindenport said "<svg onload=alert(2)>" was painted on the ferry. '
    '<a href="javascript:alert(3)">click</a> and <iframe src="https://evil.example/"></iframe> '
    "appeared in the comment section."
)

TEXTS: list[dict[str, Any]] = [
    {"key": "en1", "lang": "en", "source": "Harbour Times", "day": "2024-03-04",
     "url": "https://harbour.example/flood-barrier-closes",
     "title": "Lindenport closes its flood barrier as the storm arrives",
     "text": ('Officials in Lindenport closed the river flood barrier on Monday evening. '
              'Mayor Anna Kessler said "we expect the highest water in twenty years" and asked residents '
              'to stay at home. The Coastal Safety Agency moved pumps to the old harbour.')},
    {"key": "fr1", "lang": "fr", "source": "Le Courrier du Port", "day": "2024-03-05",
     "url": "https://courrier.example/barrage",
     "title": "Lindenport ferme sa barrière contre les crues",
     "text": ("La ville de Lindenport a fermé lundi soir sa barrière anti-crues. "
              "La maire Anna Kessler a demandé aux habitants de rester chez eux pendant la tempête.")},
    {"key": "de1", "lang": "de", "source": "Nordkurier Beispiel", "day": "2024-03-09",
     "url": "https://nordkurier.example/sturmflut",
     "title": "Nach der Sturmflut: Aufräumen in Lindenport",
     "text": ("Nach der Sturmflut räumen die Bewohner von Lindenport die Straßen auf. "
              "Die Behörde für Küstenschutz zählt die Schäden am alten Hafen.")},
    {"key": "en2", "lang": "en", "source": "Valley Gazette", "day": "2024-03-09",
     "url": "https://gazette.example/cleanup",
     "title": "Cleanup begins in Lindenport after the storm surge",
     "text": ("Volunteers began clearing mud from the streets of Lindenport on Saturday. "
              "The Coastal Safety Agency estimated the damage at the old harbour.")},
    {"key": "bad", "lang": "en", "source": "Comment <b>Board</b>", "day": "2024-03-10",
     "url": "javascript:alert(document.cookie)", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT},
    {"key": "sport", "lang": "en", "source": "Valley Gazette", "day": "2023-11-02",
     "url": "https://gazette.example/chess",
     "title": "Local chess club wins the regional cup",
     "text": "The chess club of Brookfield won the regional cup after a long final against the holders."},
]


def make_article(spec: dict[str, Any]) -> Article:
    h = Article.hash_text(spec["text"])
    return Article(id=Article.make_id(spec["url"], h), text=spec["text"], title=spec["title"], url=spec["url"],
                   canonical_url=spec["url"], source=spec["source"], lang=spec["lang"],
                   published=datetime.fromisoformat(spec["day"] + "T09:00:00").replace(tzinfo=UTC),
                   published_from="metadata", published_confidence=1.0, format="html", content_hash=h)


def _span(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


def _vector(spec: dict[str, Any], dim: int = 512) -> np.ndarray:
    """Deterministic stand-in document vectors: the flood story shares a direction, the rest do not."""
    seed = int(hashlib.md5(spec["key"].encode()).hexdigest()[:8], 16)
    noise = np.random.default_rng(seed).normal(size=dim).astype(np.float32)
    base = np.random.default_rng(7).normal(size=dim).astype(np.float32)
    v = (base * 3 + noise) if "Lindenport" in spec["text"] and spec["key"] != "bad" else noise
    return v / np.linalg.norm(v)


def build_corpus(store: Any) -> dict[str, str]:
    """Fill `store`; returns key -> article id."""
    arts = {s["key"]: make_article(s) for s in TEXTS}
    store.articles.add(list(arts.values()))
    en1 = arts["en1"]
    s, e = _span(en1.text, "Anna Kessler")
    q0, q1 = _span(en1.text, '"we expect the highest water in twenty years"')
    o0, o1 = _span(en1.text, "Coastal Safety Agency")
    l0, l1 = _span(en1.text, "Lindenport")
    d0, d1 = _span(en1.text, "Monday evening")
    store.enrichments.put(Enrichment(
        article_id=en1.id,
        entities=[Entity("Anna Kessler", "PER", s, e, key="per:anna_kessler", canonical="Anna Kessler"),
                  Entity("Coastal Safety Agency", "ORG", o0, o1, key="org:coastal_safety_agency"),
                  Entity("Lindenport", "GPE", l0, l1, key="loc:lindenport"),
                  Entity("bogus", "PER", 10_000, 10_010, key="per:bogus")],
        places=[Place("Lindenport", "loc:lindenport", country="NL", lat=53.2, lon=6.6, mentions=2, focus=True)],
        dates=[DateMention("Monday evening", "2024-03-04", en1.text[:60], d0, d1)],
        quotes=[Quote("we expect the highest water in twenty years", "Anna Kessler", "per:anna_kessler",
                      "direct", q0, q1)],
        model="test"))
    fr1 = arts["fr1"]
    s, e = _span(fr1.text, "Anna Kessler")
    store.enrichments.put(Enrichment(
        article_id=fr1.id,
        entities=[Entity("Anna Kessler", "PER", s, e, key="per:anna_kessler", canonical="Anna Kessler")],
        places=[Place("Lindenport", "loc:lindenport", country="NL", lat=53.2, lon=6.6)], model="test"))
    bad = arts["bad"]
    b0, b1 = _span(bad.text, "<svg onload=alert(2)>")
    store.enrichments.put(Enrichment(
        article_id=bad.id, quotes=[Quote("<svg onload=alert(2)>", '<img src=x onerror="alert(4)">',
                                         None, "direct", b0, b1)],
        places=[Place('<script>alert(5)</script>', "loc:x", lat=10.0, lon=20.0)], model="test"))
    model = doc_model_name()
    store.vectors.put_many(model, [(a.id, _vector(spec), None) for spec in TEXTS for a in [arts[spec["key"]]]])
    ids = {k: a.id for k, a in arts.items()}
    ev1 = Event(id="ev-barrier", story_id="st-flood", title="Flood barrier closed", date="2024-03-04",
                summary=["Lindenport closed its flood barrier ahead of the storm."],
                articles=[ids["en1"], ids["fr1"]])
    ev2 = Event(id="ev-cleanup", story_id="st-flood", title="Cleanup after the surge", date="2024-03-09",
                summary=["Residents and volunteers cleared the streets."], articles=[ids["de1"], ids["en2"]])
    ev3 = Event(id="ev-hostile", story_id="st-flood", title='<script>alert("ev")</script>', date="2024-03-10",
                summary=['<img src=x onerror=alert("sum")>'], articles=[ids["bad"]])
    flood = Story(id="st-flood", title="Storm surge in Lindenport", events=[ev1, ev2, ev3],
                  articles=[ids[k] for k in ("en1", "fr1", "de1", "en2", "bad")],
                  first_seen=datetime(2024, 3, 4, 9, tzinfo=UTC), last_seen=datetime(2024, 3, 10, 9, tzinfo=UTC),
                  languages=["en", "fr", "de"], sources=["Harbour Times", "Le Courrier du Port"],
                  independent_sources=4)
    chess = Story(id="st-chess", title="Chess cup", articles=[ids["sport"]],
                  events=[Event(id="ev-chess", story_id="st-chess", title="Cup final", date="2023-11-02",
                                articles=[ids["sport"]])],
                  first_seen=datetime(2023, 11, 2, tzinfo=UTC), last_seen=datetime(2023, 11, 2, tzinfo=UTC),
                  languages=["en"], sources=["Valley Gazette"], independent_sources=1)
    store.stories.save([flood, chess], dup_of={ids["en2"]: ids["en1"]})
    store.flush()
    return ids


def new_store(tmp: Path) -> Any:
    from storyline.store.sqlite import SQLiteStore

    return SQLiteStore(tmp / "storyline.db")
