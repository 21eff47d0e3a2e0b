"""Event places: where the text says an event happened, with coordinates from the
offline gazetteer (nlp/gazetteer.py: GeoNames cities over 15,000 people, countries at
their capital).

In order of trust: a locative phrase attached to the trigger ("met in Brussels"), the
place of a visit ("visited Kyiv") or the city an attack hit ("strikes on Kharkiv"); a
locative phrase elsewhere in the sentence ("a meeting of NATO ministers in Brussels"),
unless it belongs to another event's clause or a relative clause; the article's dateline
("KYIV, Ukraine —"), if the event is in its country. Statements (accusations, requests,
threats…) are placed only where they were made ("said in Geneva"): a place in what they
are about ("condemned the attack in Mogadishu") is that other event's. A country is a
place only when the text says "in <country>" of the event itself ("fought in Syria", not
"the war in Ukraine"). Among candidates, places in the countries of the event's parties
come first, and a name several cities share goes to the one in a party's country.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from diurna.events.words import WORDS
from diurna.events.syntax import clause_verb
from diurna.nlp.gazetteer import is_country_code, lookup_city, lookup_place
from diurna.nlp.text import entity_span
from diurna.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Span as DocSpan, Token

    from diurna.actors.resolve import Mention

LOCATIVE = WORDS.locative
VISIT_WORDS = WORDS.visit_words
TARGET_LOCATIVE = WORDS.target_locative
# Events that are said: their place is where they were said, not where what they are
# about happened.
STATEMENT_TYPES = frozenset({"AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
# What a statement is about: its objects and clauses (events/places.py _adjunct_of).
CONTENT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "advcl", "acl", "relcl", "attr", "oprd", "dative"})
ADJUNCT_PREPS = LOCATIVE | frozenset({"after", "before", "during", "following", "of"})
# Where a statement was made: "in Moscow", "at the UN in Geneva" ("revenge on Gaza" is not).
STATEMENT_LOCATIVE = frozenset({"in", "at"})
# Nouns of a region named after its city: "the Kharkiv region" is a province.
REGION_WORDS = frozenset({"region", "province", "oblast", "governorate", "prefecture", "state"})
# Attacks and force: the city they hit is their place.
FORCE_TYPES = frozenset({"ASSAULT", "COERCE"})
# Prepositions that put an event in a whole country ("fighting in Ukraine").
COUNTRY_LOCATIVE = frozenset({"in", "across", "throughout", "inside"})
# "KYIV, Ukraine —", "BRUSSELS (VOA) —", "GAZA CITY, May 5 (Reuters) -": a place in
# capitals at the start of a line, a qualifier after a comma, a source in brackets, a dash.
_DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z'’.\- ]{1,40}?)\s*(?:,\s*(?P<where>[^\n,()—–]{2,40}?))?"
                       r"\s*(?:\([^)\n]{1,40}\)\s*)?(?:—|–|--?)\s", re.MULTILINE)
DATELINE_REACH = 300      # characters from the start of the text where a dateline may stand


def attached_place(trigger: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str] = (),
                   objects: bool = True, countries: bool = False) -> Place | None:
    """A place in a locative phrase ("in Brussels", "at an airport in Ankara") attached to
    the trigger, the verb above it, or (``objects``) its object; a country if it is the
    trigger's or its verb's own ("fought in Syria"), or (``countries``) its object's too
    ("attacked forces in Iraq")."""
    for holder, own in _holders(trigger):
        if not own and not objects:
            continue
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in LOCATIVE:
                place = _phrase_place(prep, mentions_at, prefer, countries=own or countries)
                if place is not None:
                    return place
    return None


def event_place(trigger: Token, sent: DocSpan, mentions_at: Mapping[int, Mention],
                event: str, parties: Sequence[str], others: Collection[int] = (),
                dateline: Place | None = None, recipients: Collection[str] = ()) -> Place | None:
    """Where the event (of PLOVER type ``event``) happened: attached to the trigger, else
    in the sentence, else the dateline. ``parties``: the actor and recipient codes
    (``recipients`` the latter); ``others``: token indices of the sentence's other event
    triggers, whose locative phrases are theirs. A name several cities share goes to the
    one in the first party's country that has one: actors come before recipients, which
    may be the city itself ("arrested protesters in Hyderabad")."""
    prefer = tuple(dict.fromkeys(parties))
    if event in STATEMENT_TYPES:
        return attached_place(trigger, mentions_at, prefer, objects=False) or \
            _adjunct_place(trigger, mentions_at, prefer)
    found = attached_place(trigger, mentions_at, prefer, countries=True) or \
        _target_place(trigger, event, mentions_at, prefer)
    if found is None:
        found = _sentence_place(trigger, sent, mentions_at, prefer, others)
    if found is None and dateline is not None and _fits(dateline, frozenset(prefer), frozenset(recipients)):
        found = dateline
    return found


def _adjunct_place(trigger: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str]) -> Place | None:
    """A statement's place further down its own adjuncts ("agreed … after ten hours of talks
    in Moscow"), never inside what it is about ("called for a ceasefire in Gaza")."""
    for prep in trigger.subtree:
        if prep.dep_ == "prep" and prep.lower_ in STATEMENT_LOCATIVE and _adjunct_of(prep, trigger):
            place = _phrase_place(prep, mentions_at, prefer, countries=False)
            if place is not None:
                return place
    return None


