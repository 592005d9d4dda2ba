"""Turns what a person said into one service call and a rendered reply.

No rule, deadline or route is computed here: this module only converses.
"""

from __future__ import annotations

import logging

from dialogs.intents import Intent, recognise
from render import messages
from render.reply import Reply
from services import register
from services.context import Services
from services.errors import UserFacingError
from services.identity import ChannelIdentity, resolve_person

log = logging.getLogger("policybot.dialogs")


class Router:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle(self, ident: ChannelIdentity, text: str | None, value: dict | None = None) -> Reply:
        command = None
        if isinstance(value, dict) and isinstance(value.get("command"), str):
            command = value["command"]
        intent = recognise(command if command is not None else text)
        try:
            return await self._dispatch(ident, intent)
        except UserFacingError as exc:
            return messages.error_reply(str(exc))

    async def _dispatch(self, ident: ChannelIdentity, intent: Intent) -> Reply:
        org = self.services.settings.organisation_name
        today = self.services.clock.today()
        async with self.services.store.uow() as uow:
            person = await resolve_person(uow, ident)
            if intent.name in ("help", "empty"):
                return messages.help_reply(person.name if person else None, org)
            if intent.name == "cancel":
                return Reply(text="OK, nothing is in progress. Type 'help' to see what I can do.")
            if intent.name == "find":
                if not intent.arg:
                    return Reply(text="What should I look for? For example: 'find missing children'.")
                hits = await register.find_documents(uow, intent.arg)
                return messages.search_reply(intent.arg, hits, today)
            if intent.name == "status":
                return messages.detail_reply(await register.document_detail(uow, intent.arg), today)
            if intent.name == "history":
                return messages.history_reply(await register.document_detail(uow, intent.arg))
            if intent.name == "my_documents":
                if person is None:
                    return messages.unknown_person_reply()
                docs = await register.my_documents(uow, person.id, today)
                return messages.my_documents_reply(person.name, docs, today)
            return messages.not_understood_reply(intent.arg)
