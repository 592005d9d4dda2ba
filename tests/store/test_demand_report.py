"""`policybot report demand` (issue 16 item 5): what staff looked for and did not find, by topic,
printed and written to CSV and to .xlsx with a chart."""

from __future__ import annotations

import asyncio
import csv
import zipfile

from bot.settings import Settings
from policybot.cli import main
from services.clock import SystemClock
from services.demo import ensure_demo
from services.manual import answers
from services.manual.demand import demand
from store.uow import Store
from tests.support.runtime import services_for


async def test_report_demand_groups_by_topic_and_writes_csv_and_xlsx_with_a_chart(sqlite_url, tmp_path, monkeypatch, capsys):
    store = Store(sqlite_url)
    try:
        await store.migrate()
        services = services_for(Settings(database_url=sqlite_url), clock=SystemClock(), store=store)
        await ensure_demo(services)
        for who, question in [("ro-1", "forced adoption apology scheme"), ("ro-2", "forced adoption apology"),
                              ("ro-3", "e-scooter risk assessment for care leavers")]:
            await answers.answer(services, question, person_id=who, channel="msteams")
    finally:
        await store.close()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("POLICYBOT_DEMO", "false")
    out_csv, out_xlsx = tmp_path / "demand.csv", tmp_path / "demand.xlsx"
    assert await asyncio.to_thread(main, ["report", "demand", "--days", "30", "--csv", str(out_csv), "--xlsx", str(out_xlsx)]) == 0
    printed = capsys.readouterr().out
    assert "What staff looked for and did not find" in printed
    with out_csv.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["Topic", "Times asked", "People"]
    top = rows[1]
    assert int(top[1]) == 2 and int(top[2]) == 2  # the two adoption questions are one topic, asked by two people
    assert "forced adoption apology" in top[7]
    with zipfile.ZipFile(out_xlsx) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


async def test_one_person_is_counted_once_whether_kept_by_directory_or_channel_id(sqlite_url):
    """Issue 16 item 5: a person who asked a question (kept by their directory id) and made a request
    that found nothing (kept, before, by their Teams id) is one person in the demand report; a stranger
    the directory does not know stays one person of their own."""
    store = Store(sqlite_url)
    try:
        await store.migrate()
        services = services_for(Settings(database_url=sqlite_url), clock=SystemClock(), store=store)
        await ensure_demo(services)
        async with services.uow() as uow:
            aad = (await uow.people.get("ro-1")).aad_object_id
        assert aad
        await answers.answer(services, "forced adoption apology scheme", person_id="ro-1", channel="msteams")
        await answers.answer(services, "forced adoption apology", person_id=f"channel:{aad}", channel="msteams",
                             outcome="request")
        await answers.answer(services, "forced adoption apology", person_id="channel:someone-else", channel="msteams")
        [topic] = [t for t in await demand(services, 30) if "adoption" in t.topic]
        assert (topic.times, topic.people) == (3, 2)
    finally:
        await store.close()
