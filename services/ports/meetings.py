"""Meetings of decision bodies (DOR-7 to DOR-13, BCT-4 to BCT-8): the records the meetings
repository (`uow.meetings`, store/meeting_repo.py) returns, and the repository itself. Records are
frozen: a use case changes a meeting, an item, a plan entry or an action only through the
repository's `update_*` methods, which return the record as it now stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: int
    body: str
    starts_at: datetime
    status: str  # scheduled | cancelled | held
    one_off: bool
    papers_sent_at: datetime | None
    minutes_sent_at: datetime | None
    report_sent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AgendaItemRecord:
    id: int
    meeting_id: int
    document_id: int | None
    case_id: int | None
    title: str
    kind: str  # governance.meetings.ITEM_KINDS
    section: str
    position: int
    outcome: str | None
    outcome_note: str | None
    recorded_by: str | None
    recorded_at: datetime | None
    added_by: str | None
    added_at: datetime
    carried_from: int | None


@dataclass(frozen=True, slots=True)
class PlanEntryRecord:
    """DOR-10 / BCT-7: what a body will consider, with or without a meeting yet."""

    id: int
    body: str
    document_id: int | None
    case_id: int | None
    title: str
    kind: str
    status: str  # planned | decided | withdrawn
    agenda_item_id: int | None
    referred_from: str | None
    added_by: str | None
    added_at: datetime


@dataclass(frozen=True, slots=True)
class AttendanceRecord:
    id: int
    meeting_id: int
    person_id: str
    status: str  # present | absent | delegate
    delegate_name: str | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """DOR-10: an action from a meeting, notified to its owner and chased until done."""

    id: int
    meeting_id: int
    body: str
    agenda_item_id: int | None
    text: str
    owner_id: str
    due_on: date | None
    done_at: datetime | None
    last_chased_on: date | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MinutesRecord:
    id: int
    meeting_id: int
    text: str
    recorded_by: str | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """DOR-13: a report sent, one per body, kind and period."""

    id: int
    body: str
    kind: str  # after_meeting | monthly | annual
    period_start: date
    period_end: date
    text: str
    sent_at: datetime


class MeetingRepository(Protocol):
    async def get(self, meeting_id: int) -> MeetingRecord | None: ...

    async def between(self, body: str, start: datetime, end: datetime,
                      statuses: Iterable[str] | None = None) -> list[MeetingRecord]: ...

    async def of_body(self, body: str, statuses: Iterable[str] | None = None) -> list[MeetingRecord]: ...

    async def all_scheduled(self) -> list[MeetingRecord]: ...

    async def create(self, **fields: Any) -> MeetingRecord:
        """A new meeting; if another turn created the same one (body, start) first, that one."""
        ...

    async def update_meeting(self, meeting_id: int, **values: Any) -> MeetingRecord: ...

    async def item(self, item_id: int) -> AgendaItemRecord | None: ...

    async def items(self, meeting_id: int) -> list[AgendaItemRecord]: ...

    async def items_for_case(self, case_id: int) -> list[AgendaItemRecord]: ...

    async def add_item(self, **fields: Any) -> AgendaItemRecord: ...

    async def update_item(self, item_id: int, **values: Any) -> AgendaItemRecord: ...

    async def decided_between(self, body: str, start: datetime,
                              end: datetime) -> list[tuple[AgendaItemRecord, MeetingRecord]]: ...

    async def plan(self, body: str, statuses: Iterable[str] = ("planned",)) -> list[PlanEntryRecord]: ...

    async def plan_entry_for_item(self, item_id: int) -> PlanEntryRecord | None: ...

    async def add_plan_entry(self, **fields: Any) -> PlanEntryRecord: ...

    async def update_plan_entry(self, entry_id: int, **values: Any) -> PlanEntryRecord: ...

    async def attendance(self, meeting_id: int) -> list[AttendanceRecord]: ...

    async def set_attendance(self, meeting_id: int, person_id: str, status: str, delegate_name: str | None,
                             now: datetime) -> None: ...

    async def add_action(self, **fields: Any) -> ActionRecord: ...

    async def action(self, action_id: int) -> ActionRecord | None: ...

    async def update_action(self, action_id: int, **values: Any) -> ActionRecord: ...

    async def open_actions(self, body: str | None = None) -> list[ActionRecord]: ...

    async def actions_of(self, meeting_id: int) -> list[ActionRecord]: ...

    async def minutes(self, meeting_id: int) -> MinutesRecord | None: ...

    async def add_minutes(self, **fields: Any) -> MinutesRecord: ...

    async def report_sent(self, body: str, kind: str, period_end: date) -> bool: ...

    async def last_report(self, body: str, kind: str) -> ReportRecord | None: ...

    async def add_report(self, **fields: Any) -> ReportRecord: ...
