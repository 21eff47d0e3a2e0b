"""Who codes the partitions of a run: this process, a pool of local worker processes
(--workers N), or an existing Dask cluster (--scheduler). Each backend loads the coder
once per worker and runs ``worker.code_partition`` on what it is sent.

Imports nothing heavy, so a driver can start its workers before it opens the store.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterable, Protocol
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import Future as LocalFuture
from concurrent.futures import wait as wait_local
from concurrent.futures.process import BrokenProcessPool

from diurna.errors import DiurnaError, InvalidValue, MissingExtra
from diurna.events.spec import CoderSpec
from diurna.run.worker import Partition, code_partition, init_pool_worker, warm_worker

if TYPE_CHECKING:
    from diurna.events.coder import Coder

IN_FLIGHT_PER_WORKER = 2          # partitions queued per worker: busy, yet bounded memory


class Backend(Protocol):
    """What the driver needs of a backend."""
    spec: CoderSpec
    slots: int          # partitions in flight at once

    def submit(self, partition: Partition) -> Any: ...
    def wait(self, futures: Iterable[Any]) -> set: ...
    def release(self) -> None: ...
    def close(self) -> None: ...


class InlineBackend:
    """Partitions coded in this process, one after another: with the Coder of ``spec``,
    or with a ``coder`` already loaded (the Python API's)."""
    slots = 1

    def __init__(self, spec: CoderSpec | None = None, coder: Coder | None = None):
        if coder is not None:
            self.spec = spec or CoderSpec(coder.model, fast=coder.fast)
        elif spec is not None:
            warm_worker(spec)
            self.spec = spec
        else:
            raise InvalidValue("InlineBackend needs a CoderSpec or a Coder")
        self.coder = coder

    def submit(self, partition: Partition) -> LocalFuture:
        future: LocalFuture = LocalFuture()
        try:
            future.set_result(code_partition(partition, self.coder))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def wait(self, futures) -> set:
        return set(futures)

    def release(self) -> None:
        pass

    def close(self) -> None:
        pass


class PoolBackend:
    """N local processes, each loading the Coder once (--workers N)."""

    def __init__(self, workers: int, spec: CoderSpec):
        import multiprocessing

        self.workers, self.spec = workers, spec
        self.slots = IN_FLIGHT_PER_WORKER * workers
        self._context = multiprocessing.get_context("spawn")   # no fork of a threaded driver
        self._pool = self._start()
        # One task per worker, so every process starts loading now (the pool would
        # start them one by one, as work arrives). Nothing waits for them yet: the
        # driver opens its outputs and reads while the models load.
        self._warming: LocalFuture | None = [self._pool.submit(warm_worker, spec) for _ in range(workers)][0]

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._context,
                                   initializer=init_pool_worker, initargs=(self.spec,))

    def submit(self, partition: Partition) -> LocalFuture:
        if self._warming is not None:
            warming, self._warming = self._warming, None
            warming.result()        # a model that cannot load fails here, before any partition
        try:
            return self._pool.submit(code_partition, partition)
        except BrokenProcessPool:
            self._pool.shutdown(cancel_futures=True)     # a worker died: start afresh
            self._pool = self._start()
            return self._pool.submit(code_partition, partition)

    def wait(self, futures) -> set:
        return wait_local(futures, return_when=FIRST_COMPLETED).done

    def release(self) -> None:
        """No more work: the workers exit while the driver finishes its writes."""
        self._pool.shutdown(wait=False)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class DaskBackend:
    """An existing Dask cluster (--scheduler tcp://host:port)."""

    def __init__(self, address: str, spec: CoderSpec):
        self.spec = spec
        try:
            from distributed import Client
        except ImportError:
            raise MissingExtra("--scheduler (running on a Dask cluster)", "dask") from None
        try:
            self.client = Client(address, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise DiurnaError(f"cannot reach the Dask scheduler at {address} ({exc}); "
                              "is `dask scheduler` running there?") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.slots = IN_FLIGHT_PER_WORKER * threads
        try:
            self.client.run(warm_worker, spec)      # each worker loads the model once, now
        except BaseException:
            self.close()
            raise

    def submit(self, partition: Partition):
        return self.client.submit(code_partition, partition, pure=False,
                                  key=f"diurna-partition-{partition.index}-{os.urandom(4).hex()}")

    def wait(self, futures) -> set:
        from distributed import wait
        return set(wait(list(futures), return_when="FIRST_COMPLETED").done)

    def release(self) -> None:
        pass                # the cluster's workers outlive the job

    def close(self) -> None:
        self.client.close()


def make_backend(spec: CoderSpec, workers: int | None = None, scheduler: str | None = None) -> Backend:
    """Where the partitions will be coded. Local workers start loading the model at
    once, so a caller may make the backend first and open its outputs meanwhile."""
    if scheduler:
        return DaskBackend(scheduler, spec)
    if workers:
        return PoolBackend(workers, spec)
    return InlineBackend(spec)
