"""Events from a parsed, actor-resolved Doc: triggers → type, arguments, status, date, place."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..actors.resolve import Mention
from ..schema import Entity, Event, Span
from . import cameo as cameo_table
from .arguments import (OBJECTS, PASSIVE_SUBJECTS, MentionIndex, agent_token, is_passive,
                        prep_objects, recipient_preps, subject_token)
from .dates import resolve_date
from .lexicon import Lexicon, Trigger
from .places import event_place
from .status import aux_mode

MAX_EVENTS_PER_SENTENCE = 6
HISTORICAL_AFTER_DAYS = 365
# Nominal events introduced by these are background, not news (CONVENTIONS point 2).
BACKGROUND_PREPS = {"following", "since", "despite", "amid", "over", "of", "about", "regarding",
                    "against"}
OCCURRENCE_VERBS = {"take", "begin", "start", "end", "resume", "continue", "happen", "occur",
                    "open", "conclude", "hold", "come", "follow", "include"}
# Verbs that introduce what others did; never events themselves.
NON_EVENT_CONTEXTS = {"amod", "compound", "nmod"}
# An event whose actor heads this trigger's own clause governs it: "agreed to meet" is one
# AGREE, "invited X to participate" one invitation.
# PLOVER types that commonly have no recipient: a protest, a deployment, an attack on
# unnamed targets, a release.
UNDIRECTED_TYPES = {"PROTEST", "MOBILIZE", "ASSAULT", "COERCE", "RETREAT"}
# Verbs whose object is what is talked about, not who is talked with.
TOPIC_OBJECT_VERBS = {"discuss", "negotiate", "debate", "review", "address", "consider"}
DISPATCH_VERBS = {"send", "dispatch", "deploy", "order"}
ENVOYS = {"representative", "delegation", "envoy", "official", "minister", "diplomat",
          "team", "emissary", "negotiator", "mission", "ambassador", "secretary"}
FORCES = {"troops", "troop", "soldier", "force", "warship", "destroyer", "carrier",
          "battalion", "brigade", "squadron", "unit", "submarine", "marine"}
JOINT_MARKERS = {"joint", "combined", "multinational", "trilateral", "bilateral", "allied"}
FIRING_VERBS = {"launch", "fire", "rain", "hurl", "lob", "drop", "shoot"}
WEAPONS = {"missile", "drone", "rocket", "shell", "bomb", "projectile", "munition", "warhead"}
AIMING_PREPS = {"at", "on", "toward", "towards", "against", "into", "over"}
DEEP_TARGET_TYPES = {"SANCTION", "ASSAULT", "COERCE", "ACCUSE", "THREATEN", "AID"}
TIME_LIMITS = {"month", "day", "week", "hour", "year", "deadline", "ultimatum", "time"}
BACKING = {"support", "backing", "help", "assistance"}
# Cooperation between parts of one state is rare in news and usually a parse slip
# ("Austin spoke with U.S. commanders" is not diplomacy).
INTERNATIONAL_TYPES = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID"}
SUBJECT_DEPTH = 2      # "the militaries of the United States": shallow; deeper is someone else
JUDGING_TYPES = {"ACCUSE", "SUPPORT", "REJECT"}
BACKGROUND_MARKS = {"since", "until", "till"}
STOP_VERBS = {"halt", "cut", "suspend", "stop", "end", "freeze"}
HOSTILITIES = {"fighting", "hostility", "attack", "strike", "war", "offensive", "bombing",
               "shelling", "operation", "violence", "combat", "fire"}
ADDRESSING_VERBS = {"call", "urge", "demand", "ask", "insist", "press", "appeal", "encourage", "request"}
LABOUR_STRIKE = {"general", "labor", "labour", "national", "nationwide", "sit-in", "workers", "teachers",
                 "doctors", "rail", "transport", "wildcat", "warning"}
STRIKE_PROTEST_VERBS = {"stage", "hold", "call", "go", "begin", "end", "join", "stop", "threaten"}
ASKING_VERBS = {"seek", "request", "demand", "ask"}
REDUCING_VERBS = {"reduce", "cut", "halt", "suspend", "end", "stop", "freeze", "slash", "scale"}
MOODS = {"optimism", "pessimism", "hope", "skepticism", "scepticism", "sympathy", "regret",
         "confidence", "doubt", "surprise", "condolence"}
STATEMENT_OBJECTS = {"comment", "charge", "allegation", "accusation", "report", "claim",
                     "responsibility", "involvement", "wrongdoing", "knowledge", "rumor", "rumour"}
MESSAGES = {"message", "letter", "note", "signal", "greeting", "greetings"}
PUNITIVE_TYPES = {"SANCTION", "COERCE", "ASSAULT", "ACCUSE", "THREATEN", "REJECT", "PROTEST", "MOBILIZE"}
TRUCES = {"ceasefire", "truce", "armistice", "cease-fire"}
DISCUSSION_WORDS = {"discussed", "discus", "discusse", "discussing", "talked", "reviewed", "addressed",
                    "exchanged"}
# Acts a state does to people in its hands; with no one else named, its own citizens.
REPRESSION = {"execute", "arrest", "detain", "jail", "imprison", "hang", "torture", "sentence",
              "execution", "detention", "crackdown"}
CONTENT_PREPS = {"to", "in", "for", "on", "into"}     # "invited X to the talks", "agreed on talks"
GATHERING_VERBS = {"include", "involve", "bring", "gather", "draw", "feature"}
HOSTED_TYPES = {"AGREE", "CONSULT", "ACCUSE"}
GOVERNING_TYPES = {"AGREE", "REQUEST", "THREATEN", "ACCUSE", "SUPPORT"}


@dataclass
class Candidate:
    trigger: Trigger
    token: object                  # the trigger token (verb, or event noun)
    light: object | None           # light verb carrying a nominal trigger
    actors: list[Mention] = field(default_factory=list)
    recipients: list[Mention] = field(default_factory=list)
    inherited: bool = False        # actor inferred via control, coordination or a pronoun
    nominal: bool = False
    predicative: bool = False      # "X is concerned about Y": the trigger is an adjective
    domestic: bool = False         # done to the actor's own people ("Iran executed two men")


def code_events(doc, mentions: list[Mention], lexicon: Lexicon, doc_id: str,
                published: date | None) -> tuple[list[Event], list[str], set[Mention]]:
    """Events of the doc, notes on what was capped, and the mentions used as arguments."""
    index = MentionIndex(doc, mentions)
    events: list[Event] = []
    notes: list[str] = []
    used: set[Mention] = set()
    talked_about: dict[str, list[Mention]] = {}     # "deal" → the parties of the deal
    for sent_no, sent in enumerate(doc.sents):
        candidates = _sentence_candidates(sent, index, lexicon)
        for cand in candidates:
            if not cand.recipients and cand.trigger.event in JUDGING_TYPES:
                cand.recipients = _judged_parties(cand, talked_about)
                _drop_overlap(cand)
        for cand in candidates:
            if cand.actors:
                for noun in _event_nouns(cand):
                    talked_about[noun] = list(cand.actors)
        kept = [c for c in candidates if _complete(c)]
        if len(kept) > MAX_EVENTS_PER_SENTENCE:
            kept.sort(key=_confidence, reverse=True)
            notes.append(f"sentence {sent_no + 1}: {len(kept)} candidate events, kept the "
                         f"{MAX_EVENTS_PER_SENTENCE} most confident (cap per sentence)")
            kept = sorted(kept[:MAX_EVENTS_PER_SENTENCE], key=lambda c: c.token.i)
        for cand in kept:
            events.append(_to_event(cand, sent, index, doc_id, published))
            used.update(cand.actors, cand.recipients)
    return _one_per_real_event(events), notes, used


def main_trigger(doc, mentions: list[Mention], lexicon: Lexicon) -> Trigger | None:
    """The trigger of a text's main event, whether or not its actors could be coded:
    the nearest the root of its sentence, preferring ones with a known actor. Used to
    classify sentences (e.g. into CAMEO quad classes) where no full event is needed."""
    index = MentionIndex(doc, mentions)
    best, best_key = None, None
    for sent in doc.sents:
        for cand in _sentence_candidates(sent, index, lexicon):
            anchor = cand.light if cand.light is not None else cand.token
            key = (not cand.actors, _depth(anchor), anchor.i)
            if best_key is None or key < best_key:
                best, best_key = _polarity(cand.trigger, aux_mode(anchor)), key
    return best


def _polarity(trigger: Trigger, aux: str | None) -> Trigger:
    """A refused agreement or withheld support is a rejection ("could not support")."""
    if aux == "negation" and trigger.event in ("SUPPORT", "AGREE"):
        return Trigger("REJECT", "120")
    return trigger


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def _event_nouns(cand: Candidate) -> set[str]:
    """Nouns naming what an event was about: its trigger noun and the nouns it governs
    ("agreed to a ceasefire deal" → deal, ceasefire)."""
    anchor = cand.light if cand.light is not None else cand.token
    nouns = {cand.token.lemma_.lower()} if cand.token.pos_ == "NOUN" else set()
    for child in anchor.children:
        targets = [child] if child.dep_ in OBJECTS else \
            [g for g in child.children if g.dep_ == "pobj"] if child.dep_ == "prep" else []
        for target in targets:
            if target.pos_ == "NOUN":
                nouns.add(target.lemma_.lower())
                nouns.update(c.lemma_.lower() for c in target.children if c.dep_ == "compound")
    return nouns


def _judged_parties(cand: Candidate, talked_about: dict[str, list[Mention]]) -> list[Mention]:
    """'Biden welcomed the deal': the parties of the deal reported earlier."""
    anchor = cand.light if cand.light is not None else cand.token
    for child in anchor.children:
        if child.dep_ in OBJECTS and child.lemma_.lower() in talked_about:
            return [m for m in talked_about[child.lemma_.lower()] if m not in cand.actors]
    return []


def _complete(cand: Candidate) -> bool:
    """An event needs an actor; directed interactions also need a recipient, or several
    actors acting together ("Kenya and Ethiopia signed…"). Vague one-sided statements
    without a target are not events (CONVENTIONS: "without an identifiable target")."""
    if not cand.actors:
        return False
    if cand.recipients or cand.domestic or cand.trigger.event in UNDIRECTED_TYPES:
        return True
    if cand.nominal and cand.trigger.event == "CONSULT" and any(m.ref.sector == "IGO" for m in cand.actors):
        return True      # "the NATO summit": a meeting of the organisation's members
    return len({m.code for m in cand.actors}) > 1


def _sentence_candidates(sent, index: MentionIndex, lexicon: Lexicon) -> list[Candidate]:
    found: list[Candidate] = []
    used_nouns: set[int] = set()
    for token in sent:
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN" and token.tag_.startswith("VB")):
            cand = _verbal(token, lexicon)
            if cand is None:
                continue
            if cand.light is not None:
                used_nouns.add(cand.token.i)
            found.append(cand)
    for token in sent:
        gerund = token.tag_ == "VBG" and token.dep_ in ("nsubj", "nsubjpass", "csubj", "dobj", "pobj")
        if (token.pos_ in ("NOUN", "PROPN") or gerund) and token.i not in used_nouns:
            cand = _nominal(token, lexicon)
            if cand is not None:
                found.append(cand)
        elif token.pos_ == "ADJ" and token.dep_ == "acomp" and token.lower_ in lexicon.adjectives:
            found.append(Candidate(lexicon.adjectives[token.lower_], token, None, predicative=True))
    found = [c for c in found if not _governed_by_other(c, found)]
    for cand in found:
        _fill_arguments(cand, index)
    return found


def _verbal(verb, lexicon: Lexicon) -> Candidate | None:
    if verb.dep_ in NON_EVENT_CONTEXTS or _background_clause(verb, lexicon):
        return None
    lemma = verb.lemma_.lower()
    if lemma in lexicon.light_verbs or _light_phrase(verb, lexicon):
        noun = _event_object(verb, lexicon)
        if noun is not None:
            if _statement(verb, noun):
                return None
            return Candidate(_carried_trigger(verb, noun, lexicon), noun, verb)
    for particle in verb.children:
        if particle.dep_ in ("prt", "prep") and f"{lemma} {particle.lower_}" in lexicon.verbs \
                and not _names_a_time(particle):
            trigger = lexicon.verbs[f"{lemma} {particle.lower_}"]
            if trigger.event == "REQUEST" and _asks_for_punishment(particle, lexicon):
                trigger = Trigger("REQUEST", "100")    # a call for sanctions is a demand
            return Candidate(trigger, verb, None)
    special = _idiom(verb)
    if special is not None:
        return Candidate(special, verb, None)
    if lemma in lexicon.verbs:
        if lemma in ("decline", "deny", "refuse") and _says_nothing(verb):
            return None
        trigger = _by_object(verb, lexicon.verbs[lemma])
        return Candidate(trigger, verb, None) if trigger is not None else None
    return None


def _asks_for_punishment(prep, lexicon: Lexicon) -> bool:
    for obj in prep.children:
        if obj.dep_ == "pobj" and _noun_key(obj, lexicon):
            return _noun_trigger(obj, lexicon).event in PUNITIVE_TYPES
    return False


def _names_a_time(prep) -> bool:
    """'called Lavrov on Tuesday' is a call, not 'call on' (appeal)."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _idiom(verb) -> Trigger | None:
    """Verbs that carry an event only in a fixed frame: 'found X guilty', 'stopped work'."""
    lemma = verb.lemma_.lower()
    if lemma == "find" and any(c.lower_ == "guilty" for c in verb.children):
        return Trigger("ACCUSE", "116", "disapprove")
    obj = next((c for c in verb.children if c.dep_ in OBJECTS), None)
    if lemma in ("break", "violate") and obj is not None and \
            ({obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.children}) & TRUCES:
        return Trigger("ASSAULT", "196")        # breaking a ceasefire
    if lemma in ("stop", "down") and obj is not None and obj.lemma_.lower() in ("work", "tool"):
        return Trigger("PROTEST", "143", "boycott")
    return None


