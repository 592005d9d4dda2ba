"""End to end over HTTP: the app on a real port, activities posted as Teams posts them,
replies received by a stand-in Bot Connector service. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.channel import card_of, readable


async def test_help_lists_what_the_bot_can_do_with_buttons(bot, demo_aad):
    said = await bot.say("help", aad=demo_aad["ro-1"], name="Alex Dunmore")
    assert said.status == 201
    assert len(said.replies) == 1
    reply = said.replies[0]
    card = card_of(reply)
    assert card is not None and card["version"] == "1.5"
    text = readable(reply)
    assert "Hello Alex" in text
    for command in ("find [words]", "my documents", "status [ref]", "history [ref]"):  # Teams drops <...>: [...] shows
        assert command in text
    assert "<" not in text
    # The words bot/handler.py reads before the router (they send files) are in help too, in the table's order.
    lines = [f["title"] for f in next(b for b in card["body"] if b["type"] == "FactSet")["facts"]]
    at = lines.index("case [number]")
    assert {"draft case [number]", "send me the draft", "compare [ref] version 1 with 2"} <= set(lines[at:at + 5])
    titles = [a["title"] for a in card["actions"]]
    assert titles[:2] == ["My documents", "Find a procedure"]
    assert titles[2:] == ["my tasks", "is there a procedure on missing children"]  # issue 15 item 8: examples to tap


async def test_the_file_words_help_lists_are_answered_as_help_shows_them(bot, demo_aad):
    """Each help line's words, typed as help shows them, reach the code that sends files (not the search)."""
    said = await bot.say("send me the draft", aad=demo_aad["ro-1"], conversation="a:ro-files")
    assert "No case waiting for you has a draft. Say 'draft case 12' with the case number." in readable(said.replies[0])
    said = await bot.say("draft case 999", aad=demo_aad["ro-1"], conversation="a:ro-files")
    assert "There is no case 999." in readable(said.replies[0])
    said = await bot.say("compare PP-001 version 1 with 2", aad=demo_aad["ro-1"], conversation="a:ro-files")
    assert "PP-001 has no draft version 1 (versions stored: none yet)." in readable(said.replies[0])


async def test_help_by_email_keeps_its_placeholders_as_typed(bot):
    said = await bot.say("help", channel_id="email", user_id="alex.dunmore@example.org", conversation="email-help")
    reply = said.replies[0]
    assert "status <ref>" in reply["text"] and "status &lt;ref&gt;" in reply["channelData"]["htmlBody"]


async def test_finds_documents_by_words(bot, demo_aad):
    said = await bot.say("Is there a procedure on missing children?", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "Children Missing from Home and Care" in text.splitlines()[0]  # the answer first (issue 16)
    assert "PP-001" in text


async def test_search_with_no_match_says_so_plainly(bot, demo_aad):
    said = await bot.say("find underwater basket weaving", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "couldn't find anything" in text


async def test_status_of_one_document(bot, demo_aad):
    said = await bot.say("status pp-002", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "Section 47 Enquiries" in text
    assert "Responsible Officer: Alex Dunmore" in text
    assert "Responsible Strategic Manager: Morgan Reyes" in text


async def test_status_shows_rsm_standing_in_when_no_ro_is_named_nct_1(bot, demo_aad):
    """NCT-1: where no RO is named, the RSM is the RO."""
    said = await bot.say("status PP-007", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "Responsible Officer: Morgan Reyes (the RSM, standing in)" in text


async def test_unknown_document_gets_a_polite_answer(bot, demo_aad):
    said = await bot.say("status PP-999", aad=demo_aad["ro-2"])
    assert said.status == 201
    assert "can't find a document with the reference 'PP-999'" in readable(said.replies[0])


async def test_history_of_a_document(bot, demo_aad):
    said = await bot.say("history PP-003", aad=demo_aad["ro-2"])
    text = readable(said.replies[0])
    assert "History of PP-003" in text
    assert "Added to the register (demo data)" in text


async def test_my_documents_lists_overdue_first(bot, demo_aad, clock):
    said = await bot.say("my documents", aad=demo_aad["ro-1"], name="Alex Dunmore")
    reply = said.replies[0]
    card = card_of(reply)
    rows = [c for c in card["body"] if c.get("type") == "ColumnSet"]
    assert len(rows) >= 3
    dates_colour = [r["columns"][1]["items"][0].get("color") for r in rows]
    # Overdue rows (colour Attention) come before every other row.
    first_other = next(i for i, c in enumerate(dates_colour) if c != "Attention")
    assert all(c != "Attention" for c in dates_colour[first_other:])
    assert "Alex Dunmore, you own or sign off" in readable(reply)


async def test_a_card_button_runs_its_command(bot, demo_aad):
    act = bot.activity(None, aad=demo_aad["ro-1"], value={"command": "my documents"})
    said = await bot.send(act)
    assert "you own or sign off" in readable(said.replies[0])


async def test_unrecognised_text_gets_a_helpful_answer(bot, demo_aad):
    said = await bot.say("purple monkey dishwasher", aad=demo_aad["ro-1"])
    text = readable(said.replies[0])
    assert "didn't understand" in text and "help" in text


async def test_a_stranger_can_search_but_not_list_their_documents(bot):
    said = await bot.say("my documents", aad="11111111-2222-3333-4444-555555555555")
    assert "don't know who you are" in readable(said.replies[0])
    said = await bot.say("find fostering", aad="11111111-2222-3333-4444-555555555555")
    assert "Fostering Panel" in readable(said.replies[0])


async def test_healthz_reports_the_database(bot):
    async with bot.http.get(bot.url + "/healthz") as resp:
        assert resp.status == 200
        body = await resp.json()
        assert (body["status"], body["database"]) == ("ok", "reachable")
