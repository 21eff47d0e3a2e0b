"""Finding actor mentions in a parsed Doc and resolving them as of the article date.

A mention is composed from knowledge-base "atoms": an owner (state, organisation,
capital, metonym, adjective), agent or title words, and a person name — so
"South Korean Foreign Minister Cho Tae-yul" is one KOR/GOV mention, not three.
"""
from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date
from typing import TYPE_CHECKING

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH

from diurna.nlp.text import doc_text
from diurna.nlp.timex import MONTHS
from diurna.nlp.words import WORDS as ENGLISH
from diurna.records import ActorRef
from diurna.actors.kb import Alias, Entry, KnowledgeBase, Role, normalise

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

MAX_ALIAS_TOKENS = 8
# Tokens allowed between atoms of one mention ("South Korea's Foreign Ministry",
# "Minister of Foreign Affairs of Japan", "the Russian armed forces").
GLUE = {"'s", "'", "s", "of", "the", "-"}
LOCATIVE_PREPS = {"in", "at", "near", "across", "throughout", "inside", "outside",
                  "within", "around", "into", "from", "toward", "towards", "to"}
FORMER = {"former", "ex", "then", "late", "outgoing"}
BACKED = {"backed", "led", "aligned", "allied", "based", "sponsored", "funded", "supported", "linked"}


@dataclass(frozen=True)
class Atom:
    start: int
    end: int
    hits: tuple[Alias, ...]

    @property
    def forms(self) -> set[str]:
        return {h.form for h in self.hits}


@dataclass(frozen=True)
class Mention:
    """An actor mention over doc tokens [start, end) and its resolution."""
    start: int
    end: int
    ref: ActorRef
    role: str            # "actor", "place" (locative use) or "modifier" (adjective only)
    is_person: bool
    person_key: str | None = None   # the person this mention names, for later aliases
    unresolved_title: str | None = None
    agent_key: str | None = None    # the agent/title entry ("Foreign Ministry"), for later bare uses

    @property
    def code(self) -> str | None:
        return self.ref.code


def find_atoms(doc: Doc, kb: KnowledgeBase) -> list[Atom]:
    """Greedy longest-match of knowledge-base aliases over the tokens."""
    atoms: list[Atom] = []
    text = normalise(doc_text(doc))      # normalise() maps characters one to one: offsets hold
    apostrophe = doc.vocab.strings.add("'")
    rows = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT, ORTH]).tolist() if len(doc) else []
    tokens = [(idx, idx + length, bool(space or (punct and orth != apostrophe)))
              for idx, length, space, punct, orth in rows]
    i, n = 0, len(tokens)
    while i < n:
        start, end, skip = tokens[i]
        longest = 0 if skip else kb.longest_alias_from(text[start:end].lower())
        for j in range(min(n, i + MAX_ALIAS_TOKENS), i, -1) if longest else ():
            stop = tokens[j - 1][1]
            if stop - start > longest:
                continue
            hits = kb.lookup_normalised(text[start:stop])
            if hits and not _is_lowercase_pronoun_clash(doc[i:j]) and not _longer_after_the(i, j, text, tokens, kb):
                atoms.append(Atom(i, j, tuple(hits)))
                i = j
                break
        else:
            i += 1
    return _add_ner_people(doc, atoms, kb)


def _longer_after_the(i: int, j: int, text: str, tokens: list[tuple[int, int, bool]], kb: KnowledgeBase) -> bool:
    """'the West Bank': an alias opening with "the" ("the West") gives way to a longer one
    that starts after it ("West Bank")."""
    if text[tokens[i][0]:tokens[i][1]].lower() != "the" or j - i < 2:
        return False
    start = tokens[i + 1][0]
    return any(kb.lookup_normalised(text[start:tokens[k - 1][1]])
               for k in range(min(len(tokens), i + 1 + MAX_ALIAS_TOKENS), j, -1))


def _is_lowercase_pronoun_clash(span: Span) -> bool:
    # "US" is a state; "us" is a pronoun — cased aliases already separate them, but a
    # sentence-initial "Us"/"IT"-style clash is still possible for single short tokens.
    return len(span) == 1 and span[0].pos_ == "PRON"


