"""Helping a person choose a document type (MA-1) and telling a strategy document from a
Section 47 strategy meeting or discussion (MA-2). Pure text rules."""

from __future__ import annotations

import re

from governance.preset import DocType, Preset

_S47_MEETING = re.compile(
    r"\bstrategy\s+(meeting|discussion|discussions|meetings|conference)\b"
    r"|\b(s\.?\s?47|section\s+47)\b"
    r"|\bsignificant\s+harm\b",
    re.IGNORECASE,
)
_STRATEGY = re.compile(r"\bstrateg(y|ies|ic)\b", re.IGNORECASE)

_HINTS: list[tuple[str, re.Pattern[str]]] = [
    ("protocol", re.compile(r"\b(agreement|between|partners?|agencies|joint|multi-agency|protocol)\b", re.I)),
    ("pathway", re.compile(r"\b(pathway|journey|route through|transition|referral route)\b", re.I)),
    ("strategy", re.compile(r"\b(strategy|long[- ]term|implementation plan|vision|priorities)\b", re.I)),
    ("procedure", re.compile(r"\b(steps?|how to|process|procedure|what to do|instructions?)\b", re.I)),
    ("practice_standards", re.compile(r"\b(standards?|bottom lines?|what good looks like|quality)\b", re.I)),
    ("practice_guidance", re.compile(r"\b(guidance|advice|tips|best practice|toolkit)\b", re.I)),
    ("policy", re.compile(r"\b(policy|position|values|principles|why we)\b", re.I)),
]


def explain_strategy_ambiguity(text: str) -> str | None:
    """MA-2: when someone says 'strategy', check which one they mean."""
    if not text or not _STRATEGY.search(text):
        return None
    if _S47_MEETING.search(text):
        return (
            "It sounds as if you mean a strategy meeting or strategy discussion: the multi-agency meeting held "
            "when a child may be suffering significant harm (Section 47 of the Children Act 1989). That is part of "
            "child protection practice, covered by the procedures on Section 47 enquiries and strategy discussions, "
            "not a strategy document. A Strategy document is a plan to reach long-term aims, with an "
            "implementation plan."
        )
    return (
        "A Strategy document sets out long-term aims across services or partners and always comes with an "
        "implementation plan. If you meant a strategy meeting or discussion under Section 47, that is child "
        "protection practice rather than a document type."
    )


def is_strategy_meeting(text: str) -> bool:
    """MA-2: the words describe a Section 47 strategy meeting or discussion, not a Strategy document."""
    return bool(text and _S47_MEETING.search(text))


def suggest_types(preset: Preset, text: str) -> list[DocType]:
    """Document types whose description fits the words used, best first (MA-1)."""
    out: list[DocType] = []
    for type_id, pattern in _HINTS:
        if type_id in preset.document_types and pattern.search(text or ""):
            if type_id == "strategy" and _S47_MEETING.search(text or ""):
                continue
            out.append(preset.document_types[type_id])
    return out


def describe_types(preset: Preset) -> list[tuple[str, str]]:
    return [(t.label, t.description) for t in preset.document_types.values()]
