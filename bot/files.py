"""Files over the wire (issue 17): attachments streamed in from Teams, the email channel and Graph
mail; drafts sent out through Teams' file-consent flow (personal chats) or a short-lived signed
download link served here (`GET /drafts/{token}`, group chats and the fallback).

Teams' shapes: a file a person sends arrives as `application/vnd.microsoft.teams.file.download.info`
with `content.downloadUrl`; an inline picture as an image attachment with a `contentUrl`. To send a
file the bot posts a FileConsentCard (`application/vnd.microsoft.teams.card.file.consent`); when the
person accepts, Teams sends a `fileConsent/invoke` whose `value.uploadInfo.uploadUrl` takes the file
in a PUT; the bot then posts a FileInfoCard (`application/vnd.microsoft.teams.card.file.info`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import aiohttp
from aiohttp import web
from botbuilder.schema import Attachment

from connectors.graph_mail import GraphMailbox, GraphMailError
from services.cases import draft_delivery
from services.cases.draft_delivery import DraftFile, LinkSigner
from services.cases.drafts import MAX_DRAFT_BYTES, PICTURES
from services.context import Services
from services.errors import UserFacingError
from services.register import tracker_chat

log = logging.getLogger("policybot.files")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEAMS_FILE = "application/vnd.microsoft.teams.file.download.info"
FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
CHUNK = 64 * 1024
SIGNER_KEY: web.AppKey[LinkSigner] = web.AppKey("draft_links", LinkSigner)
SERVICES_FOR_FILES: web.AppKey[Services] = web.AppKey("files_services", Services)


class DownloadError(Exception):
    pass


_HOSTED_IMAGE = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["'](https://[^"']+/hostedContents/[^"']+)["']""", re.IGNORECASE)


def _is_picture(name: str, content_type: str) -> bool:
    return content_type.startswith("image/") or name.lower().endswith(PICTURES)


def first_file(attachments) -> tuple[str, str] | None:
    """(file name, download address) of the file a person attached: a Teams file or an email
    attachment first; a picture (an inline image attachment, or hosted content in the message's
    HTML) only when there is nothing else, so a picture pasted beside a .docx never hides the
    draft, and a picture alone is refused by its name before anything is fetched. Cards are not files."""
    pictures: list[tuple[str, str]] = []
    for att in attachments or []:
        content_type = (att.content_type or "").lower()
        if content_type == TEAMS_FILE and isinstance(att.content, dict) and att.content.get("downloadUrl"):
            found = att.name or "draft.docx", att.content["downloadUrl"]
        elif content_type == "text/html":  # Teams' pasted pictures live in the HTML as hosted content
            hosted = _HOSTED_IMAGE.search(att.content if isinstance(att.content, str) else "")
            if hosted:
                pictures.append(("pasted picture.png", hosted.group(1)))
            continue
        elif content_type.startswith(("application/vnd.microsoft.card", "application/vnd.microsoft.teams.card")):
            continue
        elif att.content_url:
            kind = content_type.split("/")[-1]  # Teams often says only image/*
            found = att.name or ("pasted picture." + (kind if kind.isalnum() else "png") if content_type.startswith("image/")
                                 else "draft.docx"), att.content_url
        else:
            continue
        if _is_picture(found[0], content_type):
            pictures.append(found)
        else:
            return found
    return pictures[0] if pictures else None


async def mail_attachments(mailbox: GraphMailbox, message: dict) -> list[Attachment]:
    """A Graph message's file attachments as the activity's attachments, each by the address of its
    bytes (`/$value`), which `download` fetches through the mailbox (issue 21 item 5): the draft
    path then applies the same rules as in Teams (25 MB, bombs, .docm, pictures). Pictures shown
    inline in the body, forwarded messages and cloud links are not files people send as drafts."""
    if not message.get("hasAttachments"):
        return []
    found = [a for a in await mailbox.attachments(message["id"])
             if a.get("@odata.type", "").endswith("fileAttachment") and not a.get("isInline")]
    return [Attachment(content_type=a.get("contentType") or "application/octet-stream", name=a.get("name") or "attachment",
                       content_url=mailbox.attachment_url(message["id"], a["id"])) for a in found]


# Addresses that need their own client (Graph mail's attachments need the mailbox's app token):
# prefix -> opener(url, limit), an async context manager giving (declared size, pieces).
_SOURCES: dict[str, Callable[[str, int], AbstractAsyncContextManager]] = {}


