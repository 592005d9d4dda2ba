"""Writing a preset back out as YAML (`policybot preset show`, tests that round-trip the files)."""

from __future__ import annotations

from typing import Any

import yaml

from governance.calendar import (
    DeadlineRule,
)
from governance.preset_model import BUILTIN_ROLES, Preset, Stage

# ---------------------------------------------------------------- writing back out


def _rule_text(rule: DeadlineRule | None) -> str | None:
    return str(rule) if rule else None


# Complexity over 15, on purpose: every optional field of a preset is written only when it is set,
# so the YAML a person reads back has no empty keys; each `if` is one such field.
def preset_to_raw(p: Preset) -> dict[str, Any]:  # noqa: C901 (see the comment above)
    def stage_raw(s: Stage) -> dict[str, Any]:
        d: dict[str, Any] = {"id": s.id, "kind": s.kind, "label": s.label}
        if s.kind == "consult":
            d["consultees"] = s.by
        elif s.by:
            d["by"] = s.by
        for key in ("all_holders", "optional", "via_publisher"):
            if getattr(s, key):
                d[key] = True
        if s.kind == "sign_off" or s.decisions:
            d["decisions"] = list(s.decisions)
        for key in ("escalate_to", "escalate_label", "escalate_asks", "escalate_note", "conditions_checked_by", "when", "body", "flag", "question"):
            if getattr(s, key) is not None:
                d[key] = getattr(s, key)
        if s.deadline:
            d["deadline"] = str(s.deadline)
        if s.deadline_from != "start":
            d["deadline_from"] = s.deadline_from
        if s.shared:
            d["shared"] = str(s.shared)
        if s.records:
            d["records"] = list(s.records)
        if s.tells:
            d["tells"] = dict(s.tells)
        if s.alternatives:
            d["alternatives"] = [{"decision": a.decision, "by": a.by, "effect": a.effect, "label": a.label} for a in s.alternatives]
        return d

    bodies = {}
    for b in p.bodies.values():
        d: dict[str, Any] = {"name": b.name}
        if b.higher_body:
            d["higher_body"] = b.higher_body
        if b.meeting:
            d["meetings"] = {"rule": b.meeting.rule, "from": b.meeting.anchor.isoformat()}
            if b.meeting.added:
                d["meetings"]["added"] = [x.isoformat() for x in sorted(b.meeting.added)]
            if b.meeting.cancelled:
                d["meetings"]["cancelled"] = [x.isoformat() for x in sorted(b.meeting.cancelled)]
        for key in ("item_deadline", "papers_deadline", "response_deadline"):
            if getattr(b, key):
                d[key] = str(getattr(b, key))
        if b.aliases:
            d["aliases"] = list(b.aliases)
        if b.quorum:
            d["quorum"] = dict(b.quorum)
        if b.absence_escalation:
            d["absence_escalation"] = {"successive": b.absence_escalation[0], "to": b.absence_escalation[1],
                                       **({"except": list(b.absence_exempt)} if b.absence_exempt else {})}
        if b.reports:
            d["reports"] = list(b.reports)
        bodies[b.id] = d
    types = {}
    for t in p.document_types.values():
        d = {"label": t.label, "description": t.description, "mandatory": t.mandatory}
        if t.review:
            d["review_months"] = t.review.months
            if t.review.latest_months is not None:
                d["review_latest_months"] = t.review.latest_months
        types[t.id] = d
    raw: dict[str, Any] = {
        "key": p.key,
        "name": p.name,
        "seed": p.seed,
        "nation": p.nation,
        "roles": {r.id: {"label": r.label, "scope": r.scope} for r in p.roles.values()
                  if (r.id not in BUILTIN_ROLES or (r.label, r.scope) != BUILTIN_ROLES[r.id])
                  and not r.id.startswith(("chair:", "member:", "vice_chair:"))},
        "bodies": bodies,
        "document_types": types,
        "categories": list(p.categories),
        "request": {"recipient": p.request_recipient, **({"mailbox": p.request_mailbox} if p.request_mailbox else {})},
        "reviews": {
            "reminder_offsets_days": list(p.reminder_offsets),
            "escalation": [{"months_overdue": m, "to": r} for m, r in p.escalation_steps],
            "unscheduled_triggers": list(p.review_triggers),
            "no_change_statement": p.no_change_statement,
        },
        "amendment_reasons": list(p.amendment_reasons),
        "checklist": list(p.checklist),
        "amendments_must_be_tracked": p.amendments_must_be_tracked,
        "publication": list(p.publication_steps),
        **({"digests": list(p.digests)} if p.digests else {}),
        **({"category_reviews": {c: i.months for c, i in p.category_reviews.items()}} if p.category_reviews else {}),
        "routes": {
            r.id: {
                "label": r.label,
                "for": list(r.kinds),
                **({"categories": list(r.categories)} if r.categories else {}),
                **({"document_types": list(r.doc_types)} if r.doc_types else {}),
                "stages": [stage_raw(s) for s in r.stages],
            }
            for r in p.routes.values()
        },
    }
    if p.update_cycle:
        raw["update_cycle"] = {"per_year": p.update_cycle.per_year, "review_weeks": p.update_cycle.review_weeks,
                               "next_update_months": p.update_cycle.next_update_months}
    return raw


def dump_preset(p: Preset) -> str:
    return yaml.safe_dump(preset_to_raw(p), sort_keys=False, allow_unicode=True, width=100)
