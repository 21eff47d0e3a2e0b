"""The README and docs/ describe every command and option the CLI has (as sqlite-utils
keeps its docs whole): a new option without a word about it fails here."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from diurna.cli.main import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_is_registered_and_documented():
    assert list(commands()) == list(COMMANDS)
    missing = [name for name in COMMANDS if f"diurna {name}" not in DOCS]
    assert not missing, f"commands not in README.md or docs/: {missing}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_documented_and_explained(command):
    parser = commands()[command]
    options = [o for a in parser._actions for o in a.option_strings if o not in ("-h", "--help")]
    assert not [o for o in options if o not in DOCS], f"diurna {command}: options not in README.md or docs/"
    unexplained = [a.option_strings[0] for a in parser._actions
                   if a.option_strings and a.help is None and a.option_strings[0] not in ("-h", "--help")]
    assert not unexplained, f"diurna {command}: options without help text: {unexplained}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_shows_its_default_in_help(command):
    """`diurna COMMAND --help` names each option's real default value (not just the word)."""
    parser = commands()[command]
    formatter = parser._get_formatter()
    wrong = []
    for action in parser._actions:
        default = action.default
        if not action.option_strings or default in (None, [], argparse.SUPPRESS) or default is False:
            continue
        shown = formatter._expand_help(action)
        value = f"{default:g}" if isinstance(default, float) else str(default)
        if "default" not in shown or value not in shown:
            wrong.append(f"{action.option_strings[0]}: default {default!r}, help {shown!r}")
    assert not wrong, f"diurna {command}: help without its default: {wrong}"