def _says_nothing(verb) -> bool:
    """'declined to comment', 'denied the charges': statements (CAMEO 01), not rejections."""
    for child in verb.children:
        if child.dep_ in OBJECTS and child.lemma_.lower() in STATEMENT_OBJECTS:
            return True
        if child.dep_ == "xcomp" and child.lemma_.lower() in ("comment", "say", "confirm", "discuss", "elaborate"):
            return True
    return False


def _by_object(verb, trigger: Trigger) -> Trigger | None:
    """Dispatch verbs mean what they dispatch: an envoy makes a visit, troops a deployment;
    missiles fired at a target are an attack, a launch with no target a show of force."""
    lemma = verb.lemma_.lower()
    obj = next((c for c in verb.children if c.dep_ in OBJECTS or c.dep_ in PASSIVE_SUBJECTS), None)
    if obj is None and verb.dep_ == "acl":
        obj = verb.head                    # "missiles launched by Iran toward Israel"
    if lemma in FIRING_VERBS and obj is not None and obj.lemma_.lower() in WEAPONS:
        aimed = any(c.dep_ == "prep" and c.lower_ in AIMING_PREPS
                    for v in (verb, *verb.conjuncts) for c in v.children)
        return Trigger("ASSAULT", "190") if aimed else Trigger("MOBILIZE", "150", "weapons")
    stopped = obj if obj is None or obj.lemma_.lower() in HOSTILITIES else (_of_complement(obj) or obj)
    if lemma in STOP_VERBS and stopped is not None and stopped.lemma_.lower() in HOSTILITIES:
        return Trigger("RETREAT", "087", "ceasefire")    # halting the fighting, not aid
    if lemma in ("send", "deliver") and obj is not None and obj.lemma_.lower() in MESSAGES:
        return None                           # a message or letter is a statement
    if lemma == "give" and any(c.dep_ in OBJECTS and c.lemma_.lower() in TIME_LIMITS for c in verb.children):
        return Trigger("REQUEST", "100")   # "gave the juntas six months to reconsider"
    if lemma not in DISPATCH_VERBS or obj is None:
        return trigger
    if obj.ent_type_ == "PERSON" or obj.lemma_.lower() in ENVOYS:
        return Trigger("CONSULT", "042", "visit")
    if obj.lemma_.lower() in FORCES:
        return Trigger("MOBILIZE", "154", "troops")
    return trigger


