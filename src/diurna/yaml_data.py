"""Reading our YAML data files, and checking them against a schema.

Reading uses libyaml's loader where PyYAML has it (several times faster than the
pure-Python one; the actor data alone is ~1 MB). Dates stay text: the code that reads
a field parses it, so that a bad date is reported with its file, entry and field rather
than by the YAML parser with none of them.

Checking: each file's schema is written in code beside its loader, in the small
vocabulary below (Text, Flag, Day, Choice, ListOf, Either, Record, MapOf). A value that
does not fit raises Invalid, naming the field ("roles[2].start": items count from 1,
as entries do) and saying what is allowed; the loader adds the file and the entry and
raises its own error (KnowledgeBaseError, LexiconError). No schema library: the files
need only these few shapes, and the messages are the point.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any, Callable, Iterable, Mapping

import yaml

from diurna.errors import DiurnaError

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()}


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def package_yaml(package: str, *path: str) -> Any:
    """A YAML file shipped inside a package (``package_yaml("diurna.events", "data", "words.yaml")``)."""
    resource = resources.files(package).joinpath(*path)
    return load_yaml(resource.read_text(encoding="utf-8"))


# -- schemas ----------------------------------------------------------------------------
class Invalid(DiurnaError):
    """A value that does not fit its schema: which field, what is wrong, what is allowed."""

    def __init__(self, field: str, problem: str):
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}" if field else problem)


def _show(value: Any) -> str:
    """A value as a message shows it, with a hint where YAML's typing is the surprise."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/on/off/true/false as a boolean: quote the word)"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


class Spec:
    """A schema: ``check`` raises Invalid unless a value fits; ``expected`` says what fits."""
    expected: str = "a value"

    def check(self, value: Any, where: str) -> None:
        raise NotImplementedError

    def fail(self, value: Any, where: str) -> Invalid:
        return Invalid(where, f"got {_show(value)}; expected {self.expected}")


@dataclass(frozen=True)
class Text(Spec):
    expected: str = "a non-empty string"

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(value, where)


@dataclass(frozen=True)
class Flag(Spec):
    expected: str = "true or false"

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, bool):
            raise self.fail(value, where)


