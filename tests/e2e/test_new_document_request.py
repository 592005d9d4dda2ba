"""The new-document request dialog over HTTP (issue 4, items 1 and 2), under the NCT preset:
check first (LBBD-1), type help (MA-1, MA-2), routed to the PPO (NCT-17) with a card to agree the
need, ask for more or decline; help, cancel, nonsense and an abandoned dialog. SQLite and PostgreSQL."""

from __future__ import annotations

from aiohttp import web

from bot.app import RUNTIME_KEY, SERVICES_KEY
from bot.bootstrap import create_app
from tests.support.cases import buttons, last_to, press, text_of
from tests.support.channel import card_of, readable


async def _register_size(bot) -> int:
    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        return await uow.documents.count()


async def test_lbbd_1_check_first_offers_to_update_what_exists(bot, demo_aad):
    """LBBD-1: before a new document, the register is searched; its owner is offered the review of
    the existing one (and starts it), anyone else the unscheduled review with its reason."""
    ro1, ro4 = demo_aad["ro-1"], demo_aad["ro-4"]
    said = await bot.say("I need a new procedure on children missing from care", aad=ro1, conversation="a:ro1")
    text = text_of(said)
    assert "the register already has documents on this" in text
    assert "**PP-001**: Children Missing from Home and Care" in text and "[PP-001]" in text
    said = await bot.say("PP-001", aad=ro1, conversation="a:ro1")
    assert "Good: rather than a new document, case 1 is open: scheduled review of PP-001" in text_of(said)

    # Work already in progress on it is pointed out rather than duplicated.
    await bot.say("We need a new procedure about children who go missing from care", aad=ro4, conversation="a:ro4")
    said = await bot.say("1", aad=ro4, conversation="a:ro4")
    assert "PP-001 Children Missing from Home and Care already has work in progress (case 1)" in text_of(said)

    said = await bot.say("We need a new procedure for the fostering panel", aad=ro4, conversation="a:ro4")
    assert "[PP-018]" in text_of(said)
    said = await bot.say("update pp-018", aad=ro4, conversation="a:ro4")
    text = text_of(said)
    assert "you can ask for PP-018 to be reviewed and updated instead" in text
    assert "An unscheduled review of PP-018 needs its reason" in text  # NCT-13
    assert await _register_size(bot) == 46  # nothing new in the register

    # 'new' carries on with a new document after all.
    await bot.say("I need a new procedure on children missing from care", aad=ro4, conversation="a:ro4")
    said = await bot.say("new", aad=ro4, conversation="a:ro4")
    assert "Fine: a new document it is." in text_of(said)
    assert "Which category is it?" in text_of(said)  # the type was said at the start


