"""Issue 17 item 8: docs/PLAYGROUND.md followed as written, without a browser. `people.py`
writes one Agents Playground configuration per demo person whose aadObjectId policybot
recognises, and `send_draft.py` sends a real draft to a running bot the way Teams sends a file
(a file.download.info attachment at a local file server): the draft is stored and the RSM's
card carries it (NCT-6)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import yaml

from services.demo import PEOPLE, _aad
from tests.support.channel import card_of, card_text
from tests.support.drafts import realistic_docx

ROOT = Path(__file__).resolve().parents[2]


def _script(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_people_py_writes_one_playground_configuration_per_demo_person(tmp_path):
    listed = _script(str(ROOT / "docs/playground/people.py"), "--list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    for key, *_ in PEOPLE:
        assert key in listed.stdout and _aad(key) in listed.stdout
    wrote = _script(str(ROOT / "docs/playground/people.py"), "--out", "people", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    for key, name, *_ in PEOPLE:
        config = yaml.safe_load((tmp_path / "people" / key / ".m365agentsplayground.yml").read_text())
        text = str(config)
        assert _aad(key) in text and name in text  # who the Playground plays, as policybot knows them


async def test_send_draft_py_delivers_a_draft_to_a_running_bot_as_the_docs_say(bot, demo_aad, tmp_path):
    await bot.say("help", aad=demo_aad["rsm-safeguarding"], conversation="a:rsm-chat")  # the RSM has a chat
    draft = tmp_path / "PP-001-amended-with-tracked-changes.docx"
    draft.write_bytes(realistic_docx(300_000))
    done = await asyncio.to_thread(
        _script, str(ROOT / "docs/playground/send_draft.py"), "ro-1", str(draft),
        "--say", "review PP-001", "--say", "tick case 1: 1, 2, 3, 4, 5", "--text", "substantive", "--bot", bot.url, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "policybot answered HTTP 20" in done.stdout
    assert "stored as draft version 1" in done.stdout
    card = [a for a in bot.channel.in_conversation("a:rsm-chat") if card_of(a)][-1]
    words = card_text(card_of(card))
    assert "version 1, PP-001-amended-with-tracked-changes.docx" in words and "Substantive change" in words
    assert any(a["title"] == "Open the draft" for a in card_of(card)["actions"])
