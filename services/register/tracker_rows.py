"""Reading one row of a tracker: the organisation's own words made the register's values.

Dates are read by governance.dates (day first; 12/25/2026 refused, never swapped). Types and
statuses in the organisation's spelling are mapped to the preset's; an unknown one is reported,
not guessed. People are matched to the directory by name (any case or spacing, "Surname, First"),
or email; an ambiguous name is reported. "Vacant", "TBC" or "post advertised" as RO: the RSM
stands in (NCT-1) and the row is flagged. Several people in the RSM's cell are joint RSMs (NCT-7);
the RO is one person. Someone whose account is disabled is kept and flagged as a leaver, and the
document is flagged orphaned.
"""

from __future__ import annotations

from collections.abc import Iterable
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from governance.dates import DateProblem, numeric_date, read_date
from services.people.matching import Directory, PersonProblem
from services.ports import Sheet
from governance.dates import collapse
from services.register.cells import is_blank, norm_heading
from services.register.tracker_mapping import ImportMapping
from services.register.tracker_table import Layout, text
from services.register.tracker_words import (
    DATE_FIELDS,
    KNOWN_TYPES,
    STATUS_LABELS,
    TEXT_LIMITS,
    is_placeholder,
    split_people,
    status_of,
    type_of,
)
from services.work import PersonRow

ROLE_LABELS = {"ro": "Responsible Officer", "rsm": "Responsible Strategic Manager"}


@dataclass(frozen=True)
class Rejected:
    row: int
    reason: str
    line: int | None = None  # CSV: the line the record starts on


@dataclass
class Parsed:
    row: int
    values: dict[str, Any]
    org: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # how a value was read ("'Drew Ashbey' taken as Drew Ashby")
    flags: list[str] = field(default_factory=list)  # taken, but a person should look at it
    leavers: list[tuple[str, str]] = field(default_factory=list)  # (role, person id) of people who have left
    line: int | None = None


@dataclass(frozen=True)
class _AsActive:
    """A leaver, matched like anyone else so the row can name them."""

    id: str
    name: str
    email: str | None
    active: bool = True


