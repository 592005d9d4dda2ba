"""The NCT organisation over HTTP, in Teams and by email: a running bot whose chosen people work by
email (notices arrive by real SMTP on loopback), and the few moves every NCT transcript makes."""

from __future__ import annotations

from sqlalchemy import update

from bot.app import DISPATCHER_KEY, RUNTIME_KEY, SERVICES_KEY
from services.demo import PEOPLE
from services.updates.window import sweep_update_cases
from store.models import Person
from tests.support.bot import RunningBot, settings_for

EMAIL = {key: name.lower().replace(" ", ".").replace("-", "") + "@example.org" for key, name, *_ in PEOPLE}


async def start_nct_bot(db_url: str, clock, smtp, *, by_email: tuple[str, ...] = ()) -> RunningBot:
    """The demo organisation under the NCT preset; the people in `by_email` get their notices by email."""
    settings = settings_for(db_url, POLICYBOT_PRESET="nct", POLICYBOT_MAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1",
                            SMTP_PORT=str(smtp.port), POLICYBOT_MAIL_FROM="policybot@nctrust.example")
    bot = await RunningBot(settings, clock=clock).start()
    if by_email:
        async with bot.app[RUNTIME_KEY].store.sessionmaker() as s:
            await s.execute(update(Person).where(Person.id.in_(by_email)).values(preferences={"channels": ["email"]}))
            await s.commit()
    return bot


async def hello(bot, demo_aad, *people: str) -> None:
    """These people have talked to the bot in their 1:1 chat 'a:<id>', so it can reach them there."""
    for p in people:
        await bot.say("help", aad=demo_aad[p], conversation=f"a:{p}")


async def attach(bot, aad: str, conversation: str, name: str, data: bytes, text: str = ""):
    """A Word file attached in a Teams chat."""
    act = bot.activity(text, aad=aad, conversation=conversation, attachments=[bot.channel.attach(name, data)])
    return await bot.send(act)


async def email(bot, person: str, text: str, *, attachments: list | None = None):
    """An email to the bot as the Bot Framework email channel delivers it (the sender's address is from.id)."""
    act = bot.activity(text, channel_id="email", user_id=EMAIL[person], conversation=f"email-{person}",
                       **({"attachments": attachments} if attachments else {}))
    said = await bot.send(act)
    assert said.status in (200, 201, 202), said.body
    return said


def email_text(said) -> str:
    return "\n".join(r.get("text") or "" for r in said.replies)


def mails_to(smtp, person: str) -> list[str]:
    """Every email a person received: its subject, then its plain text."""
    return [f"{m.message['Subject']}\n{m.part('text/plain')}" for m in smtp.to(EMAIL[person])]


async def update_sweep_at(bot, clock, when) -> None:
    """NCT-4's clock moved: the scheduler's update sweep and its dispatcher run."""
    clock.set(when)
    await sweep_update_cases(bot.app[SERVICES_KEY], "test")
    await bot.app[DISPATCHER_KEY].drain()
