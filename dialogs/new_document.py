"""The new-document request, as a short conversation (issue 4, items 1 and 2).

Check first (LBBD-1): what the person describes is searched in the register; if something covers
it, they are offered a review of that document instead. Then the type, with help choosing (MA-1)
and a strategy document told apart from a Section 47 strategy meeting (MA-2); the category (which
decides the route, BCT-8); the service area; why it is needed; who the stakeholders are; anyone
to consult; and a last look before it goes to whoever receives requests (BCT-2, NCT-17, DOR-2).

Its state is a plain dict kept in the conversation's state (bot/storage.SqlStorage), one per
person: {"name", "step", "touched", "data"}. Every step answers 'help', 'back' and 'cancel', asks
again politely when the answer makes no sense, and the whole thing lapses after EXPIRES_AFTER (the
router tells the person the next time they speak). The steps are declared in STEPS, in order; the
diagram is in new_document.md beside this file.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from dialogs import new_document_words as words
from dialogs.response import Response
from governance.errors import GovernanceError, WrongRole
from governance.wording import unended
from render import cases as case_render
from render import requests as ask
from render.reply import Reply
from services.cases import lifecycle, requests
from services.context import Services
from services.manual import answers, feedback
from services.people.identity import ChannelIdentity

NAME = "new_document"
EXPIRES_AFTER = timedelta(hours=24)
EXPIRED_NOTE = ("Your request for a new document was left unanswered for more than a day, so I set it aside "
                "and sent nothing. Say 'request a new document' to start again.")
MAX_FREE_TEXT = 1000

_YES = re.compile(r"^(y|yes|yep|yup|yeah|ok|okay|sure|send|send it|confirm|confirmed|go|go ahead|do it|correct|"
                  r"that'?s right|submit|yes please|please do|looks good|all good|fine|1)[.!]*$")
_NO = re.compile(r"^(n|no|nope|nah|not yet|wait|hold on|change|change something|2)[.!]*$")
_BACK = re.compile(r"^(back|go back|previous|undo|back one|go back one)[.!]*$")
_NONE = re.compile(r"^(none|no|nobody|no one|n/?a|skip|nothing|not sure yet)[.!]*$")
_CARRY_ON = re.compile(r"^(new|no|carry on|continue|a new one|new one|new document|none of (them|these)|still new|go on)[.!]*$")
_CHANGE = re.compile(r"^(change|edit|correct) (the )?(?P<what>subject|title|type|category|service area|area|reason|stakeholders|consultees)[.!]*$")
_EXPLAIN = re.compile(r"^(explain|explain them|what are they|which\??|not sure|i don'?t know|dunno|what'?s the difference\??)[.!?]*$")

CHANGE_FIELD = {"subject": "subject", "title": "subject", "type": "type", "category": "category",
                "service area": "service_area", "area": "service_area", "reason": "reason",
                "stakeholders": "stakeholders", "consultees": "consultees"}


class NewDocumentDialog:
    def __init__(self, services: Services) -> None:
        self.services = services

    # ------------------------------------------------------------------ lifetime

    def expired(self, mine: dict, now: datetime) -> bool:
        try:
            touched = datetime.fromisoformat(mine.get("touched", ""))
        except (TypeError, ValueError):
            return True
        return now - touched > EXPIRES_AFTER

    def _touch(self, mine: dict) -> None:
        mine["touched"] = self.services.clock.now().isoformat()

    async def begin(self, ident: ChannelIdentity, mine: dict, subject: str | None, named_type: str | None):
        mine.clear()
        mine.update(name=NAME, step="", data={})
        self._touch(mine)
        data = mine["data"]
        notes: list[str] = []
        if subject and words.sensible(subject):
            data["subject"] = unended(subject)[:300]
        if named_type:
            found = self._type_from(named_type)
            described = f"{named_type} {subject or ''}"
            help_ = requests.type_help(self.services, described)
            if found == "strategy" and help_.strategy_meeting:
                notes.append(help_.strategy_note or "")  # MA-2: check before taking 'strategy' at its word
            elif found:
                data["type"] = found
        return Response(await self._ask_next(ident, mine, notes))

    async def on_text(self, ident: ChannelIdentity, mine: dict, text: str):
        """One answer. Sets mine['done'] when the dialog is over (finished or cancelled)."""
        self._touch(mine)
        said = (text or "").strip()
        low = words.norm(said)
        if low.rstrip(".!") in ("cancel", "stop", "quit", "never mind", "nevermind", "forget it", "cancel request", "abort",
                                "cancel that", "stop that", "leave it"):
            mine["done"] = True
            mine["cancelled"] = True
            return Response(ask.said("OK, I've stopped the request for a new document. Nothing was sent."))
        step = mine.get("step") or ""
        if low in ("help", "?", "what do you need?", "what do i say?", "help me", "what do you mean?", "i don't understand"):
            return Response(await self._ask(ident, mine, step, [words.help_text(step)]))
        if _BACK.match(low):
            return Response(await self._back(ident, mine, step))
        if len(said) > MAX_FREE_TEXT:
            return Response(await self._ask(ident, mine, step, [f"That is longer than I can keep ({MAX_FREE_TEXT} characters). Please shorten it."]))
        m = _CHANGE.match(low)
        if m and step in ("confirm",):
            field = CHANGE_FIELD[m.group("what")]
            mine["data"].pop(field, None)
            if field == "subject":  # a new subject is checked against the register again (LBBD-1)
                mine["data"].pop("checked", None)
                mine["data"].pop("matches", None)
            return Response(await self._ask_next(ident, mine, []))
        declared = BY_STEP.get(step)
        if declared is None:
            return Response(await self._ask_next(ident, mine, []))
        return await declared.on_answer(self, ident, mine, said, low)

    async def answer_and_ask(self, ident: ChannelIdentity, mine: dict, answer: str) -> Response:
        """A question asked mid-dialog ('what's a pathway?'): answered, and the same step asked again."""
        self._touch(mine)
        return Response(await self._ask(ident, mine, mine.get("step") or "subject", [answer]))

    async def _back(self, ident: ChannelIdentity, mine: dict, step: str) -> Reply:
        """One step back: the answer before this step is forgotten and asked again."""
        data = mine["data"]
        names = [s.name for s in STEPS]
        before = names[: names.index(step)] if step in names else names
        for name in reversed(before):
            field = STEP_FIELD.get(name)
            if field and field in data:
                data.pop(field, None)
                if name == "subject":
                    data.pop("checked", None)
                    data.pop("matches", None)
                return await self._ask(ident, mine, name, ["Going back one step."])
        return await self._ask(ident, mine, step or "subject", ["This is the first question."])

    # ------------------------------------------------------------------ steps

    async def _on_subject(self, ident, mine, said, low):
        if not words.sensible(said, min_words=2):
            return Response(await self._ask(ident, mine, "subject", [f"Sorry, I need a few words about what it should cover, not \"{said[:40]}\"."]))
        mine["data"]["subject"] = unended(said)[:300]  # a title: no full stop of its own
        return Response(await self._ask_next(ident, mine, []))

    async def _on_check(self, ident, mine, said, low):
        matches = mine["data"].get("matches") or []
        chosen = None
        if low.isdigit() and 1 <= int(low) <= len(matches):
            chosen = matches[int(low) - 1][0]
        else:
            for ref, _title in matches:
                if ref.lower() in low.split() or low in (ref.lower(), f"review {ref.lower()}", f"update {ref.lower()}"):
                    chosen = ref
        if chosen:
            mine["done"] = True
            return await self._review_instead(ident, chosen)
        if _CARRY_ON.match(low):
            mine["data"]["checked"] = True
            return Response(await self._ask_next(ident, mine, ["Fine: a new document it is."]))
        return Response(await self._ask(ident, mine, "check", [f"Sorry, I didn't follow \"{said[:60]}\"."]))

    async def _on_type(self, ident, mine, said, low):
        help_ = requests.type_help(self.services, said)
        if _EXPLAIN.match(low):
            return Response(await self._ask(ident, mine, "type", [words.help_text("type")]))
        found = self._type_from(said)
        about = requests.type_help(self.services, f"{mine['data'].get('subject', '')} {said}")
        if found == "strategy" and about.strategy_meeting and "document" not in low:
            # MA-2: the subject is a Section 47 strategy meeting; a Strategy document must be meant explicitly.
            return Response(await self._ask(ident, mine, "type", [
                (about.strategy_note or "") + " If you do mean a Strategy document, say 'strategy document'."]))
        if found is None:
            notes = [f"Sorry, \"{said[:60]}\" is not one of the document types here."]
            if help_.strategy_note and help_.strategy_meeting:
                notes = [help_.strategy_note]
            elif help_.suggested:
                labels = {t.id: t.label for t in (await self._setup()).types}
                notes.append("From what you said, it sounds like: " + ", ".join(labels[t] for t in help_.suggested if t in labels) + ".")
            return Response(await self._ask(ident, mine, "type", notes))
        mine["data"]["type"] = found
        return Response(await self._ask_next(ident, mine, []))

    async def _on_category(self, ident, mine, said, low):
        setup = await self._setup()
        found = words.pick(low, list(setup.categories))
        if found is None:
            return Response(await self._ask(ident, mine, "category", [f"Sorry, \"{said[:60]}\" is not one of the categories."]))
        mine["data"]["category"] = found
        return Response(await self._ask_next(ident, mine, []))

    async def _on_service_area(self, ident, mine, said, low):
        setup = await self._setup()
        other = re.match(r"^(other|new)\s*[:\-]\s*(?P<area>.+)$", said, re.IGNORECASE)
        if other and words.sensible(other.group("area")):
            mine["data"]["service_area"] = other.group("area").strip()[:200]
            return Response(await self._ask_next(ident, mine, []))
        found = words.pick(low, list(setup.service_areas))
        if found is None:
            return Response(await self._ask(ident, mine, "service_area", [
                f"Sorry, I don't know a service area called \"{said[:60]}\". Pick one of these, or say 'other: <its name>'."]))
        mine["data"]["service_area"] = found
        return Response(await self._ask_next(ident, mine, []))

    async def _on_reason(self, ident, mine, said, low):
        if not words.sensible(said, min_words=3):
            return Response(await self._ask(ident, mine, "reason", ["Please say in a sentence why it is needed."]))
        mine["data"]["reason"] = said
        return Response(await self._ask_next(ident, mine, []))

    async def _on_stakeholders(self, ident, mine, said, low):
        if _NONE.match(low):
            mine["data"]["stakeholders"] = None
        elif words.sensible(said):
            mine["data"]["stakeholders"] = said
        else:
            return Response(await self._ask(ident, mine, "stakeholders", [f"Sorry, I didn't follow \"{said[:60]}\"."]))
        return Response(await self._ask_next(ident, mine, []))

    async def _on_consultees(self, ident, mine, said, low):
        if _NONE.match(low):
            mine["data"]["consultees"] = []
            return Response(await self._ask_next(ident, mine, []))
        names = [n.strip() for n in re.split(r",|;|\band\b", said) if n.strip()]
        if not names or not all(words.sensible(n) for n in names):
            return Response(await self._ask(ident, mine, "consultees", [f"Sorry, I didn't follow \"{said[:60]}\"."]))
        found, unknown = await requests.people_named(self.services, names)
        if unknown:
            return Response(await self._ask(ident, mine, "consultees", [
                "I couldn't find " + ", ".join(f"\"{u}\"" for u in unknown) + " in the directory (or the name fits "
                "several people). Give their full name or email address, or say 'none'."]))
        mine["data"]["consultees"] = [[pid, name] for pid, name in found]
        return Response(await self._ask_next(ident, mine, []))

    async def _on_confirm(self, ident, mine, said, low):
        if _YES.match(low):
            data = mine["data"]
            out = await lifecycle.start_new_document(
                self.services, ident, title=data["subject"][:1].upper() + data["subject"][1:], document_type=data["type"],
                category=data.get("category"), service_area=data.get("service_area") or "", reason=data["reason"],
                stakeholders=data.get("stakeholders"), consultees=[pid for pid, _ in data.get("consultees") or []])
            mine["done"] = True
            return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)
        if _NO.match(low):
            return Response(await self._ask(ident, mine, "confirm", [
                "What would you like to change? Say 'change subject', 'change type', 'change category', "
                "'change service area', 'change reason', 'change stakeholders' or 'change consultees'."]))
        return Response(await self._ask(ident, mine, "confirm", [f"Sorry, I didn't follow \"{said[:60]}\"."]))

    # ------------------------------------------------------------------ questions

    async def _setup(self) -> requests.RequestSetup:
        return await requests.setup(self.services)

    def _type_from(self, said: str) -> str | None:
        preset = self.services.preset
        types = list(preset.document_types.values())
        low = words.norm(said)
        if low.isdigit() and 1 <= int(low) <= len(types):
            return types[int(low) - 1].id
        for t in types:
            if low in (t.label.lower(), t.id, t.label.lower() + "s", t.id.replace("_", " ")):
                return t.id
        aliases = {"guidance": "practice_guidance", "standards": "practice_standards", "standard": "practice_standards"}
        if low in aliases and aliases[low] in preset.document_types:
            return aliases[low]
        contained = [t.id for t in types if re.search(rf"\b{re.escape(t.label.lower())}\b", low)]
        return contained[0] if len(contained) == 1 else None

    async def _ask_next(self, ident, mine: dict, notes: list[str]) -> Reply:
        data = mine["data"]
        setup = await self._setup()
        if "subject" not in data:
            return await self._ask(ident, mine, "subject", notes)
        if not data.get("checked"):
            hits = await requests.existing_documents(self.services, data["subject"])
            if hits:
                data["matches"] = [[h.document.ref, h.document.title] for h in hits]
                return await self._ask(ident, mine, "check", notes)
            data["checked"] = True
            notes = notes + [f"I found nothing in the register that already covers \"{data['subject']}\", so let's describe the new document."]
            chapters = await requests.manual_chapters(self.services, data["subject"])
            if not chapters:  # nothing in the register or the manual: the demand report counts it (issue 16)
                await answers.answer(self.services, data["subject"], channel=ident.channel_id, outcome="request",
                                     person_id=feedback.asker(await requests.requester_id(self.services, ident),
                                                             ident.aad_object_id or ident.user_id))
            if chapters:
                listed = "; ".join(f"{title} ({url})" if url else title for title, url in chapters)
                notes = notes + [f"The procedures manual already covers this: {listed}. A local document should add "
                                 "what is local to it, not repeat it."]
        if "type" not in data:
            return await self._ask(ident, mine, "type", notes)
        if "category" not in data:
            if len(setup.categories) <= 1:
                data["category"] = setup.categories[0] if setup.categories else None
            else:
                return await self._ask(ident, mine, "category", notes)
        for step in ("service_area", "reason", "stakeholders", "consultees"):
            if step not in data:
                return await self._ask(ident, mine, step, notes)
        return await self._ask(ident, mine, "confirm", notes)

    async def _ask(self, ident, mine: dict, step: str, notes: list[str]) -> Reply:
        mine["step"] = step
        return words.question(self.services, step, mine["data"], await self._setup(), notes)

    async def _review_instead(self, ident: ChannelIdentity, ref: str):
        """LBBD-1: update what exists. Its owners (or whoever receives requests) start its review now;
        anyone else asks for an unscheduled review with its reason."""
        try:
            out = await lifecycle.start_case(self.services, ident, ref, "scheduled_review")
            return Response(case_render.case_reply(out.case, "Good: rather than a new document, " + out.message[0].lower()
                                                   + out.message[1:]), out.notices, out.case.id)
        except WrongRole:
            pass
        except GovernanceError as exc:
            return Response(ask.said(f"{exc}"))
        preset = self.services.preset
        if preset.review_triggers:
            r = case_render.triggers_reply(ref, preset.review_triggers)
            return Response(ask.with_note(r, f"Good: you can ask for {ref} to be reviewed and updated instead of a new document."))
        out = await lifecycle.start_case(self.services, ident, ref, "unscheduled_review")
        return Response(case_render.case_reply(out.case, out.message), out.notices, out.case.id, out.cards)



@dataclass(frozen=True)
class Step:
    """One step of the request: its name, the field it fills, and the method that reads the answer."""

    name: str
    field: str | None
    on_answer: Callable[..., Awaitable[Response]]


STEPS: tuple[Step, ...] = (
    Step("subject", "subject", NewDocumentDialog._on_subject),
    Step("check", None, NewDocumentDialog._on_check),  # LBBD-1: update what exists instead
    Step("type", "type", NewDocumentDialog._on_type),  # MA-1, MA-2
    Step("category", "category", NewDocumentDialog._on_category),  # BCT-8: decides the route
    Step("service_area", "service_area", NewDocumentDialog._on_service_area),
    Step("reason", "reason", NewDocumentDialog._on_reason),
    Step("stakeholders", "stakeholders", NewDocumentDialog._on_stakeholders),
    Step("consultees", "consultees", NewDocumentDialog._on_consultees),
    Step("confirm", None, NewDocumentDialog._on_confirm),  # BCT-2, NCT-17, DOR-2: who receives it
)
BY_STEP = {s.name: s for s in STEPS}
STEP_FIELD = {s.name: s.field for s in STEPS}
