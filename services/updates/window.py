"""NCT-4: the scheduled update's window, for each open Route 1 case: a scheduled update, or a new
procedure written on the publisher's template (NCT-17), which follows Route 1 in the same way.

The window opens about six weeks (the preset's `review_weeks`) before the submission deadline; the
instruction to the RO goes when it opens (a scheduled update's from its plan, services/updates/opening.py;
a new procedure's from this sweep, services/updates/new_procedure.py). What each case owes today is
governance's decision (governance/nct_dates.py, `route_1_due`). A few working days before
it closes, the RO and RSM of each case not yet approved are warned, and the PPO of each approved
one not yet submitted to the publisher. After the deadline a change not submitted (NCT-10's
'Submitted to the publisher' step) has missed this update: it moves to the next recorded deadline,
and the RO, RSM and PPO are told the date it now waits for, or, when no later deadline is recorded,
the PPO is asked to record it. While the PPO has paused reminders the warnings wait; a missed deadline
is still recorded and told. One transaction with its `sweep_runs` row; keyed notices, so the
sweep can run twice."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from governance import lifecycle as gl
from governance.calendar import WorkingCalendar
from governance.nct_dates import ROUTE_1_KINDS, route_1_due, update_of
from governance.case_flow import logged
from governance.dates import weekday_date
from governance.preset import Preset
from governance.reminders import send_window
from services.context import Services
from services.delivery import outbox
from services.ports import Notice
from services.updates.new_procedure import new_procedure_instruction, owners, route_1_notice, tied
from services.work import Work

UPDATES_KEY = "manual_updates"  # {"deadlines": ["2027-03-05", ...]}: NCT-2's agreed schedule
KIND = "scheduled_update"
SYSTEM = gl.Actor("system", frozenset({"system"}))


@dataclass
class UpdateSweep:
    name: str = "update_cases"
    queued: int = 0
    moved: int = 0


def deadline_of(case: gl.Case) -> date | None:
    d = (case.notes.get("update") or {}).get("deadline")
    return date.fromisoformat(d) if d else None


def update_notes(case: gl.Case, shown: int = 3) -> tuple[tuple[str, str], ...]:
    """What a scheduled-update case's card shows of its update (NCT-3, NCT-4): the deadline, any update it
    missed, and the publisher's recommended amendments."""
    update = case.notes.get("update") or {}
    if not update:
        return ()
    d = update.get("deadline")
    out = [("Update deadline", weekday_date(date.fromisoformat(d)) if d else "not recorded yet: the PPO records it")]
    missed = update.get("missed") or []
    if missed:
        out.append(("Missed updates", ", ".join(weekday_date(date.fromisoformat(x)) for x in missed)))
    amendments = [a[2] for a in update.get("amendments") or [] if len(a) > 2]
    if amendments:
        text = " | ".join(a if len(a) <= 240 else a[:237] + "..." for a in amendments[:shown])
        more = len(amendments) - shown
        out.append(("Recommended amendments", text + (f" (and {more} more)" if more > 0 else "")))
    return tuple(out)


def submitted(case: gl.Case) -> bool:
    return case.step == "submitted" or case.status != "open"


def _warnings(preset: Preset, row: Any, doc: Any, case: gl.Case, deadline: date, ppo: list[str], when: Any) -> list[Notice]:
    """The window closes soon: the RO and RSM when it is not yet approved, the PPO when approved but not submitted."""
    name = f"{doc.ref} {doc.title}"
    publisher = preset.role_label("publisher")
    key = f"update-closing:{row.id}:{deadline.isoformat()}"
    subject = f"The update window closes on {weekday_date(deadline)}: {name}"
    if case.stage == "submit":
        body = (f"{name} is approved. Please submit it to the {publisher} by {weekday_date(deadline)}, or it waits for the "
                "next update (NCT-4, NCT-10).")
        return [route_1_notice(key, p, subject, body, row, doc, deadline, when) for p in ppo]
    what = "The new procedure" if case.kind == "new_document" else "The scheduled update of"  # NCT-17 on Route 1
    body = (f"{what} {name} (case {row.id}) must be approved and submitted to the {publisher} by "
            f"{weekday_date(deadline)}. It is at '{preset.routes[case.route].stage(case.stage).label}'. A change that "
            "misses the deadline waits for the next update, which may be up to eight months later (NCT-4).")
    ro, rsms = owners(doc)
    return [route_1_notice(key, p, subject, body, row, doc, deadline, when) for p in dict.fromkeys([x for x in (ro, *rsms) if x])]


