"""Plain views of stored records, handed to the renderers (no ORM objects leave services)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from governance.calendar import review_state

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    email: str | None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentView:
    id: int
    ref: str
    title: str
    doc_type: str
    category: str | None
    service_area: str | None
    status: str
    version: str | None
    approved_on: date | None
    last_reviewed_on: date | None
    next_review_due: date | None
    manual_url: str | None
    ro: PersonView | None
    rsm: PersonView | None
    summary: str | None = None
    ro_is_rsm_standing_in: bool = False
    own_columns: tuple[tuple[str, str], ...] = ()  # the organisation's own tracker columns (heading, value)
    publisher: tuple[tuple[str, str], ...] = ()  # NCT-10: (what, when) with the manual's publisher

    def review_state(self, today: date) -> str:
        """overdue | due_soon | ok | none — how the review date stands today (governance decides)."""
        if self.status == "retired":
            return "none"
        return review_state(self.next_review_due, today, DUE_SOON_DAYS)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    action: str
    summary: str
    reason: str | None = None


@dataclass(frozen=True)
class AssetView:
    """A form or other asset a document governs (DOR-14)."""

    ref: str
    kind: str
    title: str
    location: str | None = None
    owner: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DocumentDetail:
    document: DocumentView
    history: tuple[HistoryLine, ...] = field(default_factory=tuple)
    assets: tuple[AssetView, ...] = field(default_factory=tuple)  # DOR-14: to update when it changes
    open_cases: tuple[tuple[str, str], ...] = ()  # each open case, with its update deadline (NCT-4, NCT-17)


@dataclass(frozen=True)
class SearchHit:
    document: DocumentView
    score: float
    matched: tuple[str, ...]
