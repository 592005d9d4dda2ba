"""Who may do the things the processes give to one officer, outside a case's steps. Pure: a person's
roles (and, where the document matters, its owners) in, yes or no out.

- NCT-2  the manual's update schedule is agreed in advance and sent to everyone: the Policy and
         Procedures Officer records it.
- NCT-3  the PPO receives the publisher's update plan.
- NCT-7  with several RSMs the PPO coordinates approval, so the PPO names another RSM.
- NCT-1  a change of RO is reported by the document's RO (or the RSM standing in), one of its RSMs,
         or the PPO (seed 001, 2.3.2: RSMs "inform the Policy and Procedures Officer of changes in
         RO personnel so that the ... Tracker can be updated").
- DOR-1  the register of governance assets (the tracker) is imported by NCT's PPO or Dorset's
         governance officer.
- The register's drafts are seen by a document's owners (its RO and RSMs), the people its open
  cases name, and the policy team, who look after every document's drafts.
- DOR-8, DOR-9  a body's meetings: the policy officers (and whoever receives requests in the preset)
         act for the chair; a document goes on the agenda from its owner, an officer or the chair
         (or a vice-chair); an action is marked done by its owner, the chair (or a vice-chair) or an
         officer. (Who chairs a given meeting, a vice-chair deputising for an absent chair, reads
         the attendance and stays in services/meetings/common.py.)

Each is a set of roles and a predicate, as governance/reminders.py declares who may pause reminders.
"""

from __future__ import annotations

from collections.abc import Iterable

from governance.preset import Body, Preset

UPDATE_SCHEDULE_KEEPERS = frozenset({"ppo"})  # NCT-2
UPDATE_PLAN_RECEIVERS = frozenset({"ppo"})  # NCT-3
RSM_COORDINATORS = frozenset({"ppo"})  # NCT-7
RO_CHANGE_REPORTERS = frozenset({"ppo"})  # NCT-1, seed 001 2.3.2: besides the document's own RO and RSMs
TRACKER_IMPORTERS = frozenset({"ppo", "governance_officer"})  # NCT's PPO; Dorset's governance officer (DOR-1)
POLICY_TEAM = frozenset({"ppo", "policy_service", "governance_officer", "head_of_qa"})  # look after every document's drafts
MEETING_OFFICERS = ("ppo", "governance_officer", "policy_service")  # act for a body's chair; sent the periodic reports


def _holds(roles: Iterable[str], allowed: frozenset[str]) -> bool:
    return bool(allowed & set(roles))


def may_record_update_schedule(roles: Iterable[str]) -> bool:
    """NCT-2: the PPO records the manual's update schedule."""
    return _holds(roles, UPDATE_SCHEDULE_KEEPERS)


def may_give_update_plan(roles: Iterable[str]) -> bool:
    """NCT-3: the PPO receives the publisher's update plan."""
    return _holds(roles, UPDATE_PLAN_RECEIVERS)


def may_name_another_rsm(roles: Iterable[str]) -> bool:
    """NCT-7: the PPO, who coordinates approval by several RSMs, names another RSM."""
    return _holds(roles, RSM_COORDINATORS)


def may_report_change_of_ro(person_id: str, roles: Iterable[str], ro_id: str | None, rsm_ids: Iterable[str]) -> bool:
    """NCT-1: the document's RO (the first RSM standing in where none is named), any of its RSMs, or
    the PPO reports a change of its RO. `rsm_ids` are the document's RSMs, the first its own."""
    rsms = tuple(x for x in rsm_ids if x)
    current = ro_id or (rsms[0] if rsms else None)
    return person_id == current or person_id in rsms or _holds(roles, RO_CHANGE_REPORTERS)


def may_import_tracker(roles: Iterable[str]) -> bool:
    """DOR-1 (and NCT's tracker): the officer who keeps the register imports it."""
    return _holds(roles, TRACKER_IMPORTERS)


def is_meeting_officer(roles: Iterable[str], preset: Preset) -> bool:
    """A policy officer, or whoever receives the preset's requests: acts for a body's chair."""
    return _holds(roles, frozenset({*MEETING_OFFICERS, preset.request_recipient}))


def _chairs(roles: Iterable[str], body: Body | None) -> bool:
    return body is not None and _holds(roles, frozenset({body.chair_role, body.vice_chair_role}))


def may_place_on_agenda(person_id: str, roles: Iterable[str], owner_ids: Iterable[str | None], body: Body, preset: Preset) -> bool:
    """DOR-8: a document goes on a body's agenda from its owner (RO or RSM), a meeting officer, or
    the body's chair or vice-chair."""
    return is_meeting_officer(roles, preset) or person_id in set(owner_ids) or _chairs(roles, body)


def may_complete_action(person_id: str, roles: Iterable[str], owner_id: str, body: Body | None, preset: Preset) -> bool:
    """DOR-9 (outstanding actions), DOR-10, DOR-14: an action is marked done by its owner, the chair or a
    vice-chair of its body, or a meeting officer."""
    return person_id == owner_id or _chairs(roles, body) or is_meeting_officer(roles, preset)


def in_policy_team(roles: Iterable[str]) -> bool:
    """The organisation-wide roles that look after every document's drafts (and see the questions
    people asked, on the report page)."""
    return _holds(roles, POLICY_TEAM)


def may_see_drafts(person_id: str, roles: Iterable[str], owner_ids: Iterable[str | None], case_people: Iterable[str]) -> bool:
    """A document's drafts are for its owners (RO and RSMs), the people its open cases name
    (requester, consultees, participants, those it waits on) and the policy team."""
    return person_id in set(owner_ids) or person_id in set(case_people) or in_policy_team(roles)
