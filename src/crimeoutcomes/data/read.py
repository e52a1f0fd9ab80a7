"""Read a raw outcomes file of any known layout into columnar cells with canonical column names.

Nothing is positional: the data sheet and its header row are found by their headers, and headers are mapped
through HEADER_SYNONYMS, ignoring case and punctuation. Sheets named Cover, Notes, Contents or Pivot are never
read as data. Every row keeps its position in the source (`source_row`, 1-based, as a spreadsheet or a text editor
numbers it).

Workbooks are read once with fastexcel, with inferred column types (numbers stay numbers, which is fast). fastexcel
turns cells that do not fit a column's type, and the strings it treats as null (N/A, NA, NULL), into empty cells,
but reports each of them; those tokens are put back as text (see _load_sheet), so no token is ever lost. CSV files
are read as text with pyarrow (gzip is decompressed and checked first, so
a damaged archive is a clear error, not a crash inside the parser).
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import operator
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from ..errors import DataError

#: canonical column -> header spellings seen in published files, compared after normalise_header() (lower case,
#: punctuation and underscores as spaces, a leading "number of" dropped).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "financial_year": ("financial year",),
    "financial_quarter": ("financial quarter", "quarter"),
    "force_name": ("force name", "force"),
    "offence_code": ("offence code",),
    "offence_description": ("offence description",),
    "offence_group": ("offence group",),
    "offence_subgroup": ("offence subgroup", "offence sub group"),
    "offence_code_expired": ("offence code expired",),
    "outcome_type": ("outcome type",),
    "outcome_description": ("outcome description",),
    "outcome_group": ("outcome group",),
    # recorded basis: outcomes of offences recorded in that same quarter
    "recorded": (
        "force outcomes for offences recorded in quarter",  # 2018/2019 ODS vintages
        "outcomes for offences that were recorded in the quarter",  # current xlsx release
        "outcomes for offences recorded in the quarter",
        "offences",  # third-party CSV conversion of the 2018 vintage (renamed column)
    ),
    # closed basis: every outcome assigned in the quarter, whenever the offence was recorded
    "closed": (
        "force outcomes recorded in quarter",  # 2018/2019 ODS vintages
        "outcomes for investigations closed in the quarter",  # current release, 2025/26 file
        "outcomes for investigations that were closed in the quarter",  # current release (also "Number of ...")
        "outcomes closed in the quarter",  # current release
        "outcomes closed in quarter",  # current release ("Number of outcomes closed in quarter")
    ),
}
REQUIRED = (
    "financial_year",
    "financial_quarter",
    "force_name",
    "offence_code",
    "offence_description",
    "outcome_type",
    "closed",
    "recorded",
)
COUNT_COLUMNS = ("closed", "recorded")
_LOOKUP = {syn: canon for canon, syns in HEADER_SYNONYMS.items() for syn in syns}
HEADER_SEARCH_ROWS = 50  # the header row must be within the first rows of a sheet
MIN_KNOWN_HEADERS = 5  # a row with at least this many known headers is taken to be the header row
#: sheets that are never data (the current release has Cover_sheet, Notes and a Pivot sheet beside the data)
NOT_DATA_SHEET = re.compile(r"^(cover|notes?|contents|pivot|read ?me)(?![a-z])", re.IGNORECASE)


def normalise_header(text: object) -> str:
    h = str(text if text is not None else "").replace("\ufeff", "").lower()
    h = re.sub(r"[^a-z0-9]+", " ", h).strip()
    return re.sub(r"^number of ", "", h)


@dataclass
class RawTable:
    """Cells of one data sheet, canonical column names, plus `source_row` (and `source_sheet`)."""

    path: Path
    sheet: str | None  # None for CSV; "A+B" when several data sheets were stacked
    header_row: int  # 1-based
    headers: dict[str, str]  # canonical -> header as written in the file
    cells: pa.Table
    empty_rows: list[int] = field(default_factory=list)  # 1-based rows with no value at all (dropped, reported)
    sheets_skipped: list[str] = field(default_factory=list)

    def where(self) -> str:
        return f"{self.path.name}" + (f", sheet {self.sheet!r}" if self.sheet else "")

    @property
    def rows(self) -> int:
        return self.cells.num_rows


def _header_row_index(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(normalise_header(c) in _LOOKUP for c in row) >= MIN_KNOWN_HEADERS:
            return i
    return None


def _known_headers(cells: list) -> int:
    return sum(normalise_header(c) in _LOOKUP for c in cells)


def _is_blank(col: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), True)
    return pc.is_null(col)


def _blank_cells(col) -> pa.ChunkedArray:
    """Empty cells, counting the CSV conversions' NA (R's missing value) as empty."""
    blank = _is_blank(col)
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        blank = pc.or_(blank, pc.fill_null(pc.equal(col, "NA"), False))
    return blank


def _map_headers(header_cells: list[str], where: str, data: pa.Table) -> dict[int, str]:
    """Column position -> canonical name; error on unknown, duplicate or missing required headers."""
    mapping: dict[int, str] = {}
    written: dict[str, str] = {}
    for pos, cell in enumerate(header_cells):
        shown = "" if cell is None or str(cell).startswith("__UNNAMED__") else str(cell).strip()
        norm = normalise_header(shown)
        if norm == "":
            if pos < data.num_columns and not pc.all(_is_blank(data.column(pos))).as_py():
                raise DataError(f"{where}: column {pos + 1} has values but no header; give it a header or delete it")
            continue
        canon = _LOOKUP.get(norm)
        if canon is None:
            raise DataError(
                f"{where}: unknown header {shown!r} (column {pos + 1}); if it is a new spelling of a known column, "
                "add it to HEADER_SYNONYMS in crimeoutcomes/data/read.py (known: "
                + "; ".join(f"{c}: {', '.join(s)}" for c, s in HEADER_SYNONYMS.items())
                + ")"
            )
        if canon in written:
            raise DataError(f"{where}: headers {written[canon]!r} and {shown!r} both mean {canon!r}")
        mapping[pos] = canon
        written[canon] = shown
    missing = [c for c in REQUIRED if c not in written]
    if missing:
        raise DataError(
            f"{where}: missing required header(s) "
            + ", ".join(f"{m} (e.g. {HEADER_SYNONYMS[m][0]!r})" for m in missing)
            + f"; headers found: {', '.join(repr(h) for h in written.values())}"
        )
    return mapping


def _finish(path: Path, sheet: str | None, header_cells: list, data: pa.Table, header_row: int) -> RawTable:
    """data: the rows below the header (row i is spreadsheet row header_row + 1 + i)."""
    where = f"{path.name}" + (f", sheet {sheet!r}" if sheet else "") + f", header row {header_row}"
    mapping = _map_headers(header_cells, where, data)
    columns = {}
    for pos, canon in mapping.items():
        col = data.column(pos)
        columns[canon] = col.cast(pa.string()) if pa.types.is_null(col.type) else col
    first = header_row + 1
    source_row = pa.array(np.arange(first, first + data.num_rows, dtype=np.int32))
    table = pa.table({**columns, "source_row": source_row})
    # a row with no value at all (often trailing): checked on one column first, then on the candidates only
    empty = _blank_cells(table.column("financial_year"))
    empty_rows: list[int] = []
    if data.num_rows and pc.any(empty).as_py():
        candidates = table.filter(empty)
        still = None
        for name in columns:
            blank = _blank_cells(candidates.column(name))
            still = blank if still is None else pc.and_(still, blank)
        empty_rows = pc.filter(candidates.column("source_row"), still).to_pylist()
        if empty_rows:
            table = table.filter(pc.invert(pc.is_in(table.column("source_row"), pa.array(empty_rows, pa.int32()))))
    headers = {canon: str(header_cells[pos]).strip() for pos, canon in mapping.items()}
    return RawTable(path, sheet, header_row, headers, table, empty_rows)


_EXCEL_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}


def _token(detail: str) -> str:
    """The cell as written, from fastexcel's conversion error ("Expected float but got 'String("N/A")'")."""
    m = re.search(r"got '(\w+)\((.*)\)'$", detail)
    if not m:
        return detail
    kind, inner = m.groups()
    if kind == "String":
        return inner[1:-1] if len(inner) >= 2 and inner[0] == inner[-1] == '"' else inner
    if kind == "Error":
        return _EXCEL_ERRORS.get(inner, f"#{inner}")
    return inner


