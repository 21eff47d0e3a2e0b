"""The trigger lexicon (events/data/triggers.yaml): which words carry which events."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


from diurna.records import PLOVER_TYPES
from diurna.yaml_data import load_yaml


@dataclass(frozen=True)
class Trigger:
    event: str
    cameo: str
    mode: str | None = None


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Trigger]
    nouns: dict[str, Trigger]
    adjectives: dict[str, Trigger]
    carried_only: frozenset[str]
    light_verbs: frozenset[str]
    # First words of multi-word keys, so a token is checked cheaply.
    verb_heads: frozenset[str]
    # Every word a noun key holds (and the token-like prefixes of its first word):
    # a noun that is none of these heads no key.
    noun_words: frozenset[str] = frozenset()


def _parse(entry: str, key: str) -> Trigger:
    parts = str(entry).split()
    if len(parts) not in (2, 3) or parts[0] not in PLOVER_TYPES:
        raise ValueError(f"triggers.yaml: bad entry {key!r}: {entry!r}")
    return Trigger(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = load_yaml((resources.files("diurna.events") / "data" / "triggers.yaml")
                         .read_text(encoding="utf-8"))
    verbs = {k: _parse(v, k) for k, v in raw["verbs"].items()}
    nouns = {k: _parse(v, k) for k, v in raw["nouns"].items()}
    adjectives = {k: _parse(v, k) for k, v in raw.get("adjectives", {}).items()}
    return Lexicon(verbs, nouns, adjectives, frozenset(raw.get("carried_only", [])),
                   frozenset(raw["light_verbs"]),
                   frozenset(k.split()[0] for k in verbs), _words_of(nouns))


def _words_of(keys) -> frozenset[str]:
    words: set[str] = set()
    for key in keys:
        key = key.lower()
        words.update(re.split(r"[\s-]+", key))
        first = key.split()[0]
        words.update(first[:k] for k in range(1, len(first)) if first[k].isalnum() != first[k - 1].isalnum())
    return frozenset(words)
