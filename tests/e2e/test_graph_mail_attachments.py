"""Issue 21 item 5 (with issue 17 item 1): a draft attached to mail in the policy mailbox is read
through Graph (`/messages/{id}/attachments`; small ones from contentBytes, large ones streamed
from `/$value`) and goes down the same draft path as Teams, with the same rules, on SQLite and
PostgreSQL: stored byte for byte (NCT-6), or refused with its own sentence and nothing kept."""

from __future__ import annotations

import hashlib

import pytest

from store.case_models import DraftVersion
from tests.support.drafts import kept_bytes, macro_docx, realistic_docx, zip_bomb_docx
from tests.e2e.test_draft_files import _count, _rows, _stored_files
from tests.e2e.test_mail_in_graph import RO, all_done, graph, mailbot, replies_to, text_of, until  # noqa: F401 - fixtures

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _review_open(bot, demo_aad) -> None:
    said = await bot.say("review PP-001", aad=demo_aad["ro-1"], conversation="a:ro-chat")
    assert said.status in (200, 201)


@pytest.mark.parametrize("size", [300_000, 4_000_000], ids=["contentBytes", "streamed-value"])
async def test_nct_6_a_draft_attached_to_mail_is_stored_byte_for_byte(mailbot, graph, demo_aad, size):  # noqa: F811
    await _review_open(mailbot, demo_aad)
    draft = realistic_docx(size)
    picture = ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2_000, "image/png")
    await graph.deliver(sender=RO, name="Alex Dunmore", subject="PP-001 amended draft",
                        text="Here is the amended draft, substantive.\n\nAlex",
                        attachments=[("PP-001-amended.docx", draft, DOCX)], inline=[picture])  # a signature logo too
    await until(lambda: all_done(mailbot, 1), what="the mail with the draft")
    [answer] = replies_to(graph, RO)
    assert "stored as draft version 1" in text_of(answer)
    [stored] = await _rows(mailbot, DraftVersion)
    assert stored.filename == "PP-001-amended.docx" and stored.sha256 == hashlib.sha256(draft).hexdigest()
    assert kept_bytes(mailbot, stored.sha256) == draft and stored.change_kind == "substantive"
    streamed = graph.count("/$value")
    assert streamed == (1 if size > 3 * 1024 * 1024 else 0)  # large ones are streamed, small ones come whole


REFUSED = [
    ("PP-003.docx", lambda: b"PK" + b"\x00" * (26 * 1024 * 1024), "PP-003.docx is 26 MB; the limit is 25 MB"),
    ("macros.docm", macro_docx, "is a macro-enabled Word document (.docm)"),
    ("bomb.docx", zip_bomb_docx, "looks like a zip bomb"),
]


@pytest.mark.parametrize("name, make, sentence", REFUSED, ids=["26MB", "docm", "bomb"])
async def test_unsafe_mail_attachments_are_refused_with_their_own_sentence(mailbot, graph, demo_aad, name, make, sentence):  # noqa: F811
    await _review_open(mailbot, demo_aad)
    await graph.deliver(sender=RO, name="Alex Dunmore", subject="PP-001 draft", text="Draft attached.",
                        attachments=[(name, make(), DOCX)])
    await until(lambda: all_done(mailbot, 1), what="the mail with the attachment")
    [answer] = replies_to(graph, RO)
    assert sentence in text_of(answer)
    assert await _count(mailbot, DraftVersion) == 0 and _stored_files(mailbot) == []
    if name == "PP-003.docx":
        assert graph.count("/$value") == 0  # refused by its declared size, before any byte was fetched

