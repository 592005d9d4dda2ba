"""Keeping ownership true (NCT-1, DOR-1): every document has an RSM and an RO at all times (the RSM
standing in when no RO is named); when an RO changes, their open work moves to the successor and the
PPO is told; documents of people who leave are flagged as orphaned to the PPO.

Notices for people are returned to the caller to deliver after the commit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Set
from datetime import datetime
from typing import Any
from dataclasses import dataclass, field

from governance import lifecycle as gl
from governance.errors import MissingInformation
from governance.ownership import check_change_of_ro, effective_ro, hand_over_case
from governance.reminders import NUDGE_KINDS
from services.context import Services
from services.delivery.notices import daily, dated
from services.errors import BadInput, NotFound
from services.people.identity import person_named
from services.cases.lifecycle import _rsm_ids
from services.ports import Notice
from services.work import DocumentRow, PersonRow, Repository, Work


@dataclass(frozen=True)
class Handover:
    old: str
    new: str
    documents: tuple[str, ...]  # refs
    cases: tuple[int, ...]
    drafts: int
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    old_name: str = ""
    new_name: str = ""


@dataclass(frozen=True)
class OwnershipProblem:
    ref: str
    title: str
    problem: str


async def _person(uow: Work, who: str, what: str) -> PersonRow:
    try:
        return await person_named(uow, who)  # a unique first name will do; two who fit are asked about
    except NotFound:
        pass
    person = await uow.people.get(who.strip()) or (await uow.people.by_email(who.strip()) if "@" in who else None)
    if person is None:  # someone who has left is still found to hand their work over
        left = [p for p in await uow.people.all() if who.strip().lower() in p.name.lower()]
        person = left[0] if len(left) == 1 else None
    if person is None:
        raise NotFound(f"I can't find {what} '{who}' in the directory (use their id, email address or full name).")
    return person


async def ppo_notices(uow: Work, subject: str, body: str, *, exclude: Set[str] = frozenset()) -> list[Notice]:
    """A notice for each Policy and Procedures Officer (the organisation's 'ppo' role)."""
    return [daily(p.id, subject, body) for p in await uow.people.with_role("ppo") if p.id not in exclude]


async def reassign_ro(services: Services, old: str, new: str, *, include_rsm: bool = False, reason: str | None = None,
                      actor_email: str | None = None, refs: list[str] | None = None, actor_id: str | None = None,
                      effective: str | None = None) -> Handover:
    """Hand one person's documents (as RO, and as RSM too with include_rsm) to a successor.

    Open cases on those documents move with them: what waited for the old RO now waits for the new
    one (the RO is read from the document), and anything naming the old person in the case (as the
    requester, a condition's checker) names the successor. Drafts stay with their case, so they
    move too. One transaction with an audit record per document; the PPO is told (NCT-1).
    """
    now, today = services.clock.now(), services.clock.today()
    preset = services.preset
    async with services.uow() as uow:
        repo = uow.register
        before = await _person(uow, old, "the current owner")
        after = await _person(uow, new, "the successor")
        if before.id == after.id:
            raise BadInput(f"{before.name} is both the current owner and the successor: name someone else.")
        if not after.active:
            raise BadInput(f"{after.name} has left (their account is disabled), so they can't take the documents on.")
        actor = await uow.people.by_email(actor_email) if actor_email else None
        if actor_id:
            actor = await uow.people.get(actor_id)
        wanted = {r.strip().upper() for r in refs} if refs else None
        docs = []
        for d in await repo.documents_of(before.id):
            if d.status == "retired" or (wanted is not None and d.ref.upper() not in wanted):
                continue
            standing_in = d.ro_id is None and d.rsm_id == before.id and wanted is not None  # NCT-1: the RSM was the RO
            if d.ro_id == before.id or standing_in or (include_rsm and d.rsm_id == before.id):
                docs.append(d)
        if wanted is not None and len(docs) < len(wanted):
            missing = sorted(wanted - {d.ref.upper() for d in docs})
            raise BadInput(f"{before.name} is not the {'RO or RSM' if include_rsm else 'RO'} of {', '.join(missing)}.")
        moved_cases: list[int] = []
        drafts = 0
        handed_over = []  # each document as the handover leaves it (the notices read its new owners)
        for d in docs:
            changed = []
            if d.ro_id == before.id or (d.ro_id is None and d.rsm_id == before.id and wanted is not None):
                check_change_of_ro(after.id, d.rsm_id)  # NCT-1 holds after the change
                d = await uow.documents.update(d.id, ro_id=after.id)
                changed.append("Responsible Officer")
                await repo.resolve_flags(d.id, "ro", now)
            if include_rsm and d.rsm_id == before.id:
                d = await uow.documents.update(d.id, rsm_id=after.id)
                changed.append("Responsible Strategic Manager")
                await repo.resolve_flags(d.id, "rsm", now)
            d = await uow.documents.update(d.id, updated_at=now)
            handed_over.append(d)
            await uow.audit.record(at=now, actor=actor, entity="document", entity_id=d.id, action="owner_changed",
                                   summary=f"{' and '.join(changed)} changed from {before.name} to {after.name}",
                                   reason=reason, details={"from": before.id, "to": after.id, "roles": changed})
            for row in await uow.cases.open_for_document(d.id):
                case = gl.case_from_dict(row.state)
                handed = hand_over_case(case, before.id, after.id, today,
                                        f"Work handed over from {before.name} to {after.name}")
                await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(handed), stage=handed.stage,
                                     status=row.status, waiting_for=gl.who_must_act(preset, handed), now=now)
                moved_cases.append(row.id)
                drafts += sum(1 for x in await uow.cases.drafts(d.id) if x.case_id == row.id)
        docs = handed_over
        # Reminders already queued for the previous owner are withdrawn; the next sweep owes them to the successor.
        await uow.outbox.withdraw(before.id, [d.ref for d in docs], NUDGE_KINDS, f"handed over to {after.name}")
        notices = await _handover_notices(uow, docs, before, after, actor, moved_cases, drafts, reason, effective)
        # The handover and the notices it causes are one transaction: the commit queues them.
        notices = [dated(n, today) for n in notices]
        uow.notify(*notices)
        await uow.commit()
    return Handover(before.id, after.id, tuple(d.ref for d in docs), tuple(moved_cases), drafts, tuple(notices),
                    before.name, after.name)