def _add_ner_people(doc: Doc, atoms: list[Atom], kb: KnowledgeBase) -> list[Atom]:
    covered = {t for a in atoms for t in range(a.start, a.end)}
    extra = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        if any(t in covered for t in range(ent.start, ent.end)):
            # a title atom may swallow part of a name ("President Yoon"); keep KB hits
            continue
        plain = _plain_name(ent.text)
        hits = [h for h in kb.lookup(plain) if h.form == "person"] or \
            [h for h in kb.lookup(plain.split()[-1]) if h.form == "surname"] if plain else []
        extra.append(Atom(ent.start, ent.end, tuple(hits)))
    return sorted(atoms + extra, key=lambda a: a.start)


_INITIAL = re.compile(r"(^|\s+)[A-Z]\.(?=\s)")
_SUFFIX = re.compile(r",?\s+(Jr\.?|Sr\.?|II|III|IV)$")


def _plain_name(name: str) -> str:
    """'Lloyd J. Austin III' → 'Lloyd Austin': news adds initials and suffixes."""
    return _SUFFIX.sub("", _INITIAL.sub("", normalise(name).strip())).strip()


def group_atoms(doc: Doc, atoms: list[Atom]) -> list[list[Atom]]:
    """Adjacent atoms joined only by glue words form one mention."""
    groups: list[list[Atom]] = []
    for atom in atoms:
        if groups and _joins(doc, groups[-1], atom):
            groups[-1].append(atom)
        else:
            groups.append([atom])
    return groups


def _joins(doc: Doc, group: list[Atom], atom: Atom) -> bool:
    last = group[-1]
    gap = doc[last.end:atom.start]
    if any(not _is_glue(t) for t in gap):
        return False
    if _is_person_atom(last) and _is_person_atom(atom):
        return False
    if _is_person_atom(last):
        return False    # nothing follows a name inside one mention
    if _is_backed_adjective(doc, last):
        return False
    if not _is_owner(last) and _is_owner(atom) and not any(t.lower_ == "of" for t in gap):
        return False    # "the militaries of the United States", but not "told reporters the United States"
    # two owners side by side are two actors ("NATO Russia council" is rare; "US China" trade)
    if _is_owner(last) and _is_owner(atom) and not any(t.lower_ in ("'s", "'") for t in gap):
        return _is_org_atom(atom) and not _is_org_atom(last)   # "UN Security Council" style
    return True


def _is_glue(token: Token) -> bool:
    """Words that may sit inside one mention: "'s", "of", adjectives and noun compounds
    ("Iranian oil exporters", "the Russian armed forces")."""
    text = normalise(token.lower_)
    if text in GLUE:
        return True
    if token.lower_ in FORMER or token.ent_type_ in ("PERSON", "GPE", "ORG", "NORP"):
        return False
    return token.pos_ == "ADJ" or (token.dep_ == "compound" and token.is_lower and token.pos_ == "NOUN")


def _is_backed_adjective(doc: Doc, atom: Atom) -> bool:
    """'Iranian-backed militias' are not Iranian forces."""
    after = doc[atom.end:atom.end + 2]
    return len(after) == 2 and after[0].text == "-" and after[1].lower_ in BACKED


def _is_person_atom(atom: Atom) -> bool:
    return not atom.hits or bool(atom.forms & {"person", "surname"})


def _is_owner(atom: Atom) -> bool:
    return bool(atom.forms & {"state", "adjective", "capital", "metonym", "org", "org_adjective"})


def _is_org_atom(atom: Atom) -> bool:
    return "org" in atom.forms