def _background_clause(verb, lexicon: Lexicon) -> bool:
    """'since Moscow launched its invasion' anchors the news in the past; 'sanctions
    targeting Russian gas' describes the sanctions. Neither is a new event."""
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in verb.children):
        return True
    return verb.dep_ == "acl" and verb.tag_ == "VBG" and _noun_key(verb.head, lexicon) is not None


def _carried_trigger(verb, noun, lexicon: Lexicon) -> Trigger:
    """What a light verb + event noun means; asking for something is a request for it,
    cutting it is a sanction, easing sanctions a concession."""
    trigger = _noun_trigger(noun, lexicon, verb)
    lemma = verb.lemma_.lower()
    if lemma in ASKING_VERBS:
        punitive = trigger.event in PUNITIVE_TYPES
        return Trigger("REQUEST", "100" if lemma == "demand" or punitive else "020")
    if lemma in REDUCING_VERBS:
        if trigger.event in ("AID", "COOPERATE"):
            return Trigger("SANCTION", "162", "discontinue")
        if trigger.event == "SANCTION":
            return Trigger("RETREAT", "085", "ease")
        if trigger.event in ("ASSAULT", "CONSULT"):
            return Trigger("RETREAT", "087", "ceasefire") if trigger.event == "ASSAULT" \
                else Trigger("SANCTION", "164", "withdraw")
    return trigger


