"""The Graph subscription to the policy mailbox's inbox, for bot/mail_in.py: made, renewed when half its
life is gone, reauthorised or made again on Graph's lifecycle notifications; a change notification only
wakes the delta sweep, and one whose clientState is not ours is refused."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections import Counter
from typing import Any

from connectors.graph_mail import GraphMailbox, GraphMailError, lifetime, parse_time
from services.context import Services

log = logging.getLogger("policybot.mail_in")

SUBSCRIPTION_KEY = "mailin:subscription"


class SubscriptionUpkeep:
    """Mixed into MailIn, which sets these."""

    services: Services
    mailbox: GraphMailbox
    notification_url: str
    counts: Counter
    _wake: asyncio.Event

    async def subscription(self) -> dict | None:
        async with self.services.uow() as uow:
            return await uow.kv.get(SUBSCRIPTION_KEY)

    async def ensure_subscription(self, *, force_new: bool = False, force_renew: bool = False) -> dict | None:
        """Create the subscription, or renew it once half its life is gone."""
        if not self.notification_url:
            return None
        now = self.services.clock.now()
        sub = None if force_new else await self.subscription()
        if sub:
            expires = parse_time(sub.get("expires"))
            created = parse_time(sub.get("renewed")) or now
            if not force_renew and expires and now < created + (expires - created) / 2:
                return sub
            try:
                got = await self.mailbox.renew(sub["id"], lifetime(now))
                sub = {**sub, "expires": got.get("expirationDateTime") if got else lifetime(now).isoformat(),
                       "renewed": now.isoformat()}
                await self._keep(sub)
                log.info("renewed the mail subscription %s until %s", sub["id"], sub["expires"])
                return sub
            except GraphMailError as exc:
                if exc.status != 404:
                    raise
                log.warning("the mail subscription %s is gone; making a new one", sub["id"])
        state = secrets.token_urlsafe(32)
        sub = {"client_state": state, "renewed": now.isoformat(), "id": None}
        await self._keep(sub)  # known before Graph validates and starts sending
        got = await self.mailbox.subscribe(self.notification_url, state, lifetime(now))
        sub = {**sub, "id": got["id"], "expires": got.get("expirationDateTime")}
        await self._keep(sub)
        log.info("subscribed to the policy mailbox's inbox (%s) until %s", sub["id"], sub["expires"])
        return sub

    async def _keep(self, sub: dict) -> None:
        async with self.services.uow() as uow:
            await uow.kv.put(SUBSCRIPTION_KEY, sub)
            await uow.commit()

    async def notified(self, body: Any) -> int:
        """Graph's POST of change and lifecycle notifications; returns the HTTP status to answer."""
        items = body.get("value") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            log.warning("mail notification without a value list")
            return 400
        sub = await self.subscription() or {}
        expected = str(sub.get("client_state") or "")
        for n in items:
            state = str(n.get("clientState") or "") if isinstance(n, dict) else ""
            if not expected or not hmac.compare_digest(state.encode(), expected.encode()):
                log.warning("mail notification refused: its clientState is not our subscription's (subscription %s)",
                            n.get("subscriptionId") if isinstance(n, dict) else "?")
                return 403
        for n in items:
            event = n.get("lifecycleEvent")
            self.counts[f"notification:{event or n.get('changeType') or '?'}"] += 1
            if event == "reauthorizationRequired":
                asyncio.get_running_loop().create_task(self._guard(self._reauthorize(n.get("subscriptionId"))))
            elif event == "subscriptionRemoved":
                asyncio.get_running_loop().create_task(self._guard(self._recreate()))
            # created messages and "missed" both mean: read what changed
        self._wake.set()
        return 202

    async def _reauthorize(self, subscription_id: str | None) -> None:
        if subscription_id:
            await self.mailbox.reauthorize(subscription_id)
        await self.ensure_subscription(force_renew=True)

    async def _recreate(self) -> None:
        await self.ensure_subscription(force_new=True)
        self._wake.set()

    async def _guard(self, coro) -> None:
        try:
            await coro
        except Exception:  # noqa: BLE001 - the next beat tries again
            log.exception("mail subscription upkeep failed")
