"""The terminal chat client talks to the real app as a channel does (issue 2, item 5)."""

from __future__ import annotations

import pytest

from policybot.chat import ChatClient, Identity
from policybot.card_text import CardInput, card_to_text, input_value
from render.cards import example_cards
from services.demo import PEOPLE, _aad


def person(key: str) -> Identity:
    name = next(p[1] for p in PEOPLE if p[0] == key)
    return Identity(key, name, _aad(key), None)


@pytest.fixture
async def chat(bot):
    lines: list[str] = []
    client = await ChatClient(bot.url, person("ro-1"), out=lines.append).start()
    client.lines = lines
    try:
        yield client
    finally:
        await client.stop()


async def test_help_shows_numbered_buttons_and_pressing_one_runs_it(chat):
    await chat.handle_line("help")
    shown = "\n".join(chat.lines)
    assert "WHAT I CAN DO" in shown and "[1] My documents" in shown and "[2] Find a procedure" in shown
    chat.lines.clear()
    await chat.handle_line("1")
    shown = "\n".join(chat.lines)
    assert "Alex Dunmore, you own or sign off" in shown
    assert "[1] Open: PP-" in shown


async def test_as_switches_who_is_speaking(chat, bot):
    async def lookup(who):
        return person(who) if who in {p[0] for p in PEOPLE} else None

    await chat.handle_line("/as rsm-safeguarding", lookup)
    assert chat.lines[-1] == "(you are now Morgan Reyes)"
    chat.lines.clear()
    await chat.handle_line("my documents")
    assert "Morgan Reyes, you own or sign off" in "\n".join(chat.lines)
    await chat.handle_line("/as nobody-here", lookup)
    assert "nobody called 'nobody-here'" in chat.lines[-1]


async def test_an_execute_button_goes_through_an_invoke(chat):
    chat.last_card = card_to_text(
        {"type": "AdaptiveCard", "version": "1.5", "body": [],
         "actions": [{"type": "Action.Execute", "title": "Help", "verb": "command", "data": {"command": "help"}}]}
    )
    await chat.press(1)
    assert "WHAT I CAN DO" in "\n".join(chat.lines)


async def test_quit_ends_the_chat(chat):
    assert await chat.handle_line("/quit") is False
    assert await chat.handle_line("") is True


@pytest.mark.parametrize("name", sorted(example_cards()))
def test_every_card_the_bot_sends_reads_as_text(name):
    card = example_cards()[name]
    text = card_to_text(card)
    rendered = text.render()
    assert rendered.strip()
    for block in card["body"]:
        if block.get("type") == "TextBlock":
            assert block["text"].replace("**", "") in rendered or block["text"].replace("**", "").upper() in rendered
    assert len(text.buttons) >= len(card.get("actions", []))


def test_inputs_are_numbered_and_answers_checked():
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [
        {"type": "Input.ChoiceSet", "id": "type", "label": "Document type", "isRequired": True,
         "choices": [{"title": "Policy", "value": "policy"}, {"title": "Procedure", "value": "procedure"}]},
        {"type": "Input.Text", "id": "why", "label": "Why is it needed?", "isRequired": True},
        {"type": "Input.Toggle", "id": "eia", "title": "EIA needed"},
    ], "actions": [{"type": "Action.Submit", "title": "Send", "data": {"verb": "request"}}]}
    text = card_to_text(card)
    rendered = text.render()
    assert "<1> Document type * (1=Policy / 2=Procedure)" in rendered
    assert "<2> Why is it needed? *" in rendered and "<3> EIA needed (yes/no)" in rendered
    assert input_value(text.inputs[0], "2") == "procedure"
    assert input_value(text.inputs[0], "policy") == "policy"
    with pytest.raises(ValueError):
        input_value(text.inputs[0], "7")
    with pytest.raises(ValueError):
        input_value(text.inputs[1], "  ")
    assert input_value(text.inputs[2], "yes") == "true"
    assert input_value(CardInput("d", "Input.Date", "When"), "2026-12-01") == "2026-12-01"


async def test_attach_sends_a_word_document_as_teams_does(chat, tmp_path):
    from connectors.word.samples import tracked_docx

    await chat.handle_line("review PP-001")
    draft = tmp_path / "amended.docx"
    draft.write_bytes(tracked_docx())
    chat.lines.clear()
    await chat.handle_line(f"/attach {draft}")
    shown = "\n".join(chat.lines)
    assert "amended.docx is stored as draft version 1" in shown
    await chat.handle_line("/attach /no/such/file.docx")
    assert "could not read" in chat.lines[-1]
