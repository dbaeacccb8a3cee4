"""Readers for the timeline-summarisation evaluation sets in ../shared/data (read at run time, never copied).

Timeline17: `<topic>/InputDocs.tar.gz` (InputDocs/<YYYY-MM-DD>/<n>.htm.txt, PTB-tokenised, one sentence a
line), `<topic>/timelines.jsonl` (gold timelines), `<topic>/keywords.json` (query).
ML-Crisis CL-TLS: `<lang>/docs.tar.gz` (<topic>/<YYYY-MM-DD>/<name>.txt, first line a headline) and
`<lang>/reference/<topic>.txt` (date line, sentences, dashed separator).
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.stories.tls import TLDoc  # noqa: E402

MAX_DOC_BYTES = 400_000

_PTB = [(r"-LRB-", "("), (r"-RRB-", ")"), (r"-LSB-", "["), (r"-RSB-", "]"), (r"-LCB-", "{"), (r"-RCB-", "}"),
        (r"``\s*", '"'), (r"\s*''", '"'), (r"\s+([.,;:!?%)\]}])", r"\1"), (r"([(\[{$])\s+", r"\1"),
        (r"\s+('s|'re|'ve|'ll|'d|'m|n't)\b", r"\1"), (r"`\s*", "'"), (r"\s+'(?=\s|$)", "'")]


def untokenise(text: str) -> str:
    """Undo Penn-Treebank tokenisation (-LRB- -> '(', ' ,' -> ',', `` -> '"', ...)."""
    for pat, rep in _PTB:
        text = re.sub(pat, rep, text)
    return text


def _date_of(parts: list[str]) -> date | None:
    for p in parts:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p):
            return date.fromisoformat(p)
    return None


def read_tar_docs(path: Path, lang: str, ptb: bool = False, topic: str | None = None,
                  headline: bool = False) -> list[TLDoc]:
    """Dated documents from a tarball whose member paths contain a YYYY-MM-DD folder."""
    docs: list[TLDoc] = []
    with tarfile.open(path) as tf:
        for m in tf:
            if not m.isfile() or m.size > MAX_DOC_BYTES:
                continue
            parts = m.name.strip("./").split("/")
            if topic is not None and topic not in parts:
                continue
            day = _date_of(parts)
            if day is None:
                continue
            fh = tf.extractfile(m)
            if fh is None:
                continue
            text = fh.read().decode("utf-8", errors="replace")
            if ptb:
                text = "\n".join(untokenise(line) for line in text.splitlines())
            title = ""
            if headline:
                lines = text.strip().split("\n", 1)
                title, text = lines[0].strip(), (lines[1] if len(lines) > 1 else "")
            if not text.strip():
                continue
            docs.append(TLDoc(id=m.name, text=text, title=title, lang=lang, published=day))
    docs.sort(key=lambda d: (d.published, d.id))
    return docs


def t17_topics(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "InputDocs.tar.gz").exists())


def t17_timelines(root: Path, topic: str) -> list[dict[date, list[str]]]:
    out = []
    for line in (root / topic / "timelines.jsonl").read_text().splitlines():
        if not line.strip():
            continue
        tl: dict[date, list[str]] = defaultdict(list)
        for day, sents in json.loads(line):
            tl[date.fromisoformat(day[:10])].extend(s.strip() for s in sents if s.strip())
        out.append(dict(tl))
    return out


def t17_keywords(root: Path, topic: str) -> list[str]:
    return list(json.loads((root / topic / "keywords.json").read_text()))


def read_reference(path: Path) -> dict[date, list[str]]:
    """A tilse-format timeline file: date line, sentences, dashed separator (repeated dates merge)."""
    tl: dict[date, list[str]] = defaultdict(list)
    cur: date | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        s = line.strip()
        if not s:
            continue
        if re.fullmatch(r"-{5,}", s):
            cur = None
            continue
        if cur is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            cur = date.fromisoformat(s)
            continue
        if cur is not None:
            tl[cur].append(s)
    return dict(tl)
