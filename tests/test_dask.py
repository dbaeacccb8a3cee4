"""The Dask engine and the single-process ingest give the same articles, enrichments, vectors, stories."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.config import repo_root

EXAMPLES = repo_root() / "examples" / "corpus"


def _inputs() -> list[str]:
    if not EXAMPLES.is_dir():
        pytest.skip("examples/corpus not present")
    return [str(EXAMPLES)]


def _snapshot(store) -> dict:
    arts = {a.id: (a.title, a.text, a.lang, a.published, a.source) for a in store.articles.list()}
    enr = {}
    for aid in arts:
        e = store.enrichments.get(aid)
        enr[aid] = sorted(x.key for x in e.entities) if e else None
    stories = sorted(tuple(sorted(s.articles)) for s in store.stories.list())
    events = sorted(tuple(sorted(e.articles)) for s in store.stories.list() for e in s.events)
    return {"articles": arts, "enrichments": enr, "stories": stories, "events": events}


@pytest.mark.slow
def test_dask_matches_single_process(tmp_path: Path) -> None:
    from storyline.embed import get_encoder
    from storyline.ingest.pipeline import ingest
    from storyline.scale.dask_engine import ingest_dask
    from storyline.store.sqlite import SQLiteStore

    inputs = _inputs()
    single = SQLiteStore(tmp_path / "single" / "storyline.db")
    rep1 = ingest(inputs, single)
    dask_store = SQLiteStore(tmp_path / "dask" / "storyline.db")
    rep2 = ingest_dask(inputs, dask_store, workers=2)
    assert (rep2.read, rep2.stored, rep2.duplicates, len(rep2.rejected)) == (
        rep1.read, rep1.stored, rep1.duplicates, len(rep1.rejected))
    a, b = _snapshot(single), _snapshot(dask_store)
    assert a["articles"] == b["articles"] and len(a["articles"]) == rep1.stored > 0
    assert a["enrichments"] == b["enrichments"]
    model = get_encoder().name
    ids = sorted(a["articles"])
    va, vb = single.vectors.get(ids, model), dask_store.vectors.get(ids, model)
    assert set(va) == set(vb) == set(ids)
    assert max(float(np.abs(va[i] - vb[i]).max()) for i in ids) < 1e-4
    assert a["stories"] == b["stories"] and a["events"] == b["events"]
    # re-running the Dask ingest is idempotent
    rep3 = ingest_dask(inputs, dask_store, workers=1)
    assert rep3.stored == 0 and rep3.skipped == rep1.stored + rep1.duplicates
    single.close()
    dask_store.close()
