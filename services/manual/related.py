"""NCT-14 in conversation: "which other procedures link to PP-014?" The chapters and register
documents a change to it may affect (services/manual/impact.py), and whether the manual has ever
been synced: without it, links and chapters are unknown, and the reply says so and how to sync."""

from __future__ import annotations

from dataclasses import dataclass

from services.context import Services
from services.manual.impact import ImpactReport, affected_by_document


@dataclass(frozen=True)
class Related:
    ref: str
    synced: bool
    report: ImpactReport


async def related_to(services: Services, ref: str) -> Related:
    async with services.uow() as uow:
        chapters = await uow.manual.count()
    report = await affected_by_document(services, ref)
    return Related(ref, chapters > 0, report)
