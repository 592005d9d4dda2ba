"""Incoming mail from the policy mailbox through Microsoft Graph (POLICYBOT_MAIL_IN=graph or graph-delta).

Each message becomes the turn the Azure Bot Service email channel would have given: an activity
with `channelId: "email"`, the sender's address in `from.id`, the new text, run through the same
`PolicyBot.on_turn` and dialogs as Teams and the email channel. Its answer goes back in the same
thread (our own `sendMail` with In-Reply-To and References), in text and HTML.

Exactly once, nothing lost (the row per message in `mail_in`, keyed by internet message id):
1. A delta page's messages are recorded (new rows) in the same transaction as the link to the
   next page, so a crash repeats at most a page read, never a message.
2. A row is claimed (a conditional UPDATE; a dead holder's claim lapses), then: `turning` (with the
   last audit id) -> the turn -> `turned` with its reply kept -> reply sent -> `answered` -> moved to
   the processed folder -> `done`.
3. A row found `turning` after a crash: if the sender has an audit entry after the mark, the turn's
   one transaction committed, so it is not run again and an acknowledgement goes instead; if not,
   nothing happened and the turn runs. A row found `turned` after a crash may have had its reply
   sent: Sent Items is searched for the reply's Message-ID (derived from the message) first.

Change notifications (POST /api/graph/notifications): the validation handshake is echoed as
text/plain; every notification's clientState must be the subscription's (else 403, logged, nothing
done); a notification only wakes the delta sweep, which reads what changed. Lifecycle events:
`reauthorizationRequired` reauthorises (and renews), `missed` runs delta, `subscriptionRemoved`
makes a new subscription and runs delta. The subscription is renewed when half its life is gone.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections import Counter
from typing import Any
from collections.abc import Callable

from aiohttp import web
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ResourceResponse

from connectors.graph_mail import GraphMailbox, GraphMailError, parse_time
from bot.mail_subscription import SubscriptionUpkeep
from connectors.mail import build_message, message_id
from services.context import Services
from services.mailin import reading
from services.ports import Email
from store.mail_repo import MailInRepo

log = logging.getLogger("policybot.mail_in")

DELTA_KEY = "mailin:delta"
CLAIM_SECONDS = 300
MAX_TRIES = 3

WORK_ACCOUNT = ("I can't act on this message: it did not arrive in a way I can trust as coming from you "
                "(it failed your organisation's email checks, or it was sent on someone else's behalf). "
                "Please send it again from your work account.")
SORRY = ("Sorry, something went wrong on our side while I read your message. It has been logged, "
         "and nothing was changed. Please try again later, or ask the Policy and Procedures Officer.")
ACKNOWLEDGED = ("I received your message \"{subject}\" and acted on it. Say 'my tasks' or 'status' "
                "(with the document's reference) to see where things stand.")


class _Capture(BotAdapter):
    """The turn's adapter: what the bot says is kept to send by email; card refreshes in Teams go
    through the real adapter."""

    def __init__(self, real: BotAdapter | None) -> None:
        super().__init__()
        self.real = real
        self.said: list[Activity] = []

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        out = []
        for a in activities:
            if a.type in (None, ActivityTypes.message):
                self.said.append(a)
            out.append(ResourceResponse(id=f"mail-{len(self.said)}"))
        return out

    async def update_activity(self, context: TurnContext, activity: Activity):
        return None

    async def delete_activity(self, context: TurnContext, reference):
        return None

    async def continue_conversation(self, reference, callback, *args, **kwargs):  # type: ignore[override]
        if self.real is None:
            raise RuntimeError("no channel adapter to continue a conversation")
        return await self.real.continue_conversation(reference, callback, *args, **kwargs)


class MailIn(SubscriptionUpkeep):
    def __init__(self, services: Services, bot: Any, mailbox: GraphMailbox, *, adapter: BotAdapter | None = None,
                 processed_folder: str = "Processed by policybot", notification_url: str = "",
                 holder: str | None = None) -> None:
        self.services, self.bot, self.mailbox, self.adapter = services, bot, mailbox, adapter
        self.processed_folder, self.notification_url = processed_folder, notification_url
        self.holder = holder or f"{socket.gethostname()}:{id(self):x}"
        self._folder_id: str | None = None
        self._sweeping = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.counts: Counter = Counter()
        self.after_step: Callable[[str], None] | None = None  # tests stop here, as a crash would

    # ------------------------------------------------------------------ the sweep
    async def sweep(self) -> Counter:
        """Read what changed in the inbox (delta), then handle every message not yet done."""
        async with self._sweeping:
            got = Counter()
            got["recorded"] = await self.pull()
            got.update(await self.process_due())
            return got

    async def pull(self) -> int:
        now = self.services.clock.now()
        async with self.services.uow() as uow:
            link = ((await uow.kv.get(DELTA_KEY)) or {}).get("link")
        recorded = 0
        while True:
            page = await self.mailbox.delta(link)
            items = []
            for m in page.messages:
                if not m.get("internetMessageId") or not m.get("id"):
                    continue
                frm = reading.address_of(m.get("from"))
                items.append({"internet_message_id": m["internetMessageId"], "graph_id": m["id"],
                              "subject": m.get("subject"), "sender": frm.address if frm else None,
                              "received_at": parse_time(m.get("receivedDateTime"))})
            link = page.next_link or page.delta_link
            async with self.services.uow() as uow:
                recorded += await MailInRepo(uow.session).record(items, now)
                await uow.kv.put(DELTA_KEY, {"link": link, "at": now.isoformat()})
                await uow.commit()
            self.counts["delta_pages"] += 1
            if page.delta_link or not page.next_link:
                return recorded

    async def process_due(self) -> Counter:
        got: Counter = Counter()
        while True:
            now = self.services.clock.now()
            async with self.services.uow() as uow:
                rows = await MailInRepo(uow.session).due(now)
            if not rows:
                return got
            progressed = False
            for row in rows:
                async with self.services.uow() as uow:
                    mine = await MailInRepo(uow.session).claim(row.id, self.holder, now, CLAIM_SECONDS)
                    await uow.commit()
                if not mine:
                    continue
                progressed = True
                try:
                    got[await self._one(row.id)] += 1
                except GraphMailError as exc:
                    log.warning("mail %s: %s (will try again)", row.internet_message_id, exc)
                    await self._release(row.id, str(exc))
                    got["retry"] += 1
                    if exc.transient:
                        return got
                except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
                    log.exception("mail %s could not be handled", row.internet_message_id)
                    await self._failed_turn(row, exc)
                    got["error"] += 1
            if not progressed:
                return got

    async def _failed_turn(self, row, exc: Exception) -> None:
        """A turn that raised: tried again later; after MAX_TRIES its sender gets an apology in
        the thread (and the message is filed), instead of silence or a loop."""
        if (row.attempts or 0) + 1 >= MAX_TRIES:
            await self._set(row.id, status="turned", reply_text=SORRY, reply_html=f"<p>{SORRY}</p>",
                            error=f"{type(exc).__name__}: {exc}"[:2000], claimed_until=None)
        else:
            await self._release(row.id, f"{type(exc).__name__}: {exc}")

    async def _release(self, row_id: int, error: str) -> None:
        async with self.services.uow() as uow:
            await MailInRepo(uow.session).set(row_id, claimed_until=None, claimed_by=None, error=error[:2000])
            await uow.commit()

    def _step(self, what: str) -> None:
        if self.after_step is not None:
            self.after_step(what)

    async def _set(self, row_id: int, **values: Any) -> None:
        async with self.services.uow() as uow:
            await MailInRepo(uow.session).set(row_id, **values)
            await uow.commit()
        self._step(str(values.get("status")))

    async def _one(self, row_id: int) -> str:
        async with self.services.uow() as uow:
            row = await MailInRepo(uow.session).get(row_id)
        status, resend = row.status, row.status == "turned" and (row.attempts or 0) > 1
        if status in ("new", "turning"):
            try:
                message = await self.mailbox.message(row.graph_id)
            except GraphMailError as exc:
                if exc.status != 404:
                    raise
                log.warning("mail %s is no longer in the mailbox (moved or deleted by a person); left alone",
                            row.internet_message_id)
                await self._set(row.id, status="done", error="no longer in the mailbox", claimed_until=None,
                                done_at=self.services.clock.now())
                return "gone"
            self.counts["graph_reads"] += 1
            text, html, case_id, refused = await self._turn(row, message)
            await self._set(row.id, status="turned", reply_text=text, reply_html=html, case_id=case_id,
                            refused=refused, sender=row.sender or _from(message))
            status = "turned"
            async with self.services.uow() as uow:
                row = await MailInRepo(uow.session).get(row_id)
        if status == "turned":
            if not row.reply_text:
                pass  # nothing to answer (an automatic message)
            elif resend and await self.mailbox.in_sent_items(reply_message_id(row, self.mailbox.mailbox)):
                log.info("the reply to %s is already in Sent Items; not sending it again", row.internet_message_id)
            else:
                await self.mailbox.send_mime(self._reply(row))
                self._step("sent")
            await self._set(row.id, status="answered")
            status = "answered"
        if status == "answered":
            await self.mailbox.move(row.graph_id, await self._folder())
            await self._set(row.id, status="done", done_at=self.services.clock.now(), claimed_until=None, error=None)
        self.counts["refused" if row.refused else "done"] += 1
        return "refused" if row.refused else "done"

    async def _turn(self, row, message: dict) -> tuple[str | None, str | None, int | None, str | None]:
        """Run the message as the person's turn; returns the reply (text, HTML), the case, and why
        it was refused (None when it was not)."""
        headers = reading.headers_of(message)
        sender = reading.address_of(message.get("from"))
        problem = reading.sender_problem(message, headers)
        subject = message.get("subject") or row.subject or ""
        case_id = reading.case_of_thread(headers, subject)
        automatic = reading.is_automatic(headers, sender.address if sender else None, self.mailbox.mailbox)
        if automatic:
            log.info("mail %s not answered: %s", row.internet_message_id, automatic)
            return None, None, case_id, f"not answered: {automatic}"[:200]
        if problem:
            log.warning("mail %s from %s refused: %s", row.internet_message_id, sender.address if sender else "?", problem)
            return WORK_ACCOUNT, f"<p>{WORK_ACCOUNT}</p>", case_id, problem[:200]
        async with self.services.uow() as uow:
            repo = MailInRepo(uow.session)
            if row.status == "turning" and row.audit_mark is not None and await repo.acted_since(sender.address, row.audit_mark):
                text = ACKNOWLEDGED.format(subject=subject)
                log.warning("mail %s: its turn had committed before a crash; not running it again", row.internet_message_id)
                return text, f"<p>{text}</p>", case_id, None
            mark = await repo.audit_mark()
            await repo.set(row.id, status="turning", audit_mark=mark, sender=sender.address)
            await uow.commit()
        said = reading.as_decision(reading.new_text(message.get("body")), case_id)
        if not said.strip():
            said = subject  # a message with everything in its subject line
        activity = Activity(
            type=ActivityTypes.message, channel_id="email", text=said, locale="en-GB",
            from_property=ChannelAccount(id=sender.address, name=sender.name),
            recipient=ChannelAccount(id=self.mailbox.mailbox, name="policybot"),
            conversation=ConversationAccount(id=f"graph-mail:{message.get('conversationId') or row.internet_message_id}"),
            channel_data={"subject": subject, "internetMessageId": row.internet_message_id},
            timestamp=self.services.clock.now(),
        )
        capture = _Capture(self.adapter)
        context = TurnContext(capture, activity)
        await self.bot.on_turn(context)
        self._step("turn")
        texts = [a.text or "" for a in capture.said if a.text]
        htmls = [(a.channel_data or {}).get("htmlBody") if isinstance(a.channel_data, dict) else None for a in capture.said]
        text = "\n\n".join(texts) or "Thank you: I have your message."
        html = "\n".join(h or f"<p>{t}</p>" for h, t in zip(htmls, texts, strict=True)) or f"<p>{text}</p>"
        return text, html, case_id, None

    def _reply(self, row) -> bytes:
        subject = row.subject or "your message"
        if not subject.lower().startswith("re:"):
            subject = f"RE: {subject}"
        email = Email(to=row.sender or "", subject=subject, text=row.reply_text or "", html=row.reply_html or "",
                      key=reply_key(row), in_reply_to=row.internet_message_id)
        return build_message(email, self.mailbox.mailbox, self.services.clock.now()).as_bytes()

    async def _folder(self) -> str:
        if self._folder_id is None:
            self._folder_id = await self.mailbox.folder_id(self.processed_folder)
        return self._folder_id

    # ------------------------------------------------------------------ running
    def start(self, every: float) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(every))

    async def _run(self, every: float) -> None:
        while True:
            try:
                await self.ensure_subscription()
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next beat tries again
                log.exception("mail sweep failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=every)
            except TimeoutError:
                pass
            self._wake.clear()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
            self._task = None
        await self.mailbox.close()


def reply_key(row) -> str:
    return f"mailin-reply:{row.internet_message_id}"


def reply_message_id(row, mailbox: str) -> str:
    return message_id(reply_key(row), mailbox.rsplit("@", 1)[-1])


def _from(message: dict) -> str | None:
    frm = reading.address_of(message.get("from"))
    return frm.address if frm else None


# ------------------------------------------------------------------ HTTP

MAIL_IN_KEY: web.AppKey[MailIn] = web.AppKey("mail_in", MailIn)


async def notifications_endpoint(request: web.Request) -> web.Response:
    """POST /api/graph/notifications: the validation handshake, change and lifecycle notifications."""
    token = request.query.get("validationToken")
    if token is not None:
        return web.Response(text=token, content_type="text/plain")  # echoed at once: Graph waits 10 s at most
    mail_in = request.app.get(MAIL_IN_KEY)
    if mail_in is None:
        return web.json_response({"error": "incoming mail through Graph is not enabled"}, status=404)
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        log.warning("mail notification refused: not JSON")
        return web.json_response({"error": "not JSON"}, status=400)
    status = await mail_in.notified(body)
    return web.Response(status=status)

