"""The build step: raw files of an edition -> data/processed/<edition>/ (the tables declared in tables.py).

    obtain      each file from data/raw, a mirror or its URL, sha256-verified            (fetch.obtain)
    read+clean  each file once, in parallel across cores, into a cache entry keyed by
                its sha256 and the reading/cleaning code: its tidy rows and its parts of
                the aggregates                                                          (read, clean, derive)
    assemble    stream the tidy parts into one outcomes.parquet; concatenate the parts;
                judge coverage over the whole edition                                    (derive.coverage)
    publish     write every table into a new folder and swap it in whole                 (atomic.replace_dir)

A build records a stamp (the files' pins, the data-stage code, the format) and is a no-op when nothing changed.
Only one build of an edition runs at a time; a build killed at any instant is recovered or completed by the next.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths, procs, stamps
from ..atomic import atomic_path, clean_stale, lock, recover_dir, replace_dir, write_text
from ..errors import DataError
from . import clean, derive, fetch, read, tables
from . import manifest as manifest_mod
from .manifest import Edition, Manifest, SourceFile

FORMAT = 3  # bump when the processed layout changes without a code change in this stage
CACHE_PARTS = ("tidy", "aggregate", "offence_groups", "supply", "quality")


@dataclass
class FileReport:
    id: str
    file: str
    financial_year: str
    layout: str
    sha256: str
    bytes: int
    vintage: str
    release: str
    url: str
    licence: str
    publisher: str
    sheet: str | None
    sheets_skipped: list[str]
    header_row: int
    headers: dict[str, str]
    rows_read: int
    empty_rows: int
    from_cache: bool = False
    seconds: float = 0.0


@dataclass
class BuildResult:
    edition: str
    description: str
    release: str
    synthetic: bool
    out_dir: Path
    files: list[FileReport]
    rows: int
    financial_years: list[str]
    stamp: str
    no_op: bool = False
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        d = asdict(self)
        d["out_dir"] = paths.relative(self.out_dir)
        for k in ("seconds", "timings", "no_op"):
            d.pop(k)
        for f in d["files"]:
            f.pop("from_cache")
            f.pop("seconds")
        return d


def code_stamp() -> str:
    return stamps.code_fingerprint("data")


def build_stamp(ed: Edition) -> str:
    return stamps.fingerprint(
        {
            "edition": ed.name,
            "files": [f.pin() for f in ed.files],
            "format": FORMAT,
            "synthetic": ed.synthetic,
            "description": ed.description,
            "release": ed.release,
        },
        code_stamp(),
    )


def _code_key() -> str:
    """The part of a cache entry's name that says which reader/cleaning code made it."""
    return code_stamp()[:12]


def _cache_key(src: SourceFile) -> str:
    return f"{src.sha256[:20]}-{src.financial_year.replace('/', '-')}-{_code_key()}"


def prune_cache(cache_root: Path) -> list[Path]:
    """Remove cache entries made by other versions of the reader/cleaning code (they can never be used again).
    Hidden names are entries being written by a running build and are left alone."""
    current = _code_key()
    old = [
        p
        for p in (cache_root.iterdir() if cache_root.is_dir() else [])
        if p.is_dir() and not p.name.startswith(".") and not p.name.endswith(current)
    ]
    for p in old:
        shutil.rmtree(p, ignore_errors=True)
    return old


