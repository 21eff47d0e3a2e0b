"""Reading our YAML data files with libyaml's loader where PyYAML has it (several
times faster than the pure-Python one; the actor data alone is ~1 MB).

Dates stay text: the code that reads a field parses it, so that a bad date is reported
with its file, entry and field rather than by the YAML parser with none of them."""
from __future__ import annotations

from typing import Any

import yaml

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()}


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)
