"""Who did it and to whom, for each candidate event: actor and recipient mentions from
the dependency parse and, where the sentence leaves them implicit, from the document."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from diurna.actors.resolve import Mention, state_in_focus
from diurna.records import ActorRef
from diurna.events.arguments import MentionIndex, recipient_preps
from diurna.events.places import FORCE_TYPES
from diurna.events.syntax import (OBJECTS, PASSIVE_SUBJECTS, SUBJECTS, agent_token, clause_verb, counted,
                                  headline_passive, is_passive, names_people, prep_objects, subject_token)
from diurna.events.candidates import (PROTECTION, Candidate, backing_phrase, downed_weapon, of_complement, weapon_aim)
from diurna.events.conflict import aggressor_tokens, opponent
from diurna.events.lexicon import Trigger
from diurna.events.words import WORDS
from diurna.nlp.words import WORDS as ENGLISH
from diurna.nlp.gazetteer import is_country_code

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs whose object is what is talked about, not who is talked with.
TOPIC_OBJECT_VERBS = WORDS.topic_object_verbs
DEEP_TARGET_TYPES = {"SANCTION", "ASSAULT", "COERCE", "ACCUSE", "THREATEN", "AID"}
# Hostile acts whose target may be the other side of the document's conflict.
SIDED_TYPES = {"SANCTION", "MOBILIZE", "THREATEN", "ASSAULT"}
# Cooperation between parts of one state is rare in news and usually a parse slip
# ("Austin spoke with U.S. commanders" is not diplomacy).
INTERNATIONAL_TYPES = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID"}
SUBJECT_DEPTH = 2      # "the militaries of the United States": shallow; deeper is someone else
JUDGING_TYPES = {"ACCUSE", "SUPPORT", "REJECT"}
ADDRESSING_VERBS = WORDS.addressing_verbs
# Harm whose telling by a voice outside the state accuses the doer ("rights groups say police killed …").
CLAIMED_TYPES = frozenset({"ASSAULT", "COERCE"})
CLAIMING = WORDS.claiming
STATE_VOICE = {None, "GOV", "MIL", "POL"}     # a state speaking, not rights groups or opposition
# Acts a state does to people in its hands; with no one else named, its own citizens.
REPRESSION = WORDS.repression
# Acts on people in custody: taken into it, or let out of it.
CUSTODY = REPRESSION | WORDS.custody_release
EXPERIENCING = WORDS.experiencing
FEELING = WORDS.feeling
CAPTURING = WORDS.capturing
CUSTODY_RELEASE = WORDS.custody_release
# Modals of what someone should or must do (obligation_of).
OBLIGATION = frozenset({"should", "must"})
REPORTING = WORDS.reporting
FIRST_PERSON = frozenset({"we", "i"})
AGGRESSION = ENGLISH.aggression
# Sectors of a state's own political life (CONVENTIONS §12 sectors).
POLITICAL_SECTORS = frozenset({"GOV", "OPP", "PTY", "LEG", "JUD"})
GATHERING_VERBS = WORDS.gathering_verbs
HOSTED_TYPES = {"AGREE", "CONSULT", "ACCUSE"}
# Acts that, with no recipient and no one else named, are done within the actor's country.
DOMESTIC_TYPES = {"PROTEST", "COERCE", "RETREAT", "ASSAULT", "CONCEDE", "REJECT", "ACCUSE", "MOBILIZE"}
DOMESTIC_FORCES = {"POL", "CVL", "OPP", "GOV"}
HOME_FORCES = {"POL"}
# People in the street: force used on them with no one named is the police's.
DEMONSTRATORS = WORDS.demonstrators
PROTESTERS = {"CVL", "OPP", "EDU"}
VISIT_WORDS = WORDS.visit_words
# Addressees that are states themselves, not people of one.
STATE_COLLECTIVES = frozenset({"ally", "partner", "country", "nation", "community", "world", "donor",
                               "neighbor", "neighbour"})
# Verbs whose object is someone else's deed: judged, reported, asked for or watched.
OTHERS_DEEDS = WORDS.others_deeds
BACKGROUND_MARKS = WORDS.background_marks
# Acts done to someone, whose noun takes them with "of": "the arrest of", "the killing of".
DONE_TO_TYPES = frozenset({"COERCE", "RETREAT", "ASSAULT"})
# Participles of leading a group, not of doing an act ("a delegation led by").
LEADING = frozenset({"lead", "head", "chair", "command"})
VISIT_PREPS = frozenset({"in", "to", "at"})
CUSTODY_PREPS = frozenset({"in", "at", "from"})


def fill_arguments(cand: Candidate, index: MentionIndex) -> None:
    verb = cand.light if cand.light is not None else cand.token
    event = cand.trigger.event
    if cand.nominal:
        _fill_nominal(cand, index)
        return
    if cand.predicative:
        _fill_predicative(cand, index)
        return
    if cand.said_by is not None:
        _fill_warning(cand, index)
        return
    if is_passive(verb) and _feels(verb):
        _fill_feeling(cand, verb, index)
    elif is_passive(verb):
        agent = agent_token(verb)
        cand.actors = index.for_token(agent) if agent is not None else \
            _implicit_host(verb, index, event)
        patients = PASSIVE_SUBJECTS | SUBJECTS if headline_passive(verb) else PASSIVE_SUBJECTS
        patient = next((c for c in verb.children if c.dep_ in patients), None)
        if patient is None and verb.dep_ in ("acl", "relcl"):
            patient = verb.head
        cand.recipients = index.for_token(patient) if patient is not None else []
        if cand.light is not None and patient is not None and patient.i == cand.token.i:
            cand.recipients = []           # "sanctions were imposed on X": X via prep below
        captors, captives = _released_by_captors(verb, index) if agent is None else ([], [])
        if captors:
            cand.actors, cand.recipients = captors, captives
        if agent is None and not cand.actors and verb.lemma_.lower() in CUSTODY:
            cand.actors = _holding_state(verb, cand.recipients, index)
        if agent is None and not cand.actors and event in FORCE_TYPES:
            cand.actors = _forces_of_order(verb, cand.recipients) or _attack_owner(verb, index)
    else:
        subject, inherited = subject_token(verb)
        cand.actors = index.for_token(subject, depth=SUBJECT_DEPTH) if subject is not None else []
        if not cand.actors and inherited and subject is not None and subject.dep_ in OBJECTS and \
                not (verb.dep_ == "acl" and verb.tag_ == "VB"):
            # the object it came through is no one: whoever acted on the object acts
            # ("the government issued an order restricting …", "used his address to call …";
            # not an aim: "halted efforts to open talks" opens nothing)
            outer, _ = subject_token(subject.head)
            cand.actors = index.for_token(outer, depth=SUBJECT_DEPTH) if outer is not None else []
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
        host = of_complement(cand.token) if event == "CONSULT" else None
        if not cand.recipients and host is not None:
            cand.recipients = [m for m in index.for_token(host, depth=1) if m not in cand.actors]
    if not cand.recipients and event == "CONSULT":
        cand.recipients = _visited(verb, cand, index)
    if not cand.recipients:
        cand.recipients = _complement_recipients(verb, index)
    if not cand.recipients and event in DEEP_TARGET_TYPES:
        cand.recipients = _deep_target(cand, verb, index)
    if not cand.recipients and event == "REQUEST" and verb.lemma_.lower() in ADDRESSING_VERBS:
        cand.recipients = _addressed_state(verb, cand, index)
    if not cand.recipients and verb.lemma_.lower() in REPRESSION and cand.actors and \
            any(is_country_code(m.code) for m in cand.actors):
        cand.domestic = True
    elif not cand.recipients and event in DOMESTIC_TYPES and _only_state_in_sentence(cand, verb, index):
        cand.domestic = True
    if event in SIDED_TYPES and cand.actors and not cand.domestic:
        _drop_own(cand, verb, index)    # the actor's own forces do not count as a target
        if not cand.recipients and not cand.domestic:
            cand.recipients = opponent({m.code for m in cand.actors if m.code}, event, index)
    if not cand.recipients and event == "ASSAULT" and not cand.domestic:
        cand.recipients = _document_victim(cand, index)
    if not cand.recipients:
        gathering = cand.token if cand.light is not None else \
            next((c for c in verb.children if c.dep_ in OBJECTS), None)
        if gathering is not None and gathering.pos_ == "NOUN":
            cand.recipients = index.earlier_owner(gathering)
    if not cand.actors:
        _mutual(cand, verb, index)
    if cand.trigger == PROTECTION:
        # "intercepted missiles launched by Iran toward Israel": Israel is protected
        weapon = downed_weapon(verb)
        aim = weapon_aim(weapon) if weapon is not None else None
        assert aim is not None, "PROTECTION is coded only for a weapon aimed at someone (candidates._interception)"
        cand.recipients = index.for_token(aim, depth=1)
    _drop_own(cand, verb, index)
    if not cand.recipients and not cand.domestic and verb.lemma_.lower() in REPRESSION and \
            any(is_country_code(m.code) for m in cand.actors):
        cand.domestic = True       # the one named was the actor's own place: "police in Indonesia arrested …"


def _mutual(cand: Candidate, verb: Token, index: MentionIndex) -> None:
    """'The release was negotiated between the Nigerian government and Boko Haram': with
    no doer named, the parties "between" whom it happened did it together."""
    parties = [m for obj in prep_objects(verb, {"between", "among"}) for m in index.for_token(obj, depth=1)]
    if len({m.code for m in parties if m.code}) > 1:
        cand.actors = parties
        cand.recipients = [m for m in cand.recipients if m not in parties]


def _drop_own(cand: Candidate, verb: Token, index: MentionIndex) -> None:
    """Drop the actor's own side from the recipients; if that leaves none and no other
    state is named, the act was done at home ("police fired tear gas in Nairobi",
    "Compaore declared a national curfew in Burkina Faso")."""
    had = bool(cand.recipients)
    drop_overlap(cand)
    if had and not cand.recipients and not cand.domestic and cand.trigger.event in DOMESTIC_TYPES and \
            _only_state_in_sentence(cand, verb, index):
        cand.domestic = True


def _object_targets(obj: Token, cand: Candidate, index: MentionIndex) -> list[Mention]:
    """Condemning or praising an act targets whoever did it: "condemned the assault on
    Goma by the M23" → M23, "welcomed Russia's decision" → Russia, "commend the role
    played by Qatar" → Qatar."""
    if cand.trigger.event in JUDGING_TYPES and obj.pos_ == "NOUN":
        doers = [index.at[c.i] for c in obj.children if c.dep_ in ("poss", "amod", "compound") and c.i in index.at]
        # a "by" phrase on a non-passive verb belongs to its object (a common misparse)
        by_holders = list(obj.children) + ([c for c in obj.head.children if c.dep_ == "agent"]
                                           if not is_passive(obj.head) else [])
        # the act's own participle: "the agreement reached by", "the efforts made by"
        # (not a group's leader: "a delegation led by")
        by_holders += [g for c in obj.children if c.dep_ == "acl" and c.tag_ == "VBN"
                       and c.lemma_.lower() not in LEADING for g in c.children]
        for prep in by_holders:
            if prep.dep_ in ("prep", "agent") and prep.lower_ == "by":
                doers += [m for g in prep.children if g.dep_ == "pobj" for m in index.for_token(g, depth=1)]
        doers = [m for m in doers if m.code]
        if doers:
            return doers
    return index.for_token(obj)


