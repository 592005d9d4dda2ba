"""Teams tab single sign-on: the token the Teams JS SDK gets for the signed-in person
(`authentication.getAuthToken()`), checked against Entra's signing keys before a session is made.

Checked: the RS256 signature with a key from Entra's key set (fetched in a worker thread, so the
event loop never waits on the network, and cached), the audience (`api://<tab host>/<app id>` as
the app registration's Application ID URI, or the app id itself), the issuer (Entra v2.0 or v1 for
the token's own tenant, which must be ours when the app is single-tenant), and the expiry.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass

import jwt

log = logging.getLogger("policybot.tab.sso")
LEEWAY_SECONDS = 120  # clock skew between Entra and us


class TokenRefused(Exception):
    """The token is not one we accept; the message says why (for the log, not the person)."""


@dataclass(frozen=True)
class TokenFacts:
    object_id: str
    tenant_id: str
    email: str | None
    name: str | None


class TeamsTokens:
    def __init__(self, *, app_id: str, tenant_id: str = "", domain: str = "", keys_url: str,
                 authority_host: str = "https://login.microsoftonline.com", ca_file: str | None = None) -> None:
        self.app_id = app_id
        self.tenant_id = tenant_id.lower()
        self.audiences = [app_id] + ([f"api://{domain}/{app_id}"] if domain else [])
        self.authority_host = authority_host.rstrip("/")
        context = ssl.create_default_context(cafile=ca_file) if ca_file else None
        self._keys = jwt.PyJWKClient(keys_url, cache_keys=True, lifespan=3600, timeout=10, ssl_context=context)

    def _issuers(self, tid: str) -> set[str]:
        return {f"{self.authority_host}/{tid}/v2.0", f"https://sts.windows.net/{tid}/"}

    async def check(self, token: str) -> TokenFacts:
        if not token or len(token) > 16_384:
            raise TokenRefused("no token, or one far too long")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenRefused(f"not a JWT ({exc})") from None
        if header.get("alg") != "RS256":
            raise TokenRefused(f"algorithm {header.get('alg')!r} is not RS256")
        try:
            key = await asyncio.to_thread(self._keys.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientError as exc:
            raise TokenRefused(f"no signing key for it ({exc})") from None
        try:
            claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=self.audiences, leeway=LEEWAY_SECONDS,
                                options={"require": ["exp", "iat", "aud", "iss", "tid", "oid"]})
        except jwt.PyJWTError as exc:
            raise TokenRefused(f"{type(exc).__name__}: {exc}") from None
        tid = str(claims["tid"]).lower()
        if self.tenant_id and tid != self.tenant_id:
            raise TokenRefused(f"tenant {tid} is not ours")
        if claims["iss"] not in self._issuers(tid):
            raise TokenRefused(f"issuer {claims['iss']!r} is not Entra's for tenant {tid}")
        email = claims.get("preferred_username") or claims.get("upn") or claims.get("email")
        return TokenFacts(str(claims["oid"]), tid, str(email).lower() if email else None, claims.get("name"))
