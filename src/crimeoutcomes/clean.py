"""Normalise raw text cells into the tidy outcomes table, and derive the aggregate, coverage and quality tables.

Tidy table: one row per financial year × quarter × force × offence code × outcome type, with
- period keys: financial_year ('2018/19'), fy_start (2018), fin_quarter (1-4), calendar_year,
  calendar_quarter, quarter_start (first day of the quarter);
- force (canonical name), force_kind (territorial / british transport police / fraud reporting body);
- offence_code, offence_description, offence_group, offence_subgroup, offence_code_expired;
- outcome_type (text: '0'…'22', '1a'…), outcome_description, outcome_group, in_totals;
- closed, recorded: the two counts (nullable integers, negative values kept as published);
  closed_issue / recorded_issue: '' or blank / text / non-integer / negative; closed_raw / recorded_raw: the
  cell as written whenever it was not a plain count (so no token is ever lost);
- source_file, source_row, edition.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import forces as forces_mod
from . import outcomes
from .errors import DataError
from .read import RawTable

BLANK_TOKENS = ("", "NA")  # an empty cell; the CSV conversions write empty cells as NA (R's missing value)
ISSUE_BLANK, ISSUE_TEXT, ISSUE_NONINT, ISSUE_NEGATIVE = "blank", "text", "non-integer", "negative"
COUNT_COLUMNS = ("closed", "recorded")
KEY = ["financial_year", "fin_quarter", "force", "offence_code", "outcome_type"]
TEXT_COLUMNS = (
    "financial_year", "force", "force_kind", "offence_code", "offence_description", "offence_group",
    "offence_subgroup", "outcome_type", "outcome_description", "outcome_group", "closed_issue",
    "recorded_issue", "source_file", "edition",
)


def calendar_of(fy_start, fin_quarter):
    """(calendar year, calendar quarter) of financial quarters, for scalars or arrays: financial Q1 (April-June)
    is calendar Q2 of fy_start; financial Q4 (January-March) is calendar Q1 of fy_start + 1."""
    q = np.asarray(fin_quarter)
    return np.where(q == 4, np.asarray(fy_start) + 1, fy_start), np.where(q == 4, 1, q + 1)


def _map_unique(series: pd.Series, fn, what: str, raw: RawTable) -> pd.Series:
    """Apply fn to each distinct value (the columns have few); a value fn rejects (returns None) is an error
    naming file and row."""
    codes, uniques = pd.factorize(series)
    mapped = []
    for i, value in enumerate(uniques):
        out = fn(value)
        if out is None:
            bad = raw.frame["source_row"].to_numpy()[codes == i]
            raise DataError(
                f"{raw.where()}, row {int(bad[0])}: {what} {value!r} is not recognised"
                + (f" ({len(bad):,} rows have it)" if len(bad) > 1 else "")
            )
        mapped.append(out)
    # a categorical built from the codes: no per-row Python objects, whatever the column's length
    mapped_codes, categories = pd.factorize(pd.Series(mapped, dtype=object))
    return pd.Series(pd.Categorical.from_codes(mapped_codes[codes], categories=categories), index=series.index)


def _quarter(value: str) -> int | None:
    m = re.fullmatch(r"(?i)q?\s*([1-4])(?:\.0)?", value.strip())
    return int(m.group(1)) if m else None


def _expired(value: str) -> bool | None:
    v = value.strip().lower()
    if v in ("x", "y", "yes", "true", "1", "expired"):
        return True
    if v in ("", "na", "n", "no", "false", "0"):
        return False
    return None


def _offence_code(value: str) -> str | None:
    v = value.strip()
    if v == "" or v == "NA":
        return None
    if re.fullmatch(r"\d+\.0", v):
        v = v[:-2]
    return v


def parse_counts(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Text cells -> (counts as nullable Int64, issue label, raw token where the cell is not a plain count).

    Numbers are kept as published, negative ones included (flagged 'negative'); blanks, text tokens and
    non-integer numbers become missing counts, flagged and with their raw text kept."""
    codes, uniques = pd.factorize(cells)  # few distinct values: convert those, then broadcast
    uniques = pd.Series(uniques, dtype=object)
    blank = pd.Series(uniques.isin(BLANK_TOKENS).to_numpy()[codes], index=cells.index)
    numbers = pd.Series(pd.to_numeric(uniques.where(~uniques.isin(BLANK_TOKENS)), errors="coerce").to_numpy()[codes],
                        index=cells.index, dtype="float64")
    text = ~blank & numbers.isna()
    nonint = numbers.notna() & (numbers != np.floor(numbers))
    negative = numbers.notna() & ~nonint & (numbers < 0)
    counts = numbers.where(~nonint).astype("Int64")
    issue = pd.Series(np.select([blank, text, nonint, negative], [ISSUE_BLANK, ISSUE_TEXT, ISSUE_NONINT, ISSUE_NEGATIVE], ""), index=cells.index)
    raw_token = cells.where(blank | text | nonint | negative)
    return counts, issue, raw_token


