"""The trigger lexicon (events/data/triggers.yaml): which words carry which events."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from collections.abc import Iterable
from typing import Any

from diurna.errors import LexiconError
from diurna.records import PLOVER_TYPES
from diurna.yaml_data import WORDS, MapOf, Record, Spec, Text, check_parts, package_yaml

WHERE = "diurna/events/data/triggers.yaml"


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
    # Each type's most common CAMEO code among the verbs: the code of an event the
    # learned layer finds without a lexicon entry.
    root_codes: dict[str, str] = field(default_factory=dict)
    # The field's lexicon under ours: PETRARCH-2's CAMEO verbs through the CAMEO→PLOVER
    # crosswalk (data/cameo.yaml, MIT). The learned layer reads it as evidence; a verb
    # listed only there is not a trigger by itself (alone it cost precision on dev).
    base_verbs: dict[str, Trigger] = field(default_factory=dict)


class TriggerText(Spec):
    """An entry's value: "TYPE CAMEO [mode]" ("CONSULT 042 visit")."""
    expected = ("'TYPE CAMEO [mode]': a PLOVER type (" + ", ".join(PLOVER_TYPES) +
                "), a CAMEO code of 2 to 4 digits, and optionally one mode word")

    def check(self, value: Any, where: str) -> None:
        parts = value.split() if isinstance(value, str) else []
        if len(parts) not in (2, 3) or parts[0] not in PLOVER_TYPES or not re.fullmatch(r"\d{2,4}", parts[1]):
            raise self.fail(value, where)


_TRIGGERS = MapOf(Text("a lemma or phrase"), TriggerText())
SCHEMA = Record({"verbs": _TRIGGERS, "nouns": _TRIGGERS, "adjectives": _TRIGGERS,
                 "carried_only": WORDS, "light_verbs": WORDS},
                required=frozenset({"verbs", "nouns", "light_verbs"}))


BASE_WHERE = "diurna/events/data/cameo.yaml"
BASE_SCHEMA = Record({"verbs": _TRIGGERS}, required=frozenset({"verbs"}))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    lexicon = read_lexicon(package_yaml("diurna.events", "data", "triggers.yaml"))
    base = package_yaml("diurna.events", "data", "cameo.yaml")
    check_parts(base, BASE_SCHEMA, BASE_WHERE, LexiconError)
    return replace(lexicon, base_verbs={k: _trigger(v) for k, v in base["verbs"].items()})


def read_lexicon(raw: Any, where: str = WHERE) -> Lexicon:
    """The lexicon of a triggers.yaml document; LexiconError if it does not fit SCHEMA."""
    check_parts(raw, SCHEMA, where, LexiconError)
    verbs = {k: _trigger(v) for k, v in raw["verbs"].items()}
    nouns = {k: _trigger(v) for k, v in raw["nouns"].items()}
    adjectives = {k: _trigger(v) for k, v in raw.get("adjectives", {}).items()}
    return Lexicon(verbs, nouns, adjectives, frozenset(raw.get("carried_only", [])),
                   frozenset(raw["light_verbs"]),
                   frozenset(k.split()[0] for k in verbs), _words_of(nouns), _root_codes({**nouns, **verbs}))


def _root_codes(verbs: dict[str, Trigger]) -> dict[str, str]:
    counts = Counter((t.event, t.cameo) for t in verbs.values())
    codes: dict[str, str] = {}
    for (event, cameo), _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        codes.setdefault(event, cameo)
    return codes


def _trigger(entry: str) -> Trigger:
    parts = entry.split()
    return Trigger(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


def _words_of(keys: Iterable[str]) -> frozenset[str]:
    words: set[str] = set()
    for key in keys:
        key = key.lower()
        words.update(re.split(r"[\s-]+", key))
        first = key.split()[0]
        words.update(first[:k] for k in range(1, len(first)) if first[k].isalnum() != first[k - 1].isalnum())
    return frozenset(words)
