"""Answers given from the manual and what people said of them (issue 16)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.answer_models import AnswerGiven, AnswerIndexKept


class AnswerRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, **fields: Any) -> int:
        row = AnswerGiven(**fields)
        self.s.add(row)
        await self.s.flush()
        return row.id

    async def get(self, answer_id: int) -> AnswerGiven | None:
        return await self.s.get(AnswerGiven, answer_id)

    async def set_feedback(self, answer_id: int, *, feedback: str, note: str | None, at: datetime) -> None:
        values: dict[str, Any] = {"feedback": feedback, "feedback_at": at}
        if note is not None:
            values["feedback_note"] = note[:300]
        await self.s.execute(update(AnswerGiven).where(AnswerGiven.id == answer_id).values(**values)
                             .execution_options(synchronize_session=False))

    async def unmet(self, since: datetime | None = None) -> list[AnswerGiven]:
        """Answers that did not meet the need: nothing found, only a weak match, or 'not what I needed'."""
        stmt = select(AnswerGiven).where(or_(AnswerGiven.outcome.in_(("weak", "nothing", "request")),
                                             AnswerGiven.feedback == "not_helpful"))
        if since is not None:
            stmt = stmt.where(AnswerGiven.at >= since)
        return list((await self.s.execute(stmt.order_by(AnswerGiven.at))).scalars())

    async def kept_index(self, fmt: str) -> bytes | None:
        """The answer index as last kept, when the same indexing made it."""
        stmt = select(AnswerIndexKept.data).where(AnswerIndexKept.format == fmt).order_by(AnswerIndexKept.id.desc()).limit(1)
        data = (await self.s.execute(stmt)).scalar_one_or_none()
        return bytes(data) if data is not None else None

    async def keep_index(self, fmt: str, data: bytes, *, at: datetime, passages: int) -> None:
        """Keep this build of the answer index in place of any earlier one."""
        await self.s.execute(delete(AnswerIndexKept))
        self.s.add(AnswerIndexKept(format=fmt, built_at=at, passages=passages, data=data))
        await self.s.flush()
