"""Checks of the actor knowledge base shipped in src/diurna/actors/data.

These tests read the YAML files directly (no Diurna code involved), so they
guard the data itself: valid codes, full UN coverage, no alias claimed by two
codes, sane dated roles, and a few people whose offices we state exactly.
"""

from __future__ import annotations

import collections
import re
import datetime as dt
from pathlib import Path

import pycountry
import pytest
import yaml

DATA = Path(__file__).parents[1] / "src/diurna/actors/data"
FILES = ("states.yaml", "orgs.yaml", "people.yaml", "agents.yaml")

# State codes that are not in ISO 3166-1 (documented in states.yaml).
NON_ISO = {"XKX", "NKR"}

# The 193 member states of the United Nations.
UN_MEMBERS = set("""
AFG AGO ALB AND ARE ARG ARM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ
BOL BRA BRB BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD COG COL COM CPV CRI CUB CYP CZE
DEU DJI DMA DNK DOM DZA ECU EGY ERI ESP EST ETH FIN FJI FRA FSM GAB GBR GEO GHA GIN GMB
GNB GNQ GRC GRD GTM GUY HND HRV HTI HUN IDN IND IRL IRN IRQ ISL ISR ITA JAM JOR JPN KAZ
KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAR MCO MDA MDG
MDV MEX MHL MKD MLI MLT MMR MNE MNG MOZ MRT MUS MWI MYS NAM NER NGA NIC NLD NOR NPL NRU
NZL OMN PAK PAN PER PHL PLW PNG POL PRK PRT PRY QAT ROU RUS RWA SAU SDN SEN SGP SLB SLE
SLV SMR SOM SRB SSD STP SUR SVK SVN SWE SWZ SYC SYR TCD TGO THA TJK TKM TLS TON TTO TUN
TUR TUV TZA UGA UKR URY USA UZB VCT VEN VNM VUT WSM YEM ZAF ZMB ZWE
""".split())
# Observers and other entities the conventions require.
EXTRA_STATES = {"VAT", "PSE", "TWN", "XKX", "ESH", "HKG", "MAC", "NKR"}

# Aliases deliberately listed under two codes (none at present).
ALLOWED_SHARED_ALIASES: set[str] = set()

SECTORS = {"GOV", "MIL", "POL", "LEG", "JUD", "OPP", "REB", "MED", "CVL", "EDU",
           "BUS", "NGO", "IGO", "PTY", "REL", None}
KINDS = {"igo", "grouping", "region", "armed_group", "cartel", "ngo", "party"}


