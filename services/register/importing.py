"""Import the organisation's tracker spreadsheet (.xlsx or .csv) into the register (DOR-1, NCT-1).

How a file is read:
- The heading row is found, not assumed: title rows above it, blank rows, merged cells and a
  two-row heading (a merged group heading such as "Review" over "Last" and "Next") are fine.
  Headings match whatever their case, spacing and punctuation, with synonyms ("RO", "Owner",
  "Responsible Officer"...). A small YAML file can map the rest:

      sheet: Tracker            # which sheet (default: "All" if there is one, else the first with headings)
      header_row: 4             # where the headings are (default: found)
      columns:                  # heading as written -> field (or "ignore")
        "Lead for this document": ro
        "Internal notes": ignore
      defaults: {doc_type: Procedure, status: Published}
      ref_prefix: PP            # references given to new documents without one

  Any other column is kept as an organisation column (documents.extra["columns"]) and exported back.
- People are matched to the directory by email or name (see services.people_match).
- Dates are UK day-first (governance.dates.read_date).
- Rows are matched to the register by reference, else by title and type.

All or nothing: if any row is rejected (unknown or ambiguous person, impossible date, duplicate,
missing title or RSM) nothing is imported and every rejected row is listed with its row number and
reason. `skip_bad=True` (`--skip-bad`) imports the good rows and still lists the rejected ones.
A dry run plans and reports without writing. A real run is one transaction with audit records.
Re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from governance.dates import DateProblem, numeric_date, read_date
from governance.errors import MissingInformation
from governance.ownership import effective_ro
from services.context import Services
from services.errors import BadInput
from services.people.matching import Directory, PersonProblem
from services.register.cells import collapse, is_blank, norm_heading

# field -> headings that mean it (compared after norm_heading)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "ref no", "reference number", "document ref", "doc ref", "document reference",
            "procedure ref", "procedure number", "document number", "doc no", "id", "no"),
    "title": ("title", "document title", "document name", "name", "procedure", "procedure title", "procedure name",
              "policy", "policy title", "document", "policy procedure", "chapter", "chapter title"),
    "doc_type": ("type", "document type", "doc type", "type of document", "kind"),
    "category": ("category", "document category", "procedure category"),
    "service_area": ("service area", "service", "area", "team", "directorate", "service team", "department"),
    "manual_url": ("manual link", "url", "link", "manual url", "web link", "hyperlink", "location", "link to manual",
                   "manual", "web address"),
    "ro": ("responsible officer", "ro", "owner", "document owner", "lead officer", "author", "ro name",
           "responsible officer name"),
    "ro_email": ("ro email", "responsible officer email", "owner email", "email of ro"),
    "rsm": ("responsible strategic manager", "rsm", "strategic manager", "rsm name", "sign off", "signed off by",
            "responsible manager"),
    "rsm_email": ("rsm email", "responsible strategic manager email", "strategic manager email"),
    "last_reviewed_on": ("last reviewed", "last review", "last review date", "date of last review", "date last reviewed",
                         "reviewed", "date reviewed", "last reviewed on", "review last"),
    "next_review_due": ("next review to be completed by", "next review", "review due", "next review date",
                        "next review due", "review date", "due", "review by", "date of next review",
                        "next review by", "review next", "to be reviewed by"),
    "status": ("status", "document status", "current status"),
    "version": ("version", "ver", "version no", "version number", "v"),
    "approved_on": ("approved", "approved on", "date approved", "approval date", "approved date", "date of approval"),
    "summary": ("summary", "description", "purpose", "scope", "brief description"),
}
_BY_HEADING = {norm_heading(s): f for f, syns in SYNONYMS.items() for s in (f.replace("_", " "), *syns)}
# Worked out from the other columns (the export writes it for people's filters): never imported.
_BY_HEADING["review state"] = "ignore"

FIELD_LABELS = {
    "ref": "Ref", "title": "Title", "doc_type": "Type", "category": "Category", "service_area": "Service area",
    "status": "Status", "version": "Version", "ro": "Responsible Officer", "ro_email": "RO email",
    "rsm": "Responsible Strategic Manager", "rsm_email": "RSM email", "approved_on": "Approved",
    "last_reviewed_on": "Last reviewed", "next_review_due": "Next Review To Be Completed By",
    "manual_url": "Manual link", "summary": "Summary",
}
DATE_FIELDS = ("approved_on", "last_reviewed_on", "next_review_due")
TEXT_LIMITS = {"ref": 32, "title": 300, "doc_type": 64, "category": 200, "service_area": 200, "version": 32,
               "manual_url": 1000}

STATUS_WORDS = {
    "published": ("published", "current", "live", "active", "approved", "in date", "in use", "up to date", "complete",
                  "completed", "overdue", "due", "due for review", "ok"),
    "draft": ("draft", "in draft", "new", "in development", "drafting", "not started", "proposed"),
    "under_review": ("under review", "in review", "being reviewed", "reviewing", "review in progress", "in progress",
                     "with ro", "with rsm", "out for consultation", "consultation", "awaiting approval", "pending"),
    "retired": ("retired", "archived", "withdrawn", "superseded", "deleted", "removed", "obsolete", "no longer needed"),
}
_STATUS = {norm_heading(w): s for s, words in STATUS_WORDS.items() for w in (s.replace("_", " "), *words)}
STATUS_LABELS = {"published": "Published", "draft": "Draft", "under_review": "Under review", "retired": "Retired"}
KNOWN_TYPES = ("Policy", "Strategy", "Procedure", "Protocol", "Practice Guidance", "Pathway", "Practice Standards")
ORG_COLUMNS = "columns"  # documents.extra[ORG_COLUMNS]: the organisation's own columns, heading -> value
HEADER_SCAN_ROWS = 30


# ------------------------------------------------------------------ configuration

@dataclass(frozen=True)
class ImportMapping:
    columns: dict[str, str] = field(default_factory=dict)  # norm heading -> field or "ignore"
    sheet: str | None = None
    header_row: int | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    ref_prefix: str = "PP"


def load_mapping(path: str | Path | None) -> ImportMapping:
    if not path:
        return ImportMapping()
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise BadInput(f"I couldn't read the mapping file {p.name} ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise BadInput(f"The mapping file {p.name} is not valid YAML{where}.") from None
    if not isinstance(data, dict):
        raise BadInput(f"The mapping file {p.name} must be a mapping (key: value lines).")
    unknown = set(data) - {"columns", "sheet", "header_row", "defaults", "ref_prefix"}
    if unknown:
        raise BadInput(f"The mapping file {p.name} has keys I don't know: {', '.join(sorted(map(str, unknown)))}.")
    columns = {}
    for heading, target in (data.get("columns") or {}).items():
        target = str(target).strip().lower().replace(" ", "_")
        if target not in SYNONYMS and target != "ignore":
            raise BadInput(f"In {p.name}, column '{heading}' maps to '{target}', which is not a field. "
                           f"Fields: {', '.join(sorted(SYNONYMS))}, or ignore.")
        columns[norm_heading(heading)] = target
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise BadInput(f"In {p.name}, header_row must be a row number (1 or more).")
    defaults = {str(k): str(v) for k, v in (data.get("defaults") or {}).items()}
    return ImportMapping(columns=columns, sheet=data.get("sheet"), header_row=header_row, defaults=defaults,
                         ref_prefix=str(data.get("ref_prefix") or "PP").strip().upper())


# ------------------------------------------------------------------ reading the file

@dataclass
class RawTable:
    filename: str
    sheet: str | None
    cells: list[list[Any]]  # [row][column], 0-based, merged ranges filled with their value
    links: dict[tuple[int, int], str]


def _read_csv(path: Path) -> RawTable:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # The delimiter that splits the first rows into the most columns (title lines above the
    # headings defeat csv.Sniffer).
    head = text.splitlines()[:HEADER_SCAN_ROWS]
    delimiter = max(",;\t", key=lambda d: max((len(r) for r in csv.reader(head, delimiter=d)), default=0))
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return RawTable(path.name, None, rows, {})


def _sheet_cells(ws) -> tuple[list[list[Any]], dict[tuple[int, int], str]]:
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    links = {}
    for row in ws.iter_rows():
        for c in row:
            if getattr(c, "hyperlink", None) is not None and c.hyperlink.target:
                links[(c.row - 1, c.column - 1)] = c.hyperlink.target
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row - 1, rng.max_row):
            while len(cells) <= r:
                cells.append([])
            for c in range(rng.min_col - 1, rng.max_col):
                while len(cells[r]) <= c:
                    cells[r].append(None)
                cells[r][c] = value
    return cells, links


def read_table(path: str | Path, sheet: str | None = None) -> list[RawTable]:
    """The candidate tables of a file: the named sheet, or "All" if there is one, else every sheet."""
    p = Path(path)
    if not p.exists():
        raise BadInput(f"There is no file {p}.")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return [_read_csv(p)]
    if suffix not in (".xlsx", ".xlsm"):
        raise BadInput(f"{p.name}: I can read .xlsx and .csv trackers. Save it as one of those (File > Save As).")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise BadInput(f"{p.name} is not a spreadsheet I can open ({type(exc).__name__}).") from None
    names = wb.sheetnames
    if sheet:
        match = next((n for n in names if n.strip().lower() == sheet.strip().lower()), None)
        if match is None:
            raise BadInput(f"{p.name} has no sheet called '{sheet}'. Its sheets: {', '.join(names)}.")
        names = [match]
    elif any(n.strip().lower() == "all" for n in names):
        names = [next(n for n in names if n.strip().lower() == "all")]
    out = []
    for n in names:
        cells, links = _sheet_cells(wb[n])
        out.append(RawTable(p.name, n, cells, links))
    wb.close()
    return out


# ------------------------------------------------------------------ headings

@dataclass(frozen=True)
class Column:
    index: int
    heading: str  # as written (group heading joined on for a two-row heading)
    field: str | None  # None: an organisation column, kept as written

    @property
    def letter(self) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.index + 1)


@dataclass(frozen=True)
class Layout:
    header_row: int  # 1-based
    columns: tuple[Column, ...]


def _text(v: Any) -> str:
    return collapse(v) if isinstance(v, str) else ("" if v is None else collapse(str(v)))


def _field_for(heading: str, mapping: ImportMapping) -> str | None:
    key = norm_heading(heading)
    if not key:
        return None
    if key in mapping.columns:
        return mapping.columns[key]
    return _BY_HEADING.get(key)


def _heading_candidates(parent: str, child: str) -> list[str]:
    if not child:
        return []
    out = [child]
    if parent and norm_heading(parent) != norm_heading(child):
        out += [f"{parent} {child}", f"{child} {parent}"]
    return out


def _columns_for(cells: list[list[Any]], r: int, mapping: ImportMapping) -> list[Column]:
    row = cells[r]
    above = cells[r - 1] if r > 0 else []
    cols: list[Column] = []
    taken: set[str] = set()
    for c, value in enumerate(row):
        child = _text(value)
        parent = _text(above[c]) if c < len(above) else ""
        chosen, heading = None, child
        for cand in _heading_candidates(parent, child):
            f = _field_for(cand, mapping)
            if f:
                chosen, heading = f, cand
                break
        if not child:
            continue
        if chosen in taken:  # a second column for the same field is kept as written
            chosen = None
        if chosen:
            taken.add(chosen)
        cols.append(Column(c, heading, chosen))
    return cols


def _score(cols: list[Column]) -> int:
    return len({c.field for c in cols if c.field and c.field != "ignore"})


def find_layout(table: RawTable, mapping: ImportMapping) -> Layout:
    cells = table.cells
    where = f"{table.filename}" + (f" (sheet '{table.sheet}')" if table.sheet else "")
    if mapping.header_row:
        r = mapping.header_row - 1
        if r >= len(cells):
            raise BadInput(f"{where} has no row {mapping.header_row} for the headings.")
        cols = _columns_for(cells, r, mapping)
    else:
        best, r, cols = 0, -1, []
        for i in range(min(len(cells), HEADER_SCAN_ROWS)):
            found = _columns_for(cells, i, mapping)
            s = _score(found)
            if s > best and any(c.field == "title" for c in found):
                best, r, cols = s, i, found
        if r < 0 or best < 2:
            raise BadInput(f"I couldn't find the heading row in {where}: I look for a row with a Title column and at "
                           "least one other I know (Type, Responsible Officer, RSM, Next review...). "
                           "Name the headings in a mapping file (--mapping) if they are unusual.")
    if not any(c.field == "title" for c in cols):
        raise BadInput(f"{where} has no Title column in row {r + 1}. Name it in a mapping file (--mapping).")
    return Layout(r + 1, tuple(cols))


# ------------------------------------------------------------------ rows

@dataclass(frozen=True)
class Rejected:
    row: int
    reason: str


@dataclass
class Change:
    row: int
    kind: str  # add | update | unchanged
    ref: str
    title: str
    diffs: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, after)
    values: dict[str, Any] = field(default_factory=dict)
    doc_id: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    sheet: str | None
    header_row: int
    columns: tuple[Column, ...]
    rows_read: int
    changes: list[Change]
    rejected: list[Rejected]
    dry_run: bool
    skip_bad: bool
    applied: bool = False
    run_id: int | None = None
    directory_empty: bool = False

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def rejected_lines(self) -> list[str]:
        return [f"row {r.row}: {r.reason}" for r in self.rejected]

    def lines(self, *, verbose: bool = True) -> list[str]:
        out = [f"Tracker: {self.filename}" + (f", sheet '{self.sheet}'" if self.sheet else "") + f", headings on row {self.header_row}"]
        for c in self.columns:
            target = (FIELD_LABELS.get(c.field, c.field) if c.field and c.field != "ignore"
                      else "ignored" if c.field == "ignore" else "kept as an organisation column")
            out.append(f"  column {c.letter} '{c.heading}' -> {target}")
        out.append(f"{self.rows_read} rows read: {self.count('add')} to add, {self.count('update')} to update, "
                   f"{self.count('unchanged')} unchanged, {len(self.rejected)} rejected.")
        if self.rejected:
            if self.skip_bad and not self.dry_run:
                out.append("Rejected rows (skipped; the other rows were imported):")
            else:
                out.append("Rejected rows (nothing was imported; correct them and run again, or use --skip-bad "
                           "to import the other rows):")
            out += [f"  {line}" for line in self.rejected_lines()]
            if self.directory_empty:
                out.append("The directory is empty: load it first ('policybot directory load people.csv' or "
                           "'policybot directory sync').")
        if verbose:
            for c in self.changes:
                if c.kind == "add":
                    out.append(f"  + row {c.row}: {c.ref} {c.title} (new)")
                elif c.kind == "update":
                    what = "; ".join(f"{w} '{b}' -> '{a}'" for w, b, a in c.diffs)
                    out.append(f"  ~ row {c.row}: {c.ref} {c.title}: {what}")
                for note in c.notes:
                    out.append(f"    note: {note}")
        if not self.dry_run and (self.ok or self.skip_bad) and not self.applied:
            out.append("Nothing to change: the register already matches the tracker.")
        if self.applied:
            out.append(f"Imported: {self.count('add')} added, {self.count('update')} updated, {self.count('unchanged')} unchanged.")
        elif self.dry_run and self.ok:
            out.append("Dry run: nothing was changed. Run again without --dry-run to import.")
        return out


def _cell(row: list[Any], c: int) -> Any:
    return row[c] if c < len(row) else None


def _plain(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return numeric_date(value if not hasattr(value, "date") else value.date())
    return _text(value)


def _org_value(value: Any) -> Any:
    """A value for an organisation column, kept JSON-friendly and stable through export."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    return _plain(value)


