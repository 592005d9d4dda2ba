"""What a person sees of a case: its view (stage, who it waits for, the buttons they may press,
its history), their tasks, and the cards sent to them, refreshed after each decision.

A case is read with its document and the document's owners in one query (`uow.cases.full`), and the
people its view names in one more; `views_for_people` reads many cases for many people at once
(the dispatcher renders a whole claim with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from governance import lifecycle as gl
from governance.calendar import LONDON, WorkingCalendar
from governance.dates import long_date, short_date
from governance.joint_need import group_decides, group_note
from governance.ownership import roles_on_document
from governance.preset import Preset, Stage
from services.cases.draft_changes import DraftView, latest_draft_view, latest_draft_views
from services.context import Services
from services.errors import NotFound, UnknownPerson
from services.people.identity import ChannelIdentity, resolve_person
from services.ports import CaseRecord, DocumentRecord, PersonFacts, PersonRecord
from services.register.documents import document_view
from services.updates.window import update_notes
from services.views import DocumentView

DOCUMENT_ROLES = {"ro", "rsm"}  # held per document, never as an organisation-wide role


@dataclass(frozen=True)
class CaseView:
    id: int
    version: int
    document: DocumentView
    kind: str
    stage: str
    stage_label: str
    step: str
    status: str
    waiting_for: tuple[str, ...]
    actions: tuple[gl.ActionSpec, ...]
    history: tuple[str, ...]
    open_conditions: tuple[str, ...]
    checklist: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    consult_deadline: date | None = None  # while the consultation is open
    consulted: bool = False  # the consultation has closed (a later stage)
    hidden_inputs: tuple[str, ...] = ()  # inputs this preset has no use for (the launch choice without a weekly email)
    draft: DraftView | None = None  # the draft under decision (issue 17)
    notes: tuple[tuple[str, str], ...] = ()  # (title, words) the deciders should see: NCT-8's discussion with the AD
    checklist_ticks: tuple[tuple[int, str, str | None], ...] = ()  # NCT-16: (number, item, "who, when" if ticked)
    related: tuple[tuple[int, str, str | None], ...] = ()  # NCT-14: (number, procedure and why, confirmed/dismissed)
    # issue 17 item 5: what a decider needs on the card
    requested_by: str | None = None  # a new document request: who asked, when, why, and who is affected
    requested_on: date | None = None
    reason: str | None = None
    stakeholders: str | None = None
    decide_by: date | None = None  # DECIDE_WITHIN_WORKING_DAYS UK working days after the case reached this step


# A decision is due within this many UK working days of the case reaching its step: the same span
# after which the waiting person is nudged (POLICYBOT_NUDGE_EVERY_WORKING_DAYS, 5 by default).
DECIDE_WITHIN_WORKING_DAYS = 5


def _rsm_ids(doc: DocumentRecord) -> tuple[str, ...]:
    extra = [x for x in (doc.extra or {}).get("other_rsm_ids", []) if x]
    return tuple(x for x in [doc.rsm_id, *extra] if x)


def actor_for(person: PersonRecord, doc: DocumentRecord, case: gl.Case | None) -> gl.Actor:
    """The roles a person holds for this document and case, from the directory only."""
    roles = set(person.role_names) - DOCUMENT_ROLES
    roles |= roles_on_document(person.id, doc.ro_id, _rsm_ids(doc))
    if case is not None:
        if case.requester == person.id:
            roles.add("requester")
        # Listed by name on the case: LBBD-2 a stakeholder agrees the need, BCT-3 the area lead agrees the first draft.
        for listed in ("consultee", "stakeholder", "area_lead"):
            if person.id in case.participants.get(listed, ()):
                roles.add(listed)
    return gl.Actor(person.id, frozenset(roles))


def _named_in(preset: Preset, case: gl.Case) -> set[str]:
    """The people a case's view names: those it waits for and those in its history."""
    ids = {w[7:] for w in gl.who_must_act(preset, case) if w.startswith("person:")}
    ids |= {h.person_id for h in case.history if h.person_id and h.person_id != "system"}
    return ids


