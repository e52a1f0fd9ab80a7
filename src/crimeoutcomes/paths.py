"""Where the project's folders are.

The *checkout* holds the code, `config/` and `notebooks/`. The *project root* holds the outputs (`data/raw`,
`data/processed`, `reports`) and, normally, is the checkout itself. The environment variable CRIMEOUTCOMES_ROOT
points it elsewhere: tests and nbval work in a temporary root (see `crimeoutcomes.testing`) so that they never
touch the user's `data/` or `reports/`. A temporary root links `config/` and `notebooks/` from the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import dag

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT = PACKAGE_DIR.parents[1]  # src/crimeoutcomes -> checkout (editable install keeps the package in place)


ROOT_VARIABLE = "CRIMEOUTCOMES_ROOT"


def project_root() -> Path:
    env = os.environ.get(ROOT_VARIABLE)
    return Path(env).resolve() if env else CHECKOUT


def root_problem() -> str | None:
    """What is wrong with CRIMEOUTCOMES_ROOT, in one line naming it and what to do (None: unset, or a folder)."""
    env = os.environ.get(ROOT_VARIABLE)
    if env is None:
        return None
    said = f"{ROOT_VARIABLE}={printable(env)!r}"
    if not env.strip():
        return f"{said} is empty: unset it (unset {ROOT_VARIABLE}) to use this checkout, or set it to a project root"
    if not os.path.isabs(env):
        return (
            f"{said} is a relative path, which would mean another folder from each working folder: set it to the "
            f"absolute path of a project root, e.g. {ROOT_VARIABLE}=$(realpath {printable(env)})"
        )
    if os.path.lexists(env) and not os.path.isdir(env):
        return f"{said} is not a folder: set it to a project root folder (or unset it to use this checkout)"
    if not os.path.isdir(env):
        return f"{said} does not exist: create it (mkdir -p {printable(env)}) or unset it to use this checkout"
    return None


def input_file(key: str) -> Path:
    """A declared input of the steps (dag.INPUTS), as the step table places it: input_file("caveats"). Step bodies
    open their inputs through their target instead (`target.input(key)`), which honours a user's own files."""
    return project_root() / dag.INPUTS[key].path


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def cache_dir() -> Path:
    return processed_dir() / "cache"


def edition_dir(edition: str) -> Path:
    return processed_dir() / edition


def reports_dir(edition: str | None = None) -> Path:
    base = project_root() / "reports"
    return base / edition if edition else base


def step_dir(step: str, edition: str) -> Path:
    """A step's folder for an edition, as the step table (dag.py) declares it."""
    return project_root() / dag.BY_NAME[step].folder_for(edition)


def output(step: str, key: str, edition: str, **items: str) -> Path:
    """A declared output of a step (dag.py): paths.output("claims", "audit_csv", "sample")."""
    return project_root() / dag.output(step, key, edition, **items)


def default_mirror() -> Path | None:
    """The local mirror folder: $CRIMEOUTCOMES_MIRROR, else ../shared/outcomes-data beside the checkout."""
    env = os.environ.get("CRIMEOUTCOMES_MIRROR")
    if env:
        return Path(env)
    candidate = CHECKOUT.parent / "shared" / "outcomes-data"
    return candidate if candidate.is_dir() else None


def printable(text: str) -> str:
    """Text that can be printed and written as UTF-8: the bytes of a file name that are not UTF-8 (which Python keeps
    as surrogate escapes) shown as \\xNN."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


def relative(path: Path | str, start: Path | None = None) -> str:
    """A path as shown to readers: relative to the project root when inside it (stable across checkouts and
    temporary roots), and printable whatever bytes its name holds."""
    p = Path(path).absolute()
    for base in (start or project_root(), CHECKOUT):
        try:
            return printable(p.relative_to(base.absolute()).as_posix())
        except ValueError:
            continue
    return printable(p.as_posix())