def normalise(raw: RawTable, *, financial_year: str, source_file: str, edition: str) -> pd.DataFrame:
    """Raw text table of one file -> tidy rows. Raises DataError naming file and row on anything it cannot place."""
    f = raw.frame
    out = pd.DataFrame(index=f.index)

    years = f["financial_year"].unique()
    wrong = [y for y in years if y != financial_year]
    if wrong:
        first = f.loc[f["financial_year"].eq(wrong[0]), "source_row"]
        raise DataError(
            f"{raw.where()}, row {int(first.iloc[0])}: financial year {wrong[0]!r} but the manifest says this file "
            f"holds {financial_year} ({(~f['financial_year'].eq(financial_year)).sum():,} rows differ). "
            "Is this the wrong file for the manifest entry?"
        )
    out["financial_year"] = financial_year
    fy_start = int(financial_year[:4])
    out["fy_start"] = fy_start
    out["fin_quarter"] = _map_unique(f["financial_quarter"], _quarter, "financial quarter", raw).astype("int8")
    cal_year, cal_quarter = calendar_of(fy_start, out["fin_quarter"])
    out["calendar_year"] = cal_year.astype("int16")
    out["calendar_quarter"] = cal_quarter.astype("int8")
    out["quarter_start"] = pd.to_datetime(
        {"year": out["calendar_year"], "month": (out["calendar_quarter"] - 1) * 3 + 1, "day": 1}
    )

    def _force_name(value: str) -> str | None:
        force = forces_mod.lookup(value)
        return force.name if force else None

    out["force"] = _map_unique(f["force_name"], _force_name, "force name", raw)
    out["force_kind"] = out["force"].map({name: force.kind for name, force in forces_mod.BY_NAME.items()})

    out["offence_code"] = _map_unique(f["offence_code"], _offence_code, "offence code", raw)
    out["offence_description"] = f["offence_description"]
    for col in ("offence_group", "offence_subgroup", "outcome_description", "outcome_group"):
        out[col] = f[col] if col in f else ""
    out["offence_code_expired"] = (
        _map_unique(f["offence_code_expired"], _expired, "offence-code-expired flag", raw).astype(bool)
        if "offence_code_expired" in f else False
    )
    out["outcome_type"] = _map_unique(f["outcome_type"], outcomes.normalise_code, "outcome type", raw)
    out["in_totals"] = ~out["outcome_type"].isin(outcomes.EXCLUDED_FROM_TOTALS) & out["force_kind"].ne(forces_mod.FRAUD_BODY)

    for col in COUNT_COLUMNS:
        counts, issue, token = parse_counts(f[col])
        out[col] = counts
        out[f"{col}_issue"] = issue
        out[f"{col}_raw"] = token

    out["source_file"] = source_file
    out["source_row"] = f["source_row"].astype("int64")
    if "source_sheet" in f:
        out["source_sheet"] = f["source_sheet"]
    out["edition"] = edition

    dup = out.duplicated(KEY, keep=False)
    if dup.any():
        rows = out.loc[dup].sort_values(KEY).head(6)
        listing = "; ".join(
            f"row {r.source_row}: {r.force} {r.financial_year} Q{r.fin_quarter} offence {r.offence_code} outcome {r.outcome_type}"
            for r in rows.itertuples()
        )
        raise DataError(f"{raw.where()}: {int(dup.sum()):,} rows share a key ({', '.join(KEY)}) with another row: {listing}")
    return out


def categorise(tidy: pd.DataFrame) -> pd.DataFrame:
    """Store repeated text columns as categoricals (small Parquet, fast group-bys)."""
    for col in TEXT_COLUMNS:
        if col in tidy:
            tidy[col] = tidy[col].astype("category")
    return tidy