def process_file(src_dict: dict, path: str, cache: str) -> dict:
    """Read and clean one raw file into its cache entry (runs in a worker process). Returns its report."""
    src = SourceFile(**src_dict)
    t0 = time.perf_counter()
    raw = read.read_raw(Path(path), src.layout)
    tidy = clean.normalise(raw, financial_year=src.financial_year, source_file=src.file)
    parts = {
        "tidy": tables.OUTCOMES.conform(tidy),
        "aggregate": derive.aggregate(tidy),
        "offence_groups": derive.offence_groups(tidy),
        "supply": derive.supply(tidy),
        "quality": derive.quality(tidy, raw.empty_rows, src.file),
    }
    report = FileReport(
        id=src.id,
        file=src.file,
        financial_year=src.financial_year,
        layout=src.layout,
        sha256=src.sha256,
        bytes=src.bytes,
        vintage=src.vintage,
        release=src.release,
        url=src.url,
        licence=src.licence,
        publisher=src.publisher,
        sheet=raw.sheet,
        sheets_skipped=raw.sheets_skipped,
        header_row=raw.header_row,
        headers=raw.headers,
        rows_read=raw.rows,
        empty_rows=len(raw.empty_rows),
    )
    del raw
    with replace_dir(Path(cache)) as tmp:
        for name, frame in parts.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False, compression="zstd")
        (tmp / "report.json").write_text(json.dumps(asdict(report)))
    report.seconds = time.perf_counter() - t0
    return asdict(report)


def _load_report(entry: Path) -> FileReport | None:
    try:
        data = json.loads((entry / "report.json").read_text())
    except (OSError, ValueError):
        return None
    if not all((entry / f"{p}.parquet").is_file() for p in CACHE_PARTS):
        return None
    return FileReport(**{**data, "from_cache": True, "seconds": 0.0})


def prepare(ed: Edition, log=print) -> Edition:
    """The edition with its files listed (a generated edition is made first, once)."""
    if ed.generate:
        from . import synthetic

        return synthetic.ensure_generated(ed, log=log)
    return ed


def _sources_dir(ed: Edition) -> Path:
    return paths.raw_dir() / ed.name if ed.generate else paths.raw_dir()


def build_edition(
    edition: str | None = None,
    *,
    manifest: Manifest | None = None,
    mirror: Path | None = None,
    allow_download: bool = True,
    progress: bool = True,
    jobs: int | None = None,
    force: bool = False,
    log=print,
) -> BuildResult:
    started = time.perf_counter()
    manifest = manifest or manifest_mod.load()
    processed = paths.processed_dir()
    out_dir = paths.edition_dir(manifest.edition(edition).name)
    with lock(processed, f"build-{out_dir.name}", f"the {out_dir.name} edition"):
        recovered = recover_dir(out_dir)
        if recovered:
            log(f"  {recovered}")
        for stale in (
            clean_stale(processed, recursive=False) + clean_stale(paths.raw_dir()) + clean_stale(paths.cache_dir())
        ):
            log(f"  removed {paths.relative(stale)} (left by a run that was killed)")
        ed = prepare(manifest.edition(edition), log=log)
        stamp = build_stamp(ed)
        names = [tables.BUILD_FILE] + [t.file for t in tables.TABLES]
        if not force and stamps.is_current(out_dir, stamp, names):
            stamps.touch(out_dir / stamps.STAMP_FILE)
            build = json.loads((out_dir / tables.BUILD_FILE).read_text())
            return BuildResult(
                ed.name,
                ed.description,
                ed.release,
                ed.synthetic,
                out_dir,
                [],
                build["rows"],
                ed.financial_years,
                stamp,
                no_op=True,
                seconds=time.perf_counter() - started,
            )
        return _build(
            ed,
            stamp,
            out_dir,
            mirror=mirror if mirror is not None else paths.default_mirror(),
            allow_download=allow_download,
            progress=progress,
            jobs=jobs,
            log=log,
            started=started,
        )


