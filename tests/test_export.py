"""Exports: CSV, Parquet, PLOVER JSON Lines (checked against the manual's field table)
and GDELT 2.0 TSV (checked against the codebook's 61 columns), from the library and the CLI."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from diurna.cli import main
from diurna.analysis.export import GDELT_COLUMNS, TABLE_COLUMNS, export
from diurna.store.query import Filters
from diurna.records import PLOVER_TYPES, Place
from test_dedup import AP, REUTERS, doc, ev, store_with

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
        text=AP, published="2024-07-09"),
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
            assert set(entity) == {"code", "sector", "entity_text"}
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
        "QuadClass": "4", "GoldsteinScale": "-9.5", "NumMentions": "2", "NumSources": "2",
        "NumArticles": "2", "ActionGeo_Type": "4", "ActionGeo_FullName": "Kharkiv, Ukraine",
        "ActionGeo_CountryCode": "UP", "ActionGeo_Lat": "49.99", "ActionGeo_Long": "36.23",
        "SOURCEURL": "https://news.example/reuters"}
    assert re.fullmatch(r"2024\.\d{4}", strike["FractionDate"])
    assert re.fullmatch(r"\d{14}", strike["DATEADDED"])
    sanction = next(r for r in rows if r["EventCode"] == "160")
    actor1 = (sanction["Actor1Code"], sanction["Actor1Type1Code"], sanction["Actor1Name"])
    assert actor1 == ("USAGOV", "GOV", "USA")
    assert sanction["ActionGeo_Type"] == "" and sanction["AvgTone"] == ""


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
        assert out.stat().st_size > 0
        assert "3 events written" in capsys.readouterr().err
    assert main(["export", "--db", db, "--format", "plover", "--actor", "RUS"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == ["r1"]
    assert main(["export", "--db", db, "--format", "gdelt", "--header", "--exclude-uncertain",
                 "--no-dedup"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("GlobalEventID\tDay") and len(lines) == 1 + 3
