"""Every Adaptive Card the bot can send is valid for the version it declares (1.5 at most, as Teams
supports) and fits Teams' message size limit (issue 9, item 2)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from render.cards import example_cards
from tests.support.schemas import adaptive_card_schema

CARDS = example_cards()
TEAMS_MAX_BYTES = 80 * 1024


def test_there_are_cards_to_check():
    assert len(CARDS) >= 15


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_is_valid_against_the_adaptive_card_schema(name):
    card = CARDS[name]
    version = card["version"]
    assert tuple(int(x) for x in version.split(".")) <= (1, 5), f"{name} declares {version}; Teams supports 1.5 at most"
    schema = adaptive_card_schema(version)
    jsonschema.validate(card, schema)


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_message_fits_teams_size_limit(name):
    activity = {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": CARDS[name]}]}
    assert len(json.dumps(activity).encode()) < TEAMS_MAX_BYTES


def test_the_card_schema_check_can_fail():
    bad = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x", "size": "Enormous"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, adaptive_card_schema("1.5"))
