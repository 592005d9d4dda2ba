"""NCT-8: the RSM defers to SLT only after discussing it with their Assistant Director. The button
reads "Defer to SLT", it asks for that discussion and records it, and SLT sees the note, in Teams
and by email. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from connectors.word.samples import tracked_docx
from tests.support.cases import review_ticked, buttons, last_to, press, text_of
from tests.support.channel import card_of, card_text, readable
from tests.support.nct import attach, email, email_text, hello, mails_to

NOTE = "Spoke to Sasha Okonkwo on 20 November; she agreed it goes to SLT because it changes the placement budget"


async def test_nct_8_defer_to_slt_asks_for_the_discussion_with_the_assistant_director(nct_bot, demo_aad):
    """NCT-8 in Teams: the RSM's card says "Defer to SLT" and asks for the discussion with the AD;
    an empty note is refused; the note is recorded and SLT's card shows it."""
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "rsm-cla", "ro-2", "director")
    ro, rsm = demo_aad["ro-2"], demo_aad["rsm-cla"]
    await review_ticked(bot, "PP-017", aad=ro, conversation="a:ro-2")
    await attach(bot, ro, "a:ro-2", "foster.docx", tracked_docx(title="Placement with Foster Carers"))
    rsm_card = last_to(bot, "a:rsm-cla")
    shown = card_text(card_of(rsm_card))
    assert "[Defer to SLT]" in shown and "Defer to the higher body" not in shown
    assert "Your discussion with your Assistant Director (NCT-8): when you spoke and what you agreed" in shown

    refused = await press(bot, rsm, buttons(rsm_card)["defer"], conversation="a:rsm-cla", text="  ")
    assert "Not done: Please say your discussion with your Assistant Director (NCT-8)" in refused
    done = await press(bot, rsm, buttons(rsm_card)["defer"], conversation="a:rsm-cla", text=NOTE)
    assert "SLT approval" in done

    slt = readable(last_to(bot, "a:director"))
    assert f"Discussed with the Assistant Director: {NOTE}" in slt
    assert set(buttons(last_to(bot, "a:director"))) == {"approve", "approve_with_conditions"}
    assert f"Deferred to SLT approval. Discussed with the Assistant Director: {NOTE}" in readable(last_to(bot, "a:ro-2"))
    history = text_of(await bot.say("history PP-017", aad=ro))
    assert f"Deferred to 'SLT approval'. Discussed with the Assistant Director: {NOTE}" in history
    # SLT opening the case later still sees the note.
    said = await bot.say("case 1", aad=demo_aad["director"], conversation="a:director")
    assert f"Discussed with the Assistant Director: {NOTE}" in text_of(said)


@pytest.mark.by_email("director", "rsm-cla")
async def test_nct_8_defer_to_slt_by_email_with_the_ad_note(nct_bot, demo_aad, smtp):
    """NCT-8 by email: the RSM's email names the reply words; DEFER without the discussion is
    refused with the question; with it, SLT's email carries the note and its reply words."""
    bot = nct_bot
    await hello(bot, demo_aad, "ro-2")
    ro = demo_aad["ro-2"]
    await review_ticked(bot, "PP-017", aad=ro, conversation="a:ro-2")
    await attach(bot, ro, "a:ro-2", "foster.docx", tracked_docx(title="Placement with Foster Carers"))
    asked = mails_to(smtp, "rsm-cla")[-1]
    assert "DEFER case 1: <your words>" in asked
    said = await email(bot, "rsm-cla", "DEFER case 1")
    assert "Please say your discussion with your Assistant Director (NCT-8)" in email_text(said)
    assert not mails_to(smtp, "director")
    said = await email(bot, "rsm-cla", f"DEFER case 1: {NOTE}")
    assert "SLT approval" in email_text(said)
    to_slt = mails_to(smtp, "director")
    assert len(to_slt) == 1
    assert f"Discussed with the Assistant Director: {NOTE}" in to_slt[0]
    assert "APPROVE case 1" in to_slt[0]
    said = await email(bot, "director", "APPROVE case 1")
    assert "Approved at 'SLT approval'" in email_text(said)
