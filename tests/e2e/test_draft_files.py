"""Whole drafts, safely, and the draft with every decision (issue 17, items 1 to 3), over the bot's
HTTP endpoint in Teams' and the email channel's shapes, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from store.case_models import Case, DraftVersion
from tests.support.cases import review_ticked
from tests.support.channel import card_of, card_text, readable
from tests.support.drafts import (
    FileServer,
    encrypted_docx,
    kept_bytes,
    macro_docx,
    pdf_bytes,
    realistic_docx,
    zip_bomb_docx,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
async def file_server():
    server = await FileServer().start()
    yield server
    await server.stop()


async def _rows(bot, model):
    from bot.app import RUNTIME_KEY

    async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
        return list((await s.execute(select(model).order_by(model.id))).scalars())


async def _count(bot, model) -> int:
    from bot.app import RUNTIME_KEY

    async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
        return (await s.execute(select(func.count()).select_from(model))).scalar_one()


def _stored_files(bot) -> list:
    root = bot.settings.data_dir / "files"
    return [p for p in root.rglob("*") if p.is_file() and "incoming" not in p.parts and "redlines" not in p.parts] \
        if root.exists() else []


def _teams_file(server: FileServer, name: str, data: bytes | None = None) -> dict:
    if data is not None:
        server.files[name] = data
    return {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
            "content": {"downloadUrl": f"{server.url}files/{name}", "uniqueId": name, "fileType": name.rsplit(".", 1)[-1]}}


async def _open_review(bot, demo_aad) -> None:
    said = await review_ticked(bot, "PP-001", aad=demo_aad["ro-1"], conversation="a:ro-chat")
    assert "Case 1" in readable(said.replies[0])


def _press(bot, aad: str, verb: str, data: dict, conversation: str | None = None, conversation_type: str = "personal") -> dict:
    return bot.activity(None, kind="invoke", aad=aad, activity_name="adaptiveCard/action", conversation=conversation,
                        conversation_type=conversation_type,
                        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}})


# ---------------------------------------------------------------- refused, each with its own sentence


REFUSALS = [
    ("PP-003.docx", "declared_26mb", "PP-003.docx is 26 MB; the limit is 25 MB"),
    ("growing.docx", "growing", "growing.docx is more than 25 MB; the limit is 25 MB"),
    ("bomb.docx", "bomb", "looks like a zip bomb"),
    ("locked.docx", "encrypted", "is protected with a password"),
    ("macros.docm", "docm_name", "is a macro-enabled Word document (.docm)"),
    ("sneaky.docx", "docm_content", "is a macro-enabled Word document (.docm)"),
    ("renamed.docx", "pdf", "is a PDF, not a Word document"),
    ("old.doc", "doc_name", "is an old-style Word file (.doc)"),
]


@pytest.mark.parametrize("name, what, sentence", REFUSALS, ids=[r[1] for r in REFUSALS])
async def test_unsafe_or_wrong_files_are_refused_with_their_own_sentence_and_nothing_is_stored(
        bot, demo_aad, file_server, name, what, sentence):
    await _open_review(bot, demo_aad)
    [before] = await _rows(bot, Case)
    if what == "declared_26mb":
        file_server.files[name] = b"PK\x03\x04" + b"\0" * (26 * 1024 * 1024)
    elif what == "growing":
        file_server.growing[name] = 40 * 1024 * 1024  # no declared length; it grows past the limit
    else:
        file_server.files[name] = {"bomb": zip_bomb_docx, "encrypted": encrypted_docx, "docm_name": macro_docx,
                                   "docm_content": macro_docx, "pdf": pdf_bytes, "doc_name": encrypted_docx}[what]()
    act = bot.activity("here is the amended draft, substantive", aad=demo_aad["ro-1"], conversation="a:ro-chat",
                       attachments=[_teams_file(file_server, name)])
    said = await bot.send(act)
    assert said.status == 200 or said.status == 201
    assert sentence in readable(said.replies[0])
    assert await _count(bot, DraftVersion) == 0
    assert _stored_files(bot) == []
    assert not list((bot.settings.data_dir / "files" / "incoming").glob("*")) if (bot.settings.data_dir / "files" / "incoming").exists() else True
    [after] = await _rows(bot, Case)
    assert (after.version, after.stage, after.state) == (before.version, before.stage, before.state)


# ---------------------------------------------------------------- received whole, stored once, with what changed


@pytest.mark.parametrize("size", [300_000, 3_000_000, 12_000_000], ids=["300kB", "3MB", "12MB"])
async def test_nct_6_a_real_draft_reaches_the_rsm_byte_for_byte_with_what_changed(bot, demo_aad, file_server, size):
    """The RO sends a tracked draft from Teams; the RSM's notice card names the changed sections,
    carries 'Open the draft', and the file consent flow puts the very same bytes in their OneDrive."""
    ro, rsm = demo_aad["ro-1"], demo_aad["rsm-safeguarding"]
    await bot.say("help", aad=rsm, conversation="a:rsm-chat")
    await _open_review(bot, demo_aad)
    draft = realistic_docx(size)
    said = await bot.send(bot.activity("Amended draft, substantive", aad=ro, conversation="a:ro-chat",
                                       attachments=[_teams_file(file_server, "PP-001-amended.docx", draft)]))
    assert "stored as draft version 1" in readable(said.replies[0])
    [stored] = await _rows(bot, DraftVersion)
    assert kept_bytes(bot, stored.sha256) == draft and stored.change_kind == "substantive"
    [kept] = _stored_files(bot)
    assert kept.name == hashlib.sha256(draft).hexdigest() and kept.read_bytes() == draft

    notice = [a for a in bot.channel.in_conversation("a:rsm-chat") if card_of(a)][-1]
    words = card_text(card_of(notice))
    assert "4 insertions, 4 deletions, 2 comments in sections 2, 3, 5 and 6" in words
    assert "Substantive change" in words and "Alex Dunmore" in words
    button = next(a for a in card_of(notice)["actions"] if a["title"] == "Open the draft")

    said = await bot.send(_press(bot, rsm, button["verb"], button["data"], conversation="a:rsm-chat"))
    assert said.status == 200
    consent = [a for a in bot.channel.in_conversation("a:rsm-chat")
               if any(x.get("contentType") == "application/vnd.microsoft.teams.card.file.consent" for x in a.get("attachments") or [])][-1]
    card = consent["attachments"][0]
    assert card["content"]["sizeInBytes"] == len(draft)

    accept = bot.activity(None, kind="invoke", aad=rsm, conversation="a:rsm-chat", activity_name="fileConsent/invoke",
                          value={"type": "fileUpload", "action": "accept", "context": card["content"]["acceptContext"],
                                 "uploadInfo": {"name": card["name"], "uploadUrl": f"{file_server.url}upload/{card['name']}",
                                                "contentUrl": f"https://contoso-my.sharepoint.com/{card['name']}",
                                                "uniqueId": "1150D938", "fileType": "docx"}})
    said = await bot.send(accept)
    assert said.status == 200
    assert file_server.uploads[card["name"]] == draft  # the RSM has it byte for byte
    assert file_server.upload_headers[card["name"]]["Content-Range"] == f"bytes 0-{len(draft) - 1}/{len(draft)}"
    info = [a for a in bot.channel.in_conversation("a:rsm-chat")
            if any(x.get("contentType") == "application/vnd.microsoft.teams.card.file.info" for x in a.get("attachments") or [])]
    assert info, "a FileInfoCard follows the upload"


async def test_the_same_file_sent_twice_is_stored_once(bot, demo_aad, file_server):
    await _open_review(bot, demo_aad)
    draft = realistic_docx(300_000)
    await bot.send(bot.activity("editorial", aad=demo_aad["ro-1"], conversation="a:ro-chat",
                                attachments=[_teams_file(file_server, "a.docx", draft)]))
    await review_ticked(bot, "PP-002", aad=demo_aad["ro-1"], conversation="a:ro-chat")
    said = await bot.send(bot.activity("case 2 editorial", aad=demo_aad["ro-1"], conversation="a:ro-chat",
                                       attachments=[_teams_file(file_server, "b.docx", draft)]))
    assert "stored as draft version 1" in readable(said.replies[0])
    assert await _count(bot, DraftVersion) == 2
    assert len(_stored_files(bot)) == 1


# ---------------------------------------------------------------- signed links


async def _submitted(bot, demo_aad, file_server) -> bytes:
    await bot.say("help", aad=demo_aad["rsm-safeguarding"], conversation="a:rsm-chat")
    await _open_review(bot, demo_aad)
    draft = realistic_docx(300_000)
    said = await bot.send(bot.activity("substantive", aad=demo_aad["ro-1"], conversation="a:ro-chat",
                                       attachments=[_teams_file(file_server, "amended.docx", draft)]))
    assert "stored as draft version 1" in readable(said.replies[0])
    return draft


def _link_in(bot, activity: dict) -> str:
    """The signed link in a reply, at the test bot's own port (POLICYBOT_PUBLIC_URL in real life)."""
    import re

    return bot.url + re.search(r"http://\S+?(/drafts/\S+)", readable(activity)).group(1)


