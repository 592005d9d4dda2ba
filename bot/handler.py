"""The Teams activity handler: identity, mentions, welcome, card actions; the talking is in dialogs/."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from botbuilder.core import (
    CardFactory,
    ConversationState,
    InvokeResponse,
    MessageFactory,
    TurnContext,
)
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)
from botbuilder.schema.teams import FileConsentCardResponse

from bot import files
from bot.settings import Settings
from dialogs.router import Response, Router
from governance.errors import GovernanceError
from governance.actions import ANSWER_VERB
from render import cases as case_render
from services.delivery.notices import queue_late
from render import messages
from render.reply import Reply
from services.cases import draft_delivery, drafts, lifecycle
from services.cases.draft_delivery import LinkSigner
from services.context import Services
from services.people.identity import ChannelIdentity, remember_conversation, resolve_person
from services.register import tracker_chat
from services.register.tracker_chat import is_tracker

log = logging.getLogger("policybot.bot")

GROUP_CONVERSATIONS = {"groupChat", "channel"}


def tenant_id_of(activity: Activity) -> str | None:
    """Teams sends `tenantId`; the SDK schema maps `tenantID`, so read it ourselves (trap 7)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
    if isinstance(tenant.get("id"), str):
        return tenant["id"]
    conv = activity.conversation
    if conv is not None:
        extra = getattr(conv, "additional_properties", None) or {}
        return conv.tenant_id or extra.get("tenantId")
    return None


def email_subject(activity: Activity) -> str | None:
    """The email channel's subject, from `channelData` read without assuming the key's case (BOTFRAMEWORK.md)."""
    if activity.channel_id != "email" or not isinstance(activity.channel_data, dict):
        return None
    for key, value in activity.channel_data.items():
        if isinstance(key, str) and key.lower() == "subject" and isinstance(value, str):
            return value
    return None


def identity_of(activity: Activity) -> ChannelIdentity:
    frm: ChannelAccount = activity.from_property or ChannelAccount(id="")
    return ChannelIdentity(
        channel_id=activity.channel_id or "",
        user_id=frm.id or "",
        aad_object_id=frm.aad_object_id,
        name=frm.name,
        tenant_id=tenant_id_of(activity),
    )


def reference_json(activity: Activity, tenant_id: str | None) -> dict[str, Any]:
    """The conversation reference as wire JSON (camelCase), with the tenant id kept."""
    ref = TurnContext.get_conversation_reference(activity).serialize()
    if tenant_id:
        ref.setdefault("conversation", {})["tenantId"] = tenant_id
    return ref


