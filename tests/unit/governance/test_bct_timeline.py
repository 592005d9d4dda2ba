"""One meeting timeline for a BCT consultation, worked back from the meeting (BCT-4, BCT-6, BCT-8)."""

from __future__ import annotations

from datetime import date

import pytest

from governance.calendar import WorkingCalendar, parse_deadline_rule
from governance.preset import load_preset
from governance.timeline import consultation_timeline

BCT = load_preset("bct")
CAL = WorkingCalendar("england")
THREE_DAYS = parse_deadline_rule("3 days before")
TWO_WEEKS = parse_deadline_rule("2 weeks before")


@pytest.mark.parametrize(("today", "meeting", "closes", "papers"), [
    (date(2026, 11, 23), date(2026, 12, 1), date(2026, 11, 27), date(2026, 11, 30)),   # BCT-4: 3 days before; BCT-6: 1 working day
    (date(2026, 11, 27), date(2026, 12, 1), date(2026, 11, 27), date(2026, 11, 30)),   # the close day itself is still in time
    (date(2026, 11, 28), date(2026, 12, 8), date(2026, 12, 4), date(2026, 12, 7)),     # too late for the 1st: the next meeting
    # Christmas and the Boxing Day holiday pull the papers to Thursday 24th: the consultation closes the day before.
    (date(2026, 12, 21), date(2026, 12, 29), date(2026, 12, 23), date(2026, 12, 24)),
    # New Year's Day (Friday): Saturday's close rolls back to Thursday 31st, papers on Monday 4 January.
    (date(2026, 12, 24), date(2027, 1, 5), date(2026, 12, 31), date(2027, 1, 4)),
])
def test_bct_4_bct_6_the_dlg_timeline_closes_the_consultation_before_the_papers(today, meeting, closes, papers):
    t = consultation_timeline(BCT.bodies["dlg"], today, THREE_DAYS, CAL)
    assert (t.meeting, t.closes, t.papers) == (meeting, closes, papers)
    assert t.closes < t.papers < t.meeting


def test_bct_8_an_overarching_policy_is_shared_two_weeks_before_its_executive_team_meeting():
    """BCT-8: the Directors and ADs see it two weeks before: from Monday 23 November the ET of
    2 December is too soon, so it is the 9th (shared by 25 November)."""
    t = consultation_timeline(BCT.bodies["executive_team"], date(2026, 11, 23), THREE_DAYS, CAL, shared=TWO_WEEKS)
    assert (t.shared_by, t.closes, t.papers, t.meeting) == (date(2026, 11, 25), date(2026, 12, 4), date(2026, 12, 8), date(2026, 12, 9))
    assert [label for label, _ in t.described()] == ["Shared with the consultees by", "Consultation closes", "Papers go to members", "Meeting"]
    # The route says so (bct.yaml): the overarching route's consultation carries the two weeks.
    assert str(BCT.routes["overarching"].stage("consult").shared) == "2 weeks before"
