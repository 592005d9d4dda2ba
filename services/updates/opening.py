"""NCT-3: the update plan applied. One scheduled-update case per affected local procedure, tied to
the update deadline, in one transaction with the audit records and the notices: the RO's instruction
with the publisher's recommended amendments for that procedure (sent when the six-week window opens,
or at once inside it, NCT-4), the RSM's notice, and the PPO's summary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from governance import lifecycle as gl
from governance.calendar import WorkingCalendar
from governance.dates import weekday_date
from governance.preset import Preset
from services.cases.views import _rsm_ids
from services.context import Services
from services.errors import BadInput
from services.people.identity import ChannelIdentity
from services.ports import Notice, NoticeKind
from services.updates.plan import APPLIED_KEY, PlanApplied, PlanPreview, _planner, _preview_in, instruction_time, read_plan, stored
from services.updates.plan_match import Match
from services.updates.window import KIND


def _doc_type(preset: Preset, label: str) -> str:
    for t in preset.document_types.values():
        if label.lower() in (t.id.lower(), t.label.lower()):
            return t.id
    return "procedure" if "procedure" in preset.document_types else next(iter(preset.document_types))


def material(m: Match) -> list[str]:
    """The publisher's recommended amendments for one procedure, row by row, as the RO reads them."""
    return [f"{r.title or r.ref} ({r.where}): {r.amendments}" for r in m.rows]


def _instruction(preset: Preset, doc: Any, case_id: int, pv: PlanPreview, m: Match, at: datetime | None) -> list[Notice]:
    assert pv.deadline is not None
    name, publisher = f"{doc.ref} {doc.title}", preset.role_label("publisher")
    lines = tuple(material(m))
    ro_body = (f"The {publisher}'s update plan recommends {len(lines)} amendment{'s' if len(lines) != 1 else ''} to {name}, "
               f"which you are responsible for (case {case_id}). Please review them and decide which to agree; amend the "
               "procedure with tracked changes and send the draft here for your RSM's sign-off (you may hold a Review "
               f"Session first). It must be approved and submitted to the {publisher} by {weekday_date(pv.deadline)}: a "
               "change that misses the deadline waits for the next update (NCT-3, NCT-4).")
    rsm_body = (f"The Responsible Officer has been asked to review the {publisher}'s recommended amendments to {name} "
                f"(case {case_id}) and will send you the draft for sign-off. It must be approved and submitted by "
                f"{weekday_date(pv.deadline)} (NCT-3, NCT-4).")
    ro = doc.ro_id or doc.rsm_id
    out = [Notice(key=f"update-instruct:{case_id}", kind=NoticeKind.NOTICE, person_id=ro, case_id=case_id,
                  document_ref=doc.ref, due_on=pv.deadline, not_before=at, lines=lines,
                  subject=f"Scheduled update: {name}: the publisher's recommended amendments", body=ro_body)] if ro else []
    out += [Notice(key=f"update-rsm:{case_id}", kind=NoticeKind.NOTICE, person_id=p, case_id=case_id, document_ref=doc.ref,
                   due_on=pv.deadline, not_before=at, subject=f"Scheduled update: {name}", body=rsm_body)
            for p in _rsm_ids(doc) if p != ro]
    return out


def _to_open_case(preset: Preset, doc: Any, case_id: int, pv: PlanPreview, m: Match, at: datetime | None) -> list[Notice]:
    assert pv.deadline is not None
    ro = doc.ro_id or doc.rsm_id
    if not ro:
        return []
    name, publisher = f"{doc.ref} {doc.title}", preset.role_label("publisher")
    body = (f"The {publisher}'s update plan recommends amendments to {name}, which already has work in progress (case "
            f"{case_id}). Please take them into that review. To be in this update it must be approved and submitted by "
            f"{weekday_date(pv.deadline)} (NCT-3, NCT-4).")
    return [Notice(key=f"update-instruct:{case_id}:{pv.token}", person_id=ro, case_id=case_id, document_ref=doc.ref,
                   due_on=pv.deadline, not_before=at, lines=tuple(material(m)), body=body,
                   subject=f"Scheduled update: {name}: the publisher's recommended amendments")]


