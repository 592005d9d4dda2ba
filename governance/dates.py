"""The one way dates are read and written: as people in the UK type them, and as they read them.

Reading (`parse_date` for what people say in chat, email and the CLI; `read_date` for a cell of
a spreadsheet) is always day first. Numeric and ISO forms are read here, strictly, so 12/25/2026
is refused as impossible and never swapped into 25 December; words and relative forms ("next
Friday", "in two weeks", "tomorrow") are read by dateparser, a kept library, with day-first
settings. A date written without a year is the next one on or after today.

Writing (`long_date`, `short_date`, `weekday_date`, `numeric_date`, `day_month`) is the one
formatter: "4 January 2027", "4 Jan 2027", "Monday 4 January 2027", "04/01/2027", "Monday 4 January".

Pure: `today` is handed in; nothing here reads a clock.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import dateparser

from governance.errors import GovernanceError

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3,
            "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
BLANK_WORDS = frozenset({"", "-", "--", "n/a", "na", "none", "tbc", "tba", "tbd", "not set", "unknown", "?", "never",
                         "not applicable", "no date", "nil"})
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system, counting its phantom 29 February 1900
EARLIEST_YEAR, LATEST_YEAR = 1980, 2100
ACCEPTED = "for example 4/1/27, 04.01.2027, 4 January 2027, 4th Jan, next Friday, end of March or in two weeks"

_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "future",
             "RETURN_AS_TIMEZONE_AWARE": False}
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


CELL_FORMS = "dates are read day first: day/month/year, e.g. 14/03/2025"


class DateProblem(GovernanceError, ValueError):
    """Text that should be a date is not a real one; the message says why and what to type."""


class _Bad(Exception):
    """Why a text is not a date, before the hint for where it was typed is added. A date that
    only overshoots its month needs no hint for a spreadsheet: the reason says it all."""

    def __init__(self, reason: str, *, obvious: bool = False) -> None:
        super().__init__(reason)
        self.obvious = obvious


# ------------------------------------------------------------------ writing

def long_date(d: date | None, missing: str = "not set") -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}" if d else missing


def short_date(d: date | None, missing: str = "not set") -> str:
    return f"{d.day} {calendar.month_abbr[d.month]} {d.year}" if d else missing


def weekday_date(d: date | None, missing: str = "not set") -> str:
    return f"{calendar.day_name[d.weekday()]} {long_date(d)}" if d else missing


def day_month(d: date | None, missing: str = "not set") -> str:
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]}" if d else missing


def numeric_date(d: date | None, missing: str = "") -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else missing


def short_day_month(d: date | None, missing: str = "not set") -> str:
    return f"{d.day} {calendar.month_abbr[d.month]}" if d else missing


def time_of_day(at: datetime | time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


# ------------------------------------------------------------------ reading

def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip()


def is_blank_word(text: str) -> bool:
    return collapse(text).lower().rstrip(".") in BLANK_WORDS


def _unreadable(shown: str) -> _Bad:
    return _Bad(f"'{shown}' is not a date I can read")


def _check_year(y: int, shown: str) -> int:
    if not EARLIEST_YEAR <= y <= LATEST_YEAR:
        raise _Bad(f"'{shown}' is not a plausible date (year {y})")
    return y


def _make(y: int, m: int, d: int | None, shown: str, month_end: bool) -> date:
    if not 1 <= m <= 12:
        raise _Bad(f"'{shown}' is not a real date: there is no month {m}")
    _check_year(y, shown)
    last = calendar.monthrange(y, m)[1]
    if d is None:
        return date(y, m, last if month_end else 1)
    if not 1 <= d <= last:
        raise _Bad(f"'{shown}' is not a real date: {calendar.month_name[m]} {y} has {last} days", obvious=True)
    return date(y, m, d)


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _month(word: str, shown: str) -> int:
    m = MONTHS.get(word.lower().rstrip("."))
    if m is None:
        raise _unreadable(shown)
    return m


def _excel_serial(value: float, shown: str | None = None) -> date:
    shown = shown or str(value)
    if value != value or value < 1:  # NaN or nothing
        raise _unreadable(shown)
    d = EXCEL_EPOCH + timedelta(days=int(value))
    _check_year(d.year, shown)
    return d


def _next_on_or_after(month: int, day: int, today: date, shown: str) -> date:
    """The next `day` of `month` on or after today (29 February: the next leap year's)."""
    for year in range(today.year, today.year + 9):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        elif not (month == 2 and day == 29):
            _make(year, month, day, shown, False)  # raises, naming the month's length
    raise _unreadable(shown)


def _strict(text: str, shown: str, today: date | None, month_end: bool) -> date | None:
    """The forms read without any guessing: numbers (day first), ISO, and day-month-year in words."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), shown, month_end)
    m = re.fullmatch(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?", text)
    if m:
        return _make(_year(m[4]), int(m[3]), int(m[1]), shown, month_end)
    m = re.fullmatch(r"(\d{1,2})\s*[/.]\s*(\d{1,2})", text)
    if m and today is not None:  # 4/1: day and month, the next one
        if not 1 <= int(m[2]) <= 12:
            _make(today.year, int(m[2]), int(m[1]), shown, month_end)
        return _next_on_or_after(int(m[2]), int(m[1]), today, shown)
    m = re.fullmatch(r"(?:[a-z]+day,? )?(?:the )?(\d{1,2})(?:st|nd|rd|th)?[ \-/]*(?:of )?([a-z]+\.?)[ ,\-/]*(\d{4}|\d{2})", text)
    if m and m[2].rstrip(".") in MONTHS:
        return _make(_year(m[3]), _month(m[2], shown), int(m[1]), shown, month_end)
    m = re.fullmatch(r"(?:[a-z]+day,? )?([a-z]+\.?) (?:the )?(\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", text)
    if m and m[1].rstrip(".") in MONTHS:
        return _make(int(m[3]), _month(m[1], shown), int(m[2]), shown, month_end)
    m = re.fullmatch(r"(?:[a-z]+day,? )?(?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([a-z]+\.?)", text)
    if m and m[2].rstrip(".") in MONTHS and today is not None:
        return _next_on_or_after(_month(m[2], shown), int(m[1]), today, shown)
    m = re.fullmatch(r"(?:[a-z]+day,? )?([a-z]+\.?) (?:the )?(\d{1,2})(?:st|nd|rd|th)?", text)
    if m and m[1].rstrip(".") in MONTHS and today is not None:
        return _next_on_or_after(_month(m[1], shown), int(m[2]), today, shown)
    m = re.fullmatch(r"([a-z]+\.?)[ ,\-/']*(\d{4}|\d{2})", text)
    if m and m[1].rstrip(".") in MONTHS:
        return _make(_year(m[2]), _month(m[1], shown), None, shown, month_end)
    m = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{4})", text)
    if m:
        return _make(int(m[2]), int(m[1]), None, shown, month_end)
    if re.fullmatch(r"[\d\s/.\-]+", text):
        raise _unreadable(shown)  # numbers in no form we read: never handed to a guesser
    return None


def _relative(text: str, today: date) -> date | None:
    """The spoken forms dateparser does not know: 'end of March', 'friday week', 'end of the month'."""
    m = re.fullmatch(r"(?:the )?(?:end|last day) of (?:the )?(?:this )?month", text)
    if m:
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    m = re.fullmatch(r"(?:the )?(?:end|last day) of (?:next month)", text)
    if m:
        y, mo = (today.year + (today.month == 12), today.month % 12 + 1)
        return date(y, mo, calendar.monthrange(y, mo)[1])
    m = re.fullmatch(r"(?:the )?(?:end|last day) of ([a-z]+\.?)(?: (\d{4}))?", text)
    if m and m[1].rstrip(".") in MONTHS:
        month = MONTHS[m[1].rstrip(".")]
        year = int(m[2]) if m[2] else (today.year if month >= today.month else today.year + 1)
        return date(year, month, calendar.monthrange(year, month)[1])
    m = re.fullmatch(r"(?:the )?(?:start|beginning) of ([a-z]+\.?)(?: (\d{4}))?", text)
    if m and m[1].rstrip(".") in MONTHS:
        month = MONTHS[m[1].rstrip(".")]
        year = int(m[2]) if m[2] else (today.year if month > today.month else today.year + 1)
        return date(year, month, 1)
    m = re.fullmatch(r"([a-z]+) week", text)
    if m and m[1] in WEEKDAYS:  # "friday week": the Friday after next
        return _next_weekday(today, WEEKDAYS[m[1]]) + timedelta(days=7)
    m = re.fullmatch(r"(?:this |next |this coming |coming )?([a-z]+)", text)
    if m and m[1] in WEEKDAYS:  # "Friday", "next Friday": the coming one, never today
        return _next_weekday(today, WEEKDAYS[m[1]])
    m = re.fullmatch(r"in (?:(\d{1,3})|([a-z]+)) (working days?|days?|weeks?|months?)(?: time)?", text)
    if m:
        n = int(m[1]) if m[1] else _WORD_NUMBERS.get(m[2] or "", 0)
        if not n:
            return None
        unit = m[3]
        if unit.startswith("day"):
            return today + timedelta(days=n)
        if unit.startswith("week"):
            return today + timedelta(weeks=n)
        if unit.startswith("month"):
            y, mo = divmod(today.month - 1 + n, 12)
            year, month = today.year + y, mo + 1
            return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
        return None  # working days depend on the organisation's calendar: the caller counts them
    return None


def _next_weekday(today: date, weekday: int) -> date:
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def _normalise(value: str) -> str:
    text = collapse(value).lower().rstrip(".!?")
    text = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"^(on|by|until|till|til|from|before)\s+", "", text)
    return collapse(text.replace(",", " "))


def parse_date(text: str, today: date, *, month_end: bool = False) -> date:
    """A date as a person types it in chat, email or the CLI: every UK form, numbers day first,
    words, and relative forms from `today`. Raises DateProblem (safe to show) when it is not one."""
    try:
        return _parse_said(text, today, month_end)
    except _Bad as bad:
        raise DateProblem(f"{bad} ({ACCEPTED}).") from None


def _parse_said(text: str, today: date, month_end: bool) -> date:
    """A date as a person types it in chat, email or the CLI: every UK form, numbers day first,
    words, and relative forms from `today`. Raises DateProblem (safe to show) when it is not one."""
    shown = collapse(text)
    if not shown:
        raise _Bad("No date was given")
    lowered = _normalise(shown)
    found = _strict(lowered, shown, today, month_end)
    if found is not None:
        return found
    found = _relative(lowered, today)
    if found is not None:
        return found
    parsed = dateparser.parse(lowered, languages=["en"],
                              settings={**_SETTINGS, "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12)})  # noqa: DTZ001 - dateparser reads a wall-clock date, no zone
    if parsed is None:
        raise _unreadable(shown)
    return parsed.date()


def read_date(value: Any, *, month_end: bool = False) -> date | None:
    """A date as an organisation writes it in a spreadsheet cell: date cells, Excel serial numbers,
    day-first text in every common form, ISO; None for an empty cell, 'n/a', 'TBC' or 'never'.
    A review "to be completed by March 2025" is its month's last day when `month_end`.
    Raises DateProblem for anything else: never a silent guess."""
    try:
        return _read_cell(value, month_end)
    except _Bad as bad:
        raise DateProblem(str(bad) if bad.obvious else f"{bad} ({CELL_FORMS})") from None


def _read_cell(value: Any, month_end: bool) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _Bad(f"'{value}' is not a date")
    if isinstance(value, (int, float)):
        return _excel_serial(float(value))
    shown = collapse(value)
    if is_blank_word(shown):
        return None
    text = _normalise(shown)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _excel_serial(float(text), shown)
    found = _strict(text, shown, None, month_end)
    if found is None:
        raise _unreadable(shown)
    return found


def warm_up() -> None:
    """Load dateparser's language data now (the first parse otherwise takes a fifth of a second)."""
    dateparser.parse("next friday", languages=["en"], settings=_SETTINGS)


def month_year(d: date | None, missing: str = "not set") -> str:
    return f"{calendar.month_name[d.month]} {d.year}" if d else missing
