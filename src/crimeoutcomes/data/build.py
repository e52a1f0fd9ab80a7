"""The build's work: raw files of an edition -> the processed tables declared in tables.py.

    read+clean  each raw file once, in parallel across cores, into a cache entry keyed by its sha256 and the
                reading/cleaning code: its tidy rows and its parts of the aggregates          (read, clean, derive)
    assemble    stream the tidy parts into one outcomes.parquet; concatenate the parts; judge coverage over the
                whole edition                                                                   (derive.coverage)
    write       every table, and build.json (the record of the files used and how they were read)

The step (steps/build.py) obtains the files first and writes into a fresh folder that is swapped in whole.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import paths, procs, stamps
from ..atomic import atomic_path, replace_dir, write_text
from ..errors import DataError
from . import clean, derive, read, tables
from .manifest import Edition, SourceFile

CACHE_PARTS = ("tidy", "aggregate", "offence_groups", "supply", "quality")


@dataclass
class FileReport:
    """What reading one raw file found: the file's record from the manifest, and how it was read."""

    source: SourceFile
    sheet: str | None
    sheets_skipped: list[str]
    header_row: int
    headers: dict[str, str]
    rows_read: int
    empty_rows: int
    from_cache: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict:
        """build.json's record of the file: every manifest field, then how it was read."""
        details = {k: v for k, v in asdict(self).items() if k not in ("source", "from_cache", "seconds")}
        return {**asdict(self.source), **details}

    @classmethod
    def from_json(cls, data: dict, from_cache: bool = False) -> FileReport:
        source = SourceFile(**{k: data[k] for k in SourceFile.field_names() if k in data})
        read = {k: data[k] for k in ("sheet", "sheets_skipped", "header_row", "headers", "rows_read", "empty_rows")}
        return cls(source, **read, from_cache=from_cache)


#: the modules that read and clean a raw file into its cache entry: editing any of them (and only them) makes
#: every cache entry stale
CACHE_CODE = ("crimeoutcomes.data.read", "crimeoutcomes.data.clean", "crimeoutcomes.data.derive")


def _code_key() -> str:
    """The part of a cache entry's name that says which reader/cleaning code made it."""
    return stamps.code_fingerprint(stamps.closure(CACHE_CODE))[:12]


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
    report = FileReport(src, raw.sheet, raw.sheets_skipped, raw.header_row, raw.headers, raw.rows, len(raw.empty_rows))
    del raw
    with replace_dir(Path(cache)) as tmp:
        for name, frame in parts.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False, compression="zstd")
        (tmp / "report.json").write_text(json.dumps(report.to_json()))
    return {**report.to_json(), "seconds": time.perf_counter() - t0}


def _load_report(entry: Path) -> FileReport | None:
    try:
        data = json.loads((entry / "report.json").read_text())
    except (OSError, ValueError):
        return None
    if not all((entry / f"{p}.parquet").is_file() for p in CACHE_PARTS):
        return None
    try:
        return FileReport.from_json(data, from_cache=True)
    except (KeyError, TypeError):
        return None


@dataclass
class Cached:
    """The edition's files read and cleaned: their cache entries, in the edition's order."""

    entries: list[Path]
    reports: list[FileReport]


def read_and_clean(located: list[tuple[SourceFile, Path]], *, jobs: int | None = None, log=print) -> Cached:
    """Each file's cache entry, reading and cleaning (in parallel) only the files without one."""
    cache_root = paths.cache_dir()
    entries = {src.id: cache_root / _cache_key(src) for src, _ in located}
    reports: dict[str, FileReport] = {}
    todo = []
    for src, path in located:
        report = _load_report(entries[src.id])
        if report is None:
            todo.append((src, path))
        else:
            report.source = src  # the pin is the entry's; its descriptions (release, vintage) are the manifest's now
            reports[src.id] = report
    if todo:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        log(f"  reading {len(todo)} raw file(s), {jobs} at a time")
        args = [(asdict(src), str(path), str(entries[src.id])) for src, path in todo]
        if jobs == 1:
            results = [process_file(*a) for a in args]
        else:
            with procs.pool(jobs) as pool:
                results = [f.result() for f in [pool.submit(process_file, *a) for a in args]]
        for data in results:
            report = FileReport.from_json(data)
            report.seconds = data["seconds"]
            reports[report.source.id] = report
    for src, _ in located:
        r = reports[src.id]
        log(f"  {src.file}: {r.rows_read:,} rows" + (" (columnar cache)" if r.from_cache else f" ({r.seconds:.1f} s)"))
    old = prune_cache(cache_root)
    if old:
        log(
            f"  removed {len(old)} cache entr{'y' if len(old) == 1 else 'ies'} made by an earlier version of the "
            f"reader or cleaning code ({', '.join(sorted(p.name for p in old)[:3])}{', ...' if len(old) > 3 else ''})"
        )
    return Cached([entries[src.id] for src, _ in located], [reports[src.id] for src, _ in located])


def write_tables(ed: Edition, cached: Cached, out: Path) -> int:
    """Every processed table and build.json into `out`; returns the tidy table's rows."""
    rows = _stream_tidy([e / "tidy.parquet" for e in cached.entries], out / tables.OUTCOMES.file)

    def part(name: str) -> pd.DataFrame:
        return pd.concat([pd.read_parquet(e / f"{name}.parquet") for e in cached.entries], ignore_index=True)

    tables.AGGREGATE.write(part("aggregate"), out)
    tables.OFFENCE_GROUPS.write(part("offence_groups"), out)
    tables.COVERAGE.write(derive.coverage(part("supply"), ed.financial_years), out)
    quality = part("quality")
    if len(quality):
        quality = quality.sort_values(["source_file", "force", "financial_year", "fin_quarter", "column", "issue"])
    tables.QUALITY.write(quality, out)
    record = {
        "edition": ed.name,
        "description": ed.description,
        "release": ed.release,
        "synthetic": ed.synthetic,
        "financial_years": ed.financial_years,
        "rows": rows,
        "files": [r.to_json() for r in cached.reports],
    }
    write_text(out / tables.BUILD_FILE, json.dumps(record, indent=2) + "\n")
    return rows


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
