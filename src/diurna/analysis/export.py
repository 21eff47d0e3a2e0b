"""Exports of the events a ``query.Filters`` selects: CSV, Parquet (one file or a
Hive-partitioned directory), PLOVER JSON Lines, GDELT 2.0 events and GDELT 2.0
mentions. docs/exports.md documents every field and column.

With ``Filters.dedup`` (the default) there is one record per deduplicated event (the
cluster's representative) carrying its numbers of documents and publications; with
``dedup=False`` every stored per-sentence record, each naming its cluster in
``cluster_id`` / PLOVER ``link``. Rows are streamed in chunks, so large stores export
in constant memory. An export written to a path also writes a Frictionless Data
Package descriptor beside it (package.py).
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from diurna import __version__
from diurna.analysis.codes import state_codes
from diurna.analysis.counts import selected_events
from diurna.analysis.gdelt import (GDELT_COLUMNS, GDELT_FIELDS, MENTION_COLUMNS, MENTION_FIELDS, gdelt_row,
                                   mention_row, text_value)
from diurna.analysis.package import Field, resource, write_descriptor
from diurna.errors import FilterError
from diurna.store.query import Filters
from diurna.store.rows import ENTITY_FIELDS, EVENT_COLUMNS

__all__ = ["FORMATS", "GDELT_COLUMNS", "MENTION_COLUMNS", "TABLE_COLUMNS", "export", "plover_record",
           "table_record"]

FORMATS = ("csv", "parquet", "plover", "gdelt", "gdelt-mentions")
CHUNK = 10_000
DESCRIPTOR = "datapackage.json"
UNDATED = "__HIVE_DEFAULT_PARTITION__"      # Hive's (and DuckDB's) name for a NULL partition value

# A document's publication: the host of its URL (without "www."), else the file it was
# read from (its source without ":line"), else its id. GDELT counts sources this way.
_PUBLICATION = r"""coalesce(
    nullif(regexp_replace(lower(regexp_extract(d.url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)', 1)),
                          '^www\.', ''), ''),
    nullif(regexp_replace(d.source, ':[0-9]+$', ''), ''), d.doc_id)"""
# Every exported event with its cluster statistics, actors, place and document. "lead":
# the sentence starts in the first paragraph and its first 400 characters (~2 sentences).
_ROWS = """
    WITH sel AS ({selected}),
    stats AS (SELECT c.cluster_id, count(DISTINCT c.doc_id) AS n_sources, count(*) AS n_mentions,
                     count(DISTINCT {publication}) AS n_publications,
                     list(c.event_id ORDER BY c.date, c.event_id) AS cluster_events,
                     list(DISTINCT c.doc_id ORDER BY c.doc_id) AS cluster_docs
              FROM event_clusters c JOIN documents d ON d.doc_id = c.doc_id
              WHERE c.cluster_id IN (SELECT cluster_id FROM sel) GROUP BY c.cluster_id),
    parties AS (SELECT event_id,
                       list(struct_pack(code, sector, entity_text, identifier_id, identifier_text, office)
                            ORDER BY position) FILTER (WHERE role = 'actor') AS actor,
                       list(struct_pack(code, sector, entity_text, identifier_id, identifier_text, office)
                            ORDER BY position) FILTER (WHERE role = 'recipient') AS recipient
                FROM event_actors WHERE event_id IN (SELECT event_id FROM sel) GROUP BY event_id)
    SELECT e.event_id, sel.cluster_id, st.n_sources, st.n_mentions, st.n_publications,
           st.cluster_events, st.cluster_docs,
           sel.date, e.date_precision, e.event, e.mode, e.context, e.cameo, e.aux, e.quad_class,
           e.score, e.confidence, coalesce(p.actor, []) AS actor, coalesce(p.recipient, []) AS recipient,
           e.trigger_text, e.sentence_text, e.sentence_start, e.sentence_end, e.sentence_no,
           e.loc_name, e.loc_country, e.loc_lat, e.loc_lon, e.loc_geonameid, e.loc_province, e.loc_resolution,
           e.doc_id, d.url, d.title, d.published, d.source, d.model, d.coded_at, d.language,
           {publication} AS publication,
           e.sentence_start < least(coalesce(nullif(strpos(d.text, chr(10)), 0), 400), 400) AS lead
    FROM sel JOIN events e USING (event_id) JOIN documents d ON d.doc_id = e.doc_id
    LEFT JOIN stats st ON st.cluster_id = sel.cluster_id
    LEFT JOIN parties p ON p.event_id = e.event_id
    ORDER BY sel.date NULLS LAST, e.doc_id, e.sentence_start, e.trigger_start"""

# Every report of each exported event: with deduplication, every record of its cluster
# (near-duplicate copies included); without, the record itself. An actor's offset is
# its first stored mention with the actor's code inside the event's sentence,
# preferring one with the event's own words for it.
_MEMBERS = {True: "SELECT s.event_id AS exported_id, s.date, c.event_id FROM sel s "
                  "JOIN event_clusters c ON c.cluster_id = s.cluster_id",
            False: "SELECT s.event_id AS exported_id, s.date, s.event_id FROM sel s"}
_OFFSET = """(SELECT m.start FROM event_actors a JOIN actor_mentions m ON m.code = a.code
              WHERE a.event_id = e.event_id AND a.role = '{role}' AND a.position = 0
                AND m.doc_id = e.doc_id AND m.start >= e.sentence_start AND m.start < e.sentence_end
              ORDER BY m.text IS DISTINCT FROM a.entity_text, m.start LIMIT 1)"""
_MENTIONS = """
    WITH sel AS ({selected}), supported AS ({members})
    SELECT s.exported_id, x.coded_at AS event_added, e.event_id, e.doc_id, d.url, d.coded_at,
           {publication} AS publication, length(d.text) AS doc_len, e.trigger_start, e.confidence,
           {actor_offset} AS actor_offset, {recipient_offset} AS recipient_offset
    FROM supported s JOIN events e ON e.event_id = s.event_id JOIN documents d ON d.doc_id = e.doc_id
    JOIN events xe ON xe.event_id = s.exported_id JOIN documents x ON x.doc_id = xe.doc_id
    ORDER BY s.date NULLS LAST, xe.doc_id, xe.sentence_start, xe.trigger_start, s.exported_id,
             d.coded_at, e.event_id"""


def export(con, f: Filters, fmt: str, out: str | os.PathLike | IO | None = None, header: bool = False,
           license: str | None = None) -> int:
    """Write the selected events to ``out`` (a path, a stream, or None for stdout) in
    ``fmt``; returns the number of records. ``header`` adds GDELT's column names.
    Parquet to a directory (an existing one, or a new path without an extension)
    writes a Hive-partitioned dataset. Written to a path, an export also writes a
    datapackage.json describing it, naming ``license`` (an SPDX or Open Definition
    id) as the data's licence."""
    if fmt not in FORMATS:
        raise FilterError("format", f"choose one of {', '.join(FORMATS)}")
    rows = _select(con, f, mentions=fmt == "gdelt-mentions")
    if fmt == "parquet" and _is_dataset(out):
        directory = Path(out)          # type: ignore[arg-type]
        n, parts = _write_dataset(rows, directory)
        resources = [resource(_part_name(p), p, "parquet", TABLE_FIELDS) for p in parts]
        write_descriptor(directory / DESCRIPTOR, resources, fmt, f, license)
        return n
    with _opened(out, binary=fmt == "parquet") as stream:
        n, fields = _WRITERS[fmt](rows, stream, header)
    if _is_path(out):
        path = Path(out)               # type: ignore[arg-type]
        file_format, lists_as_text = _FILE_FORMATS[fmt]
        found = resource("mentions" if fmt == "gdelt-mentions" else "events", path.name, file_format, fields,
                         header=header or fmt not in ("gdelt", "gdelt-mentions"), lists_as_text=lists_as_text)
        write_descriptor(path.with_name(f"{path.stem}.{DESCRIPTOR}"), [found], fmt, f, license)
    return n


def _select(con, f: Filters, mentions: bool) -> Iterator[dict]:
    selected, params = selected_events(con, f, counting=False)
    if mentions:
        sql = _MENTIONS.format(selected=selected, members=_MEMBERS[f.dedup], publication=_PUBLICATION,
                               actor_offset=_OFFSET.format(role="actor"),
                               recipient_offset=_OFFSET.format(role="recipient"))
    else:
        sql = _ROWS.format(selected=selected, publication=_PUBLICATION)
    return _dict_rows(con.execute(sql, params))


def _dict_rows(cursor) -> Iterator[dict]:
    names = [d[0] for d in cursor.description]
    while chunk := cursor.fetchmany(CHUNK):
        for row in chunk:
            yield dict(zip(names, row))


def _is_path(out) -> bool:
    return isinstance(out, (str, os.PathLike)) and str(out) != "-"


def _is_dataset(out) -> bool:
    if not _is_path(out):
        return False
    path = Path(out)
    return path.is_dir() or (not path.exists() and not path.suffix)


@contextmanager
def _opened(out, binary: bool):
    if out is None or out == "-":
        yield sys.stdout.buffer if binary else sys.stdout
    elif _is_path(out):
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
# The event's own columns keep their stored types (store/rows.py); the others are
# typed here, in Arrow's names. Lists are Parquet lists and ';'-joined text in CSV.
_STORED = {c.name: c.arrow for c in EVENT_COLUMNS}
_SIDE_COLUMNS = (
    ("", "list<string>", "codes (ISO alpha-3 for a state, else an organisation or group code)"),
    ("_sector", "list<string>", "sectors, position by position (empty: the state or group itself)"),
    ("_text", "list<string>", "the words that name them"),
    ("_gw_num", "list<int32>", "Gleditsch–Ward state numbers (empty for a code GW does not list)"),
    ("_gw_code", "list<string>", "Gleditsch–Ward letter codes"),
    ("_cow_num", "list<int32>", "Correlates of War state numbers (ccode)"),
    ("_cow_code", "list<string>", "Correlates of War state abbreviations"),
)
TABLE_FIELDS: list[Field] = (
    [Field("event_id", _STORED["event_id"], "the stored event's id"),
     Field("cluster_id", "string", "the deduplicated event it belongs to (its representative record's id)"),
     Field("n_sources", "int64", "documents reporting that event"),
     Field("n_mentions", "int64", "stored records (sentences) of that event"),
     Field("n_publications", "int64", "distinct publications reporting it (URL host, else input file)"),
     Field("date", _STORED["date"], "the event's date, else its document's publication date"),
     Field("date_precision", _STORED["date_precision"], "day, week, month or year; empty when the date fell back"),
     Field("event", _STORED["event"], "PLOVER event type"), Field("mode", _STORED["mode"], "PLOVER mode"),
     Field("cameo", _STORED["cameo"], "CAMEO code"),
     Field("aux", _STORED["aux"], "future, hypothetical, negation, historical; empty for a reported fact"),
     Field("quad_class", "int64", "1 verbal cooperation … 4 material conflict"),
     Field("score", _STORED["score"], "PLOVER conflict–cooperation score, -10…10"),
     Field("confidence", _STORED["confidence"], "the coder's confidence, 0…1")]
    + [Field(side + suffix, kind, f"{side} {said}") for side in ("actor", "recipient")
       for suffix, kind, said in _SIDE_COLUMNS]
    + [Field(name, _STORED[name], said) for name, said in (
        ("trigger_text", "the words that express the event"), ("sentence_text", "the sentence it was coded from"),
        ("loc_name", "where it happened, when the text says"), ("loc_country", "that place's ISO alpha-3 country"),
        ("loc_lat", "latitude"), ("loc_lon", "longitude"), ("doc_id", "the document's id"))]
    + [Field("url", "string", "the document's URL"), Field("title", "string", "the document's title"),
       Field("published", "date32", "the document's publication date")]
)
TABLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in TABLE_FIELDS)


