"""In-memory people, documents, audit, conversation references and key/values: the same methods,
orderings and refusals as store/uow.py's repositories (checked by tests/store/test_repository_contract.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from services.ports import DocumentSnapshot, PersonContact, PersonSnapshot, TeamsChat
from tests.service.fakes.records import AuditEntry, ConversationRef, Document, KeyValue, Person, PersonRole, Row, change

if TYPE_CHECKING:
    from tests.service.fakes.uow import FakeUnitOfWork


class Unique(Exception):
    """A unique column would hold the same value twice (the store's IntegrityError)."""


class FakeRepo:
    table_name = ""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def _rows(self, table: str | None = None) -> list[Any]:
        return [self.uow.load(r) for r in self.uow.table(table or self.table_name).values()]

    def _unique(self, table: str, row: Row, *columns: str, fold=lambda v: v) -> None:
        for col in columns:
            value = getattr(row, col)
            if value is None:
                continue
            for other in self.uow.table(table).values():
                if other is not row and fold(getattr(other, col)) == fold(value):
                    raise Unique(f"{table}.{col} {value!r} is taken")


def snapshot(p: Any) -> PersonSnapshot:
    """The row as the frozen record the store's repositories hand out (store/people_repo.py)."""
    prefs = p.preferences
    return PersonSnapshot(p.id, p.name, p.email, p.aad_object_id, p.tenant_id, p.job_title, p.service_area, p.manager_id,
                          p.active, dict(prefs) if prefs is not None else None, p.role_names)


def doc_record(uow: Any, row: Any, *, owners: bool = True) -> DocumentSnapshot:
    """The row as the frozen record the store's repositories hand out (store/document_repo.py), its RO
    and RSM from this unit of work's people (`owners=False`: not read, as the store's due queries)."""
    people = uow.table("people")
    ro = people.get(row.ro_id) if owners and row.ro_id is not None else None
    rsm = people.get(row.rsm_id) if owners and row.rsm_id is not None else None
    extra = row.extra
    return DocumentSnapshot(row.id, row.ref, row.title, row.doc_type, row.category, row.service_area, row.summary,
                            row.status, row.version, row.ro_id, row.rsm_id, dict(extra) if extra is not None else None,
                            row.approved_on, row.last_reviewed_on, row.next_review_due, row.manual_url,
                            snapshot(ro) if ro is not None else None, snapshot(rsm) if rsm is not None else None,
                            row.created_at, row.updated_at)


def doc_records(uow: Any, rows: Iterable[Any], *, owners: bool = True) -> list[DocumentSnapshot]:
    return [doc_record(uow, r, owners=owners) for r in rows]


class FakePeopleRepo(FakeRepo):
    table_name = "people"

    async def get(self, person_id: str) -> PersonSnapshot | None:
        row = self.uow.table("people").get(person_id)
        return snapshot(row) if row is not None else None

    async def by_aad(self, aad_object_id: str) -> PersonSnapshot | None:
        return next((snapshot(p) for p in self._rows() if p.aad_object_id == aad_object_id), None)

    async def by_email(self, email: str) -> PersonSnapshot | None:
        wanted = email.strip().lower()
        return next((snapshot(p) for p in self._rows() if p.email and p.email.lower() == wanted), None)

    async def with_role(self, role: str) -> list[PersonSnapshot]:
        return [snapshot(p) for p in sorted((p for p in self._rows() if p.active and role in p.role_names), key=lambda p: p.name)]

    async def all(self) -> list[PersonSnapshot]:
        return [snapshot(p) for p in sorted(self._rows(), key=lambda p: p.name)]

    async def many(self, ids: Iterable[str]) -> list[PersonSnapshot]:
        table = self.uow.table("people")
        return [snapshot(table[i]) for i in dict.fromkeys(ids) if i in table]

    async def create(self, *, roles: Iterable[str] = (), **fields: Any) -> PersonSnapshot:
        person = Person(**fields, roles=[PersonRole(person_id=fields.get("id"), role=r) for r in dict.fromkeys(roles)])
        if person.id in self.uow.table("people"):
            raise Unique(f"people.id {person.id!r} is taken")
        self._unique("people", person, "email", "aad_object_id")
        return snapshot(self.uow.add(person))

    async def contacts(self, ids: Iterable[str]) -> list[PersonContact]:
        """How to reach each of these people (the outbox's light read)."""
        table = self.uow.table("people")
        found = [table[i] for i in sorted(set(ids)) if i in table]
        return [PersonContact(p.id, p.name, p.email, p.aad_object_id, p.preferences) for p in found]

    async def update(self, person_id: str, **values: Any) -> PersonSnapshot:
        """Change a person: the use cases change people only through here. The new snapshot."""
        return snapshot(change(self.uow.table("people").get(person_id), f"Person {person_id}", values))

    async def count(self) -> int:
        return len(self.uow.table("people"))


class FakeDocumentRepo(FakeRepo):
    table_name = "documents"

    def _docs(self) -> list[Any]:
        return list(self.uow.table("documents").values())

    async def get(self, doc_id: int) -> DocumentSnapshot | None:
        row = self.uow.table("documents").get(doc_id)
        return doc_record(self.uow, row) if row else None

    async def by_ref(self, ref: str) -> DocumentSnapshot | None:
        wanted = ref.strip().upper()
        return next((doc_record(self.uow, d) for d in self._docs() if d.ref.upper() == wanted), None)

    async def all(self, *, include_retired: bool = False) -> list[DocumentSnapshot]:
        return doc_records(self.uow, sorted((d for d in self._docs() if include_retired or d.status != "retired"),
                                            key=lambda d: d.ref))

    async def by_ids(self, ids: Sequence[int]) -> list[DocumentSnapshot]:
        table = self.uow.table("documents")
        return [doc_record(self.uow, table[i]) for i in ids if i in table]

    async def owned_or_signed_off_by(self, person_id: str) -> list[DocumentSnapshot]:
        return doc_records(self.uow, (d for d in self._docs() if person_id in (d.ro_id, d.rsm_id) and d.status != "retired"))

    async def due_between(self, start: date, end: date) -> list[DocumentSnapshot]:
        return doc_records(self.uow, sorted((d for d in self._docs() if d.next_review_due and start <= d.next_review_due <= end
                                             and d.status != "retired"), key=lambda d: d.next_review_due))

    async def count(self) -> int:
        return len(self.uow.table("documents"))

    async def update(self, doc_id: int, **values: Any) -> DocumentSnapshot:
        """Change a register entry: the use cases change documents only through here. The new record."""
        return doc_record(self.uow, change(self.uow.table("documents").get(doc_id), f"Document {doc_id}", values))

    async def load_people(self, doc: Any) -> DocumentSnapshot:
        """A document just created: its RO and RSM loaded, so its views can name them (the new record)."""
        return doc_record(self.uow, self.uow.table("documents")[doc.id])

    async def create(self, **fields: Any) -> DocumentSnapshot:
        doc = Document(**fields)
        self._unique("documents", doc, "ref")
        return doc_record(self.uow, self.uow.add(doc), owners=False)  # as the store's: the owners not read yet


class FakeAuditRepo(FakeRepo):
    table_name = "audit_log"

    async def record(self, *, at: datetime, actor: Any, entity: str, entity_id: str | int, action: str, summary: str,
                     reason: str | None = None, details: dict[str, Any] | None = None) -> AuditEntry:
        if at.tzinfo is None:
            raise ValueError("audit times must be timezone-aware")
        entry = AuditEntry(at=at, actor_id=actor.id if actor else None, actor_name=actor.name if actor else "policybot",
                           entity=entity, entity_id=str(entity_id), action=action, summary=summary, reason=reason,
                           details=details or {})
        return self.uow.add(entry)  # type: ignore[return-value]

    async def for_entity(self, entity: str, entity_id: str | int) -> list[AuditEntry]:
        return sorted((e for e in self._rows() if e.entity == entity and e.entity_id == str(entity_id)),
                      key=lambda e: (e.at, e.id))


class FakeConversationRepo(FakeRepo):
    table_name = "conversation_refs"

    async def upsert(self, *, at: datetime, channel_id: str, conversation_id: str, service_url: str,
                     reference: dict[str, Any], person_id: str | None, aad_object_id: str | None,
                     tenant_id: str | None, conversation_type: str | None) -> ConversationRef:
        fields = dict(service_url=service_url, reference=reference, person_id=person_id, aad_object_id=aad_object_id,
                      conversation_type=conversation_type, updated_at=at)
        row = next((r for r in self._rows() if r.channel_id == channel_id and r.conversation_id == conversation_id), None)
        if row is None:
            return self.uow.add(ConversationRef(channel_id=channel_id, conversation_id=conversation_id,  # type: ignore[return-value]
                                                tenant_id=tenant_id, **fields))
        for key, value in fields.items():
            setattr(row, key, value)
        row.tenant_id = tenant_id or row.tenant_id
        return row

    async def service_url_for_tenant(self, tenant_id: str) -> str | None:
        rows = [r for r in self._rows() if r.tenant_id == tenant_id and r.channel_id == "msteams"]
        return max(rows, key=lambda r: r.updated_at).service_url if rows else None

    async def personal_for(self, person_id: str, channel_id: str = "msteams") -> ConversationRef | None:
        rows = [r for r in self._rows() if r.person_id == person_id and r.channel_id == channel_id
                and r.conversation_type in ("personal", None)]
        return max(rows, key=lambda r: r.updated_at) if rows else None

    def _personal(self, person_ids: Iterable[str], channel_id: str) -> dict[str, ConversationRef]:
        """{person id: their newest 1:1 conversation}."""
        ids = set(person_ids)
        rows = sorted((r for r in self._rows() if r.person_id in ids and r.channel_id == channel_id
                       and r.conversation_type in ("personal", None)), key=lambda r: r.updated_at)
        return {r.person_id: r for r in rows}  # the newest wins

    async def personal_chats(self, person_ids: Iterable[str], channel_id: str = "msteams") -> dict[str, TeamsChat]:
        """{person id: their latest 1:1 chat} for many people (a dispatcher batch)."""
        return {pid: TeamsChat(r.service_url, r.conversation_id, r.tenant_id or "", dict(r.reference))
                for pid, r in self._personal(person_ids, channel_id).items()}

    async def personal_for_many(self, person_ids: Iterable[str], channel_id: str = "msteams") -> dict[str, ConversationRef]:
        return self._personal(person_ids, channel_id)


class FakeKeyValueRepo(FakeRepo):
    table_name = "key_values"

    async def get(self, key: str) -> dict | None:
        row = self.uow.table("key_values").get(key)
        return row.value if row else None  # type: ignore[attr-defined]

    async def put(self, key: str, value: dict) -> None:
        row = self.uow.table("key_values").get(key)
        if row is None:
            self.uow.add(KeyValue(key=key, value=value), key="key")
        else:
            row.value = value  # type: ignore[attr-defined]
