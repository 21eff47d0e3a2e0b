"""``CoderSpec``: the options a Coder is built from. Light to import (no spaCy), so a
parallel run's driver can hold one and send it to its workers."""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from diurna.errors import KnowledgeBaseError, LexiconError
from diurna.settings import TRIGGER_MODEL_FILE

if TYPE_CHECKING:
    from diurna.events.coder import Coder


@dataclass(frozen=True)
class CoderSpec:
    """The options a Coder is built from, in one place for every command (code, eval,
    watch, serve --enable-code) and every worker. Actor files travel as contents, since
    a worker on another host cannot read the driver's paths."""
    model: str
    actor_files: tuple[tuple[str, bytes], ...] = ()
    fast: bool = True
    entities: str = "rules"
    # the learned trigger layer: None is the shipped model, ("none", b"") rules only,
    # else a trained model's file name and contents
    trigger_model: tuple[str, bytes] | None = None

    @classmethod
    def from_paths(cls, model: str, paths: Iterable[str] = (), fast: bool = True,
                   entities: str = "rules", trigger_model: str | None = None) -> "CoderSpec":
        files = []
        for path in map(Path, paths):
            if not path.is_file():
                raise KnowledgeBaseError(f"{path}: actor file not found")
            files.append((str(path), path.read_bytes()))
        return cls(model, tuple(files), fast, entities, _model_contents(trigger_model))

    def build(self) -> "Coder":
        """The Coder these options describe."""
        paths = [self._local_copy(n, name, data) for n, (name, data) in enumerate(self.actor_files)]
        from diurna.events.coder import Coder   # spaCy: only where a Coder is built, never in a driver

        learned = self.trigger_model is None or self.trigger_model[0] != "none"
        model_path = self._local_copy(99, *self.trigger_model) if learned and self.trigger_model else None
        return Coder(model=self.model, actor_files=paths, fast=self.fast, entities=self.entities,
                     learned=learned, trigger_model=model_path)

    @staticmethod
    def _local_copy(n: int, name: str, data: bytes) -> str:
        """The user's own file where it is readable here and unchanged (so that errors
        name it), else a private copy of its contents (a worker on another host)."""
        path = Path(name)
        if path.is_file() and path.read_bytes() == data:
            return name
        folder = Path(tempfile.mkdtemp(prefix="diurna-actors-"))
        copy = folder / f"{n:02d}-{path.name}"
        copy.write_bytes(data)
        return str(copy)

    @property
    def key(self) -> str:
        digest = hashlib.sha1(f"{self.model}\x1f{self.fast}\x1f{self.entities}".encode())
        if self.trigger_model is not None:
            digest.update(b"\x1emodel" + self.trigger_model[0].encode() + b"\x1f" + self.trigger_model[1])
        for name, data in self.actor_files:
            digest.update(name.encode() + b"\x1f" + data)
        return digest.hexdigest()


def _model_contents(path: str | None) -> tuple[str, bytes] | None:
    """A trained trigger model given by path, read here so that it travels to workers."""
    if path is None or path == "none":
        return None if path is None else ("none", b"")
    file = Path(path) / TRIGGER_MODEL_FILE if Path(path).is_dir() else Path(path)
    if not file.is_file():
        raise LexiconError(f"{file}: trigger model not found; give the folder `diurna train --out` "
                                 "wrote, or `none` for rules only")
    return str(file), file.read_bytes()