def table_record(row: dict, joiner: str | None = ";") -> dict:
    """The flat record: entity lists become code/sector/text columns and the states'
    GW and COW codes (joined with ``joiner``, or kept as lists when it is None)."""
    out = {k: row.get(k) for k in TABLE_COLUMNS}
    for side in ("actor", "recipient"):
        entities = row[side] or []
        codes = [state_codes(ent["code"]) for ent in entities]
        columns: dict[str, list[Any]] = {
            "": [ent["code"] or "" for ent in entities],
            "_sector": [ent["sector"] or "" for ent in entities],
            "_text": [ent["entity_text"] or "" for ent in entities],
            "_gw_num": [c.gw_num for c in codes], "_gw_code": [c.gw_code for c in codes],
            "_cow_num": [c.cow_num for c in codes], "_cow_code": [c.cow_code for c in codes],
        }
        for suffix, values in columns.items():
            out[side + suffix] = ";".join(text_value(v) for v in values) if joiner is not None else values
    return out


def _write_csv(rows, stream, header: bool = True) -> tuple[int, list[Field]]:
    writer = csv.DictWriter(stream, fieldnames=TABLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: text_value(v) for k, v in table_record(row).items()})
        n += 1
    return n, TABLE_FIELDS


def _write_parquet(rows, stream, header: bool = True) -> tuple[int, list[Field]]:
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    with pq.ParquetWriter(stream, schema) as writer:
        n = _write_batches(rows, writer, schema)
    return n, TABLE_FIELDS


