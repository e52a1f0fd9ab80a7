"""The force reports step: for each police force,

    figures   analysis.force_figures.build      headline table, chart data, data notes
    story     publish.story.paragraph           the story paragraph
    charts    publish.charts.force_charts       PNG (2x), SVG and CSV per chart, checked for clipped text
    files     forces/<slug>/figures.json + the chart files, swapped in as a folder
    page      papermill runs notebooks/03_force_report.ipynb, nbconvert makes forces/<slug>.html

Forces whose inputs (the build, the package code, the template, the caveats) are unchanged are skipped. Forces
render in parallel; each worker keeps one kernel, and workers and kernels die with the parent.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from .. import paths, procs, stamps
from ..analysis import caveats as caveats_mod
from ..analysis import force_figures as ff
from ..analysis import measures as m
from ..atomic import replace_dir, write_text
from ..data import build as build_mod
from ..data import forces as forces_mod
from ..errors import UserError
from . import charts, notebooks, story

TEMPLATE = "03_force_report"


def forces_dir(edition: str) -> Path:
    return paths.reports_dir(edition) / "forces"


def force_dir(edition: str, force: str) -> Path:
    return forces_dir(edition) / forces_mod.resolve(force).slug


def page_path(edition: str, force: str) -> Path:
    return forces_dir(edition) / f"{forces_mod.resolve(force).slug}.html"


def release_of(build: dict) -> dict[str, str]:
    return {f["financial_year"]: f.get("release") or f["file"] for f in build.get("files", [])}


def inputs_stamp(edition: str, keep_notebook: bool) -> str:
    """What every force's report depends on (one value for all forces of an edition)."""
    build = build_mod.load_build(edition)
    return stamps.fingerprint(
        build.get("stamp"),
        stamps.code_fingerprint("data", "analysis", "publish"),
        paths.notebooks_dir() / f"{TEMPLATE}.ipynb",
        paths.caveats_file(),
        keep_notebook,
    )


def write_force_files(ds: m.Dataset, force: str, caveat_list, folder: Path) -> dict:
    """Figures, story and charts of one force into `folder` (a fresh folder); returns figures.json's content."""
    figs = ff.build(ds, force, caveat_list)
    releases = release_of(ds.build)
    text = story.paragraph(figs, releases)
    release = ds.build.get("release") or ds.edition
    saved = [charts.save_chart(d, folder) for d in charts.force_charts(figs, release, ds.synthetic, releases)]
    data = {
        "force": figs.force.name,
        "prose": figs.force.prose,
        "edition": ds.edition,
        "synthetic": ds.synthetic,
        "periods": {k: (p.label if p else None) for k, p in figs.periods.items()},
        "headline": figs.headline.to_dict(orient="records"),
        "story": {"text": text.text, "ready": text.ready, "caveats": text.caveats},
        "charts": [asdict(s) for s in saved],
        "notes": figs.notes,
    }
    write_text(folder / "figures.json", json.dumps(data, indent=1) + "\n")
    return data


def render_page(edition: str, force: str, kernel=None, keep_notebook: bool = False) -> Path:
    """Run the report template for one force with papermill and convert it to the force's page."""
    name = forces_mod.resolve(force, police_only=True).name
    folder = force_dir(edition, name)
    build = build_mod.load_build(edition)
    tmp = folder.parent / f".render-{folder.name}.{os.getpid()}.building"  # removed by clean_stale after a kill
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        nb = tmp / "report.ipynb"
        try:
            notebooks.execute(
                TEMPLATE, nb, {"force": name, "edition": edition}, kernel_manager=kernel.get() if kernel else None
            )
        except Exception:
            if kernel:
                kernel.restart()  # never reuse a kernel whose run failed
            raise
        page = notebooks.to_html(
            nb,
            page_path(edition, name),
            title=f"{name}: crime outcomes report",
            build=build,
            crumbs=[("All forces", "../index.html"), ("Claims audit", "../claims/index.html")],
        )
        if keep_notebook:
            os.replace(nb, folder / "report.ipynb")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return page


