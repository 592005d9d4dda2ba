"""The architecture's boundaries, kept by walking every import (DESIGN.md)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["bot", "dialogs", "store", "services", "governance", "scheduler", "connectors", "policybot", "render", "bench", "manifest"]
IO_STDLIB = {"socket", "http", "urllib", "sqlite3", "subprocess", "asyncio", "smtplib", "ftplib", "ssl", "select",
             "requests", "aiohttp", "os", "shutil", "tempfile", "io", "pathlib", "time"}
GOVERNANCE_ALLOWED_THIRD_PARTY = {"holidays", "dateutil", "dateparser", "yaml"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _files(pkg: str):
    return sorted((ROOT / pkg).rglob("*.py"))


def test_botbuilder_stays_inside_bot_and_dialogs():
    offenders = [str(f.relative_to(ROOT)) for pkg in PACKAGES if pkg not in ("bot", "dialogs") for f in _files(pkg)
                 if _imports(f) & {"botbuilder", "botframework"}]
    assert offenders == []


def test_sqlalchemy_stays_inside_store():
    offenders = [str(f.relative_to(ROOT)) for pkg in PACKAGES if pkg != "store" for f in _files(pkg)
                 if _imports(f) & {"sqlalchemy", "alembic", "asyncpg", "aiosqlite"}]
    assert offenders == []


def test_governance_is_pure():
    stdlib = set(sys.stdlib_module_names)
    for f in _files("governance"):
        for name in _imports(f):
            if name == "governance" or name == "__future__":
                continue
            assert name not in IO_STDLIB, f"{f.name} imports {name}"
            assert name in stdlib or name in GOVERNANCE_ALLOWED_THIRD_PARTY, f"{f.name} imports {name}"


def test_the_checks_above_see_real_files():
    assert len(_files("governance")) >= 5 and len(_files("bot")) >= 5
    assert "botbuilder" in _imports(ROOT / "bot" / "handler.py")
