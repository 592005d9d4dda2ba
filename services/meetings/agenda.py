"""Meetings of decision bodies: forward plans, agendas, papers, outcomes, attendance, minutes, reports.

The rules are in governance.meetings; the use cases live in one module each (common, calendars,
placing, agendas, outcomes, minutes, papers) and this module names them for the conversation and
the scheduler. Every state change commits in one transaction with an audit record. Who may act
comes from the channel identity only (resolve_person): the chair of the body, or a vice-chair
deputising when the chair is not at the meeting.
"""

from __future__ import annotations

from services.meetings.agendas import (
    add_item,
    forward_plan,
    forward_plan_view,
    meeting_agenda,
    missing_papers,
    move_item,
    next_agenda,
    reorder_item,
)
from services.meetings.calendars import add_meeting, cancel_meeting, ensure_meetings
from services.meetings.common import (
    HORIZON_DAYS,
    Result,
    find_body,
)
from services.meetings.minutes import (
    NewAction,
    complete_action,
    issue_minutes,
    minutes_of,
    record_attendance,
)
from services.meetings.outcomes import outcome_choices, parse_votes, record_outcome
from services.meetings.papers import due_meeting_work
from services.meetings.placing import place_from_events, place_on_agenda

__all__ = [
    "HORIZON_DAYS", "NewAction", "Result", "add_item", "add_meeting",
    "cancel_meeting", "complete_action", "due_meeting_work", "ensure_meetings", "find_body", "forward_plan",
    "forward_plan_view", "issue_minutes", "meeting_agenda", "minutes_of", "missing_papers", "move_item", "next_agenda",
    "outcome_choices", "parse_votes", "place_from_events", "place_on_agenda", "record_attendance", "record_outcome",
    "reorder_item",
]
