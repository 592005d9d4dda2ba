"""The policy mailbox through Microsoft Graph (issue 21), in and out, against a stand-in for
Graph served over HTTPS and shaped like the real API, with the real app over HTTP, on SQLite and
PostgreSQL: requests and decisions by mail, forged senders, crashes, outages and resends."""

from __future__ import annotations

import asyncio
import base64 as b64
import logging
import socket
from datetime import datetime

import aiohttp
import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import func, select

from bot.app import BOT_KEY, DISPATCHER_KEY, RUNTIME_KEY
from bot.bootstrap import create_app, mail_transport
from bot.mail_in import MAIL_IN_KEY, MailIn
from connectors.mail import ExchangePacer, message_id
from policybot.commands.mail import check
from services.clock import LONDON
from services.mailin.reading import as_decision, new_text
from services.ports import Email, TransientSendError
from store.case_models import Case
from store.mail_repo import MailInRepo
from store.models import AuditEntry, Person
from store.outbox_models import OutboxMessage
from connectors.word.samples import tracked_docx
from tests.support.cases import review_ticked
from tests.support.bot import RunningBot, settings_for
from tests.support.graph import CLIENT_ID, CLIENT_SECRET, TENANT, MailGraphServer

MAILBOX = "policies@example.org"
RO, RSM = "alex.dunmore@example.org", "morgan.reyes@example.org"


class PowerCut(BaseException):
    """The process stops here (not an error the code could catch and carry on from)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailBot(RunningBot):
    """The app on a known port, so the subscription's notification address is known beforehand."""

    def __init__(self, settings, clock, port: int) -> None:
        super().__init__(settings, clock)
        self.port = port

    async def start(self) -> MailBot:
        await self.channel.start()
        self.app = create_app(self.settings, clock=self.clock)
        self.runner = web.AppRunner(self.app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = aiohttp.ClientSession()
        return self

    @property
    def mail_in(self) -> MailIn:
        return self.app[MAIL_IN_KEY]

    @property
    def store(self):
        return self.app[RUNTIME_KEY].store


def mail_env(graph: MailGraphServer, port: int, mode: str = "graph", **more: str) -> dict[str, str]:
    return dict(
        POLICYBOT_MAIL_IN=mode, POLICYBOT_MAIL_TRANSPORT="graph", POLICYBOT_MAIL_FROM=MAILBOX,
        POLICYBOT_MAIL_NOTIFICATION_URL=f"http://127.0.0.1:{port}/api/graph/notifications",
        POLICYBOT_GRAPH_CLIENT_ID=CLIENT_ID, GRAPH_CLIENT_SECRET=CLIENT_SECRET, POLICYBOT_GRAPH_TENANT_ID=TENANT,
        AUTHORITY_HOST=graph.url, GRAPH_BASE_URL=graph.url + "/v1.0", REQUESTS_CA_BUNDLE=graph.ca_file.name,
        POLICYBOT_MAIL_SWEEP_SECONDS="3600", **more)


def mail_settings(db_url: str, graph: MailGraphServer, port: int, mode: str = "graph", **more: str):
    return settings_for(db_url, **mail_env(graph, port, mode, **more))


@pytest.fixture
async def graph(monkeypatch, clock):
    server = await MailGraphServer(MAILBOX).start()
    server.now = clock.now
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file.name)  # msal's requests trusts the stand-in
    yield server
    await server.stop()


@pytest.fixture
async def mailbot(db_url, clock, graph):
    port = free_port()
    bot = await MailBot(mail_settings(db_url, graph, port), clock, port).start()
    try:
        await until(lambda: graph.subscriptions)  # subscribed (and validated) at start
        await until(lambda: bot.mail_in.counts["delta_pages"] >= 1)  # and the first sweep is over
        yield bot
    finally:
        await bot.stop()


