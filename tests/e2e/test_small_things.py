"""Small things seen while living the BCT, LBBD and Dorset processes (issue 19, item 9), over HTTP
in Teams' shapes and by email: a reference typed wrongly gets "I can't find ..." with the nearest
real references; the request confirmation names the Policy Service once (BCT-2). (A closed
consultation's date: tests/e2e/test_bct_amendments.py.) SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.clock import LONDON
from tests.support.cases import request_document, text_of
from tests.support.presets import emails, people, preset_bot, said_as

AAD = people("bct")


@pytest.fixture
async def bct(db_url, smtp):
    async with preset_bot(db_url, "bct", datetime(2026, 11, 23, 10, 0, tzinfo=LONDON), POLICYBOT_MAIL_TRANSPORT="smtp",
                          SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), POLICYBOT_MAIL_FROM="policybot@trust.example",
                          POLICYBOT_REQUEST_MAILBOX="policy.service@trust.example") as bot:
        yield bot


@pytest.mark.parametrize("typed, nearest", [
    ("status PP-1O", "PP-010 Strategy Discussions (Trix chapter, Trust additions)"),  # a letter O for a nought
    ("review PP-2x", "PP-002 Information Sharing Protocol"),
    ("history PP--14", "PP-014 Fostering Panel Procedure"),
    ("status PP-0160", "PP-016 Practice Guidance: Working with Neglect"),
    ("status PPP-12", "PP-012 Private Fostering (Trix chapter, Trust additions)"),
])
async def test_a_mistyped_reference_gets_i_cant_find_with_the_nearest_real_ones(bct, typed, nearest):
    said = await said_as(bct, AAD, "psw", typed)
    assert "I can't find a document with the reference" in said, said
    assert "The nearest: " in said and nearest in said
    assert "didn't understand" not in said and "Search results" not in said


async def test_a_mistyped_reference_by_email_too(bct):
    said = await bct.say("status PP-1O", channel_id="email", user_id=emails("bct")["psw"], conversation="email-psw")
    text = said.replies[0]["text"]
    assert "I can't find a document with the reference 'PP-1O'. The nearest: PP-010 " in text


async def test_bct_2_the_request_confirmation_names_the_policy_service_once(bct, smtp):
    said = await request_document(
        bct, AAD["team-manager"], "a:team-manager", "we need a new procedure on pre-birth assessments",
        ["Procedure for an area of practice", "Safeguarding", "Pre-birth referrals rose after the 2026 audit", "none", "none"])
    assert "It goes to: the Policy Service (Practice Hub) and its mailbox" in text_of(said)
    said = await bct.say("yes", aad=AAD["team-manager"], conversation="a:team-manager")
    text = text_of(said)
    assert "I've sent it to the Policy Service (Practice Hub) to agree the need, and by email to its mailbox." in text
    first_line = text.splitlines()[0]
    assert first_line.count("Policy Service") == 1, first_line
    assert len(smtp.to("policy.service@trust.example")) == 1
