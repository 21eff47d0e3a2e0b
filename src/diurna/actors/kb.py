"""The actor knowledge base: states, organisations, people with dated offices, sector agents.

Entries come from YAML package data (``actors/data/*.yaml``, format in docs/actors.md)
plus any user files, which override ours alias by alias.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from diurna.errors import KnowledgeBaseError
from diurna.yaml_data import load_yaml

DATA_FILES = ("states.yaml", "orgs.yaml", "people.yaml", "agents.yaml")

# What kind of words an alias is; the resolver composes mentions from these.
OWNER_FORMS = {"state", "adjective", "capital", "metonym", "org", "org_adjective", "demonym"}


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
    _starts: dict[str, int] | None = field(default=None, repr=False)

    def add(self, alias: str, hit: Alias, override: bool = False) -> None:
        alias = normalise(alias).strip()
        if not alias:
            return
        self._starts = None
        table = self.cased if _is_proper(alias) else self.uncased
        key = alias if table is self.cased else alias.lower()
        if override:
            table[key] = [hit]
        else:
            table.setdefault(key, []).append(hit)

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


def builtin_kb() -> KnowledgeBase:
    """The knowledge base shipped in diurna/actors/data."""
    kb = KnowledgeBase()
    data = resources.files("diurna.actors") / "data"
    for name in DATA_FILES:
        resource = data / name
        if resource.is_file():
            _load_document(kb, load_yaml(resource.read_text(encoding="utf-8")) or [],
                           f"diurna/actors/data/{name}", override=False)
    return kb


def load_yaml_file(kb: KnowledgeBase, path: Path) -> None:
    """A user's actor file in our YAML format; its entries override by alias."""
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path}: not valid YAML ({exc}); see docs/actors.md") from None
    _load_document(kb, document or [], str(path), override=True)


def _load_document(kb: KnowledgeBase, document, where: str, override: bool) -> None:
    if isinstance(document, dict):
        # A user file may group entries: {states: [...], orgs: [...], people: [...]}
        for section in ("states", "orgs", "people"):
            _load_entries(kb, document.get(section) or [], where, override, section)
        if "agents" in document or "titles" in document:
            _load_agents(kb, document, where, override)
        return
    if not isinstance(document, list):
        raise KnowledgeBaseError(f"{where}: expected a list of entries; see docs/actors.md")
    _load_entries(kb, document, where, override, section=None)


def _load_entries(kb, items, where, override, section) -> None:
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise KnowledgeBaseError(f"{where}: entry {number} is not a mapping")
        kind = section or _guess_kind(item)
        try:
            if kind in ("people", "person"):
                _add_person(kb, item, where, override)
            elif kind in ("states", "state"):
                _add_state(kb, item, where, override)
            else:
                _add_org(kb, item, where, override)
        except (KeyError, TypeError, ValueError) as exc:
            raise KnowledgeBaseError(f"{where}: entry {number} ({item.get('name', '?')}): {exc}") from None


def _guess_kind(item: dict) -> str:
    if "roles" in item:
        return "person"
    if "kind" in item:
        return "org"
    return "state"


def _add_state(kb, item, where, override) -> None:
    code = item["code"]
    entry = Entry(f"state:{code}", "state", code, None, item.get("name") or code,
                  item.get("wikidata"), source=where)
    kb.entries[entry.key] = entry
    for alias in [entry.name, *(item.get("names") or [])]:
        kb.add(alias, Alias(entry, "state", None), override)
    for alias in item.get("adjectives") or []:
        kb.add(alias, Alias(entry, "adjective", None), override)
    for alias in item.get("demonyms") or []:
        kb.add(alias, Alias(entry, "demonym", "CVL"), override)
    capitals = item.get("capital")
    if item.get("capital_metonym") is False:
        capitals = None     # too ambiguous to stand for the state (Kingston, Victoria…)
    for alias in ([capitals] if isinstance(capitals, str) else capitals or []):
        kb.add(alias, Alias(entry, "capital", None), override)
    for metonym in item.get("metonyms") or []:
        kb.add(metonym["text"], Alias(entry, "metonym", metonym.get("sector")), override)


def _add_org(kb, item, where, override) -> None:
    code = item["code"]
    name = item.get("name") or code
    became = item.get("became")     # a group that became a government (Taliban → AFG GOV)
    roles = (Role(became["code"], became.get("sector"), None, _date(became.get("start"), "became.start"), None),) \
        if became else ()
    entry = Entry(f"org:{code}:{name}", "org", code, item.get("sector"), name,
                  item.get("wikidata"), roles=roles, source=where)
    kb.entries[entry.key] = entry
    for alias in [name, *(item.get("names") or [])]:
        kb.add(alias, Alias(entry, "org", entry.sector), override)
    for alias in item.get("adjectives") or []:
        kb.add(alias, Alias(entry, "org_adjective", entry.sector), override)


def _add_person(kb, item, where, override) -> None:
    name = item["name"]
    roles = tuple(_role(r) for r in item.get("roles") or [])
    entry = Entry(f"person:{name}", "person", None, None, name, item.get("wikidata"),
                  roles=roles, source=where)
    kb.entries[entry.key] = entry
    for alias in {name, *(item.get("aliases") or [])}:
        kb.add(alias, Alias(entry, "person", None), override)
    if item.get("surname"):
        kb.add(item["surname"], Alias(entry, "surname", None), override)


def _role(raw: dict) -> Role:
    return Role(raw["code"], raw.get("sector"), raw.get("office"),
                _date(raw.get("start"), "start"), _date(raw.get("end"), "end"))


def _date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a date in YYYY-MM-DD form") from None


def _load_agents(kb, document, where, override) -> None:
    for group in document.get("agents") or []:
        sector = group["sector"]
        entry = Entry(f"agent:{sector}:{group['terms'][0]}", "agent", None, sector,
                      group["terms"][0], source=where)
        kb.entries[entry.key] = entry
        for term in group["terms"]:
            kb.add(term.lower(), Alias(entry, "agent", sector), override)
    for group in document.get("titles") or []:
        sector = group["sector"]
        entry = Entry(f"title:{group['office']}", "title", None, sector, group["office"],
                      office=group["office"], source=where)
        kb.entries[entry.key] = entry
        for term in group["terms"]:
            kb.add(term.lower(), Alias(entry, "title", sector), override)
