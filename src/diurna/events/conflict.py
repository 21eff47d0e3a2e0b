"""The sides of a document's conflict, for hostile acts whose target the sentence leaves
implicit: in a report on Iran's threats, "the Secretary ordered a squadron to the Middle
East" is aimed at Iran; in one on the M23 offensive, "the rebels broke the ceasefire"
hits the Congo.

Sides are read from the document's aggression nouns with a named doer ("Russia's
invasion", "escalation by Iran", "the assault on Goma by the M23", "fighting between the
M23 and the army"), in document order, background mentions included: they are exactly
what frames the conflict.
"""
from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from spacy.attrs import LEMMA

from diurna.events.syntax import is_passive, prep_objects
from diurna.events.words import WORDS
from diurna.nlp.words import WORDS as ENGLISH

if TYPE_CHECKING:     # the index holds the sides; this module only reads it
    from spacy.tokens import Doc, Token

    from diurna.actors.resolve import Mention
    from diurna.events.arguments import MentionIndex

AGGRESSION = ENGLISH.aggression
NOMINAL_DEPS = {"nsubj", "nsubjpass", "csubj", "dobj", "pobj"}    # "fighting between A and B is…"
# A third party's acts of these kinds are aimed at the aggressor: sanctions for an
# invasion, deployments against an escalation, warnings to the attackers.
THIRD_PARTY_TYPES = {"SANCTION", "MOBILIZE", "THREATEN"}

Side = frozenset[str]


def sides(index: MentionIndex) -> list[tuple[Side, Side]]:
    """(aggressor codes, victim codes) for each aggression noun with a named doer."""
    if index.conflict_sides is None:
        index.conflict_sides = [pair for token in _aggression_candidates(index.doc) if _aggression(token)
                                for pair in [_pair(token, index)] if pair[0]]
    return index.conflict_sides


def _aggression_candidates(doc: Doc) -> list[Token]:
    """Tokens whose lemma may be an aggression noun, found in one array read (a
    Python pass over every token of every document is a noticeable cost)."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    wanted = {strings.add(form) for word in AGGRESSION for form in (word, word.capitalize(), word.upper())}
    return [doc[i] for i, lemma in enumerate(doc.to_array([LEMMA]).tolist()) if lemma in wanted]


def record(index: MentionIndex, actors: list[Mention], recipients: list[Mention]) -> None:
    """A coded attack or coercion also tells who is fighting whom, for later sentences."""
    doers = frozenset(m.code for m in actors if m.code)
    victims = frozenset(m.code for m in recipients if m.code) - doers
    if doers and victims:
        sides(index).append((doers, victims))


def opponent(actor_codes: set[str], event: str, index: MentionIndex) -> list[Mention]:
    """The other side from the actor's; for a third party, the first-named aggressor."""
    pairs = sides(index)
    for doers, victims in pairs:
        if actor_codes & doers and victims - actor_codes:
            return _mentions(victims - actor_codes, index)
        if actor_codes & victims and doers - actor_codes:
            return _mentions(doers - actor_codes, index)
    if event in THIRD_PARTY_TYPES:
        for doers, victims in pairs:
            if not (actor_codes & (doers | victims)):
                return _mentions(doers, index)
    return []


def both_sides(index: MentionIndex) -> list[Mention]:
    """The parties of the first-named conflict ("both sides", "the warring parties")."""
    pairs = sides(index)
    return _mentions(pairs[0][0] | pairs[0][1], index) if pairs else []


def aggressor_tokens(node: Token) -> set[int]:
    """Tokens under ``node`` that name the doer of an aggression ("from Iran's assault")."""
    return {t.i for noun in node.subtree if _aggression(noun)
            for c in noun.children if c.dep_ in ("poss", "amod", "compound") for t in c.subtree}


def _aggression(token: Token) -> bool:
    nominal = token.pos_ == "NOUN" or (token.tag_ == "VBG" and token.dep_ in NOMINAL_DEPS)
    return nominal and token.lemma_.lower() in AGGRESSION


def _pair(noun: Token, index: MentionIndex) -> tuple[Side, Side]:
    holders = [noun]
    if noun.dep_ == "dobj" and not is_passive(noun.head):
        holders.append(noun.head)   # "condemned the assault on Goma by the M23": PPs misattached

    def objects(preps: AbstractSet[str]) -> list[Mention]:
        return [m for h in holders for obj in prep_objects(h, preps) for m in index.for_token(obj, depth=1)]

    doers = [m for c in noun.children if c.dep_ in ("poss", "amod", "compound")
             for m in index.for_token(c, depth=1)]
    doers += objects({"by"})
    victims = objects({"on", "against"})
    between = objects({"between"})
    if not doers and len(between) > 1:      # "fighting between A and B": each the other's foe
        doers, victims = between[:1], between[1:]
    doer_codes = frozenset(m.code for m in doers if m.code)
    return doer_codes, frozenset(m.code for m in victims if m.code) - doer_codes


def _mentions(codes: Side, index: MentionIndex) -> list[Mention]:
    """The first mention of each code, in document order."""
    found: dict[str, Mention] = {}
    for mention in index.mentions:
        if mention.code in codes:
            found.setdefault(mention.code, mention)
    return list(found.values())
