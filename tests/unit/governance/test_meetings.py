"""Meetings of decision bodies, pure rules: schedules, deadlines, agendas, outcomes, attendance, reports."""

from __future__ import annotations

from datetime import date

import pytest

from governance import meetings as gm
from governance.calendar import WorkingCalendar
from governance.errors import MissingInformation, NotAllowed
from governance.preset import load_preset

CAL = WorkingCalendar("england")
DORSET = load_preset("dorset")
BCT = load_preset("bct")
PPG = DORSET.bodies["ppp_group"]


def test_dor7_dorset_year_has_ten_meetings_on_second_tuesdays_skipping_august_and_december():
    """DOR-7: second Tuesday monthly except August and December."""
    days = gm.schedule(PPG, date(2027, 1, 1), date(2027, 12, 31))
    assert [d.month for d in days] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)
    assert days[0] == date(2027, 1, 12) and days[-1] == date(2027, 11, 9)


def test_dor7_chair_adds_a_one_off_meeting_and_cancels_one():
    """DOR-7 with the chair's changes: a one-off in August, July cancelled."""
    days = gm.schedule(PPG, date(2027, 6, 1), date(2027, 9, 30), added=[date(2027, 8, 17)], cancelled=[date(2027, 7, 13)])
    assert days == [date(2027, 6, 8), date(2027, 8, 17), date(2027, 9, 14)]


def test_a_body_without_a_calendar_meets_only_when_a_meeting_is_added():
    xcslt = DORSET.bodies["xcslt"]
    assert gm.schedule(xcslt, date(2027, 1, 1), date(2027, 12, 31)) == []
    assert gm.schedule(xcslt, date(2027, 1, 1), date(2027, 12, 31), added=[date(2027, 3, 3)]) == [date(2027, 3, 3)]
    assert gm.first_feasible_meeting(xcslt, date(2027, 1, 4), CAL) is None


def test_dor8_deadlines_are_working_days_and_bank_holidays_move_them_earlier():
    """DOR-8: items 10 working days before, papers 3 working days before; the May Day bank
    holiday (3 May 2027) and Christmas move the item deadlines a day and more earlier."""
    may = gm.deadlines_for(PPG, date(2027, 5, 11), CAL)
    assert may.items_due == date(2027, 4, 26)  # would be 27 April without May Day
    assert may.papers_due == date(2027, 5, 6)
    june = gm.deadlines_for(PPG, date(2027, 6, 8), CAL)
    assert june.items_due == date(2027, 5, 24)  # Spring bank holiday 31 May
    jan = gm.deadlines_for(PPG, date(2027, 1, 12), CAL)
    assert jan.items_due == date(2026, 12, 24)  # Christmas, Boxing Day and New Year's Day
    assert CAL.working_days_between(jan.items_due, date(2027, 1, 12)) == 10
    assert CAL.working_days_between(jan.papers_due, date(2027, 1, 12)) == 3


def test_dor8_an_item_too_late_for_one_meeting_lands_on_the_next():
    """DOR-8: on the item deadline itself the item still makes the meeting; the day after it goes to the next."""
    on_time = gm.first_feasible_meeting(PPG, date(2027, 4, 26), CAL)
    assert on_time.meeting == date(2027, 5, 11)
    late = gm.first_feasible_meeting(PPG, date(2027, 4, 27), CAL)
    assert (late.meeting, late.items_due, late.papers_due) == (date(2027, 6, 8), date(2027, 5, 24), date(2027, 6, 3))


def test_dor7_dor8_an_item_raised_in_july_after_the_deadline_waits_until_september():
    d = gm.first_feasible_meeting(PPG, date(2027, 7, 1), CAL)
    assert d.meeting == date(2027, 9, 14)  # July's deadline (29 June) has passed; there is no August meeting