async def until(condition, *, what: str = "the condition", limit: float = 30.0):
    """Wait for something the app does in the background (not a timing assertion: a generous limit)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while True:
        got = condition()
        if asyncio.iscoroutine(got):
            got = await got
        if got:
            return got
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def rows(bot) -> list:
    async with bot.store.uow() as uow:
        return await MailInRepo(uow.session).all()


async def all_done(bot, n: int) -> bool:
    got = await rows(bot)
    return len(got) == n and all(r.status == "done" for r in got)


def replies_to(graph: MailGraphServer, address: str) -> list:
    return [m for m in graph.sent if address in str(m["To"])]


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content()


OUTLOOK_REPLY = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style type="text/css" style="display:none;"> P {{margin-top:0;margin-bottom:0;}} </style></head>
<body dir="ltr">
<div class="elementToProof" style="font-family: Aptos, Calibri, Helvetica, sans-serif; font-size: 12pt;">Approve. The tracked changes are fine.</div>
<div class="elementToProof"><br></div>
<div id="Signature"><div><p>Kind regards,</p><p><b>Morgan Reyes</b><br>Head of Service, Safeguarding<br>
Demo Children's Trust | 01234 567890</p></div></div>
<div id="appendonsend"></div>
<hr style="display:inline-block;width:98%" tabindex="-1">
<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">
<b>From:</b> Policy assistant &lt;{mailbox}&gt;<br><b>Sent:</b> 23 November 2026 10:00<br>
<b>To:</b> Morgan Reyes &lt;{rsm}&gt;<br><b>Subject:</b> {subject}</font><div>&nbsp;</div></div>
<div><p>APPROVE case 1 / DECLINE case 1: &lt;why&gt;</p><p>Please decide on the draft of PP-001.</p></div>
</body></html>"""


# ====================================================================== incoming

async def test_a_request_by_mail_is_answered_in_its_thread_and_the_mail_moved(mailbot, graph):
    """A person emails the policy mailbox; Graph notifies; the bot answers in the same thread
    (In-Reply-To, text and HTML) and moves the message to the processed folder, never deleting it."""
    sent = await graph.deliver(sender=RO, name="Alex Dunmore", subject="New procedure needed",
                               html="<div>I need a new procedure on county lines</div><div><br></div>"
                                    "<div>Sent from my iPhone</div>")
    await until(lambda: all_done(mailbot, 1), what="the request to be handled")
    [answer] = replies_to(graph, RO)
    assert answer["In-Reply-To"] == sent["internetMessageId"]
    assert sent["internetMessageId"] in answer["References"]
    assert answer["Subject"] == "RE: New procedure needed"
    assert answer.get_body(("html",)) is not None
    assert "county lines" in text_of(answer).lower()  # the dialog answered the request itself
    assert graph.inbox() == [] and len(graph.in_folder("Processed by policybot")) == 1
    # The same message announced again (Graph may notify twice) is not handled twice.
    sub = next(iter(graph.subscriptions.values()))
    assert await graph.post_notification(sub, {"changeType": "created", "resourceData": {"id": sent["id"]}}) == 202
    await mailbot.mail_in.sweep()
    assert len(replies_to(graph, RO)) == 1
    # Replying in the same thread continues the same conversation's dialog.
    await graph.deliver(sender=RO, name="Alex Dunmore", subject="RE: New procedure needed",
                        text="cancel\n\nOn Mon, 23 Nov 2026 at 10:00, Policy assistant <policies@example.org> wrote:\n> old",
                        in_reply_to=answer["Message-ID"])
    await until(lambda: all_done(mailbot, 2), what="the second message")
    assert len(replies_to(graph, RO)) == 2


async def _rsm_by_email(bot) -> None:
    async with bot.store.uow() as uow:
        person = await uow.people.by_email(RSM)
        await uow.people.update(person.id, preferences={**(person.preferences or {}), "channels": ["email"]})
        await uow.commit()


async def _submit_draft(bot, demo_aad) -> None:
    ro = demo_aad["ro-1"]
    await review_ticked(bot, "PP-001", aad=ro, conversation="a:ro-chat")
    await bot.send(bot.activity("", aad=ro, conversation="a:ro-chat", attachments=[bot.channel.attach("d.docx", tracked_docx())]))
    await bot.app[DISPATCHER_KEY].drain()


