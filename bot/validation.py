"""The one check at the edge: every inbound activity is read and checked here before any part of
the bot sees it, so a malformed body gets a 4xx that names the problem and never a 500.

1. `parse_json(raw)`: bytes to JSON, refusing what JSON allows but nothing downstream can take:
   nesting deeper than MAX_DEPTH (the decoder itself recurses), NaN and Infinity, integers outside
   the range every database and JSON reader agrees on (+-2**53). Free text is cleaned: NUL
   characters are removed and lone surrogates become U+FFFD, so a message is never lost to them.
2. `check_activity(body)`: a schema per activity shape (message, invoke, conversationUpdate, the
   rest), with lengths that match the columns the values are stored in (`store/models.py`), ids
   limited to printable ASCII (what the channels send, and what goes into the reply's address)
   except an email sender's address, which may be internationalised (zoë.ramírez@council.gov.uk),
   lists and objects where the SDK expects them, and the case ids a card carries as bounded
   integers.

Both raise `Refused(status, message)`; the message is one sentence safe to return to the caller.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

MAX_DEPTH = 64
MAX_SAFE_INT = 2**53 - 1
# The columns inbound values end up in (store/models.py); the bot state key is
# "<channel>/conversations/<conversation id>" in a 500-character column.
CHANNEL_ID_MAX = 64  # conversation_refs.channel_id
CONVERSATION_ID_MAX = 400  # conversation_refs.conversation_id (500), and the state key (500) with its prefix
AAD_ID_MAX = 64  # people.aad_object_id, conversation_refs.aad_object_id
TENANT_ID_MAX = 64  # conversation_refs.tenant_id
CONVERSATION_TYPE_MAX = 32  # conversation_refs.conversation_type
ACCOUNT_ID_MAX = 320  # a channel account id; on the email channel an address (people.email)
NAME_MAX = 200  # people.name
ACTIVITY_ID_MAX = 500  # processed_activities.key is "email:<id>" in 600
SERVICE_URL_MAX = 1000  # conversation_refs.service_url
FILE_NAME_MAX = 300  # draft_versions.filename
URL_MAX = 4000
SHORT_MAX = 200  # locale, content types, invoke names, other labels
TEXT_MAX = 100_000  # a Teams message is at most about 28 kB

ACTIVITY_TYPES = (
    "message", "conversationUpdate", "invoke", "event", "installationUpdate", "messageReaction",
    "typing", "endOfConversation", "messageUpdate", "messageDelete", "contactRelationUpdate", "command",
    "commandResult", "trace", "handoff", "suggestion", "deleteUserData",
)
CASE_ID_KEYS = ("case", "case_version")


class Refused(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# ------------------------------------------------------------------ JSON

def _reject_constant(name: str) -> float:
    raise Refused(400, f"The body contains {name}, which is not a JSON number.")


def _clean(text: str) -> str:
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (escaped as \\udXXX in the JSON)
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "ignore")
    return text


def printable(text: str, limit: int = 80) -> str:
    """Text from a request made safe for a log line or an error message: control characters and
    lone surrogates escaped (a log handler or a UTF-8 writer would choke on them), length bounded."""
    text = text[:limit]
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _where(path: list[str]) -> str:
    return printable(".".join(path)) or "the body"


def tidy(value: Any, *, clean: bool = True) -> Any:
    """Check depth and numbers and clean the strings of parsed JSON, without recursion.
    Returns the cleaned value (a new object where anything changed)."""
    root: list[Any] = [value]
    # (container, key in the container, path, depth)
    stack: list[tuple[Any, Any, list[str], int]] = [(root, 0, [], 0)]
    while stack:
        holder, key, path, depth = stack.pop()
        item = holder[key]
        if depth > MAX_DEPTH:
            raise Refused(400, f"The body is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(item, str):
            if clean:
                holder[key] = _clean(item)
        elif isinstance(item, bool) or item is None or isinstance(item, float):
            continue
        elif isinstance(item, int):
            if not -MAX_SAFE_INT <= item <= MAX_SAFE_INT:
                raise Refused(400, f"The number in '{_where(path)}' is too large (at most {MAX_SAFE_INT}).")
        elif isinstance(item, dict):
            cleaned = {_clean(k): v for k, v in item.items()} if clean else item
            holder[key] = cleaned
            for k in cleaned:
                stack.append((cleaned, k, path + [str(k)[:40]], depth + 1))
        elif isinstance(item, list):
            for i in range(len(item)):
                stack.append((item, i, path + [str(i)], depth + 1))
    return root[0]


def parse_json(raw: bytes, *, clean: bool = True) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "The body is not valid UTF-8 text.") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise Refused(400, f"The body is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError as exc:
        if isinstance(exc, Refused):
            raise
        raise Refused(400, "The body is not valid JSON.") from None
    return tidy(value, clean=clean)


# ------------------------------------------------------------------ the schema

_ASCII_ID = re.compile(r"[\x20-\x7e]+")
ADDRESS_PATHS = (("from", "id"), ("recipient", "id"), ("conversation", "id"))  # the email channel's addresses


def is_address(value: str) -> bool:
    """An internationalised email address (RFC 6531: zoë.ramírez@council.gov.uk, IDNA domains),
    checked by email-validator: NUL, control characters, lone surrogates and over-long parts
    (64 octets before the @, 254 in all) are refused. No DNS look-up."""
    if "@" not in value or len(value.encode("utf-8", "surrogatepass")) > 254:
        return False
    try:
        found = validate_email(value, check_deliverability=False, allow_smtputf8=True)
    except (EmailNotValidError, UnicodeError):
        return False
    return len(found.local_part.encode("utf-8")) <= 64


def _id_text(value: str) -> str:
    if not _ASCII_ID.fullmatch(value):
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        raise ValueError("must be printable ASCII characters (letters, digits and punctuation)")
    return value


def _service_url(value: str) -> str:
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[\x21-\x7e]*)?", value):
        raise ValueError("must be an http:// or https:// address in plain ASCII")
    return value


def _case_id(value: Any) -> Any:
    """A card's case id: a whole number from 1 to 2**53 - 1, as a number or as digits."""
    if value is None:
        return value
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, str):
        if not re.fullmatch(r"\s*[0-9]{1,16}\s*", value):
            raise ValueError("must be a whole number from 1 to 9007199254740991")
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raise ValueError("must be a whole number")
    if not 0 <= number <= MAX_SAFE_INT:
        raise ValueError("must be a whole number from 1 to 9007199254740991")
    return value


