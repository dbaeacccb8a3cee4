"""The `stories` pipeline stage: fold newly stored articles into events and stories.

`update_stories(store, articles)` loads the online clusterer and the near-duplicate index from
`store.state`, ensures embeddings, reads entity keys when the understanding stage produced them, and
clusters the new articles **in publication-time order**: events are then founded by their earliest
report, the soft time gate compares each article with a coherent "present", and the result of a batch
does not depend on the order in which a crawler happened to deliver it. Articles from later batches
that are older than existing events are still placed correctly: time distances are measured to each
event's whole time span, in both directions. Touched stories are re-described (dates, titles,
summaries through `storyline.stories.timeline.describe_event`) and saved; merges are recorded as lineage.

After each batch the stories it changed are re-checked for cohesion (`storyline.stories.split`): a
story whose threads have clearly come apart is split, the part users had seen keeps the id, and the
split is recorded as lineage. `recheck_stories` runs the same check on demand (`storyline recheck`).
Set `STORYLINE_SPLITS=0` to turn splits off (benchmarks compare both).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from storyline.embed import ensure_embeddings, get_encoder
from storyline.models import Article, Event
from storyline.stories.assemble import build_event, build_story
from storyline.stories.clusterer import OnlineClusterer, Params
from storyline.stories.lexical import terms, text_keys
from storyline.stories.neardup import NearDuplicates
from storyline.stories.split import ArticleData, SplitParams, SplitResult, check_events, check_stories

log = logging.getLogger(__name__)

NAMESPACE = "stories"


def day_number(when: datetime | None) -> float | None:
    """Days since the epoch (UTC) as a float, for the clusterer's time gates."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp() / 86400.0


def article_keys(a: Article, entity_keys: Sequence[str] = ()) -> set[str]:
    """Entity/place keys from enrichment (when present) plus name and place keys read off the text."""
    return set(entity_keys) | text_keys(a.title, a.text, a.lang)


def publication_order(articles: Sequence[Article]) -> list[Article]:
    """Articles by publication time (undated last, arrival order kept among equals)."""
    return sorted(articles, key=lambda a: (a.published is None, day_number(a.published) or 0.0))


def splits_enabled() -> bool:
    """Whether the pipeline re-checks changed stories for splits (env `STORYLINE_SPLITS`, default on)."""
    return os.environ.get("STORYLINE_SPLITS", "1").strip().lower() not in ("0", "false", "no", "off")


def stored_model_name(encoder: str | None = None) -> str:
    """Name under which an encoder's clusterer state is stored, without loading the model."""
    from storyline.embed import DEFAULT_ENCODER
    from storyline.registry import encoders

    name = encoder or DEFAULT_ENCODER
    if name.startswith("st:"):
        return name
    return str(getattr(encoders.get(name), "name", name))


def load_state(store: Any, dim: int, model: str) -> tuple[OnlineClusterer, NearDuplicates]:
    raw = store.state.get(NAMESPACE, f"clusterer:{model}")
    clusterer = OnlineClusterer.from_bytes(raw, Params.load()) if raw else OnlineClusterer(dim)
    raw_nd = store.state.get(NAMESPACE, "neardup")
    return clusterer, (NearDuplicates.from_bytes(raw_nd) if raw_nd else NearDuplicates())


def save_state(store: Any, model: str, clusterer: OnlineClusterer, nd: NearDuplicates) -> None:
    store.state.put(NAMESPACE, f"clusterer:{model}", clusterer.to_bytes())
    store.state.put(NAMESPACE, "neardup", nd.to_bytes())


def _describe() -> Any:
    from storyline.stories.timeline import describe_event

    return describe_event


def update_stories(store: Any, articles: Sequence[Article], encoder: Any | None = None) -> None:
    """Cluster `articles` into the stored events/stories and save every story they touched."""
    if not articles:
        return
    encoder = encoder or get_encoder()
    vectors = ensure_embeddings(store, articles, encoder)
    clusterer, nd = load_state(store, encoder.dim, encoder.name)
    ekeys = store.enrichments.keys_for([a.id for a in articles])
    for a in publication_order(articles):
        vec = vectors.get(a.id)
        if vec is None:
            log.warning("article %s has no embedding; not clustered", a.id)
            continue
        rep = nd.add(a.id, a.text)
        clusterer.add(a.id, vec, terms(a.title, a.text), article_keys(a, ekeys.get(a.id, ())),
                      day_number(a.published), dup_of=rep, lang=a.lang)
    if splits_enabled():
        run_checks(store, encoder.name, clusterer, clusterer.touched_events - clusterer.removed_events,
                   clusterer.touched_stories - clusterer.removed_stories, [a.id for a in articles])
    commit_changes(store, encoder.name, clusterer, nd)


