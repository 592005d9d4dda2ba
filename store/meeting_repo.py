"""Meetings, agenda items, forward plans, attendance, actions, minutes and reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.meeting_models import AgendaItem, Attendance, ForwardPlanEntry, Meeting, MeetingAction, MeetingReport, Minutes


class MeetingRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # meetings
    async def get(self, meeting_id: int) -> Meeting | None:
        return await self.s.get(Meeting, meeting_id)

    async def between(self, body: str, start: datetime, end: datetime, statuses: Iterable[str] | None = None) -> list[Meeting]:
        stmt = select(Meeting).where(Meeting.body == body, Meeting.starts_at >= start, Meeting.starts_at <= end)
        if statuses is not None:
            stmt = stmt.where(Meeting.status.in_(list(statuses)))
        return list((await self.s.execute(stmt.order_by(Meeting.starts_at))).scalars())

    async def of_body(self, body: str, statuses: Iterable[str] | None = None) -> list[Meeting]:
        stmt = select(Meeting).where(Meeting.body == body)
        if statuses is not None:
            stmt = stmt.where(Meeting.status.in_(list(statuses)))
        return list((await self.s.execute(stmt.order_by(Meeting.starts_at))).scalars())

    async def all_scheduled(self) -> list[Meeting]:
        stmt = select(Meeting).where(Meeting.status == "scheduled").order_by(Meeting.starts_at)
        return list((await self.s.execute(stmt)).scalars())

    async def create(self, **fields: Any) -> Meeting:
        """A meeting row; if another turn created the same one first, that one is returned."""
        try:
            async with self.s.begin_nested():
                m = Meeting(**fields)
                self.s.add(m)
            return m
        except IntegrityError:
            stmt = select(Meeting).where(Meeting.body == fields["body"], Meeting.starts_at == fields["starts_at"])
            return (await self.s.execute(stmt)).scalar_one()

    # agenda items
    async def item(self, item_id: int) -> AgendaItem | None:
        return await self.s.get(AgendaItem, item_id)

    async def items(self, meeting_id: int) -> list[AgendaItem]:
        stmt = select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.id)
        return list((await self.s.execute(stmt)).scalars())

    async def items_for_case(self, case_id: int) -> list[AgendaItem]:
        stmt = select(AgendaItem).where(AgendaItem.case_id == case_id).order_by(AgendaItem.id)
        return list((await self.s.execute(stmt)).scalars())

    async def add_item(self, **fields: Any) -> AgendaItem:
        item = AgendaItem(**fields)
        self.s.add(item)
        await self.s.flush()
        return item

    async def decided_between(self, body: str, start: datetime, end: datetime) -> list[tuple[AgendaItem, Meeting]]:
        stmt = (
            select(AgendaItem, Meeting).join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .where(Meeting.body == body, AgendaItem.outcome.is_not(None),
                   AgendaItem.recorded_at >= start, AgendaItem.recorded_at <= end)
            .order_by(Meeting.starts_at, AgendaItem.id)
        )
        return [(i, m) for i, m in (await self.s.execute(stmt)).all()]

    # forward plan
    async def plan(self, body: str, statuses: Iterable[str] = ("planned",)) -> list[ForwardPlanEntry]:
        stmt = select(ForwardPlanEntry).where(ForwardPlanEntry.body == body, ForwardPlanEntry.status.in_(list(statuses)))
        return list((await self.s.execute(stmt.order_by(ForwardPlanEntry.id))).scalars())

    async def plan_entry_for_item(self, item_id: int) -> ForwardPlanEntry | None:
        stmt = select(ForwardPlanEntry).where(ForwardPlanEntry.agenda_item_id == item_id)
        return (await self.s.execute(stmt)).scalars().first()

    async def add_plan_entry(self, **fields: Any) -> ForwardPlanEntry:
        entry = ForwardPlanEntry(**fields)
        self.s.add(entry)
        await self.s.flush()
        return entry

    # attendance
    async def attendance(self, meeting_id: int) -> list[Attendance]:
        stmt = select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.person_id)
        return list((await self.s.execute(stmt)).scalars())

    async def set_attendance(self, meeting_id: int, person_id: str, status: str, delegate_name: str | None, now: datetime) -> None:
        stmt = select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.person_id == person_id)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        if row is None:
            self.s.add(Attendance(meeting_id=meeting_id, person_id=person_id, status=status, delegate_name=delegate_name, recorded_at=now))
        else:
            row.status, row.delegate_name, row.recorded_at = status, delegate_name, now
        await self.s.flush()

    # actions
    async def add_action(self, **fields: Any) -> MeetingAction:
        action = MeetingAction(**fields)
        self.s.add(action)
        await self.s.flush()
        return action

    async def action(self, action_id: int) -> MeetingAction | None:
        return await self.s.get(MeetingAction, action_id)

    async def open_actions(self, body: str | None = None) -> list[MeetingAction]:
        stmt = select(MeetingAction).where(MeetingAction.done_at.is_(None))
        if body is not None:
            stmt = stmt.where(MeetingAction.body == body)
        return list((await self.s.execute(stmt.order_by(MeetingAction.due_on, MeetingAction.id))).scalars())

    async def actions_of(self, meeting_id: int) -> list[MeetingAction]:
        stmt = select(MeetingAction).where(MeetingAction.meeting_id == meeting_id).order_by(MeetingAction.id)
        return list((await self.s.execute(stmt)).scalars())

    # minutes and reports
    async def minutes(self, meeting_id: int) -> Minutes | None:
        return (await self.s.execute(select(Minutes).where(Minutes.meeting_id == meeting_id))).scalar_one_or_none()

    async def add_minutes(self, **fields: Any) -> Minutes:
        m = Minutes(**fields)
        self.s.add(m)
        await self.s.flush()
        return m

    async def report_sent(self, body: str, kind: str, period_end: date) -> bool:
        stmt = select(MeetingReport.id).where(MeetingReport.body == body, MeetingReport.kind == kind,
                                              MeetingReport.period_end == period_end)
        return (await self.s.execute(stmt)).first() is not None

    async def last_report(self, body: str, kind: str) -> MeetingReport | None:
        stmt = select(MeetingReport).where(MeetingReport.body == body, MeetingReport.kind == kind).order_by(MeetingReport.period_end.desc())
        return (await self.s.execute(stmt)).scalars().first()

    async def add_report(self, **fields: Any) -> MeetingReport:
        r = MeetingReport(**fields)
        self.s.add(r)
        await self.s.flush()
        return r
