"""Issue 15 end to end over HTTP: the app on a real port, Teams-shaped activities and the email
channel's, the real database (SQLite and PostgreSQL). People's first messages in their own words."""

from __future__ import annotations

import asyncio

from connectors.word.samples import tracked_docx
from bot.app import SERVICES_KEY
from policybot.cli import main
from tests.support.cases import review_ticked
from tests.support.bot import RunningBot, settings_for
from tests.support.channel import card_of, readable

ALEX_EMAIL = "alex.dunmore@example.org"


def _text(said) -> str:
    return "\n".join(readable(r) for r in said.replies)


async def test_a_persons_first_five_messages_in_teams(bot, demo_aad):
    alex = dict(aad=demo_aad["ro-1"], name="Alex Dunmore", conversation="a:alex-first")
    said = await bot.say("hiya", **alex)
    text = _text(said)
    assert said.status == 201 and "Hello Alex" in text
    assert "New here? What I can do for you" in text  # issue 15 item 8: first contact, three lines, three examples
    titles = [a["title"] for a in card_of(said.replies[0])["actions"]]
    assert titles == ["my tasks", "my documents", "is there a procedure on missing children"]

    said = await bot.say("what do i do if a child goes missing from care", **alex)
    text = _text(said)
    assert "Children Missing from Home and Care" in text and "New here?" not in text

    said = await bot.say("whats a pathway?", **alex)  # MA-1
    assert "route a person or a case follows through services" in _text(said)

    said = await bot.say("can u show me my tasks pls", **alex)
    assert "Alex" in _text(said) and "didn't understand" not in _text(said)

    said = await bot.say("thx!", **alex)
    assert _text(said) == "You're welcome."


async def test_a_persons_first_five_messages_by_email(bot):
    alex = dict(channel_id="email", user_id=ALEX_EMAIL, conversation="email-alex-first")
    said = await bot.say("my docs pls\n\nThanks,\nAlex Dunmore\nTeam Manager, MASH", **alex)
    assert "Alex Dunmore, you own or sign off" in _text(said)

    quoted = ("status pp 2\n\nOn Mon, 23 Nov 2026 at 09:00, policybot <policybot@example.org> wrote:\n"
              "> Your documents\n> approve case 9\n")
    said = await bot.say(quoted, **alex)
    text = _text(said)
    assert "Section 47 Enquiries" in text and "Did you mean" not in text  # the quoted 'approve' is not read

    said = await bot.say("What does SLT stand for?", **alex)
    assert "Senior Leadership Team" in _text(said)

    said = await bot.say("aprove case 1", **alex)  # a corrected reading of a decision: asked, never acted on
    text = _text(said)
    assert "Did you mean: approve case 1?" in text and "1. Yes" in text and "2. No" in text
    said = await bot.say("2", **alex)
    assert "I haven't done anything" in _text(said)


