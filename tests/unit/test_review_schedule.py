"""DOR-3: the review schedule agreed at approval; the document type's interval is the default (issue 19 item 7)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from governance.review_schedule import agreed_interval
from governance.case_model import Decision


@dataclasses.dataclass
class _Case:
    decisions: tuple


@pytest.mark.parametrize("note, months", [
    ("review in 6 months", 6), ("4 for, 3 against, review in 18 months", 18), ("Review every 24 months please", 24),
    ("review schedule: 9 months", 9), ("approved", None), (None, None), ("review in 0 months", None),
])
def test_dor_3_review_schedule_agreed_with_the_approval(note, months):
    case = _Case((Decision("group_decision", "ppo-chair", "approve", date(2027, 1, 12), note),))
    got = agreed_interval(case)
    assert (got.months if got else None) == months
