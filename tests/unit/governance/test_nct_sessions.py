"""NCT-5, NCT-7: who may arrange, move or cancel a Review Session (governance/nct_sessions.py)."""

from __future__ import annotations

import pytest

from governance.nct_sessions import may_arrange_session


@pytest.mark.parametrize(
    ("person", "roles", "owners", "may"),
    [
        ("ppo", {"ppo"}, ["ro-1", "ro-2"], True),  # NCT-7: the PPO coordinates a joint session across services
        ("ppo", {"ppo", "ro"}, [], True),
        ("ro-1", {"ro"}, ["ro-1"], True),  # NCT-5: the RO decides on a session for their own procedure
        ("ro-1", {"ro"}, ["ro-1", "ro-1"], True),
        ("ro-1", {"ro"}, ["ro-1", "ro-2"], False),  # not for another RO's procedure
        ("ro-1", {"ro"}, ["ro-2"], False),
        ("rsm-1", {"rsm"}, ["rsm-1"], True),  # NCT-1: the RSM is the RO where none is named
        ("rsm-1", {"rsm"}, [None], False),
        ("ro-1", {"ro"}, [], False),
        ("slt-1", {"slt"}, ["ro-1"], False),
    ],
)
def test_nct_5_nct_7_who_may_arrange_move_or_cancel_a_review_session(person, roles, owners, may):
    assert may_arrange_session(person, roles, owners) is may
