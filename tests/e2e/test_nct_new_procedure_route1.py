"""NCT-17 with NCT-4 over HTTP, in Teams' shapes and by email, on SQLite and PostgreSQL.

With the publisher's template a new procedure follows Route 1 exactly as a scheduled update does: the PPO
presses "The publisher has a template" on the request's card; across Christmas the six-week window before
the 5 March 2027 deadline opens and the RO is asked (in Teams) to write it on the template, the RSM told (by
email); five working days before, both are warned; the deadline passes with nothing submitted, so it moves
to 4 June and the RO, RSM and PPO are told; the late-May bank holiday moves the June warning; missed again
with no later deadline, the PPO is asked to record one, and the case moves to it. A second new procedure on
the template, drafted and approved in February, is the PPO's to submit by the deadline: they are warned,
record it as submitted to the publisher (NCT-10), and it is not moved. The case card, the document's status
and its history show each step.

Without a template the PPO records the arrangements agreed by email, then changes them in plain words in
Teams ('arrangements for PP-047: ...'): the reminder before the old date is withdrawn, and the RO is reminded
before the new one and on the day."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.app import DISPATCHER_KEY
from services.clock import LONDON
from connectors.word.samples import tracked_docx
from tests.support.cases import buttons, last_to, press, request_document, sent_to, text_of
from tests.support.channel import readable
from tests.support.nct import update_sweep_at as _at, attach, email, email_text, hello, mails_to

ASKED = ["Local procedure", "Children in Care", "Residential staff have no guidance on vaping since the 2026 audit", "none", "none", "yes"]
ASK = "we need a new procedure on vaping in residential children's homes"
NEW = "PP-047 Vaping in residential children's homes"
PREVENT = "PP-048 Radicalisation and Prevent referrals"


def _texts(bot, conversation: str) -> str:
    return "\n".join(readable(a) for a in sent_to(bot, conversation))


def _mails(smtp, person: str) -> str:
    return "\n".join(mails_to(smtp, person))


@pytest.mark.by_email("rsm-cla")
async def test_nct_17_nct_4_a_new_procedure_on_the_template_follows_route_1_to_a_missed_deadline(nct_bot, demo_aad, smtp, clock):
    bot = nct_bot
    await hello(bot, demo_aad, "ppo", "ro-2", "ro-4", "rsm-early-help")
    said = await bot.say("the Tri.x deadlines are 5/3/27 and 4th June 2027", aad=demo_aad["ppo"], conversation="a:ppo")
    assert "Done: the update deadlines are Friday 5 March 2027 and Friday 4 June 2027." in text_of(said)

    said = await request_document(bot, demo_aad["ro-2"], "a:ro-2", ASK, ASKED)
    assert "case 1" in text_of(said), text_of(said)
    card = await bot.say("case 1", aad=demo_aad["ppo"], conversation="a:ppo")
    done = await press(bot, demo_aad["ppo"], buttons(card.replies[0])["template_available"], conversation="a:ppo")
    assert "it follows Route 1, the scheduled update, for the next update deadline, 5 March 2027 (NCT-17)" in done
    # A second new procedure on the template, which will be approved and submitted in time.
    said = await request_document(
        bot,
        demo_aad["ro-4"],
        "a:ro-4",
        "I need a new procedure on radicalisation and Prevent referrals",
        ["Local procedure", "Early Help", "The Prevent duty guidance changed in 2026", "none", "none", "yes"],
    )
    assert "case 2" in text_of(said), text_of(said)
    card = await bot.say("case 2", aad=demo_aad["ppo"], conversation="a:ppo")
    await press(bot, demo_aad["ppo"], buttons(card.replies[0])["template_available"], conversation="a:ppo")
    await bot.app[DISPATCHER_KEY].drain()
    assert "The update window is open" not in _texts(bot, "a:ro-2")  # held until the window opens (NCT-4)

    # Across Christmas to the window's opening, six weeks before the deadline: the RO's instruction, the RSM told.
    await _at(bot, clock, datetime(2027, 1, 21, 9, 30, tzinfo=LONDON))
    assert "The update window is open" not in _texts(bot, "a:ro-2")
    await _at(bot, clock, datetime(2027, 1, 22, 9, 5, tzinfo=LONDON))
    to_ro = _texts(bot, "a:ro-2")
    assert f"The update window is open: write {NEW} on the manual publisher (Tri.x)'s template" in to_ro
    assert "must be approved and submitted to the manual publisher (Tri.x) by Friday 5 March 2027" in to_ro
    assert f"The update window is open: {NEW}" in _mails(smtp, "rsm-cla")  # the RSM who works by email

    assert f"The update window is open: write {PREVENT}" in _texts(bot, "a:ro-4")

    # The second is drafted on the template and approved by its RSM in February.
    await _at(bot, clock, datetime(2027, 2, 1, 10, 0, tzinfo=LONDON))
    await attach(bot, demo_aad["ro-4"], "a:ro-4", "prevent.docx", tracked_docx(title="Radicalisation and Prevent Referrals"))
    await press(bot, demo_aad["rsm-early-help"], buttons(last_to(bot, "a:rsm-early-help"))["approve"], conversation="a:rsm-early-help")

    # Five working days before the deadline: the warning.
    await _at(bot, clock, datetime(2027, 2, 26, 9, 30, tzinfo=LONDON))
    warning = f"The update window closes on Friday 5 March 2027: {NEW}"
    assert warning in _texts(bot, "a:ro-2") and warning in _mails(smtp, "rsm-cla")
    assert f"The new procedure {NEW} (case 1) must be approved and submitted" in _texts(bot, "a:ro-2")
    # the approved one: the PPO is asked to submit it; they do, so it is not moved when the deadline passes
    assert f"{PREVENT} is approved. Please submit it to the manual publisher (Tri.x) by Friday 5 March 2027" in _texts(bot, "a:ppo")
    assert "The update window closes" not in _texts(bot, "a:ro-4")
    await _at(bot, clock, datetime(2027, 3, 1, 10, 0, tzinfo=LONDON))
    card = await bot.say("case 2", aad=demo_aad["ppo"], conversation="a:ppo")
    done = await press(bot, demo_aad["ppo"], buttons(card.replies[0])["submit_to_publisher"], conversation="a:ppo")
    assert "Submitted to the publisher for the next edition of the manual" in done

    # The deadline passes with nothing submitted to the publisher: it moves to the June update (NCT-4).
    await _at(bot, clock, datetime(2027, 3, 8, 9, 30, tzinfo=LONDON))
    moved = f"Missed the Friday 5 March 2027 update: {NEW}"
    for told in (_texts(bot, "a:ro-2"), _texts(bot, "a:ppo"), _mails(smtp, "rsm-cla")):
        assert moved in told and "must be approved and submitted by Friday 4 June 2027" in told
    assert "Missed the Friday 5 March 2027 update: PP-048" not in _texts(bot, "a:ppo")  # submitted in time (NCT-10)
    history = text_of(await bot.say("history PP-047", aad=demo_aad["ro-2"], conversation="a:ro-2"))
    assert "Missed the Friday 5 March 2027 update; moved to the next, Friday 4 June 2027, case 1" in history
    shown = text_of(await bot.say("case 1", aad=demo_aad["ro-2"], conversation="a:ro-2"))
    assert "Update deadline: Friday 4 June 2027" in shown and "Missed updates: Friday 5 March 2027" in shown
    assert "the publisher's template: Route 1, for the update deadline 4 June 2027" in shown
    status = text_of(await bot.say("status PP-047", aad=demo_aad["ro-2"], conversation="a:ro-2"))
    assert "Open case: case 1 (new document)" in status and "Update deadline: Friday 4 June 2027" in status

    # The spring bank holiday (Monday 31 May) moves the June warning to Thursday 27 May.
    await _at(bot, clock, datetime(2027, 5, 26, 9, 30, tzinfo=LONDON))
    assert "The update window closes on Friday 4 June 2027" not in _texts(bot, "a:ro-2")
    await _at(bot, clock, datetime(2027, 5, 27, 9, 30, tzinfo=LONDON))
    assert f"The update window closes on Friday 4 June 2027: {NEW}" in _texts(bot, "a:ro-2")

    # Missed again, with no later deadline recorded: the PPO is asked to record one; recorded, the case moves to it.
    await _at(bot, clock, datetime(2027, 6, 7, 9, 30, tzinfo=LONDON))
    assert "No later update deadline is recorded yet" in _texts(bot, "a:ppo")
    shown = text_of(await bot.say("case 1", aad=demo_aad["ppo"], conversation="a:ppo"))
    assert "Update deadline: not recorded yet: the PPO records it" in shown
    await bot.say("the Tri.x deadlines are 3 September 2027", aad=demo_aad["ppo"], conversation="a:ppo")
    await _at(bot, clock, datetime(2027, 6, 8, 9, 30, tzinfo=LONDON))
    assert "must be approved and submitted by Friday 3 September 2027" in _texts(bot, "a:ro-2")
    assert "must be approved and submitted by Friday 3 September 2027" in _mails(smtp, "rsm-cla")
    shown = text_of(await bot.say("case 1", aad=demo_aad["ro-2"], conversation="a:ro-2"))
    assert "Missed updates: Friday 5 March 2027, Friday 4 June 2027" in shown


@pytest.mark.by_email("ppo")
async def test_nct_17_the_arrangements_recorded_by_email_then_changed_in_words_drive_the_reminders(nct_bot, demo_aad, smtp, clock):
    bot = nct_bot
    await hello(bot, demo_aad, "ro-2")
    said = await request_document(bot, demo_aad["ro-2"], "a:ro-2", ASK, ASKED)
    assert "case 1" in text_of(said)
    said = await email(bot, "ppo", "NO TEMPLATE case 1: Jamie Castellan drafts it with the kinship team by 29 January 2027")
    assert "arrangements agreed: Jamie Castellan drafts it with the kinship team by 29 January 2027" in email_text(said)
    said = await email(bot, "ppo", "case 1")
    assert "ARRANGEMENTS case 1: <who writes it, and by when>" in email_text(said)  # changed later, by email too

    # The PPO changes them in plain words, in Teams.
    said = await bot.say("arrangements for PP-047: Jamie drafts by 12/2/27, the RSM reviews it", aad=demo_aad["ppo"], conversation="a:ppo")
    assert (
        "Arrangements for writing it: Jamie drafts by 12/2/27, the RSM reviews it (due 12 February 2027) (they were: "
        "Jamie Castellan drafts it with the kinship team by 29 January 2027)"
    ) in text_of(said)
    await bot.app[DISPATCHER_KEY].drain()
    assert "Jamie drafts by 12/2/27, the RSM reviews it (due 12 February 2027)" in _texts(bot, "a:ro-2")

    # Across Christmas: the reminder before the old date is not sent; the new one is, five working days before.
    await _at(bot, clock, datetime(2027, 1, 22, 9, 5, tzinfo=LONDON))
    assert "Due on 29 January 2027" not in _texts(bot, "a:ro-2")
    await _at(bot, clock, datetime(2027, 2, 5, 9, 5, tzinfo=LONDON))
    assert f"Due on 12 February 2027: {NEW}" in _texts(bot, "a:ro-2")
    assert "as agreed with the Policy and Procedures Officer: Jamie drafts by 12/2/27, the RSM reviews it (NCT-17)" in _texts(bot, "a:ro-2")
    await _at(bot, clock, datetime(2027, 2, 12, 9, 5, tzinfo=LONDON))
    assert f"Due today: {NEW}" in _texts(bot, "a:ro-2")
    shown = text_of(await bot.say("case 1", aad=demo_aad["ro-2"], conversation="a:ro-2"))
    assert "no template; arrangements: Jamie drafts by 12/2/27, the RSM reviews it (due 12 February 2027)" in shown
    assert "Update deadline" not in shown  # it does not follow Route 1
