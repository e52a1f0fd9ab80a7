"""Tables and notes for the dataset guide (notebooks/00_dataset_guide.ipynb): they explain the outcomes table and
show each of its traps on the real rows of an edition. Every table is made for people (formatted numbers, human column
names, no index); every figure comes from the processed tables and measures, and every note's words follow its
numbers."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from ...analysis import caveats as caveats_mod
from ...analysis import measures as m
from ...analysis.periods import Period
from ...analysis.traps import example_quarter, latest_period, negative_cells, type0_by_quarter  # noqa: F401 (the guide's too)
from ...data import derive, outcomes, tables
from ...data import forces as forces_mod
from ..pages import html
from ..words import numbers, wording


def _show(text: str, figures):
    """A paragraph of the guide, each figure in it marked with the exact value it states."""
    return HTML(f"<p>{html.mark(text, figures)}</p>")


# The tidy table's columns the guide's overview tables read: categories, flags and small integers only, so the
# whole table fits in memory at full scale (8 million rows in about 0.2 GB). Counts are read where they are needed,
# with a filter (negative_cells).
GUIDE_TIDY_COLUMNS = [
    "financial_year",
    "fin_quarter",
    "force",
    "force_kind",
    "offence_code",
    "offence_group",
    "offence_code_expired",
    "outcome_type",
    "recorded_issue",
    "source_file",
]


def n(value):
    """A count as the pages print it (the one formatter)."""
    return numbers.count(None if value is None or pd.isna(value) else value)


def one_row(ds: m.Dataset, force: str) -> pd.DataFrame:
    """The example force's largest outcome-16 cell, as field / value pairs (every column of the tidy table)."""

    t = tables.OUTCOMES.load(ds.edition, filters=[("force", "==", force), ("outcome_type", "==", "16")])
    row = t.sort_values("closed", ascending=False).iloc[0]
    return pd.DataFrame({"column": list(row.index), "value": [("–" if pd.isna(v) else str(v)) for v in row.values]})


def overview(tidy: pd.DataFrame) -> pd.DataFrame:
    police = tidy["force_kind"].astype(str) != forces_mod.FRAUD_BODY
    per_fq = tidy.groupby(["financial_year", "force", "fin_quarter"], observed=True).size()
    rows = {
        "rows": n(len(tidy)),
        "police forces": n(tidy.loc[police, "force"].nunique()),
        "fraud reporting bodies listed as forces": n(tidy.loc[~police, "force"].nunique()),
        "offence codes": n(tidy["offence_code"].nunique()),
        "of which expired codes": n(tidy.loc[tidy["offence_code_expired"], "offence_code"].nunique()),
        "offence groups": n(tidy["offence_group"].nunique()),
        "outcome types present": ", ".join(sorted(map(str, tidy["outcome_type"].unique()), key=outcomes.sort_key)),
        "quarters": n(tidy[["financial_year", "fin_quarter"]].drop_duplicates().shape[0]),
        "rows per force and quarter": "; ".join(f"{fy}: {n(v.median())}" for fy, v in per_fq.groupby(level=0)),
    }
    return numbers.frame({"what": list(rows), "value": list(rows.values())})


def outcome_shares(ds: m.Dataset, period: Period) -> pd.DataFrame:
    """Every outcome type in the Home Office order (0 first), its national count and share of offences closed."""
    ew = m.Area.of(m.EW)
    cube = ds.counts("closed", m.OffenceScope("all"))
    rec = ds.counts("recorded", m.OffenceScope("all"))
    result = ds.evaluate(m.Query(ew, period))
    total, used = result.numerator, tuple(result.forces) or ew.forces  # the forces the total used (follows the data)
    rows = []
    for code in sorted(outcomes.OUTCOME_TYPES, key=outcomes.sort_key):
        if code in outcomes.OF_WHICH:
            continue
        present = code in cube.types
        closed, _ = cube.total(used, period.quarters, (code,))
        recorded, _ = rec.total(used, period.quarters, (code,))
        in_totals = code != outcomes.NOT_YET_ASSIGNED
        rows.append(
            {
                "Outcome type": code,
                "Description": outcomes.OUTCOME_TYPES[code],
                "Offences closed with this outcome": (
                    "no closed count (type 0)" if not in_totals else n(closed) if present else "not in this edition"
                ),
                "Share of offences closed": (
                    numbers.share(closed, total, 2) if in_totals and present and total else numbers.count(None)
                ),
                "Recorded basis count": n(recorded) if present else "not in this edition",
            }
        )
    return numbers.frame(rows)


