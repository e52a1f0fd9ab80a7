"""Render many pages in parallel: a pool of fresh worker processes (spawned: a Jupyter kernel's client keeps an
event-loop thread a forked child would inherit half-alive), each loading its data once and keeping one Jupyter kernel
for every page it renders (started when its first page needs one: the stories step's workers never do). Workers and
kernels die with the parent. With one job, the work runs in this process.

`setup(*args)` runs once per worker and returns its state (the dataset, the caveats, ...); `work(state, item)` renders
one item. Both must be module-level functions (a spawned worker imports them)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import BrokenExecutor, as_completed
from multiprocessing.util import Finalize

from ... import procs
from ...errors import UserError
from . import notebooks

STATE: dict = {}


def _init(setup: Callable, args: tuple) -> None:
    STATE.clear()
    STATE.update(setup(*args))
    kernel = notebooks.ReusableKernel()
    STATE["kernel"] = kernel
    Finalize(kernel, kernel.shutdown, exitpriority=10)  # pool workers skip atexit; this runs at their exit


def _call(work: Callable, item) -> float:
    t = time.perf_counter()
    work(STATE, item)
    return time.perf_counter() - t


def run(
    items: Iterable,
    work: Callable,
    setup: Callable,
    args: tuple,
    *,
    jobs: int | None,
    what: str,
    per_worker: int = 1,
    name: Callable = str,
    log=print,
    count: int | None = None,
) -> list:
    """Render every item (in parallel); log one line per item; raise one UserError naming the failures; returns the
    items rendered. `items` may be made as they are rendered (a generator: the first render while the rest are being
    made), `count` saying how many there will be. per_worker: the fewest items worth a worker of their own (a worker
    costs a few seconds to start: its imports, its data, its kernel), so that a few items render in this process."""
    if count is None:
        items = list(items)
        count = len(items)
    if not count:
        return list(items)
    jobs = max(1, min(jobs or os.cpu_count() or 1, count // max(1, per_worker)))
    failures, made = [], []

    def done(i: int, item, outcome) -> None:
        if isinstance(outcome, Exception):
            failures.append((item, outcome))
            log(f"  [{i}/{count}] {name(item)} FAILED: {_one_line(outcome)}")
        else:
            log(f"  [{i}/{count}] {name(item)} ({outcome:.1f} s)")

    if jobs == 1:
        _init(setup, args)
        try:
            for i, item in enumerate(items, start=1):
                made.append(item)
                try:
                    done(i, item, _call(work, item))
                except Exception as exc:
                    done(i, item, exc)
        finally:
            STATE.pop("kernel").shutdown()
    else:
        with procs.pool(jobs, _init, (setup, args), start="spawn") as pool:
            futures = {}
            try:
                for item in items:  # submitted as they are made: the workers start on the first ones
                    made.append(item)
                    futures[pool.submit(_call, work, item)] = item
            except BrokenExecutor:  # a worker died (or could not start): the failures below say which items
                pass
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            for i, fut in enumerate(as_completed(futures), start=1):
                try:
                    done(i, futures[fut], fut.result())
                except Exception as exc:  # report every failure, then fail
                    done(i, futures[fut], exc)
    if failures:
        raise UserError(
            f"{len(failures)} {what} failed: " + "; ".join(f"{name(i)}: {_one_line(e)}" for i, e in failures[:3])
        )
    return made


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__
