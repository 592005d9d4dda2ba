"""Clocks for the clock port (services/ports/): the system's, a fixed one for tests and demos,
and a rehearsal clock that runs from a chosen moment. Nothing calls datetime.now() elsewhere."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.ports import Clock

LONDON = ZoneInfo("Europe/London")
__all__ = ["LONDON", "Clock", "FixedClock", "RehearsalClock", "SystemClock"]


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(LONDON)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that stands still until moved (tests, demos, replays)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._now = at.astimezone(LONDON)

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.date()

    def advance(self, **kwargs: float) -> None:
        self._now = self._now + timedelta(**kwargs)

    def set(self, at: datetime) -> None:
        self._now = at.astimezone(LONDON)


class RehearsalClock:
    """Real time, shifted to start from a chosen moment (POLICYBOT_CLOCK): rehearse what the
    scheduler would do on a given day. Time still moves."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=LONDON)
        self._offset = start - datetime.now(LONDON)

    def now(self) -> datetime:
        return (datetime.now(LONDON) + self._offset).astimezone(LONDON)

    def today(self) -> date:
        return self.now().date()