def _statement(verb, noun) -> bool:
    """'declined to comment', 'denied the charges', 'expressed optimism': statements
    (CAMEO 01), not PLOVER events."""
    return verb.lemma_.lower() in ("express", "voice") and noun.lemma_.lower() in MOODS


def _light_phrase(verb, lexicon: Lexicon) -> bool:
    return any(f"{verb.lemma_.lower()} {c.lower_}" in lexicon.light_verbs
               for c in verb.children if c.dep_ in ("prt", "prep"))


def _event_object(verb, lexicon: Lexicon):
    """The event noun a light verb carries: its object ("held talks"), an "of"
    complement of it ("a new round of sanctions"), or "engage in talks"."""
    for child in verb.children:
        if child.dep_ in OBJECTS or child.dep_ in PASSIVE_SUBJECTS:
            if _noun_key(child, lexicon):
                return child
            inner = _of_complement(child)
            if inner is not None and _noun_key(inner, lexicon):
                return inner
        if child.dep_ in ("prep", "prt") and child.lower_ in ("in", "on", "out", "to"):
            for grand in child.children:
                if grand.dep_ in ("pobj", "dobj") and _noun_key(grand, lexicon):
                    return grand
            for sibling in verb.children:      # "carry out strikes"
                if child.dep_ == "prt" and sibling.dep_ in OBJECTS and _noun_key(sibling, lexicon):
                    return sibling
    return None


def _of_complement(noun):
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def _noun_key(noun, lexicon: Lexicon) -> str | None:
    """The lexicon key a noun heads: 'martial law', 'cease-fire', 'state of emergency', 'talks'."""
    doc = noun.doc
    before = [doc[noun.i - k] for k in (2, 1) if noun.i - k >= 0]
    if len(before) == 2 and before[1].text == "-" and f"{before[0].lower_}-{noun.lower_}" in lexicon.nouns:
        return f"{before[0].lower_}-{noun.lower_}"
    if before and f"{before[-1].lower_} {noun.lower_}" in lexicon.nouns:
        return f"{before[-1].lower_} {noun.lower_}"
    after = doc[noun.i:noun.i + 3].text.lower()
    if after in lexicon.nouns:
        return after
    for key in (noun.lower_, noun.lemma_.lower()):
        if key in lexicon.nouns:
            return key
    return None


def _noun_trigger(noun, lexicon: Lexicon, light=None) -> Trigger:
    trigger = lexicon.nouns[_noun_key(noun, lexicon)]
    if noun.lemma_.lower() == "strike":
        trigger = _which_strike(noun, light) or trigger
    joint = any(c.lower_ in JOINT_MARKERS for c in noun.children if c.dep_ in ("amod", "compound"))
    if joint and trigger.event in ("MOBILIZE", "ASSAULT"):
        return Trigger("COOPERATE", "062")   # joint drills, patrols, operations
    return trigger


