"""`policybot mail check`: prove each step of docs/EMAIL.md against the tenant, one line each, and
say in one sentence what is wrong. `policybot mail status`: the incoming mail's state."""

from __future__ import annotations

import asyncio
import secrets
import sys
from dataclasses import dataclass
from email.message import EmailMessage

import aiohttp

from bot.bootstrap import graph_mailbox, opened
from bot.settings import Settings
from connectors.graph_mail import GraphMailbox, GraphMailError
from connectors.mail import BASIC_AUTH_ENDS, is_exchange_online
from store.mail_repo import MailInRepo


@dataclass
class Step:
    name: str
    ok: bool
    say: str  # what was proved, or the one sentence on what is wrong


async def _try(name: str, coro, fix) -> Step:
    try:
        detail = await coro
        return Step(name, True, detail or "")
    except GraphMailError as exc:
        return Step(name, False, fix(exc))


def _who(settings: Settings) -> str:
    return settings.policy_mailbox


async def check(settings: Settings, *, other_mailbox: str | None = None, send_to: str | None = None,
                mailbox: GraphMailbox | None = None) -> list[Step]:
    """Each step of the set-up, in order; later steps are skipped when an earlier one fails."""
    steps: list[Step] = []
    mb = _who(settings)
    secret = settings.graph_client_secret or settings.app_password
    client = settings.graph_client_id or settings.app_id
    tenant = settings.graph_tenant_id or settings.app_tenant_id
    if not (client and secret and tenant):
        missing = [n for n, v in (("MicrosoftAppId or POLICYBOT_GRAPH_CLIENT_ID", client),
                                  ("GRAPH_CLIENT_SECRET", secret), ("MicrosoftAppTenantId", tenant)) if not v]
        steps.append(Step("settings", False, f"Set {', '.join(missing)}: the app registration of docs/EMAIL.md step 1."))
        return steps
    steps.append(Step("settings", True, f"app {client} in tenant {tenant}, mailbox {mb}, mail in: {settings.mail_in}, "
                                        f"mail out: {settings.mail_transport}"))
    if settings.mail_transport == "smtp" and settings.smtp_auth in ("basic", "auto") and settings.smtp_username \
            and is_exchange_online(settings.smtp_host):
        steps.append(Step("smtp", False, f"SMTP with a password stops working in Exchange Online at {BASIC_AUTH_ENDS}: "
                                         "set POLICYBOT_MAIL_TRANSPORT=graph (or SMTP_AUTH=xoauth2)."))
    graph = mailbox or graph_mailbox(settings)
    try:
        token = await _try("token", _token(graph), lambda e: (
            f"The app could not sign in ({e}): check the client id, the secret (not expired) and the tenant id."))
        steps.append(token)
        if not token.ok:
            return steps

        def access(perm: str):
            return lambda e: (f"The app may not {perm} {mb} (Graph said {e.status} {e.code}): grant it with "
                              f"Exchange RBAC for Applications as docs/EMAIL.md step 3 says, and give it up to an hour."
                              if e.status in (401, 403) else f"Graph answered {e.status} {e.code} for {mb}: {e}")

        read = await _try("read", _read(graph), access("read the mail of"))
        steps.append(read)
        if not read.ok:
            return steps
        steps.append(await _try("folder", _folder(graph, settings.mail_processed_folder), access("make folders and move mail in")))
        steps.append(await _try("sent items", _sent(graph), access("read the Sent Items of")))
        if other_mailbox:
            steps.append(await _scoped(graph, other_mailbox))
        if send_to:
            steps.append(await _try("send", _send(graph, send_to), access("send as")))
        if settings.mail_in == "graph":
            steps.append(await _endpoint(settings.mail_notification_url))
        elif settings.mail_in == "graph-delta":
            steps.append(Step("notifications", True, "off (POLICYBOT_MAIL_IN=graph-delta): the inbox is read every "
                                                     f"{settings.mail_sweep_seconds:g} s"))
    finally:
        if mailbox is None:
            await graph.close()
    return steps


async def _token(graph: GraphMailbox) -> str:
    await graph.token()
    return "an app-only token from Microsoft Entra ID"


