"""--out-parquet: a partitioned Parquet dataset, one shard per written batch."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from diurna.errors import DiurnaError
from diurna.records import CodedDocument
from diurna.store.rows import ENTITY_COLUMNS, EVENT_COLUMN_NAMES, EVENT_COLUMNS, arrow_type, event_row


# -- Parquet output ----------------------------------------------------------------------
class ParquetShards:
    """A partitioned Parquet dataset: <dir>/{documents,events,actor_mentions}/part-NNNNN.parquet,
    one shard per written batch, readable with DuckDB (read_parquet('dir/events/*.parquet')),
    Spark or pandas."""

    TABLES = ("documents", "events", "actor_mentions")

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        for table in self.TABLES:
            folder = self.directory / table
            if folder.is_dir() and any(folder.glob("part-*.parquet")):
                raise DiurnaError(f"{folder} already holds Parquet shards; remove {self.directory} "
                                  "or give another --out-parquet folder")
            folder.mkdir(parents=True, exist_ok=True)

    def write(self, index: int, docs: list[CodedDocument], model: str, sources: dict) -> None:
        import pyarrow.parquet as pq

        tables = {"documents": _documents_table(docs, model, sources),
                  "events": _events_table(docs), "actor_mentions": _mentions_table(docs)}
        for name, table in tables.items():
            pq.write_table(table, self.directory / name / f"part-{index:05d}.parquet")


def _schemas():
    import pyarrow as pa

    entity = pa.list_(pa.struct([(c.name, arrow_type(c)) for c in ENTITY_COLUMNS]))
    documents = pa.schema([
        ("doc_id", pa.string()), ("published", pa.date32()), ("url", pa.string()),
        ("title", pa.string()), ("source", pa.string()), ("model", pa.string()),
        ("n_events", pa.int32()), ("notes", pa.list_(pa.string())), ("text", pa.string()),
        ("language", pa.string())])
    events = pa.schema([(c.name, arrow_type(c)) for c in EVENT_COLUMNS]
                       + [("actor", entity), ("recipient", entity)])
    mentions = pa.schema([
        ("doc_id", pa.string()), ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()),
        ("code", pa.string()), ("sector", pa.string()), ("name", pa.string()),
        ("office", pa.string()), ("wikidata", pa.string())])
    return documents, events, mentions


def _documents_table(docs: list[CodedDocument], model: str, sources: dict):
    import pyarrow as pa

    rows = [{"doc_id": d.doc_id, "published": _date(d.published), "url": d.url, "title": d.title,
             "source": sources.get(d.doc_id), "model": model, "n_events": len(d.events),
             "notes": list(d.notes), "text": d.text, "language": d.language} for d in docs]
    return pa.Table.from_pylist(rows, schema=_schemas()[0])


def _events_table(docs: list[CodedDocument]):
    import pyarrow as pa

    rows = [dict(zip(EVENT_COLUMN_NAMES, event_row(doc.doc_id, e)), date=_date(e.date),
                 actor=[a.to_dict() for a in e.actor], recipient=[r.to_dict() for r in e.recipient])
            for doc in docs for e in doc.events]
    return pa.Table.from_pylist(rows, schema=_schemas()[1])


def _mentions_table(docs: list[CodedDocument]):
    import pyarrow as pa

    rows = [{"doc_id": d.doc_id, **{k: v for k, v in a.to_dict().items()}} for d in docs for a in d.actors]
    return pa.Table.from_pylist(rows, schema=_schemas()[2])


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
