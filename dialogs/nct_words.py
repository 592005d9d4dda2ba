"""The command rows for NCT's Review Sessions (NCT-5, NCT-7) and a new procedure's template or arrangements (NCT-17), as plain data the command table in
dialogs/commands.py turns into commands: (id, help, handler, examples, options)."""

from __future__ import annotations

import re
from typing import Any

_REF = r"(?:[a-z]{2,6}[- ]?\d{1,5})"
_REFS = rf"(?P<refs>{_REF}(?:\s*(?:,|and|&)\s*{_REF})*)"

SESSION_DECISION = re.compile(
    r"^(?:(?:we|i)(?:'ll| will| are going to| shall| want to| plan to| would like to)|let'?s|please)?\s*"
    r"(?P<no>(?:no|not|don'?t|do not|won'?t|will not)\s+)?(?:need\s+(?:to\s+)?)?(?:hold|have|run|convene|need)?\s*"
    r"(?:a\s+)?review session(?:\s+is)?(?:\s+(?:needed|required))?\s+(?:for|on)\s+" + _REFS +
    r"(?P<help>.*\b(?:help|organis|organiz|ppo)\w*.*)?[.!]*$")
SESSION_NOT_NEEDED = re.compile(r"^" + _REFS + r"\s+(?:doesn'?t|does not|won'?t|will not)\s+need\s+a\s+review session[.!]*$")
ARRANGE = re.compile(
    r"^(?:please\s+)?(?:arrange|set up|book|organise|organize|schedule|convene)\s+(?:a\s+)?(?P<joint>joint\s+)?review session"
    r"\s+(?:for|on)\s+" + _REFS + r"\s+(?:on|for)\s+(?P<when>.+?)[.!]*$")
OUTCOME = re.compile(r"^(?:the\s+)?review session(?:'s)?\s+(?:outcome|agreed|decided)(?:\s+(?:for|on)\s+(?P<ref>" + _REF + r"))?"
                     r"\s*(?:was|is)?\s*[:\-]?\s*(?P<text>.+)$")
ARRANGEMENTS = re.compile(r"^(?:please\s+)?(?:(?:record|change|update)\s+)?(?:the\s+)?(?:new\s+)?arrangements\s+(?:for|on)\s+"
                          r"(?P<ref>" + _REF + r")\s*(?:(?:are|is)\b\s*)?[:\-]?\s*(?P<text>.+)$")

UPCOMING = re.compile(r"^(?:(?:show|list)(?:\s+me)?\s+)?(?:the\s+|my\s+|our\s+|upcoming\s+|all\s+)*review sessions"
                      r"(?:\s+(?:coming up|planned|booked|arranged|ahead))?[?.!]*$"
                      r"|^(?:which|what|any|are there any)\s+review sessions\s+(?:are\s+|have\s+we\s+got\s+)?"
                      r"(?:coming up|planned|booked|arranged|upcoming|next|in the diary)(?:\s+\w+){0,3}[?.!]*$"
                      r"|^when\s+(?:are|is)\s+the\s+(?:next\s+)?review sessions?[?.!]*$")
CANCEL_SESSION = re.compile(r"^(?:please\s+)?(?:cancel|call off|scrap)\s+(?:the\s+)?(?:joint\s+)?review session\s+(?:for|on)\s+"
                            r"(?P<ref>" + _REF + r")[.!]*$")
MOVE_SESSION = re.compile(r"^(?:please\s+)?(?:move|reschedule|rearrange|change|put back|bring forward)\s+(?:the\s+)?(?:joint\s+)?"
                          r"review session\s+(?:for|on)\s+(?P<ref>" + _REF + r")\s+to\s+(?P<when>.+?)[.!]*$")
TEMPLATE = re.compile(r"^(?P<ref>" + _REF + r")\s*[:,\-]?\s*(?:the\s+)?(?:publisher|tri\.?x)\s+has\s+(?:a\s+|the\s+)?template[.!]*$"
                      r"|^(?:a\s+|the\s+)?template\s+(?:is\s+)?available\s+for\s+(?P<ref1>" + _REF + r")[.!]*$"
                      r"|^(?:the\s+)?(?:publisher|tri\.?x)\s+has\s+(?:a\s+|the\s+)?template\s+for\s+(?P<ref2>" + _REF + r")[.!]*$")
NO_TEMPLATE = re.compile(r"^(?:there(?:'s| is)\s+)?no\s+template\s+(?:for|on)\s+(?P<ref>" + _REF + r")\s*[,;:\-]?\s*"
                         r"(?:(?:the\s+)?arrangements(?:\s+agreed)?(?:\s+(?:are|is))?\s*[:\-]?\s*)?(?P<text>.+)$")

