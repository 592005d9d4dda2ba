"""Adapts our Settings to the attribute names the Bot Framework SDK reads."""

from __future__ import annotations

from botbuilder.schema import CallerIdConstants
from botframework.connector.auth import AuthenticationConstants

from bot.settings import Settings


class BotConfig:
    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id
        if settings.openid_metadata_url or settings.login_url:
            # Overriding any endpoint makes the SDK build a "parameterised" authentication that
            # needs every one of them; fill the rest with the public cloud's values.
            c = AuthenticationConstants
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.openid_metadata_url or c.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
            self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = settings.openid_metadata_url or c.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
            self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = c.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
            self.TO_CHANNEL_FROM_BOT_LOGIN_URL = settings.login_url or c.TO_CHANNEL_FROM_BOT_LOGIN_URL
            self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = c.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            self.OAUTH_URL = c.OAUTH_URL
            self.CALLER_ID = CallerIdConstants.public_azure_channel
            self.VALIDATE_AUTHORITY = not settings.login_url

    def __repr__(self) -> str:
        return f"BotConfig(APP_ID={self.APP_ID!r}, APP_TYPE={self.APP_TYPE!r}, APP_PASSWORD={'****' if self.APP_PASSWORD else ''!r})"
