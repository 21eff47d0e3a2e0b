"""An event's PLOVER mode ("how": by phone, a visit, a release, a seizure, an airstrike)
and contexts ("why": military, economic, diplomatic …), from the words of
events/data/modes.yaml: rules over word families near the trigger, its arguments and
its sentence, not over sentences.

Mode, in this order: a word in the trigger's phrase ("spoke by telephone", "fired
missiles", "released prisoners"); the trigger lexicon's mode for the trigger word; the
trigger word with its phrase against the same rules ("cut off"); and for meetings the arguments (a meeting
held in a recipient's country is a visit, in a third country hosted by a third party;
two or more recipients, or an organisation among the parties, make it multilateral).
Contexts: any whose words occur in the sentence, or whose sectors, codes or offices a
party has; a mode that is also a context (cyber, misinformation) adds it, as the
manual says.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from diurna.errors import LexiconError
from diurna.records import PLOVER_TYPES, Place
from diurna.yaml_data import (WORDS as WORD_LIST, Choice, ListOf, MapOf, Nullable, Record, Text,
                              check_parts, package_yaml)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from diurna.actors.resolve import Mention
    from diurna.events.candidates import Candidate
    from diurna.events.lexicon import Trigger

WHERE = "diurna/events/data/modes.yaml"

# The manual's general contexts (table "General contexts"), in its order.
PLOVER_CONTEXTS = (
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights",
    "rights_freedoms", "repression", "human_security", "gender", "lgbt", "religion_ethnicity",
    "inequality", "diplomatic", "territory", "peacekeeping", "health", "asylum", "migration",
    "disasters", "natural_resource", "environment", "technology", "terrorism", "cbrn", "cyber",
    "misinformation", "crime", "corruption", "illegal_drugs", "trafficking",
)
# Dependents that open a clause of their own: what they say is not the trigger's phrase.
CLAUSES = {"ccomp", "advcl", "relcl", "parataxis", "csubj", "csubjpass", "cc", "punct"}
# ... except where the mode is what was said: a threat's, a demand's, a refusal's content
# ("warned that Israel would strike", "urged them to release the hostages").
CONTENT_TYPES = {"THREATEN", "REQUEST", "REJECT"}
VERBAL = {"VERB", "AUX"}

_TYPE = Choice(frozenset(PLOVER_TYPES))
SCHEMA = Record({
    "manual_modes": MapOf(_TYPE, WORD_LIST),
    "renamed": MapOf(Text("a mode name"), Nullable(Text("a mode name"))),
    "mode_rules": ListOf(Record({"event": _TYPE, "mode": Text("a mode name"), "words": WORD_LIST},
                                frozenset({"event", "mode", "words"}))),
    "contexts": MapOf(Choice(frozenset(PLOVER_CONTEXTS)),
                      Record({"words": WORD_LIST, "sectors": WORD_LIST, "codes": WORD_LIST,
                              "offices": WORD_LIST, "events": ListOf(_TYPE)},
                             frozenset({"words"}))),
}, frozenset({"manual_modes", "renamed", "mode_rules", "contexts"}))


class Words:
    """A word family: single words and phrases, found as whole words in a normalised text."""

    def __init__(self, entries: Iterable[str]):
        forms = {normalise(e).strip() for e in entries} - {""}
        self.singles = frozenset(f for f in forms if " " not in f)
        # a phrase is searched for only in texts holding its first word: most hold none
        self.phrases = tuple((f.split()[0], re.compile(" " + re.escape(f) + " "))
                             for f in sorted(forms - self.singles, key=len, reverse=True))

    def found_in(self, texts: tuple[str, ...]) -> bool:
        for text in texts:
            words = _words_of(text)
            if not self.singles.isdisjoint(words):
                return True
            if any(first in words and pattern.search(text) for first, pattern in self.phrases):
                return True
        return False


@lru_cache(maxsize=1024)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class ModeRule:
    event: str
    mode: str
    words: Words


@dataclass(frozen=True)
class ContextRule:
    words: Words
    sectors: frozenset[str]
    codes: frozenset[str]
    offices: Words
    events: frozenset[str]        # an event of these types between two or more parties


@dataclass(frozen=True)
class ModeData:
    manual_modes: Mapping[str, frozenset[str]]
    renamed: Mapping[str, str | None]
    rules: Mapping[str, tuple[ModeRule, ...]]      # by event type, in file order
    contexts: Mapping[str, ContextRule]


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, with a space at each end."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def read_modes(document: Any, where: str = WHERE) -> ModeData:
    """The rules of a modes.yaml document; LexiconError if it does not fit SCHEMA or names
    a mode its event type does not have."""
    check_parts(document, SCHEMA, where, LexiconError)
    manual = {event: frozenset(modes) for event, modes in document["manual_modes"].items()}
    every_mode = frozenset().union(*manual.values())
    for old, new in document["renamed"].items():
        if new is not None and new not in every_mode:
            raise LexiconError(f"{where}: renamed.{old}: {new!r} is no mode of the manual")
    rules: dict[str, list[ModeRule]] = {}
    for number, raw in enumerate(document["mode_rules"], start=1):
        if raw["mode"] not in manual.get(raw["event"], ()):
            raise LexiconError(f"{where}: mode_rules entry {number} ({raw['event']} {raw['mode']}): "
                               f"not a mode of {raw['event']}; the manual's: "
                               + ", ".join(sorted(manual.get(raw["event"], ()))) or "none")
        rules.setdefault(raw["event"], []).append(ModeRule(raw["event"], raw["mode"], Words(raw["words"])))
    contexts = {name: ContextRule(Words(raw["words"]), frozenset(raw.get("sectors", ())),
                                  frozenset(raw.get("codes", ())), Words(raw.get("offices", ())),
                                  frozenset(raw.get("events", ())))
                for name, raw in document["contexts"].items()}
    return ModeData(MappingProxyType(manual), MappingProxyType(dict(document["renamed"])),
                    MappingProxyType({k: tuple(v) for k, v in rules.items()}), MappingProxyType(contexts))


DATA = read_modes(package_yaml("diurna.events", "data", "modes.yaml"))


# -- mode ---------------------------------------------------------------------------
def event_mode(trigger: Trigger, cand: Candidate, place: Place | None) -> str | None:
    """The event's PLOVER mode, or None where nothing in the text implies one."""
    rules = DATA.rules.get(trigger.event, ())
    word, phrase = trigger_phrase(cand, said=trigger.event in CONTENT_TYPES)
    return (_first_rule(rules, phrase) or manual_mode(trigger.event, trigger.mode)
            or (_first_rule(rules, sorted(word + phrase)) if word else None)
            or _mode_by_arguments(trigger.event, cand, place))