def test_bct4_bct6_responses_three_days_before_papers_a_working_day_before_and_never_on_a_bank_holiday():
    """BCT-4: responses three days before; BCT-6: papers one working day before (moved off weekends and
    holidays); on one timeline the consultation always closes before the papers go."""
    et = BCT.bodies["executive_team"]
    d = gm.deadlines_for(et, date(2027, 6, 2), CAL)  # Wednesday; Monday 31 May is a bank holiday
    assert (d.responses_due, d.papers_due) == (date(2027, 5, 28), date(2027, 6, 1))
    dlg = BCT.bodies["dlg"]
    d = gm.deadlines_for(dlg, date(2027, 3, 9), CAL)  # Tuesday
    assert (d.responses_due, d.papers_due) == (date(2027, 3, 5), date(2027, 3, 8))  # Saturday rolls back to Friday
    # Tuesday 29 December 2026: Christmas and the Boxing Day holiday (Monday 28th) pull the papers to
    # Thursday 24th, where the responses also fell; the consultation closes the working day before.
    d = gm.deadlines_for(dlg, date(2026, 12, 29), CAL)
    assert (d.responses_due, d.papers_due) == (date(2026, 12, 23), date(2026, 12, 24))


def test_bct8_directors_ads_group_sees_documents_two_weeks_before():
    """BCT-8: consultation with the Directors/ADs group two weeks before the meeting (every other Thursday)."""
    group = BCT.bodies["directors_ads"]
    assert gm.schedule(group, date(2027, 3, 1), date(2027, 4, 2)) == [date(2027, 3, 4), date(2027, 3, 18), date(2027, 4, 1)]
    first = gm.first_feasible_meeting(group, date(2027, 3, 1), CAL)  # 4 March is three days away: too late
    assert (first.meeting, first.items_due) == (date(2027, 3, 18), date(2027, 3, 4))
    later = gm.first_feasible_meeting(group, date(2027, 3, 5), CAL)
    assert (later.meeting, later.items_due) == (date(2027, 4, 1), date(2027, 3, 18))


def test_papers_are_due_from_the_papers_deadline_until_the_meeting():
    """DOR-8: papers at least 3 working days before."""
    assert not gm.papers_due_now(PPG, date(2027, 5, 11), date(2027, 5, 5), CAL)
    assert gm.papers_due_now(PPG, date(2027, 5, 11), date(2027, 5, 6), CAL)
    assert not gm.papers_due_now(PPG, date(2027, 5, 11), date(2027, 5, 12), CAL)


def _items():
    return [
        gm.ItemIn(10, "Horizon: new statutory guidance", "horizon", "horizon"),
        gm.ItemIn(11, "Private Fostering", "review", "reviews", ref="PP-044"),
        gm.ItemIn(12, "Information Sharing", "information", "information", ref="PP-046"),
        gm.ItemIn(13, "Need for a Kinship Care procedure", "proposal", "new"),
        gm.ItemIn(14, "Section 47 Enquiries", "review", "reviews", ref="PP-002"),
        gm.ItemIn(15, "Strategy Discussions", "full_approval", "new", ref="PP-003"),
    ]


def test_dor9_agenda_is_built_in_the_standard_form():
    """DOR-9: progress report and actions, new proposals and drafts, reviews, information items (DOR-5), horizon scanning."""
    sections = gm.build_agenda(_items())
    assert [s.title for s in sections] == [
        "Progress report and outstanding actions", "New proposals and drafts", "Reviews", "Information items", "Horizon scanning"]
    flat = [(line.number, line.item.title) for s in sections for line in s.lines]
    assert flat == [
        (1, "Progress report and outstanding actions"), (2, "Need for a Kinship Care procedure"), (3, "Strategy Discussions"),
        (4, "Private Fostering"), (5, "Section 47 Enquiries"), (6, "Information Sharing"), (7, "Horizon: new statutory guidance")]


def test_dor9_chair_reorders_items_and_they_renumber():
    items = _items()
    moved = gm.reorder(items, 14, 4)  # Section 47 before Private Fostering
    numbers = {n: i.title for n, i in gm.numbered(moved).items()}
    assert numbers[4] == "Section 47 Enquiries" and numbers[5] == "Private Fostering"
    down = gm.reorder(items, 13, 3)  # the proposal after the interim approval
    assert [gm.numbered(down)[n].title for n in (2, 3)] == ["Strategy Discussions", "Need for a Kinship Care procedure"]
    with pytest.raises(NotAllowed, match="run from 2 to 7"):
        gm.reorder(items, 13, 9)
    with pytest.raises(NotAllowed, match="progress report"):
        gm.item_number(items, 1)


