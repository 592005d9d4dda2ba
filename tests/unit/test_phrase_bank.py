"""Issue 15: what people type, read the way they meant it. The phrase bank (tests/unit/phrases/)
holds phrasings written fresh, the way staff type; the recogniser is built from the command table
only and is never trained on the held-out half (test.yaml)."""

from __future__ import annotations

import pytest

from dialogs.commands import TABLE
from dialogs.normalise import normalise
from dialogs.recogniser import Recogniser, TitleIndex
from governance import glossary
from governance.preset import load_preset
from tests.unit.phrases import bank


@pytest.fixture(scope="module")
def recogniser():
    return Recogniser()


@pytest.fixture(scope="module")
def preset():
    return load_preset("nct")


def test_the_bank_has_over_400_fresh_phrasings_across_every_command():
    phrases = bank.load("dev") + bank.load("test")
    assert len(phrases) >= 400
    examples = {normalise(e) for c in TABLE for e in c.examples}
    copied = [t for _, t in bank.load("test") if normalise(t) in examples]
    assert len(copied) <= len(bank.load("test")) // 10, copied  # a few short commands ('report', 'help') are the command itself
    labels = {label for label, _ in phrases}
    table = {c.id.split(".")[0] if not c.action else f"decide.{c.action}" for c in TABLE}
    assert table - {"find", "define", "smalltalk", "decide.approve_by_vote", "decide.submit_draft", "decide.submit_amendments",
                    "decide.decide_yes", "decide.decide_no", "decide.provide_information", "decide.record_legal",
                    "decide.record_workshop"} <= labels | {"find"}


def test_held_out_accuracy_per_command(recogniser, preset):
    accuracy, by_label, per, misses = bank.score(recogniser, preset, bank.load("test"))
    report = bank.table(per) + "\n" + "\n".join(f"  missed {label}: got {got} for {text!r}" for label, got, text in misses)
    print(f"\nphrase bank (held out): {accuracy:.1%} of {sum(v[1] for v in per.values())}\n{report}")
    assert accuracy >= 0.95, report
    assert all(v >= 0.85 for v in by_label.values()), report


def test_the_development_half_is_read_as_meant(recogniser, preset):
    """The half the table was tuned on: kept above the bar so a change that breaks it shows."""
    accuracy, by_label, per, misses = bank.score(recogniser, preset, bank.load("dev"))
    print(f"\nphrase bank (development): {accuracy:.1%}\n{bank.table(per)}")
    assert accuracy >= 0.95, misses


def test_two_commands_in_one_message_do_the_first_and_say_so(recogniser):
    for item in bank.sections("test")["two_commands"]:
        r = recogniser.read(item["text"])
        assert r.kind in ("act", "confirm") and r.command is not None
        assert r.command.id.startswith(item["expect"]) and r.also, item


def test_off_topic_chat_gets_a_friendly_reply_and_no_false_match(recogniser):
    for text in bank.sections("test")["smalltalk"] + bank.sections("dev")["smalltalk"]:
        r = recogniser.read(text)
        assert r.command is None or not r.command.changes_state, text
        assert r.kind in ("act", "question") and (r.command is None or r.command.id == "smalltalk"), text


@pytest.mark.parametrize("said", ["pls aprove case 12", "aprove case 12", "withdrwa case 4", "approve 12"])
def test_a_guessed_or_corrected_state_change_is_only_offered(recogniser, said):
    r = recogniser.read(said)
    assert r.kind in ("confirm", "choose") and r.command.changes_state  # asked, never acted on
    assert r.command.id in ("decide.approve", "decide.withdraw")


@pytest.mark.parametrize("said", ["approve case 12", "Approve case 12.", "approve #12", "please approve case no. 12"])
def test_a_clear_decision_is_acted_on(recogniser, said):
    r = recogniser.read(said)
    assert (r.kind, r.command.id, r.slots.case) == ("act", "decide.approve", 12)


@pytest.mark.parametrize("said", ["status PP-001", "status pp 1", "status pp001", "status PP-1", "STATUS  pp-01"])
def test_document_references_in_any_form(recogniser, said):
    r = recogniser.read(said)
    assert r.command.id == "status" and r.slots.refs == ["PP-001"]