def _write_batches(rows, writer, schema) -> int:
    """Write rows in CHUNK-sized batches; an empty input still writes the schema."""
    import pyarrow as pa

    n, records = 0, (table_record(row, joiner=None) for row in rows)
    while batch := list(itertools.islice(records, CHUNK)):     # itertools.batched needs 3.12
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        n += len(batch)
    if n == 0:
        writer.write_table(pa.Table.from_pylist([], schema=schema))
    return n


def _write_dataset(rows, directory: Path) -> tuple[int, list[str]]:
    """Parquet files under ``directory``/year=YYYY/month=MM/part-0.parquet, undated events
    under year=__HIVE_DEFAULT_PARTITION__ (read back as NULL). Rows come in date order,
    so each partition is written once, from consecutive rows. Returns the number of
    rows and the files' paths relative to ``directory``."""
    import pyarrow.parquet as pq

    _clear_dataset(directory)
    schema = _parquet_schema()
    n, parts = 0, []
    grouped = itertools.groupby(rows, key=lambda row: _partition(row["date"]))
    for part, group in grouped:
        path = directory / part / "part-0.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(path, schema) as writer:
            n += _write_batches(group, writer, schema)
        parts.append(f"{part}/part-0.parquet")
    if not parts:      # nothing selected: one empty file keeps the schema readable
        return _write_dataset_empty(directory, schema)
    return n, parts


