"""Sends what the outbox owes: claims due rows, renders them, sends them through Teams or email,
and records the outcome. Teams, mail and the renderer are ports: the composition root supplies
them; Teams or mail may be absent (then rows for it wait, visibly, for a process that has it).

Delivery is at least once. A row is marked sent straight after the transport accepts it, and its
sender waits until that mark is committed before it takes its next message, so a process killed
with kill -9 repeats at most the one message per sender that was in flight (accepted, not yet
marked); a repeat carries the same Message-ID (email) or the same text and key (Teams), both derived
from the row's key. Senders whose messages are accepted at the same moment share one commit.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from governance.calendar import LONDON
from governance.reminders import NUDGE_KINDS, in_quiet_hours
from services.cases import draft_delivery
from services.cases.views import CaseView, views_for_people
from services.context import Services
from services.delivery import outbox
from services.ports import (
    Attachment,
    Email,
    MailTransport,
    NoticeRenderer,
    OutboxItem,
    PermanentSendError,
    PersonFacts,
    SendError,
    TeamsChat,
    TeamsSender,
    TransientSendError,
)
from services.register.reports import register_report

log = logging.getLogger("policybot.dispatch")

RENDERER = "notice_renderer"  # its name in Services.adapters


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _quiet(person: PersonFacts | None) -> tuple[time, time] | None:
    q = (person.preferences or {}).get("quiet_hours") if person else None
    if isinstance(q, list) and len(q) == 2:
        try:
            return time.fromisoformat(q[0]), time.fromisoformat(q[1])
        except ValueError:
            return None
    return None


class _Batch:
    """What one claim brought back, read in the claim's own transaction: the rows, the
    organisation's pause, the people, their Teams chats, and the live view of each case a row is about."""

    def __init__(self, rows: list[OutboxItem], pause: Any, people: Mapping[str, PersonFacts],
                 views: Mapping[tuple[str, int], CaseView], chats: Mapping[str, TeamsChat] | None = None) -> None:
        self.rows, self.pause, self.people, self.views = rows, pause, people, views
        self.chats: Mapping[str, TeamsChat] = chats or {}


class _Marks:
    """Marks accepted rows sent. Every sender waits until its own mark is durable (so nothing it sent
    before can be repeated after a crash), but the marks of senders waiting together share one
    transaction and one statement, which keeps the fan-out near Teams' rate-limit floor.

    With `senders` (a turn's own few messages, sent straight after its decision), marks wait until
    every sender still running is waiting for one, so the whole turn's messages share one commit."""

    def __init__(self, uow_factory: Callable[[], Any], senders: int | None = None) -> None:
        self.uow_factory = uow_factory
        self.senders = senders
        self._pending: list[tuple[OutboxItem, datetime, str | None, dict[str, Any] | None, asyncio.Future[Any]]] = []
        self._task: asyncio.Task[Any] | None = None

    async def sent(self, item: OutboxItem, at: datetime, provider_id: str | None, card: dict[str, Any] | None) -> None:
        fut = asyncio.get_running_loop().create_future()
        self._pending.append((item, at, provider_id, card, fut))
        self._maybe_flush()
        await fut

    def finished(self) -> None:
        """A sender has nothing more to send (only counted with `senders`)."""
        if self.senders is not None:
            self.senders -= 1
            self._maybe_flush()

    def _maybe_flush(self) -> None:
        if not self._pending or (self.senders is not None and len(self._pending) < self.senders):
            return
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await outbox.mark_sent(self.uow_factory, [(item, at, pid) for item, at, pid, _card, _f in batch],
                                       [card for *_, card, _f in batch if card is not None])
            except Exception as exc:  # noqa: BLE001 - each waiting sender learns its mark failed
                for *_, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for *_, fut in batch:
                if not fut.done():
                    fut.set_result(None)


