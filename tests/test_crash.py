"""Kill-and-resume: `diurna code` killed with SIGKILL at random moments, then run again to the
end, stores exactly what one uninterrupted run stores — no event lost, none doubled.

The corpus (~150 documents, so several write batches) is made from examples/articles.
Set DIURNA_CRASH_SEED to replay a failing schedule.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diurna.store.database import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
SEED = int(os.environ.get("DIURNA_CRASH_SEED", "20240506"))
KILLS = 6

pytestmark = pytest.mark.slow


def article_bodies() -> list[tuple[str, str]]:
    """(date, body) of each example article."""
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        out.append((head.splitlines()[0].removeprefix("Date:").strip(), body.strip()))
    return out


def make_corpus(folder: Path) -> Path:
    """110 JSON Lines records, 40 text files and a few bad inputs: variants of the examples
    with their sentences rotated, so every document has its own text."""
    folder.mkdir()
    bodies = article_bodies()
    docs = []
    for i in range(150):
        published, body = bodies[i % len(bodies)]
        sentences = body.split(". ")
        turn = (i // len(bodies)) % len(sentences)
        docs.append((f"doc{i:03d}", published, ". ".join(sentences[turn:] + sentences[:turn])))
    with open(folder / "batch.jsonl", "w", encoding="utf-8") as out:
        for doc_id, published, text in docs[:110]:
            out.write(json.dumps({"id": doc_id, "date": published, "text": text}) + "\n")
        out.write("{not json\n")
    for doc_id, published, text in docs[110:]:
        (folder / f"{doc_id}.txt").write_text(f"Date: {published}\n\n{text}\n", encoding="utf-8")
    (folder / "empty.txt").write_text("")
    return folder


def code_command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "diurna", "code", str(corpus), "--db", str(db), "--quiet"]


def run_to_end(corpus: Path, db: Path) -> float:
    start = time.monotonic()
    result = subprocess.run(code_command(corpus, db), capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr          # 3: completed, with the bad inputs skipped
    return time.monotonic() - start


def kill_at(corpus: Path, db: Path, after: float) -> bool:
    """Start a run and SIGKILL it after ``after`` seconds; True if it was still running."""
    proc = subprocess.Popen(code_command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def snapshot(db: Path) -> dict:
    """Everything a run stores, as sorted rows (duplicates would show as repeated rows)."""
    queries = {
        "documents": "SELECT doc_id, content_hash, published, n_events FROM documents",
        "events": "SELECT event_id, doc_id, event, trigger_start, trigger_end, date FROM events",
        "event_actors": "SELECT event_id, role, position, code FROM event_actors",
        "actor_mentions": 'SELECT doc_id, start, "end", code FROM actor_mentions',
        "skipped": "SELECT location, reason FROM skipped",
    }
    with Store(db, read_only=True) as store:
        return {name: sorted(map(repr, store.con.execute(sql).fetchall())) for name, sql in queries.items()}


def test_sigkill_at_random_moments_then_resume_gives_the_uninterrupted_result(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    reference_db, crashed_db = tmp_path / "reference.duckdb", tmp_path / "crashed.duckdb"
    full_time = run_to_end(corpus, reference_db)
    expected = snapshot(reference_db)
    assert len(expected["documents"]) == 150 and len(expected["events"]) > 100

    rng = random.Random(SEED)
    moments = sorted(rng.uniform(0.1, full_time) for _ in range(KILLS))
    killed = [kill_at(corpus, crashed_db, after) for after in moments]
    assert any(killed), f"no run was killed (seed {SEED}, moments {moments})"
    run_to_end(corpus, crashed_db)

    got = snapshot(crashed_db)
    for table in expected:
        assert got[table] == expected[table], f"{table} differs (seed {SEED}, kills at {moments})"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pids: list[int]) -> list[int]:
    return [p for p in pids if os.path.exists(f"/proc/{p}") and
            "zombie" not in open(f"/proc/{p}/status").read().lower()]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_killing_a_workers_driver_ends_its_workers(tmp_path, signum):
    corpus = make_corpus(tmp_path / "corpus")
    process = subprocess.Popen([sys.executable, "-m", "diurna", "code", str(corpus), "--workers", "2",
                                "--db", str(tmp_path / "w.duckdb"), "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [p for p in _children(process.pid)
                   if "diurna" in open(f"/proc/{p}/cmdline").read() or "multiprocessing" in open(f"/proc/{p}/cmdline").read()]
        time.sleep(0.2)
    assert workers, "the driver started no workers"
    time.sleep(1.0)
    process.send_signal(signum)
    process.wait(timeout=30)
    if signum == signal.SIGTERM:
        assert "Traceback" not in process.stderr.read().decode()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(workers):
        time.sleep(0.2)
    assert not _alive(workers), f"workers still running after the driver ended: {_alive(workers)}"


def test_ctrl_c_on_a_workers_run_prints_no_traceback(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    process = subprocess.Popen([sys.executable, "-m", "diurna", "code", str(corpus), "--workers", "2",
                                "--db", str(tmp_path / "w.duckdb"), "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_children(process.pid)) < 2:
        time.sleep(0.2)
    time.sleep(1.0)                                # the workers are coding
    assert process.poll() is None, "the run ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)          # as a terminal's Ctrl-C: the whole group
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err.decode(), err.decode()[-2000:]
