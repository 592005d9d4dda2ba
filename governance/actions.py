"""Every action a person can take on a case, declared once: its id, the button's label, what it
does in words ("approve it"), the words that take it in chat and by email, the inputs it needs,
and the data those words or inputs carry.

The recogniser (dialogs), the cards and the email reply instructions (render), the lifecycle's
refusals (governance.lifecycle) and the help are all built from this table. Pure data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class ActionId(StrEnum):
    AGREE_NEED = "agree_need"
    DECLINE_NEED = "decline_need"
    ASK_MORE = "ask_more"
    PROVIDE_INFORMATION = "provide_information"
    SUBMIT_DRAFT = "submit_draft"
    RECORD_EIA = "record_eia"
    RECORD_LEGAL = "record_legal"
    RECORD_WORKSHOP = "record_workshop"
    NO_CHANGE = "no_change"
    LEGAL_CLEARED = "legal_cleared"
    RESPOND_AGREE = "respond_agree"
    RESPOND_COMMENT = "respond_comment"
    CLOSE_CONSULTATION = "close_consultation"
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    DEFER = "defer"
    REFER = "refer"
    NOT_APPROVED = "not_approved"
    APPROVE_BY_VOTE = "approve_by_vote"
    SUBMIT_AMENDMENTS = "submit_amendments"
    CONFIRM_CONDITIONS_MET = "confirm_conditions_met"
    CONDITIONS_NOT_MET = "conditions_not_met"
    DECIDE_YES = "decide_yes"
    DECIDE_NO = "decide_no"
    PUBLISH = "publish"
    TICK_CHECKLIST = "tick_checklist"
    SUBMIT_TO_PUBLISHER = "submit_to_publisher"
    PUBLISHED_IN_EDITION = "published_in_edition"
    WITHDRAW = "withdraw"
    DIRECTOR_APPROVE = "director_approve"  # DOR-5: the preset's alternative routes, with words for email
    INTERIM_APPROVE = "interim_approve"
    REVIEW_SESSION = "review_session"  # NCT-5: the RO decides whether a Review Session is needed
    RECORD_RELATED = "record_related"  # NCT-14: the RO confirms or dismisses each related procedure
    TEMPLATE_AVAILABLE = "template_available"  # NCT-17: the publisher has a template (Route 1)
    NO_TEMPLATE = "no_template"  # NCT-17: no template: the arrangements agreed for writing it
    RECORD_ARRANGEMENTS = "record_arrangements"  # NCT-17: the arrangements recorded later, or changed
    RECORD_NEEDS = "record_needs"  # DOR-14: the forms, training and system changes a document needs


CHECKLIST_MAX = 8  # the most checklist items a preset may have (NCT's has five)
RELATED_MAX = 8  # the most related procedures listed on a review's card (NCT-14)


class InputKind(StrEnum):
    TEXT = "text"  # free text (Input.Text, multi-line)
    YES_NO = "yes_no"  # Input.ChoiceSet yes / no
    TOGGLE = "toggle"  # Input.Toggle true / false
    SHORT = "short"  # a short value on one line (a version number)


@dataclass(frozen=True)
class Input:
    """One input a card shows for an action, and the key its value travels under."""

    id: str  # the card input id (what Teams sends back in the action's data)
    label: str
    kind: InputKind
    carries: str  # the key in the action's data the lifecycle reads ("text", "required", "version"...)
    required: bool = False
    placeholder: str | None = None


@dataclass(frozen=True)
class Words:
    """Words that take an action in chat or by email, and the data they carry ("eia needed": yes)."""

    text: str
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ActionDef:
    id: ActionId
    label: str  # the button
    verb: str  # "Only the RSM for this procedure can <verb>."
    words: tuple[Words, ...]  # chat and email words; the first is the one offered in reply instructions
    inputs: tuple[Input, ...] = ()
    reply_tail: str | None = None  # what follows 'WORDS case N' by email, when not just <your words> or <version>

    @property
    def text_input(self) -> Input | None:
        return next((i for i in self.inputs if i.carries == "text"), None)

    @property
    def needs_text(self) -> bool:
        text = self.text_input
        return bool(text and text.required)

    @property
    def text_label(self) -> str | None:
        text = self.text_input
        return text.label if text else None


def _text(action: str, label: str, *, required: bool = True) -> Input:
    return Input(f"{action}_text", label, InputKind.TEXT, "text", required)


def _w(*texts: str, **data: Any) -> tuple[Words, ...]:
    return tuple(Words(t, MappingProxyType(dict(data))) for t in texts)


A = ActionId
ACTIONS: Mapping[ActionId, ActionDef] = MappingProxyType({d.id: d for d in (
    ActionDef(A.AGREE_NEED, "Agree the need", "agree the need for it", _w("agree the need", "agree")),
    ActionDef(A.DECLINE_NEED, "Decline", "decline it", _w("decline"),
              (_text("decline_need", "Why is it not needed?"),)),
    ActionDef(A.ASK_MORE, "Ask for more information", "ask for more information", _w("ask for more information"),
              (_text("ask_more", "What do you need to know?"),)),
    ActionDef(A.PROVIDE_INFORMATION, "Add the information", "add the information", _w("more information"),
              (_text("provide_information", "The information asked for"),)),
    ActionDef(A.SUBMIT_DRAFT, "Submit the draft", "submit its draft", ()),
    ActionDef(A.RECORD_EIA, "Record the EIA decision", "record the EIA decision",
              _w("eia needed", required="yes") + _w("eia not needed", required="no"),
              (Input("eia_required", "Is an Equality Impact Assessment needed? (LBBD-5)", InputKind.YES_NO, "required"),)),
    ActionDef(A.RECORD_LEGAL, "Record the legal review decision", "record the legal review decision",
              _w("legal review needed", required="yes") + _w("legal review not needed", required="no"),
              (Input("legal_required", "Is a legal review needed? (LBBD-7)", InputKind.YES_NO, "required"),)),
    ActionDef(A.RECORD_WORKSHOP, "Record a co-production workshop", "record a workshop", _w("workshop"),
              (_text("record_workshop", "Who took part and what it changed"),)),
    ActionDef(A.NO_CHANGE, "No changes are needed", "say no changes are needed", _w("no changes are needed", "no changes"),
              (_text("no_change", "Why no changes are needed (for an unscheduled review it goes to whoever prompted it)",
                     required=False),)),
    ActionDef(A.LEGAL_CLEARED, "Legal review complete", "complete its legal review", _w("legal review complete")),
    ActionDef(A.RESPOND_AGREE, "I agree", "respond to its consultation", _w("i agree")),
    ActionDef(A.RESPOND_COMMENT, "Comment", "respond to its consultation", _w("comment"),
              (_text("respond_comment", "Your comments"),)),
    ActionDef(A.CLOSE_CONSULTATION, "Close the consultation", "close its consultation", _w("close consultation")),
    ActionDef(A.APPROVE, "Approve", "approve it", _w("approve")),
    ActionDef(A.APPROVE_WITH_CONDITIONS, "Approve with conditions", "approve it with conditions",
              _w("approve with conditions", "approve subject to amendments")
              + _w("approve with conditions and return to me", return_to_me=True),
              (_text("approve_with_conditions", "The conditions (instructions to the author)"),
               Input("return_to_me", "With conditions: send the amended draft back to me to check", InputKind.TOGGLE,
                     "return_to_me"))),
    ActionDef(A.DEFER, "Defer to the higher body", "defer it", _w("defer", "defer to slt"),
              (_text("defer", "Why it goes to the higher body"),)),
    ActionDef(A.REFER, "Refer to the higher body", "refer it", _w("refer"),
              (_text("refer", "Why it goes to the higher body"),)),
    ActionDef(A.NOT_APPROVED, "Not approved: return to the author", "return it to the author", _w("not approved"),
              (_text("not_approved", "What must change"),)),
    ActionDef(A.APPROVE_BY_VOTE, "Approve by vote", "record the vote", _w("approve by vote"),
              (Input("votes_for", "Votes for", InputKind.SHORT, "for"),
               Input("votes_against", "Votes against", InputKind.SHORT, "against"),
               _text("approve_by_vote", "The vote (for, against) and a note"))),
    ActionDef(A.SUBMIT_AMENDMENTS, "Submit the amended draft", "submit its amended draft", ()),
    ActionDef(A.CONFIRM_CONDITIONS_MET, "Conditions met", "confirm the conditions are met", _w("conditions met")),
    ActionDef(A.CONDITIONS_NOT_MET, "Conditions not met", "say the conditions are not met", _w("conditions not met"),
              (_text("conditions_not_met", "What is still missing"),)),
    ActionDef(A.DECIDE_YES, "Yes", "answer that question", _w("yes")),
    ActionDef(A.DECIDE_NO, "No", "answer that question", _w("no")),
    ActionDef(A.PUBLISH, "Record publication", "record its publication",
              _w("publish") + _w("publish with a launch", launch_planned=True),
              (Input("version", "Version number being published", InputKind.SHORT, "version", placeholder="e.g. 2.0"),
               Input("launch_planned", "A launch is planned: leave it out of the news and the weekly email",
                     InputKind.TOGGLE, "launch_planned"))),
    # NCT-16: the five-point review checklist, ticked item by item on the RO's card (or 'tick case 3: 1, 2, 4').
    ActionDef(A.TICK_CHECKLIST, "Save the checklist", "tick the review checklist", _w("tick", "ticked"),
              tuple(Input(f"checklist_{i}", f"Checklist item {i}", InputKind.TOGGLE, f"item_{i}") for i in range(1, CHECKLIST_MAX + 1))
              + (_text("tick_checklist", "If an item does not apply, why not (NCT-16)", required=False),),
              reply_tail=": <the numbers ticked, e.g. 1, 2, 4> (or: <why an item does not apply>)"),
    # NCT-10: the PPO submits the approved procedure to the publisher, then records the edition it appeared in.
    ActionDef(A.SUBMIT_TO_PUBLISHER, "Submitted to the publisher", "record its submission to the publisher",
              _w("submitted to the publisher", "submitted to trix", "sent to the publisher"),
              (_text("submit_to_publisher", "A note for the record (optional): which update, what was sent", required=False),)),
    ActionDef(A.PUBLISHED_IN_EDITION, "Published in the manual", "record its publication in the manual",
              _w("published in edition", "published in the manual"),
              (Input("edition", "Edition of the manual it appeared in", InputKind.SHORT, "edition", placeholder="e.g. 14"),
               Input("version", "Version number of the procedure", InputKind.SHORT, "version", placeholder="e.g. 2.0"),
               Input("published_on", "Date the edition was published (if not today)", InputKind.SHORT, "published_on",
                     placeholder="e.g. 4 January 2027")),
              reply_tail=": edition <number>, version <number>, on <date>"),
    ActionDef(A.WITHDRAW, "Withdraw", "withdraw it", _w("withdraw"),
              (_text("withdraw", "Why it is withdrawn"),)),
    # DOR-5: the button shows the preset's own label for these (governance/case_flow.py); the words work by email.
    ActionDef(A.DIRECTOR_APPROVE, "Director's approval", "approve it as a Director", _w("director sign off")),
    ActionDef(A.INTERIM_APPROVE, "Interim approval", "give it interim approval", _w("interim sign off")),
    # NCT-5: the RO decides whether a Review Session is needed, and may ask the PPO to help organise it.
    ActionDef(A.REVIEW_SESSION, "Record the Review Session decision", "decide on a Review Session",
              _w("hold a review session", "review session", held="yes")
              + _w("review session with the ppo", held="yes", ppo_help=True)
              + _w("no review session needed", "no review session", held="no"),
              (Input("review_session_held", "Hold a Review Session? (NCT-5)", InputKind.YES_NO, "held"),
               Input("review_session_help", "Ask the Policy and Procedures Officer to help organise it", InputKind.TOGGLE,
                     "ppo_help"),
               _text("review_session", "Who should take part, what it should cover (optional)", required=False))),
    # NCT-14: each procedure listed at opening is confirmed as affected or dismissed (toggles, or the numbers said).
    ActionDef(A.RECORD_RELATED, "Save the related procedures", "record which related procedures are affected",
              _w("confirm related", "affected", verdict="confirm") + _w("dismiss related", "not affected", verdict="dismiss"),
              tuple(Input(f"related_{i}", f"Related procedure {i}", InputKind.TOGGLE, f"rel_{i}") for i in range(1, RELATED_MAX + 1))
              + (_text("record_related", "Anything to add about the related procedures (optional)", required=False),),
              reply_tail=": <the numbers, e.g. 1, 3>"),
    # NCT-17: the PPO records whether the publisher has a template for a new procedure.
    ActionDef(A.TEMPLATE_AVAILABLE, "The publisher has a template", "record the publisher's template",
              _w("template available", "the publisher has a template", "publisher has a template")),
    ActionDef(A.NO_TEMPLATE, "No template: record the arrangements", "record the arrangements for writing it",
              _w("no template"),
              (_text("no_template", "The arrangements agreed: who writes it, and by when"),)),
    ActionDef(A.RECORD_ARRANGEMENTS, "Record the arrangements", "record the arrangements for writing it",
              _w("arrangements", "change the arrangements"),
              (_text("record_arrangements", "The arrangements agreed: who writes it, and by when (NCT-17)"),),
              reply_tail=": <who writes it, and by when>"),
    # DOR-14: at approval the owner says which forms, training and system changes it needs; each is tracked.
    ActionDef(A.RECORD_NEEDS, "Record what it needs", "record the forms, training and system changes it needs",
              _w("needs", "it needs") + _w("needs nothing", "it needs nothing", nothing=True),
              (Input("needs_forms", "Forms to create or change (DOR-14)", InputKind.TEXT, "forms"),
               Input("needs_training", "Training needed", InputKind.TEXT, "training"),
               Input("needs_systems", "System changes (e.g. Mosaic)", InputKind.TEXT, "systems")),
              reply_tail=": forms: <forms>; training: <training>; systems: <system changes> (or: NEEDS NOTHING case <number>)"),
)})


def action(action_id: str) -> ActionDef | None:
    """The declaration of an action, or None for a preset's own alternative route (DOR-5)."""
    try:
        return ACTIONS[ActionId(action_id)]
    except ValueError:
        return None


