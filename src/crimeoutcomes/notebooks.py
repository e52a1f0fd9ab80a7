"""Run the parameterised notebooks with papermill and render them to self-contained HTML with nbconvert."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import paths
from .atomic import atomic_path

KERNEL = "crime-outcomes"  # registered inside the project's virtual environment by `make venv`
#: notebook metadata papermill and Jupyter write on every run; stripped from committed notebooks
VOLATILE_KEYS = ("metadata.papermill", "cell.metadata.papermill", "cell.metadata.execution", "metadata.widgets")


def notebooks_dir() -> Path:
    return paths.project_root() / "notebooks"


def committed(name: str) -> Path:
    p = notebooks_dir() / (name if name.endswith(".ipynb") else name + ".ipynb")
    if not p.is_file():
        raise FileNotFoundError(f"no notebook {paths.relative(p)}")
    return p


def strip_volatile(path: Path) -> None:
    """Remove run-specific metadata (timings, papermill records) but keep outputs and execution counts."""
    subprocess.run(
        [sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", "--extra-keys", " ".join(VOLATILE_KEYS),
         str(path)],
        check=True,
    )


def execute(name: str, output: Path, parameters: dict | None = None, *, log_output: bool = False,
            strip: bool = True, kernel_manager=None) -> Path:
    """Execute notebook `name` with papermill into `output` (atomically), in the notebooks folder; `strip`
    removes run-specific metadata (needed for committed notebooks, skipped for rendered reports).
    `kernel_manager`: an already started kernel to run in (papermill hands it to nbclient, which then leaves it
    running); None starts and stops a fresh kernel."""
    import papermill

    source = committed(name)
    output = Path(output)
    with atomic_path(output, suffix=".ipynb") as tmp:
        papermill.execute_notebook(
            str(source), str(tmp), parameters=parameters or {}, kernel_name=KERNEL, cwd=str(notebooks_dir()),
            progress_bar=False, log_output=log_output,
            **({"km": kernel_manager} if kernel_manager is not None else {}),
        )
        if strip:
            strip_volatile(tmp)
    return output


def to_html(notebook: Path, html: Path, *, title: str, build: dict | None = None, hide_code: bool = True,
            index_href: str = "index.html") -> Path:
    """A self-contained HTML page: nbconvert's `basic` template (the `lab` one loads require.js and MathJax from
    a CDN) inside the project's page with inline CSS; images embedded; code cells hidden when hide_code."""
    import nbformat
    from nbconvert import HTMLExporter

    from . import present

    nb = nbformat.read(str(notebook), as_version=4)
    exporter = HTMLExporter(template_name="basic", exclude_input=hide_code, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    body, _ = exporter.from_notebook_node(nb)
    with atomic_path(html, suffix=".html") as tmp:
        # the notebooks show their own title and edition banner (present.edition_banner), so no page heading
        nav = f'<a href="{index_href}">← All forces and reports</a>'
        tmp.write_text(present.page(title, body, build, heading=False, nav=nav), encoding="utf-8")
    return html


#: committed notebooks: file stem -> (template stem, parameters). All run on the default edition.
COMMITTED = {
    "00_dataset_guide": ("00_dataset_guide", {}),
    "01_clean": ("01_clean", {}),
    "02_claims": ("02_claims", {}),
    "03_force_report": ("03_force_report", {}),
    "examples/03_force_report_derbyshire": ("03_force_report", {"force": "Derbyshire"}),
    "04_sensitivity": ("04_sensitivity", {}),
}


def regenerate(stem: str) -> Path:
    """Re-execute a committed notebook in place (or from its template) on the default edition."""
    template, params = COMMITTED[stem]
    return execute(template, notebooks_dir() / f"{stem}.ipynb", params)


class ReusableKernel:
    """One project kernel kept running across many papermill runs (used by the parallel report workers, where
    starting a kernel and importing pandas and matplotlib again for every force would double the time).
    Notebooks run in it must set every variable they use (the parameters cell and papermill's injected cell do)."""

    def __init__(self):
        self.km = None

    def get(self):
        from jupyter_client.manager import KernelManager

        if self.km is None or not self.km.is_alive():
            self.km = KernelManager(kernel_name=KERNEL)
            self.km.start_kernel(cwd=str(notebooks_dir()))
        return self.km

    def restart(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            finally:
                self.km = None
