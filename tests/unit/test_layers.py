"""The layers of DESIGN.md ("The next shape"), held by import-linter's contracts in .importlinter:
a wrong-way import (services importing store or render, a connector importing a use case,
botbuilder outside bot, SQLAlchemy outside store) fails the suite with the chain that breaks it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    # The venv's lint-imports entry point, run with the same interpreter as the tests; no cache, so
    # what it reads is the code as it is now.
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, "--no-cache", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def test_every_layer_contract_is_kept():
    run = lint_imports()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_a_broken_contract_fails_the_gate(tmp_path):
    # The gate is not a formality: a contract the code breaks (services use governance) is reported
    # as broken, with the import that breaks it, and lint-imports exits non-zero.
    config = tmp_path / "broken.ini"
    config.write_text(
        "[importlinter]\nroot_packages =\n    governance\n    services\n\n"
        "[importlinter:contract:broken]\nname = services must not use governance (false, to prove the gate)\n"
        "type = forbidden\nsource_modules =\n    services.meetings\nforbidden_modules =\n    governance.meetings\n",
        encoding="utf-8")
    run = lint_imports("--config", str(config))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "BROKEN" in run.stdout
    assert "services.meetings.placing -> governance.meetings" in run.stdout
