"""A preset file's YAML, composed with the line of every key (so a fault names its line), and
overrides merged into it."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from governance.errors import PresetError

# ---------------------------------------------------------------- loading


class KeyLines:
    """Remembers the line of every mapping key and list item, by path."""

    def __init__(self) -> None:
        self.by_path: dict[tuple[Any, ...], int] = {}

    def line(self, *path: Any) -> int | None:
        p = tuple(path)
        while p:
            if p in self.by_path:
                return self.by_path[p]
            p = p[:-1]
        return self.by_path.get((), None)


def _plain(node: yaml.Node, path: tuple[Any, ...], lines: KeyLines, loader: yaml.SafeLoader) -> Any:
    lines.by_path.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for k, v in node.value:
            key = k.value
            lines.by_path[path + (key,)] = k.start_mark.line + 1
            out[key] = _plain(v, path + (key,), lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, path + (i,), lines, loader) for i, v in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def compose_yaml(text: str, filename: str) -> tuple[Any, KeyLines]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PresetError(filename, mark.line + 1 if mark else None, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    lines = KeyLines()
    if node is None:
        raise PresetError(filename, 1, "the file is empty")
    loader = yaml.SafeLoader("")
    try:
        return _plain(node, (), lines, loader), lines
    finally:
        loader.dispose()


def merge_raw(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, Mapping):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge_raw(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)
