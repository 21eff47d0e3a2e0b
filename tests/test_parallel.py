"""Coding in partitions on local processes and on a real local Dask cluster.

The cluster is started here (two worker processes); the failure tests use the hooks of
tests/hooks/sitecustomize.py, which every worker process started by these tests loads.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import duckdb
import pytest

from diurna.cli import main
from diurna.settings import DEFAULT_MODEL
from diurna.events.spec import CoderSpec
from diurna.run.backends import make_backend
from diurna.run.driver import code_inputs
from diurna.store.database import Store

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed", reason="needs pip install 'diurna[dask]'")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
PARTITION = 4          # small partitions, so ~20 documents make several
# Our own short documents, added to the sample articles.
EXTRA = [
    "Norway's foreign minister met her Swedish counterpart in Stockholm on Monday.",
    "Sweden criticised Denmark over the new border checks.",
    "Norway will send medical supplies to Finland next week.",
    "Police arrested dozens of protesters outside the parliament in Tbilisi.",
    "Japan and South Korea agreed to resume security talks.",
    "The European Union imposed new sanctions on Russia.",
    "Turkey hosted talks between Russian and Ukrainian delegations in Istanbul.",
    "Israeli aircraft struck targets in southern Lebanon overnight.",
    "China's coast guard fired water cannon at a Philippine supply boat.",
    "The United States pledged further military aid to Ukraine.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "docs.jsonl"
    records = [{"id": f.stem, "text": f.read_text(encoding="utf-8").split("\n\n", 1)[1],
                "published": f.name[:10]} for f in sorted(EXAMPLES.glob("*.txt"))]
    records += [{"id": f"extra-{n:02d}", "text": text, "published": "2025-03-01"}
                for n, text in enumerate(EXTRA)]
    # a republished copy of the first article (one line added): deduplication links it
    records.append({**records[0], "id": "republished", "text": records[0]["text"] + "\nReporting by staff."})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def doc_ids(corpus) -> list[str]:
    return [json.loads(line)["id"] for line in corpus.read_text().splitlines()]


HOOKS = Path(__file__).resolve().parent / "hooks"


@pytest.fixture(scope="module", autouse=True)
def failure_hooks():
    """Worker processes started from here on load the failure hooks (before the cluster starts)."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HOOKS), before]))
    yield
    if before is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = before


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        with distributed.Client(local) as client:
            yield local.scheduler_address, client


@pytest.fixture(scope="module")
def baseline(corpus, tmp_path_factory) -> dict:
    """The in-process run, through the CLI."""
    db = tmp_path_factory.mktemp("inprocess") / "store.duckdb"
    assert main(["code", str(corpus), "--db", str(db), "--quiet"]) == 0
    return store_contents(db)


