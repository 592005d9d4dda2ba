"""Reads the phrase bank and scores the recogniser on it the way a person meets it: did this
message reach the right command, the question path, a definition or a friendly reply?"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from dialogs.recogniser import Recogniser
from governance import glossary

HERE = Path(__file__).parent
ALIASES = {"find": "question"}  # asking to find something is the question path


def load(name: str) -> list[tuple[str, str]]:
    """(expected, text): the key is the expected outcome, or an item says it ({expect, text})."""
    data = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))
    out = []
    for label, texts in data.items():
        for item in texts:
            if isinstance(item, dict):
                out.append((ALIASES.get(item["expect"], item["expect"]), str(item["text"])))
            else:
                out.append((ALIASES.get(label, label), str(item)))
    return out


def sections(name: str) -> dict[str, list]:
    return yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))


def outcome(recogniser: Recogniser, preset, text: str) -> str:
    if glossary.is_question(text) and glossary.answer(preset, text) is not None:
        return "define"  # as the router: a definition asked for is answered first
    r = recogniser.read(text)
    if r.kind in ("act", "confirm") and r.command is not None:
        cid = r.command.id
        if cid.startswith("decide."):
            cid = ".".join(cid.split(".")[:2])
        if cid == "define":
            return "define" if glossary.answer(preset, text) else "question"
        return cid
    if r.kind == "question":
        return "define" if glossary.answer(preset, text) else "question"
    if r.kind == "choose":
        return "choose:" + "/".join(c.command.id for c in r.candidates)
    return r.kind


def score(recogniser: Recogniser, preset, bank: list[tuple[str, str]]):
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for label, text in bank:
        got = outcome(recogniser, preset, text)
        per[label][1] += 1
        if got == label:
            per[label][0] += 1
        else:
            misses.append((label, got, text))
    right = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    return right / total, {k: v[0] / v[1] for k, v in per.items()}, per, misses


def table(per) -> str:
    return "\n".join(f"  {k:34} {v[0]:3}/{v[1]:<3} {v[0] / v[1]:.0%}" for k, v in sorted(per.items()))
