"""reports: one report per police force -> reports/<edition>/forces/ (<slug>.html, and <slug>/ with figures.json
and every chart as PNG, SVG and CSV).

A force's story is its version of the report's story as the stories step wrote and audited it (that step runs first:
its version.json holds the story as written), so the report and the story's own page print the same sentences from
one engine call.

Forces render in parallel, each worker keeping one Jupyter kernel; workers and kernels die with the parent. A force
whose folder records the step's current stamp and whose files all exist is skipped, so a deleted page is rendered
again alone."""

from __future__ import annotations

import time
from pathlib import Path

from .. import dag, paths, stamps
from ..analysis import caveats as caveats_mod
from ..analysis import stories
from ..analysis.measures import Dataset
from ..atomic import SwapTogether
from ..data.forces import Force, resolve
from ..errors import UserError
from ..publish.execute import notebooks, workers
from ..publish.pages import reports

#: a worker starts in about 3 s and a force takes about 1.5 s: fewer than 4 forces a worker render in this process
PER_WORKER = 4


def _force_stamp(forces_dir, force):
    return forces_dir / reports.files_folder(force) / ".stamp.json"


def _current(forces_dir, force, stamp: str) -> bool:
    record = stamps.read(_force_stamp(forces_dir, force))
    return record.get("stamp") == stamp and not stamps.missing_files(forces_dir, record)


def _setup(edition: str, build: dict, caveats: str, spec: str, others: list[dict], story_for: set[str]) -> dict:

    return {
        "edition": edition,
        "ds": Dataset.load(edition, build=build),
        "build": build,
        "caveats": caveats_mod.load(Path(caveats)),
        "spec": stories.load(Path(spec)),
        "others": others,
        "story_for": story_for,
    }


def _version(state: dict, force: Force):
    """The force's version of the report's story, as the stories step (run before this one) wrote and audited it."""
    if force.name not in state["story_for"]:
        return None  # not written for this edition (its period or offences are not in the data), or for this force
    version = reports.report_story(state["edition"], state["spec"].id, force)
    if version is None:
        where = paths.output("stories", "data", state["edition"], story=state["spec"].id, force=force.slug)
        raise UserError(
            f"{paths.relative(where)} is missing: the force's report takes its story from the stories step; run "
            "make stories, then the reports again"
        )
    return version


def _render(state: dict, item: tuple) -> None:
    """One force: its files (figures, story, charts), its page and its stamp, replaced together (a kill at any
    moment leaves the force's previous page and files, or the new ones, never one of each)."""
    force_name, stamp, forces_dir, keep = item

    force, forces_dir = resolve(force_name), Path(forces_dir)
    folder = reports.files_folder(force)
    page = forces_dir / reports.page_file(force)
    with SwapTogether(forces_dir / folder, [page, page.with_suffix(".ipynb")]) as swap:
        reports.write_force_files(
            state["ds"], force, state["caveats"], swap.tmp, state["spec"], _version(state, force), state["others"]
        )
        swap.swap()  # the page's notebook reads the force's new files, in place
        render_page(state["edition"], force, state["build"], forces_dir, state.get("kernel"), keep)
        files = [reports.page_file(force)] + [f"{folder}/{f}" for f in stamps.written(forces_dir / folder)]
        if keep:
            files.append(str(Path(reports.page_file(force)).with_suffix(".ipynb")))
        stamps.write(_force_stamp(forces_dir, force), stamp, files, base=forces_dir, force=force.name)


def run(ctx, target) -> dict:
    started = time.perf_counter()
    ds, forces_dir = ctx.dataset, target.folder
    chosen = list(ctx.forces) or reports.forces_in(ds)
    todo = [f for f in chosen if not _current(forces_dir, f, target.stamp)]
    # the stories the stories step wrote, each linked from every report; the report's story among them: a version for
    # every force with rows in the edition
    others = reports.stories_written(ctx.name)
    spec = stories.load(target.input("report_story"))
    written = any(o["id"] == spec.id for o in others)
    story_for = {f.name for f in reports.forces_in(ds)} if written else set()
    ctx.log(f"  {len(chosen)} force report(s): {len(todo)} to render, {len(chosen) - len(todo)} unchanged")
    workers.run(
        [(f.name, target.stamp, str(forces_dir), ctx.keep_notebooks) for f in todo],
        _render,
        _setup,
        (
            ctx.name,
            ctx.build_record,
            str(target.input("caveats")),
            str(target.input("report_story")),
            others,
            story_for,
        ),
        jobs=ctx.jobs,
        what="force report(s)",
        per_worker=PER_WORKER,
        name=lambda item: item[0],
        log=ctx.log,
    )
    files = {
        f: was for force in chosen for f, was in stamps.recorded(stamps.read(_force_stamp(forces_dir, force))).items()
    }
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


def render_page(edition: str, force: Force, build: dict, forces_dir: Path, kernel=None, keep: bool = False) -> Path:
    """Run the report template for one force with papermill and convert it to the force's page."""
    return notebooks.render_page(
        dag.FORCE_REPORT,
        {"force": force.name, "edition": edition},
        forces_dir / reports.page_file(force),
        build,
        title=f"{force.name}: crime outcomes report",
        crumbs=[("All forces", dag.link("reports", "site", "index"))],
        root=dag.link("reports", "site", "index").removesuffix(dag.file("site", "index")),
        kernel=kernel,
        keep=keep,
    )
