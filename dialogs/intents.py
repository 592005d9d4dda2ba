"""What did the person ask for? Whole-phrase patterns, not substring matching.

Pure: text in, Intent out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from governance.actions import words_table

REF = r"[A-Za-z]{2,6}-\d{1,5}"
_REF_RE = re.compile(rf"\b({REF})\b")


@dataclass(frozen=True)
class Intent:
    name: str  # see _PATTERNS: help, cancel, find, status, history, my_documents, my_tasks, case, decide, new_document, add_rsm, reviews, meetings, nudges, reports; unknown | empty
    arg: str = ""
    detail: str = ""


_TYPES = (r"document|procedure|policy|strategy|protocol|practice guidance|guidance|pathway|practice standards?|standards?|form")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("help", re.compile(r"^(help|\?|menu|commands|what can you do\??|hi|hello|hey|start|good (morning|afternoon))[.!?]*$")),
    ("cancel", re.compile(r"^(cancel|stop|quit|never ?mind|forget it)[.!]*$")),
    (
        "my_documents",
        re.compile(
            r"^(show )?(me )?(my|what i) (docs|documents|procedures|policies|reviews|register)( are there)?[.?!]*$"
            r"|^what (do|documents do) i (own|sign off)\??$"
        ),
    ),
    (
        "decide",
        re.compile(
            r"^(?P<verb>" + "|".join(re.escape(w) for w in words_table()) + ")"
            r"\s+(on\s+)?case\s*(?P<n>\d{1,9})\s*(:|-|because|as|version)?\s*(?P<text>.*)$"
        ),
    ),
    ("nudge_settings", re.compile(r"^(show )?(my )?(nudge|reminder|notification)s?( settings| preferences)?[.?!]*$|^how do i get reminders\??$")),
    ("quiet_hours", re.compile(r"^(set )?(my )?quiet hours( to| are|:)?\s*(?P<q>.+)$|^(?P<none>no|remove|clear|stop) quiet hours[.!]*$")),
    ("digest_on", re.compile(r"^(send me )?(a |one )?(daily )?digest( instead)?( of single (nudges|reminders))?( please)?[.!]*$|^(send me )?(my )?reminders in (a|one) (daily )?digest[.!]*$")),
    ("digest_off", re.compile(r"^(single|individual) (nudges|reminders)( please)?[.!]*$|^(send )?reminders one (at a time|by one)[.!]*$|^no (daily )?digest[.!]*$")),
    ("pause_nudges", re.compile(r"^pause (all )?(nudges|reminders)( for everyone)?(\s+(until|till|to)\s+(?P<until>.+?))?[.!]*$")),
    ("resume_nudges", re.compile(r"^(resume|restart|unpause) (all )?(nudges|reminders)[.!]*$")),
    ("next_agenda", re.compile(r"^(what('s| is) on |show( me)? |what is )?(the )?next (agenda|meeting)( of| for)?(\s+(?P<body>.+?))?[.?!]*$"
                               r"|^(show( me)? )?(the )?agenda( of| for)\s+(?P<body2>.+?)[.?!]*$")),
    ("move_item", re.compile(r"^move item (?P<n>\d{1,4}) to (the )?next (month|meeting)( of| for)?(\s+(?P<body>.+?))?[.!]*$")),
    ("missing_papers", re.compile(r"^who (has not|hasn't|has n't|hasnt) (sent|sent in|submitted) (their |the |his |her )?papers?( yet)?"
                                  r"( for)?(\s+(?P<body>.+?))?[.?!]*$")),
    ("outcome_card", re.compile(r"^outcome card item (?P<n>\d{1,4})( for (?P<body>.+?))?[.!]*$")),
    ("record_outcome", re.compile(r"^record (the )?outcome (of |for )?item (?P<n>\d{1,4})( for (?P<body>[^:]+?))?\s*((:|-)\s*(?P<text>.*))?$")),
    ("record_outcome", re.compile(r"^record (the )?outcome (of |for )?item (?P<n>\d{1,4})\s+(?P<text>(?!for ).+)$")),
    ("action_done", re.compile(r"^action (?P<n>\d{1,9}) (is )?(done|complete|completed)[.!]*$")),
    # DOR-7: one-off meetings added, meetings cancelled, by the chair
    ("add_meeting", re.compile(r"^(please )?(add|schedule|arrange|book) (a |an )?(one-off |one off |extra |additional )?meeting"
                               r" on (?P<text>.+?)( for (?P<body>.+?))?[.!]*$")),
    ("cancel_meeting", re.compile(r"^(please )?cancel (the |a )?meeting on (?P<text>.+?)( for (?P<body>.+?))?[.!]*$")),
    # DOR-9: the chair reorders and adds items
    ("reorder_item", re.compile(r"^(move|put) item (?P<n>\d{1,4}) (to|at) (position |number |item )?(?P<text>\d{1,4})"
                                r"( (on the agenda )?(for|of) (?P<body>.+?))?[.!]*$"
                                r"|^put item (?P<n2>\d{1,4}) (?P<text2>first)( (on the agenda )?(for|of) (?P<body2>.+?))?[.!]*$")),
    ("add_item", re.compile(r"^add (an |a new )?(agenda )?item( to the agenda)?( (for|of|to) (?P<body>[^:]+?))?\s*(:|-)\s*(?P<text>.+)$")),
    # DOR-11: attendance; DOR-10: minutes and actions
    ("attendance", re.compile(r"^(record )?(the )?attendance( (for|at) (?P<body>[^:]+?))?\s*(:|-)\s*(?P<text>.+)$")),
    ("issue_minutes", re.compile(r"^(please )?(issue|send|send out|circulate) (the )?minutes( (for|of) (?P<body>.+?))?"
                                 r"(\s+with\s+(?P<text>.+?))?[.!]*$")),
    ("forward_plan", re.compile(r"^(show( me)? |what is on |what's on )?(the )?forward plan( (for|of) (?P<body>.+?))?[.?!]*$")),
    ("new_document", re.compile(
        r"^(i|we)( really)? (need|want|would like|'d like|require)( to (request|ask for|propose|write))? (a |an )?new (?P<type>" + _TYPES + r")"
        r"(\s+(on|about|for|covering|to cover|regarding|re|that covers)\s+(?P<what>.+?))?[.!]*$"
        r"|^(please )?(request|propose|suggest|ask for|start|open) (a |an )?new (?P<type2>" + _TYPES + r")( request)?"
        r"(\s+(on|about|for|covering|to cover|regarding|re|that covers)\s+(?P<what2>.+?))?[.!]*$"
        r"|^new (?P<type3>" + _TYPES + r") request[.!]*$"
    )),
    ("add_rsm", re.compile(rf"^(add|set) (an? |another )?(rsm|responsible strategic manager)\s+(?P<who>.+?)\s+(to|for|on)\s+(?P<ref>{REF})[.!]*$")),
    ("my_tasks", re.compile(r"^(show )?(me )?(my )?(tasks|to ?dos?|what is waiting for me|what's waiting for me|inbox)[.?!]*$")),
    ("case", re.compile(r"^(show |open )?case\s*(?P<n>\d{1,9})[.?!]*$")),
    ("report", re.compile(r"^(show |give |run |send )?(me )?(the |a )?(register |monthly |governance |compliance |review )?"
                          r"(report|summary|dashboard|stats|statistics)[.?!]*$")),
    ("overdue_reviews", re.compile(r"^(show |list )?(me )?(the |all )?(overdue|late)( reviews?| documents?| procedures?| policies)?[.?!]*$"
                                   r"|^(what|which (documents|reviews|procedures)) (is|are) (overdue|late)( for review)?\??$")),
    ("reviews_due", re.compile(r"^(show |list )?(me )?(the )?(reviews?|documents?) due( for review)?( soon)?"
                               r"( in| within)?( the next)?( (?P<days>\d{1,3}) days)?[.?!]*$"
                               r"|^what('s| is) due( for review)?( soon)?( in| within)?( the next)?( (?P<days2>\d{1,3}) days)?\??$")),
    ("unscheduled_review", re.compile(rf"^(start |request |ask for )?(an )?unscheduled review (of |for )?(?P<ref>{REF})(\s*(because|reason:?|:)\s*(?P<why>.+))?$")),
    ("scheduled_review", re.compile(rf"^(start |begin )?(a |the )?(scheduled )?review (of |for )?(?P<ref>{REF})[.!]*$")),
    ("history", re.compile(rf"^(show )?(the )?(history|audit|changes)( of| for| to)?\s+({REF})[.?!]*$")),
    ("status", re.compile(rf"^(what is the )?(status|show|open|details|info)( of| for)?\s+({REF})[.?!]*$")),
    (
        "find",
        re.compile(
            r"^(find|search( for)?|look( for| up)|lookup)\s+(?P<q>.+)$"
            r"|^(is there|are there|do we have|have we got|have we)( already)?( an?| any)?\s+"
            r"(procedures?|polic(y|ies)|documents?|guidance|protocols?|pathways?|strateg(y|ies)|practice standards?|something|anything)?"
            r"\s*(on|about|for|covering|regarding|re)\s+(?P<q2>.+?)\??$"
        ),
    ),
]


MEETING_INTENT_NAMES = ("next_agenda", "move_item", "missing_papers", "outcome_card", "record_outcome", "action_done",
                        "add_meeting", "cancel_meeting", "reorder_item", "add_item", "attendance", "issue_minutes",
                        "forward_plan")


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


def _original_text(text: str, start: int) -> str:
    """The person's own words (their capitals) from a position in the normalised text."""
    return _collapse(text)[start:].strip()


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").strip())


