"""Ownership stays true (NCT-1, DOR-1): RO changes move open work to the successor and tell the PPO;
the directory is loaded from CSV or synchronised from Microsoft Entra ID through Microsoft Graph, and
people who leave have their documents flagged as orphaned to the PPO."""

from __future__ import annotations


import pytest

from governance import lifecycle as gl
from governance.ownership import effective_ro
from services.cases import lifecycle
from tests.support.runtime import services_for
from services.demo import _aad, ensure_demo, PEOPLE
from connectors.word.samples import tracked_docx
from connectors.directory import DirectoryError, PeopleCsv
from services.people.directory import load_csv, sync_graph
from services.errors import BadInput, NotFound
from services.people.identity import ChannelIdentity
from services.register.ownership import ownership_problems, reassign_ro
from store.register_repo import RegisterRepo
from store.uow import Store
from tests.support.bot import settings_for
from tests.support.graph import CLIENT_ID, CLIENT_SECRET, TENANT, GraphServer
from tests.store.test_register_import import snapshot


async def _demo(db_url, clock, **env):
    store = Store(db_url)
    await store.migrate()
    services = services_for(settings_for(db_url, **env), clock=clock, store=store)
    await ensure_demo(services)
    return services


def _as(person_id: str) -> ChannelIdentity:
    return ChannelIdentity("msteams", f"29:{person_id}", aad_object_id=_aad(person_id), name=person_id)


async def test_reassigning_an_ro_moves_open_cases_and_drafts_and_tells_the_ppo_NCT_1(db_url, clock):
    services = await _demo(db_url, clock)
    try:
        ro1 = _as("ro-1")
        drafted = await lifecycle.start_case(services, ro1, "PP-001", "scheduled_review")
        await lifecycle.submit_draft(services, ro1, "missing.docx", tracked_docx(), drafted.case.id)
        waiting = await lifecycle.start_case(services, ro1, "PP-002", "scheduled_review")
        assert waiting.case.id in [c.id for c in await lifecycle.my_tasks(services, ro1)]
        assert await lifecycle.my_tasks(services, _as("ro-3")) == []
        async with services.uow() as uow:
            owned = sorted(d.ref for d in await uow.documents.owned_or_signed_off_by("ro-1") if d.ro_id == "ro-1")
            versions = {c.id: c.version for c in await uow.cases.all_open()}

        out = await reassign_ro(services, "Alex Dunmore", "charlie.vance@example.org",
                                reason="Alex moved to the Leaving Care team", actor_email="priya.patelowens@example.org")

        assert sorted(out.documents) == owned and len(owned) == 5
        assert sorted(out.cases) == sorted([drafted.case.id, waiting.case.id]) and out.drafts == 1
        tasks = [c.id for c in await lifecycle.my_tasks(services, _as("ro-3"))]
        assert waiting.case.id in tasks  # the draft the old RO owed is now the successor's task
        assert waiting.case.id not in [c.id for c in await lifecycle.my_tasks(services, ro1)]
        async with services.uow() as uow:
            for ref in owned:
                doc = await uow.documents.by_ref(ref)
                assert doc.ro_id == "ro-3" and effective_ro(doc.ro_id, doc.rsm_id) == "ro-3"
                last = (await uow.audit.for_entity("document", doc.id))[-1]
                assert (last.action, last.actor_id, last.reason) == ("owner_changed", "ppo", "Alex moved to the Leaving Care team")
                assert last.summary == "Responsible Officer changed from Alex Dunmore to Charlie Vance"
            for case_id in out.cases:
                row = await uow.cases.get(case_id)
                case = gl.case_from_dict(row.state)
                assert case.requester == "ro-3" and row.version == versions[case_id] + 1  # old cards go stale
                assert case.history[-1].summary == "Work handed over from Alex Dunmore to Charlie Vance"
            assert [d.case_id for d in await uow.cases.drafts((await uow.documents.by_ref("PP-001")).id)] == [drafted.case.id]
        # The PPO did it, so the PPO is not told their own news; the successor, the RSM and Alex are.
        assert sorted(n.person_id for n in out.notices) == ["ro-1", "ro-3", "rsm-safeguarding"]
        told = next(n for n in out.notices if n.person_id == "ro-3")
        assert f"case {drafted.case.id}" in told.body and "1 draft" in told.body

        again = await reassign_ro(services, "ro-3", "ro-1", refs=["PP-001"])
        ppo = [n for n in again.notices if n.person_id == "ppo"]
        assert len(ppo) == 1 and ppo[0].subject == "Change of Responsible Officer"
        assert "Alex Dunmore now owns 1 document that Charlie Vance owned: PP-001" in ppo[0].body
        assert "(NCT-1)" in ppo[0].body
    finally:
        await services.store.close()


