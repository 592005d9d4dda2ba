"""The organisation's governance process: the preset its settings choose, with its overrides.

Overrides live in a YAML file named by POLICYBOT_PRESET_OVERRIDES, e.g.

    bodies:
      ppp_group:
        name: Children's Policy Group
        meetings: {rule: "FREQ=MONTHLY;BYDAY=+1WE", from: 2027-01-01}
    document_types:
      procedure: {review_months: 18}
    reviews:
      reminder_offsets_days: [28, 14, 3]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from governance.errors import PresetError
from governance.preset import Preset, load_preset
from bot.settings import Settings


def read_overrides(path: str) -> dict:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PresetError(p.name, None, f"the overrides file could not be read ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PresetError(p.name, mark.line + 1 if mark else None, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise PresetError(p.name, 1, "the overrides must be a mapping (key: value lines)")
    return data


@lru_cache(maxsize=16)
def _cached(key: str, overrides_path: str, mtime: float) -> Preset:
    overrides = read_overrides(overrides_path) if overrides_path else None
    try:
        return load_preset(key, overrides)
    except PresetError as exc:
        if overrides_path and exc.line is None:
            raise
        if overrides_path:
            raise PresetError(exc.file, exc.line, f"{exc.fault} (after applying {Path(overrides_path).name})") from None
        raise


def organisation_preset(settings: Settings) -> Preset:
    path = settings.extra.get("POLICYBOT_PRESET_OVERRIDES", "")
    mtime = Path(path).stat().st_mtime if path and Path(path).exists() else 0.0
    return _cached(settings.preset, path, mtime)