async def _case_status(bot) -> tuple[str, str]:
    async with bot.store.sessionmaker() as s:
        case = (await s.execute(select(Case).where(Case.id == 1))).scalar_one()
        return case.stage, case.status


async def test_NCT_8_an_approvers_outlook_reply_with_history_and_signature_approves_the_case(mailbot, graph, demo_aad):
    await _rsm_by_email(mailbot)
    await _submit_draft(mailbot, demo_aad)
    [to_rsm] = replies_to(graph, RSM)  # the decision request went out by Graph sendMail
    assert "[case 1]" in str(to_rsm["Subject"])
    assert str(to_rsm["Message-ID"]).endswith(".case-1@example.org>")
    before = await _case_status(mailbot)
    await graph.deliver(sender=RSM, name="Morgan Reyes", subject=f"RE: {to_rsm['Subject']}",
                        html=OUTLOOK_REPLY.format(mailbox=MAILBOX, rsm=RSM, subject=to_rsm["Subject"]),
                        in_reply_to=str(to_rsm["Message-ID"]),
                        auth_results="spf=pass (sender IP is 52.100.0.1) smtp.mailfrom=example.org; dkim=pass (signature was verified) "
                                     "header.d=example.org;dmarc=pass action=none header.from=example.org;compauth=pass reason=100")
    await until(lambda: all_done(mailbot, 1), what="the reply to be handled")
    after = await _case_status(mailbot)
    assert after != before
    async with mailbot.store.sessionmaker() as s:
        entries = (await s.execute(select(AuditEntry).join(Person, Person.id == AuditEntry.actor_id)
                                   .where(Person.email == RSM))).scalars().all()
    assert [e.action for e in entries] == ["approve"]
    assert entries[0].reason == "The tracked changes are fine."  # no signature, no quoted history
    answer = replies_to(graph, RSM)[-1]
    assert answer["In-Reply-To"] != to_rsm["Message-ID"]  # it answers Morgan's reply, in the thread
    assert str(to_rsm["Message-ID"]) in answer["References"] or answer["In-Reply-To"]
    assert "approved" in text_of(answer).lower()


@pytest.mark.parametrize("forgery", ["dmarc", "sender"])
async def test_a_forged_sender_changes_nothing_and_is_asked_to_use_their_work_account(mailbot, graph, demo_aad, forgery):
    await _rsm_by_email(mailbot)
    await _submit_draft(mailbot, demo_aad)
    [to_rsm] = replies_to(graph, RSM)
    before = await _case_status(mailbot)
    kw = ({"auth_results": "spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=example.org; dkim=none (message not signed) "
                           "header.d=none;dmarc=fail action=quarantine header.from=example.org;compauth=fail reason=000"}
          if forgery == "dmarc" else {"sender_header": "someone@elsewhere.example"})
    await graph.deliver(sender=RSM, name="Morgan Reyes", subject=f"RE: {to_rsm['Subject']}", text="APPROVE case 1",
                        in_reply_to=str(to_rsm["Message-ID"]), **kw)
    await until(lambda: all_done(mailbot, 1), what="the forged mail to be handled")
    assert await _case_status(mailbot) == before
    [row] = await rows(mailbot)
    assert row.refused
    answer = replies_to(graph, RSM)[-1]
    assert "from your work account" in text_of(answer)


async def test_a_decision_needs_the_deciders_own_address_not_a_name_in_the_body(mailbot, graph, demo_aad):
    await _rsm_by_email(mailbot)
    await _submit_draft(mailbot, demo_aad)
    [to_rsm] = replies_to(graph, RSM)
    before = await _case_status(mailbot)
    await graph.deliver(sender=RO, name="Alex Dunmore", subject=f"RE: {to_rsm['Subject']}",
                        text="Approve\n\nMorgan Reyes\nHead of Service, Safeguarding", in_reply_to=str(to_rsm["Message-ID"]))
    await until(lambda: all_done(mailbot, 1))
    assert await _case_status(mailbot) == before


