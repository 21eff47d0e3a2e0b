"""Failure hooks for the parallel-run tests, installed into worker processes.

Python imports ``sitecustomize`` at start-up from the path, so a worker started with
this folder on PYTHONPATH (tests/test_parallel.py sets it before its pools and its
Dask cluster start) wraps ``diurna.run.worker.code_partition``. The hooks read these
environment variables at call time:

  DIURNA_TEST_POISON=<doc_id>[,<doc_id>…]   coding these documents raises
  DIURNA_TEST_EXHAUST=<doc_id>[,<doc_id>…]  coding these documents runs out of memory (MemoryError)
  DIURNA_TEST_FAIL_PARTITION=<n>[,<n>…]     these partitions raise on every attempt
  DIURNA_TEST_FAIL_ONCE=<n>:<dir>           partition n raises on its first attempt only
                                            (a marker file in <dir> remembers it)
"""
from __future__ import annotations

import os

try:
    from diurna.run import worker
except ImportError:          # a process that cannot see the package is left alone
    worker = None


def _env_list(name: str) -> set[str]:
    return {v.strip() for v in os.environ.get(name, "").split(",") if v.strip()}


def _fail_partition(index: int) -> None:
    if str(index) in _env_list("DIURNA_TEST_FAIL_PARTITION"):
        raise RuntimeError(f"partition {index} failed by DIURNA_TEST_FAIL_PARTITION")
    once, _, folder = os.environ.get("DIURNA_TEST_FAIL_ONCE", "").partition(":")
    if once == str(index) and folder:
        try:
            os.close(os.open(os.path.join(folder, f"failed-{index}"), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        raise RuntimeError(f"partition {index} failed once by DIURNA_TEST_FAIL_ONCE")


def _poisoning(code_articles):
    def code(articles, *args, **kwargs):
        articles = list(articles)
        poisoned = _env_list("DIURNA_TEST_POISON")
        exhausting = _env_list("DIURNA_TEST_EXHAUST")
        for article in articles:
            if article.doc_id in poisoned:
                raise RuntimeError(f"document {article.doc_id} poisoned by DIURNA_TEST_POISON")
            if article.doc_id in exhausting:
                raise MemoryError(f"Unable to allocate memory for document {article.doc_id} (DIURNA_TEST_EXHAUST)")
        return code_articles(articles, *args, **kwargs)
    code.poisoning = True
    return code


if worker is not None:
    _code_partition = worker.code_partition

    def code_partition(partition, coder=None):
        _fail_partition(partition.index)
        coder = coder or worker.worker_coder(partition.spec)
        if not getattr(coder.code_articles, "poisoning", False):
            coder.code_articles = _poisoning(coder.code_articles)
        return _code_partition(partition, coder)

    worker.code_partition = code_partition
