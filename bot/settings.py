"""Settings: the one place the environment is read. Typed, checked, and shown masked.

Each setting is declared once below (its environment name, its type, its default, whether it is
a secret). `Settings.from_env(mapping)` reads them from an injectable mapping (the environment by
default); a bad value stops the start with one plain sentence naming the variable. The Bot
Framework names (`MicrosoftAppId`, `MicrosoftAppPassword`, `MicrosoftAppType`,
`MicrosoftAppTenantId`) are used as everyone configures them in Azure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from store.db import mask_url, normalise_database_url

DEFAULT_DATA_DIR = Path("data")
LONDON = ZoneInfo("Europe/London")


class SettingsError(ValueError):
    """A setting is present but not usable; the message names it in one sentence."""


# ------------------------------------------------------------------ value readers

def _text(name: str, raw: str) -> str:
    return raw.strip()


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}.")


def _int(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None


def _positive_int(name: str, raw: str) -> int:
    value = _int(name, raw)
    if value < 1:
        raise SettingsError(f"{name} must be 1 or more, not {raw!r}.")
    return value


def _port(name: str, raw: str) -> int:
    value = _int(name, raw)
    if not 0 <= value <= 65535:
        raise SettingsError(f"{name} must be a port number between 0 and 65535, not {raw!r}.")
    return value


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}.") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative, not {raw!r}.")
    return value


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _app_id(name: str, raw: str) -> str:
    value = raw.strip()
    if not _GUID.fullmatch(value):
        raise SettingsError(f"{name} must be the bot's Entra application (client) id, a GUID like "
                            f"6f1c0a52-3c1e-4b7e-9d0f-2a7d5e0c9b11, not {raw!r}.")
    return value


def _secret(name: str, raw: str) -> str:
    value = raw.strip()
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value) or value.startswith("<"):
        raise SettingsError(f"{name} must be the client secret's value from the Entra app registration, "
                            "without spaces or placeholders; the value given is not one.")
    return value


def _path(name: str, raw: str) -> Path:
    return Path(raw.strip())


def _url(name: str, raw: str) -> str:
    value = raw.strip()
    if not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(f"{name} must be a web address starting with https://, not {raw!r}.")
    return value


def _addresses(name: str, raw: str) -> tuple[str, ...]:
    out = tuple(a.strip() for a in re.split(r"[;,]", raw) if a.strip())
    for a in out:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", a):
            raise SettingsError(f"{name} must be email addresses separated by commas, and {a!r} is not one.")
    return out


def _address(name: str, raw: str) -> str:
    found = _addresses(name, raw)
    if len(found) != 1:
        raise SettingsError(f"{name} must be one email address, not {raw!r}.")
    return found[0]


def _moment(name: str, raw: str) -> datetime | None:
    try:
        at = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a date and time like 2027-01-04T09:00, not {raw!r}.") from None
    return at if at.tzinfo else at.replace(tzinfo=LONDON)


def _choice(*allowed: str) -> Callable[[str, str], str]:
    def read(name: str, raw: str) -> str:
        value = raw.strip()
        match = next((a for a in allowed if a.lower() == value.lower()), None)
        if match is None:
            raise SettingsError(f"{name} must be {', '.join(allowed[:-1])} or {allowed[-1]}, not {raw!r}.")
        return match
    return read


def _role_groups(name: str, raw: str) -> tuple[tuple[str, str], ...]:
    out = []
    for part in re.split(r"[;\n]", raw):
        if not part.strip():
            continue
        role, sep, group = part.partition("=")
        if not sep or not role.strip() or not group.strip():
            raise SettingsError(f"{name}: '{part.strip()}' should be role=group-id.")
        out.append((role.strip().lower(), group.strip()))
    return tuple(out)


@dataclass(frozen=True)
class Spec:
    env: str
    read: Callable[[str, str], Any]
    secret: bool = False
    help: str = ""


# field name -> how it is read from the environment. The dataclass below gives the defaults.
SPECS: dict[str, Spec] = {
    "app_id": Spec("MicrosoftAppId", _app_id, help="the bot's Entra app id (empty: local development, no auth)"),
    "app_password": Spec("MicrosoftAppPassword", _secret, secret=True),
    "app_type": Spec("MicrosoftAppType", _choice("MultiTenant", "SingleTenant", "UserAssignedMSI")),
    "app_tenant_id": Spec("MicrosoftAppTenantId", _text),
    "database_url": Spec("DATABASE_URL", _text, secret=True, help="sqlite:///path or postgresql://user@host/db"),
    "host": Spec("HOST", _text),
    "port": Spec("PORT", _port),
    "data_dir": Spec("POLICYBOT_DATA_DIR", _path),
    "preset": Spec("POLICYBOT_PRESET", _choice("nct", "bct", "lbbd", "dorset")),
    "preset_overrides": Spec("POLICYBOT_PRESET_OVERRIDES", _path),
    "organisation_name": Spec("POLICYBOT_ORGANISATION", _text),
    "demo": Spec("POLICYBOT_DEMO", _bool),
    "demo_org": Spec("POLICYBOT_DEMO_ORG", _choice("preset", "nct", "bct", "lbbd", "dorset"),
                     help="whose demo organisation: the preset's own (default) or a named one"),
    "nation": Spec("POLICYBOT_NATION", _choice("england", "wales", "scotland", "northern_ireland")),
    "log_level": Spec("LOG_LEVEL", _choice("DEBUG", "INFO", "WARNING", "ERROR")),
    "max_body_bytes": Spec("POLICYBOT_MAX_BODY_BYTES", _positive_int),
    "invoke_answer_seconds": Spec("POLICYBOT_INVOKE_ANSWER_SECONDS", _seconds,
                                  help="a card button is answered within this; slower work carries on after"),
    "openid_metadata_url": Spec("POLICYBOT_OPENID_METADATA_URL", _url),
    "login_url": Spec("POLICYBOT_LOGIN_URL", _url),
    "teams_service_url": Spec("POLICYBOT_TEAMS_SERVICE_URL", _url),
    "public_url": Spec("POLICYBOT_PUBLIC_URL", _url, help="where people reach the bot (signed draft links)"),
    "send_concurrency": Spec("POLICYBOT_SEND_CONCURRENCY", _positive_int),
    "outbox_claim_seconds": Spec("POLICYBOT_OUTBOX_CLAIM_SECONDS", _positive_int),
    "clock": Spec("POLICYBOT_CLOCK", _moment, help="rehearse: start the clock at this moment"),
    "scheduler_enabled": Spec("POLICYBOT_SCHEDULER", _bool),
    "sweep_seconds": Spec("POLICYBOT_SWEEP_SECONDS", _seconds, help="how often the scheduler's sweeps look for what is due"),
    "nudge_every_working_days": Spec("POLICYBOT_NUDGE_EVERY_WORKING_DAYS", _positive_int),
    "mail_transport": Spec("POLICYBOT_MAIL_TRANSPORT", _choice("none", "smtp", "graph")),
    "mail_from": Spec("POLICYBOT_MAIL_FROM", _address),
    "request_mailbox": Spec("POLICYBOT_REQUEST_MAILBOX", _address, help="BCT-2: the Policy Service mailbox"),
    "digest_to": Spec("POLICYBOT_DIGEST_TO", _addresses, help="BCT-9: who gets the weekly publication email"),
    "monthly_to": Spec("POLICYBOT_MONTHLY_TO", _addresses, help="DOR-13: who gets the monthly approvals email"),
    "smtp_host": Spec("SMTP_HOST", _text),
    "smtp_port": Spec("SMTP_PORT", _port),
    "smtp_username": Spec("SMTP_USERNAME", _text),
    "smtp_password": Spec("SMTP_PASSWORD", _text, secret=True),
    "smtp_starttls": Spec("SMTP_STARTTLS", _bool),
    "smtp_auth": Spec("SMTP_AUTH", _choice("auto", "none", "basic", "xoauth2"),
                      help="xoauth2: an app token from msal (Exchange Online); none: an unauthenticated relay"),
    "mail_in": Spec("POLICYBOT_MAIL_IN", _choice("channel", "graph-delta", "graph"),
                    help="email in: the Bot Service email channel, or the policy mailbox through Graph"),
    "mailbox": Spec("POLICYBOT_MAILBOX", _address, help="the policy mailbox Graph reads (default POLICYBOT_MAIL_FROM)"),
    "mail_notification_url": Spec("POLICYBOT_MAIL_NOTIFICATION_URL", _url,
                                  help="public https address of /api/graph/notifications (POLICYBOT_MAIL_IN=graph)"),
    "mail_processed_folder": Spec("POLICYBOT_MAIL_PROCESSED_FOLDER", _text),
    "mail_sweep_seconds": Spec("POLICYBOT_MAIL_SWEEP_SECONDS", _seconds),
    "graph_client_id": Spec("POLICYBOT_GRAPH_CLIENT_ID", _text),
    "graph_client_secret": Spec("GRAPH_CLIENT_SECRET", _text, secret=True),
    "graph_tenant_id": Spec("POLICYBOT_GRAPH_TENANT_ID", _text),
    "graph_scope": Spec("POLICYBOT_GRAPH_SCOPE", _text),
    "graph_role_groups": Spec("POLICYBOT_GRAPH_ROLE_GROUPS", _role_groups),
    "graph_base_url": Spec("GRAPH_BASE_URL", _url),
    "authority_host": Spec("AUTHORITY_HOST", _url),
    "ca_bundle": Spec("REQUESTS_CA_BUNDLE", _path, help="extra trusted certificates (proxies, tests)"),
    "manual_url": Spec("POLICYBOT_MANUAL_URL", _url, help="the online procedures manual's contents page"),
    "manual_delay": Spec("POLICYBOT_MANUAL_DELAY", _seconds),
    "manual_timeout": Spec("POLICYBOT_MANUAL_TIMEOUT", _seconds),
    # the Teams tab and pages (bot/tab)
    "tab_session_secret": Spec("POLICYBOT_TAB_SESSION_SECRET", _text, secret=True,
                               help="signs the pages' session cookies (empty: a new one each start)"),
    "tab_domain": Spec("POLICYBOT_TAB_DOMAIN", _text, help="the pages' host name, for the SSO audience api://<host>/<app id>"),
    "tab_keys_url": Spec("POLICYBOT_TAB_KEYS_URL", _url, help="Entra's signing keys for tab SSO tokens"),
    "tab_graph_photos": Spec("POLICYBOT_TAB_GRAPH_PHOTOS", _bool,
                             help="people's photos on the pages from Graph, on behalf of the person signed in through Teams "
                                  "(needs the delegated User.ReadBasic.All permission, consented)"),
}


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
    preset_overrides: Path | None = None
    organisation_name: str = "Demo Children's Trust"
    demo: bool = True
    demo_org: str = "preset"
    nation: str = "england"
    log_level: str = "INFO"
    max_body_bytes: int = 1_000_000
    invoke_answer_seconds: float = 4.0  # Teams waits about 5 s for an invoke's answer
    openid_metadata_url: str = ""  # token validation keys; overridable so tests can serve a local key set
    login_url: str = ""  # where the bot gets its own tokens (sovereign clouds, tests)
    teams_service_url: str = ""
    public_url: str = ""  # the bot's address as people reach it; signed draft links start here (issue 17)
    send_concurrency: int = 64
    outbox_claim_seconds: int = 120  # a dead sender's claim lapses after this
    clock: datetime | None = None
    scheduler_enabled: bool = True
    sweep_seconds: float = 300.0
    nudge_every_working_days: int = 5
    mail_transport: str = "none"
    mail_from: str = "policybot@example.org"
    request_mailbox: str = ""
    digest_to: tuple[str, ...] = ()
    monthly_to: tuple[str, ...] = ()
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_auth: str = "auto"  # auto: basic when SMTP_USERNAME is set, else none
    mail_in: str = "channel"
    mailbox: str = ""
    mail_notification_url: str = ""
    mail_processed_folder: str = "Processed by policybot"
    mail_sweep_seconds: float = 300.0
    graph_client_id: str = ""
    graph_client_secret: str = ""
    graph_tenant_id: str = ""
    graph_scope: str = ""
    graph_role_groups: tuple[tuple[str, str], ...] = ()
    graph_base_url: str = "https://graph.microsoft.com/v1.0"
    authority_host: str = "https://login.microsoftonline.com"
    ca_bundle: Path | None = None
    manual_url: str = ""
    manual_delay: float = 1.0
    manual_timeout: float = 30.0
    tab_session_secret: str = ""
    tab_domain: str = ""
    tab_keys_url: str = ""  # empty: <AUTHORITY_HOST>/common/discovery/v2.0/keys
    tab_graph_photos: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        source = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for name, spec in SPECS.items():
            raw = source.get(spec.env)
            if raw is None or raw.strip() == "":
                continue
            values[name] = spec.read(spec.env, raw)
        data_dir = values.get("data_dir", DEFAULT_DATA_DIR)
        values["database_url"] = normalise_database_url(
            values.get("database_url") or f"sqlite:///{(data_dir / 'policybot.db').as_posix()}")
        if "mail_transport" not in values and values.get("app_tenant_id") and values.get("graph_client_secret"):
            values["mail_transport"] = "graph"  # issue 21: Graph sendMail is the default where a tenant is configured
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """Settings that only make sense together."""
        if self.app_id and not self.app_password and self.app_type != "UserAssignedMSI":
            raise SettingsError("MicrosoftAppPassword (the client secret of the bot's Entra app registration) is "
                                "required when MicrosoftAppId is set.")
        if self.app_type == "SingleTenant" and self.app_id and not self.app_tenant_id:
            raise SettingsError("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.")
        if self.mail_transport == "graph" and not (self.graph_client_secret or self.app_password):
            raise SettingsError("GRAPH_CLIENT_SECRET (or MicrosoftAppPassword) is required when "
                                "POLICYBOT_MAIL_TRANSPORT is graph.")
        if self.mail_in != "channel" and not (self.graph_client_secret or self.app_password):
            raise SettingsError("GRAPH_CLIENT_SECRET (or MicrosoftAppPassword) is required when "
                                f"POLICYBOT_MAIL_IN is {self.mail_in}.")
        if self.mail_in == "graph" and not self.mail_notification_url:
            raise SettingsError("POLICYBOT_MAIL_NOTIFICATION_URL (the public https address of /api/graph/notifications) "
                                "is required when POLICYBOT_MAIL_IN is graph; use graph-delta where there is none.")
        if self.smtp_auth == "xoauth2" and not self.smtp_username:
            raise SettingsError("SMTP_USERNAME (the mailbox to send as) is required when SMTP_AUTH is xoauth2.")
        if self.preset_overrides is not None and not self.preset_overrides.is_file():
            raise SettingsError(f"POLICYBOT_PRESET_OVERRIDES names {self.preset_overrides}, which is not a file.")

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def policy_mailbox(self) -> str:
        return self.mailbox or self.mail_from

    @property
    def mail_enabled(self) -> bool:
        return self.mail_transport != "none"

    def masked(self) -> dict[str, object]:
        """Every setting, secrets hidden: for the startup log and `policybot status`."""
        shown: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "database_url":
                value = mask_url(str(value))
            elif SPECS.get(f.name, Spec("", _text)).secret and value:
                value = "****"
            shown[f.name] = value
        return shown

    def __repr__(self) -> str:  # never leak secrets into logs or tracebacks
        inner = ", ".join(f"{k}={v!r}" for k, v in self.masked().items())
        return f"Settings({inner})"
