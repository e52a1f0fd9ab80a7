"""Running the notebooks with papermill and turning them into pages with nbconvert.

Notebooks are for communication (they load what the package's steps wrote and explain it); the package runs them
and writes every file. The one list of them is dag.NOTEBOOKS (the step table).
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ... import dag, paths, procs
from ...atomic import atomic_path, write_text
from ...errors import UserError
from ..pages import html

KERNEL = "crime-outcomes"  # registered inside the project's virtual environment by `make venv`
#: cells with this tag are for the notebook only and left out of its page: a student's answer cells
NOTEBOOK_ONLY = "notebook-only"
#: notebook metadata papermill and Jupyter write on every run; stripped from committed notebooks
VOLATILE_KEYS = ("metadata.papermill", "cell.metadata.papermill", "cell.metadata.execution", "metadata.widgets")


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


def execute(name: str, output: Path, parameters: dict | None = None, *, strip: bool = False, kernel=None) -> Path:
    """Execute notebook `name` with papermill into `output` (atomically), in the notebooks folder.
    kernel: a ReusableKernel to run in (its kernel and its connected client); None starts a kernel for this run."""
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
                request_save_on_cell_execute=False,  # written once, at the end (or with the failed cell)
                **({"engine_name": _reused_kernel_engine(), "kernel": kernel} if kernel is not None else {}),
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


@functools.cache
def _exporter():
    """nbconvert's `basic` template (no code, no prompts; the `lab` one loads scripts from a CDN), made once per
    process (loading its templates is most of nbconvert's time)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    return HTMLExporter(
        # optimistic_validation: the notebook is validated once, after the preprocessors, not after each of them
        config=Config(
            {
                "TagRemovePreprocessor": {"remove_cell_tags": [NOTEBOOK_ONLY]},
                "Exporter": {"optimistic_validation": True},
            }
        ),
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


_IMG = re.compile(r'<img ([^>]*?)src="([^"]+?)\.png"([^>]*)>')


def _pictures(body: str, folder: Path) -> str:
    """Charts displayed with a file name become <picture>s: the phone drawing on narrow screens (when the chart has
    one beside it), the desk drawing elsewhere."""

    def swap(match: re.Match) -> str:
        before, stem, after = match.groups()
        if not (folder / f"{stem}-phone.png").is_file():
            return match.group(0)
        return (
            f'<picture><source media="(max-width: 600px)" srcset="{stem}-phone.png">'
            f'<img {before}src="{stem}.png" loading="lazy"{after}></picture>'
        )

    return _IMG.sub(swap, body)


def to_html(
    notebook: Path,
    target: Path,
    *,
    title: str,
    build: dict | None,
    crumbs: list[tuple[str, str]] = (),
    root: str = "",
) -> Path:
    """A page from an executed notebook inside the project's page shell. Charts displayed with a file name link
    that file (and its phone drawing)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    body, _ = _exporter().from_notebook_node(nb)
    body = html.captioned(_pictures(body, target.parent))  # a Markdown table is captioned by its heading
    write_text(target, html.page(title, body, build, crumbs=crumbs, heading=False, root=root))
    return target


def render_page(
    nb,
    parameters: dict,
    target: Path,
    build: dict,
    *,
    title: str | None = None,
    crumbs: list[tuple[str, str]] | None = None,
    root: str = "",
    kernel=None,
    keep: bool = False,
) -> Path:
    """Run a notebook on its parameters (in `kernel`, a ReusableKernel, when given) and write its page (`target`);
    `keep` keeps the executed notebook beside the page (<page>.ipynb)."""
    executed = target.parent / f".{target.stem}.ipynb.{os.getpid()}.0.part.ipynb"  # a kill leaves it to clean_stale
    try:
        try:
            execute(nb.name, executed, parameters, kernel=kernel)
        except Exception:
            if kernel:
                kernel.restart()  # never reuse a kernel whose run failed
            raise
        edition = parameters.get("edition", "")
        to_html(
            executed,
            target,
            title=title or f"{nb.title} ({edition} edition)",
            build=build,
            crumbs=crumbs if crumbs is not None else [("All forces", dag.link("pages", "site", "index"))],
            root=root,
        )
        if keep:
            executed.replace(target.with_suffix(".ipynb"))
    finally:
        executed.unlink(missing_ok=True)
    return target


class ReusableKernel:
    """One project kernel, and one client connected to it, kept across many papermill runs (each page worker keeps
    one: starting a kernel and importing pandas and matplotlib again for every force would double the time, and
    connecting a client waits about 0.2 s for the kernel's answer). It dies with its worker."""

    def __init__(self):
        self.km = None
        self.kc = None

    def get(self):
        """The running kernel's manager and a connected client (started, or started again after a failure)."""
        from jupyter_client.manager import KernelManager

        if self.km is None or not self.km.is_alive():
            self.shutdown()
            self.km = KernelManager(kernel_name=KERNEL)
            self.km.start_kernel(cwd=str(paths.notebooks_dir()), preexec_fn=procs.die_with_parent)
        if self.kc is None:
            kc = self.km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=60)
            except RuntimeError:
                kc.stop_channels()
                raise
            kc.allow_stdin = False
            self.kc = kc
        return self.km, self.kc

    def restart(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km is not None and self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        finally:
            self.km = self.kc = None


@functools.cache
def _reused_kernel_engine() -> str:
    """A papermill engine (papermill's nbclient engine) that runs a notebook in a ReusableKernel's kernel through its
    connected client; nbclient would connect a new client for every notebook and leave it open. Registered once per
    process; returns its name."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class ReusedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            kernel=None,
            **kwargs,
        ):
            km, kc = kernel.get()
            kwargs = remove_args(["input_path"], **kwargs)  # as papermill's own engine passes them on
            final = merge_kwargs(
                remove_args(["timeout", "startup_timeout"], **kwargs),
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=km, **final)
            client.kc = kc  # nbclient connects a client only when it has none, and leaves ours open
            return client.execute()

    papermill_engines.register("crimeoutcomes-reused-kernel", ReusedKernelEngine)
    return "crimeoutcomes-reused-kernel"