def absent_types(ds: m.Dataset) -> list[str]:
    cube = ds.counts("closed", m.OffenceScope("all"))
    return [c for c in outcomes.OUTCOME_CODES if c not in cube.types]


def bases_example(ds: m.Dataset, force: str, fy: str, quarter: int) -> tuple[pd.DataFrame, dict]:
    """Closed vs recorded basis for one force and quarter, per outcome type (type 0 first), with the totals."""
    area = m.Area.of(force)
    p = Period.quarter(fy, quarter)
    closed_c, rec_c = ds.counts("closed", m.OffenceScope("all")), ds.counts("recorded", m.OffenceScope("all"))
    rows = []
    for code in sorted(closed_c.types, key=outcomes.sort_key):
        c, _ = closed_c.total(area.forces, p.quarters, (code,))
        r, _ = rec_c.total(area.forces, p.quarters, (code,))
        rows.append(
            {
                "Outcome type": code,
                "Description": outcomes.OUTCOME_TYPES.get(code, ""),
                "Closed basis": n(None) if code == outcomes.NOT_YET_ASSIGNED else n(c),
                "Recorded basis": n(r),
            }
        )
    totals = {
        "closed": ds.evaluate(m.Query(area, p, "closed")).numerator,
        "recorded": ds.evaluate(m.Query(area, p, "recorded")).numerator,
        "type0": rec_c.total(area.forces, p.quarters, ("0",))[0],
    }
    rows.append(
        {
            "Outcome type": "total",
            "Description": "every outcome type except 0",
            "Closed basis": n(totals["closed"]),
            "Recorded basis": n(totals["recorded"]),
        }
    )
    return numbers.frame(rows), totals


def bases_note(counts: dict, force: str, quarter: str):
    """What section 5's example shows, in words that follow its numbers: the two counts of one force and quarter,
    and why one is larger than the other (counts: the totals of bases_example)."""
    closed, with_outcome, type0 = counts["closed"], counts["recorded"], counts["type0"]
    recorded = with_outcome + type0
    shown = [numbers.count(closed), numbers.count(recorded), numbers.count(with_outcome), numbers.count(type0)]
    text = (
        f"In {quarter}, {force} closed {shown[0]} investigations (closed basis): offences recorded in that quarter "
        f"or before it, closed during it. It recorded {shown[1]} offences in that quarter; by the time the data "
        f"were extracted, {shown[2]} of them had an outcome and {shown[3]} (type 0) had none yet (recorded basis). "
    )
    if with_outcome > closed:
        text += (
            "The recorded basis is the larger here. It follows the offences recorded in the quarter up to the day "
            "the data were extracted, months or years later, and counts every outcome they had by then; the closed "
            f"basis counts only the investigations closed during the quarter itself, old or new. {force} recorded "
            f"more offences in {quarter} ({shown[1]}) than it closed investigations ({shown[0]}): many of the "
            "quarter's offences were closed in later quarters, where the closed basis counts them. "
        )
    elif with_outcome < closed:
        text += (
            f"The closed basis is the larger here: {force} closed more investigations in {quarter} ({shown[0]}) than "
            f"the quarter's own offences had outcomes by the time the data were extracted ({shown[2]}), so many of "
            "the investigations it closed were of offences recorded in earlier quarters. "
        )
    text += (
        "Neither count is 'right': they answer different questions and give different rates (the sensitivity page "
        "measures how much)."
    )
    return _show(text, shown)


