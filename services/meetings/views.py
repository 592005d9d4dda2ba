"""Read-only views of meetings for rendering (no ORM objects leave the services)."""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, field
from datetime import date, datetime

from governance.meetings import Deadlines


@dataclass(frozen=True)
class ItemView:
    id: int
    number: int
    title: str
    ref: str | None
    kind: str
    section: str
    owner_id: str | None
    owner_name: str | None
    has_papers: bool
    outcome: str | None = None
    outcome_label: str | None = None
    outcome_note: str | None = None
    carried: bool = False


@dataclass(frozen=True)
class ActionView:
    id: int
    text: str
    owner_name: str
    due: date | None
    done: bool
    overdue: bool = False


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class AgendaView:
    body_id: str
    body_name: str
    meeting_id: int
    meeting_on: date
    starts_at: datetime
    status: str
    one_off: bool
    deadlines: Deadlines
    sections: tuple[SectionView, ...]
    actions: tuple[ActionView, ...]
    papers_sent: bool
    drafts: tuple[str, ...] = ()  # the current drafts that go with the papers
    comments: tuple[str, ...] = ()  # BCT-6: the consultation comments that go with them

    @property
    def items(self) -> list[ItemView]:
        return [i for s in self.sections for i in s.items if i.id]

    def item(self, number: int) -> ItemView | None:
        return next((i for i in self.items if i.number == number), None)


@dataclass(frozen=True)
class AttendanceLine:
    name: str
    status: str
    delegate: str | None = None


@dataclass(frozen=True)
class MinutesView:
    agenda: AgendaView
    attendance: tuple[AttendanceLine, ...]
    short: tuple[str, ...]  # DOR-11 shortfalls, as sentences
    actions: tuple[ActionView, ...]
    notes: str | None = None


@dataclass(frozen=True)
class ReportView:
    """DOR-13: approved documents and exceptions for a period (one meeting, a month, a year)."""

    kind: str
    body_name: str
    start: date
    end: date
    approved: tuple[str, ...]
    exceptions: tuple[str, ...]
    meetings_held: int = 0
    short_meetings: int = 0


@dataclass(frozen=True)
class Placement:
    body_name: str
    title: str
    meeting_on: date | None
    deadlines: Deadlines | None
    item_id: int | None
    already: bool = False
    notices: tuple[Any, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PlanLine:
    """One entry of a body's forward plan: what it has still to consider, and when."""
    title: str
    kind: str
    meeting_on: date | None
    referred_from: str | None
    status: str | None = None  # BCT-4: "under consultation until 27 November 2026"


@dataclass(frozen=True)
class PlanView:
    body_id: str
    body_name: str
    lines: tuple[PlanLine, ...]
    gaps: tuple[str, ...] = ()  # what staff looked for in the manual and did not find (issue 16), by topic
