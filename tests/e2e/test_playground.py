"""policybot in Microsoft 365 Agents Playground, driven in headless Chromium as a person would use it
(issue 9, item 4). Runs where Node.js, Chromium and the npm packages are installed
(.ci/install-playground.sh); skipped elsewhere with the reason."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / ".cache" / "npm" / "node_modules"
PLAYGROUND = NODE_MODULES / "@microsoft" / "m365agentsplayground" / "cli.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.playground


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    for p in started:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def test_help_card_and_a_button_in_the_agents_playground(tmp_path, processes):
    node = shutil.which("node")
    missing = [what for what, ok in (("node", node), ("chromium", Path(CHROMIUM).exists()), ("the Agents Playground", PLAYGROUND.exists()),
                                      ("playwright-core", (NODE_MODULES / "playwright-core").exists())) if not ok]
    if missing:
        pytest.skip("needs " + ", ".join(missing) + " (run .ci/install-playground.sh)")
    bot_port, play_port = _free_port(), _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "PORT": str(bot_port), "POLICYBOT_DEMO": "1",
           "POLICYBOT_SCHEDULER": "0", "LOG_LEVEL": "WARNING", "MicrosoftAppId": "", "MicrosoftAppPassword": ""}
    bot_log = tmp_path / "bot.log"
    with bot_log.open("w") as log_file:  # the child keeps its own copy of the descriptor
        processes.append(subprocess.Popen([sys.executable, "-m", "policybot.cli", "serve"], cwd=ROOT, env=env,
                                          stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True))
    _wait_http(f"http://127.0.0.1:{bot_port}/healthz", 60)
    processes.append(subprocess.Popen(
        [node, str(PLAYGROUND), "start", "-e", f"http://127.0.0.1:{bot_port}/api/messages", "-c", "msteams", "-p", str(play_port), "--dt"],
        cwd=PLAYGROUND.parent, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    ))
    _wait_http(f"http://127.0.0.1:{play_port}/", 60)
    shot = ROOT / "test-artifacts" / "playground.png"
    shot.parent.mkdir(exist_ok=True)
    run = subprocess.run(
        [node, str(ROOT / "tests" / "support" / "playground.js"), f"http://127.0.0.1:{play_port}/", str(shot), CHROMIUM],
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)}, capture_output=True, text=True, timeout=240,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the browser driver printed nothing: {run.stderr[-800:]}"
    seen = json.loads(lines[-1])
    assert seen["ok"], f"{seen}\nbot log:\n{bot_log.read_text()[-3000:]}"
    assert seen["steps"] == ["page loaded", "help card shown", "button answered"]
    assert "Children Missing from Home and Care" in seen["answer"]
    assert shot.exists() and shot.stat().st_size > 10_000
