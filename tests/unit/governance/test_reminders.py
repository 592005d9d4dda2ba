"""Which reminders are owed on which day: NCT-11, DOR-12, BCT-4/BCT-5, NCT-2/NCT-4, BCT-9, DOR-13."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from governance.calendar import LONDON, WorkingCalendar
from governance.preset import load_preset
from governance.reminders import (
    CaseFacts,
    DocFacts,
    case_nudges,
    digest_due,
    in_quiet_hours,
    parse_quiet_hours,
    review_reminders,
    send_window,
    update_window,
)

CAL = WorkingCalendar("england")


def _first_days(preset, doc, start: date, end: date) -> dict[str, date]:
    """Walk every day and note the first day each reminder key is owed (the outbox sends a key once)."""
    seen: dict[str, date] = {}
    d = start
    while d <= end:
        for owed in review_reminders(preset, doc, d, CAL):
            seen.setdefault(owed.key, d)
        d += timedelta(days=1)
    return seen


def test_nct11_reminders_fall_on_working_days_before_the_review_date_across_christmas():
    """NCT-11: 30, 14, 7 and 1 days before; a date on a weekend or bank holiday moves earlier.
    Due Tuesday 29 December 2026: 29 Nov is a Sunday (-> Fri 27 Nov); 28 Dec is the substitute
    Boxing Day bank holiday (-> Thu 24 Dec)."""
    nct = load_preset("nct")
    doc = DocFacts("PP-1", "Missing children", date(2026, 12, 29))
    seen = _first_days(nct, doc, date(2026, 11, 1), date(2026, 12, 31))
    assert seen == {
        "review-due:PP-1:2026-12-29:30d": date(2026, 11, 27),
        "review-due:PP-1:2026-12-29:14d": date(2026, 12, 15),
        "review-due:PP-1:2026-12-29:7d": date(2026, 12, 22),
        "review-due:PP-1:2026-12-29:1d": date(2026, 12, 24),
        "review-overdue:PP-1:2026-12-29": date(2026, 12, 30),
    }
    owed = review_reminders(nct, doc, date(2026, 12, 24), CAL)[0]
    assert owed.to == ("ro", "rsm") and "in 1 working day" in owed.body


def test_after_downtime_only_the_latest_reminder_is_owed():
    """Back after two weeks down: the 7-day reminder, not the 30- and 14-day ones as well."""
    nct = load_preset("nct")
    owed = review_reminders(nct, DocFacts("PP-1", "X", date(2027, 3, 31)), date(2027, 3, 25), CAL)
    assert [o.key for o in owed] == ["review-due:PP-1:2027-03-31:7d"]


def test_dor12_escalates_to_head_of_qa_when_more_than_two_months_late():
    dorset = load_preset("dorset")
    doc = DocFacts("DOR-1", "Fostering", date(2026, 9, 1))
    assert [o.kind for o in review_reminders(dorset, doc, date(2026, 11, 1), CAL)] == ["review_overdue"]
    owed = review_reminders(dorset, doc, date(2026, 11, 2), CAL)
    assert [(o.kind, o.to) for o in owed] == [("review_escalation", ("head_of_qa", "ro"))]
    assert "more than 2 months overdue" in owed[0].subject


def test_nct_escalation_ladder_sends_the_highest_step_reached():
    nct = load_preset("nct")  # 1 month -> RSM, 2 months -> SLT
    doc = DocFacts("PP-2", "Y", date(2026, 8, 14))
    assert review_reminders(nct, doc, date(2026, 9, 15), CAL)[0].to == ("rsm", "ro")
    assert review_reminders(nct, doc, date(2026, 11, 23), CAL)[0].to == ("slt", "ro")


def test_retired_and_undated_documents_owe_nothing():
    nct = load_preset("nct")
    assert review_reminders(nct, DocFacts("A", "a", None), date(2026, 11, 23), CAL) == []
    assert review_reminders(nct, DocFacts("A", "a", date(2026, 11, 24), "retired"), date(2026, 11, 23), CAL) == []


def _case(**kw):
    base = dict(id=7, version=3, ref="PP-3", title="Z", kind="scheduled_review", stage_label="RSM sign-off",
                step="awaiting", waiting_for=("rsm",), since=date(2026, 11, 16))
    base.update(kw)
    return CaseFacts(**base)


def test_a_case_waiting_five_working_days_is_nudged_once_per_round():
    assert case_nudges(_case(), date(2026, 11, 20), CAL) == []  # 4 working days
    first = case_nudges(_case(), date(2026, 11, 23), CAL)
    assert [o.key for o in first] == ["case-waiting:7:v3:1"]
    assert case_nudges(_case(), date(2026, 11, 27), CAL)[0].key == "case-waiting:7:v3:1"  # same round
    assert case_nudges(_case(), date(2026, 11, 30), CAL)[0].key == "case-waiting:7:v3:2"
    cond = case_nudges(_case(step="conditions", waiting_for=("ro",)), date(2026, 11, 23), CAL)[0]
    assert cond.kind == "conditions_waiting" and cond.to == ("ro",)


def test_bct4_consultees_who_have_not_answered_are_reminded_before_the_deadline():
    case = _case(consult_deadline=date(2026, 12, 4), silent_consultees=("c1", "c2"), waiting_for=("person:c1", "person:c2"))
    assert case_nudges(case, date(2026, 12, 1), CAL) == []
    owed = case_nudges(case, date(2026, 12, 2), CAL)
    assert [(o.kind, o.to) for o in owed] == [("consultation_closing", ("person:c1", "person:c2"))]
    assert "recorded as agreeing" in owed[0].body


def test_nct4_update_window_opens_six_weeks_before_and_warns_at_the_end():
    cycle = load_preset("nct").update_cycle
    deadline = date(2027, 3, 5)
    assert update_window(cycle, deadline, date(2027, 1, 21), CAL) is None
    assert update_window(cycle, deadline, date(2027, 1, 22), CAL) == "open"
    assert update_window(cycle, deadline, date(2027, 2, 26), CAL) == "final"
    assert update_window(cycle, deadline, date(2027, 3, 6), CAL) is None


def test_digests_are_owed_from_the_first_working_day_of_the_week_or_month():
    # BCT-9 weekly: Monday 28 Dec 2026 is a bank holiday, so the week's email is owed from Tuesday.
    assert digest_due("weekly_published", date(2026, 12, 28), CAL) is None
    key, start, end = digest_due("weekly_published", date(2026, 12, 29), CAL)
    assert (key, start, end) == ("digest:weekly_published:2026-W52", date(2026, 12, 21), date(2026, 12, 27))
    # DOR-13 monthly: 1 Jan 2027 is a bank holiday; owed from Monday 4 Jan for December.
    assert digest_due("monthly_approved", date(2027, 1, 1), CAL) is None
    assert digest_due("monthly_approved", date(2027, 1, 4), CAL) == ("digest:monthly_approved:2026-12", date(2026, 12, 1), date(2026, 12, 31))


def test_nudges_wait_for_working_hours():
    sat = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
    assert send_window(sat, CAL) == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
    early = datetime(2026, 11, 23, 7, 15, tzinfo=LONDON)
    assert send_window(early, CAL) == datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
    now = datetime(2026, 11, 23, 11, 0, tzinfo=LONDON)
    assert send_window(now, CAL) == now


@pytest.mark.parametrize("text,expected", [
    ("18:00 to 08:00", (time(18), time(8))), ("6pm-8am", (time(18), time(8))), ("12:30 until 13.30", (time(12, 30), time(13, 30))),
])
def test_quiet_hours_are_read_as_people_write_them(text, expected):
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize("bad", ["whenever", "25:00 to 08:00", "18:00"])
def test_nonsense_quiet_hours_are_refused_with_a_reason(bad):
    with pytest.raises(ValueError):
        parse_quiet_hours(bad)


def test_quiet_hours_across_midnight():
    q = (time(18), time(8))
    assert in_quiet_hours(datetime(2026, 11, 23, 19, 0, tzinfo=LONDON), q) == datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)
    assert in_quiet_hours(datetime(2026, 11, 24, 7, 0, tzinfo=LONDON), q) == datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)
    assert in_quiet_hours(datetime(2026, 11, 24, 9, 0, tzinfo=LONDON), q) is None
