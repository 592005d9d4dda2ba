"""Register use cases: find documents, show one with its history, list a person's documents."""

from __future__ import annotations


from datetime import date

from services.errors import NotFound
from services.register.assets import assets_to_update
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
    )


async def document_detail(uow: Work, ref: str) -> DocumentDetail:
    doc = await uow.documents.by_ref(ref)
    if doc is None:
        raise NotFound(f"I can't find a document with the reference {ref.strip()!r}. Try 'find' and a few words from its title.")
    entries = await uow.audit.for_entity("document", doc.id)
    history = tuple(
        HistoryLine(at=e.at, who=e.actor_name or "policybot", action=e.action, summary=e.summary, reason=e.reason)
        for e in entries
    )
    return DocumentDetail(document=document_view(doc), history=history, assets=tuple(await assets_to_update(uow, doc.ref)))


async def my_documents(uow: Work, person_id: str, today: date) -> list[DocumentView]:
    """What a person owns (RO) or signs off (RSM): overdue first, then by review date."""
    docs = [document_view(d) for d in await uow.documents.owned_or_signed_off_by(person_id)]
    order = {"overdue": 0, "due_soon": 1, "ok": 2, "none": 3}
    docs.sort(key=lambda d: (order[d.review_state(today)], d.next_review_due or date.max, d.title))
    return docs
