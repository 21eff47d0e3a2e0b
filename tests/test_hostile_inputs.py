"""Hostile files and stores: each case here broke a run before (tests/hostile/ holds the
static cases; the ones a checkout cannot carry — a FIFO, a file name that is not UTF-8,
a damaged store, a large or endless input — are made in a temporary folder)."""
from __future__ import annotations

import gzip
import json
import os
import time

import duckdb
import pytest

from diurna.cli import EXIT_OK, EXIT_SKIPPED, main
from diurna.errors import StoreError
from diurna.ingest.files import MAX_LINE_CHARS, WHOLE_FILE_BYTES, decode_bytes, read_inputs, read_path
from diurna.records import Article, Skip
from diurna.store.database import Store

REPORT = "Portugal's foreign minister met his Spanish counterpart in Lisbon on Monday, officials said."


def articles(items):
    return [i for i in items if isinstance(i, Article)]


def skips(items):
    return [i for i in items if isinstance(i, Skip)]


# -- files --------------------------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_read_and_stored(tmp_path):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9-report.txt"), "w") as handle:
        handle.write("Date: 2024-05-06\n\n" + REPORT)
    db = tmp_path / "s.duckdb"
    assert main(["code", str(tmp_path / "in"), "--db", str(db), "--quiet"]) == EXIT_OK
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT doc_id FROM documents").fetchall() == [("caf\\xe9-report",)]


def test_a_fifo_in_an_input_folder_is_reported_not_waited_for(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Date: 2024-05-06\n\n" + REPORT)
    os.mkfifo(tmp_path / "in" / "b.txt")
    started = time.monotonic()
    items = list(read_inputs([str(tmp_path / "in")]))
    assert time.monotonic() - started < 5
    assert len(articles(items)) == 1
    assert "not a regular file" in skips(items)[0].reason


def test_one_csv_field_over_the_limit_costs_only_its_row(tmp_path):
    path = tmp_path / "rows.csv"
    huge = "x" * (4 * 1_000_000 + 10)
    path.write_text(f'id,text\na,"{REPORT}"\nb,"{huge}"\nc,"{REPORT}"\n', encoding="utf-8")
    items = list(read_path(str(path)))
    assert [a.doc_id for a in articles(items)] == ["a", "c"]
    assert any("malformed CSV" in s.reason or "too long" in s.reason for s in skips(items))


def test_a_duplicate_id_batches_apart_does_not_replace_the_first(tmp_path):
    lines = [{"id": f"d{n}", "text": REPORT.replace("Monday", f"day {n}"), "published": "2024-05-06"}
             for n in range(70)]
    lines.append({"id": "d0", "text": "An entirely different text about Chad and Niger meeting in Niamey.",
                  "published": "2024-05-06"})
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    db = tmp_path / "s.duckdb"
    assert main(["code", str(path), "--db", str(db), "--quiet"]) == EXIT_SKIPPED
    with Store(db, read_only=True) as store:
        text = store.con.execute("SELECT text FROM documents WHERE doc_id = 'd0'").fetchall()[0][0]
        reasons = [r[0] for r in store.con.execute("SELECT reason FROM skipped").fetchall()]
    assert "day 0" in text
    assert any("duplicate document id 'd0'" in r for r in reasons)


def test_one_invalid_trailing_byte_keeps_utf8():
    text = decode_bytes("Kyiv’s mayor said on Monday that Russia’s drones hit the city.".encode() + b"\xe2\x80")
    assert text.startswith("Kyiv’s mayor") and text.endswith("\ufffd")


@pytest.mark.parametrize("mark", ["\u200b", "\u200e", "\u202b", "\ufeff", "\u2066"])
def test_invisible_characters_next_to_a_name_keep_the_actor(coder, mark):
    from diurna.ingest.articles import make_article

    text = f"{mark}Russia{mark} attacked Ukraine on Monday, Kyiv said."
    article = make_article("x", "x", text, "2024-05-06", None, None)
    assert len(article.text) == len(text)          # offsets into the text stay right
    events = next(coder.code_articles([article])).events
    assert [(e.event, e.actor[0].code) for e in events] == [("ASSAULT", "RUS")]


# -- large inputs: read as streams, never past their limit ----------------------------
@pytest.mark.slow
def test_a_gzip_bomb_is_skipped_after_reading_the_limit(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        chunk = b"a" * (1 << 20)
        for _ in range((WHOLE_FILE_BYTES >> 20) + 8):
            handle.write(chunk)
    items = list(read_path(str(path)))
    assert [s.reason.split(" (")[0] for s in skips(items)] == ["document too long"]


@pytest.mark.slow
def test_a_giant_json_line_is_skipped_and_the_other_lines_read(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "first", "text": REPORT}) + "\n")
        handle.write('{"id": "giant", "text": "' + "a" * (WHOLE_FILE_BYTES + MAX_LINE_CHARS) + '"}\n')
        handle.write(json.dumps({"id": "last", "text": REPORT}) + "\n")
    items = list(read_path(str(path)))
    assert [a.doc_id for a in articles(items)] == ["first", "last"]
    assert [s.where for s in skips(items)] == [f"{path}:2"]


