"""The register as pages: one page of documents filtered, searched, sorted and paged; the same rows
for an export exactly as filtered; one document with its versions, history and open case.

Who may see what is decided here from the person the session vouches for (never from the URL or a
form): everyone in the directory may read the register and a document's history (as in chat);
the draft versions are for the document's owners, the people its open case involves and the
policy team; a case's buttons are only those the person's roles allow (governance decides).

The repository is reached through `services.adapters[LISTING]` (a callable taking the unit of work),
which `bot/tab` installs, so this module imports nothing from `store/`.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from governance.calendar import WorkingCalendar
from governance.dates import month_year
from governance.errors import NotAllowed
from governance import permissions as gp
from services.cases.lifecycle import CaseView, case_view_for_person
from services.context import Services
from services.manual.impact import ImpactItem, affected_by_document
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.register.documents import document_detail, document_view, person_view
from services.register.importing import ORG_COLUMNS, STATUS_LABELS
from services.views import DUE_SOON_DAYS, DocumentDetail, DocumentView, PersonView
from services.work import CaseRow, DocumentRow, PersonRow, Work

LISTING = "register_listing"
PAGE_SIZES = (25, 50, 100, 200)
SORTS = {"ref": "Reference", "title": "Title", "type": "Type", "status": "Status", "area": "Service area",
         "owner": "Owner", "last_review": "Last review", "next_review": "Next review"}
REVIEW_FILTERS = {"overdue": "Overdue", "due_soon": f"Due within {DUE_SOON_DAYS} days"}
EXPORT_LIMIT = 100_000
MAX_TEXT = 200
RELATED_SHOWN = 8


@dataclass(frozen=True)
class RegisterQuery:
    """The register page's question, read from its address (every value checked)."""

    owner: str = ""
    area: str = ""
    doc_type: str = ""
    status: str = ""
    review: str = ""
    q: str = ""
    sort: str = "next_review"
    descending: bool = False
    page: int = 1
    size: int = 50

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string that asks this question again (with some changes), defaults left out."""
        me = replace(self, **changes)
        out = {"owner": me.owner, "area": me.area, "type": me.doc_type, "status": me.status, "review": me.review,
               "q": me.q, "sort": me.sort if me.sort != "next_review" else "", "desc": "1" if me.descending else "",
               "page": str(me.page) if me.page != 1 else "", "size": str(me.size) if me.size != 50 else ""}
        return {k: v for k, v in out.items() if v}

    @property
    def filtered(self) -> bool:
        return any((self.owner, self.area, self.doc_type, self.status, self.review, self.q))


def _one(params: Mapping[str, str], key: str) -> str:
    value = (params.get(key) or "").strip()
    if len(value) > MAX_TEXT:
        raise BadInput(f"The {key} filter is too long (at most {MAX_TEXT} characters).")
    return value


def read_query(params: Mapping[str, str]) -> RegisterQuery:
    """The page's query string as a RegisterQuery, or BadInput with a sentence saying what is wrong."""
    sort = _one(params, "sort") or "next_review"
    if sort not in SORTS:
        raise BadInput(f"The register cannot be sorted by {sort!r}; choose one of: {', '.join(SORTS)}.")
    review = _one(params, "review")
    if review and review not in REVIEW_FILTERS:
        raise BadInput(f"The review filter must be overdue or due_soon, not {review!r}.")
    try:
        page = int(_one(params, "page") or 1)
        size = int(_one(params, "size") or 50)
    except ValueError:
        raise BadInput("The page and page size must be whole numbers.") from None
    if page < 1:
        raise BadInput("Pages are numbered from 1.")
    if size not in PAGE_SIZES:
        raise BadInput(f"The page size must be one of {', '.join(map(str, PAGE_SIZES))}.")
    return RegisterQuery(owner=_one(params, "owner"), area=_one(params, "area"), doc_type=_one(params, "type"),
                         status=_one(params, "status"), review=review, q=_one(params, "q"), sort=sort,
                         descending=_one(params, "desc") in ("1", "true", "yes"), page=page, size=size)


@dataclass(frozen=True)
class RegisterRow:
    document: DocumentView
    state: str  # overdue | due_soon | ok | none
    days: int | None  # calendar days to the next review (negative: overdue)
    working_days: int | None  # UK working days to it (negative: overdue)


@dataclass(frozen=True)
class RegisterPage:
    today: date
    query: RegisterQuery
    rows: tuple[RegisterRow, ...]
    total: int
    pages: int
    owners: tuple[tuple[str, str], ...]
    areas: tuple[str, ...]
    types: tuple[str, ...]
    statuses: tuple[tuple[str, str], ...]

    @property
    def first(self) -> int:
        return (self.query.page - 1) * self.query.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def calendar_of(services: Services) -> WorkingCalendar:
    return WorkingCalendar(services.preset.nation)