def store_contents(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    queries = {
        "documents": "SELECT doc_id, content_hash, published, n_events, notes FROM documents ORDER BY doc_id",
        "events": "SELECT * FROM events ORDER BY event_id",
        "event_actors": "SELECT * FROM event_actors ORDER BY event_id, role, position",
        "actor_mentions": 'SELECT * FROM actor_mentions ORDER BY doc_id, start, "end"',
        "fingerprints": "SELECT doc_id, band, bucket FROM document_lsh ORDER BY doc_id, band",
        "links": "SELECT * FROM document_links ORDER BY doc_id",
        "clusters": "SELECT event_id, cluster_id, counted FROM event_clusters ORDER BY event_id",
    }
    try:
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        con.close()


def run(corpus: Path, db: Path, **options):
    with Store(db) as store:
        return code_parallel([str(corpus)], CoderSpec(DEFAULT_MODEL), store,
                             partition_size=PARTITION, **options)


def code_parallel(inputs, spec, store=None, workers=None, scheduler=None, **options):
    """The driver on the backend `diurna code --workers/--scheduler` would make."""
    return code_inputs(inputs, make_backend(spec, workers, scheduler), store, **options)


def set_worker_env(client, **values: str) -> None:
    """Set (or with "" clear) environment variables in every Dask worker process."""
    def apply():
        for key, value in values.items():
            if value:
                os.environ[key] = value
            else:
                os.environ.pop(key, None)
    client.run(apply)


@pytest.fixture
def worker_env(cluster, monkeypatch):
    """Set test hooks for local workers (inherited) and Dask workers (set in place)."""
    _, client = cluster
    names = []

    def setenv(**values: str) -> None:
        names.extend(values)
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        set_worker_env(client, **values)

    yield setenv
    set_worker_env(client, **{name: "" for name in names})


def backend_options(kind: str, cluster) -> dict:
    return {"workers": 2} if kind == "workers" else {"scheduler": cluster[0]}


# -- identical output ------------------------------------------------------------------
def test_same_output_in_process_with_workers_and_on_the_cluster(corpus, baseline, cluster, tmp_path):
    assert baseline["events"], "the corpus should yield events"
    assert [link[:2] for link in baseline["links"]] == [("republished", baseline["documents"][0][0])]
    for kind in ("workers", "scheduler"):
        db = tmp_path / f"{kind}.duckdb"
        summary = run(corpus, db, **backend_options(kind, cluster))
        assert summary.partitions > 1 and not summary.failed and not summary.skipped
        assert store_contents(db) == baseline, f"{kind} output differs from in-process"


def test_workers_fingerprint_the_documents_for_the_driver(corpus, monkeypatch, tmp_path):
    from diurna.store import dedup

    shingled = []
    monkeypatch.setattr(dedup, "shingles", lambda text: shingled.append(text) or set(text.split()))
    run(corpus, tmp_path / "w.duckdb", workers=1)
    # the driver shingles only the one candidate pair, to measure its similarity exactly
    assert len(shingled) == 2


def test_cli_workers_and_parquet_dataset(corpus, baseline, cluster, tmp_path):
    db, out = tmp_path / "cli.duckdb", tmp_path / "parquet"
    assert main(["code", str(corpus), "--db", str(db), "--scheduler", cluster[0],
                 "--out-parquet", str(out), "--quiet"]) == 0
    assert store_contents(db) == baseline
    con = duckdb.connect()
    ids = con.execute(f"SELECT event_id FROM read_parquet('{out}/events/*.parquet') "
                      "ORDER BY event_id").fetchall()
    assert [r[0] for r in ids] == [r[0] for r in baseline["events"]]
    actors = con.execute(f"SELECT actor FROM read_parquet('{out}/events/*.parquet') LIMIT 1").fetchone()[0]
    assert actors and {"code", "sector", "entity_text"} <= set(actors[0])
    n_docs = con.execute(f"SELECT count(*) FROM read_parquet('{out}/documents/*.parquet')").fetchone()[0]
    assert n_docs == len(baseline["documents"])


# -- failures --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["workers", "scheduler"])
def test_partition_failing_once_is_retried(kind, corpus, baseline, cluster, worker_env, tmp_path):
    worker_env(DIURNA_TEST_FAIL_ONCE=f"1:{tmp_path}")
    db = tmp_path / "store.duckdb"
    summary = run(corpus, db, **backend_options(kind, cluster))
    assert summary.retried == 1 and not summary.failed
    assert store_contents(db) == baseline


def test_partition_always_failing_is_reported_and_the_rest_completes(corpus, doc_ids, baseline,
                                                                     cluster, worker_env, tmp_path):
    worker_env(DIURNA_TEST_FAIL_PARTITION="2")
    db = tmp_path / "store.duckdb"
    summary = run(corpus, db, scheduler=cluster[0], retries=1)
    lost = doc_ids[2 * PARTITION:3 * PARTITION]
    assert [(f.index, f.attempts, f.doc_ids) for f in summary.failed] == [(2, 2, lost)]
    assert summary.coded == len(doc_ids) - PARTITION
    stored = store_contents(db)
    assert [r[0] for r in stored["documents"]] == sorted(set(doc_ids) - set(lost))
    con = duckdb.connect(str(db), read_only=True)
    skipped = con.execute("SELECT doc_id, reason FROM skipped ORDER BY doc_id").fetchall()
    con.close()
    assert [d for d, _ in skipped] == sorted(lost)
    assert all(reason.startswith("partition failed after 2 attempts") for _, reason in skipped)


@pytest.mark.parametrize("kind", ["workers", "scheduler"])
def test_poisoned_document_does_not_sink_its_partition(kind, corpus, doc_ids, baseline, cluster,
                                                       worker_env, tmp_path):
    poisoned = doc_ids[5]          # in partition 1, with three healthy neighbours
    worker_env(DIURNA_TEST_POISON=poisoned)
    db = tmp_path / "store.duckdb"
    summary = run(corpus, db, **backend_options(kind, cluster))
    assert not summary.failed
    assert [s.doc_id for s in summary.skipped] == [poisoned]
    assert "coding failed" in summary.skipped[0].reason
    stored = store_contents(db)
    expected_events = [e for e in baseline["events"] if e[1] != poisoned]
    assert stored["events"] == expected_events
    assert [r[0] for r in stored["documents"]] == sorted(set(doc_ids) - {poisoned})


def test_missing_dask_names_the_install_command(monkeypatch, corpus):
    from diurna.errors import MissingExtra

    monkeypatch.setitem(sys.modules, "distributed", None)      # import fails
    with pytest.raises(MissingExtra, match=r"pip install 'diurna\[dask\]'"):
        code_parallel([str(corpus)], CoderSpec(DEFAULT_MODEL), scheduler="tcp://127.0.0.1:1")


def test_model_that_cannot_load_fails_before_any_partition(corpus, tmp_path):
    from diurna.errors import ModelError

    with pytest.raises(ModelError, match="no_such_model"):
        code_parallel([str(corpus)], CoderSpec("no_such_model"), workers=1)


def test_pool_starts_every_worker_at_once_with_the_model_out_of_the_collector():
    import gc
    import multiprocessing

    from diurna.run.backends import PoolBackend

    before = set(multiprocessing.active_children())
    backend = PoolBackend(2, CoderSpec(DEFAULT_MODEL))
    try:
        # both processes exist before any partition is sent (a pool would start the
        # second only when a second task arrives, a model load later)
        assert len(set(multiprocessing.active_children()) - before) == 2
        frozen = [backend._pool.submit(gc.get_freeze_count).result() for _ in range(2)]
        assert min(frozen) > 50_000         # the loaded pipeline and knowledge base
    finally:
        backend.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_worker_unpins_the_malloc_thresholds_dask_sets():
    import subprocess

    check = "from diurna.run.worker import unpin_malloc_thresholds as u; print(u())"
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    pinned = subprocess.run([sys.executable, "-c", check], env={**env, "MALLOC_TRIM_THRESHOLD_": "65536"},
                            capture_output=True, text=True, check=True).stdout.strip()
    default = subprocess.run([sys.executable, "-c", check], env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
    assert (pinned, default) == ("True", "False")
