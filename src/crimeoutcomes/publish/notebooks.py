"""The notebooks: the one list of them, running them with papermill, and turning them into pages with nbconvert.

Notebooks are for communication (they load what the package's steps wrote and explain it); the package runs them
and writes every file. NOTEBOOKS is the only list: the CLI, the index page, regeneration of the committed copies
and the README check all read it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths, procs
from ..atomic import atomic_path, write_text
from ..errors import UserError
from . import html

KERNEL = "crime-outcomes"  # registered inside the project's virtual environment by `make venv`
#: notebook metadata papermill and Jupyter write on every run; stripped from committed notebooks
VOLATILE_KEYS = ("metadata.papermill", "cell.metadata.papermill", "cell.metadata.execution", "metadata.widgets")


@dataclass(frozen=True)
class Notebook:
    name: str
    title: str
    audience: str
    summary: str
    parameters: dict = field(default_factory=dict)  # name -> default (as in the parameters cell)
    page: str = ""  # where its page goes, relative to reports/<edition>/; "" = rendered by the reports step

    @property
    def path(self) -> Path:
        return paths.notebooks_dir() / f"{self.name}.ipynb"


NOTEBOOKS: tuple[Notebook, ...] = (
    Notebook(
        "00_dataset_guide",
        "A guide to the Home Office outcomes table and its traps",
        "students",
        "what a row is, the columns, both count bases, calendar and financial years, every trap shown on real "
        "rows, exercises with answers",
        {"edition": "sample", "example_force": "Cheshire"},
        "00_dataset_guide.html",
    ),
    Notebook(
        "01_clean",
        "Cleaning: raw files to tidy data",
        "everyone",
        "the build's files and hashes, header mapping, rows, coverage, partial supply and quality issues",
        {"edition": "sample"},
        "01_clean.html",
    ),
    Notebook(
        "02_claims",
        "Claims audit: every published figure recomputed",
        "researchers",
        "the audit of both articles and of other published figures, the method, and one claim traced to its rows",
        {"edition": "sample", "trace_claim": "cheshire-vdns-rate-2020"},
        "02_claims.html",
    ),
    Notebook(
        "03_force_report",
        "Force report",
        "journalists",
        "the per-force report: headline figures, a story paragraph, charts with their data, data notes",
        {"force": "Cheshire", "edition": "sample"},
        "",
    ),
    Notebook(
        "04_sensitivity",
        "How robust is the headline rate?",
        "researchers",
        "the rate and ranking under calendar or financial year, closed or recorded basis, with or without GMP, "
        "BTP and fraud",
        {"edition": "sample"},
        "04_sensitivity.html",
    ),
)
BY_NAME = {nb.name: nb for nb in NOTEBOOKS}
#: committed copies (file stem under notebooks/ -> (notebook, parameters)), re-run by nbval in `make test`
COMMITTED: dict[str, tuple[str, dict]] = {
    "00_dataset_guide": ("00_dataset_guide", {}),
    "01_clean": ("01_clean", {}),
    "02_claims": ("02_claims", {}),
    "03_force_report": ("03_force_report", {}),
    "examples/03_force_report_derbyshire": ("03_force_report", {"force": "Derbyshire"}),
    "04_sensitivity": ("04_sensitivity", {}),
}
PAGES = tuple(nb for nb in NOTEBOOKS if nb.page)


def install_kernel(prefix: str = sys.prefix) -> Path:
    """Register the project kernel in the virtual environment, logging only errors (so project runs do not
    print ipykernel's 'Kernel is running over TCP without encryption' notice for kernels on this machine)."""
    folder = Path(prefix) / "share" / "jupyter" / "kernels" / KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--IPKernelApp.log_level=ERROR",
        ],
        "display_name": f"Python ({KERNEL})",
        "language": "python",
        "metadata": {"debugger": True},
    }
    write_text(folder / "kernel.json", json.dumps(spec, indent=1) + "\n")
    return folder


def strip_volatile(path: Path) -> None:
    """Remove run-specific metadata (timings, papermill records) but keep outputs and execution counts."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nbstripout",
            "--keep-output",
            "--keep-count",
            "--extra-keys",
            " ".join(VOLATILE_KEYS),
            str(path),
        ],
        check=True,
    )


def execute(
    name: str, output: Path, parameters: dict | None = None, *, strip: bool = False, kernel_manager=None
) -> Path:
    """Execute notebook `name` with papermill into `output` (atomically), in the notebooks folder.
    kernel_manager: an already started kernel to run in (papermill hands it to nbclient); None starts one."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = paths.notebooks_dir() / f"{name}.ipynb"
    output = Path(output)
    with atomic_path(output, suffix=".ipynb") as tmp:
        try:
            papermill.execute_notebook(
                str(source),
                str(tmp),
                parameters=parameters or {},
                kernel_name=KERNEL,
                cwd=str(paths.notebooks_dir()),
                progress_bar=False,
                log_output=False,
                **({"km": kernel_manager} if kernel_manager is not None else {}),
            )
        except PapermillExecutionError as exc:
            kept = output.with_name(f"{output.name.lstrip('.').split('.ipynb')[0]}.failed.ipynb")
            if tmp.exists():
                tmp.replace(kept)
            raise UserError(
                f"notebook {name} ({parameters or {}}) failed in cell {exc.exec_count}: {exc.ename}: "
                f"{' '.join(str(exc.evalue).split())[:300]}; the executed notebook is kept at "
                f"{paths.relative(kept)}"
            ) from None
        if strip:
            strip_volatile(tmp)
    return output


def to_html(
    notebook: Path, target: Path, *, title: str, build: dict | None, crumbs: list[tuple[str, str]] = ()
) -> Path:
    """A page from an executed notebook: nbconvert's `basic` template (no code, no prompts; the `lab` one loads
    scripts from a CDN) inside the project's page shell. Charts displayed with a file name link that file."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    exporter = HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb)
    write_text(target, html.page(title, body, build, crumbs=crumbs, heading=False))
    return target


def regenerate(stem: str) -> Path:
    """Re-execute a committed notebook in place from its template, on the current project root."""
    template, params = COMMITTED[stem]
    return execute(template, paths.notebooks_dir() / f"{stem}.ipynb", params, strip=True)


class ReusableKernel:
    """One project kernel kept running across many papermill runs (each report worker keeps one: starting a kernel
    and importing pandas and matplotlib again for every force would double the time). It dies with its worker."""

    def __init__(self):
        self.km = None

    def get(self):
        from jupyter_client.manager import KernelManager

        if self.km is None or not self.km.is_alive():
            self.km = KernelManager(kernel_name=KERNEL)
            self.km.start_kernel(cwd=str(paths.notebooks_dir()), preexec_fn=procs.die_with_parent)
        return self.km

    def restart(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            finally:
                self.km = None
