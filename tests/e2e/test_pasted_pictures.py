"""Issue 17 item 1: pictures pasted in Teams (an image attachment with a contentUrl, and hosted
content in the message's HTML) are not drafts. Over the bot's HTTP endpoint in Teams' shapes on
SQLite and PostgreSQL: a picture alone is refused with a plain sentence before anything is
fetched, and a picture pasted beside the .docx does not break the draft (NCT-6)."""

from __future__ import annotations

from store.case_models import DraftVersion
from tests.support.channel import readable
from tests.support.drafts import kept_bytes, realistic_docx
from tests.e2e.test_draft_files import _count, _open_review, _rows, _stored_files, _teams_file, file_server  # noqa: F401


def _pasted(server, name: str = "pasted.png") -> list[dict]:
    """What Teams sends for a pasted screenshot: the image by address, and the HTML that shows it."""
    server.files[name] = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40_000
    hosted = "https://us-api.asm.skype.com/v1/objects/0-weu-d3-abc/views/imgo"
    return [{"contentType": "image/*", "contentUrl": f"{server.url}files/{name}"},
            {"contentType": "text/html",
             "content": f'<div><div><span><img height="250" src="https://graph.microsoft.com/v1.0/chats/19:x/messages/1/hostedContents/aWQ9/$value" '
                        f'width="400" itemid="{hosted}" style="vertical-align:bottom"></span>Here it is</div></div>'}]


async def test_a_pasted_picture_alone_is_refused_politely_and_not_fetched(bot, demo_aad, file_server):  # noqa: F811
    await _open_review(bot, demo_aad)
    said = await bot.send(bot.activity("Here it is", aad=demo_aad["ro-1"], conversation="a:ro-chat",
                                       attachments=_pasted(file_server)))
    assert said.status in (200, 201)
    words = readable(said.replies[0])
    assert "is a picture, not a draft" in words and "attach the Word document itself (.docx)" in words
    assert await _count(bot, DraftVersion) == 0 and _stored_files(bot) == []


async def test_a_picture_only_in_the_html_as_hosted_content_is_refused_politely(bot, demo_aad, file_server):  # noqa: F811
    await _open_review(bot, demo_aad)
    html_only = _pasted(file_server)[1:]
    said = await bot.send(bot.activity("<img>", aad=demo_aad["ro-1"], conversation="a:ro-chat", attachments=html_only))
    assert "pasted picture.png is a picture, not a draft" in readable(said.replies[0])
    assert await _count(bot, DraftVersion) == 0


async def test_nct_6_a_picture_pasted_beside_the_docx_does_not_break_the_draft(bot, demo_aad, file_server):  # noqa: F811
    await _open_review(bot, demo_aad)
    draft = realistic_docx(300_000)
    attachments = [*_pasted(file_server), _teams_file(file_server, "PP-001-amended.docx", draft)]  # the picture first
    said = await bot.send(bot.activity("Amended draft, editorial", aad=demo_aad["ro-1"], conversation="a:ro-chat",
                                       attachments=attachments))
    assert "stored as draft version 1" in readable(said.replies[0])
    [stored] = await _rows(bot, DraftVersion)
    assert stored.filename == "PP-001-amended.docx" and kept_bytes(bot, stored.sha256) == draft

