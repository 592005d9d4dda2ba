"""Who asked, and whether an answer helped (issue 16 item 4): kept with each answer for the Helpful /
Not what I needed buttons and the demand report."""

from __future__ import annotations

from services.context import Services
from services.errors import BadInput

CHANNEL_PREFIX = "channel:"  # an asker the directory does not know, kept by their channel's id


def asker(person_id: str | None, ident_user: str | None) -> str | None:
    """Who asked, as kept with an answer: the directory id, or the channel's own id for a stranger."""
    if person_id:
        return person_id
    return f"{CHANNEL_PREFIX}{ident_user}"[:64] if ident_user else None


async def record_feedback(services: Services, who: str | None, answer_id: int, feedback: str,
                          note: str | None = None) -> str:
    """Helpful / Not what I needed on an answer, from the person it was given to (the channel's
    identity, never the card's). The note is one optional line. Returns the question answered."""
    if feedback not in ("helpful", "not_helpful"):
        raise BadInput("That button sent something I can't use. Ask your question again.")
    note = " ".join((note or "").split())[:300] or None
    async with services.uow() as uow:
        row = await uow.answers.get(answer_id)
        if row is None or row.person_id != who or who is None:
            raise BadInput("I can't find that answer among yours. Ask your question again.")
        await uow.answers.set_feedback(answer_id, feedback=feedback, note=note, at=services.clock.now())
        await uow.commit()
        question: str = row.question
        return question
