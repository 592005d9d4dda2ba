"""`policybot chat` (talk to a running bot) and `policybot demo` (serve and chat in one go)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.bootstrap import create_app
from bot.settings import Settings
from connectors.word.samples import write_samples
from policybot.chat import run_chat


def _chat(args) -> int:
    settings = Settings.from_env()
    url = args.url or f"http://{settings.host}:{settings.port}"
    return asyncio.run(run_chat(url, settings.database_url, args.who, args.channel))


def _demo(args) -> int:
    settings = Settings.from_env()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    async def main() -> int:
        app = create_app(settings)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", args.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
        print(f"policybot is running on http://127.0.0.1:{port} (database: {settings.masked()['database_url']}).")
        samples = write_samples(settings.data_dir / "samples")
        print("Sample drafts to send with /attach: " + ", ".join(str(p) for p in samples))
        try:
            return await run_chat(f"http://127.0.0.1:{port}", settings.database_url, args.who, "msteams")
        finally:
            await runner.cleanup()

    return asyncio.run(main())


def register(sub) -> None:
    p = sub.add_parser("chat", help="chat with a running bot in this terminal, as a channel does")
    p.add_argument("--url", default=None, help="the bot's address (default http://HOST:PORT)")
    p.add_argument("--as", dest="who", default=None, help="who you are: an id, email or name in the directory")
    p.add_argument("--channel", choices=["msteams", "email"], default="msteams")
    p.set_defaults(func=_chat)
    d = sub.add_parser("demo", help="start the bot with the demo organisation and chat with it")
    d.add_argument("--as", dest="who", default=None, help="who you are (default: choose from a list)")
    d.add_argument("--port", type=int, default=0, help="port for the bot (default: any free port)")
    d.set_defaults(func=_demo)
