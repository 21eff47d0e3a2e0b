"""Reading the dependency parse: subjects, objects, passives and prepositional objects."""
from __future__ import annotations

from collections.abc import Iterator, Set as AbstractSet

from spacy.tokens import Token

from diurna.events.words import WORDS

SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "obj", "iobj"}
STEP_NOUNS = WORDS.step_nouns


def is_passive(verb: Token) -> bool:
    """'Iran was condemned', and participles like 'missiles launched by Iran'."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    return any(c.dep_ in PASSIVE_SUBJECTS or c.dep_ == "auxpass" for c in verb.children)


def subject_token(verb: Token) -> tuple[Token | None, bool]:
    """The subject of a verb, inherited through control, coordination and relative clauses."""
    node = verb
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in SUBJECTS), None)
        if subj is not None:
            return subj, node is not verb
        if node.dep_ == "xcomp":
            obj = next((c for c in node.head.children if c.dep_ in OBJECTS), None)
            if obj is not None and not takes_steps(node):   # object control: "urged Russia to withdraw"
                return obj, True
            node = node.head
        elif node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
            node = node.head
        elif node.dep_ == "acomp":            # "X is due to meet", "X is ready to help"
            node = node.head
        elif node.dep_ in ("relcl", "acl") and not is_passive(node):
            return node.head, True
        elif node.dep_ in ("advcl",) and node.tag_ == "VBG":
            node = node.head               # "…, killing five people"
        elif node.dep_ == "advcl" and takes_steps(node):
            node = node.head               # "X is taking steps to impose sanctions"
        else:
            return None, False
    return None, False


def takes_steps(verb: Token) -> bool:
    """'took steps to impose': the steps are the act, done by the subject of 'take' and
    still to come. (Other purpose clauses are left alone: 'met to advance the agreement'
    is not a new act.)"""
    head = verb.head
    return verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VB" and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and \
        head.lemma_.lower() == "take" and \
        any(c.dep_ in OBJECTS and c.lemma_.lower() in STEP_NOUNS for c in head.children)


def agent_token(verb: Token) -> Token | None:
    """The by-phrase of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def prep_objects(token: Token, preps: AbstractSet[str]) -> Iterator[Token]:
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    yield grand
        elif child.dep_ == "prt" and child.lower_ in preps:
            # "call on X": spaCy may attach X as dobj of the verb
            continue