def _deep_target(cand: Candidate, verb: Token, index: MentionIndex) -> list[Mention]:
    """Sanctions on 'two entities … in Russia-occupied Crimea', the 'executions of two
    protesters': the target polity is named somewhere in the clause. Take the one the
    document talks about most."""
    subject_tokens = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "conj") for t in c.subtree}
    actor_codes = {m.code for m in cand.actors if m.code}
    backers = {t.i for n in verb.subtree if backing_phrase(n) for t in n.subtree}
    if cand.trigger.event == "AID":
        backers |= aggressor_tokens(verb)     # "helped save lives from Iran's assault": not aid to Iran
    found = [index.at[t.i] for t in verb.subtree
             if t.i in index.at and t.i not in subject_tokens and t.i not in backers
             and index.at[t.i].code and index.at[t.i].code not in actor_codes]
    if not found:
        return []
    foes = {m.code for m in opponent(actor_codes, cand.trigger.event, index)}
    if any(m.code in foes for m in found):
        # sanctions over abuses of Ukraine's children: aimed at the side doing them
        return [next(m for m in found if m.code in foes)]
    weight = index.code_counts()
    best = max(found, key=lambda m: weight.get(m.code or "", 0))
    return [best]


def _document_victim(cand: Candidate, index: MentionIndex) -> list[Mention]:
    """'Russian forces killed three people': in a report about one country under attack,
    the unnamed victims are that country's (or an armed group's, in a report about it).
    Only when one party clearly dominates; organisations are not victims of this kind."""
    actor_codes = {m.code for m in cand.actors if m.code}
    counts: dict[str, int] = {}
    for m in index.mentions:
        if m.code and m.code not in actor_codes and (is_country_code(m.code) or m.ref.sector not in (None, "IGO")):
            counts[m.code] = counts.get(m.code, 0) + 1
    if not counts:
        return []
    ranked = sorted(counts.values(), reverse=True)
    best = max(counts, key=lambda code: counts[code])
    if ranked[0] < 2 or (len(ranked) > 1 and ranked[0] < 2 * ranked[1]):
        return []
    return [next(m for m in index.mentions if m.code == best)]


