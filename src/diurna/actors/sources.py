"""The knowledge base a Coder uses: ours, with the user's actor files on top, in our
YAML format or as PETRARCH/Phoenix dictionaries."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from diurna.actors.kb import KnowledgeBase, builtin_kb, load_yaml_file
from diurna.actors.phoenix import load_phoenix
from diurna.errors import KnowledgeBaseError

PHOENIX_SUFFIXES = (".txt", ".dict")


def load_kb(user_files: Iterable[str | Path] = ()) -> KnowledgeBase:
    kb = builtin_kb()
    for path in user_files:
        load_user_file(kb, Path(path))
    return kb


def load_user_file(kb: KnowledgeBase, path: Path) -> None:
    """A user's YAML (our format) or a PETRARCH/Phoenix .txt dictionary; overrides by alias."""
    if not path.is_file():
        raise KnowledgeBaseError(f"{path}: actor file not found")
    if path.suffix.lower() in PHOENIX_SUFFIXES:
        load_phoenix(kb, path)
    else:
        load_yaml_file(kb, path)
