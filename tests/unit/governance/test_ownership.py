"""NCT-1 as a pure rule: which processes have Responsible Strategic Managers who act (sign off, or
check the conditions of a sign-off). Only NCT's; elsewhere 'rsm' is merely the built-in role."""

from __future__ import annotations

import pytest

from governance.ownership import uses_rsm
from tests.unit.governance.test_lifecycle import BCT, DOR, LBBD, NCT


@pytest.mark.parametrize(("preset", "uses"), [(NCT, True), (BCT, False), (LBBD, False), (DOR, False)])
def test_nct_1_only_a_process_whose_stages_the_rsm_decides_uses_rsms(preset, uses):
    assert uses_rsm(preset) is uses