def _addressed_state(verb: Token, cand: Candidate, index: MentionIndex) -> list[Mention]:
    """'We urge all sides to show restraint', 'we call on the organizers of the protest to
    …': an appeal to people the text does not tie to a state is addressed to the state the
    document is about, the one named most often after the speaker's own (at least twice)."""
    addressee = next((c for c in verb.children if c.dep_ in OBJECTS), None)
    if addressee is None:
        addressee = next((g for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"
                          for g in c.children if g.dep_ == "pobj"), None)
    if addressee is None or addressee.pos_ == "PROPN" or addressee.lemma_.lower() in STATE_COLLECTIVES or \
            index.for_token(addressee, depth=2):
        return []          # named, or other states ("urged allies to send…"), not people of one
    own = {m.code for m in cand.actors}
    counts = {code: n for code, n in index.code_counts().items() if code not in own and is_country_code(code)}
    if not counts:
        return []
    code = max(counts, key=lambda c: counts[c])
    if counts[code] < 2:
        return []
    return [next(m for m in index.mentions if m.code == code)]


def _complement_recipients(verb: Token, index: MentionIndex) -> list[Mention]:
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
            found = _content_parties(child, index)
            if found:
                return found
        if child.dep_ in OBJECTS:
            # "announced their intent to donate F-16s to Ukraine", "commitment to support Ukraine"
            for content in (g for g in child.children if g.dep_ == "acl" and _infinitive_to(g)):
                found = _content_parties(content, index)
                if found:
                    return found
    return []


