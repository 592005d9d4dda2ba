"""Who owns and signs off a document, changed in conversation.

NCT-7: a procedure covering several services has several RSMs, and the PPO coordinates their
approval. The PPO names another RSM ('add RSM Jordan Whitfield to PP-001'): the register keeps
them in documents.extra["other_rsm_ids"], and an open case on the document waits for their
approval too (decisions already made stand).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance import lifecycle as gl
from governance.ownership import uses_rsm
from governance.permissions import may_name_another_rsm
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, person_named, resolve_person
from services.cases.lifecycle import _rsm_ids
from services.delivery.notices import daily, dated
from services.ports import Notice


@dataclass(frozen=True)
class OwnerChange:
    message: str
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    changed_case: int | None = None


async def add_rsm(services: Services, ident: ChannelIdentity, ref: str, who: str) -> OwnerChange:
    preset = services.preset
    if not uses_rsm(preset):
        raise BadInput(f"The {preset.name} process has no Responsible Strategic Managers.")
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        actor = await resolve_person(uow, ident)
        if actor is None:
            raise UnknownPerson("I don't know who you are yet, so I can't change who signs documents off.")
        if not may_name_another_rsm(actor.role_names):
            raise NotPermitted(f"Only the {preset.role_label('ppo')} can name another Responsible Strategic Manager (NCT-7).")
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref!r}.")
        person = await person_named(uow, who, me=actor)  # 'me', a unique first name, or asks which one
        if person.id in _rsm_ids(doc):
            raise BadInput(f"{person.name} is already a Responsible Strategic Manager of {doc.ref}.")
        if doc.rsm_id is None:
            doc = await uow.documents.update(doc.id, rsm_id=person.id, updated_at=now)
        else:
            extra = dict(doc.extra or {})
            extra["other_rsm_ids"] = [*extra.get("other_rsm_ids", []), person.id]
            doc = await uow.documents.update(doc.id, extra=extra, updated_at=now)  # a new dict, so the JSON column is written
        rsms = _rsm_ids(doc)
        names = {p.id: p.name for p in await uow.people.many(rsms)}
        summary = (f"{person.name} added as a Responsible Strategic Manager (NCT-7); RSMs now: "
                   + ", ".join(names.get(r, r) for r in rsms))
        changed, notices = None, []
        for row in await uow.cases.open_for_document(doc.id):
            case = gl.case_from_dict(row.state)
            case = gl.with_participants(case, "rsm", rsms, gl.Actor(actor.id, frozenset(actor.role_names)), today,
                                        f"{person.name} added as a Responsible Strategic Manager")
            await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(case), stage=case.stage,
                                 status=row.status, waiting_for=gl.who_must_act(preset, case), now=now)
            changed = row.id
            if f"person:{person.id}" in gl.who_must_act(preset, case):
                notices.append(daily(person.id, f"For your approval: {doc.ref} {doc.title}",
                                      f"{actor.name} has added you as a Responsible Strategic Manager of {doc.ref}; "
                                      "it waits for your decision.", row.id))
        await uow.audit.record(at=now, actor=actor, entity="document", entity_id=doc.id, action="add_rsm",
                               summary=summary, details={"rsm_ids": list(rsms), **({"case": changed} if changed else {})})
        notices = [dated(n, today) for n in notices]
        uow.notify(*notices)
        await uow.commit()
    tail = f" Case {changed} now waits for every one of them to approve." if changed else ""
    return OwnerChange(f"Done: {summary}.{tail}", tuple(notices), changed)
