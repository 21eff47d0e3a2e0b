"""Event places: where the text says an event happened, with coordinates from the
offline gazetteer (nlp/gazetteer.py: GeoNames cities over 15,000 people, countries at
their capital).

In order of trust: a locative phrase attached to the trigger ("met in Brussels") or to
the partner it is done with ("met with ministers in Kabul"), the place of a visit
("visited Kyiv", "began a trip to South Sudan") or the city an attack hit ("strikes on
Kharkiv"); where the doers are said to be ("Moscow police", "authorities in Lahore"); a
locative phrase elsewhere in the sentence ("a meeting of NATO ministers in Brussels"),
unless it belongs to another event's clause (but a time clause shares its place:
"detained demonstrators as students protested in Minsk") or a relative clause; for the
sentence a dateline opens ("KYIV, Ukraine —"), the dateline, if the event is in its
country; on the sidelines of a meeting, where the meeting was set. Statements
(accusations, requests, threats…) are placed only where they were made ("said in
Geneva"): a place in what they are about ("condemned the attack in Mogadishu") is that
other event's. A country is a place only when the text says "in
<country>" of the event itself ("fought in Syria", not "the war in Ukraine"). Among
candidates, places in the countries of the event's parties come first, and a name
several cities share goes to the one in a party's country.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from diurna.events.words import WORDS
from diurna.events.syntax import PASSIVE_SUBJECTS, SUBJECTS, clause_verb
from diurna.nlp.gazetteer import capital_of, is_country_code, lookup_city, lookup_place
from diurna.nlp.text import doc_text, entity_span
from diurna.nlp.timex import WEEKDAYS
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
# Where forces are moved to, or withdrawn from, is where the move happens.
INTO = frozenset({"to", "into", "onto"})
PUBLIC_SPACES = frozenset({"street", "streets", "square", "road", "roads"})
MOVEMENT_PREPS = {"MOBILIZE": frozenset({"to", "into"}), "RETREAT": frozenset({"from"})}
# Conjunctions of a clause at the same time as its head's ("… as students protested in Minsk").
SIMULTANEOUS_MARKS = frozenset({"as", "while", "when"})
SIDELINE_WORDS = frozenset({"sidelines", "sideline", "margins", "margin"})
# Words of a day the tagger may glue to a town's name ("Pyongyang Thursday").
DATE_WORDS = frozenset(WEEKDAYS) | {"today", "yesterday", "tonight", "overnight"}
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
            if prep.dep_ == "prep" and _locative(prep):
                place = _phrase_place(prep, mentions_at, prefer, countries=own or countries)
                if place is not None:
                    return place
    return None


def _locative(prep: Token) -> bool:
    """A phrase of where: "in", "at", "near" …, or into the public spaces a crowd takes
    ("took to the streets of Bangkok", "poured into the square")."""
    return prep.lower_ in LOCATIVE or (prep.lower_ in INTO and any(
        c.dep_ == "pobj" and c.lemma_.lower() in PUBLIC_SPACES for c in prep.children))


def event_place(trigger: Token, sent: DocSpan, mentions_at: Mapping[int, Mention],
                event: str, parties: Sequence[str], others: Collection[int] = (),
                scene: Place | None = None, recipients: Collection[str] = (),
                venue: Place | None = None) -> Place | None:
    """Where the event (of PLOVER type ``event``) happened: attached to the trigger, else
    in the sentence, else the ``venue`` of a meeting on whose sidelines it happened (see
    on_sidelines), else the ``scene`` the text set before (see sentence_scene).
    ``parties``: the actor and recipient codes (``recipients`` the latter); ``others``: token indices of the sentence's other event
    triggers, whose locative phrases are theirs. A name several cities share goes to the
    one in the first party's country that has one: actors come before recipients, which
    may be the city itself ("arrested protesters in Hyderabad")."""
    prefer = tuple(dict.fromkeys(parties))
    # where the doers are: a city, or (for acts, not statements: "a rights group in Belarus
    # said") a country, after any city the sentence names ("police in Senegal … in Dakar")
    doers = _actor_place(trigger, mentions_at, prefer)
    doers_city = doers if doers is not None and doers.resolution != "country" else None
    if event in STATEMENT_TYPES:
        return attached_place(trigger, mentions_at, prefer, objects=False) or \
            _adjunct_place(trigger, mentions_at, prefer) or doers_city or venue
    found = attached_place(trigger, mentions_at, prefer, countries=True) or \
        _target_place(trigger, event, mentions_at, prefer) or doers_city
    if found is None:
        found = _sentence_place(trigger, sent, mentions_at, prefer, others) or doers or venue
    if found is None and scene is not None and _fits(scene, frozenset(prefer), frozenset(recipients)):
        found = scene
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


def _actor_place(trigger: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str]) -> Place | None:
    """Where the doers are, when the text says it of them: "Moscow police detained …",
    "authorities in Lahore deployed …", "opposition supporters in Bahrain held protests"."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else clause_verb(trigger)
    subjects = SUBJECTS | PASSIVE_SUBJECTS
    while verb.dep_ == "conj" and not any(c.dep_ in subjects for c in verb.children):
        verb = verb.head          # "Moscow police announced … and have restricted …"
    for subject in (c for c in verb.children if c.dep_ in subjects):
        for child in subject.children:
            if child.dep_ == "prep" and child.lower_ in STATEMENT_LOCATIVE:
                place = _phrase_place(child, mentions_at, prefer)
            elif child.dep_ == "compound" and child.ent_type_ == "GPE":
                place = _place_of(child, mentions_at, prefer)
                place = place if place is not None and place.resolution == "city" else None
            else:
                continue
            if place is not None:
                return place
    return None


