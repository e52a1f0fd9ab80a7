"""reports: one report per police force -> reports/<edition>/forces/ (<slug>.html, and <slug>/ with figures.json
and every chart as PNG, SVG and CSV).

Forces render in parallel, each worker keeping one Jupyter kernel; workers and kernels die with the parent. A force
whose folder records the step's current stamp and whose files all exist is skipped, so a deleted page is rendered
again alone."""

from __future__ import annotations

import os
import time
from concurrent.futures import as_completed

from .. import paths, procs, stamps
from ..analysis import caveats as caveats_mod
from ..atomic import replace_dir
from ..errors import UserError
from ..publish import notebooks, reports


def _force_stamp(forces_dir, force):
    return forces_dir / reports.files_folder(force) / ".stamp.json"


def _current(forces_dir, force, stamp: str) -> bool:
    record = stamps.read(_force_stamp(forces_dir, force))
    return record.get("stamp") == stamp and not stamps.missing_files(forces_dir, record)


def render_force(ctx_edition: str, force, stamp: str, forces_dir, *, ds, build, caveat_list, kernel, keep):
    with replace_dir(forces_dir / reports.files_folder(force)) as tmp:
        reports.write_force_files(ds, force, caveat_list, tmp)
    reports.render_page(ctx_edition, force, build, forces_dir, kernel, keep)
    folder = reports.files_folder(force)
    files = [reports.page_file(force)] + [f"{folder}/{f}" for f in stamps.written(forces_dir / folder)]
    stamps.write(_force_stamp(forces_dir, force), stamp, files, force=force.name)


_WORKER: dict = {}


def _worker_init(edition: str, build: dict, keep: bool) -> None:
    """A worker's data (loaded once, in a fresh interpreter) and its kernel (kept for every force it renders)."""
    from multiprocessing.util import Finalize

    from ..analysis.measures import Dataset

    kernel = notebooks.ReusableKernel()
    ds = Dataset.load(edition, build=build)
    _WORKER.update(edition=edition, ds=ds, build=build, caveats=caveats_mod.load(), keep=keep, kernel=kernel)
    Finalize(kernel, kernel.shutdown, exitpriority=10)  # pool workers skip atexit; this runs at their exit


def _render_in_worker(force, stamp: str, forces_dir) -> float:
    t = time.perf_counter()
    render_force(
        _WORKER["edition"],
        force,
        stamp,
        forces_dir,
        ds=_WORKER["ds"],
        build=_WORKER["build"],
        caveat_list=_WORKER["caveats"],
        kernel=_WORKER["kernel"],
        keep=_WORKER["keep"],
    )
    return time.perf_counter() - t


def run(ctx, target) -> dict:
    started = time.perf_counter()
    ds, forces_dir = ctx.dataset, target.folder
    chosen = list(ctx.forces) or reports.forces_in(ds)
    todo = [f for f in chosen if not _current(forces_dir, f, target.stamp)]
    jobs = max(1, min(ctx.jobs or os.cpu_count() or 1, len(todo) or 1))
    ctx.log(
        f"  {len(chosen)} force report(s): {len(todo)} to render, {len(chosen) - len(todo)} unchanged"
        + (f", {jobs} at a time" if todo else "")
    )
    init = (ctx.name, ctx.build_record, ctx.keep_notebooks)
    failures = []
    if todo and jobs == 1:
        _worker_init(*init)
        try:
            for i, force in enumerate(todo, start=1):
                try:
                    secs = _render_in_worker(force, target.stamp, forces_dir)
                    ctx.log(f"  [{i}/{len(todo)}] {force.name} ({secs:.1f} s)")
                except Exception as exc:
                    failures.append((force, exc))
                    ctx.log(f"  [{i}/{len(todo)}] {force.name} FAILED: {_one_line(exc)}")
        finally:
            _WORKER.pop("kernel").shutdown()
    elif todo:
        with procs.pool(jobs, _worker_init, init, start="spawn") as pool:
            futures = {pool.submit(_render_in_worker, f, target.stamp, forces_dir): f for f in todo}
            for i, fut in enumerate(as_completed(futures), start=1):
                force = futures[fut]
                try:
                    ctx.log(f"  [{i}/{len(todo)}] {force.name} ({fut.result():.1f} s)")
                except Exception as exc:  # report every failure, then fail
                    failures.append((force, exc))
                    ctx.log(f"  [{i}/{len(todo)}] {force.name} FAILED: {_one_line(exc)}")
    if failures:
        raise UserError(
            f"{len(failures)} force report(s) failed: "
            + "; ".join(f"{f.name}: {_one_line(e)}" for f, e in failures[:3])
        )
    files = [f for force in chosen for f in stamps.read(_force_stamp(forces_dir, force)).get("files", [])]
    if ctx.forces:
        for force in chosen:
            ctx.log(f"  report: {paths.relative(forces_dir / reports.page_file(force))}")
    return {
        "summary": f"{len(todo)} force report(s) rendered, {len(chosen) - len(todo)} unchanged",
        "files": files,
        "partial": bool(ctx.forces),
        "forces": len(chosen),
        "rendered": len(todo),
        "skipped": len(chosen) - len(todo),
        "seconds": time.perf_counter() - started,
    }


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__