def _which_strike(noun, light) -> Trigger | None:
    """A strike is a labour protest ("a general strike", "workers went on strike") or an
    attack ("air strikes", "strikes against targets")."""
    mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "nmod")}
    if "hunger" in mods:
        return Trigger("PROTEST", "142", "hunger")
    if mods & LABOUR_STRIKE or (light is not None and light.lemma_.lower() in STRIKE_PROTEST_VERBS) \
            or (noun.dep_ == "pobj" and noun.head.lower_ == "on" and noun.head.head.lemma_ == "go"):
        return Trigger("PROTEST", "143", "boycott")
    return None


def _nominal(noun, lexicon: Lexicon) -> Candidate | None:
    """A nominal event: "talks between A and B took place", "the invitation from NATO"."""
    key = _noun_key(noun, lexicon)
    if key is None or noun.dep_ in ("compound", "amod") or key in lexicon.carried_only:
        return None
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in BACKGROUND_PREPS:
        return None
    trigger = _noun_trigger(noun, lexicon)
    if _backing_phrase(noun):
        return Candidate(Trigger("AID", "070"), noun, None, nominal=True)
    if noun.dep_ in ("nsubj", "nsubjpass") and head.lemma_ in OCCURRENCE_VERBS:
        return Candidate(trigger, noun, None, nominal=True)
    has_party = any(c.dep_ in ("poss", "prep") or
                    (c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "ORG", "NORP"))
                    for c in noun.children)
    return Candidate(trigger, noun, None, nominal=True) if has_party else None


def _backing_phrase(noun) -> bool:
    """'X did Y, with support from Z': Z aided X (an AID event, not praise)."""
    return (noun.lemma_.lower() in BACKING and noun.dep_ == "pobj" and noun.head.lower_ == "with"
            and any(c.dep_ == "prep" and c.lower_ in ("from", "of") for c in noun.children))


def _governed_by_other(cand: Candidate, found: list[Candidate]) -> bool:
    """'agreed to meet', 'urged X to withdraw': the governing verb is the event."""
    node = cand.light or cand.token
    content_of = cand.nominal and node.dep_ == "pobj" and node.head.lower_ in CONTENT_PREPS
    if node.dep_ != "xcomp" and not content_of:
        return False
    heads = {c.token.i for c in found if c is not cand and c.trigger.event in GOVERNING_TYPES}
    heads |= {c.light.i for c in found if c is not cand and c.light is not None
              and c.trigger.event in GOVERNING_TYPES}
    up = node.head if node.dep_ != "pobj" else node.head.head
    return up.i in heads


def _fill_arguments(cand: Candidate, index: MentionIndex) -> None:
    verb = cand.light if cand.light is not None else cand.token
    event = cand.trigger.event
    if cand.nominal:
        _fill_nominal(cand, index)
        return
    if cand.predicative:
        _fill_predicative(cand, index)
        return
    if is_passive(verb):
        agent = agent_token(verb)
        cand.actors = index.for_token(agent) if agent is not None else \
            _implicit_host(verb, index, event)
        patient = next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS), None)
        if patient is None and verb.dep_ in ("acl", "relcl"):
            patient = verb.head
        cand.recipients = index.for_token(patient) if patient is not None else []
        if cand.light is not None and patient is not None and patient.i == cand.token.i:
            cand.recipients = []           # "sanctions were imposed on X": X via prep below
    else:
        subject, inherited = subject_token(verb)
        cand.actors = index.for_token(subject, depth=SUBJECT_DEPTH) if subject is not None else []
        cand.inherited = inherited or (subject is not None and subject.pos_ == "PRON")
        if cand.light is None and verb.lemma_.lower() not in TOPIC_OBJECT_VERBS:
            for child in verb.children:
                if child.dep_ in OBJECTS:
                    cand.recipients.extend(_object_targets(child, cand, index))
    if cand.light is not None and not is_passive(verb):
        for child in verb.children:
            if child.dep_ in OBJECTS and child.i != cand.token.i and cand.token not in child.subtree:
                cand.recipients.extend(index.for_token(child))
    preps = recipient_preps(event)
    for holder in filter(None, (verb, cand.token if cand.light is not None else None)):
        for obj in prep_objects(holder, preps):
            cand.recipients.extend(m for m in index.for_token(obj) if m not in cand.recipients)
    if not cand.recipients and cand.light is not None:
        # whose meeting it is: "NATO's meeting", "a meeting of NATO foreign ministers"
        cand.recipients = [index.at[c.i] for c in cand.token.children
                           if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in index.at
                           and index.at[c.i] not in cand.actors]
        host = _of_complement(cand.token) if event == "CONSULT" else None
        if not cand.recipients and host is not None:
            cand.recipients = [m for m in index.for_token(host, depth=1) if m not in cand.actors]
    if not cand.recipients:
        cand.recipients = _complement_recipients(verb, index)
    if not cand.recipients and event in DEEP_TARGET_TYPES:
        cand.recipients = _deep_target(cand, verb, index)
    if not cand.recipients and verb.lemma_.lower() in REPRESSION and cand.actors and \
            any(len(m.code) == 3 for m in cand.actors):
        cand.domestic = True
    if not cand.recipients and event == "ASSAULT" and not cand.domestic:
        cand.recipients = _document_victim(cand, index)
    if not cand.recipients:
        gathering = cand.token if cand.light is not None else \
            next((c for c in verb.children if c.dep_ in OBJECTS), None)
        if gathering is not None and gathering.pos_ == "NOUN":
            cand.recipients = index.earlier_owner(gathering)
    _drop_overlap(cand)


