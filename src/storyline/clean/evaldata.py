"""Readers for the extraction evaluation sets in ../shared/data (read at run time, never copied).

`scrapinghub_items()` yields the Zyte article-extraction benchmark pages with gold bodies and the
stored html-text rendering; `split_of(id)` is the deterministic train/test split (sha1 parity) used by
`scripts/train_cleaner.py` (train) and `bench/extraction.py` (test). `trafilatura_items()` yields the
trafilatura evaluation pages with their `with`/`without` snippets.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storyline.config import shared_dir

ZYTE = "data/scrapinghub-article-extraction"
TRAF = "data/trafilatura-eval"


def split_of(item_id: str) -> str:
    """'train' or 'test': parity of the first byte of sha1(id)."""
    return "train" if hashlib.sha1(item_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def _root(sub: str, base: Path | None) -> Path:
    base = base or shared_dir()
    if base is None or not (base / sub).is_dir():
        raise FileNotFoundError(f"evaluation data {sub!r} not found under {base}")
    return base / sub


def load_outputs(path: Path) -> dict[str, str]:
    """id -> articleBody of a stored extractor output (either {id: ...} or {"output": {id: ...}})."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data.get("output"), dict):
        data = data["output"]
    return {k: (v or {}).get("articleBody") or "" for k, v in data.items()}


@dataclass
class ZyteItem:
    id: str
    url: str
    gold: str
    html_path: Path
    plain: str  # the page rendered to text by html-text (the benchmark's plain-text baseline)

    @property
    def split(self) -> str:
        return split_of(self.id)

    def html(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())


def scrapinghub_items(base: Path | None = None) -> list[ZyteItem]:
    root = _root(ZYTE, base)
    gold = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    plain = load_outputs(root / "output" / "html-text.json")
    return [ZyteItem(k, v.get("url", ""), v.get("articleBody") or "", root / "html" / f"{k}.html.gz",
                     plain.get(k, "")) for k, v in sorted(gold.items())]


def scrapinghub_outputs(base: Path | None = None) -> dict[str, dict[str, str]]:
    """Stored peer outputs: extractor name -> id -> articleBody."""
    root = _root(ZYTE, base) / "output"
    return {p.stem: load_outputs(p) for p in sorted(root.glob("*.json"))}


@dataclass
class TrafItem:
    url: str
    path: Path
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)

    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())


def trafilatura_items(base: Path | None = None) -> Iterator[TrafItem]:
    root = _root(TRAF, base)
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    for url, d in data.items():
        for sub in ("eval", "cache"):
            p = root / sub / f"{d['file']}.gz"
            if p.exists():
                yield TrafItem(url, p, list(d.get("with") or []), list(d.get("without") or []))
                break
