"""The clock port: everything asks it; nothing calls datetime.now() directly."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol


class Clock(Protocol):
    """Everything asks the clock; nothing calls datetime.now() directly. Times are Europe/London."""

    def now(self) -> datetime: ...

    def today(self) -> date: ...
