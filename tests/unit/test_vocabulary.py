"""The social-care vocabulary: acronyms and synonyms searched together (pure, no I/O but the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.manual.search import load_vocabulary, parse_query, same_title_key, tokens


def test_vocabulary_expands_acronyms_and_synonyms():
    vocab = load_vocabulary()
    concepts = parse_query(tokens("LAC reviews for UASC"), vocab)
    lac, reviews, uasc = concepts
    assert ("looked", "after") in lac.phrases and ("children", "in", "care") in lac.phrases and ("cla",) in lac.phrases
    assert reviews.phrases == (("reviews",),)
    assert ("unaccompanied", "asylum", "seeking", "children") in uasc.phrases
    # S.47, s 47 and s47 are one thing; "section 47 enquiries" (plural) is the same group.
    assert parse_query(tokens("S.47"), vocab)[0].group == parse_query(tokens("section 47 enquiries"), vocab)[0].group


def test_a_malformed_vocabulary_file_is_reported_with_its_group(tmp_path: Path):
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("groups:\n  - [CIN, child in need]\n  - [lonely]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="group 2"):
        load_vocabulary(bad)


def test_titles_that_name_the_same_document():
    assert same_title_key("Deprivation of Liberty Safeguards (DoLS)") == same_title_key("Deprivation of liberty safeguards")
    assert same_title_key("Children in Need Plans and Reviews") == same_title_key("Child in Need Plan and Review")
    assert same_title_key("Staying Put") != same_title_key("Staying Close")