async def test_a_guess_answered_yes_is_done_and_no_is_logged_and_reported(bot, demo_aad, db_url, monkeypatch, capsys):
    ppo = dict(aad=demo_aad["ppo"], name="Priya Patel-Owens", conversation="a:ppo-guess")
    said = await bot.say("pause reminders till the cows come home", **ppo)
    assert "is not a date I can read" in _text(said)
    said = await bot.say("puase all the reminders", **ppo)  # a typo in a state change: asked first
    assert "Did you mean" in _text(said) and "pause reminders" in _text(said)
    buttons = [a["title"] for a in card_of(said.replies[0])["actions"]]
    assert buttons[:2] == ["Yes", "No"]
    said = await bot.say("yep", **ppo)
    assert "paused for everyone" in _text(said)
    said = await bot.say("resume remiders", **ppo)
    assert "Did you mean" in _text(said) and "resume reminders" in _text(said)
    said = await bot.say("nope", **ppo)
    assert "I haven't done anything" in _text(said)
    await bot.say("purple monkey dishwasher", **ppo)
    await bot.say("purple monkey dishwasher", aad=demo_aad["ro-1"], conversation="a:ro1-guess")
    await bot.say("I need a new policy on pets at work", **ppo)
    said = await bot.say("stop", **ppo)
    assert "Nothing was sent" in _text(said)

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("POLICYBOT_DEMO", "false")
    assert await asyncio.to_thread(main, ["report", "misunderstood", "--days", "3650"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    monkey = next((line for line in lines if "purple monkey dishwasher" in line), out)
    assert monkey.split()[:2] == ["2", "2"]  # twice, by two people, grouped
    assert any("'Did you mean' answered No" in line and "resume remiders" in line for line in lines)
    assert any("dialog abandoned" in line and "new_document" in line for line in lines)
    assert "Priya" not in out and "@" not in out  # only the person's id is kept


async def test_a_question_mid_dialog_is_answered_and_the_dialog_goes_on(bot, demo_aad):
    ro = dict(aad=demo_aad["ro-4"], conversation="a:ro4-mid")
    await bot.say("we need a new procedure on pets at work", **ro)
    said = await bot.say("what's the difference between a policy and a procedure?", **ro)  # MA-1 inside the dialog
    text = _text(said)
    assert "a Procedure says how" in text and "Request a new document" in text
    said = await bot.say("back", **ro)
    assert "Going back one step" in _text(said) and "What type of document is it?" in _text(said)
    said = await bot.say("sure", **ro)
    assert "is not one of the document types" in _text(said)
    said = await bot.say("cancel", **ro)
    assert "Nothing was sent" in _text(said)


async def test_two_commands_in_one_message_do_the_first_and_say_so(bot, demo_aad):
    said = await bot.say("show me my documents and then the report please", aad=demo_aad["ro-1"], conversation="a:two")
    text = _text(said)
    assert "you own or sign off" in text
    assert "You asked for two things; I did the first. For the other, send 'the report please' on its own." in text


async def test_nothing_found_offers_a_new_document_the_ppo_and_help(bot, demo_aad):
    said = await bot.say("underwater basket weaving for foster carers", aad=demo_aad["ro-1"], conversation="a:nothing")
    text = _text(said)
    assert "couldn't find anything in the manual or the register" in text
    assert "Priya Patel-Owens, the Policy and Procedures Officer" in text
    buttons = {a["title"]: a["data"]["command"] for a in card_of(said.replies[0])["actions"] if "data" in a}
    assert buttons["Request a new document"] == "request a new document on underwater basket weaving for foster carers"
    said = await bot.say(buttons["Request a new document"], aad=demo_aad["ro-1"], conversation="a:nothing")
    assert "underwater basket weaving for foster carers" in _text(said)  # the request starts with the topic


async def test_bad_input_gets_a_short_polite_reply(bot, demo_aad):
    who = dict(aad=demo_aad["ro-1"], conversation="a:bad")
    await bot.say("hello", **who)
    said = await bot.say("a" * 25_001, **who)
    assert said.status == 201 and "too long for me to read" in _text(said)
    said = await bot.say("🙂🙂🙂👍", **who)
    assert "made only of symbols or emoji" in _text(said)
    said = await bot.say("Привет, где политика 你好", **who)
    assert "I can only read English" in _text(said)


async def test_a_document_by_its_reference_in_any_form_or_a_unique_part_of_its_title(bot, demo_aad):
    who = dict(aad=demo_aad["ro-2"], conversation="a:refs")
    for said_as in ("status pp 2", "status pp002", "status PP-2", "whats the status of the section 47 enquiries procedure"):
        said = await bot.say(said_as, **who)
        assert "Section 47 Enquiries" in _text(said) and "Responsible Officer: Alex Dunmore" in _text(said), said_as
    said = await bot.say("history of the county lines guidance", **who)
    assert "History of PP-" in _text(said) and "County Lines" in _text(said)


async def test_an_emailed_reply_to_a_case_uses_its_reply_words_without_the_number(bot, demo_aad):
    """Issue 15 item 7: by email, the subject-less 'Approve' under the quoted case email is
    'approve case 1'; the quoted history itself is never read as a command."""
    ro = demo_aad["ro-1"]
    await review_ticked(bot, "PP-001", aad=ro, conversation="a:ro-mail")
    await bot.send(bot.activity("", aad=ro, conversation="a:ro-mail", attachments=[bot.channel.attach("d.docx", tracked_docx())]))
    rsm = dict(channel_id="email", user_id="morgan.reyes@example.org", conversation="email-rsm-short")
    said = await bot.say("case 1", **rsm)
    ours = said.replies[0]["text"]
    assert "APPROVE case 1" in ours
    quoted = "\n".join("> " + line for line in ours.splitlines())
    reply = f"Approve with conditions: add the 72-hour timescale\n\nKind regards,\nMorgan\n\nOn Mon, 23 Nov 2026 at 10:00, policybot wrote:\n{quoted}"
    said = await bot.say(reply, **rsm)
    assert "Approved with conditions: add the 72-hour timescale" in said.replies[0]["text"]


async def test_help_shows_only_what_this_persons_roles_allow(bot, demo_aad):
    stranger = _text(await bot.say("help", aad="11111111-2222-3333-4444-555555555555", conversation="a:stranger-help"))
    assert "find [words]" in stranger and "status [ref]" in stranger
    assert "my tasks" not in stranger.split("What I can do")[-1] and "attendance" not in stranger
    ro = _text(await bot.say("help", aad=demo_aad["ro-1"], conversation="a:ro-help"))
    assert "my tasks" in ro and "approve / " in ro and "attendance: [words]" not in ro and "pause reminders" not in ro
    ppo = _text(await bot.say("what can you do?", aad=demo_aad["ppo"], conversation="a:ppo-help"))
    assert "pause reminders" in ppo
    assert "attendance: [words]" not in ppo  # the NCT preset has no decision body with a chair


async def test_a_chair_is_shown_the_meeting_commands(db_url, clock, demo_aad):
    dorset = await RunningBot(settings_for(db_url, POLICYBOT_PRESET="dorset"), clock=clock).start()
    try:
        chair = _text(await dorset.say("help", aad=demo_aad["ad-children"], conversation="a:chair-help"))
        assert "attendance: [words]" in chair and "issue the minutes" in chair
        first = _text(await dorset.say("hello", aad=demo_aad["ad-children"], conversation="a:chair-first"))
        assert "For chairs: agendas, outcomes, attendance and minutes." in first
        member = _text(await dorset.say("help", aad=demo_aad["ro-1"], conversation="a:member-help"))
        assert "attendance: [words]" not in member
    finally:
        await dorset.stop()


def _email(bot, text: str, subject: str | None, key: str = "subject", **who) -> dict:
    act = bot.activity(text, **who)
    if subject is not None:
        act["channelData"] = {**act["channelData"], key: subject}
    return act


async def test_an_email_is_read_by_its_subject_and_its_new_body(bot, demo_aad):
    """Issue 15 item 7: the subject gives the case ('RE: PP-001 review [case 1]') and, with an empty
    body, is the command itself ('my tasks'); the channelData key is read in any case."""
    ro = demo_aad["ro-1"]
    await review_ticked(bot, "PP-001", aad=ro, conversation="a:ro-subject")
    await bot.send(bot.activity("", aad=ro, conversation="a:ro-subject", attachments=[bot.channel.attach("d.docx", tracked_docx())]))
    rsm = dict(channel_id="email", user_id="morgan.reyes@example.org", conversation="email-rsm-subject")
    await bot.say("hello", **rsm)  # the first contact's note is past
    typed = _text(await bot.say("my tasks", **rsm))
    assert "case 1" in typed.lower()

    by_subject = _text(await bot.send(_email(bot, "", "my tasks", "Subject", **rsm)))
    assert by_subject == typed  # the subject alone is the command

    fresh = _text(await bot.send(_email(bot, "Thanks,\nMorgan", "My Tasks", "SUBJECT", **rsm)))
    assert fresh == typed  # a body with nothing new in it: the subject is what is asked

    said = await bot.send(_email(bot, "Approve with conditions: add the 72-hour timescale\n\nKind regards,\nMorgan",
                                 "RE: PP-001 review [case 1]", **rsm))
    assert "Approved with conditions: add the 72-hour timescale" in said.replies[0]["text"]


async def test_an_email_reply_subject_alone_is_not_read_as_a_command(bot):
    """A reply with an empty body and our own subject ('RE: ...') is not taken as an order."""
    rsm = dict(channel_id="email", user_id="morgan.reyes@example.org", conversation="email-rsm-empty")
    said = await bot.send(_email(bot, "", "RE: PP-001 review [case 1]", **rsm))
    assert said.status in (200, 201) and "Approved" not in _text(said)


async def test_nct_7_people_by_a_unique_first_name_or_me_and_asked_when_two_fit(bot, demo_aad):
    """Issue 15 item 4 (NCT-7, adding an RSM): 'Jordan' is the one Jordan in the directory, 'me' is
    the speaker; with two Caseys the bot asks which one and changes nothing."""
    services = bot.app[SERVICES_KEY]
    ppo = dict(aad=demo_aad["ppo"], conversation="a:ppo-people")
    await bot.say("hello", **ppo)
    said = _text(await bot.say("add rsm Jordan to PP-001", **ppo))
    assert "Jordan Whitfield added as a Responsible Strategic Manager" in said, said
    said = _text(await bot.say("add me as rsm on PP-001", **ppo))
    assert "Priya Patel-Owens added as a Responsible Strategic Manager" in said, said

    async with services.uow() as uow:
        await uow.people.create(id="casey-2", name="Casey Morrow", email="casey.morrow@example.org", active=True)
        await uow.commit()
    said = _text(await bot.say("add rsm Casey to PP-001", **ppo))
    assert "Which Casey?" in said and "Casey Lindqvist" in said and "Casey Morrow" in said, said
    async with services.uow() as uow:
        doc = await uow.documents.by_ref("PP-001")
        rsms = {doc.rsm_id, *(doc.extra or {}).get("other_rsm_ids", [])}
    assert "casey-2" not in rsms and "rsm-early-help" not in rsms  # asked, nothing changed
    said = _text(await bot.say("add rsm Casey Morrow to PP-001", **ppo))
    assert "Casey Morrow added as a Responsible Strategic Manager" in said, said
