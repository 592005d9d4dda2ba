"""Starting and stopping the real processes (issue 22, items 4 and 5): a start that cannot work says
why in one sentence and exits non-zero; SIGTERM and SIGINT let a turn in flight finish, release the
scheduler's lease and exit 0; end of input in `policybot chat` and `policybot demo` says goodbye
and exits 0. No traceback in any of them."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, UTC

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from store.outbox_models import SchedulerLease
from store.uow import Store
from tests.support.bot import BOT_ID

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYBOT_", "Microsoft", "DATABASE_URL"))}
    env.update({"PYTHONPATH": ROOT, "LOG_LEVEL": "WARNING", "POLICYBOT_DEMO": "1"})
    env.update(extra)
    return env


APP_ID = "6f1c0a52-3c1e-4b7e-9d0f-2a7d5e0c9b11"


def _run(args: list[str], env: dict, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policybot.cli", *args], env=env, cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("extra, status, words", [
    ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/policybot"}, 1, "cannot reach the database at"),
    ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/no_such_policybot_db"}, 1, "does not exist"),
    ({"MicrosoftAppType": "Sometimes"}, 2, "MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI"),
    ({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s3cret~value", "MicrosoftAppType": "SingleTenant"}, 2,
     "MicrosoftAppTenantId is required"),
    ({"MicrosoftAppId": APP_ID}, 2, "MicrosoftAppPassword (the client secret of the bot's Entra app registration) is required"),
    ({"MicrosoftAppId": "policybot", "MicrosoftAppPassword": "s3cret~value"}, 2,
     "MicrosoftAppId must be the bot's Entra application (client) id"),
    ({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "<your secret here>"}, 2,
     "MicrosoftAppPassword must be the client secret's value"),
    ({"PORT": "99999"}, 2, "PORT must be a port number"),
])
def test_a_start_that_cannot_work_says_why_in_one_sentence(tmp_path, extra, status, words):
    done = _run(["serve"], _env(POLICYBOT_DATA_DIR=str(tmp_path), **extra), timeout=60)
    assert done.returncode == status
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("policybot: ") and words in lines[0], done.stderr


class SlowChannel:
    """A channel whose reply endpoint takes a while, so a turn is in flight when the signal comes."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.replies: list[dict] = []
        self.started = asyncio.Event()

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conv}/activities/{reply}", self._reply)
        app.router.add_post("/v3/conversations/{conv}/activities", self._reply)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"  # noqa: SLF001

    async def _reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("type") == "typing":  # the bot showing it is busy, not a reply
            return web.json_response({"id": "typing"})
        self.started.set()
        await asyncio.sleep(self.delay)
        self.replies.append(body)
        return web.json_response({"id": f"r-{len(self.replies)}"})


async def _wait_healthy(url: str, proc: subprocess.Popen, within: float = 60) -> None:
    end = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < end:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                async with http.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("the bot did not become healthy")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_lets_the_turn_in_flight_finish_releases_the_lease_and_exits_0(db_url, demo_aad, sig, tmp_path):
    channel = SlowChannel(delay=2.0)
    service_url = await channel.start()
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+")  # noqa: ASYNC230 - test set-up, before anything runs
    proc = subprocess.Popen(  # noqa: ASYNC220 - started once; the test then waits on it off the loop
        [sys.executable, "-m", "policybot.cli", "serve", "--port", str(port)],
                            env=_env(DATABASE_URL=db_url, POLICYBOT_SCHEDULER="1"), cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(url, proc)
        act = {"type": "message", "id": "in-signal", "channelId": "msteams", "serviceUrl": service_url, "text": "help",
               "from": {"id": "29:x", "name": "R O", "aadObjectId": demo_aad["ro-1"]}, "recipient": {"id": BOT_ID},
               "conversation": {"id": "a:signal", "conversationType": "personal"}}
        async with aiohttp.ClientSession() as http:
            posting = asyncio.ensure_future(http.post(url + "/api/messages", json=act))
            await asyncio.wait_for(channel.started.wait(), 30)  # the turn is now waiting on the channel
            proc.send_signal(sig)
            resp = await asyncio.wait_for(posting, 30)
            assert resp.status == 201
            resp.release()
        code = await asyncio.to_thread(proc.wait, 30)
    finally:
        if proc.poll() is None:
            proc.kill()
            log.close()
        await channel.runner.cleanup()
    log.seek(0)
    output = log.read()
    log.close()
    assert code == 0, output
    assert "Traceback" not in output
    # The scheduler may also send a due reminder to the chat it has just learned; the turn's own reply is the one answering it.
    answers = [r for r in channel.replies if r.get("replyToId") == "in-signal"]
    assert len(answers) == 1 and "WHAT I CAN DO" in str(answers[0]).upper()
    store = Store(db_url)
    try:
        async with store.sessionmaker() as s:
            lease = (await s.execute(select(SchedulerLease))).scalar_one()
        assert lease.expires_at < datetime.now(UTC)  # released, not left to lapse
    finally:
        await store.close()


@pytest.mark.parametrize("typed", ["", "1\n", "1\nhelp\n"])
def test_end_of_input_in_the_demo_says_goodbye_and_exits_0(tmp_path, typed):
    done = _run(["demo"], _env(POLICYBOT_DATA_DIR=str(tmp_path)), stdin=typed)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("Goodbye.")
    if "help" in typed:
        assert "WHAT I CAN DO" in done.stdout.upper()


def test_end_of_input_in_policybot_chat_says_goodbye_and_exits_0(tmp_path):
    env = _env(POLICYBOT_DATA_DIR=str(tmp_path))
    assert _run(["demo"], env).returncode == 0  # makes the demo organisation's database
    done = _run(["chat", "--url", "http://127.0.0.1:9", "--as", "ro-1"], env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("Goodbye.")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
async def test_ctrl_c_or_sigterm_in_the_demo_says_goodbye_and_exits_0(tmp_path, sig):
    proc = subprocess.Popen([sys.executable, "-m", "policybot.cli", "demo"],  # noqa: ASYNC220 - as above env=_env(POLICYBOT_DATA_DIR=str(tmp_path)),
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out = ""
        end = time.monotonic() + 90
        while "Who are you?" not in out and time.monotonic() < end:
            line = await asyncio.to_thread(proc.stdout.readline)
            if not line:
                break
            out += line
        assert "Who are you?" in out
        await asyncio.sleep(0.5)
        proc.send_signal(sig)
        rest, err = await asyncio.to_thread(proc.communicate, None, 30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in rest + err
    assert rest.rstrip().endswith("Goodbye.")
