"""The coding driver: read inputs in batches, have a backend code them, write every output.

The driver reads the inputs as a stream in batches of ``WRITE_BATCH`` items and cuts
each batch into partitions of ``PARTITION_SIZE`` documents, numbered in input order, so
a partition is the same whatever codes it. A backend (backends.py) codes partitions: in
this process, on a pool of local processes (--workers N) or on a Dask cluster
(--scheduler). The driver writes each batch, once all its partitions are back, in input
order and in one transaction to the DuckDB store, JSON Lines and/or a Parquet dataset,
so the output is the same whichever backend coded it, and an interrupted run leaves
whole documents or nothing: running again finishes the job without doubling anything.

A partition that raises is submitted again, up to ``RETRIES`` more times; one that
keeps failing is reported with its documents (recorded as skipped) and the rest of
the job goes on. A document whose coding raises is skipped inside its partition
(worker.py).
"""
from __future__ import annotations

import json
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TextIO

from diurna.ingest.files import read_inputs, source_file
from diurna.records import Article, Item, Skip
from diurna.run.backends import Backend, InlineBackend
from diurna.run.shards import ParquetShards
from diurna.run.worker import Partition, PartitionResult
from diurna.settings import DEFAULT_SECONDS_PER_DOC
from diurna.store.database import Store, content_hash

if TYPE_CHECKING:
    from diurna.events.coder import Coder

WRITE_BATCH = 64
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



@dataclass
class RunSummary:
    read: int = 0
    coded: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    events_by_type: Counter = field(default_factory=Counter)
    undated: list[str] = field(default_factory=list)    # where documents had no publication date
    partitions: int = 0
    retried: int = 0
    failed: list[PartitionFailure] = field(default_factory=list)
    worker_peak_mb: dict[str, float] = field(default_factory=dict)
    show_partitions: bool = False       # runs on workers report their partitions

    @property
    def events(self) -> int:
        return sum(self.events_by_type.values())

    def to_dict(self) -> dict:
        return {"read": self.read, "coded": self.coded, "unchanged": self.unchanged,
                "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
                "events": self.events, "events_by_type": dict(self.events_by_type),
                "undated": self.undated}

    def format(self) -> str:
        lines = [f"documents read: {self.read}, coded: {self.coded}, already stored: {self.unchanged}, "
                 f"skipped: {len(self.skipped)}"]
        reasons = Counter(s.reason.split(";")[0].split("(")[0].strip() for s in self.skipped)
        for reason, n in reasons.most_common():
            lines.append(f"  skipped {n}: {reason}")
        if self.undated:
            shown = ", ".join(self.undated[:3]) + (", …" if len(self.undated) > 3 else "")
            lines.append(f"  coded without a publication date: {len(self.undated)} ({shown}); "
                         "relative dates in them stay unresolved: give --date or a Date: line")
        lines.append(f"events: {self.events}")
        for event, n in self.events_by_type.most_common():
            lines.append(f"  {event:<10} {n}")
        if self.show_partitions or self.failed:
            lines.append(f"partitions: {self.partitions}, retried: {self.retried}, failed: {len(self.failed)}")
        for failure in self.failed:
            lines.append(f"  partition {failure.index} failed after {failure.attempts} attempts "
                         f"({failure.error}); not coded: {', '.join(failure.doc_ids)}")
        return "\n".join(lines)


def forget_old_skips(store: Store, batch: list[Item], files_read: set[str]) -> None:
    """Skipped documents are not stored, so reading their file again retries them: drop the
    skip records of that file's previous reading once per run; what still fails is recorded anew."""
    files = {source_file(i.where if isinstance(i, Skip) else i.source or "") for i in batch} - files_read
    store.forget_skips(files)
    files_read |= files


