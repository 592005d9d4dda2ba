"""The decision card a person decides from (issue 17, items 3, 5 and 7): the draft, what changed by
section (five shown, then a count), the kind of change, one full stop, readable conditions."""

from __future__ import annotations

from render.cards import example_cards
from tests.support.channel import card_text


def test_the_decision_card_carries_the_draft_and_what_changed_by_section():
    card = example_cards()["case_decision_with_draft"]
    words = card_text(card)
    assert "version 2, amended.docx (3 MB), sent by Alex Example on 20 November 2026" in words
    assert "Substantive change" in words
    assert "4 insertions, 2 deletions, 1 comment in sections 3 and 5" in words
    shown = [line for line in words.splitlines() if line.startswith(("• Inserted", "• Deleted", "• Comment"))]
    assert len(shown) == 5 and "and 2 more" in words
    titles = [a["title"] for a in card["actions"]]
    assert "Open the draft" in titles and "Compare with version 1" in titles


def test_no_double_full_stop_after_free_text_and_conditions_are_not_low_contrast_yellow():
    card = example_cards()["case_decision_with_draft"]
    words = card_text(card)
    assert "add the timescale." in words and "timescale.." not in words
    conditions = next(b for b in card["body"] if "Conditions to meet" in b.get("text", ""))
    assert conditions.get("color") != "Warning"


def test_the_comparison_reads_as_a_summary_by_section():
    words = card_text(example_cards()["draft_comparison"])
    assert "NCT-001 version 1 to 2: 4 insertions, 2 deletions, 1 comment in sections 3 and 5." in words