async def test_nct_17_a_request_reaches_the_ppo_who_asks_for_more_then_agrees(bot, demo_aad):
    """NCT-17 (the PPO receives a new procedure request), MA-1 (type help), issue 4 item 10 (help
    and polite re-asking at each step), and the PPO's card: ask for more, then agree the need."""
    ro, ppo = demo_aad["ro-4"], demo_aad["ppo"]
    await bot.say("help", aad=ppo, conversation="a:ppo")
    said = await bot.say("request a new document", aad=ro, conversation="a:ro4")
    assert "What should the new document cover?" in text_of(said)
    said = await bot.say("x", aad=ro, conversation="a:ro4")
    assert "Sorry, I need a few words about what it should cover" in text_of(said)
    said = await bot.say("radicalisation and Prevent referrals", aad=ro, conversation="a:ro4")
    text = text_of(said)
    assert "I found nothing in the register that already covers" in text
    assert "What type of document is it?" in text
    assert "**Protocol**: An agreement between two or more parties" in text  # MA-1 explained
    said = await bot.say("help", aad=ro, conversation="a:ro4")
    assert "a Policy says why, a Procedure says how" in text_of(said)
    said = await bot.say("banana", aad=ro, conversation="a:ro4")
    assert 'Sorry, "banana" is not one of the document types here.' in text_of(said)
    said = await bot.say("3", aad=ro, conversation="a:ro4")  # Procedure, by its number (as by email)
    assert "Which category is it?" in text_of(said)
    said = await bot.say("Local procedure", aad=ro, conversation="a:ro4")
    assert "Which service area is it for?" in text_of(said)
    said = await bot.say("Narnia", aad=ro, conversation="a:ro4")
    assert "I don't know a service area called \"Narnia\"" in text_of(said)
    await bot.say("early help", aad=ro, conversation="a:ro4")
    said = await bot.say("ok", aad=ro, conversation="a:ro4")
    assert "Please say in a sentence why it is needed." in text_of(said)
    await bot.say("The Prevent duty guidance changed in 2026", aad=ro, conversation="a:ro4")
    await bot.say("Early Help and the Prevent lead", aad=ro, conversation="a:ro4")
    said = await bot.say("Nobody Known", aad=ro, conversation="a:ro4")
    assert "I couldn't find \"Nobody Known\" in the directory" in text_of(said)
    said = await bot.say("Rowan Feld", aad=ro, conversation="a:ro4")
    text = text_of(said)
    for line in ("Subject: radicalisation and Prevent referrals", "Type: Procedure", "Category: Local procedure",
                 "Service area: Early Help", "Why: The Prevent duty guidance changed in 2026",
                 "Stakeholders: Early Help and the Prevent lead", "Consultees you named: Rowan Feld",
                 "It goes to: the Policy and Procedures Officer", "Shall I send this request?"):
        assert line in text, line
    said = await bot.say("maybe", aad=ro, conversation="a:ro4")
    assert 'Sorry, I didn\'t follow "maybe"' in text_of(said)
    assert await _register_size(bot) == 46
    said = await bot.say("yes", aad=ro, conversation="a:ro4")
    assert "Thanks: your request is PP-047 Radicalisation and Prevent referrals, case 1. I've sent it to the Policy and Procedures Officer" in text_of(said)

    # The PPO has a card with exactly the agree-need choices (with or without the publisher's template, NCT-17) and withdraw.
    to_ppo = bot.channel.in_conversation("a:ppo")[1:]
    assert len(to_ppo) == 1 and "New document requested: PP-047" in readable(to_ppo[0])
    choices = buttons(to_ppo[0])
    assert set(choices) == {"agree_need", "template_available", "no_template", "ask_more", "decline_need", "withdraw"}
    # The requester cannot agree their own request.
    refused = await press(bot, ro, choices["agree_need"], conversation="a:ro4")
    assert "Not done: Only the Policy and Procedures Officer" in refused
    done = await press(bot, ppo, choices["ask_more"], conversation="a:ppo", text="Is there a template from the publisher?")
    assert "More information asked for" in done
    told = last_to(bot, "a:ro4")
    assert "More information needed: PP-047" in readable(told)
    provide = buttons(told)["provide_information"]
    await press(bot, ro, provide, conversation="a:ro4", text="Yes, Tri.x has a Prevent template")
    said = await bot.say("case 1", aad=ppo, conversation="a:ppo")
    done = await press(bot, ppo, buttons(said.replies[0])["agree_need"], conversation="a:ppo")
    assert "RO drafts the procedure" in done
    said = await bot.say("status PP-047", aad=ro)
    status = readable(said.replies[0])
    assert "Status: requested" in status and "Responsible Officer: Drew Ashby" in status
    assert "Responsible Strategic Manager: Casey Lindqvist" in status  # the Early Help RSM (NCT-1)
    said = await bot.say("history PP-047", aad=ro)
    history = readable(said.replies[0])
    assert "New procedure requested (case 1); stakeholders: Early Help and the Prevent lead" in history
    assert "(reason: The Prevent duty guidance changed in 2026)" in history