def test_outstanding_actions_list_only_open_ones_by_due_date():
    acts = [gm.ActionIn("Update the form", "Rowan", date(2027, 2, 1)), gm.ActionIn("Done one", "Quinn", date(2027, 1, 1), True),
            gm.ActionIn("Check training", "Alex", date(2027, 1, 20))]
    assert [a.text for a in gm.outstanding_actions(acts)] == ["Check training", "Update the form"]


GROUP_DECISIONS = DORSET.routes["group"].stage("group_decision").decisions


def test_dor4_no_consensus_is_a_vote_or_a_referral_to_the_extended_cslt():
    """DOR-4: consensus, else vote or referral to the extended CSLT."""
    vote = gm.outcome_effect("approved_by_vote", "review", PPG, GROUP_DECISIONS, votes=(6, 2))
    assert vote.lifecycle_decision == "approve_by_vote"
    with pytest.raises(NotAllowed, match="did not carry"):
        gm.outcome_effect("approved_by_vote", "review", PPG, GROUP_DECISIONS, votes=(3, 3))
    with pytest.raises(MissingInformation, match="votes for and against"):
        gm.outcome_effect("approved_by_vote", "review", PPG, GROUP_DECISIONS)
    refer = gm.outcome_effect("referred", "review", PPG, GROUP_DECISIONS, note="No consensus on thresholds")
    assert (refer.lifecycle_decision, refer.to_higher_body) == ("refer", "xcslt")


def test_bct7_referral_goes_to_the_higher_body_and_needs_a_reason():
    """BCT-7: final subject to amendments, or referred to the higher body's forward plan."""
    dlg = BCT.bodies["dlg"]
    decisions = BCT.routes["area_of_practice"].stage("sign_off").decisions
    effect = gm.outcome_effect("referred", "review", dlg, decisions, note="Affects the whole Trust")
    assert effect.to_higher_body == "executive_team"
    with pytest.raises(MissingInformation, match="why it goes to the higher body"):
        gm.outcome_effect("referred", "review", dlg, decisions)
    with pytest.raises(NotAllowed, match="no higher body"):
        gm.outcome_effect("referred", "review", BCT.bodies["trust_board"], (), note="x")
    amended = gm.outcome_effect("approved_with_amendments", "review", dlg, decisions, note="Add the escalation route")
    assert amended.lifecycle_decision == "approve_with_conditions"
    with pytest.raises(NotAllowed, match="cannot record 'approved by vote"):
        gm.outcome_effect("approved_by_vote", "review", dlg, decisions, votes=(5, 1))


def test_deferred_carries_to_the_next_meeting_and_information_items_are_noted():
    """DOR-5: a Director's approval is an information item, noted by the Group."""
    deferred = gm.outcome_effect("deferred", "review", PPG, GROUP_DECISIONS)
    assert deferred.carry_to_next_meeting and deferred.lifecycle_decision is None
    assert gm.outcome_effect("noted", "information", PPG, GROUP_DECISIONS).lifecycle_decision is None
    with pytest.raises(NotAllowed, match="Director"):
        gm.outcome_effect("approved", "information", PPG, GROUP_DECISIONS)
    with pytest.raises(NotAllowed, match="for decision"):
        gm.outcome_effect("noted", "review", PPG, GROUP_DECISIONS)
    assert gm.outcome_effect("approved", "full_approval", PPG, GROUP_DECISIONS).lifecycle_decision == "approve"
    assert gm.outcome_effect("approved", "proposal", PPG, ()).lifecycle_decision == "agree_need"


def test_outcome_words_people_type_are_understood():
    assert gm.parse_outcome("Approved with amendments") == "approved_with_amendments"
    assert gm.parse_outcome("deferred.") == "deferred"
    assert gm.parse_outcome("referred to the extended CSLT") == "referred"
    with pytest.raises(MissingInformation, match="Which outcome"):
        gm.parse_outcome("maybe")


