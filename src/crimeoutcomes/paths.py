"""Where the project's folders are. Everything is relative to the project root, which can be overridden
with the environment variable CRIMEOUTCOMES_ROOT (tests use this to work in a temporary folder)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    env = os.environ.get("CRIMEOUTCOMES_ROOT")
    if env:
        return Path(env).resolve()
    # src/crimeoutcomes/ -> project root (editable install keeps the package in the checkout)
    return PACKAGE_DIR.parents[1]


def config_dir() -> Path:
    return project_root() / "config"


def sources_manifest() -> Path:
    return config_dir() / "sources.yaml"


def raw_dir() -> Path:
    return Path(os.environ.get("CRIMEOUTCOMES_RAW_DIR", project_root() / "data" / "raw"))


def processed_dir() -> Path:
    return Path(os.environ.get("CRIMEOUTCOMES_PROCESSED_DIR", project_root() / "data" / "processed"))


def edition_dir(edition: str) -> Path:
    return processed_dir() / edition


def reports_dir(edition: str | None = None) -> Path:
    base = Path(os.environ.get("CRIMEOUTCOMES_REPORTS_DIR", project_root() / "reports"))
    return base / edition if edition else base


def default_mirror() -> Path | None:
    """The local mirror folder: $CRIMEOUTCOMES_MIRROR, else ../shared/outcomes-data beside the checkout."""
    env = os.environ.get("CRIMEOUTCOMES_MIRROR")
    if env:
        return Path(env)
    candidate = project_root().parent / "shared" / "outcomes-data"
    return candidate if candidate.is_dir() else None


def relative(path: Path | str) -> str:
    """A path as shown to readers: relative to the project root when inside it (stable across checkouts)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(project_root()).as_posix()
    except ValueError:
        return p.as_posix()
