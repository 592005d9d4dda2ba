"""What nobody found (issue 16 item 5): questions with no good match, answers marked "Not what I
needed", and new-document requests that found nothing, grouped by topic, for the policy team.

They go into a weekly digest to the PPO (top topics, counts, example questions, the closest
chapters, one press to turn a topic into a new-document request), `policybot report demand`
(CSV and .xlsx with a chart), and a "gaps" section in the forward plan of the body that keeps one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from governance.dates import short_date
from governance.preset import Preset
from services.context import Services
from services.ports import Notice, NoticeKind, Sheet, Workbook
from services.manual.feedback import CHANNEL_PREFIX
from services.work import AnswerRow, Work

WEEK = timedelta(days=7)
TOP = 5  # topics in the digest
REQUEST_WORDS = "request a new document on"  # the new-document dialog's own words (render.search.REQUEST_PHRASE)
KIND_LABEL = {"nothing": "found nothing", "weak": "only a weak match", "request": "request that found nothing",
              "not_helpful": "not what I needed"}


@dataclass(frozen=True)
class DemandTopic:
    topic: str
    times: int
    people: int
    by_kind: tuple[tuple[str, int], ...]  # (kind, times), most first
    examples: tuple[str, ...]  # what people asked, as they asked it
    looking_for: tuple[str, ...]  # the "what were you looking for?" lines
    closest: tuple[str, ...]  # the nearest chapters shown
    last: datetime

    @property
    def request_command(self) -> str:
        return f"{REQUEST_WORDS} {self.topic}"[:200]


async def _directory_ids(uow: Work, ids: set[str]) -> dict[str, str]:
    """One person, once: an asker kept by their channel id ("channel:<Teams AAD id or email address>",
    recorded before they were known, or by a dialog that did not look them up) becomes their
    directory id when the directory now knows that id."""
    out: dict[str, str] = {}
    for pid in ids:
        if not pid.startswith(CHANNEL_PREFIX):
            continue
        said = pid[len(CHANNEL_PREFIX):]
        person = await uow.people.by_aad(said) or (await uow.people.by_email(said.lower()) if "@" in said else None)
        if person is not None:
            out[pid] = person.id
    return out


def _kind(row: AnswerRow) -> str:
    return "not_helpful" if row.feedback == "not_helpful" else row.outcome


async def demand(services: Services, days: int = 7) -> list[DemandTopic]:
    """Unmet questions of the last `days` days, by topic, most asked first."""
    since = services.clock.now() - timedelta(days=days)
    async with services.uow() as uow:
        rows = await uow.answers.unmet(since)
        who = await _directory_ids(uow, {r.person_id for r in rows if r.person_id})
    groups: dict[str, list[AnswerRow]] = {}
    for r in rows:
        groups.setdefault(" ".join(r.topic.lower().split()), []).append(r)
    out = []
    for rows_ in groups.values():
        kinds = Counter(_kind(r) for r in rows_)
        closest = Counter(t for r in rows_ for t in (r.closest or [])[:2])
        out.append(DemandTopic(
            topic=rows_[0].topic, times=len(rows_), people=len({who.get(r.person_id or "", r.person_id) for r in rows_}),
            by_kind=tuple(kinds.most_common()),
            examples=tuple(dict.fromkeys(r.question for r in reversed(rows_)))[:3],
            looking_for=tuple(dict.fromkeys(r.feedback_note for r in rows_ if r.feedback_note))[:3],
            closest=tuple(t for t, _ in closest.most_common(3)), last=max(r.at for r in rows_)))
    out.sort(key=lambda t: (-t.times, -t.people, t.topic.lower()))
    return out


def topic_line(t: DemandTopic) -> str:
    kinds = ", ".join(f"{n} {KIND_LABEL.get(k, k)}" for k, n in t.by_kind)
    said = "; ".join(f"\"{q}\"" for q in t.examples)
    near = f" Closest: {', '.join(t.closest)}." if t.closest else " Nothing close in the manual."
    wanted = f" Looking for: {'; '.join(t.looking_for)}." if t.looking_for else ""
    return f"{t.topic}: asked {t.times} time{'s' if t.times != 1 else ''} by {t.people} ({kinds}). e.g. {said}.{near}{wanted}"


async def digest_notices(services: Services, days: int = 7) -> list[Notice]:
    """The weekly digest to each PPO: the top topics, with one press each to request a document."""
    topics = (await demand(services, days))[:TOP]
    if not topics:
        return []
    async with services.uow() as uow:
        ppos = [p for p in await uow.people.with_role("ppo") if getattr(p, "active", True)]
    year, week, _ = services.clock.today().isocalendar()
    subject = "What staff looked for and did not find this week"
    body = (f"{sum(t.times for t in topics)} questions in the last {days} days found nothing, only a weak match, or "
            "were marked 'Not what I needed'. The top topics are below; each can become a new-document request.")
    return [Notice(key=f"demand:{year}-W{week:02d}", kind=NoticeKind.DEMAND_DIGEST, subject=subject, body=body,
                   person_id=p.id, lines=tuple(topic_line(t) for t in topics),
                   payload={"requests": [t.request_command for t in topics]}) for p in ppos]


GAPS_DAYS = 30


def governance_body(preset: Preset) -> str | None:
    """The body whose forward plan shows the gaps: the first body that meets and refers upwards to no
    one below it (the policy group, not the leadership team above it). None when no body meets."""
    bodies = list(preset.bodies.values())
    higher = {b.higher_body for b in bodies if b.higher_body}
    meeting = [b for b in bodies if b.meeting is not None and b.id not in higher]
    return meeting[0].id if meeting else None


async def gaps(services: Services, body_id: str) -> tuple[str, ...]:
    """The forward plan's "gaps" section for the governance body: the top topics of the last 30 days."""
    if body_id != governance_body(services.preset):
        return ()
    return tuple(topic_line(t) for t in (await demand(services, GAPS_DAYS))[:TOP])


def demand_workbook(topics: list[DemandTopic], days: int, name: str = "demand") -> Workbook:
    """The report as a workbook: one row per topic, a bar chart of the questions per topic (.xlsx)."""
    head = ("Topic", "Times asked", "People", "Found nothing", "Weak match", "Not what I needed",
            "Requests that found nothing", "Example questions", "What they were looking for", "Closest chapters", "Last asked")
    rows: list[tuple[str | int, ...]] = [head]
    for t in topics:
        kinds = dict(t.by_kind)
        rows.append((t.topic, t.times, t.people, kinds.get("nothing", 0), kinds.get("weak", 0), kinds.get("not_helpful", 0),
                     kinds.get("request", 0), " | ".join(t.examples), " | ".join(t.looking_for), " | ".join(t.closest),
                     short_date(t.last)))
    sheet = Sheet(f"Last {days} days", tuple(rows), heading_row=0, bar_chart=(0, 1, "Questions not answered, by topic"))
    return Workbook(f"{name}.xlsx", (sheet,), "xlsx")
