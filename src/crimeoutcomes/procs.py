"""Child processes that die with their parent.

A worker pool or a Jupyter kernel outliving a killed parent (for example one stopped by the out-of-memory killer)
keeps hundreds of megabytes for nothing. On Linux every child the project starts asks the kernel for a signal when
its parent dies (prctl PR_SET_PDEATHSIG); elsewhere ipykernel's own parent polling is the fallback.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1
#: the memory one worker may take (a reports worker: an interpreter, the edition's tables and a Jupyter kernel;
#: `make bench` measures about 0.6 GB for the 44 force reports of the current edition)
WORKER_MEMORY = 600 * 2**20


def workers(asked: int | None = None, log=print) -> int:
    """How many workers to start: the number asked for (default: one per core), at most one per core and as many
    as the free memory holds; when that is fewer than asked, one line says so."""
    cores = os.cpu_count() or 1
    try:
        import psutil

        free = psutil.virtual_memory().available
    except (ImportError, OSError):
        free = None
    most = max(1, min(cores, free // WORKER_MEMORY if free is not None else cores))
    if asked and asked > most:
        memory = f" and {free / 2**30:.1f} GB of free memory (about {WORKER_MEMORY / 2**30:.1f} GB a worker)"
        log(f"JOBS={asked} capped to {most} worker(s): this machine has {cores} core(s){memory if free else ''}")
    return min(asked, most) if asked else most


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask to receive `sig` when the parent process exits (Linux); exit now if the parent is already gone."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except OSError:
        return
    if os.getppid() != parent or parent == 1:
        os._exit(1)


def _pool_init(initializer, initargs) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    if initializer is not None:
        initializer(*initargs)


def pool(jobs: int, initializer=None, initargs=(), start: str = "fork") -> ProcessPoolExecutor:
    """A process pool whose workers die with the parent and leave Ctrl-C to it. start="spawn" gives workers a fresh
    interpreter: needed when they run Jupyter kernels, whose client keeps an event-loop thread a forked child would
    inherit half-alive."""
    import multiprocessing

    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(start),
        initializer=_pool_init,
        initargs=(initializer, initargs),
    )
