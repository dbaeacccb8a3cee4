"""Lineage as users read it: what happened to a story id ("merged into X", "split into X, Y")."""

from __future__ import annotations

from typing import Any


def describe(story_id: str, rec: dict[str, Any]) -> str:
    """One lineage record seen from `story_id`."""
    src, dst = list(rec.get("from_ids") or []), list(rec.get("to_ids") or [])
    if rec.get("kind") == "merge":
        gone = [s for s in src if s not in dst]
        if story_id in gone:
            return f"merged into {', '.join(dst)}"
        return f"merged from {', '.join(gone)}" if gone else "merged"
    if rec.get("kind") == "split":
        if story_id in src:
            return f"split into {', '.join(dst)}"
        return f"split from {', '.join(src)}"
    return str(rec.get("kind", "changed"))


def lineage_view(store: Any, story_id: str) -> list[dict[str, Any]]:
    """Lineage records naming `story_id` (both directions), oldest first, each with a `summary` line.

    Keeps the stored fields (`id`, `kind`, `level`, `from_ids`, `to_ids`, `at`, `note`)."""
    return [{**rec, "summary": describe(story_id, rec)} for rec in store.stories.lineage(story_id)
            if rec.get("level", "story") == "story"]


def status(store: Any, story_id: str) -> tuple[str, list[str]]:
    """("live", [id]) for a stored story, ("merged", [successor ids]) for an id merged away,
    ("unknown", []) otherwise."""
    got = store.stories.resolve(story_id)
    if got == [story_id]:
        return "live", got
    return ("merged", got) if got else ("unknown", [])
