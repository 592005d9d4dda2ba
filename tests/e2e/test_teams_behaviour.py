"""Teams behaviour: mentions in group chats and channels, the welcome on install (issue 9, item 5)."""

from __future__ import annotations

from tests.support.bot import BOT_ID
from tests.support.channel import readable


def _mention_entity(text: str = "<at>policybot</at>") -> dict:
    return {"type": "mention", "mentioned": {"id": BOT_ID, "name": "policybot"}, "text": text}


async def test_in_a_group_chat_the_bot_stays_quiet_unless_mentioned(bot, demo_aad):
    said = await bot.say("my documents", aad=demo_aad["ro-1"], conversation="19:group-1", conversation_type="groupChat")
    assert said.status == 201
    assert said.replies == []


async def test_in_a_channel_a_mention_is_answered_without_the_mention_text(bot, demo_aad):
    act = bot.activity(
        "<at>policybot</at> is there a procedure on fostering panel?",
        aad=demo_aad["ro-1"],
        conversation="19:channel-1;messageid=1",
        conversation_type="channel",
        entities=[_mention_entity()],
    )
    said = await bot.send(act)
    text = readable(said.replies[0])
    assert "Fostering Panel" in text
    assert "<at>" not in text


async def test_a_mention_of_someone_else_is_not_an_invitation(bot, demo_aad):
    act = bot.activity(
        "<at>Alex</at> help",
        aad=demo_aad["ro-1"],
        conversation="19:group-2",
        conversation_type="groupChat",
        entities=[{"type": "mention", "mentioned": {"id": "29:someone-else", "name": "Alex"}, "text": "<at>Alex</at>"}],
    )
    said = await bot.send(act)
    assert said.replies == []


async def test_in_personal_chat_everything_is_answered(bot, demo_aad):
    said = await bot.say("help", aad=demo_aad["ro-1"])
    assert len(said.replies) == 1


async def test_welcome_message_when_the_bot_is_added(bot, demo_aad):
    act = bot.activity(
        None,
        kind="conversationUpdate",
        aad=demo_aad["ro-1"],
        membersAdded=[{"id": BOT_ID, "name": "policybot"}],
    )
    said = await bot.send(act)
    assert said.status == 201
    sent = bot.channel.in_conversation(act["conversation"]["id"])  # a new message, not a reply
    assert len(sent) == 1
    text = readable(sent[0])
    assert "Thanks for adding me" in text and "Demo Children's Trust" in text


async def test_no_welcome_when_someone_else_joins(bot, demo_aad):
    act = bot.activity(None, kind="conversationUpdate", aad=demo_aad["ro-1"],
                       membersAdded=[{"id": "29:new-person", "name": "New Person"}])
    await bot.send(act)
    assert bot.channel.in_conversation(act["conversation"]["id"]) == []


async def test_email_channel_gets_html_with_reply_words_and_repeats_are_ignored(bot):
    act = bot.activity("help", channel_id="email", user_id="alex.dunmore@example.org", conversation="email-conv-1")
    first = await bot.send(act)
    assert first.status == 201
    reply = first.replies[0]
    assert "attachments" not in reply or not reply["attachments"]
    html = reply["channelData"]["htmlBody"]
    assert "<li><b>my documents</b>" in html and "Reply to this email" in html
    assert "Hello Alex" in reply["text"]
    again = await bot.send(act)  # the email channel re-sends when we are slow
    assert again.status == 201
    assert len(bot.channel.replies_to(act["id"])) == 1  # still only the first answer


async def test_the_tenant_id_is_kept_in_the_stored_conversation_reference(bot, demo_aad):
    """BOTFRAMEWORK.md trap 7: the SDK drops Teams' tenantId; we keep it for proactive messages."""
    from sqlalchemy import select

    from bot.app import RUNTIME_KEY
    from store.models import ConversationRef

    act = bot.activity("help", aad=demo_aad["ro-1"], conversation="a:tenant-check")
    act["conversation"].pop("tenantId")  # Teams puts it in channelData; the schema loses the other spelling anyway
    act["channelData"] = {"tenant": {"id": "72f988bf-0000-4000-8000-000000000abc"}}
    await bot.send(act)
    async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
        row = (await s.execute(select(ConversationRef).where(ConversationRef.conversation_id == "a:tenant-check"))).scalar_one()
    assert row.tenant_id == "72f988bf-0000-4000-8000-000000000abc"
    assert row.reference["conversation"]["tenantId"] == "72f988bf-0000-4000-8000-000000000abc"
    assert row.reference["serviceUrl"] == bot.channel.url
    assert row.person_id == "ro-1"


async def test_two_turns_at_once_in_a_new_conversation_both_succeed(bot, demo_aad):
    """The Playground (and Teams) send the welcome update and the first message together: both turns
    create the conversation's reference and state rows at the same moment."""
    import asyncio

    for n in range(5):
        conv = f"a:race-{n}"
        welcome = bot.activity(None, kind="conversationUpdate", aad=demo_aad["ro-1"], conversation=conv,
                               membersAdded=[{"id": BOT_ID, "name": "policybot"}])
        hello = bot.activity("help", aad=demo_aad["ro-1"], conversation=conv)
        first, second = await asyncio.gather(bot.send(welcome), bot.send(hello))
        assert first.status == 201 and second.status == 201
        texts = [readable(a) for a in bot.channel.in_conversation(conv)]
        assert not any("Sorry, something went wrong" in t for t in texts), texts
        assert any("WHAT I CAN DO" in t.upper() for t in texts)
