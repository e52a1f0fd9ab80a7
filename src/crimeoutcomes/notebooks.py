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


def execute(name: str, output: Path, parameters: dict | None = None, *, log_output: bool = False) -> Path:
    """Execute notebook `name` with papermill into `output` (atomically), in the notebooks folder."""
    import papermill

    source = committed(name)
    output = Path(output)
    with atomic_path(output, suffix=".ipynb") as tmp:
        papermill.execute_notebook(
            str(source), str(tmp), parameters=parameters or {}, kernel_name=KERNEL, cwd=str(notebooks_dir()),
            progress_bar=False, log_output=log_output,
        )
        strip_volatile(tmp)
    return output


def regenerate_committed(name: str) -> Path:
    """Re-execute a committed notebook in place on its default parameters (the default edition)."""
    path = committed(name)
    return execute(name, path)


def to_html(notebook: Path, html: Path, *, title: str | None = None, hide_code: bool = True) -> Path:
    """Self-contained HTML (images embedded, no code cells when hide_code)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(exclude_input=hide_code, exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True)
    body, _ = exporter.from_notebook_node(nb)
    with atomic_path(html, suffix=".html") as tmp:
        tmp.write_text(body, encoding="utf-8")
    return html
