"""What a statement did: the session's `execute` is typed as answering a plain `Result`, while an
INSERT, UPDATE or DELETE answers a `CursorResult`, which carries the row count."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched (-1 where the driver cannot say)."""
    if not isinstance(result, CursorResult):
        raise TypeError("a row count needs the result of an INSERT, UPDATE or DELETE")
    return result.rowcount