def _infinitive_to(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _content_parties(content: Token, index: MentionIndex) -> list[Mention]:
    """Whom an infinitive content is done to: its object, or its with/to/against/on phrase."""
    for grand in content.children:
        if grand.dep_ in OBJECTS:
            found = index.for_token(grand)
            if found:
                return found
        if grand.dep_ == "prep" and grand.lower_ in ("with", "to", "against", "on"):
            objs = [g for g in grand.children if g.dep_ == "pobj"]
            if objs and index.for_token(objs[0]):
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
    if not cand.recipients:
        # "ready to resume talks with South Sudan", "committed to working with Timor-Leste"
        cand.recipients = _complement_recipients(adjective, index)
    drop_overlap(cand)


def _fill_warning(cand: Candidate, index: MentionIndex) -> None:
    """'We made clear to the Houthis that they will bear the consequences': the speaker
    threatens whoever is to pay, or, for a bare 'they', the one addressed; 'Russia's
    attacks must stop' is a demand on Russia."""
    saying, verb = cand.said_by, cand.token
    assert saying is not None, "only candidates said by someone come here"
    speaker, _ = subject_token(saying)
    cand.actors = index.for_token(speaker, depth=SUBJECT_DEPTH) if speaker is not None else []
    sufferer, _ = subject_token(verb)
    # "told Iran that…", "made clear to the Houthis that…"
    holders = [saying, *(c for c in saying.children if c.dep_ == "acomp")]
    addressed = [m for h in holders for obj in prep_objects(h, {"to"}) for m in index.for_token(obj, depth=1)] + \
        [m for c in saying.children if c.dep_ in OBJECTS for m in index.for_token(c, depth=1)]
    if sufferer is not None and sufferer.pos_ == "PRON" and addressed:
        cand.recipients = addressed
    elif sufferer is not None:
        cand.recipients = index.for_token(sufferer, depth=1)
    if not cand.recipients and cand.actors:
        # "These attacks must stop": on the other side of the document's conflict
        cand.recipients = opponent({m.code for m in cand.actors if m.code}, cand.trigger.event, index)
    drop_overlap(cand)


def unnamed_protesters(cand: Candidate, index: MentionIndex) -> None:
    """'Protesters rallied against the ouster', 'Large protests were held in Bangalore',
    'Angry protests erupted across the province': people protesting whom no name codes are
    civilians of the state the protest takes place in, protesting at home (CONVENTIONS
    §12). Called when the rules found no actor."""
    if cand.actors or cand.trigger.event != "PROTEST":
        return
    anchor = cand.light or cand.token
    state = state_in_focus(anchor.sent, index.mentions)
    if state is None:
        return
    cand.actors = [_implied(anchor, state, "CVL", f"unnamed protesters in the state in focus: {state}")]
    cand.inherited = True
    if not cand.recipients:
        cand.domestic = True


def by_doer(cand: Candidate) -> None:
    """What some acts are depends on who does them: a government that "protested" the
    arrest lodged a complaint (ACCUSE 111), it did not march; troops or a state that
    "blocked" a border restricted movement (COERCE 191), they did not obstruct as
    protesters do; protesters who "call for" or "demand" change are demonstrating for it
    (CAMEO 141), not asking as a party would. Called once the actors are known."""
    if cand.trigger.event == "REQUEST" and _crowd_demand(cand):
        cand.trigger = Trigger("PROTEST", "141", "demo")
        # people protesting with no one named protest to their own state
        cand.domestic = not cand.recipients and len({m.code for m in cand.actors}) == 1
        return
    if cand.trigger.event != "PROTEST" or not cand.actors:
        return
    sectors = {m.ref.sector for m in cand.actors}
    lemma = (cand.light or cand.token).lemma_.lower()
    if lemma == "protest" and not cand.nominal and sectors <= STATE_VOICE - {"MIL", "POL"}:
        cand.trigger = Trigger("ACCUSE", "111", "disapprove")
    elif lemma in ("block", "blockade") and not sectors & PROTESTERS:
        cand.trigger = Trigger("COERCE", "191", "restrict")


def obligation_of(cand: Candidate, index: MentionIndex) -> Candidate | None:
    """'The Venezuelan government should release those it has jailed', '… said government
    troops must withdraw': what a speaker says another party should or must do is a
    request to that party (REQUEST), not the act reported as done. The speaker is whoever
    says it, else the issuer of a statement; a party's own "we must" stays its own."""
    verb = cand.light or cand.token
    if cand.nominal or cand.trigger.event == "REQUEST" or not cand.actors or \
            not any(c.dep_ == "aux" and c.lower_ in OBLIGATION for c in verb.children):
        return None
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING:
        sayer, _ = subject_token(verb.head)
        speakers = index.for_token(sayer, depth=SUBJECT_DEPTH) if sayer is not None else []
    else:
        speakers = index.quoted_speaker(verb) or ([index.issuer] if index.issuer is not None else [])
    speakers = [m for m in speakers if m.code]
    subject, _ = subject_token(verb)
    if not speakers or set(speakers) & set(cand.actors) or (subject is not None and subject.lower_ in FIRST_PERSON):
        return None          # "we must work together": the speaker's own resolve
    return Candidate(Trigger("REQUEST", "020"), cand.token, cand.light, actors=speakers,
                     recipients=list(cand.actors), inherited=True)


def _crowd_demand(cand: Candidate) -> bool:
    """'Thousands of protesters called for radical changes': the demand of a crowd of
    demonstrators, as the parse names them, not of a body that speaks for them."""
    if cand.nominal or not cand.actors or not {m.ref.sector for m in cand.actors} <= PROTESTERS:
        return False
    subject, _ = subject_token(cand.light or cand.token)
    return subject is not None and counted(subject).lemma_.lower() in DEMONSTRATORS


def _only_state_in_sentence(cand: Candidate, verb: Token, index: MentionIndex) -> bool:
    """'Police banned the demonstrations', 'students protested', 'police fired tear gas':
    with no one else named, a state's own actors act on their own country (CONVENTIONS
    §12: domestic events keep the same code on both sides)."""
    states = {m.code for m in cand.actors if is_country_code(m.code)}
    if len(states) != 1 or len({m.code for m in cand.actors}) != 1:
        return False
    if cand.trigger.event == "ASSAULT" and not {m.ref.sector for m in cand.actors} & DOMESTIC_FORCES:
        return False          # an army's attack with no target named is rarely on its own people
    if cand.trigger.event == "MOBILIZE" and not {m.ref.sector for m in cand.actors} & HOME_FORCES:
        return False          # police deployed at home keep order there; troops moved face someone
    if cand.trigger.event == "PROTEST" and {m.ref.sector for m in cand.actors} & PROTESTERS:
        return True           # people protesting with no one named protest to their own state
    sent = verb.sent
    others = {m.code for i in range(sent.start, sent.end) if (m := index.at.get(i)) is not None
              and m.code and m.code not in states and m.role != "modifier"}
    return not others


def _holding_state(verb: Token, patients: list[Mention], index: MentionIndex) -> list[Mention]:
    """'Navalny was arrested', 'the two were detained', 'was released from prison': with no
    agent named, the state that holds the people did it -- the state the act happened in
    ("was arrested in Turkey"), else, for people of a state at war, its enemy ("Ukrainians
    were freed"), else their own state (CONVENTIONS §12: domestic acts keep one code)."""
    if not _are_people(verb):
        return []                 # "results were released"
    states = _custody_place(verb, index)
    if not states:
        own = {m.code for m in patients if m.code and is_country_code(m.code) and m.role == "actor"}
        # a state's ministers or opposition are held at home, its soldiers or citizens may be the enemy's
        political = all(m.ref.sector in POLITICAL_SECTORS for m in patients)
        enemy = {m.code for m in opponent(own, "COERCE", index) if m.code} if len(own) == 1 and not political else set()
        states = enemy or own
    if len(states) != 1:
        return []
    state = states.pop()
    return [_implied(verb, state, "GOV", f"agentless passive: the authorities of {state}")]


def _released_by_captors(verb: Token, index: MentionIndex) -> tuple[list[Mention], list[Mention]]:
    """'Schoolgirls kidnapped by Boko Haram were freed', 'hostages held by Hamas were
    released': people let go by those the text says hold them. Returns (captors,
    captives): the named captives, else people of the state it happened in."""
    if verb.lemma_.lower() not in CUSTODY_RELEASE:
        return [], []
    patient = next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS), None)
    holders = [agent for c in (patient.children if patient is not None else ())
               if c.dep_ == "acl" and c.lemma_.lower() in CAPTURING and (agent := agent_token(c)) is not None]
    if patient is None or not holders:
        return [], []
    captors = index.for_token(holders[0], depth=1)
    return captors, _captives(verb, patient, captors, index) if captors else []


