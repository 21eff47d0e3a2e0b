"""The event row: one definition of the columns an event is stored and shipped as.

The DuckDB ``events`` table (migration 0001; sentence_no from 0006, place columns from 0007), the Parquet shards of ``--out-parquet``
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
    Column("sentence_no", "INTEGER", "int32"),         # migration 0006
    # migration 0007: appended, as ALTER TABLE adds them
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
            e.confidence, e.quad_class, e.score, e.sentence_no,
            loc.geonameid if loc else None, loc.province if loc else None, loc.resolution if loc else None)


# An event's actor and recipient entities: the ``event_actors`` table (migrations 0001 and
# 0006) after its (event_id, role, position) key, and the struct of the Parquet shards.
ENTITY_COLUMNS: tuple[Column, ...] = (
    Column("code", "VARCHAR", "string"), Column("sector", "VARCHAR", "string"),
    Column("entity_text", "VARCHAR", "string"), Column("identifier_id", "VARCHAR", "string"),
    Column("identifier_text", "VARCHAR", "string"), Column("office", "VARCHAR", "string"),
)
ENTITY_FIELDS = tuple(c.name for c in ENTITY_COLUMNS)


def entity_rows(e: Event) -> list[tuple[Any, ...]]:
    """The ``event_actors`` rows of an event: (event_id, role, position, *ENTITY_COLUMNS)."""
    return [(e.id, role, i, *(getattr(ent, name) for name in ENTITY_FIELDS))
            for role, ents in (("actor", e.actor), ("recipient", e.recipient))
            for i, ent in enumerate(ents)]


def arrow_type(column: Column) -> Any:
    import pyarrow as pa     # only where Arrow is written: workers never import it

    if column.arrow.startswith("list<"):
        return pa.list_(getattr(pa, column.arrow[5:-1])())
    return getattr(pa, column.arrow)()