def _target_place(trigger: Token, event: str, mentions_at: Mapping[int, Mention],
                  prefer: Collection[str]) -> Place | None:
    """The city a visit went to ("visited Kyiv", "a trip to Goma") or an attack hit
    ("struck Kharkiv", "airstrikes against Gaza"), or the place forces moved to or left
    ("deployed to Mogadishu", "will withdraw from southern Lebanon")."""
    # "visited Kyiv", and the visit a light verb takes ("began a trip to South Sudan")
    visit = next((t for t in (trigger, *(c for c in trigger.children if c.dep_ == "dobj"))
                  if t.lemma_.lower() in VISIT_WORDS), None)
    # a visit or a move is placed by the country it goes to; an attack on a country is not
    countries = True
    if visit is not None:
        trigger, preps = visit, frozenset({"to"})
    elif event in MOVEMENT_PREPS:
        preps = MOVEMENT_PREPS[event]
    elif event in FORCE_TYPES:
        preps, countries = TARGET_LOCATIVE, False
    else:
        return None
    targets = [c for c in trigger.children if c.dep_ == "dobj"]
    targets += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ in preps
                for g in c.children if g.dep_ == "pobj"]
    for target in targets:
        place = _place_of(target, mentions_at, prefer)
        if place is not None and (place.resolution == "city" or countries):
            return place
    return None


def dateline_place(text: str) -> tuple[Place, int] | None:
    """The place of an article's dateline, if its first lines have one the gazetteer knows,
    and the offset where the dateline ends: it places only the events of the sentence it
    opens (hand-coded news puts later events where their own sentences say, or nowhere)."""
    match = _DATELINE.search(text[:DATELINE_REACH])
    if match is None:
        return None
    name = match.group("place").strip().title()
    where = (match.group("where") or "").strip()
    country = lookup_place(where) if where else None
    prefer = (country.country,) if country and country.resolution == "country" and country.country else ()
    place = lookup_city(name, prefer) or lookup_place(name)
    return (place, match.end()) if place is not None else None


def on_sidelines(sent: DocSpan) -> bool:
    """Whether the sentence puts its events "on the sidelines" ("on the margins") of a
    meeting: they happened where the meeting did, named before."""
    text = doc_text(sent.doc)[sent.start_char:sent.end_char]
    if "sideline" not in text and "margin" not in text:
        return False
    return any(t.lower_ in SIDELINE_WORDS and t.head.lower_ in ("on", "at") for t in sent)


