"""Round trips (issue 14 item 11), counted, never timed: a batch of reminders is claimed in one
statement with its recipients' Teams chats read in one query, each mark of sent messages is one
statement in its own commit, an action on a case (Approve) is one transaction with its case read
with its document and owners in one query, and pressing Approve in Teams takes at most three
transactions in all. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from bot.app import DISPATCHER_KEY, RUNTIME_KEY, SERVICES_KEY
from connectors.mail import SmtpTransport
from connectors.word.samples import tracked_docx
from services.cases import lifecycle
from services.delivery.dispatch import Dispatcher
from services.people.identity import ChannelIdentity
from services.reminders import sweeps
from tests.support.cases import review_ticked, buttons, last_to
from tests.support.channel import readable
from tests.support.org import aad, make_org


class Log:
    def __init__(self, engine) -> None:
        self.statements: list[str] = []
        self.commits = 0
        self.begins = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._stmt)
        event.listen(engine.sync_engine, "commit", self._commit)
        event.listen(engine.sync_engine, "begin", self._begin)

    def _stmt(self, conn, cursor, statement, *_a) -> None:
        self.statements.append(" ".join(statement.split()))

    def _commit(self, conn) -> None:
        self.statements.append("COMMIT")
        self.commits += 1

    def _begin(self, conn) -> None:
        self.statements.append("BEGIN")
        self.begins += 1

    def transactions(self) -> list[list[str]]:
        out: list[list[str]] = []
        for s in self.statements:
            if s == "BEGIN":
                out.append([])
            elif s != "COMMIT" and out:
                out[-1].append(s)
        return out


def who(person_id: str) -> ChannelIdentity:
    return ChannelIdentity("msteams", f"29:{person_id}", aad_object_id=aad(person_id), name=person_id)


async def test_50_reminders_one_statement_to_claim_and_one_per_mark(db_url, clock, smtp):
    services = await make_org(db_url, clock, docs=[(f"PP-{i:03d}", date(2026, 12, 3)) for i in range(25)],
                              channels=["email"], env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    try:
        assert (await sweeps.sweep_reviews(services, "test")).queued == 50  # 25 documents, their RO and RSM
        log = Log(services.store.engine)
        sent = await Dispatcher(services, mail=SmtpTransport("127.0.0.1", smtp.port, sender="policybot@trust.example",
                                                             timeout=5)).run_once()
        assert sent["sent"] == 50 and len({m.message_id for m in smtp.received}) == 50
        claims = [s for s in log.statements if s.startswith("UPDATE outbox SET claimed_until")]
        assert len(claims) == 1 and "RETURNING" in claims[0]  # the 50 rows claimed and read back at once
        marks = [t for t in log.transactions() if any(s.startswith("UPDATE outbox SET status") for s in t)]
        assert marks and all(len(t) == 1 for t in marks)  # each mark: one statement, its own commit
        assert len(marks) <= 50
    finally:
        await services.store.close()


async def test_approve_is_one_transaction_and_reads_the_case_with_its_document_in_one_query(db_url, clock):
    services = await make_org(db_url, clock, docs=[("PP-001", date(2027, 1, 15))])
    try:
        opened = await lifecycle.start_case(services, who("ro"), "PP-001", "scheduled_review")
        await lifecycle.act(services, who("ro"), opened.case.id, "tick_checklist", text="1, 2, 3, 4, 5")  # NCT-16
        await lifecycle.submit_draft(services, who("ro"), "PP-001.docx", tracked_docx(), opened.case.id)
        view = await lifecycle.case_view(services, who("rsm"), opened.case.id)
        assert "approve" in {a.id for a in view.actions}
        log = Log(services.store.engine)
        out = await lifecycle.act(services, who("rsm"), opened.case.id, "approve", expected_version=view.version)
        assert out.case.version == view.version + 1
        assert log.begins == 1 and log.commits == 1  # the decision, its audit, its notices and the new view
        reads = [s for s in log.statements if s.startswith("SELECT cases.")]
        assert len(reads) == 1 and "JOIN documents" in reads[0]
    finally:
        await services.store.close()


async def test_pressing_approve_in_teams_takes_at_most_three_transactions(bot, demo_aad):
    """The decision (with the older copies of the card it replaces), the claim of the turn's messages
    (with their recipients' chats), and one mark for all of them: no lookup of its own per recipient,
    no transaction per refreshed card."""
    ro, rsm = demo_aad["ro-2"], demo_aad["rsm-cla"]
    for who_aad, conv in ((ro, "a:ro-2"), (rsm, "a:rsm-cla"), (demo_aad["ppo"], "a:ppo")):
        await bot.say("help", aad=who_aad, conversation=conv)
    await review_ticked(bot, "PP-017", aad=ro, conversation="a:ro-2")
    said = await bot.send(bot.activity("", aad=ro, conversation="a:ro-2", attachments=[
        bot.channel.attach("foster.docx", tracked_docx(title="Placement with Foster Carers"))]))
    assert "stored as draft version 1" in " ".join(str(r) for r in said.replies)
    approve = buttons(last_to(bot, "a:rsm-cla"))["approve"]
    log = Log(bot.app[RUNTIME_KEY].store.engine)
    said = await bot.send(bot.activity(None, kind="invoke", aad=rsm, activity_name="adaptiveCard/action",
                                       conversation="a:rsm-cla",
                                       value={"action": {"type": "Action.Execute", "verb": approve["verb"],
                                                         "data": approve["data"]}}))
    assert said.status == 200
    assert log.begins <= 3 and log.commits <= 3, log.statements
    decision, claim, *marks = log.transactions()
    assert any(s.startswith("UPDATE cases") for s in decision) and any(s.startswith("UPDATE sent_cards") for s in decision)
    assert claim[0].startswith("UPDATE outbox SET claimed_until") and any("FROM conversation_refs" in s for s in claim)
    assert len(marks) == 1 and marks[0][0].startswith("UPDATE outbox SET status")  # ro-2 and the PPO: one mark
    assert "Approved" in " ".join(readable(a) for a in bot.channel.in_conversation("a:ro-2"))  # the RO is told


async def test_50_teams_reminders_read_their_chats_in_the_claim(bot):
    """NCT-11 reminders to 50 people over Teams: their chats come with the claim, in one query; no
    message looks its person's chat up by itself."""
    services, dispatcher = bot.app[SERVICES_KEY], bot.app[DISPATCHER_KEY]
    now = services.clock.now()
    async with services.uow() as uow:
        for doc in await uow.documents.all():
            await uow.documents.update(doc.id, next_review_due=date(2029, 1, 1))  # only the 50 below are due
        for i in range(50):
            await uow.people.create(id=f"p{i}", name=f"Person {i}", email=None, aad_object_id=f"aad-{i}",
                                    tenant_id="tenant-1", active=True, preferences={}, roles=[])
            await uow.conversations.upsert(
                at=now, channel_id="msteams", conversation_id=f"a:conv-{i}", service_url=bot.channel.url,
                reference={"bot": {"id": "28:test"}, "user": {"id": f"29:{i}", "aadObjectId": f"aad-{i}"}},
                person_id=f"p{i}", aad_object_id=f"aad-{i}", tenant_id="tenant-1", conversation_type="personal")
            await uow.documents.create(ref=f"RT-{i:03d}", doc_type="Procedure", title=f"Procedure {i}", category=None,
                                       ro_id=f"p{i}", rsm_id=None, status="published", version="1.0",
                                       next_review_due=date(2026, 11, 30), extra={}, created_at=now, updated_at=now)
        await uow.commit()
    assert (await sweeps.sweep_reviews(services, "test")).queued == 50
    log = Log(bot.app[RUNTIME_KEY].store.engine)
    sent = await dispatcher.drain()
    assert sent["sent"] == 50 and len(bot.channel.in_conversation("a:conv-7")) == 1
    lookups = [s for s in log.statements if "FROM conversation_refs" in s]
    assert len(lookups) == 1  # the claim's one query for all 50 chats
    claims = [s for s in log.statements if s.startswith("UPDATE outbox SET claimed_until")]
    assert all("RETURNING" in c for c in claims) and len(claims) <= 2  # the batch, then an empty look


async def test_a_question_in_a_known_chat_is_five_statements_and_two_commits(bot, demo_aad):
    """Issue 14 (a turn's time): a question to the manual and register, in a chat the bot already
    knows, reads the chat's state, the person with their roles (one query), and whether the manual or
    the register changed (one query), records the answer and saves the state: five statements, two
    commits."""
    question = "is there a procedure on missing children?"
    await bot.say(question, aad=demo_aad["ro-1"], conversation="a:question")
    log = Log(bot.app[RUNTIME_KEY].store.engine)
    again = await bot.say(question, aad=demo_aad["ro-1"], conversation="a:question")
    statements = [s for s in log.statements if s not in ("BEGIN", "COMMIT")]
    assert len(statements) == 5 and log.commits == 2, log.statements
    assert statements[2].startswith("SELECT (SELECT max(manual_sync_runs.id)")  # the manual's and register's changes at once
    assert "JOIN person_roles" in statements[1]
    shown = " ".join(readable(a) for a in again.replies)
    assert "Children Missing from Home and Care" in shown and "Our own document PP-001" in shown
