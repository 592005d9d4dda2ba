"""Sends what the outbox owes: claims due rows, renders them, sends them through Teams or email,
and records the outcome. Teams and mail are ports: the bot layer supplies the Teams sender, the
settings the mail transport; either may be absent (then rows for it wait, visibly, as failed)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from typing import Protocol

from governance.calendar import LONDON, WorkingCalendar
from governance.reminders import NUDGE_KINDS, in_quiet_hours
from render.notices import notice_email, notice_reply
from render.reply import Reply
from services.cases import draft_delivery, lifecycle
from services.delivery import outbox
from services.context import Services
from services.ports import Attachment, Email, MailTransport, PermanentSendError, SendError, TransientSendError
from store.models import Person

log = logging.getLogger("policybot.dispatch")


class TeamsPort(Protocol):
    async def send(self, person_id: str, reply: Reply): ...  # returns an object with conversation_id, activity_id, service_url


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _quiet(person: Person | None) -> tuple[time, time] | None:
    q = (person.preferences or {}).get("quiet_hours") if person else None
    if isinstance(q, list) and len(q) == 2:
        try:
            return time.fromisoformat(q[0]), time.fromisoformat(q[1])
        except ValueError:
            return None
    return None


class _GroupCommit:
    """Marks rows sent in shared transactions: every sender waits until its own mark is durable
    (so nothing is sent twice after a crash), but concurrent senders share one commit."""

    def __init__(self, uow_factory) -> None:
        self.uow_factory = uow_factory
        self._pending: list[tuple[int, datetime, str | None, int, asyncio.Future]] = []
        self._task: asyncio.Task | None = None

    async def sent(self, row_id: int, now: datetime, provider_id: str | None, attempts: int) -> None:
        fut = asyncio.get_running_loop().create_future()
        self._pending.append((row_id, now, provider_id, attempts, fut))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush())
        await fut

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                async with self.uow_factory() as uow:
                    await uow.outbox.sent_many([m[:4] for m in batch])
                    await uow.commit()
            except Exception as exc:  # noqa: BLE001 - each waiting sender learns its mark failed
                for *_, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for *_, fut in batch:
                if not fut.done():
                    fut.set_result(None)


class Dispatcher:
    def __init__(self, services: Services, *, teams: TeamsPort | None = None, mail: MailTransport | None = None,
                 holder: str | None = None, concurrency: int = 64) -> None:
        self.services, self.teams, self.mail = services, teams, mail
        self.holder = holder or default_holder()
        self.concurrency = concurrency
        self._lock = asyncio.Lock()
        self._marks = _GroupCommit(services.uow)

    async def run_once(self, limit: int = 1000, keys: list[str] | None = None) -> Counter:
        """Send every due row (up to `limit`); returns counts by outcome."""
        now = self.services.clock.now()
        rows = await outbox.claim(self.services.uow, self.holder, now, limit, keys=keys)
        result: Counter = Counter()
        if not rows:
            return result
        async with self.services.uow() as uow:
            pause = outbox.paused_until(await outbox.pause_state(uow), now.astimezone(LONDON).date())
            ids = {r.person_id for r in rows if r.person_id}
            people = {p.id: p for p in await uow.people.many(ids)} if ids else {}
            uow.session.expunge_all()
        groups: dict[tuple, list] = defaultdict(list)
        for r in rows:  # one conversation's messages go in order; conversations go in parallel
            groups[(r.channel, r.person_id or r.address)].append(r)
        sem = asyncio.Semaphore(self.concurrency)

        async def run_group(items) -> None:
            async with sem:
                for row in items:
                    try:
                        result[await self._one(row, people.get(row.person_id), pause, now)] += 1
                    except Exception:  # noqa: BLE001 - one bad row must not stop the others
                        log.exception("outbox row %s failed unexpectedly", row.id)
                        await outbox.mark_failed(self.services.uow, row, now, "unexpected error (see the log)")
                        result["error"] += 1

        await asyncio.gather(*(run_group(items) for items in groups.values()))
        return result

    async def _one(self, row, person: Person | None, pause, now: datetime) -> str:
        store = self.services.uow  # the unit-of-work factory
        if row.kind in NUDGE_KINDS and pause is not False:
            resume = (now.astimezone(LONDON).date() + timedelta(days=1)) if pause is True else pause
            await outbox.defer(store, row.id, datetime.combine(resume, time(9, 0), LONDON))
            return "paused"
        ends = in_quiet_hours(now, _quiet(person))
        if ends is not None:
            await outbox.defer(store, row.id, ends)
            return "quiet_hours"
        view = None
        if row.case_id and row.person_id:
            try:
                view = await lifecycle.case_view_for_person(self.services, row.person_id, row.case_id)
            except Exception:  # noqa: BLE001 - the message still goes, without the live card
                log.warning("could not render case %s for %s", row.case_id, row.person_id, exc_info=True)
        lines = list(row.payload.get("lines") or []) if isinstance(row.payload, dict) else []
        try:
            if row.channel == "teams":
                if self.teams is None:
                    raise TransientSendError("Teams delivery is not running in this process")
                if not row.person_id:
                    raise PermanentSendError("a Teams message needs a person")
                sent = await self.teams.send(row.person_id, notice_reply(row.subject, row.body, view=view,
                                                                       ref=row.document_ref, lines=lines))
                if view is not None and view.actions and sent.activity_id:
                    await lifecycle.record_sent_card(
                        self.services, case_id=view.id, person_id=row.person_id, channel_id="msteams",
                        conversation_id=sent.conversation_id, activity_id=sent.activity_id,
                        service_url=sent.service_url, case_version=view.version)
                provider_id = sent.activity_id
            elif row.channel == "email":
                if self.mail is None:
                    raise TransientSendError("email is not configured (POLICYBOT_MAIL_TRANSPORT is none)")
                to = row.address or (person.email if person else None)
                if not to:
                    raise PermanentSendError("this person has no email address in the directory")
                text, html = notice_email(row.subject, row.body, view=view, lines=lines,
                                          organisation=self.services.config.organisation_name)
                due = datetime.fromisoformat(row.due_on).date() if row.due_on else None
                attachments = await self._chart() if (row.payload or {}).get("chart") else ()
                attachments += await draft_delivery.email_attachments(self.services, view)  # issue 17: the draft goes too
                email = Email(to=to, to_name=person.name if person else None, subject=row.subject, text=text, html=html,
                              key=row.key, due_on=due, due_summary=f"Deadline: {row.subject}" if due else None,
                              attachments=attachments)
                provider_id = await self.mail.send(email, now)
            else:
                raise PermanentSendError(row.last_error or f"unknown channel {row.channel!r}")
        except TransientSendError as exc:
            status = await outbox.mark_failed(store, row, now, str(exc), retry_after=exc.retry_after)
            (log.info if status == "pending" else log.warning)(
                "outbox %s to %s: %s (%s)", row.id, row.person_id or row.address, exc, "will retry" if status == "pending" else status)
            return "retry" if status == "pending" else "failed"
        except (PermanentSendError, SendError) as exc:
            await outbox.mark_failed(store, row, now, str(exc), permanent=True)
            log.warning("outbox %s to %s failed for good: %s", row.id, row.person_id or row.address, exc)
            return "failed"
        await self._marks.sent(row.id, self.services.clock.now(), provider_id, row.attempts or 0)
        return "sent"

    async def _chart(self) -> tuple[Attachment, ...]:
        """The review-compliance chart (issue 8) for digests that carry it; left out if it cannot be drawn."""
        try:
            from render.reports import compliance_chart_png
            from services.register.reports import register_report

            png = compliance_chart_png(await register_report(self.services))
            return (Attachment("review-compliance.png", "image/png", png),)
        except Exception:  # noqa: BLE001 - the digest still goes without its chart
            log.warning("could not draw the compliance chart", exc_info=True)
            return ()

    async def drain(self, *, batch: int = 1000, max_rounds: int = 1000, keep_going=lambda: True) -> Counter:
        """Send until nothing is due now, in batches; stops between batches if `keep_going` says so
        (the scheduler lost its lease)."""
        total: Counter = Counter()
        async with self._lock:
            for _ in range(max_rounds):
                if not keep_going():
                    break
                got = await self.run_once(batch)
                if not got:
                    break
                total.update(got)
                if set(got) <= {"paused", "quiet_hours", "retry", "failed"}:
                    break
        return total


def calendar_for(services: Services) -> WorkingCalendar:
    return WorkingCalendar(services.preset.nation)
