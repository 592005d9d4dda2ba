"""The cases come back from every repository as frozen snapshots (services.ports.CaseSnapshot) on the
service tier's fake and on the real store over SQLite and PostgreSQL: a case changes only through
`uow.cases.save` (compare-and-swap on its version), which returns the new snapshot; one held from
before keeps the values it was read with, so saving it again is refused as stale (issue 14 item 2;
the stale card and the race of NCT-3's decisions rest on it)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from services.ports import CaseSnapshot, ConcurrencyConflict
from tests.store.test_repository_contract import NOW, _case


async def test_a_held_case_keeps_its_values_and_save_returns_the_new_ones(uow_factory):
    case_id = await _case(uow_factory)
    later = NOW + timedelta(hours=1)
    async with uow_factory() as uow:
        held = await uow.cases.get(case_id)
        assert isinstance(held, CaseSnapshot) and (held.version, held.stage, held.kind) == (1, "rsm_approval", "scheduled_review")
        with pytest.raises(dataclasses.FrozenInstanceError):
            held.status = "closed"  # type: ignore[misc]
        assert (await uow.cases.get(case_id)) == held  # equal when every field is
        assert {held, await uow.cases.get(case_id)} == {held}  # hashed by id
        new = await uow.cases.save(held, expected_version=held.version, state={"stage": "submit"}, stage="submit",
                                   status="open", waiting_for=["ppo"], now=later)
        assert isinstance(new, CaseSnapshot)
        assert (new.version, new.stage, new.state, new.waiting_for, new.updated_at) == (
            2, "submit", {"stage": "submit"}, ["ppo"], later)
        assert (held.version, held.stage, held.state, held.waiting_for, held.updated_at) == (
            1, "rsm_approval", {"stage": "rsm_approval"}, ["rsm"], NOW)
        again = await uow.cases.get(case_id)  # this unit of work reads its change
        assert (again.version, again.stage) == (2, "submit") and again == new
        row, _doc = await uow.cases.full(case_id)
        assert (row.version, row.waiting_for) == (2, ["ppo"])
        with pytest.raises(ConcurrencyConflict):  # the record held from before is stale: a second click loses
            await uow.cases.save(held, expected_version=held.version, state={}, stage="x", status="closed",
                                 waiting_for=[], now=later)
        closed = await uow.cases.save(new, expected_version=new.version, state={"stage": "done"}, stage="done",
                                      status="closed", waiting_for=[], now=later)
        assert (closed.version, closed.status, new.status) == (3, "closed", "open")
        await uow.commit()
    async with uow_factory() as uow:
        kept = await uow.cases.get(case_id)
        assert (kept.version, kept.status, kept.stage, kept.state) == (3, "closed", "done", {"stage": "done"})


async def test_every_repository_hands_out_case_snapshots(uow_factory):
    """The cases of the case repository and the due queries are all records."""
    case_id = await _case(uow_factory)
    async with uow_factory() as uow:
        got = await uow.cases.full(case_id)
        assert got is not None and isinstance(got[0], CaseSnapshot)
        cases = [await uow.cases.get(case_id), *await uow.cases.all_open(), *await uow.cases.open_for_document(got[0].document_id),
                 *(c for c, _d in await uow.cases.full_many([case_id])), *(c for c, _d in await uow.cases.open_with_documents()),
                 *(c for c, _d in await uow.due.cases_waiting_on("rsm-1", ["rsm"])),
                 *(c for c, _d in await uow.due.cases_to_nudge(None, ["rsm_approval"])),
                 *(c for c, _d in await uow.due.open_cases_of_kind("scheduled_review"))]
        assert len(cases) == 8 and {type(c) for c in cases} == {CaseSnapshot} and {c.id for c in cases} == {case_id}
        made = await uow.cases.create(document_id=got[0].document_id, preset="nct", kind="scheduled_review", stage="submit",
                                      status="open", state={"stage": "submit"}, waiting_for=["ro"], opened_by="ro-1",
                                      opened_at=NOW, updated_at=NOW, version=1)
        assert isinstance(made, CaseSnapshot) and (made.version, made.waiting_for) == (1, ["ro"])