async def test_ma_2_a_strategy_meeting_is_not_a_strategy_document(bot, demo_aad):
    """MA-2 with LBBD-1: 'strategy meetings' finds the strategy discussions procedure first, and a
    Strategy document is only taken when it is meant."""
    ro = demo_aad["ro-6"]
    said = await bot.say("we need a new strategy on strategy meetings", aad=ro, conversation="a:ro6")
    text = text_of(said)
    assert "It sounds as if you mean a strategy meeting or strategy discussion" in text
    assert "[PP-003]" in text and "Strategy Discussions and Meetings" in text
    said = await bot.say("new", aad=ro, conversation="a:ro6")
    text = text_of(said)
    assert "What type of document is it?" in text and "It sounds as if you mean a strategy meeting" in text
    said = await bot.say("Strategy", aad=ro, conversation="a:ro6")
    assert "If you do mean a Strategy document, say 'strategy document'." in text_of(said)
    said = await bot.say("Practice Guidance", aad=ro, conversation="a:ro6")
    assert "Which category is it?" in text_of(said)
    said = await bot.say("change type", aad=ro, conversation="a:ro6")
    assert "Sorry" in text_of(said)  # 'change' is for the last step
    await bot.say("cancel", aad=ro, conversation="a:ro6")
    said = await bot.say("I need a new strategy about neglect in the early years", aad=ro, conversation="a:ro6")
    assert "Which category is it?" in text_of(said) or "[PP-028]" in text_of(said)


async def test_cancel_and_an_abandoned_request_send_nothing(bot, demo_aad, clock):
    """Issue 4 item 10: 'cancel' stops at any step; after 24 hours of silence (issue 15) the dialog lapses
    and the person is told when they come back; nothing reaches the register either way."""
    ro = demo_aad["ro-4"]
    await bot.say("I need a new policy on pets at work", aad=ro, conversation="a:ro4")
    said = await bot.say("cancel", aad=ro, conversation="a:ro4")
    assert "OK, I've stopped the request for a new document. Nothing was sent." in text_of(said)
    said = await bot.say("Early Help", aad=ro, conversation="a:ro4")
    # no dialog left behind: a bare topic is a question (issue 15), answered from the manual (issue 16)
    assert "Early Help Assessment" in text_of(said) and "[Not what I needed]" in text_of(said)

    await bot.say("I need a new policy on pets at work", aad=ro, conversation="a:ro4")
    said = await bot.say("Manual chapter", aad=ro, conversation="a:ro4")
    assert "Which service area is it for?" in text_of(said)
    clock.advance(hours=23)
    said = await bot.say("Narnia", aad=ro, conversation="a:ro4")  # still in the dialog after 23 hours
    assert "Sorry, I don't know a service area called" in text_of(said)
    clock.advance(hours=24, minutes=1)  # issue 15 item 6: a dialog left for 24 hours lapses
    said = await bot.say("Early Help", aad=ro, conversation="a:ro4")
    text = text_of(said)
    assert text.startswith("Your request for a new document was left unanswered for more than a day")
    assert "Early Help Assessment" in text and "[Not what I needed]" in text  # and the question is answered
    # Another person's dialog in the same group chat is theirs alone.
    said = await bot.say("request a new document", aad=ro, conversation="a:ro4")
    said = await bot.say("my tasks", aad=demo_aad["ro-1"], conversation="a:ro4")
    assert "nothing is waiting for you" in text_of(said)
    assert await _register_size(bot) == 46


async def test_the_dialog_survives_a_restart_and_answers_from_its_card(bot, demo_aad):
    """The dialog's state lives in the database, not the process; a card's text box answers it."""
    ro = demo_aad["ro-4"]
    said = await bot.say("I need a new procedure", aad=ro, conversation="a:ro4")
    card = card_of(said.replies[0])
    send = next(a for a in card["actions"] if a["title"] == "Send")
    act = bot.activity(None, aad=ro, conversation="a:ro4", value={**send["data"], "answer": "Sexual health clinic referrals for young people"})
    said = await bot.send(act)
    assert "Which category is it?" in text_of(said)
    await bot.runner.cleanup()  # the bot stops and a new process starts on the same database
    bot.app = create_app(bot.settings, clock=bot.clock)
    bot.runner = web.AppRunner(bot.app)
    await bot.runner.setup()
    site = web.TCPSite(bot.runner, "127.0.0.1", 0)
    await site.start()
    bot.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # noqa: SLF001
    said = await bot.say("1", aad=ro, conversation="a:ro4")
    assert "Which service area is it for?" in text_of(said)