def _canonical_type(text: str, known: dict[str, str]) -> str:
    key = norm_heading(text)
    if key in known:
        return known[key]
    if key.endswith("s") and key[:-1] in known:
        return known[key[:-1]]
    return text


def _url(value: str) -> str | None:
    if re.match(r"^https?://\S+$", value, re.I):
        return value
    if re.match(r"^www\.\S+$", value, re.I):
        return "https://" + value
    return None


@dataclass
class _Parsed:
    row: int
    values: dict[str, Any]
    org: dict[str, Any]
    notes: list[str]


def _parse_row(n: int, row: list[Any], links: dict, r: int, layout: Layout, directory: Directory,
               mapping: ImportMapping, known_types: dict[str, str]) -> _Parsed | Rejected:
    problems: list[str] = []
    notes: list[str] = []
    values: dict[str, Any] = {}
    org: dict[str, Any] = {}
    people: dict[str, tuple[str, Any]] = {}
    for col in layout.columns:
        raw = _cell(row, col.index)
        f = col.field
        if f == "ignore":
            continue
        if f is None:
            org[col.heading] = _org_value(raw)
            continue
        if f in DATE_FIELDS:
            try:
                values[f] = read_date(raw, month_end=(f == "next_review_due"))
            except DateProblem as exc:
                problems.append(f"{col.heading} {exc}")
            continue
        text = _plain(raw)
        if f == "summary" and isinstance(raw, str):
            text = raw.strip() or None  # keep its line breaks
        if f == "manual_url":
            link = links.get((r, col.index))
            if link and (text is None or not _url(text)):
                text = link
            if text is not None and _url(text) is None:
                problems.append(f"{col.heading} '{text}' is not a web address (it should start https://)")
                continue
            values[f] = _url(text) if text else None
            continue
        if f in ("ro", "rsm", "ro_email", "rsm_email"):
            people[f] = (col.heading, text)
            continue
        if f == "status":
            if text is None:
                values[f] = None
            elif norm_heading(text) in _STATUS:
                values[f] = _STATUS[norm_heading(text)]
            else:
                problems.append(f"{col.heading} '{text}' is not a status I know (use Published, Draft, Under review or Retired)")
            continue
        if f == "ref" and text is not None:
            text = re.sub(r"\s+", "", text).upper()
        if f == "doc_type" and text is not None:
            text = _canonical_type(text, known_types)
        if text is not None and f in TEXT_LIMITS and len(text) > TEXT_LIMITS[f]:
            problems.append(f"{col.heading} is longer than {TEXT_LIMITS[f]} characters")
            continue
        values[f] = text
    if not values.get("title"):
        problems.append("no title")
    for role in ("ro", "rsm"):
        if f"{role}_email" not in people and role not in people:
            continue
        email_heading, email = people.get(f"{role}_email", (None, None))
        name_heading, name = people.get(role, (None, None))
        by_email = by_name = None
        if email:
            try:
                by_email = directory.match(email).person
            except PersonProblem as exc:
                problems.append(f"{email_heading} {exc}")
                continue
        if name:
            try:
                m = directory.match(name)
                by_name = m.person
                if m.how in ("near", "initials"):
                    notes.append(f"{name_heading} '{collapse(name)}' taken as {m.person.name}")
            except PersonProblem as exc:
                if by_email is None:
                    problems.append(f"{name_heading} {exc}")
                    continue
                notes.append(f"{name_heading} '{collapse(name)}' not found; {email_heading} names {by_email.name}")
        if by_email is not None and by_name is not None and by_email.id != by_name.id:
            # Someone changed one column and not the other: never guess which is right.
            problems.append(f"{name_heading} '{collapse(name)}' and {email_heading} '{email}' are different people "
                            f"({by_name.name} and {by_email.name}): correct or clear one")
            continue
        chosen = by_email or by_name
        values[f"{role}_id"] = chosen.id if chosen else None
    if problems:
        return Rejected(n, "; ".join(problems))
    return _Parsed(n, values, org, notes)