def _captives(verb: Token, patient: Token, captors: list[Mention], index: MentionIndex) -> list[Mention]:
    named = [m for m in index.for_token(patient, depth=1) if m.code and m not in captors]
    if named:
        return named
    states = _custody_place(verb, index)
    state = states.pop() if len(states) == 1 else state_in_focus(verb.sent, index.mentions)
    return [_implied(patient, state, "CVL", f"captives in {state}")] if state else []


def _forces_of_order(verb: Token, patients: list[Mention]) -> list[Mention]:
    """'Protesters were beaten', 'demonstrators were dispersed with tear gas': force used on
    a state's own protesters, with no one named, is its forces' (CONVENTIONS §12)."""
    states = {m.code for m in patients if m.code and m.ref.sector in PROTESTERS and is_country_code(m.code)
              and verb.doc[m.start:m.end].root.lemma_.lower() in DEMONSTRATORS}
    if len(states) != 1 or len({m.code for m in patients}) != 1:
        return []
    state = states.pop()
    return [_implied(verb, state, "POL", f"force on protesters with no agent: the forces of {state}")]


def _attack_owner(verb: Token, index: MentionIndex) -> list[Mention]:
    """'Four people were killed in Russian missile and drone attacks', 'were wounded in an
    Israeli airstrike': harm with no agent named was done by whoever the attack it
    happened in belongs to."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "by", "during"):
            continue
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            nouns = [obj, *obj.conjuncts]
            if not any(n.lemma_.lower() in AGGRESSION for n in nouns):
                continue
            # whose attack it is: a state or group before the noun ("Russian missile and drone attacks")
            owners = [m for n in nouns for t in n.subtree if t.i < n.i
                      and (m := index.at.get(t.i)) is not None and m.code]
            if owners:
                return owners
    return []


def _implied(token: Token, code: str, sector: str, why: str) -> Mention:
    """An actor the text implies but does not name, anchored on the word that implies it."""
    ref = ActorRef(token.text, token.idx, token.idx + len(token.text), code, sector, why=why)
    return Mention(token.i, token.i + 1, ref, "actor", False)


def _are_people(verb: Token) -> bool:
    """Whether what the passive verb was done to is people: a name, a pronoun or a noun
    for people ("prisoners", "the two", "46 prisoners")."""
    patient = next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS), None)
    if patient is None:
        patient = verb.head if verb.dep_ in ("acl", "relcl") else None
    return patient is not None and names_people(patient)


def _custody_place(verb: Token, index: MentionIndex) -> set[str]:
    """States of the places the verb's own "in"/"at"/"from" phrases name ("arrested in
    Turkey", "released from prisons in Burma")."""
    places = [t for obj in prep_objects(verb, CUSTODY_PREPS) for t in (obj, *prep_objects(obj, {"in"}))]
    return {m.code for t in places if (m := index.at.get(t.i)) is not None
            and m.role == "place" and m.code and is_country_code(m.code)}