def _object_targets(obj, cand: Candidate, index: MentionIndex) -> list[Mention]:
    """Condemning or praising an act targets whoever did it: "condemned the assault on
    Goma by the M23" → M23, "welcomed Russia's decision" → Russia."""
    if cand.trigger.event in JUDGING_TYPES and obj.pos_ == "NOUN":
        doers = [index.at[c.i] for c in obj.children if c.dep_ in ("poss", "amod", "compound") and c.i in index.at]
        # a "by" phrase on a non-passive verb belongs to its object (a common misparse)
        by_holders = list(obj.children) + ([c for c in obj.head.children if c.dep_ == "agent"]
                                           if not is_passive(obj.head) else [])
        for prep in by_holders:
            if prep.dep_ in ("prep", "agent") and prep.lower_ == "by":
                doers += [m for g in prep.children if g.dep_ == "pobj" for m in index.for_token(g, depth=1)]
        doers = [m for m in doers if m.code]
        if doers:
            return doers
    return index.for_token(obj)


def _deep_target(cand: Candidate, verb, index: MentionIndex) -> list[Mention]:
    """Sanctions on 'two entities … in Russia-occupied Crimea', the 'executions of two
    protesters': the target polity is named somewhere in the clause. Take the one the
    document talks about most."""
    subject_tokens = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "conj") for t in c.subtree}
    actor_codes = {m.code for m in cand.actors}
    backers = {t.i for n in verb.subtree if _backing_phrase(n) for t in n.subtree}
    found = [index.at[t.i] for t in verb.subtree
             if t.i in index.at and t.i not in subject_tokens and t.i not in backers
             and index.at[t.i].code and index.at[t.i].code not in actor_codes]
    if not found:
        return []
    weight = index.code_counts()
    best = max(found, key=lambda m: weight.get(m.code, 0))
    return [best]


def _document_victim(cand: Candidate, index: MentionIndex) -> list[Mention]:
    """'Russian forces killed three people': in a report about one country under attack,
    the unnamed victims are that country's. Only when one state clearly dominates."""
    actor_codes = {m.code for m in cand.actors}
    counts = {c: n for c, n in index.code_counts().items() if c not in actor_codes and len(c) == 3}
    if not counts:
        return []
    ranked = sorted(counts.values(), reverse=True)
    best = max(counts, key=counts.get)
    if ranked[0] < 2 or (len(ranked) > 1 and ranked[0] < 2 * ranked[1]):
        return []
    return [next(m for m in index.mentions if m.code == best)]