def _build(
    ed: Edition, stamp: str, out_dir: Path, *, mirror, allow_download, progress, jobs, log, started
) -> BuildResult:
    timings: dict[str, float] = {}
    t = time.perf_counter()
    located = [
        (src, fetch.obtain(src, _sources_dir(ed), mirror, allow_download=allow_download, progress=progress))
        for src in ed.files
    ]
    timings["obtain and verify"] = time.perf_counter() - t

    t = time.perf_counter()
    cache_root = paths.cache_dir()
    entries: dict[str, Path] = {src.id: cache_root / _cache_key(src) for src, _ in located}
    reports: dict[str, FileReport] = {}
    todo = []
    for src, path in located:
        report = _load_report(entries[src.id])
        if report is None:
            todo.append((src, path))
        else:
            reports[src.id] = report
    if todo:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        log(f"  reading {len(todo)} raw file(s), {jobs} at a time")
        if jobs == 1:
            results = [process_file(asdict(src), str(path), str(entries[src.id])) for src, path in todo]
        else:
            with procs.pool(jobs) as pool:
                futures = [
                    pool.submit(process_file, asdict(src), str(path), str(entries[src.id])) for src, path in todo
                ]
                results = [f.result() for f in futures]
        for data in results:
            reports[data["id"]] = FileReport(**data)
    for src, _ in located:
        r = reports[src.id]
        log(f"  {src.file}: {r.rows_read:,} rows" + (" (columnar cache)" if r.from_cache else f" ({r.seconds:.1f} s)"))
    old = prune_cache(cache_root)
    if old:
        log(
            f"  removed {len(old)} cache entr{'y' if len(old) == 1 else 'ies'} made by an earlier version of the "
            f"reader or cleaning code ({', '.join(sorted(p.name for p in old)[:3])}{', ...' if len(old) > 3 else ''})"
        )
    timings["read and clean"] = time.perf_counter() - t

    t = time.perf_counter()
    order = [src.id for src, _ in located]
    with replace_dir(out_dir) as tmp:
        rows = _stream_tidy([entries[i] / "tidy.parquet" for i in order], tmp / tables.OUTCOMES.file)
        timings["assemble tidy table"] = time.perf_counter() - t
        t = time.perf_counter()

        def part(name):
            return pd.concat(
                [pd.read_parquet(entries[i] / f"{name}.parquet") for i in order],
                ignore_index=True,
            )

        tables.AGGREGATE.write(part("aggregate"), tmp)
        tables.OFFENCE_GROUPS.write(part("offence_groups"), tmp)
        tables.COVERAGE.write(derive.coverage(part("supply"), ed.financial_years), tmp)
        quality = part("quality")
        tables.QUALITY.write(
            quality.sort_values(["source_file", "force", "financial_year", "fin_quarter", "column", "issue"])
            if len(quality)
            else quality,
            tmp,
        )
        result = BuildResult(
            ed.name,
            ed.description,
            ed.release,
            ed.synthetic,
            out_dir,
            [reports[i] for i in order],
            rows,
            ed.financial_years,
            stamp,
        )
        write_text(tmp / tables.BUILD_FILE, json.dumps(result.to_json(), indent=2) + "\n")
        stamps.write_stamp(tmp, stamp)
        timings["derive and write tables"] = time.perf_counter() - t
    result.seconds = time.perf_counter() - started
    result.timings = timings
    return result


def _stream_tidy(parts: list[Path], target: Path) -> int:
    """Concatenate the files' tidy parts into one Parquet file, one part at a time (bounded memory).
    Categorical columns are written with a common dictionary type so the parts share one schema."""
    schema = None
    rows = 0
    with atomic_path(target, ".parquet") as tmp:
        writer = None
        try:
            for p in parts:
                table = pq.read_table(p)
                if schema is None:
                    schema = pa.schema(
                        [
                            pa.field(f.name, pa.dictionary(pa.int32(), pa.string()))
                            if pa.types.is_dictionary(f.type)
                            else f
                            for f in table.schema
                        ]
                    ).with_metadata(table.schema.metadata)
                    writer = pq.ParquetWriter(tmp, schema, compression="zstd")
                try:
                    table = table.cast(schema)
                except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
                    raise DataError(
                        f"cached part {p.name} does not match the tidy table's columns ({exc}); "
                        "delete data/processed/cache/ and build again"
                    ) from None
                writer.write_table(table, row_group_size=1 << 20)
                rows += table.num_rows
                del table
        finally:
            if writer is not None:
                writer.close()
    return rows


# ------------------------------------------------------------------------------------------- loading results
def load_build(edition: str) -> dict:
    path = paths.edition_dir(edition) / tables.BUILD_FILE
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise DataError(
            f"{paths.relative(path)} not found: build the edition first (make data EDITION={edition})"
        ) from None
