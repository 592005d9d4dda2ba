"""LBBD-3: "Stakeholders decide who the policy/procedure author will be." An author is appointed
or changed in conversation ("make Sam Okafor the author of PP-047") by the stakeholders: the lead
stakeholder, or a stakeholder named on the document's request. Anyone else is refused politely.

One transaction: the register's author (its RO), the open case's history (what waited for the old
author now waits for the new one, as the author is read from the document), the audit record, and
the notices to the new author, the previous one and the Policy and Procedures Officer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from governance import lifecycle as gl
from governance.authors import appoints_authors, decides_the_author
from services.context import Services
from services.delivery.notices import daily, dated
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, person_named, resolve_person
from services.ports import Notice


@dataclass(frozen=True)
class Appointed:
    message: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)


async def appoint_author(services: Services, ident: ChannelIdentity, ref: str, who: str) -> Appointed:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    label = preset.role_label("ro")
    if not appoints_authors(preset.roles):  # another process: the owner changes as its own rules say (NCT-1)
        raise BadInput(f"In the {preset.name} process a document's {label} changes by reporting it: say, for "
                       f"example, '{ref.upper()}'s RO is now {who}'.")
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
        if person is None:
            raise UnknownPerson(f"I don't know who you are yet, so I can't appoint an {label} for you.")
        doc = await uow.documents.by_ref(ref.upper())
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref.upper()!r}.")
        cases = await uow.cases.open_for_document(doc.id)
        if not decides_the_author(person.id, person.role_names, (gl.case_from_dict(row.state) for row in cases)):
            raise NotPermitted(f"Sorry, only the stakeholders decide who the {label} of {doc.ref} is (LBBD-3): the "
                               f"{preset.role_label('stakeholder_lead')}, or a stakeholder named on its request. "
                               "Please ask one of them.")
        new = await person_named(uow, who, me=person)
        if new.id == doc.ro_id:
            raise BadInput(f"{new.name} is already the {label} of {doc.ref}.")
        old = await uow.people.get(doc.ro_id) if doc.ro_id else None
        doc = await uow.documents.update(doc.id, ro_id=new.id, updated_at=now)
        said = f"{new.name} appointed as the {label}" + (f" in place of {old.name}" if old else "") + f" by {person.name} (LBBD-3)"
        for row in cases:
            case = gl.case_from_dict(row.state)
            case = dataclasses.replace(case, history=case.history + (gl.HistoryEntry(today, person.id, "appoint_author", said),))
            await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(case), stage=case.stage,
                                 status=row.status, waiting_for=gl.who_must_act(preset, case), now=now)
        await uow.audit.record(at=now, actor=person, entity="document", entity_id=doc.id, action="author_appointed",
                               summary=said, details={"from": old.id if old else None, "to": new.id})
        name = f"{doc.ref} {doc.title}"
        notices = [daily(new.id, f"You are the {label}: {name}",
                         f"{person.name} has appointed you as the {label} of {name} (LBBD-3). It is yours to co-produce and draft.")]
        if old and old.id != person.id:
            notices.append(daily(old.id, f"New {label}: {name}", f"{said}."))
        notices += [daily(p.id, f"New {label}: {name}", f"{said}.") for p in await uow.people.with_role("ppo")
                    if p.id not in (person.id, new.id)]
        notices = [dated(n, today) for n in notices]
        uow.notify(*notices)
        await uow.commit()
    return Appointed(f"Done: {said}. {new.name} has been told.", tuple(notices))
