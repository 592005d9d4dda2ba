"""Email senders with internationalised addresses (issue 22 item 1): zoë.ramírez@council.gov.uk and
an IDNA domain are people like anyone else on the email channel, while NUL characters, lone
surrogates and over-long addresses are still refused at the edge with a 400 naming the field."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from bot.app import RUNTIME_KEY
from store.models import Person
from tests.support.channel import readable

ZOE = "zoë.ramírez@council.gov.uk"
IDNA = "alex@bücher-rat.example"


async def _give_email(bot, person_id: str, email: str) -> None:
    store = bot.app[RUNTIME_KEY].store
    async with store.sessionmaker() as s:
        await s.execute(update(Person).where(Person.id == person_id).values(email=email))
        await s.commit()


@pytest.mark.parametrize("address", [ZOE, IDNA])
async def test_a_sender_with_an_internationalised_address_is_answered_as_themselves(bot, address):
    await _give_email(bot, "ro-1", address)
    said = await bot.say("my tasks", channel_id="email", user_id=address, conversation=f"email-{address}")
    assert said.status in (200, 201, 202), said.body
    text = readable(said.replies[0])
    assert "don't know who you are" not in text and "sorry" not in text.lower(), text
    unknown = await bot.say("my tasks", channel_id="email", user_id="nobody.ë@" + address.split("@")[1],
                            conversation="email-unknown")
    assert "I don't know who you are yet" in readable(unknown.replies[0])  # the same words prove the difference
    assert said.replies[0]["recipient"]["id"] == address  # the answer goes back to the same address


@pytest.mark.parametrize("address, words", [
    ("zo\x00e@council.gov.uk", "'from.id' contains NUL characters"),
    ("zo\ud800e@council.gov.uk", "'from.id' contains characters other than printable ASCII"),
    ("z" * 70 + "ë@council.gov.uk", "'from.id' contains characters other than printable ASCII"),
    ("zoë@" + "ü" * 300 + ".uk", "'from.id' contains characters other than printable ASCII"),
    ("zoë ramírez@council.gov.uk", "'from.id' contains characters other than printable ASCII"),
])
async def test_bad_internationalised_addresses_are_still_refused(bot, address, words):
    act = bot.activity("my tasks", channel_id="email", user_id=address, conversation="email-bad")
    resp = await bot.post(None, raw=json.dumps(act).encode())
    assert resp.status == 400
    assert words in (await resp.json())["error"]["message"]
    assert bot.channel.received == []