# ------------------------------------------------------------------ planning

def _key_title(title: str, doc_type: str | None) -> tuple[str, str]:
    return norm_heading(title), norm_heading(doc_type or "")


def _show(f: str, v: Any, names: dict[str, str]) -> str:
    if v is None:
        return ""
    if f in DATE_FIELDS:
        return numeric_date(v)
    if f in ("ro_id", "rsm_id"):
        return names.get(v, v)
    if f == "status":
        return STATUS_LABELS.get(v, v)
    return str(v)


COMPARED = ("doc_type", "title", "category", "service_area", "summary", "ro_id", "rsm_id", "status", "version",
            "approved_on", "last_reviewed_on", "next_review_due", "manual_url")
LABEL_OF = {"ro_id": "Responsible Officer", "rsm_id": "Responsible Strategic Manager", **FIELD_LABELS}


def _allocate(prefix: str, used: set[str]) -> str:
    pat = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    top = max((int(m[1]) for r in used if (m := pat.match(r))), default=0)
    ref = f"{prefix}-{top + 1:03d}"
    used.add(ref)
    return ref


def plan(parsed: list[_Parsed | Rejected], docs: list, people: list, mapping: ImportMapping,
         default_type: str) -> tuple[list[Change], list[Rejected]]:
    names = {p.id: p.name for p in people}
    by_ref = {d.ref.upper(): d for d in docs}
    by_title: dict[tuple[str, str], list] = {}
    by_title_only: dict[str, list] = {}
    for d in docs:
        by_title.setdefault(_key_title(d.title, d.doc_type), []).append(d)
        by_title_only.setdefault(norm_heading(d.title), []).append(d)
    used_refs = set(by_ref)
    seen_ref: dict[str, int] = {}
    seen_title: dict[tuple[str, str], int] = {}
    seen_doc: dict[int, int] = {}
    changes: list[Change] = []
    rejected: list[Rejected] = []
    for item in parsed:
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        v = dict(item.values)
        blank = {f for f in ("doc_type", "status") if f in v and not v[f]}
        for f in blank:
            v.pop(f)  # an empty Type or Status cell changes nothing; a new document gets the default
        ref = v.get("ref")
        tkey = _key_title(v["title"], v.get("doc_type") or default_type)
        if ref and ref in seen_ref:
            rejected.append(Rejected(item.row, f"duplicate of row {seen_ref[ref]} (same reference {ref})"))
            continue
        if tkey in seen_title:
            rejected.append(Rejected(item.row, f"duplicate of row {seen_title[tkey]} (same title and type: {v['title']})"))
            continue
        doc = by_ref.get(ref) if ref else None
        if doc is None:
            # With no Type column the title alone identifies the document.
            same = (by_title.get(tkey) if "doc_type" in v else by_title_only.get(tkey[0])) or []
            if ref and same:
                rejected.append(Rejected(item.row, f"reference {ref} is new, but {same[0].ref} already has the title "
                                                   f"'{same[0].title}' and type {same[0].doc_type}"))
                continue
            if not ref and len(same) > 1:
                rejected.append(Rejected(item.row, f"the title '{v['title']}' matches {', '.join(d.ref for d in same)}: "
                                                   "add a Ref column to say which"))
                continue
            doc = same[0] if same else None
        if doc is not None and doc.id in seen_doc:
            rejected.append(Rejected(item.row, f"duplicate of row {seen_doc[doc.id]} (both are {doc.ref})"))
            continue
        if ref:
            seen_ref[ref] = item.row
        seen_title[tkey] = item.row
        # NCT-1: every document has an RSM; with no RO named, the RSM stands in.
        ro = v["ro_id"] if "ro_id" in v else (doc.ro_id if doc else None)
        rsm = v["rsm_id"] if "rsm_id" in v else (doc.rsm_id if doc else None)
        try:
            effective_ro(ro, rsm)
        except MissingInformation:
            rejected.append(Rejected(item.row, "no Responsible Strategic Manager: every document needs one, "
                                               "who stands in as RO when none is named (NCT-1)"))
            continue
        if doc is None:
            v.setdefault("doc_type", default_type)
            v.setdefault("status", _STATUS.get(norm_heading(mapping.defaults.get("status", "published")), "published"))
            new_ref = ref or _allocate(mapping.ref_prefix, used_refs)
            used_refs.add(new_ref)
            v["ref"] = new_ref
            org = {k: x for k, x in item.org.items() if x is not None}
            changes.append(Change(item.row, "add", new_ref, v["title"], values={**v, "org": org}, notes=item.notes))
            continue
        seen_doc[doc.id] = item.row
        diffs = []
        updates: dict[str, Any] = {}
        for f in COMPARED:
            if f in v and v[f] != getattr(doc, f):
                updates[f] = v[f]
                diffs.append((LABEL_OF[f], _show(f, getattr(doc, f), names), _show(f, v[f], names)))
        old_org = dict((doc.extra or {}).get(ORG_COLUMNS) or {})
        new_org = dict(old_org)
        for k, x in item.org.items():
            if x is None:
                new_org.pop(k, None)
            else:
                new_org[k] = x
        if new_org != old_org:
            updates["org"] = new_org
            for k in sorted(set(old_org) | set(new_org)):
                if old_org.get(k) != new_org.get(k):
                    diffs.append((k, _show("", old_org.get(k), names), _show("", new_org.get(k), names)))
        kind = "update" if updates else "unchanged"
        changes.append(Change(item.row, kind, doc.ref, doc.title, diffs, updates, doc.id, item.notes))
    rejected.sort(key=lambda r: r.row)
    return changes, rejected


