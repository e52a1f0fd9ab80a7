"""Raw → processed for one edition.

1. obtain every file of the edition (data/raw, mirror or download; sha256-verified);
2. read each raw file once into a columnar cache (data/processed/cache/<sha256>-<reader>.parquet), keyed by the
   file's sha256 and the reader's code, so a 40 MB workbook is parsed once, not on every run;
3. normalise into the tidy table and derive aggregate, coverage and quality tables;
4. write data/processed/<edition>/ as a whole, atomically: a failed run leaves the previous outputs untouched.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from . import clean, fetch, manifest as manifest_mod, paths, read
from .atomic import atomic_dir, atomic_path
from .errors import DataError
from .manifest import Edition, Manifest, SourceFile

TIDY_FILE = "outcomes.parquet"
AGGREGATE_FILE = "aggregate.parquet"
AGGREGATE_CSV = "aggregate.csv"
OFFENCE_GROUPS_FILE = "offence_groups.parquet"
COVERAGE_FILE = "coverage.csv"
QUALITY_FILE = "quality.csv"
BUILD_FILE = "build.json"


def reader_fingerprint() -> str:
    """Changes whenever the reading code changes, so stale caches are never used."""
    return hashlib.sha256(Path(read.__file__).read_bytes()).hexdigest()[:10]


@dataclass
class FileReport:
    id: str
    file: str
    financial_year: str
    layout: str
    sha256: str
    bytes: int
    vintage: str
    url: str
    licence: str
    sheet: str | None
    header_row: int
    headers: dict[str, str]
    rows_read: int
    empty_rows: int
    from_cache: bool


@dataclass
class BuildResult:
    edition: str
    description: str
    synthetic: bool
    out_dir: Path
    files: list[FileReport]
    rows: int
    financial_years: list[str]
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        d = asdict(self)
        d["out_dir"] = paths.relative(self.out_dir)
        d.pop("seconds")
        d.pop("timings")
        return d


def read_cached(path: Path, src: SourceFile, cache_dir: Path) -> tuple[read.RawTable, bool]:
    """The raw table of `path`, from the columnar cache when present."""
    stem = cache_dir / f"{src.sha256}-{reader_fingerprint()}"
    data_file, meta_file = stem.with_suffix(".parquet"), stem.with_suffix(".json")
    if data_file.is_file() and meta_file.is_file():
        meta = json.loads(meta_file.read_text())
        frame = pd.read_parquet(data_file)
        return read.RawTable(path, meta["sheet"], meta["header_row"], meta["headers"], frame, meta["empty_rows"]), True
    raw = read.read_raw(path, src.layout)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(data_file) as tmp:
        raw.frame.to_parquet(tmp, index=False, compression="zstd")
    with atomic_path(meta_file) as tmp:
        tmp.write_text(json.dumps({"sheet": raw.sheet, "header_row": raw.header_row, "headers": raw.headers,
                                   "empty_rows": raw.empty_rows, "source": src.file}))
    return raw, False


def build_edition(
    edition: str | None = None,
    *,
    manifest: Manifest | None = None,
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    mirror: Path | None = None,
    allow_download: bool = True,
    progress: bool = True,
    log=print,
) -> BuildResult:
    started = time.perf_counter()
    manifest = manifest or manifest_mod.load()
    ed: Edition = manifest.edition(edition)
    raw_dir = Path(raw_dir) if raw_dir else paths.raw_dir()
    processed_dir = Path(processed_dir) if processed_dir else paths.processed_dir()
    mirror = mirror if mirror is not None else paths.default_mirror()
    timings: dict[str, float] = {}

    t = time.perf_counter()
    located = [(src, fetch.obtain(src, raw_dir, mirror, allow_download=allow_download, progress=progress)) for src in ed.files]
    timings["obtain and verify"] = time.perf_counter() - t

    tidy_parts, reports, empty_rows = [], [], {}
    t_read = t_norm = 0.0
    for src, path in located:
        t = time.perf_counter()
        raw, cached = read_cached(path, src, processed_dir / "cache")
        t_read += time.perf_counter() - t
        t = time.perf_counter()
        tidy_parts.append(clean.normalise(raw, financial_year=src.financial_year, source_file=src.file, edition=ed.name))
        t_norm += time.perf_counter() - t
        empty_rows[src.file] = list(raw.empty_rows)
        reports.append(FileReport(
            id=src.id, file=src.file, financial_year=src.financial_year, layout=src.layout, sha256=src.sha256,
            bytes=src.bytes, vintage=src.vintage, url=src.url, licence=src.licence, sheet=raw.sheet,
            header_row=raw.header_row, headers=raw.headers, rows_read=len(raw.frame), empty_rows=len(raw.empty_rows),
            from_cache=cached,
        ))
        log(f"  {src.file}: {len(raw.frame):,} rows" + (" (columnar cache)" if cached else " (read from raw file)"))
    timings["read"] = t_read
    timings["normalise"] = t_norm

    t = time.perf_counter()
    tidy = clean.categorise(pd.concat(tidy_parts, ignore_index=True))
    del tidy_parts
    agg = clean.aggregate(tidy)
    groups = clean.offence_group_aggregate(tidy)
    cov = clean.coverage(tidy, ed.financial_years)
    qual = clean.quality(tidy, empty_rows)
    timings["derive tables"] = time.perf_counter() - t

    result = BuildResult(ed.name, ed.description, ed.synthetic, processed_dir / ed.name, reports, len(tidy),
                         ed.financial_years)
    t = time.perf_counter()
    with atomic_dir(processed_dir / ed.name) as tmp:
        tidy.to_parquet(tmp / TIDY_FILE, index=False, compression="zstd")
        agg.to_parquet(tmp / AGGREGATE_FILE, index=False)
        agg.to_csv(tmp / AGGREGATE_CSV, index=False)
        groups.to_parquet(tmp / OFFENCE_GROUPS_FILE, index=False)
        cov.to_csv(tmp / COVERAGE_FILE, index=False)
        qual.to_csv(tmp / QUALITY_FILE, index=False)
        (tmp / BUILD_FILE).write_text(json.dumps(result.to_json(), indent=2) + "\n")
    timings["write"] = time.perf_counter() - t
    result.seconds = time.perf_counter() - started
    result.timings = timings
    return result


def _edition_path(edition: str, name: str, processed_dir: Path | None = None) -> Path:
    base = Path(processed_dir) if processed_dir else paths.processed_dir()
    p = base / edition / name
    if not p.is_file():
        raise DataError(f"{paths.relative(p)} not found: build the edition first (make data EDITION={edition})")
    return p


def load_tidy(edition: str, processed_dir: Path | None = None, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.read_parquet(_edition_path(edition, TIDY_FILE, processed_dir), columns=columns)


def load_aggregate(edition: str, processed_dir: Path | None = None) -> pd.DataFrame:
    return pd.read_parquet(_edition_path(edition, AGGREGATE_FILE, processed_dir))


def load_offence_groups(edition: str, processed_dir: Path | None = None) -> pd.DataFrame:
    return pd.read_parquet(_edition_path(edition, OFFENCE_GROUPS_FILE, processed_dir))


def load_coverage(edition: str, processed_dir: Path | None = None) -> pd.DataFrame:
    return pd.read_csv(_edition_path(edition, COVERAGE_FILE, processed_dir), keep_default_na=False,
                       dtype={"closed_total": "Int64", "recorded_total": "Int64"}, na_values={"closed_total": [""], "recorded_total": [""]})


def load_quality(edition: str, processed_dir: Path | None = None) -> pd.DataFrame:
    return pd.read_csv(_edition_path(edition, QUALITY_FILE, processed_dir), keep_default_na=False,
                       na_values={"value_sum": [""], "value_min": [""]})


def load_build(edition: str, processed_dir: Path | None = None) -> dict:
    return json.loads(_edition_path(edition, BUILD_FILE, processed_dir).read_text())
