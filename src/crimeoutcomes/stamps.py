"""Step stamps: each step records a fingerprint of everything its outputs depend on (input files' hashes, the
code of the modules that make them, the options). An unchanged step is a no-op."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import paths
from .atomic import write_text

STAMP_FILE = ".stamp.json"


#: top-level modules every step uses (the Makefile's CODE_DATA lists the same files)
SHARED_MODULES = ("atomic.py", "errors.py", "paths.py", "procs.py", "stamps.py", "yamlfile.py")


def code_fingerprint(*stages: str) -> str:
    """sha256 over the source a step runs: the shared modules, the named stage folders ("data", "analysis",
    "publish") and, for stages past data, steps.py. Changes whenever that code changes, and only then."""
    h = hashlib.sha256()
    files = [paths.PACKAGE_DIR / m for m in SHARED_MODULES]
    for stage in stages:
        files += sorted((paths.PACKAGE_DIR / stage).rglob("*.py"))
    if set(stages) - {"data"}:
        files.append(paths.PACKAGE_DIR / "steps.py")
    for f in files:
        h.update(f.relative_to(paths.PACKAGE_DIR).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def fingerprint(*parts) -> str:
    """sha256 of JSON-serialisable parts and of files (Path objects: their bytes)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(part.name.encode() + b"\0")
            h.update(part.read_bytes() if part.is_file() else b"(absent)")
        else:
            h.update(json.dumps(part, sort_keys=True, default=str).encode())
        h.update(b"\x1e")
    return h.hexdigest()


def is_current(folder: Path, stamp: str, outputs: list[str] | tuple[str, ...] = ()) -> bool:
    """True when folder/.stamp.json records `stamp` and every named output exists."""
    marker = folder / STAMP_FILE
    try:
        recorded = json.loads(marker.read_text()).get("stamp")
    except (OSError, ValueError):
        return False
    return recorded == stamp and all((folder / o).exists() for o in outputs)


def write_stamp(folder: Path, stamp: str, **info) -> None:
    write_text(folder / STAMP_FILE, json.dumps({"stamp": stamp, **info}, indent=1, default=str) + "\n")


def touch(path: Path) -> None:
    """Update a make target's time without changing its bytes (so make sees the step as done)."""
    if path.exists():
        os.utime(path)