def build_view(preset: Preset, row: CaseRecord, doc: DocumentRecord, person: PersonRecord | None, today: date,
               people: Mapping[str, PersonFacts], draft: DraftView | None = None) -> CaseView:
    """The case as `person` sees it (None: as nobody in particular); `people` holds whom it names."""
    case = gl.case_from_dict(row.state)
    route = preset.routes[case.route]
    stage = route.stage(case.stage)
    actor = actor_for(person, doc, case) if person else gl.Actor("", frozenset())
    waiting = []
    for w in gl.who_must_act(preset, case):
        if w.startswith("person:"):
            p = people.get(w[7:])
            waiting.append(p.name if p else w[7:])
        else:
            waiting.append(preset.role_label(w))
    names = {"system": "policybot", **{pid: p.name for pid, p in people.items()}}
    request = (doc.extra or {}).get("request") or {} if case.kind == "new_document" else {}
    return CaseView(
        id=row.id, version=row.version, document=document_view(doc), kind=case.kind, stage=case.stage,
        stage_label=_stage_label(stage, case), step=case.step, status=case.status, waiting_for=tuple(waiting),
        actions=tuple(gl.available_actions(preset, case, actor, today)),
        history=tuple(f"{short_date(h.on)} {names.get(h.person_id, h.person_id)}: {h.summary}" for h in case.history),
        open_conditions=tuple(c.text for c in case.conditions if not c.met),
        checklist=preset.checklist if stage.kind == "draft" and case.kind != "new_document" else (),
        triggers=preset.review_triggers, draft=draft,
        # issue 19 item 9: a closed consultation's date is not shown as current on later stages
        consult_deadline=case.consult_deadline if stage.kind == "consult" else None,
        consulted=case.consult_deadline is not None and stage.kind != "consult",
        hidden_inputs=() if "weekly_published" in preset.digests else ("launch_planned",),
        notes=_escalation_notes(route, case) + _checklist_reason(case) + update_notes(case) + _nct_notes(case, names)
        + ((group_note(preset, stage),) if case.is_open and group_decides(preset, case, stage) else ()),  # DOR-2
        related=tuple((int(x["n"]), f"{x['ref'] + ' ' if x.get('ref') else ''}{x['title']} ({x['why']})", x.get("decision"))
                      for x in case.notes.get("related") or ()),
        checklist_ticks=tuple((i, item, f"{names.get(t['by'], t['by'])}, {short_date(date.fromisoformat(t['on']))}" if t else None)
                              for i, item, t in gl.checklist_state(preset, case)) if case.kind != "new_document" else (),
        requested_by=names.get(request.get("requested_by") or case.requester or "") if request else None,
        requested_on=_iso_date(request.get("requested_on")), reason=request.get("reason"),
        stakeholders=request.get("stakeholders"), decide_by=_decide_by(preset, row, case, waiting),
    )


def _checklist_reason(case: gl.Case) -> tuple[tuple[str, str], ...]:
    reason = case.notes.get("checklist_reason")
    return (("Checklist items not applicable", reason),) if reason else ()


