"""One handler per command in the table (dialogs/commands.py): read its arguments from the reading,
call one service, render. A handler named in the table is looked up in HANDLERS.

A handler that cannot find an argument it needs asks for it with the command's own phrasing; it
never guesses a document, a case or a date.
"""

from __future__ import annotations

import re
import sys

from dialogs import answer_turns, author_handlers, meeting_handlers, nct_handlers, reasons
from dialogs.commands import TABLE, allowed
from dialogs.file_words import FILE_WORDS
from dialogs.normalise import normalise
from dialogs.recogniser import Reading
from dialogs.response import Response
from dialogs.turn import Handler, Turn, ask_form, command_of, original, typed_date
from governance import glossary
from governance.actions import ActionId
from governance.dates import parse_date
from render import cases as case_render
from render import messages
from render import reports as report_render
from render import answers as answer_render
from render import search as search_render
from render.reply import Reply
from services.cases import lifecycle
from services.errors import BadInput
from services.manual import answers
from services.register import documents as register
from services.register import owners
from services.register.reports import register_report
from services.reminders import preferences

__all__ = ["HANDLERS", "Turn", "typed_date"]


# ---------------------------------------------------------------- documents

async def status(t: Turn, r: Reading) -> Response:
    if not r.slots.refs:
        return ask_form(r.command, "Which document? Give its reference.", r)
    async with t.services.uow() as uow:
        detail = await register.document_detail(uow, r.slots.refs[0])
    preset = t.services.preset
    ro_role = preset.role_label("ro")
    # NCT's RSM by its name; elsewhere the person held there is the one who signs the document off (BCT-8)
    rsm_role = preset.role_label("rsm") if lifecycle.uses_rsm(preset) else ("Signs off" if detail.document.rsm else None)
    return Response(messages.detail_reply(detail, t.today, ro_role[:1].upper() + ro_role[1:], rsm_role))


async def history(t: Turn, r: Reading) -> Response:
    if not r.slots.refs:
        return ask_form(r.command, "Which document? Give its reference.", r)
    async with t.services.uow() as uow:
        return Response(messages.history_reply(await register.document_detail(uow, r.slots.refs[0])))


async def my_documents(t: Turn, r: Reading) -> Response:
    if t.person is None:
        return Response(messages.unknown_person_reply())
    async with t.services.uow() as uow:
        docs = await register.my_documents(uow, t.person.id, t.today)
    return Response(messages.my_documents_reply(t.person.name, docs, t.today))


_LEAD_IN = re.compile(
    r"^(please |can you |could you |pls )?(find( me)?( something)?( on| about)?|search( the manual)?( for)?|look( for| up)|lookup|"
    r"(is there|are there|do we have|have we got|have we)( already)?( an?| any)?( procedures?| polic(y|ies)| documents?| guidance|"
    r" protocols?| pathways?| strateg(y|ies)| practice standards?| something| anything)?\s*(on|about|for|covering|regarding|re))\s+",
    re.IGNORECASE)


def topic_of(said: str) -> str:
    return _LEAD_IN.sub("", said.strip()).strip(" ?.!")


async def find(t: Turn, r: Reading) -> Response:
    return (await searched(t, r))[0]


# A document command with a reference typed wrongly ('status PP-1O', 'review PP-2x', 'history PP--14').
_MISTYPED = re.compile(
    r"^(?:(?:status|history|show|open|details|info|review|amend|audit|changes|what's happening with)\s+(?:of\s+|on\s+|for\s+|to\s+)?)?"
    r"(?P<ref>[a-z]{1,5}\s?-{0,2}\s?\d[a-z0-9]*)(?:\s+(?:status|history|please))?[\s?.!]*$", re.IGNORECASE)
_WELL_FORMED = re.compile(r"[a-z]{2,6}[\s-]?\d{1,5}", re.IGNORECASE)


async def _mistyped_ref(t: Turn, said: str) -> Response | None:
    m = _MISTYPED.match(said.strip())
    if m is None or _WELL_FORMED.fullmatch(m.group("ref")):
        return None
    async with t.services.uow() as uow:
        exc = await register.not_found(uow, m.group("ref"))
    return Response(messages.error_reply(str(exc)))


async def searched(t: Turn, r: Reading) -> tuple[Response, bool]:
    """The search's reply, and whether it found something that matches well."""
    mistyped = await _mistyped_ref(t, r.slots.original)
    if mistyped is not None:
        return mistyped, True
    q = topic_of(r.slots.original)
    if not q:
        return Response(Reply(text="What should I look for? For example: 'find missing children'.")), False
    outcome = await answers.answer(t.services, q, person_id=answer_turns.who(t), channel=t.ident.channel_id)
    t.answered = (outcome.answer_id, q) if outcome.answer_id is not None else None
    understood = r.command is not None and r.command.id in ("find", "define") and q != r.slots.original.strip(" ?.!")
    offer = None if outcome.kind == "answered" else await _offer(t, q)  # the PPO is named only when nothing answers well
    reply = answer_render.answer_reply(outcome, offer=offer, understood=understood)
    return Response(reply), outcome.kind != "nothing"


