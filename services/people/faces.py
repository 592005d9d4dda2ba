"""Whose photo a page shows, and as whom it is asked for (issue 23): anyone signed in and in the
directory may see a colleague's photo next to their name, as Teams shows it; Graph is asked with
the viewer's own delegated token, so Graph's rules decide what it gives them."""

from __future__ import annotations

from dataclasses import dataclass

from services.context import Services
from services.errors import NotFound, UnknownPerson


@dataclass(frozen=True)
class Faces:
    viewer_object_id: str | None  # the viewer's Entra object id: whose Graph token to use
    object_id: str | None  # the pictured person's Entra object id
    name: str  # the pictured person's name, for their initials when there is no photo


async def faces(services: Services, viewer_id: str, person_id: str) -> Faces:
    async with services.uow() as uow:
        viewer = await uow.people.get(viewer_id) if viewer_id else None
        if viewer is None or not viewer.active:
            raise UnknownPerson("You are not in policybot's directory (or no longer active).")
        person = await uow.people.get(person_id) if person_id else None
        if person is None:
            raise NotFound("There is no such person in the directory.")
        return Faces(viewer.aad_object_id, person.aad_object_id, person.name)
