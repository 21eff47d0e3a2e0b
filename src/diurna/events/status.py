"""Auxiliary mode of an event: future, hypothetical, negation (historical is set from dates)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from diurna.events.syntax import takes_steps
from diurna.events.words import WORDS

if TYPE_CHECKING:
    from spacy.tokens import Token

FUTURE_AUX = WORDS.future_aux
MODAL_AUX = WORDS.modal_aux
NEGATION_HEADS = WORDS.negation_heads
DOUBLE_NEGATIVE_HEADS = WORDS.double_negative_heads       # "will not hesitate to act" asserts the act
HYPOTHETICAL_HEADS = WORDS.hypothetical_heads
FUTURE_HEADS = WORDS.future_heads
REPORTING = WORDS.reporting
PLANNED_MODIFIERS = WORDS.planned_modifiers
CONDITIONAL_MARKS = WORDS.conditional_marks


def aux_mode(trigger: Token) -> str | None:
    """Read modality off the trigger and the verbs that govern it."""
    if trigger.pos_ in ("NOUN", "PROPN"):
        return _nominal_mode(trigger)
    node, depth = trigger, 0
    while True:
        mode = _own_mode(node, governed=depth > 0)
        if mode:
            return mode
        if takes_steps(node):
            return "future"              # "is taking steps to impose": not done yet
        if node.dep_ in ("xcomp", "ccomp", "conj") and node.head.i != node.i and depth < 3:
            head = node.head
            if node.dep_ == "xcomp":
                if head.lemma_ in NEGATION_HEADS:
                    # "did not fail to", "never hesitate to": a double negative
                    return None if _own_mode(head, governed=True) == "negation" else "negation"
                if head.lemma_ in DOUBLE_NEGATIVE_HEADS:
                    return None
                if head.lemma_ in HYPOTHETICAL_HEADS:
                    return "hypothetical"
                if head.lemma_ in FUTURE_HEADS or head.lower_ in FUTURE_HEADS:
                    return "future"
            if node.dep_ == "ccomp" and head.lemma_ in REPORTING:
                return _reported_mode(node)
            node, depth = head, depth + 1
            continue
        return None


def _own_mode(verb: Token, governed: bool) -> str | None:
    children = list(verb.children)
    if any(c.dep_ == "neg" or c.lower_ in ("never",) for c in children):
        return "negation"
    auxes = [c.lower_ for c in children if c.dep_ in ("aux", "auxpass")]
    if any(a in FUTURE_AUX for a in auxes):
        return "future"
    if "going" in auxes or any(c.lemma_ == "be" and c.dep_ == "aux" for c in children) and \
            any(c.lower_ == "to" for c in children) and verb.tag_ == "VB":
        return "future"
    if any(a in MODAL_AUX for a in auxes):
        return "hypothetical"
    if "would" in auxes:
        return "future" if _under_reporting(verb) else "hypothetical"
    if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in children) and verb.dep_ == "advcl":
        return "hypothetical"
    return None


def _reported_mode(clause: Token) -> str | None:
    return _own_mode(clause, governed=True)


def _under_reporting(verb: Token) -> bool:
    return verb.dep_ == "ccomp" and verb.head.lemma_ in REPORTING


def _nominal_mode(noun: Token) -> str | None:
    mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "det")}
    if mods & PLANNED_MODIFIERS:
        return "future"
    if any(c.dep_ == "neg" or c.lower_ == "no" for c in noun.children):
        return "negation"
    # the noun's governing verb decides: "will hold talks", "did not impose sanctions"
    head = noun.head
    while head.dep_ == "prep" or head.pos_ == "ADP":
        head = head.head
    if head.pos_ in ("VERB", "AUX") and head.i != noun.i:
        return aux_mode(head)
    return None
