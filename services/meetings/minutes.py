"""Attendance (DOR-11), minutes and actions (DOR-10) and the reports to other bodies (DOR-13)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from dataclasses import dataclass, replace
from datetime import date, datetime

from governance import meetings as gm
from governance.calendar import LONDON
from governance.errors import MissingInformation, NotAllowed
from governance.permissions import MEETING_OFFICERS, may_complete_action
from governance.preset import Body, Preset
from services.context import Services
from services.delivery.notices import daily
from services.errors import BadInput, NotFound, NotPermitted
from services.meetings import texts
from services.meetings.agendas import agenda_view
from services.meetings.calendars import current_meeting, meeting_of_day
from services.meetings.common import (
    Result,
    chair_or_officer,
    default_body,
    find_body,
    known_person,
    meeting_day,
    members_of,
    raised,
)
from services.meetings.views import (
    ActionView,
    AttendanceLine,
    ItemView,
    MinutesView,
    ReportView,
)
from services.people.identity import ChannelIdentity, find_person
from services.ports import Notice
from services.work import AgendaItemRow, MeetingRow, Work

# ------------------------------------------------------------------ attendance (DOR-11)


async def record_attendance(services: Services, ident: ChannelIdentity, statuses: dict[str, tuple[str, str | None]],
                            body_name: str | None = None) -> Result:
    """Record who came (present, absent, or sent a delegate) to the meeting being minuted; flag a
    member absent without a delegate from successive meetings to the role the body names (DOR-11,
    the Head of QA), and a meeting short of its quorum roles."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await known_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        meeting = await current_meeting(uow, preset, body, today, now)
        await chair_or_officer(uow, person, preset, body)
        if meeting_day(meeting) > today:
            raise NotAllowed("Attendance is recorded at or after the meeting.")
        members = {p.id: p for p in await members_of(uow, body)}
        for who, (status, delegate) in statuses.items():
            if status not in gm.ATTENDANCE:
                raise BadInput(f"Attendance is one of {', '.join(gm.ATTENDANCE)}, not '{status}'.")
            p = members.get(who) or await find_person(uow, who)
            if p is None:
                raise NotFound(f"I can't find '{who}' in the directory.")
            members.setdefault(p.id, p)
            await uow.meetings.set_attendance(meeting.id, p.id, status, delegate, now)
        meeting = await uow.meetings.update_meeting(meeting.id, status="held")
        result = await attendance_flags(uow, preset, body, meeting, members)
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="attendance_recorded",
                               summary=result.message)
        result = replace(result, notices=raised(uow, result.notices, today))
        await uow.commit()
    return result


async def attendance_flags(uow: Work, preset: Preset, body: Body, meeting: MeetingRow, members: dict[str, Any]) -> Result:
    held = [m for m in await uow.meetings.of_body(body.id, ["held"]) if m.starts_at <= meeting.starts_at]
    history = []
    for m in held:
        history.append({a.person_id: a.status for a in await uow.meetings.attendance(m.id)})
    exempt = set(body.absence_exempt)  # DOR-11, ToR 7.3: Heads of Locality and QA Managers are not escalated
    member_ids = [p.id for p in await uow.people.with_role(body.member_role) if not exempt & set(p.role_names)]
    notices: list[Notice] = []
    lines = []
    on = texts.short_day(meeting_day(meeting))
    if body.absence_escalation:
        to_role = body.absence_escalation[1]
        for pid, run in gm.absence_flags(body, history, member_ids):
            p = members.get(pid) or await uow.people.get(pid)
            line = f"{p.name if p else pid} has missed {run} meetings of the {body.name} in a row without sending a delegate (DOR-11)."
            lines.append(line)
            for h in await uow.people.with_role(to_role):
                notices.append(daily(h.id, f"Absences: {body.name}", line))
    attended = []
    for pid, status in (history[-1] if history else {}).items():
        if status in ("present", "delegate"):
            p = members.get(pid) or await uow.people.get(pid)
            attended.append(frozenset(p.role_names) if p else frozenset())
    check = gm.quorum_check(body, attended)
    if check.short:
        gaps = ", ".join(f"{got} of {need} {preset.role_label(role)}{'s' if need != 1 else ''}" for role, got, need in check.shortfalls())
        line = f"The meeting on {on} was short: {gaps} attended (DOR-11)."
        lines.append(line)
        targets = [p.id for p in await uow.people.with_role(body.chair_role)]
        if body.absence_escalation:
            targets += [p.id for p in await uow.people.with_role(body.absence_escalation[1])]
        notices += [daily(t, f"Short meeting: {body.name}", line) for t in dict.fromkeys(targets)]
    msg = f"Attendance recorded for the {body.name} meeting on {on}." + ("".join(" " + x for x in lines))
    return Result(msg, tuple(notices), body_id=body.id)


