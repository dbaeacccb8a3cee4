"""Shared request dependencies and query parameters of the JSON API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request

DATE = r"^\d{4}-\d{2}-\d{2}$"

Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]
Lang = Annotated[str | None, Query(max_length=8, pattern=r"^[A-Za-z-]+$", description="ISO 639-1")]
Source = Annotated[str | None, Query(max_length=200, description="outlet")]
Since = Annotated[str | None, Query(pattern=DATE, description="published on or after (YYYY-MM-DD)")]
Until = Annotated[str | None, Query(pattern=DATE, description="published on or before (YYYY-MM-DD)")]
Id = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


def store_of(request: Request) -> Any:
    return request.app.state.store


def jsonable(value: Any) -> Any:
    """numpy scalars/arrays and other odd values from other stages -> plain JSON types."""
    import numpy as np

    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