def _nct_notes(case: gl.Case, names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """What NCT's process recorded beside the steps: the Review Session (NCT-5, NCT-7), a draft held back
    (NCT-16), a new procedure's template or arrangements (NCT-17)."""
    n = case.notes
    out: list[tuple[str, str]] = []
    decided = n.get("review_session")
    if decided:
        out.append(("Review Session (NCT-5)", ("to be held" + (", with the PPO's help" if decided.get("ppo_help") else ""))
                    if decided.get("held") else "not needed"))
    if n.get("session") and n["session"].get("cancelled"):
        out.append(("Review Session", f"the one on {n['session'].get('when')} was cancelled"))
    if n.get("session") and not n["session"].get("cancelled"):
        s = n["session"]
        out.append(("Review Session arranged", f"{s.get('when')}: {', '.join(s.get('refs') or ())}"
                    + (f"; outcome: {s['outcome']}" if s.get("outcome") else "")))
    elif n.get("joint_session_needed"):
        out.append(("Joint Review Session (NCT-7)", "needed: this procedure covers several services; the PPO arranges it"))
    if n.get("held_draft"):
        out.append(("Draft held back (NCT-16)", f"version {n['held_draft'].get('number')}: waiting for the checklist, or why not"))
    if n.get("related") is not None and not n.get("related_synced"):
        out.append(("Related procedures (NCT-14)", "the manual has never been synced: chapters that link here are not known"))
    new = n.get("new_procedure")
    if new and new.get("template"):  # its deadline moves on with Route 1's (NCT-4): the update block has it
        deadline = (n.get("update") or {}).get("deadline", new.get("next_deadline"))
        out.append(("New procedure (NCT-17)", "the publisher's template: Route 1, for the update deadline "
                    + (long_date(date.fromisoformat(deadline)) if deadline else "not yet recorded")))
    elif new:
        out.append(("New procedure (NCT-17)", f"no template; arrangements: {new.get('arrangements')} "
                    f"(due {long_date(date.fromisoformat(new['due']))})"))
    return tuple(out)


def _stage_label(stage: Stage, case: gl.Case) -> str:
    if case.step == "submitted":  # NCT-10: submitted is not yet published
        on = next((h.on for h in reversed(case.history) if h.action == "submit_to_publisher"), None)
        return f"Submitted to the publisher on {short_date(on)}; waiting for the edition it appears in"
    return stage.label


def _escalation_notes(route: Any, case: gl.Case) -> tuple[tuple[str, str], ...]:
    """Why a case went to the higher body, as its deciders see it (NCT-8: the RSM's discussion
    with their Assistant Director)."""
    out = []
    for d in case.decisions:
        if d.decision in ("defer", "refer") and d.note:
            stage = route.stage(d.stage)
            out.append((stage.escalate_note or ("Why it was deferred" if d.decision == "defer" else "Why it was referred"), d.note))
    return tuple(out)


def _iso_date(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _decide_by(preset: Preset, row: CaseRecord, case: gl.Case, waiting: list[str]) -> date | None:
    """When the step the case waits at is due, in UK working days of the organisation's nation."""
    if not case.is_open or not waiting or row.updated_at is None:
        return None
    since = row.updated_at.astimezone(LONDON).date()
    return WorkingCalendar(preset.nation).add_working_days(since, DECIDE_WITHIN_WORKING_DAYS)


async def _people(uow: Any, ids: Iterable[str]) -> dict[str, PersonRecord]:
    ids = set(ids)
    return {p.id: p for p in await uow.people.many(ids)} if ids else {}


async def view_in(uow: Any, preset: Preset, row: CaseRecord, doc: DocumentRecord, person: PersonRecord | None,
                  today: date) -> CaseView:
    """The view of one case inside the caller's unit of work (one query for the people it names)."""
    return build_view(preset, row, doc, person, today, await _people(uow, _named_in(preset, gl.case_from_dict(row.state))),
                      await latest_draft_view(uow, row))


async def views_for_people(uow: Any, preset: Preset, wanted: Iterable[tuple[str, int]], today: date,
                           read: dict[int, tuple[CaseRecord, DocumentRecord]] | None = None) -> dict[tuple[str, int], CaseView]:
    """{(person id, case id): view} for many at once: one query for the cases with their documents
    (none when the caller has just `read` them, by case id), one for the people (the viewers and
    everyone the views name)."""
    wanted = set(wanted)
    if not wanted:
        return {}
    found: dict[int, tuple[CaseRecord, DocumentRecord]] = read if read is not None else {
        row.id: (row, doc) for row, doc in await uow.cases.full_many({c for _, c in wanted})}
    ids = {p for p, c in wanted if c in found}
    for row, _doc in found.values():
        ids |= _named_in(preset, gl.case_from_dict(row.state))
    people = await _people(uow, ids)
    drafts = await latest_draft_views(uow, found)
    return {(p, c): build_view(preset, *found[c], people.get(p), today, people, drafts[c]) for p, c in wanted if c in found}


async def _case(uow: Any, case_id: int) -> tuple[CaseRecord, DocumentRecord]:
    got = await uow.cases.full(case_id)
    if got is None:
        raise NotFound(f"There is no case {case_id}.")
    result: tuple[CaseRecord, DocumentRecord] = got
    return result


async def case_view(services: Services, ident: ChannelIdentity, case_id: int) -> CaseView:
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
        row, doc = await _case(uow, case_id)
        return await view_in(uow, services.preset, row, doc, person, services.clock.today())


async def case_view_for_person(services: Services, person_id: str, case_id: int) -> CaseView:
    """A case as one named person sees it (for notices sent to them)."""
    async with services.uow() as uow:
        person = await uow.people.get(person_id)
        row, doc = await _case(uow, case_id)
        return await view_in(uow, services.preset, row, doc, person, services.clock.today())


async def my_tasks(services: Services, ident: ChannelIdentity) -> list[CaseView]:
    """The open cases waiting for this person, with the buttons they may press."""
    preset, today = services.preset, services.clock.today()
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
        if person is None:
            raise UnknownPerson("I don't know who you are yet, so I can't record decisions for you. "
                                "Ask your Policy and Procedures Officer to add you to policybot's directory.")
        mine = []
        for row, doc in await uow.due.cases_waiting_on(person.id, person.role_names):  # a few of the open cases
            actor = actor_for(person, doc, gl.case_from_dict(row.state))
            waiting = set(row.waiting_for)
            if f"person:{person.id}" in waiting or waiting & actor.roles:
                mine.append((row, doc))
        views = await views_for_people(uow, preset, {(person.id, row.id) for row, _ in mine}, today,
                                       read={row.id: (row, doc) for row, doc in mine})
        return [views[(person.id, row.id)] for row, _ in mine]


async def record_sent_card(services: Services, ident: ChannelIdentity, *, case_id: int, channel_id: str,
                           conversation_id: str, activity_id: str, service_url: str, case_version: int) -> bool:
    """Remember a case card shown to the person the channel vouches for, so it can be refreshed after
    the next decision (one transaction). False when they are not in the directory."""
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
        if person is None:
            return False
        await uow.cases.record_card(case_id=case_id, person_id=person.id, channel_id=channel_id, conversation_id=conversation_id,
                                    activity_id=activity_id, service_url=service_url, case_version=case_version,
                                    sent_at=services.clock.now(), stale=0)
        await uow.commit()
    return True


@dataclass(frozen=True)
class CardToRefresh:
    """A copy of a case card older than the case, and the fresh view that replaces it."""

    card_id: int
    channel_id: str
    conversation_id: str
    activity_id: str
    service_url: str
    view: CaseView


async def stale_cards_in(uow: Any, preset: Preset, row: CaseRecord, doc: DocumentRecord,
                         today: date) -> list[CardToRefresh]:
    """Inside the caller's transaction: every copy of the case's card older than the case, with a
    fresh view for its person, recorded as refreshed to the case's version (one statement). A copy
    that then cannot be replaced still refuses stale clicks (the button carries its version), and
    the next decision replaces it."""
    cards = [c for c in await uow.cases.cards_for(row.id) if c.case_version < row.version]
    if not cards:
        return []
    named = _named_in(preset, gl.case_from_dict(row.state))
    people = await _people(uow, named | {c.person_id for c in cards if c.person_id})
    draft = await latest_draft_view(uow, row)
    await uow.cases.cards_refreshed([c.id for c in cards], row.version)
    return [CardToRefresh(c.id, c.channel_id, c.conversation_id, c.activity_id, c.service_url,
                          build_view(preset, row, doc, people.get(c.person_id) if c.person_id else None, today, people, draft))
            for c in cards]


async def cards_to_refresh(services: Services, case_id: int) -> list[CardToRefresh]:
    """Every copy of a case card older than the case, so no stale button stays on anyone's screen;
    read and recorded as refreshed in one transaction (see stale_cards_in)."""
    async with services.uow() as uow:
        got = await uow.cases.full(case_id)
        if got is None:
            return []
        row, doc = got
        out = await stale_cards_in(uow, services.preset, row, doc, services.clock.today())
        await uow.commit()
        return out
