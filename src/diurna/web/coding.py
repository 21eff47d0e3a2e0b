"""POST /api/code's coder: a worker process with the model loaded, so that a document
that takes too long can be stopped (a thread cannot be), and a bounded queue, so that a
burst of posts is refused at once instead of tying up the threads that serve reads."""
from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from diurna.errors import DiurnaError
from diurna.events.spec import CoderSpec
from diurna.records import Article
from diurna.run.worker import warm_worker, worker_coder


class Busy(DiurnaError):
    """Too many documents are already waiting for the coder."""


class TooSlow(DiurnaError):
    """A document took longer than the time budget; its coding was stopped."""


class CodingService:
    def __init__(self, spec: CoderSpec, seconds: float = 30.0, waiting: int = 4):
        self.spec, self.seconds = spec, seconds
        self._places = threading.BoundedSemaphore(waiting + 1)    # the one being coded, and those waiting
        self._turn = threading.Lock()                              # one document in the worker at a time
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the worker and load the model now, not on the first request."""
        with self._turn:
            self._worker().submit(warm_worker, self.spec)

    def code(self, article: Article) -> dict[str, Any]:
        if not self._places.acquire(blocking=False):
            raise Busy("the coder is busy with other documents; try again shortly")
        try:
            with self._turn:
                future = self._worker().submit(code_article, self.spec, article)
                try:
                    return future.result(timeout=self.seconds)
                except FutureTimeout:
                    self._stop_worker()
                    raise TooSlow(f"coding took longer than {self.seconds:g} s and was stopped; "
                                  "post a shorter text") from None
        finally:
            self._places.release()

    def close(self) -> None:
        with self._turn:
            self._stop_worker()

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing   # only when the first document is coded

            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _stop_worker(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()          # the only way to stop a document in the middle
        pool.shutdown(wait=False, cancel_futures=True)


def code_article(spec: CoderSpec, article: Article) -> dict[str, Any]:
    """In the worker: the coded document as the API returns it."""
    doc = next(worker_coder(spec).code_articles([article]))
    return {**doc.to_dict(), "text": doc.text}
