"""Definitions anywhere (MA-1, MA-2): "what's a pathway?", "what does SLT stand for?", "is a protocol
just a policy with partners?", a strategy document told apart from a strategy meeting.

The glossary of a preset is its own roles, decision bodies and document types (from the preset),
the shared terms in governance/glossary/common.yaml, and the preset's own file
governance/glossary/<key>.yaml. Pure: the files are read once per preset key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FOLDER = "glossary"  # package data beside this module, read through importlib.resources like the presets

_FILLER = frozenset(
    ["a", "an", "the", "is", "are", "was", "what", "whats", "does", "do", "did", "stand", "stands", "for", "mean", "means", "meaning", "of", "define", "definition", "explain", "who", "whos", "between", "and", "difference", "differences", "differ", "rather", "than", "versus", "vs", "just", "same", "as", "not", "in", "with", "it", "this", "that", "i", "me", "we", "please", "tell", "about", "goes", "go", "exactly", "actually", "kind", "type", "sort", "our", "your", "us", "here", "again", "really", "thing", "term", "word", "acronym", "abbreviation", "short", "how", "s", "or", "when", "by", "to", "one", "really", "sorry", "again", "so", "basically", "um", "ok", "then", "quick", "question", "remind", "tell"])
_CUE = re.compile(r"\b(what|whats|who|whos|define|meaning|mean|means|explain|stand for|stands for|difference|differ|rather than|"
                  r"versus|vs|just a|same as|not the same)\b|\?$")
_DIFFERENCE = re.compile(r"\b(difference|differ|rather than|versus|vs|just an?|same as|not the same|or)\b")


@dataclass(frozen=True)
class Entry:
    name: str  # as shown
    meaning: str
    names: tuple[str, ...]  # every way of saying it, lower case


@dataclass(frozen=True)
class Answer:
    term: str
    meaning: str
    compared: tuple[str, ...] = ()  # for a difference: the terms compared


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]
    differences: tuple[tuple[frozenset[str], str], ...]  # ({two entry names, lower case}, answer)
    index: tuple[tuple[str, Entry], ...]  # (a way of saying it, entry), longest first


def _read(name: str) -> dict[str, Any]:
    path = resources.files("governance").joinpath(FOLDER, f"{name}.yaml")
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def _plain(text: str) -> str:
    text = (text or "").lower().replace("\u2019", "'").replace("'s", "").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9.]+", text.replace(".", " ").replace("-", " ")))


def _plural(name: str) -> tuple[str, ...]:
    if name.endswith("y") and not name.endswith(("ay", "ey", "oy")):
        return (name, name[:-1] + "ies")
    return (name, name + "s") if not name.endswith("s") else (name,)


@lru_cache(maxsize=16)
def _files(key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    return _read("common"), _read(key)


def build(preset: Any) -> Glossary:
    """The glossary of one preset (any object with key, roles, bodies and document_types)."""
    return _build(preset.key, _preset_entries(preset))


def _preset_entries(preset: Any) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for t in preset.document_types.values():
        described = (t.description or "").strip()
        meaning = f"a {t.label} is {described[:1].lower() + described[1:]}" if described else f"a {t.label}, a type of document here."
        out.append((t.label, meaning, (t.label.lower(), t.id.replace("_", " "))))
    bodies = preset.bodies
    for b in bodies.values():
        higher = bodies.get(b.higher_body).name if b.higher_body and b.higher_body in bodies else None
        meaning = f"the {b.name}, a decision body here" + (f"; it can refer documents to the {higher}." if higher else ".")
        out.append((b.name, meaning, (b.name.lower(), b.id.replace("_", " "), *(a.lower() for a in b.aliases))))
    for r in preset.roles.values():
        label = r.label
        out.append((label[:1].upper() + label[1:], f"the {label}, a role here.", (label.lower(), r.id.replace("_", " "))))
    return tuple(out)


@lru_cache(maxsize=16)
def _build(key: str, from_preset: tuple[tuple[str, str, tuple[str, ...]], ...]) -> Glossary:
    common, own = _files(key)
    entries: dict[str, Entry] = {}
    for name, meaning, names in from_preset:
        entries[name.lower()] = Entry(name, meaning, tuple(dict.fromkeys(n for x in names for n in _plural(_plain(x)))))
    for source in (common, own):
        for name, spec in (source.get("terms") or {}).items():
            spec = spec or {}
            spelt = [str(name), *(str(a) for a in spec.get("also") or [])]
            plain = tuple(dict.fromkeys(n for x in spelt for n in _plural(_plain(x))))
            known = next((e for e in entries.values() if set(e.names) & set(plain)), None)
            if known is not None and source is common:
                # the preset's own wording of a role or type comes first; the shared meaning adds to it
                entries[known.name.lower()] = Entry(known.name, str(spec.get("meaning", known.meaning)),
                                                    tuple(dict.fromkeys(known.names + plain)))
                continue
            entries[str(name).lower()] = Entry(str(name), str(spec.get("meaning", "")), plain)
    diffs = []
    for source in (common, own):
        for d in source.get("differences") or []:
            diffs.append((frozenset(_plain(x) for x in d.get("between", [])), " ".join(str(d.get("answer", "")).split())))
    index = sorted(((n, e) for e in entries.values() for n in e.names if n), key=lambda p: -len(p[0]))
    return Glossary(tuple(entries.values()), tuple(diffs), tuple(index))


def _found(g: Glossary, text: str) -> list[tuple[int, str, Entry]]:
    """The entries named in the text, longest names first, not overlapping: (position, name said, entry)."""
    taken: list[tuple[int, int]] = []
    out = []
    padded = f" {text} "
    for name, entry in g.index:
        start = 0
        while True:
            i = padded.find(f" {name} ", start)
            if i < 0:
                break
            span = (i, i + len(name) + 1)
            if not any(a < span[1] and span[0] < b for a, b in taken):
                taken.append(span)
                out.append((i, name, entry))
            start = i + 1
    out.sort()
    return out


def is_question(text: str) -> bool:
    said = (text or "").strip().lower()
    return said.endswith("?") or bool(re.match(r"^(what|whats|what's|who|how|why|is|are|does|do|define|explain|meaning)\b", said))


def answer(preset: Any, text: str) -> Answer | None:
    """The definition asked for, or None when the text is not asking what a term means."""
    raw = (text or "").strip()
    if not raw or len(raw) > 300:
        return None
    said = _plain(raw)
    if not _CUE.search(said) and not raw.endswith("?"):
        return None
    g = build(preset)
    found = _found(g, said)
    if not found:
        return None
    names = {n for _, n, _ in found}
    leftover = [w for w in said.split() if w not in _FILLER and not any(w in n.split() for n in names)]
    entries = list(dict.fromkeys(e for _, _, e in found))
    if len(entries) >= 2 and _DIFFERENCE.search(said) and len(leftover) <= 3:
        first, second = entries[0], entries[1]
        for pair, text_ in g.differences:
            if _matches(pair, first) and _matches(pair, second):
                return Answer(first.name, text_, (first.name, second.name))
        return Answer(first.name, f"{_sentence(first)} {_sentence(second)}", (first.name, second.name))
    if leftover:
        return None
    entry = max(entries, key=lambda e: max(len(n) for n in e.names if f" {n} " in f" {said} ") if e.names else 0)
    return Answer(entry.name, _sentence(entry))


def _matches(pair: frozenset[str], entry: Entry) -> bool:
    return any(n in pair for n in entry.names)


def _sentence(entry: Entry) -> str:
    meaning = entry.meaning.strip()
    if meaning.lower().startswith(("a ", "an ", "the ")) and not meaning.lower().startswith(f"a {entry.name.lower()} is") or not meaning.lower().startswith(("a ", "an ")):
        meaning = f"{entry.name}: {meaning}"
    meaning = meaning[:1].upper() + meaning[1:]
    return meaning if meaning.endswith(".") else meaning + "."