# ------------------------------------------------------------------ the use case

async def import_tracker(services: Services, path: str | Path, *, dry_run: bool = False, mapping: str | Path | None = None,
                         skip_bad: bool = False, sheet: str | None = None, actor_email: str | None = None) -> ImportReport:
    from store.register_repo import RegisterRepo

    p = Path(path)
    cfg = load_mapping(mapping)
    tables = read_table(p, sheet or cfg.sheet)
    table, layout, problem = None, None, None
    for t in tables:
        try:
            layout = find_layout(t, cfg)
            table = t
            break
        except BadInput as exc:
            problem = problem or exc
    if table is None or layout is None:
        raise problem or BadInput(f"{p.name} is empty.")
    preset = services.preset
    default_type = cfg.defaults.get("doc_type") or next(iter(preset.document_types.values())).label
    now = services.clock.now()
    async with services.uow() as uow:
        repo = RegisterRepo(uow.session)
        people = await uow.people.all()
        docs = await repo.all_documents()
        known = {norm_heading(t): t for t in (*KNOWN_TYPES, *(x.label for x in preset.document_types.values()),
                                               *(d.doc_type for d in docs))}
        directory = Directory(people)
        parsed: list[_Parsed | Rejected] = []
        rows_read = 0
        for r in range(layout.header_row, len(table.cells)):
            row = table.cells[r]
            if all(is_blank(v) for v in row):
                continue
            rows_read += 1
            parsed.append(_parse_row(r + 1, row, table.links, r, layout, directory, cfg, known))
        changes, rejected = plan(parsed, docs, people, cfg, default_type)
        report = ImportReport(table.filename, table.sheet, layout.header_row, layout.columns, rows_read, changes,
                              rejected, dry_run, skip_bad, directory_empty=not people)
        if dry_run or (rejected and not skip_bad):
            return report
        if not any(c.kind != "unchanged" for c in changes):
            return report  # the register already matches the file: nothing is written, not even a run record
        actor = await uow.people.by_email(actor_email) if actor_email else None
        by_id = {d.id: d for d in docs}
        source = f"{table.filename}" + (f" sheet '{table.sheet}'" if table.sheet else "")
        new_docs: list[tuple[Change, dict]] = []
        audits: list[dict] = []
        for c in changes:
            if c.kind == "unchanged":
                continue
            values = dict(c.values)
            org = values.pop("org", None)
            if c.kind == "add":
                new_docs.append((c, dict(
                    ref=c.ref, doc_type=values["doc_type"], title=values["title"], category=values.get("category"),
                    service_area=values.get("service_area"), summary=values.get("summary"), ro_id=values.get("ro_id"),
                    rsm_id=values.get("rsm_id"), status=values.get("status") or "published", version=values.get("version"),
                    approved_on=values.get("approved_on"), last_reviewed_on=values.get("last_reviewed_on"),
                    next_review_due=values.get("next_review_due"), manual_url=values.get("manual_url"),
                    extra={ORG_COLUMNS: org} if org else {}, created_at=now, updated_at=now,
                )))
                continue
            doc = by_id[c.doc_id]
            for f, x in values.items():
                setattr(doc, f, x)
            if org is not None:
                extra = dict(doc.extra or {})
                if org:
                    extra[ORG_COLUMNS] = org
                else:
                    extra.pop(ORG_COLUMNS, None)
                doc.extra = extra
            doc.updated_at = now
            what = "; ".join(f"{w} '{b}' -> '{a}'" for w, b, a in c.diffs)
            audits.append(dict(entity_id=doc.id, action="updated_from_tracker", summary=f"Updated from {source} row {c.row}: {what}",
                               details={"row": c.row, "file": table.filename, "changes": [list(d) for d in c.diffs]}))
        created = await repo.add_documents([fields for _c, fields in new_docs])  # one round trip for them all
        for (c, _f), doc in zip(new_docs, created):
            audits.append(dict(entity_id=doc.id, action="imported", summary=f"Added to the register from {source} row {c.row}",
                               details={"row": c.row, "file": table.filename}))
        await repo.record_many(at=now, actor=actor, entity="document", entries=audits)
        run = await repo.add_import_run(
            at=now, actor_id=actor.id if actor else None, filename=table.filename[:300],
            sha256=hashlib.sha256(p.read_bytes()).hexdigest(), sheet=table.sheet, added=report.count("add"),
            updated=report.count("update"), unchanged=report.count("unchanged"), rejected=len(rejected),
            skipped_bad=bool(rejected), details={"rejected": report.rejected_lines()},
        )
        await uow.audit.record(at=now, actor=actor, entity="register", entity_id=run.id, action="tracker_import",
                               summary=f"Imported {source}: {report.count('add')} added, {report.count('update')} updated, "
                                       f"{report.count('unchanged')} unchanged, {len(rejected)} rejected")
        await uow.commit()
        report.applied, report.run_id = True, run.id
    return report
