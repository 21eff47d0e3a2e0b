"""Events from a parsed, actor-resolved Doc: candidates with their arguments become
Event records with status, date, place and confidence; restatements are merged."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

import hashlib
from bisect import bisect_right
from dataclasses import replace
from datetime import date, timedelta

from diurna.actors.resolve import Mention
from diurna.nlp.gazetteer import is_country_code
from diurna.nlp.text import doc_text, span_entities
from diurna.records import Entity, Event, Place, Span
from diurna.events import cameo as cameo_table
from diurna.events import conflict
from diurna.events import modes
from diurna.events.arguments import MentionIndex
from diurna.events.syntax import OBJECTS, clause_verb, is_purpose
from diurna.nlp.timex import resolve_date
from diurna.events.lexicon import Lexicon, Trigger
from diurna.events.places import attached_place, dateline_place, event_place, on_sidelines, sentence_scene
from diurna.events.status import aux_mode
from diurna.events.candidates import Candidate, learned_candidates, sentence_candidates
from diurna.events.learned import TriggerModel
from diurna.events.participants import (JUDGING_TYPES, by_doer, claim_of, drop_overlap, fill_arguments, obligation_of,
                                       unnamed_protesters)
from diurna.events.prefilter import split_pieces
from diurna.events.words import WORDS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span as DocSpan, Token

MAX_EVENTS_PER_SENTENCE = 6
HISTORICAL_AFTER_DAYS = 365
# Acts on the ground: with no place of their own, they happen where the last sentences set
# the scene ("Protesters gathered in Dakar. … Police responded with tear gas.").
SCENE_TYPES = frozenset({"PROTEST", "ASSAULT", "COERCE"})
SCENE_REACH = 1           # sentences back
# An event whose actor heads this trigger's own clause governs it: "agreed to meet" is one
# AGREE, "invited X to participate" one invitation.
# PLOVER types that commonly have no recipient: a protest, a deployment, an attack on
# unnamed targets, a release.
UNDIRECTED_TYPES = {"PROTEST", "MOBILIZE", "ASSAULT", "COERCE", "RETREAT"}
DISCUSSION_WORDS = WORDS.discussion_words


def code_events(doc: Doc, mentions: list[Mention], lexicon: Lexicon, doc_id: str,
                published: date | None, model: TriggerModel | None = None,
                ) -> tuple[list[Event], list[str], set[Mention]]:
    """Events of the doc, notes on what was capped, and the mentions used as arguments."""
    index = MentionIndex(doc, mentions)
    events: list[Event] = []
    notes: list[str] = []
    used: set[Mention] = set()
    talked_about: dict[str, list[Mention]] = {}     # "deal" → the parties of the deal
    # sentences numbered as the sentence splitter cuts the text, not as the parse does:
    # the same number whether the text was parsed whole, in pieces or in windows
    piece_starts = [start for start, _ in split_pieces(doc_text(doc))]
    dateline = dateline_place(doc_text(doc))
    said_at: dict[str, str | None] = {}             # event id → the place attached to its trigger
    sentences = list(doc.sents)
    scenes = _Scenes(sentences, index)
    for sent_no, sent in enumerate(sentences):
        candidates = _argued_candidates(sent, index, lexicon, model)
        for cand in candidates:
            if not cand.recipients and cand.trigger.event in JUDGING_TYPES:
                cand.recipients = _judged_parties(cand, talked_about)
                drop_overlap(cand)
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
        opened = dateline[0] if dateline and sent.start_char <= dateline[1] < sent.end_char else None
        venue = scenes.last_before(sent_no) if on_sidelines(sent) else None
        for cand in kept:
            # other events' triggers: their locative phrases are theirs (a second trigger of
            # the same type is the same event told twice: "carried out an exchange, swapping…")
            others = [(c.light or c.token).i for c in kept if c.trigger.event != cand.trigger.event]
            event, attached = _to_event(cand, sent, index, doc_id, published, others,
                                        opened or (scenes.recent(sent_no) if cand.trigger.event in SCENE_TYPES
                                                   else None),
                                        bisect_right(piece_starts, sent.start_char), venue)
            events.append(event)
            said_at[event.id] = attached
            used.update(cand.actors, cand.recipients)
            if cand.trigger.event in ("ASSAULT", "COERCE"):
                conflict.record(index, cand.actors, cand.recipients)
    return _one_per_real_event(events, said_at), notes, used


def main_trigger(doc: Doc, mentions: list[Mention], lexicon: Lexicon,
                 model: TriggerModel | None = None) -> Trigger | None:
    """The trigger of a text's main event, whether or not its actors could be coded:
    the nearest the root of its sentence, preferring ones with a known actor. Used to
    classify sentences (e.g. into CAMEO quad classes) where no full event is needed."""
    index = MentionIndex(doc, mentions)
    best, best_key = None, None
    for sent in doc.sents:
        for cand in _argued_candidates(sent, index, lexicon, model):
            anchor = cand.light if cand.light is not None else cand.token
            key = (not cand.actors, _depth(anchor), anchor.i)
            if best_key is None or key < best_key:
                best, best_key = _polarity(cand.trigger, aux_mode(anchor)), key
    return best


class _Scenes:
    """Where each sentence is set (places.sentence_scene), read only when an event needs it."""

    def __init__(self, sentences: list[DocSpan], index: MentionIndex) -> None:
        self.sentences = sentences
        self.index = index
        self.found: dict[int, Place | None] = {}

    def at(self, sent_no: int) -> Place | None:
        if sent_no not in self.found:
            self.found[sent_no] = sentence_scene(self.sentences[sent_no], self.index.at)
        return self.found[sent_no]

    def recent(self, sent_no: int) -> Place | None:
        """The scene of the last SCENE_REACH sentences before this one."""
        return next((place for k in range(sent_no - 1, max(-1, sent_no - 1 - SCENE_REACH), -1)
                     for place in (self.at(k),) if place is not None), None)

    def last_before(self, sent_no: int) -> Place | None:
        return next((place for k in range(sent_no - 1, -1, -1) for place in (self.at(k),) if place is not None),
                    None)


def _argued_candidates(sent: DocSpan, index: MentionIndex, lexicon: Lexicon,
                       model: TriggerModel | None) -> list[Candidate]:
    """The sentence's candidate events, with their actors and recipients filled in."""
    found = sentence_candidates(sent, index, lexicon)
    if model is not None and _may_have_parties(sent, index):
        found = learned_candidates(sent, found, model, lexicon)
    for cand in found:
        fill_arguments(cand, index)
        unnamed_protesters(cand, index)
        by_doer(cand)
    found = [obligation_of(cand, index) or cand for cand in found]
    said = {c.token.i for c in found if c.trigger.event == "ACCUSE"}
    for cand in list(found):
        claim = claim_of(cand, index)
        if claim is not None and claim.token.i not in said:
            found.append(claim)
            said.add(claim.token.i)
    return found


