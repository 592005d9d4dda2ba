"""Sweeps: read what is due from our own tables, ask the governance rules who is owed what, and
queue it in the outbox (idempotent keys, so running a sweep twice queues nothing new).

Each sweep is one transaction with its `sweep_runs` record: a process killed mid-sweep leaves
nothing half-queued, and the next run (here or in another process) does the whole sweep again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from governance import lifecycle as gl
from governance.calendar import LONDON, WorkingCalendar, add_months
from governance.dates import day_month, long_date, month_year
from governance.preset import Preset
from governance.reminders import (
    CaseFacts,
    DocFacts,
    Owed,
    case_nudges,
    digest_due,
    in_update,
    review_reminders,
    send_window,
    update_window,
    update_window_message,
)
from services.cases import lifecycle
from services.context import Services
from services.delivery import outbox
from services.manual import demand, impact
from services.manual import sync as manual
from services.meetings import agenda as meetings
from services.register.reports import record_compliance_snapshot
from services.ports import Notice, NoticeKind
from services.updates.window import UPDATES_KEY as UPDATES_KEY  # NCT-2's agreed schedule, read here and there
from services.updates.window import sweep_update_cases
from services.work import DocumentRow, Work

log = logging.getLogger("policybot.sweeps")


@dataclass
class SweepReport:
    name: str
    queued: int = 0
    paused: bool = False
    closed_consultations: int = 0


class _Recipients:
    """Who each notice goes to; everyone holding an organisation role is looked up once a sweep."""

    def __init__(self, uow: Work) -> None:
        self.uow = uow
        self._roles: dict[str, list[str]] = {}

    async def __call__(self, doc: DocumentRow, case: gl.Case | None, to: tuple[str, ...]) -> list[str]:
        people: list[str] = []
        for target in to:
            if target.startswith("person:") or target in ("ro", "rsm", "requester"):
                people += await lifecycle._people_for(self.uow, doc, case, target)  # noqa: SLF001 - one rule for "who holds a role"
            else:
                if target not in self._roles:
                    self._roles[target] = await lifecycle._people_for(self.uow, doc, case, target)  # noqa: SLF001
                people += self._roles[target]
        return list(dict.fromkeys(people))


def _review_horizon(preset: Preset, today: date) -> date:
    """The last review date a reminder can be owed for today: the earliest offset before it, moved
    back to a working day (at most a fortnight of holidays and weekends)."""
    return today + timedelta(days=max(preset.reminder_offsets, default=0) + 14)


def _nudge_cutoff(today: date, cal: WorkingCalendar, every: int) -> datetime | None:
    """Cases changed before this moment have waited at least `every` working days by today."""
    if every <= 0:
        return None
    day = today
    while cal.working_days_between(day, today) < every:
        day -= timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time(0, 0), LONDON)


def _messages(owed: Owed, people: list[str], not_before: datetime, lines: list[str] | None = None) -> list[Notice]:
    return [Notice(key=owed.key, kind=NoticeKind(owed.kind), subject=owed.subject, body=owed.body, person_id=p,
                   case_id=owed.case_id, document_ref=owed.ref, due_on=owed.due_on, not_before=not_before,
                   lines=tuple(lines or ())) for p in people]


async def _queue(uow: Work, notices: list[Notice]) -> int:
    """Raise the sweep's notices and write them now, in the sweep's transaction: the count of new
    outbox rows goes in its `sweep_runs` record."""
    uow.notify(*notices)
    return await uow.write_notices()


async def _paused(uow: Work, today: date) -> bool:
    return outbox.paused_until(await outbox.pause_state(uow), today) is not False


async def sweep_reviews(services: Services, holder: str) -> SweepReport:
    """NCT-11 reminders before the review date, overdue notices, DOR-12 escalations."""
    preset = services.preset
    cal = WorkingCalendar(preset.nation)
    now, today = services.clock.now(), services.clock.today()
    report = SweepReport("reviews")
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("reviews", now, holder)
        if await _paused(uow, today):
            report.paused = True
        else:
            when = send_window(now, cal)
            batch: list[Notice] = []
            recipients = _Recipients(uow)
            for doc in await uow.due.reviews_by(_review_horizon(preset, today)):
                for owed in review_reminders(preset, DocFacts(doc.ref, doc.title, doc.next_review_due, doc.status), today, cal):
                    batch += _messages(owed, await recipients(doc, None, owed.to), when)
            report.queued = await _queue(uow, batch)
        run.queued, run.finished_at = report.queued, services.clock.now()
        await uow.commit()
    return report


async def sweep_cases(services: Services, holder: str) -> SweepReport:
    """Decisions, drafts and conditions waiting too long; consultations closing (BCT-4) and closed
    by the deadline with silence recorded as agreement (BCT-5)."""
    preset = services.preset
    cal = WorkingCalendar(preset.nation)
    now, today = services.clock.now(), services.clock.today()
    every = services.config.nudge_every_working_days
    report = SweepReport("cases")
    to_close: list[int] = []
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("cases", now, holder)
        paused = await _paused(uow, today)
        report.paused = paused
        batch: list[Notice] = []
        when = send_window(now, cal)
        recipients = _Recipients(uow)
        consulting = {s.id for r in preset.routes.values() for s in r.stages if s.kind == "consult"}
        for row, doc in await uow.due.cases_to_nudge(_nudge_cutoff(today, cal, every), consulting):
            case = gl.case_from_dict(row.state)
            stage = preset.routes[case.route].stage(case.stage)
            if gl.consultation_past_deadline(preset, case, today):
                to_close.append(row.id)
                continue
            if paused:
                continue
            silent = tuple(p for p in case.participants.get("consultee", ()) if p not in case.responses) if stage.kind == "consult" else ()
            facts = CaseFacts(
                id=row.id, version=row.version, ref=doc.ref, title=doc.title, kind=case.kind, stage_label=stage.label,
                step=case.step, waiting_for=tuple(gl.who_must_act(preset, case)),
                since=row.updated_at.astimezone(LONDON).date(), consult_deadline=case.consult_deadline if stage.kind == "consult" else None,
                silent_consultees=silent,
            )
            for owed in case_nudges(facts, today, cal, every):
                batch += _messages(owed, await recipients(doc, case, owed.to), when)
        report.queued = await _queue(uow, batch)
        run.queued, run.finished_at = report.queued, services.clock.now()
        await uow.commit()
    for case_id in to_close:
        if await lifecycle.close_consultation_by_deadline(services, case_id):
            report.closed_consultations += 1
    return report


async def sweep_update_window(services: Services, holder: str) -> SweepReport:
    """NCT-2/NCT-4: tell each RO, once when the window opens and once near its end, which of their
    procedures are due in this update and that a miss waits for the next one."""
    preset = services.preset
    report = SweepReport("update_window")
    if preset.update_cycle is None:
        return report
    cal = WorkingCalendar(preset.nation)
    now, today = services.clock.now(), services.clock.today()
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("update_window", now, holder)
        schedule = await uow.kv.get(UPDATES_KEY) or {}
        batch: list[Notice] = []
        if await _paused(uow, today):
            report.paused = True
        else:
            deadlines = sorted(date.fromisoformat(d) for d in schedule.get("deadlines", []))
            for deadline in deadlines:
                stage = update_window(preset.update_cycle, deadline, today, cal)
                if stage is None:
                    continue
                by_owner: dict[str, list[tuple[str, str]]] = {}
                for doc in await uow.due.not_retired_due_by(add_months(deadline, preset.update_cycle.next_update_months)):
                    if doc.next_review_due and in_update(preset.update_cycle, deadline, doc.next_review_due):
                        owner = doc.ro_id or doc.rsm_id
                        if owner:
                            by_owner.setdefault(owner, []).append((doc.ref, doc.title))
                for owner, refs in by_owner.items():
                    subject, body = update_window_message(preset.update_cycle, deadline, stage, refs)
                    owed = Owed(key=f"update-window:{deadline.isoformat()}:{stage}", kind="update_window", to=(),
                                subject=subject, body=body, due_on=deadline)
                    batch += _messages(owed, [owner], send_window(now, cal), [f"{r} {t}" for r, t in refs])
            report.queued = await _queue(uow, batch)
        run.queued, run.finished_at = report.queued, services.clock.now()
        await uow.commit()
    return report


async def sweep_digests(services: Services, holder: str) -> SweepReport:
    """BCT-9's weekly email of newly published documents; DOR-13's monthly communication of
    approved documents. Sent to the configured mailing list, else to the policy officers."""
    preset = services.preset
    cal = WorkingCalendar(preset.nation)
    now, today = services.clock.now(), services.clock.today()
    report = SweepReport("digests")
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("digests", now, holder)
        batch: list[Notice] = []
        for kind in preset.digests:
            due = digest_due(kind, today, cal)
            if due is None:
                continue
            key, start, end = due
            docs = [d for d in await uow.due.approved_between(start, end)
                    if not (kind == "weekly_published" and (d.extra or {}).get("launch_planned"))]  # BCT-9
            if not docs:
                continue
            lines = [f"{d.ref} {d.title} (version {d.version or '?'}, {long_date(d.approved_on)})" for d in docs]
            roles: tuple[str, ...]
            if kind == "weekly_published":
                subject = f"Published in the week of {long_date(start)}: {len(docs)} document{'s' if len(docs) != 1 else ''}"
                body = ("These policies and procedures were published last week (BCT-9). The chart shows how many "
                        "documents are within their review date.")
                configured, roles = services.config.digest_to, ("ppo", "policy_service")
            else:
                subject = f"Approved in {month_year(start)}: {len(docs)} document{'s' if len(docs) != 1 else ''}"
                body = "These documents were approved last month (DOR-13)."
                configured, roles = services.config.monthly_to, ("xcslt", "head_of_qa", "governance_officer", "ppo")
            when = send_window(now, cal)
            chart = kind == "weekly_published"
            for address in configured:
                batch.append(Notice(key=key, kind=NoticeKind.DIGEST, subject=subject, body=body, address=address,
                                    lines=tuple(lines), with_chart=chart, not_before=when))
            if not configured:
                people: list[str] = []
                for role in roles:
                    people += [p.id for p in await uow.people.with_role(role)]
                for pid in dict.fromkeys(people):
                    batch.append(Notice(key=key, kind=NoticeKind.DIGEST, subject=subject, body=body, person_id=pid,
                                        lines=tuple(lines), with_chart=chart, not_before=when))
        report.queued = await _queue(uow, batch)
        run.queued, run.finished_at = report.queued, services.clock.now()
        await uow.commit()
    return report


async def sweep_personal_digests(services: Services, holder: str, at: time = time(8, 30)) -> SweepReport:
    """People who asked for one digest instead of single nudges get them folded into one message
    each working morning."""
    preset = services.preset
    cal = WorkingCalendar(preset.nation)
    now, today = services.clock.now(), services.clock.today()
    report = SweepReport("personal_digests")
    if not cal.is_working_day(today) or now.astimezone(LONDON).time() < at:
        return report
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("personal_digests", now, holder)
        batch: list[Notice] = []
        for pid in await uow.outbox.people_with_held():
            key = f"personal-digest:{pid}:{today.isoformat()}"
            if await uow.outbox.by_key_prefix(key + "|"):
                continue  # today's digest has gone: what was held since waits for tomorrow's
            held = await uow.outbox.held_for(pid)
            lines = [f"{r.subject}: {r.body}" for r in held]
            batch.append(Notice(
                key=key, kind=NoticeKind.PERSONAL_DIGEST,
                subject=f"Your policy reminders for {day_month(today)}: {len(held)}", person_id=pid,
                body="Here is everything that needs you, in one message as you asked.", lines=tuple(lines)))
            for r in held:
                await uow.outbox.set(r.id, status="digested")
        report.queued = await _queue(uow, batch)
        run.queued, run.finished_at = report.queued, services.clock.now()
        await uow.commit()
    return report


async def sweep_meetings(services: Services, holder: str) -> SweepReport:
    """Meeting paperwork that falls due (papers at their deadline, actions chased, DOR-13 reports)."""
    report = SweepReport("meetings")
    preset = services.preset
    if not any(b.meeting for b in preset.bodies.values()):
        return report
    notices = await meetings.due_meeting_work(services, services.clock.now())
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("meetings", services.clock.now(), holder)
        before = len(notices)
        uow.notify(*notices)
        run.queued, run.finished_at = before, services.clock.now()
        report.queued = before
        await uow.commit()
    return report


async def sweep_manual(services: Services, holder: str) -> SweepReport:
    """Once a day: refresh the manual's index when due (weekly, or at once when a new update is
    published), and tell each owner which of their documents a new update touches (NCT-14)."""
    report = SweepReport("manual")
    if not services.config.manual_url:
        return report
    today = services.clock.today()
    async with services.uow() as uow:
        checked = await uow.kv.get("manual_refresh_checked") or {}
        had_index = await uow.manual.last_good_run() is not None
    if checked.get("on") == today.isoformat():
        return report
    result = await manual.refresh_if_due(services)
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("manual", services.clock.now(), holder)
        if had_index and result is not None and result.ok and result.new_amendments:  # the first sync is the baseline
            label = await uow.manual.latest_update_label()
            notices = await impact.amendment_notices(services, label)
            report.queued = await _queue(uow, [
                Notice(key=f"manual-update:{label}", kind=NoticeKind.MANUAL_UPDATE, subject=n.subject, body=n.body,
                       person_id=n.person_id) for n in notices])
        await uow.kv.put("manual_refresh_checked", {"on": today.isoformat(),
                                                    "result": result.status if result is not None else "not due"})
        run.queued, run.finished_at = report.queued, services.clock.now()
        await uow.commit()
    return report


async def sweep_demand(services: Services, holder: str) -> SweepReport:
    """Mondays: what staff looked for and did not find last week, to the PPO (issue 16). One key a week,
    so a sweep that runs twice queues it once."""
    report = SweepReport("demand")
    if services.clock.today().weekday() != 0:
        return report
    notices = await demand.digest_notices(services)
    async with services.uow() as uow:
        run = await uow.outbox.start_sweep("demand", services.clock.now(), holder)
        report.queued = await _queue(uow, notices)
        run.queued, run.finished_at = report.queued, services.clock.now()
        await uow.commit()
    return report


async def sweep_compliance(services: Services, holder: str) -> SweepReport:
    """Keep today's review-compliance figure, so the chart has a point for every day (issue 8)."""
    await record_compliance_snapshot(services)
    return SweepReport("compliance")


async def sweep_scheduled_updates(services: Services, holder: str) -> SweepReport:
    """NCT-4: each open scheduled-update case warned before its window closes, and moved on when it missed it."""
    out = await sweep_update_cases(services, holder)
    return SweepReport(out.name, out.queued)


SWEEPS = (sweep_compliance, sweep_cases, sweep_meetings, sweep_manual, sweep_reviews, sweep_update_window, sweep_digests,
          sweep_personal_digests, sweep_demand, sweep_scheduled_updates)


async def run_all(services: Services, holder: str) -> list[SweepReport]:
    reports = []
    for sweep in SWEEPS:
        try:
            reports.append(await sweep(services, holder))
        except Exception:  # noqa: BLE001 - one failing sweep must not stop the others; its run row stays unfinished
            log.exception("sweep %s failed", sweep.__name__)
    return reports
