"""The actor knowledge base: states, organisations, people with dated offices, sector agents.

Entries come from YAML package data (``actors/data/*.yaml``, format in docs/actors.md)
plus any user files, which override ours alias by alias.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from diurna.errors import KnowledgeBaseError
from diurna.yaml_data import (Choice, Day, Either, Flag, Invalid, ListOf, Nullable, Record, Spec, Text,
                              entry_label, load_yaml)

# Our files, and the section of a user's file whose entries each holds (agents.yaml
# is itself a mapping of sections).
DATA_FILES = {"states.yaml": "states", "orgs.yaml": "orgs", "people.yaml": "people", "agents.yaml": None}
# People of the Phoenix dictionaries (MIT), under ours: tools/phoenix_people.py.
BASE_PEOPLE = "phoenix_people.jsonl.gz"

# What kind of words an alias is; the resolver composes mentions from these.
OWNER_FORMS = {"state", "adjective", "capital", "metonym", "org", "org_adjective", "demonym"}

# -- the schema of the actor files (docs/actors.md, and each file's header) -------------
# PLOVER's sectors as our conventions use them (CONVENTIONS.md point 13).
SECTORS = frozenset({"GOV", "MIL", "POL", "LEG", "JUD", "OPP", "REB", "MED", "CVL", "EDU",
                     "BUS", "NGO", "IGO", "PTY", "REL"})
ORG_KINDS = frozenset({"igo", "grouping", "region", "armed_group", "cartel", "ngo", "party"})
_SECTOR = Choice(SECTORS | {None})
_ALIASES = Nullable(ListOf(Text("an alias (a non-empty string)")))
_TEXT = Text()
STATE = Record({
    "code": _TEXT, "wikidata": _TEXT, "name": _TEXT, "names": _ALIASES, "adjectives": _ALIASES,
    "demonyms": _ALIASES, "capital": Nullable(Either((_TEXT, _ALIASES))), "capital_metonym": Flag(),
    "metonyms": ListOf(Record({"text": _TEXT, "sector": _SECTOR}, frozenset({"text"}))),
    "case_sensitive": _ALIASES,
}, frozenset({"code"}))
ORG = Record({
    "code": _TEXT, "wikidata": _TEXT, "name": _TEXT, "kind": Choice(ORG_KINDS), "sector": _SECTOR,
    "names": _ALIASES, "adjectives": _ALIASES, "case_sensitive": _ALIASES,
    "became": Record({"code": _TEXT, "sector": _SECTOR, "start": Day()}, frozenset({"code"})),
}, frozenset({"code", "kind"}))
ROLE = Record({"code": _TEXT, "sector": _SECTOR, "office": Nullable(_TEXT),
               "start": Nullable(Day()), "end": Nullable(Day())}, frozenset({"code"}))
PERSON = Record({"name": _TEXT, "wikidata": _TEXT, "aliases": _ALIASES, "surname": _TEXT,
                 "roles": ListOf(ROLE)}, frozenset({"name"}))
_TERMS = ListOf(Text("a term (a non-empty string)"))
AGENT = Record({"sector": Choice(SECTORS), "terms": _TERMS}, frozenset({"sector", "terms"}))
TITLE = Record({"sector": Choice(SECTORS), "office": _TEXT, "terms": _TERMS},
               frozenset({"sector", "office", "terms"}))
ENTRY_SCHEMAS: dict[str, Spec] = {"states": STATE, "orgs": ORG, "people": PERSON,
                                  "agents": AGENT, "titles": TITLE}
# One entry of a file, as YAML gives it (its values checked by the entry's schema).
RawEntry = dict[str, Any]


@dataclass(frozen=True)
class Role:
    code: str
    sector: str | None
    office: str | None
    start: date | None
    end: date | None        # exclusive; None = still held

    def holds_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None          # undated article: only current roles
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Entry:
    """One knowledge-base entry that an alias points to."""
    key: str                 # unique, e.g. "state:KOR", "person:Cho Tae-yul"
    kind: str                # state, org, person, agent, title
    code: str | None
    sector: str | None
    name: str
    wikidata: str | None = None
    office: str | None = None
    roles: tuple[Role, ...] = ()
    source: str = "builtin"

    def role_on(self, day: date | None) -> Role | None:
        for role in sorted(self.roles, key=lambda r: r.start or date.min, reverse=True):
            if role.holds_on(day):
                return role
        return None

    def likely_role(self, day: date | None) -> Role | None:
        """The role on the day; for an undated article with no current role, the person's
        last one (a named official's state does not change, and news names people while
        they serve)."""
        role = self.role_on(day)
        if role is None and day is None and self.roles:
            role = max(self.roles, key=lambda r: r.start or date.min)
        return role


@dataclass(frozen=True)
class Alias:
    """An alias hit: which entry, and in what form (adjective, capital, surname…)."""
    entry: Entry
    form: str
    sector: str | None      # sector this form implies (e.g. metonym "the Kremlin" → GOV)


@dataclass
class KnowledgeBase:
    cased: dict[str, list[Alias]] = field(default_factory=dict)     # proper names, case matters
    uncased: dict[str, list[Alias]] = field(default_factory=dict)   # agent and title words
    entries: dict[str, Entry] = field(default_factory=dict)
    # codes of world regions ("Europe", "the Indo-Pacific"): places more often than parties
    regions: set[str] = field(default_factory=set)
    _starts: dict[str, int] | None = field(default=None, repr=False)

    def add(self, alias: str, hit: Alias, override: bool = False, exact_case: bool = False) -> None:
        """Index an alias. One with a capital letter, or listed under ``case_sensitive``
        (``exact_case``), matches only as written; any other in any case."""
        alias = normalise(alias).strip()
        if not alias:
            return
        self._starts = None
        table = self.cased if exact_case or _is_proper(alias) else self.uncased
        key = alias if table is self.cased else alias.lower()
        if override:
            table[key] = [hit]
        else:
            table.setdefault(key, []).append(hit)
        if table is self.cased and not exact_case and key[0].islower():
            # "al-Qaida", "al-Shabab" open a sentence or a headline as "Al-Qaida", "Al-Shabab"
            # (not a name listed as case-sensitive: that matches only as written)
            opening = table.setdefault(key[0].upper() + key[1:], [])
            if not any(h.entry is hit.entry for h in opening):
                opening.append(hit)

    def lookup(self, text: str) -> list[Alias]:
        text = normalise(text).strip()
        return self.cased.get(text) or self.uncased.get(text.lower()) or []

    def longest_alias_from(self, word: str) -> int:
        """Length in characters of the longest alias that a token (lowercased,
        normalised) can begin; 0 if none.

        A tokenizer cuts a word only where letters meet other characters, so every
        such prefix of an alias's first word is listed ("al" and "al-" of "Al-Shabaab")."""
        if self._starts is None:
            starts: dict[str, int] = {}
            for key in (*self.cased, *self.uncased):
                for prefix in _first_tokens(key):
                    starts[prefix] = max(starts.get(prefix, 0), len(key))
            self._starts = starts
        return self._starts.get(word, 0)

    def lookup_normalised(self, text: str) -> list[Alias]:
        """lookup() for text already normalised and stripped."""
        return self.cased.get(text) or self.uncased.get(text.lower()) or []

    def title_words(self) -> frozenset[str]:
        """Last words of the titles ("minister" of "foreign minister"): a name after
        one of them is a person's."""
        return frozenset(alias.split()[-1] for alias, hits in self.uncased.items()
                         if any(h.form == "title" for h in hits))

    def codes(self) -> set[str]:
        return {e.code for e in self.entries.values() if e.code}


