"""Presets: an organisation's governance process as a data file a policy officer can read.

`load_preset("nct")` reads governance/presets/nct.yaml, applies the organisation's
overrides, and validates it; any fault raises PresetError naming the file and line.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Mapping
from importlib import resources

import yaml

from governance.errors import PresetError
from governance.preset_model import (
    BODY_REPORTS,
    BUILTIN_ROLES,
    CASE_KINDS,
    COMMON_FILE,
    DECISIONS,
    DIGESTS,
    PRESET_PACKAGE,
    STAGE_KINDS,
    Alternative,
    Body,
    DocType,
    Preset,
    RoleDef,
    Route,
    Stage,
    UpdateCycle,
)
from governance.preset_reader import PresetBuilder
from governance.preset_writer import dump_preset, preset_to_raw
from governance.preset_yaml import KeyLines, compose_yaml, merge_raw

__all__ = [  # the names this module has always offered, wherever they are defined now
    "Alternative", "BODY_REPORTS", "BUILTIN_ROLES", "Body", "CASE_KINDS", "COMMON_FILE", "DECISIONS", "DIGESTS",
    "DocType", "KeyLines", "PRESET_PACKAGE", "Preset", "PresetBuilder", "RoleDef", "Route", "STAGE_KINDS",
    "Stage", "UpdateCycle", "compose_yaml", "dump_preset", "list_presets", "load_preset", "load_preset_text",
    "merge_raw", "preset_to_raw",
]


def load_preset_text(text: str, filename: str, overrides: Mapping[str, Any] | None = None, common: str | None = None) -> Preset:
    raw, lines = compose_yaml(text, filename)
    if common is not None:
        common_raw, _ = compose_yaml(common, COMMON_FILE)
        if isinstance(raw, dict) and isinstance(common_raw, dict):
            merged = dict(common_raw)
            for k, v in raw.items():
                merged[k] = merge_raw(common_raw[k], v) if k in common_raw and isinstance(v, dict) else v
            raw = merged
    if overrides:
        raw = merge_raw(raw, overrides)
    return PresetBuilder(raw, lines, filename).build()


def _preset_files() -> dict[str, str]:
    """name.yaml -> text, for every preset file shipped in the package."""
    root = resources.files(PRESET_PACKAGE)
    return {f.name: f.read_text(encoding="utf-8") for f in root.iterdir() if f.name.endswith(".yaml")}


def _common_text() -> str:
    return _preset_files()[COMMON_FILE]


def load_preset(key: str, overrides: Mapping[str, Any] | None = None) -> Preset:
    files = _preset_files()
    name = f"{key}.yaml"
    if key == "common" or name not in files:
        known = ", ".join(k for k, _ in list_presets())
        raise PresetError(name, None, f"there is no preset called '{key}' (presets: {known})")
    return load_preset_text(files[name], name, overrides, common=files[COMMON_FILE])


def list_presets() -> list[tuple[str, str]]:
    out = []
    for name, text in sorted(_preset_files().items()):
        if name == COMMON_FILE:
            continue
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            data = {}
        key = name[: -len(".yaml")]
        out.append((key, data.get("name", key) if isinstance(data, dict) else key))
    return out