# ------------------------------------------------------------------ minutes, actions, reports (DOR-10, DOR-13)


@dataclass(frozen=True)
class NewAction:
    text: str
    owner: str  # person id, email or name
    due: date | None = None


async def minutes_view(uow: Work, preset: Preset, body: Body, meeting: MeetingRow, today: date, notes: str | None) -> MinutesView:
    view = await agenda_view(uow, preset, body, meeting, today)
    lines, attended = [], []
    for a in await uow.meetings.attendance(meeting.id):
        p = await uow.people.get(a.person_id)
        lines.append(AttendanceLine(p.name if p else a.person_id, a.status, a.delegate_name))
        if a.status != "absent" and p is not None:
            attended.append(frozenset(p.role_names))
    lines.sort(key=lambda x: x.name)
    check = gm.quorum_check(body, attended)
    short = tuple(f"fewer than {need} {preset.role_label(role)}s attended ({got})" for role, got, need in check.shortfalls()) if lines else ()
    actions = []
    for act in await uow.meetings.actions_of(meeting.id):
        p = await uow.people.get(act.owner_id)
        actions.append(ActionView(act.id, act.text, p.name if p else act.owner_id, act.due_on, act.done_at is not None))
    return MinutesView(view, tuple(lines), short, tuple(actions), notes)