async def test_a_reassignment_that_cannot_be_done_changes_nothing_NCT_1(db_url, clock):
    services = await _demo(db_url, clock)
    try:
        async with services.uow() as uow:
            await uow.people.update("ro-5", active=False)
            await uow.commit()
        before = await snapshot(services)
        with pytest.raises(BadInput, match="Elliot Marr has left"):
            await reassign_ro(services, "ro-1", "ro-5")
        with pytest.raises(BadInput, match="both the current owner and the successor"):
            await reassign_ro(services, "ro-1", "alex dunmore")
        with pytest.raises(NotFound, match="can't find the successor 'Nobody Here'"):
            await reassign_ro(services, "ro-1", "Nobody Here")
        with pytest.raises(BadInput, match="not the RO of PP-046"):
            await reassign_ro(services, "ro-1", "ro-3", refs=["PP-001", "PP-046"])
        assert await snapshot(services) == before
    finally:
        await services.store.close()


async def test_directory_csv_load_adds_updates_and_flags_leavers_documents_to_the_ppo_NCT_1(db_url, clock, tmp_path):
    services = await _demo(db_url, clock)
    try:
        bad = tmp_path / "bad.csv"
        bad.write_text("Name,Email,Active\nNew Person,not-an-email,yes\nOther,other@example.org,maybe\n", encoding="utf-8")
        before = await snapshot(services)
        report = await load_csv(services, bad, PeopleCsv())
        assert not report.applied
        assert report.rejected == ["row 2: 'not-an-email' is not an email address",
                                   "row 3: Active 'maybe' should be yes or no"]
        assert await snapshot(services) == before

        people = tmp_path / "people.csv"
        people.write_text(
            "Name,Email,Job title,Department,Manager,Roles,Active\n"
            "Alex Dunmore,alex.dunmore@example.org,Service Manager MASH,Safeguarding,morgan.reyes@example.org,ro,yes\n"
            "Jamie Castellan,jamie.castellan@example.org,Service Manager Fostering,Children in Care,,ro,no\n"
            "Nia Brooks,nia.brooks@example.org,Team Manager,Early Help,Casey Lindqvist,ro;consultee,yes\n",
            encoding="utf-8")
        report = await load_csv(services, people, PeopleCsv())
        assert report.applied and report.added == ["Nia Brooks"]
        assert sorted(report.updated) == ["Alex Dunmore", "Jamie Castellan"] and report.left == ["Jamie Castellan"]
        async with services.uow() as uow:
            alex = await uow.people.get("ro-1")
            assert (alex.job_title, alex.manager_id) == ("Service Manager MASH", "rsm-safeguarding")
            nia = await uow.people.by_email("nia.brooks@example.org")
            assert (nia.id, nia.manager_id, sorted(nia.role_names)) == ("nia-brooks", "rsm-early-help", ["consultee", "ro"])
            jamie_docs = sorted(d.ref for d in await RegisterRepo(uow.session).documents_of("ro-2"))
        assert sorted(report.orphaned) == jamie_docs and jamie_docs
        assert [n.person_id for n in report.notices] == ["ppo"]
        assert all(ref in report.notices[0].body for ref in jamie_docs)
        problems = await ownership_problems(services)
        assert sorted(p.ref for p in problems) == jamie_docs
        assert all(p.problem == "RO Jamie Castellan has left: orphaned to the PPO" for p in problems)

        again = await load_csv(services, people, PeopleCsv())  # the same file again: no news, no second notice
        assert (again.added, again.updated, again.unchanged, again.notices, again.orphaned) == ([], [], 3, [], [])

        handed = await reassign_ro(services, "ro-2", "nia.brooks@example.org")
        assert sorted(handed.documents) == jamie_docs
        assert await ownership_problems(services) == []  # a new owner clears the flags
    finally:
        await services.store.close()


def _graph_users() -> list[dict]:
    users = []
    for key, name, title, area, _roles in PEOPLE:
        if key == "qa-1":
            continue  # deleted from Entra ID
        users.append({"id": _aad(key), "displayName": name, "mail": name.lower().replace(" ", ".").replace("-", "") + "@example.org",
                      "userPrincipalName": key + "@example.org", "jobTitle": title, "department": area,
                      "accountEnabled": key != "ro-2", "businessPhones": ["+44 20 7946 0000"]})
    users.append({"id": "aad-nia", "displayName": "Nia Brooks", "mail": None, "userPrincipalName": "Nia.Brooks@example.org",
                  "jobTitle": "Team Manager", "department": "Early Help", "accountEnabled": True})
    return users


