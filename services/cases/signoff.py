"""NCT-7: "who still has to sign off PP-037?" The open case on a document, at a sign-off, with who
has decided (and how, and when) and who has not. Anyone in the directory may ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from governance import lifecycle as gl
from services.context import Services
from services.errors import NotFound


@dataclass(frozen=True)
class SignOffView:
    ref: str
    title: str
    case_id: int | None
    stage: str | None  # None: not at a sign-off (then `where` says where it is)
    where: str
    decided: tuple[tuple[str, str, date], ...] = ()  # (name, decision, on)
    waiting: tuple[str, ...] = ()  # names or role labels


async def who_signs_off(services: Services, ref: str) -> SignOffView:
    preset = services.preset
    async with services.uow() as uow:
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref!r}.")
        rows = await uow.cases.open_for_document(doc.id)
        if not rows:
            return SignOffView(doc.ref, doc.title, None, None, "no work in progress, so nobody is asked to sign it off")
        row = rows[0]
        case = gl.case_from_dict(row.state)
        progress = gl.sign_off_progress(preset, case)
        if progress is None:
            stage = gl.stage_of(preset, case)
            return SignOffView(doc.ref, doc.title, row.id, None, f"case {row.id} is at '{stage.label}', not waiting for a sign-off")
        ids = {p for p, _, _ in progress.decided} | {w[7:] for w in progress.waiting if w.startswith("person:")}
        names = {p.id: p.name for p in await uow.people.many(ids)} if ids else {}
    decided = tuple((names.get(p, p), decision, on) for p, decision, on in progress.decided)
    waiting = tuple(names.get(w[7:], w[7:]) if w.startswith("person:") else preset.role_label(w) for w in progress.waiting)
    return SignOffView(doc.ref, doc.title, row.id, progress.stage, f"case {row.id} is at '{progress.stage}'", decided, waiting)