def _adjunct_of(prep: Token, trigger: Token) -> bool:
    """Whether the path from the phrase up to the trigger goes through adjuncts only:
    locative and time phrases and their nouns, no object or clause of content."""
    node = prep.head
    while node.i != trigger.i:
        if node.dep_ in CONTENT_DEPS or (node.dep_ == "prep" and node.lower_ not in ADJUNCT_PREPS) or \
                (node.lower_ == "of" and node.head.i == trigger.i):     # "accused Israel of …"
            return False
        node = node.head
    return prep.head.i == trigger.i or prep.head.dep_ not in CONTENT_DEPS


def _target_place(trigger: Token, event: str, mentions_at: Mapping[int, Mention],
                  prefer: Collection[str]) -> Place | None:
    """The city a visit went to ("visited Kyiv", "a trip to Goma") or an attack hit
    ("struck Kharkiv", "airstrikes against Gaza")."""
    if trigger.lemma_.lower() in VISIT_WORDS:
        preps = frozenset({"to"})
    elif event in FORCE_TYPES:
        preps = TARGET_LOCATIVE
    else:
        return None
    targets = [c for c in trigger.children if c.dep_ == "dobj"]
    targets += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ in preps
                for g in c.children if g.dep_ == "pobj"]
    for target in targets:
        place = _place_of(target, mentions_at, prefer)
        # a visit to a country is placed there; an attack on a country is not placed by it
        if place is not None and (place.resolution == "city" or trigger.lemma_.lower() in VISIT_WORDS):
            return place
    return None


def dateline_place(text: str) -> Place | None:
    """The place of an article's dateline, if its first lines have one the gazetteer knows."""
    match = _DATELINE.search(text[:DATELINE_REACH])
    if match is None:
        return None
    name = match.group("place").strip().title()
    where = (match.group("where") or "").strip()
    country = lookup_place(where) if where else None
    prefer = (country.country,) if country and country.resolution == "country" and country.country else ()
    return lookup_city(name, prefer) or lookup_place(name)


def _fits(place: Place, parties: frozenset[str], recipients: frozenset[str]) -> bool:
    """A dateline names where the reporter is: the event's place only if it is in the
    country acted on (or, with no state acted on, the actor's), or no party is a state
    (NATO ministers meeting); "WASHINGTON — The US sanctioned …" is not placed there."""
    states = {code for code in parties if is_country_code(code)}
    targets = {code for code in recipients if is_country_code(code)} or states
    return not states or place.country in targets