async def test_a_wrong_client_state_is_refused_and_lifecycle_events_are_handled(mailbot, graph):
    sub = next(iter(graph.subscriptions.values()))
    # The validation handshake: the token back, as text/plain.
    async with aiohttp.ClientSession() as http:
        async with http.post(sub["notificationUrl"], params={"validationToken": "Validation: a b&c"}) as resp:
            assert resp.status == 200 and resp.content_type == "text/plain" and await resp.text() == "Validation: a b&c"
    graph.deliver_quietly(sender=RO, subject="status PP-001", text="status PP-001")
    assert await graph.post_notification(sub, {"changeType": "created"}, client_state="guessed") == 403
    await asyncio.sleep(0.2)
    assert await rows(mailbot) == []  # nothing done for the forged notification
    # reauthorizationRequired: reauthorised; missed: a delta sweep; subscriptionRemoved: a new one.
    assert await graph.lifecycle("reauthorizationRequired") == 202
    await until(lambda: sub.get("reauthorized") and sub.get("renewals"), what="reauthorisation and renewal")
    assert await graph.lifecycle("missed") == 202
    await until(lambda: all_done(mailbot, 1), what="the missed message")
    assert await graph.lifecycle("subscriptionRemoved") == 202
    await until(lambda: graph.subscriptions and sub["id"] not in graph.subscriptions, what="a new subscription")
    new = next(iter(graph.subscriptions.values()))
    assert new["clientState"] != sub["clientState"]
    await graph.deliver(sender=RO, subject="my tasks", text="my tasks")
    await until(lambda: all_done(mailbot, 2), what="mail after the new subscription")


async def test_the_subscription_is_renewed_well_inside_its_lifetime(mailbot, graph, clock):
    sub = next(iter(graph.subscriptions.values()))
    assert sub["changeType"] == "created" and sub["resource"] == f"users/{MAILBOX}/mailFolders('inbox')/messages"
    await mailbot.mail_in.ensure_subscription()
    assert not sub.get("renewals")  # young: left alone
    clock.advance(days=3, hours=12)  # half of its life
    await mailbot.mail_in.ensure_subscription()
    assert sub.get("renewals") == 1


async def test_a_30_minute_outage_is_caught_up_by_delta_with_throttling_honoured(mailbot, graph, clock):
    graph.outage = True  # no notifications reach us for half an hour
    for i in range(25):
        await graph.deliver(sender=RO, subject=f"question {i}", text="status PP-001")
        clock.advance(minutes=1)
    clock.advance(minutes=5)
    graph.outage = False
    assert await rows(mailbot) == []
    graph.throttle("/delta", seconds=0.1, times=1)
    graph.throttle("/move", seconds=0, times=2)
    await mailbot.mail_in.sweep()  # the sweep on start, on its beat, or after "missed"
    await until(lambda: all_done(mailbot, 25))
    assert len(replies_to(graph, RO)) == 25 and graph.inbox() == []
    assert mailbot.mail_in.mailbox.waited >= 0.1  # Retry-After was honoured, then it went on


