"""Import of actor and agent dictionaries in the PETRARCH/Phoenix text format.

The format (from the TABARI/PETRARCH dictionary documentation):
- ``NAME_WORDS_`` starts an actor; words are joined by underscores.
- ``+OTHER_NAME_`` lines add synonyms of the current actor.
- ``[CODE]`` or ``[CODE YYMMDD-YYMMDD]``, ``[CODE >YYMMDD]``, ``[CODE <YYMMDD]`` give its
  code, optionally limited to dates; several may follow one actor.
- Agents: ``POLICE_ [~COP]`` — a ``~`` code is a sector attached to the actor it follows.
- ``#`` starts a comment; ``<!-- … -->`` blocks are comments too.

CAMEO actor codes concatenate country and sector (``AFGGOV``); we split them into
our code (``AFG``) and sector (``GOV``). International codes (``IGOUNO``) keep the
whole code with sector IGO/NGO.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from diurna.errors import KnowledgeBaseError
from diurna.actors.kb import Alias, Entry, KnowledgeBase, Role

_CODE = re.compile(r"\[([~A-Z0-9]+)\s*([^\]]*)\]")
SECTOR_MAP = {"COP": "POL", "SPY": "GOV", "LAB": "CVL", "REF": "CVL", "ELI": "GOV"}
INTERNATIONAL = ("IGO", "NGO", "IMG", "MNC")


# The dictionaries were last maintained in 2014-15: offices they leave open end here
# (tools/phoenix_people.py).
PHOENIX_ERA_END = date(2016, 1, 1)


@dataclass
class PhoenixEntry:
    """One actor of a Phoenix file: its names (as written, with underscores) and its
    codes with their dates."""
    names: list[str]
    codes: list[tuple[str, date | None, date | None]]


def read_entries(path: Path) -> Iterator[PhoenixEntry]:
    """The actors of a Phoenix-format file, in order."""
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"),
                  path.read_text(encoding="utf-8", errors="replace"), flags=re.S)
    current: PhoenixEntry | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("+"):
            if current is not None:
                current.names.append(line[1:])
            continue
        head = _CODE.split(line, maxsplit=1)[0].strip()
        if head and not line.startswith("["):
            if current is not None:
                yield current
            current = PhoenixEntry([head], [])
        for code, when in _CODE.findall(line):
            if current is None:
                raise KnowledgeBaseError(f"{path}:{number}: a code with no actor name before it")
            current.codes.append((code, *_dates(when.strip())))
    if current is not None:
        yield current


def load_phoenix(kb: KnowledgeBase, path: Path) -> int:
    """Add the entries of a Phoenix-format file to ``kb`` (overriding by alias); returns how many."""
    count = 0
    for entry in read_entries(path):
        count += _flush(kb, [_words(n) for n in entry.names], entry.codes, path)
    return count


def _words(token: str) -> str:
    return " ".join(w for w in token.strip().strip("_").split("_") if w).strip()


def _flush(kb: KnowledgeBase, names: list[str], codes: list[tuple[str, date | None, date | None]],
           path: Path) -> int:
    if not names or not codes:
        return 0
    display = names[0].title()
    if all(code.startswith("~") for code, _, _ in codes):
        sector = SECTOR_MAP.get(codes[0][0][1:4], codes[0][0][1:4])
        entry = Entry(f"agent:{sector}:{display}", "agent", None, sector, display, source=str(path))
        kb.entries[entry.key] = entry
        for name in names:
            kb.add(name.lower(), Alias(entry, "agent", sector), override=True)
        return 1
    roles = tuple(Role(*split_code(code), None, start, end) for code, start, end in codes
                  if not code.startswith("~"))
    dated = any(r.start or r.end for r in roles)
    if dated or len(roles) > 1:
        entry = Entry(f"person:{display}", "person", None, None, display, roles=roles, source=str(path))
        form = "person"
    else:
        role = roles[0]
        kind = "org" if role.code in INTERNATIONAL or len(role.code) > 3 else "state"
        entry = Entry(f"{kind}:{role.code}:{display}", "org", role.code, role.sector, display,
                      source=str(path))
        form = "org"
    kb.entries[entry.key] = entry
    for name in names:
        kb.add(_case(name), Alias(entry, form, entry.sector), override=True)
    return 1


def _case(name: str) -> str:
    # Phoenix names are upper case; news text is not. Title-case proper names, but keep
    # short all-letter acronyms (NATO, UNHCR) as they are.
    return name if len(name) <= 5 and " " not in name else name.title()


def _dates(when: str) -> tuple[date | None, date | None]:
    """'>070110' → (start, None); '<910824' → (None, end); '850110-900425' → both."""
    if when.startswith(">"):
        return _yymmdd(when[1:]), None
    if when.startswith("<"):
        return None, _yymmdd(when[1:])
    if "-" in when:
        first, last = when.split("-", 1)
        return _yymmdd(first), _yymmdd(last)
    return None, None


def split_code(code: str) -> tuple[str, str | None]:
    if code[:3] in INTERNATIONAL:
        return code[3:] or code, "IGO" if code.startswith("IGO") else code[:3]
    sector = code[3:6] or None
    return code[:3], SECTOR_MAP.get(sector, sector) if sector else None


def _yymmdd(value: str) -> date | None:
    """'070110' (YYMMDD) or '20070110' (YYYYMMDD); None for anything else, such as the
    seven-digit slips the files hold."""
    value = value.strip()
    if re.fullmatch(r"\d{8}", value):
        year, rest = int(value[:4]), value[4:]
    elif re.fullmatch(r"\d{6}", value):
        year, rest = int(value[:2]), value[2:]
        year += 2000 if year < 70 else 1900
    else:
        return None
    try:
        return date(year, int(rest[:2]), int(rest[2:]))
    except ValueError:
        return None
