"""Working days, meeting calendars, deadline rules and review schedules (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.calendar import (
    DeadlineRule,
    ReviewInterval,
    WorkingCalendar,
    add_months,
    financial_year_end,
    is_escalation_due,
    months_overdue,
    next_review_due,
    parse_deadline_rule,
    parse_meeting_calendar,
    reminder_dates,
    review_window,
)

ENG = WorkingCalendar("england")
SCT = WorkingCalendar("scotland")
NIR = WorkingCalendar("northern_ireland")
DORSET_RULE = "FREQ=MONTHLY;BYDAY=+2TU;BYMONTH=1,2,3,4,5,6,7,9,10,11"


@pytest.mark.parametrize(
    "cal, d, working",
    [
        (ENG, date(2027, 3, 26), False),  # Good Friday 2027
        (ENG, date(2027, 3, 29), False),  # Easter Monday 2027
        (SCT, date(2027, 3, 29), True),  # not a bank holiday in Scotland
        (ENG, date(2027, 5, 31), False),  # spring bank holiday
        (ENG, date(2027, 8, 30), False),  # summer bank holiday (England)
        (SCT, date(2027, 8, 2), False),  # summer bank holiday (Scotland, first Monday)
        (SCT, date(2027, 8, 30), True),
        (ENG, date(2027, 1, 4), True),
        (SCT, date(2027, 1, 4), False),  # 2 January substitute in Scotland (2 Jan 2027 is a Saturday)
        (ENG, date(2027, 12, 27), False),  # Christmas Day on a Saturday: substitute Monday
        (ENG, date(2027, 12, 28), False),  # Boxing Day on a Sunday: substitute Tuesday
        (SCT, date(2026, 11, 30), False),  # St Andrew's Day
        (ENG, date(2026, 11, 30), True),
        (NIR, date(2027, 3, 17), False),  # St Patrick's Day
        (NIR, date(2027, 7, 12), False),  # Battle of the Boyne
        (ENG, date(2027, 3, 17), True),
        (ENG, date(2026, 11, 28), False),  # Saturday
    ],
)
def test_working_days_follow_the_nations_bank_holidays(cal, d, working):
    assert cal.is_working_day(d) is working


def test_closure_days_are_not_working_days():
    cal = WorkingCalendar("england", closures=[date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)])
    assert cal.add_working_days(date(2026, 12, 24), 1) == date(2027, 1, 4)
    assert cal.why_not_working(date(2026, 12, 30)) == "an organisation closure day"


def test_add_working_days_skips_christmas():
    assert ENG.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert ENG.add_working_days(date(2026, 12, 29), -1) == date(2026, 12, 24)
    assert ENG.add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 30)


def test_dor_7_second_tuesday_monthly_except_august_and_december():
    cal = parse_meeting_calendar(DORSET_RULE, date(2026, 1, 1))
    meetings = cal.occurrences(date(2027, 1, 1), date(2027, 12, 31))
    assert len(meetings) == 10
    assert all(m.weekday() == 1 and 8 <= m.day <= 14 for m in meetings)
    assert {m.month for m in meetings} == {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}
    assert cal.describe() == "Second Tuesday of each month except August and December"


def test_one_off_meetings_can_be_added_and_cancelled():
    cal = parse_meeting_calendar(DORSET_RULE, date(2026, 1, 1), added=[date(2027, 8, 17)], cancelled=[date(2027, 9, 14)])
    meetings = cal.occurrences(date(2027, 8, 1), date(2027, 9, 30))
    assert meetings == [date(2027, 8, 17)]


def test_dor_8_items_10_working_days_and_papers_3_working_days_before_across_christmas():
    meeting = date(2027, 1, 12)
    assert parse_deadline_rule("10 working days before").apply(meeting, ENG) == date(2026, 12, 24)
    assert parse_deadline_rule("3 working days before").apply(meeting, ENG) == date(2027, 1, 7)


def test_dor_8_an_item_too_late_for_one_meeting_lands_on_the_next():
    cal = parse_meeting_calendar(DORSET_RULE, date(2026, 1, 1))
    rule = parse_deadline_rule("10 working days before")
    # 10 November 2026 meeting: items due 27 October. On 28 October it is too late.
    assert cal.first_meeting_meeting_deadline(date(2026, 10, 27), rule, ENG) == (date(2026, 11, 10), date(2026, 10, 27))
    assert cal.first_meeting_meeting_deadline(date(2026, 10, 28), rule, ENG) == (date(2027, 1, 12), date(2026, 12, 24))


def test_bct_4_responses_3_days_before_and_bct_8_two_weeks_before():
    meeting = date(2027, 3, 31)  # a Wednesday
    assert parse_deadline_rule("3 days before").apply(meeting, ENG) == date(2027, 3, 26 - 1)  # Sun 28 -> Good Friday 26 -> Thu 25
    assert parse_deadline_rule("2 weeks before").apply(meeting, ENG) == date(2027, 3, 17)


@pytest.mark.parametrize(
    "text, rule",
    [
        ("10 working days before", DeadlineRule(10, "working_days", "before")),
        ("1 working day before", DeadlineRule(1, "working_days", "before")),
        ("3 days before", DeadlineRule(3, "days", "before")),
        ("2 Weeks Before", DeadlineRule(2, "weeks", "before")),
        ("6 weeks after", DeadlineRule(6, "weeks", "after")),
        ("2 months after", DeadlineRule(2, "months", "after")),
    ],
)
def test_deadline_rules_parse_and_print(text, rule):
    assert parse_deadline_rule(text) == rule
    assert parse_deadline_rule(str(rule)) == rule


@pytest.mark.parametrize("bad", ["ten days before", "3 fortnights before", "3 days", "before 3 days", ""])
def test_bad_deadline_rules_are_refused_clearly(bad):
    with pytest.raises(ValueError, match="is not a deadline rule"):
        parse_deadline_rule(bad)


def test_bad_recurrence_rules_are_refused_clearly():
    with pytest.raises(ValueError, match="not a valid recurrence rule"):
        parse_meeting_calendar("FREQ=FORTNIGHTLY", date(2026, 1, 1))


def test_add_months_clamps_to_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)


def test_bct_10_six_month_chapters_and_yearly_guidance():
    assert next_review_due(date(2026, 6, 1), ReviewInterval(6), ENG) == date(2026, 12, 1)
    # A year from 28 Dec 2025 is 28 Dec 2026, a substitute bank holiday: due the working day before.
    assert next_review_due(date(2025, 12, 28), ReviewInterval(12), ENG) == date(2026, 12, 24)


def test_lbbd_11_review_every_12_to_18_months():
    interval = ReviewInterval(12, 18)
    assert review_window(date(2026, 1, 15), interval) == (date(2027, 1, 15), date(2027, 7, 15))
    assert next_review_due(date(2026, 1, 15), interval, ENG) == date(2027, 7, 15)
    assert str(interval) == "every 12 to 18 months"


def test_dor_12_escalation_only_when_more_than_two_months_late():
    due = date(2026, 9, 15)
    assert not is_escalation_due(due, date(2026, 11, 15), 2)
    assert is_escalation_due(due, date(2026, 11, 16), 2)
    assert months_overdue(due, date(2026, 11, 14)) == 1
    assert months_overdue(due, date(2026, 11, 15)) == 2
    assert months_overdue(due, date(2026, 9, 1)) == 0


def test_nct_11_reminders_before_next_review_date_land_on_working_days():
    due = date(2027, 1, 8)
    # 30 days before = 9 Dec (Wed); 14 = 25 Dec -> 24 Dec; 7 = 1 Jan -> 31 Dec; 1 = 7 Jan.
    assert reminder_dates(due, [30, 14, 7, 1], ENG) == [date(2026, 12, 9), date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 7)]


def test_dor_13_financial_year_end():
    assert financial_year_end(date(2026, 11, 23)) == date(2027, 3, 31)
    assert financial_year_end(date(2027, 3, 31)) == date(2027, 3, 31)
    assert financial_year_end(date(2027, 4, 1)) == date(2028, 3, 31)


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
nations = st.sampled_from(["england", "wales", "scotland", "northern_ireland"])
rules = st.builds(
    DeadlineRule,
    st.integers(0, 30),
    st.sampled_from(["working_days", "days", "weeks", "months"]),
    st.sampled_from(["before", "after"]),
)


@settings(max_examples=300, deadline=None)
@given(anchor=dates, rule=rules, nation=nations)
def test_no_deadline_falls_on_a_weekend_or_bank_holiday(anchor, rule, nation):
    cal = WorkingCalendar(nation, closures=[date(anchor.year, 12, 29), date(anchor.year, 12, 30)])
    d = rule.apply(anchor, cal)
    assert cal.is_working_day(d)
    assert d.weekday() < 5 and d not in cal.bank_holidays(d.year)
    if rule.direction == "before":
        assert d <= anchor
    else:
        assert d >= anchor


@settings(max_examples=200, deadline=None)
@given(reviewed=dates, months=st.integers(1, 24), offsets=st.lists(st.integers(0, 60), max_size=6), nation=nations)
def test_review_dates_and_reminders_are_working_days(reviewed, months, offsets, nation):
    cal = WorkingCalendar(nation)
    due = next_review_due(reviewed, ReviewInterval(months), cal)
    assert cal.is_working_day(due)
    for r in reminder_dates(due, offsets, cal):
        assert cal.is_working_day(r) and r <= due


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(-40, 40), nation=nations)
def test_add_then_count_working_days_round_trips(start, n, nation):
    cal = WorkingCalendar(nation)
    start = cal.roll_forward(start)
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    assert end == start or cal.is_working_day(end)


def test_every_day_in_a_year_is_classified_consistently():
    d = date(2027, 1, 1)
    working = sum(ENG.is_working_day(d + timedelta(days=i)) for i in range(365))
    assert working == 261 - 8  # 261 weekdays in 2027, eight English bank holidays on weekdays


def test_review_state_boundaries():
    from governance.calendar import review_state

    today = date(2026, 11, 23)
    assert review_state(None, today) == "none"
    assert review_state(date(2026, 11, 22), today) == "overdue"
    assert review_state(today, today) == "due_soon"
    assert review_state(date(2026, 12, 23), today) == "due_soon"
    assert review_state(date(2026, 12, 24), today) == "ok"