def normalise(text: str) -> str:
    """Unify curly apostrophes and dashes so aliases match however the text was typeset."""
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
            .replace("\u2010", "-").replace("\u2011", "-").replace("\u2013", "-")
            .replace("\u00a0", " "))


def _first_tokens(alias: str) -> Iterable[str]:
    word = alias.lower().split()[0]
    yield word
    for k in range(1, len(word)):
        if word[k].isalnum() != word[k - 1].isalnum():
            yield word[:k]


def _is_proper(alias: str) -> bool:
    return any(ch.isupper() for ch in alias)


def builtin_kb(base_people: bool = True) -> KnowledgeBase:
    """The knowledge base shipped in diurna/actors/data (with the Phoenix people under
    ours unless ``base_people`` is false)."""
    kb = KnowledgeBase()
    data = resources.files("diurna.actors") / "data"
    for name, section in DATA_FILES.items():
        resource = data / name
        if resource.is_file():
            _load_document(kb, load_yaml(resource.read_text(encoding="utf-8")) or [],
                           f"diurna/actors/data/{name}", override=False, section=section)
    if base_people:
        with gzip.open((data / BASE_PEOPLE).open("rb"), "rt", encoding="utf-8") as lines:
            load_base_people(kb, lines, f"diurna/actors/data/{BASE_PEOPLE}")
    return kb