def summary_text(pv: PlanPreview, opened: list[tuple[int, str, str]], at: datetime | None) -> str:
    assert pv.deadline is not None
    when = (f"on {weekday_date(at.date())}, when the six-week window opens" if at else "now, as the window is open")
    text = (f"The update plan {pv.filename} is applied for the {weekday_date(pv.deadline)} deadline: {len(opened)} "
            f"scheduled-update case{'s' if len(opened) != 1 else ''} opened. Their ROs get the recommended amendments "
            f"{when}, and their RSMs are told (NCT-3, NCT-4).")
    if pv.busy:
        text += (f" {len(pv.busy)} procedure{'s' if len(pv.busy) != 1 else ''} already had work in progress: no second case, "
                 "their ROs get the amendments for that work.")
    if pv.matched.unmatched:
        text += (f" {len(pv.matched.unmatched)} row{'s' if len(pv.matched.unmatched) != 1 else ''} matched no local "
                 "procedure.")
    return text


async def apply(services: Services, ident: ChannelIdentity | None, token: str) -> PlanApplied:
    """The previewed plan applied (the PPO's 'apply update plan <token>', or the command line)."""
    path = stored(services, token)
    rows = await read_plan(services, path)
    preset, now, today = services.preset, services.clock.now(), services.clock.today()
    async with services.uow() as uow:
        person = await _planner(uow, ident)
        pv = await _preview_in(services, uow, path.parent.name, path.name, rows)
        if pv.deadline is None or pv.opens is None:
            raise BadInput("No update deadline is recorded yet, so I can't tie the plan to one. Record the deadlines first "
                           "('the Tri.x deadlines are 5 March 2027 and 3 September 2027'), then apply the plan again.")
        if pv.applied_on:
            raise BadInput(f"The update plan {pv.filename} was applied on {weekday_date(date.fromisoformat(pv.applied_on))}: "
                           "its cases are open already.")
        ppo = [p.id for p in await uow.people.with_role("ppo")]
        requester = person.id if person is not None else (ppo[0] if ppo else None)
        at = instruction_time(services, pv.opens)
        opened: list[tuple[int, str, str]] = []
        notices: list[Notice] = []
        for m in pv.matched.matches:
            doc = m.document
            if doc.id in pv.busy:  # work in progress already: the material goes to it, no second case
                notices += _to_open_case(preset, doc, pv.busy[doc.id], pv, m, at)
                continue
            row = await _open(services, uow, doc, m, pv, requester, today, now)
            opened.append((row.id, doc.ref, doc.title))
            notices += _instruction(preset, doc, row.id, pv, m, at)
        text = summary_text(pv, opened, at)
        notices += [Notice(key=f"update-plan:{pv.token}", subject=f"Update plan applied: {pv.filename}", body=text,
                           person_id=p, lines=tuple(f"case {c}: {r} {t}" for c, r, t in opened))
                    for p in ppo if person is None or p != person.id]
        await uow.kv.put(APPLIED_KEY + pv.token, {"on": today.isoformat(), "deadline": pv.deadline.isoformat(),
                                                  "cases": [c for c, _, _ in opened]})
        await uow.audit.record(at=now, actor=person, entity="organisation", entity_id="manual_updates",
                               action="apply_update_plan", summary=text)
        uow.notify(*notices)
        await uow.commit()
    return PlanApplied(pv, tuple(opened), tuple(notices), at)


async def _open(services: Services, uow: Any, doc: Any, m: Match, pv: PlanPreview, requester: str | None,
                today: date, now: datetime) -> Any:
    preset = services.preset
    assert pv.deadline is not None
    notes = {"update": {"deadline": pv.deadline.isoformat(), "plan": pv.filename, "token": pv.token, "missed": [],
                        "amendments": [[r.where, r.title, r.amendments] for r in m.rows]}}
    category = doc.category if doc.category in preset.categories else (preset.categories[0] if preset.categories else None)
    out = gl.start_case(preset, KIND, document_type=_doc_type(preset, doc.doc_type), category=category, today=today,
                        document_name=f"{doc.ref} {doc.title}", requester=requester,
                        participants={"rsm": list(_rsm_ids(doc))}, calendar=WorkingCalendar(preset.nation),
                        document_title=doc.title, notes=notes)
    row = await uow.cases.create(document_id=doc.id, preset=preset.key, kind=KIND, stage=out.case.stage, status="open",
                                 state=gl.case_to_dict(out.case), waiting_for=gl.who_must_act(preset, out.case),
                                 opened_by=requester, opened_at=now, updated_at=now, version=1)
    await uow.audit.record(at=now, actor=None, entity="document", entity_id=doc.id, action=f"open_{KIND}",
                           summary=f"Scheduled update opened from the update plan {pv.filename} for the "
                                   f"{weekday_date(pv.deadline)} deadline (case {row.id}, NCT-3)")
    return row
