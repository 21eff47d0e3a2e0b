"""The DuckDB event store: schema migrations, idempotent writes, event queries.

Only one process writes a store at a time (DuckDB's rule); readers open it read-only.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import duckdb

from .errors import StoreError
from .ingest import Skip
from .schema import CodedDocument

DEFAULT_DB = "diurna.duckdb"

# Named, append-only migrations: never edit one that has shipped; add a new one.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_core_tables", """
        CREATE TABLE documents (
            doc_id VARCHAR PRIMARY KEY, content_hash VARCHAR NOT NULL, published DATE,
            url VARCHAR, title VARCHAR, source VARCHAR, text VARCHAR NOT NULL,
            model VARCHAR, coded_at TIMESTAMP, n_events INTEGER, notes VARCHAR[]);
        CREATE TABLE actor_mentions (
            doc_id VARCHAR NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            text VARCHAR, code VARCHAR, sector VARCHAR, name VARCHAR, office VARCHAR,
            wikidata VARCHAR);
        CREATE TABLE events (
            event_id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, event VARCHAR NOT NULL,
            mode VARCHAR, context VARCHAR[], cameo VARCHAR, aux VARCHAR,
            date DATE, date_precision VARCHAR,
            trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
            sentence_text VARCHAR, sentence_start INTEGER, sentence_end INTEGER,
            loc_name VARCHAR, loc_country VARCHAR, loc_lat DOUBLE, loc_lon DOUBLE,
            confidence DOUBLE, quad_class INTEGER, score DOUBLE);
        CREATE TABLE event_actors (
            event_id VARCHAR NOT NULL, role VARCHAR NOT NULL, position INTEGER NOT NULL,
            code VARCHAR NOT NULL, sector VARCHAR, entity_text VARCHAR);
        CREATE TABLE skipped (
            location VARCHAR NOT NULL, doc_id VARCHAR, reason VARCHAR NOT NULL,
            text VARCHAR, skipped_at TIMESTAMP);
    """),
    ("0002_indexes", """
        CREATE INDEX events_date ON events(date);
        CREATE INDEX events_doc ON events(doc_id);
        CREATE INDEX event_actors_event ON event_actors(event_id);
        CREATE INDEX mentions_doc ON actor_mentions(doc_id);
    """),
]


def default_db_path() -> str:
    return os.environ.get("DIURNA_DB") or DEFAULT_DB


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class WriteResult:
    added: int = 0        # documents newly stored
    unchanged: int = 0    # already stored with the same content
    replaced: int = 0     # stored before with different content; re-coded


class Store:
    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = str(path or default_db_path())
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no event store here; create one with `diurna code … --db {self.path}`")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the event store ({exc}). "
                             "Is another `diurna code` writing it?") from None
        if not read_only:
            self.migrate()

    # -- schema ---------------------------------------------------------------
    def migrate(self) -> list[str]:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                         "(name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
        done = {r[0] for r in self.con.execute("SELECT name FROM schema_migrations").fetchall()}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            self.con.execute("BEGIN")
            self.con.execute(sql)
            self.con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, _now()])
            self.con.execute("COMMIT")
            applied.append(name)
        return applied

    def migrations(self) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT name FROM schema_migrations ORDER BY name").fetchall()]

    # -- writes ---------------------------------------------------------------
    def known_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        rows = self.con.execute("SELECT doc_id, content_hash FROM documents WHERE doc_id IN "
                                "(SELECT unnest(?))", [list(doc_ids)]).fetchall()
        return dict(rows)

    def write(self, docs: Iterable[CodedDocument], model: str | None = None,
              sources: dict[str, str] | None = None) -> WriteResult:
        """Store a batch of coded documents in one transaction (all or nothing)."""
        docs = list(docs)
        result = WriteResult()
        known = self.known_hashes([d.doc_id for d in docs])
        self.con.execute("BEGIN")
        try:
            for doc in docs:
                digest = content_hash(doc.text)
                if known.get(doc.doc_id) == digest:
                    result.unchanged += 1
                    continue
                if doc.doc_id in known:
                    self._delete_document(doc.doc_id)
                    result.replaced += 1
                else:
                    result.added += 1
                known[doc.doc_id] = digest
                self._insert_document(doc, digest, model, (sources or {}).get(doc.doc_id))
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return result

    def record_skips(self, skips: Iterable[Skip]) -> None:
        rows = [(s.where, s.doc_id, s.reason, s.text, _now()) for s in skips]
        if rows:
            self.con.executemany("INSERT INTO skipped VALUES (?, ?, ?, ?, ?)", rows)

    def _delete_document(self, doc_id: str) -> None:
        self.con.execute("DELETE FROM event_actors WHERE event_id IN "
                         "(SELECT event_id FROM events WHERE doc_id = ?)", [doc_id])
        for table in ("events", "actor_mentions", "documents"):
            self.con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])

    def _insert_document(self, doc: CodedDocument, digest: str, model, source) -> None:
        self.con.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.doc_id, digest, doc.published, doc.url, doc.title, source, doc.text,
             model, _now(), len(doc.events), list(doc.notes)])
        if doc.actors:
            self.con.executemany(
                "INSERT INTO actor_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc.doc_id, a.start, a.end, a.text, a.code, a.sector, a.name, a.office, a.wikidata)
                 for a in doc.actors])
        if doc.events:
            self.con.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_event_row(doc.doc_id, e) for e in doc.events])
            self.con.executemany(
                "INSERT INTO event_actors VALUES (?, ?, ?, ?, ?, ?)",
                [(e.id, role, i, ent.code, ent.sector, ent.entity_text)
                 for e in doc.events
                 for role, ents in (("actor", e.actor), ("recipient", e.recipient))
                 for i, ent in enumerate(ents)])

    # -- reads ----------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "events", "actor_mentions", "skipped"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        return out

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _event_row(doc_id: str, e) -> tuple:
    loc = e.event_loc
    return (e.id, doc_id, e.event, e.mode, list(e.context), e.cameo, e.aux, e.date, e.date_precision,
            e.trigger.text, e.trigger.start, e.trigger.end,
            e.sentence.text, e.sentence.start, e.sentence.end,
            loc.name if loc else None, loc.country if loc else None,
            loc.lat if loc else None, loc.lon if loc else None,
            e.confidence, e.quad_class, e.score)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
