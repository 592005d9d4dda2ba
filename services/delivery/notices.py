"""Notices a use case raises without a key of its own: `daily` keys one by its words, and the day it
is queued completes the key (the same words to the same person go once a day).

`queue_late` is for the paths that still return notices to their caller instead of raising them in
their own transaction (meeting paperwork until it moves onto `uow.notify`): it queues them in one
transaction and gives back every outbox key, so the turn can send them at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from datetime import date

from services.context import Services
from services.ports import Notice, NoticeKind

DAILY = "daily:"


def daily(person_id: str, subject: str, body: str, case_id: int | None = None, *,
          kind: NoticeKind = NoticeKind.NOTICE) -> Notice:
    """A notice keyed by who it is for and what it says; `dated` adds the day it is queued."""
    raw = f"{person_id}|{subject}|{body}|{case_id}"
    return Notice(key=DAILY + hashlib.sha1(raw.encode()).hexdigest()[:20], subject=subject, body=body,
                  person_id=person_id, case_id=case_id, kind=kind)


def dated(notice: Notice, day: date) -> Notice:
    """The notice with its key complete: a `daily` key gets the day; any other key is left alone."""
    if not notice.key.startswith(DAILY):
        return notice
    return dataclasses.replace(notice, key=f"notice:{notice.key[len(DAILY):]}:{day.isoformat()}")


def undated(notices: Iterable[Notice]) -> list[Notice]:
    return [n for n in notices if n.key.startswith(DAILY)]


async def queue_late(services: Services, notices: Iterable[Notice]) -> list[str]:
    """Queue the notices that were not raised in their own transaction; returns the outbox keys of
    all of them (those raised in their transaction were queued there and keep their keys)."""
    notices = list(notices)
    today = services.clock.today()
    late = undated(notices)
    if late:
        async with services.uow() as uow:
            uow.notify(*(dated(n, today) for n in late))
            await uow.commit()
    return [dated(n, today).key for n in notices]
