"""The documents come back from every repository as frozen snapshots (services.ports.DocumentSnapshot)
on the service tier's fake and on the real store over SQLite and PostgreSQL: a register entry changes
only through `uow.documents.update`, which returns the new snapshot; one held from before keeps the
values it was read with (issue 14 item 2). A change of owner reads the new RO or RSM with it (NCT-1)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from services.ports import DocumentSnapshot
from tests.store.test_repository_contract import NOW, _case, _org


async def test_a_held_document_keeps_its_values_and_update_returns_the_new_ones(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        held = await uow.documents.by_ref("PP-001")
        assert isinstance(held, DocumentSnapshot) and (held.ro.name, held.rsm.name) == ("Alex Dunmore", "Morgan Reyes")
        with pytest.raises(dataclasses.FrozenInstanceError):
            held.status = "draft"  # type: ignore[misc]
        assert (await uow.documents.get(held.id)) == held  # equal when every field is
        assert {held, await uow.documents.get(held.id)} == {held}  # hashed by id
        new = await uow.documents.update(held.id, status="draft", version="2.0", next_review_due=date(2027, 11, 23),
                                         extra={"other_rsm_ids": ["left"]}, updated_at=NOW)
        assert (new.status, new.version, new.next_review_due, new.extra) == (
            "draft", "2.0", date(2027, 11, 23), {"other_rsm_ids": ["left"]})
        assert (held.status, held.version, held.next_review_due, held.extra) == ("published", "1.0", date(2027, 1, 5), {})
        again = await uow.documents.by_ref("PP-001")  # this unit of work reads its change
        assert (again.status, again.version) == ("draft", "2.0")
        # NCT-1: a change of owner comes back with the new RO and RSM read; the record held keeps the old ones.
        moved = await uow.documents.update(held.id, ro_id="ppo", rsm_id="left")
        assert (moved.ro_id, moved.ro.name, moved.rsm_id, moved.rsm.name) == ("ppo", "Priya Patel", "left", "Bea Gone")
        assert moved.ro.role_names == frozenset({"ppo"}) and (moved.status, moved.version) == ("draft", "2.0")
        assert (held.ro_id, held.ro.name, held.rsm.name) == ("ro-1", "Alex Dunmore", "Morgan Reyes")
        unowned = await uow.documents.update(held.id, ro_id=None)
        assert (unowned.ro_id, unowned.ro, unowned.rsm.name) == (None, None, "Bea Gone")
        await uow.commit()
    async with uow_factory() as uow:
        kept = await uow.documents.by_ref("PP-001")
        assert (kept.status, kept.ro, kept.rsm_id, kept.rsm.name) == ("draft", None, "left", "Bea Gone")


async def test_every_repository_hands_out_document_snapshots(uow_factory):
    """The documents of the register, the sweeps' due queries, the cases and the listing are all records
    (the due queries' without their RO and RSM read: `ro_id` and `rsm_id` say who)."""
    case_id = await _case(uow_factory)
    async with uow_factory() as uow:
        docs = [*await uow.documents.all(include_retired=True), *await uow.documents.by_ids([1, 2]),
                *await uow.documents.owned_or_signed_off_by("ro-1"),
                *await uow.documents.due_between(date(2026, 1, 1), date(2028, 1, 1)),
                *await uow.register.all_documents(), *await uow.register.documents_of("rsm-1")]
        assert docs and {type(d) for d in docs} == {DocumentSnapshot}
        due = await uow.due.reviews_by(date(2028, 1, 1))
        assert [d.ref for d in due] == ["PP-001", "PP-002"] and {type(d) for d in due} == {DocumentSnapshot}
        assert {(d.ro_id, d.ro, d.rsm_id, d.rsm) for d in due} == {("ro-1", None, "rsm-1", None)}
        row, doc = await uow.cases.full(case_id)
        assert isinstance(doc, DocumentSnapshot) and (doc.ref, doc.ro.name) == ("PP-001", "Alex Dunmore")
        assert [type(d) for _c, d in await uow.cases.open_with_documents()] == [DocumentSnapshot]
        assert [type(d) for _c, d in await uow.due.cases_waiting_on("rsm-1", ["rsm"])] == [DocumentSnapshot]
        new = await uow.documents.create(ref="PP-010", doc_type="Procedure", title="New", ro_id="ro-1", rsm_id="rsm-1",
                                         status="draft", extra={}, created_at=NOW, updated_at=NOW)
        assert isinstance(new, DocumentSnapshot) and new.ro_id == "ro-1"
        loaded = await uow.documents.load_people(new)
        assert (loaded.ro.name, loaded.rsm.name) == ("Alex Dunmore", "Morgan Reyes")
