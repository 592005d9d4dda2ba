"""Issue 18 item 11: the words the seed uses. NCT-12: a review with no amendments goes to the RSM with
"The <name> has been reviewed and no changes are required.", the seed's sentence with the title in
its place; the RSM's approval agrees it and the PPO is told. The demo organisation has no approval
dated after today. In Teams and by email; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import RUNTIME_KEY
from governance.dates import parse_date
from tests.support.cases import buttons, last_to, press, text_of
from tests.support.channel import readable
from tests.support.nct import email, email_text, hello, mails_to

SENTENCE = "The Foster Carer Assessment and Approval has been reviewed and no changes are required."


async def test_nct_12_no_changes_reads_as_the_seeds_sentence_in_teams(nct_bot, demo_aad):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "rsm-cla", "ro-2")
    ro, rsm = demo_aad["ro-2"], demo_aad["rsm-cla"]
    said = await bot.say("review PP-019", aad=ro, conversation="a:ro-2")
    done = await press(bot, ro, buttons(said.replies[0])["no_change"], conversation="a:ro-2")
    assert SENTENCE in done and "PP-019 Foster Carer" not in SENTENCE
    to_rsm = readable(last_to(bot, "a:rsm-cla"))
    assert SENTENCE in to_rsm and "The PP-019" not in to_rsm
    await press(bot, rsm, buttons(last_to(bot, "a:rsm-cla"))["approve"], conversation="a:rsm-cla")
    told = readable(last_to(bot, "a:ppo"))
    assert "Review agreed, no changes: PP-019 Foster Carer Assessment and Approval" in told and SENTENCE in told
    status = text_of(await bot.say("status PP-019", aad=ro, conversation="a:ro-2"))
    assert "Last reviewed: 23 November 2026" in status and "Next review by: 23 November 2027" in status


@pytest.mark.by_email("rsm-cla", "ppo")
async def test_nct_12_no_changes_by_email(nct_bot, demo_aad, smtp):
    bot = nct_bot
    said = await email(bot, "ro-2", "review PP-019")
    assert "NO CHANGES ARE NEEDED case 1" in email_text(said)
    said = await email(bot, "ro-2", "NO CHANGES ARE NEEDED case 1")
    assert SENTENCE in email_text(said)
    assert any(SENTENCE in m for m in mails_to(smtp, "rsm-cla"))
    said = await email(bot, "rsm-cla", "APPROVE case 1")
    assert "reviewed no change" in email_text(said).lower() or "Approved" in email_text(said)
    assert any(m.startswith("Review agreed, no changes: PP-019") and SENTENCE in m for m in mails_to(smtp, "ppo"))


async def test_the_demo_has_no_approval_dated_after_today(nct_bot, clock):
    """Item 11: the demo register's approvals and last reviews are all on or before 'today'; its
    review dates still spread from overdue to well ahead."""
    bot = nct_bot
    today = clock.today()
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        docs = await uow.documents.all()
    assert len(docs) >= 40
    assert all(d.approved_on is None or d.approved_on <= today for d in docs), [
        (d.ref, d.approved_on) for d in docs if d.approved_on and d.approved_on > today]
    assert all(d.last_reviewed_on is None or d.last_reviewed_on <= today for d in docs)
    assert any(d.next_review_due < today for d in docs) and any((d.next_review_due - today).days > 365 for d in docs)
    ahead = max(docs, key=lambda d: d.next_review_due)
    status = text_of(await bot.say(f"status {ahead.ref}"))
    approved = next(line for line in status.splitlines() if line.startswith("Approved: "))
    assert parse_date(approved.removeprefix("Approved: "), today) <= today < date(2027, 1, 1)
