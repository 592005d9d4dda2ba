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

Each is a set of roles and a predicate, as governance/reminders.py declares who may pause reminders.
"""

from __future__ import annotations

from collections.abc import Iterable

UPDATE_SCHEDULE_KEEPERS = frozenset({"ppo"})  # NCT-2
UPDATE_PLAN_RECEIVERS = frozenset({"ppo"})  # NCT-3
RSM_COORDINATORS = frozenset({"ppo"})  # NCT-7
RO_CHANGE_REPORTERS = frozenset({"ppo"})  # NCT-1, seed 001 2.3.2: besides the document's own RO and RSMs
TRACKER_IMPORTERS = frozenset({"ppo", "governance_officer"})  # NCT's PPO; Dorset's governance officer (DOR-1)


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
