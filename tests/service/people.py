"""The demo organisation's people as the channel names them (their Entra object ids)."""

from __future__ import annotations

from services.demo import DEMO_TENANT, _aad
from services.people.identity import ChannelIdentity


def teams(person_key: str) -> ChannelIdentity:
    """Who Teams says is speaking: the demo person's Entra object id, in the demo tenant."""
    return ChannelIdentity("msteams", f"29:{person_key}", aad_object_id=_aad(person_key), tenant_id=DEMO_TENANT)


def email(address: str) -> ChannelIdentity:
    """Who the email channel says is speaking: the sender's address."""
    return ChannelIdentity("email", address)
