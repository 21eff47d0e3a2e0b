"""The event row: one definition of the columns an event is stored and shipped as.

The DuckDB ``events`` table (migration 0001, place columns from 0005), the Parquet shards of ``--out-parquet``
and the types of the CSV/Parquet exports all read it; a test checks it against the
table the migrations build.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diurna.records import Event


@dataclass(frozen=True)
class Column:
    name: str
    sql: str          # DuckDB type
    arrow: str        # pyarrow type name: string, int32, float64, date32, list<string>


EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "VARCHAR", "string"), Column("doc_id", "VARCHAR", "string"),
    Column("event", "VARCHAR", "string"), Column("mode", "VARCHAR", "string"),
    Column("context", "VARCHAR[]", "list<string>"), Column("cameo", "VARCHAR", "string"),
    Column("aux", "VARCHAR", "string"), Column("date", "DATE", "date32"),
    Column("date_precision", "VARCHAR", "string"),
    Column("trigger_text", "VARCHAR", "string"), Column("trigger_start", "INTEGER", "int32"),
    Column("trigger_end", "INTEGER", "int32"),
    Column("sentence_text", "VARCHAR", "string"), Column("sentence_start", "INTEGER", "int32"),
    Column("sentence_end", "INTEGER", "int32"),
    Column("loc_name", "VARCHAR", "string"), Column("loc_country", "VARCHAR", "string"),
    Column("loc_lat", "DOUBLE", "float64"), Column("loc_lon", "DOUBLE", "float64"),
    Column("confidence", "DOUBLE", "float64"), Column("quad_class", "INTEGER", "int32"),
    Column("score", "DOUBLE", "float64"),
    # migration 0005: appended, as ALTER TABLE adds them
    Column("loc_geonameid", "BIGINT", "int64"), Column("loc_province", "VARCHAR", "string"),
    Column("loc_resolution", "VARCHAR", "string"),
)
EVENT_COLUMN_NAMES = tuple(c.name for c in EVENT_COLUMNS)


def event_row(doc_id: str, e: Event) -> tuple[Any, ...]:
    """An event's values in ``EVENT_COLUMNS`` order (dates stay ISO text: DuckDB and
    Arrow convert them)."""
    loc = e.event_loc
    return (e.id, doc_id, e.event, e.mode, list(e.context), e.cameo, e.aux, e.date, e.date_precision,
            e.trigger.text, e.trigger.start, e.trigger.end,
            e.sentence.text, e.sentence.start, e.sentence.end,
            loc.name if loc else None, loc.country if loc else None,
            loc.lat if loc else None, loc.lon if loc else None,
            e.confidence, e.quad_class, e.score,
            loc.geonameid if loc else None, loc.province if loc else None, loc.resolution if loc else None)


def arrow_type(column: Column) -> Any:
    import pyarrow as pa     # only where Arrow is written: workers never import it

    if column.arrow.startswith("list<"):
        return pa.list_(getattr(pa, column.arrow[5:-1])())
    return getattr(pa, column.arrow)()
