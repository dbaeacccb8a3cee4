"""Search: full-text (FTS) and semantic (query vector -> ANN over stored document vectors, which is
cross-lingual with a multilingual encoder), both with language/outlet/date filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storyline.api.errors import ApiError
from storyline.api.views.articles import page
from storyline.api.views.common import article_card
from storyline.models import Article

MODES = ("keyword", "semantic")
MAX_QUERY_CHARS = 500
MAX_CANDIDATES = 1000


def _keep(a: Article, source: str | None, since: str | None, until: str | None) -> bool:
    if source and a.source != source:
        return False
    pub = a.published.date().isoformat() if a.published else None
    if since and (pub is None or pub < since[:10]):
        return False
    return not (until and (pub is None or pub > until[:10]))


def search(store: Any, q: str, mode: str = "keyword", lang: str | None = None, source: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 20, offset: int = 0,
           encoder: Callable[[], Any] | None = None) -> dict[str, Any]:
    """One page of hits: article cards with `score` (and `snippet` for keyword search)."""
    q = (q or "").strip()
    if not q:
        raise ApiError(400, "the query `q` is empty")
    if len(q) > MAX_QUERY_CHARS:
        raise ApiError(400, f"the query is longer than {MAX_QUERY_CHARS} characters")
    if mode not in MODES:
        raise ApiError(400, f"unknown search mode {mode!r} (use one of: {', '.join(MODES)})")
    extra = bool(source or since or until)
    want = offset + limit
    if mode == "keyword":
        n = MAX_CANDIDATES if extra else limit + 1
        raw = store.articles.search(q, limit=n, offset=0 if extra else offset, lang=lang or None)
        hits = [(aid, score, snip) for aid, score, snip in raw]
    else:
        if encoder is None:
            raise ApiError(503, "semantic search is not available (no encoder configured)")
        try:
            enc = encoder()
        except Exception as exc:  # a missing model package must not look like a server bug
            raise ApiError(503, f"semantic search is not available: {type(exc).__name__}: {exc}") from exc
        vec = enc.encode([q])[0]
        n = min(MAX_CANDIDATES, want * (8 if (lang or extra) else 1) + 1)
        hits = [(aid, s, None) for aid, s in store.vectors.search(enc.name, vec, k=n)]
    arts = {a.id: a for a in store.articles.get_many([h[0] for h in hits])}
    rows = []
    for aid, score, snip in hits:
        a = arts.get(aid)
        if a is None or (mode == "semantic" and lang and a.lang != lang):
            continue
        if extra and not _keep(a, source, since, until):
            continue
        rows.append({**article_card(a, snippet=snip), "score": round(float(score), 4)})
    if mode == "semantic" or extra:
        rows = rows[offset:]
    more = len(rows) > limit
    result = page(rows[:limit], None, limit, offset)
    result["next_offset"] = offset + limit if more else None
    result.update({"query": q, "mode": mode})
    return result