@dataclass(frozen=True)
class Day(Spec):
    expected: str = "a date in YYYY-MM-DD form"

    def check(self, value: Any, where: str) -> None:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(value, where) from None


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed set of values; None in the set allows null."""
    values: frozenset

    @property
    def expected(self) -> str:     # type: ignore[override]
        named = sorted(v for v in self.values if v is not None)
        return "one of " + ", ".join(named) + (" or null" if None in self.values else "")

    def check(self, value: Any, where: str) -> None:
        if isinstance(value, (dict, list)) or value not in self.values:
            raise self.fail(value, where)


@dataclass(frozen=True)
class Nullable(Spec):
    inner: Spec

    @property
    def expected(self) -> str:     # type: ignore[override]
        return f"{self.inner.expected} or null"

    def check(self, value: Any, where: str) -> None:
        if value is not None:
            self.inner.check(value, where)


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec

    @property
    def expected(self) -> str:     # type: ignore[override]
        return f"a list, each item {self.item.expected}"

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise self.fail(value, where)
        for number, item in enumerate(value, start=1):
            self.item.check(item, f"{where}[{number}]")


@dataclass(frozen=True)
class Either(Spec):
    """The first of several shapes that fits ("capital: Seoul" or "capital: [Bern, Berne]")."""
    options: tuple[Spec, ...]

    @property
    def expected(self) -> str:     # type: ignore[override]
        return " or ".join(o.expected for o in self.options)

    def check(self, value: Any, where: str) -> None:
        for option in self.options:
            try:
                option.check(value, where)
                return
            except Invalid:
                continue
        raise self.fail(value, where)


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with known keys; a key not listed is an error (most often a misspelling)."""
    fields: Mapping[str, Spec]
    required: frozenset[str] = field(default_factory=frozenset)

    @property
    def expected(self) -> str:     # type: ignore[override]
        return "a mapping with keys " + ", ".join(self.fields)

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(value, where)
        for key, item in value.items():
            spec = self.fields.get(key) if isinstance(key, str) else None
            if spec is None:
                raise Invalid(_join(where, str(key)), "unknown key; allowed keys: " + ", ".join(self.fields))
            spec.check(item, _join(where, key))
        for key in self.fields:        # in the schema's order, so the message is stable
            if key in self.required and key not in value:
                raise Invalid(_join(where, key), f"missing; required: {self.fields[key].expected}")


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping whose keys are data ("meet: CONSULT 040"), each key and value checked."""
    key: Spec
    value: Spec

    @property
    def expected(self) -> str:     # type: ignore[override]
        return f"a mapping from {self.key.expected} to {self.value.expected}"

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(value, where)
        for key, item in value.items():
            self.key.check(key, _join(where, str(key)))
            self.value.check(item, _join(where, str(key)))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


# -- checking a file's entries ----------------------------------------------------------
def check_entries(items: Iterable[Any], spec: Spec, where: str, error: type[DiurnaError],
                  label: str = "entry", name: Callable[[Any], Any] | None = None) -> None:
    """Check each entry of a list; the error names the file, the entry (number and
    name) and the field."""
    for number, item in enumerate(items, start=1):
        try:
            spec.check(item, "")
        except Invalid as exc:
            raise error(f"{where}: {entry_label(number, item, label, name)}: {exc}") from None


def entry_label(number: int, item: Any, label: str = "entry",
                name: Callable[[Any], Any] | None = None) -> str:
    """'entry 3 (Algeria)': the number counts from 1; the name is the entry's own."""
    shown = name(item) if name else (item.get("name") or item.get("code")) if isinstance(item, dict) else None
    return f"{label} {number} ({shown})" if shown else f"{label} {number}"


def check_parts(document: Any, record: Record, where: str, error: type[DiurnaError]) -> None:
    """Check a document that is a mapping of named parts (words.yaml: one list per key;
    triggers.yaml: one section per key). Each part is an entry, numbered in file order;
    in a part that maps words to values (a MapOf: "meet: CONSULT 040"), each of its
    keys is an entry of that part."""
    if not isinstance(document, dict):
        raise error(f"{where}: {record.fail(document, '').problem}")
    for number, (key, value) in enumerate(document.items(), start=1):
        spec = record.fields.get(key) if isinstance(key, str) else None
        if spec is None:
            raise error(f"{where}: entry {number} ({key}): unknown key; allowed keys: "
                        + ", ".join(record.fields))
        if isinstance(spec, MapOf) and isinstance(value, dict):
            for inner, (word, item) in enumerate(value.items(), start=1):
                context = f"{where}: {key} entry {inner} ({word})"
                _check(spec.key, word, f"{key}.{word}", context, error)
                _check(spec.value, item, f"{key}.{word}", context, error)
        else:
            _check(spec, value, key, f"{where}: entry {number} ({key})", error)
    missing = [key for key in record.fields if key in record.required and key not in document]
    if missing:
        raise error(f"{where}: {missing[0]}: missing; required: {record.fields[missing[0]].expected}")


def _check(spec: Spec, value: Any, field_name: str, context: str, error: type[DiurnaError]) -> None:
    try:
        spec.check(value, field_name)
    except Invalid as exc:
        raise error(f"{context}: {exc}") from None


# A word list: what most of words.yaml holds.
WORDS = ListOf(Text("a word (a non-empty string)"))


def word_lists(names: Iterable[str], **special: Spec) -> Record:
    """The schema of a words.yaml: every name a required word list, unless given
    another shape in ``special``."""
    fields = {name: special.get(name, WORDS) for name in names}
    return Record(fields, frozenset(fields))
