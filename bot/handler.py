"""The Teams activity handler: identity, mentions, welcome, card actions; the talking is in dialogs/."""

from __future__ import annotations

import json
import logging
from typing import Any

from botbuilder.core import CardFactory, ConversationState, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

import aiohttp
from botbuilder.schema import ConversationReference

from bot.streams import TooLarge, read_whole
from dialogs.router import Response, Router
from render import cases as case_render
from services.cases import lifecycle
from services.delivery.notices import queue_late
from render import messages
from render.reply import Reply
from bot.settings import Settings
from services.context import Services
from services.people.identity import ChannelIdentity, remember_conversation, resolve_person
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
        document = _first_document(activity)
        if document is not None:
            name, url = document
            try:
                content = await _download(url)
            except DownloadError as exc:
                log.warning("could not fetch attachment %r: %s", name, exc)
                response = Response(messages.error_reply(f"I couldn't open the attachment {name}: {exc}. Please send it again."))
            else:
                if is_tracker(name):  # a tracker spreadsheet: the import preview (services/register/tracker_chat.py)
                    response = await self.router.tracker(ident, name, content)
                else:
                    response = await self.router.draft(ident, name, content, text.strip())
        elif value and value.get("case") is not None and value.get("action"):
            response = await self.router.card_action(ident, value)
        else:
            state = await self.dialogs.get(turn_context, dict)
            response = await self.router.handle(ident, text.strip(), value, state)
        await turn_context.send_activity(to_activity(response.reply, activity.channel_id or ""))
        await self.deliver(turn_context, response.notices)
        await self.refresh_cards(turn_context, response.changed_case)

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
        except Exception:  # noqa: BLE001 - the outbox keeps them; the reply has already gone
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
            except Exception:  # noqa: BLE001 - a card we could not refresh still refuses stale clicks
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
        if verb == "case":
            response = await self.router.card_action(identity_of(turn_context.activity), data)
            body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": response.reply.card}
            await answer_invoke(turn_context, body)  # the answer is ready: telling others may take longer
            await self.deliver(turn_context, response.notices)
            await self.refresh_cards(turn_context, response.changed_case)
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


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEAMS_FILE = "application/vnd.microsoft.teams.file.download.info"
MAX_DOWNLOAD = 25 * 1024 * 1024


class DownloadError(Exception):
    pass


def _first_document(activity: Activity) -> tuple[str, str] | None:
    """(file name, download address) of the first file attached, if any."""
    for att in activity.attachments or []:
        name = att.name or "draft.docx"
        if att.content_type == TEAMS_FILE and isinstance(att.content, dict) and att.content.get("downloadUrl"):
            return name, att.content["downloadUrl"]
        if att.content_url and (att.content_type in (DOCX, "application/msword", "application/octet-stream")
                                or name.lower().endswith((".docx", ".doc")) or is_tracker(name)):
            return name, att.content_url
    return None


async def _download(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise DownloadError("the attachment has no web address")
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            async with http.get(url) as resp:
                if resp.status != 200:
                    raise DownloadError(f"the file store answered {resp.status}")
                return await read_whole(resp.content, MAX_DOWNLOAD)
    except TooLarge:
        raise DownloadError("it is larger than 25 MB") from None
    except aiohttp.ClientError as exc:
        raise DownloadError(str(exc) or type(exc).__name__) from None
