"""A preset's routes as readable text and as Mermaid diagrams, for a policy officer to check."""

from __future__ import annotations

from governance.preset import Preset, Route, Stage

DECISION_TEXT = {
    "approve": "approve",
    "approve_with_conditions": "approve with conditions (the RO amends; {checker} checks)",
    "defer": "defer to '{target}'",
    "refer": "refer to '{target}'",
    "not_approved": "return to the author",
    "approve_by_vote": "approve by vote when there is no consensus",
}


def _who(preset: Preset, role: str | None) -> str:
    return preset.role_label(role) if role else "consultees"


def _stage_text(preset: Preset, route: Route, stage: Stage) -> list[str]:
    head = f"{stage.label} [{_who(preset, stage.by)}]"
    notes = []
    if stage.optional:
        notes.append("only when escalated here")
    if stage.when:
        notes.append(f"only when '{stage.when}' was answered yes")
    if stage.all_holders:
        notes.append(f"every {_who(preset, stage.by)} of the document must approve")
    if stage.deadline:
        anchor = "the meeting" if stage.deadline_from == "meeting" else "the start of consultation"
        notes.append(f"responses due {stage.deadline} {anchor}; silence counts as agreement")
    if stage.records:
        notes.append("records: " + ", ".join(stage.records))
    lines = [head + (f" ({'; '.join(notes)})" if notes else "")]
    if stage.kind == "sign_off":
        target = route.stage(stage.escalate_to).label if stage.escalate_to else ""
        checker = _who(preset, stage.conditions_checked_by or stage.by)
        for d in stage.decisions:
            if d in ("defer", "refer") and not target:
                continue
            lines.append("   - " + DECISION_TEXT[d].format(target=target, checker=checker))
        for alt in stage.alternatives:
            lines.append(f"   - or: {alt.label} [{_who(preset, alt.by)}]")
    if stage.kind == "decision" and stage.question:
        lines.append(f"   - {stage.question}")
    return lines


def describe_route(preset: Preset, route_id: str) -> str:
    route = preset.routes[route_id]
    out = [f"{route.label}", f"  for: {', '.join(k.replace('_', ' ') for k in route.kinds)}"]
    if route.categories:
        out.append(f"  categories: {', '.join(route.categories)}")
    if route.doc_types:
        out.append(f"  document types: {', '.join(preset.document_types[t].label for t in route.doc_types)}")
    for i, stage in enumerate(route.stages, 1):
        first, *rest = _stage_text(preset, route, stage)
        out.append(f"  {i}. {first}")
        out.extend("  " + line for line in rest)
    return "\n".join(out)


def describe_preset(preset: Preset) -> str:
    out = [preset.name, "=" * len(preset.name), ""]
    out.append(f"New requests go to: {preset.role_label(preset.request_recipient)}"
               + (f" ({preset.request_mailbox})" if preset.request_mailbox else ""))
    out.append("Document types: " + ", ".join(t.label for t in preset.document_types.values()))
    for body in preset.bodies.values():
        line = f"Body: {body.name}"
        if body.meeting:
            line += f" — meets: {body.meeting.describe()}"
        deadlines = [f"{label} {rule}" for label, rule in (("items", body.item_deadline), ("papers", body.papers_deadline),
                                                             ("responses", body.response_deadline)) if rule]
        if deadlines:
            line += " — " + ", ".join(deadlines) + " the meeting"
        if body.higher_body:
            line += f" — refers to the {preset.bodies[body.higher_body].name}"
        out.append(line)
    out.append("Review reminders: " + ", ".join(f"{d} day{'' if d == 1 else 's'}" for d in preset.reminder_offsets) + " before the review date")
    for months, role in preset.escalation_steps:
        out.append(f"Escalation: {months} month{'s' if months != 1 else ''} overdue -> {preset.role_label(role)}")
    if preset.review_triggers:
        out.append("Unscheduled review triggers: " + "; ".join(preset.review_triggers))
    if preset.amendment_reasons:
        out.append("Out-of-cycle amendment reasons: " + "; ".join(preset.amendment_reasons))
    out.append("")
    for rid in preset.routes:
        out.append(describe_route(preset, rid))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _node(stage: Stage) -> str:
    label = stage.label.replace('"', "'")
    shapes = {"decision": ("{", "}"), "publish": ("([", "])"), "consult": ("[/", "/]")}
    left, right = shapes.get(stage.kind, ("[", "]"))
    return f'{stage.id}{left}"{label}"{right}'


def mermaid(preset: Preset, route_id: str) -> str:
    route = preset.routes[route_id]
    lines = ["flowchart TD"]
    for stage in route.stages:
        lines.append(f"    {_node(stage)}")
    mandatory = [s for s in route.stages if not s.optional]
    for a, b in zip(mandatory, mandatory[1:], strict=False):
        label = ""
        if b.when:
            label = f"|if {b.when}|"
        lines.append(f"    {a.id} -->{label} {b.id}")
    for stage in route.stages:
        if stage.escalate_to:
            verbs = "/".join(d for d in stage.decisions if d in ("defer", "refer"))
            lines.append(f"    {stage.id} -.->|{verbs}| {stage.escalate_to}")
            after = next((s for s in route.stages[route.index(stage.escalate_to) + 1:] if not s.optional), None)
            if after:
                lines.append(f"    {stage.escalate_to} --> {after.id}")
        if "approve_with_conditions" in stage.decisions:
            lines.append(f"    {stage.id} -.->|conditions: RO amends, then checked| {stage.id}")
        if stage.kind == "consult":
            lines.append(f"    {stage.id} -.->|silence by the deadline = agreement| {stage.id}")
    return "\n".join(lines) + "\n"
