"""Rows to the frozen records the ports declare: the repositories hand out records, never rows."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

R = TypeVar("R")
M = TypeVar("M")  # a mapped class
_NAMES: dict[type, tuple[str, ...]] = {}


def record(cls: type[R], row: object) -> R:
    """The row's columns as the record (the same names)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    return cls(**{n: getattr(row, n) for n in names})


def record_or_none(cls: type[R], row: object | None) -> R | None:
    return None if row is None else record(cls, row)


async def change(session: AsyncSession, model: type[M], key: Any, values: dict[str, Any]) -> M:
    """The row (from the session's identity map when this unit of work has read it) with `values`
    set; written by the next flush or the commit."""
    row = await session.get(model, key)
    if row is None:
        raise LookupError(f"no {model.__name__} {key}")
    for name, value in values.items():
        if not hasattr(model, name):
            raise AttributeError(f"{model.__name__} has no {name}")
        setattr(row, name, value)
    return row
