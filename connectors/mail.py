"""Email out: one MIME message (plain text + HTML, and an .ics for a deadline), sent through SMTP
or Microsoft Graph `sendMail` with an app token from msal. Which one is a setting.

Transports raise `TransientSendError` (try again later, perhaps after `retry_after` seconds) or
`PermanentSendError` (the message cannot go as it is: keep it for an admin).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import aiohttp
import icalendar
import msal

from connectors.http import RETRYABLE_HTTP, retry_after
from services.ports import Email, PermanentSendError, TransientSendError

def message_id(key: str, domain: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def calendar_file(email: Email, domain: str, now: datetime) -> bytes:
    """An all-day calendar entry for the deadline, with a reminder the working morning before."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//policybot//reminders//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    ev = icalendar.Event()
    ev.add("uid", f"{hashlib.sha256(email.key.encode()).hexdigest()[:32]}@{domain}")
    ev.add("dtstamp", now)
    ev.add("dtstart", email.due_on)
    ev.add("dtend", email.due_on + timedelta(days=1))
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


def build_message(email: Email, sender: str, now: datetime) -> EmailMessage:
    """The one MIME message for an email: text and HTML alternatives, the deadline's .ics, attachments."""
    domain = sender.rsplit("@", 1)[-1] or "policybot.local"
    msg = EmailMessage()
    msg["From"] = f"Policy assistant <{sender}>"
    msg["To"] = f"{email.to_name} <{email.to}>" if email.to_name else email.to
    msg["Subject"] = email.subject
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
        msg.add_attachment(calendar_file(email, domain, now), maintype="text", subtype="calendar",
                           filename="deadline.ics", params={"method": "PUBLISH"})
    for att in email.attachments:
        maintype, subtype = att.mime_type.split("/", 1)
        msg.add_attachment(att.content, maintype=maintype, subtype=subtype, filename=att.name)
    return msg


class SmtpTransport:
    """SMTP with optional STARTTLS and login; the blocking client runs in a worker thread."""

    def __init__(self, host: str, port: int, *, username: str = "", password: str = "", starttls: bool = False,
                 sender: str, timeout: float = 30.0) -> None:
        self.host, self.port, self.username, self.password = host, port, username, password
        self.starttls, self.sender, self.timeout = starttls, sender, timeout

    def _send(self, msg: EmailMessage) -> str:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
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

    async def send(self, email: Email, now: datetime) -> str:
        return await asyncio.to_thread(self._send, build_message(email, self.sender, now))


class GraphTransport:
    """Microsoft Graph `POST /users/{sender}/sendMail` with the MIME message (base64), using an
    application token (client credentials) from msal, cached by msal until it expires."""

    SCOPE = "https://graph.microsoft.com/.default"

    def __init__(self, *, client_id: str, client_secret: str, tenant_id: str, sender: str,
                 authority_host: str = "https://login.microsoftonline.com",
                 graph_base_url: str = "https://graph.microsoft.com/v1.0", session: aiohttp.ClientSession | None = None,
                 verify_authority: bool = True) -> None:
        self.sender, self.base = sender, graph_base_url.rstrip("/")
        self._app = msal.ConfidentialClientApplication(
            client_id, client_credential=client_secret,
            authority=f"{authority_host.rstrip('/')}/{tenant_id}",
            instance_discovery=verify_authority, validate_authority=verify_authority,
        )
        self._session = session
        self._token_lock = asyncio.Lock()  # one token request at a time; msal's cache serves the rest

    def _token(self) -> str:
        result = self._app.acquire_token_for_client(scopes=[self.SCOPE])
        if "access_token" not in result:
            detail = result.get("error_description") or result.get("error") or "no token"
            raise TransientSendError(f"could not get a Graph token: {detail}")
        return result["access_token"]

    async def send(self, email: Email, now: datetime) -> str:
        msg = build_message(email, self.sender, now)
        async with self._token_lock:
            token = await asyncio.to_thread(self._token)
        session = self._session or aiohttp.ClientSession()
        try:
            url = f"{self.base}/users/{self.sender}/sendMail"
            body = base64.b64encode(msg.as_bytes())
            try:
                async with session.post(url, data=body, headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
                        timeout=aiohttp.ClientTimeout(total=30)) as resp:
                    detail = (await resp.text())[:500]
                    if resp.status == 202 or resp.status == 200:
                        return resp.headers.get("request-id") or str(msg["Message-ID"])
                    if resp.status in RETRYABLE_HTTP:
                        raise TransientSendError(f"Graph sendMail {resp.status}: {detail}", retry_after(resp.headers))
                    raise PermanentSendError(f"Graph sendMail {resp.status}: {detail}")
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                raise TransientSendError(f"could not reach Microsoft Graph: {exc!r}") from exc
        finally:
            if self._session is None:
                await session.close()