def resolve_mentions(doc: Doc, kb: KnowledgeBase, on: date | None) -> list[Mention]:
    """All actor mentions in the doc, resolved as of the date ``on``."""
    groups = group_atoms(doc, find_atoms(doc, kb))
    mentions = [m for m in (_resolve_group(doc, g, on) for g in groups) if m is not None]
    mentions = _resolve_appositions(doc, mentions)
    mentions = _resolve_titled_people(doc, mentions)
    mentions = sorted(mentions + _untitled_strangers(doc, mentions), key=lambda m: m.start)
    mentions = _resolve_aliases(doc, mentions)
    mentions = _add_repeated_names(doc, mentions)
    mentions = sorted(mentions + _city_mentions(doc, mentions) + _halves(doc, mentions), key=lambda m: m.start)
    mentions = _unsupported_surnames(doc, kb, mentions)
    return _resolve_generic_agents(doc, mentions)


# Divided countries news names by their halves: "the North" and "the South".
DIVIDED = (("PRK", "KOR"), ("SDN", "SSD"))


def _halves(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'the North later agreed …', 'Sudan accused the South of arming rebels': in a text
    about a divided country, its northern or southern state."""
    named = {m.code for m in mentions}
    pair = next((p for p in DIVIDED if named & set(p)), None)
    if pair is None:
        return []
    covered = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    for token in doc:
        if token.text not in ("North", "South") or token.i == 0 or token.i in covered or \
                doc[token.i - 1].lower_ != "the":
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and following.text[:1].isupper():
            continue            # "the North Atlantic", "the South China Sea"
        code = pair[0] if token.text == "North" else pair[1]
        ref = ActorRef(token.text, token.idx, token.idx + len(token.text), code, None,
                       why=f"the {token.text.lower()}ern half of a divided country: {code}")
        found.append(Mention(token.i, token.i + 1, ref, "actor", False))
    return found


def _resolve_group(doc: Doc, group: list[Atom], on: date | None) -> Mention | None:
    start, end = group[0].start, group[-1].end
    # Leading "the" belongs to the mention text only if it was glue inside; trim edges.
    owner = _first_hit(group, {"state", "metonym", "org", "capital", "adjective", "org_adjective"})
    demonym = _first_hit(group, {"demonym"})
    title = _last_hit(group, {"title"})
    title_atom = next((a for a in reversed(group) if "title" in a.forms), None)
    agent = _last_hit(group, {"agent"})
    person_atom = next((a for a in group if _is_person_atom(a)), None)
    person = _person_hit(person_atom, on, doc[title_atom.start:title_atom.end].text if title_atom else None) \
        if person_atom else None
    former = any(t.lower_ in FORMER for t in doc[max(0, start - 2):start])

    span = doc[start:end]
    text = span.text
    if person is not None and person[1] is not None:
        entry, role = person[0], person[1]
        ref = ActorRef(text, span.start_char, span.end_char, role.code, role.sector, entry.name,
                       role.office, entry.wikidata, why=f"{entry.source}: {entry.name}, {role.office} "
                       f"{role.start or '…'}–{role.end or 'now'}")
        return Mention(start, end, ref, "actor", True, entry.key)
    sector_hit = title or agent
    if owner is None and demonym is not None:
        owner = demonym
    if owner is None:
        # A bare title/agent/name: resolved later from apposition or document context.
        office = title.entry.office if title else None
        ref = ActorRef(text, span.start_char, span.end_char, None,
                       sector_hit.sector if sector_hit else None,
                       person[0].name if person else (doc[person_atom.start:person_atom.end].text
                                                      if person_atom else None),
                       office, person[0].wikidata if person else None,
                       why="no owner in text" if not person else "person holds no office on this date")
        return Mention(start, end, ref, "actor", person_atom is not None,
                       person[0].key if person else _name_key(doc, person_atom),
                       unresolved_title=office, agent_key=sector_hit.entry.key if sector_hit else None)
    entry = owner.entry
    became = entry.role_on(on) if entry.roles else None
    if became is not None:
        owner = Alias(replace(entry, code=became.code, sector=became.sector), owner.form, became.sector)
        entry = owner.entry
    if entry.kind == "org":
        sector = owner.sector if owner.sector in ("IGO", "REB", "NGO") or not sector_hit else sector_hit.sector
    else:
        sector = sector_hit.sector if sector_hit else owner.sector
    if former and title:
        sector = None
    office = title.entry.office if title and not former else None
    name = (doc[person_atom.start:person_atom.end].text if person_atom else entry.name)
    ref = ActorRef(text, span.start_char, span.end_char, entry.code, sector, name, office,
                   entry.wikidata if not person_atom else None,
                   why=f"{entry.source}: {entry.name} ({owner.form})" + (f" + {sector_hit.entry.name}" if sector_hit else ""))
    mention_role = _role_of(doc, start, end, owner, sector_hit, person_atom)
    return Mention(start, end, ref, mention_role, person_atom is not None,
                   _name_key(doc, person_atom) if person_atom else None,
                   agent_key=sector_hit.entry.key if sector_hit else None)


def _role_of(doc: Doc, start: int, end: int, owner: Alias, sector_hit: Alias | None,
             person_atom: Atom | None) -> str:
    if person_atom or sector_hit or owner.form in ("metonym", "org", "demonym"):
        return "actor"
    if owner.form in ("adjective", "org_adjective"):
        return "modifier"
    head = _span_head(doc, start, end)
    if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS:
        return "place"
    if head.dep_ == "appos" and head.head.ent_type_ in ("GPE", "LOC"):
        return "place"      # "Muscat, Oman"
    return "actor"


def _span_head(doc: Doc, start: int, end: int) -> Token:
    for token in doc[start:end]:
        if token.head.i < start or token.head.i >= end or token.head.i == token.i:
            return token
    return doc[end - 1]


def _first_hit(group: list[Atom], forms: AbstractSet[str]) -> Alias | None:
    for atom in group:
        for hit in atom.hits:
            if hit.form in forms:
                return hit
    return None


def _last_hit(group: list[Atom], forms: AbstractSet[str]) -> Alias | None:
    for atom in reversed(group):
        for hit in atom.hits:
            if hit.form in forms:
                return hit
    return None


def _person_hit(atom: Atom, on: date | None, title: str | None = None) -> tuple[Entry, Role | None] | None:
    """(entry, role on the date) for a KB person; ambiguous surnames stay unresolved."""
    people = [h.entry for h in atom.hits if h.form in ("person", "surname")]
    if not people:
        return None
    dated = [(e, e.role_on(on)) for e in people]
    active = [(e, r) for e, r in dated if r is not None]
    if len(active) == 1:
        return active[0]
    if len(people) == 1:
        # a full name in an undated article keeps the person's last role; a bare surname
        # ("May", "English") is too often a word to reach back that far
        named = any(h.form == "person" for h in atom.hits)
        if named:
            return people[0], people[0].likely_role(on)
        # … unless the title before it is one of the person's offices ("Secretary Kerry")
        return people[0], dated[0][1] or (_titled_role(people[0], title) if on is None else None)
    return None


def _titled_role(person: Entry, title: str | None) -> Role | None:
    """The person's latest role whose office the title word names."""
    word = (title or "").lower().rstrip(".")
    fitting = [r for r in person.roles if word and r.office and word in r.office.lower().split()]
    return max(fitting, key=lambda r: r.start or date.min) if fitting else None


def _name_key(doc: Doc, atom: Atom | None) -> str | None:
    if atom is None:
        return None
    return "name:" + normalise(doc[atom.start:atom.end].text)


def _resolve_appositions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'Takeshi Iwaya, Japan's top diplomat' and 'Japan's top diplomat, Takeshi Iwaya'."""
    out = list(mentions)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        gap = doc[a.end:b.start]
        if not (len(gap) == 1 and gap[0].text == ","):
            continue
        if a.is_person and a.code is None and b.code and not b.is_person and b.ref.office:
            out[k] = _adopt(a, b)
        elif b.is_person and b.code is None and a.code and not a.is_person and a.ref.office:
            out[k + 1] = _adopt(b, a)
    return out


def _adopt(person: Mention, source: Mention) -> Mention:
    ref = replace(person.ref, code=source.code, sector=source.ref.sector,
                  office=source.ref.office, why=f"apposition: {source.ref.text}")
    return replace(person, ref=ref)


def _resolve_aliases(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Later mentions of a person resolved earlier take the same code: by name ("Iwaya"),
    or by office ("the minister", "the Secretary") when one earlier person fits."""
    known: dict[str, ActorRef] = {}
    people: list[ActorRef] = []
    agents: dict[str, ActorRef] = {}
    out = []
    for mention in mentions:
        ref = mention.ref
        if ref.code is None:
            earlier = None
            if mention.is_person:
                earlier = next((known[k] for k in _name_keys(ref.name) if k in known), None)
            elif mention.unresolved_title:
                earlier = _holder_of(mention.ref.text, mention.unresolved_title, people)
            elif mention.agent_key and _definite(doc, mention):
                earlier = agents.get(mention.agent_key)    # "the Foreign Ministry" again
            if earlier is not None:
                ref = replace(ref, code=earlier.code, sector=earlier.sector, office=earlier.office,
                              wikidata=earlier.wikidata, name=earlier.name,
                              why=f"same document: {earlier.text}")
                mention = replace(mention, ref=ref)
        if ref.code is not None:
            for key in _name_keys(ref.name) if mention.is_person else ():
                known.setdefault(key, ref)
            if ref.office:
                people.append(ref)
            if mention.agent_key:
                agents[mention.agent_key] = ref
        out.append(mention)
    return out


def _definite(doc: Doc, mention: Mention) -> bool:
    """'the Foreign Ministry' refers back; 'military targets' does not."""
    first = doc[mention.start]
    before = doc[mention.start - 1] if mention.start else None
    starts_definite = first.lower_ == "the" or (before is not None and before.lower_ == "the")
    return starts_definite and doc[mention.end - 1].pos_ in ("NOUN", "PROPN")


def _holder_of(text: str, office: str, people: list[ActorRef]) -> ActorRef | None:
    """The latest earlier person with this office; a bare title word ("the Secretary")
    also fits an office that contains it, when only one person does."""
    same = [p for p in people if p.office == office]
    if same:
        return same[-1]
    word = normalise(text).lower().removeprefix("the ").strip()
    fitting = {p.name: p for p in people
               if word in (p.office or "").lower() or word in normalise(p.text).lower()}
    return next(iter(fitting.values())) if len(fitting) == 1 else None


def _name_keys(name: str | None) -> list[str]:
    if not name:
        return []
    name = normalise(name)
    parts = name.split()
    keys = [name]
    if len(parts) > 1:
        keys.append(parts[-1])          # Western surname ("Asante-Boateng")
        keys.append(parts[0])           # East Asian family name first ("Cho Tae-yul" → "Cho")
        if "-" in parts[-1]:
            keys.append(parts[-1].split("-")[-1])
    return keys


def _covered(mentions: list[Mention]) -> set[int]:
    return {i for m in mentions for i in range(m.start, m.end)}


def _city_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Cities named in the text stand for their country as places ("a strike on Kharkiv"
    → UKR), from the offline gazetteer; they are actors only if an event uses them."""
    # the gazetteer's tables load on first use, not at import
    from diurna.nlp.gazetteer import lookup_city

    covered = _covered(mentions)
    found = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC", "ORG") or any(i in covered for i in range(ent.start, ent.end)):
            continue
        city = lookup_city(ent.text)
        if city is None or not city.country:
            continue
        ref = ActorRef(ent.text, ent.start_char, ent.end_char, city.country, None, ent.text,
                       why=f"gazetteer: {ent.text}, a city in {city.country}")
        found.append(Mention(ent.start, ent.end, ref, "place", False))
    return found


def _add_repeated_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Names of people resolved earlier, found again where the NER missed them."""
    names: dict[str, ActorRef] = {}
    for mention in mentions:
        if mention.is_person and mention.code:
            for key in _name_keys(mention.ref.name) + _name_keys(doc[mention.start:mention.end].text):
                if len(key) > 2 and key[0].isupper():
                    names.setdefault(key, mention.ref)
    if not names:
        return mentions
    covered = _covered(mentions)
    extra = []
    first_seen = min((m.start for m in mentions if m.is_person and m.code), default=len(doc))
    for i in range(first_seen, len(doc)):
        if i in covered or not doc[i].is_title:
            continue
        for j in range(min(len(doc), i + 4), i, -1):
            span = doc[i:j]
            ref = names.get(normalise(span.text))
            if ref is not None and not any(k in covered for k in range(i, j)):
                extra.append(Mention(i, j, replace(ref, text=span.text, start=span.start_char,
                                                   end=span.end_char, why=f"same document: {ref.text}"),
                                     "actor", True))
                covered.update(range(i, j))
                break
    return mentions + extra


# A bare group noun ("police", "protesters", "the junta", "rebels") names a sub-state actor
# of the state the text is about (CONVENTIONS §12, §61): the one state its sentence places
# events in, else the state the document keeps returning to.
FOCUS_MIN_MENTIONS = 2


def _resolve_generic_agents(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    if not any(_is_generic(doc, m) for m in mentions):
        return mentions
    focus = _document_focus(mentions)
    out = []
    for mention in mentions:
        if _is_generic(doc, mention):
            named = _named_beside(doc, mention, mentions)
            if named is not None:      # "the rebel group, the ELN", "militant group al-Shabab"
                mention = replace(mention, ref=replace(mention.ref, code=named.code,
                                                       why=f"same group: {named.ref.text}"))
                out.append(mention)
                continue
            owner = _pronoun_owner(doc, mention, out)
            group = _armed_group(doc, mention, mentions) if mention.ref.sector == "REB" and not owner else None
            if group is not None:      # "Al-Qaida-linked militants"; "the rebels" of a report on the M23
                out.append(replace(mention, ref=replace(mention.ref, code=group.code,
                                                        why=f"the armed group of the text: {group.ref.text}")))
                continue
            state = owner or (_earlier_people_state(doc, mention, out) if _refers_to_people(doc, mention)
                              else _sentence_state(doc, mention, mentions) or focus)
            if state is not None:
                mention = replace(mention, ref=replace(mention.ref, code=state,
                                                       why=f"generic agent of the state in focus: {state}"))
        out.append(mention)
    return out


def _armed_group(doc: Doc, mention: Mention, mentions: list[Mention]) -> Mention | None:
    """The armed group bare "rebels" or "militants" are: one named in their own phrase
    ("Al-Qaida-linked militants"), else the last one named before them, else the only one
    the text names. Rebels are not the state they fight (CONVENTIONS §12)."""
    groups = [m for m in mentions if m.code and not _is_state(m.code) and m.ref.sector == "REB"
              and not m.is_person]
    if not groups:
        return None
    head = _span_head(doc, mention.start, mention.end)
    inside = [g for g in groups if head.left_edge.i <= g.start < mention.start]
    if inside:
        return inside[-1]
    before = [g for g in groups if g.end <= mention.start]
    if before:
        return before[-1]
    return groups[0] if len({g.code for g in groups}) == 1 else None


def _unsupported_surnames(doc: Doc, kb: KnowledgeBase, mentions: list[Mention]) -> list[Mention]:
    """An ambiguous lone surname ("Khan", "May", "No") names a person the knowledge base
    knows only if the text also speaks of that person's state or organisation; otherwise
    it is left to the document (an earlier full name) or unresolved."""
    lone = [m for m in mentions if _lone_surname(doc, m) and _ambiguous_surname(doc, kb, m)]
    if not lone:
        return mentions
    spoken_of = {m.code for m in mentions if m.code and not _lone_surname(doc, m)}
    return [replace(m, ref=replace(m.ref, code=None, sector=None, office=None, why="a surname alone"))
            if m in lone and m.code not in spoken_of else m for m in mentions]


def _lone_surname(doc: Doc, mention: Mention) -> bool:
    """A person named by surname alone, unless they lead their state: news names heads of
    state and government by surname at once ("Trump spoke to reporters")."""
    text = doc[mention.start:mention.end].text.strip()
    return mention.is_person and mention.code is not None and " " not in text and \
        mention.ref.name is not None and text != mention.ref.name and \
        not any(word in (mention.ref.office or "") for word in HEADS)


def _ambiguous_surname(doc: Doc, kb: KnowledgeBase, mention: Mention) -> bool:
    """A surname several known people share ("Khan", "Kim"), or one that is also a word
    ("May", "No"); a rare surname ("Lavrov") names its bearer wherever it stands."""
    text = doc[mention.start:mention.end].text.strip()
    bearers = {h.entry.name for h in kb.lookup(text) if h.form == "surname"}
    return len(bearers) > 1 or doc.vocab[text.lower()].is_stop or text.lower() in MONTHS


# Offices whose holders news names by surname alone.
HEADS = ("President", "Prime Minister", "Chancellor", "King", "Emir", "Supreme Leader")


def _resolve_titled_people(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'President Blaise Compaore', 'opposition leader Raila Odinga': a named person with a
    title but no state, whom the knowledge base does not know, holds that title in the
    state the text is about. Later mentions by surname then follow (_resolve_aliases)."""
    if not any(_is_titled_stranger(m) for m in mentions):
        return mentions
    focus = _document_focus(mentions)
    out = []
    for mention in mentions:
        if _is_titled_stranger(mention):
            state = _sentence_state(doc, mention, mentions) or focus
            if state is not None:
                mention = replace(mention, ref=replace(mention.ref, code=state,
                                                       why=f"titled person of the state in focus: {state}"))
        out.append(mention)
    return out


def _untitled_strangers(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'Sam Rainsy publicly accused him', 'Jeremiah Manele and Charlot Salwai … are in China':
    a person named in full, without a title, whom the knowledge base does not know, acting
    as a subject, is of the state their sentence or the text is about (CONVENTIONS §12), as
    titled strangers are. Later mentions by surname follow (_add_repeated_names)."""
    focus = _document_focus(mentions)
    covered = _covered(mentions)
    found = []
    for token in doc:
        if token.dep_ not in ("nsubj", "nsubjpass", "conj") or token.pos_ != "PROPN" or token.i in covered:
            continue
        if token.dep_ == "conj" and token.head.dep_ not in ("nsubj", "nsubjpass"):
            continue
        start = min((c.i for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN"), default=token.i)
        name = doc[start:token.i + 1]
        if not _a_full_name(name, covered):
            continue
        state = sentence_state(name.sent, mentions) or focus
        if state is None:
            continue
        ref = ActorRef(name.text, name.start_char, name.end_char, state, None, name.text,
                       why=f"named person of the state in focus: {state}")
        found.append(Mention(name.start, name.end, ref, "actor", True, f"person:{name.text}"))
    return found


def _a_full_name(name: Span, covered: set[int]) -> bool:
    """Two or three capitalised words, none a place, date, organisation or title word, and
    not the start of some other name: "the …", "Saber Strike 17", "New Light of Myanmar"."""
    from diurna.nlp.entities import ORGANISATION_WORDS     # (the nlp stage's own word list)

    doc = name.doc
    following = doc[name.end] if name.end < len(doc) else None
    return 2 <= len(name) <= 3 and all(
        t.pos_ == "PROPN" and t.is_title and t.i not in covered and not t.ent_type_ and t.is_alpha
        and t.lower_ not in ORGANISATION_WORDS for t in name) and \
        (name.start == 0 or doc[name.start - 1].lower_ != "the") and \
        (following is None or not (following.like_num or following.lower_ == "of"))


def _is_titled_stranger(mention: Mention) -> bool:
    return mention.code is None and mention.is_person and mention.unresolved_title is not None \
        and mention.ref.sector is not None and mention.person_key is not None


def _is_generic(doc: Doc, mention: Mention) -> bool:
    """A bare group noun standing as a party, not describing another noun ("military drills")."""
    if mention.code is not None or mention.is_person or mention.agent_key is None \
            or mention.unresolved_title is not None or mention.ref.sector is None:
        return False
    return _span_head(doc, mention.start, mention.end).dep_ not in ("compound", "amod", "nmod", "poss")


# "The officials", "the leaders": people named before, not the state's apparatus at large.
PEOPLE_NOUNS = frozenset({"official", "leader", "minister", "diplomat", "delegate", "envoy",
                          "representative", "negotiator", "counterpart"})


def _refers_to_people(doc: Doc, mention: Mention) -> bool:
    head = _span_head(doc, mention.start, mention.end)
    return head.lemma_.lower() in PEOPLE_NOUNS and _definite(doc, mention)


def _earlier_people_state(doc: Doc, mention: Mention, earlier: list[Mention]) -> str | None:
    """The one state of the people named before; None when they act for several."""
    states = {m.code for m in earlier if m.is_person and m.code}
    return states.pop() if len(states) == 1 and _is_state(next(iter(states))) else None


OWNER_PRONOUNS = frozenset({"its", "their"})


def _pronoun_owner(doc: Doc, mention: Mention, earlier: list[Mention]) -> str | None:
    """'Al-Shabab said its fighters…', 'Armenia says its troops…': the group or state named
    last before, in the same sentence, owns the agent."""
    head = _span_head(doc, mention.start, mention.end)
    if not any(c.dep_ == "poss" and c.lower_ in OWNER_PRONOUNS for c in head.children):
        return None
    sent = head.sent
    before = [m for m in earlier if sent.start <= m.start < mention.start and m.code and not m.is_person
              and m.role == "actor"]
    return before[-1].code if before else None


def _named_beside(doc: Doc, mention: Mention, mentions: list[Mention]) -> Mention | None:
    """A coded group the generic noun is in apposition with, or directly names."""
    head = _span_head(doc, mention.start, mention.end)
    sent = head.sent
    for other in mentions:
        if other is mention or other.code is None or other.role != "actor" or other.is_person \
                or not sent.start <= other.start < sent.end:
            continue
        other_head = _span_head(doc, other.start, other.end)
        linked = (other_head.head.i == head.i or head.head.i == other_head.i) and \
            "appos" in (other_head.dep_, head.dep_)
        if linked or other.start in (mention.end, mention.end + 1):
            return other
    return None


def _is_state(code: str | None) -> bool:
    return code is not None and len(code) == 3 and code in _state_codes()


def _sentence_state(doc: Doc, mention: Mention, mentions: list[Mention]) -> str | None:
    return sentence_state(doc[mention.start].sent, mentions)


def sentence_state(sent: Span, mentions: list[Mention]) -> str | None:
    """The one state a sentence places things in ("in Moscow", "Kenyan cities"), if one;
    not a state whose adjective names who attacked ("killed in Russian drone attacks")."""
    states = {m.code for m in mentions if sent.start <= m.start < sent.end and m.role in ("place", "modifier")
              and _is_state(m.code) and not (m.role == "modifier" and _names_an_attacker(sent.doc, m))}
    return states.pop() if len(states) == 1 else None


def _names_an_attacker(doc: Doc, mention: Mention) -> bool:
    noun = _span_head(doc, mention.start, mention.end).head
    while noun.dep_ in ("compound", "nmod", "amod") and noun.head.i != noun.i:
        noun = noun.head           # "Russian missile and drone attacks"
    return any(n.lemma_.lower() in ENGLISH.aggression for n in (noun, *noun.conjuncts))


def state_in_focus(sent: Span, mentions: list[Mention]) -> str | None:
    """Where unnamed people act: the state their sentence places things in, else the
    state the document keeps returning to (see _document_focus)."""
    return sentence_state(sent, mentions) or _document_focus(mentions)


def _document_focus(mentions: list[Mention]) -> str | None:
    counts: dict[str, int] = {}
    for m in mentions:
        if m.code is not None and _is_state(m.code) and m.ref.sector in (None, "GOV", "MIL", "POL"):
            counts[m.code] = counts.get(m.code, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < FOCUS_MIN_MENTIONS:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None          # two states about equally: whose police is not clear
    return ranked[0][0]


@lru_cache(maxsize=1)
def _state_codes() -> frozenset[str]:
    import pycountry   # loads its tables on first use

    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX", "PSE", "TWN"}