def sentence_scene(sent: DocSpan, mentions_at: Mapping[int, Mention]) -> Place | None:
    """The city a sentence sets its scene in ("protesters gathered in Minsk"): the first
    locative phrase naming a city."""
    for prep in sent:
        if prep.dep_ == "prep" and prep.lower_ in LOCATIVE:
            place = _phrase_place(prep, mentions_at, (), countries=False)
            if place is not None and place.resolution == "city":
                return place
    return None


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
        if (clause.i in others and not _simultaneous(clause, own)) or \
                (clause.dep_ in ("relcl", "acl") and not _within(trigger, clause)):
            continue
        # a country in the event's own clause, if a party's ("police fired on crowds in Kenya")
        place = _phrase_place(prep, mentions_at, prefer, countries=clause.i == own.i)
        if place is not None and (place.resolution != "country" or place.country in prefer):
            found.append((clause.i != own.i, place.country not in prefer, abs(prep.i - trigger.i), place))
    return min(found, key=lambda f: f[:3])[3] if found else None


def _simultaneous(clause: Token, own: Token) -> bool:
    """Whether one clause is a time clause of the other ("detained demonstrators as students
    protested in Minsk"): acts at the same time, at the same place."""
    inner, outer = (clause, own) if clause.head.i == own.i else (own, clause)
    return inner.dep_ == "advcl" and inner.head.i == outer.i and \
        any(c.dep_ == "mark" and c.lower_ in SIMULTANEOUS_MARKS for c in inner.children)


def _within(token: Token, clause: Token) -> bool:
    return clause.left_edge.i <= token.i <= clause.right_edge.i


def _holders(trigger: Token) -> Iterator[tuple[Token, bool]]:
    """The trigger, its objects, the partners it is done "with", and the verbs it hangs
    from (up to its clause's verb), each with whether its phrases are the event's own
    (the objects' are not)."""
    yield trigger, True
    yield from _partners(trigger)
    for child in trigger.children:
        if child.dep_ in ("dobj", "pobj", "attr"):
            yield child, False
            yield from _partners(child)
    node = trigger
    for _ in range(3):
        if node.head.i == node.i:
            return
        node = node.head
        yield node, True
        if node.pos_ in ("VERB", "AUX"):
            return


def _partners(word: Token) -> Iterator[tuple[Token, bool]]:
    """Whom something is done "with": their phrase is the event's ("met with ministers in
    the capital, Kabul", "held talks with his rival in Ethiopia")."""
    for prep in word.children:
        if prep.dep_ == "prep" and prep.lower_ == "with":
            yield from ((partner, True) for partner in prep.children if partner.dep_ == "pobj")


def _phrase_place(prep: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str],
                  countries: bool = True) -> Place | None:
    for obj in prep.children:
        place = _place_of(obj, mentions_at, prefer) if obj.dep_ == "pobj" else None
        if place is not None and (place.resolution != "country" or (countries and prep.lower_ in COUNTRY_LOCATIVE)):
            return place
    following = prep.nbor() if prep.i + 1 < len(prep.doc) else None
    if following is None or following.pos_ != "PROPN" or any(prep.children):
        return None
    # "In Lagos Monday, …": a parse with no object
    mention = mentions_at.get(following.i)
    if mention is None or mention.code is None:
        return lookup_city(following.text, prefer)
    return _place_of(following, mentions_at, prefer) if mention.role == "place" else None


