"""Working days, meeting calendars, deadline rules and review schedules.

Pure: no clock (every function is handed its dates) and no I/O. UK bank holidays come
from the `holidays` library for the organisation's nation, never from a typed list.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import holidays
from dateutil.rrule import rrule, rruleset, rrulestr

LONDON = ZoneInfo("Europe/London")

Nation = Literal["england", "wales", "scotland", "northern_ireland"]
_SUBDIV = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}
NATIONS: tuple[str, ...] = tuple(_SUBDIV)


@lru_cache(maxsize=256)
def _bank_holidays(nation: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv=_SUBDIV[nation], years=year))


class WorkingCalendar:
    """Monday to Friday, less the nation's bank holidays and the organisation's closure days."""

    def __init__(self, nation: Nation = "england", closures: Iterable[date] = ()) -> None:
        if nation not in _SUBDIV:
            raise ValueError(f"unknown nation {nation!r}: use one of {', '.join(NATIONS)}")
        self.nation: Nation = nation
        self.closures = frozenset(closures)

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.nation!r}, closures={len(self.closures)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkingCalendar) and (self.nation, self.closures) == (other.nation, other.closures)

    def __hash__(self) -> int:
        return hash((self.nation, self.closures))

    def bank_holidays(self, year: int) -> dict[date, str]:
        return dict(_bank_holidays(self.nation, year))

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in _bank_holidays(self.nation, d.year) and d not in self.closures

    def why_not_working(self, d: date) -> str | None:
        if d.weekday() >= 5:
            return d.strftime("%A")
        if d in self.closures:
            return "an organisation closure day"
        return _bank_holidays(self.nation, d.year).get(d)

    def roll_forward(self, d: date) -> date:
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def roll_back(self, d: date) -> date:
        while not self.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """n working days after d (n > 0) or before it (n < 0), not counting d itself."""
        if n == 0:
            return self.roll_forward(d)
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return sign * count


_RULE_RE = re.compile(
    r"^\s*(?P<n>\d+)\s+(?P<unit>working\s+days?|days?|weeks?|months?)\s+(?P<dir>before|after)\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class DeadlineRule:
    amount: int
    unit: Literal["working_days", "days", "weeks", "months"]
    direction: Literal["before", "after"]

    def apply(self, anchor: date, calendar: WorkingCalendar) -> date:
        """The deadline, always a working day: 'before' deadlines move earlier, 'after' ones later."""
        sign = -1 if self.direction == "before" else 1
        if self.unit == "working_days":
            d = calendar.add_working_days(anchor, sign * self.amount) if self.amount else anchor
        elif self.unit == "days":
            d = anchor + timedelta(days=sign * self.amount)
        elif self.unit == "weeks":
            d = anchor + timedelta(weeks=sign * self.amount)
        else:
            d = add_months(anchor, sign * self.amount)
        return calendar.roll_back(d) if self.direction == "before" else calendar.roll_forward(d)

    def __str__(self) -> str:
        unit = {"working_days": "working day", "days": "day", "weeks": "week", "months": "month"}[self.unit]
        return f"{self.amount} {unit}{'' if self.amount == 1 else 's'} {self.direction}"


def parse_deadline_rule(text: str) -> DeadlineRule:
    m = _RULE_RE.match(str(text))
    if not m:
        raise ValueError(
            f"{text!r} is not a deadline rule; write it like '10 working days before', '3 days before', "
            "'2 weeks before' or '6 weeks after'"
        )
    unit_word = re.sub(r"\s+", " ", m["unit"].lower())
    unit = "working_days" if unit_word.startswith("working") else unit_word.rstrip("s") + "s"
    return DeadlineRule(int(m["n"]), unit, m["dir"].lower())  # type: ignore[arg-type]


_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
_ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}


@dataclass(frozen=True)
class MeetingCalendar:
    rule: str
    anchor: date
    added: frozenset[date] = field(default_factory=frozenset)
    cancelled: frozenset[date] = field(default_factory=frozenset)

    def _rrule(self) -> rrule | rruleset:
        return rrulestr(self.rule, dtstart=datetime.combine(self.anchor, datetime.min.time()))

    def occurrences(self, start: date, end: date) -> list[date]:
        lo = datetime.combine(start, datetime.min.time())
        hi = datetime.combine(end, datetime.min.time())
        found = {dt.date() for dt in self._rrule().between(lo, hi, inc=True)}
        found |= {d for d in self.added if start <= d <= end}
        found -= self.cancelled
        return sorted(found)

    def next_meeting(self, on_or_after: date) -> date | None:
        # Look a little over two years ahead: every sensible calendar meets within that.
        found = self.occurrences(on_or_after, on_or_after + timedelta(days=800))
        return found[0] if found else None

    def first_meeting_meeting_deadline(
        self, today: date, rule: DeadlineRule, calendar: WorkingCalendar
    ) -> tuple[date, date] | None:
        """The first meeting whose deadline (e.g. items 10 working days before, DOR-8) is still to come."""
        for meeting in self.occurrences(today, today + timedelta(days=800)):
            deadline = rule.apply(meeting, calendar)
            if deadline >= today:
                return meeting, deadline
        return None

    def describe(self) -> str:
        parts = dict(p.split("=", 1) for p in self.rule.upper().split(";") if "=" in p)
        text = self.rule
        if parts.get("FREQ") == "MONTHLY" and "BYDAY" in parts:
            m = re.fullmatch(r"([+-]?\d)?([A-Z]{2})", parts["BYDAY"])
            if m and m.group(1):
                text = f"{_ORDINALS.get(int(m.group(1)), m.group(1))} {_DAY_NAMES[m.group(2)]} of each month"
            elif m:
                text = f"Every {_DAY_NAMES[m.group(2)]}"
            if "BYMONTH" in parts:
                months = {int(x) for x in parts["BYMONTH"].split(",")}
                missing = [_cal.month_name[i] for i in range(1, 13) if i not in months]
                if missing:
                    text += " except " + " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
        elif parts.get("FREQ") == "WEEKLY" and "BYDAY" in parts:
            interval = int(parts.get("INTERVAL", "1"))
            day = _DAY_NAMES.get(parts["BYDAY"], parts["BYDAY"])
            text = f"Every {day}" if interval == 1 else f"Every {interval} weeks on {day}"
        if self.added:
            text += f", plus {len(self.added)} extra meeting{'s' if len(self.added) != 1 else ''}"
        if self.cancelled:
            text += f", {len(self.cancelled)} cancelled"
        return text


def parse_meeting_calendar(
    rule: str, anchor: date, added: Iterable[date] = (), cancelled: Iterable[date] = ()
) -> MeetingCalendar:
    rule = str(rule).strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    try:
        rrulestr(rule, dtstart=datetime.combine(anchor, datetime.min.time()))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{rule!r} is not a valid recurrence rule (RFC 5545 RRULE): {exc}") from None
    return MeetingCalendar(rule, anchor, frozenset(added), frozenset(cancelled))


def add_months(d: date, months: int) -> date:
    """Calendar months later (or earlier), clamped to the month's end: 31 Jan + 1 month = 28/29 Feb."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ReviewInterval:
    months: int
    latest_months: int | None = None

    def __post_init__(self) -> None:
        if self.months <= 0:
            raise ValueError("a review interval must be at least one month")
        if self.latest_months is not None and self.latest_months < self.months:
            raise ValueError("the latest review month cannot be before the earliest")

    def __str__(self) -> str:
        if self.latest_months and self.latest_months != self.months:
            return f"every {self.months} to {self.latest_months} months"
        return f"every {self.months} months"


