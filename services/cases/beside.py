"""What LBBD's and Dorset's steps do beside the case itself (issue 19): the stakeholders a request
names, each asked to agree the need (LBBD-2); the people told at a sign-off or at publication, each
telling recorded in the document's history (LBBD-9, LBBD-10); and the forms, training and system
changes an approved document needs, each a tracked action followed up at the Group's meetings and
chased when overdue (DOR-14). Called inside the caller's unit of work: nothing commits here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from governance import lifecycle as gl
from governance.meeting_actions import SYSTEMS_LEAD, TRAINING, implementation_action_due, implementation_action_owner
from governance.preset import Preset
from services.delivery.notices import daily
from services.meetings import texts
from services.meetings.calendars import current_meeting, upcoming
from services.meetings.common import meeting_day, members_of
from services.ports import CaseRecord, DocumentRecord, Notice, PersonRecord


def _norm(s: str) -> str:
    return " ".join((s or "").casefold().replace("cllr ", "").split())


async def stakeholders_named(uow: Any, said: str | None, requester: str) -> list[str]:
    """LBBD-2: the people in the directory a request names as stakeholders (by full name or email
    address); teams and partners named are kept as words on the request."""
    if not (said or "").strip():
        return []
    people = [p for p in await uow.people.all() if p.active]
    by_name = {_norm(p.name): p.id for p in people} | {_norm(p.email or ""): p.id for p in people if p.email}
    out: list[str] = []
    for part in [x.strip(" .") for x in re.split(r",|;|\band\b|\n", said or "")]:
        pid = by_name.get(_norm(part))
        if pid and pid != requester and pid not in out:
            out.append(pid)
    return out


async def beside_the_case(uow: Any, preset: Preset, doc: DocumentRecord, row: CaseRecord, events: Sequence[Any],
                          person: PersonRecord | None, today: date, now: datetime) -> list[Notice]:
    notices: list[Notice] = []
    for e in events:
        if isinstance(e, gl.Tell):
            notices += await _tell(uow, preset, doc, row, e, person, now)
        elif isinstance(e, gl.ImplementationNeeds):
            notices += await _needs(uow, preset, doc, row, e, person, today, now)
    return notices


async def _tell(uow: Any, preset: Preset, doc: DocumentRecord, row: CaseRecord, e: Any, person: PersonRecord | None,
                now: datetime) -> list[Notice]:
    """LBBD-9: the other Heads of Service (not at the body's meeting) are told; LBBD-10: the team
    and service managers are asked to cascade it, and the newsletter gets its item."""
    case = gl.case_from_dict(row.state)
    stage = preset.routes[case.route].stage(e.stage) if getattr(e, "stage", None) else None
    at_body = {p.id for p in await members_of(uow, preset.bodies[stage.body])} if stage and stage.body else set()
    told = [p for p in await uow.people.with_role(e.role)
            if p.active and p.id not in at_body and (person is None or p.id != person.id)]
    names = ", ".join(p.name for p in told) or "nobody holds that role yet"
    await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action=f"told_{e.role}",
                           summary=f"{e.record}: {names} (case {row.id})", details={"case": row.id, "told": [p.id for p in told]})
    return [daily(p.id, e.subject, e.body, row.id) for p in told]


async def _needs(uow: Any, preset: Preset, doc: DocumentRecord, row: CaseRecord, e: Any, person: PersonRecord | None,
                 today: date, now: datetime) -> list[Notice]:
    """DOR-14: each form, training and system change becomes an action of the Group's current
    meeting (its progress report lists it, DOR-9), due by the next meeting and chased when overdue.
    A form the register holds as an asset is linked to the document (DOR-14)."""
    body = preset.bodies.get(e.body or "")
    if body is None:
        return []
    meeting = await current_meeting(uow, preset, body, today, now)
    current = meeting_day(meeting)
    after = [] if current > today else await upcoming(uow, preset, body, current + timedelta(days=1), now)  # only when needed
    due = implementation_action_due(today, current, meeting_day(after[0]) if after else None)
    systems_lead = next(iter(await uow.people.with_role(SYSTEMS_LEAD)), None)
    owner = doc.ro_id or doc.rsm_id or (person.id if person else None)
    notices: list[Notice] = []
    for kind, items in (("Form", e.forms), (TRAINING, e.training), ("System change", e.systems)):
        for item in items:
            who = implementation_action_owner(kind, systems_lead.id if systems_lead else None, owner)
            if who is None:
                continue
            text = f"{kind} for {doc.ref} {doc.title}: {item} (DOR-14)"
            action = await uow.meetings.add_action(meeting_id=meeting.id, body=body.id, agenda_item_id=None, text=text,
                                                   owner_id=who, due_on=due, created_at=now)
            await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="implementation_action",
                                   summary=f"Action {action.id}: {text}, due {texts.short_day(due)}",
                                   details={"case": row.id, "action": action.id, "owner": who})
            notices.append(daily(who, f"Action for you: {body.name}",
                                 f"{text}, by {texts.short_day(due)}. Say 'action {action.id} done' when it is complete."))
            if kind == "Form":
                await _link_form(uow, doc, item, now)
    return notices


async def _link_form(uow: Any, doc: DocumentRecord, said: str, now: datetime) -> None:
    for asset in await uow.register.all_assets():
        if _norm(said) in (_norm(asset.ref), _norm(asset.title)):
            if await uow.register.link(asset.id, doc.id, "needed by its approval (DOR-14)", now) is not None:
                await uow.audit.record(at=now, actor=None, entity="document", entity_id=doc.id, action="asset_linked",
                                       summary=f"{asset.ref} {asset.title} ({asset.kind}) is governed by this document (DOR-14)")
            return
