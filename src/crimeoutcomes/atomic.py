"""Atomic outputs. Every file the project writes goes to a temporary name beside its target and is renamed
only when complete, so a full disk, an error or a kill never leaves a truncated output.

Temporary names carry the writer's process id (`.NAME.PID.RANDOM.part`, `.NAME.PID.building`) so that a later
run can tell leftovers of a dead process from the work of a live one and remove them (`clean_stale`).

Whole folders are replaced with `replace_dir`: the new folder is built beside the old one, then swapped in with
two renames. A kill between the renames leaves the previous folder as `.NAME.old`, which `recover_dir` (called by
every run before it reads or writes the folder) puts back; a kill after them leaves an `.old` that is removed.
Concurrent runs are kept apart by `lock`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from .errors import BusyError

_STALE = re.compile(r"^\..+\.(\d+)\.(?:[0-9a-f]+\.part.*|building)$")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_name(target: Path, kind: str, suffix: str = "") -> Path:
    if kind == "part":
        return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part{suffix}")
    return target.with_name(f".{target.name}.{os.getpid()}.building")


@contextlib.contextmanager
def atomic_path(target: Path | str, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces the target, on any error (or interrupt)
    it is removed and the target is untouched. `suffix` lets writers that look at the extension work."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(target, "part", suffix)
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(target: Path | str, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: Path | str, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def _old(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def recover_dir(target: Path | str) -> str | None:
    """Finish or undo a folder swap a killed run left half done. Returns what was done, or None."""
    target = Path(target)
    old = _old(target)
    if not old.exists():
        return None
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        return f"removed {old.name} left by an interrupted run"
    os.replace(old, target)
    return f"restored {target.name} from {old.name} (a previous run was interrupted mid-swap)"


@contextlib.contextmanager
def replace_dir(target: Path | str) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces `target` as a whole. On error the previous
    contents of `target` are untouched and the temporary folder is removed. Hold `lock` around it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(target)
    tmp = _temp_name(target, "building")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = _old(target)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path | str, recursive: bool = True) -> list[Path]:
    """Remove temporary files and folders left by processes that no longer run. Returns what was removed."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    candidates = folder.rglob(".*") if recursive else folder.glob(".*")
    for p in sorted(candidates, key=lambda p: len(p.parts)):
        m = _STALE.match(p.name)
        if not m or _alive(int(m.group(1))) or not (p.exists() or p.is_symlink()):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p)
    return removed


@contextlib.contextmanager
def lock(folder: Path | str, name: str, what: str) -> Iterator[None]:
    """An exclusive lock on `folder/.NAME.lock` for the duration; if another run holds it, a BusyError that
    says so (never wait silently)."""
    from filelock import FileLock, Timeout

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.lock"
    flock = FileLock(str(path), timeout=0)
    try:
        flock.acquire()
    except Timeout:
        raise BusyError(
            f"another run is already writing {what} (lock {path}); wait for it to finish, then run again"
        ) from None
    try:
        yield
    finally:
        flock.release()
