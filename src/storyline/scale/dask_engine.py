"""Ingest on a Dask cluster: the per-article work on workers, the store writes and stories on the client.

Partitioning: one task per input file (a JSONL shard, a WARC file, a feed, a directory's files one by one);
inside a task the records are read, cleaned (`raw_to_article`), enriched (`enrich_article`) and embedded
(`embed_texts`) in one go, so each worker loads its models once and keeps them.

The client gathers partitions in input order and writes them through the same `store_batch` as the
single-process ingest (so duplicates, the ingest log and resume behave identically); because the
enrichments and vectors computed on the workers are stored before `process_new` runs, those stages find
nothing left to do. Story clustering then runs once, over all new articles in publication-time order:
it is sequential by nature (each assignment depends on every earlier one, and stable ids require one
writer), and at ~1–2 ms per article it is far from the bottleneck (see docs/benchmarks.md); a corpus
far beyond that would partition it by time window and merge the windows' boundary events.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from storyline.models import Article, Enrichment, IngestReport, RawDocument

log = logging.getLogger(__name__)


def _work_partition(source: str, options: Any, fmt: str | None, do_enrich: bool, do_embed: bool,
                    encoder_name: str | None) -> list[tuple[Any, ...]]:
    """Worker task: every record of one input -> (kind, ...) tuples, in record order."""
    from storyline.ingest.pipeline import RejectRecord, fingerprint, raw_to_article, read_inputs
    from storyline.ingest.records import RecordError

    out: list[tuple[Any, ...]] = []
    arts: list[Article] = []
    for item in read_inputs([source], options, fmt):
        if isinstance(item, RecordError):
            out.append(("error", item.origin, item.record, item.reason))
            continue
        fp = fingerprint(item)
        try:
            art = raw_to_article(item)
        except RejectRecord as exc:
            out.append(("reject", item.origin, item.record, str(exc), fp))
            continue
        meta = RawDocument(origin=item.origin, format=item.format, record=item.record)  # no payload back
        out.append(("article", meta, fp, art))
        arts.append(art)
    extras: dict[str, tuple[Enrichment | None, Any, Any]] = {a.id: (None, None, None) for a in arts}
    if do_enrich and arts:
        try:
            from storyline.enrich.pipeline import enrich_article

            for a in arts:
                extras[a.id] = (enrich_article(a), None, None)
        except ImportError:
            pass
    if do_embed and arts:
        from storyline.embed import embed_texts, get_encoder

        enc = get_encoder(encoder_name)
        vecs = embed_texts(enc, [(a.title or "", a.text or "") for a in arts])
        for a, (doc, chunks) in zip(arts, vecs, strict=True):
            extras[a.id] = (extras[a.id][0], doc, chunks)
    return [o if o[0] != "article" else (*o, *extras[o[3].id]) for o in out]


def ingest_dask(
    inputs: Sequence[str],
    store: Any,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    options: Any = None,
    fmt: str | None = None,
    batch_size: int = 200,
    skip: Sequence[str] = (),
    raw: bool = False,
    progress: bool = False,
) -> IngestReport:
    """`ingest()` with the per-record work on Dask workers (a LocalCluster of `workers`, or `scheduler`)."""
    from dask.distributed import Client, LocalCluster

    from storyline.embed import get_encoder
    from storyline.ingest.pipeline import store_batch
    from storyline.ingest.records import ReadOptions
    from storyline.ingest.sources import expand_inputs
    from storyline.pipeline import STAGES, process_new

    options = options or ReadOptions()
    skip = tuple(name for name, _ in STAGES) if raw else tuple(skip)
    do_enrich, do_embed = "enrich" not in skip, "embed" not in skip
    encoder_name: str | None = None  # workers use the same default encoder as the client
    sources: list[str] = []
    report = IngestReport()
    for src in expand_inputs(list(inputs)):
        if isinstance(src, tuple):
            report.read += 1
            report.rejected.append({"origin": src[0], "record": "0", "reason": src[1]})
        elif src.is_stdin:
            raise ValueError("--engine dask cannot read stdin; give files, directories or URLs")
        else:
            sources.append(src.url or str(src.path))

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    enc_model = None
    new_all: list[Article] = []
    try:
        futures = [client.submit(_work_partition, s, options, fmt, do_enrich, do_embed, encoder_name,
                                 pure=False) for s in sources]
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(futures), desc="ingest (dask)", unit=" part")
        pending: list[tuple[RawDocument, str, Article]] = []
        extras: dict[str, tuple[Any, Any, Any]] = {}

        def before_process(new: list[Article]) -> None:
            nonlocal enc_model
            for a in new:
                enr, doc, chunks = extras.pop(a.id, (None, None, None))
                if enr is not None:
                    store.enrichments.put(enr)
                if doc is not None:
                    enc_model = enc_model or get_encoder().name
                    store.vectors.put_many(enc_model, [(a.id, doc, chunks)])
            new_all.extend(new)

        for fut in futures:  # input order, so results match the single-process run
            for row in fut.result():
                report.read += 1
                kind = row[0]
                if kind == "error":
                    report.rejected.append({"origin": row[1], "record": row[2], "reason": row[3]})
                    store.ingest_log.mark(row[1], row[2], "rejected:", "rejected", reason=row[3][:500])
                elif kind == "reject":
                    report.rejected.append({"origin": row[1], "record": row[2], "reason": row[3]})
                    store.ingest_log.mark(row[1], row[2], f"rejected:{row[4]}", "rejected", reason=row[3][:500])
                else:
                    _, meta, fp, art, enr, doc, chunks = row
                    if store.ingest_log.seen(meta.origin, meta.record, fp):
                        report.skipped += 1
                        continue
                    pending.append((meta, fp, art))
                    extras[art.id] = (enr, doc, chunks)
                    if len(pending) >= batch_size:
                        store_batch(store, pending, report, skip + ("stories",), before_process)
            fut.release()
            if bar is not None:
                bar.update(1)
        store_batch(store, pending, report, skip + ("stories",), before_process)
        if bar is not None:
            bar.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if "stories" not in skip and new_all:
        # enrich/embed were done on the workers; only the (sequential) story stage is left
        process_new(store, new_all, skip=("enrich", "embed"))
    store.flush()
    return report
