"""In-memory `uow.due` (what the sweeps and 'my tasks' select as due) and `uow.answers` (answers
given from the manual): the same methods, orderings and return shapes as store/due_repo.py and
store/answer_repo.py."""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tests.service.fakes.records import AnswerGiven, AnswerIndexKept
from tests.service.fakes.repos_cases import case_record
from services.ports import CaseSnapshot, DocumentSnapshot
from tests.service.fakes.repos_core import FakeRepo, doc_record, doc_records

LIVE_EXCLUDED = ("retired", "withdrawn")

ReportRow = namedtuple("ReportRow", "id ref title doc_type service_area status next_review_due owner")


def _mentions(value: Any, word: str) -> bool:
    """A JSON value holding the string `word` (as the store's text match on the stored JSON)."""
    return f'"{json.dumps(word)[1:-1]}"' in json.dumps(value)


def _contains(value: Any, word: str) -> bool:
    return json.dumps(word)[1:-1] in json.dumps(value)


class FakeDueRepo(FakeRepo):
    table_name = "documents"

    def _documents(self, keep) -> list[DocumentSnapshot]:
        """As the store's: the documents' own columns, their RO and RSM not read (`ro_id`, `rsm_id`)."""
        return doc_records(self.uow, sorted((d for d in self._rows() if keep(d)), key=lambda d: d.ref), owners=False)

    # ---------------------------------------------------------------- documents
    async def reviews_by(self, last_due: date) -> list[DocumentSnapshot]:
        """Live documents whose review falls on or before `last_due` (overdue ones included)."""
        return self._documents(lambda d: d.status not in LIVE_EXCLUDED and d.next_review_due is not None
                               and d.next_review_due <= last_due)

    async def not_retired_due_by(self, last_due: date) -> list[DocumentSnapshot]:
        return self._documents(lambda d: d.status != "retired" and d.next_review_due is not None
                               and d.next_review_due <= last_due)

    async def approved_between(self, start: date, end: date) -> list[DocumentSnapshot]:
        return self._documents(lambda d: d.status != "retired" and d.approved_on is not None
                               and start <= d.approved_on <= end)

    async def compliance_counts(self, today: date, soon: date) -> dict[str, int]:
        """Live (not retired) documents: how many, overdue, due by `soon`, without a date."""
        dues = [d.next_review_due for d in self._rows() if d.status != "retired"]
        return {"total": len(dues), "overdue": sum(1 for d in dues if d is not None and d < today),
                "due_soon": sum(1 for d in dues if d is not None and today <= d <= soon),
                "no_date": sum(1 for d in dues if d is None)}

    async def report_rows(self) -> list[ReportRow]:
        """Every document as the register report reads it: its owner's name is the RO's, or the RSM's."""
        people = self.uow.table("people")

        def name(pid: str | None) -> str | None:
            person = people.get(pid) if pid else None
            return person.name if person else None  # type: ignore[attr-defined]

        return [ReportRow(d.id, d.ref, d.title, d.doc_type, d.service_area, d.status, d.next_review_due,
                          name(d.ro_id) or name(d.rsm_id)) for d in self._documents(lambda d: True)]

    # ---------------------------------------------------------------- cases
    def _open_cases(self, keep) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        documents = self.uow.table("documents")
        found = []
        for case in sorted(self._rows("cases"), key=lambda c: c.id):
            doc = documents.get(case.document_id)
            if case.status == "open" and doc is not None and keep(case, doc):
                found.append((case_record(case), doc_record(self.uow, doc)))
        return found

    async def cases_to_nudge(self, waited_since: datetime | None, stages: Iterable[str]) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        """Open cases unchanged since before `waited_since` (None: no nudges), or at one of `stages`."""
        stages = set(stages)
        if waited_since is None and not stages:
            return []
        return self._open_cases(lambda c, d: (waited_since is not None and c.updated_at < waited_since)
                                or c.stage in stages)

    async def cases_waiting_on(self, person_id: str, roles: Iterable[str]) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        """Open cases that may wait on this person: named in person, by a role they hold, as the
        document's owner, or as the case's requester or consultee (the caller checks exactly)."""
        held = [r for r in roles if r not in ("ro", "rsm", "requester", "consultee")]
        named = [f"person:{person_id}", *held]

        def waits(c: Any, d: Any) -> bool:
            if any(_mentions(c.waiting_for, w) for w in named):
                return True
            if (any(_mentions(c.waiting_for, w) for w in ("ro", "rsm"))
                    and (person_id in (d.ro_id, d.rsm_id)
                         or ("other_rsm_ids" in (d.extra or {}) and _contains(d.extra, person_id)))):  # joint RSMs (NCT-7)
                return True
            return any(_mentions(c.waiting_for, w) for w in ("requester", "consultee")) and _contains(c.state, person_id)

        return self._open_cases(waits)

    async def open_cases_of_kind(self, *kinds: str) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        """Open cases of these kinds (NCT-4, NCT-17: the Route 1 cases a deadline sweep looks at), with their documents."""
        return self._open_cases(lambda c, d: c.kind in kinds)


class FakeAnswerRepo(FakeRepo):
    table_name = "answers_given"

    async def add(self, **fields: Any) -> int:
        return self.uow.add(AnswerGiven(**fields)).id  # type: ignore[attr-defined]

    async def get(self, answer_id: int) -> AnswerGiven | None:
        return self.uow.table("answers_given").get(answer_id)  # type: ignore[return-value]

    async def set_feedback(self, answer_id: int, *, feedback: str, note: str | None, at: datetime) -> None:
        row = self.uow.table("answers_given").get(answer_id)
        if row is None:
            return
        row.feedback, row.feedback_at = feedback, at  # type: ignore[attr-defined]
        if note is not None:
            row.feedback_note = note[:300]  # type: ignore[attr-defined]

    async def kept_index(self, fmt: str) -> bytes | None:
        kept = [r for r in self._rows("answer_index_kept") if r.format == fmt]
        return bytes(max(kept, key=lambda r: r.id).data) if kept else None

    async def keep_index(self, fmt: str, data: bytes, *, at: datetime, passages: int) -> None:
        self.uow.table("answer_index_kept").clear()
        self.uow.add(AnswerIndexKept(format=fmt, built_at=at, passages=passages, data=bytes(data)))

    async def unmet(self, since: datetime | None = None) -> list[AnswerGiven]:
        """Answers that did not meet the need: nothing found, only a weak match, or 'not what I needed'."""
        rows = [a for a in self._rows() if (a.outcome in ("weak", "nothing", "request") or a.feedback == "not_helpful")
                and (since is None or a.at >= since)]
        return sorted(rows, key=lambda a: a.at)