def _complement_recipients(verb, index: MentionIndex) -> list[Mention]:
    """'threatened to strike Iran', 'refused to meet Iran': the recipient sits in the
    verb's infinitive complement."""
    for child in verb.children:
        if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "with" for g in child.children):
            # "spoke with X to discuss…", often parsed with X as the subject of "discuss"
            subject = next((g for g in child.children if g.dep_ == "nsubj"), None)
            if subject is not None:
                return index.for_token(subject)
        if child.dep_ in ("ccomp", "advcl") and verb.lemma_.lower() in ADDRESSING_VERBS:
            # "called for Russia to withdraw", "demanded that Iran stop"
            subject = next((g for g in child.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and index.for_token(subject, depth=1):
                return index.for_token(subject, depth=1)
        if child.dep_ == "xcomp":
            for grand in child.children:
                if grand.dep_ in OBJECTS:
                    return index.for_token(grand)
                if grand.dep_ == "prep" and grand.lower_ in ("with", "to", "against", "on"):
                    objs = [g for g in grand.children if g.dep_ == "pobj"]
                    if objs:
                        return index.for_token(objs[0])
    return []


def _fill_predicative(cand: Candidate, index: MentionIndex) -> None:
    """'X is deeply disappointed that Y vetoed…': X the actor, Y (or 'about Y') the recipient."""
    adjective, copula = cand.token, cand.token.head
    subject, inherited = subject_token(copula)
    cand.actors = index.for_token(subject) if subject is not None else []
    cand.inherited = inherited
    for obj in prep_objects(adjective, recipient_preps(cand.trigger.event) | {"by", "about"}):
        cand.recipients.extend(index.for_token(obj))
    for clause in adjective.children:
        if clause.dep_ == "ccomp":
            inner = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if inner is not None:
                cand.recipients.extend(index.for_token(inner))
    _drop_overlap(cand)


def _implicit_host(verb, index: MentionIndex, event: str) -> list[Mention]:
    """'X was invited to NATO's meeting': the owner of the gathering is the inviter."""
    if event not in HOSTED_TYPES:
        return []
    for child in verb.children:
        for node in child.subtree:
            if node.dep_ == "poss" and node.i in index.at and index.at[node.i].role != "place":
                return [index.at[node.i]]
    return []


def _fill_nominal(cand: Candidate, index: MentionIndex) -> None:
    noun = cand.token
    if _backing_phrase(noun):
        for obj in prep_objects(noun, {"from", "of"}):
            cand.actors.extend(index.for_token(obj, depth=1))
        clause = noun.head.head                      # the noun or verb "with" attaches to
        while clause.dep_ not in ("ROOT",) and clause.pos_ not in ("VERB", "AUX"):
            clause = clause.head
        subject, _ = subject_token(clause) if clause.pos_ in ("VERB", "AUX") else (None, False)
        if noun.head.head.dep_ in ("nsubj", "nsubjpass"):
            subject = noun.head.head
        cand.recipients = index.for_token(subject, depth=2) if subject is not None else []
        _drop_overlap(cand)
        return
    for child in noun.children:
        if child.dep_ == "poss":
            cand.actors.extend(index.for_token(child))
        elif child.dep_ in ("compound", "amod") and child.i in index.at:
            cand.actors.extend(index.for_token(child, depth=1))   # "the Japan, ROK and U.S. meeting"
    for obj in prep_objects(noun, {"by", "from"}):
        cand.actors.extend(index.for_token(obj, depth=1))
    between = list(prep_objects(noun, {"between", "among"}))
    for obj in between:
        cand.actors.extend(index.for_token(obj, depth=1))
    for obj in prep_objects(noun, recipient_preps(cand.trigger.event) - {"between"}):
        cand.recipients.extend(index.for_token(obj, depth=1))
    if not cand.recipients and cand.trigger.event in DEEP_TARGET_TYPES:
        cand.recipients = _deep_target(cand, noun, index)
    if not cand.recipients and noun.lemma_.lower() in REPRESSION and \
            any(len(m.code or "") == 3 for m in cand.actors):
        cand.domestic = True                  # "Iran's execution of two protesters"
    if not cand.recipients and cand.trigger.event == "ASSAULT" and cand.actors and not cand.domestic:
        cand.recipients = _document_victim(cand, index)
    if cand.trigger.event == "CONSULT":
        _meeting_parties(cand, noun, index)
    _drop_overlap(cand)


def _meeting_parties(cand: Candidate, noun, index: MentionIndex) -> None:
    """Who took part in a meeting named by a noun."""
    verb = noun.head if noun.dep_ in OBJECTS or noun.dep_ in ("nsubj", "nsubjpass") else \
        noun.head.head if noun.dep_ == "pobj" else None
    if verb is not None and verb.pos_ not in ("VERB", "AUX"):
        verb = None
    if verb is not None and noun.dep_ in ("nsubj", "nsubjpass") and verb.lemma_ in GATHERING_VERBS:
        # "the NATO gathering will include allies, the EU and Ukraine"
        cand.recipients += [index.at[t.i] for c in verb.children if c.dep_ in OBJECTS
                            for t in c.subtree if t.i in index.at and index.at[t.i].code]
    if not cand.actors and cand.recipients and verb is not None and noun.dep_ != "nsubj":
        # "welcomed the meeting with Kihara", "left for a trip to Australia": whoever
        # speaks of, or sets off on, a meeting with others takes part in it
        subject, _ = subject_token(verb)
        cand.actors = index.for_token(subject, depth=SUBJECT_DEPTH) if subject is not None else []
    if not cand.actors and len({m.code for m in cand.recipients}) > 1:
        # "the trilateral meeting with Kihara and Shin": those named met each other
        cand.actors, cand.recipients = cand.recipients, []


def _drop_overlap(cand: Candidate) -> None:
    """No actor is its own recipient; a recipient with the actor's code stays only when
    sectors tell them apart (KEN police → KEN protesters), not for "the U.S. commitment"."""
    cand.actors = [m for m in _dedupe(cand.actors) if m.code]
    actor_sectors = {(m.code, m.ref.sector) for m in cand.actors}
    actor_codes = {m.code for m in cand.actors}
    domestic_ok = cand.trigger.event not in INTERNATIONAL_TYPES
    cand.recipients = [m for m in _dedupe(cand.recipients)
                       if m.code and m not in cand.actors
                       and (m.code not in actor_codes or
                            (domestic_ok and m.ref.sector and (m.code, m.ref.sector) not in actor_sectors
                             and all(s for c, s in actor_sectors if c == m.code)))]


def _dedupe(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _confidence(cand: Candidate) -> float:
    score = 0.45
    if cand.recipients:
        score += 0.15
    if not cand.inherited:
        score += 0.1
    if not cand.nominal:
        score += 0.1
    if any(m.role == "actor" and m.ref.sector for m in cand.actors):
        score += 0.05
    if cand.trigger.event in ("CONSULT", "REQUEST", "ACCUSE", "ASSAULT", "SANCTION", "AID"):
        score += 0.05
    if any(m.role == "modifier" for m in cand.actors):
        score -= 0.1
    return max(0.05, min(0.95, score))


def _to_event(cand: Candidate, sent, index: MentionIndex, doc_id: str, published: date | None) -> Event:
    trig = cand.trigger
    aux = aux_mode(cand.light if cand.light is not None else cand.token)
    if aux == "negation" and trig.event in ("SUPPORT", "AGREE"):
        trig, aux = _polarity(trig, aux), None           # "could not support the draft"
    when, precision = _event_date(cand, sent, published, aux == "future")
    if when and published and aux is None and \
            date.fromisoformat(when) < published - timedelta(days=HISTORICAL_AFTER_DAYS):
        aux = "historical"
    recipients = list(cand.recipients)
    place = event_place(cand.light or cand.token, index.at)
    if trig.event == "CONSULT" and not recipients and place and place.country and \
            place.country not in {m.code for m in cand.actors}:
        host = Entity(place.country, None, place.name)       # visit mode: the host is the recipient
    else:
        host = None
    trigger_span = _trigger_span(cand)
    if when is None and published is not None:
        # no date in the text: the article's date, flagged so analyses can tell
        when, precision = published.isoformat(), "publication"
    mode = trig.mode
    confidence = _confidence(cand) - (0.1 if aux == "hypothetical" else 0.0)
    return Event(
        id=_event_id(doc_id, trigger_span.start, trig.event),
        event=trig.event,
        actor=_entities(cand.actors),
        recipient=_entities(recipients) + ((host,) if host else ()) + _own_people(cand),
        trigger=trigger_span,
        sentence=Span(sent.text, sent.start_char, sent.end_char),
        mode=mode, context=(), cameo=trig.cameo, aux=aux,
        date=when, date_precision=precision, event_loc=place,
        confidence=round(max(0.05, confidence), 3),
        quad_class=cameo_table.quad_class(trig.event, trig.cameo),
        score=cameo_table.score(trig.event, mode),
    )


def _trigger_span(cand: Candidate) -> Span:
    doc = cand.token.doc
    tokens = sorted(t for t in (cand.token, cand.light) if t is not None)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    if len(tokens) == 2 and tokens[1].i - tokens[0].i > 4:
        start, end = cand.token.idx, cand.token.idx + len(cand.token.text)
    return Span(doc.text[start:end], start, end)


def _entities(mentions: list[Mention]) -> tuple[Entity, ...]:
    """One entity per code: 'Kyiv' and 'Ukraine' in one recipient list are one party."""
    seen: dict[str, Entity] = {}
    for mention in mentions:
        seen.setdefault(mention.code, _entity(mention))
    return tuple(seen.values())


def _own_people(cand: Candidate) -> tuple[Entity, ...]:
    if not cand.domestic or cand.recipients:
        return ()
    state = next(m for m in cand.actors if len(m.code) == 3)
    return (Entity(state.code, "CVL", cand.token.text),)


def _entity(mention: Mention) -> Entity:
    return Entity(mention.code, mention.ref.sector, mention.ref.text)


def _event_id(doc_id: str, start: int, event: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{start}\x1f{event}".encode("utf-8")).hexdigest()[:16]


def _event_date(cand: Candidate, sent, published: date | None, future: bool):
    """A date expression attached to the trigger's clause, else the only one in the sentence."""
    anchor = cand.light or cand.token
    dates = [e for e in sent.ents if e.label_ in ("DATE", "TIME")]
    attached = [e for e in dates if _governs(anchor, e.root)]
    same_clause = [e for e in dates if _clause_verb(e.root) in (anchor, anchor.head, _clause_verb(anchor))]
    chosen = attached[0] if attached else (same_clause[0] if len(same_clause) == 1 else None)
    if chosen is None:
        return None, None
    resolved = resolve_date(chosen.text, published, future=future)
    return resolved if resolved else (None, None)


def _clause_verb(token):
    """The nearest verb above a token: whose clause it sits in."""
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return node


def _governs(anchor, token) -> bool:
    node = token
    for _ in range(4):
        if node.i == anchor.i:
            return True
        if node.head.i == node.i or node.pos_ in ("VERB",) and node.i != token.i:
            return False
        node = node.head
    return False


def _status_kind(event: Event) -> str:
    """Planned, denied and reported acts are different events; a historical restatement
    is the same as a reported one."""
    return {"future": "planned", "hypothetical": "planned", "negation": "denied"}.get(event.aux or "", "reported")


def _trigger_word(event: Event) -> str:
    """The trigger's last word, singular: "invited"/"invitation" differ, "talks"/"talk" not."""
    word = event.trigger.text.split()[-1].lower() if event.trigger.text.split() else ""
    return word.removesuffix("s")


def _restates_meeting(event: Event, kept: list[Event]) -> bool:
    """'The two also discussed…' after 'X spoke with Y': the same call, told again."""
    if event.event != "CONSULT" or _trigger_word(event) not in DISCUSSION_WORDS:
        return False
    parties = {e.code for e in (*event.actor, *event.recipient)}
    return any(k.event == "CONSULT" and parties <= {e.code for e in (*k.actor, *k.recipient)} for k in kept)


def _one_per_real_event(events: list[Event]) -> list[Event]:
    """One event per real-world event in a document (CONVENTIONS point 1): the same act
    (type, actors, recipients, status) told again with the same trigger word, or with
    another trigger in the same sentence ("launched an offensive, breaking the ceasefire"),
    or a meeting whose content is discussed again. The most confident telling is kept."""
    kept: list[Event] = []
    index: dict[tuple, int] = {}
    for event in events:
        if _restates_meeting(event, kept):
            continue
        base = (event.event, frozenset(a.code for a in event.actor),
                frozenset(r.code for r in event.recipient), _status_kind(event))
        keys = (base + ("word", _trigger_word(event)), base + ("sentence", event.sentence.start))
        slot = next((index[k] for k in keys if k in index), None)
        if slot is None:
            slot = len(kept)
            kept.append(event)
        elif event.confidence > kept[slot].confidence:
            kept[slot] = event
        for key in keys:
            index.setdefault(key, slot)
    return kept