async def test_a_crash_mid_batch_loses_and_repeats_nothing(db_url, clock, graph):
    port = free_port()
    settings = mail_settings(db_url, graph, port, mode="graph-delta")
    first = await MailBot(settings, clock, port).start()
    async with first.store.uow() as uow:
        known = [p.email for p in await uow.people.all() if p.email]
    senders = [s for s in known if s][:4]
    try:
        await until(lambda: first.mail_in.counts["delta_pages"] >= 1)
        for who in senders:  # each message changes state: an audit entry per person
            graph.deliver_quietly(sender=who, subject="quiet hours", text="quiet hours 18:00 to 08:00")
        crashes = iter(["turn", "sent"])
        target = [next(crashes)]
        seen = {"turn": 0, "sent": 0}

        def crash(step: str) -> None:
            if step in seen:
                seen[step] += 1
                if target and step == target[0] and seen[step] == 2:  # the second message, mid-way
                    target.clear()
                    raise PowerCut(f"power cut after {step}")

        first.mail_in.after_step = crash
        with pytest.raises(PowerCut, match="power cut after turn"):
            await first.mail_in.sweep()
    finally:
        await first.stop()
    clock.advance(minutes=6)  # the dead process's claim lapses
    second = await MailBot(settings, clock, port).start()
    try:
        second.mail_in.after_step = None
        await until(lambda: all_done(second, len(senders)), what="every message after the restart")
        async with second.store.sessionmaker() as s:
            per_person = (await s.execute(select(Person.email, func.count()).join(AuditEntry, AuditEntry.actor_id == Person.id)
                                          .where(Person.email.in_(senders)).group_by(Person.email))).all()
        assert sorted(per_person) == sorted((s, 1) for s in senders)  # each change made once
        for who in senders:
            assert len(replies_to(graph, who)) == 1, who  # and answered once
        # The message whose turn had committed before the crash was not run again: acknowledged.
        assert sum("acted on it" in text_of(m) for m in graph.sent) == 1
    finally:
        await second.stop()


async def test_a_crash_after_the_reply_went_finds_it_in_sent_items(db_url, clock, graph):
    port = free_port()
    settings = mail_settings(db_url, graph, port, mode="graph-delta")
    first = await MailBot(settings, clock, port).start()
    try:
        await until(lambda: first.mail_in.counts["delta_pages"] >= 1)
        graph.deliver_quietly(sender=RO, subject="tasks", text="my tasks")

        def crash(step: str) -> None:
            if step == "sent":
                raise PowerCut("power cut after sending")

        first.mail_in.after_step = crash
        with pytest.raises(PowerCut):
            await first.mail_in.sweep()
        assert len(replies_to(graph, RO)) == 1
    finally:
        await first.stop()
    clock.advance(minutes=6)
    second = await MailBot(settings, clock, port).start()
    try:
        await until(lambda: all_done(second, 1))
        assert len(replies_to(graph, RO)) == 1  # found in Sent Items, not sent again
        assert graph.count("/mailFolders/sentitems/messages") >= 1
    finally:
        await second.stop()


# ====================================================================== outgoing

async def test_a_reminder_resent_after_a_crash_is_found_in_sent_items_and_not_sent_twice(mailbot, graph, demo_aad):
    await _rsm_by_email(mailbot)
    await _submit_draft(mailbot, demo_aad)
    [to_rsm] = replies_to(graph, RSM)
    assert graph.count("/mailFolders/sentitems/") == 0  # a first send is not a possible repeat: no look-up
    async with mailbot.store.sessionmaker() as s:
        row = (await s.execute(select(OutboxMessage).where(OutboxMessage.channel == "email"))).scalar_one()
        assert str(to_rsm["Message-ID"]) == message_id(row.key, "example.org")
    # The crash: the message went, but the outbox never heard (it is pending again).
    async with mailbot.store.sessionmaker() as s:
        async with s.begin():
            r = await s.get(OutboxMessage, row.id)
            r.status, r.sent_at = "pending", None
    await mailbot.app[DISPATCHER_KEY].drain()
    assert len(replies_to(graph, RSM)) == 1
    assert graph.count("/mailFolders/sentitems/") == 1  # claimed before: the dispatcher said it may be a repeat
    async with mailbot.store.sessionmaker() as s:
        assert (await s.get(OutboxMessage, row.id)).status == "sent"


