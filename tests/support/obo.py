"""A stand-in for Entra's token endpoint doing the on-behalf-of grant, and Graph's profile photos,
shaped like the real ones (over TLS, because msal only talks to https authorities).

The OBO request is checked as Entra checks it: grant_type `urn:ietf:params:oauth:grant-type:jwt-bearer`,
`requested_token_use=on_behalf_of`, the app's own client id and secret, and the assertion (the tab's
SSO token) signed by one of Entra's keys, for this app's audience, unexpired. The answer carries
what Entra's does: access and refresh tokens, an id token, and client_info (uid, utid), which msal
files its cache under. Errors are Entra's: `invalid_grant` with AADSTS50013 for a bad assertion,
AADSTS65001 with `suberror: consent_required` when nobody has consented to the permission.
The refresh-token grant gives a new access token. Photos: GET /v1.0/users/{id}/photos/{size}/$value
with a token this endpoint issued, the picture, or Graph's 404 ImageNotFound.
"""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import parse_qs

import jwt
from aiohttp import web

from tests.support.graph import GraphServer
from tests.support.keys import KeyPair

OBO_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class OboEntra(GraphServer):
    def __init__(self, *, client_id: str, client_secret: str, audiences: list[str], keys: list[KeyPair],
                 photos: dict[str, bytes]) -> None:
        super().__init__(users=[], managers={}, groups={})
        self.client_id, self.client_secret = client_id, client_secret
        self.audiences = audiences
        self.keys = keys
        self.photos = photos  # object id -> JPEG bytes
        self.no_consent: set[str] = set()  # object ids whose tenant has not consented
        self.issued: dict[str, str] = {}  # access token -> object id
        self.refresh_tokens: dict[str, tuple[str, str]] = {}  # refresh token -> (object id, tenant id)
        self.lifetime = 3599  # seconds an access token lasts (msal refreshes one with under five minutes left)
        self.photo_requests: list[tuple[str, str]] = []  # (path, bearer token)

    def _error(self, error: str, code: int, text: str, **more) -> web.Response:
        return web.json_response({"error": error, "error_description": f"AADSTS{code}: {text}", "error_codes": [code],
                                  "timestamp": "2026-11-23 10:00:00Z", "trace_id": "0", "correlation_id": "0", **more},
                                 status=400)

    def _tokens(self, oid: str, tid: str, scope: str) -> web.Response:
        n = len(self.token_requests)
        access = f"obo-token-{n}-{oid}"
        self.issued[access] = oid
        refresh = f"rt-{n}-{oid}"
        self.refresh_tokens[refresh] = (oid, tid)
        now = int(time.time())
        id_token = jwt.encode({"aud": self.client_id, "iss": f"{self.url}/{tid}/v2.0", "iat": now, "nbf": now,
                               "exp": now + 3600, "oid": oid, "tid": tid, "sub": f"sub-{oid}", "ver": "2.0",
                               "preferred_username": f"{oid}@example.org"}, self.keys[0].private, algorithm="RS256",
                              headers={"kid": self.keys[0].kid})
        return web.json_response({"token_type": "Bearer", "scope": scope, "expires_in": self.lifetime,
                                  "ext_expires_in": self.lifetime, "access_token": access, "refresh_token": refresh, "id_token": id_token,
                                  "client_info": _b64({"uid": oid, "utid": tid})})

    async def _token(self, request: web.Request) -> web.Response:
        form = {k: v[0] for k, v in parse_qs(await request.text()).items()}
        self.token_requests.append(form)
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return self._error("invalid_client", 7000215, "Invalid client secret provided.")
        if form.get("grant_type") == "refresh_token":
            known = self.refresh_tokens.pop(form.get("refresh_token", ""), None)  # each is used once
            if known is None:
                return self._error("invalid_grant", 70008, "The provided authorization code or refresh token has expired.")
            return self._tokens(*known, form.get("scope", ""))
        if form.get("grant_type") != OBO_GRANT or form.get("requested_token_use") != "on_behalf_of":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        try:
            header = jwt.get_unverified_header(form.get("assertion", ""))
            key = next(k for k in self.keys if k.kid == header.get("kid"))
            claims = jwt.decode(form["assertion"], key.private.public_key(), algorithms=["RS256"], audience=self.audiences)
        except (jwt.PyJWTError, StopIteration, KeyError):
            return self._error("invalid_grant", 50013, "Assertion failed signature validation.")
        if claims["oid"] in self.no_consent:
            return self._error("invalid_grant", 65001, "The user or administrator has not consented to use the "
                               f"application with ID '{self.client_id}'.", suberror="consent_required")
        return self._tokens(claims["oid"], claims["tid"], form.get("scope", ""))

    async def _photo(self, request: web.Request) -> web.Response:
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.photo_requests.append((request.path, bearer))
        if bearer not in self.issued:
            return web.json_response({"error": {"code": "InvalidAuthenticationToken", "message": "Access token validation failure."}},
                                     status=401)
        picture = self.photos.get(request.match_info["id"])
        if picture is None:
            return web.json_response({"error": {"code": "ImageNotFound", "message": "Exception of type "
                                                "'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown."}},
                                     status=404)
        return web.Response(body=picture, content_type="image/jpeg")

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v1.0/users/{id}/photos/{size}/$value", self._photo)