def unique_ids(articles: list[Article], skip: Callable[[Skip], None], seen: set[str]) -> list[Article]:
    """The articles whose id this run has not read before (``seen``, kept across batches:
    a second document with an id would otherwise replace the first in the store)."""
    out = []
    for article in articles:
        if article.doc_id in seen:
            skip(Skip(article.source or article.doc_id,
                      f"duplicate document id {article.doc_id!r}; give each document its own id",
                      doc_id=article.doc_id, text=article.text))
            continue
        seen.add(article.doc_id)
        out.append(article)
    return out


class Outputs:
    """Everything the driver writes: store, JSON Lines, Parquet shards."""

    def __init__(self, model: str, store: Store | None = None, jsonl: TextIO | None = None,
                 parquet: "ParquetShards | None" = None):
        self.model, self.store, self.jsonl, self.parquet = model, store, jsonl, parquet

    def write(self, partition: Partition, result: PartitionResult, summary: RunSummary) -> None:
        sources = {a.doc_id: a.source or a.doc_id for a in partition.articles}
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

    def __init__(self, backend, outputs: Outputs, summary: RunSummary, retries: int,
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
    return (Partition(batch, articles, partitions[0].spec, seconds_per_doc=partitions[0].seconds_per_doc),
            PartitionResult(batch, [d for r in results for d in r.docs], [s for r in results for s in r.skips],
                            results[0].worker, None,
                            {k: v for r in results for k, v in r.fingerprints.items()}))


def code_inputs(inputs: Iterable[str], backend: Backend, store: Store | None = None,
                jsonl: TextIO | None = None, default_date: str | None = None, *,
                out_parquet: str | Path | None = None,
                on_skip: Callable[[Skip], None] | None = None,
                progress: Callable[[int], None] | None = None,
                report: Callable[[str], None] | None = None,
                strict: bool = False, partition_size: int = PARTITION_SIZE,
                retries: int = RETRIES, show_partitions: bool | None = None,
                seconds_per_doc: float | None = DEFAULT_SECONDS_PER_DOC) -> RunSummary:
    """Code every readable document of ``inputs`` on ``backend`` (which is closed here);
    report the rest through ``on_skip``. The driver writes every output."""
    summary = RunSummary(show_partitions=bool(out_parquet) or not isinstance(backend, InlineBackend)
                         if show_partitions is None else show_partitions)
    try:
        parquet = ParquetShards(out_parquet) if out_parquet else None
    except BaseException:
        backend.close()
        raise
    outputs = Outputs(backend.spec.model, store, jsonl, parquet)
    job = _Job(backend, outputs, summary, retries, on_skip, progress, report or (lambda m: None))
    try:
        with store.deferred_dedup() if store is not None else nullcontext():
            for batch, partitions in _partitions(inputs, backend, default_date, partition_size, seconds_per_doc,
                                                 summary, job,
                                                 store, skip_known=jsonl is None, strict=strict):
                job.submit(batch, partitions)
            job.finish()
            backend.release()       # before the last deduplication refresh
    finally:
        backend.close()
    return summary


def code_run(inputs: Iterable[str], coder: Coder, store: Store | None = None,
             jsonl: TextIO | None = None, default_date: str | None = None, **options) -> RunSummary:
    """``code_inputs`` in this process with a Coder already loaded (the Python API's way)."""
    return code_inputs(inputs, InlineBackend(coder=coder), store, jsonl, default_date, **options)


def _partitions(inputs, backend: Backend, default_date, size: int, seconds_per_doc: float | None,
                summary: RunSummary, job: _Job,
                store: Store | None, skip_known: bool, strict: bool) -> Iterator[tuple[int, list[Partition]]]:
    """Read batches (skips reported, duplicates dropped, documents stored with the same
    text left out), each cut into partitions."""
    items = read_inputs(inputs, default_date)
    files_read: set[str] = set()
    ids_read: set[str] = set()
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
        articles = unique_ids(articles, duplicates.append, ids_read)
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
        partitions = [Partition(index + n, tuple(articles[start:start + size]), backend.spec, store is not None,
                                seconds_per_doc)
                      for n, start in enumerate(range(0, len(articles), size))]
        if partitions:
            yield number, partitions
        index += len(partitions)


