"""Issue 22 item 8 (idle memory): what `policybot serve` holds before anyone asks it anything. The
heavy libraries only some turns need (numpy for answers, python-docx for sample drafts, icalendar
for invitations) and the migration tool (Alembic) are not loaded by the server: each is loaded
where it is first used, and `serve` migrates in a short-lived process of its own. Checked in a
fresh interpreter, on both databases (the sizes themselves are printed by bench/bench_memory.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFERRED = ("numpy", "alembic", "docx", "icalendar")

SCRIPT = """
import json, sys
import policybot.cli
policybot.cli.build_parser()  # every command module, as `policybot serve` loads them
from bot.settings import Settings
from policybot.commands.serve import prepare_database_apart
settings = Settings.from_env({"DATABASE_URL": sys.argv[1], "POLICYBOT_DATA_DIR": sys.argv[2], "LOG_LEVEL": "ERROR"})
prepare_database_apart(settings)  # the empty database is migrated, in a child process
loaded = sorted(m for m in sys.argv[3].split(",") if m in sys.modules)
import asyncio
from store.migrate import current_revisions, head_revisions
from store.uow import Store
async def revisions():
    store = Store(settings.database_url)
    try:
        return list(await current_revisions(store.engine))
    finally:
        await store.close()
print(json.dumps({"loaded": loaded, "current": sorted(asyncio.run(revisions())), "heads": sorted(head_revisions())}))
"""


def test_serve_migrates_apart_and_holds_no_heavy_library_it_does_not_need_yet(empty_db_url, tmp_path):
    """Issue 22 item 8: after the start's migration, the server process has loaded none of numpy,
    Alembic, python-docx and icalendar, and the database is at every head."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, empty_db_url, str(tmp_path), ",".join(DEFERRED)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert found["current"] == found["heads"] and found["heads"]
