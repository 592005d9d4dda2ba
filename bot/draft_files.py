"""Drafts in and out (issue 17), for the activity handler: a Word draft or a tracker spreadsheet
attached to a message, 'send me the draft' and 'compare' words, and Teams' file consent."""

from __future__ import annotations

import asyncio
import logging
import re

from botbuilder.core import (
    MessageFactory,
    TurnContext,
)
from botbuilder.schema import (
    Activity,
)
from botbuilder.schema.teams import FileConsentCardResponse

from bot import files
from bot.activities import identity_of, to_activity
from dialogs import buttons
from dialogs.response import Response
from governance.errors import GovernanceError
from render import cases as case_render
from render import messages
from services.cases import draft_delivery, drafts, lifecycle
from services.cases.draft_delivery import LinkSigner
from services.context import Services
from services.people.identity import ChannelIdentity
from services.register import tracker_chat
from services.register.tracker_chat import is_tracker
from services.updates.plan import is_plan

log = logging.getLogger("policybot.bot")


class DraftFiles:
    """Mixed into PolicyBot, which sets `services` and `signer`."""

    services: Services
    signer: LinkSigner

    async def _receive_draft(self, ident: ChannelIdentity, found: tuple[str, str], text: str) -> Response:
        """Stream the attachment into the data folder (25 MB at most), check it off the event loop,
        and submit it; any refusal is one plain sentence, with nothing stored and the case unchanged."""
        name, url = found
        if is_plan(name, text):  # the publisher's update plan (NCT-3): its preview (services/updates/plan.py)
            return await self._receive_whole(ident, name, url, plan=True)
        if is_tracker(name):  # a tracker spreadsheet: the import preview (services/register/tracker_chat.py)
            return await self._receive_whole(ident, name, url)
        try:
            drafts.refuse_by_name(name)  # a .doc, .docm, PDF or picture is refused before it is fetched
            async with files.download(url) as (declared, chunks):
                received = await drafts.receive(self.services, chunks, name, declared)
        except files.DownloadError as exc:
            log.warning("could not fetch attachment %r: %s", name, exc)
            return Response(messages.error_reply(f"I couldn't open the attachment {name}: {exc}. Please send it again."))
        except GovernanceError as exc:
            log.info("draft %r refused: %s", name, exc)
            return Response(messages.error_reply(str(exc)))
        match = re.search(r"\bcase\s+(\d+)\b", text, re.IGNORECASE)
        kind = drafts.change_kind_in(text)
        try:
            content = await asyncio.to_thread(received.read)
            out = await lifecycle.submit_draft(self.services, ident, name, content, int(match.group(1)) if match else None,
                                               change_kind=kind)
        except GovernanceError as exc:
            await drafts.forget_unless_kept(self.services, received.facts.sha256)
            return Response(messages.error_reply(str(exc)))
        message = out.message
        if kind is None:
            message += (" Next time, add 'editorial' or 'substantive' to your message with the file, "
                        "so the people deciding see what kind of change it is.")
        return Response(case_render.case_reply(out.case, message), out.notices, out.case.id, out.cards)

    async def _receive_whole(self, ident: ChannelIdentity, name: str, url: str, *, plan: bool = False) -> Response:
        """The whole file (25 MB at most, also when it grows mid-download) to the tracker import, or to
        the update plan's preview (NCT-3)."""
        try:
            async with files.download(url) as (declared, chunks):
                if declared is not None and declared > drafts.MAX_DRAFT_BYTES:
                    raise drafts.too_large(name, declared)
                parts, size = [], 0
                async for chunk in chunks:
                    size += len(chunk)
                    if size > drafts.MAX_DRAFT_BYTES:
                        raise drafts.too_large(name, None)
                    parts.append(chunk)
        except files.DownloadError as exc:
            log.warning("could not fetch attachment %r: %s", name, exc)
            return Response(messages.error_reply(f"I couldn't open the attachment {name}: {exc}. Please send it again."))
        except GovernanceError as exc:
            return Response(messages.error_reply(str(exc)))
        if plan:
            return await buttons.update_plan(self.services, ident, name, b"".join(parts))
        return await buttons.tracker(self.services, ident, name, b"".join(parts), report_link=self._report_url)

    def _report_url(self, preview: tracker_chat.TrackerPreview) -> str:
        token = tracker_chat.report_link(self.signer, preview, self.services.clock.now())
        return f"{self.signer.base_url}/tracker-reports/{token}"

    _DRAFT_WORDS = re.compile(r"^(?:(?:send\s+me\s+|get\s+|open\s+)?(?:the\s+)?draft(?:\s+(?:of|for))?(?:\s+case)?\s*(\d+)?"
                              r"|send\s+me\s+the\s+draft)[.!?]?$", re.IGNORECASE)

    async def _file_words(self, turn_context: TurnContext, ident: ChannelIdentity, text: str) -> bool:
        """'draft case 12', 'send me the draft', 'compare PP-001 version 2 with 3': answered here, as
        they send files. True when the words were ours."""
        m = self._DRAFT_WORDS.match(text)
        if m:
            await self.send_draft(turn_context, ident, int(m.group(1)) if m.group(1) else None)
            return True
        wanted = draft_delivery.compare_request(text)
        if wanted:
            await self.send_comparison(turn_context, ident, *wanted)
            return True
        return False

    def _personal_teams(self, turn_context: TurnContext) -> bool:
        act = turn_context.activity
        return act.channel_id == "msteams" and (act.conversation.conversation_type or "personal") == "personal"

    async def send_draft(self, turn_context: TurnContext, ident: ChannelIdentity, case_id: int | None,
                         number: int | None = None) -> None:
        """The draft to a person whose part in the case allows it: Teams' file consent in a personal
        chat (it lands in their OneDrive), else a short-lived signed link (attached by email)."""
        channel = turn_context.activity.channel_id or ""
        try:
            item = await draft_delivery.draft_for(self.services, ident, case_id, number)
        except GovernanceError as exc:
            await turn_context.send_activity(to_activity(messages.error_reply(str(exc)), channel))
            return
        if self._personal_teams(turn_context):
            url = self.signer.url(item, self.services.clock.now())  # the fallback where file consent is not offered
            hours = int(draft_delivery.LINK_LIFETIME.total_seconds() // 3600)
            act = MessageFactory.text(f"Here is {item.document_ref} draft version {item.draft.number}: press Allow and it is "
                                      f"saved to your OneDrive (or download it within {hours} hours: {url}).")
            act.attachments = [files.consent_card(item)]
            await turn_context.send_activity(act)
            return
        await turn_context.send_activity(self._link_activity(item, channel))

    def _link_activity(self, item, channel: str) -> Activity:
        url = self.signer.url(item, self.services.clock.now())
        hours = int(draft_delivery.LINK_LIFETIME.total_seconds() // 3600)
        text = (f"{item.document_ref} draft version {item.draft.number} ({item.draft.filename}): {url} "
                f"(the link works for {hours} hours, and only while case {item.case_id} stays at its current step).")
        act = MessageFactory.text(text)
        if channel == "email":
            act.attachments = [files.link_attachment(item, url)]
        return act

    async def send_comparison(self, turn_context: TurnContext, ident: ChannelIdentity, ref: str, old: int, new: int) -> None:
        channel = turn_context.activity.channel_id or ""
        try:
            comparison = await draft_delivery.compare_versions(self.services, ident, ref, old, new)
        except GovernanceError as exc:
            await turn_context.send_activity(to_activity(messages.error_reply(str(exc)), channel))
            return
        await turn_context.send_activity(to_activity(case_render.comparison_reply(comparison), channel))
        if self._personal_teams(turn_context):
            act = MessageFactory.text("The redline (the differences as tracked changes in Word):")
            size = comparison.redline.stat().st_size
            context = {"compare": [ref, old, new]}
            act.attachments = [{"contentType": files.FILE_CONSENT, "name": comparison.redline_name,
                                "content": {"description": f"{ref}: version {old} to {new} as tracked changes",
                                            "sizeInBytes": size, "acceptContext": context, "declineContext": context}}]
            await turn_context.send_activity(act)

    async def on_teams_file_consent_accept(self, turn_context: TurnContext, response: FileConsentCardResponse):
        """The person allowed the file: authorise again from who they are (never from the card's
        context alone), upload to the address Teams gave, then show the file."""
        ident = identity_of(turn_context.activity)
        context = response.context if isinstance(response.context, dict) else {}
        info = response.upload_info
        try:
            if "compare" in context:
                ref, old, new = context["compare"]
                comparison = await draft_delivery.compare_versions(self.services, ident, str(ref), int(old), int(new))
                path = comparison.redline
            else:
                case_no, draft_no = context.get("case"), context.get("draft")
                if case_no is None or draft_no is None:
                    raise TypeError("the card's context names no case or no draft")
                item = await draft_delivery.draft_for(self.services, ident, int(case_no), int(draft_no))
                path = item.path
            await files.upload(info.upload_url, path, path.stat().st_size)
        except (GovernanceError, files.DownloadError, TypeError, ValueError, OSError) as exc:
            log.warning("file consent upload failed: %s", exc)
            await turn_context.send_activity(MessageFactory.text(f"I couldn't save the file to your OneDrive: {exc}"))
            return
        act = MessageFactory.text("Saved to your OneDrive:")
        act.attachments = [files.file_info_card(info)]
        await turn_context.send_activity(act)

    async def on_teams_file_consent_decline(self, turn_context: TurnContext, response: FileConsentCardResponse):
        await turn_context.send_activity(MessageFactory.text("All right, I haven't sent the file."))