def test_a_reference_is_spelt_as_the_register_spells_it(recogniser):
    r = recogniser.read("history cp 7", prefixes=("pp", "cp"), known_refs={("cp", 7): "CP-0007"})
    assert r.command.id == "history" and r.slots.refs == ["CP-0007"]


@pytest.mark.parametrize("said", ["show case 12", "case no. 12", "#12", "what's happening with case 12?"])
def test_cases_in_any_form(recogniser, said):
    r = recogniser.read(said)
    assert r.command.id == "case" and r.slots.case == 12


def test_the_card_being_answered_gives_the_case(recogniser):
    r = recogniser.read("approve", card_case=31)
    assert r.command.id == "decide.approve" and r.slots.case == 31


@pytest.mark.parametrize("said", ["add a meeting on 4/1/27", "add a meeting on 04.01.2027", "add a meeting on 4 Jan",
                                  "add a meeting on 4th January", "schedule an extra meeting next Friday",
                                  "add a meeting at the end of March", "add a meeting in two weeks", "add a meeting tomorrow"])
def test_dates_in_every_uk_form_are_found(recogniser, said):
    r = recogniser.read(said)
    assert r.command.id == "add_meeting" and r.slots.dates, said


def test_shorthand_is_spelt_out():
    assert normalise("pls can u check the s47 cp and cin docs asap thx") == (
        "please can you check the section 47 child protection and child in need documents as soon as possible thanks")
    assert normalise("LAC, CLA and DoLS") == "looked after children looked after children and deprivation of liberty safeguards"
    assert normalise("What's the organization's behavior policy? I've canceled") == (
        "what is the organisation behaviour policy i have cancelled")


@pytest.mark.parametrize("said", ["kinship care", "what do I do if a child goes missing from care",
                                  "where's the guidance for lone working", "how long have I got to complete a s47"])
def test_anything_that_is_not_a_command_is_a_question(recogniser, said):
    assert recogniser.read(said).kind == "question"


@pytest.mark.parametrize("said", ["x" * 25_000, "🙂🙂🙂", "😀 👍", "!!!???"])
def test_bad_input_is_read_without_fuss(recogniser, said):
    r = recogniser.read(said)
    assert r.kind in ("bad", "question")


def test_a_document_by_a_unique_part_of_its_title(recogniser):
    titles = TitleIndex([("PP-001", "Children Missing from Home and Care"), ("PP-010", "County Lines and Child Criminal Exploitation"),
                         ("PP-011", "Children Missing Education"), ("PP-002", "Section 47 Enquiries")])
    r = recogniser.read("status of the county lines procedure", titles=titles)
    assert (r.command.id, r.slots.refs) == ("status", ["PP-010"])
    r = recogniser.read("history of the s47 enquiries procedure", titles=titles)
    assert (r.command.id, r.slots.refs) == ("history", ["PP-002"])
    r = recogniser.read("status of the missing children procedure", titles=titles)
    assert r.slots.refs == [] and r.slots.ambiguous == ["PP-001", "PP-011"]  # two fit: asked, not guessed


@pytest.mark.parametrize("key", ["nct", "bct", "lbbd", "dorset"])
def test_ma_1_every_preset_has_a_glossary_of_its_types_roles_and_bodies(key):
    preset = load_preset(key)
    for t in preset.document_types.values():
        answer = glossary.answer(preset, f"what is a {t.label}?")
        assert answer is not None and t.label.lower() in answer.meaning.lower(), t.label
    for b in preset.bodies.values():
        for name in (b.name, *b.aliases):
            assert glossary.answer(preset, f"what does {name} stand for?") is not None, name
    assert "Senior Leadership Team" in glossary.answer(preset, "what does SLT stand for").meaning


def test_ma_2_a_strategy_document_is_told_apart_from_a_strategy_meeting(preset):
    for said in ("what's the difference between a strategy and a strategy meeting?",
                 "is a strategy the same as a strategy meeting", "what goes in a strategy rather than a policy?"):
        answer = glossary.answer(preset, said)
        assert answer is not None and len(answer.compared) == 2, said
    assert "Section 47" in glossary.answer(preset, "is a strategy the same as a strategy meeting").meaning
    assert "protocol with partners is still a protocol" in glossary.answer(preset, "is a protocol just a policy with partners?").meaning
    assert glossary.answer(preset, "what is the procedure for missing children") is None  # a question, not a definition
    assert glossary.answer(preset, "what reviews are overdue") is None