def plain(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return numeric_date(value.date())
    if isinstance(value, date):
        return numeric_date(value)
    return text(value)


def org_value(value: Any) -> Any:
    """A value for an organisation column, the same from .xlsx and its CSV export."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return plain(value)


def url_of(value: str) -> str | None:
    if re.match(r"^https?://\S+$", value, re.IGNORECASE):
        return value
    if re.match(r"^www\.\S+$", value, re.IGNORECASE):
        return "https://" + value
    return None


class RowReader:
    def __init__(self, layout: Layout, people: Iterable[PersonRow], mapping: ImportMapping, doc_types: Iterable[str]) -> None:
        self.layout = layout
        self.sheet: Sheet = layout.sheet
        self.mapping = mapping
        self.directory = Directory([p for p in people])
        leavers: list[Any] = [_AsActive(p.id, p.name, p.email) for p in people if not p.active]  # named, never matched as active
        self.leavers = Directory(leavers)
        self.known = {norm_heading(t): t for t in (*KNOWN_TYPES, *doc_types)}
        self.known.update({k: v for k, v in mapping.types.items()})
        self.type_names = ", ".join(sorted(set(doc_types) or set(KNOWN_TYPES)))

    def read(self, r: int) -> Parsed | Rejected:  # noqa: C901 - one branch per kind of column
        sheet = self.sheet
        row = sheet.cells[r]
        n = r + 1
        line = sheet.number(r) if sheet.row_numbers else None
        problems: list[str] = []
        out = Parsed(n, {}, {}, line=line)
        people: dict[str, tuple[str, str | None]] = {}
        for col in self.layout.columns:
            raw = row[col.index] if col.index < len(row) else None
            f = col.field
            if f == "ignore":
                continue
            if f is None:
                out.org[col.heading] = org_value(raw)
                continue
            if f in DATE_FIELDS:
                try:
                    out.values[f] = read_date(raw, month_end=(f == "next_review_due"))
                except DateProblem as exc:
                    problems.append(f"{col.heading} {exc}")
                continue
            value = plain(raw)
            if f in ("ro", "rsm", "ro_email", "rsm_email"):
                people[f] = (col.heading, value)
                continue
            if f == "summary" and isinstance(raw, str):
                value = raw.strip() or None  # keep its line breaks
            if f == "manual_url":
                link = sheet.links.get((r, col.index))
                if link and (value is None or not url_of(value)):
                    value = link
                if value is not None and url_of(value) is None:
                    problems.append(f"{col.heading} '{value}' is not a web address (it should start https://)")
                    continue
                out.values[f] = url_of(value) if value else None
                continue
            if f == "status":
                if value is None:
                    out.values[f] = None
                elif (s := status_of(value, self.mapping.statuses)) is not None:
                    out.values[f] = s
                else:
                    problems.append(f"{col.heading} '{value}' is not a status I know (use "
                                    f"{', '.join(STATUS_LABELS.values())}, or name it under 'statuses:' in a mapping file)")
                continue
            if f == "doc_type" and value is not None:
                t = type_of(value, self.known)
                if t is None:
                    problems.append(f"{col.heading} '{value}' is not a document type I know ({self.type_names}): "
                                    "name it under 'types:' in a mapping file")
                    continue
                value = t
            if f == "ref" and value is not None:
                value = re.sub(r"\s+", "", value).upper()
            if value is not None and f in TEXT_LIMITS and len(value) > TEXT_LIMITS[f]:
                problems.append(f"{col.heading} is longer than {TEXT_LIMITS[f]} characters")
                continue
            out.values[f] = value
        if not out.values.get("title"):
            problems.append("no title")
        elif not out.values.get("manual_url") and (title := self.layout.field_column("title")) is not None:
            link = sheet.links.get((r, title.index))  # the title linked to the manual, as NCT's tracker does
            if link and url_of(link):
                out.values["manual_url"] = url_of(link)
        for role in ("ro", "rsm"):
            self._person(role, people, out, problems)
        last, due = out.values.get("last_reviewed_on"), out.values.get("next_review_due")
        if last and due and due < last:
            out.flags.append(f"the next review ({numeric_date(due)}) is before the last review ({numeric_date(last)}): "
                             "kept as written")
        if r in sheet.hidden_rows:
            out.notes.append("this row is hidden in Excel")
        if problems:
            return Rejected(n, "; ".join(problems), line)
        return out

    def _match(self, typed: str) -> tuple[Any, str | None, bool]:
        """(person, a note on how they were found, whether they have left); PersonProblem if nobody or several."""
        try:
            m = self.directory.match(typed)
        except PersonProblem as exc:
            if "has left" not in str(exc):
                raise
            gone = self.leavers.match(typed).person
            return gone, None, True
        note = f"'{collapse(typed)}' taken as {m.person.name}" if m.how in ("near", "initials") else None
        return m.person, note, False

    @staticmethod
    def _vacant(role: str, name_heading: str, name: str, out: Parsed) -> None:
        """'Vacant', 'TBC' and the like, with no email: nobody in post."""
        if role == "ro":
            out.values["ro_id"] = None
            out.flags.append(f"{name_heading} '{name}': no RO in post, so the RSM stands in as RO (NCT-1)")
        else:
            out.values["rsm_id"] = None  # the plan rejects a document with no RSM (NCT-1)

    def _person(self, role: str, people: dict[str, Any], out: Parsed, problems: list[str]) -> None:
        """The ways a person is named: a name, several names, an email, both (which must agree)."""
        if role not in people and f"{role}_email" not in people:
            return
        label = ROLE_LABELS[role]
        name_heading, name = people.get(role, (label, None))
        email_heading, email = people.get(f"{role}_email", (f"{label} email", None))
        if name and is_placeholder(name) and not email:
            self._vacant(role, name_heading, name, out)
            return
        names = split_people(name) if name else []
        if len(names) > 1 and role == "ro":
            problems.append(f"{name_heading} '{name}' names {len(names)} people, and a document has one Responsible "
                            "Officer (NCT-1): name one, or put the others in a column of your own")
            return
        chosen, others = None, []
        try:
            if email:
                chosen, note, gone = self._match(email)
                by_name = None
                if names:
                    try:
                        by_name = self._match(names[0])[0]
                    except PersonProblem:
                        out.notes.append(f"{name_heading} '{name}' not found; {email_heading} names {chosen.name}")
                if by_name is not None and by_name.id != chosen.id:
                    problems.append(f"{name_heading} '{name}' and {email_heading} '{email}' are different people "
                                    f"({by_name.name} and {chosen.name}): correct or clear one")
                    return
                found = [(chosen, note, gone)] + [self._match(x) for x in names[1:]]
            else:
                found = [self._match(x) for x in names]
        except PersonProblem as exc:
            problems.append(f"{email_heading if email and str(exc).startswith(repr(email)) else name_heading} {exc}")
            return
        if not found:
            out.values[f"{role}_id"] = None
            return
        chosen = found[0][0]
        out.values[f"{role}_id"] = chosen.id
        for person, note, gone in found:
            if note:
                out.notes.append(f"{name_heading} {note}")
            if gone:
                out.flags.append(f"{label} {person.name} has left (their account is disabled): "
                                 "the document is flagged as orphaned until a successor is named")
                out.leavers.append((role, person.id))
        others = [p.id for p, _n, _g in found[1:] if p.id != chosen.id]
        if role == "rsm":
            out.values["other_rsm_ids"] = others
            if others:
                out.notes.append(f"{name_heading} names {len(found)} people: joint RSMs (NCT-7)")