def _write_dataset_empty(directory: Path, schema) -> tuple[int, list[str]]:
    import pyarrow.parquet as pq

    part = _partition(None)
    (directory / part).mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(directory / part / "part-0.parquet", schema) as writer:
        _write_batches([], writer, schema)
    return 0, [f"{part}/part-0.parquet"]


def _partition(when) -> str:
    if when is None:
        return f"year={UNDATED}/month={UNDATED}"
    return f"year={when.year:04d}/month={when.month:02d}"


def _part_name(path: str) -> str:
    """A resource name for a partition file: events-2024-07, events-undated."""
    year, month = (piece.split("=", 1)[1] for piece in path.split("/")[:2])
    return "events-undated" if year == UNDATED else f"events-{year}-{month}"


def _clear_dataset(directory: Path) -> None:
    """Make ``directory`` ready for a dataset: new, empty, or holding an earlier export
    (its year=… folders and datapackage.json), which is replaced. Anything else in it
    stops the export rather than mixing with or deleting files it did not write."""
    directory.mkdir(parents=True, exist_ok=True)
    entries = list(directory.iterdir())
    foreign = [e.name for e in entries if not (e.name == DESCRIPTOR or (e.is_dir() and e.name.startswith("year=")))]
    if foreign:
        raise FilterError("out", f"{directory} holds files that are not a Diurna Parquet export "
                                 f"({', '.join(sorted(foreign)[:3])}); give a new or empty directory")
    for entry in entries:
        if entry.is_dir():
            shutil.rmtree(entry)


