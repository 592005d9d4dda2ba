"""Send a Word draft to a running policybot as a demo person, the way Teams sends a file (the
Playground has no upload button): this script serves the file on a local port, posts a
`file.download.info` message activity pointing at it, and prints the bot's replies. Whoever the
bot then notifies (the RSM, in the Playground if they have said anything there) gets the card
with the draft, 'Open the draft' and what changed.

    .venv/bin/python docs/playground/send_draft.py ro-1 data/samples/PP-001-amended-with-tracked-changes.docx \
        --text "case 1 substantive" [--bot http://127.0.0.1:3978]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from pathlib import Path

from aiohttp import ClientSession, web

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.demo import DEMO_TENANT, PEOPLE, _aad


async def run(args) -> int:
    names = {k: n for k, n, *_ in PEOPLE}
    if args.person not in names:
        print(f"unknown person {args.person!r}; one of: {', '.join(names)}")
        return 2
    path = Path(args.file).expanduser()
    data = path.read_bytes()
    replies: list[dict] = []

    async def file(_request: web.Request) -> web.StreamResponse:
        return web.Response(body=data, content_type="application/octet-stream")

    async def receive(request: web.Request) -> web.Response:
        replies.append(await request.json())
        return web.json_response({"id": f"local-{len(replies)}"})

    app = web.Application()
    app.router.add_get("/files/{name}", file)
    app.router.add_post("/v3/conversations/{conv}/activities/{reply}", receive)
    app.router.add_post("/v3/conversations/{conv}/activities", receive)
    app.router.add_put("/v3/conversations/{conv}/activities/{aid}", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    here = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"
    aad = _aad(args.person)
    activity = {
        "type": "message", "id": f"draft-{uuid.uuid4().hex}", "channelId": "msteams", "serviceUrl": here,
        "from": {"id": f"29:{aad}", "name": names[args.person], "aadObjectId": aad},
        "recipient": {"id": "28:policybot", "name": "policybot"},
        "conversation": {"id": f"a:send-draft-{args.person}", "conversationType": "personal", "tenantId": DEMO_TENANT},
        "channelData": {"tenant": {"id": DEMO_TENANT}}, "locale": "en-GB", "text": args.text,
        "attachments": [{"contentType": "application/vnd.microsoft.teams.file.download.info", "name": path.name,
                         "content": {"downloadUrl": f"{here}files/{path.name}", "uniqueId": str(uuid.uuid4()), "fileType": "docx"}}],
    }
    async with ClientSession() as http:
        for words in args.say:  # e.g. 'review PP-001' first, as the person would type it
            first = dict(activity, id=f"say-{uuid.uuid4().hex}", text=words, attachments=[])
            await http.post(args.bot.rstrip("/") + "/api/messages", json=first)
        resp = await http.post(args.bot.rstrip("/") + "/api/messages", json=activity)
        print(f"policybot answered HTTP {resp.status}")
    await asyncio.sleep(0.5)
    for r in replies:
        print("policybot:", r.get("summary") or r.get("text") or json.dumps(r)[:300])
    await runner.cleanup()
    return 0 if resp.status < 300 else 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("person", help="the demo person's id, e.g. ro-1 (see people.py --list)")
    ap.add_argument("file", help="the .docx to send")
    ap.add_argument("--text", default="", help="the message with it, e.g. 'case 1 substantive'")
    ap.add_argument("--bot", default="http://127.0.0.1:3978")
    ap.add_argument("--say", action="append", default=[], help="words to send first, e.g. --say 'review PP-001'")
    sys.exit(asyncio.run(run(ap.parse_args())))


if __name__ == "__main__":
    main()