def aggregate(tidy: pd.DataFrame) -> pd.DataFrame:
    """Force × financial quarter × outcome type: closed and recorded totals (numbers as published; blanks and
    text excluded, counted in the quality report). All outcome types are kept, with in_totals saying which
    enter a total."""
    keys = ["force", "force_kind", "financial_year", "fy_start", "fin_quarter", "calendar_year", "calendar_quarter",
            "quarter_start", "outcome_type", "in_totals"]
    grouped = tidy.groupby(keys, observed=True, sort=False)
    agg = grouped[["closed", "recorded"]].sum(min_count=1)
    agg["rows"] = grouped.size()
    agg = agg.reset_index()
    agg["closed"] = agg["closed"].astype("Int64")
    agg["recorded"] = agg["recorded"].astype("Int64")
    agg["outcome_description"] = agg["outcome_type"].map(outcomes.OUTCOME_TYPES)
    agg["_o"] = agg["outcome_type"].map(outcomes.sort_key)
    agg = agg.sort_values(["force", "financial_year", "fin_quarter", "_o"]).drop(columns="_o").reset_index(drop=True)
    for col in ("force", "force_kind", "financial_year", "outcome_type", "outcome_description"):
        agg[col] = agg[col].astype(str)
    return agg


def offence_group_aggregate(tidy: pd.DataFrame) -> pd.DataFrame:
    """Force × financial quarter × offence group × outcome type (closed and recorded), for offence-group
    breakdowns and the with/without-fraud sensitivity."""
    keys = ["force", "force_kind", "financial_year", "fin_quarter", "offence_group", "outcome_type", "in_totals"]
    grouped = tidy.groupby(keys, observed=True, sort=True)
    out = grouped[["closed", "recorded"]].sum(min_count=1).reset_index()
    for col in ("force", "force_kind", "financial_year", "offence_group", "outcome_type"):
        out[col] = out[col].astype(str)
    out["closed"] = out["closed"].astype("Int64")
    out["recorded"] = out["recorded"].astype("Int64")
    return out


COVERAGE_COMPLETE = "present"
COVERAGE_MISSING = "missing"
COVERAGE_NO_COUNTS = "no closed counts"


def coverage(tidy: pd.DataFrame, financial_years: list[str]) -> pd.DataFrame:
    """Which force-quarters are present. Every police force (43 territorial + BTP) is expected in every quarter
    of every financial year in the edition; fraud reporting bodies are listed only where they appear."""
    rows = tidy[tidy["in_totals"] | tidy["outcome_type"].eq(outcomes.NOT_YET_ASSIGNED)]
    rows = rows.assign(closed_t=rows["closed"].where(rows["in_totals"]), recorded_t=rows["recorded"].where(rows["in_totals"]))
    present = (
        rows.groupby(["force", "financial_year", "fin_quarter"], observed=True)
        .agg(rows=("closed", "size"), closed_values=("closed_t", "count"), closed_total=("closed_t", "sum"),
             recorded_total=("recorded_t", "sum"))
        .reset_index()
    )
    present["force"] = present["force"].astype(str)
    present["financial_year"] = present["financial_year"].astype(str)
    expected_forces = [f.name for f in forces_mod.POLICE_FORCES]
    extra = sorted(set(present["force"]) - set(expected_forces))
    grid = pd.MultiIndex.from_product(
        [expected_forces + extra, financial_years, [1, 2, 3, 4]], names=["force", "financial_year", "fin_quarter"]
    ).to_frame(index=False)
    grid["fin_quarter"] = grid["fin_quarter"].astype(int)
    present["fin_quarter"] = present["fin_quarter"].astype(int)
    cov = grid.merge(present, how="left", on=["force", "financial_year", "fin_quarter"])
    cov["force_kind"] = cov["force"].map(lambda n: forces_mod.BY_NAME[n].kind)
    cov["rows"] = cov["rows"].fillna(0).astype(int)
    cov["closed_values"] = cov["closed_values"].fillna(0).astype(int)
    cov["closed_total"] = cov["closed_total"].astype("Int64")
    cov["recorded_total"] = cov["recorded_total"].astype("Int64")
    cov["status"] = np.select(
        [cov["rows"].eq(0), cov["closed_values"].eq(0)], [COVERAGE_MISSING, COVERAGE_NO_COUNTS], COVERAGE_COMPLETE
    )
    fy_start = cov["financial_year"].str[:4].astype(int)
    cov["calendar_year"], cov["calendar_quarter"] = calendar_of(fy_start, cov["fin_quarter"])
    cov["quarter_label"] = cov["financial_year"] + " Q" + cov["fin_quarter"].astype(str)
    cov = cov[cov["force_kind"].ne(forces_mod.FRAUD_BODY) | cov["rows"].gt(0)]
    cols = ["force", "force_kind", "financial_year", "fin_quarter", "quarter_label", "calendar_year", "calendar_quarter",
            "status", "rows", "closed_values", "closed_total", "recorded_total"]
    return cov[cols].reset_index(drop=True)


