"""SemEval-2022 Task 8 pairs with texts from `../shared` (training and benchmarks only)."""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.link.regressor import DIMENSIONS, GOLD_COLUMNS

TASK_DIR = "data/semeval2022-task8"
MAX_TEXT = 100_000  # hostile input: longer texts are cut
MAX_TITLE = 1_000


@dataclass
class Pair:
    """Two texts plus gold scores (1–4) when known."""

    pair_id: str
    lang1: str
    lang2: str
    title1: str
    text1: str
    title2: str
    text2: str
    gold: dict[str, float] = field(default_factory=dict)
    published1: str | None = None
    published2: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Pair:
        """From a score-pairs input line / joined-texts row; raises ValueError naming what is wrong."""
        if not isinstance(d, dict):
            raise ValueError("not a JSON object")
        missing = [k for k in ("pair_id", "text1", "text2") if not isinstance(d.get(k), str)]
        if missing:
            raise ValueError(f"missing or non-string field(s): {', '.join(missing)}")
        if not d["text1"].strip() or not d["text2"].strip():
            raise ValueError("empty text1 or text2")
        gold = {}
        for dim in DIMENSIONS:
            v = d.get(GOLD_COLUMNS[dim], d.get(dim))
            if isinstance(v, int | float):
                gold[dim] = float(v)
        return cls(pair_id=d["pair_id"], lang1=str(d.get("lang1") or ""), lang2=str(d.get("lang2") or ""),
                   title1=str(d.get("title1") or "")[:MAX_TITLE], text1=d["text1"][:MAX_TEXT],
                   title2=str(d.get("title2") or "")[:MAX_TITLE], text2=d["text2"][:MAX_TEXT], gold=gold, published1=d.get("published1"), published2=d.get("published2"))


def task_dir(shared: Path) -> Path:
    return Path(shared) / TASK_DIR


def load_joined(shared: Path) -> list[Pair]:
    """The 1,793 train pairs with both texts (`texts/train_texts_bl_joined.jsonl`)."""
    out = []
    with open(task_dir(shared) / "texts" / "train_texts_bl_joined.jsonl", encoding="utf-8") as fh:
        for line in fh:
            try:
                out.append(Pair.from_dict(json.loads(line)))
            except ValueError:
                continue
    return out


def load_splits(shared: Path) -> dict[str, set[str]]:
    d = json.loads((task_dir(shared) / "splits.json").read_text(encoding="utf-8"))
    return {"train": set(d["train"]), "test": set(d["test"])}


_ORIG = re.compile(r"^(\d+)[a-z]*_(\d+)[a-z]*$")


def original_id(pair_id: str) -> str | None:
    """`1484188835es_1484147550` -> `1484188835_1484147550` (None if not a pair id)."""
    m = _ORIG.match(pair_id)
    return f"{m[1]}_{m[2]}" if m else None


def load_translated(shared: Path) -> list[Pair]:
    """Machine-translated rows of `texts/hfl-sample/*.csv` (pair ids with a language suffix), deduplicated."""
    csv.field_size_limit(sys.maxsize)
    seen: dict[str, Pair] = {}
    for name in ("training_set.csv", "testing_set.csv"):
        with open(task_dir(shared) / "texts" / "hfl-sample" / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                pid = row.get("pair_id") or ""
                if original_id(pid) in (None, pid) or pid in seen:
                    continue
                try:
                    seen[pid] = Pair.from_dict({**row, **{c: float(row[c]) for c in GOLD_COLUMNS.values()}})
                except (ValueError, KeyError):
                    continue
    return list(seen.values())
