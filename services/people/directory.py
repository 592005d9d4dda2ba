"""The directory of people, applied from a source: a CSV file or Microsoft Entra ID (read by
`connectors/directory.py`, the settings in bot/settings.py: POLICYBOT_GRAPH_*).

People whose account is disabled (accountEnabled false), or who are no longer returned by Graph,
become inactive, and the documents they own or sign off are flagged as orphaned to the PPO (NCT-1).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
import re
from dataclasses import dataclass, field
from pathlib import Path

from governance.dates import collapse
from services.context import Services
from services.delivery.notices import dated
from services.ports import DirectoryEntry as Entry
from services.ports import DirectorySource, Notice, PeopleFileReader
from services.register.ownership import flag_orphans
from services.work import PersonRow, Work


@dataclass
class SyncReport:
    source: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    left: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)  # document refs
    rejected: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    applied: bool = False

    def lines(self) -> list[str]:
        out = [f"Directory from {self.source}: {len(self.added)} added, {len(self.updated)} updated, "
               f"{self.unchanged} unchanged, {len(self.left)} left, {len(self.returned)} back."]
        if self.rejected:
            out.append("Rejected rows (nothing was loaded; correct them and run again):")
            out += [f"  {r}" for r in self.rejected]
        if self.left:
            out.append("Left (now inactive): " + ", ".join(self.left))
        if self.orphaned:
            out.append("Documents orphaned to the PPO until a new owner is named (NCT-1): " + ", ".join(self.orphaned))
        return out


async def _release_email(uow: Work, known: _Known, email: str, now: datetime, report: SyncReport,
                         keep: PersonRow | None = None) -> None:
    """The directory gives this address to someone else now: take it off its previous holder
    first (addresses are unique here), and say so in the audit trail."""
    holder = known.by_email.get(email.lower())
    if holder is None or (keep is not None and holder.id == keep.id):
        return
    holder = await known.change(uow, holder.id, email=None)
    known.by_email.pop(email.lower(), None)
    await uow.register.flush()
    await uow.audit.record(at=now, actor=None, entity="person", entity_id=holder.id, action="email_moved",
                           summary=f"{email} now belongs to someone else in the directory; removed from {holder.name}")


def _slug(email: str | None, name: str) -> str:
    base = (email.split("@")[0] if email else name).lower()
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:56] or "person"


@dataclass
class _Known:
    """The people table indexed the ways a source names someone, kept up to date as people are added
    and changed: a person's entries always hold their latest snapshot (under the keys they were
    indexed by when read, as a row read once and changed in place would be)."""

    by_id: dict[str, PersonRow]
    by_aad: dict[str, PersonRow]
    by_email: dict[str, PersonRow]

    @classmethod
    def of(cls, people: Sequence[PersonRow]) -> _Known:
        return cls({p.id: p for p in people}, {p.aad_object_id: p for p in people if p.aad_object_id},
                   {p.email.lower(): p for p in people if p.email})

    def _replace(self, person: PersonRow) -> PersonRow:
        old = self.by_id.get(person.id)
        self.by_id[person.id] = person
        for index, key in ((self.by_aad, old.aad_object_id if old else None),
                           (self.by_email, old.email.lower() if old and old.email else None)):
            if key is not None and key in index and index[key].id == person.id:
                index[key] = person
        return person

    async def change(self, uow: Work, person_id: str, **values: Any) -> PersonRow:
        """Change a person (uow.people.update) and hold their new snapshot."""
        return self._replace(await uow.people.update(person_id, **values))

    async def reread(self, uow: Work, person_id: str) -> PersonRow:
        """Hold a person's snapshot as it stands now (after their roles changed)."""
        person = await uow.people.get(person_id)
        assert person is not None, "a person the sync has read is still there"
        return self._replace(person)

    def match(self, e: Entry) -> PersonRow | None:
        """The person an entry is: by id, then Entra id, then email (never merging two Entra accounts:
        an address can pass to someone else, a reused mailbox)."""
        person = (self.by_id.get(e.person_id) if e.person_id else None) or (self.by_aad.get(e.aad_object_id) if e.aad_object_id else None)
        if person is None and e.email:
            holder = self.by_email.get(e.email.lower())
            if holder is not None and not (e.aad_object_id and holder.aad_object_id and holder.aad_object_id != e.aad_object_id):
                person = holder
        return person

    def free_id(self, e: Entry) -> str:
        pid = e.person_id or _slug(e.email, e.name)
        n = 2
        while pid in self.by_id:
            pid, n = f"{_slug(e.email, e.name)}-{n}", n + 1
        return pid

    def add(self, person: PersonRow) -> None:
        self.by_id[person.id] = person
        if person.aad_object_id:
            self.by_aad[person.aad_object_id] = person
        if person.email:
            self.by_email[person.email.lower()] = person


async def _add(uow: Work, known: _Known, e: Entry, *, tenant_id: str | None, source: str, now: datetime,
               report: SyncReport) -> PersonRow:
    if e.email:
        await _release_email(uow, known, e.email, now, report)
    pid = known.free_id(e)
    person = await uow.register.add_person(id=pid, name=e.name, email=e.email, aad_object_id=e.aad_object_id,
                                           tenant_id=tenant_id, job_title=e.job_title, service_area=e.service_area,
                                           active=e.active, preferences={}, roles=sorted(e.roles or ()))
    known.add(person)
    report.added.append(e.name)
    await uow.audit.record(at=now, actor=None, entity="person", entity_id=pid, action="person_added",
                           summary=f"{e.name} added to the directory from {source}")
    if not e.active:
        report.left.append(e.name)
    added: PersonRow = person
    return added