def load_base_people(kb: KnowledgeBase, lines: Iterable[str], where: str) -> int:
    """People of a base layer under ``kb`` (JSON lines in the schema of people.yaml, as
    tools/phoenix_people.py writes them); returns how many were added. A person any of
    whose names ``kb`` already knows is left out: the entries above are authoritative.
    Full names match in any case ("Ban Ki-moon" for the dictionary's "Ban Ki-Moon")."""
    added = 0
    for line in lines:
        item = json.loads(line)
        names = [item["name"], *item.get("aliases", ())]
        if any(kb.lookup(name) for name in names):
            continue
        roles = tuple(Role(r["code"], r.get("sector"), None, _day(r.get("start")), _day(r.get("end")))
                      for r in item["roles"])
        entry = Entry(f"person:{item['name']}", "person", None, None, item["name"], roles=roles,
                      source=where)
        kb.entries.setdefault(entry.key, entry)
        for name in names:
            kb.add(name.lower(), Alias(entry, "person", None))
        added += 1
    return added


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_yaml_file(kb: KnowledgeBase, path: Path) -> None:
    """A user's actor file in our YAML format; its entries override by alias."""
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path}: not valid YAML ({exc}); see docs/actors.md") from None
    _load_document(kb, document or [], str(path), override=True)


def _load_document(kb: KnowledgeBase, document: Any, where: str, override: bool,
                   section: str | None = None) -> None:
    """A mapping of sections ({states: [...], orgs: [...], people: [...], agents: [...],
    titles: [...]}) or a list of entries: of ``section``, or else each of the kind its
    keys show (roles: a person; kind: an organisation; otherwise a state)."""
    if isinstance(document, dict):
        for key in document:
            if key not in ENTRY_SCHEMAS:
                raise KnowledgeBaseError(f"{where}: {key}: unknown key; allowed keys: "
                                         + ", ".join(ENTRY_SCHEMAS) + "; see docs/actors.md")
        for key in ENTRY_SCHEMAS:       # in this order, whatever the file's: later aliases override
            if key in document:
                _load_entries(kb, document[key] or [], where, override, key, label=f"{key} entry")
        return
    if not isinstance(document, list):
        raise KnowledgeBaseError(f"{where}: expected a list of entries or a mapping of sections "
                                 "(states, orgs, people, agents, titles); see docs/actors.md")
    _load_entries(kb, document, where, override, section, label="entry")


def _load_entries(kb: KnowledgeBase, items: Any, where: str, override: bool, section: str | None, label: str) -> None:
    if not isinstance(items, list):
        raise KnowledgeBaseError(f"{where}: {section}: expected a list of entries; see docs/actors.md")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise KnowledgeBaseError(f"{where}: {label} {number}: is not a mapping; see docs/actors.md")
        kind = section or _guess_kind(item)
        try:
            ENTRY_SCHEMAS[kind].check(item, "")
            _ADDERS[kind](kb, item, where, override)
        except Invalid as exc:
            name = (lambda i: i.get("office") or i.get("sector")) if kind in ("agents", "titles") else None
            raise KnowledgeBaseError(f"{where}: {entry_label(number, item, label, name)}: {exc}") from None


def _guess_kind(item: RawEntry) -> str:
    if "roles" in item:
        return "people"
    return "orgs" if "kind" in item else "states"


