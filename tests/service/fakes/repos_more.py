"""In-memory meetings (agendas, forward plans, attendance, actions, minutes, reports) and the
register's own rows (imports, assets, ownership flags, compliance snapshots): the same methods as
store/meeting_repo.py and store/register_repo.py, and the misunderstood log (the manual's index is
in repos_manual.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from services.ports import (
    DocumentSnapshot,
    ActionRecord,
    AgendaItemRecord,
    AssetLinkRecord,
    AssetRecord,
    AttendanceRecord,
    ImportRunRecord,
    MeetingRecord,
    MinutesRecord,
    OwnershipFlagRecord,
    PlanEntryRecord,
    ReportRecord,
    SnapshotRecord,
)
from tests.service.fakes.records import (
    R,
    AgendaItem,
    Asset,
    AssetLink,
    Attendance,
    AuditEntry,
    ComplianceSnapshot,
    Document,
    ForwardPlanEntry,
    ImportRun,
    Meeting,
    MeetingAction,
    MeetingReport,
    Minutes,
    OwnershipFlag,
    Person,
    PersonRole,
    as_record,
    as_record_or_none,
    change,
)
from tests.service.fakes.repos_core import FakeRepo, Unique, doc_record, doc_records


class FakeMeetingRepo(FakeRepo):
    """Hands out the port's frozen records, never its rows; changes go through add_*, set_attendance
    and update_* (as store/meeting_repo.py)."""

    table_name = "meetings"

    def _get(self, table: str, key: int) -> Any:
        return self.uow.table(table).get(key)

    def _update(self, cls: type[R], table: str, key: int, values: dict[str, Any]) -> R:
        return as_record(cls, change(self._get(table, key), f"{table} {key}", values))

    # meetings
    async def get(self, meeting_id: int) -> MeetingRecord | None:
        return as_record_or_none(MeetingRecord, self._get("meetings", meeting_id))

    def _of(self, body: str, statuses: Iterable[str] | None) -> list[Any]:
        wanted = None if statuses is None else set(statuses)
        return sorted((m for m in self._rows() if m.body == body and (wanted is None or m.status in wanted)),
                      key=lambda m: m.starts_at)

    async def between(self, body: str, start: datetime, end: datetime,
                      statuses: Iterable[str] | None = None) -> list[MeetingRecord]:
        return [as_record(MeetingRecord, m) for m in self._of(body, statuses) if start <= m.starts_at <= end]

    async def of_body(self, body: str, statuses: Iterable[str] | None = None) -> list[MeetingRecord]:
        return [as_record(MeetingRecord, m) for m in self._of(body, statuses)]

    async def all_scheduled(self) -> list[MeetingRecord]:
        return [as_record(MeetingRecord, m) for m in sorted((m for m in self._rows() if m.status == "scheduled"),
                                                            key=lambda m: m.starts_at)]

    async def create(self, **fields: Any) -> MeetingRecord:
        """A meeting; if the same one (body and start) exists, that one is returned."""
        same = next((m for m in self._rows() if m.body == fields["body"] and m.starts_at == fields["starts_at"]), None)
        return as_record(MeetingRecord, same or self.uow.add(Meeting(**fields)))

    async def update_meeting(self, meeting_id: int, **values: Any) -> MeetingRecord:
        return self._update(MeetingRecord, "meetings", meeting_id, values)

    # agenda items
    async def item(self, item_id: int) -> AgendaItemRecord | None:
        return as_record_or_none(AgendaItemRecord, self._get("agenda_items", item_id))

    def _items(self, **where: Any) -> list[AgendaItemRecord]:
        rows = (i for i in self._rows("agenda_items") if all(getattr(i, k) == v for k, v in where.items()))
        return [as_record(AgendaItemRecord, i) for i in sorted(rows, key=lambda i: i.id)]

    async def items(self, meeting_id: int) -> list[AgendaItemRecord]:
        return self._items(meeting_id=meeting_id)

    async def items_for_case(self, case_id: int) -> list[AgendaItemRecord]:
        return self._items(case_id=case_id)

    async def add_item(self, **fields: Any) -> AgendaItemRecord:
        return as_record(AgendaItemRecord, self.uow.add(AgendaItem(**fields)))

    async def update_item(self, item_id: int, **values: Any) -> AgendaItemRecord:
        return self._update(AgendaItemRecord, "agenda_items", item_id, values)

    async def decided_between(self, body: str, start: datetime,
                              end: datetime) -> list[tuple[AgendaItemRecord, MeetingRecord]]:
        meetings = {m.id: m for m in self._rows() if m.body == body}
        found = [(i, meetings[i.meeting_id]) for i in self._rows("agenda_items") if i.meeting_id in meetings
                 and i.outcome is not None and i.recorded_at is not None and start <= i.recorded_at <= end]
        found.sort(key=lambda p: (p[1].starts_at, p[0].id))
        return [(as_record(AgendaItemRecord, i), as_record(MeetingRecord, m)) for i, m in found]

    # forward plan
    async def plan(self, body: str, statuses: Iterable[str] = ("planned",)) -> list[PlanEntryRecord]:
        wanted = set(statuses)
        rows = sorted((e for e in self._rows("forward_plan") if e.body == body and e.status in wanted), key=lambda e: e.id)
        return [as_record(PlanEntryRecord, e) for e in rows]

    async def plan_entry_for_item(self, item_id: int) -> PlanEntryRecord | None:
        return as_record_or_none(PlanEntryRecord, next(
            (e for e in sorted(self._rows("forward_plan"), key=lambda e: e.id) if e.agenda_item_id == item_id), None))

    async def add_plan_entry(self, **fields: Any) -> PlanEntryRecord:
        return as_record(PlanEntryRecord, self.uow.add(ForwardPlanEntry(**fields)))

    async def update_plan_entry(self, entry_id: int, **values: Any) -> PlanEntryRecord:
        return self._update(PlanEntryRecord, "forward_plan", entry_id, values)

    # attendance
    def _attendance(self, meeting_id: int) -> list[Any]:
        return sorted((a for a in self._rows("meeting_attendance") if a.meeting_id == meeting_id), key=lambda a: a.person_id)

    async def attendance(self, meeting_id: int) -> list[AttendanceRecord]:
        return [as_record(AttendanceRecord, a) for a in self._attendance(meeting_id)]

    async def set_attendance(self, meeting_id: int, person_id: str, status: str, delegate_name: str | None,
                             now: datetime) -> None:
        row = next((a for a in self._attendance(meeting_id) if a.person_id == person_id), None)
        if row is None:
            self.uow.add(Attendance(meeting_id=meeting_id, person_id=person_id, status=status, delegate_name=delegate_name,
                                    recorded_at=now))
        else:
            row.status, row.delegate_name, row.recorded_at = status, delegate_name, now

    # actions
    async def add_action(self, **fields: Any) -> ActionRecord:
        return as_record(ActionRecord, self.uow.add(MeetingAction(**fields)))

    async def action(self, action_id: int) -> ActionRecord | None:
        return as_record_or_none(ActionRecord, self._get("meeting_actions", action_id))

    async def update_action(self, action_id: int, **values: Any) -> ActionRecord:
        return self._update(ActionRecord, "meeting_actions", action_id, values)

    async def open_actions(self, body: str | None = None) -> list[ActionRecord]:
        rows = [a for a in self._rows("meeting_actions") if a.done_at is None and (body is None or a.body == body)]
        rows.sort(key=lambda a: (a.due_on is not None, a.due_on or date.min, a.id))
        return [as_record(ActionRecord, a) for a in rows]

    async def actions_of(self, meeting_id: int) -> list[ActionRecord]:
        rows = sorted((a for a in self._rows("meeting_actions") if a.meeting_id == meeting_id), key=lambda a: a.id)
        return [as_record(ActionRecord, a) for a in rows]

    # minutes and reports
    async def minutes(self, meeting_id: int) -> MinutesRecord | None:
        return as_record_or_none(MinutesRecord, next(
            (m for m in self._rows("meeting_minutes") if m.meeting_id == meeting_id), None))

    async def add_minutes(self, **fields: Any) -> MinutesRecord:
        m = Minutes(**fields)
        if await self.minutes(m.meeting_id) is not None:
            raise Unique(f"meeting {m.meeting_id} has minutes already")
        return as_record(MinutesRecord, self.uow.add(m))

    async def report_sent(self, body: str, kind: str, period_end: date) -> bool:
        return any(r.body == body and r.kind == kind and r.period_end == period_end for r in self._rows("meeting_reports"))

    async def last_report(self, body: str, kind: str) -> ReportRecord | None:
        rows = [r for r in self._rows("meeting_reports") if r.body == body and r.kind == kind]
        return as_record(ReportRecord, max(rows, key=lambda r: r.period_end)) if rows else None

    async def add_report(self, **fields: Any) -> ReportRecord:
        return as_record(ReportRecord, self.uow.add(MeetingReport(**fields)))


class FakeRegisterRepo(FakeRepo):
    table_name = "documents"

    async def flush(self) -> None:
        """Nothing to send: the rows are already where the next read finds them."""

    async def all_documents(self) -> list[DocumentSnapshot]:
        return doc_records(self.uow, sorted(self._rows("documents"), key=lambda d: d.ref))

    async def add_document(self, **fields: Any) -> DocumentSnapshot:
        doc = Document(**fields)
        self._unique("documents", doc, "ref")
        return doc_record(self.uow, self.uow.add(doc), owners=False)  # as the store's: the owners not read yet

    async def add_documents(self, rows: list[dict[str, Any]]) -> list[DocumentSnapshot]:
        return [await self.add_document(**fields) for fields in rows]

    async def record_many(self, *, at: datetime, actor: Person | None, entity: str, entries: list[dict[str, Any]]) -> None:
        if at.tzinfo is None:
            raise ValueError("audit times must be timezone-aware")
        for e in entries:
            self.uow.add(AuditEntry(at=at, actor_id=actor.id if actor else None, actor_name=actor.name if actor else "policybot",
                                    entity=entity, entity_id=str(e["entity_id"]), action=e["action"], summary=e["summary"],
                                    reason=e.get("reason"), details=e.get("details") or {}))

    async def add_person(self, *, roles: Iterable[str] = (), **fields: Any) -> Any:
        return await self.uow.people.create(roles=roles, **fields)

    async def set_roles(self, person: Any, roles: Iterable[str]) -> None:
        row: Any = self.uow.table("people").get(person.id)  # this unit of work's row, as the store finds it by id
        if row is None:
            raise LookupError(f"no person {person.id}")
        wanted = list(dict.fromkeys(roles))
        keep = [r for r in row.roles if r.role in wanted]
        have = {r.role for r in keep}
        row.roles = keep + [PersonRole(person_id=row.id, role=r) for r in wanted if r not in have]

    async def documents_of(self, person_id: str) -> list[DocumentSnapshot]:
        return doc_records(self.uow, sorted((d for d in self._rows("documents") if person_id in (d.ro_id, d.rsm_id)),
                                            key=lambda d: d.ref))

    async def add_import_run(self, **fields: Any) -> ImportRunRecord:
        return as_record(ImportRunRecord, self.uow.add(ImportRun(**fields)))

    async def import_runs(self) -> list[ImportRunRecord]:
        return [as_record(ImportRunRecord, r) for r in sorted(self._rows("import_runs"), key=lambda r: r.id)]

    async def asset_by_ref(self, ref: str) -> AssetRecord | None:
        return as_record_or_none(AssetRecord, next((a for a in self._rows("assets") if a.ref == ref.strip().upper()), None))

    async def add_asset(self, **fields: Any) -> AssetRecord:
        asset = Asset(**fields)
        self._unique("assets", asset, "ref")
        return as_record(AssetRecord, self.uow.add(asset))

    async def update_asset(self, asset_id: int, **values: Any) -> AssetRecord:
        return as_record(AssetRecord, change(self.uow.table("assets").get(asset_id), f"Asset {asset_id}", values))

    async def all_assets(self) -> list[AssetRecord]:
        return [as_record(AssetRecord, a) for a in sorted(self._rows("assets"), key=lambda a: a.ref)]

    async def link(self, asset_id: int, document_id: int, note: str | None, at: datetime) -> AssetLinkRecord | None:
        if any(k.asset_id == asset_id and k.document_id == document_id for k in self._rows("asset_links")):
            return None
        return as_record(AssetLinkRecord, self.uow.add(AssetLink(asset_id=asset_id, document_id=document_id, note=note,
                                                                 created_at=at)))

    async def unlink(self, asset_id: int, document_id: int) -> bool:
        links = self.uow.table("asset_links")
        found = [k for k, row in links.items() if row.asset_id == asset_id and row.document_id == document_id]  # type: ignore[attr-defined]
        for k in found:
            del links[k]
        return bool(found)

    async def assets_for_document(self, document_id: int) -> list[tuple[AssetRecord, AssetLinkRecord]]:
        assets = self.uow.table("assets")
        pairs = [(assets[k.asset_id], k) for k in self._rows("asset_links") if k.document_id == document_id]
        pairs.sort(key=lambda p: (p[0].kind, p[0].ref))  # type: ignore[attr-defined]
        return [(as_record(AssetRecord, a), as_record(AssetLinkRecord, k)) for a, k in pairs]

    async def documents_for_asset(self, asset_id: int) -> list[DocumentSnapshot]:
        ids = {k.document_id for k in self._rows("asset_links") if k.asset_id == asset_id}
        return doc_records(self.uow, sorted((d for d in self._rows("documents") if d.id in ids), key=lambda d: d.ref))

    def _open_flag_rows(self, document_id: int | None = None) -> list[Any]:
        return sorted((f for f in self._rows("ownership_flags") if f.resolved_at is None
                       and (document_id is None or f.document_id == document_id)), key=lambda f: f.id)

    async def open_flags(self, document_id: int | None = None) -> list[OwnershipFlagRecord]:
        return [as_record(OwnershipFlagRecord, f) for f in self._open_flag_rows(document_id)]

    async def flag(self, *, document_id: int, person_id: str, role: str, reason: str,
                   at: datetime) -> OwnershipFlagRecord | None:
        for f in self._open_flag_rows(document_id):
            if f.person_id == person_id and f.role == role:
                return None
        return as_record(OwnershipFlagRecord, self.uow.add(OwnershipFlag(document_id=document_id, person_id=person_id,
                                                                         role=role, reason=reason, flagged_at=at)))

    async def resolve_flags(self, document_id: int, role: str, at: datetime) -> int:
        hit = [f for f in self._open_flag_rows(document_id) if f.role == role]
        for f in hit:
            f.resolved_at = at
        return len(hit)

    async def put_snapshot(self, taken_on: date, taken_at: datetime, **counts: int) -> SnapshotRecord:
        row = next((s for s in self._rows("compliance_snapshots") if s.taken_on == taken_on), None)
        if row is None:
            return as_record(SnapshotRecord, self.uow.add(ComplianceSnapshot(taken_on=taken_on, taken_at=taken_at, **counts)))
        row.taken_at = taken_at
        for k, v in counts.items():
            setattr(row, k, v)
        return as_record(SnapshotRecord, row)

    async def snapshots(self, since: date | None = None) -> list[SnapshotRecord]:
        rows = sorted((s for s in self._rows("compliance_snapshots") if since is None or s.taken_on >= since),
                      key=lambda s: s.taken_on)
        return [as_record(SnapshotRecord, s) for s in rows]

    async def audit_between(self, start: datetime, end: datetime, actions: Sequence[str]) -> list[AuditEntry]:
        return sorted((e for e in self._rows("audit_log") if start <= e.at < end and e.action in actions),
                      key=lambda e: (e.at, e.id))


class FakeMisunderstoodRepo(FakeRepo):
    """What people said that was not understood, kept in a list."""

    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.said: list[tuple[datetime, str | None, str, str]] = []

    async def add(self, *, at: datetime, person_id: str | None, kind: str, text: str) -> None:
        self.said.append((at, person_id, kind, text))

    async def grouped(self, since: datetime | None = None, limit: int = 200) -> list[tuple[str, str, int, int, datetime]]:
        """(kind, text as said, times, people, last time), most frequent first; the same words in
        other capitals or spacing count together (as the store's GROUP BY lower(trim(text)))."""
        groups: dict[tuple[str, str], list[tuple[datetime, str | None, str, str]]] = {}
        for said in self.said:
            if since is None or said[0] >= since:
                groups.setdefault((said[2], said[3].strip().lower()), []).append(said)
        out = [(kind, min(s[3] for s in rows), len(rows), len({s[1] for s in rows if s[1] is not None}),
                max(s[0] for s in rows)) for (kind, _), rows in groups.items()]
        return sorted(out, key=lambda r: (-r[2], -r[4].timestamp()))[:limit]
