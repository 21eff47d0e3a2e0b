"""The PLOVER export of the sample articles, validated record by record against a JSON
Schema written from the PLOVER manual's field tables (chapter "Data Fields": "PLOVER
JSON", the information objects for entities, text, citations and locations) and its
modes and contexts. The schema is written out here; where the manual sits beside the
repository (../shared/ontology), a test checks the schema against its tables."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from diurna.cli import main
from diurna.records import PLOVER_TYPES

REPO = Path(__file__).resolve().parents[1]
MANUAL = REPO.parent / "shared" / "ontology" / "PLOVER_MANUAL.tex"

# Table "PLOVER JSON": name → (required, JSON Schema of its content)
NULLABLE_TEXT = {"type": ["string", "null"]}
DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
FIELDS: dict[str, tuple[bool, dict]] = {
    "id": (True, {"type": "string", "minLength": 1}),                      # unique identifier
    "has_event": (False, {"type": "boolean"}),
    "date": (True, DAY),                                                   # YYYY-MM-DD
    "time": (False, NULLABLE_TEXT), "enddate": (False, {"anyOf": [DAY, {"type": "null"}]}),
    "endtime": (False, NULLABLE_TEXT),
    "actor": (True, {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/entity"}}),
    "recipient": (False, {"type": "array", "items": {"$ref": "#/$defs/entity"}}),
    "event": (True, {"type": "array", "minItems": 1, "items": {"enum": list(PLOVER_TYPES)}}),
    "event_loc": (False, {"anyOf": [{"$ref": "#/$defs/location"}, {"type": "null"}]}),
    "event_text": (False, {"type": "array", "items": {"type": "string"}}),
    "quad_code": (False, {"enum": [1, 2, 3, 4, None]}),
    "event_scale": (False, {"type": ["number", "null"], "minimum": -10, "maximum": 10}),
    "mode": (False, {"type": "array", "items": {"type": "string"}}),      # per type: see MODES
    "context": (False, {"type": "array", "uniqueItems": True, "items": {"$ref": "#/$defs/context"}}),
    "link": (False, NULLABLE_TEXT), "text": (False, NULLABLE_TEXT),
    "text_info": (False, {"$ref": "#/$defs/text_info"}),
    "cite_info": (False, {"$ref": "#/$defs/cite_info"}),
    "coder": (False, NULLABLE_TEXT), "coded_date": (False, {"anyOf": [DAY, {"type": "null"}]}),
    "coded_time": (False, {"type": ["string", "null"], "pattern": r"^\d{2}:\d{2}(:\d{2})?"}),
    "comment": (False, NULLABLE_TEXT),
}
# Table "Information object for entities"; code is the country or organisation code (the
# manual says 3-char; Diurna's organisation codes are longer: NATO, HEZBOLLAH).
ENTITY = {
    "code": {"type": "string", "pattern": r"^[A-Z0-9]{2,}$"},
    "sector": {"type": ["string", "null"], "pattern": r"^[A-Z]{3}([A-Z]{3})?$"},
    "entity_text": {"type": "string", "minLength": 1},
    "identifier_id": {"type": ["string", "null"], "pattern": r"^Q[1-9]\d*$"},   # a Wikidata id
    "identifier_text": NULLABLE_TEXT, "religion": NULLABLE_TEXT, "ethnicity": NULLABLE_TEXT,
    "office": NULLABLE_TEXT, "gender": NULLABLE_TEXT, "age": {"type": ["integer", "null"]},
}
TEXT_INFO = {"sequence": {"type": "integer", "minimum": 1}, "start": {"type": "integer", "minimum": 0},
             "end": {"type": "integer", "minimum": 0}, "text_story": {"type": "array"}}
CITE_INFO = {name: NULLABLE_TEXT for name in ("corpus", "citation", "url", "title", "publication",
                                              "license", "copyright", "coder", "codebook", "version")}
CITE_INFO["language"] = {"type": "string", "pattern": r"^[a-z]{2}$"}       # ISO 639-1
LOCATION = {name: NULLABLE_TEXT for name in ("extracted_place", "resolved_place", "city", "district",
                                             "province", "country", "feature_class", "feature_code")}
LOCATION.update({"geonameid": {"type": ["integer", "null"]}, "lat": {"type": ["number", "null"]},
                 "lon": {"type": ["number", "null"]},
                 "country_code": {"type": ["string", "null"], "pattern": r"^[A-Z]{3}$"},
                 "resolution": {"enum": [1, 2, 3, 4, 5, None]}})
# The manual's modes of each event type (tables "CONSULT modes" … "ASSAULT modes"; REQUEST
# and REJECT share theirs); types without a table have none.
MODES = {
    "CONSULT": ["visit", "third-party", "multilateral", "phone"],
    "RETREAT": ["withdraw", "release", "disarm", "ceasefire", "access", "resign"],
    "REQUEST": ["assist", "change", "yield", "meet"], "REJECT": ["assist", "change", "yield", "meet"],
    "ACCUSE": ["disapprove", "investigate", "allege"],
    "THREATEN": ["restrict", "arrest", "relations", "expel", "territory", "violence"],
    "PROTEST": ["demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"],
    "SANCTION": ["convict", "expel", "withdraw", "discontinue"],
    "MOBILIZE": ["troops", "weapons", "police", "militia"],
    "COERCE": ["seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"],
    "ASSAULT": ["abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"],
}
# Table "General contexts".
CONTEXTS = [
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights",
    "rights_freedoms", "repression", "human_security", "gender", "lgbt", "religion_ethnicity",
    "inequality", "diplomatic", "territory", "peacekeeping", "health", "asylum", "migration",
    "disasters", "natural_resource", "environment", "technology", "terrorism", "cbrn", "cyber",
    "misinformation", "crime", "corruption", "illegal_drugs", "trafficking",
]


def closed(properties: dict) -> dict:
    """An information object: only the manual's names (the manual defines these objects
    whole; it invites extra fields on the record, not inside them)."""
    return {"type": "object", "properties": properties, "additionalProperties": False}


def mode_by_type() -> list[dict]:
    """Each record's modes must be its event type's: one if/then per type."""
    rules = []
    for event in PLOVER_TYPES:
        allowed = MODES.get(event, [])
        rules.append({"if": {"properties": {"event": {"contains": {"const": event}}}},
                      "then": {"properties": {"mode": {"items": {"enum": allowed}}}}})
    return rules


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [name for name, (required, _) in FIELDS.items() if required],
    "properties": {name: spec for name, (_, spec) in FIELDS.items()},
    "allOf": mode_by_type(),
    "$defs": {"entity": {**closed(ENTITY), "required": ["code"]}, "location": closed(LOCATION),
              "text_info": closed(TEXT_INFO), "cite_info": closed(CITE_INFO),
              "context": {"enum": CONTEXTS}},
}


# -- the schema is the manual's ---------------------------------------------------------
def _table(text: str, caption: str) -> list[list[str]]:
    body = text[text.index(caption):]
    body = body[:body.index(r"\end{tabular}")]
    rows = []
    for line in body.splitlines():
        cells = [c.strip().replace(r"\_", "_") for c in line.rstrip("\\ ").split("&")]
        if len(cells) >= 2 and cells[0] and cells[0] != "Name" and cells[0][0] not in "\\%":
            rows.append(cells)
    return rows


@pytest.fixture(scope="module")
def manual() -> str:
    if not MANUAL.is_file():
        pytest.skip(f"the PLOVER manual is not at {MANUAL} (it lives beside the repository in shared/ontology)")
    return MANUAL.read_text(encoding="utf-8")


def test_the_schema_is_the_manual_s_field_tables(manual):
    assert [(r[0], r[3] == "Y") for r in _table(manual, r"\caption{PLOVER JSON }") if len(r) == 4] == \
        [(name, required) for name, (required, _) in FIELDS.items()]
    for caption, properties in ((r"\caption{Information object for entities }", ENTITY),
                                (r"\caption{Information object for text }", TEXT_INFO),
                                (r"\caption{Information object for citations }", CITE_INFO),
                                (r"\caption{Location object", LOCATION)):
        assert {r[0] for r in _table(manual, caption)} == set(properties), caption


def test_the_modes_and_contexts_are_the_manual_s(manual):
    for event, modes in MODES.items():
        caption = {"REQUEST": r"\caption{REQUEST modes", "REJECT": r"\caption{\plcat{REJECT} modes",
                   "ACCUSE": r"\caption{\plcat{ACCUSE} modes"}.get(event, rf"\caption{{{event} modes}}")
        assert [r[0] for r in _table(manual, caption)] == modes, event
    general = manual[manual.index(r"\label{tab:general-contexts}"):manual.index(r"\end{longtable}")]
    names = re.findall(r"^(?:\\hyperref\[[^\]]+\]\{([^}]+)\}|([a-z]+))\s*&", general, re.M)
    assert [(a or b).replace(r"\_", "_") for a, b in names] == CONTEXTS


# -- the export fits it ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict]:
    folder = tmp_path_factory.mktemp("plover")
    db, out = folder / "sample.duckdb", folder / "sample.jsonl"
    assert main(["code", str(REPO / "examples" / "articles"), "--db", str(db), "--quiet"]) == 0
    assert main(["export", "--db", str(db), "--format", "plover", "--out", str(out), "--no-dedup"]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_every_sample_record_validates(records):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert len(records) >= 40          # the sample articles code to about 45 events
    problems = [f"{r['id']}: {e.json_path}: {e.message}" for r in records for e in validator.iter_errors(r)]
    assert not problems, "\n".join(problems[:20])


def test_the_schema_catches_what_the_manual_forbids(records):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    record = next(r for r in records if r["event"] == ["CONSULT"] and r["mode"])
    for broken in ({**record, "mode": ["release"]},                        # a RETREAT mode
                   {**record, "context": ["weather"]},
                   {**record, "actor": []},
                   {**record, "cite_info": {**record["cite_info"], "language": "English"}},
                   {**record, "actor": [{**record["actor"][0], "identifier_id": "76658"}]},
                   {k: v for k, v in record.items() if k != "date"}):
        assert not validator.is_valid(broken), broken


def test_the_sample_records_fill_the_fields(records):
    """What the manual's optional fields hold on the samples, where the text supports it."""
    entities = [e for r in records for e in r["actor"] + r["recipient"]]
    assert sum(bool(r["mode"]) for r in records) >= 25 and sum(bool(r["context"]) for r in records) >= 20
    cho = next(e for e in entities if e["entity_text"].endswith("Cho Tae-yul"))
    assert cho["office"] == "Minister of Foreign Affairs" and cho["code"] == "KOR"
    assert any(e["identifier_id"] and e["identifier_text"] for e in entities)
    russia = next(e for e in entities if e["entity_text"] == "Russia")
    assert (russia["identifier_id"], russia["identifier_text"]) == ("Q159", "Russia")
    assert {r["cite_info"]["codebook"] for r in records} == {"plover-base-2.0"}
    assert all(r["cite_info"]["language"] == "en" and r["cite_info"]["publication"] for r in records)
    # the sentence's number in its document: the first sentence is 1
    first = next(r for r in records if r["text"].startswith("The Philippines summoned"))
    assert first["text_info"]["sequence"] == 1
    later = next(r for r in records if r["text"].startswith("Philippine officials accused Beijing"))
    assert later["text_info"]["sequence"] == 4


def test_sentence_numbers_are_the_document_s_when_coded_in_windows(coder, monkeypatch):
    """text_info.sequence counts sentences in the whole text, also where a long text is
    coded window by window (each window's own count would restart at 1)."""
    import diurna.events.coder as coding

    sentence = "Kenya's police arrested {n} protesters in Nairobi on Monday, officials said. "
    text = "".join(sentence.format(n=n) for n in range(40))
    monkeypatch.setattr(coding, "WINDOW_CHARS", 1_000)
    windowed = coder.code(text, published="2024-05-06", doc_id="long")
    assert windowed.notes[0].startswith("coded in 4 windows")
    # one arrest per window (the same act told again is one event), each numbered in the text
    assert [e.sentence_no for e in windowed.events] == \
        [text.count(". ", 0, e.sentence.start) + 1 for e in windowed.events] == [1, 14, 27, 40]