def render_force(
    edition: str, force: str, stamp: str, *, ds: m.Dataset, caveat_list, kernel=None, keep_notebook: bool = False
) -> Path:
    name = forces_mod.resolve(force, police_only=True).name
    with replace_dir(force_dir(edition, name)) as tmp:
        write_force_files(ds, name, caveat_list, tmp)
    page = render_page(edition, name, kernel, keep_notebook)
    stamps.write_stamp(force_dir(edition, name), stamp, force=name)
    return page


# ------------------------------------------------------------------------------------------------ the pool
_WORKER: dict = {}


def _worker_init(edition: str) -> None:
    from multiprocessing.util import Finalize

    kernel = notebooks.ReusableKernel()
    _WORKER.update(kernel=kernel, ds=m.Dataset.load(edition), caveats=caveats_mod.load())
    Finalize(kernel, kernel.shutdown, exitpriority=10)  # pool workers skip atexit; this runs at their exit


def _render_in_worker(edition: str, force: str, stamp: str, keep_notebook: bool) -> tuple[str, float]:
    t = time.perf_counter()
    render_force(
        edition,
        force,
        stamp,
        ds=_WORKER["ds"],
        caveat_list=_WORKER["caveats"],
        kernel=_WORKER["kernel"],
        keep_notebook=keep_notebook,
    )
    return force, time.perf_counter() - t


def forces_in(ds: m.Dataset) -> list[str]:
    present = set(ds.coverage.loc[ds.coverage["rows"] > 0, "force"])
    return [f.name for f in forces_mod.POLICE_FORCES if f.name in present]


def render_all(
    edition: str, *, only: list[str] | None = None, jobs: int | None = None, keep_notebook: bool = False, log=print
) -> dict:
    """Render every force present in the edition (or `only`), in parallel, skipping unchanged ones."""
    started = time.perf_counter()
    ds = m.Dataset.load(edition)
    names = [forces_mod.resolve(f, police_only=True).name for f in only] if only else forces_in(ds)
    stamp = inputs_stamp(edition, keep_notebook)
    todo = [
        n
        for n in names
        if not stamps.is_current(force_dir(edition, n), stamp, ["figures.json"]) or not page_path(edition, n).is_file()
    ]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    log(
        f"{len(names)} force report(s) for edition {edition!r}: {len(todo)} to render, {len(names) - len(todo)} "
        f"unchanged" + (f", {jobs} at a time" if todo else "")
    )
    failures = []
    if todo and jobs == 1:
        caveat_list, kernel = caveats_mod.load(), notebooks.ReusableKernel()
        try:
            for i, name in enumerate(todo, start=1):
                t = time.perf_counter()
                try:
                    render_force(
                        edition, name, stamp, ds=ds, caveat_list=caveat_list, kernel=kernel, keep_notebook=keep_notebook
                    )
                    log(f"  [{i}/{len(todo)}] {name} ({time.perf_counter() - t:.1f} s)")
                except Exception as exc:
                    failures.append((name, exc))
                    log(f"  [{i}/{len(todo)}] {name} FAILED: {_one_line(exc)}")
        finally:
            kernel.shutdown()
    elif todo:
        with procs.pool(jobs, _worker_init, (edition,)) as pool:
            futures = {pool.submit(_render_in_worker, edition, n, stamp, keep_notebook): n for n in todo}
            from concurrent.futures import as_completed

            for i, fut in enumerate(as_completed(futures), start=1):
                name = futures[fut]
                try:
                    _, secs = fut.result()
                    log(f"  [{i}/{len(todo)}] {name} ({secs:.1f} s)")
                except Exception as exc:  # report every failure, then fail
                    failures.append((name, exc))
                    log(f"  [{i}/{len(todo)}] {name} FAILED: {_one_line(exc)}")
    if failures:
        raise UserError(
            f"{len(failures)} force report(s) failed: " + "; ".join(f"{n}: {_one_line(e)}" for n, e in failures[:3])
        )
    return {
        "forces": len(names),
        "rendered": len(todo),
        "skipped": len(names) - len(todo),
        "seconds": time.perf_counter() - started,
    }


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__
