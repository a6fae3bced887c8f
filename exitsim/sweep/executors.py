"""Executors a sweep can run on: any ``concurrent.futures.Executor``.

* :func:`local_executor`: a pool of local processes, one per core by default, each with one
  numeric thread (``OMP_NUM_THREADS=1`` and friends: the runs are the parallelism), each
  watching the sweep's process: if it is killed (``kill -9``: no chance to stop its pool), its
  workers write nothing more and exit, instead of finishing their batches into a store that a
  resume may already be cleaning.
* :func:`dask_local`: a Dask ``LocalCluster`` on this machine (extra ``cluster``).
* :func:`dask_scheduler`: a running Dask cluster joined by its scheduler's address, e.g. one
  started on SLURM with dask-jobqueue (docs/sweeps.md).

Each returns the executor and a function that shuts down what it started.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

#: Environment variables that cap the threads of numeric libraries.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                    "NUMEXPR_NUM_THREADS")


def _one_numeric_thread() -> None:
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"


@contextlib.contextmanager
def one_numeric_thread() -> Iterator[None]:
    """Within the block, processes started inherit one numeric thread each."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    _one_numeric_thread()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_parent_gone = threading.Event()  # set in a local worker once the sweep's process has died
_busy = threading.Event()  # set while a local worker makes a batch


def parent_gone() -> bool:
    """In a local worker: whether the process that started its pool has died (then nothing more
    must be written). Always False elsewhere (in the parent, on Dask)."""
    return _parent_gone.is_set()


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """A worker's batch: an orphaned worker exits only between batches, never while writing."""
    _busy.set()
    try:
        yield
    finally:
        _busy.clear()


def _orphan_watch() -> None:
    """Wait until the sweep's process has died, then let a batch under way notice (it writes
    nothing more) and exit. The process's sentinel is the end of a pipe the sweep's process holds
    open (for spawned and fork-server workers alike, on every platform): it turns readable when
    that process dies, however it died."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:  # pragma: no cover - not a pool's worker
        return
    multiprocessing.connection.wait([parent.sentinel])
    _parent_gone.set()
    while _busy.is_set():  # let the batch notice and stop without writing
        time.sleep(0.05)
    os._exit(0)


def _local_worker() -> None:
    """A local worker's initializer: one numeric thread, and a watch on the sweep's process."""
    _one_numeric_thread()
    threading.Thread(target=_orphan_watch, name="orphan-watch", daemon=True).start()


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def local_executor(workers: int | None = None) -> tuple[Executor, Callable[[], None]]:
    """A pool of ``workers`` local processes (default: one per core).

    Workers are started by a fork server where the platform has one (a clean process, not a
    copy of a parent with threads), else spawned; each has one numeric thread and exits, writing
    nothing more, if this process dies (:func:`parent_gone`).
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with one_numeric_thread():
        executor = ProcessPoolExecutor(max_workers=workers or cores(), mp_context=context,
                                       initializer=_local_worker)
    return executor, lambda: executor.shutdown(wait=True, cancel_futures=True)


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ImportError("running on Dask needs the cluster extra: pip install 'exitsim[cluster]'") from None
    return distributed


def dask_local(workers: int) -> tuple[Executor, Callable[[], None]]:
    """A Dask ``LocalCluster`` of ``workers`` single-threaded worker processes on 127.0.0.1."""
    distributed = _distributed()
    with one_numeric_thread():
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)

    def close() -> None:
        client.close()
        cluster.close()

    return client.get_executor(), close


def dask_scheduler(address: str) -> tuple[Executor, Callable[[], None]]:
    """An executor on a running Dask cluster, joined through its scheduler's ``address``."""
    distributed = _distributed()
    try:
        client = distributed.Client(address, timeout="30s")
    except OSError as error:
        raise ConnectionError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    return client.get_executor(), client.close


def executor_workers(executor: Executor) -> int:
    """How many runs the executor can make at once (a guess for executors that do not say)."""
    known = getattr(executor, "_max_workers", None)
    if known:
        return int(known)
    client = getattr(executor, "_client", None)
    if client is not None:
        with contextlib.suppress(Exception):
            return max(sum(client.nthreads().values()), 1)
    return cores()
