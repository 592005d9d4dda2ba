"""NCT's own dates (governance/nct_dates.py), in UK working days."""

from __future__ import annotations

from datetime import date

from governance.nct_dates import arrangements_reminder_on, warn_from, window_opens
from governance.preset import load_preset

NCT = load_preset("nct")


def test_nct_4_the_window_opens_six_weeks_before_and_warns_five_working_days_before_the_deadline():
    assert window_opens(NCT, date(2027, 3, 5)) == date(2027, 1, 22)
    assert warn_from(NCT, date(2027, 3, 5)) == date(2027, 2, 26)
    # the late-May bank holiday (31 May 2027) is not a working day
    assert warn_from(NCT, date(2027, 6, 4)) == date(2027, 5, 27)


def test_nct_17_the_reminder_before_agreed_arrangements_skips_christmas_and_new_year():
    # back from Monday 4 January 2027: 31, 30, 29 December, then over Boxing Day (28th, substitute) and
    # Christmas Day (25th) to 24 and 23 December
    assert arrangements_reminder_on(NCT, date(2027, 1, 4)) == date(2026, 12, 23)