def _load_sheet(reader, path: Path, name: str, **kw) -> pa.Table:
    """One sheet with inferred column types, every cell that did not fit its column's type put back as text.

    fastexcel infers types from a sample of rows and turns the strings it calls null-ish (N/A, NA, NULL, ...) into
    empty cells; its conversion errors name each such cell, so the column is turned into text and the tokens are put
    back where they were: nothing written in a count cell is lost."""
    try:
        batch, errors = reader.load_sheet(name, skip_rows=0, **kw).to_arrow_with_errors()
    except Exception as exc:  # fastexcel raises its own error types; name the file and sheet
        raise DataError(f"{path.name}, sheet {name!r}: cannot be read ({str(exc).splitlines()[0]})") from None
    table = pa.Table.from_batches([batch])
    if not errors or not errors.errors:
        return table
    fixes: dict[int, list[tuple[int, str]]] = {}
    for e in errors.errors:
        row, col = e.offset_position
        fixes.setdefault(col, []).append((row, _token(e.detail)))
    for col, items in fixes.items():
        values = pc.cast(table.column(col), pa.string()).to_numpy(zero_copy_only=False).astype(object)
        for row, token in items:
            values[row] = token
        table = table.set_column(col, table.field(col).name, pa.array(values, pa.string()))
    return table


