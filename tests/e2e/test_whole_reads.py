"""Whole bodies, never only the first network read: real-sized Word drafts over Teams and email
(issue 17, item 1) and request bodies bigger than one socket read (issue 22)."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from store.case_models import DraftVersion
from tests.support.channel import readable
from tests.support.drafts import kept_bytes, realistic_docx


async def _stored(bot) -> list[DraftVersion]:
    from bot.app import RUNTIME_KEY

    async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
        return list((await s.execute(select(DraftVersion).order_by(DraftVersion.id))).scalars())


@pytest.mark.parametrize("size", [300_000, 3_000_000])
async def test_nct_6_a_real_sized_tracked_draft_from_teams_is_stored_whole(bot, demo_aad, size):
    """A 300 kB and a 3 MB tracked-changes draft with pictures, comments and a table, served in
    16 kB pieces as a file store does, is stored byte for byte (it used to be cut at the first read
    and refused as "not a Word document")."""
    ro = demo_aad["ro-1"]
    await bot.say("review PP-001", aad=ro, conversation="a:ro-chat")
    draft = realistic_docx(size)
    act = bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("PP-001-amended.docx", draft)])
    said = await bot.send(act)
    assert "stored as draft version 1" in readable(said.replies[0])
    [stored] = await _stored(bot)
    assert stored.size == len(draft) >= size
    assert stored.sha256 == hashlib.sha256(draft).hexdigest()
    assert kept_bytes(bot, stored.sha256) == draft
    assert stored.tracked_insertions == 4 and stored.tracked_deletions == 4


async def test_a_real_sized_draft_by_email_is_stored_whole(bot, demo_aad):
    """The email channel gives the draft as a contentUrl: the same whole read."""
    ro = demo_aad["ro-1"]
    await bot.say("review PP-001", aad=ro, conversation="a:ro-chat")
    draft = realistic_docx(1_000_000)
    bot.channel.files["amended.docx"] = draft
    attachment = {"contentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "name": "amended.docx", "contentUrl": f"{bot.channel.url}files/amended.docx"}
    said = await bot.send(bot.activity("Here is the amended draft", aad=ro, conversation="a:ro-chat",
                                       attachments=[attachment]))
    assert "stored as draft version 1" in readable(said.replies[0])
    [stored] = await _stored(bot)
    assert kept_bytes(bot, stored.sha256) == draft


async def test_an_activity_of_600_kb_is_read_whole(bot, demo_aad):
    """An email-channel message whose HTML body is 600 kB arrives in many socket reads; the whole
    body is read and the message answered (it used to be refused as "not valid JSON")."""
    html = "<html><body><p>help</p>" + "<p>" + "Earlier correspondence quoted below. " * 16_500 + "</p></body></html>"
    act = bot.activity("help", aad=demo_aad["ro-1"], channel_id="email", channelData={"htmlBody": html})
    raw = json.dumps(act).encode()
    assert len(raw) > 600_000

    async def pieces():
        for start in range(0, len(raw), 8 * 1024):
            yield raw[start:start + 8 * 1024]

    resp = await bot.http.post(bot.url + "/api/messages", data=pieces(), headers={"Content-Type": "application/json"})
    assert resp.status == 201, await resp.text()
    replies = bot.channel.replies_to(act["id"])
    assert replies and "help" in readable(replies[0]).lower()


async def test_a_chunked_body_over_the_limit_is_413_not_cut(bot):
    """A body sent without a length that grows past the limit is refused as too large, never
    parsed from its first part."""
    limit = bot.settings.max_body_bytes
    filler = b" " * (limit + 10)

    async def pieces():
        yield b'{"type": "message", "text": "hi"'
        for start in range(0, len(filler), 64 * 1024):
            yield filler[start:start + 64 * 1024]
        yield b"}"

    resp = await bot.http.post(bot.url + "/api/messages", data=pieces(), headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert "too large" in (await resp.json())["error"]["message"]
