"""What NCT's process adds when a review opens and when certain actions are taken (issue 18):
the related procedures and chapters listed at opening, for the RO to confirm or dismiss (NCT-14);
the prompt for a joint Review Session when a procedure covers several services (NCT-7); the next
update deadline a new procedure with a template waits for, and the reminders that follow the
arrangements agreed for one without (NCT-17)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from governance import lifecycle as gl
from governance.actions import RELATED_MAX
from governance.case_model import AMENDING_KINDS
from governance.nct_dates import arrangements_overdue_on, arrangements_reminder_on
from governance.dates import long_date
from governance.preset import Preset
from services.cases.views import _rsm_ids
from services.clock import LONDON
from services.context import Services
from services.errors import NotFound
from services.manual.related import related_to
from services.ports import CaseRecord, DocumentRecord, Notice, NoticeKind
from services.updates.window import UPDATES_KEY  # NCT-2's recorded schedule


SYNC_HOW = ("To sync it, an administrator runs 'policybot manual sync <the manual's address>' (or sets "
            "POLICYBOT_MANUAL_URL, and the daily refresh does it).")


async def related_notes(services: Services, ref: str, kind: str) -> dict[str, Any]:
    """NCT-14: the procedures and chapters a change to `ref` may affect, as the case keeps them."""
    if not services.preset.checklist or kind not in AMENDING_KINDS:
        return {}
    try:
        found = await related_to(services, ref)
    except NotFound:
        return {}
    items = [{"n": n, "kind": i.kind, "ref": i.ref, "title": i.title, "url": i.url, "why": "; ".join(i.reasons)}
             for n, i in enumerate(found.report.items[:RELATED_MAX], 1)]
    return {"related": items, "related_synced": found.synced}


def joint_session_needed(doc: DocumentRecord) -> bool:
    """NCT-7: a procedure with RSMs from several services needs a joint Review Session of its ROs."""
    return len(_rsm_ids(doc)) > 1


def opening_lines(case: gl.Case, case_id: int, ref: str) -> str:
    """What the RO is told at opening, beyond 'Case N is open'."""
    notes = case.notes
    lines: list[str] = []
    if "related" in notes:
        items = notes.get("related") or []
        if not notes.get("related_synced"):
            lines.append(f"The procedures manual has never been synced here, so I can't list the chapters that link to "
                         f"{ref}. {SYNC_HOW}" + (" From the register alone, these may be affected too (NCT-14):" if items else ""))
        elif items:
            lines.append("These procedures and chapters may be affected too (NCT-14):")
        else:
            lines.append(f"No other procedure or chapter links to {ref} or shares its key terms (NCT-14).")
        lines += [f"{x['n']}. {x['ref'] + ' ' if x.get('ref') else ''}{x['title']} ({x['why']})" for x in items]
        if items:
            some = "1" if len(items) == 1 else "1, 2"
            lines.append(f"Confirm each to check too, or dismiss it: 'confirm related case {case_id}: {some}' or "
                         f"'dismiss related case {case_id}: {len(items)}'.")
    if notes.get("joint_session_needed"):
        lines.append(f"{ref} covers several services, so its ROs review it together at a joint Review Session (NCT-7). "
                     f"The Policy and Procedures Officer can arrange it: 'arrange a joint review session for {ref} on "
                     "<date> at <time>'.")
    return ("\n" + "\n".join(lines)) if lines else ""


async def before_action(uow: Any, action: str, data: dict[str, Any], today: date) -> dict[str, Any]:
    """NCT-17: a new procedure with the publisher's template waits for the next recorded update deadline."""
    if action != "template_available":
        return data
    kept = await uow.kv.get(UPDATES_KEY) or {}
    ahead = sorted(d for d in kept.get("deadlines", []) if date.fromisoformat(d) >= today)
    return {**data, "next_deadline": ahead[0] if ahead else None}