def _add_state(kb: KnowledgeBase, item: RawEntry, where: str, override: bool) -> None:
    code = item["code"]
    entry = Entry(f"state:{code}", "state", code, None, item.get("name") or code,
                  item.get("wikidata"), source=where)
    kb.entries[entry.key] = entry
    capitals = item.get("capital")
    capitals = [capitals] if isinstance(capitals, str) else capitals or []
    exact = _case_sensitive(item, [entry.name, *(item.get("names") or []), *(item.get("adjectives") or []),
                                   *(item.get("demonyms") or []), *capitals,
                                   *(m["text"] for m in item.get("metonyms") or [])])
    for alias in [entry.name, *(item.get("names") or [])]:
        kb.add(alias, Alias(entry, "state", None), override, alias in exact)
    for alias in item.get("adjectives") or []:
        kb.add(alias, Alias(entry, "adjective", None), override, alias in exact)
    for alias in item.get("demonyms") or []:
        kb.add(alias, Alias(entry, "demonym", "CVL"), override, alias in exact)
    if item.get("capital_metonym") is False:
        capitals = []       # too ambiguous to stand for the state (Kingston, Victoria…)
    for alias in capitals:
        kb.add(alias, Alias(entry, "capital", None), override, alias in exact)
    for metonym in item.get("metonyms") or []:
        kb.add(metonym["text"], Alias(entry, "metonym", metonym.get("sector")), override,
               metonym["text"] in exact)


def _case_sensitive(item: RawEntry, aliases: list[str]) -> frozenset[str]:
    """The aliases the entry lists under ``case_sensitive``, each one of its own."""
    exact = frozenset(item.get("case_sensitive") or ())
    for number, alias in enumerate(item.get("case_sensitive") or (), start=1):
        if alias not in aliases:
            raise Invalid(f"case_sensitive[{number}]", f"{alias!r} is not one of this entry's aliases; "
                          "allowed: its name, names, adjectives" + (", demonyms, capital, metonyms"
                                                                    if "kind" not in item else ""))
    return exact


def _add_org(kb: KnowledgeBase, item: RawEntry, where: str, override: bool) -> None:
    code = item["code"]
    name = item.get("name") or code
    became = item.get("became")     # a group that became a government (Taliban → AFG GOV)
    roles = (Role(became["code"], became.get("sector"), None, _date(became.get("start")), None),) \
        if became else ()
    entry = Entry(f"org:{code}:{name}", "org", code, item.get("sector"), name,
                  item.get("wikidata"), roles=roles, source=where)
    kb.entries[entry.key] = entry
    if item["kind"] == "region":
        kb.regions.add(code)
    exact = _case_sensitive(item, [name, *(item.get("names") or []), *(item.get("adjectives") or [])])
    for alias in [name, *(item.get("names") or [])]:
        kb.add(alias, Alias(entry, "org", entry.sector), override, alias in exact)
    for alias in item.get("adjectives") or []:
        kb.add(alias, Alias(entry, "org_adjective", entry.sector), override, alias in exact)


def _add_person(kb: KnowledgeBase, item: RawEntry, where: str, override: bool) -> None:
    name = item["name"]
    roles = tuple(_role(r) for r in item.get("roles") or [])
    entry = Entry(f"person:{name}", "person", None, None, name, item.get("wikidata"),
                  roles=roles, source=where)
    kb.entries[entry.key] = entry
    for alias in {name, *(item.get("aliases") or [])}:
        kb.add(alias, Alias(entry, "person", None), override)
    if item.get("surname"):
        kb.add(item["surname"], Alias(entry, "surname", None), override)


def _role(raw: RawEntry) -> Role:
    return Role(raw["code"], raw.get("sector"), raw.get("office"),
                _date(raw.get("start")), _date(raw.get("end")))


def _date(value: str | None) -> date | None:
    """A date the schema has checked (Day), or None."""
    return date.fromisoformat(value) if value else None


def _add_agent(kb: KnowledgeBase, group: RawEntry, where: str, override: bool) -> None:
    sector = group["sector"]
    entry = Entry(f"agent:{sector}:{group['terms'][0]}", "agent", None, sector,
                  group["terms"][0], source=where)
    kb.entries[entry.key] = entry
    for term in group["terms"]:
        kb.add(term.lower(), Alias(entry, "agent", sector), override)


def _add_title(kb: KnowledgeBase, group: RawEntry, where: str, override: bool) -> None:
    sector = group["sector"]
    entry = Entry(f"title:{group['office']}", "title", None, sector, group["office"],
                  office=group["office"], source=where)
    kb.entries[entry.key] = entry
    for term in group["terms"]:
        kb.add(term.lower(), Alias(entry, "title", sector), override)


_ADDERS: dict[str, Callable[[KnowledgeBase, RawEntry, str, bool], None]] = {
    "states": _add_state, "orgs": _add_org, "people": _add_person, "agents": _add_agent, "titles": _add_title}
