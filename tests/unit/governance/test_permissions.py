"""Who may do what the processes give to one officer (NCT-1, NCT-2, NCT-3, NCT-7, DOR-1) and who acts
at a body's meetings (DOR-8, DOR-9, DOR-14), as pure rules: table-driven over the roles people hold."""

from __future__ import annotations

import pytest

from governance.permissions import (
    MEETING_OFFICERS,
    in_policy_team,
    is_meeting_officer,
    may_complete_action,
    may_give_update_plan,
    may_import_tracker,
    may_name_another_rsm,
    may_place_on_agenda,
    may_record_update_schedule,
    may_report_change_of_ro,
    may_see_drafts,
)
from tests.unit.governance.test_lifecycle import BCT, DOR, LBBD, NCT

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


DOR_BODY = DOR.bodies["ppp_group"]


@pytest.mark.parametrize(("person", "roles", "may"), [
    ("ro-1", set(), True),  # the document's RO
    ("rsm-1", set(), True),  # its RSM
    ("chair", {"chair:ppp_group"}, True),
    ("vice", {"vice_chair:ppp_group"}, True),
    ("g", {"governance_officer"}, True),
    ("p", {"ppo"}, True),
    ("ps", {"policy_service"}, True),
    ("m", {"member:ppp_group"}, False),  # a member who does not own it
    ("c", {"chair:other_body"}, False),
    ("x", {"ro"}, False),  # another document's RO
])
def test_dor_8_who_puts_a_document_on_the_groups_agenda(person, roles, may):
    """DOR-8: a document goes on the Group's agenda from its owner, a meeting officer, or the chair
    or a vice-chair of the Group; a member who does not own it cannot."""
    assert may_place_on_agenda(person, roles, ("ro-1", "rsm-1"), DOR_BODY, DOR) is may


@pytest.mark.parametrize(("person", "roles", "body", "may"), [
    ("owner", set(), DOR_BODY, True),
    ("owner", set(), None, True),  # an action of a body no longer in the preset: its owner still may
    ("chair", {"chair:ppp_group"}, DOR_BODY, True),
    ("chair", {"chair:ppp_group"}, None, True),  # Dorset's requests go to the Group's chair: a meeting officer there
    ("c", {"chair:other_body"}, None, False),
    ("vice", {"vice_chair:ppp_group"}, DOR_BODY, True),
    ("g", {"governance_officer"}, None, True),
    ("m", {"member:ppp_group"}, DOR_BODY, False),
    ("x", set(), DOR_BODY, False),
])
def test_dor_9_dor_14_who_marks_an_action_done(person, roles, body, may):
    """DOR-9's outstanding actions and DOR-14's implementation actions are marked done by their
    owner, the chair or a vice-chair, or a meeting officer."""
    assert may_complete_action(person, roles, "owner", body, DOR) is may


@pytest.mark.parametrize("preset", [NCT, BCT, LBBD, DOR])
def test_the_meeting_officers_include_whoever_receives_requests(preset):
    assert is_meeting_officer({preset.request_recipient}, preset)
    assert all(is_meeting_officer({r}, preset) for r in MEETING_OFFICERS)
    assert not is_meeting_officer({"ro", "rsm"}, preset) or preset.request_recipient in {"ro", "rsm"}


@pytest.mark.parametrize(("person", "roles", "may"), [
    ("ro-1", set(), True), ("rsm-2", set(), True),  # its owners, a joint RSM too
    ("consultee", set(), True),  # named by an open case
    ("p", {"ppo"}, True), ("ps", {"policy_service"}, True), ("g", {"governance_officer"}, True), ("q", {"head_of_qa"}, True),
    ("x", set(), False), ("y", {"ro", "rsm", "slt"}, False),  # another document's owners, SLT
    ("c", {"chair:ppp_group"}, False),
])
def test_a_documents_drafts_are_for_its_owners_its_cases_people_and_the_policy_team(person, roles, may):
    """The register's drafts: the document's RO and RSMs, the people its open cases name, and the
    policy team (who also see the questions people asked on the report page); nobody else."""
    assert may_see_drafts(person, roles, {"ro-1", "rsm-1", "rsm-2", None}, {"consultee", "requester"}) is may
    assert in_policy_team(roles) is (may and person in {"p", "ps", "g", "q"})
