"""The mapping file (`--mapping FILE`, YAML): what a person can tell the importer, and the mapping it
chose, written out so it can be edited and used again.

    sheet: Tracker            # which sheet (default: chosen by its content)
    header_row: 4             # the row of the headings as Excel shows it (default: found)
    columns:                  # heading as written -> field (or "ignore")
      "Lead for this document": ro
      "Internal notes": ignore
    types: {SOP: Procedure}   # the organisation's document types -> the register's
    statuses: {"Parked": draft}
    defaults: {doc_type: Procedure, status: Published}
    ref_prefix: PP            # references given to new documents without one
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from services.errors import BadInput
from services.register.cells import norm_heading
from services.register.tracker_words import STATUS_LABELS, SYNONYMS, status_of

KEYS = {"columns", "sheet", "header_row", "defaults", "ref_prefix", "types", "statuses"}


@dataclass(frozen=True)
class ImportMapping:
    columns: dict[str, str] = field(default_factory=dict)  # norm heading -> field or "ignore"
    sheet: str | None = None
    header_row: int | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    ref_prefix: str = "PP"
    types: dict[str, str] = field(default_factory=dict)  # norm word -> register type
    statuses: dict[str, str] = field(default_factory=dict)  # norm word -> status key


def _dict(data: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise BadInput(f"In {name}, '{key}' must be a list of 'word: meaning' lines.")
    return value


def parse_mapping(data: Any, name: str) -> ImportMapping:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadInput(f"The mapping file {name} must be a mapping (key: value lines).")
    unknown = set(data) - KEYS
    if unknown:
        raise BadInput(f"The mapping file {name} has keys I don't know: {', '.join(sorted(map(str, unknown)))}.")
    columns = {}
    for heading, target in _dict(data, "columns", name).items():
        target = str(target).strip().lower().replace(" ", "_")
        if target not in SYNONYMS and target != "ignore":
            raise BadInput(f"In {name}, column '{heading}' maps to '{target}', which is not a field. "
                           f"Fields: {', '.join(sorted(SYNONYMS))}, or ignore.")
        columns[norm_heading(heading)] = target
    statuses = {}
    for word, target in _dict(data, "statuses", name).items():
        key = status_of(str(target))
        if key is None:
            raise BadInput(f"In {name}, status '{word}' maps to '{target}', which is not a status. "
                           f"Statuses: {', '.join(STATUS_LABELS.values())}.")
        statuses[norm_heading(word)] = key
    types = {norm_heading(k): str(v).strip() for k, v in _dict(data, "types", name).items()}
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise BadInput(f"In {name}, header_row must be a row number (1 or more).")
    defaults = {str(k): str(v) for k, v in _dict(data, "defaults", name).items()}
    return ImportMapping(columns=columns, sheet=data.get("sheet"), header_row=header_row, defaults=defaults,
                         ref_prefix=str(data.get("ref_prefix") or "PP").strip().upper(), types=types,
                         statuses=statuses)


def load_mapping(path: str | Path | None) -> ImportMapping:
    if not path:
        return ImportMapping()
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"I couldn't read the mapping file {p.name} ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise BadInput(f"The mapping file {p.name} is not valid YAML{where}.") from None
    return parse_mapping(data, p.name)


class ChosenColumn(Protocol):
    """A tracker column as the mapping file names it (tracker_table.Column, which imports this module)."""

    @property
    def heading(self) -> str: ...

    @property
    def field(self) -> str | None: ...


def mapping_yaml(sheet: str | None, header_row: int, columns: Sequence[ChosenColumn], mapping: ImportMapping) -> str:
    """The mapping the importer chose, as a file a person can edit and pass back with --mapping."""
    chosen: dict[str, Any] = {}
    if sheet:
        chosen["sheet"] = sheet
    chosen["header_row"] = header_row
    chosen["columns"] = {c.heading: c.field for c in columns if c.field}
    if mapping.types:
        chosen["types"] = dict(mapping.types)
    if mapping.statuses:
        chosen["statuses"] = {k: STATUS_LABELS[v] for k, v in mapping.statuses.items()}
    if mapping.defaults:
        chosen["defaults"] = dict(mapping.defaults)
    chosen["ref_prefix"] = mapping.ref_prefix
    kept = [c.heading for c in columns if not c.field]
    head = ("# The mapping policybot chose for this tracker. Edit it and pass it back with --mapping.\n"
            "# Fields: " + ", ".join(sorted(SYNONYMS)) + ", or ignore.\n")
    if kept:
        head += "# Kept as the organisation's own columns (exported back as they are): " + ", ".join(kept) + "\n"
    return head + yaml.safe_dump(chosen, sort_keys=False, allow_unicode=True, width=120)
