"""What is due, asked of the database instead of read out of the whole register (issue 22, item 7):
the sweeps and `my tasks` select only the rows that can owe something today, through the indexes of
migration 0016_scale. Each query returns a superset the governance rules then decide on exactly, so
a sweep's statements grow with what is due, never with the size of the register."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import String, and_, case, cast, func, or_, select, text, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, raiseload

from store.case_models import Case
from services.ports import CaseSnapshot, DocumentSnapshot
from store.case_repo import case_snapshot
from store.document_repo import snapshot, snapshots
from store.models import JOINT_RSMS, Document, Person

LIVE_EXCLUDED = ("retired", "withdrawn")


def _json_text(word: str) -> str:
    """`word` as it is spelt inside the stored JSON (non-ASCII and quotes escaped by json.dumps)."""
    return json.dumps(word)[1:-1]


def _mentions(column, word: str):
    """A JSON list column holding the string `word` (a superset: the caller checks exactly)."""
    return cast(column, String).contains(f'"{_json_text(word)}"', autoescape=True)


class DueRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # ---------------------------------------------------------------- documents
    @staticmethod
    def _documents(*where):
        """Documents alone: a sweep reads their own columns (the owner's id, never the owner's row),
        so the RO and RSM with their roles are not loaded for every document due (they were most
        of a large review sweep's time); reaching for them raises instead of querying per row."""
        return select(Document).options(raiseload(Document.ro), raiseload(Document.rsm)).where(*where).order_by(Document.ref)

    async def reviews_by(self, last_due: date) -> list[DocumentSnapshot]:
        """Live documents whose review falls on or before `last_due` (overdue ones included)."""
        stmt = self._documents(Document.status.not_in(LIVE_EXCLUDED), Document.next_review_due.is_not(None),
                               Document.next_review_due <= last_due)
        return snapshots((await self.s.execute(stmt)).scalars())

    async def not_retired_due_by(self, last_due: date) -> list[DocumentSnapshot]:
        """Documents not retired with a review on or before `last_due` (the manual update's cycle)."""
        stmt = self._documents(Document.status != "retired", Document.next_review_due.is_not(None),
                               Document.next_review_due <= last_due)
        return snapshots((await self.s.execute(stmt)).scalars())

    async def approved_between(self, start: date, end: date) -> list[DocumentSnapshot]:
        stmt = self._documents(Document.status != "retired", Document.approved_on >= start, Document.approved_on <= end)
        return snapshots((await self.s.execute(stmt)).scalars())

    async def compliance_counts(self, today: date, soon: date) -> dict[str, int]:
        """Live (not retired) documents: how many, overdue, due by `soon`, without a date; one row."""
        live = Document.status != "retired"
        due = Document.next_review_due
        row = (await self.s.execute(select(
            func.count(),
            func.coalesce(func.sum(case((due < today, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(due >= today, due <= soon), 1), else_=0)), 0),
            func.coalesce(func.sum(case((due.is_(None), 1), else_=0)), 0),
        ).where(live))).one()
        return {"total": int(row[0]), "overdue": int(row[1]), "due_soon": int(row[2]), "no_date": int(row[3])}

    async def report_rows(self) -> list:
        """Every document as the register report reads it, in one light query (no ORM objects):
        id, ref, title, doc_type, service_area, status, next_review_due and its owner's name (the RO,
        or the RSM standing in)."""
        ro, rsm = aliased(Person), aliased(Person)
        stmt = (select(Document.id, Document.ref, Document.title, Document.doc_type, Document.service_area,
                       Document.status, Document.next_review_due, func.coalesce(ro.name, rsm.name).label("owner"))
                .outerjoin(ro, ro.id == Document.ro_id).outerjoin(rsm, rsm.id == Document.rsm_id)
                .order_by(Document.ref))
        return list((await self.s.execute(stmt)).all())

    # ---------------------------------------------------------------- cases
    def _open_cases(self):
        return (select(Case, Document).join(Document, Document.id == Case.document_id)
                .options(joinedload(Document.ro).joinedload(Person.roles), joinedload(Document.rsm).joinedload(Person.roles))
                .where(Case.status == "open"))

    async def cases_to_nudge(self, waited_since: datetime | None, stages: Iterable[str]) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        """Open cases unchanged since before `waited_since` (None: no nudges), or at one of `stages`."""
        which = []
        if waited_since is not None:
            which.append(Case.updated_at < waited_since)
        stages = list(stages)
        if stages:
            which.append(Case.stage.in_(stages))
        if not which:
            return []
        rows = (await self.s.execute(self._open_cases().where(or_(*which)).order_by(Case.id))).unique().all()
        return [(case_snapshot(r[0]), snapshot(r[1])) for r in rows]

    async def cases_waiting_on(self, person_id: str, roles: Iterable[str]) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        """Open cases that may wait on this person: named in person, by a role they hold, as the
        document's owner, or as the case's requester or consultee (the caller checks exactly).
        The owner's documents are found through their indexes (ro_id / rsm_id, joint RSMs through
        the small partial index) and the open cases are read once, so no way reads every open case's
        document."""
        held = [r for r in roles if r not in ("ro", "rsm", "requester", "consultee")]
        named = [_mentions(Case.waiting_for, f"person:{person_id}")] + [_mentions(Case.waiting_for, r) for r in held]
        in_case = and_(or_(_mentions(Case.waiting_for, "requester"), _mentions(Case.waiting_for, "consultee")),
                       cast(Case.state, String).contains(_json_text(person_id), autoescape=True))
        owned = union(
            select(Document.id).where(Document.ro_id == person_id),
            select(Document.id).where(Document.rsm_id == person_id),
            select(Document.id).where(text(JOINT_RSMS).self_group(),  # the partial index's own condition
                                      cast(Document.extra, String).contains(_json_text(person_id), autoescape=True)))
        owner = and_(or_(_mentions(Case.waiting_for, "ro"), _mentions(Case.waiting_for, "rsm")),
                     Case.document_id.in_(owned.scalar_subquery()))
        # One pass over the open cases (the owner's documents are a hashed subquery): two selects joined
        # by UNION read every open case twice, and that scan was most of a `my tasks` at 5,000 cases.
        ids = select(Case.id).where(Case.status == "open", or_(*named, in_case, owner))
        stmt = self._open_cases().where(Case.id.in_(ids.scalar_subquery())).order_by(Case.id)  # owners and roles loaded for these only
        rows = (await self.s.execute(stmt)).unique().all()
        return [(case_snapshot(r[0]), snapshot(r[1])) for r in rows]

    async def open_cases_of_kind(self, *kinds: str) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        """Open cases of these kinds (NCT-4, NCT-17: the Route 1 cases a deadline sweep looks at), with their documents."""
        rows = (await self.s.execute(self._open_cases().where(Case.kind.in_(kinds)).order_by(Case.id))).unique().all()
        return [(case_snapshot(r[0]), snapshot(r[1])) for r in rows]
