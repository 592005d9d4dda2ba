"""BCT-5: a consultation closed by its deadline, by the scheduler as the 'system' actor, in one
transaction with its audit record, its notices and the agenda item it leads to."""

from __future__ import annotations

from governance import lifecycle as gl
from governance.calendar import WorkingCalendar
from services.cases.acting import _agenda_events, _notices
from services.context import Services
from services.ports import ConcurrencyConflict

SYSTEM = gl.Actor("system", frozenset({"system"}))


async def close_consultation_by_deadline(services: Services, case_id: int) -> bool:
    """BCT-5: when a consultation's deadline has passed, close it; silence is recorded as agreement.
    Done by the scheduler as the 'system' actor; False when someone got there first."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        got = await uow.cases.full(case_id)
        if got is None or got[0].status != "open":
            return False
        row, doc = got
        case = gl.case_from_dict(row.state)
        if not gl.consultation_past_deadline(preset, case, today):
            return False
        out = gl.apply(preset, case, gl.Action("close_consultation"), SYSTEM, today,
                       calendar=WorkingCalendar(preset.nation))
        try:
            row = await uow.cases.save(row, expected_version=row.version, state=gl.case_to_dict(out.case),
                                       stage=out.case.stage, status="open" if out.case.is_open else "closed",
                                       waiting_for=gl.who_must_act(preset, out.case), now=now)
        except ConcurrencyConflict:
            return False
        summary = out.case.history[-1].summary if out.case.history else "Consultation closed"
        await uow.audit.record(at=now, actor=None, entity="document", entity_id=doc.id, action="close_consultation",
                               summary=f"{summary} (case {row.id}, by the deadline)", details={"case": row.id})
        uow.notify(*await _notices(uow, preset, doc, out.case, out.events, row.id, "system"))
        uow.notify(*await _agenda_events(uow, preset, doc, row, out.case, out.events, today, now, None))
        await uow.commit()
    return True
