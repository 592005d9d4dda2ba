"""Settings read from an injectable mapping (the environment by default).

The Bot Framework names (`MicrosoftAppId`, `MicrosoftAppPassword`, `MicrosoftAppType`,
`MicrosoftAppTenantId`) are used as everyone configures them in Azure. Secrets are
masked whenever settings are shown or logged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

DEFAULT_DATA_DIR = Path("data")


class SettingsError(ValueError):
    """A setting is present but not usable; the message names it."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste and pick the async driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    if url.startswith("postgresql+psycopg2://") or url.startswith("postgresql+psycopg://"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://"):]
    return url


SECRET_FIELDS = {"app_password", "smtp_password", "graph_client_secret"}


@dataclass(frozen=True)
class Settings:
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 3978
    data_dir: Path = DEFAULT_DATA_DIR
    preset: str = "nct"
    organisation_name: str = "Demo Children's Trust"
    demo: bool = True
    nation: str = "england"
    log_level: str = "INFO"
    max_body_bytes: int = 1_000_000
    # Outbound OpenID metadata for token validation; overridable so tests can serve a local key set.
    openid_metadata_url: str = ""
    # Where the bot gets its own tokens for replies (overridable for sovereign clouds and tests).
    login_url: str = ""
    # Email delivery.
    mail_transport: str = "none"  # none | smtp | graph
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "policybot@example.org"
    graph_client_secret: str = ""
    graph_base_url: str = "https://graph.microsoft.com/v1.0"
    authority_host: str = "https://login.microsoftonline.com"
    scheduler_enabled: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("POLICYBOT_DATA_DIR") or DEFAULT_DATA_DIR)
        database_url = env.get("DATABASE_URL") or f"sqlite:///{(data_dir / 'policybot.db').as_posix()}"
        app_type = env.get("MicrosoftAppType") or "MultiTenant"
        if app_type not in {"MultiTenant", "SingleTenant", "UserAssignedMSI"}:
            raise SettingsError(
                "MicrosoftAppType must be SingleTenant, UserAssignedMSI or MultiTenant, " f"not {app_type!r}"
            )
        if app_type == "SingleTenant" and env.get("MicrosoftAppId") and not env.get("MicrosoftAppTenantId"):
            raise SettingsError("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant")
        mail_transport = (env.get("POLICYBOT_MAIL_TRANSPORT") or "none").lower()
        if mail_transport not in {"none", "smtp", "graph"}:
            raise SettingsError(f"POLICYBOT_MAIL_TRANSPORT must be none, smtp or graph, not {mail_transport!r}")
        return cls(
            app_id=env.get("MicrosoftAppId", ""),
            app_password=env.get("MicrosoftAppPassword", ""),
            app_type=app_type,
            app_tenant_id=env.get("MicrosoftAppTenantId", ""),
            database_url=normalise_database_url(database_url),
            host=env.get("HOST", "127.0.0.1"),
            port=_int(env, "PORT", 3978),
            data_dir=data_dir,
            preset=env.get("POLICYBOT_PRESET", "nct"),
            organisation_name=env.get("POLICYBOT_ORGANISATION", "Demo Children's Trust"),
            demo=_bool(env, "POLICYBOT_DEMO", True),
            nation=env.get("POLICYBOT_NATION", "england"),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            max_body_bytes=_int(env, "POLICYBOT_MAX_BODY_BYTES", 1_000_000),
            openid_metadata_url=env.get("POLICYBOT_OPENID_METADATA_URL", ""),
            login_url=env.get("POLICYBOT_LOGIN_URL", ""),
            mail_transport=mail_transport,
            smtp_host=env.get("SMTP_HOST", "127.0.0.1"),
            smtp_port=_int(env, "SMTP_PORT", 25),
            smtp_username=env.get("SMTP_USERNAME", ""),
            smtp_password=env.get("SMTP_PASSWORD", ""),
            smtp_starttls=_bool(env, "SMTP_STARTTLS", False),
            mail_from=env.get("POLICYBOT_MAIL_FROM", "policybot@example.org"),
            graph_client_secret=env.get("GRAPH_CLIENT_SECRET", ""),
            graph_base_url=env.get("GRAPH_BASE_URL", "https://graph.microsoft.com/v1.0"),
            authority_host=env.get("AUTHORITY_HOST", "https://login.microsoftonline.com"),
            scheduler_enabled=_bool(env, "POLICYBOT_SCHEDULER", True),
            extra={k: v for k, v in env.items() if k.startswith("POLICYBOT_")},
        )

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    def masked(self) -> dict[str, object]:
        shown: dict[str, object] = {}
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if f.name in SECRET_FIELDS and value:
                value = "****"
            if f.name == "database_url":
                value = mask_url(str(value))
            shown[f.name] = value
        return shown

    def __repr__(self) -> str:  # never leak secrets into logs or tracebacks
        inner = ", ".join(f"{k}={v!r}" for k, v in self.masked().items())
        return f"Settings({inner})"


def mask_url(url: str) -> str:
    """Hide a password inside a database URL."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    if ":" in creds:
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:****@{host}"
    return url