def is_mentioned(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        if entity.type == "mention" and bot_id and mentioned.get("id") == bot_id:
            return True
    return False


def to_activity(reply: Reply, channel_id: str) -> Activity:
    if channel_id == "email":
        # Cards arrive as images by email; send readable HTML with the reply words instead.
        act = MessageFactory.text(reply.text)
        act.channel_data = {"htmlBody": reply.html_body()}
        if reply.files:  # the email channel fetches each address and attaches the file
            act.attachments = [{"contentType": kind, "contentUrl": url, "name": name} for name, kind, url in reply.files]
        return act
    if reply.card is not None:
        act = MessageFactory.attachment(CardFactory.adaptive_card(reply.card))
        act.summary = reply.text
        return act
    return MessageFactory.text(reply.text)


class PolicyBot(TeamsActivityHandler):
    def __init__(self, services: Services, conversation_state: ConversationState, dispatcher=None, store=None,
                 settings: Settings | None = None) -> None:
        self.services = services
        self.store = store
        self.settings = settings or Settings()
        self.dispatcher = dispatcher  # services.dispatch.Dispatcher: sends what the outbox owes
        self.conversation_state = conversation_state
        # Dialogs in progress (the new-document request), one per person, kept with the conversation.
        self.dialogs = conversation_state.create_property("dialogs")
        self.router = Router(services)
        # Signed draft links (issue 17): set by bot/bootstrap.py with the key in the data folder.
        self.signer = LinkSigner(LinkSigner.key_in(services.config.data_dir),
                                 self.settings.public_url or f"http://{self.settings.host}:{self.settings.port}")
        # The last reference stored per conversation: identical ones are not written again.
        self._stored_refs: dict[tuple[str, str], str] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.channel_id == "email" and activity.type == ActivityTypes.message and activity.id:
            key = f"email:{activity.id}"
            if not await self.store.activities.first_time(key, self.services.clock.now()):
                log.info("ignoring a repeated delivery of email activity %s", activity.id)
                return
        await self._remember(turn_context)
        await super().on_turn(turn_context)
        await self.conversation_state.save_changes(turn_context)

    async def _remember(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if not activity.conversation or not activity.service_url:
            return
        ident = identity_of(activity)
        reference = reference_json(activity, ident.tenant_id)
        key = (activity.channel_id or "", activity.conversation.id)
        lasting = {k: v for k, v in reference.items() if k != "activityId"}  # the rest does not change turn to turn
        fingerprint = json.dumps([lasting, ident.aad_object_id, activity.conversation.conversation_type], sort_keys=True)
        if self._stored_refs.get(key) == fingerprint:
            return
        async with self.services.uow() as uow:
            person = await resolve_person(uow, ident)
            await remember_conversation(
                uow,
                now=self.services.clock.now(),
                ident=ident,
                person=person,
                reference=reference,
                conversation_id=activity.conversation.id,
                conversation_type=activity.conversation.conversation_type,
                service_url=activity.service_url,
            )
            await uow.commit()
        if len(self._stored_refs) > 50_000:
            self._stored_refs.clear()
        self._stored_refs[key] = fingerprint

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        conv_type = activity.conversation.conversation_type if activity.conversation else None
        text = activity.text or ""
        if conv_type in GROUP_CONVERSATIONS:
            if not is_mentioned(activity) and not isinstance(activity.value, dict):
                return  # in group chats and channels we answer only when mentioned
            text = TurnContext.remove_recipient_mention(activity) or ""
        value = activity.value if isinstance(activity.value, dict) else None
        ident = identity_of(activity)
        found = files.first_file(activity.attachments)
        if found is None and value is None and await self._file_words(turn_context, ident, text.strip()):
            await self.conversation_state.save_changes(turn_context)
            return
        if found is not None:
            response = await self._receive_draft(ident, found, text.strip())
        elif value and value.get("case") is not None and value.get("action"):
            response = await self.router.card_action(ident, value)
        else:
            state = await self.dialogs.get(turn_context, dict)
            response = await self.router.handle(ident, text.strip(), value, state, subject=email_subject(activity))
        sent = await turn_context.send_activity(to_activity(response.reply, activity.channel_id or ""))
        await self._remember_card(turn_context, response.reply.card, sent.id if sent else None)
        await self.deliver(turn_context, response.notices)
        await self.refresh_cards(turn_context, response.changed_case)

    # ------------------------------------------------------------ drafts in and out (issue 17)

    async def _receive_draft(self, ident: ChannelIdentity, found: tuple[str, str], text: str) -> Response:
        """Stream the attachment into the data folder (25 MB at most), check it off the event loop,
        and submit it; any refusal is one plain sentence, with nothing stored and the case unchanged."""
        name, url = found
        if is_tracker(name):  # a tracker spreadsheet: the import preview (services/register/tracker_chat.py)
            return await self._receive_tracker(ident, name, url)
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
        return Response(case_render.case_reply(out.case, message), out.notices, out.case.id)

    async def _receive_tracker(self, ident: ChannelIdentity, name: str, url: str) -> Response:
        """The whole spreadsheet (25 MB at most, also when it grows mid-download) to the tracker import."""
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
        return await self.router.tracker(ident, name, b"".join(parts), report_link=self._report_url)

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
                item = await draft_delivery.draft_for(self.services, ident, int(context.get("case")), int(context.get("draft")))
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

    async def _remember_card(self, turn_context: TurnContext, card: dict | None, activity_id: str | None) -> None:
        """A case card shown in a reply (or replacing the card a button was pressed on) is one more
        copy to refresh when the case moves, like the cards the outbox sends (issue 17, item 6)."""
        act = turn_context.activity
        if not card or not activity_id or act.channel_id != "msteams" or not act.conversation:
            return
        found = next((a.get("data") for a in card.get("actions") or []
                      if isinstance(a.get("data"), dict) and isinstance(a["data"].get("case_version"), int)), None)
        if not found or not isinstance(found.get("case"), int):
            return
        try:
            async with self.services.uow() as uow:
                person = await resolve_person(uow, identity_of(act))
            if person is None:
                return
            await lifecycle.record_sent_card(self.services, case_id=found["case"], person_id=person.id, channel_id="msteams",
                                             conversation_id=act.conversation.id, activity_id=activity_id,
                                             service_url=act.service_url or "", case_version=found["case_version"])
        except Exception:
            log.warning("could not remember case card %s", activity_id, exc_info=True)

    async def deliver(self, turn_context: TurnContext, notices) -> None:
        """Tell the other people involved now. The notices were queued in the outbox in the same
        transaction as the decision; sending them here is only the fast path: whatever fails
        stays in the outbox and the scheduler retries it."""
        notices = list(notices)
        if not notices or self.dispatcher is None:
            return
        try:
            # Those a use case did not raise in its own transaction (meeting paperwork) are queued now.
            keys = await queue_late(self.services, notices)
            await self.dispatcher.run_once(keys=keys)
        except Exception:
            log.warning("could not send %d notice(s) now; the outbox will retry", len(notices), exc_info=True)

    async def refresh_cards(self, turn_context: TurnContext, case_id: int | None) -> None:
        """After a decision, replace every older copy of the case's card (Teams updates it in place),
        so nobody is left with buttons for a step that has passed."""
        if case_id is None:
            return
        for card_id, channel_id, conversation_id, activity_id, service_url, view in await lifecycle.cards_to_refresh(self.services, case_id):
            try:
                reference = ConversationReference(channel_id=channel_id, service_url=service_url,
                                                  conversation=ConversationAccount(id=conversation_id),
                                                  bot=turn_context.activity.recipient)
                updated = to_activity(case_render.case_reply(view), channel_id)
                updated.id = activity_id

                async def update(ctx: TurnContext, updated=updated) -> None:
                    await ctx.update_activity(updated)

                await turn_context.adapter.continue_conversation(reference, update, self.settings.app_id or None)
                await lifecycle.mark_card_refreshed(self.services, card_id, view.version)
            except Exception:
                log.warning("could not refresh card %s of case %s", activity_id, case_id, exc_info=True)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        # The SDK's Teams dispatch fetches every added member from the connector (and fails the
        # turn if that call fails); we only need to know whether the bot itself was added.
        await self.on_members_added_activity(turn_context.activity.members_added or [], turn_context)

    async def on_members_added_activity(self, members_added, turn_context: TurnContext) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(m.id == bot_id for m in members_added or []):
            reply = messages.welcome_reply(self.services.config.organisation_name)
            await turn_context.send_activity(to_activity(reply, turn_context.activity.channel_id or ""))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        # The welcome goes out from conversationUpdate (members added); nothing more to do.
        return None

    async def on_invoke_activity(self, turn_context: TurnContext):
        """Card buttons (Action.Execute) arrive as `adaptiveCard/action` invokes. The SDK's own path
        serialises the answer twice and crashes on a plain dict (BOTFRAMEWORK.md traps 1 and 2), so we
        answer here with an InvokeResponse whose body is already a plain dict."""
        if turn_context.activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else None
        if action is None:
            log.warning("card action without an action object")
            return InvokeResponse(status=400, body=_invoke_error("That button sent nothing I can use. Type 'help' to start again."))
        body = await self.card_action(turn_context, action)
        return InvokeResponse(status=200, body=body)

    async def card_action(self, turn_context: TurnContext, action: dict) -> dict:
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb = action.get("verb")
        ident = identity_of(turn_context.activity)
        if verb == "draft":  # "Open the draft": the file comes as its own message
            case_id = data.get("case") if isinstance(data.get("case"), int) else None
            number = data.get("draft") if isinstance(data.get("draft"), int) else None
            await self.send_draft(turn_context, ident, case_id, number)
            try:
                view = await lifecycle.case_view(self.services, ident, case_id) if case_id else None
            except GovernanceError:
                view = None
            if view is None:
                return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Sent."}
            return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": case_render.case_reply(view).card}
        if verb == "case" and data.get("action") in ("submit_draft", "submit_amendments") and isinstance(data.get("case"), int):
            view = await lifecycle.case_view(self.services, ident, data["case"])
            reply = case_render.case_reply(view, f"To submit the draft, attach the Word document to your next message "
                                                 f"(add 'case {view.id}' and whether the change is editorial or substantive).")
            return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": reply.card}
        if verb == "command" and draft_delivery.compare_request(data.get("command")):
            await self.send_comparison(turn_context, ident, *draft_delivery.compare_request(data["command"]))
            return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Comparing the versions."}
        if verb == ANSWER_VERB:  # Helpful / Not what I needed on an answer (issue 16)
            response = await self.router.answer_button(ident, data)
            if response.reply.card is None:
                return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": response.reply.text}
            return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": response.reply.card}
        if verb == "case":
            response = await self.router.card_action(identity_of(turn_context.activity), data)
            body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": response.reply.card}
            await answer_invoke(turn_context, body)  # the answer is ready: telling others may take longer
            await self.deliver(turn_context, response.notices)
            await self.refresh_cards(turn_context, response.changed_case)
            await self._remember_card(turn_context, response.reply.card, turn_context.activity.reply_to_id)
            return body
        if verb in ("command", None) and isinstance(data.get("command"), str):
            state = await self.dialogs.get(turn_context, dict)
            response = await self.router.handle(identity_of(turn_context.activity), None, {"command": data["command"]}, state)
            await self.deliver(turn_context, response.notices)
            await self.refresh_cards(turn_context, response.changed_case)
            reply = response.reply
            if reply.card is not None:
                return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": reply.card}
            return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": reply.text}
        log.warning("unknown card action verb %r", verb)
        return _invoke_error("I don't recognise that button. Type 'help' to start again.")


async def answer_invoke(turn_context: TurnContext, body: dict) -> None:
    """Hand the invoke its answer now; the SDK then does not send another, and if the rest of the
    turn runs past Teams' time limit this is the answer given (bot/turns.py InvokeDeadline)."""
    await turn_context.send_activity(Activity(type=ActivityTypes.invoke_response,
                                              value=InvokeResponse(status=200, body=body)))


def _invoke_error(message: str) -> dict:
    return {"statusCode": 400, "type": "application/vnd.microsoft.error", "value": {"code": "BadRequest", "message": message}}