def _visited(verb: Token, cand: Candidate, index: MentionIndex) -> list[Mention]:
    """'Raisi arrived in Pakistan', 'the delegation arrived in Addis Ababa': the state a
    visit is made in is the host."""
    if verb.lemma_.lower() not in VISIT_WORDS:
        return []
    own = {m.code for m in cand.actors}
    return [m for prep in verb.children if prep.dep_ == "prep" and prep.lower_ in VISIT_PREPS
            for obj in prep.children if obj.dep_ == "pobj"
            for m in index.for_token(obj, depth=1) if m.code and m.code not in own]


def _implicit_host(verb: Token, index: MentionIndex, event: str) -> list[Mention]:
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
    if backing_phrase(noun):
        for obj in prep_objects(noun, {"from", "of"}):
            cand.actors.extend(index.for_token(obj, depth=1))
        clause = noun.head.head                      # the noun or verb "with" attaches to
        while clause.dep_ not in ("ROOT",) and clause.pos_ not in ("VERB", "AUX"):
            clause = clause.head
        subject, _ = subject_token(clause) if clause.pos_ in ("VERB", "AUX") else (None, False)
        if noun.head.head.dep_ in ("nsubj", "nsubjpass"):
            subject = noun.head.head
        cand.recipients = index.for_token(subject, depth=2) if subject is not None else []
        drop_overlap(cand)
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
    preps = recipient_preps(cand.trigger.event) - {"between"}
    if cand.trigger.event in DONE_TO_TYPES:
        preps |= {"of"}           # "the release by Azerbaijan of 15 Armenian detainees"
    for obj in prep_objects(noun, preps):
        cand.recipients.extend(index.for_token(obj, depth=1))
    if not cand.recipients and cand.trigger.event in DEEP_TARGET_TYPES:
        cand.recipients = _deep_target(cand, noun, index)
    if not cand.recipients and noun.lemma_.lower() in REPRESSION and \
            any(is_country_code(m.code) for m in cand.actors):
        cand.domestic = True                  # "Iran's execution of two protesters"
    if not cand.recipients and cand.actors:
        cand.recipients = _experiencer(noun, cand, index)
    if not cand.recipients and cand.trigger.event == "ASSAULT" and cand.actors and not cand.domestic:
        cand.recipients = _document_victim(cand, index)
    if cand.trigger.event == "CONSULT":
        _meeting_parties(cand, noun, index)
    if not cand.actors:
        cand.actors = _doer_of_deed(noun, index)
    drop_overlap(cand)


