"""Normalise the raw cells of one file into rows of the tidy outcomes table (declared in tables.OUTCOMES).

Every column has few distinct values (forces, codes, counts), so each is dictionary-encoded once and only its
distinct values are converted in Python; the rows get the result by index. Count cells are parsed strictly: a count
is a whole number written as digits (optionally ending ".0", as spreadsheet exports write whole numbers) or stored as
a number, within +/-MAX_COUNT. Anything else
(blank, `N/A`, `1,234`, `1e3`, `inf`, 3.5, 10^20) is not a count: it is left out of every total, flagged in
`*_issue` and kept as written in `*_raw`, so no token is ever lost and nothing is zero-filled silently.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError
from . import forces as forces_mod
from . import outcomes
from .read import RawTable

MAX_COUNT = 10_000_000  # far above any real cell (a force's whole quarter is under 200,000); beyond it: "out of range"
ISSUE_BLANK, ISSUE_TEXT, ISSUE_NOT_PROVIDED = "blank", "text", "not provided"
ISSUE_NONINT, ISSUE_RANGE, ISSUE_NEGATIVE = "non-integer", "out of range", "negative"
ISSUES = ("", ISSUE_BLANK, ISSUE_TEXT, ISSUE_NOT_PROVIDED, ISSUE_NONINT, ISSUE_RANGE, ISSUE_NEGATIVE)
#: issues whose cells are left out of totals (a negative number is a count, kept as published)
LEFT_OUT = (ISSUE_BLANK, ISSUE_TEXT, ISSUE_NOT_PROVIDED, ISSUE_NONINT, ISSUE_RANGE)
COUNT_COLUMNS = ("closed", "recorded")
KEY = ("financial_year", "fin_quarter", "force", "offence_code", "outcome_type")
_INTEGER = re.compile(r"^[+-]?\d+(?:\.0+)?$")  # digits, or digits ending in ".0" as spreadsheet exports write them
_NOT_PROVIDED = re.compile(r"^n/?a\s*[-–:]?\s*data not provided$", re.IGNORECASE)


def calendar_of(fy_start, fin_quarter):
    """(calendar year, calendar quarter) of financial quarters, for scalars or arrays: financial Q1 (April-June)
    is calendar Q2 of fy_start; financial Q4 (January-March) is calendar Q1 of fy_start + 1."""
    q = np.asarray(fin_quarter)
    return np.where(q == 4, np.asarray(fy_start) + 1, fy_start), np.where(q == 4, 1, q + 1)


def _distinct(col) -> tuple[np.ndarray, list]:
    """(codes per row, -1 for null; distinct values as Python objects)."""
    enc = pc.dictionary_encode(col)
    enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    codes = enc.indices.to_numpy(zero_copy_only=False)
    if enc.indices.null_count:
        codes = np.where(pc.is_null(enc.indices).to_numpy(zero_copy_only=False), -1, codes)
    return codes.astype(np.int32), enc.dictionary.to_pylist()


def _text(value) -> str:
    """A cell as text: whole floats without '.0' (Excel stores codes and quarters as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _categorical(codes: np.ndarray, mapped: list, null_value=None) -> pd.Categorical:
    """Rows' codes into the distinct values' mapped results, as a categorical (no per-row Python objects)."""
    values = [*list(mapped), null_value]
    cat_codes, categories = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return pd.Categorical.from_codes(cat_codes[codes], categories=categories)


def _map(raw: RawTable, column: str, fn, what: str, null_value=None) -> pd.Categorical:
    """Map the distinct values of a column with fn; a value fn rejects (None) is an error naming file and row."""
    codes, uniques = _distinct(raw.cells.column(column))
    mapped = []
    for i, value in enumerate(uniques):
        out = fn(value)
        if out is None:
            rows = raw.cells.column("source_row").to_numpy()[codes == i]
            hint = ""
            if column == "force_name":
                hint = forces_mod.close_matches(_text(value))
            raise DataError(
                f"{raw.where()}, row {int(rows[0])}: {what} {_text(value)!r} is not recognised"
                + (f" ({len(rows):,} rows have it)" if len(rows) > 1 else "")
                + f".{hint}"
            )
        mapped.append(out)
    if (codes < 0).any():
        out = fn(None)
        if out is None:
            rows = raw.cells.column("source_row").to_numpy()[codes < 0]
            raise DataError(
                f"{raw.where()}, row {int(rows[0])}: {what} is empty"
                + (f" ({len(rows):,} rows)" if len(rows) > 1 else "")
            )
        null_value = out
    return _categorical(codes, mapped, null_value)


def _quarter(value) -> int | None:
    m = re.fullmatch(r"(?i)q?\s*([1-4])", _text(value))
    return int(m.group(1)) if m else None


def _expired(value) -> bool | None:
    v = _text(value).lower()
    if v in ("x", "y", "yes", "true", "1", "expired"):
        return True
    if v in ("", "na", "n", "no", "false", "0"):
        return False
    return None


def _offence_code(value) -> str | None:
    """Trimmed, upper case ('8l' and ' 8L ' are the same code)."""
    v = _text(value).upper()
    return None if v in ("", "NA") else v


def _financial_year(value) -> str | None:
    m = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})", _text(value))
    if not m:
        return None
    start, end = int(m.group(1)), int(m.group(2)) % 100
    return f"{start}/{end:02d}" if (start + 1) % 100 == end else None