def _account_id(value: str) -> str:
    """An id, or on the email channel the sender's (possibly internationalised) address."""
    return value if is_address(value) else _id_text(value)


# Identifiers: bounded text, checked by _id_text (accounts and conversations may also be an email
# address, internationalised included). One alias per bound, spelt out so a type checker reads them.
AccountId = Annotated[str, Field(min_length=0, max_length=ACCOUNT_ID_MAX), AfterValidator(_account_id)]
SenderId = Annotated[str, Field(min_length=1, max_length=ACCOUNT_ID_MAX), AfterValidator(_account_id)]
AadId = Annotated[str, Field(min_length=0, max_length=AAD_ID_MAX), AfterValidator(_id_text)]
ConversationId = Annotated[str, Field(min_length=1, max_length=CONVERSATION_ID_MAX), AfterValidator(_account_id)]
ConversationType = Annotated[str, Field(min_length=0, max_length=CONVERSATION_TYPE_MAX), AfterValidator(_id_text)]
TenantId = Annotated[str, Field(min_length=0, max_length=TENANT_ID_MAX), AfterValidator(_id_text)]
ActivityId = Annotated[str, Field(min_length=1, max_length=ACTIVITY_ID_MAX), AfterValidator(_id_text)]
ChannelId = Annotated[str, Field(min_length=1, max_length=CHANNEL_ID_MAX), AfterValidator(_id_text)]


Text = Annotated[str, Field(max_length=TEXT_MAX)]
Short = Annotated[str, Field(max_length=SHORT_MAX)]
CaseId = Annotated[Any, AfterValidator(_case_id)]


class _Open(BaseModel):
    """Unknown fields are kept (the SDK and Teams add them all the time)."""

    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)


class Account(_Open):
    id: AccountId | None = None
    name: Annotated[str, Field(max_length=NAME_MAX)] | None = None
    aadObjectId: AadId | None = None
    role: Short | None = None


class FromAccount(Account):
    id: SenderId


class Conversation(_Open):
    id: ConversationId
    conversationType: ConversationType | None = None
    tenantId: TenantId | None = None
    name: Annotated[str, Field(max_length=NAME_MAX)] | None = None
    isGroup: bool | None = None


class Attachment(_Open):
    contentType: Short | None = None
    contentUrl: Annotated[str, Field(max_length=URL_MAX)] | None = None
    name: Annotated[str, Field(max_length=FILE_NAME_MAX)] | None = None
    thumbnailUrl: Annotated[str, Field(max_length=URL_MAX)] | None = None
    content: Any = None


class Entity(_Open):
    type: Short | None = None


class Tenant(_Open):
    id: TenantId | None = None


class ChannelData(_Open):
    tenant: Tenant | None = None


class CardData(_Open):
    """What a card button carries; its case ids are bounded integers."""

    case: CaseId = None
    case_version: CaseId = None
    action: Any = None
    command: Annotated[str, Field(max_length=TEXT_MAX)] | None = None


