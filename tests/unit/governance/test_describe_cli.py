"""`policybot presets` and `policybot preset show`: what a policy officer reads."""

from __future__ import annotations

import pytest

from governance.describe import describe_preset, mermaid
from governance.preset import load_preset
from policybot.cli import main


def test_presets_are_listed(capsys):
    assert main(["presets"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["bct", "dorset", "lbbd", "nct"]


def test_preset_show_prints_routes_and_diagrams(capsys):
    assert main(["preset", "show", "nct"]) == 0
    out = capsys.readouterr().out
    assert "2. RSM approval [Responsible Strategic Manager] (every Responsible Strategic Manager of the document must approve)" in out
    assert "defer to 'SLT approval'" in out
    assert "Review reminders: 30 days, 14 days, 7 days, 1 day before the review date" in out
    assert out.count("```mermaid") == 2


def test_an_unknown_preset_gets_a_clear_error(capsys):
    assert main(["preset", "show", "zzz"]) == 2
    assert "no preset called 'zzz'" in capsys.readouterr().err


@pytest.mark.parametrize("key", ["bct", "nct", "lbbd", "dorset"])
def test_every_route_has_a_diagram_with_every_stage(key):
    preset = load_preset(key)
    for route_id, route in preset.routes.items():
        diagram = mermaid(preset, route_id)
        assert diagram.startswith("flowchart TD\n")
        for stage in route.stages:
            assert f"    {stage.id}" in diagram
    text = describe_preset(preset)
    assert preset.name in text


def test_dorset_description_shows_its_calendar_and_dor_5_alternatives():
    text = describe_preset(load_preset("dorset"))
    assert "meets: Second Tuesday of each month except August and December" in text
    assert "items 10 working days before, papers 3 working days before the meeting" in text
    assert "or: Director's approval (goes to the next meeting as an information item) [Director]" in text


def test_an_organisation_overrides_its_preset_from_a_settings_file(tmp_path, monkeypatch, capsys):
    overrides = tmp_path / "our-process.yaml"
    overrides.write_text(
        "bodies:\n  ppp_group:\n    name: Children's Policy Group\n"
        "reviews:\n  reminder_offsets_days: [28, 3]\n"
        "document_types:\n  procedure: {review_months: 18}\n"
    )
    monkeypatch.setenv("POLICYBOT_PRESET", "dorset")
    monkeypatch.setenv("POLICYBOT_PRESET_OVERRIDES", str(overrides))
    assert main(["preset", "show", "mine"]) == 0
    out = capsys.readouterr().out
    assert "Body: Children's Policy Group" in out
    assert "Review reminders: 28 days, 3 days before the review date" in out


def test_a_bad_override_is_reported_with_the_files_name(tmp_path, monkeypatch, capsys):
    overrides = tmp_path / "ours.yaml"
    overrides.write_text("bodies:\n  ppp_group:\n    item_deadline: whenever\n")
    monkeypatch.setenv("POLICYBOT_PRESET", "dorset")
    monkeypatch.setenv("POLICYBOT_PRESET_OVERRIDES", str(overrides))
    assert main(["preset", "show", "mine"]) == 2
    err = capsys.readouterr().err
    assert "'whenever' is not a deadline rule" in err and "ours.yaml" in err
