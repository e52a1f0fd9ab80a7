"""The figures of one force's report: headline table, the data behind each chart, and the data notes.

Every number comes from measures (computed in one place). Tables are made for people: human column names with
units, formatted values, and only periods the edition can compute (a column says when a figure has caveats).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import derive, outcomes
from ..data import forces as forces_mod
from . import caveats as caveats_mod
from . import measures as m
from .periods import Period

RATE = "Rate: victim did not support action (% of offences closed)"
VDNS = "Victim did not support action (outcomes 14 + 16)"
CLOSED = "Offences closed"


def ew_area() -> m.Area:
    return m.Area.of(m.EW)


def latest_periods(ds: m.Dataset) -> dict[str, Period | None]:
    """The latest calendar and financial year England and Wales can be computed for."""
    return {kind: ds.latest(ew_area(), kind) for kind in ("calendar", "financial")}


def pct(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{100 * value:.{decimals}f}%"


def data_state(fig: m.Figures) -> str:
    if not fig.computable:
        return "not available: " + "; ".join(fig.missing)
    return "complete" if not fig.caveats else "with caveats: " + "; ".join(fig.caveats)


@dataclass
class ForceFigures:
    force: forces_mod.Force
    edition: str
    periods: dict[str, Period | None]
    headline: pd.DataFrame
    charts: dict[str, pd.DataFrame]
    notes: list[str]
    years: dict[str, list[tuple[Period, m.Figures, m.Figures]]] = field(
        default_factory=dict
    )  # kind -> (period, force, E&W)


def headline(ds: m.Dataset, force: forces_mod.Force, periods: dict[str, Period | None]) -> pd.DataFrame:
    ew = ew_area()
    rows = []
    for period in [p for p in periods.values() if p is not None]:
        f, e = m.figures(ds, m.Area.of(force.name), period), m.figures(ds, ew, period)
        rank = m.ranking(ds, period).set_index("force").loc[force.name]
        available = f.computable
        rank_text = f"{int(rank['rank'])} of {int(rank['forces_ranked'])}" if pd.notna(rank["rank"]) else "not ranked"
        for label, fv, ev in [
            (CLOSED, f"{f.closed:,}", f"{e.closed:,}"),
            ("Victim did not support action (14 + 16)", f"{f.vdns:,}", f"{e.vdns:,}"),
            ("Rate: 14 + 16 as % of offences closed", pct(f.rate), pct(e.rate)),
            ("Suspect identified (16, % of 14 + 16)", pct(f.share, 0), pct(e.share, 0)),
            ("Rank by rate (1 = highest)", rank_text, "–"),
            ("Complete data", _complete_text(f), _complete_text(e)),
        ]:
            rows.append(
                {
                    "Period": period.label[0].upper() + period.label[1:],
                    "Measure": label,
                    force.name: fv if available or label == "Complete data" else "not available",
                    ew.label: ev,
                }
            )
    return pd.DataFrame(rows)


def _complete_text(fig: m.Figures) -> str:
    if not fig.computable:
        return "no: " + "; ".join(fig.missing)
    if fig.caveats:
        return f"with caveats ({len(fig.caveats)}, see data notes)"
    return "yes"


def year_series(ds: m.Dataset, force: forces_mod.Force, kind: str) -> list[tuple[Period, m.Figures, m.Figures]]:
    """Every computable year of a kind for the force, with England and Wales alongside."""
    area, ew = m.Area.of(force.name), ew_area()
    out = []
    for p in ds.computable_periods(area, kind):
        out.append((p, m.figures(ds, area, p), m.figures(ds, ew, p)))
    return out


def chart_data(
    ds: m.Dataset, force: forces_mod.Force, periods: dict[str, Period | None], years: dict[str, list]
) -> dict[str, pd.DataFrame]:
    """The data behind every chart, as the CSV files beside the report will hold it."""
    ew = ew_area()
    quarterly = []
    for area in (m.Area.of(force.name), ew):
        q = m.quarterly(ds, area)
        quarterly.append(
            pd.DataFrame(
                {
                    "Area": area.label,
                    "Quarter": q["quarter"],
                    "Quarter starts": q["quarter_start"].dt.strftime("%Y-%m-%d"),
                    CLOSED: q["offences_closed"].where(q["computable"]).astype("Int64"),
                    VDNS: q["vdns"].where(q["computable"]).astype("Int64"),
                    RATE: q["rate_pct"].round(2),
                    "Data": [
                        ("complete" if c else "with caveats: " + v) if ok else "not available"
                        for ok, c, v in zip(q["computable"], q["complete"], q["caveats"])
                    ],
                }
            )
        )
    by_quarter = pd.concat(quarterly, ignore_index=True)

    by_year = []
    for kind in ("calendar", "financial"):
        for period, f, e in years.get(kind, []):
            for area, fig in ((force.name, f), (ew.label, e)):
                if not fig.computable:
                    continue
                by_year.append(
                    {
                        "Area": area,
                        "Year type": kind,
                        "Year": period.short,
                        CLOSED: fig.closed,
                        VDNS: fig.vdns,
                        RATE: round(100 * fig.rate, 2) if fig.rate is not None else None,
                        "Data": "complete" if fig.complete else "with caveats: " + "; ".join(fig.caveats),
                    }
                )
    by_year = pd.DataFrame(by_year, columns=["Area", "Year type", "Year", CLOSED, VDNS, RATE, "Data"])

    latest_fy = periods.get("financial")
    mix_rows = []
    groups = pd.DataFrame(
        columns=[
            "Offence group",
            "Financial year",
            VDNS,
            "Share of the force's outcomes 14 + 16 (%)",
            CLOSED,
            "Rate in the group (% of offences closed)",
        ]
    )
    if latest_fy is not None:
        cube = ds.counts("closed", m.OffenceScope("all"))
        for area in (m.Area.of(force.name), ew):
            whole = ds.evaluate(m.Query(area, latest_fy))
            if not whole.computable:  # e.g. the force lacks a quarter of the year: no mix is given for it
                continue
            total = whole.numerator
            state = "complete" if not whole.caveats else "with caveats: " + "; ".join(whole.caveats)
            for code in m.CLOSED_TYPES:
                value, _ = cube.total(area.forces, latest_fy.quarters, (code,))
                if code not in cube.types:
                    continue
                mix_rows.append(
                    {
                        "Area": area.label,
                        "Financial year": latest_fy.short,
                        "Outcome type": code,
                        "Outcome": outcomes.OUTCOME_TYPES[code],
                        "Offences closed with this outcome": value,
                        "Share of offences closed (%)": round(100 * value / total, 2) if total else None,
                        "Data": state,
                    }
                )
        groups = _groups(ds, force, latest_fy)
    mix = pd.DataFrame(
        mix_rows,
        columns=[
            "Area",
            "Financial year",
            "Outcome type",
            "Outcome",
            "Offences closed with this outcome",
            "Share of offences closed (%)",
            "Data",
        ],
    )

    place_period = periods.get("calendar") or latest_fy
    place = pd.DataFrame(columns=["Force", "Period", RATE, "Rank (1 = highest)", "Data", "This force"])
    if place_period is not None:
        r = m.ranking(ds, place_period)
        r = r[r["rate_pct"].notna()]
        place = pd.DataFrame(
            {
                "Force": r["force"],
                "Period": place_period.label,
                RATE: r["rate_pct"].round(2),
                "Rank (1 = highest)": r["rank"],
                "Data": ["complete" if c else "with caveats" for c in r["complete"]],
                "This force": ["yes" if f == force.name else "" for f in r["force"]],
            }
        )
    return {
        "rate_by_quarter": by_quarter,
        "rate_by_year": by_year,
        "outcome_mix": mix,
        "offence_groups_14_16": groups,
        "place_among_forces": place,
    }


def _groups(ds: m.Dataset, force: forces_mod.Force, period: Period) -> pd.DataFrame:
    """Offence groups behind the force's outcomes 14 + 16 in a financial year (groups with none left out)."""
    g = ds.offence_groups
    names = sorted(set(g.loc[g["force"].astype(str) == force.name, "offence_group"].astype(str)))
    area = m.Area.of(force.name)
    rows = []
    if not ds.evaluate(m.Query(area, period)).computable:  # the force lacks a quarter of the year
        names = []
    for name in names:
        scope = m.OffenceScope("group", (name,))
        vdns = ds.evaluate(m.Query(area, period, "closed", scope, m.VDNS)).numerator
        closed = ds.evaluate(m.Query(area, period, "closed", scope, m.ALL)).numerator
        if vdns <= 0:
            continue
        rows.append(
            {
                "Offence group": name,
                "Financial year": period.short,
                VDNS: vdns,
                CLOSED: closed,
                "Rate in the group (% of offences closed)": round(100 * vdns / closed, 1) if closed > 0 else None,
            }
        )
    out = pd.DataFrame(
        rows, columns=["Offence group", "Financial year", VDNS, CLOSED, "Rate in the group (% of offences closed)"]
    )
    total = out[VDNS].clip(lower=0).sum()
    out.insert(3, "Share of the force's outcomes 14 + 16 (%)", (100 * out[VDNS] / total).round(1) if total else 0.0)
    return out.sort_values(VDNS, ascending=False).reset_index(drop=True)