async def test_in_a_group_chat_draft_case_gives_a_signed_link_that_downloads_the_draft(bot, demo_aad, file_server):
    draft = await _submitted(bot, demo_aad, file_server)
    act = bot.activity("<at>policybot</at> draft case 1", aad=demo_aad["rsm-safeguarding"], conversation="19:group",
                       conversation_type="groupChat",
                       entities=[{"type": "mention", "mentioned": {"id": "28:policybot-test", "name": "policybot"},
                                  "text": "<at>policybot</at>"}])
    said = await bot.send(act)
    link = _link_in(bot, said.replies[0])
    resp = await bot.http.get(link)
    assert resp.status == 200 and await resp.read() == draft
    assert "attachment" in resp.headers["Content-Disposition"]


async def test_signed_links_expired_altered_for_another_case_or_after_the_case_moved_on_are_refused(bot, demo_aad, file_server, clock):
    await _submitted(bot, demo_aad, file_server)
    said = await bot.send(bot.activity("draft case 1", aad=demo_aad["rsm-safeguarding"], conversation="a:rsm-chat",
                                       channel_id="email"))
    reply = said.replies[0]
    link = _link_in(bot, reply)
    assert reply["attachments"][0]["contentType"] == DOCX  # by email the file goes as an attachment
    assert (await bot.http.get(link)).status == 200

    payload = link.rsplit("/", 1)[1].split(".")[0]
    altered = link.replace(payload, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"))
    resp = await bot.http.get(altered)
    assert resp.status == 403 and "not valid" in await resp.text()

    import base64
    import json

    from bot.files import SIGNER_KEY

    signer = bot.app[SIGNER_KEY]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other = dict(claims, c=claims["c"] + 1)  # a genuine signature, but for another case
    body = base64.urlsafe_b64encode(json.dumps(other, separators=(",", ":")).encode()).decode().rstrip("=")
    resp = await bot.http.get(f"{bot.url}/drafts/{body}.{signer._mac(body.encode())}")
    assert resp.status == 403

    clock.advance(hours=3)
    resp = await bot.http.get(link)
    assert resp.status == 403 and "expired" in await resp.text()
    clock.advance(hours=-3)

    # The RSM approves: the case moves on and the old link no longer opens.
    [case] = await _rows(bot, Case)
    said = await bot.send(_press(bot, demo_aad["rsm-safeguarding"], "case", {"case": 1, "case_version": case.version, "action": "approve"},
                                 conversation="a:rsm-chat"))
    assert said.status == 200, said.body
    assert "Not done" not in card_text(said.body["value"]), card_text(said.body["value"])
    resp = await bot.http.get(link)
    assert resp.status == 403 and "moved on" in await resp.text()


async def test_someone_with_no_part_in_the_case_cannot_fetch_its_draft(bot, demo_aad, file_server):
    await _submitted(bot, demo_aad, file_server)
    outsider = next(k for k in demo_aad if k.startswith("ro-") and k != "ro-1")
    said = await bot.say("draft case 1", aad=demo_aad[outsider], conversation="a:outsider")
    assert "no part in case 1" in readable(said.replies[0])


async def test_submit_the_draft_pressed_without_a_file_asks_for_the_attachment(bot, demo_aad):
    await _open_review(bot, demo_aad)
    [before] = await _rows(bot, Case)
    said = await bot.send(_press(bot, demo_aad["ro-1"], "case", {"case": 1, "case_version": before.version,
                                                                  "action": "submit_draft"}, conversation="a:ro-chat"))
    assert "attach the Word document to your next message" in card_text(said.body["value"])
    [after] = await _rows(bot, Case)
    assert after.version == before.version


# ---------------------------------------------------------------- by email


@pytest.mark.parametrize("size", [300_000, 3_000_000, 12_000_000], ids=["300kB", "3MB", "12MB"])
async def test_a_draft_sent_by_email_reaches_the_rsm_by_email_attached_byte_for_byte(db_url, clock, smtp, demo_aad, file_server, size):
    """The RO emails the draft (the email channel's attachment by contentUrl); the RSM, who takes
    notices by email, gets the decision email with the very same file attached and what changed."""
    from store.models import Person
    from tests.support.bot import RunningBot, settings_for

    bot = await RunningBot(settings_for(db_url, POLICYBOT_MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1",
                                        SMTP_PORT=str(smtp.port)), clock=clock).start()
    try:
        from bot.app import RUNTIME_KEY

        async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
            rsm = await s.get(Person, "rsm-safeguarding")
            rsm.preferences = {**(rsm.preferences or {}), "channels": ["email"]}
            await s.commit()
            rsm_email = rsm.email
        await _open_review(bot, demo_aad)
        draft = realistic_docx(size)
        file_server.files["PP-001 amended.docx"] = draft
        said = await bot.send(bot.activity("Amended draft attached. Substantive.", aad=demo_aad["ro-1"], channel_id="email",
                                           conversation="ro@example.org",
                                           attachments=[{"contentType": DOCX, "name": "PP-001 amended.docx",
                                                         "contentUrl": f"{file_server.url}files/PP-001%20amended.docx"}]))
        assert "stored as draft version 1" in readable(said.replies[0])
        [mail] = [m for m in smtp.to(rsm_email)]
        files = [p for p in mail.message.walk() if p.get_content_type() == DOCX]
        assert len(files) == 1 and files[0].get_content() == draft
        assert "sections 2, 3, 5 and 6" in mail.part("text/plain")
    finally:
        await bot.stop()


# ---------------------------------------------------------------- comparing two versions (item 4)


async def test_compare_two_versions_gives_the_summary_and_a_redline_with_tracked_changes(bot, demo_aad, file_server):
    """NCT-8: the RSM sets conditions, the RO sends version 2; 'compare PP-001 version 1 with 2'
    answers with what changed by section, and the redline .docx (w:ins / w:del) lands in OneDrive."""
    import io
    import zipfile

    from tests.support.drafts import revised_docx

    ro, rsm = demo_aad["ro-1"], demo_aad["rsm-safeguarding"]
    first = await _submitted(bot, demo_aad, file_server)
    [case] = await _rows(bot, Case)
    said = await bot.send(_press(bot, rsm, "case", {"case": 1, "case_version": case.version, "action": "approve_with_conditions",
                                                    "approve_with_conditions_text": "Add the annual training requirement."},
                                 conversation="a:rsm-chat"))
    assert "Not done" not in card_text(said.body["value"]), card_text(said.body["value"])
    second = revised_docx(first)
    said = await bot.send(bot.activity("case 1, editorial", aad=ro, conversation="a:ro-chat",
                                       attachments=[_teams_file(file_server, "amended-v2.docx", second)]))
    assert "stored as draft version 2" in readable(said.replies[0])

    rsm_card = [a for a in bot.channel.in_conversation("a:rsm-chat") if card_of(a)][-1]
    compare = next(a for a in card_of(rsm_card)["actions"] if a["title"] == "Compare with version 1")
    before = len(bot.channel.in_conversation("a:rsm-chat"))
    pressed = await bot.send(_press(bot, rsm, compare["verb"], compare["data"], conversation="a:rsm-chat"))
    assert pressed.status == 200
    assert "sections 7 and 8" in " ".join(readable(a) for a in bot.channel.in_conversation("a:rsm-chat")[before:])

    said = await bot.say("compare PP-001 version 1 with 2", aad=rsm, conversation="a:rsm-chat")
    summary = readable(said.replies[0])
    assert "PP-001 version 1 to 2" in summary and "sections 7 and 8" in summary, summary
    assert "annual" not in summary.lower() or "e-learning" in summary  # the reworded paragraph is quoted
    consent = next(a for a in said.replies if any(x.get("contentType", "").endswith("file.consent") for x in a.get("attachments") or []))
    card = consent["attachments"][0]
    said = await bot.send(bot.activity(None, kind="invoke", aad=rsm, conversation="a:rsm-chat", activity_name="fileConsent/invoke",
                                       value={"type": "fileUpload", "action": "accept", "context": card["content"]["acceptContext"],
                                              "uploadInfo": {"name": card["name"], "uploadUrl": f"{file_server.url}upload/redline.docx",
                                                             "contentUrl": "https://contoso-my.sharepoint.com/redline.docx",
                                                             "uniqueId": "R1", "fileType": "docx"}}))
    assert said.status == 200
    xml = zipfile.ZipFile(io.BytesIO(file_server.uploads["redline.docx"])).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml and "e-learning" in xml and "quarterly report" in xml


# ---------------------------------------------------------------- every copy stays true (item 6)


async def test_after_each_decision_every_earlier_copy_in_every_chat_shows_the_new_state(bot, demo_aad, file_server):
    """The RO's own card, the RSM's notice and the PPO's publish card are all updated in place after
    the RSM approves and again after the PPO publishes (NCT-10: the PPO's card carries the approved draft)."""
    rsm, ppo = demo_aad["rsm-safeguarding"], demo_aad["ppo"]
    await bot.say("help", aad=ppo, conversation="a:ppo-chat")
    draft = await _submitted(bot, demo_aad, file_server)
    rsm_card = [a for a in bot.channel.in_conversation("a:rsm-chat") if card_of(a)][-1]

    approve = next(a for a in card_of(rsm_card)["actions"] if a.get("data", {}).get("action") == "approve")
    ro_before = len([r for r in bot.channel.received if r.method == "PUT" and r.conversation_id == "a:ro-chat"])
    said = await bot.send(_press(bot, rsm, "case", approve["data"], conversation="a:rsm-chat"))
    assert said.status == 200

    def updates(conversation: str) -> list[dict]:
        return [r.activity for r in bot.channel.received if r.method == "PUT" and r.conversation_id == conversation]

    ro_updates = updates("a:ro-chat")[ro_before:]
    assert len(ro_updates) == 3  # the RO's three copies (the review's card, the ticked checklist's and the submitted draft's)
    assert all("PPO submits to the publisher" in readable(u) for u in ro_updates)
    assert "Approved" in " ".join(readable(a) for a in bot.channel.in_conversation("a:ro-chat"))  # the author is told

    ppo_card = [a for a in bot.channel.in_conversation("a:ppo-chat") if card_of(a)][-1]
    words = card_text(card_of(ppo_card))
    assert "version 1, amended.docx" in words and any(a["title"] == "Open the draft" for a in card_of(ppo_card)["actions"])
    # NCT-10: submitted to the publisher, then published in an edition: two steps.
    submit = next(a for a in card_of(ppo_card)["actions"] if a.get("data", {}).get("action") == "submit_to_publisher")
    said = await bot.send(_press(bot, ppo, "case", submit["data"], conversation="a:ppo-chat"))
    assert said.status == 200
    publish = next(a for a in said.body["value"]["actions"] if a.get("data", {}).get("action") == "published_in_edition")
    said = await bot.send(_press(bot, ppo, "case", {**publish["data"], "version": "4.0", "edition": "14"}, conversation="a:ppo-chat"))
    assert said.status == 200
    assert "[Published in the manual]" not in card_text(said.body["value"])
    ro_after = updates("a:ro-chat")[ro_before + 2:]
    assert len(ro_after) >= 4 and all("published" in readable(u).lower() for u in ro_after[-2:])  # every copy the RO holds
    rsm_updates = updates("a:rsm-chat")
    assert rsm_updates and all("Approve" not in [a["title"] for a in (card_of(u) or {}).get("actions", [])] for u in rsm_updates)
    assert "published" in readable(rsm_updates[-1]).lower()
    # NCT-10: the PPO can still fetch the approved version to send to the publisher
    said = await bot.say("draft case 1", aad=ppo, conversation="a:ppo-chat", channel_id="email")
    resp = await bot.http.get(_link_in(bot, said.replies[0]))
    assert resp.status == 200 and await resp.read() == draft


async def test_nct_6_an_untracked_amendment_is_refused_and_its_file_not_kept(bot, demo_aad, file_server):
    from connectors.word.samples import plain_docx

    await _open_review(bot, demo_aad)
    said = await bot.send(bot.activity("substantive", aad=demo_aad["ro-1"], conversation="a:ro-chat",
                                       attachments=[_teams_file(file_server, "untracked.docx", plain_docx())]))
    assert "tracked changes" in readable(said.replies[0])
    assert await _count(bot, DraftVersion) == 0 and _stored_files(bot) == []
