"""Presets: loading, validation with file and line, overrides, and the round trip."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.calendar import parse_deadline_rule
from governance.errors import PresetError
from governance.preset import dump_preset, list_presets, load_preset, load_preset_text

KEYS = ["bct", "nct", "lbbd", "dorset"]
MA_TYPES = {"policy", "strategy", "procedure", "protocol", "practice_guidance", "pathway", "practice_standards"}


def test_every_preset_is_listed_and_loads():
    assert [k for k, _ in list_presets()] == sorted(KEYS)
    for key in KEYS:
        p = load_preset(key)
        assert p.key == key and p.routes


@pytest.mark.parametrize("key", KEYS)
def test_ma_1_the_multi_agency_types_are_available_to_every_preset(key):
    types = load_preset(key).document_types
    assert MA_TYPES <= set(types)
    assert "implementation plan" in types["strategy"].description
    assert "two or more parties" in types["protocol"].description


@pytest.mark.parametrize("key", KEYS)
def test_a_preset_written_out_and_loaded_again_is_the_same(key):
    p = load_preset(key)
    assert load_preset_text(dump_preset(p), f"{key}.yaml") == p


@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from(KEYS),
    offsets=st.lists(st.integers(0, 90), min_size=1, max_size=5),
    months=st.integers(1, 36),
)
def test_overridden_presets_round_trip_too(key, offsets, months):
    overrides = {
        "reviews": {"reminder_offsets_days": offsets},
        "document_types": {"procedure": {"review_months": months, "review_latest_months": months}},
    }
    p = load_preset(key, overrides)
    assert p.reminder_offsets == tuple(sorted(set(offsets), reverse=True))
    assert p.document_types["procedure"].review.months == months
    assert load_preset_text(dump_preset(p), f"{key}.yaml") == p


def test_an_organisation_overrides_body_names_and_meeting_calendars_without_code():
    p = load_preset("dorset", {"bodies": {"ppp_group": {"name": "Policy Group", "meetings": {"rule": "FREQ=MONTHLY;BYDAY=+1WE", "from": "2027-01-01"}}}})
    body = p.bodies["ppp_group"]
    assert body.name == "Policy Group"
    assert body.meeting.next_meeting(date(2027, 2, 1)) == date(2027, 2, 3)
    assert body.item_deadline == parse_deadline_rule("10 working days before")  # untouched settings stay


def test_dor_7_and_dor_8_the_dorset_group_calendar_and_deadlines():
    body = load_preset("dorset").bodies["ppp_group"]
    assert body.meeting.describe() == "Second Tuesday of each month except August and December"
    assert str(body.item_deadline) == "10 working days before"
    assert str(body.papers_deadline) == "3 working days before"


def test_bct_10_and_lbbd_11_review_intervals():
    """BCT-10 names the documents: bespoke Trix chapters six-monthly, Trust Practice Guidance yearly;
    other procedures are not on the Trix cycle (issue 19 item 4)."""
    bct = load_preset("bct")
    assert bct.review_interval("procedure", "Twice-yearly review of Trix main chapters").months == 6
    assert bct.review_interval("practice_guidance", "Practice guidance").months == 12
    assert bct.review_interval("procedure", "Procedure for an area of practice") is None
    lbbd = load_preset("lbbd").document_types["procedure"].review
    assert (lbbd.months, lbbd.latest_months) == (12, 18)


def test_dor_12_escalation_two_months_overdue_to_head_of_qa():
    assert load_preset("dorset").escalation_steps == ((2, "head_of_qa"),)


def test_nct_2_and_nct_4_update_cycle():
    cycle = load_preset("nct").update_cycle
    assert (cycle.per_year, cycle.review_weeks, cycle.next_update_months) == (2, 6, 8)


def test_nct_16_five_point_checklist_and_nct_12_statement():
    p = load_preset("nct")
    assert len(p.checklist) == 5
    assert p.no_change_statement.format(name="Missing Children procedure") == (
        "The Missing Children procedure has been reviewed and no changes are required."
    )


def test_presets_name_roles_never_people():
    for key in KEYS:
        text = dump_preset(load_preset(key))
        assert "@" not in text and "Cllr" not in text and "Worby" not in text


GOOD = """\
key: test
name: Test
roles:
  ppo: {label: PPO}
document_types:
  procedure: {label: Procedure}
request:
  recipient: ppo
reviews:
  reminder_offsets_days: [7]
routes:
  main:
    label: Main
    for: [new_document]
    stages:
      - {id: draft, kind: draft, label: Draft, by: ro}
      - {id: sign, kind: sign_off, label: Sign, by: rsm}
      - {id: pub, kind: publish, label: Publish, by: ppo}
"""


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_a_good_small_preset_loads():
    assert load_preset_text(GOOD, "test.yaml").routes["main"].stages[1].by == "rsm"


@pytest.mark.parametrize(
    "text, line, fault",
    [
        (_broken("by: rsm}", "by: rsmm}"), 17, "unknown role 'rsmm'"),
        (_broken("      - {id: pub, kind: publish, label: Publish, by: ppo}\n", ""), 15, "cannot finish: it has no publish stage"),
        (_broken("  recipient: ppo", "  recipient: chief"), 8, "unknown role 'chief'"),
        (_broken("kind: sign_off, label: Sign, by: rsm}", "kind: sign_off, label: Sign, by: rsm, escalate_to: draft}"), 17, "goes backwards"),
        (_broken("kind: sign_off, label: Sign, by: rsm}", "kind: sign_off, label: Sign, by: rsm, escalate_to: nowhere}"), 17, "unknown stage 'nowhere'"),
        (_broken("kind: draft,", "kind: drafting,"), 16, "unknown stage kind 'drafting'"),
        (_broken("for: [new_document]", "for: [new_thing]"), 14, "unknown kind of work 'new_thing'"),
        (_broken("reminder_offsets_days: [7]", "reminder_offsets_days: [seven]"), 10, "reminder offsets must be whole numbers"),
        (GOOD + "bodies:\n  g: {name: G, item_deadline: ten days before}\n", 20, "'ten days before' is not a deadline rule"),
        (GOOD + "bodies:\n  g: {name: G, meetings: {rule: 'FREQ=SOMETIMES', from: 2026-01-01}}\n", 20, "not a valid recurrence rule"),
        (GOOD + "colour: blue\n", 19, "unknown setting 'colour'"),
        ("key: [unclosed\n", 2, "not valid YAML"),
    ],
)
def test_a_broken_preset_fails_naming_the_file_and_line(text, line, fault):
    with pytest.raises(PresetError) as err:
        load_preset_text(text, "test.yaml")
    assert err.value.file == "test.yaml"
    assert fault in err.value.fault
    assert err.value.line == line, str(err.value)
    assert str(err.value).startswith(f"test.yaml, line {line}: ")


def test_an_unknown_preset_is_named():
    with pytest.raises(PresetError, match="no preset called 'xyz'.*bct, dorset, lbbd, nct"):
        load_preset("xyz")
