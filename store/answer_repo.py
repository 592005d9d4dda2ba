"""Answers given from the manual and what people said of them (issue 16)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.answer_models import AnswerGiven


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
