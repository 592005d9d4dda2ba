"""The one date parser and formatter (governance/dates.py): every UK form people type, day first,
month-first dates refused rather than swapped, and the ways dates are written back."""

from __future__ import annotations

from datetime import date

import pytest

from governance.dates import (
    DateProblem, day_month, long_date, numeric_date, parse_date, read_date, short_date, weekday_date,
)

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize("typed, expected", [
    ("4/1/27", date(2027, 1, 4)),
    ("04/01/2027", date(2027, 1, 4)),
    ("04.01.2027", date(2027, 1, 4)),
    ("4-1-2027", date(2027, 1, 4)),
    ("2027-01-04", date(2027, 1, 4)),
    ("4 Jan", date(2027, 1, 4)),
    ("4th January", date(2027, 1, 4)),
    ("4th of January", date(2027, 1, 4)),
    ("January 4th", date(2027, 1, 4)),
    ("4 January 2027", date(2027, 1, 4)),
    ("Monday 4 January 2027", date(2027, 1, 4)),
    ("Jan 4, 2027", date(2027, 1, 4)),
    ("4/1", date(2027, 1, 4)),
    ("14 December", date(2026, 12, 14)),
    ("2 December", date(2026, 12, 2)),  # today is still ahead of us
    ("1 December", date(2027, 12, 1)),  # passed this year: next year's
    ("next Friday", date(2026, 12, 4)),
    ("friday", date(2026, 12, 4)),
    ("on Monday", date(2026, 12, 7)),
    ("friday week", date(2026, 12, 11)),
    ("tomorrow", date(2026, 12, 3)),
    ("today", date(2026, 12, 2)),
    ("in two weeks", date(2026, 12, 16)),
    ("in 3 days", date(2026, 12, 5)),
    ("in a month", date(2027, 1, 2)),
    ("end of March", date(2027, 3, 31)),
    ("end of the month", date(2026, 12, 31)),
    ("by end of March 2027", date(2027, 3, 31)),
    ("until 4 January", date(2027, 1, 4)),
    ("29 Feb", date(2028, 2, 29)),
])
def test_chat_dates_in_every_uk_form(typed, expected):
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed, reason", [
    ("31/02/2027", "February 2027 has 28 days"),
    ("31/02", "February"),
    ("12/25/2026", "no month 25"),
    ("30 February 2027", "February 2027 has 28 days"),
    ("the day after the panel", "not a date I can read"),
    ("", "No date was given"),
    ("13/13/13", "no month 13"),
])
def test_impossible_or_unreadable_dates_get_a_reason_and_the_accepted_forms(typed, reason):
    with pytest.raises(DateProblem) as exc:
        parse_date(typed, TODAY)
    assert reason in str(exc.value)
    assert "for example 4/1/27" in str(exc.value)


@pytest.mark.parametrize("cell, expected", [
    ("03/04/26", date(2026, 4, 3)),
    ("3 Apr 2026", date(2026, 4, 3)),
    ("1st Sept 2025", date(2025, 9, 1)),
    ("2026-04-03", date(2026, 4, 3)),
    ("2026-04-03 00:00:00", date(2026, 4, 3)),
    (46115, date(2026, 4, 3)),  # an Excel serial number
    ("46115", date(2026, 4, 3)),
    (date(2026, 4, 3), date(2026, 4, 3)),
    ("March 2025", date(2025, 3, 1)),
    ("n/a", None), ("TBC", None), ("never", None), ("", None), (None, None), ("  ", None),
])
def test_spreadsheet_cells_day_first(cell, expected):
    assert read_date(cell) == expected


def test_a_month_alone_is_its_last_day_for_a_review_due_by_it():
    assert read_date("Mar 2027", month_end=True) == date(2027, 3, 31)
    assert read_date("Feb 2028", month_end=True) == date(2028, 2, 29)


@pytest.mark.parametrize("cell", ["12/25/2026", "31/02/2026", "next Friday", "45/45", "1/1/1850"])
def test_cells_are_never_guessed(cell):
    with pytest.raises(DateProblem):
        read_date(cell)


def test_the_one_formatter():
    d = date(2027, 1, 4)
    assert long_date(d) == "4 January 2027"
    assert short_date(d) == "4 Jan 2027"
    assert weekday_date(d) == "Monday 4 January 2027"
    assert day_month(d) == "Monday 4 January"
    assert numeric_date(d) == "04/01/2027"
    assert long_date(None) == "not set" and numeric_date(None) == ""
