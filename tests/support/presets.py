"""A bot running one preset with that preset's own demo organisation (issue 19): its people, its
register and its meeting calendars, as `./run demo --preset X` starts it."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime

from bot.app import DISPATCHER_KEY, SERVICES_KEY
from services.clock import LONDON, FixedClock
from services.demo import demo_aad, demo_email, demo_people
from services.reminders import sweeps
from tests.support.bot import RunningBot, settings_for
from tests.support.cases import text_of


@asynccontextmanager
async def preset_bot(db_url: str, preset: str, start: datetime, **env):
    clock = FixedClock(start if start.tzinfo else start.replace(tzinfo=LONDON))
    settings = settings_for(db_url, POLICYBOT_PRESET=preset, POLICYBOT_DEMO_ORG="preset", **env)
    bot = await RunningBot(settings, clock=clock).start()
    try:
        yield bot
    finally:
        await bot.stop()


def people(preset: str) -> dict[str, str]:
    """Entra object ids of the preset's demo people, by directory id."""
    return {key: demo_aad(key) for key, *_ in demo_people(preset)}


def emails(preset: str) -> dict[str, str]:
    """Directory id -> the address the person writes from (the email channel's from.id)."""
    return {key: demo_email(name) for key, name, *_ in demo_people(preset)}


def named(preset: str) -> dict[str, str]:
    """Directory id -> name in the preset's demo."""
    return {key: name for key, name, *_ in demo_people(preset)}


async def greet(bot, aad: dict[str, str], *keys: str) -> None:
    """Each person says hello once, so the bot has their conversation for later messages."""
    for key in keys:
        await bot.say("hello", aad=aad[key], conversation=f"a:{key}")


async def rehearse(bot, when: datetime) -> None:
    """The scheduler at `when`: every sweep runs (twice, as a restarted leader would) and the outbox drains."""
    services = bot.app[SERVICES_KEY]
    services.clock.set(when if when.tzinfo else when.replace(tzinfo=LONDON))
    await sweeps.run_all(services, "rehearsal")
    await sweeps.run_all(services, "rehearsal")
    await bot.app[DISPATCHER_KEY].drain()


async def said_as(bot, aad: dict[str, str], key: str, text: str, **kw) -> str:
    return text_of(await bot.say(text, aad=aad[key], conversation=f"a:{key}", **kw))
