"""Matching the tracker's rows to the register and working out what would change, row by row.

A row is the register's document with the same reference, else the one with the same title (and
type, when the tracker has a Type column). Two rows for one document are reported as duplicates.
Every document needs an RSM, who stands in as RO when none is named (NCT-1). Nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from governance.dates import numeric_date
from governance.errors import MissingInformation
from governance.ownership import effective_ro
from services.register.cells import norm_heading
from services.register.tracker_mapping import ImportMapping
from services.register.tracker_rows import Parsed, Rejected
from services.register.tracker_words import (
    DATE_FIELDS,
    FIELD_LABELS,
    STATUS_LABELS,
    status_of,
)

ORG_COLUMNS = "columns"  # documents.extra[ORG_COLUMNS]: the organisation's own columns, heading -> value
OTHER_RSMS = "other_rsm_ids"  # documents.extra[OTHER_RSMS]: joint RSMs (NCT-7)
COMPARED = ("doc_type", "title", "category", "service_area", "summary", "ro_id", "rsm_id", "status", "version",
            "approved_on", "last_reviewed_on", "next_review_due", "manual_url")
LABEL_OF = {"ro_id": "Responsible Officer", "rsm_id": "Responsible Strategic Manager", **FIELD_LABELS}


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
    flags: list[str] = field(default_factory=list)
    leavers: list[tuple[str, str]] = field(default_factory=list)
    line: int | None = None


def _key_title(title: str, doc_type: str | None) -> tuple[str, str]:
    return norm_heading(title), norm_heading(doc_type or "")


def _show(f: str, v: Any, names: dict[str, str]) -> str:
    if v is None:
        return ""
    if f in DATE_FIELDS:
        return numeric_date(v)
    if f in ("ro_id", "rsm_id"):
        name: str = names.get(v, v)
        return name
    if f == OTHER_RSMS:
        return ", ".join(names.get(x, x) for x in v)
    if f == "status":
        label: str = STATUS_LABELS.get(v, v)
        return label
    return str(v)


def _allocate(prefix: str, used: set[str]) -> str:
    pat = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    top = max((int(m[1]) for r in used if (m := pat.match(r))), default=0)
    ref = f"{prefix}-{top + 1:03d}"
    used.add(ref)
    return ref


def plan(parsed: list[Parsed | Rejected], docs: Sequence[Any], people: list[Any], mapping: ImportMapping,  # noqa: C901 - one rule after another, in the order a person reads them
         default_type: str) -> tuple[list[Change], list[Rejected]]:
    names = {p.id: p.name for p in people}
    by_ref = {d.ref.upper(): d for d in docs}
    by_title: dict[tuple[str, str], list[Any]] = {}
    by_title_only: dict[str, list[Any]] = {}
    for d in docs:
        by_title.setdefault(_key_title(d.title, d.doc_type), []).append(d)
        by_title_only.setdefault(norm_heading(d.title), []).append(d)
    used_refs = set(by_ref)
    seen_ref: dict[str, int] = {}
    seen_title: dict[tuple[str, str], int] = {}
    seen_doc: dict[int, int] = {}
    changes: list[Change] = []
    rejected: list[Rejected] = []
    default_status = status_of(mapping.defaults.get("status", "published")) or "published"
    for item in parsed:
        if isinstance(item, Rejected):
            rejected.append(item)
            continue

        def reject(reason: str, item: Parsed = item) -> None:
            rejected.append(Rejected(item.row, reason, item.line))

        v = dict(item.values)
        for f in [f for f in ("doc_type", "status") if f in v and not v[f]]:
            v.pop(f)  # an empty Type or Status cell changes nothing; a new document gets the default
        ref = v.get("ref")
        tkey = _key_title(v["title"], v.get("doc_type") or default_type)
        if ref and ref in seen_ref:
            reject(f"duplicate of row {seen_ref[ref]} (same reference {ref})")
            continue
        if tkey in seen_title:
            reject(f"duplicate of row {seen_title[tkey]} (same title and type: {v['title']})")
            continue
        doc = by_ref.get(ref) if ref else None
        if doc is None:
            # With no Type column the title alone identifies the document.
            same = (by_title.get(tkey) if "doc_type" in v else by_title_only.get(tkey[0])) or []
            if ref and same:
                reject(f"reference {ref} is new, but {same[0].ref} already has the title '{same[0].title}' "
                       f"and type {same[0].doc_type}")
                continue
            if not ref and len(same) > 1:
                reject(f"the title '{v['title']}' matches {', '.join(d.ref for d in same)}: add a Ref column to say which")
                continue
            doc = same[0] if same else None
        if doc is not None and doc.id in seen_doc:
            reject(f"duplicate of row {seen_doc[doc.id]} (both are {doc.ref})")
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
            reject("no Responsible Strategic Manager: every document needs one, who stands in as RO when none is "
                   "named (NCT-1)")
            continue
        flags = list(item.flags)
        if ro is None and "ro_id" in v and not any("stands in" in f for f in flags):
            flags.append(f"no Responsible Officer named: the RSM {names.get(rsm, rsm)} stands in as RO (NCT-1)")
        others = v.pop(OTHER_RSMS, None)
        common: dict[str, Any] = dict(notes=item.notes, flags=flags, leavers=item.leavers, line=item.line)
        if doc is None:
            v.setdefault("doc_type", default_type)
            v.setdefault("status", default_status)
            new_ref = ref or _allocate(mapping.ref_prefix, used_refs)
            used_refs.add(new_ref)
            v["ref"] = new_ref
            org = {k: x for k, x in item.org.items() if x is not None}
            changes.append(Change(item.row, "add", new_ref, v["title"], values={**v, "org": org, OTHER_RSMS: others or []},
                                  **common))
            continue
        seen_doc[doc.id] = item.row
        diffs = []
        updates: dict[str, Any] = {}
        for compared in COMPARED:
            if compared in v and v[compared] != getattr(doc, compared):
                updates[compared] = v[compared]
                diffs.append((LABEL_OF[compared], _show(compared, getattr(doc, compared), names), _show(compared, v[compared], names)))
        extra = doc.extra or {}
        if others is not None and list(others) != list(extra.get(OTHER_RSMS) or []):
            updates[OTHER_RSMS] = list(others)
            diffs.append(("Joint RSMs", _show(OTHER_RSMS, extra.get(OTHER_RSMS) or [], names), _show(OTHER_RSMS, others, names)))
        old_org = dict(extra.get(ORG_COLUMNS) or {})
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
        changes.append(Change(item.row, kind, doc.ref, doc.title, diffs, updates, doc.id, **common))
    rejected.sort(key=lambda r: r.row)
    return changes, rejected
