"""Extraction benchmark: our HTML extractor and plain-text cleaner vs. peers, scored in the same run.

Data (read from ../shared at run time):
  * Zyte article-extraction benchmark (181 pages, gold articleBody). Split by sha1(id) parity
    (`storyline.clean.evaldata.split_of`): the line model and the trafilatura settings were chosen on
    the TRAIN half only; figures are reported on the TEST half and, labelled, on all 181.
    (a) HTML -> `extract_html`; (b) html-text's plain rendering -> `clean_text`.
    Peers: the stored outputs in output/*.json and plain trafilatura defaults run live.
  * trafilatura evaluation set (990 pages, with/without snippets): `extract_html` vs trafilatura
    defaults live. Not used for any fitting or tuning.

    nice -n 10 env PYTHONPATH=src python bench/extraction.py            # full run, writes JSON
    nice -n 10 env PYTHONPATH=src python bench/extraction.py --tune     # settings sweep, TRAIN half only
    nice -n 10 env PYTHONPATH=src python bench/extraction.py --speed    # clean_text on a 2,000-line dump
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from storyline.clean.evaldata import ZyteItem, scrapinghub_items, scrapinghub_outputs, trafilatura_items
from storyline.clean.html import SETTINGS, extract_html
from storyline.clean.shingles import evaluate
from storyline.clean.text import clean_text

RESULTS = Path(__file__).resolve().parent / "results" / "extraction.json"
PUBLISHED = {"zyte_f1": {"trafilatura 2.0.0": 0.958, "readability_js": 0.947, "html-text": 0.665,
                         "rs_trafilatura": 0.970},
             "trafilatura_eval_f1": {"trafilatura 2.2.0": 0.924}}


def trafilatura_defaults(html: bytes, url: str | None = None) -> str:
    import trafilatura

    try:
        return trafilatura.extract(html, url=url) or ""
    except Exception:
        return ""


def score(items: list[ZyteItem], preds: dict[str, str]) -> dict[str, dict]:
    out = {}
    for name, sel in (("test", [i for i in items if i.split == "test"]), ("all_incl_train", items)):
        out[name] = evaluate((i.gold, preds.get(i.id, "")) for i in sel).to_dict()
    return out


def snippet_eval(extract, limit: int | None) -> dict[str, float]:
    """trafilatura-eval style: `with` found = TP, missing = FN; `without` found = FP, absent = TN."""
    tp = fn = fp = tn = 0
    for k, item in enumerate(trafilatura_items()):
        if limit and k >= limit:
            break
        text = " ".join((extract(item.html(), item.url) or "").split())
        for s in item.with_:
            if " ".join(s.split()) in text:
                tp += 1
            else:
                fn += 1
        for s in item.without:
            if " ".join(s.split()) in text:
                fp += 1
            else:
                tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    total = tp + fn + fp + tn
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "accuracy": round((tp + tn) / total, 4) if total else 0.0, "tp": tp, "fn": fn, "fp": fp, "tn": tn}


EN = ["the", "council", "said", "on", "monday", "that", "a", "new", "bridge", "across", "the", "river", "would", "open", "next", "spring", "after", "years", "of", "delay", "and", "rising", "costs", "while", "residents", "asked", "whether", "the", "old", "ferry", "service", "could", "continue"]
FR = ["le", "conseil", "a", "annoncé", "lundi", "que", "le", "nouveau", "pont", "sur", "la", "rivière", "ouvrira", "au", "printemps", "prochain", "après", "des", "années", "de", "retard", "et", "de", "hausse", "des", "coûts"]
RU = ["совет", "сообщил", "в", "понедельник", "что", "новый", "мост", "через", "реку", "откроется", "весной", "после", "долгих", "задержек"]


def synthetic_dump(n_lines: int = 2000, seed: int = 7) -> str:
    """A long page dump of our own making: English body paragraphs, menus, teasers, and a few French and
    Russian lines (for the per-line language pass)."""
    import random

    rnd = random.Random(seed)
    out = []
    for _ in range(n_lines):
        r = rnd.random()
        if r < 0.2:
            out.append(" ".join(rnd.choice(EN).title() for _ in range(rnd.randint(1, 4))))
        elif r < 0.3:
            out.append("Read more: " + " ".join(rnd.choice(EN) for _ in range(8)))
        elif r < 0.33:
            out.append(" ".join(rnd.choice(FR) for _ in range(rnd.randint(8, 30))).capitalize() + ".")
        elif r < 0.35:
            out.append(" ".join(rnd.choice(RU) for _ in range(rnd.randint(6, 20))).capitalize() + ".")
        else:
            out.append(" ".join(rnd.choice(EN) for _ in range(rnd.randint(12, 70))).capitalize() + ".")
        if rnd.random() < 0.3:
            out.append("")
    return "\n".join(out)


def speed(n_lines: int = 2000, repeat: int = 3) -> dict[str, float]:
    """Seconds per `clean_text` call on a synthetic dump (best of `repeat`, model already loaded)."""
    raw = synthetic_dump(n_lines)
    clean_text("Warm-up line for the model.\nAnother line.")
    best = float("inf")
    for _ in range(repeat):
        from storyline.clean.lang import line_language, script_of

        line_language.cache_clear(), script_of.cache_clear()  # no help from the previous round
        t = time.perf_counter()
        clean_text(raw)
        best = min(best, time.perf_counter() - t)
    return {"lines": n_lines, "chars": len(raw), "seconds": round(best, 3)}


def tune(items: list[ZyteItem]) -> None:
    """Sweep trafilatura settings on the TRAIN half only."""
    train = [i for i in items if i.split == "train"]
    pages = {i.id: i.html() for i in train}
    grid = []
    for prec, rec in ((False, False), (True, False), (False, True)):
        for tables in (True, False):
            grid.append({"favor_precision": prec, "favor_recall": rec, "include_tables": tables,
                         "include_comments": False})
    grid.append({**grid[2], "deduplicate": True})
    grid.append({**grid[2], "no_fallback": True})
    for opts in grid:
        preds = {}
        for i in train:
            preds[i.id] = extract_html(pages[i.id], i.url, **opts).text
        r = evaluate((i.gold, preds[i.id]) for i in train)
        print(f"train F1 {r.f1:.4f} P {r.precision:.4f} R {r.recall:.4f}  {opts}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="extraction benchmark")
    ap.add_argument("--tune", action="store_true", help="sweep trafilatura settings on the train half")
    ap.add_argument("--traf-limit", type=int, default=None, help="only the first N trafilatura-eval pages")
    ap.add_argument("--skip-traf", action="store_true", help="skip the trafilatura-eval part")
    ap.add_argument("--only-plain", action="store_true",
                    help="re-run only (b) clean_text; keep the other figures of the last run (with their date)")
    ap.add_argument("--speed", action="store_true", help="only time clean_text on a 2,000-line synthetic dump")
    args = ap.parse_args(argv)
    if args.speed:
        r = speed()
        print(f"clean_text on a synthetic {r['lines']}-line dump ({r['chars']} chars): {r['seconds']} s")
        prev = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        prev["clean_text_speed"] = {"date": dt.date.today().isoformat(), **r}
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(prev, indent=1) + "\n", encoding="utf-8")
        return 0
    items = scrapinghub_items()
    if args.tune:
        tune(items)
        return 0
    t0 = time.time()
    res: dict[str, object] = {"date": dt.date.today().isoformat(), "settings": SETTINGS,
                              "split": {"train": sum(i.split == "train" for i in items),
                                        "test": sum(i.split == "test" for i in items)}}
    prev = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    if args.only_plain:
        if "zyte_html" not in prev:
            raise SystemExit("--only-plain needs a previous full run in " + str(RESULTS))
        args.skip_traf = True
    ours_html, traf_live, ours_plain = {}, {}, {}
    for i in items:
        if not args.only_plain:
            html = i.html()
            ours_html[i.id] = extract_html(html, i.url).text
            traf_live[i.id] = trafilatura_defaults(html, i.url)
        ours_plain[i.id] = clean_text(i.plain, i.url).text
    stored = scrapinghub_outputs()
    if args.only_plain:
        res["zyte_html"] = prev["zyte_html"]
        res["zyte_html_date"] = prev.get("zyte_html_date", prev.get("date"))
    else:
        res["zyte_html"] = {"storyline extract_html": score(items, ours_html),
                            "trafilatura defaults (live)": score(items, traf_live),
                            **{f"{k} (stored)": score(items, v) for k, v in stored.items() if k != "html-text"}}
    res["zyte_plain"] = {"storyline clean_text": score(items, ours_plain),
                         "html-text as is (stored)": score(items, stored.get("html-text", {}))}
    print(f"Zyte article-extraction benchmark ({time.time() - t0:.0f}s); F1 test half | all 181 (incl. train)")
    for part in ("zyte_html", "zyte_plain"):
        print(f"  [{'(a) HTML input' if part == 'zyte_html' else '(b) plain-text input'}]")
        for name, r in res[part].items():
            print(f"    {name:34s} F1 {r['test']['f1']:.3f} (P {r['test']['precision']:.3f} "
                  f"R {r['test']['recall']:.3f} acc {r['test']['accuracy']:.3f}) | all {r['all_incl_train']['f1']:.3f}")
    if not args.skip_traf:
        t1 = time.time()
        res["trafilatura_eval"] = {
            "storyline extract_html": snippet_eval(lambda h, u: extract_html(h, u).text, args.traf_limit),
            "trafilatura defaults (live)": snippet_eval(trafilatura_defaults, args.traf_limit),
            "pages": args.traf_limit or "all",
        }
        print(f"trafilatura evaluation set ({time.time() - t1:.0f}s)")
        for name, r in res["trafilatura_eval"].items():
            if isinstance(r, dict):
                print(f"    {name:34s} F1 {r['f1']:.3f} P {r['precision']:.3f} R {r['recall']:.3f} "
                      f"acc {r['accuracy']:.3f}")
    elif "trafilatura_eval" in prev:  # keep the last trafilatura-eval figures (they do not use clean_text)
        res["trafilatura_eval"] = {"from_run": prev.get("date"), **prev["trafilatura_eval"]}
    if "clean_text_speed" in prev:
        res["clean_text_speed"] = prev["clean_text_speed"]
    res["published"] = PUBLISHED
    print(f"  published: {json.dumps(PUBLISHED)}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
