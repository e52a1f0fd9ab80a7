"""Obtain a raw file named in the sources manifest, verified by sha256.

Order: data/raw/ (if its sha256 matches) → a local mirror folder → download from the file's URL.
Copies and downloads are written to a temporary name and renamed only when complete and verified;
a mismatch keeps nothing. A file whose bytes differ from the manifest is never used silently, and one already in
data/raw/ (perhaps the user's own) is moved aside, never overwritten.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tqdm import tqdm

from .. import paths
from ..atomic import atomic_path
from ..errors import SourceError
from .manifest import SourceFile

CHUNK = 1 << 20
DOWNLOAD_TIMEOUT = 60.0  # seconds without any data before a download is called stalled


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _mismatch(src: SourceFile, where: str, found_sha: str, found_bytes: int) -> str:
    return (
        f"{where}: sha256 {found_sha} ({found_bytes:,} bytes) does not match the manifest "
        f"(expected sha256 {src.sha256}, {src.bytes:,} bytes)"
    )


class WrongBytes(SourceError):
    """The file's sha256 matches but its size is not the manifest's: the manifest entry is wrong (never retried)."""


def _bytes_problem(src: SourceFile, where: str, size: int) -> str | None:
    """A file whose sha256 matches but whose size is not the manifest's: the manifest entry is wrong."""
    if size == src.bytes:
        return None
    return (
        f"{where} has the sha256 of {src.id} but is {size:,} bytes, not the {src.bytes:,} that "
        f"config/sources.yaml says: correct the 'bytes' field of entry {src.id!r}"
    )


_REISSUE_HINT = (
    "If the publisher has reissued this file, that is a new vintage: add it to config/sources.yaml as a new "
    "entry (new id, file, bytes, sha256, vintage) and put it in an edition; it is never used silently."
)


def find_in_mirror(src: SourceFile, mirror: Path) -> Path | None:
    if src.mirror_path and (mirror / src.mirror_path).is_file():
        return mirror / src.mirror_path
    direct = mirror / src.file
    if direct.is_file():
        return direct
    return next((p for p in sorted(mirror.rglob(src.file)) if p.is_file()), None)


def _copy_verified(src: SourceFile, source_path: Path, target: Path) -> str | None:
    """Copy source_path to target atomically if its hash matches; return a problem description otherwise."""
    h = hashlib.sha256()
    size = 0
    try:
        with atomic_path(target) as tmp:
            with open(source_path, "rb") as fin, open(tmp, "wb") as fout:
                for block in iter(lambda: fin.read(CHUNK), b""):
                    h.update(block)
                    size += len(block)
                    fout.write(block)
            if h.hexdigest() != src.sha256:
                raise SourceError(_mismatch(src, f"mirror file {source_path}", h.hexdigest(), size))  # keeps nothing
            problem = _bytes_problem(src, f"mirror file {source_path}", size)
            if problem:
                raise WrongBytes(problem)
            shutil.copystat(source_path, tmp)
    except WrongBytes:
        raise
    except SourceError as exc:
        return str(exc)
    return None


