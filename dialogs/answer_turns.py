"""What follows an answer from the manual (issue 16): "more", and Helpful / Not what I needed with
its one optional line, by button (Teams) or by numbered reply (email and chat).

The router keeps the last answer per person in the conversation's state under ANSWER_STATE, so a
reply of '2' or 'more' needs no number. Feedback is recorded only for the person the answer was
given to (the channel's identity, never the card's data).
"""

from __future__ import annotations

import re

from dialogs.response import Response
from dialogs.turn import Turn
from governance.actions import AnswerFeedback, answer_feedback
from render import answers as answer_render
from render.reply import Reply
from services.errors import BadInput
from services.manual import answers
from services.manual.feedback import asker, record_feedback

ANSWER_STATE = "answer:"
_MORE = re.compile(r"^\s*(?:show\s+(?:me\s+)?)?more(?:\s+(?:results|chapters)\s+(?:for|on|about)\s+(?P<q>.+)|\s+please)?[.!]*$",
                   re.IGNORECASE)
MORE_WORDS = "more results for"
_QUOTED_ANSWER = re.compile(r"\(answer (\d{1,12})\)")


def who(turn: Turn) -> str | None:
    return asker(getattr(turn.person, "id", None), turn.ident.aad_object_id or turn.ident.user_id)


def remember(turn: Turn, state: dict | None, key: str) -> None:
    """After a turn that answered a question: keep the answer for 'more' and the feedback words."""
    if state is not None and turn.answered is not None:
        answer_id, question = turn.answered
        state[ANSWER_STATE + key] = {"answer": answer_id, "question": question, "await_note": False}


async def follow_up(turn: Turn, said: str, state: dict | None, key: str, body: str | None = None) -> Response | None:
    """The reply when the message follows an answer ('more', '1', '2 what I wanted'); else None."""
    last = state.get(ANSWER_STATE + key) if state is not None else None
    m = _MORE.match(said or "")
    if m and (m.group("q") or last):
        question = m.group("q") or (last or {})["question"]  # no question said: `last` is set
        found = await answers.find(turn.services, question)
        return Response(answer_render.answer_reply(found, start=answers.FIRST))
    answer_id = last.get("answer") if isinstance(last, dict) else None
    if body and (quoted := _QUOTED_ANSWER.findall(body)):
        answer_id = int(quoted[-1])  # replying to our email: the answer it quotes
    if answer_id is None:
        return None
    if state is not None and isinstance(last, dict) and last.get("await_note") and said.strip():  # `last` came from `state`
        del state[ANSWER_STATE + key]
        return await _record(turn, answer_id, AnswerFeedback.NOT_HELPFUL, said)
    read = answer_feedback(said)
    if read is None:
        return None
    feedback, rest = read
    if state is not None:
        state.pop(ANSWER_STATE + key, None)
        if feedback is AnswerFeedback.NOT_HELPFUL and not rest:
            state[ANSWER_STATE + key] = {"answer": answer_id, "question": (last or {}).get("question", ""), "await_note": True}
    response = await _record(turn, answer_id, feedback, rest or None)
    if feedback is AnswerFeedback.NOT_HELPFUL and not rest and state is not None:
        return Response(answer_render.not_helpful_asks(answer_id))
    return response


async def _record(turn: Turn, answer_id: int, feedback: AnswerFeedback, note: str | None) -> Response:
    try:
        await record_feedback(turn.services, who(turn), answer_id, feedback.value, note)
    except BadInput as exc:
        return Response(Reply(text=str(exc)))
    return Response(answer_render.feedback_thanks(feedback.value, note))


async def button(turn: Turn, data: dict) -> Response:
    """A Helpful / Not what I needed button (Action.Execute verb 'answer'), or the note's Send."""
    try:
        answer_id = int(data.get("answer", ""))  # missing: ValueError, refused below as before
        feedback = AnswerFeedback(str(data.get("feedback")))
    except (TypeError, ValueError):
        return Response(Reply(text="That button sent something I can't use. Ask your question again."))
    note = data.get("looking_for") if isinstance(data.get("looking_for"), str) else None
    if feedback is AnswerFeedback.NOT_HELPFUL and data.get("step") != "note":
        response = await _record(turn, answer_id, feedback, None)
        if "can't find" in response.reply.text:
            return response
        return Response(answer_render.not_helpful_asks(answer_id))
    return await _record(turn, answer_id, feedback, note)
