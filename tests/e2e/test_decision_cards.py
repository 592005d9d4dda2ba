"""Issue 17 item 5: a decision card a person can decide from, over the bot's HTTP endpoint in
Teams' shapes on SQLite and PostgreSQL. NCT-17: the PPO's card for a new request names who asked
and when, the need, the stakeholders, the type, category and service area, and the deadline in UK
working days; NCT-6: the RSM's card for a draft names the document, version, stage, who sent it and
when, the deadline, the change summary and carries the draft button."""

from __future__ import annotations

from governance.calendar import WorkingCalendar
from render.messages import uk_date
from tests.support.cases import request_document, text_of
from tests.support.channel import card_of, card_text
from tests.e2e.test_draft_files import _submitted, file_server  # noqa: F401 - the fixture


def _last_card(bot, conversation: str) -> dict:
    return [a for a in bot.channel.in_conversation(conversation) if card_of(a)][-1]


async def test_nct_17_the_ppos_card_for_a_new_request_has_everything_to_decide_from(bot, demo_aad, clock):
    await bot.say("help", aad=demo_aad["ppo"], conversation="a:ppo-chat")
    said = await request_document(bot, demo_aad["ro-4"], "a:ro-4", "I need a new procedure on radicalisation and Prevent referrals",
                                  ["Local procedure", "Early Help", "The Prevent duty guidance changed in 2026",
                                   "Schools, the police and the Channel panel", "none", "yes"])
    assert "case 1" in text_of(said)
    words = card_text(card_of(_last_card(bot, "a:ppo-chat")))
    today = clock.today()
    due = WorkingCalendar("england").add_working_days(today, 5)
    for expected in ("Radicalisation", "Requested by", uk_date(today), "Why it is needed",
                     "The Prevent duty guidance changed in 2026", "Stakeholders",
                     "Schools, the police and the Channel panel", "Local procedure", "Early Help",
                     "Decide by", f"{uk_date(due)} (5 working days"):
        assert expected in words, (expected, words)
    assert "Agree" in words or "agree" in words  # the decision buttons are there


async def test_nct_6_the_rsms_card_for_a_draft_names_version_sender_deadline_and_changes(bot, demo_aad, file_server, clock):  # noqa: F811
    await _submitted(bot, demo_aad, file_server)
    card = card_of(_last_card(bot, "a:rsm-chat"))
    words = card_text(card)
    due = WorkingCalendar("england").add_working_days(clock.today(), 5)
    for expected in ("PP-001", "version 1, amended.docx", "sent by Alex Dunmore", uk_date(clock.today()),
                     "Stage", "Decide by", uk_date(due), "What changed", "insertions"):
        assert expected in words, (expected, words)
    titles = [a["title"] for a in card["actions"]]
    assert "Open the draft" in titles and "Approve" in titles
    assert "Withdraw" not in titles  # only those who may withdraw are offered it
