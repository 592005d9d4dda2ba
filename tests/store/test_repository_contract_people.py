"""The people repository hands out frozen snapshots (services.ports.PersonSnapshot) on the service
tier's fake and on the real store over SQLite and PostgreSQL: a person changes only through
`uow.people.update` (or the register's `set_roles`), which returns the new snapshot (issue 14)."""

from __future__ import annotations

import dataclasses

import pytest

from services.ports import PersonSnapshot
from tests.store.test_repository_contract import _org


async def test_people_come_back_as_frozen_snapshots_and_change_only_through_update(uow_factory):
    await _org(uow_factory)
    async with uow_factory() as uow:
        ro = await uow.people.get("ro-1")
        assert isinstance(ro, PersonSnapshot) and ro.role_names == frozenset({"ro", "consultee"})
        with pytest.raises(dataclasses.FrozenInstanceError):
            ro.name = "Someone else"  # type: ignore[misc]
        assert {type(p) for p in await uow.people.all()} == {PersonSnapshot}
        assert (await uow.people.by_email(" ALEX.DUNMORE@example.org ")) == ro  # equal when every field is
        assert {ro, await uow.people.get("ro-1")} == {ro}  # hashed by id: a set of people holds each once
        changed = await uow.people.update("ro-1", name="Alex Dunmore-Price", active=False)
        assert (changed.name, changed.active) == ("Alex Dunmore-Price", False)
        assert (ro.name, ro.active) == ("Alex Dunmore", True)  # the snapshot held from before stays as read
        assert (await uow.people.get("ro-1")).name == "Alex Dunmore-Price"  # this unit of work reads its change
        await uow.register.set_roles(ro, ["rsm"])
        assert (await uow.people.get("ro-1")).role_names == frozenset({"rsm"})
        assert ro.role_names == frozenset({"ro", "consultee"})
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.people.get("ro-1")
        assert (again.name, again.active, again.role_names) == ("Alex Dunmore-Price", False, frozenset({"rsm"}))
        assert [p.id for p in await uow.people.with_role("rsm")] == ["rsm-1"]  # active people only
