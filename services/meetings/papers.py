"""Papers at their deadline (DOR-8, BCT-6), overdue actions chased, and the periodic reports
(DOR-13): the meeting work the scheduler runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from governance import meetings as gm
from governance.calendar import LONDON
from governance.meeting_actions import chase_due
from governance.preset import Body, Preset
from services.context import Services
from services.delivery.notices import daily
from services.meetings import texts
from services.meetings.agendas import agenda_view
from services.meetings.calendars import ensure_meetings
from services.meetings.common import (
    meeting_day,
    members_of,
    raised,
    working_calendar,
)
from services.meetings.minutes import periodic_report
from services.ports import Notice
from services.work import MeetingRow, Work

# ------------------------------------------------------------------ papers (DOR-8, BCT-6)


async def send_papers(uow: Work, preset: Preset, body: Body, meeting: MeetingRow, today: date, now: datetime) -> list[Notice]:
    view = await agenda_view(uow, preset, body, meeting, today)
    meeting = await uow.meetings.update_meeting(meeting.id, papers_sent_at=now)
    subject = f"Papers: {body.name}, {texts.day(view.meeting_on)}"
    text = texts.agenda_text(view)
    await uow.audit.record(at=now, actor=None, entity="meeting", entity_id=meeting.id, action="papers_sent",
                           summary=f"Agenda and {len(view.drafts)} draft{'s' if len(view.drafts) != 1 else ''} sent to members")
    return [daily(p.id, subject, text) for p in await members_of(uow, body)]


async def due_meeting_work(services: Services, now: datetime) -> list[Notice]:
    """What the scheduler runs (daily is enough): papers at their deadline, overdue actions chased,
    and the monthly and annual reports (DOR-13). Each piece commits on its own with its audit and the
    notices it causes (papers marked as sent and the papers queued in one transaction). Returns the
    notices, already queued."""
    preset = services.preset
    today = now.astimezone(LONDON).date()
    cal = working_calendar(preset)
    notices: list[Notice] = []
    for body in preset.bodies.values():
        async with services.uow() as uow:
            await ensure_meetings(uow, preset, body, today, now)
            await uow.commit()
        async with services.uow() as uow:
            rows = await uow.meetings.between(body.id, gm.starts_at(today, datetime.min.time()),
                                              gm.starts_at(today + timedelta(days=31), datetime.max.time()), ["scheduled"])
            for m in rows:
                if m.papers_sent_at is None and gm.papers_due_now(body, meeting_day(m), today, cal):
                    notices += raised(uow, await send_papers(uow, preset, body, m, today, now), today)
            await uow.commit()
        async with services.uow() as uow:
            for a in await uow.meetings.open_actions(body.id):
                if chase_due(a.due_on, a.last_chased_on, today):
                    a = await uow.meetings.update_action(a.id, last_chased_on=today)
                    notices += raised(uow, [daily(a.owner_id, f"Action overdue: {body.name}",
                                                  f"Your action from the {body.name} was due on {texts.short_day(a.due_on)}: {a.text}. "
                                                  f"Say 'action {a.id} done' when it is complete.")], today)
                    await uow.audit.record(at=now, actor=None, entity="meeting", entity_id=a.meeting_id, action="action_chased",
                                           summary=f"Overdue action chased: {a.text}", details={"action": a.id})
            await uow.commit()
        if "monthly" in body.reports and today.day <= 7:
            start, end = gm.monthly_period(today)
            notices += await periodic_report(services, preset, body, "monthly", start, end, now)
        if "annual" in body.reports:
            async with services.uow() as uow:
                last = await uow.meetings.last_report(body.id, "annual")
            due = gm.annual_report_due(today, last.period_end if last else None)
            if due:
                notices += await periodic_report(services, preset, body, "annual", due[0], due[1], now)
    return notices
