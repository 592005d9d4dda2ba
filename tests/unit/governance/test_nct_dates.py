"""NCT's own dates (governance/nct_dates.py), in UK working days."""

from __future__ import annotations

from datetime import date

import pytest

from governance.nct_dates import Route1Due, arrangements_reminder_on, route_1_due, update_of, warn_from, window_opens
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


MAR, JUN, SEP = date(2027, 3, 5), date(2027, 6, 4), date(2027, 9, 3)
NEW = {"deadline": "2027-03-05", "missed": [], "new_procedure": True}
PLAN = {"deadline": "2027-03-05", "missed": [], "plan": "Tri.x Update Plan March 2027.xlsx"}


@pytest.mark.parametrize(
    ("update", "today", "recorded", "due"),
    [
        (NEW, date(2027, 1, 21), [MAR, JUN], Route1Due("wait", MAR)),  # before the window
        (NEW, date(2027, 1, 22), [MAR, JUN], Route1Due("wait", MAR, instruct=True)),  # NCT-17: the window opens
        (PLAN, date(2027, 1, 22), [MAR, JUN], Route1Due("wait", MAR)),  # NCT-3: the plan instructed its RO already
        (NEW, date(2027, 2, 26), [MAR, JUN], Route1Due("wait", MAR, instruct=True, warn=True)),
        (PLAN, date(2027, 3, 5), [MAR, JUN], Route1Due("wait", MAR, warn=True)),  # the deadline itself
        (NEW, date(2027, 3, 8), [MAR, JUN], Route1Due("move", MAR, JUN)),  # NCT-4: missed, to the next
        (NEW, date(2027, 3, 8), [MAR], Route1Due("move", MAR, None)),  # none later: the PPO is asked
        ({**NEW, "deadline": None, "missed": ["2027-03-05"]}, date(2027, 3, 9), [MAR], Route1Due("")),  # still none
        ({**NEW, "deadline": None, "missed": ["2027-03-05"]}, date(2027, 3, 9), [MAR, SEP], Route1Due("move", MAR, SEP)),
        ({**NEW, "deadline": None}, date(2026, 12, 2), [], Route1Due("")),  # NCT-17: agreed before any deadline
        ({**NEW, "deadline": None}, date(2026, 12, 2), [MAR], Route1Due("tie", None, MAR)),
        ({**NEW, "deadline": None}, date(2027, 3, 8), [MAR, JUN], Route1Due("tie", None, JUN)),  # a past one is no use
    ],
)
def test_nct_4_nct_17_what_a_route_1_case_owes_today(update, today, recorded, due):
    assert route_1_due(NCT, update, today, recorded) == due


def test_nct_17_a_new_procedure_on_the_template_follows_route_1_even_when_recorded_before_its_update_block():
    assert update_of({"new_procedure": {"template": True, "route": 1, "next_deadline": "2027-03-05"}}) == NEW
    assert update_of({"new_procedure": {"template": False, "due": "2027-01-29"}}) is None
    assert update_of({"update": PLAN}) == PLAN