def _may_have_parties(sent: DocSpan, index: MentionIndex) -> bool:
    """Whether an event found here could have an actor: a coded mention or a pronoun
    (which may stand for one). The learned layer skips other sentences: its events
    would be dropped for want of an actor anyway."""
    at = index.at
    return any(i in at and at[i].code for i in range(sent.start, sent.end)) or \
        any(t.tag_ in ("PRP", "PRP$", "WP") for t in sent)


def _polarity(trigger: Trigger, aux: str | None) -> Trigger:
    """A refused agreement or withheld support is a rejection ("could not support")."""
    if aux == "negation" and trigger.event in ("SUPPORT", "AGREE"):
        return Trigger("REJECT", "120")
    return trigger


def _depth(token: Token) -> int:
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
    if is_purpose(cand.light or cand.token):
        score -= 0.1            # an aim ("blocked roads to protest"): less sure than the deed
    return max(0.05, min(0.95, score))


def _to_event(cand: Candidate, sent: DocSpan, index: MentionIndex, doc_id: str, published: date | None,
              others: list[int], scene: Place | None,
              sentence_no: int | None = None, venue: Place | None = None) -> tuple[Event, str | None]:
    """The event, and the name of the place attached to its trigger (which tells incidents
    apart: see _one_per_real_event)."""
    trig = cand.trigger
    # a warning is made as it is said: its mode is the saying's
    aux = aux_mode(next(t for t in (cand.said_by, cand.light, cand.token) if t is not None))
    if aux == "negation" and trig.event in ("SUPPORT", "AGREE"):
        trig, aux = _polarity(trig, aux), None           # "could not support the draft"
    when, precision = _event_date(cand, sent, published, aux == "future")
    if when and published and aux is None and \
            date.fromisoformat(when) < published - timedelta(days=HISTORICAL_AFTER_DAYS):
        aux = "historical"
    recipients = list(cand.recipients)
    anchor = cand.light or cand.token
    # visit mode: the host is the recipient, if the place is the meeting's own ("met in Riga")
    attached = attached_place(anchor, index.at, countries=True)
    if trig.event == "CONSULT" and not recipients and attached and attached.country and \
            attached.country not in {m.code for m in cand.actors}:
        host = Entity(attached.country, None, attached.name)
    else:
        host = None
    parties = [m.code for m in (*cand.actors, *recipients) if m.code] + ([host.code] if host else [])
    place = event_place(anchor, sent, index.at, trig.event, parties, others, scene,
                        {r.code for r in recipients if r.code} | ({host.code} if host else set()), venue)
    trigger_span = _trigger_span(cand)
    if when is None and published is not None:
        # no date in the text: the article's date, flagged so analyses can tell
        when, precision = published.isoformat(), "publication"
    mode = modes.event_mode(trig, cand, place)
    confidence = _confidence(cand) - (0.1 if aux == "hypothetical" else 0.0)
    event = Event(
        id=event_id(doc_id, trigger_span.start, trig.event),
        event=trig.event,
        actor=_entities(cand.actors),
        recipient=_entities(recipients) + ((host,) if host else ()) + _own_people(cand),
        trigger=trigger_span,
        sentence=Span(sent.text, sent.start_char, sent.end_char),
        mode=mode, context=modes.event_context(trig.event, cand, sent, mode), cameo=trig.cameo, aux=aux,
        date=when, date_precision=precision, event_loc=place,
        confidence=round(max(0.05, confidence), 3),
        quad_class=cameo_table.quad_class(trig.event, trig.cameo),
        score=cameo_table.score(trig.event, mode), sentence_no=sentence_no,
    )
    return event, attached.name if attached else None


