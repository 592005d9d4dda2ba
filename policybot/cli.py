"""`policybot` command line. Sub-commands live in policybot/commands/, one module each."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from policybot import commands
from bot.settings import SettingsError


# Each sub-command by the module of policybot/commands/ that adds it. A run loads only the modules of
# the command it was given (a backup or a restore starts without the bot's web app and the Bot
# Framework); help, or a command not listed here, loads them all, so argparse lists every command.
# An explicit registry of module names loaded by importlib, as before: a command's module imports
# what it needs at its top, where lint-imports sees it. tests/unit/test_cli_commands.py checks this
# table against what each module's register() adds.
COMMANDS: dict[str, tuple[str, ...]] = {
    "asset": ("register",),
    "audit": ("audit",),
    "backup": ("backup",),
    "chat": ("chat",),
    "db": ("serve",),
    "demo": ("chat",),
    "directory": ("register",),
    "export": ("register",),
    "import": ("register",),
    "mail": ("mail",),
    "manifest": ("manifest",),
    "manual": ("manual",),
    "nudges": ("outbox",),
    "outbox": ("outbox",),
    "owner": ("register",),
    "preset": ("presets",),
    "presets": ("presets",),
    "report": ("register", "understanding"),  # understanding adds its reports to register's `report`
    "restore": ("backup",),
    "scheduler": ("outbox",),
    "serve": ("serve",),
    "status": ("serve",),
    "updates": ("updates",),
}


def command_modules() -> list[str]:
    """Every module of policybot/commands/ (those starting with _ are helpers, not commands)."""
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_"))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for `command`'s own modules only, or for every command when it is None or unknown."""
    parser = argparse.ArgumentParser(prog="policybot", description="Policies and procedures assistant for Teams and email.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS.get(command or "") or command_modules():
        module = importlib.import_module(f"{commands.__name__}.{name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(sub)
    return parser


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # APScheduler logs every beat at INFO; our own scheduler log says what matters.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLogger().level))


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(words[0] if words else None)
    args = parser.parse_args(words)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:
        print(f"policybot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