async def issue_minutes(services: Services, ident: ChannelIdentity, actions: list[NewAction] | None = None,
                        notes: str | None = None, body_name: str | None = None) -> tuple[Result, MinutesView]:
    """DOR-10: minutes to members and each action to its owner; DOR-13: the report of approved
    documents and exceptions to the higher body's members. All in one transaction."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await known_person(uow, ident)
        body = find_body(preset, body_name) if body_name else default_body(preset, person)
        meeting = await current_meeting(uow, preset, body, today, now)
        await chair_or_officer(uow, person, preset, body, meeting)
        on = meeting_day(meeting)
        if on > today:
            raise NotAllowed(f"The {body.name} meets on {texts.day(on)}: minutes follow the meeting.")
        if await uow.meetings.minutes(meeting.id) is not None:
            raise NotAllowed(f"The minutes of the {body.name} meeting on {texts.short_day(on)} have already been issued.")
        notices: list[Notice] = []
        for a in actions or []:
            if not a.text.strip():
                raise MissingInformation("Every action needs its words.")
            owner = await find_person(uow, a.owner)
            if owner is None:
                raise NotFound(f"I can't find '{a.owner}' in the directory to own the action '{a.text}'.")
            await uow.meetings.add_action(meeting_id=meeting.id, body=body.id, agenda_item_id=None, text=a.text.strip(),
                                          owner_id=owner.id, due_on=a.due, created_at=now)
            notices.append(daily(owner.id, f"Action for you: {body.name}",
                                  f"From the {body.name} meeting on {texts.short_day(on)}: {a.text.strip()}"
                                  + (f", by {texts.short_day(a.due)}" if a.due else "") + "."))
        minutes = await minutes_view(uow, preset, body, meeting, today, notes)
        text = texts.minutes_text(minutes)
        await uow.meetings.add_minutes(meeting_id=meeting.id, text=text, recorded_by=person.id, recorded_at=now)
        meeting = await uow.meetings.update_meeting(meeting.id, status="held", minutes_sent_at=now)
        notices += [daily(p.id, f"Minutes: {body.name}, {texts.short_day(on)}", text) for p in await members_of(uow, body)]
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="minutes_issued",
                               summary=f"Minutes of {texts.short_day(on)} issued with {len(actions or [])} actions")
        if "after_meeting" in body.reports:
            report = report_of(body, "after_meeting", on, on, [(i, meeting) for i in minutes.agenda.items])
            notices += await send_report(uow, preset, body, report, now, meeting_id=meeting.id)
            meeting = await uow.meetings.update_meeting(meeting.id, report_sent_at=now)
        notices = list(raised(uow, notices, today))
        await uow.commit()
    return Result(f"Minutes of the {body.name} meeting on {texts.short_day(on)} issued to members.", tuple(notices)), minutes


async def complete_action(services: Services, ident: ChannelIdentity, action_id: int) -> Result:
    preset = services.preset
    now = services.clock.now()
    async with services.uow() as uow:
        person = await known_person(uow, ident)
        a = await uow.meetings.action(action_id)
        if a is None:
            raise NotFound(f"There is no action {action_id}.")
        body = preset.bodies.get(a.body)
        if not may_complete_action(person.id, person.role_names, a.owner_id, body, preset):
            raise NotPermitted("Only the action's owner or the chair can mark it done.")
        if a.done_at is not None:
            raise NotAllowed(f"Action {action_id} is already done.")
        a = await uow.meetings.update_action(a.id, done_at=now)
        msg = f"Action {action_id} done: {a.text}"
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=a.meeting_id, action="action_done", summary=msg)
        await uow.commit()
    return Result(msg)


def report_of(body: Body, kind: str, start: date, end: date,
              items: Iterable[tuple[AgendaItemRow | ItemView, MeetingRow]]) -> ReportView:
    approved, exceptions = [], []
    for i, _m in items:
        outcome = i.outcome
        label = i.title
        if outcome in gm.APPROVALS:
            approved.append(label + (f" ({gm.OUTCOMES[outcome].lower()})" if outcome != "approved" else ""))
        if outcome not in ("approved", "approved_with_amendments", "noted"):
            what = gm.OUTCOMES[outcome].lower() if outcome else "no decision recorded"
            exceptions.append(f"{label}: {what}" + (f" ({i.outcome_note})" if getattr(i, "outcome_note", None) else ""))
    return ReportView(kind, body.name, start, end, tuple(approved), tuple(exceptions))


async def send_report(uow: Work, preset: Preset, body: Body, report: ReportView, now: datetime, meeting_id: int | None = None) -> list[Notice]:
    text = texts.report_text(report)
    await uow.meetings.add_report(body=body.id, kind=report.kind, period_start=report.start, period_end=report.end, text=text, sent_at=now)
    await uow.audit.record(at=now, actor=None, entity="meeting", entity_id=meeting_id or body.id, action=f"report_{report.kind}",
                           summary=texts.REPORT_TITLES[report.kind] + f" sent ({len(report.approved)} approved, {len(report.exceptions)} exceptions)")
    targets: list[str] = []
    if report.kind in ("after_meeting", "annual") and body.higher_body:
        higher = preset.bodies[body.higher_body]
        targets += [p.id for p in await members_of(uow, higher)]
    if report.kind in ("monthly", "annual"):
        targets += [p.id for p in await members_of(uow, body)]
        for role in MEETING_OFFICERS:
            targets += [p.id for p in await uow.people.with_role(role)]
    subject = f"{texts.REPORT_TITLES[report.kind]}: {body.name}"
    return [daily(t, subject, text) for t in dict.fromkeys(targets)]


async def periodic_report(services: Services, preset: Preset, body: Body, kind: str, start: date, end: date, now: datetime) -> list[Notice]:
    async with services.uow() as uow:
        if await uow.meetings.report_sent(body.id, kind, end):
            return []
        decided = await uow.meetings.decided_between(body.id, gm.starts_at(start, datetime.min.time()), gm.starts_at(end, datetime.max.time()))
        report = report_of(body, kind, start, end, decided)
        if kind == "annual":
            held = [m for m in await uow.meetings.of_body(body.id, ["held"]) if start <= meeting_day(m) <= end]
            short = 0
            for m in held:
                attended = []
                for a in await uow.meetings.attendance(m.id):
                    p = await uow.people.get(a.person_id)
                    if a.status != "absent" and p is not None:
                        attended.append(frozenset(p.role_names))
                short += gm.quorum_check(body, attended).short
            report = ReportView(kind, body.name, start, end, report.approved, report.exceptions, len(held), short)
        notices = raised(uow, await send_report(uow, preset, body, report, now), now.astimezone(LONDON).date())
        await uow.commit()
    return list(notices)


async def minutes_of(services: Services, body_name: str, on: date) -> str:
    preset = services.preset
    body = find_body(preset, body_name)
    async with services.uow() as uow:
        meeting = await meeting_of_day(uow, body, on)
        m = await uow.meetings.minutes(meeting.id)
        if m is None:
            raise NotFound(f"No minutes yet for the {body.name} meeting on {texts.short_day(on)}.")
        result: str = m.text
        return result
