"""Getting the draft under decision to the people who decide on it (issue 17, item 2), and comparing
two versions (item 4).

Who may have a case's draft: the people with a part in the case: its author (RO), the RSMs, the
requester, its consultees, and whoever holds a role one of its route's stages names (the PPO, the
SLT, a chair). Always from the identity the channel vouches for, never from a button's or a
link's data. Signed download links are bound to the case, its version, the draft and its SHA-256,
and expire; once the case has moved on (its version changed) the link is refused.
"""

from __future__ import annotations

from governance.preset import Preset
from typing import Any
import asyncio
import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from governance import lifecycle as gl
from governance.errors import NotAllowed
from services.cases.draft_changes import (
    DraftView,
    file_of,
    latest_draft_view,
    summary_line,
)
from services.cases.acting import _who
from services.cases.views import actor_for, CaseView
from services.context import Services
from services.errors import BadInput, NotFound
from services.people.identity import ChannelIdentity
from services.ports import Attachment, ChangeSummary, DocxInspector
from services.work import DocumentRow, PersonRow, Work

LINK_LIFETIME = timedelta(hours=2)
CASE_ROLES = {"ro", "rsm", "requester", "consultee"}


@dataclass(frozen=True)
class DraftFile:
    case_id: int
    case_version: int
    document_ref: str
    draft: DraftView
    path: Path

    @property
    def download_name(self) -> str:
        stem = self.draft.filename.rsplit(".", 1)[0] if "." in self.draft.filename else self.draft.filename
        return f"{stem} (v{self.draft.number}).docx" if f"v{self.draft.number}" not in stem else f"{stem}.docx"


def _may_see(preset: Preset, person: PersonRow, doc: DocumentRow, case: gl.Case, uploaded_by: str | None) -> bool:
    actor = actor_for(person, doc, case)
    route = preset.routes[case.route]
    stage_roles = {r for s in route.stages for r in (s.by, s.conditions_checked_by, s.body) if r}
    return bool(actor.roles & (CASE_ROLES | stage_roles)) or person.id == uploaded_by or person.id == case.requester


async def draft_for(services: Services, ident: ChannelIdentity, case_id: int | None, number: int | None = None) -> DraftFile:
    """The case's latest draft (or version `number`) for this person, if their part in the case allows."""
    async with services.uow() as uow:
        person = await _who(uow, ident)
        if case_id is None:
            case_id = await _only_case_with_draft(services, uow, person)
        row = await uow.cases.get(case_id)
        if row is None:
            raise NotFound(f"There is no case {case_id}.")
        doc = await uow.documents.get(row.document_id)
        if doc is None:  # a case always has its document (a foreign key)
            raise NotFound(f"Case {row.id} has no document.")
        case = gl.case_from_dict(row.state)
        view = await latest_draft_view(uow, row)
        if view is None:
            raise NotFound(f"Case {case_id} has no draft yet.")
        if not _may_see(services.preset, person, doc, case, view.uploaded_by):
            raise NotAllowed(f"You have no part in case {case_id}, so I can't send you its draft. "
                             "Ask the Policy and Procedures Officer if you need it.")
        heads = await uow.cases.draft_heads(row.document_id)
        wanted = next((d for d in heads if d.number == (number or view.number)), None)
        if wanted is None:
            raise NotFound(f"{doc.ref} has no draft version {number}.")
        path = await file_of(services, uow, wanted)
        if wanted.number != view.number:
            view = DraftView(id=wanted.id, case_id=wanted.case_id, number=wanted.number, filename=wanted.filename,
                             size=wanted.size, sha256=wanted.sha256, uploaded_by=None, uploaded_at=wanted.uploaded_at,
                             changes=None, change_kind=wanted.change_kind, compared_with=None)
        return DraftFile(row.id, row.version, doc.ref, view, path)


