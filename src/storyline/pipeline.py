"""What happens to newly stored articles: enrich -> embed -> update stories.

Each stage is `fn(store, articles) -> None`, imported lazily; `ingest` calls `process_new` after every
batch it stores, so stories update as articles arrive. Stages can be switched off by name.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

STAGES: list[tuple[str, str]] = [
    ("enrich", "storyline.enrich.pipeline:enrich_articles"),
    ("embed", "storyline.embed:ensure_embeddings"),
    ("stories", "storyline.stories.update:update_stories"),
]


def stage_function(target: str) -> Any:
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)


def process_new(store: Any, articles: Sequence[Any], skip: Sequence[str] = ()) -> list[str]:
    """Run every stage not in `skip` over `articles`; returns the names of the stages that ran."""
    ran: list[str] = []
    if not articles:
        return ran
    for name, target in STAGES:
        if name in skip:
            continue
        try:
            fn = stage_function(target)
        except (ImportError, AttributeError) as exc:
            log.warning("stage %s unavailable: %s", name, exc)
            continue
        fn(store, list(articles))
        ran.append(name)
    store.flush()
    return ran