def type0_note(area_rows: pd.DataFrame, area: str, force_rows: pd.DataFrame, force: str, quarter: str):
    """What type 0 (no outcome yet, recorded basis) shows, in words that follow the numbers: its share in the
    oldest and the latest quarter of an area, where it falls from one file to the next, and in one quarter of a
    force (rows: analysis.traps.type0_by_quarter)."""
    rows = area_rows.dropna(subset=["share_pct"])
    if rows.empty:
        return _show("No offence recorded in this edition has a recorded-basis count.", [])
    first, last = rows.iloc[0], rows.iloc[-1]
    shown = [numbers.percent(last["share_pct"]), numbers.count(last["type0"]), numbers.percent(first["share_pct"])]
    text = (
        f"Of the offences recorded in {area} in {last['quarter']}, the edition's latest quarter, "
        f"{shown[0]} ({shown[1]}) had no outcome yet when the data were extracted"
    )
    if len(rows) > 1:
        text += f"; of those recorded in {first['quarter']}, its oldest, {shown[2]}."
        if numbers.compare(shown[0], shown[2]) > 0:
            text += (
                " The older the quarter, the longer its offences have had to get an outcome, so type 0 is largest "
                "for recent quarters and smaller for old ones: added to a total, it would inflate recent quarters "
                "most."
            )
        elif numbers.compare(shown[0], shown[2]) < 0:
            text += " Here the oldest quarter has more offences without an outcome than the latest one."
        else:
            text += " It is the same in both."
    else:
        text += "."
    text += _type0_between_files(rows, shown)
    mine = force_rows[force_rows["quarter"] == quarter]
    if not mine.empty and pd.notna(mine["share_pct"].iloc[0]):
        r = mine.iloc[0]
        example = [numbers.percent(r["share_pct"]), numbers.count(r["type0"]), numbers.count(r["offences_recorded"])]
        shown += example
        text += (
            f" In section 5's example, {force} in {quarter}, it is {example[0]} "
            f"({example[1]} of {example[2]} offences recorded)."
        )
    return _show(text, shown)


def _type0_between_files(rows: pd.DataFrame, shown: list) -> str:
    """Where the share falls from the last quarter of one financial year's file to the first of the next: the two
    quarters come from files extracted on different dates (each year's file is its own extract)."""
    falls = []
    for before, after in zip(rows.iloc[:-1].itertuples(), rows.iloc[1:].itertuples()):
        if before.quarter.split()[0] == after.quarter.split()[0]:
            continue
        b, a = numbers.percent(before.share_pct), numbers.percent(after.share_pct)
        if numbers.compare(a, b) < 0:
            shown += [b, a]
            falls.append(f"from {b} in {before.quarter} to {a} in {after.quarter}")
    if not falls:
        return ""
    return (
        f" It falls {wording.join(falls)}, where one financial year's file ends and the next begins: each file was "
        "extracted on its own date, and a quarter that ended longer before its file was extracted has had longer to "
        "get outcomes."
    )


def caveats_table(caveats: list[caveats_mod.Caveat], financial_years: list[str]) -> pd.DataFrame:
    """Every caveat, and whether it applies to the edition's financial years (a caveat about other years is listed
    but marked)."""
    rows = []
    for c in caveats:
        applies = c.applies(financial_years, c.scope[0] if c.scope else None)
        rows.append(
            {
                "Caveat": c.label,
                "About": ", ".join(c.scope) or "every figure",
                "In this edition": "yes" if applies else f"no: about {wording.join(list(c.financial_years))} only",
                "Source": c.source_citation,
            }
        )
    return numbers.frame(rows)


def files_table(build: dict) -> pd.DataFrame:
    """The edition's files: financial year, file, release, rows read."""
    return numbers.frame(
        {
            "Financial year": [f["financial_year"] for f in build["files"]],
            "File": [f["file"] for f in build["files"]],
            "Release": [f.get("release", "") for f in build["files"]],
            "Rows read": [numbers.count(f["rows_read"]) for f in build["files"]],
        }
    )


