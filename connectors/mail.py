"""Email out: one MIME message (plain text + HTML, and an .ics for a deadline), sent through SMTP
or Microsoft Graph `sendMail` with an app token from msal. Which one is a setting.

Transports raise `TransientSendError` (try again later, perhaps after `retry_after` seconds) or
`PermanentSendError` (the message cannot go as it is: keep it for an admin).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import re
import smtplib
import ssl
import time
from collections import deque
from datetime import date, datetime, timedelta
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import format_datetime

import aiohttp
import msal

from connectors.http import RETRYABLE_HTTP, retry_after
from services.ports import Email, PermanentSendError, TransientSendError

log = logging.getLogger("policybot.mail")

# Exchange Online's sending limits for one mailbox: 30 messages a minute, 10,000 recipients a day.
EXCHANGE_PER_MINUTE = 30
EXCHANGE_RECIPIENTS_PER_DAY = 10_000
BASIC_AUTH_ENDS = "the end of December 2026"

CASE_IN_KEY = re.compile(r"\bcase[-:]?(\d{1,9})\b")


def case_of_key(key: str) -> int | None:
    """The case an outbox key is about ("notice:case12:…", "request:case12"), if any."""
    m = CASE_IN_KEY.search(key)
    return int(m.group(1)) if m else None


def message_id(key: str, domain: str) -> str:
    """The Message-ID derived from the outbox key. A message about a case carries the case in it,
    so a reply's In-Reply-To / References leads back to the case (services/mailin/reading.py)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    case = case_of_key(key)
    return f"<{digest}.case-{case}@{domain}>" if case is not None else f"<{digest}@{domain}>"


def subject_with_case(subject: str, key: str) -> str:
    """A message about a case says so in its subject, "[case 12]", which survives any mail client."""
    case = case_of_key(key)
    if case is None or re.search(rf"\[case\s*{case}\]", subject, re.I):
        return subject
    return f"{subject} [case {case}]"


