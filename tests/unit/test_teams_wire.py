"""The fan-out writes each proactive Teams message's JSON itself (issue 14's fan-out benchmark: the
SDK's serializer was its bottleneck); it must be exactly what the SDK would have sent."""

from __future__ import annotations

from bot.activities import to_activity
from bot.proactive import teams_wire
from render.reply import Reply


def test_a_text_reminder_is_sent_as_the_sdk_writes_it():
    reply = Reply(text="Review of PP-014 due by Thursday 3 December 2026: say 'review PP-014' to start it.")
    assert teams_wire(reply) == to_activity(reply, "msteams").serialize()


def test_a_card_is_sent_as_the_sdk_writes_it():
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Case 12 waits for you", "wrap": True}],
            "actions": [{"type": "Action.Execute", "title": "Approve", "verb": "case_action",
                         "data": {"case": 12, "action": "approve", "version": 3}}]}
    reply = Reply(text="Case 12 (PP-014) waits for your decision", card=card)
    assert teams_wire(reply) == to_activity(reply, "msteams").serialize()
