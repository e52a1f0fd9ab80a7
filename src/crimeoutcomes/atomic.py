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
import errno
import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import BusyError, UserError

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
    except OSError as exc:
        named = _named(exc, target)
        if named is exc:
            raise
        raise named from exc
    finally:
        if tmp.exists():
            tmp.unlink()


#: what libraries that write files (pyarrow, matplotlib) say when the disk or the size limit stops them
_FULL = {errno.ENOSPC: "No space left on device", errno.EFBIG: "File too large"}


def _named(exc: OSError, target: Path, tmp: Path | None = None) -> OSError:
    """A write error that names the output being written (writers often say only "No space left on device"): the
    file, under its final name, or the folder being built."""
    number = exc.errno or next((n for n, text in _FULL.items() if text in str(exc)), None)
    if number not in _FULL:
        return exc
    where = str(target)
    if tmp is not None:  # a file being written in a folder being built: its final name, or the folder's ("NAME/")
        inside = exc.filename and Path(os.fsdecode(exc.filename)).is_relative_to(tmp)
        where = str(target / Path(os.fsdecode(exc.filename)).relative_to(tmp)) if inside else f"{target}/"
    return OSError(number, os.strerror(number), where)


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


#: inside a folder kept for undoing (`.NAME.undo`): the files beside it as they were, the names of those that were
#: absent, and a mark that the folder itself was absent
BESIDE, ABSENT, WAS_ABSENT = ".beside", ".beside-absent", ".was-absent"
_FS_IOC_GETFLAGS = 0x80086601  # Linux: a file's attributes (lsattr)
_CANNOT_DELETE = 0x10 | 0x20  # immutable (chattr +i), append only (chattr +a)


def _attributes(path: str) -> int:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return 0
    try:
        import fcntl

        return int.from_bytes(fcntl.ioctl(fd, _FS_IOC_GETFLAGS, b"\0" * 4), sys.byteorder)
    except OSError:
        return 0
    finally:
        os.close(fd)


def undeletable(folder: Path) -> Path | None:
    """The first file or folder below `folder` (or itself) that cannot be deleted because it is immutable or append
    only (None: none; only Linux says)."""
    if not sys.platform.startswith("linux") or not folder.is_dir() or folder.is_symlink():
        return None
    for where, dirs, files in os.walk(folder):
        for name in [None, *files, *dirs]:
            path = where if name is None else os.path.join(where, name)
            if _attributes(path) & _CANNOT_DELETE:
                return Path(path)
    return None


def _stuck(path: Path, folder: Path) -> UserError:
    return UserError(
        f"{path} cannot be deleted (it is immutable or append only: lsattr shows its flags), and {folder} is "
        f"replaced as a whole on each run: clear the flag (chattr -i, or -a) or move it elsewhere, and run again"
    )


