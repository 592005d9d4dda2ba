"""After a decision taken on a page, every chat copy of that case's card is replaced in place (as
after a decision in chat), so nobody is left with buttons for a step that has passed."""

from __future__ import annotations

import logging

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.app import ADAPTER_KEY, SERVICES_KEY
from bot.activities import to_activity
from render import cases as case_render
from services.cases import lifecycle

log = logging.getLogger("policybot.tab")


async def refresh_cards(app: web.Application, case_id: int,
                        cards: tuple[lifecycle.CardToRefresh, ...] | None = None) -> int:
    """Update every stale copy of the case's card (`cards`: those the decision's own transaction read
    already, else they are read now); returns how many were updated."""
    services, adapter = app[SERVICES_KEY], app[ADAPTER_KEY]
    app_id = adapter.app_id
    done = 0
    for card in cards if cards is not None else await lifecycle.cards_to_refresh(services, case_id):
        try:
            reference = ConversationReference(channel_id=card.channel_id, service_url=card.service_url,
                                              conversation=ConversationAccount(id=card.conversation_id),
                                              bot=ChannelAccount(id=f"28:{app_id}" if app_id else "policybot"))
            updated = to_activity(case_render.case_reply(card.view), card.channel_id)
            updated.id = card.activity_id

            async def update(ctx: TurnContext, updated=updated) -> None:
                await ctx.update_activity(updated)

            await adapter.continue_conversation(reference, update, app_id or None)
            done += 1
        except Exception:  # noqa: BLE001 - a card we could not refresh still refuses stale clicks
            log.warning("could not refresh card %s of case %s", card.activity_id, case_id, exc_info=True)
    return done
