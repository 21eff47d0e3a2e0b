"""Reading our YAML data files with libyaml's loader where PyYAML has it (several
times faster than the pure-Python one; the actor data alone is ~1 MB)."""
from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    return yaml.load(text, Loader=_LOADER)
