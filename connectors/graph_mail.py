"""The policy mailbox through Microsoft Graph, with an application token (client credentials, msal).

Everything the bot does with the mailbox is here and nothing else: read what changed in the inbox
(delta query, `@odata.nextLink` pages ending in an `@odata.deltaLink`), read one message with its
internet headers, move a message to the processed folder (never delete), look for a Message-ID in
Sent Items, send a MIME message, and keep a change-notification subscription alive.

Throttling: a 429 or 503/504 is tried again after the `Retry-After` Graph gives (capped, and a
bounded number of times), then reported as `GraphMailError(transient=True)`. Every call is
counted in `calls`, for the benchmarks and for `policybot mail check`.
"""

from __future__ import annotations

import asyncio
import base64
import json as jsonlib
import logging
import re
import ssl
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, UTC
from typing import Any
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import quote

import aiohttp
import msal

from connectors.http import retry_after

log = logging.getLogger("policybot.graph_mail")

SCOPE = "https://graph.microsoft.com/.default"
THROTTLED = frozenset({429, 503, 504})
# Graph's longest lifetime for a subscription to Outlook messages is 10,080 minutes (7 days).
MAX_SUBSCRIPTION_MINUTES = 10_080
SMALL_ATTACHMENT = 3 * 1024 * 1024  # Graph's own line between a request's attachment and an upload session
MESSAGE_FIELDS = ("id,internetMessageId,subject,from,sender,receivedDateTime,conversationId,"
                  "internetMessageHeaders,body,hasAttachments")
DELTA_FIELDS = "id,internetMessageId,subject,from,receivedDateTime"


