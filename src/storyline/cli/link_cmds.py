"""Commands `embed`, `compare` and `score-pairs` (similarity, SemEval-2022 Task 8 scale)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click


def _store() -> Any:
    from storyline.store import open_store

    return open_store()


@click.command("embed")
@click.option("--encoder", "encoder_name", default=None, help="use | e5 | st:<sentence-transformers model>")
@click.option("--batch", default=64, show_default=True)
def embed(encoder_name: str | None, batch: int) -> None:
    """Compute and store chunk embeddings for stored articles that lack them."""
    from tqdm import tqdm

    from storyline.embed import ensure_embeddings, get_encoder

    store = _store()
    enc = get_encoder(encoder_name)
    ids = store.vectors.missing(list(store.articles.ids()), enc.name)
    with tqdm(total=len(ids), desc=f"embed {enc.name}", unit="article", file=sys.stderr) as bar:
        for i in range(0, len(ids), batch):
            part = store.articles.get_many(ids[i : i + batch])
            ensure_embeddings(store, part, enc, batch=batch)
            bar.update(len(part))
    click.echo(f"{len(ids)} article(s) embedded with {enc.name}")


def _print_comparison(res: dict[str, Any]) -> None:
    a, b, ev = res["a"], res["b"], res["evidence"]
    click.echo(f"A: {a['title'] or a['id']} [{a['lang']}]")
    click.echo(f"B: {b['title'] or b['id']} [{b['lang']}]")
    click.echo(f"scale: {res['scale']}")
    for dim, score in res["scores"].items():
        click.echo(f"  {dim:<10} {score:4.2f}  {res['explanations'][dim]}")
    click.echo(f"language pair: {ev['language_pair']}  title similarity: {ev['title_similarity']:.2f}  "
               f"document similarity: {ev['document_similarity']:.2f}  lexical: {ev['lexical_similarity']:.2f}")
    for group, parts in ev["entities"].items():
        if isinstance(parts, dict):
            click.echo(f"  {group}: shared {', '.join(parts['shared']) or '-'} | only A "
                       f"{', '.join(parts['only_a']) or '-'} | only B {', '.join(parts['only_b']) or '-'}")
    d = ev["dates"]
    click.echo(f"  dates: A {d['a']} ({d['a_from']}), B {d['b']} ({d['b_from']}), gap {d['gap_days']} days")
    for sp in ev["sentence_pairs"]:
        click.echo(f"  [{sp['similarity']:.2f}] A: {sp['a'][:160]}")
        click.echo(f"         B: {sp['b'][:160]}")


@click.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def compare(a: str, b: str, as_json: bool) -> None:
    """Score two articles (stored ids, files or URLs) on the seven SemEval-2022 Task 8 dimensions."""
    from storyline.link.compare import CompareError
    from storyline.link.compare import compare as run
    from storyline.link.regressor import ModelError

    try:
        res = run(a, b, store=_store())
    except (CompareError, ModelError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(res, ensure_ascii=False, indent=2))
    else:
        _print_comparison(res)


@click.command("score-pairs")
@click.option("--pairs", "pairs_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSONL: {"pair_id", "lang1", "title1", "text1", "lang2", "title2", "text2"} per line.')
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--batch", default=64, show_default=True, help="Pairs scored per batch.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Cache chunk embeddings here (reruns skip the encoder).")
def score_pairs(pairs_path: Path, out_path: Path, batch: int, cache_dir: Path | None) -> None:
    """Batch-score article pairs; bad lines are reported on stderr and skipped."""
    from tqdm import tqdm

    from storyline.link.dataset import Pair
    from storyline.link.regressor import DIMENSIONS, ModelError, load_model
    from storyline.link.scoring import score_pairs as run

    try:
        model = load_model()
    except ModelError as exc:
        raise click.ClickException(str(exc)) from exc
    with open(pairs_path, "rb") as fh:
        total = sum(1 for line in fh if line.strip())
    written = bad = 0
    batch_pairs: list[Pair] = []

    def flush(out: Any, bar: Any) -> int:
        for p, scores in zip(batch_pairs, run(batch_pairs, model=model, cache_dir=cache_dir), strict=True):
            out.write(json.dumps({"pair_id": p.pair_id, **{d: scores[d] for d in DIMENSIONS}}) + "\n")
        bar.update(len(batch_pairs))
        n = len(batch_pairs)
        batch_pairs.clear()
        return n

    with open(pairs_path, encoding="utf-8", errors="replace") as fh, \
            open(out_path, "w", encoding="utf-8") as out, \
            tqdm(total=total, desc="score-pairs", unit="pair", file=sys.stderr) as bar:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                batch_pairs.append(Pair.from_dict(json.loads(line)))
            except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
                bad += 1
                bar.update(1)
                tqdm.write(f"{pairs_path}:{n}: skipped: {exc}", file=sys.stderr)
            if len(batch_pairs) >= batch:
                written += flush(out, bar)
        if batch_pairs:
            written += flush(out, bar)
    click.echo(f"{written} pair(s) scored -> {out_path}; {bad} bad line(s) skipped", err=True)
