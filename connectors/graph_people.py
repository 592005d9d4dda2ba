"""Microsoft Graph as the signed-in person, for the tab (issue 23): people's photos.

When Teams signs someone in to the tab (single sign-on), the token the Teams JS SDK gave is
exchanged on behalf of that person with msal's `acquire_token_on_behalf_of` for a Graph token
(delegated `User.ReadBasic.All`: Graph then shows them only what they may see themselves). msal
keeps the access and refresh tokens in its cache, under the person's account ("<oid>.<tid>" from
Entra's client_info), so later requests take `acquire_token_silent`: the cached token, or a new one
through the refresh token, without asking the person again. The cache is in memory: after a
restart, or for someone who signed in another way, there is no token and the page shows initials.

msal's calls block, so they run in a worker thread; Graph itself is read with aiohttp.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import ssl
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import requests
from msal import ConfidentialClientApplication
from msal.exceptions import MsalError

log = logging.getLogger("policybot.graph.people")
PHOTO_SIZE = "96x96"
MAX_PHOTO_BYTES = 512 * 1024
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif")


class GraphOnBehalf:
    def __init__(self, *, client_id: str, secret: str, tenant_id: str, authority_host: str, graph_base_url: str,
                 ca_file: Path | None = None, timeout: float = 10.0) -> None:
        self.base = graph_base_url.rstrip("/")
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))
        self.scopes = [f"{origin}/User.ReadBasic.All"]
        host = authority_host.rstrip("/")
        self._authority = f"{host}/{tenant_id or 'organizations'}"
        self._known_host = urlsplit(host).netloc == "login.microsoftonline.com"
        self._client_id, self._secret = client_id, secret
        self._ca_file = ca_file
        self._timeout = timeout
        self._app: ConfidentialClientApplication | None = None
        self._lock = threading.Lock()
        self._accounts: dict[str, str] = {}  # Entra object id -> msal's home account id
        self._http: aiohttp.ClientSession | None = None  # one for every photo, made on the first
        self.exchanges = 0

    def _client(self) -> ConfidentialClientApplication:
        with self._lock:  # msal reads the authority's metadata when it is made: once
            if self._app is None:
                self._app = ConfidentialClientApplication(
                    self._client_id, client_credential=self._secret, authority=self._authority,
                    instance_discovery=self._known_host, validate_authority=self._known_host,
                    verify=str(self._ca_file) if self._ca_file else True, timeout=self._timeout)
            return self._app

    async def close(self) -> None:
        """Close msal's and our HTTP connections (the app is ending)."""
        with self._lock:
            if self._app is not None:
                self._app.http_client.close()
                self._app = None
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def exchange(self, assertion: str, object_id: str) -> bool:
        """Exchange the tab's SSO token on behalf of the person it names; False (and a log line) when
        Entra says no, for example before an administrator has consented to the Graph permission."""
        def run() -> dict[str, Any]:
            return self._client().acquire_token_on_behalf_of(assertion, self.scopes)
        try:
            result = await asyncio.to_thread(run)
        except (ValueError, MsalError, requests.RequestException) as exc:  # the authority unreachable, unreadable or failing
            log.warning("on-behalf-of exchange failed: %s", exc)
            return False
        if "access_token" not in result:
            log.warning("on-behalf-of exchange refused: %s %s", result.get("error"),
                        str(result.get("error_description", ""))[:200])
            return False
        self.exchanges += 1
        home = self._home_account(result, object_id)
        if home:
            self._accounts[object_id] = home
        return bool(home)

    @staticmethod
    def _home_account(result: dict[str, Any], object_id: str) -> str | None:
        """msal's key for the person's tokens: Entra's client_info (uid.utid), as msal's cache files them."""
        info = result.get("client_info")
        if info:
            try:
                data = json.loads(base64.urlsafe_b64decode(info + "=" * (-len(info) % 4)))
            except (ValueError, TypeError):
                data = {}
            if data.get("uid") == object_id and data.get("utid"):
                return f"{data['uid']}.{data['utid']}"
        return None

    def _silent(self, object_id: str) -> str | None:
        home = self._accounts.get(object_id)
        if home is None:
            return None
        app = self._client()
        accounts = app.get_accounts()
        account = next((a for a in accounts if a.get("home_account_id") == home), None)
        if account is None:
            return None
        result = app.acquire_token_silent(self.scopes, account=account)
        return (result or {}).get("access_token")

    async def token_for(self, object_id: str) -> str | None:
        """A Graph token for this person from msal's cache (refreshed when it has expired), or None."""
        try:
            return await asyncio.to_thread(self._silent, object_id)
        except (ValueError, MsalError, requests.RequestException) as exc:
            log.warning("on-behalf-of token refresh failed: %s", exc)
            return None

    async def photo(self, viewer_object_id: str, object_id: str) -> tuple[bytes, str] | None:
        """(the picture, its content type) of a person's profile photo as the viewer may see it, or
        None: no token for the viewer, no photo (Graph's 404), or anything else Graph says."""
        token = await self.token_for(viewer_object_id)
        if token is None:
            return None
        url = f"{self.base}/users/{quote(object_id)}/photos/{PHOTO_SIZE}/$value"
        if self._http is None:
            ctx = ssl.create_default_context(cafile=str(self._ca_file) if self._ca_file else None)
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout),
                                               connector=aiohttp.TCPConnector(ssl=ctx))
        try:
            async with self._http.get(url, headers={"Authorization": f"Bearer {token}"}) as resp:
                kind = resp.content_type
                if resp.status != 200 or kind not in IMAGE_TYPES:
                    if resp.status != 404:
                        log.info("Graph photo of %s: HTTP %s", object_id, resp.status)
                    return None
                body = await resp.content.read(MAX_PHOTO_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("Graph photo of %s: %s", object_id, exc)
            return None
        return (body, kind) if len(body) <= MAX_PHOTO_BYTES else None
