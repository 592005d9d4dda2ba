"""Search over the manual and the register (LBBD-1, NCT-17, DOR-2: check what exists first) through
the answer index (services/manual/answers.find, the one search since the chapter-level full-text
search was retired), on SQLite and PostgreSQL: relevance on practitioners' questions, acronyms and
synonyms, typos, plurals, local owners and a plain answer when nothing matches. The databases'
full-text indexes stay for `manual impact` (services/manual/impact.py): the planner must use them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.errors import BadInput
from services.manual.answers import find

# (question, chapter that must come first (1) or in the top three (3))
RELEVANCE = [
    ("what to do when a child goes missing", "Children Missing from Home and Care", 1),
    ("missing children", "Children Missing from Home and Care", 1),
    ("return home interviews", "Children Missing from Home and Care", 1),  # plural of the text's "interview"
    ("s47", "Section 47 Enquiries", 1),
    ("S.47 enquiry", "Section 47 Enquiries", 1),
    ("LAC reviews", "Looked After Reviews", 3),
    ("children in care reviews", "Looked After Reviews", 3),
    ("child in need plan", "Child in Need Plans and Reviews", 1),
    ("CIN plans", "Child in Need Plans and Reviews", 3),
    ("s17 assessment", "Assessment of Children in Need under Section 17", 3),
    ("care leavers pathway plan", "Pathway Planning for Care Leavers", 1),
    ("relevant child personal adviser", "Personal Advisers", 3),
    ("DoLS", "Deprivation of Liberty Safeguards", 3),
    ("LADO allegation against staff", "Allegations Against Staff, Carers and Volunteers", 3),
    ("UASC age assessment", "Age Assessments", 3),
    ("PLO letter before proceedings", "Pre-proceedings and the Public Law Outline", 3),
    ("EHCP", "Education, Health and Care Plans", 3),
    ("MASH referral", "Multi Agency Safeguarding Hub", 3),
    ("CP conference", "Initial Child Protection Conferences", 3),
    ("private fostering notification", "Private Fostering", 1),
    ("safegaurding adults enquiry", "Safeguarding Adults Enquiries (Section 42)", 3),  # typo
    ("deprivaton of libery", "Deprivation of Liberty Safeguards", 3),  # two typos
]


pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture
def synced(indexed):
    return indexed[0]


@pytest.fixture
def site(indexed):
    return indexed[1]


async def test_practitioners_questions_find_the_right_chapter(synced):
    """LBBD-1 / NCT-17 / DOR-2: the manual is checked first, so the right chapter must come up."""
    misses = []
    for question, chapter, within in RELEVANCE:
        outcome = await find(synced, question)
        titles = [r.title for r in outcome.cited]
        if outcome.kind == "nothing" or chapter not in titles[:within]:
            misses.append(f"{question!r}: expected {chapter!r} in the top {within}, got {titles[:3]}")
    assert misses == []


async def test_results_show_section_snippet_address_date_and_local_owner(synced, site):
    outcome = await find(synced, "missing children")
    first = outcome.cited[0]
    chapter = site.chapters["missing-children"]
    assert first.kind == "chapter"
    assert first.section == "Child Protection"
    assert (first.url or "").split("#")[0] == site.origin + chapter.path
    assert first.updated_on == chapter.updated_on
    assert "**" in (outcome.quote or "")  # the matched words are highlighted
    # The register's PP-001 has the same title: it is shown with the chapter, with its owner.
    assert (first.ref, first.owner, first.owner_id) == ("PP-001", "Alex Dunmore", "ro-1")
    assert "PP-001" not in [r.ref for r in outcome.cited[1:]]


async def test_a_register_document_with_no_chapter_is_found_with_its_owner_standing_in(synced):
    """NCT-1: PP-007 has no RO, so its RSM is shown as the owner (beside the manual's chapter it adapts)."""
    outcome = await find(synced, "Allegations Against Staff and Volunteers LADO")
    doc = next(r for r in outcome.cited if r.ref == "PP-007")
    assert (doc.ref, doc.owner) == ("PP-007", "Morgan Reyes")


async def test_typos_are_corrected_against_the_index_only_when_they_have_no_hits(synced):
    outcome = await find(synced, "chidlren misssing from home")
    assert dict(outcome.corrections) == {"chidlren": "children", "misssing": "missing"}
    assert outcome.cited[0].title == "Children Missing from Home and Care"
    # A real word that is in the manual is never "corrected".
    assert (await find(synced, "fostering")).corrections == ()


async def test_no_good_match_says_so(synced):
    outcome = await find(synced, "underwater basket weaving")
    assert not outcome.good and outcome.cited == ()
    # A word that only looks like a known word is not forced onto it ("weaving" is not "leaving").
    assert outcome.corrections == ()
    weak = await find(synced, "missing giraffes")
    assert not weak.good  # only half the question matched


async def test_a_too_long_query_is_refused_politely(synced):
    with pytest.raises(BadInput, match="too long"):
        await find(synced, "word " * 100)
    assert (await find(synced, "the of and")).cited == ()


async def test_postgresql_search_uses_the_gin_indexes(synced):
    if synced.store.dialect != "postgresql":
        pytest.skip("the GIN indexes are PostgreSQL's")
    async with synced.store.uow() as uow:
        await uow.session.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(r[0] for r in (await uow.session.execute(text(
            "EXPLAIN SELECT id FROM manual_chapters WHERE search_vector @@ phraseto_tsquery('english', 'missing')"))).all())
        assert "ix_manual_chapters_search" in plan
        from store.manual_search import DOCUMENT_TSV

        plan = "\n".join(r[0] for r in (await uow.session.execute(text(
            f"EXPLAIN SELECT d.id FROM documents d WHERE {DOCUMENT_TSV} @@ phraseto_tsquery('english', 'fostering')"))).all())
        assert "ix_documents_search" in plan
