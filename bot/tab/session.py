"""The pages' sessions: a signed cookie (HMAC-SHA256 with the session secret) naming the person and
carrying the CSRF token every form must echo.

The cookie is HttpOnly and Secure, and `SameSite=None; Partitioned`: inside Teams the page is a
third-party iframe, where only a partitioned, secure cookie is kept. Forms are protected by the
CSRF token (a per-session random value compared in constant time) and by checking the Origin
header, so SameSite=None does not open the door to cross-site form posts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

COOKIE = "pb_session"
FLOW_COOKIE = "pb_flow"  # the browser sign-in flow, between leaving for Entra and coming back
THEME_COOKIE = "pb_theme"
LIFETIME_SECONDS = 8 * 3600
PATH = "/tab"


@dataclass(frozen=True)
class Session:
    person_id: str  # empty before sign-in (the sign-in form still needs a CSRF token)
    csrf: str
    expires: int

    @property
    def signed_in(self) -> bool:
        return bool(self.person_id)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sessions:
    def __init__(self, secret: bytes, *, lifetime: int = LIFETIME_SECONDS, now: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the session secret must be at least 16 bytes")
        self._key = hashlib.sha256(b"policybot tab session\0" + secret).digest()
        self.lifetime = lifetime
        self._now = now

    def issue(self, person_id: str = "") -> Session:
        return Session(person_id, secrets.token_urlsafe(24), int(self._now()) + self.lifetime)

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).digest())

    def encode(self, session: Session) -> str:
        payload = _b64(json.dumps({"p": session.person_id, "c": session.csrf, "e": session.expires},
                                  separators=(",", ":")).encode())
        return f"{payload}.{self._mac(payload)}"

    def decode(self, value: str | None) -> Session | None:
        """The session a cookie carries, or None when it is missing, altered or expired."""
        if not value or value.count(".") != 1 or len(value) > 2048:
            return None
        payload, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
            session = Session(str(data["p"]), str(data["c"]), int(data["e"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires > self._now() else None

    def sign_note(self, session: Session, text: str) -> str:
        """A signature for a one-line notice carried in a redirect's address ("Done: approved."), so
        a link someone crafts cannot put words of their choosing on a policybot page."""
        return self._mac(session.csrf + "\0" + text)[:22]

    def note_ok(self, session: Session, text: str, sig: str) -> bool:
        return bool(text and sig) and hmac.compare_digest(sig.encode(), self.sign_note(session, text).encode())

    def seal(self, data: dict) -> str:
        """Any small JSON value, signed (not encrypted: only for what the browser may see)."""
        payload = _b64(json.dumps({"d": data, "e": int(self._now()) + 600}, separators=(",", ":")).encode())
        return f"{payload}.{self._mac('seal:' + payload)}"

    def unseal(self, value: str | None) -> dict | None:
        if not value or value.count(".") != 1 or len(value) > 4096:
            return None
        payload, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac("seal:" + payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
        except ValueError:
            return None
        return data["d"] if isinstance(data, dict) and data.get("e", 0) > self._now() else None

    def cookie(self, session: Session) -> str:
        return set_cookie(COOKIE, self.encode(session), self.lifetime)


def set_cookie(name: str, value: str, max_age: int, path: str = PATH) -> str:
    """A Set-Cookie header value for the pages (written out: Python's cookies cannot say Partitioned)."""
    return f"{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; Secure; SameSite=None; Partitioned"


def csrf_ok(session: Session | None, sent: object) -> bool:  # a form field, or None
    return session is not None and bool(sent) and hmac.compare_digest(session.csrf.encode(), str(sent).encode())
