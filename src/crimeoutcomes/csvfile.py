"""CSV files the project writes, safe to open in a spreadsheet, and read back as they were.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
formula, so text that came from a registry, a configuration file or a raw file could run a command on the reader's
machine (`=cmd|'/C calc'!A0`). Every CSV the project writes goes through `to_csv`, which neutralises such cells as
OWASP recommends: a single quote is put in front, so the spreadsheet shows the text as text. Numbers are never
touched: numeric columns stay numeric, and text that is just a number (`-3`, `-0.07`, `+5%`) is left as it is.
`read_csv` takes the quote off again, so the project's own readers see each cell as it was (text that already began
with quotes before a formula gets one more quote, so the round trip is exact).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import columns
from .atomic import atomic_path

#: what a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def runs_as_formula(value) -> bool:
    """Whether a spreadsheet would run the cell as a formula (text starting with one of FORMULA_START that is not
    just a number)."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)


def _quoted(value) -> bool:
    """Text that runs as a formula once any leading single quotes are taken off: it gets (or got) one more."""
    return isinstance(value, str) and runs_as_formula(value.lstrip("'"))


def safe_cell(value):
    """The cell as written to a CSV: text a spreadsheet would run as a formula gets a leading single quote."""
    return "'" + value if _quoted(value) else value


def _undo(value) -> bool:
    """A cell `safe_cell` quoted: it starts with the quote it was given."""
    return _quoted(value) and value.startswith("'")


def restored(value):
    """The cell as it was before `safe_cell`."""
    return value[1:] if _undo(value) else value


def _cells(col: pd.Series, test) -> np.ndarray:
    """Where `test` holds in the column, testing each distinct value once (a category, or a value repeated down the
    column: the raw rows' files repeat the same few texts millions of times)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return columns.category_mask(col, test)
    present = col.dropna()
    try:
        hits = [v for v in pd.unique(present) if test(v)]
    except TypeError:  # values that cannot be hashed: one by one
        return col.map(test, na_action="ignore").fillna(False).astype(bool).to_numpy()
    return col.isin(hits).to_numpy() if hits else np.zeros(len(col), dtype=bool)


def neutralised(df: pd.DataFrame, cell=safe_cell) -> pd.DataFrame:
    """The frame with every text cell a spreadsheet would run neutralised (a copy when any is; numeric, boolean and
    date columns are left alone). `cell=restored` undoes it."""
    out = df
    for i in range(df.shape[1]):
        col = df.iloc[:, i]
        if (
            pd.api.types.is_numeric_dtype(col)
            or pd.api.types.is_bool_dtype(col)
            or pd.api.types.is_datetime64_any_dtype(col)
        ):
            continue
        hits = _cells(col, _undo if cell is restored else _quoted)
        if hits.any():
            changed = col.astype(object)
            changed[hits] = changed[hits].map(cell)
            if not isinstance(col.dtype, pd.CategoricalDtype) and col.dtype != object:
                changed = changed.astype(col.dtype)
            out = out.copy() if out is df else out
            out.isetitem(i, changed)
    return out


def to_csv(df: pd.DataFrame, target: Path | str | None = None, *, gzip_level: int | None = None) -> str | None:
    """Write the frame (without its index) as a CSV file, atomically, or return the CSV text when no target is
    given; cells a spreadsheet would run are neutralised either way. gzip_level: write it gzipped, at that level."""
    safe = neutralised(df)
    if target is None:
        return safe.to_csv(index=False)
    target = Path(target)
    if gzip_level is None:
        with atomic_path(target, target.suffix) as tmp:
            safe.to_csv(tmp, index=False)
        return None
    # gzipped here, not by pandas: pandas names the archive's file after the path it writes, the temporary one, so the
    # same rows gave different bytes on every run and `gunzip -N` gave that name back. Here the archive names the file
    # it holds (the target without .gz) and carries no time: the same rows, the same bytes.
    with (
        atomic_path(target, "".join(target.suffixes[-2:])) as tmp,
        open(tmp, "wb") as raw,
        gzip.GzipFile(filename=target.name, mode="wb", fileobj=raw, compresslevel=gzip_level, mtime=0) as archive,
    ):
        safe.to_csv(archive, index=False, mode="wb")
    return None


def read_csv(path: Path | str, **options) -> pd.DataFrame:
    """A CSV file the project wrote (pandas.read_csv's options), each text cell as it was before it was written."""
    return neutralised(pd.read_csv(path, **options), restored)