def _feels(verb: Token) -> bool:
    """A feeling verb in the passive, not a request ("was encouraged to attend")."""
    return verb.lemma_.lower() in FEELING and not any(c.dep_ == "xcomp" for c in verb.children)


def _fill_feeling(cand: Candidate, verb: Token, index: MentionIndex) -> None:
    """'We are deeply disturbed by reports of …': the one who feels speaks; what caused
    the feeling is the target."""
    subject = next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS), None)
    cand.actors = index.for_token(subject, depth=SUBJECT_DEPTH) if subject is not None else []
    cand.inherited = subject is None or subject.pos_ == "PRON"
    agent = agent_token(verb)
    cand.recipients = index.for_token(agent) if agent is not None else []


def _experiencer(noun: Token, cand: Candidate, index: MentionIndex) -> list[Mention]:
    """'Ukraine faces attacks from Russia', 'Seoul takes seriously the threats from the
    North', 'the town came under fire from rebels': whoever faces, takes or comes under
    the act is its target."""
    holder = noun.head
    if noun.dep_ == "pobj" and holder.dep_ in ("prep", "prt") and holder.lower_ == "under":
        holder = holder.head                        # "came under attack"
    elif noun.dep_ == "pobj":
        return []
    if noun.dep_ not in OBJECTS | {"pobj"} or holder.lemma_.lower() not in EXPERIENCING:
        return []
    subject, _ = subject_token(holder)
    return [m for m in index.for_token(subject, depth=SUBJECT_DEPTH) if m not in cand.actors] \
        if subject is not None else []


