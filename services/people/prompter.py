"""NCT-15: who prompted an unscheduled review, as a person typed it: someone in the directory, or
someone outside it (an auditor, a partner agency) by name and email address."""

from __future__ import annotations

import re

from services.errors import BadInput, NotFound
from services.people.identity import person_named
from services.work import PersonRow, Work

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


async def prompter_of(uow: Work, said: str, person: PersonRow) -> dict[str, str | None]:
    """NCT-15: who prompted a review: someone in the directory, or a name and an email address."""
    found = _EMAIL.search(said)
    name = " ".join(_EMAIL.sub(" ", said).replace("(", " ").replace(")", " ").replace("<", " ").replace(">", " ").split()).strip(" ,;.")
    if found:
        known = await uow.people.by_email(found.group(0))
        if known is not None:
            return {"person": known.id, "name": known.name, "email": known.email}
        if not name:
            raise BadInput("Please give the name of the person who prompted the review as well as their email address.")
        return {"name": name[:200], "email": found.group(0)}
    try:
        known = await person_named(uow, name, me=person)
    except NotFound:
        raise BadInput(f"{name} is not in the directory: please give their email address too, so they can be told the "
                       "outcome, e.g. 'prompted by Jo Bloggs jo.bloggs@audit.example'.") from None
    return {"person": known.id, "name": known.name, "email": known.email}
