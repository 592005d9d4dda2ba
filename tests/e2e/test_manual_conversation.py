"""In conversation, over real HTTP: "is there a procedure on ...?" answers from the manual and the
register (LBBD-1: check the manual for existing content first); no good match says so plainly
and offers to request a new document."""

from __future__ import annotations

from bot.settings import Settings
from tests.support.runtime import services_for
from services.manual.sync import sync_manual
from store.uow import Store
from tests.support.channel import card_of, readable


async def _sync(db_url, clock, site, fast) -> None:
    store = Store(db_url)
    try:
        report = await sync_manual(services_for(Settings(database_url=db_url), clock=clock, store=store), site.url, config=fast)
        assert report.ok
    finally:
        await store.close()


async def test_is_there_a_procedure_on_missing_children_answers_from_the_manual_lbbd_1(bot, demo_aad, db_url, clock, trix_site, fast):
    await _sync(db_url, clock, trix_site, fast)
    said = await bot.say("Is there a procedure on missing children?", aad=demo_aad["ro-2"])
    reply = said.replies[0]
    text = readable(reply)
    lines = text.splitlines()
    assert lines[0] == "Search results"
    assert "in the manual and the register" in lines[1]
    assert lines[2] == "**Children Missing from Home and Care**"  # the best match first
    assert lines[3].startswith("Manual: Child Protection · updated ")
    assert "local owner Alex Dunmore (PP-001)" in lines[3]
    assert "**missing" in lines[4].lower()  # the snippet highlights what matched
    card = card_of(reply)
    first = next(b for b in card["body"] if b.get("type") == "Container")
    assert first["selectAction"] == {"type": "Action.OpenUrl", "url": trix_site.origin + trix_site.chapters["missing-children"].path}
    assert {"type": "Action.Submit", "title": "Status of PP-001", "data": {"command": "status PP-001"}} in card["actions"]


async def test_no_match_says_so_and_offers_to_request_a_new_document(bot, demo_aad, db_url, clock, trix_site, fast):
    await _sync(db_url, clock, trix_site, fast)
    said = await bot.say("is there a procedure on underwater basket weaving?", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "couldn't find anything in the manual or the register" in text
    assert "request a new document" in text
    said = await bot.say("find missing giraffes", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "matches \"missing giraffes\" closely" in text and "request a new document" in text
