"""Enrichment throughput (articles/second) per language on the SemEval-2022 Task 8 texts.

Data: ../shared/data/semeval2022-task8/texts/train_texts_bl_joined.jsonl (text1/text2 with lang1/lang2),
read at run time. The first N distinct articles per language are enriched with `enrich_batch`
(the whole stage: NER, places, dates, quotes, keyphrases) after a warm-up that loads the models, so the
figure is steady-state throughput. Reference in the same run: a plain spaCy small pipeline
(all default pipes, `nlp.pipe`) on the same en/fr texts - the cost of the model alone.
Single process, 2 shared CPU cores, run with nice.

Run: nice -n 10 python bench/enrich_speed.py [--per-lang 50]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.config import shared_dir  # noqa: E402
from storyline.enrich.ner import SPACY_MODELS, model_name, spacy_model  # noqa: E402
from storyline.enrich.pipeline import enrich_batch  # noqa: E402
from storyline.models import Article  # noqa: E402


def load(per_lang: int) -> dict[str, list[Article]]:
    root = shared_dir()
    if root is None:
        sys.exit("../shared is not present")
    path = root / "data" / "semeval2022-task8" / "texts" / "train_texts_bl_joined.jsonl"
    seen: set[str] = set()
    out: dict[str, list[Article]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path.name}:{n}: skipped: {exc}", file=sys.stderr)
                continue
            for k in ("1", "2"):
                text, lang = row.get("text" + k) or "", row.get("lang" + k) or ""
                if not text.strip() or text in seen or len(out[lang]) >= per_lang:
                    continue
                seen.add(text)
                out[lang].append(Article(id=f"{row['pair_id']}#{k}", text=text, title=row.get("title" + k) or "",
                                         lang=lang))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-lang", type=int, default=50)
    args = ap.parse_args()
    data = load(args.per_lang)
    result: dict[str, object] = {"date": date.today().isoformat(), "per_lang": args.per_lang, "languages": {}}
    print(f"{'lang':<5} {'model':<30} {'articles':>8} {'chars/art':>9} {'art/s':>7}  reference (spaCy sm, all pipes)")
    for lang in sorted(data):
        arts = data[lang]
        enrich_batch(arts[:2])  # warm-up: load models, gazetteer, dateparser for the language
        t0 = time.perf_counter()
        res = enrich_batch(arts)
        dt = time.perf_counter() - t0
        errors = sum(isinstance(r, Exception) for r in res)
        ref = None
        if spacy_model(lang) is not None:
            import spacy

            nlp = spacy.load(SPACY_MODELS[lang])
            list(nlp.pipe([a.text for a in arts[:2]]))
            t1 = time.perf_counter()
            list(nlp.pipe([a.text for a in arts], batch_size=16))
            ref = round(len(arts) / (time.perf_counter() - t1), 2)
        row = {
            "model": model_name(lang), "articles": len(arts), "errors": errors,
            "mean_chars": round(sum(len(a.text) for a in arts) / max(1, len(arts))),
            "articles_per_second": round(len(arts) / dt, 2) if dt else None,
            "spacy_sm_all_pipes_articles_per_second": ref,
        }
        result["languages"][lang] = row  # type: ignore[index]
        print(f"{lang:<5} {row['model']:<30} {row['articles']:>8} {row['mean_chars']:>9} "
              f"{row['articles_per_second']:>7}  {ref if ref is not None else '-'}")
    out = REPO / "bench" / "results" / "enrich_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
