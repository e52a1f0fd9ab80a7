"""`make lab`: JupyterLab for students, on copies of the notebooks that are theirs to edit.

The committed notebooks (notebooks/) belong to the project: `make test` re-runs them with nbval and the pages are
made from them, so a student's runs and edits must never reach them. `make lab`:

1. copies every notebook of the step table (dag.NOTEBOOKS) into my-notebooks/ (git-ignored) when it is not there
   yet: on the first run all of them, later only a notebook the project gained. A copy that exists is never
   overwritten, whatever it holds. `make lab FRESH=1` puts the current copies aside, in my-notebooks/old/<time>/,
   and makes fresh ones;
2. starts JupyterLab from the project's environment in my-notebooks/, opened on the dataset guide, where notebooks
   run on the project's kernel (`crime-outcomes`, registered in .venv by `make venv`). LAB_ARGS passes options to
   JupyterLab (LAB_ARGS=--no-browser on a machine without a browser).

A copy for another edition than the notebooks' own (EDITION=...) gets that edition in its parameters cell and no
outputs. Notebooks only read what the steps wrote, so `make lab` runs `make all` first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import dag, paths
from ..errors import UserError

FOLDER = "my-notebooks"  # at the project root; git-ignored
OLD = "old"  # my-notebooks/old/<time>/: copies put aside by FRESH=1
FIRST = "00_dataset_guide"  # the notebook JupyterLab opens on
#: notebook metadata key under which a copy records where it came from
ORIGIN = "crimeoutcomes"
_EDITION_LINE = re.compile(r"^(edition\s*=\s*)(.*)$", re.MULTILINE)


def folder() -> Path:
    return paths.project_root() / FOLDER


def _source_hash(nb) -> str:
    """The hash of a notebook's cell sources (not its outputs): whether the project changed the notebook."""
    return hashlib.sha256(json.dumps([c.get("source", "") for c in nb.cells]).encode()).hexdigest()[:16]


def _parameters_cell(nb):
    return next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)


def edition_of(nb) -> str | None:
    """The edition a notebook's parameters cell names (None when it names none)."""
    cell = _parameters_cell(nb)
    match = _EDITION_LINE.search(cell.source) if cell is not None else None
    if not match:
        return None
    try:
        value = json.loads(match.group(2).strip().replace("'", '"'))
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def copy_of(source: Path, edition: str, default_edition: str):
    """The student's copy of a committed notebook: outputs kept when it runs on the edition they were made on;
    for another edition, that edition in the parameters cell and no outputs."""
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    digest = _source_hash(nb)
    if edition != default_edition:
        cell = _parameters_cell(nb)
        if cell is None or not _EDITION_LINE.search(cell.source):
            raise UserError(f"{paths.relative(source)} has no edition parameter to set to {edition!r}")
        cell.source = _EDITION_LINE.sub(lambda m: m.group(1) + json.dumps(edition), cell.source, count=1)
        for c in nb.cells:
            if c.cell_type == "code":
                c.outputs, c.execution_count = [], None
    nb.metadata[ORIGIN] = {"copied_from": f"notebooks/{source.name}", "source_hash": digest}
    return nb


def _write_new(path: Path, text: str) -> bool:
    """Write a file that does not exist yet, whole or not at all; never replace one (False when it exists)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(text)
    try:
        os.link(tmp, path)  # fails when the file exists: a student's copy is never overwritten
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


@dataclass
class Workspace:
    folder: Path
    made: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    put_aside: Path | None = None
    notes: list[str] = field(default_factory=list)

    def report(self) -> list[str]:
        where = paths.relative(self.folder)
        lines = []
        if self.put_aside is not None:
            lines.append(f"{where}/: your earlier copies are kept in {paths.relative(self.put_aside)}/")
        if self.made:
            lines.append(f"{where}/: made {len(self.made)} copies of the project's notebooks ({', '.join(self.made)})")
        if self.kept:
            lines.append(
                f"{where}/: kept your {len(self.kept)} notebooks as they are "
                "(make lab FRESH=1 puts them aside and makes fresh copies)"
            )
        return lines + self.notes


def students_folder(where: Path | None = None) -> Path:
    """The folder of the student's copies, resolved (links followed) and checked before anything is written: never
    the project's notebooks/ nor anything inside the project but my-notebooks/ (outside the project, any folder)."""
    given = Path(where) if where else folder()
    said = f"--folder {paths.printable(str(where))}" if where else paths.relative(given)
    real = given.resolve()
    mine = folder().resolve() if not folder().is_symlink() else folder().absolute()
    if real.exists() and not real.is_dir():
        raise UserError(
            f"{said} is a file, not a folder: your copies of the notebooks go in a folder; move the file away (or "
            f"rename it), or name another folder with --folder, and run make lab again"
        )
    project = [paths.project_root().resolve(), paths.CHECKOUT.resolve()]
    notebooks = paths.notebooks_dir().resolve()
    if real == notebooks or real.is_relative_to(notebooks) or notebooks.is_relative_to(real):
        raise UserError(
            f"{said} is the project's notebooks/ (or holds it): make lab never writes there; remove the link, or "
            f"name another folder, such as {FOLDER}/ (the default)"
        )
    inside = any(real == p or real.is_relative_to(p) for p in project)
    if inside and real != mine and not real.is_relative_to(mine):
        raise UserError(
            f"{said} is inside the project: your copies go in {FOLDER}/ (the default) or in a folder outside the "
            "project"
        )
    return real


