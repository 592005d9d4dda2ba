"""DOR-4: a vote typed as people type it is read; what is missing is said exactly (issue 19 item 7)."""

from __future__ import annotations

import pytest

from governance.errors import MissingInformation
from governance.votes import read_votes, votes_needed


@pytest.mark.parametrize("typed, votes", [
    ("6-2", (6, 2)), ("6 to 2", (6, 2)), ("approved by vote 6-2", (6, 2)), ("item 3 approved 5:1", (5, 1)),
    ("4 for, 3 against", (4, 3)), ("4 for and 3 against", (4, 3)), ("7 votes for, 1 against", (7, 1)),
    ("four in favour and three opposed", (4, 3)), ("for 4 against 3", (4, 3)), ("for: 5, against: 2", (5, 2)),
    ("8 for, none against", (8, 0)), ("6 for", (6, None)), ("2 against", (None, 2)), ("carried", (None, None)),
])
def test_dor_4_votes_as_typed(typed, votes):
    assert read_votes(typed) == votes


@pytest.mark.parametrize("typed, said", [
    ("6 for", "I have 6 for; how many voted against?"),
    ("2 against", "I have 2 against; how many voted for?"),
    ("carried", "Please give the votes for and against, for example '4 for, 3 against'."),
])
def test_dor_4_what_is_missing_is_said_exactly(typed, said):
    with pytest.raises(MissingInformation) as exc:
        votes_needed(typed)
    assert said in str(exc.value)