def test_outgoing_mail_is_paced_under_exchange_limits():

    t = [0.0]

    async def sleep(s: float) -> None:
        t[0] += s

    pacer = ExchangePacer(now=lambda: t[0], sleep=sleep)

    async def run() -> list[float]:
        times = []
        for _ in range(90):
            await pacer.slot(1)
            times.append(t[0])
        return times

    times = asyncio.run(run())
    for i in range(len(times) - 30):
        assert times[i + 30] - times[i] >= 60.0  # never more than 30 in any minute
    assert times[-1] < 121  # and no slower than that
    pacer.hold(30)
    before = t[0]
    asyncio.run(pacer.slot(1))
    assert t[0] - before >= 30  # Retry-After holds the mailbox
    day = ExchangePacer(per_minute=10**9, now=lambda: t[0], sleep=sleep)
    asyncio.run(day.slot(9_999))
    with pytest.raises(TransientSendError) as refused:
        asyncio.run(day.slot(2))
    assert refused.value.retry_after and refused.value.retry_after > 80_000


def test_the_reply_reader_keeps_only_the_new_text_for_outlook_gmail_and_apple_mail():

    outlook = new_text({"contentType": "html", "content": OUTLOOK_REPLY.format(mailbox=MAILBOX, rsm=RSM, subject="x")})
    assert outlook.startswith("Approve. The tracked changes are fine.")
    assert "Kind regards" not in outlook and "APPROVE case 1 / DECLINE" not in outlook
    gmail = new_text({"contentType": "html", "content": (
        '<div dir="ltr">Decline: the timescales are wrong.</div><br><div class="gmail_quote"><div dir="ltr" '
        'class="gmail_attr">On Mon, 23 Nov 2026 at 10:00, Policy assistant &lt;policies@example.org&gt; wrote:<br></div>'
        '<blockquote class="gmail_quote">Please decide on case 1.</blockquote></div>')})
    assert gmail == "Decline: the timescales are wrong."
    apple = new_text({"contentType": "text", "content": (
        "Approve\n\nSent from my iPhone\n\n> On 23 Nov 2026, at 10:00, Policy assistant <policies@example.org> wrote:\n"
        ">\n> Please decide on case 1.\n")})
    assert apple == "Approve"
    assert as_decision("Approve. Happy with it.", 12) == "approve case 12: Happy with it."
    assert as_decision("No problem, approved", 12) == "No problem, approved"
    assert as_decision("approve case 3", 12) == "approve case 3"


def test_graph_sendmail_is_the_default_where_a_tenant_is_configured():
    s = settings_for("sqlite:///x.db", MicrosoftAppTenantId="t-1", GRAPH_CLIENT_SECRET="x")
    assert s.mail_transport == "graph"
    assert settings_for("sqlite:///x.db", MicrosoftAppTenantId="t-1", GRAPH_CLIENT_SECRET="x",
                        POLICYBOT_MAIL_TRANSPORT="smtp").mail_transport == "smtp"
    assert settings_for("sqlite:///x.db").mail_transport == "none"


# ====================================================================== set-up an admin can follow

async def test_policybot_mail_check_proves_each_step_and_says_what_is_wrong(mailbot, graph, db_url):
    settings = mailbot.settings
    steps = await check(settings, other_mailbox="ceo@example.org", send_to=RO)
    assert [(s.name, s.ok) for s in steps] == [("settings", True), ("token", True), ("read", True), ("folder", True),
                                               ("sent items", True), ("scope", True), ("send", True), ("notifications", True)]
    assert any("policybot mail check" == str(m["Subject"]) for m in graph.sent)
    # A wrong secret: one sentence on what to put right, and nothing further is tried.
    steps = await check(settings_for(db_url, **{**mail_env(graph, mailbot.port, "graph-delta"), "GRAPH_CLIENT_SECRET": "expired"}))
    assert [(s.name, s.ok) for s in steps] == [("settings", True), ("token", False)]
    assert "check the client id, the secret" in steps[-1].say
    # The app pointed at a mailbox it is not scoped to: refused, with the RBAC step named.
    steps = await check(mail_settings(db_url, graph, mailbot.port, "graph-delta", POLICYBOT_MAILBOX="ceo@example.org"))
    assert steps[-1].name == "read" and not steps[-1].ok and "Exchange RBAC for Applications" in steps[-1].say



