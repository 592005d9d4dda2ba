"""Reading and writing Bot Framework activities: who sent it, which tenant, whether the bot was
mentioned, the email subject, and a reply as the activity its channel carries."""

from __future__ import annotations

from typing import Any

from botbuilder.core import (
    CardFactory,
    MessageFactory,
    TurnContext,
)
from botbuilder.schema import (
    Activity,
    ChannelAccount,
)

from render.reply import Reply
from services.people.identity import ChannelIdentity


GROUP_CONVERSATIONS = {"groupChat", "channel"}


def tenant_id_of(activity: Activity) -> str | None:
    """Teams sends `tenantId`; the SDK schema maps `tenantID`, so read it ourselves (trap 7)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
    if isinstance(tenant.get("id"), str):
        return tenant["id"]
    conv = activity.conversation
    if conv is not None:
        extra = getattr(conv, "additional_properties", None) or {}
        return conv.tenant_id or extra.get("tenantId")
    return None


def email_subject(activity: Activity) -> str | None:
    """The email channel's subject, from `channelData` read without assuming the key's case (BOTFRAMEWORK.md)."""
    if activity.channel_id != "email" or not isinstance(activity.channel_data, dict):
        return None
    for key, value in activity.channel_data.items():
        if isinstance(key, str) and key.lower() == "subject" and isinstance(value, str):
            return value
    return None


def identity_of(activity: Activity) -> ChannelIdentity:
    frm: ChannelAccount = activity.from_property or ChannelAccount(id="")
    return ChannelIdentity(
        channel_id=activity.channel_id or "",
        user_id=frm.id or "",
        aad_object_id=frm.aad_object_id,
        name=frm.name,
        tenant_id=tenant_id_of(activity),
    )


def reference_json(activity: Activity, tenant_id: str | None) -> dict[str, Any]:
    """The conversation reference as wire JSON (camelCase), with the tenant id kept."""
    ref = TurnContext.get_conversation_reference(activity).serialize()
    if tenant_id:
        ref.setdefault("conversation", {})["tenantId"] = tenant_id
    return ref


def is_mentioned(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        if entity.type == "mention" and bot_id and mentioned.get("id") == bot_id:
            return True
    return False


def to_activity(reply: Reply, channel_id: str) -> Activity:
    if channel_id == "email":
        # Cards arrive as images by email; send readable HTML with the reply words instead.
        act = MessageFactory.text(reply.text)
        act.channel_data = {"htmlBody": reply.html_body()}
        if reply.files:  # the email channel fetches each address and attaches the file
            act.attachments = [{"contentType": kind, "contentUrl": url, "name": name} for name, kind, url in reply.files]
        return act
    if reply.card is not None:
        act = MessageFactory.attachment(CardFactory.adaptive_card(reply.card))
        act.summary = reply.text
        return act
    return MessageFactory.text(reply.text)