async def test_graph_sync_with_paging_managers_role_groups_and_a_disabled_account_NCT_1(db_url, clock, monkeypatch):
    graph = await GraphServer(
        _graph_users(),
        managers={_aad("ro-1"): _aad("rsm-safeguarding"), "aad-nia": _aad("rsm-early-help")},
        groups={"g-ppo": [_aad("ppo")], "g-rsm": [_aad("rsm-safeguarding"), _aad("rsm-cla"), _aad("rsm-adults"), "aad-nia"]},
        page_size=5,
    ).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", graph.ca_file.name)
    env = {"REQUESTS_CA_BUNDLE": graph.ca_file.name, "MicrosoftAppTenantId": TENANT, "POLICYBOT_GRAPH_CLIENT_ID": CLIENT_ID, "GRAPH_CLIENT_SECRET": CLIENT_SECRET,
           "GRAPH_BASE_URL": f"{graph.url}/v1.0", "AUTHORITY_HOST": graph.url,
           "POLICYBOT_GRAPH_ROLE_GROUPS": "ppo=g-ppo; rsm=g-rsm"}
    services = await _demo(db_url, clock, **env)
    try:
        report = await sync_graph(services, services.runtime.directory())
        user_pages = [r for r in graph.requests if r.startswith("/v1.0/users?")]
        assert len(user_pages) == 4 and sum("$skiptoken" in r for r in user_pages) == 3  # 16 to 20 users, 5 a page
        assert "$select=id,displayName,mail,userPrincipalName,jobTitle,department,accountEnabled" in user_pages[0]
        assert len(graph.token_requests) == 1 and graph.token_requests[0]["grant_type"] == "client_credentials"
        assert report.added == ["Nia Brooks"]
        assert sorted(report.left) == ["Jamie Castellan", "Rowan Feld"]  # disabled, and deleted
        async with services.uow() as uow:
            jamie = await uow.people.get("ro-2")
            assert not jamie.active
            nia = await uow.people.by_aad("aad-nia")
            assert (nia.email, nia.manager_id, sorted(nia.role_names), nia.tenant_id) == (
                "nia.brooks@example.org", "rsm-early-help", ["rsm"], TENANT)
            assert (await uow.people.get("ro-1")).manager_id == "rsm-safeguarding"
            # Roles from groups: Casey is not in the RSM group any more, keeps the roles groups don't decide.
            demo_roles = {key: set(roles) for key, *_, roles in PEOPLE}
            assert sorted((await uow.people.get("rsm-early-help")).role_names) == sorted(demo_roles["rsm-early-help"] - {"rsm"})
            assert "rsm" in demo_roles["rsm-early-help"]
            assert sorted((await uow.people.get("ppo")).role_names) == sorted(demo_roles["ppo"] | {"ppo"})
            jamie_docs = sorted(d.ref for d in await RegisterRepo(uow.session).documents_of("ro-2"))
        assert sorted(report.orphaned) == jamie_docs
        ppo = [n for n in report.notices if n.person_id == "ppo"]
        assert len(ppo) == 1 and "Jamie Castellan has left" in ppo[0].body

        again = await sync_graph(services, services.runtime.directory())
        assert (again.added, again.updated, again.left, again.notices) == ([], [], [], [])
        assert again.unchanged == len(_graph_users())  # everyone listed, the disabled account included
    finally:
        await services.store.close()
        await graph.stop()


async def test_graph_refusing_the_app_credentials_is_a_polite_error_and_changes_nothing(sqlite_url, clock, monkeypatch):
    graph = await GraphServer(_graph_users(), {}, {}).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", graph.ca_file.name)
    services = await _demo(sqlite_url, clock, REQUESTS_CA_BUNDLE=graph.ca_file.name, MicrosoftAppTenantId=TENANT, POLICYBOT_GRAPH_CLIENT_ID=CLIENT_ID,
                           GRAPH_CLIENT_SECRET="wrong", GRAPH_BASE_URL=f"{graph.url}/v1.0", AUTHORITY_HOST=graph.url)
    try:
        before = await snapshot(services)
        with pytest.raises(DirectoryError, match="refused policybot's app credentials \\(invalid_client\\)"):
            await sync_graph(services, services.runtime.directory())
        assert await snapshot(services) == before and graph.requests == []
    finally:
        await services.store.close()
        await graph.stop()


