"""Helpers for lifecycle transcripts over HTTP: press a card's button as someone, in their chat."""

from __future__ import annotations

import re

from tests.support.channel import card_of, card_text, readable


def buttons(activity: dict) -> dict[str, dict]:
    """A case card's decision buttons by action id."""
    card = card_of(activity) or {}
    return {a["data"]["action"]: a for a in card.get("actions", []) if a.get("verb") == "case"}


async def press(bot, who_aad: str, button: dict, *, conversation: str | None = None, **inputs) -> str:
    """Press an Action.Execute button as `who` (the channel says who they are, never the card);
    returns the text of the card that replaces it."""
    if "text" in inputs:  # the card's text box for this action (governance/actions.py gives each its own)
        inputs[f"{button['data']['action']}_text"] = inputs.pop("text")
    act = bot.activity(None, kind="invoke", aad=who_aad, activity_name="adaptiveCard/action", conversation=conversation,
                       value={"action": {"type": "Action.Execute", "verb": button["verb"], "data": {**button["data"], **inputs}}})
    said = await bot.send(act)
    assert said.status == 200, said.body
    return card_text(said.body["value"])


def text_of(said) -> str:
    return "\n".join(readable(r) for r in said.replies)


def sent_to(bot, conversation: str) -> list[dict]:
    """New messages posted to a conversation (not cards updated in place)."""
    return [r.activity for r in bot.channel.received
            if r.conversation_id == conversation and r.method == "POST" and r.activity.get("type") == "message"]


def last_to(bot, conversation: str) -> dict:
    sent = sent_to(bot, conversation)
    assert sent, f"nothing was sent to {conversation}"
    return sent[-1]


async def request_document(bot, aad: str, conversation: str, opening: str, answers: list[str], **kw):
    """Go through the new-document request dialog, answering each question in turn; returns the
    last turn (the case opened). The answers must fit the questions asked."""
    said = await bot.say(opening, aad=aad, conversation=conversation, **kw)
    for answer in answers:
        said = await bot.say(answer, aad=aad, conversation=conversation, **kw)
    return said


async def case_version(bot, case_id: int) -> tuple[int, str, str]:
    """(version, stage, step) of a case, straight from the database."""
    from bot.app import RUNTIME_KEY

    async with bot.app[RUNTIME_KEY].store.uow() as uow:
        row = await uow.cases.get(case_id)
        return row.version, row.stage, row.state["step"]


def on_screen(bot, conversation: str) -> dict:
    """What a person sees last in their chat: the newest message, or a card updated in place after it."""
    seen = bot.channel.in_conversation(conversation)
    assert seen, f"nothing was sent to {conversation}"
    return seen[-1]


async def submit_and_publish(bot, ppo_aad: str, conversation: str, *, version: str, edition: str = "14", on: str = "") -> str:
    """NCT-10's two steps on the PPO's card: submitted to the publisher, then published in an edition.
    Returns the text of the card after the second."""
    await press(bot, ppo_aad, buttons(on_screen(bot, conversation))["submit_to_publisher"], conversation=conversation)
    card = on_screen(bot, conversation)
    if "published_in_edition" not in buttons(card):
        card = last_to(bot, conversation)
    return await press(bot, ppo_aad, buttons(card)["published_in_edition"], conversation=conversation,
                       version=version, edition=edition, **({"published_on": on} if on else {}))


async def review_ticked(bot, ref: str, *, aad: str, conversation: str | None = None, **kw):
    """The RO opens the scheduled review of `ref` and works through NCT's five-point checklist, ticking
    every item, so the draft they send next goes to the RSM (NCT-16: with items unticked it is held
    back until the RO says why). Returns the opening turn."""
    said = await bot.say(f"review {ref}", aad=aad, conversation=conversation, **kw)
    m = re.search(r"Case (\d+) is open", text_of(said))
    if m:
        await bot.say(f"tick case {m.group(1)}: 1, 2, 3, 4, 5", aad=aad, conversation=conversation, **kw)
    return said