async def test_lbbd_1_check_first_also_says_what_the_procedures_manual_already_covers(bot, demo_aad, clock):
    """LBBD-1 (check first) with the manual indexed (issue 6): no local document covers the subject,
    but the manual has a chapter on it, so the person is told before describing a new one."""

    services = bot.app[SERVICES_KEY]
    now = clock.now()
    async with services.uow() as uow:
        await uow.manual.add(url="https://manual.example/chapters/prevent.html", title="Radicalisation and the Prevent Duty",
                             section="Safeguarding", text="Referrals under Prevent when a child is at risk of radicalisation.",
                             updated_on=None, etag=None, last_modified=None, content_hash="x", links=[],
                             first_seen_at=now, changed_at=now, fetched_at=now)
        await uow.commit()
    said = await bot.say("request a new document", aad=demo_aad["ro-4"], conversation="a:ro4")
    said = await bot.say("radicalisation and Prevent referrals", aad=demo_aad["ro-4"], conversation="a:ro4")
    text = text_of(said)
    assert "I found nothing in the register that already covers" in text
    assert "The procedures manual already covers this: Radicalisation and the Prevent Duty (https://manual.example/chapters/prevent.html)" in text
    assert "What type of document is it?" in text


async def test_the_request_summary_is_a_factset_with_one_full_stop_after_typed_words(bot, demo_aad):
    """Issue 17 item 7: the summary before sending is a FactSet on the card (lines by email), and
    words typed with their own full stop never get a second one, here or in what the PPO receives."""
    ro = demo_aad["ro-4"]
    await bot.say("help", aad=demo_aad["ppo"], conversation="a:ppo")  # the PPO's chat, for the notice
    for said_ in ("request a new document", "Radicalisation and Prevent referrals.", "3", "Local procedure", "early help",
                  "The Prevent duty guidance changed in 2026.", "Early Help and the Prevent lead."):
        await bot.say(said_, aad=ro, conversation="a:ro4")
    said = await bot.say("none", aad=ro, conversation="a:ro4")
    card = card_of(said.replies[-1])
    [summary] = [b for b in card["body"] if b["type"] == "FactSet"]
    facts = {f["title"]: f["value"] for f in summary["facts"]}
    assert facts["Subject"] == "Radicalisation and Prevent referrals"
    assert facts["Why"] == "The Prevent duty guidance changed in 2026."
    assert facts["Stakeholders"] == "Early Help and the Prevent lead."
    assert facts["It goes to"] == "the Policy and Procedures Officer"
    assert not any("Subject:" in b.get("text", "") for b in card["body"] if b["type"] == "TextBlock")
    assert ".." not in readable(said.replies[-1])
    said = await bot.say("yes", aad=ro, conversation="a:ro4")
    assert "Thanks: your request is PP-047 Radicalisation and Prevent referrals, case 1. " in text_of(said)
    to_ppo = bot.channel.in_conversation("a:ppo")[1:]
    assert len(to_ppo) == 1 and "New document requested: PP-047 Radicalisation and Prevent referrals. " in readable(to_ppo[0])
    assert all(".." not in readable(a) for a in to_ppo)
    assert ".." not in text_of(said)


async def test_the_request_summary_by_email_is_lines_of_what_was_typed(bot):
    mail = dict(channel_id="email", user_id="drew.ashby@example.org", conversation="email-ro4")
    for said_ in ("request a new document", "radicalisation and Prevent referrals", "3", "Local procedure", "early help",
                  "The Prevent duty guidance changed in 2026.", "none"):
        await bot.say(said_, **mail)
    said = await bot.say("none", **mail)
    text = said.replies[-1]["text"]
    assert "Why: The Prevent duty guidance changed in 2026.\n" in text and "Subject: radicalisation and Prevent referrals\n" in text
    assert ".." not in text