async def _only_case_with_draft(services: Services, uow: Work, person: PersonRow) -> int:
    mine = []
    for row in await uow.cases.all_open():
        doc = await uow.documents.get(row.document_id)
        if doc is None:  # a case always has its document (a foreign key)
            continue
        case = gl.case_from_dict(row.state)
        waiting = set(row.waiting_for)
        actor = actor_for(person, doc, case)
        if (f"person:{person.id}" in waiting or waiting & actor.roles) and await latest_draft_view(uow, row):
            mine.append(row.id)
    if len(mine) == 1:
        result: int = mine[0]
        return result
    if not mine:
        raise NotFound("No case waiting for you has a draft. Say 'draft case 12' with the case number.")
    raise BadInput("Several of your cases have drafts (" + ", ".join(f"case {i}" for i in mine)
                   + f"). Say which, for example 'draft case {mine[0]}'.")


# ---------------------------------------------------------------- signed links


class LinkSigner:
    """Short-lived download links: HMAC-SHA256 over the case, its version, the draft, its SHA-256 and
    the expiry. The key lives in the data folder (made on first use) or is given."""

    def __init__(self, key: bytes, base_url: str) -> None:
        self.key = key
        self.base_url = base_url.rstrip("/")

    @staticmethod
    def key_in(folder: Path) -> bytes:
        path = folder / "draft-links.key"
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(secrets.token_bytes(32))
            path.chmod(0o600)
        return path.read_bytes()

    def _mac(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, payload, hashlib.sha256).digest()).decode().rstrip("=")

    def token(self, item: DraftFile, now: datetime, lifetime: timedelta = LINK_LIFETIME) -> str:
        claims = {"c": item.case_id, "v": item.case_version, "n": item.draft.number, "s": item.draft.sha256,
                  "e": int((now + lifetime).timestamp())}
        payload = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(payload.encode())}"

    def url(self, item: DraftFile, now: datetime) -> str:
        return f"{self.base_url}/drafts/{self.token(item, now)}"

    def sign(self, claims: dict[str, Any], now: datetime, lifetime: timedelta = LINK_LIFETIME) -> str:
        """A link token for any other file (the tracker import report): `claims` plus the expiry."""
        body = dict(claims, e=int((now + lifetime).timestamp()))
        payload = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(payload.encode())}"

    def opened(self, token: str, now: datetime) -> dict[str, Any] | None:
        """A token's claims when genuine and unexpired, else None (the caller words the refusal)."""
        payload, _, mac = token.partition(".")
        if not payload or not mac or not hmac.compare_digest(mac, self._mac(payload.encode())):
            return None
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return claims if isinstance(claims, dict) and now.timestamp() <= claims.get("e", 0) else None

    def claims(self, token: str, now: datetime) -> dict[str, Any]:
        """The link's claims; BadInput when it was altered or has expired."""
        payload, _, mac = token.partition(".")
        if not payload or not mac or not hmac.compare_digest(mac, self._mac(payload.encode())):
            raise BadInput("This download link is not valid. Ask the bot for the draft again ('draft case 12').")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if now.timestamp() > claims["e"]:
            raise BadInput("This download link has expired. Ask the bot for the draft again ('draft case "
                           f"{claims['c']}').")
        result: dict[str, Any] = claims
        return result


async def draft_by_link(services: Services, signer: LinkSigner, token: str) -> DraftFile:
    """The file a link names, if the link is genuine, unexpired, and the case has not moved on."""
    claims = signer.claims(token, services.clock.now())
    if "k" in claims or "c" not in claims:  # another kind of link (a tracker report) does not open a draft
        raise BadInput("This download link is not valid. Ask the bot for the draft again ('draft case 12').")
    async with services.uow() as uow:
        row = await uow.cases.get(int(claims["c"]))
        if row is None:
            raise NotFound("This link's case no longer exists.")
        if row.version != claims["v"]:
            raise BadInput(f"Case {row.id} has moved on since this link was made, so it no longer opens. "
                           f"Ask the bot for the current draft ('draft case {row.id}').")
        doc = await uow.documents.get(row.document_id)
        if doc is None:  # a case always has its document (a foreign key)
            raise NotFound(f"Case {row.id} has no document.")
        draft = next((d for d in await uow.cases.draft_heads(row.document_id)
                      if d.number == claims["n"] and d.case_id == row.id), None)
        if draft is None or draft.sha256 != claims["s"]:
            raise BadInput("This download link does not match a draft of its case.")
        view = await latest_draft_view(uow, row)
        path = await file_of(services, uow, draft)
        return DraftFile(row.id, row.version, doc.ref, view if view and view.number == draft.number else
                         DraftView(draft.id, draft.case_id, draft.number, draft.filename, draft.size, draft.sha256, None,
                                   draft.uploaded_at, None, draft.change_kind, None), path)


