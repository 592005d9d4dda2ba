"""The outbox: what we owe people, written in the caller's transaction, sent later, never lost.

A use case raises `Notice`s with `uow.notify`; the unit of work's `commit()` runs `OutboxWriter`,
which `enqueue`s them: it adds a message (one row per channel) unless its idempotency key is already there.
The dispatcher claims due rows with a conditional UPDATE (so two processes never take the same
row), sends them, and marks them sent, or reschedules them with backoff. A message that keeps
failing stays as `failed` for an admin (`policybot outbox`); nothing is ever deleted.
"""

from __future__ import annotations

from typing import Any
import os
import random
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from governance.calendar import LONDON
from governance.reminders import NUDGE_KINDS
from services.delivery.notices import dated
from services.ports import Clock, Notice, OutboxItem, OutboxRow, PersonFacts
from services.work import Work, WorkFactory

PAUSE_KEY = "nudges_paused"
MAX_ATTEMPTS = 8
CLAIM_SECONDS = int(os.environ.get("POLICYBOT_OUTBOX_CLAIM_SECONDS", "120"))  # a dead sender's claim lapses


def channels_for(person: PersonFacts | None, *, address: str | None, mail_enabled: bool, teams_enabled: bool) -> list[str]:
    """Where a message goes: the person's choice if they made one (teams, email or both); else
    Teams when we can reach them there, else email."""
    if person is None:
        return ["email"] if address else []
    prefs = person.preferences or {}
    chosen = prefs.get("channels")
    if isinstance(chosen, list) and chosen:
        return [c for c in chosen if c in ("teams", "email")]
    if teams_enabled and person.aad_object_id:
        return ["teams"]
    if person.email and mail_enabled:
        return ["email"]
    return ["teams"] if person.aad_object_id else ["email"]


async def enqueue(uow: Work, notices: Sequence[Notice], now: datetime, *, mail_enabled: bool = True,
                  teams_enabled: bool = True) -> int:
    """Add notices in the caller's transaction (one row per channel); returns how many rows were
    new. Keys already present (sent, pending or failed) are left exactly as they are. A `daily`
    key gets the day (Europe/London) of `now`."""
    if not notices:
        return 0
    day = now.astimezone(LONDON).date()
    notices = [dated(n, day) for n in notices]
    people = {p.id: p for p in await uow.people.contacts({n.person_id for n in notices if n.person_id})}
    values = []
    for n in notices:
        person = people.get(n.person_id) if n.person_id else None
        held = bool(person and (person.preferences or {}).get("digest") and n.kind in NUDGE_KINDS)
        payload = dict(n.payload)
        if n.lines:
            payload["lines"] = list(n.lines)
        if n.with_chart:
            payload["chart"] = True
        for channel in channels_for(person, address=n.address, mail_enabled=mail_enabled, teams_enabled=teams_enabled) or ["none"]:
            values.append({
                "key": f"{n.key}|{n.person_id or n.address}|{channel}", "kind": str(n.kind), "channel": channel,
                "person_id": n.person_id, "address": n.address, "subject": n.subject[:300], "body": n.body,
                "case_id": n.case_id, "document_ref": n.document_ref,
                "due_on": n.due_on.isoformat() if n.due_on else None, "payload": payload,
                "status": "held" if held else ("pending" if channel != "none" else "failed"),
                "last_error": None if channel != "none" else "no way to reach this person: no Teams account or email address",
                "attempts": 0, "not_before": n.not_before or now, "created_at": now,
            })
    result: int = await uow.outbox.insert_new(values)
    return result


class OutboxWriter:
    """The `NoticeWriter` the store's unit of work runs inside `commit()`: the rules above, with the
    clock and whether email is on (wired in `bot/bootstrap.py`)."""

    def __init__(self, clock: Clock, *, mail_enabled: bool, teams_enabled: bool = True) -> None:
        self.clock, self.mail_enabled, self.teams_enabled = clock, mail_enabled, teams_enabled

    async def __call__(self, uow: Work, notices: Sequence[Notice]) -> int:
        return await enqueue(uow, notices, self.clock.now(), mail_enabled=self.mail_enabled,
                             teams_enabled=self.teams_enabled)


