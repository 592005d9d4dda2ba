"""NCT-4: the scheduled update's window, for each open scheduled-update case (Route 1).

The window opens about six weeks (the preset's `review_weeks`) before the submission deadline; the
instruction to the RO goes when it opens (services/updates/opening.py). A few working days before
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
from governance.nct_dates import warn_from
from governance.case_flow import logged
from governance.dates import weekday_date
from governance.preset import Preset
from governance.reminders import send_window
from services.context import Services
from services.delivery import outbox
from services.ports import Notice, NoticeKind
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


def _owners(doc: Any) -> tuple[str | None, list[str]]:
    rsms = [x for x in (doc.rsm_id, *((doc.extra or {}).get("other_rsm_ids") or [])) if x]
    return doc.ro_id or doc.rsm_id, list(dict.fromkeys(rsms))


def _notice(key: str, pid: str, subject: str, body: str, row: Any, doc: Any, due: date | None, when: Any) -> Notice:
    return Notice(key=key, kind=NoticeKind.UPDATE_WINDOW, subject=subject, body=body, person_id=pid, case_id=row.id,
                  document_ref=doc.ref, due_on=due, not_before=when)


def _warnings(preset: Preset, row: Any, doc: Any, case: gl.Case, deadline: date, ppo: list[str], when: Any) -> list[Notice]:
    """The window closes soon: the RO and RSM when it is not yet approved, the PPO when approved but not submitted."""
    name = f"{doc.ref} {doc.title}"
    publisher = preset.role_label("publisher")
    key = f"update-closing:{row.id}:{deadline.isoformat()}"
    subject = f"The update window closes on {weekday_date(deadline)}: {name}"
    if case.stage == "submit":
        body = (f"{name} is approved. Please submit it to the {publisher} by {weekday_date(deadline)}, or it waits for the "
                "next update (NCT-4, NCT-10).")
        return [_notice(key, p, subject, body, row, doc, deadline, when) for p in ppo]
    body = (f"The scheduled update of {name} (case {row.id}) must be approved and submitted to the {publisher} by "
            f"{weekday_date(deadline)}. It is at '{preset.routes[case.route].stage(case.stage).label}'. A change that "
            "misses the deadline waits for the next update, which may be up to eight months later (NCT-4).")
    ro, rsms = _owners(doc)
    return [_notice(key, p, subject, body, row, doc, deadline, when) for p in dict.fromkeys([x for x in (ro, *rsms) if x])]


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
    ro, rsms = _owners(doc)
    people = dict.fromkeys([x for x in (ro, *rsms, *ppo) if x])
    key = f"update-missed:{row.id}:{missed.isoformat()}:{nxt.isoformat() if nxt else 'none'}"
    return [_notice(key, p, subject, body, row, doc, nxt, when) for p in people]


async def _move(uow: Work, row: Any, case: gl.Case, missed: date, nxt: date | None, now: Any, today: date) -> None:
    update = dict(case.notes.get("update") or {})
    update["missed"] = [*(update.get("missed") or []), missed.isoformat()]
    update["deadline"] = nxt.isoformat() if nxt else None
    summary = (f"Missed the {weekday_date(missed)} update; moved to the next, {weekday_date(nxt)}" if nxt else
               f"Missed the {weekday_date(missed)} update; no later deadline is recorded")
    case = logged(dataclasses.replace(case, notes={**case.notes, "update": update}), today, SYSTEM, "missed_update",
                  f"{summary} (NCT-4)")
    await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(case), stage=row.stage,
                         status=row.status, waiting_for=list(row.waiting_for or []), now=now)
    await uow.audit.record(at=now, actor=None, entity="document", entity_id=row.document_id, action="missed_update",
                           summary=f"{summary}, case {row.id}")


async def _recorded(uow: Work) -> list[date]:
    kept = await uow.kv.get(UPDATES_KEY) or {}
    return sorted(date.fromisoformat(d) for d in kept.get("deadlines", []))


async def sweep_update_cases(services: Services, holder: str) -> UpdateSweep:
    """NCT-4 for each open scheduled-update case: the closing warning, and a missed deadline moved on."""
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
        for row, doc in await uow.due.open_cases_of_kind(KIND):
            case = gl.case_from_dict(row.state)
            if "update" not in case.notes or submitted(case):
                continue
            deadline = deadline_of(case)
            if deadline is None:  # missed, and no later deadline was recorded then: one now?
                last = max((date.fromisoformat(d) for d in case.notes["update"].get("missed") or []), default=today)
                nxt = next((d for d in recorded if d > last and d >= today), None)
                if nxt is not None:
                    await _move(uow, row, case, last, nxt, now, today)
                    batch += _moved(preset, row, doc, last, nxt, ppo, when)
                    report.moved += 1
                continue
            if today > deadline:
                nxt = next((d for d in recorded if d > deadline and d >= today), None)
                await _move(uow, row, case, deadline, nxt, now, today)
                batch += _moved(preset, row, doc, deadline, nxt, ppo, when)
                report.moved += 1
            elif today >= warn_from(preset, deadline) and not paused:
                batch += _warnings(preset, row, doc, case, deadline, ppo, when)
        uow.notify(*batch)
        report.queued = await uow.write_notices()
        await uow.outbox.finish_sweep(run_id, queued=report.queued, finished_at=services.clock.now())
        await uow.commit()
    return report
