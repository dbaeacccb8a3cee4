"""Shared fixtures. `store` runs the store suite against every available backend."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.config import shared_dir

REPO = Path(__file__).resolve().parents[1]
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("STORYLINE_TEST_PG", "") not in ("", "0") else [])


@pytest.fixture
def shared() -> Path:
    """`../shared` beside the checkout; tests that need it skip cleanly when it is absent."""
    path = shared_dir()
    if path is None:
        pytest.skip("../shared (evaluation data, seeds) is not present")
    return path


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A fresh, empty store of each backend."""
    if request.param == "sqlite":
        from storyline.store.sqlite import SQLiteStore

        st = SQLiteStore(tmp_path / "storyline.db")
    else:  # pragma: no cover - enabled by the scale-out work
        from storyline.store.postgres import fresh_test_store  # type: ignore[import-not-found]

        st = fresh_test_store()
    yield st
    st.close()
