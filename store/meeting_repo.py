"""Meetings, agenda items, forward plans, attendance, actions, minutes and reports: `uow.meetings`
(services.ports.MeetingRepository). It hands out frozen records, never its rows; a use case changes
them only through its `add_*`, `set_attendance` and `update_*` methods."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.ports import (
    ActionRecord,
    AgendaItemRecord,
    AttendanceRecord,
    MeetingRecord,
    MinutesRecord,
    PlanEntryRecord,
    ReportRecord,
)
from store.meeting_models import AgendaItem, Attendance, ForwardPlanEntry, Meeting, MeetingAction, MeetingReport, Minutes
from store.records import change
from store.records import record as _record
from store.records import record_or_none as _or_none

R = TypeVar("R")


class MeetingRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _records(self, cls: type[R], stmt) -> list[R]:
        return [_record(cls, r) for r in (await self.s.execute(stmt)).scalars()]

    # meetings
    async def get(self, meeting_id: int) -> MeetingRecord | None:
        return _or_none(MeetingRecord, await self.s.get(Meeting, meeting_id))

    async def between(self, body: str, start: datetime, end: datetime,
                      statuses: Iterable[str] | None = None) -> list[MeetingRecord]:
        stmt = select(Meeting).where(Meeting.body == body, Meeting.starts_at >= start, Meeting.starts_at <= end)
        if statuses is not None:
            stmt = stmt.where(Meeting.status.in_(list(statuses)))
        return await self._records(MeetingRecord, stmt.order_by(Meeting.starts_at))

    async def of_body(self, body: str, statuses: Iterable[str] | None = None) -> list[MeetingRecord]:
        stmt = select(Meeting).where(Meeting.body == body)
        if statuses is not None:
            stmt = stmt.where(Meeting.status.in_(list(statuses)))
        return await self._records(MeetingRecord, stmt.order_by(Meeting.starts_at))

    async def all_scheduled(self) -> list[MeetingRecord]:
        stmt = select(Meeting).where(Meeting.status == "scheduled").order_by(Meeting.starts_at)
        return await self._records(MeetingRecord, stmt)

    async def create(self, **fields: Any) -> MeetingRecord:
        """A meeting; if another turn created the same one first, that one is returned."""
        try:
            async with self.s.begin_nested():
                m = Meeting(**fields)
                self.s.add(m)
            return _record(MeetingRecord, m)
        except IntegrityError:
            stmt = select(Meeting).where(Meeting.body == fields["body"], Meeting.starts_at == fields["starts_at"])
            return _record(MeetingRecord, (await self.s.execute(stmt)).scalar_one())

    async def update_meeting(self, meeting_id: int, **values: Any) -> MeetingRecord:
        return _record(MeetingRecord, await change(self.s, Meeting, meeting_id, values))

    # agenda items
    async def item(self, item_id: int) -> AgendaItemRecord | None:
        return _or_none(AgendaItemRecord, await self.s.get(AgendaItem, item_id))

    async def items(self, meeting_id: int) -> list[AgendaItemRecord]:
        stmt = select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.id)
        return await self._records(AgendaItemRecord, stmt)

    async def items_for_case(self, case_id: int) -> list[AgendaItemRecord]:
        stmt = select(AgendaItem).where(AgendaItem.case_id == case_id).order_by(AgendaItem.id)
        return await self._records(AgendaItemRecord, stmt)

    async def add_item(self, **fields: Any) -> AgendaItemRecord:
        item = AgendaItem(**fields)
        self.s.add(item)
        await self.s.flush()
        return _record(AgendaItemRecord, item)

    async def update_item(self, item_id: int, **values: Any) -> AgendaItemRecord:
        return _record(AgendaItemRecord, await change(self.s, AgendaItem, item_id, values))

    async def decided_between(self, body: str, start: datetime,
                              end: datetime) -> list[tuple[AgendaItemRecord, MeetingRecord]]:
        stmt = (
            select(AgendaItem, Meeting).join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .where(Meeting.body == body, AgendaItem.outcome.is_not(None),
                   AgendaItem.recorded_at >= start, AgendaItem.recorded_at <= end)
            .order_by(Meeting.starts_at, AgendaItem.id)
        )
        return [(_record(AgendaItemRecord, i), _record(MeetingRecord, m)) for i, m in (await self.s.execute(stmt)).all()]

    # forward plan
    async def plan(self, body: str, statuses: Iterable[str] = ("planned",)) -> list[PlanEntryRecord]:
        stmt = select(ForwardPlanEntry).where(ForwardPlanEntry.body == body, ForwardPlanEntry.status.in_(list(statuses)))
        return await self._records(PlanEntryRecord, stmt.order_by(ForwardPlanEntry.id))

    async def plan_entry_for_item(self, item_id: int) -> PlanEntryRecord | None:
        stmt = select(ForwardPlanEntry).where(ForwardPlanEntry.agenda_item_id == item_id)
        return _or_none(PlanEntryRecord, (await self.s.execute(stmt)).scalars().first())

    async def add_plan_entry(self, **fields: Any) -> PlanEntryRecord:
        entry = ForwardPlanEntry(**fields)
        self.s.add(entry)
        await self.s.flush()
        return _record(PlanEntryRecord, entry)

    async def update_plan_entry(self, entry_id: int, **values: Any) -> PlanEntryRecord:
        return _record(PlanEntryRecord, await change(self.s, ForwardPlanEntry, entry_id, values))

    # attendance
    async def attendance(self, meeting_id: int) -> list[AttendanceRecord]:
        stmt = select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.person_id)
        return await self._records(AttendanceRecord, stmt)

    async def set_attendance(self, meeting_id: int, person_id: str, status: str, delegate_name: str | None,
                             now: datetime) -> None:
        stmt = select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.person_id == person_id)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        if row is None:
            self.s.add(Attendance(meeting_id=meeting_id, person_id=person_id, status=status, delegate_name=delegate_name,
                                  recorded_at=now))
        else:
            row.status, row.delegate_name, row.recorded_at = status, delegate_name, now
        await self.s.flush()

    # actions
    async def add_action(self, **fields: Any) -> ActionRecord:
        action = MeetingAction(**fields)
        self.s.add(action)
        await self.s.flush()
        return _record(ActionRecord, action)

    async def action(self, action_id: int) -> ActionRecord | None:
        return _or_none(ActionRecord, await self.s.get(MeetingAction, action_id))

    async def update_action(self, action_id: int, **values: Any) -> ActionRecord:
        return _record(ActionRecord, await change(self.s, MeetingAction, action_id, values))

    async def open_actions(self, body: str | None = None) -> list[ActionRecord]:
        stmt = select(MeetingAction).where(MeetingAction.done_at.is_(None))
        if body is not None:
            stmt = stmt.where(MeetingAction.body == body)
        return await self._records(ActionRecord, stmt.order_by(MeetingAction.due_on, MeetingAction.id))

    async def actions_of(self, meeting_id: int) -> list[ActionRecord]:
        stmt = select(MeetingAction).where(MeetingAction.meeting_id == meeting_id).order_by(MeetingAction.id)
        return await self._records(ActionRecord, stmt)

    # minutes and reports
    async def minutes(self, meeting_id: int) -> MinutesRecord | None:
        row = (await self.s.execute(select(Minutes).where(Minutes.meeting_id == meeting_id))).scalar_one_or_none()
        return _or_none(MinutesRecord, row)

    async def add_minutes(self, **fields: Any) -> MinutesRecord:
        m = Minutes(**fields)
        self.s.add(m)
        await self.s.flush()
        return _record(MinutesRecord, m)

    async def report_sent(self, body: str, kind: str, period_end: date) -> bool:
        stmt = select(MeetingReport.id).where(MeetingReport.body == body, MeetingReport.kind == kind,
                                              MeetingReport.period_end == period_end)
        return (await self.s.execute(stmt)).first() is not None

    async def last_report(self, body: str, kind: str) -> ReportRecord | None:
        stmt = (select(MeetingReport).where(MeetingReport.body == body, MeetingReport.kind == kind)
                .order_by(MeetingReport.period_end.desc()))
        return _or_none(ReportRecord, (await self.s.execute(stmt)).scalars().first())

    async def add_report(self, **fields: Any) -> ReportRecord:
        r = MeetingReport(**fields)
        self.s.add(r)
        await self.s.flush()
        return _record(ReportRecord, r)