def recognise(text: str | None) -> Intent:
    said = _normalise(text or "")
    if not said:
        return Intent("empty")
    for name, pattern in _PATTERNS:
        m = pattern.match(said)
        if not m:
            continue
        if name in ("status", "history"):
            return Intent(name, _REF_RE.search(said).group(1).upper())
        if name == "case":
            return Intent("case", m.group("n"))
        if name == "reviews_due":
            return Intent(name, m.groupdict().get("days") or m.groupdict().get("days2") or "30")
        if name == "decide":
            original = _original_text(text or "", m.start("text")) if m.group("text") else ""
            return Intent("decide", m.group("n"), f"{m.group('verb')}|{original}")
        if name in MEETING_INTENT_NAMES:
            groups = m.groupdict()
            body = (groups.get("body") or groups.get("body2") or "").strip()
            key = "text" if groups.get("text") else ("text2" if groups.get("text2") else None)
            words = _original_text(text or "", m.start(key))[: m.end(key) - m.start(key)].strip() if key else ""
            return Intent(name, groups.get("n") or groups.get("n2") or "", f"{body}|{words}")
        if name in ("scheduled_review", "unscheduled_review"):
            return Intent(name, m.group("ref").upper(), (m.groupdict().get("why") or "").strip())
        if name == "quiet_hours":
            return Intent(name, "" if m.group("none") else (m.group("q") or "").strip())
        if name == "pause_nudges":
            return Intent(name, (m.group("until") or "").strip())
        if name == "new_document":
            g = m.groupdict()
            kind = (g.get("type") or g.get("type2") or g.get("type3") or "").strip()
            what_key = "what" if g.get("what") else ("what2" if g.get("what2") else None)
            what = _original_text(text or "", m.start(what_key)).rstrip(".!") if what_key else ""
            return Intent("new_document", what, "" if kind == "document" else kind)
        if name == "add_rsm":
            who = _original_text(text or "", m.start("who"))[: m.end("who") - m.start("who")]
            return Intent("add_rsm", m.group("ref").upper(), who.strip())
        if name == "find":
            q = m.groupdict().get("q") or m.groupdict().get("q2") or ""
            return Intent("find", q.strip(" ?.!"))
        return Intent(name)
    if re.fullmatch(REF, said):
        return Intent("status", said.upper())
    return Intent("unknown", said)