def words_table() -> dict[str, tuple[ActionId, Mapping[str, Any]]]:
    """Every chat and email word, longest first, with the action and data it carries."""
    pairs = [(w.text, (d.id, w.data)) for d in ACTIONS.values() for w in d.words]
    return dict(sorted(pairs, key=lambda p: -len(p[0])))


def verb(action_id: str) -> str:
    found = action(action_id)
    return found.verb if found else f"do '{action_id}'"


def label(action_id: str, default: str | None = None) -> str:
    found = action(action_id)
    return found.label if found else (default or action_id)


# --------------------------------------------------------------------------- answers from the manual (issue 16)

class AnswerFeedback(StrEnum):
    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"


ANSWER_VERB = "answer"  # the card button's verb (Action.Execute)
LOOKING_FOR = Input("looking_for", "What were you looking for? (optional, one line)", InputKind.SHORT, "note",
                    placeholder="e.g. how soon a return home interview must happen")


@dataclass(frozen=True)
class FeedbackDef:
    id: AnswerFeedback
    label: str  # the button
    number: str  # the numbered reply by email
    words: tuple[str, ...]  # chat and email words
    inputs: tuple[Input, ...] = ()


ANSWER_ACTIONS: Mapping[AnswerFeedback, FeedbackDef] = MappingProxyType({d.id: d for d in (
    FeedbackDef(AnswerFeedback.HELPFUL, "Helpful", "1", ("helpful", "that helped", "yes that helped", "useful")),
    FeedbackDef(AnswerFeedback.NOT_HELPFUL, "Not what I needed", "2",
                ("not what i needed", "not helpful", "unhelpful", "not useful", "that didn't help", "that did not help"),
                (LOOKING_FOR,)),
)})


def answer_feedback(said: str) -> tuple[AnswerFeedback, str] | None:
    """A reply to an answer ('1', '2 the timescale for...', 'not what I needed: ...'): which, and the rest."""
    low = " ".join((said or "").lower().replace("\u2019", "'").split())
    for d in sorted(ANSWER_ACTIONS.values(), key=lambda d: -max(len(w) for w in d.words)):
        for w in (*sorted(d.words, key=len, reverse=True), d.number):
            if low == w or low.startswith(w + " ") or low.startswith(w + ":") or low.startswith(w + ".") or low.startswith(w + ","):
                rest = said.strip()[len(w):].strip(" :.,-\u2013")
                return d.id, rest
    return None