def _moved(preset: Preset, row: Any, doc: Any, missed: date, nxt: date | None, ppo: list[str], when: Any) -> list[Notice]:
    name = f"{doc.ref} {doc.title}"
    publisher = preset.role_label("publisher")
    subject = f"Missed the {weekday_date(missed)} update: {name}"
    if nxt is not None:
        body = (f"{name} (case {row.id}) was not submitted to the {publisher} by {weekday_date(missed)}, so it has missed "
                f"this update. It is now on the list for the next update: it must be approved and submitted by "
                f"{weekday_date(nxt)} (NCT-4).")
    else:
        body = (f"{name} (case {row.id}) was not submitted to the {publisher} by {weekday_date(missed)}, so it has missed "
                "this update. No later update deadline is recorded yet, so I can't say when it will go: the Policy and "
                "Procedures Officer should record the next deadlines ('the Tri.x deadlines are ...') (NCT-4).")
    ro, rsms = owners(doc)
    people = dict.fromkeys([x for x in (ro, *rsms, *ppo) if x])
    key = f"update-missed:{row.id}:{missed.isoformat()}:{nxt.isoformat() if nxt else 'none'}"
    return [route_1_notice(key, p, subject, body, row, doc, nxt, when) for p in people]


async def _move(uow: Work, row: Any, case: gl.Case, update: dict[str, Any], missed: date | None, nxt: date | None,
                now: Any, today: date) -> None:
    """The case's deadline moved on: past a missed one (NCT-4), or to its first, once one is recorded (NCT-17)."""
    update = dict(update)
    if missed is not None and missed.isoformat() not in (update.get("missed") or []):
        update["missed"] = [*(update.get("missed") or []), missed.isoformat()]
    update["deadline"] = nxt.isoformat() if nxt else None
    if missed is None:
        assert nxt is not None
        summary = f"Route 1: waits for the {weekday_date(nxt)} update, the next deadline recorded"
    elif nxt:
        summary = f"Missed the {weekday_date(missed)} update; moved to the next, {weekday_date(nxt)}"
    else:
        summary = f"Missed the {weekday_date(missed)} update; no later deadline is recorded"
    action = "missed_update" if missed is not None else "update_deadline"
    case = logged(dataclasses.replace(case, notes={**case.notes, "update": update}), today, SYSTEM, action,
                  f"{summary} (NCT-4{'' if missed is not None else ', NCT-17'})")
    await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(case), stage=row.stage,
                         status=row.status, waiting_for=list(row.waiting_for or []), now=now)
    await uow.audit.record(at=now, actor=None, entity="document", entity_id=row.document_id, action=action,
                           summary=f"{summary}, case {row.id}")


async def _recorded(uow: Work) -> list[date]:
    kept = await uow.kv.get(UPDATES_KEY) or {}
    return sorted(date.fromisoformat(d) for d in kept.get("deadlines", []))


async def sweep_update_cases(services: Services, holder: str) -> UpdateSweep:
    """NCT-4 for each open Route 1 case (a scheduled update, or a new procedure with the publisher's template,
    NCT-17): the window's instruction to a new procedure's RO, the closing warning, a missed deadline moved on."""
    preset = services.preset
    report = UpdateSweep()
    cal = WorkingCalendar(preset.nation)
    now, today = services.clock.now(), services.clock.today()
    async with services.uow() as uow:
        run_id = await uow.outbox.start_sweep(report.name, now, holder)
        recorded = await _recorded(uow)
        ppo = [p.id for p in await uow.people.with_role("ppo")]
        when = send_window(now, cal)
        paused = outbox.paused_until(await outbox.pause_state(uow), today) is not False  # warnings wait; moves do not
        batch: list[Notice] = []
        for row, doc in await uow.due.open_cases_of_kind(*ROUTE_1_KINDS):
            case = gl.case_from_dict(row.state)
            update = update_of(case.notes)
            if update is None or submitted(case):
                continue
            due = route_1_due(preset, update, today, recorded)
            if due.what == "tie":
                assert due.nxt is not None
                await _move(uow, row, case, update, None, due.nxt, now, today)
                batch += tied(preset, row, doc, due.nxt, today, when)
                report.moved += 1
            elif due.what == "move":
                assert due.deadline is not None
                await _move(uow, row, case, update, due.deadline, due.nxt, now, today)
                batch += _moved(preset, row, doc, due.deadline, due.nxt, ppo, when)
                report.moved += 1
            elif due.what == "wait" and due.deadline is not None:
                if due.instruct:
                    batch += new_procedure_instruction(preset, row, doc, due.deadline, when)
                if due.warn and not paused:
                    batch += _warnings(preset, row, doc, case, due.deadline, ppo, when)
        uow.notify(*batch)
        report.queued = await uow.write_notices()
        await uow.outbox.finish_sweep(run_id, queued=report.queued, finished_at=services.clock.now())
        await uow.commit()
    return report