async def _update_details(uow: Work, known: _Known, e: Entry, person: PersonRow, *, tenant_id: str | None, now: datetime,
                          report: SyncReport) -> list[str]:
    """What the entry changes about someone already in the directory (an address taken from its
    previous holder first); leaving and coming back are reported."""
    changes: list[str] = []
    if e.email and (person.email or "").lower() != e.email.lower():
        await _release_email(uow, known, e.email, now, report, keep=person)
    for attr, value in (("name", e.name), ("email", e.email), ("aad_object_id", e.aad_object_id),
                        ("job_title", e.job_title), ("service_area", e.service_area)):
        if value is not None and getattr(person, attr) != value:
            changes.append(attr)
            person = await known.change(uow, person.id, **{attr: value})
    if tenant_id and e.aad_object_id and person.tenant_id != tenant_id:
        person = await known.change(uow, person.id, tenant_id=tenant_id)
    if person.active != e.active:
        changes.append("active")
        person = await known.change(uow, person.id, active=e.active)
        (report.returned if e.active else report.left).append(person.name)
    return changes


async def _update_manager(uow: Work, known: _Known, name_index: dict[str, Any], e: Entry, person: PersonRow) -> list[str]:
    if e.manager is None:
        return []
    m = e.manager.strip()
    manager = (known.by_aad.get(m) or known.by_email.get(m.lower()) or name_index.get(collapse(m).lower())) if m else None
    manager_id = manager.id if manager and manager.id != person.id else None
    if person.manager_id == manager_id:
        return []
    await known.change(uow, person.id, manager_id=manager_id)
    return ["manager"]


async def _update_roles(uow: Work, known: _Known, e: Entry, person: PersonRow, managed_roles: frozenset[str] | None) -> list[str]:
    if e.roles is None and not managed_roles:
        return []
    have = set(person.role_names)
    want = (have - managed_roles) | (set(e.roles or ()) & managed_roles) if managed_roles else set(e.roles or ())
    if want == have:
        return []
    await uow.register.set_roles(person, sorted(want))
    await known.reread(uow, person.id)
    return ["roles"]


async def apply_directory(services: Services, entries: list[Entry], *, source: str, tenant_id: str | None = None,
                          managed_roles: frozenset[str] | None = None, absent_leave: bool = False) -> SyncReport:
    """Bring the people table in line with a source, in one transaction with an audit record.

    managed_roles: roles the source decides (others are left alone); None means the entries' own roles
    (when given) replace the person's roles. absent_leave: people with an Entra id that the source no
    longer lists have left (a full Graph sync).
    """
    now = services.clock.now()
    report = SyncReport(source)
    async with services.uow() as uow:
        people = await uow.people.all()
        known = _Known.of(people)
        resolved: list[tuple[Entry, PersonRow]] = []
        for e in entries:
            person = known.match(e) or await _add(uow, known, e, tenant_id=tenant_id, source=source, now=now, report=report)
            resolved.append((e, person))
        seen = {person.id for _e, person in resolved}
        name_index = {collapse(p.name).lower(): p for p in known.by_id.values()}
        existing = {p.id for p in people}
        for e, matched in resolved:
            person = known.by_id[matched.id]  # as it stands now (an earlier entry may have changed them)
            if person.id not in existing:  # added above: only its manager is left to find
                await _update_manager(uow, known, name_index, e, person)
                continue
            changes = await _update_details(uow, known, e, person, tenant_id=tenant_id, now=now, report=report)
            changes += await _update_manager(uow, known, name_index, e, known.by_id[person.id])
            changes += await _update_roles(uow, known, e, known.by_id[person.id], managed_roles)
            person = known.by_id[person.id]
            if changes:
                report.updated.append(person.name)
                await uow.audit.record(at=now, actor=None, entity="person", entity_id=person.id, action="person_updated",
                                       summary=f"{person.name} updated from {source}: {', '.join(changes)}")
            else:
                report.unchanged += 1
        if absent_leave:
            for p in [known.by_id[q.id] for q in people]:
                if p.aad_object_id and p.id not in seen and p.active and p.tenant_id in (None, tenant_id):
                    p = await known.change(uow, p.id, active=False)
                    report.left.append(p.name)
                    await uow.audit.record(at=now, actor=None, entity="person", entity_id=p.id, action="person_left",
                                           summary=f"{p.name} is no longer in {source}: inactive")
        for p in known.by_id.values():
            if not p.active:
                flagged, notices = await flag_orphans(uow, uow.register, p, now)
                report.orphaned += [d.ref for d in flagged]
                report.notices += notices
        await uow.audit.record(at=now, actor=None, entity="directory", entity_id=source[:64], action="directory_sync",
                               summary="; ".join(report.lines()))
        # The sync and the notices it causes (orphaned documents, NCT-1) are one transaction.
        report.notices = [dated(n, services.clock.today()) for n in report.notices]
        uow.notify(*report.notices)
        await uow.commit()
        report.applied = True
    return report


async def load_csv(services: Services, path: str | Path, reader: PeopleFileReader) -> SyncReport:
    entries, rejected = reader.read(Path(path))
    if rejected:
        return SyncReport(Path(path).name, rejected=rejected)
    return await apply_directory(services, entries, source=Path(path).name)


async def sync_graph(services: Services, client: DirectorySource) -> SyncReport:
    entries, managed = await client.read(dict(services.config.graph_role_groups))
    return await apply_directory(services, entries, source="Microsoft Entra ID", tenant_id=client.tenant_id,
                                 managed_roles=managed or None, absent_leave=True)