class _Activity(_Open):
    type: Literal[ACTIVITY_TYPES]  # type: ignore[valid-type]
    id: ActivityId | None = None
    channelId: ChannelId
    serviceUrl: Annotated[str, Field(max_length=SERVICE_URL_MAX), AfterValidator(_service_url)]
    conversation: Conversation
    from_: Account | None = Field(default=None, alias="from")
    recipient: Account | None = None
    replyToId: ActivityId | None = None
    timestamp: Short | None = None
    localTimestamp: Short | None = None
    locale: Short | None = None
    channelData: ChannelData | None = None
    entities: list[Entity] | None = None
    attachments: list[Attachment] | None = None
    membersAdded: list[Account] | None = None
    membersRemoved: list[Account] | None = None
    name: Short | None = None
    text: Text | None = None
    textFormat: Short | None = None
    summary: Text | None = None
    deliveryMode: Short | None = None


class MessageActivity(_Activity):
    type: Literal["message"]
    from_: FromAccount = Field(alias="from")
    value: Any = None


class ActionBody(_Open):
    type: Short | None = None
    verb: Short | None = None
    data: CardData | None = None


class ActionValue(_Open):
    action: ActionBody | None = None
    trigger: Any = None


class InvokeActivity(_Activity):
    type: Literal["invoke"]
    from_: FromAccount = Field(alias="from")
    name: Short
    value: Any = None


class ConversationUpdateActivity(_Activity):
    type: Literal["conversationUpdate"]
    recipient: Account


SHAPES: dict[str, type[_Activity]] = {
    "message": MessageActivity,
    "invoke": InvokeActivity,
    "conversationUpdate": ConversationUpdateActivity,
}


def _say(err: dict) -> str:
    where = printable(".".join("from" if p == "from_" else str(p) for p in err.get("loc", ())))
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return f"The activity has no '{where}'."
    if kind == "string_too_long":
        return f"'{where}' is longer than {ctx.get('max_length')} characters."
    if kind == "string_too_short":
        return f"'{where}' must not be empty."
    if kind in ("string_type", "str_type"):
        return f"'{where}' must be a string."
    if kind in ("list_type",):
        return f"'{where}' must be a list."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{where}' must be an object."
    if kind in ("bool_type",):
        return f"'{where}' must be true or false."
    if kind == "literal_error" and where == "type":
        return "Unknown activity type."
    if kind == "string_unicode":
        return f"'{where}' is not valid Unicode text."
    if kind == "value_error":
        return f"'{where}' {str(err.get('msg', '')).removeprefix('Value error, ')}."
    return f"'{where}' is not valid ({printable(str(err.get('msg', kind)))})."


def _validate(model: type[BaseModel], data: Any, prefix: tuple = ()) -> None:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        said = [_say({**err, "loc": (*prefix, *err.get("loc", ()))}) for err in exc.errors(include_url=False)[:3]]
        raise Refused(400, " ".join(said)) from None


def check_activity(body: Any) -> Any:
    """Return the (cleaned) activity, or raise Refused naming the first problem."""
    if not isinstance(body, dict):
        raise Refused(400, "The body must be a JSON object (a Bot Framework activity).")
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        raise Refused(400, "The activity has no 'type'.")
    if kind not in ACTIVITY_TYPES:
        raise Refused(400, f"Unknown activity type '{printable(kind, 40)}'.")
    _validate(SHAPES.get(kind, _Activity), body)
    value = body.get("value")
    if kind == "message" and isinstance(value, dict):
        _validate(CardData, value, ("value",))
    if kind == "invoke" and body.get("name") == "adaptiveCard/action" and isinstance(value, dict):
        _validate(ActionValue, value, ("value",))
    return body


ID_PATHS = (("id",), ("channelId",), ("replyToId",), ("conversation", "id"), ("conversation", "tenantId"),
            ("from", "id"), ("from", "aadObjectId"), ("recipient", "id"), ("channelData", "tenant", "id"))


def check_raw_ids(body: Any) -> None:
    """Ids are refused, never cleaned: 'a:\\x00b' cleaned would become another conversation's 'a:b'."""
    if not isinstance(body, dict):
        return
    for path in ID_PATHS:
        value: Any = body
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and value and not _ASCII_ID.fullmatch(value) \
                and not (path in ADDRESS_PATHS and is_address(value)):
            what = "NUL characters" if "\x00" in value else "characters other than printable ASCII"
            raise Refused(400, f"'{'.'.join(path)}' contains {what}; ids are letters, digits and punctuation.")


def read_activity(raw: bytes) -> dict:
    """Bytes from the wire to a checked, cleaned activity (or Refused)."""
    body = parse_json(raw, clean=False)
    check_raw_ids(body)
    return check_activity(tidy(body, clean=True))