def data_notes(ds: m.Dataset, force: forces_mod.Force, caveat_list: list[caveats_mod.Caveat]) -> list[str]:
    """What a reader must know about this force's data in this edition, most specific first."""
    notes = []
    cov = ds.coverage[ds.coverage["force"] == force.name]
    problems = cov[(cov["closed_status"] != derive.COVERAGE_PRESENT) | (cov["plausibility"] == "low")]
    if problems.empty:
        notes.append(
            f"Every quarter of the edition ({len(cov)} quarters) is present for {force.name}, with closed "
            "counts in every cell that should hold one, and none is implausibly low."
        )
    for r in problems.itertuples():
        what = {
            derive.COVERAGE_MISSING: "missing (no rows): figures for periods that need it are not given",
            derive.COVERAGE_NO_COUNTS: "has no closed counts: figures for periods that need it are not given",
            derive.COVERAGE_PARTLY_PROVIDED: f"only partly supplied ({r.closed_not_provided:,} closed-basis cells "
            "marked 'N/A - data not provided'): figures using it are understated",
            derive.COVERAGE_NOT_PROVIDED: "not supplied (every closed-basis count 'N/A - data not provided'): "
            "figures for periods that need it are not given",
            derive.COVERAGE_LEFT_OUT: f"{r.closed_left_out:,} closed-basis cells are blank or not numbers and "
            "are left out of its totals",
            derive.COVERAGE_PRESENT: "",
        }[r.closed_status]
        if r.plausibility == "low":
            low = (
                f"{int(r.closed_total):,} offences closed, under {derive.LOW_RATIO:.0%} of the force's usual "
                f"{int(r.closed_usual):,} a quarter: possibly partial supply"
            )
            what = f"{what}; {low}" if what else low
        notes.append(f"{r.quarter_label}: {what}. Figures that use this quarter say so.")
    if ds.quality is not None:
        q = ds.quality[ds.quality["force"] == force.name]
        neg = q[q["issue"] == "negative"]
        if len(neg):
            by_col = neg.groupby("column").agg(cells=("cells", "sum"), total=("value_sum", "sum"))
            notes.append(
                "Negative counts (corrections, kept in totals as published): "
                + "; ".join(
                    f"{int(r.cells):,} {col}-basis cells summing to {int(r.total):,}" for col, r in by_col.iterrows()
                )
                + "."
            )
    for c in caveats_mod.applying(caveat_list, ds.build.get("financial_years", []), force.name):
        notes.append(f"{c.label}. {c.text}")
    return notes


def build(ds: m.Dataset, force: forces_mod.Force, caveat_list: list[caveats_mod.Caveat]) -> ForceFigures:
    periods = latest_periods(ds)
    years = {kind: year_series(ds, force, kind) for kind in ("calendar", "financial")}
    return ForceFigures(
        force,
        ds.edition,
        periods,
        headline(ds, force, periods),
        chart_data(ds, force, periods, years),
        data_notes(ds, force, caveat_list),
        years,
    )