def remove(path: Path) -> None:
    """Remove a file, a link (never what it points to) or a folder; what cannot be removed is one clear error."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink(missing_ok=True)
        return
    if not path.exists():
        return
    try:
        shutil.rmtree(path)
    except OSError as exc:
        stuck = undeletable(path)
        if stuck is not None:
            raise _stuck(stuck, path) from None
        raise UserError(f"cannot remove {path} ({exc.strerror or exc}): remove it by hand and run again") from None


def _undo(target: Path) -> Path:
    return target.with_name(f".{target.name}.undo")


def _trash(path: Path) -> Path:
    """A name to delete a folder under: `clean_stale` finishes the deletion if this process is killed meanwhile."""
    return path.with_name(f"{path.name}.{os.getpid()}.building")


def _undo_swap(target: Path) -> bool:
    """Put back a folder, and the files beside it, that a swap kept for undoing (`.NAME.undo`)."""
    undo = _undo(target)
    if not undo.is_dir() or undo.is_symlink():
        return False
    if os.path.lexists(target):
        os.replace(target, _trash(target))
        remove(_trash(target))
    for f in sorted((undo / ABSENT).iterdir()) if (undo / ABSENT).is_dir() else []:
        (target.parent / f.name).unlink(missing_ok=True)  # written by the interrupted run: there was none
    for f in sorted((undo / BESIDE).iterdir()) if (undo / BESIDE).is_dir() else []:
        os.replace(f, target.parent / f.name)
    for d in (BESIDE, ABSENT):
        remove(undo / d)
    if (undo / WAS_ABSENT).exists():
        remove(undo)
    else:
        os.replace(undo, target)
    return True


def recover_dir(target: Path | str) -> str | None:
    """Finish or undo a folder swap a killed run left half done. Returns what was done, or None."""
    target = Path(target)
    old = _old(target)
    said = None
    if os.path.lexists(old):
        if os.path.lexists(target) or old.is_symlink() or not old.is_dir():
            remove(old)
            said = f"removed {old.name} left by an interrupted run"
        else:
            os.replace(old, target)
            said = f"restored {target.name} from {old.name} (a previous run was interrupted mid-swap)"
    if _undo_swap(target):
        said = f"put back {target.name} and the files beside it as they were (a previous run was interrupted)"
    return said


def recover_tree(folder: Path | str) -> list[str]:
    """recover_dir for every folder directly in `folder` (steps that swap one folder per item, such as a force's)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    said = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") and child.name.endswith((".old", ".undo")):
            child = child.with_name(child.name[1:].rsplit(".", 1)[0])
        elif not child.is_dir() or child.is_symlink():
            continue
        done = recover_dir(child)
        if done:
            said.append(done)
    return said


@contextlib.contextmanager
def replace_dir(target: Path | str) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces `target` as a whole. On error the previous
    contents of `target` are untouched and the temporary folder is removed. Hold `lock` around it.

    A link at `target` is refused (it would be replaced by a folder), and so is a folder holding a file that cannot
    be deleted (it would stay behind as `.NAME.old`)."""
    target = Path(target)
    if target.is_symlink():
        raise UserError(
            f"{target} is a link (to {os.readlink(target)}); it is replaced as a whole on each run, so it must be a "
            "real folder: remove the link and run again"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(target)
    stuck = undeletable(target)
    if stuck is not None:
        raise _stuck(stuck, target)
    tmp = _temp_name(target, "building")
    if os.path.lexists(tmp):
        remove(tmp)
    tmp.mkdir()
    os.chmod(tmp, 0o777 & ~_umask())
    old = _old(target)
    try:
        yield tmp
        if os.path.lexists(target):
            os.replace(target, old)
        os.replace(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if os.path.lexists(old) and not os.path.lexists(target):
            os.replace(old, target)  # the swap failed between its renames: the previous folder goes back
        named = _named(exc, target, tmp) if isinstance(exc, OSError) else exc
        if named is exc:
            raise
        raise named from exc
    remove(old)


class SwapTogether:
    """Replace a folder and files beside it (a force's files and its page) as one: the new folder is built aside
    (`tmp`), `swap()` puts it in place while keeping the previous folder, and the files beside it, as `.NAME.undo`;
    the caller then writes the files beside (which may read the new folder), and leaving the block without an error
    deletes the previous ones. An error undoes the swap; a kill leaves `.NAME.undo`, which the next run's
    `recover_dir` puts back: the folder and the files beside it are always from one run.

        with SwapTogether(forces / "kent", [forces / "kent.html"]) as swap:
            write_files(swap.tmp); swap.swap(); write_page(forces / "kent.html")
    """

    def __init__(self, target: Path | str, beside: list[Path]):
        self.target, self.beside = Path(target), [Path(b) for b in beside]
        self.tmp: Path = _temp_name(self.target, "building")
        self.swapped = False

    def __enter__(self) -> SwapTogether:
        t = self.target
        if t.is_symlink():
            raise UserError(f"{t} is a link (to {os.readlink(t)}); it must be a real folder: remove the link")
        t.parent.mkdir(parents=True, exist_ok=True)
        recover_dir(t)
        stuck = undeletable(t)
        if stuck is not None:
            raise _stuck(stuck, t)
        if os.path.lexists(self.tmp):
            remove(self.tmp)
        self.tmp.mkdir()
        os.chmod(self.tmp, 0o777 & ~_umask())
        return self

    def swap(self) -> None:
        """Put the new folder in place, keeping the previous one (with hard links to the files beside it, as they
        are now) as `.NAME.undo` until the block ends."""
        t, undo = self.target, _undo(self.target)
        keep = t if os.path.lexists(t) else undo
        if keep is undo:
            undo.mkdir()
            (undo / WAS_ABSENT).touch()
        for d in (BESIDE, ABSENT):
            remove(keep / d)  # left by a run killed while it was making them
            (keep / d).mkdir()
        for f in self.beside:
            if f.is_file() and not f.is_symlink():
                os.link(f, keep / BESIDE / f.name)
            else:
                (keep / ABSENT / f.name).touch()
        if keep is t:
            os.replace(t, undo)  # from here a kill is undone by the next run (recover_dir)
        os.replace(self.tmp, t)
        self.swapped = True

    def __exit__(self, kind, exc, tb) -> None:
        undo = _undo(self.target)
        if kind is None and self.swapped:
            os.replace(undo, _trash(undo))
            remove(_trash(undo))
            return
        shutil.rmtree(self.tmp, ignore_errors=True)
        _undo_swap(self.target)


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
