"""Storyline: turn a pile of news articles into stories, across outlets, languages and years.

Python API (each import is lazy, so `import storyline` stays cheap):

    storyline.open_store(db=None, data_dir=None)   -> Store
    storyline.clean_file(path)                     -> list[Article]      (ingest + clean, no storing)
    storyline.ingest(paths, store=...)             -> IngestReport
    storyline.compare(a, b)                        -> dict               (SemEval-2022 Task 8 scores + evidence)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "open_store": "storyline.store:open_store",
    "ingest": "storyline.ingest.pipeline:ingest",
    "clean_file": "storyline.ingest.pipeline:clean_file",
    "compare": "storyline.link.compare:compare",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        mod, attr = _LAZY[name].split(":")
        return getattr(importlib.import_module(mod), attr)
    raise AttributeError(name)
