"""Reminders by email through a real SMTP server on loopback, with the clock moved day by day
across weekends and bank holidays (issue 5). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta


from services.delivery import outbox
from services.reminders import sweeps
from services.clock import LONDON, FixedClock
from services.delivery.dispatch import Dispatcher
from connectors.mail import SmtpTransport, message_id
from tests.support.org import make_org


def _mail(smtp) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", smtp.port, sender="policybot@trust.example", timeout=5)


async def _day(services, dispatcher) -> None:
    await sweeps.run_all(services, "test")
    await dispatcher.drain()


async def test_nct11_reminders_arrive_once_each_on_the_right_working_days(db_url, smtp):
    """NCT-11: RO and RSM are emailed 30, 14, 7 and 1 days before "Next Review To Be Completed By"
    (29 Dec 2026), each moved to the working day before a weekend or bank holiday, then told it is
    overdue; running the sweeps again the same day sends nothing more."""
    clock = FixedClock(datetime(2026, 11, 20, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("PP-1", date(2026, 12, 29)), ("PP-2", date(2027, 6, 1))],
                              channels=["email"], env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    dispatcher = Dispatcher(services, mail=_mail(smtp))
    arrivals: list[tuple[date, str, str]] = []
    try:
        while clock.today() <= date(2026, 12, 31):
            before = len(smtp.received)
            await _day(services, dispatcher)
            await _day(services, dispatcher)  # a second run the same day (another tick, a restart)
            for m in smtp.received[before:]:
                arrivals.append((clock.today(), m.rcpt_tos[0], str(m.message["Subject"])))
            clock.advance(days=1)
    finally:
        await services.store.close()
    expected = []
    for day in (date(2026, 11, 27), date(2026, 12, 15), date(2026, 12, 22), date(2026, 12, 24)):
        for who in ("rita.owen@trust.example", "sam.mensah@trust.example"):
            expected.append((day, who, "Review of PP-1 due by Tuesday 29 December 2026"))
    for who in ("rita.owen@trust.example", "sam.mensah@trust.example"):
        expected.append((date(2026, 12, 30), who, "Review of PP-1 is overdue"))
    assert sorted(arrivals) == sorted(expected)


async def test_reminder_email_is_multipart_with_a_calendar_entry(db_url, smtp):
    clock = FixedClock(datetime(2026, 12, 22, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("PP-1", date(2026, 12, 29))], channels=["email"],
                              env={"POLICYBOT_MAIL_TRANSPORT": "smtp", "POLICYBOT_ORGANISATION": "Test Trust"})
    try:
        await _day(services, Dispatcher(services, mail=_mail(smtp)))
        async with services.uow() as uow:
            rows = await uow.outbox.by_key_prefix("review-due:PP-1:2026-12-29:7d|ro|")
    finally:
        await services.store.close()
    [mail] = smtp.to("rita.owen@trust.example")
    msg = mail.message
    assert msg.get_content_type() == "multipart/mixed"
    alternative = next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    text, html = mail.part("text/plain"), mail.part("text/html")
    assert "Procedure PP-1 must be reviewed by Tuesday 29 December 2026 (in 3 working days)" in text
    assert "<h2" in html and "Review of PP-1 due by Tuesday 29 December 2026" in html
    assert "Test Trust" in text
    ics = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert ics.get_filename() == "deadline.ics"
    body = ics.get_content()
    assert "DTSTART;VALUE=DATE:20261229" in body and "BEGIN:VALARM" in body
    assert str(msg["To"]) == "Rita Owen <rita.owen@trust.example>"
    # The same reminder always carries the same Message-ID.
    assert mail.message_id == message_id(rows[0].key, "trust.example")
    assert rows[0].status == "sent" and rows[0].sent_at is not None


async def test_an_smtp_outage_is_retried_with_backoff_and_the_reminder_arrives_once(db_url, smtp):
    clock = FixedClock(datetime(2026, 12, 22, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("PP-1", date(2026, 12, 29))], channels=["email"],
                              env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    dispatcher = Dispatcher(services, mail=_mail(smtp))
    smtp.fail_next = 3  # 451: try again later
    try:
        await _day(services, dispatcher)
        assert smtp.received == [] and smtp.seen == 2
        async with services.uow() as uow:
            rows = await uow.outbox.by_key_prefix("review-due:PP-1")
        assert {r.status for r in rows} == {"pending"} and {r.attempts for r in rows} == {1}
        assert all("451" in r.last_error for r in rows)
        assert all(timedelta(seconds=20) <= r.not_before - clock.now() <= timedelta(seconds=40) for r in rows)
        await dispatcher.drain()  # not due yet: nothing is tried
        assert smtp.seen == 2
        clock.advance(minutes=1)
        await dispatcher.drain()  # one more 451, then one goes through
        clock.advance(minutes=5)
        await dispatcher.drain()
        await _day(services, dispatcher)
    finally:
        await services.store.close()
    assert sorted(m.rcpt_tos[0] for m in smtp.received) == ["rita.owen@trust.example", "sam.mensah@trust.example"]


async def test_a_message_that_keeps_failing_is_kept_for_an_admin_and_can_be_sent_again(db_url, smtp, capsys):
    from policybot.cli import main

    clock = FixedClock(datetime(2026, 12, 22, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("PP-1", date(2026, 12, 29))], channels=["email"],
                              env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    dispatcher = Dispatcher(services, mail=_mail(smtp))
    smtp.on_data = lambda n: "550 5.1.1 Mailbox unavailable"
    try:
        await _day(services, dispatcher)
        failed = await outbox.listing(services.uow, "failed")
        assert len(failed) == 2 and all("550" in r.last_error for r in failed)
        env = {"DATABASE_URL": services.settings.database_url, "POLICYBOT_DEMO": "0"}
        assert await _cli(main, ["outbox", "--status", "failed"], env) == 0
        shown = capsys.readouterr().out
        assert "Review of PP-1 due by" in shown and "550" in shown and "Rita Owen" in shown
        smtp.on_data = None
        assert await _cli(main, ["outbox", "retry", str(failed[0].id)], env) == 0
        assert await _cli(main, ["outbox", "retry", "999999"], env) == 1
        await dispatcher.drain()
    finally:
        await services.store.close()
    assert len(smtp.received) == 1


async def _cli(main, argv, env) -> int:
    import asyncio
    import os
    from unittest import mock

    with mock.patch.dict(os.environ, env):
        return await asyncio.to_thread(main, argv)


async def test_dor12_overdue_review_is_escalated_to_the_head_of_qa(db_url, smtp):
    clock = FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("DOR-1", date(2026, 9, 1))], preset="dorset", channels=["email"],
                              env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    try:
        await _day(services, Dispatcher(services, mail=_mail(smtp)))
    finally:
        await services.store.close()
    got = sorted((m.rcpt_tos[0], str(m.message["Subject"])) for m in smtp.received if "DOR-1" in str(m.message["Subject"]))
    assert got == [
        ("quinn.ashe@trust.example", "Escalation: review of DOR-1 is more than 2 months overdue"),
        ("rita.owen@trust.example", "Escalation: review of DOR-1 is more than 2 months overdue"),
    ]


async def test_a_reminder_that_fell_due_while_the_bot_was_down_is_sent_once_when_it_returns(db_url, smtp):
    """Down from Friday 11 December to Wednesday 23 December: the 14- and 7-day reminders fell due
    meanwhile; on return the latest one is sent, once, and the older one is not sent late."""
    clock = FixedClock(datetime(2026, 12, 11, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, docs=[("PP-1", date(2026, 12, 29))], channels=["email"],
                              env={"POLICYBOT_MAIL_TRANSPORT": "smtp"})
    dispatcher = Dispatcher(services, mail=_mail(smtp))
    try:
        await _day(services, dispatcher)
        assert len(smtp.received) == 2  # the 30-day reminder, never sent before: late, once
        clock.set(datetime(2026, 12, 23, 7, 30, tzinfo=LONDON))  # back, before working hours
        await _day(services, dispatcher)
        assert len(smtp.received) == 2  # queued, but nudges wait for 09:00
        clock.set(datetime(2026, 12, 23, 9, 5, tzinfo=LONDON))
        await _day(services, dispatcher)
        await _day(services, dispatcher)
    finally:
        await services.store.close()
    back = smtp.received[2:]
    assert sorted((m.rcpt_tos[0], str(m.message["Subject"])) for m in back) == [
        ("rita.owen@trust.example", "Review of PP-1 due by Tuesday 29 December 2026"),
        ("sam.mensah@trust.example", "Review of PP-1 due by Tuesday 29 December 2026"),
    ]
    assert all("in 2 working days" in m.part("text/plain") for m in back)


async def test_bct9_weekly_email_of_published_documents_with_the_compliance_chart(db_url, smtp):
    """BCT-9: documents published last week go out in the weekly email (to the staff mailing list),
    once, on the first working day of the week (Monday 28 December 2026 is a bank holiday), with the
    review-compliance chart (issue 8) attached."""
    clock = FixedClock(datetime(2026, 12, 28, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, preset="bct", docs=[("BCT-1", date(2028, 1, 1)), ("BCT-2", date(2028, 1, 1))],
                              env={"POLICYBOT_MAIL_TRANSPORT": "smtp", "POLICYBOT_DIGEST_TO": "all-staff@trust.example"})
    async with services.uow() as uow:
        await uow.documents.update((await uow.documents.by_ref("BCT-1")).id, approved_on=date(2026, 12, 22))
        await uow.documents.update((await uow.documents.by_ref("BCT-2")).id, approved_on=date(2026, 11, 30))  # not last week
        await uow.commit()
    dispatcher = Dispatcher(services, mail=_mail(smtp))
    try:
        await _day(services, dispatcher)
        assert smtp.to("all-staff@trust.example") == []  # a bank holiday: not yet
        for moment in (datetime(2026, 12, 29, 10, 0), datetime(2026, 12, 29, 15, 0), datetime(2026, 12, 30, 10, 0)):
            clock.set(moment.replace(tzinfo=LONDON))
            await _day(services, dispatcher)
    finally:
        await services.store.close()
    [mail] = smtp.to("all-staff@trust.example")
    assert str(mail.message["Subject"]) == "Published in the week of 21 December 2026: 1 document"
    text = mail.part("text/plain")
    assert "BCT-1 Procedure BCT-1 (version 1.0, 22 December 2026)" in text and "BCT-2" not in text
    chart = next(p for p in mail.message.walk() if p.get_content_type() == "image/png")
    assert chart.get_filename() == "review-compliance.png"
    assert chart.get_content()[:8] == b"\x89PNG\r\n\x1a\n"


async def test_nct2_nct4_update_window_tells_each_ro_once_when_it_opens_and_once_near_the_deadline(db_url, smtp):
    from services.reminders import preferences

    clock = FixedClock(datetime(2027, 1, 21, 10, 0, tzinfo=LONDON))
    services = await make_org(db_url, clock, channels=["email"], env={"POLICYBOT_MAIL_TRANSPORT": "smtp"},
                              docs=[("PP-1", date(2027, 4, 30)), ("PP-2", date(2027, 10, 1)), ("PP-3", date(2028, 2, 1))])
    dispatcher = Dispatcher(services, mail=_mail(smtp))
    try:
        await preferences.add_update_deadline(services, date(2027, 3, 5))
        got: list[tuple[date, str]] = []
        while clock.today() <= date(2027, 3, 8):
            before = len(smtp.received)
            await _day(services, dispatcher)
            got += [(clock.today(), str(m.message["Subject"])) for m in smtp.received[before:] if m.rcpt_tos == ["rita.owen@trust.example"]]
            clock.advance(days=1)
    finally:
        await services.store.close()
    assert got == [
        (date(2027, 1, 22), "The manual update window is open: submit by Friday 5 March 2027"),
        (date(2027, 2, 26), "The manual update window closes soon: submit by Friday 5 March 2027"),
    ]
    final = [m for m in smtp.received if "closes soon" in str(m.message["Subject"])][0].part("text/plain")
    assert "PP-1 Procedure PP-1" in final and "PP-2 Procedure PP-2" in final and "PP-3" not in final
    assert "waits for the next update, which may not be until November 2027 (NCT-4)" in final
