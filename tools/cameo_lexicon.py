"""Convert PETRARCH-2's CAMEO verb dictionary into Diurna's trigger-lexicon format.

    python tools/cameo_lexicon.py ../shared/lexicons/petrarch2/CAMEO.2.0.txt \
        ../shared/ontology/CAMEO2PLOVER-2021.txt --verbs-only > src/diurna/events/data/cameo.yaml

The dictionary (MIT, Open Event Data Alliance) lists verbs in synonym blocks under a
CAMEO code, and patterns of objects and prepositions that refine a verb's code
("- * (FOR HUMANITARIAN AID) [0233]"). Each code becomes a PLOVER type through the
CAMEO→PLOVER crosswalk (CAMEO 02, appeals, is PLOVER REQUEST; CAMEO 01, public
statements, has no PLOVER type and is dropped). The result has two sections:

- verbs: lemma (or "verb particle") → "TYPE CAMEO [mode]", the verb's own code;
- verb_objects (left out with --verbs-only, as shipped: 107,000 expanded patterns cost
  seconds to load for little gain): "verb object" or "verb preposition object" → "TYPE CAMEO [mode]", for
  patterns whose object is one word (a synonym set, "&WEAPON", is expanded; multi-word
  objects are keyed by their last word, the head of the noun phrase).

Only simple patterns are converted: the verb, then its object or one prepositional
phrase. Patterns with words before the verb, several phrases, or markers ($, ^, %) are
left out; the curated triggers.yaml speaks for the common verbs anyway.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

PATTERN = re.compile(r"^-\s+\*\s+(?P<body>[^\[#]*?)\s*\[(?P<code>[^\]]*)\]")
VERB = re.compile(r"^\+?(?P<word>[A-Z][A-Z_'\-]*)\s*(?:\{[^}]*\})?\s*(?:\[(?P<code>[^\]]*)\])?")
BLOCK = re.compile(r"^---\s+(?P<head>\S+)\s+\[(?P<code>[^\]]*)\]")
PREPOSITIONS = {"FOR", "TO", "WITH", "AGAINST", "ON", "IN", "OF", "OVER", "FROM", "INTO", "AT", "BY",
                "ABOUT", "UNDER", "AFTER", "BEFORE", "BETWEEN", "TOWARD", "TOWARDS", "UPON", "WITHIN",
                "THROUGH", "ACROSS", "AROUND", "BEHIND", "OFF", "OUT", "UP", "DOWN", "AWAY", "BACK"}


def crosswalk(path: Path) -> dict[str, tuple[str, str | None]]:
    """CAMEO code → (PLOVER type, mode or None)."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([a-z_]*)\s*)?", line)
        if match:
            table[match.group(1)] = (match.group(2), match.group(3) or None)
    return table


def plover(code: str, table: dict[str, tuple[str, str | None]]) -> str | None:
    """'0233' → 'REQUEST 0233'; None for statements (01), comments and unknown codes."""
    code = code.split(":")[0].strip()
    if not re.fullmatch(r"\d{2,4}", code) or code.startswith("01") or code == "---":
        return None
    if code.startswith("02"):
        return f"REQUEST {code}"
    for prefix in (code, code[:3], code[:2]):
        if prefix in table:
            event, mode = table[prefix]
            return f"{event} {code}" + (f" {mode}" if mode else "")
    return None


def synsets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = defaultdict(list)
    name = None
    for line in lines:
        if line.startswith("####### VERB PATTERNS"):
            break
        if line.startswith("&"):
            name = line.split()[0].rstrip("_")
        elif line.startswith("+") and name:
            sets[name].append(line[1:].split()[0].rstrip("_"))
    return sets


def words(token: str, sets: dict[str, list[str]]) -> list[str]:
    token = token.strip("{}()")
    if token.startswith("&"):
        return [w for member in sets.get(token.rstrip("_"), []) for w in words(member, sets)]
    return [token.rstrip("_").replace("_", " ").lower()]


def convert(dictionary: Path, crosswalk_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    table = crosswalk(crosswalk_path)
    lines = dictionary.read_text(encoding="latin-1").splitlines()
    sets = synsets(lines)
    verbs: dict[str, str] = {}
    objects: dict[str, str] = {}
    block_code, members = "---", []
    in_patterns = False
    for raw in lines:
        line = raw.split("#")[0].rstrip()
        if raw.startswith("####### VERB PATTERNS"):
            in_patterns = True
            continue
        if not in_patterns or not line.strip():
            continue
        block = BLOCK.match(line)
        if block:
            block_code, members = block.group("code"), []
            continue
        if line.startswith("-"):
            _pattern(line, members, sets, table, objects)
            continue
        verb = VERB.match(line.strip())
        if verb:
            lemma = verb.group("word").rstrip("_").replace("_", " ").lower()
            members.append(lemma)
            entry = plover(verb.group("code") or block_code, table)
            if entry and lemma not in verbs:
                verbs[lemma] = entry
    return verbs, objects


def _pattern(line: str, members: list[str], sets, table, objects: dict[str, str]) -> None:
    match = PATTERN.match(line)
    if not match or any(mark in match.group("body") for mark in "$^%=+"):
        return
    entry = plover(match.group("code"), table)
    body = match.group("body").strip()
    if not entry or not body:
        return
    groups = re.findall(r"\([^)]*\)|\{[^}]*\}|\S+", body)
    if len(groups) != 1:
        return                      # one object or one prepositional phrase only
    group = groups[0]
    parts = group.strip("(){}").split()
    preposition = ""
    if group.startswith("(") and parts and parts[0] in PREPOSITIONS:
        preposition, parts = parts[0].lower() + " ", parts[1:]
    if not parts:
        return
    for head in words(parts[-1], sets):
        for verb in members:
            key = f"{verb} {preposition}{head}"
            objects.setdefault(key, entry)


def write(verbs: dict[str, str], objects: dict[str, str], out) -> None:
    out.write("# Converted from PETRARCH-2's CAMEO verb dictionary (CAMEO.2.0.txt, MIT, Copyright (c)\n"
              "# 2015 Open Event Data Alliance; licence in LICENSE.petrarch2 beside this file) through\n"
              "# the CAMEO->PLOVER crosswalk by tools/cameo_lexicon.py. Do not edit: rerun the tool.\n"
              "# triggers.yaml, our curated lexicon, wins wherever both speak.\n")
    for section, entries in (("verbs", verbs), ("verb_objects", objects)):
        if not entries:
            continue
        out.write(f"{section}:\n")
        for key in sorted(entries):
            out.write(f"  {_quote(key)}: {entries[key]}\n")


def _quote(key: str) -> str:
    return f'"{key}"' if re.search(r"[^a-z \-]", key) or key in ("no", "yes", "on", "off", "true", "false") \
        else key


if __name__ == "__main__":
    verbs, objects = convert(Path(sys.argv[1]), Path(sys.argv[2]))
    write(verbs, {} if "--verbs-only" in sys.argv[3:] else objects, sys.stdout)
