"""Read a raw outcomes file of any known layout into a table of text cells with canonical column names.

Nothing is positional: the data sheet and its header row are found by their headers, and headers are mapped
through HEADER_SYNONYMS. Cells are kept as text here (counts included) so that cleaning can report every
non-numeric token instead of losing it. Each row keeps its position in the source (`source_row`, 1-based, as
a spreadsheet or a text editor numbers it).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from .errors import DataError

#: canonical column -> header spellings seen in published files (compared after normalise_header()).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "financial_year": ("financial year",),
    "financial_quarter": ("financial quarter", "quarter"),
    "force_name": ("force name", "force"),
    "offence_code": ("offence code",),
    "offence_description": ("offence description",),
    "offence_group": ("offence group",),
    "offence_subgroup": ("offence subgroup", "offence sub group", "offence sub-group"),
    "offence_code_expired": ("offence code expired",),
    "outcome_type": ("outcome type",),
    "outcome_description": ("outcome description",),
    "outcome_group": ("outcome group",),
    # recorded basis: outcomes of offences recorded in that same quarter
    "recorded": (
        "force outcomes for offences recorded in quarter",  # 2018/2019 ODS vintages
        "outcomes for offences that were recorded in the quarter",  # current xlsx vintage
        "offences",  # third-party CSV conversion of the 2018 vintage (renamed column)
    ),
    # closed basis: every outcome assigned in the quarter, whenever the offence was recorded
    "closed": (
        "force outcomes recorded in quarter",  # 2018/2019 ODS vintages
        "outcomes for investigations closed in the quarter",  # current xlsx vintage
    ),
}
REQUIRED = (
    "financial_year", "financial_quarter", "force_name", "offence_code", "offence_description",
    "outcome_type", "closed", "recorded",
)
CANONICAL = tuple(HEADER_SYNONYMS)
_LOOKUP = {syn: canon for canon, syns in HEADER_SYNONYMS.items() for syn in syns}
HEADER_SEARCH_ROWS = 50  # the header row must be within the first rows of a sheet
MIN_KNOWN_HEADERS = 5  # a row with at least this many known headers is taken to be the header row


def normalise_header(text: object) -> str:
    h = str(text if text is not None else "").replace("\ufeff", "").replace("_", " ").lower()
    h = re.sub(r"\s+", " ", h).strip()
    return re.sub(r"^number of ", "", h)


@dataclass
class RawTable:
    """Cells of one data sheet as text, canonical column names, plus `source_row`."""

    path: Path
    sheet: str | None  # None for CSV
    header_row: int  # 1-based
    headers: dict[str, str]  # canonical -> header as written in the file
    frame: pd.DataFrame
    empty_rows: list[int] = field(default_factory=list)  # 1-based rows with no value at all (dropped, reported)

    def where(self) -> str:
        return f"{self.path.name}" + (f", sheet {self.sheet!r}" if self.sheet else "")


def _header_row_index(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(normalise_header(c) in _LOOKUP for c in row) >= MIN_KNOWN_HEADERS:
            return i
    return None


def _map_headers(header_cells: list[str], where: str, data: pa.Table) -> dict[int, str]:
    """Column position -> canonical name; error on unknown, duplicate or missing required headers."""
    mapping: dict[int, str] = {}
    written: dict[str, str] = {}
    for pos, cell in enumerate(header_cells):
        norm = normalise_header(cell)
        if norm == "":
            if pos < data.num_columns and pc.any(pc.not_equal(
                    pc.utf8_trim_whitespace(pc.fill_null(data.column(pos).cast(pa.string()), "")), "")).as_py():
                raise DataError(f"{where}: column {pos + 1} has values but no header")
            continue
        canon = _LOOKUP.get(norm)
        if canon is None:
            raise DataError(
                f"{where}: unknown header {str(cell).strip()!r} (column {pos + 1}). Known headers: "
                + "; ".join(f"{c}: {', '.join(s)}" for c, s in HEADER_SYNONYMS.items())
                + ". If this is a new spelling, add it to HEADER_SYNONYMS in crimeoutcomes/read.py."
            )
        if canon in written:
            raise DataError(f"{where}: headers {written[canon]!r} and {str(cell).strip()!r} both mean {canon!r}")
        mapping[pos] = canon
        written[canon] = str(cell).strip()
    missing = [c for c in REQUIRED if c not in written]
    if missing:
        raise DataError(
            f"{where}: missing required header(s) "
            + ", ".join(f"{m} (e.g. {HEADER_SYNONYMS[m][0]!r})" for m in missing)
            + f"; headers found: {', '.join(repr(h) for h in written.values())}"
        )
    return mapping


def _finish(path: Path, sheet: str | None, cells: pa.Table, header_idx: int, first_row_number: int) -> RawTable:
    """cells: every row of the sheet as text columns (row i has spreadsheet number first_row_number + i)."""
    where = f"{path.name}" + (f", sheet {sheet!r}" if sheet else "") + f", header row {first_row_number + header_idx}"
    header_cells = ["" if v is None else str(v) for v in cells.slice(header_idx, 1).to_pylist()[0].values()]
    data = cells.slice(header_idx + 1)
    mapping = _map_headers(header_cells, where, data)
    columns, empty = {}, None
    for pos, canon in mapping.items():
        col = pc.utf8_trim_whitespace(pc.fill_null(data.column(pos).cast(pa.string()), ""))
        columns[canon] = col
        is_blank = pc.or_(pc.equal(col, ""), pc.equal(col, "NA"))
        empty = is_blank if empty is None else pc.and_(empty, is_blank)
    first_data_row = first_row_number + header_idx + 1
    source_row = pa.array(np.arange(first_data_row, first_data_row + data.num_rows, dtype=np.int64))
    table = pa.table({**columns, "source_row": source_row})
    empty_rows = pc.filter(source_row, empty).to_pylist() if data.num_rows else []
    if empty_rows:
        table = table.filter(pc.invert(empty))
    frame = table.to_pandas()
    headers = {canon: header_cells[pos].strip() for pos, canon in mapping.items()}
    return RawTable(path, sheet, first_row_number + header_idx, headers, frame, empty_rows)


def read_workbook(path: Path) -> RawTable:
    """xlsx / ods via fastexcel (calamine). Every sheet is read once; the one(s) whose header row holds the
    known headers are the data; cover, notes and contents sheets are passed over."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own error types; name the file
        raise DataError(f"{path.name}: cannot be read as a workbook ({type(exc).__name__}: {str(exc).splitlines()[0]})") from None
    tables: list[RawTable] = []
    looked: list[str] = []
    for name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        except Exception as exc:
            raise DataError(f"{path.name}, sheet {name!r}: cannot be read ({str(exc).splitlines()[0]})") from None
        cells = sheet.to_arrow()
        head = [["" if v is None else str(v) for v in row.values()] for row in cells.slice(0, HEADER_SEARCH_ROWS).to_pylist()]
        idx = _header_row_index(head)
        looked.append(name)
        if idx is None:
            continue
        tables.append(_finish(path, name, cells, idx, first_row_number=1))
    if not tables:
        raise DataError(
            f"{path.name}: no data sheet found: none of the sheets {looked} has a header row with the known "
            f"outcomes headers within its first {HEADER_SEARCH_ROWS} rows"
        )
    if len(tables) == 1:
        return tables[0]
    # several data sheets (e.g. split by quarter): stack them, keeping each row's sheet in source_row's table
    first = tables[0]
    frames = []
    for t in tables:
        f = t.frame.copy()
        f["source_sheet"] = t.sheet
        frames.append(f)
    return RawTable(path, "+".join(t.sheet for t in tables), first.header_row, first.headers,
                    pd.concat(frames, ignore_index=True), sum((t.empty_rows for t in tables), []))


