"""`storyline enrich` (re-run enrichment over stored articles) and `storyline entities`."""

from __future__ import annotations

import json

import click


@click.command("enrich")
@click.option("--force", is_flag=True, help="Recompute enrichments that already exist.")
@click.option("--lang", default=None, help="Only articles in this language.")
@click.option("--limit", type=int, default=None, help="At most this many articles.")
@click.option("--batch", "batch_size", type=int, default=32, show_default=True, help="Articles per model batch.")
def enrich(force: bool, lang: str | None, limit: int | None, batch_size: int) -> None:
    """Extract entities, places, dates, quotes and keyphrases for stored articles."""
    from tqdm import tqdm

    from storyline.enrich.pipeline import enrich_iter
    from storyline.store import open_store

    store = open_store()
    try:
        filters = {"lang": lang} if lang else {}
        total = store.articles.count(**filters)
        if limit is not None:
            total = min(total, limit)

        def articles():  # type: ignore[no-untyped-def]
            n = 0
            for a in store.articles.iter():
                if lang and a.lang != lang:
                    continue
                if limit is not None and n >= limit:
                    return
                n += 1
                yield a

        done = errors = 0
        with tqdm(total=total, unit="art", desc="enrich", disable=None) as bar:
            seen = 0
            for aid, err in enrich_iter(store, articles(), batch_size=batch_size, force=force):
                seen += 1
                bar.update(1)
                if err:
                    errors += 1
                    click.echo(f"error: article {aid}: {err}", err=True)
                else:
                    done += 1
        store.flush()
        click.echo(f"enriched {done} article(s), {errors} error(s), {total - seen} already enriched")
    finally:
        store.close()


@click.command("entities")
@click.option("--type", "label", type=click.Choice(["PER", "ORG", "LOC", "MISC"], case_sensitive=False),
              default=None, help="Only entities of this type.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def entities(label: str | None, limit: int, as_json: bool) -> None:
    """The corpus's entities (normalised keys) with article and mention counts."""
    from storyline.store import open_store

    store = open_store()
    try:
        rows = store.enrichments.entities(label=label.upper() if label else None, limit=limit)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no entities (run `storyline enrich` after ingesting articles)")
        return
    click.echo(f"{'articles':>8} {'mentions':>8}  {'type':<4}  {'key':<40} name")
    for r in rows:
        name = click.unstyle(str(r["canonical"]))
        click.echo(f"{r['articles']:>8} {r['mentions'] or 0:>8}  {r['label']:<4}  {r['key']:<40} {name}")
