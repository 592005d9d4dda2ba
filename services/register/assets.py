"""Forms, templates, system screens and training that documents govern (DOR-1, DOR-14).

Linking an asset to the document that governs it means a change to that document lists the assets
to update: `assets_to_update("PP-001")`, shown in the document's status and when work starts on it.
"""

from __future__ import annotations

import re

from services.context import Services
from services.errors import BadInput, NotFound
from services.people.identity import find_person
from services.views import AssetView
from services.work import AssetRow, DocumentRow, PersonRow, Work

KINDS = ("form", "template", "system", "training", "leaflet", "other")


def asset_view(asset: AssetRow, owner: PersonRow | None = None, note: str | None = None) -> AssetView:
    return AssetView(ref=asset.ref, kind=asset.kind, title=asset.title, location=asset.location,
                     owner=owner.name if owner else None, note=note)


async def _doc(uow: Work, ref: str) -> DocumentRow:
    doc = await uow.documents.by_ref(ref)
    if doc is None:
        raise NotFound(f"I can't find a document with the reference {ref.strip()!r}.")
    return doc


async def save_asset(services: Services, ref: str, title: str, *, kind: str = "form", location: str | None = None,
                     owner: str | None = None) -> AssetView:
    """Add an asset to the register, or update the one with that reference."""
    ref = re.sub(r"\s+", "", ref or "").upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9._/-]{0,31}", ref):
        raise BadInput("An asset needs a short reference of letters, digits and dashes, e.g. FORM-12.")
    if not (title or "").strip():
        raise BadInput("An asset needs a title, e.g. 'Return home interview form'.")
    kind = (kind or "form").strip().lower()
    if kind not in KINDS:
        raise BadInput(f"'{kind}' is not a kind of asset I know: {', '.join(KINDS)}.")
    now = services.clock.now()
    async with services.uow() as uow:
        repo = uow.register
        person = None
        if owner:
            person = await find_person(uow, owner)
            if person is None:
                raise NotFound(f"I can't find '{owner}' in the directory.")
        asset = await repo.asset_by_ref(ref)
        if asset is None:
            asset = await repo.add_asset(ref=ref, kind=kind, title=title.strip(), location=location,
                                         owner_id=person.id if person else None, extra={}, created_at=now, updated_at=now)
            action, summary = "asset_added", f"Asset {ref} {asset.title} ({kind}) added to the register"
        else:
            asset = await repo.update_asset(asset.id, kind=kind, title=title.strip(), location=location or asset.location,
                                            owner_id=person.id if person else asset.owner_id, updated_at=now)
            action, summary = "asset_updated", f"Asset {ref} {asset.title} ({kind}) updated"
        await uow.audit.record(at=now, actor=None, entity="asset", entity_id=asset.id, action=action, summary=summary)
        view = asset_view(asset, person or (await uow.people.get(asset.owner_id) if asset.owner_id else None))
        await uow.commit()
    return view


async def link_asset(services: Services, asset_ref: str, doc_ref: str, *, note: str | None = None,
                     unlink: bool = False) -> bool:
    """DOR-14: the document governs the asset. Returns False when nothing needed doing."""
    now = services.clock.now()
    async with services.uow() as uow:
        repo = uow.register
        asset = await repo.asset_by_ref(asset_ref)
        if asset is None:
            raise NotFound(f"There is no asset {asset_ref.strip().upper()!r}. Add it first with 'policybot asset add'.")
        doc = await _doc(uow, doc_ref)
        if unlink:
            done = await repo.unlink(asset.id, doc.id)
            summary = f"{asset.ref} {asset.title} is no longer governed by this document"
        else:
            done = await repo.link(asset.id, doc.id, note, now) is not None
            summary = f"{asset.ref} {asset.title} ({asset.kind}) is governed by this document (DOR-14)"
        if done:
            await uow.audit.record(at=now, actor=None, entity="document", entity_id=doc.id,
                                   action="asset_unlinked" if unlink else "asset_linked", summary=summary, reason=note)
            await uow.commit()
    result: bool = done
    return result


async def assets_to_update(uow: Work, doc_ref: str) -> list[AssetView]:
    """DOR-14: the forms and other assets to check when this document changes."""
    doc = await _doc(uow, doc_ref)
    out = []
    for asset, link in await uow.register.assets_for_document(doc.id):
        owner = await uow.people.get(asset.owner_id) if asset.owner_id else None
        out.append(asset_view(asset, owner, link.note))
    return out


async def all_assets(services: Services) -> list[tuple[AssetView, tuple[str, ...]]]:
    """Every asset with the references of the documents that govern it."""
    async with services.uow() as uow:
        repo = uow.register
        out = []
        for a in await repo.all_assets():
            owner = await uow.people.get(a.owner_id) if a.owner_id else None
            out.append((asset_view(a, owner), tuple(d.ref for d in await repo.documents_for_asset(a.id))))
    return out
