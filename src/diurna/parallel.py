"""Coding on many cores or many machines: partitions go out, coded documents come back,
and only the driver writes.

The driver reads the inputs as a stream in batches of ``WRITE_BATCH`` items, as an
in-process run does, and cuts each batch into partitions of ``PARTITION_SIZE``
documents, numbered in input order, so a partition is the same whatever runs it.
Each worker process loads the Coder once and codes whole partitions. The driver
writes each batch, once all its partitions are back, in input order to the DuckDB
store, JSON Lines and/or a Parquet dataset, so the output is the same in-process,
with ``--workers N`` (a local process pool) or with ``--scheduler`` (a Dask cluster).

A partition that raises is submitted again, up to ``RETRIES`` more times; one that
keeps failing is reported with its documents (recorded as skipped) and the rest of
the job goes on. A document whose coding raises is skipped inside its partition.

Who codes the partitions (this process, local workers, a Dask cluster) is in
backends.py; what a worker receives, codes and sends back is in worker.py, with the
test hooks that make partitions and documents fail.
"""
from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from .backends import make_backend
from .errors import DiurnaError
from .ingest import Skip, read_inputs
from .pipeline import WRITE_BATCH, RunSummary, forget_old_skips, unique_ids
from .schema import CodedDocument
from .store import Store, content_hash
from .worker import CoderSpec, Partition, PartitionResult

# Half a write batch: the job's last partitions then split evenly between workers, and
# coding 32 documents at a time costs no more per document than 64 (measured).
PARTITION_SIZE = WRITE_BATCH // 2
RETRIES = 2                       # attempts after the first


@dataclass
class PartitionFailure:
    index: int
    attempts: int
    error: str
    doc_ids: list[str]


# -- driver side: writing results --------------------------------------------------------
@dataclass
class ParallelSummary(RunSummary):
    partitions: int = 0
    retried: int = 0
    failed: list[PartitionFailure] = field(default_factory=list)
    worker_peak_mb: dict[str, float] = field(default_factory=dict)

    def format(self) -> str:
        lines = [super().format(), f"partitions: {self.partitions}, retried: {self.retried}, "
                                   f"failed: {len(self.failed)}"]
        for failure in self.failed:
            lines.append(f"  partition {failure.index} failed after {failure.attempts} attempts "
                         f"({failure.error}); not coded: {', '.join(failure.doc_ids)}")
        return "\n".join(lines)


class Outputs:
    """Everything the driver writes: store, JSON Lines, Parquet shards."""

    def __init__(self, model: str, store: Store | None = None, jsonl: TextIO | None = None,
                 parquet: "ParquetShards | None" = None):
        self.model, self.store, self.jsonl, self.parquet = model, store, jsonl, parquet

    def write(self, partition: Partition, result: PartitionResult, summary: ParallelSummary) -> None:
        sources = {a.doc_id: a.source for a in partition.articles}
        if self.store is not None:
            written = self.store.write(result.docs, model=self.model, sources=sources,
                                       fingerprints=result.fingerprints)
            summary.unchanged += written.unchanged
            self.store.record_skips(result.skips)
        if self.parquet is not None:
            self.parquet.write(partition.index, result.docs, self.model, sources)
        for doc in result.docs:
            summary.coded += 1
            summary.events_by_type.update(e.event for e in doc.events)
            if self.jsonl is not None:
                self.jsonl.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")

    def record_skips(self, skips: list[Skip]) -> None:
        if self.store is not None:
            self.store.record_skips(skips)