ROWS: tuple[tuple[str, str, str, list[str], dict[str, Any]], ...] = (
    ("arrange_review_session", "arrange a (joint) Review Session, with invitations and a calendar file (NCT-5, NCT-7)",
     "arrange_review_session", [
         "arrange a joint review session for PP-014 and PP-019 on 14 January 2027 at 10am",
         "arrange a review session for PP-3 on 12/1/27 at 2pm", "book a review session for PP-2 on Tuesday at 10:30",
     ], {"changes_state": True, "say": "arrange a joint review session for {doc} and ... on <date> at <time>",
         "group": "Cases", "reader": ARRANGE}),
    ("review_session_outcome", "record what a Review Session agreed, on each of its cases (NCT-5)", "review_session_outcome", [
        "review session outcome: amend section 3 of both", "the review session agreed: no changes to PP-3",
        "review session outcome for PP-014: the ROs will amend the thresholds",
    ], {"changes_state": True, "say": "review session outcome: <what it agreed>", "group": "Cases", "reader": OUTCOME}),
    ("review_session_decision", "say whether you will hold a Review Session on a review (NCT-5)", "review_session_decision", [
        "we'll hold a review session for PP-014", "no review session needed for PP-2",
        "we will hold a review session for PP-3 and the PPO organises it", "PP-4 doesn't need a review session",
    ], {"changes_state": True, "needs": ("doc",), "say": "we'll hold a review session for {doc}", "group": "Cases",
        "reader": SESSION_DECISION}),
    ("review_session_not_needed", "", "review_session_decision", ["PP-4 doesn't need a review session"],
     {"changes_state": True, "needs": ("doc",), "say": "{doc} doesn't need a review session", "group": "Cases",
      "in_help": False, "reader": SESSION_NOT_NEEDED}),
    ("review_sessions", "the Review Sessions coming up (NCT-5, NCT-7)", "review_sessions_coming", [
        "review sessions", "which review sessions are coming up", "show me the upcoming review sessions",
        "what review sessions are booked", "list my review sessions",
    ], {"say": "which review sessions are coming up?", "group": "Cases", "reader": UPCOMING}),
    ("cancel_review_session", "cancel a Review Session; everyone invited is told (NCT-5, NCT-7)", "cancel_review_session", [
        "cancel the review session for PP-020", "call off the review session for PP-3", "cancel the joint review session on pp 14",
    ], {"changes_state": True, "needs": ("doc",), "say": "cancel the review session for {doc}", "group": "Cases",
        "reader": CANCEL_SESSION}),
    ("move_review_session", "move a Review Session to another time; everyone invited is told (NCT-5, NCT-7)",
     "move_review_session", [
         "move the review session for PP-020 to 21/1/27 at 10am", "reschedule the review session for PP-3 to 2 February 2027 at 2pm",
         "move the joint review session on pp 14 to Tuesday at 11:30",
     ], {"changes_state": True, "needs": ("doc",), "say": "move the review session for {doc} to <date> at <time>",
         "group": "Cases", "reader": MOVE_SESSION}),
    ("record_template", "record that the publisher has a template for a new procedure: it follows Route 1 (NCT-17)",
     "record_template", [
         "template available for PP-31", "the publisher has a template for pp 45", "PP-12 has a publisher template",
         "the tri.x template is available for PP-9",
     ], {"changes_state": True, "needs": ("doc",), "say": "{doc}: the publisher has a template", "group": "Cases",
         "reader": TEMPLATE}),
    ("no_template_arrangements", "", "record_arrangements", [
        "no template for PP-047, arrangements: Jamie drafts it by 12/2/27",
        "no template for PP-31: Sam writes it with the fostering team by the end of March 2027",
    ], {"changes_state": True, "needs": ("doc",), "say": "no template for {doc}, arrangements: <who writes it, and by when>",
        "group": "Cases", "in_help": False, "reader": NO_TEMPLATE}),
    ("record_arrangements", "record or change the arrangements for writing a new procedure without a template (NCT-17)",
     "record_arrangements", [
         "arrangements for PP-031: Sam drafts by 12/2/27, RSM reviews",
         "change the arrangements for PP-045: Jamie Castellan drafts it with the kinship team by 26 February 2027",
         "the arrangements for pp 31 are: the fostering team writes it by the end of March 2027",
     ], {"changes_state": True, "needs": ("doc",), "say": "arrangements for {doc}: <who writes it, and by when>",
         "group": "Cases", "reader": ARRANGEMENTS}),
)
