"""Sign-in in an ordinary browser: Microsoft Entra's authorisation-code flow with PKCE, through
msal (`initiate_auth_code_flow` makes the state, nonce and S256 code challenge; the code comes back
to /tab/auth/callback as a form post (RFC 9700: not in the address, so not in logs or history) and `acquire_token_by_auth_code_flow` redeems it with the verifier and checks
the state and the id token's nonce, audience and expiry). msal's calls block, so they run in a
worker thread; the flow waits between the two requests in a signed, HttpOnly cookie, as
Microsoft's own web samples keep it in a signed session."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

import msal

SCOPES = ["User.Read"]


class BrowserSignInRefused(Exception):
    """Entra or the flow said no; the message is for the log."""


@dataclass(frozen=True)
class BrowserFacts:
    object_id: str
    tenant_id: str
    email: str | None


class BrowserSignIn:
    def __init__(self, *, app_id: str, secret: str, tenant_id: str, authority_host: str) -> None:
        self.app_id = app_id
        self.tenant_id = tenant_id.lower()
        self._authority = f"{authority_host.rstrip('/')}/{tenant_id or 'organizations'}"
        self._known_host = authority_host.startswith("https://login.microsoftonline.com")
        self._secret = secret
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = threading.Lock()

    def _client(self) -> msal.ConfidentialClientApplication:
        with self._lock:  # msal reads the authority's metadata when it is made: once
            if self._app is None:
                self._app = msal.ConfidentialClientApplication(
                    self.app_id, client_credential=self._secret, authority=self._authority,
                    instance_discovery=self._known_host, validate_authority=self._known_host)
            return self._app

    async def start(self, redirect_uri: str) -> tuple[str, dict]:
        """(where to send the browser, the flow to keep until it comes back)."""
        def begin() -> dict:
            return self._client().initiate_auth_code_flow(SCOPES, redirect_uri=redirect_uri, prompt="select_account",
                                                          response_mode="form_post")
        flow = await asyncio.to_thread(begin)
        auth_uri = flow.pop("auth_uri")
        return auth_uri, flow

    async def finish(self, flow: dict, response: dict[str, str]) -> BrowserFacts:
        def redeem() -> dict:
            return self._client().acquire_token_by_auth_code_flow(flow, response)
        try:
            result = await asyncio.to_thread(redeem)
        except ValueError as exc:  # msal: state mismatch, or a response not of this flow
            raise BrowserSignInRefused(f"the response does not belong to this sign-in ({exc})") from None
        if "error" in result:
            raise BrowserSignInRefused(f"{result.get('error')}: {result.get('error_description', '')[:200]}")
        claims = result.get("id_token_claims") or {}
        oid, tid = str(claims.get("oid") or ""), str(claims.get("tid") or "").lower()
        if not oid or not tid:
            raise BrowserSignInRefused("the id token names no person or tenant")
        if self.tenant_id and tid != self.tenant_id:
            raise BrowserSignInRefused(f"tenant {tid} is not ours")
        email = claims.get("preferred_username") or claims.get("email")
        return BrowserFacts(oid, tid, str(email).lower() if email else None)
