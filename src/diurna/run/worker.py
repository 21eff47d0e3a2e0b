"""The worker side of a run: what a worker receives, how it codes a partition, and what
it sends back. Kept apart from the driver (driver.py) so that a worker imports spaCy
and the coder, never the store's DuckDB and Arrow."""
from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from diurna.errors import DiurnaError
from diurna.events.spec import CoderSpec
from diurna.records import Article, CodedDocument, Skip
from diurna.store.fingerprint import Bands, fingerprint

LEMMA_CACHE_LIMIT = 50_000        # entries of spaCy's lemma cache kept between partitions


@dataclass(frozen=True)
class Partition:
    index: int
    articles: tuple[Article, ...]
    spec: CoderSpec
    fingerprints: bool = True     # send dedup fingerprints back (only a store needs them)
    seconds_per_doc: float | None = None   # a long document past this is stopped and skipped


@dataclass
class PartitionResult:
    index: int
    docs: list[CodedDocument]
    skips: list[Skip]
    worker: str
    peak_rss_mb: float | None
    # each document's LSH band buckets, computed here so that the driver, which every
    # document passes through, only stores them (see dedup.py)
    fingerprints: dict[str, Bands] = field(default_factory=dict)


# -- worker side ------------------------------------------------------------------------
_coders: dict[str, object] = {}
_coders_lock = threading.Lock()
_coding_lock = threading.Lock()     # one spaCy pipeline per process, used by one thread at a time


def worker_coder(spec: CoderSpec):
    """This process's Coder for ``spec``, loaded on first use and kept."""
    with _coders_lock:
        if spec.key not in _coders:
            _coders[spec.key] = spec.build()
        return _coders[spec.key]


def warm_worker(spec: CoderSpec) -> str:
    """Load the Coder now, so the first partition does not wait for it."""
    # spaCy only in a worker, never in a driver that imports this module
    from diurna.nlp.pipeline import freeze_loaded

    unpin_malloc_thresholds()
    worker_coder(spec)
    freeze_loaded()
    return _worker_name()


MALLOC_CEILING = 32 << 20          # glibc's own ceiling for its adaptive thresholds (64-bit)


def unpin_malloc_thresholds() -> bool:
    """Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_ set (65536), so that
    freed memory goes back to the system at once. That also stops glibc from raising
    its mmap threshold as it does by default, so every numpy buffer of the parser over
    128 KB became a fresh mmap with its page faults: coding was 11 % slower. Where the
    variable is set and the C library is glibc, both thresholds go to the ceiling glibc
    itself would adapt to. Returns whether it did."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):          # not glibc
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(mallopt(m_trim_threshold, MALLOC_CEILING)) and bool(mallopt(m_mmap_threshold, MALLOC_CEILING))


def init_pool_worker(spec: CoderSpec) -> None:
    # Ctrl-C reaches the whole process group: the driver stops the pool, and a worker's
    # own KeyboardInterrupt would only print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    try:
        warm_worker(spec)
    except Exception:       # reported by the driver's own warm-up call, not by a broken pool
        pass


PARENT_CHECK_SECONDS = 0.5


def _exit_with_parent() -> None:
    """A pool worker ends when its driver does, however the driver ended (SIGKILL
    included): a watcher thread sees the parent change and exits the process."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="diurna-parent-watch", daemon=True).start()


def code_partition(partition: Partition, coder=None) -> PartitionResult:
    """Code one partition with ``coder`` (by default this process's Coder for the
    partition's spec); a document whose coding raises becomes a skip."""
    coder = coder or worker_coder(partition.spec)
    docs: list[CodedDocument] = []
    skips: list[Skip] = []
    with _coding_lock:
        zones = _memory_zones(coder)
        for run, long in _runs(partition.articles):
            if long:
                _code_long(coder, run[0], partition.seconds_per_doc, docs, skips)
            else:
                _code_batch(coder, run, docs, skips)
        zones.passed(len(partition.articles))
    _trim_lemma_cache(coder.nlp)
    fingerprints = {doc.doc_id: fingerprint(doc.text) for doc in docs} if partition.fingerprints else {}
    return PartitionResult(partition.index, docs, skips, _worker_name(), _peak_rss_mb(), fingerprints)


def _memory_zones(coder):
    """The worker's memory zones, open across partitions: strings the coding adds to
    spaCy's vocabulary are freed every few thousand documents, so a long-running worker
    does not grow with the corpus. Safe here: each partition's Docs are turned into plain
    CodedDocuments before it ends, and only one thread uses the pipeline."""
    # spaCy only in a worker, never in a driver that imports this module
    from diurna.nlp.pipeline import MemoryZones

    zones = getattr(coder, "_memory_zones", None)
    if zones is None:
        zones = coder._memory_zones = MemoryZones(coder.nlp).__enter__()
    return zones


def _trim_lemma_cache(nlp) -> None:
    """spaCy's lemmatizer caches every word it has seen; bound it."""
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    cache = getattr(lemmatizer, "cache", None)
    if isinstance(cache, dict) and len(cache) > LEMMA_CACHE_LIMIT:
        cache.clear()


LONG_DOC_CHARS = 20_000    # documents this long are coded one by one, under the time budget


class DocumentTimeout(DiurnaError):
    """A document took longer than --max-seconds-per-doc."""


def _runs(articles: Iterable[Article]) -> Iterator[tuple[list[Article], bool]]:
    """Articles in input order, as runs of short ones (coded together) and single long ones."""
    short: list[Article] = []
    for article in articles:
        if len(article.text) > LONG_DOC_CHARS:
            if short:
                yield short, False
                short = []
            yield [article], True
        else:
            short.append(article)
    if short:
        yield short, False


def _code_batch(coder: Any, articles: list[Article], docs: list[CodedDocument], skips: list[Skip]) -> None:
    try:
        docs.extend(coder.code_articles(articles))
    except Exception:
        more_docs, more_skips = _code_one_by_one(coder, articles)
        docs.extend(more_docs)
        skips.extend(more_skips)


def _code_long(coder: Any, article: Article, seconds: float | None, docs: list[CodedDocument],
               skips: list[Skip]) -> None:
    try:
        with time_budget(seconds):
            docs.extend(coder.code_articles([article]))
    except DocumentTimeout:
        skips.append(Skip(article.source or article.doc_id,
                          f"document took too long (over {seconds:g} s, --max-seconds-per-doc); "
                          "split it into articles", doc_id=article.doc_id, text=article.text))
    except Exception as exc:
        skips.append(Skip(article.source or article.doc_id, f"coding failed ({type(exc).__name__}: {exc})",
                          doc_id=article.doc_id, text=article.text))


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """DocumentTimeout once ``seconds`` pass (SIGALRM: in a process's main thread, so in
    `diurna code` and its pool workers; a Dask worker thread codes without the budget)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _code_one_by_one(coder, articles: Iterable[Article]) -> tuple[list[CodedDocument], list[Skip]]:
    docs, skips = [], []
    for article in articles:
        try:
            docs.extend(coder.code_articles([article]))
        except Exception as exc:
            skips.append(Skip(article.source or article.doc_id,
                              f"coding failed ({type(exc).__name__}: {exc})",
                              doc_id=article.doc_id, text=article.text))
    return docs, skips


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:             # Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
