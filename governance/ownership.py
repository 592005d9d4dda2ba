"""NCT-1: every procedure has a Responsible Strategic Manager and a Responsible Officer at
all times; where no RO is named, the RSM is the RO."""

from __future__ import annotations

from governance.errors import MissingInformation


def effective_ro(ro_id: str | None, rsm_id: str | None) -> str:
    if rsm_id:
        return ro_id or rsm_id
    if ro_id:
        raise MissingInformation("Every procedure needs a Responsible Strategic Manager. Please name one.")
    raise MissingInformation("Every procedure needs a Responsible Strategic Manager and a Responsible Officer. Please name at least the RSM.")


def roles_on_document(person_id: str, ro_id: str | None, rsm_ids: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The document roles a person holds: RO (or the RSM standing in) and RSM."""
    roles = set()
    rsms = tuple(x for x in rsm_ids if x)
    if person_id in rsms:
        roles.add("rsm")
    if ro_id == person_id or (ro_id is None and rsms and person_id == rsms[0]):
        roles.add("ro")
    return frozenset(roles)


def check_change_of_ro(new_ro_id: str | None, rsm_id: str | None) -> str:
    """A change of RO keeps the rule true: the new RO, or the RSM standing in."""
    return effective_ro(new_ro_id, rsm_id)