async def arrangement_reminders(uow: Any, preset: Preset, doc: DocumentRecord, row: CaseRecord, case: gl.Case, action: str,
                                today: date) -> list[Notice]:
    """NCT-17: the due date of the arrangements agreed drives the reminders: the RO is reminded five working
    days before, and on the day (with its calendar entry); with no draft by the working day after, the RO
    and the PPO (who agreed the arrangements with the parties) are told. Arrangements recorded again
    replace the reminders still to come; the publisher's template recorded later withdraws them (Route 1
    drives the case from then)."""
    agreed = case.notes.get("new_procedure") or {}
    if action == "template_available" and case.kind == "new_document":
        await _withdraw(uow, doc, "the publisher has a template: the procedure follows Route 1")
        return []
    if action not in ("no_template", "record_arrangements") or not agreed.get("due"):
        return []
    due = date.fromisoformat(agreed["due"])
    before = arrangements_reminder_on(preset, due)
    owner = doc.ro_id or doc.rsm_id
    if action == "record_arrangements":
        await _withdraw(uow, doc, "the arrangements were recorded again")
    out: list[Notice] = []
    n = len(case.history)  # each recording its own keys: the same date recorded again is reminded again
    for pid in [p for p in (owner,) if p]:
        body = (f"The draft of {doc.ref} {doc.title} is due by {long_date(due)}, as agreed with the Policy and "
                f"Procedures Officer: {agreed['arrangements']} (NCT-17).")
        if before > today:
            out.append(Notice(key=f"arrangements:case{row.id}:{pid}:{n}:before", subject=f"Due on {long_date(due)}: {doc.ref} {doc.title}",
                              body=body, person_id=pid, case_id=row.id, document_ref=doc.ref, due_on=due,
                              kind=NoticeKind.CASE_WAITING, not_before=datetime.combine(before, time(9, 0), LONDON)))
        out.append(Notice(key=f"arrangements:case{row.id}:{pid}:{n}:due", subject=f"Due today: {doc.ref} {doc.title}", body=body,
                          person_id=pid, case_id=row.id, document_ref=doc.ref, due_on=due, kind=NoticeKind.CASE_WAITING,
                          not_before=datetime.combine(due, time(9, 0), LONDON)))
    late = datetime.combine(arrangements_overdue_on(preset, due), time(9, 0), LONDON)
    body = (f"No draft of {doc.ref} {doc.title} (case {row.id}) has arrived: it was due on {long_date(due)} under the "
            f"arrangements agreed: {agreed['arrangements']}. The Policy and Procedures Officer agrees new arrangements with "
            f"the parties (NCT-17): 'arrangements for {doc.ref}: <who writes it, and by when>'.")
    for pid in dict.fromkeys([p for p in (owner, *await _ppos(uow)) if p]):
        out.append(Notice(key=f"arrangements:case{row.id}:{pid}:{n}:overdue", subject=f"Overdue: the draft of {doc.ref} {doc.title}",
                          body=body, person_id=pid, case_id=row.id, document_ref=doc.ref, kind=NoticeKind.CASE_WAITING,
                          not_before=late))
    return out


async def _ppos(uow: Any) -> list[str]:
    return [p.id for p in await uow.people.with_role("ppo")]


async def _withdraw(uow: Any, doc: DocumentRecord, why: str) -> None:
    """NCT-17: the arrangements' reminders still to come, to the RO and the PPO, withdrawn."""
    for pid in dict.fromkeys([p for p in (doc.ro_id or doc.rsm_id, *await _ppos(uow)) if p]):
        await uow.outbox.withdraw(pid, [doc.ref], [NoticeKind.CASE_WAITING], why)


async def draft_arrived(uow: Any, doc: DocumentRecord, case: gl.Case) -> None:
    """NCT-17: once the draft of a new procedure arrives, its arrangements' reminders still to come are withdrawn."""
    if case.kind == "new_document" and (case.notes.get("new_procedure") or {}).get("due"):
        await _withdraw(uow, doc, "the draft has arrived")