async def _handover_notices(uow: Work, docs: list[DocumentRow], before: PersonRow, after: PersonRow, actor: PersonRow | None,
                            moved_cases: list[int], drafts: int, reason: str | None, effective: str | None) -> list[Notice]:
    """Who hears of a handover: the PPO (NCT-1: the tracker is updated), the RSM, the previous
    owner and the successor; never the person who did it."""
    listed = ", ".join(f"{d.ref} {d.title}" for d in docs) or "no documents"
    notices: list[Notice] = []
    if docs:
        if moved_cases:
            work = (f" {len(moved_cases)} open case{'s' if len(moved_cases) != 1 else ''} moved with them "
                    f"({', '.join(f'case {c}' for c in moved_cases)}, with {drafts} draft{'s' if drafts != 1 else ''}).")
        else:
            work = " No open cases to move."
        notices += await ppo_notices(
            uow, "Change of Responsible Officer",
            f"{after.name} now owns {len(docs)} document{'s' if len(docs) != 1 else ''} that {before.name} owned: {listed}.{work}"
            + (f" Reason: {reason}." if reason else "") + (f" Reported by {actor.name}." if actor else "")
            + " The tracker is updated (NCT-1).",
            exclude={actor.id} if actor else set())
        if effective:
            notices = [dataclasses.replace(n, body=n.body.replace(" The tracker", f" Effective {effective}. The tracker"))
                       for n in notices]
        rsms = {r for d in docs for r in _rsm_ids(d)} - {after.id} - ({actor.id} if actor else set())
        for rsm in sorted(rsms):  # the RSM who answers for the procedure hears of its new RO (NCT-1)
            notices.append(daily(rsm, "Change of Responsible Officer",
                                 f"{after.name} is now the Responsible Officer of {listed}, in place of {before.name}."))
        if before.active and (actor is None or actor.id != before.id):
            notices.append(daily(before.id, "Documents handed over",
                                 f"{listed} {'is' if len(docs) == 1 else 'are'} now {after.name}'s to look after."))
        notices.append(daily(after.id, "Documents handed over to you",
                              f"You are now responsible for {listed}, handed over from {before.name}.{work} "
                              "Say 'my documents' and 'my tasks' to see them."))
    return notices


async def flag_orphans(uow: Work, repo: Repository, person: PersonRow, now: datetime) -> tuple[list[Any], list[Notice]]:
    """A person left: flag each document they own or sign off as orphaned to the PPO. Returns
    (documents newly flagged, notices for the PPO)."""
    flagged = []
    for d in await repo.documents_of(person.id):
        if d.status == "retired":
            continue
        roles = [r for r, pid in (("ro", d.ro_id), ("rsm", d.rsm_id)) if pid == person.id]
        new = [await repo.flag(document_id=d.id, person_id=person.id, role=r, reason="left", at=now) for r in roles]
        if any(new):
            flagged.append(d)
            await uow.audit.record(at=now, actor=None, entity="document", entity_id=d.id, action="orphaned",
                                   summary=f"{person.name} has left ({' and '.join(r.upper() for r in roles)}): "
                                           "orphaned to the PPO until someone is named")
    notices = []
    if flagged:
        listed = "; ".join(f"{d.ref} {d.title}" for d in flagged)
        notices = await ppo_notices(
            uow, "Documents without an owner",
            f"{person.name} has left (their account is disabled in the directory). These documents need a new owner "
            f"(NCT-1): {listed}. Name one with 'policybot owner reassign \"{person.name}\" \"<successor's name>\"'.")
    return flagged, notices


async def ownership_problems(services: Services) -> list[OwnershipProblem]:
    """Documents that break NCT-1 or have an owner who left."""
    out = []
    async with services.uow() as uow:
        repo = uow.register
        flagged = {(f.document_id, f.role) for f in await repo.open_flags()}
        for d in await repo.all_documents():
            if d.status == "retired":
                continue
            try:
                effective_ro(d.ro_id, d.rsm_id)
            except MissingInformation:
                out.append(OwnershipProblem(d.ref, d.title, "no Responsible Strategic Manager (NCT-1)"))
                continue
            for role, person in (("ro", d.ro), ("rsm", d.rsm)):
                if person is not None and (not person.active or (d.id, role) in flagged):
                    out.append(OwnershipProblem(d.ref, d.title, f"{role.upper()} {person.name} has left: orphaned to the PPO"))
    return out
