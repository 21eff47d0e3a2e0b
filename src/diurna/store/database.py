"""The DuckDB event store: schema migrations, idempotent writes, event queries.

Only one process writes a store at a time (DuckDB's rule); readers open it read-only.
"""
from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import duckdb
import pyarrow as pa

from diurna.errors import StoreError
from diurna.store.fingerprint import Bands
from diurna.store.migrations import MIGRATIONS
from diurna.store.rows import entity_rows, event_row
from diurna.records import Skip
from diurna.records import CodedDocument

DEFAULT_DB = "diurna.duckdb"
# Documents written between two deduplication refreshes in a long run (see
# Store.deferred_dedup); at most dedup's incremental limit, so each refresh stays incremental.
DEDUP_EVERY = 1920


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
    def __init__(self, path: str | Path | None = None, read_only: bool = False, wait: float = 0.0):
        """``wait``: seconds to keep trying while another process holds the file (DuckDB
        admits one writer), before failing with the reason."""
        self.path = str(path or default_db_path())
        self._deferred: list[str] | None = None     # doc ids awaiting deduplication
        self._dedup_every = DEDUP_EVERY
        self._columns: dict[str, list[str]] = {}    # table → column names, for bulk inserts
        self._fingerprints: dict[str, tuple[str, Bands]] = {}   # doc_id → (hash, bands), awaiting dedup
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no event store here; create one with `diurna code … --db {self.path}`")
        self.con = _connect(self.path, read_only, wait)
        try:
            if read_only:
                self._check_version()
            else:
                self.migrate()
        except duckdb.Error as exc:
            self.con.close()
            raise StoreError(f"{self.path}: not a Diurna event store, or a damaged one ({exc})") from None
        except StoreError:
            self.con.close()
            raise

    # -- schema ---------------------------------------------------------------
    def migrate(self) -> list[str]:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                         "(name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
        done = {r[0] for r in self.con.execute("SELECT name FROM schema_migrations").fetchall()}
        _refuse_newer(self.path, done)
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

    def _check_version(self) -> None:
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "schema_migrations" not in tables:
            raise StoreError(f"{self.path}: not a Diurna event store (no schema_migrations table)")
        _refuse_newer(self.path, {r[0] for r in self.con.execute("SELECT name FROM schema_migrations").fetchall()})

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
              sources: dict[str, str] | None = None,
              fingerprints: dict[str, Bands] | None = None) -> WriteResult:
        """Store a batch of coded documents in one transaction (all or nothing).
        ``fingerprints``: their LSH band buckets (fingerprint.fingerprint), if already
        computed, so that deduplication need not compute them again."""
        docs = list(docs)
        result = WriteResult()
        known = self.known_hashes([d.doc_id for d in docs])
        self.con.execute("BEGIN")
        try:
            fresh = []
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
                fresh.append((doc, digest))
                if fingerprints and doc.doc_id in fingerprints:
                    self._fingerprints[doc.doc_id] = (digest, fingerprints[doc.doc_id])
            self._insert_documents(fresh, model, sources or {})
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        if result.added or result.replaced:
            self._dedup_later([d.doc_id for d in docs])
        return result

    @contextmanager
    def deferred_dedup(self, every: int = DEDUP_EVERY) -> Iterator[Store]:
        """Within this block, writes are deduplicated every ``every`` documents and at
        the end, not after each batch: a refresh re-clusters every stored event of the
        keys it touches, so refreshing per batch would grow with the store.

        Documents a killed run wrote but never deduplicated are picked up here."""
        # dedup imports pandas: only writers that deduplicate pay for it
        from diurna.store.dedup import index_is_current, pending_documents

        self._deferred = [] if index_is_current(self.con) else pending_documents(self.con)
        self._dedup_every = every
        try:
            yield self
        finally:
            pending, self._deferred = self._deferred, None
            self._refresh(pending)

    def _dedup_later(self, doc_ids: list[str]) -> None:
        if self._deferred is None:
            self._refresh(doc_ids)
            return
        self._deferred.extend(doc_ids)
        if len(self._deferred) >= self._dedup_every:
            pending, self._deferred = self._deferred, []
            self._refresh(pending)

    def _refresh(self, doc_ids: list[str]) -> None:
        fingerprints, self._fingerprints = self._fingerprints, {}
        if doc_ids:
            # dedup imports pandas: only writers that deduplicate pay for it
            from diurna.store.dedup import refresh_dedup   # links near duplicates, clusters the new events
            refresh_dedup(self.con, list(dict.fromkeys(doc_ids)), fingerprints=fingerprints)

    def forget_skips(self, files: Iterable[str]) -> None:
        """Drop the skip records of files read again: the new reading reports what still fails."""
        files = list(files)
        if files:
            self.con.execute("DELETE FROM skipped WHERE regexp_replace(location, ':[0-9]+$', '') "
                             "IN (SELECT unnest(?))", [files])

    def record_skips(self, skips: Iterable[Skip]) -> None:
        rows = [(s.where, s.doc_id, s.reason, s.text, _now()) for s in skips]
        if rows:
            self.con.executemany("INSERT INTO skipped VALUES (?, ?, ?, ?, ?)", rows)

    def _delete_document(self, doc_id: str) -> None:
        self.con.execute("DELETE FROM event_actors WHERE event_id IN "
                         "(SELECT event_id FROM events WHERE doc_id = ?)", [doc_id])
        for table in ("events", "actor_mentions", "documents"):
            self.con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])

    def _insert_documents(self, fresh: list[tuple[CodedDocument, str]], model: str | None,
                          sources: dict[str, str]) -> None:
        """Bulk inserts: one statement per table for the whole batch (row-by-row
        executemany cost ~24 ms a document)."""
        now = _now()
        # one microsecond apart, so "coded first" keeps the batch's order (dedup's originals)
        rows: dict[str, list[tuple[Any, ...]]] = {
            "documents": [(d.doc_id, digest, d.published, d.url, d.title, sources.get(d.doc_id), d.text,
                           model, now + timedelta(microseconds=i), len(d.events), list(d.notes), d.language)
                          for i, (d, digest) in enumerate(fresh)],
            "actor_mentions": [(d.doc_id, a.start, a.end, a.text, a.code, a.sector, a.name, a.office,
                                a.wikidata) for d, _ in fresh for a in d.actors],
            "events": [event_row(d.doc_id, e) for d, _ in fresh for e in d.events],
            "event_actors": [row for d, _ in fresh for e in d.events for row in entity_rows(e)],
        }
        for table, table_rows in rows.items():
            if table_rows:
                self._bulk_insert(table, table_rows)

    def _bulk_insert(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        columns = self._columns.get(table)
        if columns is None:
            columns = self._columns[table] = [r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall()]
        # an Arrow table, built column by column, goes into DuckDB faster than a DataFrame
        batch = pa.table({name: list(values) for name, values in zip(columns, zip(*rows))})
        self.con.register("_diurna_batch", batch)
        try:
            self.con.execute(f"INSERT INTO {table} SELECT * FROM _diurna_batch")
        finally:
            self.con.unregister("_diurna_batch")

    # -- reads ----------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "events", "actor_mentions", "skipped"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        return out

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower() and time.monotonic() < deadline:
                time.sleep(min(0.25, max(0.0, deadline - time.monotonic())))
                continue
            raise StoreError(f"{path}: cannot open the event store ({exc}). Is another `diurna code`, "
                             "`watch` or `serve` using it? Give --wait SECONDS to wait for it") from None
        except duckdb.Error as exc:
            raise StoreError(f"{path}: cannot open the event store ({exc}); if the file is damaged, code "
                             "the documents into a new store") from None


def _refuse_newer(path: str, done: set[str]) -> None:
    """A store migrated by a newer Diurna has tables this one does not know how to keep."""
    unknown = sorted(done - {name for name, _ in MIGRATIONS})
    if unknown:
        raise StoreError(f"{path}: written by a newer Diurna (migration {unknown[-1]}); "
                         "upgrade Diurna to use this store")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
