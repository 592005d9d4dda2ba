"""The Teams activity handler: identity, mentions, welcome, card actions; the talking is in dialogs/."""

from __future__ import annotations

import json
import logging
from typing import Any

from botbuilder.core import (
    ConversationState,
    InvokeResponse,
    TurnContext,
)
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ConversationAccount,
    ConversationReference,
)

from bot import files
from bot.activities import GROUP_CONVERSATIONS, email_subject, identity_of, is_mentioned, reference_json, to_activity
from bot.draft_files import DraftFiles
from bot.settings import Settings
from dialogs import buttons
from dialogs.router import Router
from governance.errors import GovernanceError
from governance.actions import ANSWER_VERB
from render import cases as case_render
from services.delivery.notices import queue_late
from render import messages
from services.cases import draft_delivery, lifecycle
from services.cases.draft_delivery import LinkSigner
from services.context import Services
from services.people.identity import remember_conversation, resolve_person

log = logging.getLogger("policybot.bot")

class PolicyBot(DraftFiles, TeamsActivityHandler):
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
            response = await buttons.card_action(self.services, ident, value)
        else:
            state = await self.dialogs.get(turn_context, dict)
            response = await self.router.handle(ident, text.strip(), value, state, subject=email_subject(activity))
        sent = await turn_context.send_activity(to_activity(response.reply, activity.channel_id or ""))
        await self._remember_card(turn_context, response.reply.card, sent.id if sent else None)
        await self.deliver(turn_context, response.notices)
        await self.refresh_cards(turn_context, response.changed_case, response.cards)

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
            await lifecycle.record_sent_card(self.services, identity_of(act), case_id=found["case"], channel_id="msteams",
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

    async def refresh_cards(self, turn_context: TurnContext, case_id: int | None,
                            cards: tuple[lifecycle.CardToRefresh, ...] | None = None) -> None:
        """After a decision, replace every older copy of the case's card (Teams updates it in place),
        so nobody is left with buttons for a step that has passed. `cards`: those the decision's own
        transaction read already (else they are read, and recorded as refreshed, now)."""
        if case_id is None:
            return
        for card in cards if cards is not None else await lifecycle.cards_to_refresh(self.services, case_id):
            try:
                reference = ConversationReference(channel_id=card.channel_id, service_url=card.service_url,
                                                  conversation=ConversationAccount(id=card.conversation_id),
                                                  bot=turn_context.activity.recipient)
                updated = to_activity(case_render.case_reply(card.view), card.channel_id)
                updated.id = card.activity_id

                async def update(ctx: TurnContext, updated=updated) -> None:
                    await ctx.update_activity(updated)

                await turn_context.adapter.continue_conversation(reference, update, self.settings.app_id or None)
            except Exception:
                log.warning("could not refresh card %s of case %s", card.activity_id, case_id, exc_info=True)

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
        given = action.get("data")
        data: dict[str, Any] = given if isinstance(given, dict) else {}
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
        if verb == "command" and (compare := draft_delivery.compare_request(data.get("command"))):
            await self.send_comparison(turn_context, ident, *compare)
            return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Comparing the versions."}
        if verb == ANSWER_VERB:  # Helpful / Not what I needed on an answer (issue 16)
            response = await self.router.answer_button(ident, data)
            if response.reply.card is None:
                return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": response.reply.text}
            return {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": response.reply.card}
        if verb == "case":
            response = await buttons.card_action(self.services, identity_of(turn_context.activity), data)
            body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": response.reply.card}
            await answer_invoke(turn_context, body)  # the answer is ready: telling others may take longer
            await self.deliver(turn_context, response.notices)
            await self.refresh_cards(turn_context, response.changed_case, response.cards)
            await self._remember_card(turn_context, response.reply.card, turn_context.activity.reply_to_id)
            return body
        if verb in ("command", None) and isinstance(data.get("command"), str):
            state = await self.dialogs.get(turn_context, dict)
            response = await self.router.handle(identity_of(turn_context.activity), None, {"command": data["command"]}, state)
            await self.deliver(turn_context, response.notices)
            await self.refresh_cards(turn_context, response.changed_case, response.cards)
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
