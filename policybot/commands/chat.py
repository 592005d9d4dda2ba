"""`policybot chat` (talk to a running bot) and `policybot demo` (serve and chat in one go)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from aiohttp import web

from bot.bootstrap import create_app
from bot.settings import Settings
from connectors.word.samples import write_samples
from policybot.chat import request_leave, run_chat
from services.demos import ORGS


def _chat(args) -> int:
    settings = Settings.from_env()
    url = args.url or f"http://{settings.host}:{settings.port}"
    return _leaving_quietly(lambda: run_chat(url, settings.database_url, args.who, args.channel))


def _leaving_quietly(make) -> int:
    """Ctrl-C or SIGTERM leaves the chat as '/quit' or the end of input does: the prompt gives up,
    everything opened is closed in order, a goodbye, status 0, no traceback. (The signals go
    through the event loop; no KeyboardInterrupt is raised at some random point.)"""
    async def main() -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, request_leave)
        return await make()

    return asyncio.run(main())


def demo_env(preset: str | None, environ: dict[str, str]) -> dict[str, str]:
    """The environment for `policybot demo --preset X`: that preset, its own demo organisation and
    name, and (unless DATABASE_URL is set) its own database file beside NCT's, so switching between
    presets never mixes two organisations in one register."""
    env = dict(environ)
    if not preset:
        return env
    env["POLICYBOT_PRESET"] = preset
    env.setdefault("POLICYBOT_DEMO_ORG", "preset")
    if preset in ORGS:
        env.setdefault("POLICYBOT_ORGANISATION", ORGS[preset].organisation)
    if not env.get("DATABASE_URL") and preset != "nct":
        data_dir = Settings.from_env(env).data_dir
        env["DATABASE_URL"] = f"sqlite:///{(data_dir / f'policybot-{preset}.db').as_posix()}"
    return env


def _demo(args) -> int:
    settings = Settings.from_env(demo_env(args.preset, dict(os.environ)))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    async def main() -> int:
        app = create_app(settings)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", args.port)
        await site.start()
        port = runner.addresses[0][1]
        print(f"policybot is running on http://127.0.0.1:{port} (database: {settings.masked()['database_url']}).")
        samples = write_samples(settings.data_dir / "samples")
        print("Sample drafts to send with /attach: " + ", ".join(str(p) for p in samples))
        try:
            return await run_chat(f"http://127.0.0.1:{port}", settings.database_url, args.who, "msteams")
        finally:
            await runner.cleanup()

    return _leaving_quietly(main)


def register(sub) -> None:
    p = sub.add_parser("chat", help="chat with a running bot in this terminal, as a channel does")
    p.add_argument("--url", default=None, help="the bot's address (default http://HOST:PORT)")
    p.add_argument("--as", dest="who", default=None, help="who you are: an id, email or name in the directory")
    p.add_argument("--channel", choices=["msteams", "email"], default="msteams")
    p.set_defaults(func=_chat)
    d = sub.add_parser("demo", help="start the bot with the demo organisation and chat with it")
    d.add_argument("--as", dest="who", default=None, help="who you are (default: choose from a list)")
    d.add_argument("--port", type=int, default=0, help="port for the bot (default: any free port)")
    d.add_argument("--preset", choices=["nct", "bct", "lbbd", "dorset"], default=None,
                   help="whose process and demo organisation (default: POLICYBOT_PRESET, else nct); see docs/presets/")
    d.set_defaults(func=_demo)
