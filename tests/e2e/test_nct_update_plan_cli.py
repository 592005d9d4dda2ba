"""NCT-2, NCT-3 from the command line: `policybot updates add` takes the deadlines in any UK date form
(several at once, as people write them), `updates list` shows them, and `updates plan FILE` previews the
publisher's update plan given as a real Word table (every row accounted for), then `--apply` opens the
scheduled-update cases once. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
from unittest import mock

from bot.bootstrap import opened
from policybot.cli import main
from services.demo import ensure_demo
from tests.support.update_plan import plan_docx, plan_rows


async def _cli(argv, env) -> int:
    with mock.patch.dict(os.environ, env):
        return await asyncio.to_thread(main, argv)


async def test_nct_2_nct_3_deadlines_and_the_update_plan_from_the_command_line(db_url, tmp_path, capsys):
    env = {"DATABASE_URL": db_url, "POLICYBOT_PRESET": "nct", "POLICYBOT_DEMO": "1", "POLICYBOT_SCHEDULER": "0",
           "POLICYBOT_CLOCK": "2026-11-23T10:00", "POLICYBOT_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    with mock.patch.dict(os.environ, env):
        async with opened() as runtime:  # the demo organisation's register, as `policybot serve` loads it
            assert await ensure_demo(runtime.services)
    assert await _cli(["updates", "add", "5th March 2027", "and", "3/9/27"], env) == 0
    out = capsys.readouterr().out
    assert "Done: the update deadlines are Friday 5 March 2027 and Friday 3 September 2027." in out
    assert "I've sent the schedule to" in out
    assert await _cli(["updates", "add", "31st of Febtober"], env) == 2
    assert "Sorry, I couldn't read '31st of Febtober' as a deadline" in capsys.readouterr().err
    assert await _cli(["updates", "list"], env) == 0
    assert "Update deadlines: Friday 5 March 2027, Friday 3 September 2027." in capsys.readouterr().out

    plan = tmp_path / "Tri.x update plan.docx"
    plan.write_bytes(plan_docx(plan_rows()))
    assert await _cli(["updates", "plan", str(plan)], env) == 0
    out = capsys.readouterr().out
    assert "rows; 5 local procedures affected;" in out and "For the update deadline Friday 5 March 2027" in out
    assert "  PP-021 Leaving Care and Transition to Adulthood (RO Charlie Vance; 1 amendment, matched by reference)" in out
    assert "... and" not in out and "the table, row 3: 1.1 Secure Accommodation (1.1)" in out  # every unmatched row listed
    assert "Run it again with --apply to open 5 scheduled-update cases." in out

    assert await _cli(["updates", "plan", str(plan), "--apply"], env) == 0
    assert "is applied for the Friday 5 March 2027 deadline: 5 scheduled-update cases opened" in capsys.readouterr().out
    assert await _cli(["updates", "plan", str(plan), "--apply"], env) == 2
    assert "was applied on Monday 23 November 2026" in capsys.readouterr().err
    assert await _cli(["updates", "plan", str(tmp_path / "missing.xlsx")], env) == 2
