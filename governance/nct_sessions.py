"""NCT-5, NCT-7: who may arrange, move or cancel a Review Session, pure. The RO decides whether one is
held (NCT-5), so an RO may arrange one for their own procedures; the Policy and Procedures Officer helps
organise them (NCT-5) and coordinates a joint one across services (NCT-7), so the PPO may for any. Moving
or cancelling a session is arranging it again, so the same people may."""

from __future__ import annotations

from collections.abc import Iterable

REFUSED = ("The Policy and Procedures Officer arranges, moves or cancels Review Sessions across procedures; an RO does it "
           "for their own procedure (NCT-5).")


def may_arrange_session(person_id: str, roles: Iterable[str], owners: Iterable[str | None]) -> bool:
    """Whether this person may arrange (or move, or cancel) a Review Session for procedures whose ROs are
    `owners` (each procedure's RO, or its RSM where no RO is named: NCT-1)."""
    if "ppo" in set(roles):
        return True
    listed = list(owners)
    return bool(listed) and all(owner == person_id for owner in listed)