def _place_of(obj: Token, mentions_at: Mapping[int, Mention], prefer: Collection[str]) -> Place | None:
    """A named place, or one nested in it ("an airport in Ankara", "the port of Odesa"),
    or named in a region's name ("the region of Kharkiv": a province)."""
    named = [a for a in obj.children if a.dep_ == "appos"] + _loose_apposition(obj)
    nested = [g for t in (obj, *named) for c in t.children if c.dep_ == "prep" for g in c.children
              if g.dep_ == "pobj"]
    # "the port of Odessa", "an airport in the Turkish capital, Ankara"; "Washington, D.C."
    nested += [a for t in nested for a in t.children if a.dep_ == "appos"]
    nested += [c for c in obj.children if c.dep_ in ("compound", "npadvmod") and c.pos_ == "PROPN"]
    if obj.lemma_.lower() in REGION_WORDS:
        region = _named_region(obj, mentions_at)
        if region is not None:
            return region
    if obj.lower_ in DATE_WORDS:
        # "In Lagos Monday": the tagger glued the day to the town (looked up below)
        nested += [c for c in obj.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    for token in (obj, *named, *nested):
        mention = mentions_at.get(token.i)
        if mention is not None and mention.is_person:
            continue        # a person the knowledge base knows ("Marco Rubio"), not the town of Rubio
        if _named_person(token):
            continue        # "killed Burhan Wani": a man, though the tagger took "Wani" for a town
        if token.ent_type_ in ("GPE", "LOC", "FAC") or (mention is not None and mention.role == "place") or \
                (mention is not None and token.dep_ != "compound" and
                 _country_named(token.doc[mention.start:mention.end])):   # "East China Sea" is no China
            span = entity_span(token) if token.ent_type_ in ("GPE", "LOC", "FAC") or mention is None else \
                token.doc[mention.start:mention.end]          # "the Gaza Strip", not "Strip"
            span = _without_dates(span)
            code = mention.code if mention else None
            place = lookup_place(span.text, code, prefer) or Place(span.text, code)
            return _as_province(place) if token.i != obj.i and obj.lemma_.lower() in REGION_WORDS else place
        city = _city_before_country(token, mentions_at, prefer)
        if city is not None:
            return city
        glued = lookup_city(token.text, prefer) if token.i != obj.i and obj.lower_ in DATE_WORDS and \
            token.dep_ == "compound" else None
        if glued is not None:
            return glued
    return _owned_capital(obj, mentions_at)


def _owned_capital(obj: Token, mentions_at: Mapping[int, Mention]) -> Place | None:
    """'the Thai capital', "Ethiopia's capital": the capital city of the state named."""
    if obj.lemma_.lower() != "capital":
        return None
    owners = {code for c in obj.children if c.dep_ in ("amod", "poss", "compound")
              and (m := mentions_at.get(c.i)) is not None and (code := m.code) and is_country_code(code)}
    return capital_of(owners.pop()) if len(owners) == 1 else None


def _loose_apposition(obj: Token) -> list[Token]:
    """"in the capital, Kabul": the name after a noun and a comma, which the parser often
    hangs elsewhere in the sentence."""
    after = obj.right_edge.i + 1
    doc = obj.doc
    if obj.pos_ != "NOUN" or after + 1 >= len(doc) or doc[after].text != "," or \
            doc[after + 1].ent_type_ not in ("GPE", "LOC") or doc[after + 1].ent_iob_ != "B":
        return []
    return [doc[after + 1]]


def _named_region(obj: Token, mentions_at: Mapping[int, Mention]) -> Place | None:
    """"The Middle Shabelle region": a first-level division the gazetteer does not list,
    named by the proper nouns before the word "region" (a city's name is handled as a
    city's province by _place_of)."""
    names = [c for c in obj.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if not names or any(n.i in mentions_at or lookup_city(n.text) is not None for n in names):
        return None
    start = min(n.left_edge.i for n in names)
    name = obj.doc[start:names[-1].i + 1].text
    return Place(name, province=name, resolution="province")


def _country_named(span: DocSpan) -> bool:
    """Whether an actor mention is a country's own name ("a trip to South Sudan"), which the
    tagger did not mark as a place."""
    place = lookup_place(span.text)
    return place is not None and place.resolution == "country"


def _named_person(token: Token) -> bool:
    """A place-tagged word that is the surname in a person's name: a capitalised given
    name before it outside the entity, and an apposition saying who he is ("Burhan Wani,
    a separatist leader")."""
    span = entity_span(token)
    return any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ in ("", "PERSON") and
               not span.start <= c.i < span.end for c in token.children) and \
        any(c.dep_ == "appos" for c in token.children)


def _without_dates(span: DocSpan) -> DocSpan:
    """The place name without the day the tagger glued to it ("Pyongyang Thursday")."""
    end = span.end
    while end - 1 > span.start and span.doc[end - 1].lower_ in DATE_WORDS:
        end -= 1
    return span.doc[span.start:end]


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
