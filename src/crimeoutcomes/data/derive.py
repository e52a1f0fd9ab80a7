"""Tables derived from the tidy rows: aggregate, offence groups, coverage and quality (declared in tables.py).

Each raw file holds one financial year, so the per-file parts of the aggregates never overlap: they are computed
file by file (bounded memory) and concatenated. Coverage is assessed over the whole edition, because a quarter is
judged against the force's other quarters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import clean, outcomes
from . import forces as forces_mod

COVERAGE_PRESENT = "present"
COVERAGE_LEFT_OUT = "cells left out"  # some cells that should hold a count are blank or not numbers: a caveat
COVERAGE_PARTLY_PROVIDED = "partly provided"  # some counts marked "N/A - data not provided": a caveat
COVERAGE_NOT_PROVIDED = "not provided"  # every count marked "N/A - data not provided": cannot be computed
COVERAGE_NO_COUNTS = "no counts"  # rows, but no cell holds a count: cannot be computed
COVERAGE_MISSING = "missing"  # no rows: cannot be computed
#: statuses in order of severity; the first three can be computed from (with a caveat), the rest cannot
STATUSES = (
    COVERAGE_PRESENT,
    COVERAGE_LEFT_OUT,
    COVERAGE_PARTLY_PROVIDED,
    COVERAGE_NOT_PROVIDED,
    COVERAGE_NO_COUNTS,
    COVERAGE_MISSING,
)
BLOCKING = (COVERAGE_NOT_PROVIDED, COVERAGE_NO_COUNTS, COVERAGE_MISSING)
LOW_RATIO = 0.6  # a quarter under 60% of the force's usual quarter is flagged as implausibly low
MIN_QUARTERS_TO_JUDGE = 3
EXPECTED_TYPE0 = "outcome type 0 has no closed count"
EXPECTED_EXPIRED = "offence code expired"
EXPECTED_NEGATIVE = "reclassification adjustment (kept in totals, as published)"


def by_design(tidy: pd.DataFrame, column: str) -> np.ndarray:
    """Cells that are blank or text by design: type 0 has no closed count; expired codes may have no count."""
    issue = tidy[f"{column}_issue"].to_numpy()
    blank_or_text = np.isin(issue, [clean.ISSUE_BLANK, clean.ISSUE_TEXT])
    design = blank_or_text & tidy["offence_code_expired"].to_numpy()
    if column == "closed":
        design |= blank_or_text & (tidy["outcome_type"].to_numpy() == outcomes.NOT_YET_ASSIGNED)
    return design


def left_out(tidy: pd.DataFrame, column: str) -> np.ndarray:
    """Cells that should hold a count but are blank, text, 'not provided' or not a whole number."""
    return np.isin(tidy[f"{column}_issue"].to_numpy(), clean.LEFT_OUT) & ~by_design(tidy, column)


def aggregate(tidy: pd.DataFrame) -> pd.DataFrame:
    """Force x financial quarter x outcome type totals of one file (numbers as published; cells that are not
    counts are left out and counted in *_left_out)."""
    t = tidy.assign(
        closed_left_out=left_out(tidy, "closed").astype(np.int32),
        recorded_left_out=left_out(tidy, "recorded").astype(np.int32),
        rows=np.int32(1),
    )
    keys = [
        "force",
        "force_kind",
        "financial_year",
        "fin_quarter",
        "calendar_year",
        "calendar_quarter",
        "outcome_type",
        "in_totals",
    ]
    g = t.groupby(keys, observed=True, sort=False)
    agg = (
        g[["closed", "recorded"]]
        .sum(min_count=1)
        .join(g[["rows", "closed_left_out", "recorded_left_out"]].sum())
        .reset_index()
    )
    agg["quarter_start"] = pd.to_datetime(
        {"year": agg["calendar_year"], "month": (agg["calendar_quarter"] - 1) * 3 + 1, "day": 1}
    )
    agg["outcome_description"] = agg["outcome_type"].astype(str).map(outcomes.OUTCOME_TYPES).fillna("")
    order = agg["outcome_type"].astype(str).map(outcomes.sort_key)
    return agg.assign(_o=order).sort_values(["force", "fin_quarter", "_o"]).drop(columns="_o").reset_index(drop=True)


def offence_groups(tidy: pd.DataFrame) -> pd.DataFrame:
    """Force x financial quarter x offence group x outcome type totals of one file."""
    t = tidy.assign(
        closed_left_out=left_out(tidy, "closed").astype(np.int32),
        recorded_left_out=left_out(tidy, "recorded").astype(np.int32),
    )
    keys = ["force", "force_kind", "financial_year", "fin_quarter", "offence_group", "outcome_type", "in_totals"]
    g = t.groupby(keys, observed=True, sort=True)
    return (
        g[["closed", "recorded"]].sum(min_count=1).join(g[["closed_left_out", "recorded_left_out"]].sum()).reset_index()
    )


def supply(tidy: pd.DataFrame) -> pd.DataFrame:
    """Per force x quarter of one file: what was supplied, on each basis (rows in totals only)."""
    keys = ["force", "financial_year", "fin_quarter"]
    in_totals = tidy["in_totals"].to_numpy()
    t = tidy.loc[in_totals, keys]
    sub = tidy[in_totals]
    t = t.assign(
        closed_values=sub["closed"].notna().to_numpy(),
        recorded_values=sub["recorded"].notna().to_numpy(),
        closed_total=sub["closed"].fillna(0).to_numpy(dtype="int64"),
        recorded_total=sub["recorded"].fillna(0).to_numpy(dtype="int64"),
        closed_left_out=left_out(sub, "closed"),
        recorded_left_out=left_out(sub, "recorded"),
        closed_not_provided=sub["closed_issue"].to_numpy() == clean.ISSUE_NOT_PROVIDED,
        recorded_not_provided=sub["recorded_issue"].to_numpy() == clean.ISSUE_NOT_PROVIDED,
    )
    s = t.groupby(keys, observed=True).sum()
    rows = tidy.groupby(keys, observed=True).size().rename("rows")
    out = rows.to_frame().join(s, how="left").fillna(0).reset_index()
    return out.astype({"force": str, "financial_year": str, "fin_quarter": int})


def _status(rows, values, not_provided, left_out) -> np.ndarray:
    return np.select(
        [rows.eq(0), values.eq(0) & not_provided.gt(0), values.eq(0), not_provided.gt(0), left_out.gt(0)],
        [COVERAGE_MISSING, COVERAGE_NOT_PROVIDED, COVERAGE_NO_COUNTS, COVERAGE_PARTLY_PROVIDED, COVERAGE_LEFT_OUT],
        COVERAGE_PRESENT,
    )


def coverage(supplies: pd.DataFrame, financial_years: list[str]) -> pd.DataFrame:
    """Every police force x quarter of every financial year of the edition (fraud reporting bodies only where they
    appear): status on each basis, totals, and a plausibility flag against the force's usual quarter."""
    expected = [f.name for f in forces_mod.POLICE_FORCES]
    extra = sorted(set(supplies["force"]) - set(expected)) if len(supplies) else []
    grid = pd.MultiIndex.from_product(
        [expected + extra, financial_years, [1, 2, 3, 4]], names=["force", "financial_year", "fin_quarter"]
    ).to_frame(index=False)
    cov = grid.merge(supplies, how="left", on=["force", "financial_year", "fin_quarter"])
    counts = [
        "rows",
        "closed_values",
        "recorded_values",
        "closed_total",
        "recorded_total",
        "closed_left_out",
        "recorded_left_out",
        "closed_not_provided",
        "recorded_not_provided",
    ]
    cov[counts] = cov[counts].fillna(0).astype("int64")
    cov["force_kind"] = cov["force"].map(lambda n: forces_mod.BY_NAME[n].kind)
    cov = cov[cov["force_kind"].ne(forces_mod.FRAUD_BODY) | cov["rows"].gt(0)].reset_index(drop=True)
    for basis in ("closed", "recorded"):
        cov[f"{basis}_status"] = _status(
            cov["rows"], cov[f"{basis}_values"], cov[f"{basis}_not_provided"], cov[f"{basis}_left_out"]
        )
    for basis in ("closed", "recorded"):
        cov[f"{basis}_total"] = cov[f"{basis}_total"].astype("Int64").where(cov[f"{basis}_values"].gt(0))
    cov["closed_usual"], cov["plausibility"] = _plausibility(cov)
    fy_start = cov["financial_year"].str[:4].astype(int)
    cov["calendar_year"], cov["calendar_quarter"] = clean.calendar_of(fy_start, cov["fin_quarter"])
    cov["quarter_label"] = cov["financial_year"] + " Q" + cov["fin_quarter"].astype(str)
    cov = cov.drop(columns=["closed_values", "recorded_values"])
    return cov.sort_values(
        ["force", "financial_year", "fin_quarter"],
        key=lambda s: s.map({f.name: i for i, f in enumerate(forces_mod.FORCES)}) if s.name == "force" else s,
    ).reset_index(drop=True)


