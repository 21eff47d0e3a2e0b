"""The DuckDB store: migrations recorded, idempotent writes, re-coding changed documents."""
from __future__ import annotations

import duckdb

import pytest

from diurna.records import ActorRef, CodedDocument, Entity, Event, Span
from diurna.store.migrations import MIGRATIONS
from diurna.store.database import Store


def _doc(doc_id="d1", text="Canada sent aid to Sudan.", event_type="AID"):
    event = Event(id=f"{doc_id}-e1", event=event_type,
                  actor=(Entity("CAN", None, "Canada"),), recipient=(Entity("SDN", None, "Sudan"),),
                  trigger=Span("sent", 7, 11), sentence=Span(text, 0, len(text)),
                  cameo="070", date="2025-03-03", date_precision="day", confidence=0.8,
                  quad_class=2, score=10)
    return CodedDocument(doc_id, "2025-03-03", text,
                         actors=(ActorRef("Canada", 0, 6, "CAN"), ActorRef("Sudan", 19, 24, "SDN")),
                         events=(event,))


def test_migrations_are_recorded_once(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        assert store.migrations() == [name for name, _ in MIGRATIONS]
    with Store(path) as store:
        assert store.migrate() == []          # nothing re-applied
        assert len(store.migrations()) == len(MIGRATIONS)


def test_writing_twice_adds_nothing(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        first = store.write([_doc()])
        second = store.write([_doc()])
        assert (first.added, second.added, second.unchanged) == (1, 0, 1)
        assert store.counts()["events"] == 1
    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute("SELECT role, code FROM event_actors ORDER BY role").fetchall()
    assert rows == [("actor", "CAN"), ("recipient", "SDN")]


def test_changed_document_is_recoded_not_doubled(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write([_doc()])
        result = store.write([_doc(text="Canada sent more aid to Sudan.")])
        assert result.replaced == 1
        assert store.counts() == {"documents": 1, "events": 1, "actor_mentions": 2, "skipped": 0}


def test_actors_are_child_rows_not_strings(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write([_doc()])
        types = dict(store.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'event_actors'").fetchall())
    assert types["code"] == "VARCHAR" and "role" in types


def test_the_event_row_definition_is_the_events_table(tmp_path):
    """store/rows.py is the one definition of an event row: it must be the table the
    migrations build, column for column, type for type."""
    from diurna.store.rows import EVENT_COLUMNS

    with Store(tmp_path / "rows.duckdb") as store:
        table = store.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                  "WHERE table_name = 'events' ORDER BY ordinal_position").fetchall()
    assert table == [(c.name, c.sql) for c in EVENT_COLUMNS]


def test_a_second_writer_waits_for_the_first_or_says_why(tmp_path):
    """DuckDB admits one writing process: another one fails at once, naming the cause and
    --wait, or with a wait, gets the store once the first lets go."""
    import subprocess
    import sys
    import time

    from diurna.errors import StoreError

    db = tmp_path / "busy.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('held', flush=True); time.sleep(2.5)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    try:
        with pytest.raises(StoreError, match="--wait"):
            Store(db)
        started = time.monotonic()
        with Store(db, wait=30) as store:
            assert store.counts()["documents"] == 0
        assert time.monotonic() - started >= 0.5
    finally:
        holder.wait()
