"""`storyline demo`: the main job on embedded defaults — ingest the bundled sample corpus, build stories,
print the articles/stories summary, then serve the web UI over it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from storyline.config import repo_root

# The partner export uses its own field names: the demo shows --map on it.
PARTNER_MAP = ("title=heading,text=story_body,url=permalink,published=first_released,authors=writers,"
               "source=meta.publication,lang=meta.locale")


def sample_inputs(root: Path) -> list[tuple[str, str | None]]:
    """(path, field map) for every input of the sample corpus under `root` (= examples/)."""
    out: list[tuple[str, str | None]] = []
    if (root / "corpus").is_dir():
        out.append((str(root / "corpus"), None))
    partner = root / "mapped" / "partner-export.jsonl"
    if partner.is_file():
        out.append((str(partner), PARTNER_MAP))
    return out


def print_summary(store: object) -> None:
    """Articles per language and format, then each story with its events in date order."""
    arts = store.articles.list()  # type: ignore[attr-defined]
    langs = Counter(a.lang or "?" for a in arts)
    fmts = Counter(a.format for a in arts)
    sources = {a.source for a in arts if a.source}
    click.echo(f"\n{len(arts)} articles from {len(sources)} outlets")
    click.echo("  languages: " + ", ".join(f"{k} {v}" for k, v in langs.most_common()))
    click.echo("  formats:   " + ", ".join(f"{k} {v}" for k, v in fmts.most_common()))
    stories = store.stories.list(sort="size")  # type: ignore[attr-defined]
    click.echo(f"\n{len(stories)} stories")
    for st in stories:
        span = f"{st.first_seen:%Y-%m-%d} → {st.last_seen:%Y-%m-%d}" if st.first_seen and st.last_seen else ""
        click.echo(f"\n  [{st.id}] {click.style(st.title or '(untitled)', bold=True)}")
        click.echo(f"    {len(st.articles)} articles, {st.independent_sources or len(st.sources)} independent "
                   f"sources, languages {', '.join(st.languages)}; {span}")
        for ev in st.events:
            click.echo(f"    {ev.date or '????-??-??'}  {ev.title[:90]}  ({len(ev.articles)})")


@click.command("demo")
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve the web UI afterwards.")
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--examples", type=click.Path(exists=True, file_okay=False), help="Corpus folder (default: examples/).")
@click.pass_context
def demo(ctx: click.Context, serve: bool, port: int, examples: str | None) -> None:
    """Ingest the bundled sample corpus, build stories, print a summary and serve the web UI."""
    from storyline.cli.ingest_cmds import read_options
    from storyline.ingest.pipeline import ingest
    from storyline.ingest.records import DEFAULT_MAX_BYTES
    from storyline.store import open_store

    root = Path(examples) if examples else repo_root() / "examples"
    inputs = sample_inputs(root)
    if not inputs:
        raise click.ClickException(f"no sample corpus under {root}")
    with open_store() as store:
        for path, field_map in inputs:
            options = read_options(DEFAULT_MAX_BYTES / (1024 * 1024), field_map, False, False)
            rep = ingest([path], store, options=options, progress=True)
            click.echo(f"{path}: read {rep.read}, stored {rep.stored}, duplicates {rep.duplicates}, "
                       f"already ingested {rep.skipped}, rejected {len(rep.rejected)}", err=True)
            for r in rep.rejected[:10]:
                click.echo(f"  rejected {r['origin']} [{r['record']}]: {r['reason']}", err=True)
        print_summary(store)
    if serve:
        from storyline.cli.serve_cmds import serve as serve_cmd

        click.echo("")
        ctx.invoke(serve_cmd, port=port)
