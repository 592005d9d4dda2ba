"""Which reminders, nudges and escalations are owed today. Pure: facts and a date in, a list out.

Every reminder carries an idempotency key built from what makes it unique (the document, the due
date it is about, the step), so asking again the same day, the next day or after a restart gives
the same keys, and the outbox sends each one once. When several steps of the same ladder have
passed (the bot was down, or the register was just imported), only the latest is owed: nobody
needs the 30-day reminder on the day the 7-day one is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from collections.abc import Iterable, Sequence

from governance.calendar import LONDON, WorkingCalendar, add_months, is_escalation_due
from governance.dates import month_year, weekday_date
from governance.preset import Preset, UpdateCycle

# Kinds that are nudges (paused with the organisation's pause; folded into a person's digest).
NUDGE_KINDS = frozenset({
    "review_due", "review_overdue", "review_escalation", "case_waiting", "conditions_waiting",
    "consultation_closing", "update_window",
})


# Who may pause every reminder for the organisation (e.g. over the Christmas closure).
PAUSE_ROLES = frozenset({"ppo", "head_of_qa", "policy_service", "governance_officer"})


def may_pause_nudges(roles: Iterable[str]) -> bool:
    return bool(set(roles) & PAUSE_ROLES)


@dataclass(frozen=True)
class DocFacts:
    ref: str
    title: str
    due: date | None  # "Next Review To Be Completed By"
    status: str = "published"


@dataclass(frozen=True)
class CaseFacts:
    id: int
    version: int
    ref: str
    title: str
    kind: str
    stage_label: str
    step: str
    waiting_for: tuple[str, ...]  # roles or person:<id>
    since: date  # the day the case last moved
    consult_deadline: date | None = None
    silent_consultees: tuple[str, ...] = ()


@dataclass(frozen=True)
class Owed:
    """A message owed to the holders of `to` (roles on the document, or person:<id>)."""

    key: str
    kind: str
    to: tuple[str, ...]
    subject: str
    body: str
    ref: str | None = None
    due_on: date | None = None
    case_id: int | None = None


def _d(d: date) -> str:
    return weekday_date(d)


def review_reminders(preset: Preset, doc: DocFacts, today: date, cal: WorkingCalendar) -> list[Owed]:
    """NCT-11 reminders before "Next Review To Be Completed By", the overdue notice, and the
    escalation ladder (DOR-12: more than two months late goes to the Head of QA)."""
    if doc.due is None or doc.status in ("retired", "withdrawn"):
        return []
    due = doc.due
    if today <= due:
        passed = [(cal.roll_back(due - timedelta(days=n)), n) for n in preset.reminder_offsets]
        passed = [(d, n) for d, n in passed if d <= today]
        if not passed:
            return []
        _, offset = max(passed, key=lambda p: (p[0], -p[1]))
        left = cal.working_days_between(today, due)
        when = "today" if due == today else f"in {left} working day{'s' if left != 1 else ''}"
        return [Owed(
            key=f"review-due:{doc.ref}:{due.isoformat()}:{offset}d", kind="review_due", to=("ro", "rsm"),
            subject=f"Review of {doc.ref} due by {_d(due)}",
            body=(f"{doc.ref} {doc.title} must be reviewed by {_d(due)} ({when}). "
                  f"You can start the review now: say 'review {doc.ref}'."),
            ref=doc.ref, due_on=due,
        )]
    steps = [(m, role) for m, role in preset.escalation_steps if is_escalation_due(due, today, m)]
    if steps:
        months, role = max(steps)
        return [Owed(
            key=f"review-escalation:{doc.ref}:{due.isoformat()}:{months}m", kind="review_escalation",
            to=(role, "ro"),
            subject=f"Escalation: review of {doc.ref} is more than {months} month{'s' if months != 1 else ''} overdue",
            body=(f"{doc.ref} {doc.title} was due for review by {_d(due)} and is still not done. "
                  f"It is escalated to the {preset.role_label(role)} under the organisation's process."),
            ref=doc.ref, due_on=due,
        )]
    return [Owed(
        key=f"review-overdue:{doc.ref}:{due.isoformat()}", kind="review_overdue", to=("ro", "rsm"),
        subject=f"Review of {doc.ref} is overdue",
        body=f"{doc.ref} {doc.title} was due for review by {_d(due)}. Say 'review {doc.ref}' to start it.",
        ref=doc.ref, due_on=due,
    )]


def case_nudges(case: CaseFacts, today: date, cal: WorkingCalendar, every_working_days: int = 5,
                consult_warning_days: int = 2) -> list[Owed]:
    """A case waiting on someone for too long is nudged every `every_working_days` working days;
    consultees who have not answered are reminded before the consultation closes (BCT-4/BCT-5)."""
    out: list[Owed] = []
    if case.consult_deadline and case.silent_consultees:
        warn = cal.add_working_days(case.consult_deadline, -consult_warning_days)
        if warn <= today <= case.consult_deadline:
            out.append(Owed(
                key=f"consultation-closing:{case.id}:{case.consult_deadline.isoformat()}", kind="consultation_closing",
                to=tuple(f"person:{p}" for p in case.silent_consultees),
                subject=f"Consultation on {case.ref} closes {_d(case.consult_deadline)}",
                body=(f"Please respond to the consultation on {case.ref} {case.title} by {_d(case.consult_deadline)}. "
                      f"If you do not respond by then, you will be recorded as agreeing (BCT-5)."),
                ref=case.ref, due_on=case.consult_deadline, case_id=case.id,
            ))
        return out
    waited = cal.working_days_between(case.since, today)
    if every_working_days <= 0 or waited < every_working_days or not case.waiting_for:
        return out
    round_ = waited // every_working_days
    kind = "conditions_waiting" if case.step in ("conditions", "checking") else "case_waiting"
    what = "the conditions of its approval" if kind == "conditions_waiting" else case.stage_label.lower()
    out.append(Owed(
        key=f"case-waiting:{case.id}:v{case.version}:{round_}", kind=kind, to=case.waiting_for,
        subject=f"Case {case.id} ({case.ref}) has waited {waited} working days for you",
        body=(f"{case.ref} {case.title} is waiting for {what} since {_d(case.since)} "
              f"({waited} working days). Say 'case {case.id}' to act on it."),
        ref=case.ref, case_id=case.id,
    ))
    return out


def update_window(cycle: UpdateCycle, submission_deadline: date, today: date, cal: WorkingCalendar,
                  final_warning_working_days: int = 5) -> str | None:
    """NCT-2/NCT-4: which message of a scheduled update is owed today: 'open' from the start of the
    review window (review_weeks before the submission deadline), 'final' in its last working days,
    or None."""
    if today > submission_deadline:
        return None
    final = cal.add_working_days(submission_deadline, -final_warning_working_days)
    if today >= final:
        return "final"
    if today >= submission_deadline - timedelta(weeks=cycle.review_weeks):
        return "open"
    return None


def in_update(cycle: UpdateCycle, submission_deadline: date, review_due: date) -> bool:
    """NCT-4: a document whose review falls before the update after this one must go in this one
    (a miss waits for the next update, up to `next_update_months` later)."""
    return review_due <= add_months(submission_deadline, cycle.next_update_months)


def update_window_message(cycle: UpdateCycle, deadline: date, stage: str, refs: Sequence[tuple[str, str]]) -> tuple[str, str]:
    lines = "; ".join(f"{r} {t}" for r, t in refs)
    head = "closes soon" if stage == "final" else "is open"
    nxt = add_months(deadline, cycle.next_update_months)
    return (
        f"The manual update window {head}: submit by {_d(deadline)}",
        (f"Changes for the next manual update must be approved and submitted by {_d(deadline)}. "
         f"Your documents due in this cycle: {lines}. A change that misses the deadline waits for the next "
         f"update, which may not be until {month_year(nxt)} (NCT-4)."),
    )


def previous_week(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week before today's."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday - timedelta(days=1)


def previous_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    last = first - timedelta(days=1)
    return last.replace(day=1), last


def digest_due(kind: str, today: date, cal: WorkingCalendar) -> tuple[str, date, date] | None:
    """A digest owed today: the first working day of the week (weekly_published, BCT-9) or of the
    month (monthly_approved, DOR-13). Returns (key, period start, period end); after downtime the
    same key is owed on the following days of that week or month, so it is sent once, late."""
    if kind == "weekly_published":
        monday = today - timedelta(days=today.weekday())
        if today < cal.roll_forward(monday):
            return None
        start, end = previous_week(today)
        iso = start.isocalendar()
        return f"digest:weekly_published:{iso.year}-W{iso.week:02d}", start, end
    if kind == "monthly_approved":
        if today < cal.roll_forward(today.replace(day=1)):
            return None
        start, end = previous_month(today)
        return f"digest:monthly_approved:{start:%Y-%m}", start, end
    raise ValueError(f"unknown digest {kind!r}")


def send_window(now: datetime, cal: WorkingCalendar, opens: time = time(9, 0), closes: time = time(17, 30)) -> datetime:
    """When a nudge may go out: now if it is within working hours on a working day, else the next
    opening (London time). Decisions people are waiting for are not held; nudges are."""
    local = now.astimezone(LONDON)
    d = local.date()
    if cal.is_working_day(d) and opens <= local.time() < closes:
        return now
    if cal.is_working_day(d) and local.time() < opens:
        return datetime.combine(d, opens, LONDON)
    nxt = cal.add_working_days(d, 1)
    return datetime.combine(nxt, opens, LONDON)


def in_quiet_hours(now: datetime, quiet: tuple[time, time] | None) -> datetime | None:
    """If `now` is inside a person's quiet hours (start, end; may cross midnight), when they end."""
    if not quiet:
        return None
    start, end = quiet
    local = now.astimezone(LONDON)
    t = local.time()
    if start == end:
        return None
    if start < end:
        inside = start <= t < end
        ends = datetime.combine(local.date(), end, LONDON)
    else:
        inside = t >= start or t < end
        ends = datetime.combine(local.date() + timedelta(days=1 if t >= start else 0), end, LONDON)
    return ends if inside else None


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """'18:00-08:00', '6pm to 8am', '18:00 to 8:00' -> (start, end)."""
    import re

    parts = re.split(r"\s*(?:-|–|to|until)\s*", text.strip().lower())
    if len(parts) != 2:
        raise ValueError("say quiet hours as a start and an end, for example '18:00 to 08:00'")
    return _clock_time(parts[0]), _clock_time(parts[1])


def _clock_time(s: str) -> time:
    import re

    m = re.fullmatch(r"(\d{1,2})(?::|\.)?(\d{2})?\s*(am|pm)?", s.strip())
    if not m:
        raise ValueError(f"'{s}' is not a time: use 18:00 or 6pm")
    h, mnt, ampm = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if ampm == "pm" and h < 12:
        h += 12
    if ampm == "am" and h == 12:
        h = 0
    if h > 23 or mnt > 59:
        raise ValueError(f"'{s}' is not a time of day")
    return time(h, mnt)
