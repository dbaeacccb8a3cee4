"""Registries of swappable components (input formats, encoders, stores), spaCy-style.

Built-ins register themselves with a decorator; third-party packages add more through the entry-point
groups `storyline.formats`, `storyline.encoders` and `storyline.stores`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any


class Registry:
    """A named table of factories."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, Callable[..., Any]] = {}
        self._loaded_entry_points = False

    def register(self, key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
            self._items[key] = fn
            return fn

        return deco

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        for ep in entry_points(group=f"storyline.{self.name}"):
            self._items.setdefault(ep.name, ep.load())

    def get(self, key: str) -> Callable[..., Any]:
        if key not in self._items:
            self._load_entry_points()
        try:
            return self._items[key]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise KeyError(f"no {self.name[:-1]} named {key!r} (known: {known})") from None

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(self._items)

    def __contains__(self, key: str) -> bool:
        self._load_entry_points()
        return key in self._items


formats = Registry("formats")
encoders = Registry("encoders")
stores = Registry("stores")