# -- stores ---------------------------------------------------------------------------
def test_a_store_from_a_newer_diurna_is_refused(tmp_path):
    db = tmp_path / "s.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', now())")
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="newer Diurna.*9999_from_the_future"):
            Store(db, read_only=read_only)


def test_a_damaged_store_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    db.write_bytes(b"DUCK" + os.urandom(300_000))
    assert main(["events", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("diurna: error:") and "Traceback" not in err


def test_limits_must_be_positive(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["events", "--limit", "-1"])
    assert stop.value.code == 2 and "positive" in capsys.readouterr().err


# -- a budget per document ------------------------------------------------------------
def test_a_document_over_its_time_budget_is_skipped_and_the_others_coded(tmp_path, monkeypatch):
    """The budget is made tiny here, so that the long document overruns it."""
    long = " ".join(f"Kenya's police arrested {n} protesters in Nairobi on Monday, officials said."
                    for n in range(400))
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "before", "text": REPORT, "published": "2024-05-06"},
        {"id": "long", "text": long, "published": "2024-05-06"},
        {"id": "after", "text": REPORT.replace("Monday", "Tuesday"), "published": "2024-05-06"}]))
    db = tmp_path / "s.duckdb"
    assert main(["code", str(path), "--db", str(db), "--quiet", "--max-seconds-per-doc", "0.05"]) == EXIT_SKIPPED
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall() == [("after",), ("before",)]
        reason = store.con.execute("SELECT reason FROM skipped").fetchall()[0][0]
    assert reason.startswith("document took too long (over 0.05 s, --max-seconds-per-doc)")


@pytest.mark.slow
def test_a_document_that_runs_out_of_memory_is_skipped_and_the_others_stored(tmp_path):
    """A document whose coding exhausts memory (made to, by tests/hooks: very long documents
    are coded in windows and no longer run out) costs only itself in an in-process run."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a", "text": REPORT, "published": "2024-05-06"},
        {"id": "big", "text": REPORT.replace("Monday", "Sunday"), "published": "2024-05-06"},
        {"id": "b", "text": REPORT.replace("Monday", "Tuesday"), "published": "2024-05-06"}]))
    db = tmp_path / "m.duckdb"
    hooks = str(Path(__file__).resolve().parent / "hooks")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [hooks, os.environ.get("PYTHONPATH")])),
           "DIURNA_TEST_EXHAUST": "big"}
    result = subprocess.run([sys.executable, "-m", "diurna", "code", str(path), "--db", str(db), "--quiet"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == EXIT_SKIPPED, result.stderr[-2000:]
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall() == [("a",), ("b",)]
        skipped = store.con.execute("SELECT doc_id, reason FROM skipped").fetchall()
    assert [d for d, _ in skipped] == ["big"] and "MemoryError" in skipped[0][1]


@pytest.mark.slow
def test_a_very_long_document_is_coded_in_windows_with_offsets_into_the_whole_text(coder):
    from diurna.events.coder import WINDOW_CHARS, windows

    sentence = "Kenya's police arrested {n} protesters in Nairobi on Monday, officials said. "
    text = "".join(sentence.format(n=n) for n in range(int(2.5 * WINDOW_CHARS) // len(sentence)))
    runs = windows(text, WINDOW_CHARS)
    assert len(runs) == 3 and runs[0][0] == 0 and runs[-1][1] == len(text)
    assert all(a == b for (_, a), (b, _) in zip(runs, runs[1:]))
    doc = coder.code(text, published="2024-05-06", doc_id="long")
    assert doc.text == text
    assert {next(i for i, (s, e) in enumerate(runs) if s <= ev.sentence.start < e) for ev in doc.events} == {0, 1, 2}
    assert {text[e.sentence.start:e.sentence.end] == e.sentence.text for e in doc.events} == {True}
    assert {text[e.trigger.start:e.trigger.end] == e.trigger.text for e in doc.events} == {True}
    assert {text[a.start:a.end] == a.text for a in doc.actors} == {True}
    assert len({e.id for e in doc.events}) == len(doc.events)
    assert doc.notes[0].startswith("coded in 3 windows")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["one huge sentence", "no punctuation", "deep nesting", "repeated names"])
def test_pathological_documents_are_coded_within_bounds(coder, kind):
    """Each near the length limit, each coded in bounded time (windows keep memory bounded:
    benchmarks/long_docs.py measures it)."""
    countries = ["Kenya", "Ethiopia", "France", "Germany", "Brazil", "Japan", "India", "Egypt", "Chile", "Peru"]
    text = {
        "one huge sentence": "The ministers of " + ", ".join(countries[n % 10] for n in range(40_000)) + " met.",
        "no punctuation": " ".join(f"the minister of {countries[n % 10]} said the talks would go on"
                                   for n in range(6_000)),
        "deep nesting": "Kenya said " + "(" * 150_000 + "Ethiopia attacked Somalia" + ")" * 150_000 + ".",
        "repeated names": " ".join(["Kenya Ethiopia France"] * 20_000) + " met in Nairobi.",
    }[kind]
    assert 200_000 < len(text) <= 1_000_000
    started = time.monotonic()
    doc = coder.code(text, published="2024-05-06")
    assert time.monotonic() - started < 120
    assert doc.text == text and doc.notes[0].startswith("coded in")