async def claim(uow: Work, holder: str, now: datetime, limit: int = 200, channel: str | None = None,
                keys: list[str] | None = None) -> list[OutboxItem]:
    """Take up to `limit` due rows for this holder, inside the caller's unit of work (one
    statement); a claim lapses after CLAIM_SECONDS so rows a dead process had claimed are taken again."""
    token = f"{holder}:{uuid.uuid4().hex[:8]}"
    result: list[OutboxItem] = await uow.outbox.claim(token, now, limit, CLAIM_SECONDS, channel=channel, keys=keys)
    return result


async def mark_sent(uow_factory: WorkFactory, marks: Sequence[tuple[OutboxItem, datetime, str | None]],
                    cards: Sequence[dict[str, Any]] = ()) -> None:
    """Rows the transport accepted, marked sent in one transaction (one statement), with the case
    cards that went with them."""
    async with uow_factory() as uow:
        await uow.outbox.sent_many([(item.id, at, provider_id, item.attempts) for item, at, provider_id in marks])
        for card in cards:
            await uow.cases.record_card(**card)
        await uow.commit()


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """Seconds to wait before the next try: the server's Retry-After when it gave one, else
    exponential with jitter (30 s, 1 min, 2 min ... capped at 1 hour)."""
    if retry_after is not None and retry_after >= 0:
        return retry_after
    result: float = min(3600.0, 30.0 * (2 ** max(attempts - 1, 0))) * (0.8 + 0.4 * random.random())
    return result


async def mark_failed(uow_factory: WorkFactory, row: OutboxItem, now: datetime, error: str, *, permanent: bool = False,
                      retry_after: float | None = None) -> str:
    attempts = (row.attempts or 0) + 1
    status = "failed" if permanent or attempts >= MAX_ATTEMPTS else "pending"
    async with uow_factory() as uow:
        await uow.outbox.set(row.id, status=status, attempts=attempts, last_error=error[:2000], claimed_until=None,
                             not_before=now + timedelta(seconds=backoff(attempts, retry_after)))
        await uow.commit()
    return status


async def defer(uow_factory: WorkFactory, row_id: int, until: datetime) -> None:
    """Hold a claimed row without counting an attempt (quiet hours, organisation pause)."""
    async with uow_factory() as uow:
        await uow.outbox.set(row_id, not_before=until, claimed_until=None)
        await uow.commit()


# --- organisation pause -------------------------------------------------------------------

async def pause_state(uow: Work) -> dict[str, Any] | None:
    value = await uow.kv.get(PAUSE_KEY)
    return dict(value) if value else None


def paused_until(state: dict[str, Any] | None, today: date) -> date | None | bool:
    """False when nudges are running; the date they resume; or True when paused with no end."""
    if not state:
        return False
    until = state.get("until")
    if until is None:
        return True
    resume = date.fromisoformat(until)
    return resume if resume > today else False


# --- admin -------------------------------------------------------------------------------

async def listing(uow_factory: WorkFactory, status: str | None = None, limit: int = 50) -> Sequence[OutboxRow]:
    async with uow_factory() as uow:
        return await uow.outbox.listing(status, limit)


async def counts(uow_factory: WorkFactory) -> dict[str, int]:
    async with uow_factory() as uow:
        result: dict[str, int] = await uow.outbox.counts()
        return result


async def retry(uow_factory: WorkFactory, row_id: int, now: datetime) -> bool:
    """An admin sends a failed message again."""
    async with uow_factory() as uow:
        done = await uow.outbox.requeue(row_id, now)
        await uow.commit()
        result: bool = done
        return result
