"""The small stores the Bot Framework glue needs: conversation state with e_tags, and the ids of
activities already handled."""

from __future__ import annotations
import uuid
from datetime import datetime
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.ports import ConcurrencyConflict
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
            rows = (await s.execute(select(BotState).where(BotState.key.in_(list(keys))))).scalars()
            return {r.key: (r.data, r.etag) for r in rows}

    async def write(self, changes: dict[str, tuple[dict, str | None]], now: datetime) -> dict[str, str]:
        """Write all changes in one transaction; returns the new etags. Conflicts refuse the whole write."""
        new_etags: dict[str, str] = {}
        async with self._sessionmaker() as s:
            async with s.begin():
                for key, (data, etag) in changes.items():
                    if etag == "":
                        raise ValueError(f"empty e_tag for {key!r}: use None or '*' for an unconditional write")
                    new_etag = uuid.uuid4().hex
                    row = await s.get(BotState, key, with_for_update=True)
                    if row is None:
                        if etag not in (None, "*"):
                            raise ConcurrencyConflict(f"{key!r} was deleted by another turn")
                        try:
                            async with s.begin_nested():
                                s.add(BotState(key=key, etag=new_etag, data=data, updated_at=now))
                        except IntegrityError:
                            # Another turn created it first; an unconditional write still wins.
                            await s.execute(
                                update(BotState).where(BotState.key == key)
                                .values(etag=new_etag, data=data, updated_at=now)
                                .execution_options(synchronize_session=False)
                            )
                    else:
                        if etag not in (None, "*") and etag != row.etag:
                            raise ConcurrencyConflict(f"{key!r} was changed by another turn")
                        # Compare-and-swap so two writers holding the same etag cannot both win.
                        result = await s.execute(
                            update(BotState)
                            .where(BotState.key == key, BotState.etag == row.etag)
                            .values(etag=new_etag, data=data, updated_at=now)
                            .execution_options(synchronize_session=False)
                        )
                        if result.rowcount != 1:
                            raise ConcurrencyConflict(f"{key!r} was changed by another turn")
                    new_etags[key] = new_etag
        return new_etags

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
