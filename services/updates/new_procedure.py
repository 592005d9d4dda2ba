"""NCT-17 on Route 1: what a new procedure written on the publisher's template is told that a scheduled
update learns from the update plan (services/updates/opening.py). When the six-week window before its
deadline opens, its RO is asked to write it on the template and send the draft for sign-off, and its RSM
is told; a procedure agreed before any deadline was recorded is tied to the first one recorded. The
notices shared with the scheduled update's warnings and moves (services/updates/window.py) are built here."""

from __future__ import annotations

from datetime import date
from typing import Any

from governance.dates import weekday_date
from governance.nct_dates import window_opens
from governance.preset import Preset
from services.ports import Notice, NoticeKind


def owners(doc: Any) -> tuple[str | None, list[str]]:
    """A procedure's RO (or its RSM when it has none) and its RSMs (NCT-7: several for a shared procedure)."""
    rsms = [x for x in (doc.rsm_id, *((doc.extra or {}).get("other_rsm_ids") or [])) if x]
    return doc.ro_id or doc.rsm_id, list(dict.fromkeys(rsms))


def route_1_notice(
    key: str,
    pid: str,
    subject: str,
    body: str,
    row: Any,
    doc: Any,
    due: date | None,
    when: Any,
    kind: NoticeKind = NoticeKind.UPDATE_WINDOW,
) -> Notice:
    return Notice(
        key=key, kind=kind, subject=subject, body=body, person_id=pid, case_id=row.id, document_ref=doc.ref, due_on=due, not_before=when
    )


def new_procedure_instruction(preset: Preset, row: Any, doc: Any, deadline: date, when: Any) -> list[Notice]:
    """The window is open (NCT-4): the RO writes the new procedure on the template; the RSM is told. Keyed
    by the case, like the update plan's instruction, so each case is instructed once."""
    name, publisher, by = f"{doc.ref} {doc.title}", preset.role_label("publisher"), weekday_date(deadline)
    ro, rsms = owners(doc)
    out: list[Notice] = []
    if ro:
        body = (
            f"The six-week window for the {publisher}'s {by} update is open. {name} (case {row.id}) is the new "
            f"procedure to be written on the {publisher}'s template: please draft it and send the draft here for your "
            f"RSM's sign-off. It must be approved and submitted to the {publisher} by {by}: a procedure that misses "
            "the deadline waits for the next update, which may be up to eight months later (NCT-17, NCT-4)."
        )
        out.append(
            route_1_notice(
                f"update-instruct:{row.id}",
                ro,
                f"The update window is open: write {name} on the {publisher}'s template",
                body,
                row,
                doc,
                deadline,
                when,
                NoticeKind.NOTICE,
            )
        )
    body = (
        f"The Responsible Officer has been asked to write {name} (case {row.id}) on the {publisher}'s template and "
        f"will send you the draft for sign-off. It must be approved and submitted by {by} (NCT-17, NCT-4)."
    )
    out += [
        route_1_notice(f"update-rsm:{row.id}", p, f"The update window is open: {name}", body, row, doc, deadline, when, NoticeKind.NOTICE)
        for p in rsms
        if p != ro
    ]
    return out


def tied(preset: Preset, row: Any, doc: Any, deadline: date, today: date, when: Any) -> list[Notice]:
    """A new procedure agreed before any update deadline was recorded now has one (NCT-17): its RO and RSM are told."""
    name, publisher, by = f"{doc.ref} {doc.title}", preset.role_label("publisher"), weekday_date(deadline)
    opens = window_opens(preset, deadline)
    window = (
        f"its six-week window opens on {weekday_date(opens)}, when you'll be reminded"
        if opens > today
        else "its six-week window is open now"
    )
    body = (
        f"{name} (case {row.id}) is written on the {publisher}'s template and follows Route 1: the next update "
        f"deadline is now recorded, so it must be approved and submitted to the {publisher} by {by}; {window} "
        "(NCT-17, NCT-4)."
    )
    ro, rsms = owners(doc)
    return [
        route_1_notice(f"update-tied:{row.id}:{deadline.isoformat()}", p, f"Update deadline {by}: {name}", body, row, doc, deadline, when)
        for p in dict.fromkeys([x for x in (ro, *rsms) if x])
    ]