async def _offer(t: Turn, topic: str) -> search_render.Offer:
    """What to offer when nothing matches well: a new document on the topic, the PPO, help."""
    preset = t.services.preset
    role = "policy_service" if "policy_service" in preset.roles else "ppo"  # BCT-2: the Policy Service, not a PPO
    async with t.services.uow() as uow:
        ppo = await uow.people.with_role(role)
    names = [p.name for p in ppo if getattr(p, "active", True)]
    return search_render.Offer(topic=topic[:120], ppo=names[0] if names else None, officer=preset.role_label(role))


async def define(t: Turn, r: Reading) -> Response:
    answer = glossary.answer(t.services.preset, r.slots.original)
    if answer is None:
        return await find(t, r)
    return Response(messages.definition_reply(answer))


async def new_document(t: Turn, r: Reading) -> Response:  # started by the router (it needs the dialog state)
    raise NotImplementedError


async def add_rsm(t: Turn, r: Reading) -> Response:
    if not r.match:
        return ask_form(r.command, "Say who and which document.")
    ref = r.match.get("ref") or r.match.get("ref2") or ""
    who = original(r, "who") or original(r, "who2")  # 'me', a full name, or a first name only one person has
    out = await owners.add_rsm(t.services, t.ident, ref.upper(), who)
    return Response(Reply(text=out.message), out.notices, out.changed_case)


# ---------------------------------------------------------------- cases

async def my_tasks(t: Turn, r: Reading) -> Response:
    views = await lifecycle.my_tasks(t.services, t.ident)
    return Response(case_render.tasks_reply(t.person.name if t.person else "You", views))


async def case(t: Turn, r: Reading) -> Response:
    if r.slots.case is None:
        return ask_form(r.command, "Which case? Give its number.")
    return Response(case_render.case_reply(await lifecycle.case_view(t.services, t.ident, r.slots.case)))


_BECAUSE = re.compile(r"\b(?:because|as|reason|since|version)\b[:\s]*(?P<text>.+)$", re.IGNORECASE)


def decision_words(r: Reading) -> str:
    if r.match:
        return original(r, "text")
    if r.slots.payload:
        return r.slots.payload
    m = _BECAUSE.search(r.slots.original)
    return m.group("text").strip() if m else ""


async def decide(t: Turn, r: Reading) -> Response:
    c = command_of(r)
    if c.action is None:  # the command table gives every deciding command its action
        raise LookupError("a deciding command without an action")
    case_id = int(r.match["n"]) if r.match.get("n") else r.slots.case
    if case_id is None:
        return ask_form(c, "Which case? Give its number.")
    words = decision_words(r)
    data: dict = {"version": words} if c.action == ActionId.PUBLISH else {}
    data.update(dict(c.carried))
    out = await lifecycle.act(t.services, t.ident, case_id, c.action, text=words or None, data=data)
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)


def _ref(t: Turn, r: Reading) -> str | None:
    return r.slots.refs[0] if r.slots.refs else None


async def scheduled_review(t: Turn, r: Reading) -> Response:
    ref = _ref(t, r)
    if ref is None:
        return ask_form(r.command, "Which document? Give its reference.", r)
    out = await lifecycle.start_case(t.services, t.ident, ref, "scheduled_review")
    return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)


# ---------------------------------------------------------------- reports

async def _report(t: Turn, r: Reading, which: str) -> Response:
    if t.person is None:
        return Response(messages.unknown_person_reply())
    report = await register_report(t.services)
    if which == "overdue":
        return Response(report_render.overdue_reply(report))
    if which == "due":
        days = r.slots.days or 30
        if not 1 <= days <= 366:
            return Response(messages.error_reply("Ask for reviews due within 1 to 366 days, e.g. 'reviews due in 60 days'."))
        return Response(report_render.due_reply(report, days))
    return Response(report_render.report_reply(report, report_render.compliance_chart_png(report)))


async def report(t: Turn, r: Reading) -> Response:
    return await _report(t, r, "report")


async def overdue_reviews(t: Turn, r: Reading) -> Response:
    return await _report(t, r, "overdue")


async def reviews_due(t: Turn, r: Reading) -> Response:
    return await _report(t, r, "due")


# ---------------------------------------------------------------- reminders