def _read_sheet(reader, path: Path, name: str) -> RawTable | None:
    """The sheet's data if it has a header row of known outcomes headers, else None."""
    # fast path: headers on row 1 (every workbook of the current release); one parse of the sheet
    table = _load_sheet(reader, path, name, header_row=0)
    if _known_headers(table.column_names) >= MIN_KNOWN_HEADERS:
        return _finish(path, name, table.column_names, table, header_row=1)
    # the header is lower down (older layouts): find it, then read the sheet again from there
    head = _load_sheet(reader, path, name, header_row=None, dtypes="string", n_rows=HEADER_SEARCH_ROWS)
    rows = [["" if v is None else str(v) for v in row.values()] for row in head.to_pylist()]
    idx = _header_row_index(rows)
    if idx is None:
        return None
    table = _load_sheet(reader, path, name, header_row=idx)
    return _finish(path, name, table.column_names, table, header_row=idx + 1)


#: a workbook is a zip archive; one that would expand to more than this many times its size (and more than
#: MIN_EXPANDED_BYTES) is refused before it is read: the published workbooks expand about 10 to 20 times
MAX_EXPANSION = 100
MIN_EXPANDED_BYTES = 512 * 2**20


def check_archive(path: Path) -> None:
    """Refuse a zip-based workbook (xlsx, xlsb, ods) whose central directory says it would expand beyond the bounds
    above (a zip bomb would exhaust the memory of the reader, which then aborts), or that is not a zip archive."""
    import zipfile

    size = path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise DataError(
            f"{path.name}: cannot be read as a workbook (it is not a valid zip archive: {exc}); is the file damaged?"
        ) from None
    if expanded > max(MAX_EXPANSION * size, MIN_EXPANDED_BYTES):
        raise DataError(
            f"{path.name}: refused: its archive would expand to {expanded / 2**30:,.1f} GB, "
            f"{expanded / max(size, 1):,.0f} times its size, far more than a workbook holds (a damaged or hostile "
            "file?); fetch it again from the publisher"
        )