def add_source(prefix: str, opener: Callable[[str, int], AbstractAsyncContextManager]) -> None:
    _SOURCES[prefix] = opener


@asynccontextmanager
async def download(url: str, *, token: str | None = None) -> AsyncIterator[tuple[int | None, AsyncIterator[bytes]]]:
    """(declared size, the body in pieces): the whole body is streamed, never only its first read.
    `token`: the bot's own token, for inline pictures Teams keeps behind the Bot Connector."""
    opener = next((o for p, o in _SOURCES.items() if url.startswith(p)), None)
    if opener is not None:
        try:
            async with opener(url, MAX_DRAFT_BYTES) as got:
                yield got
        except GraphMailError as exc:
            raise DownloadError(str(exc)) from None
        return
    if not url.startswith(("https://", "http://")):
        raise DownloadError("the attachment has no web address")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300, sock_read=60)) as http:
            async with http.get(url, headers=headers) as resp:
                if resp.status != 200:
                    raise DownloadError(f"the file store answered {resp.status}")
                yield resp.content_length, resp.content.iter_chunked(CHUNK)
    except aiohttp.ClientError as exc:
        raise DownloadError(str(exc) or type(exc).__name__) from None


# ---------------------------------------------------------------- sending a draft


def consent_card(item: DraftFile) -> dict:
    """Teams asks the person before the file lands in their OneDrive (personal chats only)."""
    context = {"case": item.case_id, "draft": item.draft.number}
    return {
        "contentType": FILE_CONSENT,
        "name": item.download_name,
        "content": {
            "description": f"{item.document_ref} draft version {item.draft.number}, for case {item.case_id}",
            "sizeInBytes": item.draft.size,
            "acceptContext": context,
            "declineContext": context,
        },
    }


def file_info_card(upload_info) -> dict:
    return {
        "contentType": FILE_INFO,
        "contentUrl": upload_info.content_url,
        "name": upload_info.name,
        "content": {"uniqueId": upload_info.unique_id, "fileType": upload_info.file_type or "docx"},
    }


def link_attachment(item: DraftFile, url: str) -> dict:
    """The draft as a file attachment by address (the email channel fetches and attaches it)."""
    return {"contentType": DOCX, "contentUrl": url, "name": item.download_name}


async def upload(upload_url: str, path: Path, size: int) -> None:
    """PUT the file to the address Teams gave (a OneDrive upload session), in one request."""
    headers = {"Content-Length": str(size), "Content-Range": f"bytes 0-{size - 1}/{size}"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as http:
        with path.open("rb") as body:
            async with http.put(upload_url, data=body, headers=headers) as resp:
                if resp.status not in (200, 201, 202):
                    raise DownloadError(f"OneDrive answered {resp.status} to the upload")


# ---------------------------------------------------------------- the download route


async def draft_download(request: web.Request) -> web.StreamResponse:
    """A signed link's file: refused (403) when altered or expired, bound to another case, or once
    the case has moved on; never more than the one draft it names."""
    services = request.app[SERVICES_FOR_FILES]
    signer = request.app[SIGNER_KEY]
    try:
        item = await draft_delivery.draft_by_link(services, signer, request.match_info["token"])
    except UserFacingError as exc:
        log.info("draft link refused: %s", exc)
        return web.Response(status=403, text=str(exc), content_type="text/plain")
    name = item.download_name
    return web.FileResponse(item.path, headers={
        "Content-Type": DOCX,
        "Content-Disposition": f"attachment; filename=\"{name.encode('ascii', 'replace').decode()}\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def tracker_report_download(request: web.Request) -> web.StreamResponse:
    """The tracker import report a preview offered: only through its own signed link, only while
    unexpired, and only while the person it was made for may still import (403 otherwise)."""
    try:
        path, name = await tracker_chat.report_by_link(request.app[SERVICES_FOR_FILES], request.app[SIGNER_KEY],
                                                       request.match_info["token"])
    except UserFacingError as exc:
        log.info("tracker report link refused: %s", exc)
        return web.Response(status=403, text=str(exc), content_type="text/plain")
    return web.FileResponse(path, headers={
        "Content-Type": XLSX,
        "Content-Disposition": f"attachment; filename=\"{name.encode('ascii', 'replace').decode()}\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })


def install(app: web.Application, services: Services, signer: LinkSigner) -> None:
    app[SERVICES_FOR_FILES] = services
    app[SIGNER_KEY] = signer
    app.router.add_get("/drafts/{token}", draft_download)
    app.router.add_get("/tracker-reports/{token}", tracker_report_download)