def _trigger_span(cand: Candidate) -> Span:
    doc = cand.token.doc
    tokens = sorted(t for t in (cand.token, cand.light) if t is not None)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    if len(tokens) == 2 and tokens[1].i - tokens[0].i > 4:
        start, end = cand.token.idx, cand.token.idx + len(cand.token.text)
    return Span(doc_text(doc)[start:end], start, end)


def _entities(mentions: list[Mention]) -> tuple[Entity, ...]:
    """One entity per code: 'Kyiv' and 'Ukraine' in one recipient list are one party."""
    seen: dict[str, Entity] = {}
    for mention in mentions:
        seen.setdefault(cast(str, mention.code), _entity(mention))
    return tuple(seen.values())


def _own_people(cand: Candidate) -> tuple[Entity, ...]:
    if not cand.domestic or cand.recipients:
        return ()
    state = next(m for m in cand.actors if is_country_code(m.code))
    return (Entity(cast(str, state.code), "CVL", cand.token.text),)


def _entity(mention: Mention) -> Entity:
    ref = mention.ref      # only coded mentions are arguments
    return Entity(cast(str, mention.code), ref.sector, ref.text, identifier_id=ref.wikidata,
                  identifier_text=ref.name if ref.wikidata else None, office=ref.office)


def event_id(doc_id: str, start: int, event: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{start}\x1f{event}".encode("utf-8")).hexdigest()[:16]


def _event_date(cand: Candidate, sent: DocSpan, published: date | None,
                future: bool) -> tuple[str, str] | tuple[None, None]:
    """A date expression attached to the trigger's clause, else the only one in the sentence."""
    anchor = cand.light or cand.token
    dates = span_entities(sent, ("DATE", "TIME"))
    attached = [e for e in dates if _governs(anchor, e.root)]
    same_clause = [e for e in dates if clause_verb(e.root) in (anchor, anchor.head, clause_verb(anchor))]
    chosen = attached[0] if attached else (same_clause[0] if len(same_clause) == 1 else None)
    if chosen is None:
        return None, None
    resolved = resolve_date(chosen.text, published, future=future)
    return resolved if resolved else (None, None)


def _governs(anchor: Token, token: Token) -> bool:
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


def _one_per_real_event(events: list[Event], said_at: dict[str, str | None]) -> list[Event]:
    """One event per real-world event in a document (CONVENTIONS point 1): the same act
    (type, actors, recipients, status) told again with the same trigger word, or with
    another trigger in the same sentence ("launched an offensive, breaking the ceasefire"),
    or a meeting whose content is discussed again. The most confident telling is kept."""
    kept: list[Event] = []
    index: dict[tuple[object, ...], int] = {}
    for event in events:
        if _restates_meeting(event, kept):
            continue
        base = (event.event, frozenset(a.code for a in event.actor),
                frozenset(r.code for r in event.recipient), _status_kind(event))
        # the same word at a named, different place is another incident (CONVENTIONS:
        # sub-events at a distinct location are coded separately)
        place = said_at.get(event.id)
        keys = (base + ("word", _trigger_word(event), place), base + ("sentence", event.sentence.start))
        slot = next((index[k] for k in keys if k in index), None)
        if slot is None:
            slot = len(kept)
            kept.append(event)
        elif event.confidence > kept[slot].confidence:
            kept[slot] = event if event.event_loc or not kept[slot].event_loc \
                else replace(event, event_loc=kept[slot].event_loc)
        elif kept[slot].event_loc is None and event.event_loc is not None:
            kept[slot] = replace(kept[slot], event_loc=event.event_loc)   # the telling that says where
        for key in keys:
            index.setdefault(key, slot)
    return kept
