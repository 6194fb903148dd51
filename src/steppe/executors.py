"""Where a run's per-batch work runs: in this process, or on Dask workers.

An executor has ``submit(fn, *args)``, returning a future with ``result()``,
and is used as a context manager that releases its threads or cluster.
:func:`bounded_map` feeds it a stream of inputs with a fixed number in flight,
so that a run holds the texts of a few batches, not of the whole corpus, while
still keeping every worker busy as the next batch is read.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

RUNNERS = ("local", "dask")
DASK_WORKERS = 2


class Executor(Protocol):
    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


class LocalExecutor:
    """Runs the work in this process: in the calling thread (``threads=0``), or in a pool of threads.

    The analysis is pure Python, so more than one thread would not run it
    faster under the GIL; one thread lets the next batch be read while the
    current one is analysed.
    """

    def __init__(self, threads: int = 1) -> None:
        if threads < 0:
            raise ValueError(f"threads must be zero or more, not {threads}")
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="steppe") if threads else None

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        if self._pool is not None:
            return self._pool.submit(fn, *args)
        future: Future[R] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # raised by result(), as a pool's future would
            future.set_exception(exc)
        return future

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Runs the work on Dask through a ``dask.distributed`` client.

    Without an address it starts a local cluster of ``n_workers`` processes
    with one thread each, bound to 127.0.0.1 and without its dashboard, so
    nothing listens beyond this machine. Each worker process loads the
    registry and the pattern indexes once (module-level caches) and keeps them
    for every batch.
    """

    def __init__(self, address: str | None = None, n_workers: int = DASK_WORKERS) -> None:
        self.address = address
        self.n_workers = n_workers
        self._cluster = None
        self._client = None

    def __enter__(self) -> DaskExecutor:
        import logging

        from distributed import Client, LocalCluster

        if self.address:
            self._client = Client(self.address)
        else:
            self._cluster = LocalCluster(
                n_workers=self.n_workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.WARNING,
            )
            self._client = Client(self._cluster)
        return self

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._client is None:
            raise RuntimeError("DaskExecutor.submit outside its with block")
        # pure=False: every batch is its own task, never deduplicated by a hash of its documents.
        return self._client.submit(fn, *args, pure=False)

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_executor(runner: str = "local", dask_address: str | None = None, n_workers: int = DASK_WORKERS) -> Executor:
    """The executor a run's ``runner`` option names."""
    if runner == "local":
        if dask_address:
            raise ValueError("--dask-address needs --runner dask")
        return LocalExecutor()
    if runner == "dask":
        return DaskExecutor(dask_address, n_workers)
    raise ValueError(f"unknown runner {runner!r}; expected one of {', '.join(RUNNERS)}")


def bounded_map(fn: Callable[[T], R], items: Iterable[T], window: int, executor: Executor | None = None) -> Iterator[R]:
    """``fn`` over ``items`` on ``executor``, results in order, at most ``window`` submitted and not yet collected.

    ``items`` is drawn only as results are collected, so a lazy iterable (the
    raw files read a batch at a time) is never read more than ``window``
    items ahead of the work. Without an executor, each item runs here in turn.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1, not {window}")
    if executor is None:
        executor = LocalExecutor(threads=0)
    in_flight: collections.deque = collections.deque()
    for item in items:
        in_flight.append(executor.submit(fn, item))
        del item
        while len(in_flight) >= window:
            yield in_flight.popleft().result()
    while in_flight:
        yield in_flight.popleft().result()