def _doer_of_deed(noun: Token, index: MentionIndex) -> list[Mention]:
    """'The government responded with a wave of repression', 'the rebels stepped up
    attacks': a deed named by a noun that a verb's subject carries out. Not the object
    of a judgement or report ("condemned the attack" is someone else's attack)."""
    if noun.dep_ in OBJECTS:
        verb = noun.head
    elif noun.dep_ == "pobj" and noun.head.lower_ in ("with", "in") and noun.head.head.pos_ in ("VERB", "AUX"):
        verb = noun.head.head
    else:
        return []
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in OTHERS_DEEDS or \
            verb.dep_ in ("relcl", "acl", "xcomp", "pcomp", "amod"):
        return []      # a deed inside a description: "facilities used to launch attacks"
    if any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in verb.children):
        return []      # the past the news is anchored in: "since Moscow launched its invasion"
    subject, _ = subject_token(verb)
    return index.for_token(subject, depth=SUBJECT_DEPTH) if subject is not None else []


def _meeting_parties(cand: Candidate, noun: Token, index: MentionIndex) -> None:
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


def claim_of(cand: Candidate, index: MentionIndex) -> Candidate | None:
    """'Human rights groups say police killed 67 people', 'opposition officials say troops
    have killed 250 people': a voice outside the state telling of someone's harm accuses
    them (CAMEO 112). The claimed act is coded as well."""
    if cand.trigger.event not in CLAIMED_TYPES or not cand.actors:
        return None
    clause = clause_verb(cand.light or cand.token) if (cand.light or cand.token).pos_ not in ("VERB", "AUX") \
        else (cand.light or cand.token)
    saying = clause.head
    if clause.dep_ != "ccomp" or saying.lemma_.lower() not in CLAIMING:
        return None
    subject = next((c for c in saying.children if c.dep_ in SUBJECTS), None)
    sayers = [m for m in index.for_token(subject, depth=SUBJECT_DEPTH) if m.code] if subject is not None else []
    if not sayers or any(m.ref.sector in STATE_VOICE for m in sayers):
        return None        # a state telling of its own or its enemy's fighting reports it

    claim = Candidate(Trigger("ACCUSE", "112"), saying, None, actors=sayers, recipients=list(cand.actors))
    drop_overlap(claim)
    return claim if claim.recipients else None


def drop_overlap(cand: Candidate) -> None:
    """No actor is its own recipient; a recipient with the actor's code stays only when
    sectors tell them apart (KEN police → KEN protesters), not for "the U.S. commitment"."""
    cand.actors = [m for m in _dedupe(cand.actors) if m.code]
    actor_sectors = {(m.code, m.ref.sector) for m in cand.actors}
    actor_codes = {m.code for m in cand.actors}
    domestic_ok = cand.trigger.event not in INTERNATIONAL_TYPES
    # a deployment is never aimed at the actor's own forces ("to U.S. Central Command")
    own_forces = {"MIL", "GOV"} if cand.trigger.event == "MOBILIZE" else set()
    cand.recipients = [m for m in _dedupe(cand.recipients)
                       if m.code and m not in cand.actors
                       and (m.code not in actor_codes or
                            (domestic_ok and m.ref.sector and (m.code, m.ref.sector) not in actor_sectors
                             and m.ref.sector not in own_forces
                             and all(s for c, s in actor_sectors if c == m.code)))]


def _dedupe(items: Iterable[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