class GraphMailError(Exception):
    def __init__(self, message: str, *, status: int = 0, code: str = "", transient: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.transient, self.retry_after = status, code, transient, retry_after


@dataclass(frozen=True)
class DeltaPage:
    messages: list[dict[str, Any]]  # new or changed messages (removals are left out)
    next_link: str | None  # more pages in this round
    delta_link: str | None  # the round is over: keep this for the next one


class GraphMailbox:
    def __init__(self, *, client_id: str, client_secret: str, tenant_id: str, mailbox: str,
                 authority_host: str = "https://login.microsoftonline.com",
                 graph_base_url: str = "https://graph.microsoft.com/v1.0", verify_authority: bool = True,
                 ca_file: str | None = None, max_tries: int = 5, max_wait: float = 120.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, page_size: int = 50) -> None:
        self.mailbox, self.base = mailbox, graph_base_url.rstrip("/")
        # msal reads the authority's metadata when it is made: made on first use, in a worker thread.
        self._make_app = lambda: msal.ConfidentialClientApplication(
            client_id, client_credential=client_secret, authority=f"{authority_host.rstrip('/')}/{tenant_id}",
            instance_discovery=verify_authority, validate_authority=verify_authority)
        self._app: msal.ConfidentialClientApplication | None = None
        self._token_lock = asyncio.Lock()  # one token request at a time; msal's cache serves the rest
        self._session: aiohttp.ClientSession | None = None
        self._ssl = ssl.create_default_context(cafile=ca_file) if ca_file else None
        self.max_tries, self.max_wait, self._sleep, self.page_size = max_tries, max_wait, sleep, page_size
        self.calls: Counter = Counter()  # "GET delta", "POST move", ... -> how many
        self.waited = 0.0  # seconds spent honouring Retry-After

    @property
    def user(self) -> str:
        return f"{self.base}/users/{quote(self.mailbox)}"

    # ------------------------------------------------------------------ plumbing
    def _acquire(self) -> dict[str, Any]:
        if self._app is None:
            try:
                self._app = self._make_app()
            except Exception as exc:  # noqa: BLE001 - msal raises plain errors for a bad authority
                return {"error": "authority", "error_description": f"the sign-in authority could not be read ({exc})"}
        return self._app.acquire_token_for_client(scopes=[SCOPE])

    async def token(self) -> str:
        async with self._token_lock:
            result = await asyncio.to_thread(self._acquire)
        if "access_token" not in result:
            detail = result.get("error_description") or result.get("error") or "no token"
            raise GraphMailError(f"could not get a Graph token: {detail}", code=str(result.get("error") or ""),
                                 transient=result.get("error") not in ("invalid_client", "unauthorized_client"))
        return result["access_token"]

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._app is not None:
            self._app.http_client.close()  # msal's own HTTP connections
            self._app = None

    async def call(self, method: str, url: str, *, json: Any = None, data: bytes | None = None,
                   headers: dict[str, str] | None = None, label: str | None = None, ok: tuple[int, ...] = (200,)) -> Any:
        """One Graph request, tried again after `Retry-After` while Graph throttles. Returns the JSON
        body (or None when there is none)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self._ssl) if self._ssl else None)
        url = url if url.startswith("http") else self.base + url
        label = label or f"{method} {url.split('?')[0].rsplit('/', 1)[-1]}"
        for attempt in range(1, self.max_tries + 1):
            hdrs = {"Authorization": f"Bearer {await self.token()}", **(headers or {})}
            self.calls[label] += 1
            try:
                async with self._session.request(method, url, json=json, data=data, headers=hdrs,
                                                 timeout=aiohttp.ClientTimeout(total=60)) as resp:
                    text = await resp.text()
                    if resp.status in ok:
                        if not text.strip():
                            return None
                        try:
                            return await resp.json(content_type=None)
                        except ValueError:
                            return text
                    code, message = _error_of(text)
                    wait = retry_after(resp.headers)
                    if resp.status in THROTTLED and attempt < self.max_tries:
                        wait = min(self.max_wait, wait if wait is not None else 2.0 ** attempt)
                        log.info("Graph %s answered %s; waiting %.1fs as asked", label, resp.status, wait)
                        self.waited += wait
                        await self._sleep(wait)
                        continue
                    raise GraphMailError(f"Graph {label} answered {resp.status} {code}: {message}", status=resp.status,
                                         code=code, transient=resp.status in THROTTLED or resp.status >= 500,
                                         retry_after=wait)
            except (TimeoutError, aiohttp.ClientError) as exc:
                if attempt < self.max_tries:
                    await self._sleep(min(self.max_wait, 2.0 ** attempt))
                    continue
                raise GraphMailError(f"could not reach Microsoft Graph: {exc!r}", transient=True) from exc
        raise GraphMailError(f"Graph {label} kept throttling", transient=True)  # pragma: no cover

    # ------------------------------------------------------------------ reading
    async def delta(self, link: str | None) -> DeltaPage:
        """One page of the inbox's changes: from `link` (a nextLink or deltaLink), or a first round."""
        url = link or f"{self.user}/mailFolders/inbox/messages/delta?$select={DELTA_FIELDS}"
        try:
            body = await self.call("GET", url, headers={"Prefer": f"odata.maxpagesize={self.page_size}"}, label="GET delta")
        except GraphMailError as exc:
            if exc.status == 410 and link:  # the delta link expired: Graph asks for a full round again
                log.warning("the mailbox's delta link expired; starting a new round")
                return await self.delta(None)
            raise
        items = [m for m in body.get("value", []) if "@removed" not in m]
        return DeltaPage(items, body.get("@odata.nextLink"), body.get("@odata.deltaLink"))

    async def message(self, message_id: str) -> dict[str, Any]:
        return await self.call("GET", f"{self.user}/messages/{quote(message_id)}?$select={MESSAGE_FIELDS}",
                               label="GET message")

    async def attachments(self, message_id: str) -> list[dict]:
        """A message's attachments without their bytes (id, name, type, size, inline or not)."""
        body = await self.call("GET", f"{self.user}/messages/{quote(message_id)}/attachments"
                               "?$select=id,name,contentType,size,isInline", label="GET attachments")
        return list((body or {}).get("value", []))

    def attachment_url(self, message_id: str, attachment_id: str) -> str:
        """Where an attachment's raw bytes are (`/$value`): the address the draft path downloads."""
        return f"{self.user}/messages/{quote(message_id)}/attachments/{quote(attachment_id)}/$value"

    @asynccontextmanager
    async def open_attachment(self, url: str, limit: int) -> AsyncIterator[tuple[int | None, AsyncIterator[bytes]]]:
        """(declared size, the bytes in pieces) of an attachment at `attachment_url(...)`: a small
        one (3 MB or less) from its fileAttachment's contentBytes, a larger one streamed from
        `/$value`, so a 25 MB draft is never read into memory at once."""
        meta_url = url.removesuffix("/$value")
        meta = await self.call("GET", meta_url + "?$select=id,name,size,contentType", label="GET attachment")
        size = int((meta or {}).get("size") or 0) or None
        if size is not None and size > limit:
            yield size, _nothing()
            return
        if size is not None and size <= SMALL_ATTACHMENT:
            full = await self.call("GET", meta_url, label="GET attachment")
            data = base64.b64decode((full or {}).get("contentBytes") or "")
            yield len(data), _once(data)
            return
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self._ssl) if self._ssl else None)
        self.calls["GET attachment $value"] += 1
        async with self._session.get(url, headers={"Authorization": f"Bearer {await self.token()}"},
                                     timeout=aiohttp.ClientTimeout(total=300, sock_read=60)) as resp:
            if resp.status != 200:
                code, message = _error_of(await resp.text())
                raise GraphMailError(f"Graph GET attachment $value answered {resp.status} {code}: {message}",
                                     status=resp.status, code=code, transient=resp.status in THROTTLED or resp.status >= 500)
            yield resp.content_length, resp.content.iter_chunked(64 * 1024)

    async def folder_id(self, name: str) -> str:
        """The id of the inbox's child folder `name`, made if missing."""
        found = await self.call("GET", f"{self.user}/mailFolders/inbox/childFolders?$filter=displayName eq '{name}'",
                                label="GET folders")
        for f in (found or {}).get("value", []):
            if f.get("displayName") == name:
                return f["id"]
        made = await self.call("POST", f"{self.user}/mailFolders/inbox/childFolders", json={"displayName": name},
                               label="POST folders", ok=(201,))
        return made["id"]

    async def move(self, message_id: str, folder_id: str) -> str:
        """Move a message (never delete); returns its id in the new folder. A message already gone
        from the inbox (moved by an earlier try) is not an error."""
        try:
            moved = await self.call("POST", f"{self.user}/messages/{quote(message_id)}/move",
                                    json={"destinationId": folder_id}, label="POST move", ok=(200, 201))
        except GraphMailError as exc:
            if exc.status == 404:
                return message_id
            raise
        return (moved or {}).get("id", message_id)

    async def in_sent_items(self, internet_message_id: str) -> bool:
        quoted = internet_message_id.replace("'", "''")
        body = await self.call("GET", f"{self.user}/mailFolders/sentitems/messages?$filter=internetMessageId eq "
                               f"'{quote(quoted, safe='<>@.')}'&$select=id,internetMessageId", label="GET sentitems")
        return any(m.get("internetMessageId") == internet_message_id for m in (body or {}).get("value", []))

    async def send_mime(self, mime: bytes) -> None:
        """`sendMail` with the whole MIME message (base64), which keeps our Message-ID and threading
        headers; Graph saves a copy in Sent Items."""
        await self.call("POST", f"{self.user}/sendMail", data=base64.b64encode(mime),
                        headers={"Content-Type": "text/plain"}, label="POST sendMail", ok=(202, 200))

    # ------------------------------------------------------------------ subscriptions
    def resource(self) -> str:
        return f"users/{self.mailbox}/mailFolders('inbox')/messages"

    async def subscribe(self, notification_url: str, client_state: str, expires: datetime) -> dict[str, Any]:
        return await self.call("POST", f"{self.base}/subscriptions", label="POST subscriptions", ok=(201,), json={
            "changeType": "created", "notificationUrl": notification_url, "lifecycleNotificationUrl": notification_url,
            "resource": self.resource(), "expirationDateTime": _iso(expires), "clientState": client_state,
        })

    async def renew(self, subscription_id: str, expires: datetime) -> dict[str, Any]:
        return await self.call("PATCH", f"{self.base}/subscriptions/{subscription_id}", label="PATCH subscriptions",
                               json={"expirationDateTime": _iso(expires)})

    async def reauthorize(self, subscription_id: str) -> None:
        await self.call("POST", f"{self.base}/subscriptions/{subscription_id}/reauthorize",
                        label="POST reauthorize", ok=(200, 202, 204))

    async def unsubscribe(self, subscription_id: str) -> None:
        try:
            await self.call("DELETE", f"{self.base}/subscriptions/{subscription_id}", label="DELETE subscriptions",
                            ok=(204, 200))
        except GraphMailError as exc:
            if exc.status != 404:
                raise


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield b""  # an empty async generator


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


def parse_time(raw: str | None) -> datetime | None:
    """Graph's date-times ("2026-12-03T10:00:00.0000000Z"), timezone-aware; None when unreadable."""
    if not raw:
        return None
    try:
        at = datetime.fromisoformat(re.sub(r"\.\d+", "", raw).replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def lifetime(now: datetime, minutes: int = MAX_SUBSCRIPTION_MINUTES - 60) -> datetime:
    """When a new or renewed subscription should end: under Graph's limit, with an hour to spare."""
    return now + timedelta(minutes=min(minutes, MAX_SUBSCRIPTION_MINUTES - 60))


def _error_of(text: str) -> tuple[str, str]:
    try:
        err = jsonlib.loads(text).get("error") or {}
    except (ValueError, AttributeError):
        return "", text[:300]
    if isinstance(err, dict):
        return str(err.get("code") or ""), str(err.get("message") or "")[:300]
    return str(err), ""
