"""Convert the people of the Phoenix actor dictionaries into Diurna's people format.

    python tools/phoenix_people.py ../shared/lexicons/petrarch2 \
        | gzip -n > src/diurna/actors/data/phoenix_people.jsonl.gz

The Phoenix dictionaries (MIT, Open Event Data Alliance; PETRARCH-2) list national
leaders and officials with dated codes (``[NICGOV >070110]``, ``[NICELI]``), and the
officials of international organisations. Each person becomes one line of JSON in the
schema of ``actors/data/people.yaml`` (name, aliases, roles), which the
knowledge base loads as a base layer under our own files (actors/kb.py,
``load_base_people``): ours win wherever both name a person.

What is kept, and why:

- people only: in the countries file, entries whose every code has a sector (a person
  acts for a state in a sector, [EGYGOV]; a state or city has none, [UKR]); in the
  international file, entries with a dated code. Countries,
  cities and groups are left to our curated files (as actors they cost precision:
  measured in docs/actors.md);
- names without a title ("PRESIDENT_PUTIN_" is dropped, "VLADIMIR_PUTIN_" kept): our
  resolver reads titles itself, with the office they give on the article's date; Arabic
  articles also as news hyphenates them ("Omar al-Bashir");
- no one-word names ("MORSI_"): a bare surname would match wherever the word stands;
  once the person is named in full, the resolver follows their surname itself;
- roles with their dates; an office open in the dictionary (``>070110``) is closed at
  the end of 2015, where the dictionaries stop being maintained, and the person keeps
  their state or organisation after it, without an office (a sector of None).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from diurna.actors.kb import SECTORS, builtin_kb  # noqa: E402
from diurna.actors.phoenix import PHOENIX_ERA_END, read_entries, split_code  # noqa: E402

# Phoenix's codes of international bodies (after the IGO/NGO prefix) → ours (orgs.yaml).
ORG_CODES = {"UNO": "UN", "EUREEC": "EU", "WSTNAT": "NATO", "UNODEVWBK": "WB", "AFRAFU": "AU",
             "AFROAU": "AU", "UNOHLHWHO": "WHO", "BUSIMF": "IMF", "BUSWTO": "WTO", "SEAASN": "ASEAN",
             "WAFWAS": "ECOWAS", "MEAARL": "ARL", "PGSGCC": "GCC", "JUDICC": "ICC",
             "CASCIS": "CIS", "EAFEAC": "EAC", "UNOKID": "UNICEF", "UNOIAE": "IAEA",
             "UNOLABILO": "ILO", "EURDEVEBR": "EBRD", "AFRDEVAFB": "AFDB", "SAFDEVSAD": "SADC"}
KNOWN_CODES = builtin_kb(base_people=False).codes()
FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt")
# Words of a title or office in a name: the resolver reads them itself.
TITLE_WORDS = frozenset("""president vice prime minister secretary general secretary-general
chairman chair chief director ambassador envoy king queen prince emir sheikh sultan premier
chancellor governor mayor senator rep representative deputy foreign defense defence interior
finance minister's commander general admiral colonel gen. col. adm. lt. maj. capt. pope cardinal
ayatollah spokesman spokeswoman leader head former acting interim opposition rebel the of mr. mrs.
ms. dr. sir lord president-elect un u.n. united nations nato eu""".split())


def people(folder: Path) -> list[dict]:
    found: dict[str, dict] = {}
    for name in FILES:
        for entry in read_entries(folder / name):
            person = _person(entry, countries=name.startswith("Phoenix.Countries"))
            if person is not None and person["name"] not in found:
                found[person["name"]] = person
    return sorted(found.values(), key=lambda p: p["name"])


def _person(entry, countries: bool) -> dict | None:
    codes = [split_code(code) for code, _, _ in entry.codes if not code.startswith("~")]
    # a person acts for a state in a sector ([EGYGOV]); places and states have none ([UKR])
    if countries and not (codes and all(sector in SECTORS for _, sector in codes)):
        return None
    roles = [r for code, start, end in entry.codes if not code.startswith("~")
             for r in (_role(code, start, end),) if r is not None]
    if not roles or (not countries and not any(r["start"] or r["end"] for r in roles)):
        return None
    names = [_words(n) for n in entry.names]
    full = [n for n in names if len(n.split()) > 1 and not _titled(n)]
    full += [hyphened for n in full for hyphened in (_particles_hyphened(n),) if hyphened != n]
    if not full:
        return None
    roles = _closed(roles)
    if not roles:
        return None
    return {"name": full[0], "aliases": sorted(set(full) - {full[0]}), "roles": roles}


def _words(raw: str) -> str:
    """'VLADIMIR_PUTIN_' → 'Vladimir Putin'; 'BAN_KI-MOON' → 'Ban Ki-Moon'."""
    words = [w for w in raw.strip().strip("_").split("_") if w]
    return " ".join(w.capitalize() if w.isalpha() else "-".join(p.capitalize() for p in w.split("-"))
                    for w in words)


def _particles_hyphened(name: str) -> str:
    """'Omar Al Bashir' → 'Omar al-Bashir', as news writes the article of Arabic names."""
    return re.sub(r"\b(?:Al|El) (?=\w)", lambda m: m.group()[:2].lower() + "-", name)


def _titled(name: str) -> bool:
    return any(w.lower() in TITLE_WORDS for w in name.split()) or not re.fullmatch(r"[A-Za-z.'\- ]+", name)


def _role(code: str, start, end) -> dict | None:
    ours, sector = split_code(code)
    ours = ORG_CODES.get(ours, ours)
    if ours not in KNOWN_CODES:
        return None          # a territory or body our knowledge base does not code
    return {"code": ours, "sector": sector, "start": start and start.isoformat(),
            "end": end and end.isoformat()}


def _closed(roles: list[dict]) -> list[dict]:
    """Offices the dictionary leaves open end with its era; the person then keeps the
    state or organisation of the latest one, without an office."""
    era_end = PHOENIX_ERA_END.isoformat()
    closed, latest = [], None
    for role in roles:
        if role["start"] and not role["end"]:
            role = {**role, "end": era_end}
            latest = role if latest is None or role["start"] > latest["start"] else latest
        closed.append(role)
    if latest is not None and not any(not r["start"] and not r["end"] for r in closed):
        closed.append({"code": latest["code"], "sector": None, "start": era_end, "end": None})
    return [r for r in closed if not (r["start"] and r["end"] and r["start"] >= r["end"])]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/lexicons/petrarch2")
    for person in people(folder):
        print(json.dumps({k: v for k, v in person.items() if v not in (None, [])}, ensure_ascii=False,
                         sort_keys=True))


if __name__ == "__main__":
    main()