def _parquet_schema():
    import pyarrow as pa

    def arrow(kind: str):
        return pa.list_(arrow(kind[5:-1])) if kind.startswith("list<") else getattr(pa, kind)()

    return pa.schema([(f.name, arrow(f.type)) for f in TABLE_FIELDS])


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
        "text_info": {"sequence": row["sentence_no"], "start": row["sentence_start"], "end": row["sentence_end"]},
        "cite_info": cite_info(row),
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


# The manual this export follows: "PLOVER 2.0" (PLOVER_MANUAL.tex, DRAFT Version 2.0), named
# as the manual's cite_info example names codebooks ("plover-base-1.3.1").
CODEBOOK = "plover-base-2.0"


def cite_info(row: dict) -> dict:
    """The manual's "Information object for citations", as far as Diurna knows it. Diurna
    codes English only (ingest skips other languages), so a document without a recorded
    language is English; ``version`` is the version of the coder that made the data set."""
    return {"url": row["url"], "title": row["title"], "language": row.get("language") or "en",
            "publication": row["publication"],
            "coder": coder_name(row["model"]), "codebook": CODEBOOK, "version": __version__}


def _entity(ent: dict) -> dict:
    """A PLOVER entity object: the manual's "Information object for entities" fields
    Diurna fills (religion, ethnicity, gender and age it does not code)."""
    return {key: ent[key] for key in ENTITY_FIELDS}


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


def _write_plover(rows, stream, header: bool = False) -> tuple[int, list[Field]]:
    n, names = 0, None
    for row in rows:
        record = plover_record(row)
        names = names or list(record)
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n, _plover_fields(names or [])


# Table Schema types of the PLOVER fields; a field not listed here is described as "any".
_PLOVER_TYPES = {
    "id": "string", "has_event": "boolean", "date": "date", "time": "time", "enddate": "date",
    "endtime": "time", "actor": "array", "recipient": "array", "event": "array", "event_loc": "object",
    "event_text": "array", "quad_code": "integer", "event_scale": "number", "mode": "array",
    "context": "array", "link": "string", "text": "string", "text_info": "object", "cite_info": "object",
    "coder": "string", "coded_date": "date", "coded_time": "time", "comment": "string",
    "doc_id": "string", "url": "string", "cameo": "string", "aux": "string", "date_precision": "string",
    "confidence": "number", "n_sources": "integer", "n_mentions": "integer", "sources": "array",
    "supporting_events": "array",
}


def _plover_fields(names: list[str]) -> list[Field]:
    return [Field(name, _PLOVER_TYPES.get(name, "any"), "PLOVER field (docs/exports.md)") for name in names]


# -- GDELT 2.0 events and mentions (gdelt.py) -------------------------------------------
def _write_gdelt(rows, stream, header: bool = False) -> tuple[int, list[Field]]:
    if header:
        stream.write("\t".join(GDELT_COLUMNS) + "\n")
    return _write_lines(("\t".join(gdelt_row(r)) for r in rows), stream), GDELT_FIELDS


def _write_mentions(rows, stream, header: bool = False) -> tuple[int, list[Field]]:
    if header:
        stream.write("\t".join(MENTION_COLUMNS) + "\n")
    return _write_lines(("\t".join(mention_row(r)) for r in rows), stream), MENTION_FIELDS


_WRITERS: dict[str, Callable[..., tuple[int, list[Field]]]] = {
    "csv": _write_csv, "parquet": _write_parquet, "plover": _write_plover,
    "gdelt": _write_gdelt, "gdelt-mentions": _write_mentions}
# Each format's file format in datapackage.json, and whether its lists are joined text.
_FILE_FORMATS = {"csv": ("csv", True), "parquet": ("parquet", False), "plover": ("jsonl", False),
                 "gdelt": ("tsv", False), "gdelt-mentions": ("tsv", False)}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
