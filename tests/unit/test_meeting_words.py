"""What chairs type about meetings, read the way they meant it (DOR-7, DOR-9, DOR-10, DOR-11). Pure."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.intents import recognise
from dialogs.meeting_words import item_and_section, parse_actions, parse_attendance
from services.errors import BadInput


@pytest.mark.parametrize(("said", "name", "arg", "detail"), [
    ("Add a one-off meeting on 14 January for PPG.", "add_meeting", "", "ppg|14 January"),
    ("schedule a meeting on 14/01/2027", "add_meeting", "", "|14/01/2027"),
    ("Cancel the meeting on 9 February", "cancel_meeting", "", "|9 February"),
    ("move item 3 to position 1", "reorder_item", "3", "|1"),
    ("Put item 4 first for PPG", "reorder_item", "4", "ppg|first"),
    ("move item 3 to next month", "move_item", "3", "|"),
    ("Add item: Ofsted's Framework under horizon scanning", "add_item", "", "|Ofsted's Framework under horizon scanning"),
    ("attendance for PPG: Sasha Okonkwo present", "attendance", "", "ppg|Sasha Okonkwo present"),
    ("Issue the minutes", "issue_minutes", "", "|"),
    ("issue the minutes for PPG with action: Fix It for Rowan Feld", "issue_minutes", "", "ppg|action: Fix It for Rowan Feld"),
    ("What's on the forward plan for DLG?", "forward_plan", "", "dlg|"),
    ("cancel", "cancel", "", ""),
])
def test_meeting_phrases_are_recognised_whole(said, name, arg, detail):
    got = recognise(said)
    assert (got.name, got.arg, got.detail) == (name, arg, detail)


def test_dor11_attendance_words():
    assert parse_attendance("Sasha Okonkwo present, Casey Lindqvist was absent; Jordan Whitfield sent Deputy Head of Service, "
                            "Morgan Reyes sent apologies, Rowan Feld sent a delegate") == {
        "Sasha Okonkwo": ("present", None), "Casey Lindqvist": ("absent", None),
        "Jordan Whitfield": ("delegate", "Deputy Head of Service"), "Morgan Reyes": ("absent", None),
        "Rowan Feld": ("delegate", None)}
    with pytest.raises(BadInput, match="I couldn't read 'Sasha maybe'"):
        parse_attendance("Sasha maybe")
    with pytest.raises(BadInput, match="Who attended"):
        parse_attendance(" , ")


def test_dor10_action_words():
    today = date(2027, 2, 9)
    assert parse_actions("action: Update the leaflet for foster carers for Rowan Feld by 1 March; "
                         "action: Check links for Quinn Marsh", today) == [
        ("Update the leaflet for foster carers", "Rowan Feld", date(2027, 3, 1)), ("Check links", "Quinn Marsh", None)]
    assert parse_actions("", today) == []
    with pytest.raises(BadInput, match="say what it is and who it is for"):
        parse_actions("action: tidy up", today)
    with pytest.raises(BadInput, match="has a date I can't read"):
        parse_actions("action: tidy up for Rowan Feld by Smarch", today)


def test_dor9_item_sections():
    assert item_and_section("Ofsted framework under horizon scanning") == ("Ofsted framework", "horizon")
    assert item_and_section("LADO leaflet under information items.") == ("LADO leaflet", "information")
    assert item_and_section("Draft protocol in new proposals") == ("Draft protocol", "new")
    assert item_and_section("Something else") == ("Something else", "horizon")
