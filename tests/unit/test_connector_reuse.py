"""Connector clients are kept per (app, service URL, audience) instead of built for every turn."""

from __future__ import annotations

from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.auth import CachingCredentialFactory
from bot.bootstrap import credentials_for
from bot.config import BotConfig
from bot.connector_reuse import ReusingBotFrameworkAuthentication
from bot.settings import Settings


def _activity(service_url: str) -> Activity:
    return Activity(type="message", id="1", channel_id="msteams", service_url=service_url, text="hi",
                    from_property=ChannelAccount(id="29:u"), recipient=ChannelAccount(id="28:bot"),
                    conversation=ConversationAccount(id="a:1"))


async def test_one_connector_client_per_service_url_and_closed_at_the_end():
    settings = Settings.from_env({"POLICYBOT_DEMO": "0"})
    credentials: CachingCredentialFactory = credentials_for(settings)
    auth = ReusingBotFrameworkAuthentication(BotConfig(settings), credentials_factory=credentials)
    clients = []
    for url in ("http://127.0.0.1:9/a/", "http://127.0.0.1:9/a/", "http://127.0.0.1:9/b/"):
        result = await auth.authenticate_request(_activity(url), "")  # no app id: authentication is off locally
        clients.append(await result.connector_factory.create(url, result.audience))
    assert clients[0] is clients[1]
    assert clients[2] is not clients[0]
    assert clients[2].config.base_url == "http://127.0.0.1:9/b/"

    first = await auth.authenticate_request(_activity("http://127.0.0.1:9/a/"), "")
    token_clients = [await auth.create_user_token_client(first.claims_identity) for _ in range(2)]
    assert token_clients[0] is token_clients[1]

    proactive = await auth.create_connector_factory(first.claims_identity).create("http://127.0.0.1:9/a/", first.audience)
    assert proactive is clients[0]  # a proactive send reuses the turn's client too

    await auth.close()
    again = await (await auth.authenticate_request(_activity("http://127.0.0.1:9/a/"), "")).connector_factory.create(
        "http://127.0.0.1:9/a/", None)
    assert again is not clients[0]  # closed clients are not handed out again
    await auth.close()
