"""The standard agenda of a decision body's meeting (DOR-9, DOR-5): its sections, the kind of each item,
numbering, ordering and the chair's reordering. Pure: items in, sections out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from governance.errors import NotAllowed

# ------------------------------------------------------------------ agendas (DOR-9, DOR-5)

SECTIONS: tuple[tuple[str, str], ...] = (
    ("progress", "Progress report and outstanding actions"),
    ("new", "New proposals and drafts"),
    ("reviews", "Reviews"),
    ("information", "Information items"),
    ("horizon", "Horizon scanning"),
)
SECTION_IDS = tuple(s for s, _ in SECTIONS)
SECTION_TITLES = dict(SECTIONS)

# What an item is for, and the agenda section it goes in by default.
ITEM_KINDS = {
    "proposal": "new",        # DOR-2: the need for a new document
    "draft": "new",           # a new document's draft for decision
    "review": "reviews",      # a reviewed or amended document for decision
    "full_approval": "new",   # DOR-5: a Head of Service's interim approval, for full approval
    "information": "information",  # DOR-5: a Director's approval, for information
    "progress": "progress",
    "horizon": "horizon",
    "other": "horizon",
}
DECISION_KINDS = ("proposal", "draft", "review", "full_approval")


def section_for(kind: str) -> str:
    if kind not in ITEM_KINDS:
        raise NotAllowed(f"'{kind}' is not a kind of agenda item (use {', '.join(ITEM_KINDS)}).")
    return ITEM_KINDS[kind]


def kind_for_case(case_kind: str, purpose: str) -> str:
    """The agenda item kind for a case sent to a meeting (lifecycle AgendaItem purpose)."""
    if purpose == "information":
        return "information"
    if purpose == "full_approval":
        return "full_approval"
    if purpose == "proposal":
        return "proposal"
    return "draft" if case_kind == "new_document" else "review"


@dataclass(frozen=True)
class ItemIn:
    """An item as stored: `key` identifies it, `position` is the chair's order within its section."""

    key: int
    title: str
    kind: str
    section: str
    position: int = 0
    ref: str | None = None
    owner: str | None = None  # name of who presents it
    has_papers: bool = True
    outcome: str | None = None
    outcome_note: str | None = None


@dataclass(frozen=True)
class AgendaLine:
    number: int
    item: ItemIn


@dataclass(frozen=True)
class AgendaSection:
    id: str
    title: str
    lines: tuple[AgendaLine, ...]


@dataclass(frozen=True)
class ActionIn:
    text: str
    owner: str
    due: date | None
    done: bool = False


def order_items(items: Iterable[ItemIn]) -> list[ItemIn]:
    """The standard order (DOR-9): by section, then the chair's position, then when it was added."""
    return sorted(items, key=lambda i: (SECTION_IDS.index(i.section), i.position, i.key))


def build_agenda(items: Iterable[ItemIn]) -> tuple[AgendaSection, ...]:
    """Numbered agenda in the standard form. Item 1 is always the progress report (with the
    outstanding actions); every section is listed even when it has nothing in it yet."""
    ordered = [i for i in order_items(items) if i.section != "progress"]
    n = 1
    sections = []
    progress = AgendaLine(1, ItemIn(0, "Progress report and outstanding actions", "progress", "progress"))
    for sid, title in SECTIONS:
        if sid == "progress":
            sections.append(AgendaSection(sid, title, (progress,)))
            continue
        lines = []
        for item in (i for i in ordered if i.section == sid):
            n += 1
            lines.append(AgendaLine(n, item))
        sections.append(AgendaSection(sid, title, tuple(lines)))
    return tuple(sections)


def numbered(items: Iterable[ItemIn]) -> dict[int, ItemIn]:
    """Agenda number -> item, as the chair sees it (item 1 being the progress report)."""
    return {line.number: line.item for s in build_agenda(items) for line in s.lines if line.item.key}


def item_number(items: Sequence[ItemIn], number: int) -> ItemIn:
    found = numbered(items)
    if number == 1:
        raise NotAllowed("Item 1 is the progress report: it is always on the agenda.")
    if number not in found:
        top = max(found) if found else 1
        raise NotAllowed(f"There is no item {number} on this agenda (items run from 2 to {top})." if found
                         else "This agenda has no items yet besides the progress report.")
    return found[number]


def reorder(items: Sequence[ItemIn], key: int, to_number: int) -> list[ItemIn]:
    """The chair moves an item to another place on the agenda: it takes the section of the item
    now at that number and everything is renumbered. Returns every item with its new position."""
    by_number = numbered(items)
    if not by_number:
        raise NotAllowed("This agenda has no items to reorder.")
    if to_number not in by_number:
        raise NotAllowed(f"Items on this agenda run from 2 to {max(by_number)}.")
    moving = next((i for i in items if i.key == key), None)
    if moving is None:
        raise NotAllowed("That item is not on this agenda.")
    target = by_number[to_number]
    order = [i for i in order_items(items) if i.key != key and i.section != "progress"]
    index = next(n for n, i in enumerate(order) if i.key == target.key)
    current = next(n for n, line in by_number.items() if line.key == key)
    if current < to_number:
        index += 1  # moving down: land after the item now at that number
    order.insert(index, dataclasses.replace(moving, section=target.section))
    out = []
    for sid in SECTION_IDS:
        for pos, item in enumerate(i for i in order if i.section == sid):
            out.append(dataclasses.replace(item, position=pos))
    return out


def outstanding_actions(actions: Iterable[ActionIn]) -> list[ActionIn]:
    return sorted((a for a in actions if not a.done), key=lambda a: (a.due or date.max, a.owner, a.text))
