"""Who may do what the processes give to one officer (NCT-1, NCT-2, NCT-3, NCT-7, DOR-1), as pure
rules: table-driven over the roles people hold in the four presets."""

from __future__ import annotations

import pytest

from governance.permissions import (
    may_give_update_plan,
    may_import_tracker,
    may_name_another_rsm,
    may_record_update_schedule,
    may_report_change_of_ro,
)

PPO, OTHERS = {"ppo"}, [set(), {"ro"}, {"rsm"}, {"slt"}, {"head_of_qa"}, {"governance_officer"}, {"chair:ppp_group"}]


@pytest.mark.parametrize("rule", [may_record_update_schedule, may_give_update_plan, may_name_another_rsm])
def test_nct_2_nct_3_nct_7_only_the_policy_and_procedures_officer(rule):
    """NCT-2: the PPO records the update schedule; NCT-3: the PPO receives the publisher's update
    plan; NCT-7: the PPO, who coordinates several RSMs' approval, names another RSM. Nobody else."""
    assert rule(PPO) and rule(["ppo", "ro"])
    assert not any(rule(roles) for roles in OTHERS)


@pytest.mark.parametrize(("roles", "may"), [
    ({"ppo"}, True), ({"governance_officer"}, True), ({"governance_officer", "chair:ppp_group"}, True),
    (set(), False), ({"ro"}, False), ({"rsm"}, False), ({"policy_service"}, False), ({"head_of_qa"}, False),
])
def test_dor_1_the_register_keeper_imports_the_tracker(roles, may):
    """DOR-1: NCT's PPO or Dorset's governance officer imports the register of governance assets."""
    assert may_import_tracker(roles) is may


@pytest.mark.parametrize(("person", "roles", "ro", "rsms", "may"), [
    ("ro-1", set(), "ro-1", ["rsm-1"], True),  # the document's RO
    ("rsm-1", set(), "ro-1", ["rsm-1"], True),  # its RSM
    ("rsm-2", set(), "ro-1", ["rsm-1", "rsm-2"], True),  # a joint RSM (NCT-7)
    ("rsm-1", set(), None, ["rsm-1"], True),  # the RSM standing in as RO
    ("ppo-1", {"ppo"}, "ro-1", ["rsm-1"], True),  # seed 001, 2.3.2: the PPO keeps the tracker
    ("ro-2", {"ro"}, "ro-1", ["rsm-1"], False),  # another document's RO
    ("x", {"rsm"}, "ro-1", ["rsm-1"], False),  # another document's RSM
    ("x", {"slt", "head_of_qa"}, "ro-1", ["rsm-1"], False),
    ("x", set(), None, [], False),
    ("x", set(), None, ["", "rsm-1"], False),  # empty ids are nobody
])
def test_nct_1_who_reports_a_change_of_ro(person, roles, ro, rsms, may):
    """NCT-1 (seed 001, 2.3.2): the document's RO, any of its RSMs, or the PPO reports a change of
    its RO; nobody else."""
    assert may_report_change_of_ro(person, roles, ro, rsms) is may
