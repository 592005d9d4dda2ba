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
    assert lines[0] == "Children Missing from Home and Care"  # the answer first: the chapter's passage
    chapter = trix_site.chapters["missing-children"]
    assert lines[1].replace("**", "") in " ".join(chapter.paragraphs)  # quoted from the manual, never written
    assert "**missing**" in lines[1]  # the words that matched, in bold
    assert lines[2].startswith("Manual: Child Protection · under \"Procedure\" · updated ")
    assert "local owner Alex Dunmore (PP-001)" in lines[2]
    card = card_of(reply)
    assert {"type": "Action.OpenUrl", "title": "Open in the manual",
            "url": trix_site.origin + chapter.path + "#procedure"} in card["actions"]  # the heading's anchor
    assert [a["title"] for a in card["actions"] if a.get("verb") == "answer"] == ["Helpful", "Not what I needed"]


async def test_no_match_says_so_and_offers_to_request_a_new_document(bot, demo_aad, db_url, clock, trix_site, fast):
    await _sync(db_url, clock, trix_site, fast)
    said = await bot.say("is there a procedure on underwater basket weaving?", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "couldn't find anything in the manual or the register" in text
    assert "request a new document" in text
    said = await bot.say("find missing giraffes", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "These chapters may help:" in text and "request a new document" in text  # a weak match: no passage