def load(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def states():
    return load("states.yaml")


@pytest.fixture(scope="module")
def orgs():
    return load("orgs.yaml")


@pytest.fixture(scope="module")
def people():
    return load("people.yaml")


@pytest.fixture(scope="module")
def agents():
    return load("agents.yaml")


def as_date(value):
    """Dates may load as datetime.date (unquoted) or str (quoted)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def state_aliases(entry):
    out = [entry["name"]] + list(entry.get("names") or [])
    out += entry.get("adjectives") or []
    out += entry.get("demonyms") or []
    if entry.get("capital"):
        out.append(entry["capital"])
    out += [m["text"] for m in entry.get("metonyms") or []]
    return out


def org_aliases(entry):
    # the canonical name is matched as an alias too
    return [entry["name"]] + list(entry.get("names") or []) + list(entry.get("adjectives") or [])


# --------------------------------------------------------------------- files

@pytest.mark.parametrize("name", FILES)
def test_file_has_source_header(name):
    text = (DATA / name).read_text(encoding="utf-8")
    assert text.startswith("#"), f"{name} must open with a comment header"
    header = text.split("\n\n", 1)[0]
    assert "SOURCE" in header and "FORMAT" in header
    assert "2026-11-27" in header


# -------------------------------------------------------------------- states

def test_state_codes_are_iso_or_documented(states):
    for entry in states:
        code = entry["code"]
        if code in NON_ISO:
            continue
        assert pycountry.countries.get(alpha_3=code) is not None, code


def test_state_codes_unique(states):
    counts = collections.Counter(e["code"] for e in states)
    assert [c for c, n in counts.items() if n > 1] == []


def test_all_un_members_and_extras_present(states):
    assert len(UN_MEMBERS) == 193
    codes = {e["code"] for e in states}
    assert UN_MEMBERS <= codes, sorted(UN_MEMBERS - codes)
    assert EXTRA_STATES <= codes, sorted(EXTRA_STATES - codes)


def test_state_entries_well_formed(states):
    for e in states:
        assert isinstance(e["name"], str) and e["name"], e
        assert e["names"], e["code"]
        for key in ("names", "adjectives", "demonyms"):
            assert isinstance(e.get(key, []), list), (e["code"], key)
        for m in e.get("metonyms") or []:
            assert set(m) == {"text", "sector"}, (e["code"], m)
            assert m["sector"] in SECTORS, (e["code"], m)
        for a in e.get("case_sensitive") or []:
            assert a in state_aliases(e), (e["code"], a)
        if "wikidata" in e:
            assert str(e["wikidata"]).startswith("Q"), e["code"]


@pytest.mark.parametrize("alias,code", [
    ("US", "USA"), ("U.S.", "USA"), ("USA", "USA"), ("United States of America", "USA"),
    ("America", "USA"), ("American", "USA"), ("Washington", "USA"),
    ("UK", "GBR"), ("U.K.", "GBR"), ("Britain", "GBR"), ("Great Britain", "GBR"), ("British", "GBR"),
    ("UAE", "ARE"), ("Emirati", "ARE"), ("DPRK", "PRK"), ("North Korea", "PRK"),
    ("North Korean", "PRK"), ("ROK", "KOR"), ("South Korean", "KOR"), ("Korea", "KOR"),
    ("PRC", "CHN"), ("China", "CHN"), ("Mainland China", "CHN"), ("Chinese", "CHN"),
    ("DRC", "COD"), ("DR Congo", "COD"), ("Congo-Kinshasa", "COD"), ("Congolese", "COD"),
    ("Republic of the Congo", "COG"), ("Congo-Brazzaville", "COG"),
    ("CAR", "CAF"), ("KSA", "SAU"), ("Saudi", "SAU"), ("Iran", "IRN"),
    ("Islamic Republic of Iran", "IRN"), ("Russia", "RUS"), ("Russian Federation", "RUS"),
    ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Czechia", "CZE"), ("Czech Republic", "CZE"),
    ("Myanmar", "MMR"), ("Burma", "MMR"), ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"),
    ("East Timor", "TLS"), ("Timor-Leste", "TLS"), ("Eswatini", "SWZ"), ("Swaziland", "SWZ"),
    ("Cabo Verde", "CPV"), ("Cape Verde", "CPV"), ("Palestinians", "PSE"),
    ("Palestinian Authority", "PSE"), ("Gaza", "PSE"), ("Filipino", "PHL"),
    ("Philippine", "PHL"), ("Israeli", "ISR"), ("Ukrainian", "UKR"), ("Turkish", "TUR"),
    ("Iranian", "IRN"), ("Taiwan", "TWN"), ("Kosovo", "XKX"), ("Western Sahara", "ESH"),
    ("Hong Kong", "HKG"), ("Macau", "MAC"), ("Nagorno-Karabakh", "NKR"), ("Holy See", "VAT"),
    ("White House", "USA"), ("Pentagon", "USA"), ("Kremlin", "RUS"), ("Knesset", "ISR"),
    ("Downing Street", "GBR"), ("Zhongnanhai", "CHN"), ("Bankova", "UKR"),
])
def test_key_state_aliases(states, alias, code):
    owners = {e["code"] for e in states if alias in state_aliases(e)}
    assert owners == {code}


@pytest.mark.parametrize("text,code,sector", [
    ("Pentagon", "USA", "GOV"), ("White House", "USA", "GOV"), ("State Department", "USA", "GOV"),
    ("Capitol Hill", "USA", "LEG"), ("Kremlin", "RUS", "GOV"), ("Downing Street", "GBR", "GOV"),
    ("Blue House", "KOR", "GOV"), ("Knesset", "ISR", "LEG"), ("Bundestag", "DEU", "LEG"),
    ("State Duma", "RUS", "LEG"), ("Quai d'Orsay", "FRA", "GOV"), ("Foggy Bottom", "USA", "GOV"),
    ("FSB", "RUS", "GOV"), ("China Coast Guard", "CHN", "POL"), ("IRGC", "IRN", "MIL"),
])
def test_metonym_sectors(states, text, code, sector):
    entry = next(e for e in states if e["code"] == code)
    found = [m["sector"] for m in entry.get("metonyms") or [] if m["text"] == text]
    assert found == [sector]


# ---------------------------------------------------------------------- orgs

def test_org_entries_well_formed(orgs):
    for e in orgs:
        assert e["kind"] in KINDS, e
        assert e["sector"] in SECTORS, e
        assert e["names"], e["code"]
        assert e["code"] == e["code"].upper(), e["code"]
        if e["kind"] in ("region", "cartel"):
            assert e["sector"] is None, e["code"]
        if e["kind"] == "armed_group":
            assert e["sector"] == "REB", e["code"]
        if e["kind"] == "ngo":
            assert e["sector"] == "NGO", e["code"]
        for a in e.get("case_sensitive") or []:
            assert a in org_aliases(e), (e["code"], a)
        if "became" in e:
            assert set(e["became"]) == {"code", "sector", "start"}
            as_date(e["became"]["start"])


def test_enough_igos_and_groupings(orgs):
    igo = [e for e in orgs if e["kind"] in ("igo", "grouping")]
    assert len(igo) >= 60
    assert len({e["code"] for e in igo}) >= 60


@pytest.mark.parametrize("code", [
    "NATO", "EU", "UN", "UNHCR", "UNICEF", "WFP", "UNRWA", "OCHA", "UNDP", "UNESCO", "FAO",
    "ILO", "UNIFIL", "MONUSCO", "ASEAN", "AU", "G7", "G20", "BRICS", "SCO", "OSCE", "IAEA",
    "WHO", "WTO", "IMF", "WB", "OPEC", "OPECPLUS", "GCC", "ARL", "ECOWAS", "SADC",
    "EAC", "IGAD", "OAS", "CARICOM", "MERCOSUR", "APEC", "QUAD", "AUKUS", "IP4", "COE", "OECD",
    "ICC", "ICJ", "INTERPOL", "CSTO", "CIS", "EAEU", "COMMONWEALTH", "OIC", "PIF", "AES", "MSS",
    "MSMT", "ICRC", "IFRC", "AMNESTY", "HRW", "MSF", "EUR", "MEA", "AFR", "ASA", "LAM", "WST",
    "HAMAS", "HEZBOLLAH", "HOUTHIS", "ISIS", "AQ", "AQAP", "ALSHABAAB", "TALIBAN", "TTP", "RSF",
    "M23", "FDLR", "WAGNER", "PIJ", "PKK", "JNIM", "ISWAP", "BOKOHARAM", "HTS", "SDF", "PDF",
    "KIA", "AA", "ELN", "FARC", "VIVANSANM", "GRANGRIF", "TDA", "MS13", "CDS", "CJNG", "CDN",
    "LNFM", "CDG", "CU", "IRAN_PROXIES", "KH", "IRQ_IRI",
])
def test_required_org_codes(orgs, code):
    assert code in {e["code"] for e in orgs}


@pytest.mark.parametrize("alias,code,sector", [
    ("NATO", "NATO", "IGO"), ("UN Security Council", "UN", "IGO"), ("Security Council", "UN", "IGO"),
    ("European Parliament", "EU", "LEG"), ("European Commission", "EU", "IGO"),
    ("European Court of Justice", "EU", "JUD"), ("African Union Commission", "AU", "IGO"),
    ("International Criminal Court", "ICC", "JUD"), ("ICJ", "ICJ", "JUD"),
    ("Houthis", "HOUTHIS", "REB"), ("Ansar Allah", "HOUTHIS", "REB"), ("ISIL", "ISIS", "REB"),
    ("Daesh", "ISIS", "REB"), ("al-Qaida", "AQ", "REB"), ("Hizballah", "HEZBOLLAH", "REB"),
    ("Iranian-backed militants", "IRAN_PROXIES", "REB"),
    ("Iran's partners and proxies", "IRAN_PROXIES", "REB"),
    ("Tren de Aragua", "TDA", None), ("Europe", "EUR", None), ("the West", "WST", None),
    ("National Unity Government", "MMR", "OPP"), ("Amnesty International", "AMNESTY", "NGO"),
    ("Red Crescent", "REDCRESCENT", "NGO"), ("Multilateral Sanctions Monitoring Team", "MSMT", "IGO"),
])
def test_key_org_aliases(orgs, alias, code, sector):
    hits = [(e["code"], e["sector"]) for e in orgs if alias in e["names"]]
    assert hits == [(code, sector)]


def test_houthi_is_an_adjective(orgs):
    entry = next(e for e in orgs if e["code"] == "HOUTHIS")
    assert "Houthi" in entry["adjectives"]


# ------------------------------------------------------------------- aliases

def test_no_alias_under_two_codes(states, orgs):
    owners = collections.defaultdict(set)
    for e in states:
        for a in state_aliases(e):
            owners[a.casefold()].add(e["code"])
    for e in orgs:
        for a in org_aliases(e):
            owners[a.casefold()].add(e["code"])
    clashes = {a: sorted(c) for a, c in owners.items()
               if len(c) > 1 and a not in ALLOWED_SHARED_ALIASES}
    assert clashes == {}


def test_no_empty_or_padded_aliases(states, orgs, people):
    aliases = [a for e in states for a in state_aliases(e)]
    aliases += [a for e in orgs for a in org_aliases(e)]
    aliases += [a for p in people for a in p["aliases"]]
    for a in aliases:
        assert isinstance(a, str) and a and a == a.strip(), repr(a)


# -------------------------------------------------------------------- people

def test_people_roles_are_sane(states, orgs, people):
    known = {e["code"] for e in states} | {e["code"] for e in orgs}
    for p in people:
        assert p["aliases"] and p["name"] in p["aliases"], p["name"]
        assert isinstance(p["surname"], str) and p["surname"], p["name"]
        assert p["roles"], p["name"]
        for r in p["roles"]:
            assert set(r) == {"code", "sector", "office", "start", "end"}, (p["name"], r)
            assert r["code"] in known, (p["name"], r["code"])
            assert r["sector"] in SECTORS - {None}, (p["name"], r)
            assert r["office"], (p["name"], r)
            start, end = as_date(r["start"]), as_date(r["end"])
            assert start is not None, (p["name"], r)
            assert end is None or start <= end, (p["name"], r)
            assert start <= dt.date(2026, 11, 27), (p["name"], r)


def test_people_unique(people):
    names = collections.Counter(p["name"] for p in people)
    assert [n for n, c in names.items() if c > 1] == []
    aliases = collections.Counter(a.casefold() for p in people for a in p["aliases"])
    assert [a for a, c in aliases.items() if c > 1] == []


def test_people_coverage(people):
    assert len(people) >= 250


def roles_of(people, name):
    person = next(p for p in people if p["name"] == name)
    return [(r["code"], r["sector"], r["office"], as_date(r["start"]), as_date(r["end"]))
            for r in person["roles"]]


D = dt.date


@pytest.mark.parametrize("name,role", [
    ("Donald Trump", ("USA", "GOV", "President", D(2017, 1, 20), D(2021, 1, 20))),
    ("Donald Trump", ("USA", "GOV", "President", D(2025, 1, 20), None)),
    ("Joe Biden", ("USA", "GOV", "Vice President", D(2009, 1, 20), D(2017, 1, 20))),
    ("Joe Biden", ("USA", "GOV", "President", D(2021, 1, 20), D(2025, 1, 20))),
    ("Mark Rutte", ("NLD", "GOV", "Prime Minister", D(2010, 10, 14), D(2024, 7, 2))),
    ("Mark Rutte", ("NATO", "IGO", "Secretary General", D(2024, 10, 1), None)),
    ("António Guterres", ("UN", "IGO", "Secretary-General", D(2017, 1, 1), None)),
    ("Rafael Grossi", ("IAEA", "IGO", "Director General", D(2019, 12, 3), None)),
    ("Cho Tae-yul", ("KOR", "GOV", "Minister of Foreign Affairs", D(2024, 1, 10), D(2025, 6, 4))),
    ("Takeshi Iwaya", ("JPN", "GOV", "Minister for Foreign Affairs", D(2024, 10, 1), D(2025, 10, 21))),
    ("Marco Rubio", ("USA", "GOV", "Secretary of State", D(2025, 1, 21), None)),
    ("Lee Jae-myung", ("KOR", "GOV", "President", D(2025, 6, 4), None)),
    ("Yoon Suk Yeol", ("KOR", "GOV", "President", D(2022, 5, 10), D(2025, 4, 4))),
    ("Sanae Takaichi", ("JPN", "GOV", "Prime Minister", D(2025, 10, 21), None)),
])
def test_required_people(people, name, role):
    assert role in roles_of(people, name)


@pytest.mark.parametrize("name", [
    "Wang Yi", "Sergey Lavrov", "Dmytro Kuleba", "Andrii Sybiha", "Abbas Araghchi",
    "Hossein Amir-Abdollahian", "Yoav Gallant", "Israel Katz", "Benjamin Netanyahu",
    "Volodymyr Zelensky", "Kim Jong Un", "Choe Son Hui", "Lai Ching-te", "Tsai Ing-wen",
    "Antony Blinken", "Mike Pompeo", "Rex Tillerson", "John Kerry", "Lloyd Austin",
    "Pete Hegseth", "Mark Esper", "Jim Mattis", "Ash Carter", "Jens Stoltenberg",
    "Ursula von der Leyen", "Kaja Kallas", "Josep Borrell", "Roberta Metsola", "António Costa",
    "Han Duck-soo", "Choi Sang-mok", "Cho Hyun", "Fumio Kishida", "Shigeru Ishiba",
    "Yoko Kamikawa", "Toshimitsu Motegi", "Minoru Kihara", "Shin Won-sik",
])
def test_named_people_present(people, name):
    assert any(p["name"] == name for p in people)


def test_person_role_at_date(people):
    """Korea's 2024-2025 hand-overs: who was acting head of state when."""
    def holders(date):
        out = set()
        for p in people:
            for code, sector, office, start, end in roles_of(people, p["name"]):
                if code == "KOR" and office in ("President", "Acting President") \
                        and start <= date and (end is None or date < end):
                    out.add(p["name"])
        return out
    assert holders(D(2025, 1, 15)) >= {"Choi Sang-mok"}
    assert holders(D(2025, 4, 10)) == {"Han Duck-soo"}
    assert holders(D(2025, 7, 1)) == {"Lee Jae-myung"}


# -------------------------------------------------------------------- agents

def test_agents_structure(agents):
    assert set(agents) == {"agents", "titles"}
    seen = {}
    for part in ("agents", "titles"):
        for e in agents[part]:
            assert e["sector"] in SECTORS - {None}, e
            if part == "titles":
                assert e["office"], e
            for t in e["terms"]:
                assert t == t.lower() and t == t.strip(), t
                assert seen.setdefault(t, e["sector"]) == e["sector"], t


@pytest.mark.parametrize("term,sector", [
    ("troops", "MIL"), ("armed forces", "MIL"), ("prisoners of war", "MIL"), ("police", "POL"),
    ("coast guard", "POL"), ("morality police", "POL"), ("foreign ministry", "GOV"),
    ("embassy", "GOV"), ("junta", "GOV"), ("security services", "GOV"), ("lawmakers", "LEG"),
    ("congress", "LEG"), ("court", "JUD"), ("prosecutors", "JUD"), ("opposition", "OPP"),
    ("rebels", "REB"), ("militias", "REB"), ("gangs", "REB"), ("journalists", "MED"),
    ("state media", "MED"), ("protesters", "CVL"), ("civilians", "CVL"), ("students", "EDU"),
    ("banks", "BUS"), ("companies", "BUS"), ("aid groups", "NGO"),
])
def test_agent_sectors(agents, term, sector):
    found = [e["sector"] for e in agents["agents"] if term in e["terms"]]
    assert found == [sector]


@pytest.mark.parametrize("term,sector,office", [
    ("foreign minister", "GOV", "Minister of Foreign Affairs"),
    ("secretary of state", "GOV", "Minister of Foreign Affairs"),
    ("top diplomat", "GOV", "Minister of Foreign Affairs"),
    ("defense minister", "GOV", "Minister of Defence"),
    ("secretary of defense", "GOV", "Minister of Defence"),
    ("president", "GOV", "Head of State"), ("emir", "GOV", "Head of State"),
    ("prime minister", "GOV", "Head of Government"),
    ("spokesperson", "GOV", "Spokesperson"), ("gen.", "MIL", "Military Commander"),
    ("senator", "LEG", "Legislator"), ("judge", "JUD", "Judge"),
    ("secretary-general", "IGO", "Secretary-General"),
])
def test_title_sectors(agents, term, sector, office):
    found = [(e["sector"], e["office"]) for e in agents["titles"] if term in e["terms"]]
    assert found == [(sector, office)]


def test_every_group_code_of_our_annotation_conventions_is_known(states, orgs):
    """corpus/CONVENTIONS.md lists the codes annotators give armed groups, separatist
    authorities, IGOs and international NGOs; an event of one the knowledge base cannot
    name is lost however well it is coded."""
    text = (DATA.parents[3] / "corpus" / "CONVENTIONS.md").read_text(encoding="utf-8")
    section = text.split("## Codes used", 1)[1].split("- **Retired codes", 1)[0]
    section = re.sub(r"\([^)]*\)", "", section)     # "(incl. CTSAMM)", "(was ISIL in cm)"
    listed = set(re.findall(r"\b[A-Z][A-Z0-9_]{1,}\b", section)) - {"ISO", "XKX", "REB", "IGO", "NGO", "JEM"}
    # generic codes (no name to match) and one group the conventions name without saying who they are
    listed -= {"ABUUMAR"}
    known = {entry["code"] for entry in states + orgs}
    assert sorted(listed - known) == []
