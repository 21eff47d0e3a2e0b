"""Exports: CSV, Parquet, PLOVER JSON Lines (checked against the manual's field table)
and GDELT 2.0 TSV (checked against the codebook's 61 columns), from the library and the CLI."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from diurna.cli import main
from diurna.cli.export import FORMATS as CLI_FORMATS
from diurna.analysis import codes
from diurna.analysis.export import FORMATS, GDELT_COLUMNS, MENTION_COLUMNS, TABLE_COLUMNS, export
from diurna.analysis.gdelt import GDELT_FIELDS, MENTION_FIELDS
from diurna.settings import KNOWLEDGE_BASE_DATE
from diurna.store.query import Filters
from diurna.records import PLOVER_TYPES, ActorRef, Place
from test_dedup import AP, REUTERS, REUTERS_COPY, doc, ev, store_with

MANUAL = Path(__file__).resolve().parents[1].parent / "shared" / "ontology" / "PLOVER_MANUAL.tex"
# The manual's "PLOVER JSON" table (name, required), used when the manual is not beside the repo.
MANUAL_FIELDS = [
    ("id", True), ("has_event", False), ("date", True), ("time", False), ("enddate", False),
    ("endtime", False), ("actor", True), ("recipient", False), ("event", True), ("event_loc", False),
    ("event_text", False), ("quad_code", False), ("event_scale", False), ("mode", False),
    ("context", False), ("link", False), ("text", False), ("text_info", False), ("cite_info", False),
    ("coder", False), ("coded_date", False), ("coded_time", False), ("comment", False)]
# GDELT 2.0 events export, column by column (GDELT Event Codebook V2.0).
GDELT_2_COLUMNS = """
GlobalEventID Day MonthYear Year FractionDate
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode
Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode
Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale
NumMentions NumSources NumArticles AvgTone
Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code
Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code
Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID
ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code
ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID
DATEADDED SOURCEURL""".split()

KHARKIV = Place("Kharkiv", "UKR", 49.99, 36.23, geonameid=706483, resolution="city")
DOCS = [
    # One strike reported by two outlets, plus a sanction by two governments.
    doc("reuters", [ev("r1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08", "Russia shelled Kharkiv.",
                       place=KHARKIV, mode="heavy-weapons"),
                    ev("r2", "SANCTION", ["USA", "GBR"], ["RUS"], "2024-07-08", "They sanctioned Moscow.",
                       start=30)], text=REUTERS),
    doc("ap", [ev("a1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-09", "Russian shells hit Kharkiv.")],
        text=AP, published="2024-07-09", url="https://www.apnews.example/2024/kharkiv"),
    doc("later", [ev("l1", "THREATEN", ["CHN"], ["TWN"], "2024-08-01", "Beijing warned Taipei.",
                     aux="future")], published="2024-08-01"),
]


@pytest.fixture()
def store(tmp_path):
    with store_with(tmp_path, DOCS) as s:
        yield s


@pytest.fixture()
def db(store):
    store.close()
    return store.path


def manual_fields() -> list[tuple[str, bool]]:
    if not MANUAL.is_file():
        return MANUAL_FIELDS
    text = MANUAL.read_text(encoding="utf-8")
    table = text[text.index(r"\caption{PLOVER JSON }"):]
    table = table[:table.index(r"\end{tabular}")]
    fields = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.rstrip("\\ ").split("&")]
        if len(cells) == 4 and cells[0] != "Name":
            fields.append((cells[0].replace(r"\_", "_"), cells[3] == "Y"))
    return fields


def exported(con, fmt: str, f: Filters = Filters(), **kw) -> str:
    out = io.StringIO()
    export(con, f, fmt, out, **kw)
    return out.getvalue()


# -- PLOVER ---------------------------------------------------------------------------
def test_manual_table_is_read():
    assert manual_fields() == MANUAL_FIELDS


def test_plover_records_follow_the_manual(store):
    records = [json.loads(line) for line in exported(store.con, "plover").splitlines()]
    assert len(records) == 3                     # the two reports of the strike are one event
    for record in records:
        for name, required in manual_fields():
            assert name in record, name
            if required:
                assert record[name] not in (None, [], ""), name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"])
        assert all(e in PLOVER_TYPES for e in record["event"]) and len(record["event"]) == 1
        for key in ("event_text", "mode", "context"):
            assert isinstance(record[key], list)
        assert record["quad_code"] in (1, 2, 3, 4) and isinstance(record["event_scale"], float)
        for entity in record["actor"] + record["recipient"]:
            assert set(entity) == {"code", "sector", "entity_text", "identifier_id", "identifier_text", "office"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["coded_date"])
    strike = next(r for r in records if r["event"] == ["ASSAULT"])
    assert strike["id"] == "r1" and strike["link"] == "r1"
    assert strike["n_sources"] == 2 and strike["sources"] == ["ap", "reuters"]
    assert strike["supporting_events"] == ["r1", "a1"]
    assert strike["mode"] == ["heavy-weapons"] and strike["event_text"] == ["Russia"]
    assert strike["event_loc"] == {"extracted_place": "Kharkiv", "resolved_place": "Kharkiv",
                                   "geonameid": 706483, "lat": 49.99, "lon": 36.23, "city": "Kharkiv",
                                   "district": None, "province": None, "country": "Ukraine",
                                   "country_code": "UKR", "feature_class": "P", "feature_code": None,
                                   "resolution": 4}
    assert strike["text"] == "Russia shelled Kharkiv."
    assert strike["cite_info"]["url"] == "https://news.example/reuters"
    sanction = next(r for r in records if r["event"] == ["SANCTION"])
    assert [a["code"] for a in sanction["actor"]] == ["USA", "GBR"] and sanction["actor"][0]["sector"] == "GOV"


def test_plover_raw_records_share_their_link(store):
    lines = exported(store.con, "plover", Filters(dedup=False)).splitlines()
    records = [json.loads(line) for line in lines]
    strikes = [r for r in records if r["event"] == ["ASSAULT"]]
    assert sorted(r["id"] for r in strikes) == ["a1", "r1"]
    assert {r["link"] for r in strikes} == {"r1"} and {r["n_sources"] for r in strikes} == {2}


# -- GDELT ----------------------------------------------------------------------------
def test_gdelt_columns_are_gdelt_2(store):
    assert len(GDELT_2_COLUMNS) == 61
    assert list(GDELT_COLUMNS) == GDELT_2_COLUMNS
    lines = exported(store.con, "gdelt", header=True).splitlines()
    assert lines[0].split("\t") == GDELT_2_COLUMNS
    assert all(len(line.split("\t")) == 61 for line in lines)
    assert not exported(store.con, "gdelt").startswith("GlobalEventID")   # no header by default


def test_gdelt_values(store):
    lines = exported(store.con, "gdelt").splitlines()
    rows = [dict(zip(GDELT_2_COLUMNS, line.split("\t"))) for line in lines]
    assert len({r["GlobalEventID"] for r in rows}) == 3 and all(r["GlobalEventID"].isdigit() for r in rows)
    strike = next(r for r in rows if r["EventCode"] == "190")
    assert {k: strike[k] for k in ("Day", "MonthYear", "Year", "Actor1Code", "Actor1CountryCode",
                                   "Actor2Code", "EventBaseCode", "EventRootCode", "QuadClass",
                                   "GoldsteinScale", "NumMentions", "NumSources", "NumArticles",
                                   "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
                                   "ActionGeo_Lat", "ActionGeo_Long", "SOURCEURL")} == {
        "Day": "20240708", "MonthYear": "202407", "Year": "2024", "Actor1Code": "RUS",
        "Actor1CountryCode": "RUS", "Actor2Code": "UKR", "EventBaseCode": "190", "EventRootCode": "19",
        "QuadClass": "4", "GoldsteinScale": "-10.0", "NumMentions": "2", "NumSources": "2",
        "NumArticles": "2", "ActionGeo_Type": "4", "ActionGeo_FullName": "Kharkiv, Ukraine",
        "ActionGeo_CountryCode": "UP", "ActionGeo_Lat": "49.99", "ActionGeo_Long": "36.23",
        "SOURCEURL": "https://news.example/reuters"}
    assert re.fullmatch(r"2024\.\d{4}", strike["FractionDate"])
    assert re.fullmatch(r"\d{14}", strike["DATEADDED"])
    sanction = next(r for r in rows if r["EventCode"] == "160")
    actor1 = (sanction["Actor1Code"], sanction["Actor1Type1Code"], sanction["Actor1Name"])
    assert actor1 == ("USAGOV", "GOV", "USA")
    assert sanction["ActionGeo_Type"] == "" and sanction["AvgTone"] == ""
    assert sanction["GoldsteinScale"] == "-4.0"            # CAMEO 160, from GDELT's table


# -- CSV and Parquet ----------------------------------------------------------------------
def test_csv_export(store):
    rows = list(csv.DictReader(io.StringIO(exported(store.con, "csv"))))
    assert list(rows[0]) == list(TABLE_COLUMNS) and len(rows) == 3
    sanction = next(r for r in rows if r["event"] == "SANCTION")
    assert (sanction["actor"], sanction["actor_sector"], sanction["recipient"]) == ("USA;GBR", "GOV;", "RUS")
    strike = next(r for r in rows if r["event"] == "ASSAULT")
    assert (strike["n_sources"], strike["date"], strike["loc_name"]) == ("2", "2024-07-08", "Kharkiv")


def test_parquet_export(store, tmp_path):
    path = tmp_path / "e.parquet"
    assert export(store.con, Filters(dedup=False), "parquet", str(path)) == 4
    table = pq.read_table(path)
    assert table.column_names == list(TABLE_COLUMNS) and table.num_rows == 4
    actors = dict(zip(table.column("event_id").to_pylist(), table.column("actor").to_pylist()))
    assert actors["r2"] == ["USA", "GBR"]
    empty = tmp_path / "none.parquet"
    assert export(store.con, Filters(event=("PROTEST",)), "parquet", str(empty)) == 0
    assert pq.read_table(empty).num_rows == 0


def test_unknown_format(store):
    with pytest.raises(ValueError, match="format"):
        export(store.con, Filters(), "xml", io.StringIO())


# -- the command ---------------------------------------------------------------------------
def test_export_command_formats_and_filters(db, tmp_path, capsys):
    for fmt in ("csv", "parquet", "plover", "gdelt"):
        out = tmp_path / f"out.{fmt}"
        assert main(["export", "--db", db, "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 0 and (tmp_path / "out.datapackage.json").is_file()
        assert "3 events written" in capsys.readouterr().err
    assert main(["export", "--db", db, "--format", "gdelt-mentions", "--header", "--out", str(tmp_path / "m.tsv"),
                 "--license", "ODC-BY-1.0"]) == 0
    assert "4 mentions written" in capsys.readouterr().err         # the strike twice, two other events once
    assert json.loads((tmp_path / "m.datapackage.json").read_text())["licenses"] == [{"name": "ODC-BY-1.0"}]
    assert (tmp_path / "m.tsv").read_text().startswith("GlobalEventID\tEventTimeDate")
    assert main(["export", "--db", db, "--format", "parquet", "--out", str(tmp_path / "parts")]) == 0
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == ["datapackage.json", "year=2024"]
    assert main(["export", "--db", db, "--format", "plover", "--actor", "RUS"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == ["r1"]
    assert main(["export", "--db", db, "--format", "gdelt", "--header", "--exclude-uncertain",
                 "--no-dedup"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("GlobalEventID\tDay") and len(lines) == 1 + 3


# -- GDELT's Goldstein scale -----------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]


def test_goldstein_table_is_gdelts():
    table = codes._goldstein()
    assert len(table) == 311                                   # every row of CAMEO.goldsteinscale.txt
    assert {c: table[c] for c in ("010", "040", "0874", "1823", "190", "20")} == {
        "010": 0.0, "040": 1.0, "0874": 10.0, "1823": -10.0, "190": -10.0, "20": -10.0}
    assert all(-10 <= v <= 10 for v in table.values())
    assert codes.goldstein("999") is None and codes.goldstein(None) is None
    # every CAMEO code the trigger lexicon can give has a value
    lexicon = (ROOT / "src/diurna/events/data/triggers.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"^\s+[\w ]+: [A-Z]+ (\d{2,4})\b", lexicon, re.M))
    assert len(used) > 40 and not [c for c in used if codes.goldstein(c) is None]


# -- NumSources, NumArticles, NumMentions ----------------------------------------------------
def test_gdelt_counts_publications_articles_and_mentions(tmp_path):
    """One strike in three documents from two publications (a wire copy on the same
    site, under www.): 3 mentions, 3 articles, 2 sources."""
    docs = [doc("reuters", [ev("r1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08", "Russia fired missiles.")],
                text=REUTERS),
            doc("copy", [ev("c1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08", "Russia fired missiles.")],
                text=REUTERS_COPY, url="https://www.news.example/copy"),
            doc("ap", [ev("a1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-09", "Russian missiles hit Kyiv.")],
                text=AP, url="https://apnews.example/kyiv")]
    with store_with(tmp_path, docs) as store:
        lines = exported(store.con, "gdelt").splitlines()
        rows = [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in lines]
        table = list(csv.DictReader(io.StringIO(exported(store.con, "csv"))))
    assert len(rows) == 1
    assert (rows[0]["NumMentions"], rows[0]["NumArticles"], rows[0]["NumSources"]) == ("3", "3", "2")
    assert (table[0]["n_mentions"], table[0]["n_sources"], table[0]["n_publications"]) == ("3", "3", "2")


# -- GDELT mentions ------------------------------------------------------------------------
def test_mentions_one_row_per_report(tmp_path):
    sentence = "Russia shelled Kharkiv, Ukraine said."
    reuters = dataclasses.replace(
        doc("reuters", [ev("r1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-08", sentence, start=20)],
            text="Kharkiv, July 8 --  " + sentence),
        actors=(ActorRef("Russia", 20, 26, "RUS"), ActorRef("Kharkiv", 0, 7, "UKR"),
                ActorRef("Ukraine", 44, 51, "UKR")))
    wire = dataclasses.replace(
        doc("wire", [ev("w1", "ASSAULT", ["RUS"], ["UKR"], "2024-07-09", "Russian shells hit Kharkiv.")],
            published="2024-07-09"), url=None)
    with store_with(tmp_path, [reuters]) as store:
        store.write([wire], sources={"wire": "feeds/wire.jsonl:7"})
        events_ = [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in exported(store.con, "gdelt").splitlines()]
        text = exported(store.con, "gdelt-mentions", header=True)
        raw = exported(store.con, "gdelt-mentions", Filters(dedup=False)).splitlines()
    lines = text.splitlines()
    assert lines[0].split("\t") == list(MENTION_COLUMNS) and len(MENTION_COLUMNS) == 16
    mentions = [dict(zip(MENTION_COLUMNS, line.split("\t"))) for line in lines[1:]]
    assert len(events_) == 1 and len(mentions) == 2                # one event, reported twice
    assert {m["GlobalEventID"] for m in mentions} == {events_[0]["GlobalEventID"]}
    assert {m["EventTimeDate"] for m in mentions} == {events_[0]["DATEADDED"]}
    first, second = mentions
    assert (first["MentionType"], first["MentionSourceName"], first["MentionIdentifier"]) == (
        "1", "news.example", "https://news.example/reuters")
    # the actor's mention inside the sentence; the recipient's at "Ukraine", not the dateline
    assert (first["Actor1CharOffset"], first["Actor2CharOffset"], first["ActionCharOffset"]) == ("20", "44", "20")
    assert (first["Confidence"], first["MentionDocLen"], first["InRawText"]) == ("80", str(20 + len(sentence)), "1")
    assert (second["MentionType"], second["MentionSourceName"], second["MentionIdentifier"]) == (
        "2", "feeds/wire.jsonl", "wire")                          # no URL: the input file names it
    assert second["Actor1CharOffset"] == "-1"                      # no stored mention of RUS there
    assert second["SentenceID"] == second["MentionDocTone"] == ""
    assert re.fullmatch(r"\d{14}", second["MentionTimeDate"])
    # without deduplication each stored record is its own event and its own mention
    assert len(raw) == 2 and len({line.split("\t")[0] for line in raw}) == 2


def test_field_lists_match_the_columns():
    assert [f.name for f in GDELT_FIELDS] == list(GDELT_COLUMNS)
    assert [f.name for f in MENTION_FIELDS] == list(MENTION_COLUMNS)
    assert CLI_FORMATS == FORMATS


# -- Gleditsch–Ward and Correlates of War codes ------------------------------------------------
def test_state_codes_in_csv_and_parquet(tmp_path):
    docs = [doc("d", [ev("e1", "SANCTION", ["USA", "DEU", "NATO"], ["RUS"], "2024-07-08", "They sanctioned Moscow."),
                      ev("e2", "CONSULT", ["SRB"], ["AND"], "2024-07-08", "Belgrade met Andorra.", start=30)])]
    with store_with(tmp_path, docs) as store:
        rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(exported(store.con, "csv", Filters(dedup=False))))}
        export(store.con, Filters(dedup=False), "parquet", str(tmp_path / "e.parquet"))
    sanction = rows["e1"]
    assert (sanction["actor"], sanction["actor_gw_num"], sanction["actor_gw_code"]) == (
        "USA;DEU;NATO", "2;260;", "USA;GFR;")                      # GW codes unified Germany as 260
    assert (sanction["actor_cow_num"], sanction["actor_cow_code"]) == ("2;255;", "USA;GMY;")
    assert (sanction["recipient_gw_num"], sanction["recipient_cow_num"]) == ("365", "365")
    consult = rows["e2"]                       # Serbia: GW 340 SER, COW 345 YUG; Andorra: a GW microstate
    assert (consult["actor_gw_num"], consult["actor_cow_num"], consult["actor_cow_code"]) == ("340", "345", "YUG")
    assert (consult["recipient_gw_num"], consult["recipient_cow_num"], consult["recipient_cow_code"]) == ("", "232", "AND")
    table = pq.read_table(tmp_path / "e.parquet").to_pylist()
    parquet = {r["event_id"]: r for r in table}
    assert parquet["e1"]["actor_gw_num"] == [2, 260, None] and parquet["e1"]["actor_cow_code"] == ["USA", "GMY", None]
    assert str(pq.read_schema(tmp_path / "e.parquet").field("actor_cow_num").type) == "list<element: int32>"


def test_state_code_table():
    states = codes._states()
    assert len(states) == 195
    assert codes.state_codes("RUS") == codes.StateCodes(365, "RUS", 365, "RUS")
    assert codes.state_codes("VNM") == codes.StateCodes(816, "DRV", 816, "DRV")
    assert codes.state_codes("PSE") == codes.state_codes("EU") == codes.NO_CODES
    kb = (ROOT / "src/diurna/actors/data/states.yaml").read_text(encoding="utf-8")
    assert set(states) <= set(re.findall(r"^- code: (\w+)", kb, re.M))
    for numbers in ([c.gw_num for c in states.values() if c.gw_num], [c.cow_num for c in states.values() if c.cow_num]):
        assert len(numbers) == len(set(numbers))                 # one state per number


# -- Parquet: one file, or a Hive-partitioned directory -----------------------------------------
UNDATED = doc("undated", [ev("u1", "AID", ["USA"], ["UKR"], None, "Washington sent aid to Kyiv.")], published=None)


def read_dataset(path: Path) -> list[tuple]:
    return duckdb.sql(f"SELECT year, month, event_id, actor FROM read_parquet('{path}/**/*.parquet', "
                      "hive_partitioning=true) ORDER BY year NULLS LAST, month, event_id").fetchall()


def test_parquet_directory_is_hive_partitioned(tmp_path):
    out = tmp_path / "dataset"
    with store_with(tmp_path, DOCS, [UNDATED]) as store:
        assert export(store.con, Filters(dedup=False), "parquet", out) == 5
        files = sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet"))
        assert files == ["year=2024/month=07/part-0.parquet", "year=2024/month=08/part-0.parquet",
                         "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-0.parquet"]
        rows = read_dataset(out)
        assert [(year, month, eid) for year, month, eid, _ in rows] == [
            (2024, "07", "a1"), (2024, "07", "r1"), (2024, "07", "r2"), (2024, "08", "l1"), (None, None, "u1")]
        assert rows[2][3] == ["USA", "GBR"]
        # exporting again replaces the earlier export; an unrelated directory is left alone
        assert export(store.con, Filters(event=("AID",)), "parquet", out) == 1
        assert [r[2] for r in read_dataset(out)] == ["u1"]
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "notes.txt").write_text("keep me")
        with pytest.raises(ValueError, match="not a Diurna Parquet export"):
            export(store.con, Filters(), "parquet", tmp_path / "mine")
        assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
        # nothing selected: one empty file keeps the schema readable
        assert export(store.con, Filters(event=("PROTEST",)), "parquet", tmp_path / "none") == 0
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path}/none/**/*.parquet')").fetchall() == [(0,)]


# -- datapackage.json ---------------------------------------------------------------------
def validate_package(descriptor: Path):
    """Frictionless's validator on the descriptor and the data. Its Parquet reader hands
    list cells over as NumPy arrays, which its array type refuses: those (and only
    those) errors are checked with DuckDB instead."""
    from frictionless import validate

    report = validate(str(descriptor))
    errors = [(task.name, e.type, getattr(e, "field_name", None)) for task in report.tasks for e in task.errors]
    assert report.errors == []
    return errors


def test_every_written_export_has_a_valid_datapackage(tmp_path):
    with store_with(tmp_path, DOCS, [UNDATED]) as store:
        for fmt, name in (("csv", "e.csv"), ("plover", "e.jsonl"), ("gdelt", "e.tsv"),
                          ("gdelt-mentions", "m.tsv"), ("parquet", "e.parquet"), ("parquet", "dataset")):
            out = tmp_path / name
            export(store.con, Filters(), fmt, out, license="CC-BY-4.0" if fmt == "csv" else None)
            path = out / "datapackage.json" if out.is_dir() else out.with_name(f"{out.stem}.datapackage.json")
            descriptor = json.loads(path.read_text())
            assert descriptor["diurna"]["version"] and descriptor["diurna"]["format"] == fmt
            assert descriptor["diurna"]["knowledge_base_date"] == KNOWLEDGE_BASE_DATE
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", descriptor["created"])
            assert descriptor["licenses"][0]["name"] == ("CC-BY-4.0" if fmt == "csv" else "notspecified")
            for res in descriptor["resources"]:
                assert (path.parent / res["path"]).is_file()
                assert all(f["description"] and f["type"] for f in res["schema"]["fields"])
            errors = validate_package(path)
            if fmt == "parquet":
                array_fields = {f["name"] for f in descriptor["resources"][0]["schema"]["fields"] if f["type"] == "array"}
                assert {kind for _, kind, _ in errors} <= {"type-error"} and {field for *_, field in errors} <= array_fields
            else:
                assert errors == [], (fmt, errors[:3])
        dataset = json.loads((tmp_path / "dataset" / "datapackage.json").read_text())
        assert [r["name"] for r in dataset["resources"]] == ["events-2024-07", "events-2024-08", "events-undated"]
        # the schema's fields are the Parquet file's columns, typed alike
        schema = pq.read_schema(tmp_path / "e.parquet")
        fields = json.loads((tmp_path / "e.datapackage.json").read_text())["resources"][0]["schema"]["fields"]
        assert [f["name"] for f in fields] == schema.names
        assert {f["name"]: f["type"] for f in fields}["actor_gw_num"] == "array"


def test_knowledge_base_date_is_the_actor_files():
    for path in sorted((ROOT / "src/diurna/actors/data").glob("*.yaml")):
        header = path.read_text(encoding="utf-8")[:3000]
        dates = set(re.findall(r"[Aa]s of (\d{4}-\d\d-\d\d)", header))
        assert dates <= {KNOWLEDGE_BASE_DATE}, path.name


def test_parquet_to_standard_output_is_one_file(db, tmp_path, capsysbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    assert main(["export", "--db", db, "--format", "parquet"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"PAR1") and pq.read_table(io.BytesIO(data)).num_rows == 3
    assert sorted(tmp_path.iterdir()) == before                  # no descriptor for a stream
