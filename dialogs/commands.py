"""The command table: everything a person can ask the bot to do, declared once.

Each command has its example phrasings (written the way staff write: polite and terse, questions
and orders, first person, lower case without punctuation), the handler that carries it out
(dialogs/handlers.py: one service call, then render), who may use it, its help line, whether it
changes state (then a guessed or corrected reading is confirmed before it is acted on), the slots
it needs, and the canonical way to say it (shown in "Did you mean: ...?").

Recognition (dialogs/recogniser.py) and `help` are built from this table. The case decisions are
built from governance/actions.py: their words are never spelt again here. Pure data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.nct_words import ROWS as NCT_ROWS
from dialogs.ro_change_words import APPOINT_AUTHOR, RO_CHANGE
from governance.actions import ACTIONS, ActionDef, Words


class Who:
    ANYONE = "anyone"  # strangers too: finding and reading need no role
    KNOWN = "known"  # people in the directory
    CHAIR = "chair"  # a decision body's chair (or vice chair)
    PAUSER = "pauser"  # may pause reminders for everyone (governance.reminders.may_pause_nudges)


@dataclass(frozen=True)
class Command:
    id: str
    help: str  # the help line
    examples: tuple[str, ...]
    handler: str  # the function's name in dialogs/handlers.py
    who: str = Who.KNOWN
    changes_state: bool = False
    needs: tuple[str, ...] = ()  # slots it cannot go without: doc, case, item, action, date, payload
    say: str = ""  # the canonical phrasing, with {doc} {case} {item} {action} {date} {payload}
    group: str = "Documents"
    reader: re.Pattern[str] | None = None  # the exact form of its arguments (meetings), read when it matches
    action: str | None = None  # a case decision: the action's id (governance/actions.py)
    carried: tuple[tuple[str, object], ...] = ()  # the data the decision's words carry
    in_help: bool = True


def _c(id: str, help: str, handler: str, examples: list[str], **kw) -> Command:
    return Command(id=id, help=help, examples=tuple(examples), handler=handler, **kw)


_TYPES = r"document|procedure|policy|strategy|protocol|practice guidance|guidance|pathway|practice standards?|standards?|form"


COMMANDS: tuple[Command, ...] = (
    _c("help", "what I can do for you", "help", [
        "help", "what can you do", "menu", "commands", "what can i ask you", "how do i use this",
        "show me what you can do", "i'm stuck", "options", "what do you do", "how does this bot work", "help me please", "what do i type",
        "i don't know how to use you",
        "where do i start", "give me an example", "what can i do here", "how do i talk to you", "what can i ask",
        "what are you able to help with", "instructions", "what kinds of things can you do", "how do i use you",
    ], who=Who.ANYONE, say="help", group="Getting about"),
    _c("cancel", "stop what we are doing", "cancel", [
        "cancel", "stop", "never mind", "forget it", "quit", "abort", "cancel that", "stop that please",
        "leave it", "scrap that",
    ], who=Who.ANYONE, say="cancel", group="Getting about", in_help=False),
    _c("smalltalk", "", "smalltalk", [
        "thanks", "thank you", "cheers", "hello", "hi", "hi there", "good morning", "good afternoon", "hey",
        "thank you so much", "brilliant", "great thanks", "ok", "lovely", "bye", "goodbye", "you're a star",
        "nice one", "is it sunny", "good evening",
        "how are you", "what's the weather", "is it going to rain", "tell me a joke", "who are you",
    ], who=Who.ANYONE, say="hello", group="Getting about", in_help=False),
    _c("find", "look in the procedures manual and the register", "find", [
        "find [missing children]", "search for [fostering]", "look up [the LADO] procedure", "is there a procedure on [county lines]",
        "do we have a policy about [allegations]", "have we got guidance on [sleeping arrangements]",
        "search the manual for [private fostering]", "where is the guidance for [kinship care]", "look for [lone working]",
        "any procedures covering [transitions]", "find me something on [neglect]", "what do i do if [a child goes missing]",
        "how long have i got to [complete an assessment]", "where's the guidance on [restraint]",
    ], who=Who.ANYONE, say="find {payload}", group="Documents"),
    _c("define", "what a word, a role, a body or a document type means", "define", [
        "what is a [pathway]", "what does [SLT] stand for", "what's a [protocol]", "define [practice standards]",
        "what is the difference between a [policy] and a [procedure]", "meaning of [RSM]", "what does [PPG] mean",
        "explain what a [strategy document] is", "is a [protocol] just a [policy with partners]", "what is an [EIA]",
        "what's the difference between [a strategy and a strategy meeting]", "who is the [responsible officer]",
    ], who=Who.ANYONE, say="what is {payload}", group="Documents"),
    _c("status", "where one document stands", "status", [
        "status PP-014", "status of PP-2", "show PP-001", "details of pp 3", "where is PP-014 up to", "info on pp007",
        "what's happening with PP-5", "open PP-010", "tell me about PP-004", "how is PP-9 doing", "pp-012 status please",
        "is PP-7 in date", "has PP-2 been signed off",
        "what stage is PP-3 at",
    ], who=Who.ANYONE, needs=("doc",), say="status {doc}", group="Documents"),
    _c("history", "every change to one document", "history", [
        "history PP-003", "history of pp 2", "audit trail for PP-1", "what changed on PP-7", "show changes to PP-010",
        "who changed PP-004", "changes made to pp5", "audit PP-2", "show me the history of PP-6", "what has been done to PP-8",
        "edits to PP-3", "changelog of PP-5",
    ], who=Who.ANYONE, needs=("doc",), say="history {doc}", group="Documents"),
    _c("my_documents", "what you own or sign off, with review dates", "my_documents", [
        "my documents", "show my documents", "what do i own", "which policies are mine", "my procedures",
        "list my docs", "what documents am i responsible for", "what do i sign off", "my register", "documents i own",
        "documents assigned to me", "what policies have i got", "what am i the owner of",
        "show me my policies please",
    ], say="my documents", group="Documents"),
    _c("my_tasks", "what waits for you: decisions, drafts, consultations", "my_tasks", [
        "my tasks", "what's waiting for me", "to do list", "show my tasks", "anything for me to do", "my inbox",
        "what do i need to do", "what needs my attention", "tasks please", "what have i got to action",
        "what's on my plate", "pending approvals for me",
        "what's pending", "my queue", "what should i work on next", "what am i waiting to sign off",
        "anything outstanding for me", "what have i got to do this week", "stuff waiting for my sign off", "am i holding anything up", "anything need doing",
    ], say="my tasks", group="Cases"),
    _c("case", "one case and what can be done on it", "case", [
        "case 12", "show case 4", "open case 7", "what's happening on case 3", "where is case 9 up to", "#14",
        "details of case no. 5", "look at case 2", "status of case 11", "pull up case 8",
        "where are we with case 6", "any news on case 10", "what stage is case 13 at", "update on case 15", "how is case 7 progressing",
    ], needs=("case",), say="case {case}", group="Cases"),
    _c("new_document", "ask for a new policy or procedure (I check the register first)", "new_document", [
        "request a new document", "i need a new procedure on [county lines]", "new policy request",
        "we need a new protocol for [hospital discharge]", "can i ask for a new policy", "propose a new pathway",
        "i'd like to request a new strategy", "start a new document request", "we want a new practice guidance on [neglect]",
        "there's no procedure for this and we need one", "new procedure please", "i want to write a new policy",
    ], say="request a new document", group="Documents",
        reader=re.compile(
            r"^(i|we)( really)? (need|want|would like|'d like|require)( to (request|ask for|propose|write))? (a |an )?new "
            r"(?P<type>" + _TYPES + r")(\s+(on|about|for|covering|to cover|regarding|re|that covers)\s+(?P<what>.+?))?[.!]*$"
            r"|^(please )?(request|propose|suggest|ask for|start|open) (a |an )?new (?P<type2>" + _TYPES + r")( request)?"
            r"(\s+(on|about|for|covering|to cover|regarding|re|that covers)\s+(?P<what2>.+?))?[.!]*$"
            r"|^new (?P<type3>" + _TYPES + r") request[.!]*$")),
    _c("scheduled_review", "start the review of a document you look after", "scheduled_review", [
        "review PP-014", "start the review of PP-2", "begin review of pp 3", "start reviewing PP-5",
        "kick off the review for PP-007", "i want to start the scheduled review of PP-1", "open a review on PP-4",
        "time to review PP-9", "start review pp6", "let's review PP-8",
    ], changes_state=True, needs=("doc",), say="review {doc}", group="Cases"),
    _c("unscheduled_review", "ask for an early review, with its reason", "unscheduled_review", [
        "unscheduled review of PP-014", "request an unscheduled review of PP-2", "PP-3 needs an early review",
        "ask for an early review of pp 4", "the law changed so PP-5 needs reviewing early",
        "ad hoc review of PP-6", "out of cycle review for PP-7", "PP-8 is out of date and needs updating now",
        "early review PP-9 please", "unscheduled review PP-10 because of new guidance",
        "unscheduled review of PP-11 because the guidance was updated, prompted by our auditor",
    ], changes_state=True, needs=("doc",), say="unscheduled review of {doc}", group="Cases"),
    _c("amend", "amend a signed-off document out of cycle, with its reason", "amend", [  # BCT-11
        "amend PP-014 because of new national guidance", "out of cycle amendment to PP-2", "PP-3 needs amending",
        "i need to amend pp 4 because working practices have changed", "amendment to PP-5: change in trust policy",
        "we have to change PP-6 after a safeguarding practice review", "amend PP-7", "out-of-cycle amendment of pp8",
        "can i amend PP-9 please", "PP-10 must be amended because the law changed",
        "PP-11 should be amended following the inspection", "PP-12 has to be amended after the serious incident review",
        "amendment required to pp 13", "amending PP-14 after the restructure",
        "PP-15 needs to be changed because of new guidance", "PP-16 must be changed after the learning review",
        "we must change pp 17 out of cycle", "PP-18 has to change because working practice is different now",
        "PP-19 needs changing on ofsted's advice", "change PP-20 after the inspection visit for service improvement",
    ], changes_state=True, needs=("doc",), say="amend {doc} because {payload}", group="Cases"),
    _c("add_rsm", "name a responsible strategic manager on a document", "add_rsm", [
        "add rsm [Morgan Reyes] to PP-014", "set rsm [Sam Lee] for pp 2", "add a responsible strategic manager [Jo Bloggs] to PP-3",
        "make [Morgan] the rsm for PP-4", "add another rsm to PP-5", "add me as rsm on PP-6", "rsm for PP-7 is [Sam]",
        "put [Alex] on PP-8 as rsm", "add an rsm to pp9", "new rsm for PP-10",
    ], changes_state=True, needs=("doc",), say="add rsm {payload} to {doc}", group="Documents",
        reader=re.compile(r"^(please )?(add|set) (an? |another )?(rsm|responsible strategic manager)\s+(?P<who>.+?)\s+(to|for|on)\s+"
                          r"(?P<ref>[a-z]{2,6}-\d{1,5})[.!]*$"
                          r"|^(please )?(add|make|set|put) (?P<who2>.+?) (as|the|on) (an? |another )?(rsm|responsible strategic manager)"
                          r" (to|for|on|of) (?P<ref2>[a-z]{2,6}-\d{1,5})[.!]*$")),
    _c("report", "the register report with a compliance chart", "report", [
        "report", "show me the report", "register report", "monthly report please", "governance summary",
        "compliance dashboard", "give me the stats", "how are we doing on compliance", "run the report",
        "how is the register looking", "overview of the register",
        "register summary", "send me the dashboard",
        "how are we doing overall", "what is our compliance like", "compliance stats this month", "compliance rate",
        "how does the register look", "where are we with compliance",
    ], say="report", group="Reports"),
    _c("overdue_reviews", "reviews overdue, by service area and owner", "overdue_reviews", [
        "overdue reviews", "what's overdue", "which documents are overdue", "list late reviews", "show overdue policies",
        "anything out of date", "which procedures are past their review date", "what's late", "overdue documents",
        "past due", "missed their review date", "everything overdue", "documents out of date",
        "reviews that are overdue",
        "have we got any overdue reviews", "any reviews we have missed", "is anything overdue", "which reviews are behind",
        "what is overdue for review", "overdue policies please", "overdue reviews by service area", "which documents need reviewing now",
        "who owns the overdue documents",
    ], say="overdue reviews", group="Reports"),
    _c("reviews_due", "reviews due soon (say how many days)", "reviews_due", [
        "reviews due", "reviews due in 60 days", "what's due for review", "documents due soon", "what's coming up for review",
        "reviews due in the next 90 days", "which reviews are due this quarter", "upcoming reviews",
        "what needs reviewing soon", "due reviews next 30 days",
    ], say="reviews due in {days} days", group="Reports"),
    _c("nudge_settings", "how you get reminders", "nudge_settings", [
        "nudge settings", "my reminder settings", "how do i get reminders", "notification preferences",
        "show my nudges", "reminder preferences", "how am i being reminded", "what reminders do i get",
        "my notifications", "settings for reminders", "how will you remind me",
    ], say="nudge settings", group="Reminders"),
    _c("quiet_hours", "no reminders between two times", "quiet_hours", [
        "quiet hours 18:00 to 08:00", "set my quiet hours to 6pm to 8am", "no reminders after 6pm",
        "don't message me before 9am", "quiet hours are 17:30-08:30", "stop nudging me in the evenings",
        "no quiet hours", "clear quiet hours", "only remind me in working hours", "set quiet hours",
        "do not send me anything after 7pm", "no reminders in the evening", "leave me alone after 5pm",
        "i do not want messages at night", "can i turn on quiet hours",
        "do not remind me before 8am", "stop messaging me in the evenings", "no reminders at night please",
        "mute my reminders overnight", "remove my quiet hours", "how do i stop getting reminders at night",
        "nothing outside my working hours please",
    ], changes_state=True, say="quiet hours {payload}", group="Reminders",
        reader=re.compile(r"^(set )?(my )?quiet hours( to| are|:)?\s*(?P<q>.+)$|^(?P<none>no|remove|clear|stop|turn off|switch off) (my |the )?quiet hours[.!]*$")),
    _c("digest_on", "one daily digest instead of single reminders", "digest_on", [
        "daily digest", "send me a digest", "put my reminders in one daily email", "digest please",
        "one message a day please", "bundle my reminders", "i'd rather have a daily summary", "switch to digest",
        "a daily summary of my reminders",
        "daily digest instead of single nudges", "just one reminder a day",
    ], changes_state=True, say="daily digest", group="Reminders"),
    _c("digest_off", "single reminders as they fall due", "digest_off", [
        "single reminders", "individual nudges please", "no digest", "stop the digest", "send reminders one at a time",
        "turn off the daily digest", "i want each reminder separately", "switch back to single reminders",
        "no more daily digest", "separate nudges",
    ], changes_state=True, say="single reminders", group="Reminders"),
    _c("pause_nudges", "pause reminders for everyone (until a date)", "pause_nudges", [
        "pause reminders", "pause all nudges until 4 January", "pause reminders for everyone", "stop all reminders for now",
        "hold the nudges till next monday", "pause nudges", "suspend reminders over christmas", "freeze all reminders",
        "put reminders on hold", "pause everyone's reminders until the end of march",
    ], who=Who.PAUSER, changes_state=True, say="pause reminders", group="Reminders",
        reader=re.compile(r"^pause (all )?(nudges|reminders)( for everyone)?(\s+(until|till|to)\s+(?P<until>.+?))?[.!]*$")),
    _c("resume_nudges", "start reminders again", "resume_nudges", [
        "resume reminders", "restart nudges", "unpause reminders", "turn reminders back on", "start the nudges again",
        "resume all nudges", "switch reminders on again", "reminders can start again", "unpause all nudges",
        "reminders back on",
        "carry on with reminders",
    ], who=Who.PAUSER, changes_state=True, say="resume reminders", group="Reminders"),
    # ---------------------------------------------------------------- meetings (DOR-7, DOR-9, DOR-10, DOR-11)
    _c("next_agenda", "a decision body's next agenda", "next_agenda", [
        "next agenda", "what's on the next agenda", "show the agenda for PPG", "next meeting", "agenda for the next PPG",
        "what is on the next meeting for DLG", "show me the next agenda", "what's coming up at the next meeting",
        "agenda please", "when is the next meeting and what's on it",
    ], who=Who.KNOWN, say="next agenda", group="Meetings",
        reader=re.compile(r"^(what('s| is) on |show( me)? |what is )?(the )?next (agenda|meeting)( of| for)?(\s+(?P<body>.+?))?[.?!]*$"
                          r"|^(show( me)? )?(the )?agenda( of| for)\s+(?P<body2>.+?)[.?!]*$")),
    _c("forward_plan", "everything on a body's forward plan", "forward_plan", [
        "forward plan", "what's on the forward plan for DLG", "show the forward plan", "forward plan for PPG",
        "what's planned for the coming months", "show me the work plan", "upcoming items for the board",
        "what's on the forward plan", "future agenda items", "forward planner",
    ], who=Who.KNOWN, say="forward plan", group="Meetings",
        reader=re.compile(r"^(show( me)? |what is on |what's on )?(the )?forward plan( (for|of) (?P<body>.+?))?[.?!]*$")),
    _c("missing_papers", "who has not sent their papers", "missing_papers", [
        "who hasn't sent their papers", "missing papers", "who is late with papers", "which papers are missing",
        "who still owes papers", "papers not in yet", "chase papers", "who hasn't submitted papers for PPG",
        "any papers outstanding", "outstanding papers",
    ], who=Who.CHAIR, say="who hasn't sent papers", group="Meetings",
        reader=re.compile(r"^who (has not|hasn't|has n't|hasnt) (sent|sent in|submitted) (their |the |his |her )?papers?( yet)?"
                          r"( for)?(\s+(?P<body>.+?))?[.?!]*$")),
    _c("move_item", "move an agenda item to the next meeting", "move_item", [
        "move item 3 to next month", "move item 4 to the next meeting", "push item 2 to next time", "defer item 5 to next month",
        "item 6 can go to the next meeting", "carry item 3 over to next month", "bump item 7 to the next meeting",
        "take item 2 off and move it to next month", "postpone item 4", "move item 8 on to the next agenda",
    ], who=Who.CHAIR, changes_state=True, needs=("item",), say="move item {item} to the next meeting", group="Meetings",
        reader=re.compile(r"^move item (?P<n>\d{1,4}) to (the )?next (month|meeting)( of| for)?(\s+(?P<body>.+?))?[.!]*$")),
    _c("reorder_item", "change an item's place on the agenda", "reorder_item", [
        "move item 3 to position 1", "put item 4 first", "item 5 should be second", "reorder item 2 to position 4",
        "put item 6 at number 3", "make item 7 the first item", "swap item 3 to position 2", "item 4 to the top",
        "put item 2 at position 5", "move item 8 up to position 3",
    ], who=Who.CHAIR, changes_state=True, needs=("item",), say="move item {item} to position {payload}", group="Meetings",
        reader=re.compile(r"^(move|put) item (?P<n>\d{1,4}) (to|at) (position |number |item )?(?P<text>\d{1,4})"
                          r"( (on the agenda )?(for|of) (?P<body>.+?))?[.!]*$"
                          r"|^put item (?P<n2>\d{1,4}) (?P<text2>first)( (on the agenda )?(for|of) (?P<body2>.+?))?[.!]*$")),
    _c("add_item", "add an item to the agenda", "add_item", [
        "add item: Ofsted framework under horizon scanning", "add an agenda item: new LADO guidance",
        "add a new item to the agenda: budget", "put an item on the agenda: transitions", "agenda item: kinship care update",
        "new agenda item: exploitation", "add this to the agenda: county lines", "please add an item for PPG: fostering",
        "can you add an item: restraint", "add to agenda: SEND reforms",
    ], who=Who.CHAIR, changes_state=True, needs=("payload",), say="add item: {payload}", group="Meetings",
        reader=re.compile(r"^add (an |a new )?(agenda )?item( to the agenda)?( (for|of|to) (?P<body>[^:]+?))?\s*(:|-)\s*(?P<text>.+)$")),
    _c("record_outcome", "record an item's outcome", "record_outcome", [
        "record the outcome of item 3: approved", "outcome for item 2: deferred", "item 4 was approved",
        "record outcome item 5 approved with amendments", "item 6 outcome: not approved", "record that item 3 was approved by vote 6-2",
        "mark item 2 as approved", "log the decision on item 7: approved", "item 8 agreed", "the outcome of item 4 is noted",
    ], who=Who.CHAIR, changes_state=True, needs=("item",), say="record the outcome of item {item}", group="Meetings",
        reader=re.compile(r"^record (the )?outcome (of |for )?item (?P<n>\d{1,4})( for (?P<body>[^:]+?))?\s*((:|-)\s*(?P<text>.*))?$")),
    _c("outcome_card", "the outcome card for an item", "outcome_card", [
        "outcome card item 3", "outcome card for item 2", "show the outcome card for item 4", "give me the outcome form for item 5",
        "card to record item 6", "outcome buttons for item 7", "i want the outcome card for item 2", "outcome card please item 3",
        "open the outcome card of item 8", "outcome card item 1 for PPG",
    ], who=Who.CHAIR, needs=("item",), say="outcome card item {item}", group="Meetings",
        reader=re.compile(r"^outcome card item (?P<n>\d{1,4})( for (?P<body>.+?))?[.!]*$")),
    _c("action_done", "mark a meeting action done", "action_done", [
        "action 7 done", "action 3 is complete", "mark action 4 as done", "i've finished action 5", "action 6 completed",
        "close action 2", "tick off action 8", "action 9 is done now", "done action 10", "completed action 11",
    ], who=Who.KNOWN, changes_state=True, needs=("action",), say="action {action} done", group="Meetings",
        reader=re.compile(r"^action (?P<n>\d{1,9}) (is )?(done|complete|completed)[.!]*$")),
    _c("add_meeting", "add a one-off meeting", "add_meeting", [
        "add a meeting on 14 January", "schedule a meeting on 3/2/27", "arrange an extra meeting on next friday",
        "book a one-off meeting on 4th March for PPG", "we need an additional meeting on the 20th of may",
        "set up a meeting on 12 June", "add an extra PPG meeting on 1 July", "schedule an extra meeting tomorrow",
        "please add a meeting on 5 august", "new meeting on 9 september",
    ], who=Who.CHAIR, changes_state=True, needs=("date",), say="add a meeting on {date}", group="Meetings",
        reader=re.compile(r"^(please )?(add|schedule|arrange|book) (a |an )?(one-off |one off |extra |additional )?meeting"
                          r" on (?P<text>.+?)( for (?P<body>.+?))?[.!]*$")),
    _c("cancel_meeting", "cancel a meeting", "cancel_meeting", [
        "cancel the meeting on 9 February", "cancel meeting 14/01/2027", "call off the meeting on 3 march",
        "the meeting on 5 april is cancelled", "scrap the PPG meeting on 1 May", "we won't meet on 6 june",
        "please cancel the meeting on the 7th of july", "no meeting on 8 august", "cancel next friday's meeting",
        "cancel the meeting on 2 september for PPG",
    ], who=Who.CHAIR, changes_state=True, needs=("date",), say="cancel the meeting on {date}", group="Meetings",
        reader=re.compile(r"^(please )?cancel (the |a )?meeting on (?P<text>.+?)( for (?P<body>.+?))?[.!]*$")),
    _c("attendance", "record who attended", "attendance", [
        "attendance: Sasha present, Casey absent", "record attendance: Jo present", "attendance for PPG: Sam sent apologies",
        "who attended: Alex present", "log attendance: Morgan absent", "apologies from Sam: attendance",
        "register of attendance: everyone present", "take attendance: Casey present", "record the attendance: Jo absent",
        "attendance list: Sam present",
    ], who=Who.CHAIR, changes_state=True, needs=("payload",), say="attendance: {payload}", group="Meetings",
        reader=re.compile(r"^(record )?(the )?attendance( (for|at) (?P<body>[^:]+?))?\s*(:|-)\s*(?P<text>.+)$")),
    _c("issue_minutes", "issue the minutes, with their actions", "issue_minutes", [
        "issue the minutes", "send out the minutes", "circulate the minutes for PPG", "publish the minutes",
        "the minutes are ready, send them", "issue minutes with action: update the leaflet for Rowan by 1 March",
        "please send the minutes", "distribute the minutes", "minutes can go out now", "share the minutes",
    ], who=Who.CHAIR, changes_state=True, say="issue the minutes", group="Meetings",
        reader=re.compile(r"^(please )?(issue|send|send out|circulate) (the )?minutes( (for|of) (?P<body>.+?))?"
                          r"(\s+with\s+(?P<text>.+?))?[.!]*$")),
    # ---------------------------------------------------------------- NCT's own process (issue 18)
    _c("change_ro", "report a document's new Responsible Officer (NCT-1)", "change_ro", [
        "PP-014's RO is now [Sam Okafor] from Monday", "i've handed PP-2 over to [Sam]", "PP-3 has a new RO: [Charlie Vance]",
        "i have handed over PP-7 to [Jamie]", "hand PP-10 over to [Charlie]", "PP-9's new responsible officer is [Elliot Marr]",
    ], changes_state=True, needs=("doc",), say="{doc}'s RO is now {payload}", group="Documents", reader=RO_CHANGE),
    _c("appoint_author", "appoint or change a document's author (LBBD-3)", "appoint_author", [
        "make [Sam Okafor] the author of PP-047", "appoint [Lena Kowalczyk] as author of PP-3", "change the author of PP-9 to [Sam]",
        "the author of PP-12 is [Sam Okafor]", "[Lena Kowalczyk] will be the author of PP-4", "PP-5's author is [Sam Okafor]",
    ], changes_state=True, needs=("doc",), say="make {payload} the author of {doc}", group="Documents", reader=APPOINT_AUTHOR),
    _c("who_signs_off", "who has and hasn't signed off a document (NCT-7)", "who_signs_off", [
        "who still has to sign off PP-037", "who hasn't signed off PP-2 yet", "has everyone signed off PP-3",
        "who is PP-4 waiting for", "which RSMs have approved PP-5", "who still needs to approve PP-6",
        "sign off status of PP-7", "who has approved PP-8 so far",
    ], who=Who.KNOWN, needs=("doc",), say="who still has to sign off {doc}", group="Cases"),
    _c("related_procedures", "which other procedures and chapters a change to a document may affect (NCT-14)",
       "related_procedures", [
        "which other procedures link to PP-014", "what else links to PP-2", "related procedures for PP-3",
        "what would a change to PP-4 affect", "which procedures are affected if we change PP-5",
        "what other chapters mention PP-6", "procedures linked to PP-7",
    ], who=Who.ANYONE, needs=("doc",), say="which other procedures link to {doc}", group="Documents"),
    _c("set_update_deadlines", "record the year's manual update deadlines and send the schedule to everyone (NCT-2)",
       "set_update_deadlines", [
        "the tri.x deadlines are 5 March 2027 and 3 September 2027", "update deadlines: 1/3/27 and 2/9/27",
        "the manual update deadlines for 2027 are 4 March and 2 September",
    ], who=Who.KNOWN, changes_state=True, say="the Tri.x deadlines are {payload}", group="Reminders",
        reader=re.compile(r"^(the )?(tri\.?x |publisher'?s? |manual )?(update |submission )*(deadlines?|dates?)( for (the )?(year|\d{4}))?"
                          r"\s*(are|is|will be|:)\s*(?P<dates0>.+?)[.!]*$"
                          r"|^(please )?(record|set|add) (the )?(tri\.?x |publisher'?s? |manual )?(update |submission )*deadlines?"
                          r"( for (the )?(year|\d{4}))?\s*(:|as|of)?\s*(?P<dates1>.+?)[.!]*$")),
    _c("next_update_deadline", "when the next manual update deadline is (NCT-2)", "next_update_deadline", [
        "when's the next tri.x deadline", "next update deadline", "when is the next manual update",
        "when do changes have to be with tri.x", "what is the tri.x deadline", "when is the next submission deadline",
        "tri.x deadline", "when's the publisher deadline",
    ], who=Who.ANYONE, say="when's the next Tri.x deadline?", group="Reminders"),
    _c("update_plan", "how to give me the publisher's update plan (NCT-3)", "update_plan", [
        "how do I send you the tri.x update plan", "update plan", "we've had the update plan from tri.x",
        "where do I put the publisher's update plan",
    ], who=Who.KNOWN, say="the Tri.x update plan", group="Reminders"),
    _c("confirm_ro_change", "", "confirm_ro_change", [
        "confirm ro change 1a2b3c4d", "confirm the ro change 0f9e8d7c",
    ], changes_state=True, say="confirm RO change {payload}", group="Documents", in_help=False,
        reader=re.compile(r"^(yes,? )?confirm (the )?(ro|responsible officer) change (?P<token>[0-9a-f]{8})[.!]*$")),
)

# ------------------------------------------------------------------ case decisions, from governance/actions.py

_DECISION_FORMS = (
    "{w} case 12", "please {w} case 4", "{w} #7", "can you {w} case 3", "{w} case no. 9", "case 5 {w}",
    "{w} case 6 please", "i want to {w} case 8", "ok {w} case 11", "{w} on case 2",
)


def _decision(d: ActionDef, words: Words, n: int) -> Command:
    w = words.text
    return Command(
        id=f"decide.{d.id.value}" + (f".{n}" if n else ""), help=f"{d.label.lower()} (say the case number)",
        examples=tuple(f.format(w=w) for f in _DECISION_FORMS), handler="decide", who=Who.KNOWN, changes_state=True,
        needs=("case",), say=f"{w} case {{case}}", group="Cases", action=d.id.value,
        carried=tuple(words.data.items()), in_help=n == 0,
        reader=re.compile(r"^" + re.escape(w) + r"\s+(on\s+)?case\s*(?P<n>\d{1,9})\s*(:|-|because|as|version)?\s*(?P<text>.*)$"))


def decision_commands() -> tuple[Command, ...]:
    out = []
    for d in ACTIONS.values():
        for n, w in enumerate(d.words):
            out.append(_decision(d, w, n))
    return tuple(out)


COMMANDS += tuple(_c(i, h, f, ex, **kw) for i, h, f, ex, kw in NCT_ROWS)  # NCT-5, NCT-7: Review Sessions (dialogs/nct_words.py)
TABLE: tuple[Command, ...] = COMMANDS + decision_commands()
BY_ID = {c.id: c for c in TABLE}

def allowed(command: Command, *, known: bool, roles: frozenset[str], chair: bool, pauser: bool) -> bool:
    """Whether help shows the command to this person (the services still authorise every use)."""
    if command.who == Who.ANYONE:
        return True
    if not known:
        return False
    if command.who == Who.CHAIR:
        return chair
    if command.who == Who.PAUSER:
        return pauser
    return True
