"""Turn time limits (issue 22, item 9), as Bot Framework middleware on our adapter.

- `TypingIndicator`: a message turn still running after `delay` seconds shows the person that the
  bot is typing, again every `period` seconds until the turn ends (not on the email channel, which
  has no typing, nor for expectReplies, whose replies are the HTTP response).
- `InvokeDeadline`: Teams gives a card button (an invoke) about 5 seconds for its answer. The turn
  runs as usual; if it has not finished `budget` seconds after it arrived, the invoke is answered
  with what the turn has already answered (the handler answers before it notifies others and
  refreshes cards) or, failing that, with "working on it", and the rest of the turn carries on
  after the response. A late answer is then posted to the conversation as a message, so nothing
  the person should see is lost. Work left running is tracked and awaited at shutdown.

The SDK's own ShowTypingMiddleware fires and forgets its sends (errors unobserved, sends after the
turn has ended) and types on every channel, hence these.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from botbuilder.core import CardFactory, InvokeResponse, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes

log = logging.getLogger("policybot.turns")

INVOKE_RESPONSE_KEY = TurnContext._INVOKE_RESPONSE_KEY  # noqa: SLF001 - the SDK's own key
ANSWERED_EARLY = "policybot.invoke_answered_early"
WORKING_ON_IT = "Working on it: I'll post the result in this chat in a moment."


class TypingIndicator(Middleware):
    def __init__(self, delay: float = 1.0, period: float = 3.0) -> None:
        self.delay, self.period = delay, period

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[Any]]):
        act = context.activity
        if (act.type != ActivityTypes.message or act.channel_id == "email"
                or act.delivery_mode == "expectReplies"):
            return await logic()
        typing = asyncio.create_task(self._keep_typing(context))
        try:
            return await logic()
        finally:
            typing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await typing

    async def _keep_typing(self, context: TurnContext) -> None:
        await asyncio.sleep(self.delay)
        reference = TurnContext.get_conversation_reference(context.activity)
        while True:
            typing = TurnContext.apply_conversation_reference(Activity(type=ActivityTypes.typing), reference)
            try:
                await context.adapter.send_activities(context, [typing])
            except Exception as exc:  # noqa: BLE001 - typing is a courtesy; the reply still goes
                log.info("could not show typing: %s", type(exc).__name__)
                return
            await asyncio.sleep(self.period)


def _as_message(invoke: Activity) -> Activity | None:
    """A late invoke answer as a message to the conversation (card or text)."""
    value = invoke.value
    body = value.body if isinstance(value, InvokeResponse) else value
    if not isinstance(body, dict):
        return None
    kind, content = body.get("type"), body.get("value")
    if kind == "application/vnd.microsoft.card.adaptive" and isinstance(content, dict):
        return Activity(type=ActivityTypes.message, attachments=[CardFactory.adaptive_card(content)])
    if isinstance(content, str):
        return Activity(type=ActivityTypes.message, text=content)
    if isinstance(content, dict) and isinstance(content.get("message"), str):
        return Activity(type=ActivityTypes.message, text=content["message"])
    return None


class InvokeDeadline(Middleware):
    def __init__(self, budget: float = 4.0) -> None:
        self.budget = budget
        self.background: set[asyncio.Task] = set()
        self.provisional: dict[int, InvokeResponse] = {}  # by id() of the activity still being worked on

    def take_provisional(self, activity: Activity) -> InvokeResponse | None:
        return self.provisional.pop(id(activity), None)

    async def on_turn(self, context: TurnContext, logic: Callable[[], Coroutine[Any, Any, Any]]):
        if context.activity.type != ActivityTypes.invoke or context.activity.delivery_mode == "expectReplies":
            return await logic()
        context.on_send_activities(self._late_answers_become_messages)
        turn = asyncio.create_task(logic())
        done, _ = await asyncio.wait({turn}, timeout=self.budget)
        if turn in done:
            return turn.result()
        context.turn_state[ANSWERED_EARLY] = True
        if context.turn_state.get(INVOKE_RESPONSE_KEY) is None:
            # Not in the turn state: the SDK would then never send the real answer. The adapter
            # answers with this instead (PolicybotAdapter.process), and the real one becomes a message.
            body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": WORKING_ON_IT}
            self.provisional[id(context.activity)] = InvokeResponse(status=200, body=body)
        log.info("invoke %r answered after %ss; the rest of the turn carries on", context.activity.name, self.budget)
        self.background.add(turn)
        turn.add_done_callback(lambda t: self._finished(context, t))
        return None

    async def _late_answers_become_messages(self, context: TurnContext, activities: list[Activity], next_send):
        if context.turn_state.get(ANSWERED_EARLY):
            for i, act in enumerate(list(activities)):
                if act.type == ActivityTypes.invoke_response:
                    message = _as_message(act)
                    if message is not None:
                        activities[i] = TurnContext.apply_conversation_reference(
                            message, TurnContext.get_conversation_reference(context.activity))
        return await next_send()

    def _finished(self, context: TurnContext, task: asyncio.Task) -> None:
        self.background.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        handler = getattr(context.adapter, "on_turn_error", None)
        if handler is not None:
            follow_up = asyncio.ensure_future(handler(context, task.exception()))
            self.background.add(follow_up)
            follow_up.add_done_callback(self.background.discard)
        else:
            log.error("a turn that went on after its invoke answer failed", exc_info=task.exception())

    async def finish(self, within: float) -> None:
        """At shutdown: give the turns still running after their answer up to `within` seconds."""
        if self.background:
            await asyncio.wait(set(self.background), timeout=within)
