"""The repository contract for the scheduler's lease (`uow.leases`), misunderstandings
(`uow.misunderstood`) and answers given (`uow.answers`): the same behaviour on the service tier's fake
and on the real store over SQLite and PostgreSQL (issue 14 item 2; the scheduler's single runner, the
PPO's misunderstandings report and the manual's demand report, MA-7, read through these methods)."""

from __future__ import annotations

from datetime import timedelta

from tests.store.test_repository_contract import NOW


async def test_one_holder_of_the_scheduler_lease_at_a_time(uow_factory):
    async with uow_factory() as uow:
        assert await uow.leases.holder("scheduler") is None
        assert await uow.leases.take("scheduler", "a", NOW, 60) is True
        assert await uow.leases.take("scheduler", "b", NOW + timedelta(seconds=10), 60) is False
        assert await uow.leases.take("scheduler", "a", NOW + timedelta(seconds=10), 60) is True  # renewed
        await uow.commit()
    async with uow_factory() as uow:
        lease = await uow.leases.holder("scheduler")
        assert (lease.name, lease.holder) == ("scheduler", "a")
        await uow.leases.release("scheduler", "b")  # not b's: still a's
        assert await uow.leases.take("scheduler", "b", NOW + timedelta(seconds=20), 60) is False
        await uow.leases.release("scheduler", "a")
        assert await uow.leases.take("scheduler", "b", NOW + timedelta(seconds=20), 60) is True
        await uow.commit()


async def test_misunderstandings_are_grouped_most_frequent_first(uow_factory):
    async with uow_factory() as uow:
        for minutes, who, kind, text in [(1, "p1", "fallback", "Blue widgets"), (2, "p2", "fallback", " blue widgets"),
                                         (3, None, "fallback", "BLUE WIDGETS"), (4, "p1", "said_no", "blue widgets"),
                                         (5, "p3", "fallback", "weather"), (-90, "p4", "fallback", "old")]:
            await uow.misunderstood.add(at=NOW + timedelta(minutes=minutes), person_id=who, kind=kind, text=text)
        rows = await uow.misunderstood.grouped(NOW)
        assert [(r[0], r[1].strip().lower(), r[2], r[3], r[4]) for r in rows] == [
            ("fallback", "blue widgets", 3, 2, NOW + timedelta(minutes=3)),
            ("fallback", "weather", 1, 1, NOW + timedelta(minutes=5)),
            ("said_no", "blue widgets", 1, 1, NOW + timedelta(minutes=4))]
        assert len(await uow.misunderstood.grouped(limit=1)) == 1


async def test_ma_7_unmet_answers_and_the_feedback_on_them(uow_factory):
    async with uow_factory() as uow:
        ids = [await uow.answers.add(at=NOW + timedelta(minutes=n), person_id="p1", channel="msteams", question=f"q{n}",
                                     topic="kinship", outcome=outcome, chapter_url=None, chapter_title=None, closest=["Ch 1"])
               for n, outcome in enumerate(("answered", "weak", "nothing", "answered"))]
        await uow.commit()
    async with uow_factory() as uow:
        await uow.answers.set_feedback(ids[3], feedback="not_helpful", note="x" * 400, at=NOW)
        await uow.commit()
    async with uow_factory() as uow:
        got = await uow.answers.get(ids[3])
        assert (got.question, got.feedback, len(got.feedback_note), list(got.closest)) == ("q3", "not_helpful", 300, ["Ch 1"])
        assert await uow.answers.get(99999) is None
        assert [a.question for a in await uow.answers.unmet()] == ["q1", "q2", "q3"]
        assert [a.question for a in await uow.answers.unmet(NOW + timedelta(minutes=2))] == ["q2", "q3"]
        assert await uow.answers.kept_index("v1") is None
        await uow.answers.keep_index("v1", b"one", at=NOW, passages=1)
        await uow.answers.keep_index("v1", b"two", at=NOW, passages=2)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.answers.kept_index("v1") == b"two"
        assert await uow.answers.kept_index("v2") is None