def calendar_file(email: Email, due_on: date, domain: str, now: datetime) -> bytes:
    """An all-day calendar entry for the deadline, with a reminder the working morning before."""
    import icalendar  # loaded with the first deadline email, not at start (issue 22 item 8)

    cal = icalendar.Calendar()
    cal.add("prodid", "-//policybot//reminders//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    ev = icalendar.Event()
    ev.add("uid", f"{hashlib.sha256(email.key.encode()).hexdigest()[:32]}@{domain}")
    ev.add("dtstamp", now)
    ev.add("dtstart", due_on)
    ev.add("dtend", due_on + timedelta(days=1))
    ev.add("summary", email.due_summary or email.subject)
    ev.add("description", email.text)
    ev.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", email.due_summary or email.subject)
    alarm.add("trigger", timedelta(hours=-15))
    ev.add_component(alarm)
    cal.add_component(ev)
    return cal.to_ical()


_ICS_METHOD = re.compile(rb"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)


def build_message(email: Email, sender: str, now: datetime) -> EmailMessage:
    """The one MIME message for an email: text and HTML alternatives, the deadline's .ics, attachments."""
    domain = sender.rsplit("@", 1)[-1] or "policybot.local"
    msg = EmailMessage()
    msg["From"] = f"Policy assistant <{sender}>"
    msg["To"] = f"{email.to_name} <{email.to}>" if email.to_name else email.to
    msg["Subject"] = subject_with_case(email.subject, email.key)
    msg["Date"] = format_datetime(now)
    # The same reminder always has the same Message-ID, so a receiving server or client can
    # recognise a repeat of something already delivered.
    msg["Message-ID"] = message_id(email.key, domain)
    msg["Auto-Submitted"] = "auto-generated"
    if email.in_reply_to:
        msg["In-Reply-To"] = email.in_reply_to
        msg["References"] = " ".join((*email.references, email.in_reply_to))
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    if email.due_on:
        msg.add_attachment(calendar_file(email, email.due_on, domain, now), maintype="text", subtype="calendar",
                           filename="deadline.ics", params={"method": "PUBLISH"})
    for att in email.attachments:
        maintype, subtype = att.mime_type.split("/", 1)
        method = _ICS_METHOD.search(att.content) if att.mime_type == "text/calendar" else None
        # an invitation's METHOD (REQUEST, CANCEL) in its Content-Type too, as RFC 6047 asks and Outlook reads it
        if method:
            msg.add_attachment(att.content, maintype=maintype, subtype=subtype, filename=att.name,
                               params={"method": method.group(1).decode("ascii")})
        else:
            msg.add_attachment(att.content, maintype=maintype, subtype=subtype, filename=att.name)
    return msg


class ExchangePacer:
    """Keeps one mailbox's sending under Exchange Online's limits: at most `per_minute` messages in
    any 60 s (a send waits for its slot), at most `per_day` recipients in any 24 h (beyond that the
    send is refused as transient, with how long to wait, so the outbox keeps it), and a server's
    `Retry-After` holds every send until then. Reservations are taken at once, so concurrent
    senders queue behind each other."""

    def __init__(self, per_minute: int = EXCHANGE_PER_MINUTE, per_day: int = EXCHANGE_RECIPIENTS_PER_DAY, *,
                 now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.per_minute, self.per_day, self._now, self._sleep = per_minute, per_day, now, sleep
        self._minute: deque[float] = deque()
        self._day: deque[tuple[float, int]] = deque()
        self._day_count = 0
        self._hold_until = 0.0
        self.waited = 0.0

    def hold(self, seconds: float | None) -> None:
        """The server said wait (429/Retry-After): nobody sends from this mailbox until then."""
        if seconds:
            self._hold_until = max(self._hold_until, self._now() + seconds)

    def release(self, recipients: int = 1) -> None:
        """The last reservation was not used: the server refused the message (a 429, a 4xx), so it
        counts against neither limit. Without this a throttled send used up a day's recipient and
        10,000 messages with one 429 on the way never fitted in the day (issue 21's bench)."""
        if self._minute:
            self._minute.pop()
        if self._day:
            self._day_count -= self._day.pop()[1]

    async def slot(self, recipients: int = 1) -> None:
        t = self._now()
        while self._day and self._day[0][0] <= t - 86_400:
            self._day_count -= self._day.popleft()[1]
        if self._day_count + recipients > self.per_day:
            wait = self._day[0][0] + 86_400 - t
            raise TransientSendError(f"Exchange's limit of {self.per_day:,} recipients a day is reached", wait)
        at = max(t, self._hold_until)
        while self._minute and self._minute[0] <= at - 60:
            self._minute.popleft()
        if len(self._minute) >= self.per_minute:
            at = max(at, self._minute[-self.per_minute] + 60.0)
        self._minute.append(at)
        self._day.append((at, recipients))
        self._day_count += recipients
        if at > t:
            self.waited += at - t
            await self._sleep(at - t)


class AppToken:
    """An application token (client credentials) from msal for `scope`. The msal app is made on
    first use, in the worker thread that asks (it reads the authority's metadata over HTTP), and
    one token request runs at a time; msal's cache serves the rest until the token expires."""

    def __init__(self, client_id: str, client_secret: str, tenant_id: str, authority_host: str,
                 verify_authority: bool, scope: str) -> None:
        self._args = (client_id, client_secret, f"{authority_host.rstrip('/')}/{tenant_id}", verify_authority)
        self.scope = scope
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = asyncio.Lock()
        self._held: tuple[str, float] | None = None  # (token, good until on the monotonic clock)

    def _acquire(self) -> str:
        if self._app is None:
            client_id, secret, authority, verify = self._args
            try:
                self._app = msal.ConfidentialClientApplication(
                    client_id, client_credential=secret, authority=authority,
                    instance_discovery=verify, validate_authority=verify)
            except Exception as exc:  # noqa: BLE001 - msal raises plain errors for a bad authority
                raise TransientSendError(f"could not read the sign-in authority {authority}: {exc}") from exc
        result = self._app.acquire_token_for_client(scopes=[self.scope])
        if "access_token" not in result:
            detail = result.get("error_description") or result.get("error") or "no token"
            raise TransientSendError(f"could not get a token: {detail}")
        lifetime = float(result.get("expires_in") or 0)
        self._held = (result["access_token"], time.monotonic() + lifetime - 300) if lifetime > 600 else None
        return result["access_token"]

    async def get(self) -> str:
        """The token, from memory while it has more than five minutes left (a worker thread and
        msal's cache for each of 10,000 sends cost more than the sends), else from msal."""
        held = self._held
        if held is not None and time.monotonic() < held[1]:
            return held[0]
        async with self._lock:
            return await asyncio.to_thread(self._acquire)

    def forget(self) -> None:
        self._held = None

    def close(self) -> None:
        self._held = None
        if self._app is not None:
            self._app.http_client.close()  # msal's own HTTP connections
            self._app = None


def is_exchange_online(host: str) -> bool:
    return host.lower().rstrip(".").endswith(("office365.com", "outlook.com"))


class SmtpTransport:
    """SMTP with optional STARTTLS; the blocking client runs in a worker thread.

    Authentication: `basic` (username and password: Exchange Online stops accepting it at the end
    of December 2026), `xoauth2` (an app token from msal for the mailbox `username`, Exchange's
    `SMTP.SendAsApp`), or `none` (an unauthenticated relay, e.g. an Exchange connector by IP).
    `auto` is basic when a username is set, else none."""

    OUTLOOK_SCOPE = "https://outlook.office365.com/.default"

    def __init__(self, host: str, port: int, *, username: str = "", password: str = "", starttls: bool = False,
                 sender: str, timeout: float = 30.0, auth: str = "auto",
                 oauth: AppToken | None = None, pacer: ExchangePacer | None = None) -> None:
        self.host, self.port, self.username, self.password = host, port, username, password
        self.starttls, self.sender, self.timeout = starttls, sender, timeout
        self.auth = ("basic" if username else "none") if auth == "auto" else auth
        self._oauth = oauth
        self.pacer = pacer
        if self.auth == "basic" and is_exchange_online(host):
            log.warning("SMTP to Exchange Online with a username and password stops working at %s: "
                        "set SMTP_AUTH=xoauth2, or POLICYBOT_MAIL_TRANSPORT=graph.", BASIC_AUTH_ENDS)

    def _send(self, msg: EmailMessage, token: str | None) -> str:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.auth == "xoauth2":
                    smtp.ehlo()
                    smtp.auth("XOAUTH2", lambda challenge=None: f"user={self.username}\x01auth=Bearer {token}\x01\x01")
                elif self.auth == "basic":
                    smtp.login(self.username, self.password)
                refused = smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentSendError(f"the mail server refused the recipient: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            if 400 <= exc.smtp_code < 500:
                raise TransientSendError(text) from exc
            raise PermanentSendError(text) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientSendError(f"could not reach the mail server {self.host}:{self.port}: {exc}") from exc
        if refused:
            raise PermanentSendError(f"the mail server refused: {refused}")
        return str(msg["Message-ID"])

    def close(self) -> None:
        if self._oauth is not None:
            self._oauth.close()

    async def send(self, email: Email, now: datetime, *, resend: bool | None = None) -> str:
        """`resend` is not used: an SMTP server has no Sent Items to look in."""
        token = None
        if self.auth == "xoauth2":
            if self._oauth is None:
                raise PermanentSendError("SMTP_AUTH is xoauth2 but no app registration is configured")
            token = await self._oauth.get()
        if self.pacer is not None:
            await self.pacer.slot(1)
        try:
            return await asyncio.to_thread(self._send, build_message(email, self.sender, now), token)
        except TransientSendError:
            if self.pacer is not None:
                self.pacer.release(1)
            raise


class GraphTransport:
    """Microsoft Graph `POST /users/{sender}/sendMail` with the MIME message (base64), using an
    application token (client credentials) from msal, cached by msal until it expires.

    Exactly one arrival: the MIME message carries the Message-ID derived from the outbox key, and
    before a send that may repeat an earlier one (`resend`, or whenever the caller cannot say),
    Sent Items is searched for that Message-ID; found, the message is not sent again. Sends are
    paced under Exchange's limits, and a 429's `Retry-After` holds the mailbox's sends."""

    SCOPE = "https://graph.microsoft.com/.default"

    def __init__(self, *, client_id: str, client_secret: str, tenant_id: str, sender: str,
                 authority_host: str = "https://login.microsoftonline.com",
                 graph_base_url: str = "https://graph.microsoft.com/v1.0", session: aiohttp.ClientSession | None = None,
                 verify_authority: bool = True, pacer: ExchangePacer | None = None,
                 check_sent_items: bool = True, ca_file: str | None = None) -> None:
        self.sender, self.base = sender, graph_base_url.rstrip("/")
        self._token = AppToken(client_id, client_secret, tenant_id, authority_host, verify_authority, self.SCOPE)
        self._session = session
        self.pacer = pacer
        self.check_sent_items = check_sent_items
        self._ssl = ssl.create_default_context(cafile=ca_file) if ca_file else None
        self.calls = 0
        self.already_sent = 0

    async def _in_sent_items(self, session: aiohttp.ClientSession, token: str, mid: str) -> bool:
        url = f"{self.base}/users/{self.sender}/mailFolders/sentitems/messages"
        params = {"$filter": f"internetMessageId eq '{mid}'", "$select": "id,internetMessageId"}
        self.calls += 1
        async with session.get(url, params=params, headers={"Authorization": f"Bearer {token}"},
                               timeout=aiohttp.ClientTimeout(total=30)) as resp:
            if resp.status in RETRYABLE_HTTP:
                wait = retry_after(resp.headers)
                if self.pacer is not None:
                    self.pacer.hold(wait)
                raise TransientSendError(f"Graph Sent Items {resp.status}", wait)
            if resp.status != 200:
                raise TransientSendError(f"Graph Sent Items {resp.status}: {(await resp.text())[:300]}")
            body = await resp.json(content_type=None)
        return any(m.get("internetMessageId") == mid for m in body.get("value", []))

    def close(self) -> None:
        self._token.close()

    async def send(self, email: Email, now: datetime, *, resend: bool | None = None) -> str:
        msg = build_message(email, self.sender, now)
        mid = str(msg["Message-ID"])
        token = await self._token.get()
        session = self._session or aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=self._ssl) if self._ssl else None)
        try:
            try:
                if self.check_sent_items and resend is not False and await self._in_sent_items(session, token, mid):
                    log.info("%s is already in Sent Items: not sending it again", mid)
                    self.already_sent += 1
                    return mid
                if self.pacer is not None:
                    await self.pacer.slot(1)
                url = f"{self.base}/users/{self.sender}/sendMail"
                body = base64.b64encode(msg.as_bytes())
                self.calls += 1
                async with session.post(url, data=body, headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
                        timeout=aiohttp.ClientTimeout(total=30)) as resp:
                    detail = (await resp.text())[:500]
                    if resp.status == 202 or resp.status == 200:
                        return resp.headers.get("request-id") or mid
                    if resp.status == 401:  # the token was revoked or expired early: a new one next time
                        self._token.forget()
                        raise TransientSendError(f"Graph sendMail 401: {detail}")
                    if resp.status in RETRYABLE_HTTP:
                        wait = retry_after(resp.headers)
                        if self.pacer is not None:
                            self.pacer.release(1)  # not sent: it does not count against the limits
                            self.pacer.hold(wait)
                        raise TransientSendError(f"Graph sendMail {resp.status}: {detail}", wait)
                    raise PermanentSendError(f"Graph sendMail {resp.status}: {detail}")
            except (TimeoutError, aiohttp.ClientError) as exc:
                raise TransientSendError(f"could not reach Microsoft Graph: {exc!r}") from exc
        finally:
            if self._session is None:
                await session.close()