def read_workbook(path: Path) -> RawTable:
    """xlsx / ods via fastexcel (calamine). Cover, notes, contents and pivot sheets are passed over by name; the
    sheet(s) whose header row holds the known headers are the data."""
    import fastexcel

    with open(path, "rb") as fh:
        if fh.read(4) == b"PK\x03\x04":  # xlsx, xlsb and ods are zip archives (xls is not)
            check_archive(path)
    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:
        raise DataError(
            f"{path.name}: cannot be read as a workbook ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no detail'}); is the file damaged?"
        ) from None
    tables: list[RawTable] = []
    skipped, looked = [], []
    for name in reader.sheet_names:
        if NOT_DATA_SHEET.match(name.strip()):
            skipped.append(name)
            continue
        looked.append(name)
        found = _read_sheet(reader, path, name)
        if found is not None:
            tables.append(found)
    if not tables:
        raise DataError(
            f"{path.name}: no data sheet found: none of the sheets {looked} has a header row with the known "
            f"outcomes headers within its first {HEADER_SEARCH_ROWS} rows (sheets passed over: {skipped})"
        )
    # a data sheet with headers but no rows adds nothing (and its columns have no type): pass over it
    empty = [t.sheet for t in tables if t.rows == 0]
    if len(empty) < len(tables):
        tables = [t for t in tables if t.rows]
        skipped = skipped + [f"{name} (headers only, no rows)" for name in empty]
    for t in tables:
        t.sheets_skipped = skipped
    if len(tables) == 1:
        return tables[0]
    # several data sheets (e.g. split by quarter): stack them, keeping each row's sheet
    parts = [t.cells.append_column("source_sheet", pa.array([t.sheet] * t.rows, pa.string())) for t in tables]
    try:
        stacked = pa.concat_tables(_same_types(parts), promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(f"{path.name}: its data sheets do not have the same columns ({exc})") from None
    first = tables[0]
    return RawTable(
        path,
        "+".join(t.sheet for t in tables),
        first.header_row,
        first.headers,
        stacked,
        functools.reduce(operator.iadd, (t.empty_rows for t in tables), []),
        skipped,
    )


def _same_types(parts: list[pa.Table]) -> list[pa.Table]:
    """Sheets whose cells in a column were read as different types (numbers in one, text in another): that column as
    text in every sheet, so the sheets stack (the clean stage reads counts from text as from numbers)."""
    types: dict[str, set] = {}
    for part in parts:
        for f in part.schema:
            if not pa.types.is_null(f.type):
                types.setdefault(f.name, set()).add(f.type)
    mixed = {name for name, kinds in types.items() if len(kinds) > 1}
    if not mixed:
        return parts
    out = []
    for part in parts:
        for name in mixed & set(part.column_names):
            i = part.column_names.index(name)
            part = part.set_column(i, name, pc.cast(part.column(i), pa.string()))
        out.append(part)
    return out


def _decompressed(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is a gzip file (checked: a damaged archive is an error)."""
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(
            f"{path.name}: the gzip archive is damaged ({exc}); fetch the file again "
            "(delete it from data/raw/ and rerun)"
        ) from None


def read_csv(path: Path) -> RawTable:
    """CSV or gzipped CSV (detected by content). The header line is found by its headers."""
    data = _decompressed(path)
    try:
        text_head = data[: 1 << 20].decode("utf-8-sig", errors="strict") if data[: 1 << 20] else ""
    except UnicodeDecodeError as exc:
        raise DataError(f"{path.name}: not UTF-8 text (byte {exc.start}); is it a CSV file?") from None
    head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), csv.reader(io.StringIO(text_head)))]
    idx = _header_row_index(head)
    if idx is None:
        raise DataError(
            f"{path.name}: no header row with the known outcomes headers in its first {HEADER_SEARCH_ROWS} lines"
        )
    width = len(head[idx])
    names = [f"c{i}" for i in range(width)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        cells = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(skip_rows=idx + 1, column_names=names, encoding="utf-8"),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise DataError(f"{path.name}: cannot be parsed as CSV ({str(exc).splitlines()[0]})") from None
    return _finish(path, None, head[idx], cells, header_row=idx + 1)


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
