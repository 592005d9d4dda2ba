"""The command line loads only the module of the command it runs (policybot/cli.py's COMMANDS):
the table must name, for every sub-command, exactly the modules whose register() adds it, or a
command would vanish or lose its options when run on its own."""

from __future__ import annotations

import argparse
import importlib

from policybot import cli


def _added_by(module_name: str) -> set[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    module = importlib.import_module(f"policybot.commands.{module_name}")
    register = getattr(module, "register", None)
    if callable(register):
        register(sub)
    return set(sub.choices)


def test_the_command_table_names_each_commands_own_modules():
    owners: dict[str, list[str]] = {}
    for name in cli.command_modules():
        for command in _added_by(name):
            owners.setdefault(command, []).append(name)
    assert {command: tuple(names) for command, names in owners.items()} == cli.COMMANDS


def test_a_command_parsed_on_its_own_reads_as_with_every_command():
    for words in (["backup", "x.backup"], ["report", "demand", "--days", "7"], ["report", "--detail"],
                  ["scheduler", "--tick", "0.2"], ["audit", "trail", "case", "1"]):
        alone, every = cli.build_parser(words[0]).parse_args(words), cli.build_parser().parse_args(words)
        assert {k: v for k, v in vars(alone).items() if k != "func"} == {k: v for k, v in vars(every).items() if k != "func"}
        assert alone.func.__module__ == every.func.__module__ and alone.func.__qualname__ == every.func.__qualname__


def test_help_and_unknown_commands_still_list_every_command(capsys):
    assert cli.main([]) == 2
    listed = capsys.readouterr().out
    for command in cli.COMMANDS:
        assert command in listed