def article_data(store: Any, model: str, ids: Sequence[str]) -> dict[str, ArticleData]:
    """(vector, terms, keys, day, language) of stored articles, as the clusterer saw them when they arrived."""
    vecs = store.vectors.get(list(ids), model)
    ekeys = store.enrichments.keys_for(list(ids))
    return {a.id: (vecs[a.id], terms(a.title, a.text), article_keys(a, ekeys.get(a.id, ())), day_number(a.published),
                   a.lang) for a in store.articles.get_many(list(ids)) if a.id in vecs}


def run_checks(store: Any, model: str, clusterer: OnlineClusterer, events: Iterable[str], stories: Iterable[str],
               new_articles: Sequence[str] = (), sp: SplitParams | None = None) -> list[SplitResult]:
    """Cohesion checks: split the `events` whose articles fell apart (their articles' vectors are read
    from the store), then the `stories` (plus those the event splits changed) whose threads did."""
    sp = sp or SplitParams()
    live = [e for e in events if (c := clusterer.events.clusters.get(e)) is not None and c.indexed is not None
            and 2 * sp.min_core <= c.n <= sp.max_event_articles]
    done: list[SplitResult] = []
    if live:
        data = article_data(store, model, [a for e in live for a in clusterer.events.clusters[e].members])
        done += check_events(clusterer, live, data.__getitem__, new_articles, sp)
    changed = set(stories) | (clusterer.touched_stories - clusterer.removed_stories if done else set())
    done += check_stories(clusterer, changed, new_articles, sp)
    for res in done:
        log.info("%s %s split into %s", res.level, res.id, ", ".join(res.parts))
    return done


def commit_changes(store: Any, model: str, clusterer: OnlineClusterer, nd: NearDuplicates) -> None:
    """Save the stories changed since the last drain, their lineage, and the clusterer state."""
    touched, removed, lineage = clusterer.drain_changes()
    _save_stories(store, clusterer, nd, touched, removed)
    for rec in lineage:
        store.stories.add_lineage(rec["kind"], rec["level"], rec["from"], rec["to"], rec.get("note", ""))
    save_state(store, model, clusterer, nd)


def recheck_stories(store: Any, story_ids: Iterable[str] | None = None, encoder_name: str | None = None,
                    dry_run: bool = False) -> list[SplitResult]:
    """Re-check stored stories (all when `story_ids` is None) and their events; split those that fell apart.

    Every article counts as seen, so the biggest part keeps each id. With `dry_run` nothing is saved."""
    model = stored_model_name(encoder_name)
    raw = store.state.get(NAMESPACE, f"clusterer:{model}")
    if raw is None:
        return []
    clusterer = OnlineClusterer.from_bytes(raw, Params.load())
    raw_nd = store.state.get(NAMESPACE, "neardup")
    nd = NearDuplicates.from_bytes(raw_nd) if raw_nd else NearDuplicates()
    wanted = list(clusterer.stories.clusters) if story_ids is None else [s for s in story_ids
                                                                          if s in clusterer.stories.clusters]
    clusterer.drain_changes()
    events = [e for s in wanted for e in clusterer.stories.clusters[s].members]
    done = run_checks(store, model, clusterer, events, wanted)
    if done and not dry_run:
        commit_changes(store, model, clusterer, nd)
    return done


def _save_stories(store: Any, clusterer: OnlineClusterer, nd: NearDuplicates, touched: set[str],
                  removed: set[str]) -> None:
    describe = _describe()
    previous: dict[str, Event] = {}
    for sid in list(touched) + list(removed):
        old = store.stories.get(sid)
        if old:
            previous.update({ev.id: ev for ev in old.events})
    if removed:
        store.stories.delete(sorted(removed))
    out = []
    for sid in sorted(touched):
        event_ids = clusterer.story_events(sid)
        members = {eid: clusterer.event_members(eid) for eid in event_ids}
        arts = {a.id: a for a in store.articles.get_many([aid for m in members.values() for aid in m])}
        events: list[Event] = []
        for eid, ids in members.items():
            old = previous.get(eid)
            if old is not None and set(old.articles) == set(ids):
                old.story_id = sid
                events.append(old)
                continue
            ev_arts = [arts[i] for i in ids if i in arts]
            enr = {i: e for i in ids[:200] if (e := store.enrichments.get(i)) is not None}
            events.append(build_event(eid, sid, ev_arts, describe, enr))
        dup_of = {aid: nd.rep[aid] for aid in arts if aid in nd.rep}
        out.append((build_story(sid, events, arts, dup_of), dup_of))
    for story, dup_of in out:
        store.stories.save([story], dup_of=dup_of)