def classify_count(value) -> tuple[int | None, str]:
    """(count or None, issue) for one distinct cell value (str, float, int or None)."""
    if value is None:
        return None, ISSUE_BLANK
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
            return None, (ISSUE_NONINT if math.isfinite(value) else ISSUE_TEXT)
        number = int(value)
    else:
        t = str(value).strip()
        if t == "" or t.upper() == "NA":
            return None, ISSUE_BLANK
        if _NOT_PROVIDED.match(t):
            return None, ISSUE_NOT_PROVIDED
        if not _INTEGER.match(t):
            return None, ISSUE_TEXT
        number = int(t.split(".")[0])
    if abs(number) > MAX_COUNT:
        return None, ISSUE_RANGE
    return number, (ISSUE_NEGATIVE if number < 0 else "")


def parse_counts(col) -> tuple[pd.arrays.IntegerArray, pd.Categorical, pd.Categorical]:
    """One count column -> (counts as nullable int32, issue, the cell as written where it is not a plain count)."""
    codes, uniques = _distinct(col)
    values = np.zeros(len(uniques) + 1, dtype=np.int32)
    valid = np.zeros(len(uniques) + 1, dtype=bool)
    issue_codes = np.zeros(len(uniques) + 1, dtype=np.int8)
    raw_text: list = []
    for i, u in enumerate([*uniques, None]):
        number, issue = classify_count(u)
        if number is not None:
            values[i], valid[i] = number, True
        issue_codes[i] = ISSUES.index(issue)
        raw_text.append(
            None
            if issue == ""
            else ("" if u is None else _text(u) if not isinstance(u, float) else repr(u).removesuffix(".0"))
        )
    counts = pd.arrays.IntegerArray(values[codes], ~valid[codes])
    issue = pd.Categorical.from_codes(issue_codes[codes], categories=list(ISSUES))
    raw_codes, raw_categories = pd.factorize(pd.Series(raw_text, dtype=object), use_na_sentinel=True)
    raw = pd.Categorical.from_codes(raw_codes[codes], categories=raw_categories)
    return counts, issue, raw