def _aside(base: Path) -> Path:
    """A new folder for copies put aside: the time, and a number when that time is taken (two runs in a second)."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    for n in range(1, 1000):
        candidate = base / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            candidate.mkdir(parents=True)
        except FileExistsError:
            continue
        return candidate
    raise UserError(f"{paths.relative(base)}/ holds too many folders named {stamp}: remove some and run again")


def prepare(edition: str, *, fresh: bool = False, where: Path | None = None) -> Workspace:
    """Make the student's copies that do not exist yet (all of them, the current ones put aside, when fresh)."""
    import nbformat

    ws = Workspace(students_folder(where))
    ws.folder.mkdir(parents=True, exist_ok=True)
    names = [nb.name for nb in dag.NOTEBOOKS]
    if fresh:
        present = [n for n in names if (ws.folder / f"{n}.ipynb").exists()]
        if present:
            ws.put_aside = _aside(ws.folder / OLD)
            for n in present:
                (ws.folder / f"{n}.ipynb").rename(ws.put_aside / f"{n}.ipynb")
    for nb in dag.NOTEBOOKS:
        source = paths.notebooks_dir() / f"{nb.name}.ipynb"
        target = ws.folder / f"{nb.name}.ipynb"
        if not target.exists():
            text = nbformat.writes(copy_of(source, edition, nb.parameters.get("edition", edition)))
            if _write_new(target, text):
                ws.made.append(nb.name)
                continue
        ws.kept.append(nb.name)
        ws.notes += _notes(target, source, edition)
    return ws


def _notes(copy: Path, source: Path, edition: str) -> list[str]:
    import nbformat

    try:
        mine = nbformat.read(str(copy), as_version=4)
    except Exception as exc:  # a student's file may hold anything: say so and go on
        return [f"note: {paths.relative(copy)} cannot be read as a notebook ({exc}); JupyterLab will say more"]
    notes = []
    runs_on = edition_of(mine)
    if runs_on is not None and runs_on != edition:
        notes.append(
            f"note: {paths.relative(copy)} runs on edition {runs_on}, not {edition}: change edition in its "
            f"parameters cell, or run make lab FRESH=1 EDITION={edition}"
        )
    recorded = mine.metadata.get(ORIGIN, {}).get("source_hash")
    if recorded and recorded != _source_hash(nbformat.read(str(source), as_version=4)):
        notes.append(
            f"note: the project's {paths.relative(source)} has changed since your copy was made: make lab FRESH=1 "
            "makes a fresh copy (yours is kept aside)"
        )
    return notes


def kernel_check() -> str:
    """The project kernel's folder; a clear error when it is not registered in this environment."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    from ..publish.execute import notebooks

    try:
        return KernelSpecManager().get_kernel_spec(notebooks.KERNEL).resource_dir
    except NoSuchKernel:
        raise UserError(
            f"the project's kernel {notebooks.KERNEL!r} is not registered in {sys.prefix}: run make venv "
            "(or python -m crimeoutcomes install-kernel)"
        ) from None


def data_check(edition: str) -> None:
    from ..data import tables

    try:
        tables.load_record(edition)
    except UserError:
        raise UserError(
            f"the notebooks read the outputs of the steps, and edition {edition} has none yet: "
            f"run make lab EDITION={edition} (it runs make all first), or make all EDITION={edition}"
        ) from None


def command(where: Path, lab_args: list[str]) -> list[str]:
    """The command that starts JupyterLab in the student's folder, opened on the dataset guide, with the project's
    kernel for new notebooks too."""
    from ..publish.execute import notebooks

    # JupyterLab refuses to run as root unless told; containers and CI machines often run as root
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={where}",
        f"--LabApp.default_url=/lab/tree/{FIRST}.ipynb",
        f"--MappingKernelManager.default_kernel_name={notebooks.KERNEL}",
        *as_root,
        *lab_args,
    ]


def main(edition: str, *, fresh: bool = False, lab_args: str = "", where: Path | None = None, start: bool = True):
    kernel_check()
    data_check(edition)
    try:
        args = shlex.split(lab_args or "")
    except ValueError as exc:
        raise UserError(f"LAB_ARGS {lab_args!r} cannot be read as options ({exc})") from None
    ws = prepare(edition, fresh=fresh, where=where)
    for line in ws.report():
        print(line)
    if not start:
        return 0
    cmd = command(ws.folder, args)
    print(f"starting JupyterLab in {paths.relative(ws.folder)}/ (Ctrl-C stops it)", flush=True)
    # the kernel JupyterLab starts is the one in this environment, even if another of the same name is registered
    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    os.execv(cmd[0], cmd)  # JupyterLab takes this process's place: Ctrl-C and a stop signal reach it directly
    return 0  # not reached
