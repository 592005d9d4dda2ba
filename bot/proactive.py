"""Proactive Teams messages for the outbox: straight to the Bot Connector REST API.

We talk HTTP ourselves (one pooled aiohttp session) instead of going through
`continue_conversation`, because the SDK neither retries sends on 429 nor exposes `Retry-After`
(BOTFRAMEWORK trap 8), and builds a connector client per call. The token still comes from the
SDK's credentials (cached per app id and scope by `CachingCredentialFactory`).

Where we have never talked to a person, a 1:1 conversation is created from their tenant and
Entra object id (POST /v3/conversations), and its reference stored for next time.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

import aiohttp
from botbuilder.core import CardFactory
from botframework.connector.auth import AuthenticationConstants

from render.reply import Reply
from bot.settings import Settings
from services.context import Services
from connectors.http import RETRYABLE_HTTP, retry_after
from services.ports import PermanentSendError, SentActivity, TeamsChat, TransientSendError
from services.delivery.pacing import Pacer

log = logging.getLogger("policybot.proactive")

DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams/"
IN_CALL_TRIES = 3
ADAPTIVE_CARD = CardFactory.content_types.adaptive_card


def teams_wire(reply: Reply) -> dict:
    """The Bot Connector JSON of a reply, as `to_activity(reply, "msteams").serialize()` writes it,
    built directly: the SDK's msrest serializer costs milliseconds a message, a fan-out's bottleneck."""
    if reply.card is not None:
        return {"type": "message", "attachmentLayout": "list", "summary": reply.text,
                "attachments": [{"contentType": ADAPTIVE_CARD, "content": reply.card}]}
    return {"type": "message", "text": reply.text, "inputHint": "acceptingInput"}


class TeamsSender:
    def __init__(self, services: Services, settings: Settings, *, credentials=None, pacer: Pacer | None = None,
                 default_service_url: str | None = None) -> None:
        self.services = services
        self.settings = settings
        self.credentials = credentials
        self.pacer = pacer or Pacer()
        self.default_service_url = default_service_url or self.settings.teams_service_url or DEFAULT_SERVICE_URL
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30),
                                                  connector=aiohttp.TCPConnector(limit=100))
        return self._session

    async def _headers(self) -> dict[str, str]:
        if not self.settings.app_id or self.credentials is None:
            return {}  # local development and tests: the channel stand-in needs no token
        login = self.settings.login_url or AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
        cred = await self.credentials.create_credentials(
            self.settings.app_id, AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE, login,
            not self.settings.login_url)
        token = await asyncio.to_thread(cred.get_access_token)
        return {"Authorization": f"Bearer {token}"}

    async def _where(self, person_id: str) -> tuple[str, str, str, dict]:
        """(service url, conversation id, tenant id, reference) of the person's 1:1 chat."""
        async with self.services.uow() as uow:
            ref = await uow.conversations.personal_for(person_id, "msteams")
            if ref is not None:
                return ref.service_url, ref.conversation_id, ref.tenant_id or "", dict(ref.reference)
            person = await uow.people.get(person_id)
            if not self.settings.app_id:
                # They may open a chat with the bot later: try again in an hour rather than give up.
                raise TransientSendError("this person has not talked to the bot yet, and a bot without an app id "
                                         "(local development) cannot start a Teams chat", retry_after=3600)
            if person is None or not person.aad_object_id:
                raise PermanentSendError("this person has no Teams account (no Entra object id in the directory)")
            tenant = person.tenant_id or self.settings.app_tenant_id
            if not tenant:
                raise PermanentSendError("no tenant id is known for this person, so no Teams chat can be started")
            service_url = await uow.conversations.service_url_for_tenant(tenant) or self.default_service_url
            aad = person.aad_object_id
        conversation_id = await self._create_conversation(service_url, tenant, aad)
        reference = {
            "channelId": "msteams", "serviceUrl": service_url,
            "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": tenant},
            "user": {"id": aad, "aadObjectId": aad}, "bot": {"id": self._bot_id()},
        }
        async with self.services.uow() as uow:
            await uow.conversations.upsert(
                at=self.services.clock.now(), channel_id="msteams", conversation_id=conversation_id,
                service_url=service_url, reference=reference, person_id=person_id, aad_object_id=aad,
                tenant_id=tenant, conversation_type="personal")
            await uow.commit()
        return service_url, conversation_id, tenant, reference

    def _bot_id(self) -> str:
        return f"28:{self.settings.app_id}" if self.settings.app_id else "policybot"

    async def _create_conversation(self, service_url: str, tenant: str, aad_object_id: str) -> str:
        body = {
            "bot": {"id": self._bot_id()}, "isGroup": False, "tenantId": tenant,
            "members": [{"id": aad_object_id}], "channelData": {"tenant": {"id": tenant}},
        }
        data = await self._call("POST", f"{service_url.rstrip('/')}/v3/conversations", body, f"new:{aad_object_id}", tenant)
        conversation_id = data.get("id") if isinstance(data, dict) else None
        if not conversation_id:
            raise TransientSendError("Teams did not return a conversation id")
        return conversation_id

    async def _call(self, method: str, url: str, body: dict, conversation: str, tenant: str) -> dict:
        for attempt in range(1, IN_CALL_TRIES + 1):
            await self.pacer.slot(conversation, tenant or "-")
            try:
                async with self._http().request(method, url, json=body, headers=await self._headers()) as resp:
                    text = await resp.text()
                    if resp.status < 300:
                        try:
                            return await resp.json(content_type=None) if text else {}
                        except ValueError:
                            return {}
                    wait = retry_after(resp.headers)
                    if resp.status in RETRYABLE_HTTP:
                        if resp.status == 429 and wait:
                            self.pacer.hold(conversation, wait)
                        if attempt < IN_CALL_TRIES and (wait is None or wait <= 10):
                            await asyncio.sleep(wait if wait is not None else 0.5 * 2 ** (attempt - 1))
                            continue
                        raise TransientSendError(f"Teams answered {resp.status}: {text[:300]}", wait)
                    raise PermanentSendError(f"Teams answered {resp.status}: {text[:300]}")
            except (TimeoutError, aiohttp.ClientError) as exc:
                if attempt < IN_CALL_TRIES:
                    await asyncio.sleep(0.5 * 2 ** (attempt - 1))
                    continue
                raise TransientSendError(f"could not reach Teams at {url}: {exc!r}") from exc
        raise TransientSendError("Teams kept refusing")  # pragma: no cover - the loop always returns or raises

    async def send(self, person_id: str, message: Reply, chat: TeamsChat | None = None) -> SentActivity:
        if chat is not None:  # read with the rest of the dispatcher's batch: no lookup of its own
            service_url, conversation_id, tenant, reference = (chat.service_url, chat.conversation_id, chat.tenant_id,
                                                               dict(chat.reference))
        else:
            service_url, conversation_id, tenant, reference = await self._where(person_id)
        activity = teams_wire(message)
        activity["conversation"] = {"id": conversation_id, **({"tenantId": tenant} if tenant else {})}
        if reference.get("bot"):
            activity["from"] = reference["bot"]
        if reference.get("user"):
            activity["recipient"] = reference["user"]
        url = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
        data = await self._call("POST", url, activity, conversation_id, tenant)
        return SentActivity(conversation_id, data.get("id") if isinstance(data, dict) else None, service_url)
