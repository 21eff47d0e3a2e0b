"""English words shared by the language layer and the rules above it (pronouns,
honorifics, organisation words), from nlp/data/words.yaml: read and checked once
per process, when this module is first imported."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from diurna.errors import LexiconError
from diurna.yaml_data import check_parts, package_yaml, word_lists

WHERE = "diurna/nlp/data/words.yaml"


@dataclass(frozen=True)
class EnglishWords:
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    speaker_pronouns: frozenset[str]
    honorifics: frozenset[str]
    organisation_words: frozenset[str]
    aggression: frozenset[str]


SCHEMA = word_lists(f.name for f in fields(EnglishWords))


def read_english_words(document: Any, where: str = WHERE) -> EnglishWords:
    """The word lists of a words.yaml document; LexiconError if it does not fit SCHEMA."""
    check_parts(document, SCHEMA, where, LexiconError)
    return EnglishWords(**{name: frozenset(words) for name, words in document.items()})


WORDS = read_english_words(package_yaml("diurna.nlp", "data", "words.yaml"))
