"""Outcomes (DOR-4, BCT-7, DOR-5): the chair records each item's outcome, which flows into its case."""

from __future__ import annotations


from governance import lifecycle as gl
from governance import meetings as gm
from governance.errors import MissingInformation, NotAllowed
from governance.preset import Body, Preset
from governance.votes import read_votes
from services.cases.lifecycle import act_in
from services.context import Services
from services.delivery.notices import daily
from services.meetings import texts
from services.meetings.agendas import agenda_view, as_chair
from services.meetings.common import Result, document_owner, meeting_day, raised
from services.meetings.placing import place_item
from services.meetings.views import (
    AgendaView,
    ItemView,
)
from services.people.identity import ChannelIdentity
from services.ports import Notice
from services.work import AgendaItemRow, MeetingRow, Work

# ------------------------------------------------------------------ outcomes (DOR-4, BCT-7, DOR-5)


def parse_votes(text: str | None) -> tuple[int, int] | None:
    for_, against = read_votes(text)
    return (for_, against) if for_ is not None and against is not None else None


async def outcome_choices(services: Services, ident: ChannelIdentity, number: int, body_name: str | None = None) -> tuple[AgendaView, ItemView, tuple[str, ...]]:
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    async with services.uow() as uow:
        chair = await as_chair(uow, preset, ident, body_name, today, now, current=True)
        body, view = chair.body, chair.view
        item = chair.item(number)
        decisions = await stage_decisions(uow, preset, body, item)
        choices = []
        for o in gm.OUTCOMES:
            try:
                gm.outcome_effect(o, item.kind, body, decisions, votes=(1, 0), note="x")
                choices.append(o)
            except (NotAllowed, MissingInformation):
                continue
        await uow.commit()
    return view, item, tuple(choices)


async def stage_decisions(uow: Work, preset: Preset, body: Body, item: AgendaItemRow | ItemView) -> tuple[str, ...]:
    case_id = getattr(item, "case_id", None)
    if case_id is None and hasattr(item, "id"):
        row = await uow.meetings.item(item.id)
        case_id = row.case_id if row else None
    if case_id is None:
        return ()
    case_row = await uow.cases.get(case_id)
    if case_row is None or case_row.status != "open":
        return ()
    case = gl.case_from_dict(case_row.state)
    stage = preset.routes[case.route].stage(case.stage)
    if stage.body != body.id or case.step != "awaiting":
        return ()
    if stage.kind == "agree_need":
        return ("approve", "not_approved")  # DOR-2: the Group agrees (or not) the need before drafting
    return stage.decisions


async def record_outcome(services: Services, ident: ChannelIdentity, number: int, outcome: str, note: str | None = None,
                         *, votes: tuple[int, int] | None = None, body_name: str | None = None) -> Result:
    """The chair (or a vice-chair deputising) records item N's outcome; it flows into the case."""
    preset = services.preset
    today, now = services.clock.today(), services.clock.now()
    note = (note or "").strip() or None
    outcome = gm.parse_outcome(outcome)
    async with services.uow() as uow:
        def not_before_the_meeting(body: Body, meeting: MeetingRow) -> None:
            if meeting_day(meeting) > today:
                raise NotAllowed(f"The {body.name} meets on {texts.day(meeting_day(meeting))}: "
                                 "outcomes are recorded at or after the meeting.")

        chair = await as_chair(uow, preset, ident, body_name, today, now, current=True, before_view=not_before_the_meeting)
        person, body, meeting, deputy_roles = chair.person, chair.body, chair.meeting, chair.deputy_roles
        on = meeting_day(meeting)
        item_view = chair.item(number)
        item = await uow.meetings.item(item_view.id)
        assert item is not None, "an item on the chair's agenda view is in the meeting"
        if item.outcome:
            raise NotAllowed(f"Item {number} already has its outcome: {gm.OUTCOMES[item.outcome].lower()}.")
        decisions = await stage_decisions(uow, preset, body, item)
        effect = gm.outcome_effect(outcome, item.kind, body, decisions, votes=votes, note=note)
        notices: list[Notice] = []  # those of the case were raised by act_in; the rest are raised below
        ours: list[Notice] = []
        case_row = await uow.cases.get(item.case_id) if item.case_id else None
        doc = await uow.documents.get(item.document_id) if item.document_id else None
        flowed = ""
        if effect.lifecycle_decision and case_row is not None and decisions:
            data: dict[str, object] = {"for": votes[0], "against": votes[1]} if votes and outcome == "approved_by_vote" else {}
            data["meeting"] = meeting.id  # DOR-2: the Group's recorded outcome, not the chair alone
            assert doc is not None, "an agenda item with a case names its document"
            summary, case_notices, doc, case_row = await act_in(
                uow, preset, person, case_row, doc, effect.lifecycle_decision, text=note, data=data, today=today, now=now,
                extra_roles=deputy_roles, audit_details={"meeting": meeting.id, "item": item.id})
            notices += case_notices
            flowed = f" Case {case_row.id}: {summary}."
        elif effect.lifecycle_decision and case_row is not None:
            flowed = f" Case {case_row.id} is not waiting for the {body.name}'s decision, so only the outcome is recorded."
        item = await uow.meetings.update_item(item.id, outcome=outcome, outcome_note=note, recorded_by=person.id, recorded_at=now)
        entry = await uow.meetings.plan_entry_for_item(item.id)
        if outcome == "deferred":
            p = await place_item(uow, preset, body, doc=doc, case_id=item.case_id, kind=item.kind, today=today, now=now,
                             actor=person, after=on, title=item.title, carried_from=item)
            ours += p.notices
            flowed = " " + texts.placement_text(p)
        elif entry is not None:
            await uow.meetings.update_plan_entry(entry.id, status="decided")
        if effect.to_higher_body and case_row is None:
            # No case to carry the referral: the document still goes onto the higher body's plan (BCT-7).
            p = await place_item(uow, preset, preset.bodies[effect.to_higher_body], doc=doc, case_id=None, kind=item.kind,
                             today=today, now=now, actor=person, referred_from=body.id, title=item.title)
            ours += p.notices
        if effect.to_higher_body:
            flowed += f" It goes onto the forward plan of the {preset.bodies[effect.to_higher_body].name}."
        deputy = " (deputising for the chair)" if deputy_roles else ""
        msg = f"Item {number}, {item.title}: {effect.label.lower()}" + (f": {note}" if note else "") + f"{deputy}.{flowed}"
        await uow.audit.record(at=now, actor=person, entity="meeting", entity_id=meeting.id, action="outcome_recorded",
                               summary=msg, reason=note, details={"item": item.id, "outcome": outcome, "votes": list(votes) if votes else None})
        owner = document_owner(doc)
        if owner and owner != person.id and not any(n.person_id == owner for n in [*notices, *ours]):
            ours.append(daily(owner, f"{effect.label}: {item.title}", msg))
        notices += raised(uow, ours, today)
        await uow.commit()
        new_view = await agenda_view(uow, preset, body, meeting, today)
    return Result(msg, tuple(notices), new_view)