def manual_mode(event: str, mode: str | None) -> str | None:
    """A lexicon mode under the manual's name; None where the manual has no such mode."""
    if mode is not None and mode in DATA.renamed:
        mode = DATA.renamed[mode]
    return mode if mode in DATA.manual_modes.get(event, ()) else None


def trigger_phrase(cand: Candidate, said: bool = False) -> tuple[list[Token], list[Token]]:
    """(the trigger word, its phrase): the verb or noun the lexicon read the event from,
    and the words that say how the act was done: what depends on it and on its light
    verb, and the event noun a light verb carries ("deployed warships", "launched
    airstrikes"). Clauses below ("…, saying that …", "and then …") say other things and
    are left out, except, when ``said``, the clause saying what was said."""
    word = [cand.token] if cand.light is None else []
    anchors = [t for t in (cand.token, cand.light) if t is not None]
    seen = {t.i for t in word}
    stack = [t for t in anchors if t.i not in seen]
    stack += [c for a in anchors for c in a.children if _same_phrase(c) or (said and c.dep_ == "ccomp")]
    found: list[Token] = []
    while stack:
        token = stack.pop()
        if token.i in seen:
            continue
        seen.add(token.i)
        found.append(token)
        stack.extend(c for c in token.children if _same_phrase(c))
    return word, sorted(found)


def _same_phrase(token: Token) -> bool:
    # coordinated verbs are other acts; coordinated nouns ("missiles and drones") are not
    return token.dep_ not in CLAUSES and not (token.dep_ == "conj" and token.head.pos_ in VERBAL)


def _first_rule(rules: tuple[ModeRule, ...], tokens: list[Token]) -> str | None:
    if not tokens:
        return None
    texts = token_texts(tokens)
    return next((rule.mode for rule in rules if rule.words.found_in(texts)), None)


def token_texts(tokens: Iterable[Token]) -> tuple[str, str]:
    """The tokens' lemmas and their lower-cased words, each as one normalised text."""
    tokens = list(tokens)
    return normalise(" ".join(t.lemma_ for t in tokens)), normalise(" ".join(t.lower_ for t in tokens))


def _mode_by_arguments(event: str, cand: Candidate, place: Place | None) -> str | None:
    """A meeting's mode from who met where: several parties or an organisation make it
    multilateral; held in the recipient's country it is a visit (the manual: the visitor
    is the actor, the host the recipient), in a third country hosted by a third party."""
    if event != "CONSULT":
        return None
    actors = {m.code for m in cand.actors}
    recipients = {m.code for m in cand.recipients} - actors
    if len(recipients) >= 2 or len(actors | recipients) >= 3 or \
            any(m.ref.sector == "IGO" for m in cand.recipients):
        return "multilateral"          # "met X and Y", a meeting with or of an organisation
    if place is not None and place.country and place.country not in actors:
        return "visit" if not recipients or place.country in recipients else "third-party"
    if any(m.ref.sector == "IGO" for m in cand.actors):
        return "multilateral"          # an organisation's envoy away from home is visiting
    return None


# -- context --------------------------------------------------------------------------
def event_context(event: str, cand: Candidate, sentence: Span, mode: str | None) -> tuple[str, ...]:
    """The contexts the sentence and the parties give the event, in the manual's order."""
    texts = token_texts(sentence)
    parties: list[Mention] = [*cand.actors, *cand.recipients]
    sectors = {m.ref.sector for m in parties if m.ref.sector}
    codes = {m.code for m in parties if m.code}
    offices = tuple(normalise(m.ref.office) for m in parties if m.ref.office)
    found = set(_word_contexts(texts)) | ({mode} if mode in PLOVER_CONTEXTS else set())
    for name, rule in DATA.contexts.items():
        if name not in found and (sectors & rule.sectors or codes & rule.codes or
                                  rule.offices.found_in(offices) or (event in rule.events and len(codes) >= 2)):
            found.add(name)
    return tuple(c for c in PLOVER_CONTEXTS if c in found)


@lru_cache(maxsize=256)
def _word_contexts(texts: tuple[str, ...]) -> frozenset[str]:
    """The contexts whose words a sentence holds: the same for every event in it."""
    return frozenset(name for name, rule in DATA.contexts.items() if rule.words.found_in(texts))
