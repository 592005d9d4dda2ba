"""NCT-14 in conversation: "which other procedures link to PP-003?" lists the chapters and register
documents a change to it may affect, with why; before the manual has ever been synced the reply
says so and how to sync, never an empty list. In Teams and by email; SQLite and PostgreSQL."""

from __future__ import annotations

from bot.app import RUNTIME_KEY
from connectors.trix.crawler import CrawlConfig
from services.manual.sync import sync_manual
from tests.support.cases import text_of
from tests.support.nct import email, email_text
from tests.support.trix_site import TrixSite


async def test_nct_14_which_other_procedures_link_to_a_document(nct_bot, demo_aad):
    bot = nct_bot
    said = await bot.say("which other procedures link to PP-003?", aad=demo_aad["ro-1"], conversation="a:ro-1")
    text = text_of(said)
    assert "The procedures manual has never been synced here, so I don't know which chapters link to PP-003" in text
    assert "policybot manual sync" in text

    site = await TrixSite(slow_seconds=5.0).start()
    try:
        services = bot.app[RUNTIME_KEY].services
        async with services.uow() as uow:
            doc = await uow.documents.by_ref("PP-003")
            await uow.documents.update(doc.id, manual_url=site.origin + site.chapters["strategy-discussions"].path)
            await uow.commit()
        report = await sync_manual(services, site.url, config=CrawlConfig(delay=0.0, concurrency=6, timeout=2.0, retries=0))
        assert report.ok
    finally:
        await site.stop()
    said = await email(bot, "ro-1", "which other procedures link to PP-003")
    text = email_text(said)
    assert "Procedures and chapters a change to PP-003 Strategy Discussions and Meetings may affect (NCT-14):" in text
    assert "never been synced" not in text
    assert "links to" in text or "shares key terms" in text
    assert text.count("\n- ") >= 2