async def test_owner_reassign_from_the_command_line_queues_the_notices_for_delivery_NCT_1(db_url, clock, capsys):
    """The command line cannot talk to Teams itself: its notices go to the outbox, and the
    scheduler delivers them like any other (so the PPO is really told)."""
    import asyncio
    import os
    from unittest import mock

    from policybot.cli import main
    from services.delivery import outbox

    services = await _demo(db_url, clock)
    try:
        env = {"DATABASE_URL": db_url, "POLICYBOT_DEMO": "0"}
        with mock.patch.dict(os.environ, env):
            code = await asyncio.to_thread(main, ["owner", "reassign", "ro-1", "ro-3", "--ref", "PP-001", "--reason", "Alex is leaving"])
        assert code == 0
        out = capsys.readouterr().out
        assert "Handed over 1 documents (PP-001)" in out and "Queued for the people concerned" in out
        queued = [r for r in await outbox.listing(services.uow, "pending") if r.kind == "notice"]
        assert "ppo" in {r.person_id for r in queued}
    finally:
        await services.store.close()


async def test_an_email_address_passed_to_someone_new_moves_without_merging_the_two_people(db_url, clock, monkeypatch):
    """A mailbox reused in Entra ID: Jamie (ro-2) has left and a new starter now has Jamie's
    address. The sync gives the address to the new account, takes it off Jamie, and never treats
    the two as one person (their documents stay with Jamie and are flagged)."""
    users = _graph_users()
    jamie = next(u for u in users if u["id"] == _aad("ro-2"))
    users.append({"id": "aad-new-starter", "displayName": "Drew New", "mail": jamie["mail"], "userPrincipalName": "drew.new@example.org",
                  "jobTitle": "Social Worker", "department": "Children in Care", "accountEnabled": True})
    jamie["mail"] = None
    jamie["userPrincipalName"] = "old.jamie@example.org"
    graph = await GraphServer(users, managers={}, groups={"g-ppo": [_aad("ppo")]}, page_size=50).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", graph.ca_file.name)
    env = {"REQUESTS_CA_BUNDLE": graph.ca_file.name, "MicrosoftAppTenantId": TENANT, "POLICYBOT_GRAPH_CLIENT_ID": CLIENT_ID, "GRAPH_CLIENT_SECRET": CLIENT_SECRET,
           "GRAPH_BASE_URL": f"{graph.url}/v1.0", "AUTHORITY_HOST": graph.url, "POLICYBOT_GRAPH_ROLE_GROUPS": "ppo=g-ppo"}
    services = await _demo(db_url, clock, **env)
    try:
        async with services.uow() as uow:  # Jamie's directory entry still holds the address
            await uow.people.update("ro-2", email=users[-1]["mail"])
            await uow.commit()
        report = await sync_graph(services, services.runtime.directory())
        assert "Drew New" in report.added
        async with services.uow() as uow:
            drew = await uow.people.by_aad("aad-new-starter")
            old = await uow.people.get("ro-2")
            assert drew.id != "ro-2" and drew.email == users[-1]["mail"]
            assert old.email == "old.jamie@example.org" and not old.active
            moved = [e.action for e in await uow.audit.for_entity("person", "ro-2")]
        assert "email_moved" in moved
    finally:
        await services.store.close()
        await graph.stop()


async def test_reminders_queued_for_the_previous_ro_are_withdrawn_and_owed_to_the_successor_NCT_1(db_url, clock):
    from datetime import date

    from services.delivery import outbox
    from services.reminders import sweeps

    services = await _demo(db_url, clock)
    try:
        async with services.uow() as uow:
            for d in await uow.documents.all():
                await uow.documents.update(d.id, next_review_due=date(2026, 11, 30) if d.ref == "PP-001" else date(2029, 1, 1))
            await uow.commit()
        await sweeps.sweep_reviews(services, "test")  # owed to Alex (ro-1) and the RSM, not yet sent
        await reassign_ro(services, "ro-1", "ro-3", refs=["PP-001"])
        await sweeps.sweep_reviews(services, "test")
        rows = {(r.person_id, r.status) for r in await outbox.listing(services.uow, None, 100) if r.kind == "review_due"}
        assert rows == {("ro-1", "skipped"), ("ro-3", "pending"), ("rsm-safeguarding", "pending")}
    finally:
        await services.store.close()
