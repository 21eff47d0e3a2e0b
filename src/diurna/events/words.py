"""The vocabulary of the event rules, from events/data/words.yaml: read and checked
once per process, when this module is first imported. Each field is one list of the
file (its comments there say what the list is for); the rules bind the ones they use
to module constants (``WEAPONS = WORDS.weapons``)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any, Mapping

from diurna.errors import LexiconError
from diurna.records import PLOVER_TYPES
from diurna.yaml_data import WORDS as WORD_LIST, Choice, MapOf, check_parts, package_yaml, word_lists

WHERE = "diurna/events/data/words.yaml"


@dataclass(frozen=True)
class EventWords:
    # candidates: which words carry an event
    background_preps: frozenset[str]
    protecting: frozenset[str]
    occurrence_verbs: frozenset[str]
    background_marks: frozenset[str]
    enabling: frozenset[str]
    content_preps: frozenset[str]
    dispatch_verbs: frozenset[str]
    envoys: frozenset[str]
    forces: frozenset[str]
    joint_markers: frozenset[str]
    firing_verbs: frozenset[str]
    weapons: frozenset[str]
    aiming_preps: frozenset[str]
    intercept_verbs: frozenset[str]
    time_limits: frozenset[str]
    stop_verbs: frozenset[str]
    hostilities: frozenset[str]
    asking_verbs: frozenset[str]
    reducing_verbs: frozenset[str]
    truces: frozenset[str]
    truce_breaking: frozenset[str]
    labour_strike: frozenset[str]
    strike_protest_verbs: frozenset[str]
    strikers: frozenset[str]
    backing: frozenset[str]
    moods: frozenset[str]
    statement_objects: frozenset[str]
    messages: frozenset[str]
    withdrawn_from: frozenset[str]
    shared_goods: frozenset[str]
    pacts: frozenset[str]
    suffer_verbs: frozenset[str]
    penalties: frozenset[str]
    future_modals: frozenset[str]
    questioning: frozenset[str]
    wanting: frozenset[str]
    crowd_verbs: frozenset[str]
    crowds: frozenset[str]
    claiming: frozenset[str]
    demonstrators: frozenset[str]
    # arguments and participants: who did it, to whom
    recipient_preps: Mapping[str, frozenset[str]]
    side_nouns: frozenset[str]
    group_nouns: frozenset[str]
    both: frozenset[str]
    topic_object_verbs: frozenset[str]
    addressing_verbs: frozenset[str]
    repression: frozenset[str]
    custody_release: frozenset[str]
    capturing: frozenset[str]
    statement_verbs: frozenset[str]
    people_nouns: frozenset[str]
    experiencing: frozenset[str]
    feeling: frozenset[str]
    count_nouns: frozenset[str]
    transitive_headline_verbs: frozenset[str]
    gathering_verbs: frozenset[str]
    others_deeds: frozenset[str]
    # status: future, hypothetical, negated
    future_aux: frozenset[str]
    modal_aux: frozenset[str]
    negation_heads: frozenset[str]
    double_negative_heads: frozenset[str]
    hypothetical_heads: frozenset[str]
    future_heads: frozenset[str]
    reporting: frozenset[str]
    planned_modifiers: frozenset[str]
    conditional_marks: frozenset[str]
    step_nouns: frozenset[str]
    # conflict sides, places, restatements
    locative: frozenset[str]
    visit_words: frozenset[str]
    target_locative: frozenset[str]
    discussion_words: frozenset[str]
    # sentence splitting (prefilter)
    abbreviations: frozenset[str]
    openers: frozenset[str]


# recipient_preps must say what to do for an event type it does not list
_BY_TYPE = MapOf(Choice(frozenset(PLOVER_TYPES) | {"default"}), WORD_LIST)
SCHEMA = word_lists((f.name for f in fields(EventWords)), recipient_preps=_BY_TYPE)


def read_event_words(document: Any, where: str = WHERE) -> EventWords:
    """The word lists of a words.yaml document; LexiconError if it does not fit SCHEMA."""
    check_parts(document, SCHEMA, where, LexiconError)
    if "default" not in document["recipient_preps"]:
        raise LexiconError(f"{where}: recipient_preps: 'default' missing; required: "
                           "the prepositions for event types not listed")
    lists = {name: frozenset(words) for name, words in document.items() if name != "recipient_preps"}
    by_type = MappingProxyType({event: frozenset(words) for event, words in document["recipient_preps"].items()})
    return EventWords(**lists, recipient_preps=by_type)


WORDS = read_event_words(package_yaml("diurna.events", "data", "words.yaml"))