def stream(
    url: str,
    target: Path,
    *,
    timeout: float | None = None,
    progress: bool = True,
    expected_bytes: int | None = None,
    label: str = "",
    check=None,
) -> tuple[str, int]:
    """Download `url` to `target` atomically, hashing as it goes; return (sha256, bytes). `check(sha256, size)` may
    raise to refuse the file before it is kept. A failure (HTTP error, stall, short read, nothing received) is a
    SourceError saying how much arrived, and nothing is kept."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise SourceError(f"download of {url} refused: not an http(s) URL")
    h = hashlib.sha256()
    size = 0
    timeout = DOWNLOAD_TIMEOUT if timeout is None else timeout
    with atomic_path(target) as tmp:
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "crimeoutcomes/0.1"})
            with urllib.request.urlopen(request, timeout=timeout) as resp, open(tmp, "wb") as out:
                announced = resp.headers.get("Content-Length")
                announced = int(announced) if announced and announced.isdigit() else None
                with tqdm(
                    total=announced or expected_bytes,
                    unit="B",
                    unit_scale=True,
                    desc=label or target.name,
                    disable=not progress,
                    file=sys.stderr,
                    leave=False,
                ) as bar:
                    # read1: whatever has arrived (up to CHUNK), so a stall reports the bytes received so far
                    for block in iter(lambda: resp.read1(CHUNK), b""):
                        h.update(block)
                        out.write(block)
                        size += len(block)
                        bar.update(len(block))
        except urllib.error.HTTPError as exc:
            raise SourceError(f"download of {url} failed: HTTP {exc.code} {exc.reason}; nothing was kept") from None
        except TimeoutError:
            raise SourceError(
                f"download of {url} stalled after {size:,} bytes (nothing for {timeout:.0f} s); "
                "nothing was kept, run again to retry"
            ) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise SourceError(
                f"download of {url} failed after {size:,} bytes: {reason}; nothing was kept, check "
                "the connection and run again"
            ) from None
        if announced is not None and size != announced:
            raise SourceError(
                f"download of {url} was interrupted: received {size:,} of {announced:,} bytes; "
                "nothing was kept, run again to retry"
            )
        if size == 0:
            raise SourceError(f"download of {url} returned no bytes; nothing was kept, run again later")
        if check is not None:
            check(h.hexdigest(), size)
    return h.hexdigest(), size


def download(src: SourceFile, target: Path, *, timeout: float | None = None, progress: bool = True) -> None:
    """Download src.url to target, verified by sha256 and size; raise SourceError and keep nothing on failure."""

    def verify(sha: str, size: int) -> None:
        if sha != src.sha256:
            raise SourceError(_mismatch(src, f"downloaded file {src.url}", sha, size) + ". " + _REISSUE_HINT)
        problem = _bytes_problem(src, f"downloaded file {src.url}", size)
        if problem:
            raise WrongBytes(problem)

    stream(src.url, target, timeout=timeout, progress=progress, expected_bytes=src.bytes, label=src.file, check=verify)


def _move_aside(src: SourceFile, target: Path, found: str, log) -> Path:
    """A file in data/raw/ with a pinned file's name but other bytes (perhaps the user's own) is never overwritten or
    deleted: it is renamed to NAME.differs-SHA8 beside it, and one line says so."""
    aside = target.with_name(f"{target.name}.differs-{found[:8]}")
    if aside.exists() and sha256_of(aside) == found:
        target.unlink()  # the same bytes were kept aside before
    else:
        n = 1
        while aside.exists():
            n += 1
            aside = target.with_name(f"{target.name}.differs-{found[:8]}-{n}")
        os.replace(target, aside)
    log(
        f"  {paths.relative(target)} is not the pinned file {src.id} (sha256 {found[:16]}…, not "
        f"{src.sha256[:16]}…): kept as {paths.relative(aside)}; the pinned file is put in its place"
    )
    return aside


def obtain(
    src: SourceFile,
    raw_dir: Path | None = None,
    mirror: Path | None = None,
    *,
    allow_download: bool = True,
    progress: bool = True,
    log=print,
) -> Path:
    """Return the path in raw_dir of a verified copy of `src`, fetching it if needed. A file already there with
    other bytes is moved aside (never lost)."""
    raw_dir = Path(raw_dir) if raw_dir else paths.raw_dir()
    target = raw_dir / src.file
    problems: list[str] = []
    if target.is_file():
        size = target.stat().st_size
        found = sha256_of(target)
        if found == src.sha256:
            problem = _bytes_problem(src, paths.relative(target), size)
            if problem:
                raise WrongBytes(problem)
            return target
        aside = _move_aside(src, target, found, log)
        problems.append(_mismatch(src, paths.relative(target), found, size) + f" (kept as {paths.relative(aside)})")
    if mirror is not None:
        mirror = Path(mirror)
        candidate = find_in_mirror(src, mirror) if mirror.is_dir() else None
        if candidate is None or candidate.resolve() == target.resolve():
            problems.append(
                f"not in the mirror folder {mirror}" + ("" if mirror.is_dir() else " (folder does not exist)")
            )
        else:
            problem = _copy_verified(src, candidate, target)
            if problem is None:
                return target
            problems.append(problem)
    else:
        problems.append("no mirror folder given")
    if allow_download:
        try:
            download(src, target, progress=progress)
            return target
        except WrongBytes:
            raise
        except SourceError as exc:
            problems.append(str(exc))
    else:
        problems.append("download not allowed (offline)")
    raise SourceError(
        f"could not obtain {src.file} ({src.id}, financial year {src.financial_year}): "
        + "; ".join(problems)
        + f". What to do: put the file (sha256 {src.sha256}) in {paths.relative(raw_dir)}/ or in a mirror folder "
        "(MIRROR=/path/to/folder), or run with internet access. " + _REISSUE_HINT
    )


def obtain_all(ed, mirror: Path | None, *, allow_download: bool = True, progress: bool = True, log=print) -> list:
    """(file record, verified path) for every file of an edition, in its order."""
    return [
        (src, obtain(src, ed.raw_dir, mirror, allow_download=allow_download, progress=progress, log=log))
        for src in ed.files
    ]
