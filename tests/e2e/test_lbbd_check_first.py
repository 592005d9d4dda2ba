"""LBBD-1 under the LBBD preset, over HTTP in Teams' shapes: before a new document, the check finds
what the question search finds. A request for a topic the register already covers under another
name (an acronym, a synonym, a narrower setting) is offered the existing document; a subject
nothing covers goes on to describe the new one. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.app import RUNTIME_KEY
from services.clock import LONDON, FixedClock
from tests.support.bot import RunningBot, settings_for
from tests.support.cases import text_of

OFFERED = "the register already has documents on this"


@pytest.fixture
async def lbbd_bot(db_url):
    bot = await RunningBot(settings_for(db_url, POLICYBOT_PRESET="lbbd"),
                           clock=FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))).start()
    try:
        yield bot
    finally:
        await bot.stop()


@pytest.mark.parametrize(("asked", "question", "ref", "covered"), [
    # an acronym for what the register's title spells out
    ("We need a new procedure on MCA assessments", "how do i do an MCA assessment", "PP-039", "Mental Capacity Act Assessments"),
    ("i need a new procedure for S42 enquiries", "who leads an s42 enquiry", "PP-037", "Adult Safeguarding Enquiries (Section 42)"),
    # a synonym (the social-care vocabulary's)
    ("We need a new policy on kinship care", "kinship care", "PP-020", "Family and Friends Care (Connected Persons)"),
    ("new procedure on preparing for adulthood please", "preparing for adulthood", "PP-040", "Transitions from Children's to Adult Services"),
    ("I need a new procedure on respite for disabled children", "respite for disabled children", "PP-031", "Short Breaks for Disabled Children"),
    # a narrower setting than the document's
    ("need a new procedure on deprivation of liberty in hospitals", "deprivation of liberty in hospital", "PP-038",
     "Deprivation of Liberty Safeguards (DoLS)"),
    ("We need a new procedure for care leavers in custody", "what support do care leavers in custody get", "PP-021", "Leaving Care and Transition to Adulthood"),
])
async def test_lbbd_1_a_request_is_offered_the_document_that_covers_it_under_another_name(lbbd_bot, demo_aad, asked, question,
                                                                                         ref, covered):
    """LBBD-1: check the existing content first; what exists under another name is offered for review,
    and the question search, asked about the same thing, cites the same document."""
    bot = lbbd_bot
    said = await bot.say(asked, aad=demo_aad["ro-5"], conversation="a:ro-5")
    text = text_of(said)
    assert OFFERED in text
    assert f"**{ref}**: {covered}" in text and f"[{ref}]" in text
    await bot.say("cancel", aad=demo_aad["ro-5"], conversation="a:ro-5")
    said = await bot.say(question, aad=demo_aad["ro-5"], conversation="a:ro-5")
    assert covered in text_of(said)


@pytest.mark.parametrize("subject", ["pets at work", "radicalisation and Prevent referrals"])
async def test_lbbd_1_a_subject_nothing_covers_goes_on_to_the_new_document(lbbd_bot, demo_aad, subject):
    """LBBD-1: when nothing in the register covers it (its main words held by no document), the request carries on;
    the demand report (issue 16 item 5) keeps it under the person's directory id, as their questions are."""
    bot = lbbd_bot
    said = await bot.say(f"I need a new policy on {subject}", aad=demo_aad["ro-5"], conversation="a:ro-5")
    text = text_of(said)
    assert OFFERED not in text
    assert f"I found nothing in the register that already covers \"{subject}\"" in text
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        [kept] = [a for a in await uow.answers.unmet() if a.outcome == "request"]
    assert (kept.question, kept.person_id) == (subject, "ro-5")