# ====================================================================== SMTP that keeps working

def test_smtp_with_xoauth2_sends_an_app_token_and_basic_auth_to_exchange_online_is_warned(keys, caplog):
    """Exchange Online's SMTP AUTH takes an app token (XOAUTH2) from msal; a password is warned
    about with the date it stops working."""
    seen: dict = {}

    class Handler:
        async def auth_XOAUTH2(self, server, args):  # noqa: N802 - aiosmtpd's hook name
            seen["auth"] = b64.b64decode(args[1]).decode()
            return AuthResult(success=True, handled=False, auth_data=seen["auth"])

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            seen["to"] = envelope.rcpt_tos
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, auth_require_tls=False)
    controller.start()
    try:
        settings = settings_for("sqlite:///unused.db", POLICYBOT_MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1",
                                SMTP_PORT=str(port), SMTP_AUTH="xoauth2", SMTP_USERNAME=MAILBOX, MicrosoftAppId="0b0e7c1a-7f3d-4d55-9a39-1c2f3e4d5a6b", MicrosoftAppPassword="bot-secret",
                                MicrosoftAppTenantId="tenant-1", MicrosoftAppType="SingleTenant",
                                GRAPH_CLIENT_SECRET="s", AUTHORITY_HOST=keys.url, POLICYBOT_MAIL_FROM=MAILBOX)
        transport = mail_transport(settings)
        email = Email(to=RO, subject="Reminder", text="t", html="<p>t</p>", key="k-1")
        asyncio.run(transport.send(email, datetime(2026, 12, 1, 9, tzinfo=LONDON)))
        transport.close()
    finally:
        controller.stop()
    assert seen["auth"] == f"user={MAILBOX}\x01auth=Bearer token-1\x01\x01"
    assert seen["to"] == [RO]
    assert keys.token_forms[0]["scope"] == "https://outlook.office365.com/.default"
    with caplog.at_level(logging.WARNING, logger="policybot.mail"):
        mail_transport(settings_for("sqlite:///unused.db", POLICYBOT_MAIL_TRANSPORT="smtp", SMTP_HOST="smtp.office365.com",
                                    SMTP_PORT="587", SMTP_USERNAME=MAILBOX, SMTP_PASSWORD="p", SMTP_STARTTLS="1"))
    assert "end of December 2026" in caplog.text


async def test_a_message_whose_turn_keeps_failing_gets_an_apology_and_does_not_block_the_rest(mailbot, graph):
    router = mailbot.app[BOT_KEY].router
    real = router.handle

    async def handle(ident, text, *a, **kw):
        if text and "explode" in text:
            raise ValueError("a bug in a dialog")
        return await real(ident, text, *a, **kw)

    router.handle = handle
    graph.deliver_quietly(sender=RO, subject="one", text="please explode")
    graph.deliver_quietly(sender=RSM, subject="two", text="my tasks")
    await mailbot.mail_in.sweep()
    assert await all_done(mailbot, 2)
    [sorry] = replies_to(graph, RO)
    assert "something went wrong on our side" in text_of(sorry)
    assert len(replies_to(graph, RSM)) == 1


async def test_an_out_of_office_or_a_bounce_is_filed_without_an_answer(mailbot, graph):
    """Two automatic responders must never answer each other."""
    graph.deliver_quietly(sender=RSM, subject="Automatic reply: Decision needed", text="I am out of the office until Monday.",
                          extra_headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"})
    graph.deliver_quietly(sender="MAILER-DAEMON@mail.example.org", subject="Undeliverable: Reminder", text="550 5.1.1 unknown user")
    graph.deliver_quietly(sender=RO, subject="status", text="status PP-001")
    await mailbot.mail_in.sweep()
    assert await all_done(mailbot, 3)
    assert [str(m["To"]) for m in graph.sent] == [RO]
    assert graph.inbox() == []  # all filed
    answered = replies_to(graph, RO)[0]
    assert answered["Auto-Submitted"] == "auto-generated"  # and ours say they are automatic