# -- driver side: the job ----------------------------------------------------------------
class _Job:
    """Keeps the backend busy, retries failures and writes results batch by batch, in
    input order."""

    def __init__(self, backend, outputs: Outputs, summary: ParallelSummary, retries: int,
                 on_skip, progress, report):
        self.backend, self.outputs, self.summary, self.retries = backend, outputs, summary, retries
        self.on_skip, self.progress, self.report = on_skip, progress, report
        self.pending: dict = {}                  # future → (partition, attempt)
        self.finished: dict[int, tuple] = {}     # index → (partition, result or failure)
        self.order: list[tuple[int, list[int]]] = []   # (batch, its partitions), not yet written

    def submit(self, batch: int, partitions: list[Partition]) -> None:
        self.order.append((batch, [p.index for p in partitions]))
        for partition in partitions:
            while len(self.pending) >= self.backend.slots or len(self.finished) >= 4 * self.backend.slots:
                self._collect()
            self.summary.partitions += 1
            self._send(partition, 1)

    def finish(self) -> None:
        while self.pending:
            self._collect()

    def _send(self, partition: Partition, attempt: int) -> None:
        self.pending[self.backend.submit(partition)] = (partition, attempt)

    def _collect(self) -> None:
        for future in self.backend.wait(list(self.pending)):
            partition, attempt = self.pending.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                if attempt <= self.retries:
                    self.summary.retried += 1
                    self.report(f"partition {partition.index} failed ({error}); retrying")
                    self._send(partition, attempt + 1)
                    continue
                outcome = PartitionFailure(partition.index, attempt, error,
                                           [a.doc_id for a in partition.articles])
            self.finished[partition.index] = (partition, outcome)
            if isinstance(outcome, PartitionResult):
                self._note_peak(outcome)
            if self.progress:
                self.progress(len(partition.articles))
        self._write_ready()

    def _write_ready(self) -> None:
        while self.order and all(i in self.finished for i in self.order[0][1]):
            batch, indexes = self.order.pop(0)
            outcomes = [self.finished.pop(i) for i in indexes]
            for partition, outcome in outcomes:
                if isinstance(outcome, PartitionFailure):
                    self._fail(partition, outcome)
            done = [(p, r) for p, r in outcomes if not isinstance(r, PartitionFailure)]
            if done:
                self._done(*_merged(batch, done))

    def _done(self, partition: Partition, result: PartitionResult) -> None:
        self.outputs.write(partition, result, self.summary)
        for skip in result.skips:
            self.skip(skip)

    def _fail(self, partition: Partition, failure: PartitionFailure) -> None:
        self.summary.failed.append(failure)
        self.report(f"partition {failure.index} failed after {failure.attempts} attempts "
                    f"({failure.error}); its documents were not coded: {', '.join(failure.doc_ids)}")
        skips = [Skip(a.source or a.doc_id, f"partition failed after {failure.attempts} attempts "
                      f"(partition {failure.index}: {failure.error})", doc_id=a.doc_id, text=a.text)
                 for a in partition.articles]
        self.summary.skipped.extend(skips)
        self.outputs.record_skips(skips)

    def skip(self, skip: Skip) -> None:
        self.summary.skipped.append(skip)
        if self.on_skip:
            self.on_skip(skip)

    def _note_peak(self, result: PartitionResult) -> None:
        if result.peak_rss_mb is not None:
            peaks = self.summary.worker_peak_mb
            peaks[result.worker] = max(peaks.get(result.worker, 0.0), result.peak_rss_mb)


def _merged(batch: int, done: list[tuple[Partition, PartitionResult]]) -> tuple[Partition, PartitionResult]:
    """A batch's coded partitions as one, written in one transaction like an in-process batch."""
    partitions, results = zip(*done)
    articles = tuple(a for p in partitions for a in p.articles)
    return (Partition(batch, articles, partitions[0].spec),
            PartitionResult(batch, [d for r in results for d in r.docs], [s for r in results for s in r.skips],
                            results[0].worker, None,
                            {k: v for r in results for k, v in r.fingerprints.items()}))


def code_parallel(inputs: Iterable[str], spec: CoderSpec, store: Store | None = None,
                  jsonl: TextIO | None = None, default_date: str | None = None, *,
                  workers: int | None = None, scheduler: str | None = None,
                  out_parquet: str | Path | None = None,
                  on_skip: Callable[[Skip], None] | None = None,
                  progress: Callable[[int], None] | None = None,
                  report: Callable[[str], None] | None = None,
                  strict: bool = False, partition_size: int = PARTITION_SIZE,
                  retries: int = RETRIES, backend=None) -> ParallelSummary:
    """Code ``inputs`` in partitions on ``workers`` local processes or a Dask cluster at
    ``scheduler`` (neither: in this process); the driver writes every output.
    ``backend``: one already made by ``make_backend`` (it is closed here)."""
    summary = ParallelSummary()
    try:
        parquet = ParquetShards(out_parquet) if out_parquet else None
        backend = backend or make_backend(spec, workers, scheduler)
    except BaseException:
        if backend is not None:
            backend.close()
        raise
    outputs = Outputs(spec.model, store, jsonl, parquet)
    job = _Job(backend, outputs, summary, retries, on_skip, progress, report or (lambda m: None))
    try:
        with store.deferred_dedup() if store is not None else nullcontext():
            for batch, partitions in _partitions(inputs, spec, default_date, partition_size, summary, job,
                                                 store, skip_known=jsonl is None, strict=strict):
                job.submit(batch, partitions)
            job.finish()
            backend.release()       # before the last deduplication refresh
    finally:
        backend.close()
    return summary