def _open_binary(path: Path):
    raw = open(path, "rb")
    magic = raw.read(2)
    raw.seek(0)
    return gzip.open(raw) if magic == b"\x1f\x8b" else raw


def _open_text(path: Path):
    return io.TextIOWrapper(_open_binary(path), encoding="utf-8-sig", newline="")


def read_csv(path: Path) -> RawTable:
    """CSV or gzipped CSV (detected by content). The header line is found by its headers."""
    try:
        with _open_text(path) as fh:
            head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), csv.reader(fh))]
    except (OSError, UnicodeDecodeError, EOFError, csv.Error) as exc:
        raise DataError(f"{path.name}: cannot be read as CSV ({exc})") from None
    idx = _header_row_index(head)
    if idx is None:
        raise DataError(f"{path.name}: no header row with the known outcomes headers in its first {HEADER_SEARCH_ROWS} lines")
    width = len(head[idx])
    names = [f"c{i}" for i in range(width)]
    try:
        with _open_binary(path) as fh:
            cells = pa_csv.read_csv(
                fh,
                read_options=pa_csv.ReadOptions(skip_rows=idx, column_names=names, encoding="utf-8"),
                convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=[],
                                                      strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
    except (pa.ArrowInvalid, UnicodeDecodeError, OSError, EOFError) as exc:
        raise DataError(f"{path.name}: cannot be parsed as CSV ({str(exc).splitlines()[0]})") from None
    if idx == 0 and cells.num_rows and cells.column(0)[0].as_py().startswith("\ufeff"):
        first = pc.utf8_replace_substring(cells.column(0), "\ufeff", "")
        cells = cells.set_column(0, names[0], first)
    # cells row 0 is the header line, which is line idx + 1 of the file
    return _finish(path, None, cells, 0, first_row_number=idx + 1)


def read_raw(path: Path | str, layout: str | None = None) -> RawTable:
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    layout = layout or ("csv" if path.name.endswith((".csv", ".csv.gz")) else path.suffix.lstrip("."))
    if layout in ("xlsx", "ods", "xls", "xlsb"):
        return read_workbook(path)
    if layout in ("csv", "csv.gz"):
        return read_csv(path)
    raise DataError(f"{path.name}: unknown layout {layout!r}")
