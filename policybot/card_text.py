"""Adaptive Cards as plain text for the terminal chat: readable lines, numbered inputs and buttons.

Pure: a card dict in, a TextCard out.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CardInput:
    id: str
    kind: str  # Input.Text | Input.ChoiceSet | Input.Toggle | Input.Date | Input.Number
    label: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (title, value)
    required: bool = False
    value: str | None = None
    multiline: bool = False


@dataclass
class CardButton:
    title: str
    kind: str  # Action.Submit | Action.Execute | Action.OpenUrl
    data: dict = field(default_factory=dict)
    verb: str | None = None
    url: str | None = None


@dataclass
class TextCard:
    lines: list[str]
    inputs: list[CardInput]
    buttons: list[CardButton]

    def render(self) -> str:
        out = list(self.lines)
        for i, inp in enumerate(self.inputs, 1):
            hint = ""
            if inp.choices:
                hint = " (" + " / ".join(f"{n}={t}" for n, (t, _v) in enumerate(inp.choices, 1)) + ")"
            elif inp.kind == "Input.Toggle":
                hint = " (yes/no)"
            elif inp.kind == "Input.Date":
                hint = " (a date, e.g. 2026-12-01)"
            req = " *" if inp.required else ""
            out.append(f"  <{i}> {inp.label}{req}{hint}")
        for i, b in enumerate(self.buttons, 1):
            extra = f" -> {b.url}" if b.url else ""
            out.append(f"  [{i}] {b.title}{extra}")
        return "\n".join(out)


def _text(node: dict) -> str:
    return str(node.get("text", "")).replace("**", "")


def card_to_text(card: dict) -> TextCard:  # noqa: C901 - a branch per Adaptive Card element type, in one place
    lines: list[str] = []
    inputs: list[CardInput] = []
    buttons: list[CardButton] = []

    def action(a: dict) -> None:
        kind = a.get("type", "")
        if kind == "Action.ShowCard" and isinstance(a.get("card"), dict):
            lines.append(f"({a.get('title', 'More')}:)")
            walk(a["card"].get("body", []))
            for sub in a["card"].get("actions", []):
                action(sub)
            return
        if kind in ("Action.Submit", "Action.Execute", "Action.OpenUrl"):
            given = a.get("data")
            data = given if isinstance(given, dict) else {}
            buttons.append(CardButton(a.get("title", "OK"), kind, dict(data), a.get("verb"), a.get("url")))

    def walk(nodes) -> None:
        for node in nodes or []:
            if not isinstance(node, dict):
                continue
            t = node.get("type")
            if t == "TextBlock":
                text = _text(node)
                lines.append(text.upper() if node.get("weight") == "Bolder" and node.get("size") in ("Medium", "Large") else text)
            elif t == "FactSet":
                lines.extend(f"  {f.get('title', '')}: {f.get('value', '')}" for f in node.get("facts", []))
            elif t == "ColumnSet":
                cells = []
                for col in node.get("columns", []):
                    cells.append(" ".join(_text(i) for i in col.get("items", []) if i.get("type") == "TextBlock"))
                lines.append(" | ".join(c for c in cells if c))
                _select(node, cells[0] if cells else "")
            elif t == "Container":
                before = len(lines)
                walk(node.get("items", []))
                _select(node, lines[before] if len(lines) > before else "")
            elif isinstance(t, str) and t.startswith("Input."):
                choices = [(c.get("title", ""), c.get("value", "")) for c in node.get("choices", [])]
                if t == "Input.Toggle":
                    choices = []
                inputs.append(CardInput(
                    id=node.get("id", f"input{len(inputs) + 1}"), kind=t, label=node.get("label") or node.get("placeholder") or node.get("title") or node.get("id", ""),
                    choices=choices, required=bool(node.get("isRequired")), value=node.get("value"), multiline=bool(node.get("isMultiline")),
                ))
            elif t == "ActionSet":
                for a in node.get("actions", []):
                    action(a)

    def _select(node: dict, title: str) -> None:
        sel = node.get("selectAction")
        if isinstance(sel, dict):
            action({**sel, "title": sel.get("title") or f"Open: {title[:60]}"})

    walk(card.get("body", []))
    for a in card.get("actions", []):
        action(a)
    return TextCard(lines, inputs, buttons)


def input_value(inp: CardInput, answer: str) -> str:
    """Turn what the person typed into the value the card would send; ValueError if unusable."""
    answer = answer.strip()
    if inp.choices:
        if answer.isdigit() and 1 <= int(answer) <= len(inp.choices):
            return inp.choices[int(answer) - 1][1]
        for title, value in inp.choices:
            if answer.lower() in (title.lower(), str(value).lower()):
                return value
        raise ValueError("choose one of the numbers shown")
    if inp.kind == "Input.Toggle":
        if answer.lower() in ("y", "yes", "true", "1"):
            return "true"
        if answer.lower() in ("n", "no", "false", "0", ""):
            return "false"
        raise ValueError("answer yes or no")
    if inp.required and not answer:
        raise ValueError("this one is required")
    return answer