def negative_examples(tidy: pd.DataFrame, k: int = 8) -> pd.DataFrame:
    neg = tidy[(tidy["closed"] < 0).fillna(False) | (tidy["recorded"] < 0).fillna(False)]
    neg = neg.sort_values("closed").head(k)
    return numbers.frame(
        {
            "Source file": neg["source_file"].astype(str),
            "Row": numbers.column(neg["source_row"], numbers.count),
            "Force": neg["force"].astype(str),
            "Quarter": neg["financial_year"].astype(str) + " Q" + neg["fin_quarter"].astype(str),
            "Offence": neg["offence_description"].astype(str),
            "Outcome type": neg["outcome_type"].astype(str),
            "Closed": numbers.column(neg["closed"], numbers.count),
            "Recorded": numbers.column(neg["recorded"], numbers.count),
        }
    )


def quality_summary(ds: m.Dataset) -> pd.DataFrame:
    q = derive.quality_summary(ds.quality)
    return numbers.frame(
        {
            "File": q["source_file"],
            "Column": q["column"],
            "Issue": q["issue"],
            "Token": q["token"],
            "Why": q["expected"],
            "Cells": numbers.column(q["cells"], numbers.count),
            "Forces": numbers.column(q["forces"], numbers.count),
        }
    )


def expired_codes(tidy: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for f, g in tidy.groupby("source_file", observed=True):
        exp = g["offence_code_expired"].to_numpy()
        rows.append(
            {
                "File": str(f),
                "Rows": n(len(g)),
                "Rows with an expired offence code": n(exp.sum()),
                "Their recorded-basis cells written as text": n(
                    (exp & (g["recorded_issue"].astype(str) == "text").to_numpy()).sum()
                ),
            }
        )
    return numbers.frame(rows)


def group_mix(ds: m.Dataset, period: Period, force: str) -> pd.DataFrame:
    """Offence groups' share of offences closed: one force against England and Wales."""
    groups = sorted(set(ds.offence_groups["offence_group"].astype(str)))
    rows = []
    for area in (m.Area.of(force), m.Area.of(m.EW)):
        total = ds.evaluate(m.Query(area, period)).numerator
        for g in groups:
            v = ds.evaluate(m.Query(area, period, "closed", m.OffenceScope("group", (g,)))).numerator
            rows.append({"Offence group": g, "area": area.name, "share": 100 * v / total if total else None})
    wide = pd.DataFrame(rows).pivot(index="Offence group", columns="area", values="share")
    wide = wide.sort_values(force, ascending=False)
    return numbers.frame(
        {
            "Offence group": wide.index,
            **{f"% of offences closed: {c}": numbers.column(wide[c], numbers.percent).tolist() for c in wide.columns},
        }
    )


def coverage_problems(ds: m.Dataset) -> pd.DataFrame:
    cov = ds.coverage
    bad = cov[
        (cov["closed_status"] != "present") | (cov["recorded_status"] != "present") | (cov["plausibility"] == "low")
    ]
    return numbers.frame(
        {
            "Force": bad["force"],
            "Quarter": bad["quarter_label"],
            "Closed basis": bad["closed_status"],
            "Recorded basis": bad["recorded_status"],
            "Offences closed": numbers.column(bad["closed_total"], numbers.count),
            "Usual quarter": numbers.column(bad["closed_usual"], numbers.count),
            "Plausibility": bad["plausibility"].astype(str).replace({"": "–"}),
        }
    )


def type0_table(shares: pd.DataFrame) -> pd.DataFrame:
    """type0_by_quarter for people."""
    return numbers.frame(
        {
            "Quarter recorded": shares["quarter"],
            "Offences recorded": numbers.column(shares["offences_recorded"], numbers.count),
            "No outcome yet (type 0)": numbers.column(shares["type0"], numbers.count),
            "Share with no outcome yet": numbers.column(shares["share_pct"], numbers.percent),
        }
    )


def fraud_listing(tidy: pd.DataFrame, ds: m.Dataset) -> dict[str, list[str]]:
    """The central fraud bodies a vintage lists as forces (never counted), and the offence groups about fraud."""
    kind = tidy["force_kind"].astype(str)
    bodies = sorted(set(tidy.loc[kind == forces_mod.FRAUD_BODY, "force"].astype(str)))
    groups = sorted(g for g in set(ds.offence_groups["offence_group"].astype(str)) if g.lower().startswith("fraud"))
    return {"bodies": bodies, "groups": groups}