def _partitions(inputs, spec: CoderSpec, default_date, size: int, summary: ParallelSummary, job: _Job,
                store: Store | None, skip_known: bool, strict: bool) -> Iterator[tuple[int, list[Partition]]]:
    """Read batches, as code_run reads them (skips reported, duplicates dropped,
    documents stored with the same text left out), each cut into partitions."""
    items = read_inputs(inputs, default_date)
    files_read: set[str] = set()
    index = 0
    for number, batch in enumerate(iter(lambda: list(islice(items, WRITE_BATCH)), [])):
        skips = [item for item in batch if isinstance(item, Skip)]
        articles = [item for item in batch if not isinstance(item, Skip)]
        summary.read += len(articles)
        summary.undated.extend(a.source or a.doc_id for a in articles if a.published is None)
        if store is not None:
            forget_old_skips(store, batch, files_read)
        for skip in skips:
            job.skip(skip)
        if strict and skips:
            job.outputs.record_skips(skips)
            return
        duplicates: list[Skip] = []
        articles = unique_ids(articles, duplicates.append)
        for skip in duplicates:
            job.skip(skip)
        job.outputs.record_skips(skips + duplicates)
        if store is not None and skip_known:
            known = store.known_hashes([a.doc_id for a in articles])
            todo = [a for a in articles if known.get(a.doc_id) != content_hash(a.text)]
            summary.unchanged += len(articles) - len(todo)
            articles = todo
        if job.progress and len(batch) > len(articles):
            job.progress(len(batch) - len(articles))
        partitions = [Partition(index + n, tuple(articles[start:start + size]), spec, store is not None)
                      for n, start in enumerate(range(0, len(articles), size))]
        if partitions:
            yield number, partitions
        index += len(partitions)


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

    entity = pa.list_(pa.struct([("code", pa.string()), ("sector", pa.string()),
                                 ("entity_text", pa.string())]))
    documents = pa.schema([
        ("doc_id", pa.string()), ("published", pa.date32()), ("url", pa.string()),
        ("title", pa.string()), ("source", pa.string()), ("model", pa.string()),
        ("n_events", pa.int32()), ("notes", pa.list_(pa.string())), ("text", pa.string())])
    events = pa.schema([
        ("event_id", pa.string()), ("doc_id", pa.string()), ("event", pa.string()),
        ("mode", pa.string()), ("context", pa.list_(pa.string())), ("cameo", pa.string()),
        ("aux", pa.string()), ("date", pa.date32()), ("date_precision", pa.string()),
        ("trigger_text", pa.string()), ("trigger_start", pa.int32()), ("trigger_end", pa.int32()),
        ("sentence_text", pa.string()), ("sentence_start", pa.int32()), ("sentence_end", pa.int32()),
        ("loc_name", pa.string()), ("loc_country", pa.string()), ("loc_lat", pa.float64()),
        ("loc_lon", pa.float64()), ("confidence", pa.float64()), ("quad_class", pa.int32()),
        ("score", pa.float64()), ("actor", entity), ("recipient", entity)])
    mentions = pa.schema([
        ("doc_id", pa.string()), ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()),
        ("code", pa.string()), ("sector", pa.string()), ("name", pa.string()),
        ("office", pa.string()), ("wikidata", pa.string())])
    return documents, events, mentions


def _documents_table(docs: list[CodedDocument], model: str, sources: dict):
    import pyarrow as pa

    rows = [{"doc_id": d.doc_id, "published": _date(d.published), "url": d.url, "title": d.title,
             "source": sources.get(d.doc_id), "model": model, "n_events": len(d.events),
             "notes": list(d.notes), "text": d.text} for d in docs]
    return pa.Table.from_pylist(rows, schema=_schemas()[0])


def _events_table(docs: list[CodedDocument]):
    import pyarrow as pa

    rows = []
    for doc in docs:
        for e in doc.events:
            loc = e.event_loc
            rows.append({
                "event_id": e.id, "doc_id": doc.doc_id, "event": e.event, "mode": e.mode,
                "context": list(e.context), "cameo": e.cameo, "aux": e.aux, "date": _date(e.date),
                "date_precision": e.date_precision, "trigger_text": e.trigger.text,
                "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
                "sentence_text": e.sentence.text, "sentence_start": e.sentence.start,
                "sentence_end": e.sentence.end, "loc_name": loc.name if loc else None,
                "loc_country": loc.country if loc else None, "loc_lat": loc.lat if loc else None,
                "loc_lon": loc.lon if loc else None, "confidence": e.confidence,
                "quad_class": e.quad_class, "score": e.score,
                "actor": [a.to_dict() for a in e.actor],
                "recipient": [r.to_dict() for r in e.recipient]})
    return pa.Table.from_pylist(rows, schema=_schemas()[1])


def _mentions_table(docs: list[CodedDocument]):
    import pyarrow as pa

    rows = [{"doc_id": d.doc_id, **{k: v for k, v in a.to_dict().items()}} for d in docs for a in d.actors]
    return pa.Table.from_pylist(rows, schema=_schemas()[2])


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None

