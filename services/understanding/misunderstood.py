"""Misunderstandings: a message that ended in a fallback (nothing matched), a "Did you mean" answered
No, or an abandoned dialog. Kept with the person's id only (no name, no address), so the PPO can
see which phrasings fail and add them to the organisation's overrides."""

from __future__ import annotations

import logging

from services.context import Services
from services.work import PersonRow

log = logging.getLogger("policybot.understanding")

KINDS = ("fallback", "said_no", "abandoned")
MAX_TEXT = 200


async def record(services: Services, person: PersonRow | None, kind: str, text: str | None) -> None:
    """Never fails the turn: a lost log line is better than a lost reply."""
    person_id = getattr(person, "id", None)
    said = " ".join((text or "").split())[:MAX_TEXT]
    log.info("misunderstood kind=%s person=%s", kind, person_id or "-")
    try:
        async with services.uow() as uow:
            repo = getattr(uow, "misunderstood", None)
            if repo is None:
                return
            await repo.add(at=services.clock.now(), person_id=person_id, kind=kind, text=said)
            await uow.commit()
    except Exception:
        log.warning("could not keep a misunderstanding", exc_info=True)
