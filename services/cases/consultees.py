"""Who a case consults and who in the service area acts on it, from the directory (BCT-3, BCT-4, BCT-8).

The route's consultation stage names its consultees: a role (BCT-4: the Director Leadership Group's
attendees, `member:dlg`; BCT-8: the Directors and ADs group for an overarching policy), or
`service_area` (BCT-8: the Assistant Director and Heads of Service of the document's practice area
only, never every AD). An organisation that has not given anyone that role consults its consultees,
as before. The service-area lead (the AD of the document's area) agrees the first draft, and the
area's Heads of Service see it first (BCT-3); for a single-service procedure the AD of that area is
the only AD who may sign it off (BCT-8).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from governance.preset import Preset, Route
from services.ports import DocumentRecord

AREA_ROLES = ("area_lead", "area_team", "ad")  # listed on the case: _people_for reads them from it


def _in_area(people: Iterable[Any], area: str | None) -> list[str]:
    want = (area or "").strip().lower()
    return [p.id for p in people if want and (p.service_area or "").strip().lower() == want and getattr(p, "active", True)]


async def case_people(uow: Any, preset: Preset, route: Route, doc: DocumentRecord, rsm: list[str],
                      named: Iterable[str] = (), leave_out: str | None = None) -> dict[str, list[str]]:
    """The case's participants: its RSMs, its consultees, and (BCT-3, BCT-8) the service area's lead,
    Heads of Service and, for an area-scoped sign-off, its Assistant Director."""
    consult = next((s for s in route.stages if s.kind == "consult"), None)
    who = consult.by if consult is not None and consult.by else "consultee"
    ads = _in_area(await uow.people.with_role("ad"), doc.service_area)
    team = _in_area(await uow.people.with_role("hos"), doc.service_area)
    if who == "service_area":
        found = [p for p in ads + team if p != doc.ro_id]  # the area consults on its owner's draft
    else:
        found = [p.id for p in await uow.people.with_role(who)] if who != "consultee" else []
    if not found:
        found = [p.id for p in await uow.people.with_role("consultee")]
    consultees = [c for c in dict.fromkeys([*named, *found]) if c != leave_out]
    out: dict[str, list[str]] = {"rsm": list(rsm), "consultee": consultees}
    if any(s.by == "area_lead" for s in route.stages) and ads:
        out["area_lead"] = ads[:1]
        out["area_team"] = [p for p in team if p not in (leave_out, doc.ro_id)]
    if who == "service_area" and ads and any(s.by == "ad" for s in route.stages):
        out["ad"] = ads
    return out
