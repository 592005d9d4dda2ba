"""Reports on the register: documents by status; reviews overdue and due in the next 30/60/90 days,
by service area and by owner; decisions taken this month (from the audit trail); review
compliance over time (daily snapshots, drawn as a PNG by render/reports.py).

Review compliance is the share of live (not retired) documents whose next review date has not
passed; a live document with no review date counts against it, since every document needs one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from governance.dates import month_year
from services.context import Services
from services.register.importing import STATUS_LABELS
from services.ports import ReportRow
from services.work import DocumentRow

WINDOWS = (30, 60, 90)
DECISIONS = {
    "approve": "Approved", "approve_with_conditions": "Approved with conditions", "approve_by_vote": "Approved by vote",
    "not_approved": "Not approved", "defer": "Deferred", "refer": "Referred", "agree_need": "Need agreed",
    "decline_need": "Need declined", "confirm_conditions_met": "Conditions met", "conditions_not_met": "Conditions not met",
    "decide_yes": "Decided yes", "decide_no": "Decided no", "withdraw": "Withdrawn", "no_change": "Reviewed, no changes",
}


@dataclass(frozen=True)
class ReviewLine:
    ref: str
    title: str
    doc_type: str
    service_area: str
    owner: str  # the RO, or the RSM standing in (NCT-1)
    due: date
    days: int  # days from today: negative when overdue


@dataclass(frozen=True)
class Tally:
    name: str
    overdue: int
    within: tuple[int, ...]  # due in 0-30, 31-60, 61-90 days


@dataclass(frozen=True)
class DecisionLine:
    at: datetime
    who: str
    ref: str
    title: str
    decision: str
    summary: str


@dataclass(frozen=True)
class CompliancePoint:
    on: date
    total: int
    in_date: int
    due_soon: int
    overdue: int
    no_date: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.in_date / self.total, 1) if self.total else 100.0


@dataclass(frozen=True)
class RegisterReport:
    today: date
    month: str
    by_status: tuple[tuple[str, int], ...]
    overdue: tuple[ReviewLine, ...]
    due: tuple[ReviewLine, ...]  # due today or later, soonest first
    by_area: tuple[Tally, ...]
    by_owner: tuple[Tally, ...]
    decisions: tuple[DecisionLine, ...]
    compliance: CompliancePoint
    history: tuple[CompliancePoint, ...]  # snapshots, ending with today

    def due_within(self, days: int) -> tuple[ReviewLine, ...]:
        return tuple(r for r in self.due if r.days <= days)


def _bucket(days: int) -> int | None:
    """Which window a review due in `days` days falls in (0 for overdue), None beyond them."""
    if days < 0:
        return 0
    for i, w in enumerate(WINDOWS, start=1):
        if days <= w:
            return i
    return None


def _tallies(lines: list[ReviewLine], key: Callable[[ReviewLine], str]) -> tuple[Tally, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * (len(WINDOWS) + 1))
    for r in lines:
        b = _bucket(r.days)
        if b is not None:
            counts[key(r)][b] += 1
    rows = [Tally(name, c[0], tuple(c[1:])) for name, c in counts.items()]
    rows.sort(key=lambda t: (-t.overdue, -sum(t.within), t.name))
    return tuple(rows)


def compliance_of(docs: Iterable[DocumentRow] | Iterable[ReportRow], today: date) -> CompliancePoint:
    live = [d for d in docs if d.status != "retired"]
    overdue = sum(1 for d in live if d.next_review_due and d.next_review_due < today)
    soon = sum(1 for d in live if d.next_review_due and 0 <= (d.next_review_due - today).days <= WINDOWS[0])
    no_date = sum(1 for d in live if d.next_review_due is None)
    return CompliancePoint(today, len(live), len(live) - overdue - no_date, soon, overdue, no_date)


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def register_report(services: Services, *, months_of_history: int = 12) -> RegisterReport:
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        repo = uow.register
        docs = await uow.due.report_rows()  # light rows, not the documents with their owners (100,000 of them)
        statuses = Counter(d.status for d in docs)
        lines = []
        for d in docs:
            if d.status == "retired" or d.next_review_due is None:
                continue
            lines.append(ReviewLine(d.ref, d.title, d.doc_type, d.service_area or "No service area",
                                    d.owner or "No owner", d.next_review_due, (d.next_review_due - today).days))
        lines.sort(key=lambda r: (r.due, r.ref))
        by_id = {d.id: d for d in docs}
        decisions = []
        for e in await repo.audit_between(_month_start(now), now + timedelta(seconds=1), list(DECISIONS)):
            about = by_id.get(int(e.entity_id)) if e.entity == "document" and e.entity_id.isdigit() else None
            decisions.append(DecisionLine(e.at, e.actor_name or "policybot", about.ref if about else e.entity_id,
                                          about.title if about else "", DECISIONS[e.action], e.summary))
        point = compliance_of(docs, today)
        since = today - timedelta(days=31 * months_of_history)
        history = [CompliancePoint(s.taken_on, s.total, s.in_date, s.due_soon, s.overdue, s.no_date)
                   for s in await repo.snapshots(since) if s.taken_on != today]
    order = {s: i for i, s in enumerate(STATUS_LABELS)}
    return RegisterReport(
        today=today, month=month_year(today),
        by_status=tuple((STATUS_LABELS.get(s, s.replace("_", " ").capitalize()), n)
                        for s, n in sorted(statuses.items(), key=lambda x: (order.get(x[0], 99), x[0]))),
        overdue=tuple(r for r in lines if r.days < 0),
        due=tuple(r for r in lines if r.days >= 0),
        by_area=_tallies(lines, lambda r: r.service_area),
        by_owner=_tallies(lines, lambda r: r.owner),
        decisions=tuple(decisions),
        compliance=point,
        history=tuple(history) + (point,),
    )


async def record_compliance_snapshot(services: Services) -> CompliancePoint:
    """Keep today's review compliance (once a day is enough; again the same day replaces it)."""
    today = services.clock.today()
    async with services.uow() as uow:
        repo = uow.register
        c = await uow.due.compliance_counts(today, today + timedelta(days=WINDOWS[0]))  # counted by the database
        point = CompliancePoint(today, c["total"], c["total"] - c["overdue"] - c["no_date"], c["due_soon"], c["overdue"], c["no_date"])
        await repo.put_snapshot(today, services.clock.now(), total=point.total, in_date=point.in_date,
                                due_soon=point.due_soon, overdue=point.overdue, no_date=point.no_date)
        await uow.commit()
    return point
