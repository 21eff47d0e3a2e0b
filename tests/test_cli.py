"""The CLI end to end on the bundled sample articles, with the real model and a real store."""
from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from conftest import REPO, SAMPLES
from diurna.cli import main

pytestmark = pytest.mark.slow

EVENT_KEYS = {"id", "event", "mode", "context", "cameo", "aux", "date", "trigger", "sentence",
              "actor", "recipient", "event_loc", "confidence"}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    out = db.with_suffix(".jsonl")
    assert main(["code", str(SAMPLES), "--db", str(db), "--jsonl", str(out), "--quiet"]) == 0
    return db, out


def test_code_writes_one_jsonl_line_per_document(sample_db):
    _, out = sample_db
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == len(list(SAMPLES.glob("*.txt")))
    for record in lines:
        assert {"doc_id", "published", "actors", "events"} <= set(record)
        for actor in record["actors"]:
            assert {"text", "start", "end", "code", "sector"} <= set(actor)
        for event in record["events"]:
            assert EVENT_KEYS <= set(event)
            assert all({"code", "sector", "entity_text"} <= set(a) for a in event["actor"])
            assert 0 <= event["confidence"] <= 1


def test_offsets_point_into_the_text(sample_db):
    _, out = sample_db
    texts = {}
    for path in SAMPLES.glob("*.txt"):
        from diurna.ingest.files import read_path
        article = next(read_path(str(path)))
        texts[article.doc_id] = article.text
    for record in map(json.loads, out.read_text().splitlines()):
        text = texts[record["doc_id"]]
        for actor in record["actors"]:
            assert text[actor["start"]:actor["end"]] == actor["text"]
        for event in record["events"]:
            for span in (event["trigger"], event["sentence"]):
                assert text[span["start"]:span["end"]] == span["text"]


def test_second_run_adds_nothing(sample_db, capsys):
    db, _ = sample_db
    before = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM events").fetchall()
    assert main(["code", str(SAMPLES), "--db", str(db)]) == 0
    assert "already stored: " + str(len(list(SAMPLES.glob("*.txt")))) in capsys.readouterr().err
    after = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM events").fetchall()
    assert before == after


def test_seed_article_events(sample_db, capsys):
    db, _ = sample_db
    assert main(["events", "--db", str(db), "--actor", "KOR", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    partners = {code for row in rows for code in row["recipient"] or []}
    assert {"USA", "JPN"} <= partners or {"NATO"} <= partners


def test_events_table_shows_evidence(sample_db, capsys):
    db, _ = sample_db
    assert main(["events", "--db", str(db), "--event", "ASSAULT"]) == 0
    out = capsys.readouterr().out
    assert "ASSAULT" in out and "“" in out


def test_events_rejects_unknown_type(sample_db, capsys):
    db, _ = sample_db
    assert main(["events", "--db", str(db), "--event", "HUG"]) == 2
    assert "unknown PLOVER type HUG" in capsys.readouterr().err


@pytest.mark.parametrize("option, value, message", [
    ("--aux", "bogus", "aux: 'bogus' is not an auxiliary mode; use none, future, hypothetical, negation, historical"),
    ("--quad", "5", "quad: '5' is not a quad class; use 1, 2, 3 or 4"),
    ("--event", "HUG", "event: unknown PLOVER type HUG"),
])
def test_bad_filter_values_are_usage_errors_with_the_apis_message(sample_db, capsys, option, value, message):
    """One parser for the CLI and the API: the same bad value, the same message (422 there)."""
    db, _ = sample_db
    for command in ("events", "dyads", "actors", "export"):
        extra = ["--format", "csv"] if command == "export" else []
        assert main([command, "--db", str(db), option, value, *extra]) == 2, command
        assert message in capsys.readouterr().err
    from diurna.errors import FilterError
    from diurna.store.query import Filters

    with pytest.raises(FilterError, match=message.split(";")[0]):
        Filters.parse(**{option[2:]: value})


def test_actor_file_with_a_bad_date_names_file_entry_and_field(tmp_path, capsys):
    actors = tmp_path / "mine.yaml"
    actors.write_text("people:\n  - name: Jane Roe\n    roles:\n"
                      "      - {code: NOR, sector: GOV, office: Minister, start: 2024-13-01}\n")
    doc = tmp_path / "a.txt"
    doc.write_text("Date: 2025-01-02\n\nJane Roe met officials in Oslo.\n")
    assert main(["code", str(doc), "--no-db", "--actors", str(actors), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert (f"{actors}: people entry 1 (Jane Roe): roles[1].start: got '2024-13-01'; "
            "expected a date in YYYY-MM-DD form") in err


def test_console_script_reads_stdin(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "diurna", "code", "-", "--no-db", "--jsonl", "-", "--date", "2025-03-03"],
        input="Canada sent humanitarian aid to Sudan.", capture_output=True, text=True, cwd=REPO,
        timeout=120)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["published"] == "2025-03-03"
    assert any(e["event"] == "AID" for e in record["events"])


def test_default_db_from_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIURNA_DB", str(tmp_path / "env.duckdb"))
    (tmp_path / "a.txt").write_text("Date: 2025-03-03\n\nCanada sent humanitarian aid to Sudan.\n")
    assert main(["code", str(tmp_path / "a.txt"), "--quiet"]) == 0
    assert (tmp_path / "env.duckdb").exists()


def test_documents_without_a_date_are_coded_and_reported(tmp_path, capsys):
    path = tmp_path / "undated.txt"
    path.write_text("Russia attacked Ukraine on Monday.\n")
    assert main(["code", str(path), "--no-db"]) == 0
    err = capsys.readouterr().err
    assert "coded: 1" in err and "without a publication date: 1" in err and "undated.txt" in err


def test_version_and_a_missing_input_before_any_store(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("diurna ")
    db = tmp_path / "never.duckdb"
    assert main(["code", str(tmp_path / "nowhere"), "--db", str(db)]) == 1
    assert "nowhere: no such file or folder" in capsys.readouterr().err
    assert not db.exists()
