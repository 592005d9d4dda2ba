"""Register use cases: find documents, show one with its history, list a person's documents."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from governance import lifecycle as gl
from governance.dates import long_date
from services.errors import NotFound
from services.register.assets import assets_to_update
from services.updates.window import update_notes
from services.views import DocumentDetail, DocumentView, HistoryLine, PersonView
from services.work import DocumentRow, PersonRow, Work


def person_view(p: PersonRow) -> PersonView:
    return PersonView(id=p.id, name=p.name, email=p.email, roles=tuple(sorted(p.role_names)))


def document_view(d: DocumentRow) -> DocumentView:
    ro = person_view(d.ro) if d.ro is not None else None
    rsm = person_view(d.rsm) if d.rsm is not None else None
    standing_in = ro is None and rsm is not None  # NCT-1: the RSM is the RO when none is named
    return DocumentView(
        id=d.id,
        ref=d.ref,
        title=d.title,
        doc_type=d.doc_type,
        category=d.category,
        service_area=d.service_area,
        status=d.status,
        version=d.version,
        approved_on=d.approved_on,
        last_reviewed_on=d.last_reviewed_on,
        next_review_due=d.next_review_due,
        manual_url=d.manual_url,
        ro=rsm if standing_in else ro,
        rsm=rsm,
        summary=d.summary,
        ro_is_rsm_standing_in=standing_in,
        own_columns=tuple((str(k), str(v)) for k, v in ((d.extra or {}).get("columns") or {}).items() if v is not None),
        publisher=_publisher_facts((d.extra or {}).get("publisher") or {}),
    )


_LOOKALIKE = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "i": "1"})
_PARTS = re.compile(r"^\s*([A-Za-z]{1,6})?[\s_.\-]*(.*?)\s*$")


def _key(ref: str) -> tuple[str, str]:
    """'pp--1O' -> ('PP', '10'): the prefix, and the number with look-alike letters read as digits."""
    m = _PARTS.match(ref or "")
    prefix, rest = (m.group(1) or "", m.group(2)) if m else ("", ref or "")
    digits = re.sub(r"\D", "", rest.translate(_LOOKALIKE)).lstrip("0")
    return prefix.upper(), digits


async def nearest_refs(uow: Work, said: str, n: int = 3) -> list[tuple[str, str]]:
    """The register's references nearest to a reference typed wrongly: the same number first, then
    the closest spellings. (reference, title) pairs."""
    prefix, digits = _key(said)
    scored = []
    for d in await uow.documents.all():
        p, num = _key(d.ref)
        score = difflib.SequenceMatcher(None, digits, num).ratio() + (0.5 if p == prefix else 0) + (1 if num == digits else 0)
        scored.append((score, d.ref, d.title))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [(ref, title) for score, ref, title in scored[:n] if score > 0.5]


async def not_found(uow: Work, said: str) -> NotFound:
    """'I can't find ...' with the nearest real references (issue 19 item 9)."""
    near = await nearest_refs(uow, said)
    tail = (" The nearest: " + "; ".join(f"{r} {t}" for r, t in near) + ".") if near else ""
    return NotFound(f"I can't find a document with the reference {said.strip()!r}.{tail} Try 'find' and a few words from its title.")


def _publisher_facts(p: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """NCT-10: submitted to the publisher, and published in an edition, as two facts (from the
    document's JSON "publisher" record)."""
    out = []
    if p.get("submitted_on"):
        out.append(("Submitted to the publisher", long_date(date.fromisoformat(p["submitted_on"]))
                    + ("" if p.get("edition") else ", for the next edition")))
    if p.get("edition"):
        on = f" on {long_date(date.fromisoformat(p['published_on']))}" if p.get("published_on") else ""
        out.append(("Published in the manual", f"edition {p['edition']}{on}"))
    return tuple(out)


async def document_detail(uow: Work, ref: str) -> DocumentDetail:
    doc = await uow.documents.by_ref(ref)
    if doc is None:
        raise await not_found(uow, ref)
    entries = await uow.audit.for_entity("document", doc.id)
    history = tuple(
        HistoryLine(at=e.at, who=e.actor_name or "policybot", action=e.action, summary=e.summary, reason=e.reason)
        for e in entries
    )
    return DocumentDetail(document=document_view(doc), history=history, assets=tuple(await assets_to_update(uow, doc.ref)),
                          open_cases=await _open_cases(uow, doc.id))


async def _open_cases(uow: Work, document_id: int) -> tuple[tuple[str, str], ...]:
    """The document's open cases, each with its Route 1 update deadline when it follows one (NCT-4, NCT-17)."""
    out: list[tuple[str, str]] = []
    for row in await uow.cases.open_for_document(document_id):
        case = gl.case_from_dict(row.state)
        out.append(("Open case", f"case {row.id} ({case.kind.replace('_', ' ')}): say 'case {row.id}' to see it"))
        out += [pair for pair in update_notes(case) if pair[0] != "Recommended amendments"]
    return tuple(out)


async def my_documents(uow: Work, person_id: str, today: date) -> list[DocumentView]:
    """What a person owns (RO) or signs off (RSM): overdue first, then by review date."""
    docs = [document_view(d) for d in await uow.documents.owned_or_signed_off_by(person_id)]
    order = {"overdue": 0, "due_soon": 1, "ok": 2, "none": 3}
    docs.sort(key=lambda d: (order[d.review_state(today)], d.next_review_due or date.max, d.title))
    return docs
