"""BCT-6: after the consultation closes, the person responsible sends the second draft, carrying the
comments and the questions for the meeting. It goes out with the agenda; the case stays on the
meeting's agenda, waiting for the chair's decision there (BCT-7)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from governance import lifecycle as gl
from governance.case_flow import logged
from governance.dates import long_date
from governance.preset import Preset
from services.cases.acting import _notices
from governance.errors import NotAllowed
from services.ports import CaseRecord, ConcurrencyConflict, DocumentRecord, Notice, PersonRecord


def second_draft_due(preset: Preset, case: gl.Case, person_id: str, doc: DocumentRecord) -> bool:
    """True while a case consulted for a meeting (BCT-4) waits for that meeting's decision and the
    person is its author: a draft they send now is the second draft for the papers (BCT-6)."""
    if not case.is_open or case.meeting is None or case.step != "awaiting" or (doc.ro_id or doc.rsm_id) != person_id:
        return False
    stage = preset.routes[case.route].stage(case.stage)
    return stage.kind == "sign_off" and stage.body is not None and not any(d.stage == stage.id for d in case.decisions)


async def second_draft(uow: Any, preset: Preset, person: PersonRecord, row: CaseRecord, doc: DocumentRecord, case: gl.Case,
                       today: date, now: datetime) -> tuple[str, list[Notice], CaseRecord]:
    """Record the second draft on the case (the papers name it) and tell the chair, in the caller's unit of work
    (the case as it leaves it is returned too)."""
    stage = preset.routes[case.route].stage(case.stage)
    body = preset.bodies[stage.body or ""]
    summary = f"Second draft for the {body.name} on {long_date(case.meeting)}, with the consultation comments (BCT-6)" \
        if case.meeting else "Second draft for the meeting (BCT-6)"
    new = logged(dataclasses.replace(case, drafts=case.drafts + 1), today, gl.Actor(person.id, frozenset({"ro"})), "second_draft", summary)
    try:
        row = await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(new), stage=new.stage,
                                   status="open", waiting_for=gl.who_must_act(preset, new), now=now)
    except ConcurrencyConflict:
        raise NotAllowed("Someone else acted on this case at the same moment; nothing was changed. Send the draft again.") from None
    await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="second_draft",
                           summary=f"{summary} (case {row.id})", details={"case": row.id, "stage": case.stage})
    events = [gl.Notify(stage.by or "", f"Second draft for the meeting: {case.document_name}",
                        f"The second draft of {case.document_name} goes out with the {body.name} papers (BCT-6).")]
    if await _papers_already_sent(uow, row.id, body.id):  # the members (the chair among them) have the papers: it follows them
        events = [gl.Notify(body.member_role, f"Added to the papers: second draft of {case.document_name}",
                                f"The second draft of {case.document_name}, with the consultation comments, is added to the "
                                f"papers for the {body.name} on {long_date(case.meeting) if case.meeting else 'its next meeting'} "
                                f"(BCT-6). Say 'draft case {row.id}' to get it.")]
    notices = await _notices(uow, preset, doc, new, events, row.id, person.id)
    uow.notify(*notices)
    return summary, notices, row


async def _papers_already_sent(uow: Any, case_id: int, body_id: str) -> bool:
    for item in await uow.meetings.items_for_case(case_id):
        meeting = await uow.meetings.get(item.meeting_id)
        if meeting is not None and meeting.body == body_id and item.outcome is None and meeting.papers_sent_at is not None:
            return True
    return False
