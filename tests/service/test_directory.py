"""The directory kept true from a directory source (Entra ID through Graph, behind the
DirectorySource port; here its fake): a leaver becomes inactive and the documents they own are
flagged to the PPO (NCT-1: every procedure has an RO at all times), a joiner is added, in one commit."""

from __future__ import annotations

from services.demo import DEMO_TENANT, PEOPLE, _aad
from services.people.directory import sync_graph
from services.ports import DirectoryEntry


def _entries(leaving: str) -> list[DirectoryEntry]:
    listed = [DirectoryEntry(name=name, email=name.lower().replace(" ", ".").replace("-", "") + "@example.org",
                             aad_object_id=_aad(key), job_title=title, service_area=area)
              for key, name, title, area, _roles in PEOPLE if key != leaving]
    listed.append(DirectoryEntry(name="Noor Haddad", email="noor.haddad@example.org", aad_object_id="aad-noor",
                                 job_title="Team Manager, MASH", service_area="Safeguarding"))
    return listed


async def test_nct_1_a_leaver_is_made_inactive_and_their_documents_are_flagged_to_the_ppo(demo):
    demo.directory.entries = _entries(leaving="ro-1")
    demo.directory.tenant_id = DEMO_TENANT
    commits = demo.db.commits
    report = await sync_graph(demo.services, demo.directory)
    assert demo.db.commits == commits + 1 and demo.directory.reads == 1
    assert (report.added, report.left) == (["Noor Haddad"], ["Alex Dunmore"])
    people = {p.id: p for p in demo.db.rows("people")}
    assert people["ro-1"].active is False
    joiner = next(p for p in people.values() if p.name == "Noor Haddad")
    assert (joiner.email, joiner.active, joiner.tenant_id) == ("noor.haddad@example.org", True, DEMO_TENANT)
    alexs = sorted(d.ref for d in demo.db.rows("documents") if d.ro_id == "ro-1" and d.status != "retired")
    assert alexs and sorted(report.orphaned) == alexs
    assert sorted(f.person_id for f in demo.db.rows("ownership_flags")) == ["ro-1"] * len(alexs)
    to_ppo = demo.outbox(person_id="ppo")
    assert len(to_ppo) == 1 and all(ref in to_ppo[0].body for ref in alexs)
    assert [a.action for a in demo.audit(entity="person", entity_id="ro-1")] == ["person_left"]
    again = await sync_graph(demo.services, demo.directory)  # the same directory again: nothing new
    assert (again.added, again.left, again.orphaned) == ([], [], [])
    assert len(demo.outbox(person_id="ppo")) == 1
