"""The tracker sent in chat or by email: a preview first, then "Import".

The Policy and Procedures Officer attaches the tracker (.xlsx or .csv). It is kept in the data
folder under a short token, read and planned as a dry run, and the preview goes back: counts,
the mapping chosen, the first problems. "import tracker <token>" (the card's button, or those
words by email) imports the good rows in one transaction. Who may do it is decided from the
identity the channel vouches for, each time, never from the button's data.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from governance.permissions import may_import_tracker
from services.cases.draft_delivery import LinkSigner
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, resolve_person
from services.register.importing import import_workbook, reader_of
from services.register.tracker_mapping import ImportMapping
from services.register.tracker_report import REPORT_LINK_HOURS, ImportReport
from services.work import PersonRow

SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAX_BYTES = 20 * 1024 * 1024
TOKEN = re.compile(r"^[0-9a-f]{12}$")


REPORT_LINK = "tracker-report"  # the kind of signed link that opens an import report


@dataclass(frozen=True)
class TrackerPreview:
    report: ImportReport
    token: str
    person_id: str = ""  # who previewed it: the report's link is theirs alone


def is_tracker(filename: str) -> bool:
    return filename.lower().endswith(SUFFIXES)


def _folder(services: Services) -> Path:
    return Path(services.config.data_dir) / "trackers"


async def _importer(services: Services, ident: ChannelIdentity) -> PersonRow:
    async with services.uow() as uow:
        person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't import a tracker for you.")
    if not may_import_tracker(person.role_names):
        raise NotPermitted("Only the Policy and Procedures Officer can import the tracker into the register. "
                           "Please send it to them.")
    return person


async def preview_upload(services: Services, ident: ChannelIdentity, filename: str, content: bytes) -> TrackerPreview:
    person = await _importer(services, ident)
    name = Path(filename or "tracker.xlsx").name
    if not is_tracker(name):
        raise BadInput(f"{name}: I can read trackers saved as .xlsx or .csv.")
    if len(content) > MAX_BYTES:
        raise BadInput(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB: is it the tracker?")
    token = hashlib.sha256(content).hexdigest()[:12]
    folder = _folder(services) / token
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    workbook = await asyncio.to_thread(reader_of(services).read, path)  # a big workbook: off the event loop
    report = await import_workbook(services, workbook, ImportMapping(), dry_run=True, skip_bad=True)
    out = _report_path(services, token, person.id)  # every row's outcome, for this person to download
    sheet = report.workbook()
    await asyncio.to_thread(reader_of(services).write, out, sheet)
    (out.parent / "name").write_text(sheet.filename, encoding="utf-8")
    return TrackerPreview(report, token, person.id)


def _report_path(services: Services, token: str, person_id: str) -> Path:
    who = hashlib.sha256(person_id.encode()).hexdigest()[:16]
    return Path(services.config.data_dir) / "tracker-reports" / token / f"{who}.xlsx"


def report_link(signer: LinkSigner, preview: TrackerPreview, now: datetime) -> str:
    """A short-lived signed link to the preview's .xlsx report, bound to the upload and the person."""
    return signer.sign({"k": REPORT_LINK, "t": preview.token, "p": preview.person_id}, now,
                       timedelta(hours=REPORT_LINK_HOURS))


async def report_by_link(services: Services, signer: LinkSigner, link: str) -> tuple[Path, str]:
    """(the report's file, its name) when the link is genuine, unexpired, and its person still may import."""
    claims = signer.opened(link, services.clock.now())
    if claims is None or claims.get("k") != REPORT_LINK or not TOKEN.match(str(claims.get("t", ""))):
        raise BadInput("This download link is not valid or has expired. Attach the tracker again for a new one.")
    async with services.uow() as uow:
        person = await uow.people.get(str(claims.get("p", "")))
    if person is None or not person.active or not may_import_tracker(person.role_names):
        raise NotPermitted("This report is for the Policy and Procedures Officer who sent the tracker.")
    path = _report_path(services, claims["t"], person.id)
    if not path.is_file():  # nobody but the person who previewed this upload has its report
        raise NotFound("I no longer have that report. Attach the tracker again for a new one.")
    name_file = path.parent / "name"
    name = name_file.read_text(encoding="utf-8") if name_file.is_file() else "import report.xlsx"
    return path, name


async def apply_upload(services: Services, ident: ChannelIdentity, token: str) -> ImportReport:
    person = await _importer(services, ident)
    token = token.strip().lower()
    folder = _folder(services) / token
    files = sorted(folder.iterdir()) if TOKEN.match(token) and folder.is_dir() else []
    if not files:
        raise NotFound("I no longer have that tracker. Please attach it again.")
    path = files[0]
    workbook = await asyncio.to_thread(reader_of(services).read, path)
    return await import_workbook(services, workbook, ImportMapping(), skip_bad=True, actor_id=person.id,
                                 sha256=hashlib.sha256(path.read_bytes()).hexdigest())