async def _read(graph: GraphMailbox) -> str:
    page = await graph.delta(None)
    return f"the inbox can be read (delta query: {len(page.messages)} message(s) on the first page)"


async def _folder(graph: GraphMailbox, name: str) -> str:
    await graph.folder_id(name)
    return f"processed mail is moved to the folder '{name}'"


async def _sent(graph: GraphMailbox) -> str:
    await graph.in_sent_items(f"<policybot-check-{secrets.token_hex(4)}@check>")
    return "Sent Items can be searched (no reminder is sent twice after a crash)"


async def _send(graph: GraphMailbox, to: str) -> str:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = graph.mailbox, to, "policybot mail check"
    msg.set_content("This message proves policybot can send from the policy mailbox. Nothing to do.")
    await graph.send_mime(msg.as_bytes())
    return f"a test message was sent to {to}"


async def _scoped(graph: GraphMailbox, other: str) -> Step:
    try:
        await graph.call("GET", f"{graph.base}/users/{other}/mailFolders/inbox?$select=id", label="GET other mailbox")
    except GraphMailError as exc:
        if exc.status in (401, 403, 404):
            return Step("scope", True, f"the app cannot read {other}: it is scoped to the policy mailbox")
        return Step("scope", False, f"Reading {other} answered {exc.status}: {exc}")
    return Step("scope", False, f"The app can read {other} too: scope it to the policy mailbox with a management "
                                "scope (docs/EMAIL.md step 3), not an Application Access Policy.")


async def _endpoint(url: str) -> Step:
    token = f"policybot-check-{secrets.token_hex(8)}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(url, params={"validationToken": token}, timeout=aiohttp.ClientTimeout(total=10)) as resp:
                text = await resp.text()
                if resp.status == 200 and resp.content_type == "text/plain" and text == token:
                    return Step("notifications", True, f"{url} answers Graph's validation handshake")
                return Step("notifications", False, f"{url} answered {resp.status} {resp.content_type}, not the "
                                                    "validation token as text/plain: is it policybot's /api/graph/notifications?")
    except (TimeoutError, aiohttp.ClientError) as exc:
        return Step("notifications", False, f"Graph could not reach {url} ({type(exc).__name__}): it must be a public "
                                            "https address of this bot, answering within 10 seconds.")


def _check(args) -> int:
    settings = Settings.from_env()
    steps = asyncio.run(check(settings, other_mailbox=args.other_mailbox, send_to=args.send_to))
    for s in steps:
        print(f"{'ok ' if s.ok else 'NO '} {s.name}: {s.say}")
    bad = [s for s in steps if not s.ok]
    print("Everything checked is in place." if not bad else f"{len(bad)} step(s) to put right.", file=sys.stderr if bad else sys.stdout)
    return 1 if bad else 0


def _status(args) -> int:
    async def run() -> int:
        async with opened() as runtime:
            async with runtime.services.uow() as uow:
                counts = await MailInRepo(uow.session).counts()
                delta = await uow.kv.get("mailin:delta") or {}
                sub = await uow.kv.get("mailin:subscription") or {}
        print("incoming mail: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none yet"))
        print(f"last delta sweep: {delta.get('at') or 'never'}")
        print(f"subscription: {sub.get('id') or 'none'}" + (f", until {sub.get('expires')}" if sub.get("expires") else ""))
        return 0

    return asyncio.run(run())


def register(sub) -> None:
    p = sub.add_parser("mail", help="the policy mailbox through Microsoft Graph: check the set-up, see the state")
    msub = p.add_subparsers(dest="mail_command", metavar="WHAT", required=True)
    c = msub.add_parser("check", help="prove each set-up step of docs/EMAIL.md against the tenant")
    c.add_argument("--other-mailbox", help="a mailbox the app must NOT be able to read (proves the RBAC scope)")
    c.add_argument("--send-to", help="also send a test message to this address")
    c.set_defaults(func=_check)
    s = msub.add_parser("status", help="incoming mail handled, the last sweep, the subscription")
    s.set_defaults(func=_status)
