"""NCT-5, NCT-7, NCT-17: the words for Review Sessions once arranged and for a new procedure's template are
read as meant, and do not take the phrasings of the commands beside them."""

from __future__ import annotations

import pytest

from dialogs.recogniser import Recogniser


@pytest.fixture(scope="module")
def recogniser():
    return Recogniser()


@pytest.mark.parametrize(
    ("said", "command", "match"),
    [
        ("review sessions", "review_sessions", {}),
        ("which review sessions are coming up?", "review_sessions", {}),
        ("what review sessions are booked", "review_sessions", {}),
        ("cancel the review session for PP-020", "cancel_review_session", {"ref": "pp-020"}),
        ("call off the joint review session on pp 14", "cancel_review_session", {"ref": "pp 14"}),
        ("move the review session for PP-020 to 21/1/27 at 10am", "move_review_session", {"when": "21/1/27 at 10am"}),
        ("reschedule the review session for PP-3 to Tuesday at 11:30", "move_review_session", {"when": "tuesday at 11:30"}),
        ("PP-047: the publisher has a template", "record_template", {}),
        ("template available for PP-047", "record_template", {}),
        ("the publisher has a template for PP-047", "record_template", {}),
        ("no template for PP-047, arrangements: Jamie drafts it by 12/2/27", "no_template_arrangements",
         {"text": "jamie drafts it by 12/2/27"}),
        # the neighbours keep their words
        ("cancel", "cancel", {}),
        ("cancel the meeting on 9 February", "cancel_meeting", {}),
        ("arrange a review session for PP-3 on 12/1/27 at 2pm", "arrange_review_session", {}),
        ("review session outcome: amend section 3 of both", "review_session_outcome", {}),
        ("we'll hold a review session for PP-014", "review_session_decision", {}),
        ("template available case 11", "decide.template_available", {}),
        ("no template case 4: Drew writes it by the end of March", "decide.no_template", {}),
        ("arrangements for PP-031: Sam drafts by 12/2/27, RSM reviews", "record_arrangements", {}),
        ("move item 3 to next month", "move_item", {}),
        ("has everybody approved PP-40 yet?", "who_signs_off", {}),
    ],
)
def test_nct_5_nct_7_nct_17_words_read_as_meant(recogniser, said, command, match):
    r = recogniser.read(said)
    assert r.command is not None and r.command.id == command, (said, r.kind, r.command and r.command.id)
    for k, v in match.items():
        assert r.match.get(k) == v