def _expected_reason(issue_rows: pd.DataFrame, column: str) -> pd.Series:
    reason = pd.Series("", index=issue_rows.index, dtype=object)
    if column == "closed":
        reason[issue_rows["outcome_type"].astype(str).eq(outcomes.NOT_YET_ASSIGNED) & issue_rows["issue"].eq(ISSUE_BLANK)] = (
            "outcome type 0 has no closed count"
        )
    reason[issue_rows["offence_code_expired"] & issue_rows["issue"].isin([ISSUE_BLANK, ISSUE_TEXT])] = "offence code expired"
    reason[issue_rows["issue"].eq(ISSUE_NEGATIVE)] = "reclassification adjustment (kept in totals, as published)"
    return reason


def quality(tidy: pd.DataFrame, empty_rows: dict[str, list[int]]) -> pd.DataFrame:
    """Every count cell that is not a plain non-negative integer, counted per file / force / quarter / column /
    issue / token, plus rows with no value at all. Nothing is dropped or zero-filled without appearing here."""
    parts = []
    for col in COUNT_COLUMNS:
        flagged = tidy[tidy[f"{col}_issue"].astype(str).ne("")]
        if flagged.empty:
            continue
        sub = pd.DataFrame({
            "source_file": flagged["source_file"].astype(str),
            "force": flagged["force"].astype(str),
            "financial_year": flagged["financial_year"].astype(str),
            "fin_quarter": flagged["fin_quarter"].astype(int),
            "column": col,
            "issue": flagged[f"{col}_issue"].astype(str),
            "token": flagged[f"{col}_raw"].astype(str),
            "outcome_type": flagged["outcome_type"].astype(str),
            "offence_code_expired": flagged["offence_code_expired"],
            "value": flagged[col],
        })
        sub["expected"] = _expected_reason(sub, col)
        sub.loc[sub["issue"].eq(ISSUE_NEGATIVE), "token"] = "(negative number)"
        g = (
            sub.groupby(["source_file", "force", "financial_year", "fin_quarter", "column", "issue", "token", "expected"])
            .agg(cells=("issue", "size"), value_sum=("value", lambda s: s.sum(min_count=1)), value_min=("value", "min"))
            .reset_index()
        )
        parts.append(g)
    for source_file, rows in empty_rows.items():
        if rows:
            parts.append(pd.DataFrame([{
                "source_file": source_file, "force": "", "financial_year": "", "fin_quarter": 0, "column": "(all)",
                "issue": "empty row", "token": "rows " + ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else ""),
                "expected": "row with no value in any column; not data", "cells": len(rows),
                "value_sum": pd.NA, "value_min": pd.NA,
            }]))
    if not parts:
        return pd.DataFrame(columns=["source_file", "force", "financial_year", "fin_quarter", "column", "issue", "token",
                                     "expected", "cells", "value_sum", "value_min"])
    q = pd.concat(parts, ignore_index=True)
    q["value_sum"] = q["value_sum"].astype("Int64")
    q["value_min"] = q["value_min"].astype("Int64")
    return q.sort_values(["source_file", "force", "financial_year", "fin_quarter", "column", "issue"]).reset_index(drop=True)


def quality_summary(q: pd.DataFrame) -> pd.DataFrame:
    """Per file, column, issue and token: how many cells, and how many of those were expected."""
    return (
        q.assign(expected=q["expected"].where(q["expected"].ne(""), "(unexpected)"))
        .groupby(["source_file", "column", "issue", "token", "expected"], dropna=False)
        .agg(cells=("cells", "sum"), forces=("force", "nunique"), value_sum=("value_sum", lambda s: s.sum(min_count=1)))
        .reset_index()
    )
