"""Commands defined outside cli.py. Each module listed here has ``register(subparsers)``."""
from __future__ import annotations

from importlib import import_module

COMMAND_MODULES: list[str] = [
    "diurna.analysis_cli",
    "diurna.serve_cli",
    "diurna.watch_cli",
]


def registrars():
    for name in COMMAND_MODULES:
        yield import_module(name).register


def run_top_actors(args) -> int:
    """`diurna actors` (without lookup): the most active actors; provided by the analysis module."""
    module = import_module("diurna.analysis_cli")
    return module.run_top_actors(args)
