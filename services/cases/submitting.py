"""A draft arrives: check it, keep it as a new version, and move its case on, in one transaction."""

from __future__ import annotations

from typing import Any

from governance import lifecycle as gl
from governance.errors import NotAllowed
from governance.nct_case_steps import checklist_missing, hold_draft
from services.cases.acting import Outcome, _who, act_in
from services.cases import drafts as draft_files
from services.cases import nct_opening
from services.cases.draft_changes import record_changes
from services.cases.second_draft import second_draft, second_draft_due
from services.cases.views import stale_cards_in, view_in
from services.context import Services
from services.errors import NotFound
from services.people.identity import ChannelIdentity
from governance.preset import Preset
from services.ports import CaseRecord, DocumentRecord, PersonRecord


async def submit_draft(services: Services, ident: ChannelIdentity, filename: str, content: bytes,
                       case_id: int | None = None, *, change_kind: str | None = None) -> Outcome:
    """A Word document arrives: check it, keep it as a new version, and move the case on, in one
    transaction (the case's move, the stored draft, both audit records and the notices): a crash
    part way leaves neither."""
    check = await draft_files.check_draft(services, content, filename)  # in a worker thread
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await _who(uow, ident)
        row, doc = await _case_for_draft(uow, preset, person, case_id)
        case = gl.case_from_dict(row.state)
        data = {"tracked_changes": check.has_tracked_changes, "filename": filename}
        missing: list[int] = []
        if second_draft_due(preset, case, person.id, doc):  # BCT-7: the second draft for the meeting's papers
            summary, notices, row = await second_draft(uow, preset, person, row, doc, case, today, now)
        else:
            action = "submit_amendments" if case.step == "conditions" else "submit_draft"
            missing = checklist_missing(preset, case) if action == "submit_draft" and (
                check.has_tracked_changes or not preset.amendments_must_be_tracked) and "ro" in row.waiting_for else []
            if not missing:
                summary, notices, doc, row = await act_in(uow, preset, person, row, doc, action, text=None, today=today, now=now,
                                                     data=data)
                await nct_opening.draft_arrived(uow, doc, case)  # NCT-17: no reminder for a draft already here
        draft = await uow.cases.add_draft(
            document_id=doc.id, case_id=row.id, filename=filename[:300], sha256=check.sha256, size=check.size,
            tracked_insertions=check.insertions, tracked_deletions=check.deletions, uploaded_by=person.id,
            uploaded_at=now, note=None,
        )
        await record_changes(services, uow, draft, check, change_kind)
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="draft_stored",
                               summary=f"Draft version {draft.number} stored ({filename}, {check.words} words, "
                                       f"{check.insertions} insertions and {check.deletions} deletions tracked)")
        if missing:  # NCT-16: kept, but held back from the RSM until the RO ticks the items or says why not
            (summary, row), notices = await _hold(uow, preset, person, row, doc, {**data, "number": draft.number}, missing,
                                                  now, today), []
        view = await view_in(uow, preset, row, doc, person, today)
        cards = await stale_cards_in(uow, preset, row, doc, today)
        await uow.commit()
    if missing:
        return Outcome(view, f"Thanks: {filename} is stored as draft version {draft.number}. {summary}", (), tuple(cards))
    joint = ""
    if case.notes.get("joint_session_needed") and (case.notes.get("session") or {"cancelled": True}).get("cancelled"):  # NCT-7: prompt for the joint session
        joint = (f" {doc.ref} covers several services, and no joint Review Session of its ROs is recorded yet (NCT-7): the "
                 f"Policy and Procedures Officer arranges one ('arrange a joint review session for {doc.ref} on <date> at <time>').")
    return Outcome(view, f"Thanks: {filename} is stored as draft version {draft.number}. Done: {summary}.{joint}", tuple(notices),
                   tuple(cards))


async def _hold(uow: Any, preset: Any, person: PersonRecord, row: CaseRecord, doc: DocumentRecord, held: dict[str, Any],
                missing: list[int], now: Any, today: Any) -> tuple[str, CaseRecord]:
    """NCT-16: the draft is kept but not sent on: the case records it as held, with an audit record (what
    to say, and the case as it leaves it)."""
    case = hold_draft(gl.case_from_dict(row.state), gl.Actor(person.id, frozenset({"ro"})), today, held, missing)
    row = await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(case), stage=case.stage,
                               status="open", waiting_for=gl.who_must_act(preset, case), now=now)
    await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="draft_held",
                           summary=f"{case.history[-1].summary} (case {row.id})", details={"case": row.id, "missing": missing})
    items = ", ".join(map(str, missing))
    return (f"I have held it back from the Responsible Strategic Manager: checklist items {items} are not ticked (NCT-16). "
            f"Tick them, or say why they do not apply ('tick case {row.id}: <why>'), and it goes on at once.", row)


async def _case_for_draft(uow: Any, preset: Preset, person: PersonRecord, case_id: int | None) -> tuple[CaseRecord, DocumentRecord]:
    """(case, document) the draft is for: the one named, else the one case waiting for this person's draft."""
    if case_id is not None:
        got = await uow.cases.full(case_id)
        if got is None:
            raise NotFound(f"There is no case {case_id}.")
        result: tuple[CaseRecord, DocumentRecord] = got
        return result
    candidates = [(row, doc) for row, doc in await uow.cases.open_with_documents()
                  if ("ro" in row.waiting_for or second_draft_due(preset, gl.case_from_dict(row.state), person.id, doc))
                  and (doc.ro_id or doc.rsm_id) == person.id]
    if not candidates:
        raise NotAllowed("Thanks for the document, but nothing is waiting for a draft from you. "
                         "Start a review first (for example 'review PP-001'), then send the draft.")
    if len(candidates) > 1:
        listed = ", ".join(f"case {r.id}" for r, _ in candidates)
        raise NotAllowed(f"Several of your cases are waiting for a draft ({listed}). Send it again with the case number in the message, e.g. 'case {candidates[0][0].id}'.")
    return candidates[0]


