"""NCT-14 when a review opens: the related local procedures and manual chapters (links, shared key
terms, the register's own documents) are listed on the RO's message and card; the RO confirms or
dismisses each, on the card in Teams or in words by email, recorded on the case and audited. Before
the manual has ever been synced the reply says so and how to sync it, never an empty list.
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.app import RUNTIME_KEY
from connectors.trix.crawler import CrawlConfig
from services.manual.sync import sync_manual
from tests.support.cases import buttons, press, text_of
from tests.support.channel import card_of
from tests.support.nct import email, email_text, hello
from tests.support.trix_site import TrixSite


def _toggles(activity: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Input.Toggle" and node.get("id", "").startswith("related_"):
                found[node["id"]] = node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card_of(activity))
    return found


@pytest.mark.by_email("ro-1")
async def test_nct_14_a_review_lists_what_it_may_affect_and_the_ro_confirms_or_dismisses_each(nct_bot, demo_aad):
    bot = nct_bot
    await hello(bot, demo_aad, "ro-6")
    ro6 = demo_aad["ro-6"]
    # Never synced: said, with how to sync; the register's own documents still come up.
    said = await bot.say("review PP-004", aad=ro6, conversation="a:ro-6")
    text = text_of(said)
    assert "The procedures manual has never been synced here, so I can't list the chapters that link to PP-004" in text
    assert "policybot manual sync" in text
    assert "Related procedures (NCT-14)" in text or "may be affected too" in text

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

    # Synced: the RO of PP-003 opens its review by email; the chapters and procedures are listed, numbered.
    said = await email(bot, "ro-1", "review PP-003")
    text = email_text(said)
    assert "These procedures and chapters may be affected too (NCT-14):" in text and "never been synced" not in text
    assert "1. " in text and "2. " in text and ("links to" in text or "shares key terms" in text)
    assert "CONFIRM RELATED case 2: <the numbers, e.g. 1, 3>" in text
    said = await email(bot, "ro-1", "CONFIRM RELATED case 2: 1")
    assert "confirmed; " in email_text(said) and "still to decide" in email_text(said)
    said = await email(bot, "ro-1", "DISMISS RELATED case 2: 2")
    assert "dismissed" in email_text(said)
    said = await email(bot, "ro-1", "DISMISS RELATED case 2: 40")
    assert "give their numbers" in email_text(said)

    # In Teams, on the card: the toggles show the decisions so far; saving records the rest.
    await hello(bot, demo_aad, "ro-1")
    card = (await bot.say("case 2", aad=demo_aad["ro-1"], conversation="a:ro-1")).replies[0]
    toggles = _toggles(card)
    assert toggles["related_1"]["value"] == "true" and "(confirmed)" in toggles["related_1"]["title"]
    assert toggles["related_2"]["value"] == "false" and "(dismissed)" in toggles["related_2"]["title"]
    values = {k: "true" if k == "related_3" else t["value"] for k, t in toggles.items()}
    done = await press(bot, demo_aad["ro-1"], buttons(card)["record_related"], conversation="a:ro-1", **values)
    assert "Related procedures:" in done and "(NCT-14)" in done
    async with bot.app[RUNTIME_KEY].services.uow() as uow:
        doc = await uow.documents.by_ref("PP-003")
        audit = [e for e in await uow.audit.for_entity("document", doc.id) if e.action == "record_related"]
    assert len(audit) == 3 and all(e.actor_id == "ro-1" for e in audit)
    history = text_of(await bot.say("history PP-003", aad=demo_aad["ro-1"], conversation="a:ro-1"))
    assert "confirmed" in history and "dismissed" in history