def test_dor11_member_absent_from_two_successive_meetings_without_a_delegate_is_flagged():
    """DOR-11: delegates when absent; two successive absences without one are escalated."""
    history = [
        {"a": "absent", "b": "present", "c": "absent"},
        {"a": "absent", "b": "delegate", "c": "present"},
    ]
    assert gm.absence_flags(PPG, history, ["a", "b", "c"]) == [("a", 2)]
    history.append({"a": "absent", "b": "absent", "c": "absent"})
    assert gm.absence_flags(PPG, history, ["a", "b", "c"]) == [("a", 3)]
    # A delegate breaks the run.
    history.append({"a": "delegate", "b": "absent", "c": "absent"})
    assert gm.absence_flags(PPG, history, ["a", "b", "c"]) == [("b", 2), ("c", 2)]
    assert DORSET.bodies["xcslt"].absence_escalation is None
    assert PPG.absence_escalation == (2, "head_of_qa")


def test_dor11_meeting_short_without_two_heads_of_service_and_two_qa_managers():
    """DOR-11: at least two Heads of Service and two QA managers attend (delegates count)."""
    ok = gm.quorum_check(PPG, [frozenset({"hos"}), frozenset({"hos"}), frozenset({"qa_manager"}), frozenset({"qa_manager", "head_of_qa"})])
    assert not ok.short
    short = gm.quorum_check(PPG, [frozenset({"hos"}), frozenset({"qa_manager"}), frozenset({"qa_manager"})])
    assert short.short and short.shortfalls() == [("hos", 1, 2)]


def test_dor13_annual_report_due_at_the_financial_year_end_and_monthly_period():
    """DOR-13: annual report at the end of each financial year (31 March); monthly communication."""
    assert gm.financial_year(date(2027, 6, 1)) == (date(2027, 4, 1), date(2028, 3, 31))
    assert gm.annual_report_due(date(2027, 3, 30), None) is None  # the year has not ended
    assert gm.annual_report_due(date(2027, 3, 31), None) == (date(2026, 4, 1), date(2027, 3, 31))
    assert gm.annual_report_due(date(2027, 4, 2), date(2027, 3, 31)) is None
    assert gm.annual_report_due(date(2027, 6, 1), None) is None  # too long after to catch up
    assert gm.monthly_period(date(2027, 3, 1)) == (date(2027, 2, 1), date(2027, 2, 28))


def test_dorset_year_transcript():
    """DOR-7, DOR-8: a year of the Group, as the bot would plan it: August and December skipped,
    bank holidays moving deadlines, and an item that misses one deadline landing on the next meeting."""
    raised = [
        (date(2027, 1, 4), "PP-001"),   # after the January deadline (24 Dec): February
        (date(2027, 4, 26), "PP-002"),  # on May's deadline (moved by May Day): May
        (date(2027, 4, 27), "PP-003"),  # a day late for May: June
        (date(2027, 6, 30), "PP-004"),  # after July's deadline, no August meeting: September
        (date(2027, 11, 1), "PP-005"),  # after November's deadline, no December meeting: January 2028
    ]
    placed = {ref: gm.first_feasible_meeting(PPG, day, CAL) for day, ref in raised}
    lines = [f"{ref}: meeting {d.meeting:%-d %b %Y}, items by {d.items_due:%-d %b}, papers {d.papers_due:%-d %b}"
             for ref, d in placed.items()]
    assert lines == [
        "PP-001: meeting 9 Feb 2027, items by 26 Jan, papers 4 Feb",
        "PP-002: meeting 11 May 2027, items by 26 Apr, papers 6 May",
        "PP-003: meeting 8 Jun 2027, items by 24 May, papers 3 Jun",
        "PP-004: meeting 14 Sep 2027, items by 31 Aug, papers 9 Sep",
        "PP-005: meeting 11 Jan 2028, items by 23 Dec, papers 6 Jan",
    ]