def normalise(raw: RawTable, *, financial_year: str, source_file: str) -> pd.DataFrame:
    """Raw cells of one file -> tidy rows (the columns of tables.OUTCOMES). Raises DataError naming file and row
    for anything it cannot place."""
    cells = raw.cells
    n = cells.num_rows
    source_row = cells.column("source_row").to_numpy()
    if n == 0:
        raise DataError(f"{raw.where()}: the data sheet has a header row but no data rows")

    fy = _map(raw, "financial_year", _financial_year, "financial year")
    wrong = [c for c in fy.categories if c != financial_year]
    if wrong:
        first = source_row[np.asarray(fy != financial_year)][0]
        raise DataError(
            f"{raw.where()}, row {int(first)}: financial year {wrong[0]!r} but config/sources.yaml says this "
            f"file holds {financial_year}; is this the wrong file for the manifest entry?"
        )
    fy_start = int(financial_year[:4])
    out = {}
    out["financial_year"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[financial_year])
    quarter = _map(raw, "financial_quarter", _quarter, "financial quarter")
    out["fin_quarter"] = np.asarray(quarter, dtype=np.int8)
    cal_year, cal_quarter = calendar_of(fy_start, out["fin_quarter"])
    out["calendar_year"] = cal_year.astype(np.int16)
    out["calendar_quarter"] = cal_quarter.astype(np.int8)

    def force_name(value):
        force = forces_mod.lookup(_text(value))
        return force.name if force else None

    force = _map(raw, "force_name", force_name, "force name")
    out["force"] = force
    kinds = {name: f.kind for name, f in forces_mod.BY_NAME.items()}
    out["force_kind"] = pd.Categorical(force.categories.map(kinds.get)[force.codes])

    out["offence_code"] = _map(raw, "offence_code", _offence_code, "offence code")
    for col in ("offence_description", "offence_group", "offence_subgroup", "outcome_description", "outcome_group"):
        if col in cells.column_names:
            out[col] = _map(raw, col, _text, col.replace("_", " "), null_value="")
        else:
            out[col] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[""])
    out["offence_code_expired"] = (
        np.asarray(
            _map(raw, "offence_code_expired", _expired, "offence-code-expired flag", null_value=False), dtype=bool
        )
        if "offence_code_expired" in cells.column_names
        else np.zeros(n, dtype=bool)
    )
    outcome = _map(raw, "outcome_type", outcomes.normalise_code, "outcome type")
    out["outcome_type"] = outcome
    not_in_totals = np.asarray(outcome.categories.isin(outcomes.EXCLUDED_FROM_TOTALS))[outcome.codes]
    out["in_totals"] = ~not_in_totals & (np.asarray(out["force_kind"]) != forces_mod.FRAUD_BODY)

    for col in COUNT_COLUMNS:
        counts, issue, token = parse_counts(cells.column(col))
        out[col], out[f"{col}_issue"], out[f"{col}_raw"] = counts, issue, token

    out["source_file"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[source_file])
    if "source_sheet" in cells.column_names:
        out["source_sheet"] = pd.Categorical(cells.column("source_sheet").to_pandas())
    else:
        out["source_sheet"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[raw.sheet or ""])
    out["source_row"] = source_row.astype(np.int32)
    tidy = pd.DataFrame(out)
    _check_key(tidy, raw)
    return tidy


def _check_key(tidy: pd.DataFrame, raw: RawTable) -> None:
    """Two rows with the same key would be summed as if they were different offences: an error."""
    key = np.zeros(len(tidy), dtype=np.int64)
    for col in ("fin_quarter", "force", "offence_code", "outcome_type"):
        s = tidy[col]
        codes = s.cat.codes.to_numpy().astype(np.int64) if hasattr(s, "cat") else s.to_numpy().astype(np.int64)
        key = key * (int(codes.max()) + 2) + codes + 1
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    first_key = key[dup][0]
    rows = tidy.loc[key == first_key]
    written = raw.cells.column("offence_code").take(pa.array(np.flatnonzero(key == first_key))).to_pylist()
    r = rows.iloc[0]
    raise DataError(
        f"{raw.where()}: rows {', '.join(str(x) for x in rows['source_row'])} are the same force, quarter, offence and "
        f"outcome ({r['force']} {tidy['financial_year'].iloc[0]} Q{r['fin_quarter']}, offence code "
        + " / ".join(repr(_text(w)) for w in written)
        + f", outcome {r['outcome_type']}); summing them would count "
        f"one offence twice ({int(dup.sum()):,} rows in all share a key with another). Offence codes are compared "
        "trimmed and in upper case; correct or remove the duplicate rows."
    )