def _sentence_place(trigger: Token, sent: DocSpan, mentions_at: Mapping[int, Mention],
                    prefer: Collection[str], others: Collection[int]) -> Place | None:
    """The best locative place anywhere in the sentence: one in a party's country first,
    then the nearest to the trigger."""
    own = trigger if trigger.pos_ in ("VERB", "AUX") else clause_verb(trigger)
    found: list[tuple[bool, bool, int, Place]] = []
    for prep in sent:
        if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE:
            continue
        clause = clause_verb(prep)
        # another event's phrase, or a relative or participial clause the trigger is not in
        # ("a citizen who was serving a sentence in Germany", "actors based in the PRC")
        if clause.i in others or (clause.dep_ in ("relcl", "acl") and not _within(trigger, clause)):
            continue
        place = _phrase_place(prep, mentions_at, prefer, countries=False)
        if place is not None:
            found.append((clause.i != own.i, place.country not in prefer, abs(prep.i - trigger.i), place))
    return min(found, key=lambda f: f[:3])[3] if found else None


def _within(token: Token, clause: Token) -> bool:
    return clause.left_edge.i <= token.i <= clause.right_edge.i


def _holders(trigger: Token) -> Iterator[tuple[Token, bool]]:
    """The trigger, its objects, and the verbs it hangs from (up to its clause's verb),
    each with whether its phrases are the event's own (the objects' are not)."""
    yield trigger, True
    for child in trigger.children:
        if child.dep_ in ("dobj", "pobj", "attr"):
            yield child, False
    node = trigger
    for _ in range(3):
        if node.head.i == node.i:
            return
        node = node.head
        yield node, True
        if node.pos_ in ("VERB", "AUX"):
            return


def _phrase_place(prep: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str],
                  countries: bool = True) -> Place | None:
    for obj in prep.children:
        place = _place_of(obj, mentions_at, prefer) if obj.dep_ == "pobj" else None
        if place is not None and (place.resolution != "country" or (countries and prep.lower_ in COUNTRY_LOCATIVE)):
            return place
    return None


def _place_of(obj: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str]) -> Place | None:
    """A named place, or one nested in it ("an airport in Ankara", "the port of Odesa"),
    or named in a region's name ("the region of Kharkiv": a province)."""
    named = [a for a in obj.children if a.dep_ == "appos"]
    nested = [g for t in (obj, *named) for c in t.children if c.dep_ == "prep" for g in c.children
              if g.dep_ == "pobj"]
    # "the port of Odessa", "an airport in the Turkish capital, Ankara"; "Washington, D.C."
    nested += [a for t in nested for a in t.children if a.dep_ == "appos"]
    nested += [c for c in obj.children if c.dep_ in ("compound", "npadvmod") and c.pos_ == "PROPN"]
    for token in (obj, *named, *nested):
        mention = mentions_at.get(token.i)
        if mention is not None and mention.is_person:
            continue        # a person the knowledge base knows ("Marco Rubio"), not the town of Rubio
        if token.ent_type_ in ("GPE", "LOC", "FAC") or (mention is not None and mention.role == "place"):
            span = entity_span(token) if token.ent_type_ or mention is None else \
                token.doc[mention.start:mention.end]          # "the Gaza Strip", not "Strip"
            code = mention.code if mention else None
            place = lookup_place(span.text, code, prefer) or Place(span.text, code)
            return _as_province(place) if token.i != obj.i and obj.lemma_.lower() in REGION_WORDS else place
        city = _city_before_country(token, mentions_at, prefer)
        if city is not None:
            return city
    return None


def _city_before_country(token: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str]) -> Place | None:
    """"Darwin, Australia": a proper noun the gazetteer knows as a city of the country named
    after it, though alone it would be an English word."""
    if token.pos_ != "PROPN":
        return None
    for appos in token.children:
        country = lookup_place(appos.text) if appos.dep_ == "appos" else None
        if country is not None and country.resolution == "country":
            city = lookup_city(token.text, (country.country, *prefer) if country.country else prefer)
            if city is not None and city.country == country.country:
                return city
    return None


def _as_province(place: Place) -> Place:
    """The first-level division named after a city ("the Kharkiv region"): the city's
    country, no coordinates (the city's would be too precise)."""
    return Place(place.name, place.country, province=place.name, resolution="province") \
        if place.resolution == "city" else place
