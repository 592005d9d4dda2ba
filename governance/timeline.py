"""One meeting timeline for a consultation (BCT-4, BCT-6, BCT-8), worked back from the meeting.

The meeting comes first; from it the papers date (BCT-6: the agenda and the second draft go out one
working day before), the consultation's close (BCT-4: responses three days before, always before
the papers date) and, where the seed says so, the day it must be shared by (BCT-8: the Directors and
ADs see it two weeks before). The first meeting whose timeline can still be kept is chosen, so
closing the consultation never pushes the item to a later meeting. Pure: handed `today`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from governance.calendar import DeadlineRule, WorkingCalendar
from governance.meetings import HORIZON_DAYS, close_before_papers, deadlines_for
from governance.preset import Body


@dataclass(frozen=True)
class Timeline:
    meeting: date
    closes: date            # BCT-4: consultation responses due
    papers: date | None     # BCT-6: papers (with the second draft) go to members
    shared_by: date | None  # BCT-8: shared with the consultees by this day

    def described(self) -> list[tuple[str, date]]:
        out = [("Shared with the consultees by", self.shared_by)] if self.shared_by else []
        out.append(("Consultation closes", self.closes))
        if self.papers:
            out.append(("Papers go to members", self.papers))
        return out + [("Meeting", self.meeting)]


def timeline_for(body: Body, meeting: date, closes: DeadlineRule, calendar: WorkingCalendar,
                 shared: DeadlineRule | None = None) -> Timeline:
    papers = deadlines_for(body, meeting, calendar).papers_due
    close = close_before_papers(closes.apply(meeting, calendar), papers, calendar)
    assert close is not None
    return Timeline(meeting, close, papers, shared.apply(meeting, calendar) if shared else None)


def consultation_timeline(body: Body, today: date, closes: DeadlineRule, calendar: WorkingCalendar, *,
                          shared: DeadlineRule | None = None, meetings: Iterable[date] | None = None) -> Timeline | None:
    """The first meeting (of `meetings`, else the body's calendar) whose timeline starts no earlier
    than today: its close still to come, and its sharing day not yet passed."""
    if meetings is None:
        meetings = body.meeting.occurrences(today, today + timedelta(days=HORIZON_DAYS)) if body.meeting else ()
    for meeting in sorted(m for m in meetings if m >= today):
        t = timeline_for(body, meeting, closes, calendar, shared)
        if t.closes >= today and (t.shared_by is None or t.shared_by >= today):
            return t
    return None
