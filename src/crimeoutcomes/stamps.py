"""Fingerprints for step stamps: of files, of JSON-able values, and of the code a step runs.

The code a step runs is found, not listed: starting from the step's module (and the notebooks it runs), every
`import` of a module of this package is followed, wherever it stands in the file (lazy imports included). Tools
(`crimeoutcomes.tools`) and the machinery that decides and reports (`cli`, `pipeline`, `context`, `stamps`) are never
part of a step's code: editing them recomputes nothing.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from . import paths
from .atomic import write_text

PACKAGE = "crimeoutcomes"
#: modules that decide and report but never change an output
MACHINERY = frozenset(f"{PACKAGE}.{m}" for m in ("__main__", "cli", "pipeline", "context", "stamps"))
TOOLS = f"{PACKAGE}.tools"


# ------------------------------------------------------------------------------------------- modules
@functools.cache
def modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> file."""
    out = {}
    for f in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        rel = f.relative_to(paths.PACKAGE_DIR).with_suffix("")
        parts = [PACKAGE, *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = modules()[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_in(tree: ast.AST, module: str | None = None) -> set[str]:
    """The package modules a parsed file imports (anywhere in it)."""
    known = modules()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node) if module else (node.module or "")
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    found.add(f"{base}.{alias.name}")
                elif base in known:
                    found.add(base)
    return {m for m in found if m == PACKAGE or m.startswith(PACKAGE + ".")}


@functools.cache
def _imports(module: str) -> frozenset[str]:
    path = modules()[module]
    return frozenset(imports_in(ast.parse(path.read_bytes(), str(path)), module))


def notebook_imports(path: Path) -> set[str]:
    """The package modules a notebook's code cells import (shell and magic lines are skipped)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    found: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            found |= imports_in(ast.parse("\n".join(lines)))
        except SyntaxError:
            continue
    return found


def closure(entries: Iterable[str]) -> list[str]:
    """The entry modules and every package module they import, directly or not (with their parent packages);
    tools and the machinery are not followed."""
    seen: set[str] = set()
    todo = [e for e in entries]
    while todo:
        m = todo.pop()
        if m in seen or m in MACHINERY or m == TOOLS or m.startswith(TOOLS + "."):
            continue
        seen.add(m)
        parts = m.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        todo += list(_imports(m))
    return sorted(seen)


def code_fingerprint(module_names: Iterable[str]) -> str:
    h = hashlib.sha256()
    for name in sorted(module_names):
        path = modules()[name]
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\x1e")
    return h.hexdigest()


# ------------------------------------------------------------------------------------------- values and files
def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or '(absent)'."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "(absent)"


def fingerprint(*parts) -> str:
    """sha256 of JSON-serialisable parts and of files (Path objects: their name and bytes)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(part.name.encode() + b"\0" + file_digest(part).encode())
        else:
            h.update(json.dumps(part, sort_keys=True, default=str).encode())
        h.update(b"\x1e")
    return h.hexdigest()


# ------------------------------------------------------------------------------------------- stamp files
def read(path: Path) -> dict:
    """A stamp file's content ({} when there is none or it is unreadable)."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def describe(path: Path) -> dict:
    """What a written output is: its kind (file, folder, link), and for a file its size, time and sha256."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return {"kind": "absent"}
    if stat.S_ISLNK(st.st_mode):
        return {"kind": "link"}
    if stat.S_ISDIR(st.st_mode):
        return {"kind": "folder"}
    if not stat.S_ISREG(st.st_mode):
        return {"kind": "other"}
    return {"kind": "file", "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": file_digest(path)}


def write(path: Path, stamp: str, files: Iterable[str] | dict = (), *, base: Path | None = None, **info) -> None:
    """Record a stamp and what the step wrote: each file (relative to `base`, the step's folder; by default the
    stamp's folder) with its kind and hash, so that a file replaced later (by a folder, a link or other bytes) makes
    the step run again. A dict of files already described is recorded as it is."""
    base = Path(path).parent if base is None else Path(base)
    described = dict(files) if isinstance(files, dict) else {f: describe(base / f) for f in sorted(set(files))}
    record = {"stamp": stamp, **info, "files": dict(sorted(described.items()))}
    write_text(path, json.dumps(record, indent=1, default=str) + "\n")


def recorded(record: dict) -> dict[str, dict]:
    """The files a stamp recorded, each with what was written ({} for a stamp that recorded names only)."""
    files = record.get("files") or {}
    return dict(files) if isinstance(files, dict) else {f: {} for f in files}


def _unchanged(path: Path, was: dict) -> bool:
    if not was:  # recorded by name only: present is all that can be checked
        return os.path.exists(path)
    now = os.lstat(path)
    if was.get("kind") != "file":
        return describe(path)["kind"] == was.get("kind")
    if not stat.S_ISREG(now.st_mode):
        return False
    if (now.st_size, now.st_mtime_ns) == (was.get("size"), was.get("mtime_ns")):
        return True  # the file as it was written (the hash is read only when size or time differ)
    return now.st_size == was.get("size") and file_digest(path) == was.get("sha256")


def check_files(folder: Path, record: dict, declared: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """(missing, replaced): files a stamp recorded (or a step declares) that are not in the folder, and those that
    are no longer what the step wrote (another kind, such as a folder or a link, or other bytes)."""
    files = recorded(record)
    missing, replaced = [], []
    for f in dict.fromkeys([*declared, *files]):
        where = Path(folder) / f
        if not os.path.lexists(where):
            missing.append(f)
        elif f in files and not _unchanged(where, files[f]):
            replaced.append(f)
    return missing, replaced


def missing_files(folder: Path, record: dict, declared: Iterable[str] = ()) -> list[str]:
    """Files a stamp recorded (or a step declares) that are not in the folder, or not as the step wrote them."""
    missing, replaced = check_files(folder, record, declared)
    return missing + replaced


def written(folder: Path, exclude: Iterable[str] = ()) -> list[str]:
    """Every file below a folder (relative, POSIX), hidden files and the excluded prefixes left out."""
    skip = tuple(exclude)
    out = []
    for p in Path(folder).rglob("*"):
        rel = p.relative_to(folder)
        hidden = any(part.startswith(".") for part in rel.parts)
        if p.is_file() and not hidden and not (skip and rel.as_posix().startswith(skip)):
            out.append(rel.as_posix())
    return sorted(out)