def _plausibility(cov: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(usual closed total: median of the force's other quarters with counts, flag 'low' / 'ok' / '')."""
    usual = pd.Series(pd.NA, index=cov.index, dtype="Int64")
    flag = pd.Series("", index=cov.index, dtype=object)
    usable = cov["closed_status"].isin([COVERAGE_PRESENT, COVERAGE_LEFT_OUT, COVERAGE_PARTLY_PROVIDED])
    for _, part in cov[usable].groupby("force"):
        totals = part["closed_total"].astype("float64")
        for idx in part.index:
            others = totals.drop(idx)
            if len(others) < MIN_QUARTERS_TO_JUDGE:
                continue
            median = float(np.median(others))
            usual[idx] = round(median)
            flag[idx] = "low" if median > 0 and totals[idx] < LOW_RATIO * median else "ok"
    return usual, flag


def quality(tidy: pd.DataFrame, empty_rows: list[int], source_file: str) -> pd.DataFrame:
    """Every count cell of one file that is not a plain non-negative count, grouped by force / quarter / column /
    issue / token, with the reason it is expected (by design) where it is; plus rows with no value at all."""
    parts = []
    for col in clean.COUNT_COLUMNS:
        flagged = tidy[tidy[f"{col}_issue"].astype(str).ne("").to_numpy()]
        if flagged.empty:
            continue
        issue = flagged[f"{col}_issue"].astype(str)
        expected = np.where(
            by_design(flagged, col),
            np.where(
                (flagged["outcome_type"].astype(str) == outcomes.NOT_YET_ASSIGNED) & (col == "closed"),
                EXPECTED_TYPE0,
                EXPECTED_EXPIRED,
            ),
            "",
        )
        expected = np.where(issue == clean.ISSUE_NEGATIVE, EXPECTED_NEGATIVE, expected)
        sub = pd.DataFrame(
            {
                "source_file": source_file,
                "force": flagged["force"].astype(str),
                "financial_year": flagged["financial_year"].astype(str),
                "fin_quarter": flagged["fin_quarter"].astype(int),
                "column": col,
                "issue": issue,
                "token": np.where(
                    issue == clean.ISSUE_NEGATIVE, "(negative number)", flagged[f"{col}_raw"].astype(str)
                ),
                "expected": expected,
                "value": flagged[col],
            }
        )
        g = (
            sub.groupby(
                ["source_file", "force", "financial_year", "fin_quarter", "column", "issue", "token", "expected"]
            )
            .agg(cells=("issue", "size"), value_sum=("value", lambda s: s.sum(min_count=1)), value_min=("value", "min"))
            .reset_index()
        )
        parts.append(g)
    if empty_rows:
        parts.append(
            pd.DataFrame(
                [
                    {
                        "source_file": source_file,
                        "force": "",
                        "financial_year": "",
                        "fin_quarter": 0,
                        "column": "(all)",
                        "issue": "empty row",
                        "token": "rows "
                        + ", ".join(map(str, empty_rows[:10]))
                        + (" …" if len(empty_rows) > 10 else ""),
                        "expected": "row with no value in any column; not data",
                        "cells": len(empty_rows),
                        "value_sum": pd.NA,
                        "value_min": pd.NA,
                    }
                ]
            )
        )
    if not parts:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=object)
                for c in [
                    "source_file",
                    "force",
                    "financial_year",
                    "fin_quarter",
                    "column",
                    "issue",
                    "token",
                    "expected",
                    "cells",
                    "value_sum",
                    "value_min",
                ]
            }
        )
    return pd.concat(parts, ignore_index=True)


def quality_summary(q: pd.DataFrame) -> pd.DataFrame:
    """Per file, column, issue and token: how many cells, and whether they are expected."""
    return (
        q.assign(expected=q["expected"].where(q["expected"].ne(""), "(not by design)"))
        .groupby(["source_file", "column", "issue", "token", "expected"], dropna=False)
        .agg(cells=("cells", "sum"), forces=("force", "nunique"), value_sum=("value_sum", lambda s: s.sum(min_count=1)))
        .reset_index()
    )
