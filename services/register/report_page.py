"""The reports page (issue 23): review compliance over time, reviews by service area, approvals per
month, this month's decisions, documents by status, and what nobody found (the demand report of
issue 16), for anyone in the directory.

Every figure is counted by the database (a few grouped queries returning small rows), so the page
costs the same at 100,000 documents as at 500; `register_report` (the chat's and the CLI's fuller
report, with every line due) is not used here. The demand report's example questions are what
staff typed: they are shown to the policy team only (as the weekly digest goes to the PPO); everyone
else sees the topics and their counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from governance.dates import month_year
from governance.permissions import in_policy_team
from services.context import Services
from services.manual.demand import DemandTopic, demand
from services.register.importing import STATUS_LABELS
from services.register.listing import LISTING, MonthOfDecisions, decisions_by_month, signed_in
from services.register.reports import DECISIONS, WINDOWS, CompliancePoint, DecisionLine, Tally

DEMAND_DAYS = 30  # as `policybot report demand` counts by default
DEMAND_CHARTED = 10  # topics drawn in the chart; the table lists them all
NO_AREA = "No service area"


@dataclass(frozen=True)
class DemandRow:
    """One topic of the demand report as the page shows it."""

    topic: str
    times: int
    people: int
    kinds: tuple[int, ...]  # times per DEMAND_KINDS, in that order
    closest: tuple[str, ...]
    last: date
    examples: tuple[str, ...]  # empty unless the viewer is in the policy team
    looking_for: tuple[str, ...]


DEMAND_KINDS = ("nothing", "weak", "not_helpful", "request")
DEMAND_KIND_LABELS = ("Found nothing", "Weak match", "Not what I needed", "Requests that found nothing")  # as the .xlsx


@dataclass(frozen=True)
class ReportsPage:
    today: date
    month: str
    by_status: tuple[tuple[str, int], ...]
    by_area: tuple[Tally, ...]
    decisions: tuple[DecisionLine, ...]
    compliance: CompliancePoint
    history: tuple[CompliancePoint, ...]  # snapshots, ending with today
    months: tuple[MonthOfDecisions, ...]
    demand: tuple[DemandRow, ...]
    demand_days: int
    sees_questions: bool  # the policy team sees what people asked


def _tallies(rows: list[tuple[str | None, tuple[int, ...]]]) -> tuple[Tally, ...]:
    merged: dict[str, list[int]] = {}
    for area, counts in rows:
        into = merged.setdefault(area or NO_AREA, [0] * len(counts))
        for i, n in enumerate(counts):
            into[i] += n
    out = [Tally(name, c[0], tuple(c[1:])) for name, c in merged.items() if any(c)]
    out.sort(key=lambda t: (-t.overdue, -sum(t.within), t.name))
    return tuple(out)


def _demand_row(t: DemandTopic, *, questions: bool) -> DemandRow:
    kinds = dict(t.by_kind)
    return DemandRow(t.topic, t.times, t.people, tuple(kinds.get(k, 0) for k in DEMAND_KINDS), t.closest,
                     t.last.date(), t.examples if questions else (), t.looking_for if questions else ())


async def reports_page(services: Services, person_id: str, *, months_of_history: int = 12) -> ReportsPage:
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        person = await signed_in(uow, person_id)
        repo = services.adapters[LISTING](uow)
        statuses = await repo.status_counts()
        areas = await repo.review_windows_by_area(today, WINDOWS)
        c = await uow.due.compliance_counts(today, today + timedelta(days=WINDOWS[0]))
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        entries = await uow.register.audit_between(start, now + timedelta(seconds=1), list(DECISIONS))
        ids = [int(e.entity_id) for e in entries if e.entity == "document" and e.entity_id.isdigit()]
        names = await repo.refs_of(sorted(set(ids)))
        since = today - timedelta(days=31 * months_of_history)
        snapshots = [s for s in await uow.register.snapshots(since) if s.taken_on != today]
    decisions = []
    for e in entries:
        ref, title = names.get(int(e.entity_id), (e.entity_id, "")) if e.entity == "document" and e.entity_id.isdigit() \
            else (e.entity_id, "")
        decisions.append(DecisionLine(e.at, e.actor_name or "policybot", ref, title, DECISIONS[e.action], e.summary))
    point = CompliancePoint(today, c["total"], c["total"] - c["overdue"] - c["no_date"], c["due_soon"], c["overdue"], c["no_date"])
    order = {s: i for i, s in enumerate(STATUS_LABELS)}
    questions = in_policy_team(person.role_names)
    topics = await demand(services, DEMAND_DAYS)
    return ReportsPage(
        today=today, month=month_year(today),
        by_status=tuple((STATUS_LABELS.get(s, s.replace("_", " ").capitalize()), n)
                        for s, n in sorted(statuses, key=lambda x: (order.get(x[0], 99), x[0]))),
        by_area=_tallies(areas), decisions=tuple(decisions), compliance=point,
        history=tuple(CompliancePoint(s.taken_on, s.total, s.in_date, s.due_soon, s.overdue, s.no_date) for s in snapshots) + (point,),
        months=await decisions_by_month(services, person_id),
        demand=tuple(_demand_row(t, questions=questions) for t in topics), demand_days=DEMAND_DAYS, sees_questions=questions,
    )
