"""DOR-14, as a pure rule: the day a form, training or system change needed by an approved
document is due as an action of the Group, and when an overdue action is chased."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from governance.meeting_actions import CHASE_EVERY, DUE_WITHOUT_A_MEETING, chase_due, implementation_action_due, implementation_action_owner

JAN, FEB, MAR = date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9)  # second Tuesdays (DOR-7)


@pytest.mark.parametrize(("today", "current", "following", "due"), [
    (date(2027, 1, 20), FEB, MAR, FEB),  # approved between meetings: by the next one, whose progress report lists it
    (date(2027, 1, 20), FEB, None, FEB),  # the next one is known: no fallback
    (FEB, FEB, MAR, MAR),  # approved at the meeting: by the one after
    (date(2027, 2, 10), FEB, MAR, MAR),  # the current meeting is past (a day late): by the one after
    (FEB, FEB, None, date(2027, 3, 9)),  # no next meeting written down: 28 days on
    (date(2027, 12, 14), date(2027, 12, 14), None, date(2028, 1, 11)),  # over the year end
])
def test_dor_14_an_implementation_action_is_due_by_the_groups_next_meeting(today, current, following, due):
    """DOR-14: due by the Group's next meeting; with none written down, four weeks on (about the
    Group's monthly interval, DOR-7)."""
    assert implementation_action_due(today, current, following) == due


def test_dor_14_the_fallback_without_a_next_meeting_is_four_weeks():
    assert DUE_WITHOUT_A_MEETING == timedelta(days=28)


@pytest.mark.parametrize(("due_on", "last_chased_on", "today", "chased"), [
    (None, None, FEB, False),  # no due day: never overdue
    (FEB, None, FEB, False),  # due today: not yet overdue
    (FEB, None, FEB + timedelta(days=1), True),  # overdue, never chased
    (FEB, FEB + timedelta(days=1), FEB + timedelta(days=7), False),  # chased six days ago
    (FEB, FEB + timedelta(days=1), FEB + timedelta(days=8), True),  # chased a week ago
    (FEB, FEB + timedelta(days=1), FEB + timedelta(days=30), True),
])
def test_dor_14_an_overdue_action_is_chased_weekly(due_on, last_chased_on, today, chased):
    """DOR-14 (and DOR-9's outstanding actions): past its due day, chased once a week."""
    assert chase_due(due_on, last_chased_on, today) is chased
    assert CHASE_EVERY == timedelta(days=7)


@pytest.mark.parametrize(("kind", "lead", "owner", "who"), [
    ("Form", "mosaic-lead", "ro-1", "mosaic-lead"),
    ("System change", "mosaic-lead", "ro-1", "mosaic-lead"),
    ("Training", "mosaic-lead", "ro-1", "ro-1"),
    ("Form", None, "ro-1", "ro-1"),  # nobody holds the systems lead's role
    ("Training", None, None, None),  # nobody to own it: the service skips it
])
def test_dor_14_forms_and_system_changes_are_the_systems_leads_training_the_owners(kind, lead, owner, who):
    """DOR-14: forms and system changes go to the systems lead (Dorset's Mosaic Lead); training, and
    everything when nobody holds that role, to the document's owner."""
    assert implementation_action_owner(kind, lead, owner) == who
