"""The small stores the Bot Framework glue needs: conversation state with e_tags, and the ids of
activities already handled."""

from __future__ import annotations
import uuid
from datetime import datetime
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.ports import ConcurrencyConflict
from store.results import rowcount
from store.models import (
    BotState,
    ProcessedActivity,
)


class StateStore:
    """Key/value documents with e_tags, for the Bot Framework `Storage` in bot/.

    Rules (BOTFRAMEWORK.md trap 9): etag None or "*" writes unconditionally; a stale etag is
    refused with ConcurrencyConflict; every write gets a new etag.
    """

    def __init__(self, sessionmaker: async_sessionmaker) -> None:
        self._sessionmaker = sessionmaker

    async def read(self, keys: Sequence[str]) -> dict[str, tuple[dict, str]]:
        if not keys:
            return {}
        async with self._sessionmaker() as s:
            rows = await s.execute(select(BotState.key, BotState.data, BotState.etag).where(BotState.key.in_(list(keys))))
            return {key: (data, etag) for key, data, etag in rows}

    async def write(self, changes: dict[str, tuple[dict, str | None]], now: datetime) -> dict[str, str]:
        """Write all changes in one transaction; returns the new etags. Conflicts refuse the whole write."""
        new_etags: dict[str, str] = {}
        async with self._sessionmaker() as s:
            async with s.begin():
                for key, (data, etag) in changes.items():
                    if etag == "":
                        raise ValueError(f"empty e_tag for {key!r}: use None or '*' for an unconditional write")
                    new_etag = uuid.uuid4().hex
                    if etag in (None, "*"):
                        await self._write_unconditionally(s, key, data, new_etag, now)
                    else:
                        await self._compare_and_swap(s, key, data, etag, new_etag, now)
                    new_etags[key] = new_etag
        return new_etags

    @staticmethod
    async def _compare_and_swap(s: AsyncSession, key: str, data: dict, etag: str, new_etag: str, now: datetime) -> None:
        """One statement on the usual path (a turn saving the state it read); only a refused swap
        reads the row again, to say whether it was changed or deleted by another turn."""
        result = await s.execute(
            update(BotState).where(BotState.key == key, BotState.etag == etag)
            .values(etag=new_etag, data=data, updated_at=now).execution_options(synchronize_session=False))
        if rowcount(result) == 1:
            return
        exists = (await s.execute(select(BotState.key).where(BotState.key == key))).first() is not None
        raise ConcurrencyConflict(f"{key!r} was {'changed' if exists else 'deleted'} by another turn")

    @staticmethod
    async def _write_unconditionally(s: AsyncSession, key: str, data: dict, new_etag: str, now: datetime) -> None:
        result = await s.execute(
            update(BotState).where(BotState.key == key)
            .values(etag=new_etag, data=data, updated_at=now).execution_options(synchronize_session=False))
        if rowcount(result) == 1:
            return
        try:
            async with s.begin_nested():
                s.add(BotState(key=key, etag=new_etag, data=data, updated_at=now))
        except IntegrityError:
            # Another turn created it first; an unconditional write still wins.
            await s.execute(
                update(BotState).where(BotState.key == key)
                .values(etag=new_etag, data=data, updated_at=now).execution_options(synchronize_session=False))

    async def delete(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        async with self._sessionmaker() as s:
            async with s.begin():
                await s.execute(delete(BotState).where(BotState.key.in_(list(keys))))


class ProcessedActivityStore:
    """Remembers inbound activity ids so a re-delivered email is handled once."""

    def __init__(self, sessionmaker: async_sessionmaker) -> None:
        self._sessionmaker = sessionmaker

    async def first_time(self, key: str, now: datetime) -> bool:
        async with self._sessionmaker() as s:
            try:
                async with s.begin():
                    s.add(ProcessedActivity(key=key[:600], at=now))
                return True
            except IntegrityError:
                return False
