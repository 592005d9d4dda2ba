"""Round trips (issue 14 item 11), counted, never timed: a batch of reminders is claimed in one
statement, each mark of sent messages is one statement in its own commit, and an action on a case
(Approve) is one transaction with its case read with its document and owners in one query.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from connectors.mail import SmtpTransport
from connectors.word.samples import tracked_docx
from services.cases import lifecycle
from services.delivery.dispatch import Dispatcher
from services.people.identity import ChannelIdentity
from services.reminders import sweeps
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