class Dispatcher:
    def __init__(self, services: Services, *, teams: TeamsSender | None = None, mail: MailTransport | None = None,
                 renderer: NoticeRenderer | None = None, holder: str | None = None, concurrency: int = 64) -> None:
        self.services, self.teams, self.mail = services, teams, mail
        self.renderer: NoticeRenderer = renderer or services.adapters[RENDERER]
        self.holder = holder or default_holder()
        self.concurrency = concurrency
        self._lock = asyncio.Lock()
        self._marks = _Marks(services.uow)
        self._groups: dict[tuple[Any, ...], asyncio.Task[None]] = {}  # each conversation's group being sent

    async def _claim(self, now: datetime, limit: int, keys: list[str] | None) -> _Batch:
        """One transaction: claim (one statement), then read what rendering and sending need (the people,
        their Teams chats, the cases), each in one query for the whole batch."""
        async with self.services.uow() as uow:
            rows = await outbox.claim(uow, self.holder, now, limit, keys=keys)
            if not rows:
                await uow.commit()
                return _Batch([], False, {}, {})
            pause = outbox.paused_until(await outbox.pause_state(uow), now.astimezone(LONDON).date())
            ids = {r.person_id for r in rows if r.person_id}
            people = {p.id: p for p in await uow.people.contacts(ids)} if ids else {}  # four columns, no roles
            to_teams = {r.person_id for r in rows if r.person_id and r.channel == "teams"}
            chats = await uow.conversations.personal_chats(to_teams) if to_teams and self.teams is not None else {}
            wanted = {(r.person_id, r.case_id) for r in rows if r.case_id and r.person_id and r.channel != "none"}
            try:
                views = await views_for_people(uow, self.services.preset, wanted, self.services.clock.today())
            except Exception:  # noqa: BLE001 - the messages still go, without their live cards
                log.warning("could not render the cases of %d message(s)", len(wanted), exc_info=True)
                views = {}
            await uow.commit()
        return _Batch(rows, pause, people, views, chats)

    async def run_once(self, limit: int = 1000, keys: list[str] | None = None) -> Counter[str]:
        """Send every due row (up to `limit`); returns counts by outcome."""
        now = self.services.clock.now()
        return await self._send(await self._claim(now, limit, keys), now, keys)

    async def _send(self, batch: _Batch, now: datetime, keys: list[str] | None = None,
                    half_done: Callable[[], None] | None = None,
                    sem: asyncio.Semaphore | None = None) -> Counter[str]:
        """Send a claimed batch; `half_done` is called once, when half its rows are done. Batches may
        overlap (`drain`): a conversation's group waits for its group in the batch before, so its
        messages still go in order and one at a time."""
        result: Counter[str] = Counter()
        if not batch.rows:
            return result
        groups: dict[tuple[Any, ...], list[OutboxItem]] = defaultdict(list)
        for r in batch.rows:  # one conversation's messages go in order; conversations go in parallel
            groups[(r.channel, r.person_id or r.address)].append(r)
        sem = sem or asyncio.Semaphore(self.concurrency)
        # A turn's own messages (by key, a handful): their marks share one commit.
        marks = _Marks(self.services.uow, senders=len(groups)) if keys is not None and len(groups) <= self.concurrency \
            else self._marks
        left = len(batch.rows)

        async def run_group(items: list[OutboxItem], before: asyncio.Task[None] | None) -> None:
            nonlocal left, half_done
            if before is not None:
                await asyncio.wait([before])
            async with sem:  # one sender: at most one of its messages is in flight
                try:
                    for row in items:
                        try:
                            result[await self._one(row, batch, now, marks)] += 1
                        except Exception:  # noqa: BLE001 - one bad row must not stop the others
                            log.exception("outbox row %s failed unexpectedly", row.id)
                            await outbox.mark_failed(self.services.uow, row, now, "unexpected error (see the log)")
                            result["error"] += 1
                        left -= 1
                        if half_done is not None and 2 * left <= len(batch.rows):
                            call = half_done
                            half_done = None
                            call()
                finally:
                    marks.finished()

        tasks: dict[tuple[Any, ...], asyncio.Task[None]] = {}
        for key, items in groups.items():
            tasks[key] = asyncio.create_task(run_group(items, self._groups.get(key)))
            self._groups[key] = tasks[key]
        try:
            await asyncio.gather(*tasks.values())
        finally:
            for key, task in tasks.items():
                if self._groups.get(key) is task:
                    del self._groups[key]
        return result

    async def _one(self, row: OutboxItem, batch: _Batch, now: datetime, marks: _Marks) -> str:
        uows = self.services.uow
        person = batch.people.get(row.person_id) if row.person_id else None
        if row.kind in NUDGE_KINDS and batch.pause is not False:
            resume = (now.astimezone(LONDON).date() + timedelta(days=1)) if batch.pause is True else batch.pause
            await outbox.defer(uows, row.id, datetime.combine(resume, time(9, 0), LONDON))
            return "paused"
        ends = in_quiet_hours(now, _quiet(person))
        if ends is not None:
            await outbox.defer(uows, row.id, ends)
            return "quiet_hours"
        view = batch.views.get((row.person_id, row.case_id)) if row.person_id and row.case_id else None
        card = None
        try:
            if row.channel == "teams":
                provider_id, card = await self._teams(row, view, batch.chats.get(row.person_id or ""))
            elif row.channel == "email":
                provider_id = await self._email(row, person, view, now)
            else:
                raise PermanentSendError(row.last_error or f"unknown channel {row.channel!r}")
        except TransientSendError as exc:
            status = await outbox.mark_failed(uows, row, now, str(exc), retry_after=exc.retry_after)
            (log.info if status == "pending" else log.warning)(
                "outbox %s to %s: %s (%s)", row.id, row.person_id or row.address, exc, "will retry" if status == "pending" else status)
            return "retry" if status == "pending" else "failed"
        except (PermanentSendError, SendError) as exc:
            await outbox.mark_failed(uows, row, now, str(exc), permanent=True)
            log.warning("outbox %s to %s failed for good: %s", row.id, row.person_id or row.address, exc)
            return "failed"
        # Accepted: marked now; this sender takes its next message only once the mark is committed.
        await marks.sent(row, self.services.clock.now(), provider_id, card)
        return "sent"

    async def _teams(self, row: OutboxItem, view: CaseView | None,
                     chat: TeamsChat | None) -> tuple[str | None, dict[str, Any] | None]:
        if self.teams is None:
            raise TransientSendError("Teams delivery is not running in this process")
        if not row.person_id:
            raise PermanentSendError("a Teams message needs a person")
        sent = await self.teams.send(row.person_id, self.renderer.for_teams(row, view), chat)
        card = None
        if view is not None and view.actions and sent.activity_id:  # remember it, to refresh it after the next decision
            card = dict(case_id=view.id, person_id=row.person_id, channel_id="msteams", conversation_id=sent.conversation_id,
                        activity_id=sent.activity_id, service_url=sent.service_url, case_version=view.version,
                        sent_at=self.services.clock.now(), stale=0)
        return sent.activity_id, card

    async def _email(self, row: OutboxItem, person: PersonFacts | None, view: CaseView | None, now: datetime) -> str:
        if self.mail is None:
            raise TransientSendError("email is not configured (POLICYBOT_MAIL_TRANSPORT is none)")
        to = row.address or (person.email if person else None)
        if not to:
            raise PermanentSendError("this person has no email address in the directory")
        text, html = self.renderer.for_email(row, view, self.services.config.organisation_name)
        attachments = await self._chart() if row.with_chart else ()
        attachments += await draft_delivery.email_attachments(self.services, view)  # issue 17: the draft goes too
        if row.calendar:  # an invitation (a Review Session, NCT-5): its calendar file
            attachments += (Attachment("invitation.ics", "text/calendar", row.calendar.encode("utf-8")),)
        email = Email(to=to, to_name=person.name if person else None, subject=row.subject, text=text, html=html,
                      key=row.key, due_on=row.due_on, due_summary=f"Deadline: {row.subject}" if row.due_on else None,
                      attachments=attachments)
        return await self.mail.send(email, now, resend=row.possible_repeat)

    async def _chart(self) -> tuple[Attachment, ...]:
        """The review-compliance chart (issue 8) for digests that carry it; left out if it cannot be drawn."""
        try:
            png = self.renderer.compliance_chart(await register_report(self.services))
            return (Attachment("review-compliance.png", "image/png", png),)
        except Exception:  # noqa: BLE001 - the digest still goes without its chart
            log.warning("could not draw the compliance chart", exc_info=True)
            return ()

    async def drain(self, *, batch: int = 1000, max_rounds: int = 1000, keep_going: Callable[[], bool] = lambda: True) -> Counter[str]:
        """Send until nothing is due now, in batches; stops claiming if `keep_going` says so (the
        scheduler lost its lease). When a full batch is half sent, the next one is claimed and sent
        beside the rest of it (a conversation's messages still go in order, one at a time), so the
        sends follow on without a pause at each batch's end; a batch claimed is always sent."""
        total: Counter[str] = Counter()
        async with self._lock:
            sem = asyncio.Semaphore(self.concurrency)  # shared by overlapping batches
            sending: list[asyncio.Task[Counter[str]]] = []
            try:
                for _ in range(max_rounds):
                    if not keep_going():
                        break
                    now = self.services.clock.now()
                    claimed = await self._claim(now, batch, None)
                    if not claimed.rows:
                        break
                    half = asyncio.Event()
                    task = asyncio.create_task(self._send(claimed, now, half_done=half.set, sem=sem))
                    sending.append(task)
                    if len(claimed.rows) >= batch:  # more are probably due: claim them once this is half sent
                        waiter = asyncio.create_task(half.wait())
                        await asyncio.wait([task, waiter], return_when=asyncio.FIRST_COMPLETED)
                        waiter.cancel()
                        continue
                    got = await task
                    if not got or set(got) <= {"paused", "quiet_hours", "retry", "failed"}:
                        break
            finally:
                for task in sending:
                    total.update(await task)
        return total
