"""Adapts our Settings to the attribute names the Bot Framework SDK reads."""

from __future__ import annotations

from policybot.settings import Settings


class BotConfig:
    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id
        if settings.openid_metadata_url:
            # Where the channel's signing keys are published (overridden in tests to a local server).
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.openid_metadata_url
            self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = settings.openid_metadata_url

    def __repr__(self) -> str:
        return f"BotConfig(APP_ID={self.APP_ID!r}, APP_TYPE={self.APP_TYPE!r}, APP_PASSWORD={'****' if self.APP_PASSWORD else ''!r})"
