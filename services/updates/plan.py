"""NCT-3, NCT-4: the publisher's update plan, previewed and then applied.

The Policy and Procedures Officer attaches the plan in chat or by email (.xlsx, .csv, or a Word table)
or gives it to `policybot updates plan FILE`. It is kept in the data folder under a short token and
read; the preview says which local procedures it touches (matched by reference, chapter link or
title), which rows match nothing, and the update deadline it is for. "apply update plan <token>" (the
card's button, or those words by email) opens one scheduled-update case per procedure in one
transaction, with the audit record and the notices: the RO is instructed with the publisher's
recommended amendments (when the six-week window opens, or at once inside it), the RSM is told, and
the PPO gets the summary. Who may do it is decided from the identity the channel vouches for."""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from governance.calendar import LONDON, WorkingCalendar
from governance.nct_dates import window_opens
from governance.permissions import may_give_update_plan
from services.context import Services
from services.errors import BadInput, NotFound, NotPermitted, UnknownPerson
from services.people.identity import ChannelIdentity, resolve_person
from services.register.importing import reader_of
from services.reminders.sweeps import UPDATES_KEY
from services.updates.plan_match import Matched, match_plan
from services.updates.plan_rows import Grid, PlanRow, plan_rows
from services.work import PersonRow, Work

SHEETS = (".xlsx", ".xlsm", ".csv")
SUFFIXES = (*SHEETS, ".docx")
MAX_BYTES = 20 * 1024 * 1024
TOKEN = re.compile(r"^[0-9a-f]{12}$")
PLAN_WORDS = re.compile(r"\bplan\b", re.IGNORECASE)
UPDATE_PLAN_WORDS = re.compile(r"\b(update|tri\.?x)\s+plan\b", re.IGNORECASE)  # a Word file must say it: drafts are Word files too
# "update_plan_applied:<token>" -> {"on": iso date, "deadline": iso date, "cases": [ids]}: one row per plan, inserted
# when it is applied, so a second press racing the first cannot commit a second set of cases.
APPLIED_KEY = "update_plan_applied:"


@dataclass(frozen=True)
class PlanPreview:
    token: str
    filename: str
    matched: Matched
    deadline: date | None
    opens: date | None
    busy: dict[int, int] = field(default_factory=dict)  # document id -> its open case
    applied_on: str | None = None

    @property
    def to_open(self) -> int:
        return sum(1 for m in self.matched.matches if m.document.id not in self.busy)


@dataclass(frozen=True)
class PlanApplied:
    preview: PlanPreview
    opened: tuple[tuple[int, str, str], ...]  # (case id, ref, title)
    notices: tuple[Any, ...] = ()
    instructed_at: datetime | None = None  # when the ROs' instructions go (None: at once, inside the window)


def is_plan(filename: str, words: str = "") -> bool:
    """A file the PPO means as the publisher's update plan: a spreadsheet whose name or message says 'plan',
    or a Word file whose name or message says 'update plan' (an RO's draft is a Word file too)."""
    name = Path(filename or "").name
    said = f"{name.replace('_', ' ').replace('-', ' ')} {words or ''}"
    if name.lower().endswith(SHEETS):
        return bool(PLAN_WORDS.search(said))
    return name.lower().endswith(".docx") and bool(UPDATE_PLAN_WORDS.search(said))


def _folder(services: Services) -> Path:
    return Path(services.config.data_dir) / "update-plans"


async def _planner(uow: Work, ident: ChannelIdentity | None) -> PersonRow | None:
    """The PPO named by the channel; None for the command line (an administrator on the server)."""
    if ident is None:
        return None
    person = await resolve_person(uow, ident)
    if person is None:
        raise UnknownPerson("I don't know who you are yet, so I can't take an update plan from you.")
    if not may_give_update_plan(person.role_names):
        raise NotPermitted("Only the Policy and Procedures Officer gives me the publisher's update plan (NCT-3). "
                           "Please send it to them.")
    return person


def store_plan(services: Services, filename: str, content: bytes) -> tuple[str, Path]:
    name = Path(filename or "update plan.xlsx").name
    if not name.lower().endswith(SUFFIXES):
        raise BadInput(f"{name}: I can read the update plan as a spreadsheet (.xlsx, .csv) or a Word table (.docx).")
    if len(content) > MAX_BYTES:
        raise BadInput(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB: is it the update plan?")
    token = hashlib.sha256(content).hexdigest()[:12]
    folder = _folder(services) / token
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return token, path


def _grids(services: Services, path: Path) -> list[Grid]:
    """The plan's sheets or Word tables (run off the event loop: a big file reads for a while)."""
    if path.suffix.lower() in SHEETS:
        book = reader_of(services).read(path)
        return [Grid(s.name, s.cells, s.row_numbers) for s in book.sheets if s.visible]
    docx = services.adapters.get("docx")
    if docx is None:
        raise RuntimeError("the Word inspector is not wired (bot/bootstrap.py)")
    tables = docx.tables(path, path.name)
    return [Grid(f"table {i}" if len(tables) > 1 else "the table", t) for i, t in enumerate(tables, start=1)]


async def read_plan(services: Services, path: Path) -> list[PlanRow]:
    rows = plan_rows(await asyncio.to_thread(_grids, services, path))
    if not rows:
        raise BadInput(f"I couldn't find the plan's columns in {path.name}: I look for a heading row naming the chapter "
                       "(Chapter, Procedure or Title) and its recommended amendments (Recommended amendments, Changes).")
    return rows


async def deadlines(uow: Work) -> list[date]:
    kept = await uow.kv.get(UPDATES_KEY) or {}
    return sorted(date.fromisoformat(d) for d in kept.get("deadlines", []))


async def _preview_in(services: Services, uow: Work, token: str, filename: str, rows: list[PlanRow]) -> PlanPreview:
    today = services.clock.today()
    deadline = next((d for d in await deadlines(uow) if d >= today), None)
    chapters = [(r[2], r[1]) for r in await uow.manual.light_rows()]  # (title, address): one light read
    matched = match_plan(rows, await uow.documents.all(), chapters)
    busy: dict[int, int] = {}
    for m in matched.matches:
        for c in await uow.cases.open_for_document(m.document.id):
            busy[m.document.id] = c.id
    applied = await uow.kv.get(APPLIED_KEY + token)
    opens = window_opens(services.preset, deadline) if deadline else None
    return PlanPreview(token, filename, matched, deadline, opens, busy, applied.get("on") if applied else None)


async def preview(services: Services, ident: ChannelIdentity | None, filename: str, content: bytes) -> PlanPreview:
    """The plan kept and read, nothing changed: what applying it would do."""
    async with services.uow() as uow:
        await _planner(uow, ident)
    token, path = store_plan(services, filename, content)
    rows = await read_plan(services, path)
    async with services.uow() as uow:
        return await _preview_in(services, uow, token, path.name, rows)


def stored(services: Services, token: str) -> Path:
    token = (token or "").strip().lower()
    folder = _folder(services) / token
    files = sorted(folder.iterdir()) if TOKEN.match(token) and folder.is_dir() else []
    if not files:
        raise NotFound("I no longer have that update plan. Please attach it again.")
    return files[0]


def instruction_time(services: Services, opens: date) -> datetime | None:
    """When the RO's instruction goes: 9am on the working day the window opens, or now (None) inside it."""
    at = datetime.combine(WorkingCalendar(services.preset.nation).roll_forward(opens), time(9, 0), LONDON)
    return at if at > services.clock.now() else None
