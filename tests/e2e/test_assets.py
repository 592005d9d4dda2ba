"""Forms and other assets linked to the documents that govern them (DOR-1, DOR-14)."""

from __future__ import annotations

import pytest

from bot.app import SERVICES_KEY
from services.register.assets import assets_to_update, link_asset, save_asset
from services.errors import BadInput, NotFound
from tests.support.channel import readable


async def test_a_change_to_a_procedure_lists_the_forms_to_update_DOR_14(bot, demo_aad):
    services = bot.app[SERVICES_KEY]
    await save_asset(services, "form-12", "Return home interview form", kind="form", owner="ro-1",
                     location="Mosaic > Missing episode")
    await save_asset(services, "TRN-3", "Missing children e-learning", kind="training")
    await save_asset(services, "FORM-13", "Strategy discussion record", kind="form")
    assert await link_asset(services, "FORM-12", "pp-001", note="section 4, the interview")
    assert await link_asset(services, "TRN-3", "PP-001")
    assert await link_asset(services, "FORM-13", "PP-003")
    assert not await link_asset(services, "FORM-12", "PP-001")  # once only

    async with services.uow() as uow:
        listed = await assets_to_update(uow, "PP-001")
    assert [(a.ref, a.kind, a.owner, a.note) for a in listed] == [
        ("FORM-12", "form", "Alex Dunmore", "section 4, the interview"), ("TRN-3", "training", None, None)]

    said = await bot.say("status PP-001", aad=demo_aad["ro-1"])
    text = readable(said.replies[0])
    assert "Forms and assets to update when this changes" in text
    assert "FORM-12 Return home interview form (form) - section 4, the interview" in text
    assert "TRN-3 Missing children e-learning (training)" in text
    assert "FORM-13" not in text
    said = await bot.say("history PP-001", aad=demo_aad["ro-1"])
    assert "FORM-12 Return home interview form (form) is governed by this document (DOR-14)" in readable(said.replies[0])

    assert await link_asset(services, "TRN-3", "PP-001", unlink=True)
    async with services.uow() as uow:
        assert [a.ref for a in await assets_to_update(uow, "PP-001")] == ["FORM-12"]


async def test_assets_refuse_bad_input_politely(sqlite_url, clock):
    from tests.store.test_ownership import _demo

    services = await _demo(sqlite_url, clock)
    try:
        with pytest.raises(BadInput, match="not a kind of asset"):
            await save_asset(services, "F-1", "A form", kind="spaceship")
        with pytest.raises(BadInput, match="short reference"):
            await save_asset(services, "", "A form")
        with pytest.raises(NotFound, match="There is no asset 'F-9'"):
            await link_asset(services, "F-9", "PP-001")
        await save_asset(services, "F-1", "A form")
        with pytest.raises(NotFound, match="can't find a document with the reference 'PP-999'"):
            await link_asset(services, "F-1", "PP-999")
        updated = await save_asset(services, "F-1", "A better form", kind="template")
        assert (updated.title, updated.kind) == ("A better form", "template")
    finally:
        await services.store.close()