async def nudge_settings(t: Turn, r: Reading) -> Response:
    return Response(Reply(text=await preferences.show(t.services, t.ident)))


async def quiet_hours(t: Turn, r: Reading) -> Response:
    if r.match:
        q = None if r.match.get("none") else (r.match.get("q") or "").strip() or None
    elif re.search(r"\b(no|clear|remove)\b", r.slots.original, re.IGNORECASE):
        q = None
    else:
        m = re.search(r"(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s*(?:to|-|until|till)\s*(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)",
                      r.slots.original, re.IGNORECASE)
        if not m:
            return ask_form(r.command, "Between which times should I keep quiet?")
        q = f"{m.group(1)} to {m.group(2)}"
    return Response(Reply(text=await preferences.set_quiet_hours(t.services, t.ident, q)))


async def digest_on(t: Turn, r: Reading) -> Response:
    return Response(Reply(text=await preferences.set_digest(t.services, t.ident, True)))


async def digest_off(t: Turn, r: Reading) -> Response:
    return Response(Reply(text=await preferences.set_digest(t.services, t.ident, False)))


async def pause_nudges(t: Turn, r: Reading) -> Response:
    until = None
    said = (r.match.get("until") or "").strip() or (r.slots.dates[0] if r.slots.dates else "")
    if said:
        try:
            until = parse_date(said, t.today)
        except ValueError as exc:
            raise BadInput(f"Sorry, {exc}.") from None
    return Response(Reply(text=await preferences.pause_nudges(t.services, t.ident, until, "paused in conversation")))


async def resume_nudges(t: Turn, r: Reading) -> Response:
    return Response(Reply(text=await preferences.resume_nudges(t.services, t.ident)))


# ---------------------------------------------------------------- talk

async def help(t: Turn, r: Reading) -> Response:
    return Response(messages.help_reply(t.person.name if t.person else None, t.services.config.organisation_name,
                                        lines=help_lines(t), examples=examples_for(t)))


async def cancel(t: Turn, r: Reading) -> Response:
    return Response(Reply(text="OK, nothing is in progress. Type 'help' to see what I can do."))


async def smalltalk(t: Turn, r: Reading) -> Response:
    return Response(messages.smalltalk_reply(normalise(r.slots.original), t.person.name if t.person else None))


def help_lines(t: Turn) -> list[tuple[str, str]]:
    lines = _command_lines(t)
    if t.known:
        shown = ("approve", "defer", "not_approved", "agree_need", "decline_need", "respond_comment", "publish")
        words = [c.say.split(" case")[0] for a in shown for c in TABLE if c.action == a and c.in_help]
        lines.insert(next((i for i, (s, _) in enumerate(lines) if s.startswith("case ")), len(lines)) + 1,
                     (f"{' / '.join(words)} ... case <number>",
                      "your decision on a case; the case card shows the ones open to you"))
    return lines


def _command_lines(t: Turn) -> list[tuple[str, str]]:
    after_case = next((i + 1 for i, c in enumerate(TABLE) if c.id == "case"), len(TABLE))
    listed = TABLE[:after_case] + FILE_WORDS + TABLE[after_case:]  # the file words beside "case <number>"
    return [(c.say.replace("{doc}", "<ref>").replace("{case}", "<number>").replace("{item}", "<number>")
             .replace("{action}", "<number>").replace("{date}", "<date>").replace("{days}", "60")
             .replace("{payload}", "<words>").replace("{n}", "1").replace("{m}", "2"), c.help)
            for c in listed if c.in_help and c.help and not c.action
            and allowed(c, known=t.known, roles=t.roles, chair=t.chair, pauser=t.pauser)]


def examples_for(t: Turn) -> tuple[str, ...]:
    """Three sentences this person can tap, from what their roles allow."""
    if not t.known:
        return ("is there a procedure on missing children?", "what's a pathway?", "status PP-001")
    if t.chair:
        return ("what's on the next agenda?", "my tasks", "is there a procedure on missing children?")
    return ("my tasks", "my documents", "is there a procedure on missing children?")


def _handlers(*modules) -> dict[str, Handler]:
    """Every public coroutine function of these modules, by name (the table names its handler)."""
    out: dict[str, Handler] = {}
    for module in modules:
        for name, fn in vars(module).items():
            if not name.startswith("_") and callable(fn) and getattr(fn, "__module__", None) == module.__name__ \
                    and getattr(getattr(fn, "__code__", None), "co_flags", 0) & 0x80:  # async def
                out[name] = fn
    return out


HANDLERS: dict[str, Handler] = _handlers(sys.modules[__name__], meeting_handlers, nct_handlers, reasons, author_handlers)