def working_days_to(cal: WorkingCalendar, today: date, dues: Iterable[date | None]) -> dict[date, int]:
    """UK working days from today to each date (negative when past), counted once over the span
    they cover (a cumulative count), not day by day for each of thousands of documents."""
    known = {d for d in dues if d is not None}
    if not known:
        return {}
    start, end = min(known | {today}), max(known | {today})
    counts: dict[date, int] = {}
    running, day = 0, start
    while day <= end:
        if day != start and cal.is_working_day(day):
            running += 1
        counts[day] = running
        day += timedelta(days=1)
    return {d: counts[d] - counts[today] for d in known}


def register_row(d: DocumentView, today: date, cal: WorkingCalendar, counted: dict[date, int] | None = None) -> RegisterRow:
    due = d.next_review_due
    state = d.review_state(today)
    if due is None:
        return RegisterRow(d, state, None, None)
    working = counted[due] if counted is not None and due in counted else cal.working_days_between(today, due)
    return RegisterRow(d, state, (due - today).days, working)


def register_rows_of(views: list[DocumentView], today: date, cal: WorkingCalendar) -> tuple[RegisterRow, ...]:
    counted = working_days_to(cal, today, [v.next_review_due for v in views])
    return tuple(register_row(v, today, cal, counted) for v in views)


async def signed_in(uow: Work, person_id: str) -> PersonRow:
    """The person a session names, if they are still in the directory and active."""
    person = await uow.people.get(person_id) if person_id else None
    if person is None or not person.active:
        raise UnknownPerson("You are not in policybot's directory (or no longer active). "
                            "Ask your Policy and Procedures Officer to add you.")
    return person


def _criteria(q: RegisterQuery, today: date, *, paged: bool) -> dict[str, Any]:
    return dict(owner=q.owner or None, area=q.area or None, doc_type=q.doc_type or None, status=q.status or None,
                q=q.q or None, review=q.review or None, today=today, due_soon_days=DUE_SOON_DAYS, sort=q.sort,
                descending=q.descending, offset=(q.page - 1) * q.size if paged else 0,
                limit=q.size if paged else EXPORT_LIMIT)


async def register_page(services: Services, person_id: str, query: RegisterQuery) -> RegisterPage:
    today = services.clock.today()
    cal = calendar_of(services)
    async with services.uow() as uow:
        await signed_in(uow, person_id)
        repo = services.adapters[LISTING](uow)
        docs, total = await repo.page(**_criteria(query, today, paged=True))
        pages = max(1, math.ceil(total / query.size))
        if query.page > pages and total:
            raise BadInput(f"There are only {pages} pages of documents for this search.")
        choices = await repo.choices()
        rows = register_rows_of([document_view(d) for d in docs], today, cal)
    return RegisterPage(
        today=today, query=query, rows=rows, total=total, pages=pages, owners=tuple(choices["owners"]),
        areas=tuple(choices["areas"]), types=tuple(choices["types"]),
        statuses=tuple((s, STATUS_LABELS.get(s, s.replace("_", " ").capitalize())) for s in choices["statuses"]),
    )


async def register_rows(services: Services, person_id: str, query: RegisterQuery) -> tuple[date, tuple[RegisterRow, ...]]:
    """Every row the query matches (all pages), in its order: for the .xlsx and CSV exports."""
    today = services.clock.today()
    cal = calendar_of(services)
    async with services.uow() as uow:
        await signed_in(uow, person_id)
        docs, _total = await services.adapters[LISTING](uow).page(**_criteria(query, today, paged=False))
        return today, register_rows_of([document_view(d) for d in docs], today, cal)


# ------------------------------------------------------------------ one document

@dataclass(frozen=True)
class DraftLine:
    number: int
    filename: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    insertions: int
    deletions: int
    case_id: int | None


@dataclass(frozen=True)
class DocumentPage:
    today: date
    viewer: PersonView
    detail: DocumentDetail
    row: RegisterRow
    attributes: tuple[tuple[str, str], ...]  # the organisation's own columns (documents.extra)
    other_rsms: tuple[str, ...]
    drafts: tuple[DraftLine, ...]
    may_see_drafts: bool
    cases: tuple[CaseView, ...]  # open cases, as this person sees them (with their buttons)
    related: tuple[ImpactItem, ...] | None = None  # NCT-14: what a change to it is likely to touch (when asked)


def may_see_drafts(person: PersonRow, doc: DocumentRow, case_people: set[str]) -> bool:
    rsms = {doc.rsm_id, *((doc.extra or {}).get("other_rsm_ids") or [])}
    return gp.may_see_drafts(person.id, person.role_names, {doc.ro_id, *rsms}, case_people)


def _case_people(rows: Iterable[CaseRow]) -> set[str]:
    """Everyone an open case names (requester, consultees, people it waits on)."""
    out: set[str] = set()
    for row in rows:
        state = row.state or {}
        if state.get("requester"):
            out.add(state["requester"])
        for ids in (state.get("participants") or {}).values():
            out.update(ids or ())
        out.update(w[7:] for w in row.waiting_for or () if str(w).startswith("person:"))
    return out


