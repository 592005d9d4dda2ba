"""The answer index's pure parts (issue 16): passages read from a chapter page with their heading
and its anchor, words folded (UK spelling, plurals, endings, numbers), BM25 documents removed,
and the quote chosen from the manual's own sentences with the matched words in bold."""

from __future__ import annotations

import pytest

from connectors.trix.pages import Site, parse_chapter
from services.manual.answer_index import AnswerIndex, Source, term, terms_of
from services.manual.bm25 import Bm25
from services.manual.index_file import pack, unpack
from services.manual.quote import bold, choose
from services.ports import ManualPassage

PAGE = """<html><body><nav><ul><li><a href="/manual/x.html">Contents</a></li></ul></nav><main>
<h1>Allegations Against Staff</h1><p class="chapter-updated">Updated: 3 March 2026</p>
<h2 id="scope">Scope of this Chapter</h2>
<p>This chapter applies when it is alleged that someone who works with children has harmed a child.</p>
<h2><a name="outcomes"></a>Outcomes</h2>
<p>When the investigation ends, the LADO records one of five outcomes.</p>
<ul><li>Substantiated: there is enough evidence to prove the allegation.</li>
<li><p>Unfounded: there is no evidence or proper basis to support the allegation.</p></li></ul>
<a id="related"></a><h2>Related Chapters</h2>
<ul><li><a href="/manual/chapters/s47.html">Section 47 Enquiries</a></li></ul>
</main></body></html>"""


def test_a_chapter_page_becomes_passages_with_their_heading_and_its_anchor():
    site = Site("https://manual.example.org/manual/")
    page = parse_chapter("https://manual.example.org/manual/chapters/lado.html", PAGE, section="Child Protection",
                         linked_title="LADO", site=site)
    got = [(p.kind, p.heading, p.anchor, p.text[:20]) for p in page.passages]
    assert got == [
        ("p", "Scope of this Chapter", "scope", "This chapter applies"),
        ("p", "Outcomes", "outcomes", "When the investigati"),
        ("li", "Outcomes", "outcomes", "Substantiated: there"),
        ("p", "Outcomes", "outcomes", "Unfounded: there is "),  # the paragraph inside the list item, once
    ]  # the last-updated line and the related-chapter links are not passages


def test_words_are_folded_the_same_way_in_the_question_and_the_manual():
    assert term("organizations") == term("organisation")
    assert term("behavior") == term("behaviour")
    assert term("disputed") == term("dispute")
    assert term("planning") == term("plan") == term("planned")
    assert term("children") == term("child")
    assert term("four") == term("4")
    assert term("size") != term("sise")
    assert "the" not in terms_of("the plan for the child")


def test_a_removed_document_scores_nothing_and_leaves_the_statistics():
    bm = Bm25()
    a = bm.add([("missing", 1.0), ("child", 1.0)])
    b = bm.add([("child", 1.0), ("plan", 1.0)])
    assert bm.df["child"] == 2
    bm.remove(a)
    ids, scores = bm.scores("missing")
    assert ids.size == 0 and bm.df["child"] == 1 and bm.live == 1
    assert bm.scores("child")[0].tolist() == [b]


def test_the_index_ranks_the_passage_that_holds_the_whole_question():
    index = AnswerIndex()
    index.put(Source(("chapter", 1), "Children Missing from Home and Care", "Child Protection", "u1", None, "v1", (
        ManualPassage("p", "This chapter sets out what to do when a child goes missing.", "Scope", "scope"),
        ManualPassage("p", "Every child who returns is offered a return home interview within 72 hours.", "Procedure", "procedure"),
    )))
    index.put(Source(("chapter", 2), "Care Planning", "Children in Care", "u2", None, "v2", (
        ManualPassage("p", "Each child in care has a care plan and a placement plan.", None, None),)))
    hits = index.search([[("return", "home", "interview"), ("rhi",)], [("72",)]])
    assert hits[0].source.key == ("chapter", 1) and hits[0].passage.anchor == "procedure"
    assert hits[0].passage_coverage == 1.0
    index.drop(("chapter", 1))  # a chapter the sync removed is never found again
    assert index.search([[("return", "home", "interview")]]) == []


def test_the_quote_is_two_to_five_of_the_manuals_sentences_with_the_matched_words_in_bold():
    long = ManualPassage("p", " ".join(f"Sentence {n} is about topic {n}." for n in range(1, 9)) + " The strategy discussion decides.")
    chosen = choose([long], 0, frozenset({term("strategy"), term("discussion")}))
    assert len(chosen) == 5 and chosen[-1] == "The strategy discussion decides."
    lead = ManualPassage("p", "The LADO records one of five outcomes.", "Outcomes")
    item = ManualPassage("li", "Unfounded: there is no evidence.", "Outcomes")
    assert choose([lead, item], 1, frozenset()) == ["The LADO records one of five outcomes.", "Unfounded: there is no evidence."]
    wanted = frozenset(terms_of("child in need plan"))
    assert bold("A child in need plan is drawn up.", wanted) == "A **child in need plan** is drawn up."


def _chapter(n: int, title: str, *paragraphs: str) -> Source:
    return Source(("chapter", n), title, "Child Protection", f"https://manual.example.org/{n}.html", None, f"v{n}",
                  tuple(ManualPassage("p", p, "Procedure", f"h{n}") for p in paragraphs))


def test_the_kept_index_reads_back_whole_and_keeps_changing_one_chapter_at_a_time():
    """Issue 16 items 6 and 7: the index kept (services/manual/index_file.py) reads back to the same
    answers, and a chapter can then be replaced or removed as in the index it was built as."""
    index = AnswerIndex()
    index.put(_chapter(1, "Children Missing from Home and Care", "A return home interview is offered within 72 hours.",
                       "The police are told at once when a child goes missing."))
    index.put(_chapter(2, "Section 47 Enquiries", "A strategy discussion decides whether to start a section 47 enquiry."))
    index.put(_chapter(3, "Private Fostering", "A private fostering arrangement is notified to the council."))
    index.drop(("chapter", 3))
    read, drafts = unpack(pack(index, {7: ("abc", "draft.docx", ["Our own paragraph about the rota."])}))
    assert drafts == {7: ("abc", "draft.docx", ["Our own paragraph about the rota."])}
    question = [[(term("return"), term("home"), term("interview"))], [(term("hours"),)]]
    same = [[(h.source.key, round(h.score, 6), h.passage_no) for h in i.search(question)] for i in (index, read)]
    assert same[0] == same[1] and same[0][0][0] == ("chapter", 1)
    assert read.versions("chapter") == {1: "v1", 2: "v2"} and read.passage_count() == 3
    read.put(_chapter(2, "Section 47 Enquiries", "A section 47 enquiry starts within one working day of the strategy discussion."))
    read.drop(("chapter", 1))
    assert [h.source.key for h in read.search([[(term("working"),)], [(term("day"),)]])] == [("chapter", 2)]
    assert read.search(question) == [] and read.passage_count() == 1


def test_a_damaged_kept_index_is_refused():
    index = AnswerIndex()
    index.put(_chapter(1, "Private Fostering", "A private fostering arrangement is notified to the council."))
    data = pack(index, {})
    for bad in (b"not an index", data[: len(data) // 2], data[:20] + bytes([data[20] ^ 0xFF]) + data[21:]):
        with pytest.raises(ValueError):
            unpack(bad)