def next_review_due(reviewed_on: date, interval: ReviewInterval, calendar: WorkingCalendar) -> date:
    """'Next Review To Be Completed By' (NCT-11): the latest date allowed, on a working day."""
    months = interval.latest_months or interval.months
    return calendar.roll_back(add_months(reviewed_on, months))


def review_window(reviewed_on: date, interval: ReviewInterval) -> tuple[date, date]:
    """Earliest and latest dates for the next review (LBBD-11: 12 to 18 months)."""
    return add_months(reviewed_on, interval.months), add_months(reviewed_on, interval.latest_months or interval.months)


def months_overdue(due: date, today: date) -> int:
    """Whole calendar months that have passed since the due date (0 when not yet overdue)."""
    if today <= due:
        return 0
    months = (today.year - due.year) * 12 + (today.month - due.month)
    if add_months(due, months) > today:
        months -= 1
    return max(months, 0)


def is_escalation_due(due: date, today: date, months_overdue_threshold: int) -> bool:
    """DOR-12: a review 'more than two months late' may be escalated: true from the day after
    the two-month mark."""
    return today > add_months(due, months_overdue_threshold)


def review_state(due: date | None, today: date, due_soon_days: int = 30) -> str:
    """How a review date stands today: overdue, due_soon (within due_soon_days), ok, or none."""
    if due is None:
        return "none"
    if due < today:
        return "overdue"
    if (due - today).days <= due_soon_days:
        return "due_soon"
    return "ok"


def reminder_dates(due: date, offsets_days: Sequence[int], calendar: WorkingCalendar) -> list[date]:
    """Reminders N days before a due date (NCT-11), each on a working day (moved earlier)."""
    return sorted({calendar.roll_back(due - timedelta(days=n)) for n in offsets_days if n >= 0})


def financial_year_end(d: date) -> date:
    """31 March that ends the UK financial year containing d (DOR-13 annual report)."""
    return date(d.year if d.month <= 3 else d.year + 1, 3, 31)