async def may_see_drafts_of(uow: Work, person: PersonRow, doc: DocumentRow) -> bool:
    return may_see_drafts(person, doc, _case_people(await uow.cases.open_for_document(doc.id)))


async def document_page(services: Services, person_id: str, ref: str, *, related: bool = False) -> DocumentPage:
    """One document as this person may see it; with `related`, also what a change to it is likely to
    touch (NCT-14: it reads the whole manual index, so only when asked)."""
    today = services.clock.today()
    async with services.uow() as uow:
        person = await signed_in(uow, person_id)
        detail = await document_detail(uow, ref)
        doc = await uow.documents.get(detail.document.id)
        if doc is None:  # document_detail has just found it
            raise NotFound(f"I can't find a document with the reference {ref}.")
        open_rows = await uow.cases.open_for_document(doc.id)
        allowed = may_see_drafts(person, doc, _case_people(open_rows))
        drafts = await services.adapters[LISTING](uow).draft_list(doc.id) if allowed else []
        extra = doc.extra or {}
        attributes = tuple((str(k), str(v)) for k, v in (extra.get(ORG_COLUMNS) or {}).items() if v not in (None, ""))
        other = [p.name for p in await uow.people.many(extra.get("other_rsm_ids") or [])]
        viewer = person_view(person)
        case_ids = [r.id for r in open_rows]
    cases = tuple([await case_view_for_person(services, person_id, cid) for cid in case_ids])
    found = (await affected_by_document(services, detail.document.ref, limit=RELATED_SHOWN)).items if related else None
    return DocumentPage(
        today=today, viewer=viewer, detail=detail, row=register_row(detail.document, today, calendar_of(services)),
        attributes=attributes, other_rsms=tuple(other), drafts=tuple(DraftLine(*d) for d in drafts),
        may_see_drafts=allowed, cases=cases, related=tuple(found) if found is not None else None,
    )


async def draft_download(services: Services, person_id: str, ref: str, number: int) -> tuple[str, bytes]:
    """A draft version's file, for the people who may see the drafts (refused for anyone else)."""
    async with services.uow() as uow:
        person = await signed_in(uow, person_id)
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"There is no document {ref!r}.")
        open_rows = await uow.cases.open_for_document(doc.id)
        if not may_see_drafts(person, doc, _case_people(open_rows)):
            raise NotPermitted(f"The drafts of {doc.ref} are for its owners, the people its review involves "
                               "and the policy team.")
        found = await services.adapters[LISTING](uow).draft_file(doc.id, number)
    if found is None:
        raise NotFound(f"{ref} has no draft version {number}.")
    name, sha = found
    files = services.adapters["files"]
    if not files.exists(sha):
        raise NotFound(f"The file of {ref} draft version {number} is missing from the data folder; "
                       "restore it from the last backup (policybot restore).")
    return name, await asyncio.to_thread(files.read, sha)


# ------------------------------------------------------------------ acting from the page

@dataclass(frozen=True)
class PageAction:
    """A decision from a page's form, checked against the case as this person sees it now."""

    case_id: int
    action: str
    version: int
    text: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


async def check_page_action(services: Services, person_id: str, action: PageAction) -> CaseView:
    """Refuse early (before the use case) a form for a case this person may not act on: the
    buttons offered are recomputed from their roles, so a forged form finds no button."""
    view = await case_view_for_person(services, person_id, action.case_id)
    if action.action not in {a.id for a in view.actions}:
        raise NotPermitted("You cannot do that on this case: it is not waiting for you, or not for that decision.")
    if action.version != view.version:
        raise NotAllowed("The case has moved on since this page was opened. Here is where it stands now.")
    return view


# ------------------------------------------------------------------ approvals per month (reports)

APPROVED = ("approve", "approve_with_conditions", "approve_by_vote")
NOT_YET = ("defer", "refer", "not_approved", "conditions_not_met")


@dataclass(frozen=True)
class MonthOfDecisions:
    month: str  # "November 2026"
    approved: int
    with_conditions: int
    not_yet: int  # deferred, referred, returned to the author, conditions not met


async def decisions_by_month(services: Services, person_id: str, months: int = 12) -> tuple[MonthOfDecisions, ...]:
    """Approvals per month over the last `months` months, oldest first (from the audit log)."""
    now = services.clock.now()
    year, month = now.year, now.month
    for _ in range(months - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    start = now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
    async with services.uow() as uow:
        await signed_in(uow, person_id)
        found = await services.adapters[LISTING](uow).decisions_since(start, [*APPROVED, *NOT_YET])
    counts: dict[tuple[int, int], list[int]] = {}
    y, m = year, month
    for _ in range(months):
        counts[(y, m)] = [0, 0, 0]
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    for at, action in found:
        local = at.astimezone(now.tzinfo)
        row = counts.get((local.year, local.month))
        if row is None:
            continue
        if action in APPROVED:
            row[0] += 1
            row[1] += action == "approve_with_conditions"
        else:
            row[2] += 1
    return tuple(MonthOfDecisions(month_year(date(y, m, 1)), *c) for (y, m), c in counts.items())