# ---------------------------------------------------------------- comparing two versions (item 4)


@dataclass(frozen=True)
class Comparison:
    document_ref: str
    title: str
    old: int
    new: int
    summary: ChangeSummary
    redline: Path
    redline_name: str

    @property
    def line(self) -> str:
        return summary_line(self.summary)


_COMPARE = re.compile(r"^\s*compare\s+([A-Za-z]{1,6}-?\d{1,5})\s+(?:versions?\s+)?(\d+)\s+(?:with|and|to|against)\s+(?:version\s+)?(\d+)\s*$",
                      re.IGNORECASE)


def compare_request(text: str | None) -> tuple[str, int, int] | None:
    """('PP-001', 2, 3) from 'compare PP-001 version 2 with 3'."""
    m = _COMPARE.match(text or "")
    return (m.group(1).upper(), int(m.group(2)), int(m.group(3))) if m else None


async def compare_versions(services: Services, ident: ChannelIdentity, ref: str, old: int, new: int) -> Comparison:
    docx: DocxInspector = services.adapters["docx"]
    async with services.uow() as uow:
        person = await _who(uow, ident)
        doc = await uow.documents.by_ref(ref)
        if doc is None:
            raise NotFound(f"I can't find a document with the reference {ref}.")
        heads = {d.number: d for d in await uow.cases.draft_heads(doc.id)}
        for n in (old, new):
            if n not in heads:
                have = ", ".join(str(k) for k in sorted(heads)) or "none yet"
                raise NotFound(f"{ref} has no draft version {n} (versions stored: {have}).")
        new_case = heads[new].case_id
        case_row = await uow.cases.get(new_case) if new_case else None
        if case_row is not None:
            case = gl.case_from_dict(case_row.state)
            if not _may_see(services.preset, person, doc, case, heads[new].uploaded_by):
                raise NotAllowed(f"You have no part in {ref}'s review, so I can't compare its drafts for you.")
        old_path = await file_of(services, uow, heads[old])
        new_path = await file_of(services, uow, heads[new])
        title = doc.title
    out = services.config.data_dir / "files" / "redlines" / f"{heads[old].sha256[:16]}-{heads[new].sha256[:16]}.docx"
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = await asyncio.to_thread(docx.compare, old_path, new_path)
    if not out.exists():
        await asyncio.to_thread(docx.redline, old_path, new_path, out)
    return Comparison(ref, title, old, new, summary, out, f"{ref} changes v{old} to v{new}.docx")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def email_attachments(services: Services, view: CaseView | None) -> tuple[Attachment, ...]:
    """By email the draft under decision travels as an attachment, to whoever the notice asks to act."""
    draft = view.draft if view is not None else None
    if view is None or draft is None or not view.actions:
        return ()
    files = services.adapters["files"]
    async with services.uow() as uow:
        row = next((d for d in await uow.cases.draft_heads(view.document.id) if d.id == draft.id), None)
        if row is None or not files.exists(row.sha256):
            return ()  # a file lost from the data folder: the message still goes, with its 'draft case N' line
        path = await file_of(services, uow, row)
    content = await asyncio.to_thread(path.read_bytes)
    if not content:
        return ()
    item = DraftFile(view.id, view.version, view.document.ref, draft, path)
    return (Attachment(item.download_name, DOCX_TYPE, content),)
