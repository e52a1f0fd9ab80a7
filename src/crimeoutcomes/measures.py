"""The headline measures, computed in exactly one place.

Definitions (Home Office outcome types; see docs/methods.md):
- offences closed = sum of every outcome type except 0 ("not yet assigned") and the 1a/2a/3a "of which" rows;
- victim did not support further action (VDNS) = outcome types 14 + 16; rate = VDNS / offences closed;
- suspect identified = outcome type 16; share = 16 / (14 + 16).
Counts are on the closed basis by default (all outcomes assigned in the quarter, as the articles used) or on the
recorded basis (outcomes of offences recorded in the quarter).

Periods: a calendar year Y is built from quarters: financial Q4 of (Y-1)/Y plus Q1-Q3 of Y/(Y+1); a financial year
Y/Y+1 is its four quarters. England and Wales = every police force (43 territorial + British Transport Police)
minus an exclusion list (default: Greater Manchester, as the articles did). A period that lacks any needed
force-quarter is incomplete: the figures are still summed but flagged, with the missing quarters listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from . import forces as forces_mod
from . import outcomes
from .clean import COVERAGE_COMPLETE, calendar_of

EW = "England and Wales"
DEFAULT_EXCLUDE: tuple[str, ...] = ("Greater Manchester",)
BASES = ("closed", "recorded")


def fy_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    basis: str  # "calendar" or "financial"
    year: int  # the calendar year, or the first calendar year of the financial year

    @property
    def label(self) -> str:
        return f"calendar {self.year}" if self.basis == "calendar" else f"financial year {fy_label(self.year)}"

    @property
    def short(self) -> str:
        return str(self.year) if self.basis == "calendar" else fy_label(self.year)

    @property
    def quarters(self) -> list[tuple[str, int]]:
        """(financial_year, financial quarter) pairs that make up the period."""
        if self.basis == "calendar":
            return [(fy_label(self.year - 1), 4), (fy_label(self.year), 1), (fy_label(self.year), 2), (fy_label(self.year), 3)]
        return [(fy_label(self.year), q) for q in (1, 2, 3, 4)]

    @classmethod
    def parse(cls, text: str | int) -> Period:
        t = str(text).strip().lower()
        m = re.fullmatch(r"(?:calendar(?: year)?\s+)?(\d{4})", t)
        if m:
            return cls("calendar", int(m.group(1)))
        m = re.fullmatch(r"(?:financial(?: year)?\s+)?(\d{4})/(\d{2})", t)
        if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
            return cls("financial", int(m.group(1)))
        raise ValueError(f"period {text!r} not understood: use e.g. 'calendar 2020' or 'financial year 2020/21'")


def quarters_label(quarters: list[tuple[str, int]]) -> str:
    return " + ".join(f"{fy} Q{q}" for fy, q in quarters)


def ew_forces(exclude=DEFAULT_EXCLUDE, include_btp: bool = True) -> list[str]:
    excluded = {forces_mod.resolve(e).name for e in exclude}
    return [f.name for f in forces_mod.POLICE_FORCES
            if f.name not in excluded and (include_btp or f.kind != forces_mod.BTP)]


def area_forces(area: str, exclude=DEFAULT_EXCLUDE, include_btp: bool = True) -> list[str]:
    if area == EW:
        return ew_forces(exclude, include_btp)
    return [forces_mod.resolve(area).name]


def quarter_totals(counts: pd.DataFrame, basis: str = "closed") -> pd.DataFrame:
    """Per force × financial quarter: closed (all outcome types in totals), vdns (14+16), suspect (16).
    `counts` is the aggregate (or the tidy table, or any subset of it, e.g. without fraud offences)."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, got {basis!r}")
    c = counts[counts["in_totals"]]
    types = c["outcome_type"].astype(str)
    value = c[basis].astype("Float64").fillna(0)
    frame = pd.DataFrame({
        "force": c["force"].astype(str), "financial_year": c["financial_year"].astype(str),
        "fin_quarter": c["fin_quarter"].astype(int),
        "closed": value,
        "vdns": value.where(types.isin(outcomes.VICTIM_DID_NOT_SUPPORT), 0),
        "suspect": value.where(types.isin(outcomes.SUSPECT_IDENTIFIED_VICTIM_DID_NOT_SUPPORT), 0),
    })
    out = frame.groupby(["force", "financial_year", "fin_quarter"]).sum()
    return out.astype("int64")


@dataclass
class Figures:
    area: str
    period: Period
    basis: str
    closed: int
    vdns: int
    suspect: int
    forces: list[str]
    missing: list[str] = field(default_factory=list)  # human-readable missing quarters

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def rate(self) -> float | None:
        return self.vdns / self.closed if self.closed else None

    @property
    def share(self) -> float | None:
        return self.suspect / self.vdns if self.vdns else None

    def value(self, measure: str):
        return {"closed": self.closed, "vdns_count": self.vdns, "vdns_rate": self.rate,
                "suspect_identified_count": self.suspect, "suspect_identified_share": self.share}[measure]

    def as_row(self) -> dict:
        return {"area": self.area, "period": self.period.label, "basis": self.basis, "offences_closed": self.closed,
                "victim_did_not_support": self.vdns, "rate_pct": None if self.rate is None else round(100 * self.rate, 1),
                "suspect_identified": self.suspect,
                "suspect_share_pct": None if self.share is None else round(100 * self.share, 1),
                "complete": self.complete, "missing_quarters": "; ".join(self.missing)}


class Measures:
    """Measures over one edition's aggregate and coverage tables."""

    def __init__(self, counts: pd.DataFrame, coverage: pd.DataFrame, *, basis: str = "closed",
                 exclude=DEFAULT_EXCLUDE, include_btp: bool = True):
        self.basis = basis
        self.exclude = tuple(exclude)
        self.include_btp = include_btp
        self.totals = quarter_totals(counts, basis)
        cov = coverage.copy()
        cov["financial_year"] = cov["financial_year"].astype(str)
        self.status = cov.set_index(["force", "financial_year", "fin_quarter"])["status"].to_dict()
        self.edition_quarters = set(zip(cov["financial_year"], cov["fin_quarter"].astype(int)))

    def missing_quarters(self, forces: list[str], period: Period) -> list[str]:
        missing = []
        for fy, q in period.quarters:
            if (fy, q) not in self.edition_quarters:
                missing.append(f"{fy} Q{q} (not in this edition)")
                continue
            absent = [f for f in forces if self.status.get((f, fy, q)) != COVERAGE_COMPLETE]
            if absent:
                who = absent[0] if len(forces) == 1 else ", ".join(absent)
                missing.append(f"{fy} Q{q}: {who} ({self.status.get((absent[0], fy, q), 'missing')})")
        return missing

    def figures(self, area: str, period: Period | str) -> Figures:
        period = period if isinstance(period, Period) else Period.parse(period)
        members = area_forces(area, self.exclude, self.include_btp)
        area_name = area if area == EW else members[0]
        idx = pd.MultiIndex.from_tuples([(f, fy, q) for f in members for fy, q in period.quarters],
                                        names=self.totals.index.names)
        sums = self.totals.reindex(idx).fillna(0).sum()
        return Figures(area_name, period, self.basis, int(sums["closed"]), int(sums["vdns"]), int(sums["suspect"]),
                       members, self.missing_quarters(members, period))

    def years(self, basis: str = "calendar") -> list[int]:
        """Years (calendar, or financial-year starts) with at least one quarter in the edition."""
        starts = {int(fy[:4]) for fy, _ in self.edition_quarters}
        if basis == "financial":
            return sorted(starts)
        return sorted({y for s in starts for y in (s, s + 1)
                       if any(q in self.edition_quarters for q in Period("calendar", y).quarters)})

    def complete_years(self, area: str, basis: str = "calendar") -> list[int]:
        members = area_forces(area, self.exclude, self.include_btp)
        return [y for y in self.years(basis) if not self.missing_quarters(members, Period(basis, y))]

    def latest_complete(self, area: str = EW, basis: str = "calendar") -> Period | None:
        years = self.complete_years(area, basis)
        return Period(basis, years[-1]) if years else None

    def series(self, area: str, basis: str = "calendar") -> pd.DataFrame:
        """One row per year of the edition (complete or not) with all figures."""
        return pd.DataFrame([self.figures(area, Period(basis, y)).as_row() for y in self.years(basis)])

    def quarterly(self, area: str) -> pd.DataFrame:
        """One row per financial quarter of the edition: closed, vdns, rate, with completeness."""
        members = area_forces(area, self.exclude, self.include_btp)
        rows = []
        for fy, q in sorted(self.edition_quarters):
            idx = pd.MultiIndex.from_tuples([(f, fy, q) for f in members], names=self.totals.index.names)
            s = self.totals.reindex(idx).fillna(0).sum()
            absent = [f for f in members if self.status.get((f, fy, q)) != COVERAGE_COMPLETE]
            cal_year, cal_q = (int(v) for v in calendar_of(int(fy[:4]), q))
            rows.append({"area": area, "financial_year": fy, "fin_quarter": q, "quarter": f"{fy} Q{q}",
                         "quarter_start": pd.Timestamp(year=cal_year, month=3 * (cal_q - 1) + 1, day=1),
                         "closed": int(s["closed"]), "vdns": int(s["vdns"]), "suspect": int(s["suspect"]),
                         "rate_pct": round(100 * s["vdns"] / s["closed"], 2) if s["closed"] else None,
                         "complete": not absent})
        return pd.DataFrame(rows)

    def ranking(self, period: Period | str, measure: str = "vdns_rate") -> pd.DataFrame:
        """Every police force for a period (complete ones ranked, 1 = highest), highest first; British Transport
        Police only when include_btp."""
        period = period if isinstance(period, Period) else Period.parse(period)
        rows = []
        for f in forces_mod.POLICE_FORCES:
            if f.kind == forces_mod.BTP and not self.include_btp:
                continue
            fig = self.figures(f.name, period)
            rows.append({**fig.as_row(), "force": f.name, "value": fig.value(measure)})
        table = pd.DataFrame(rows)
        ranked = table["complete"] & table["value"].notna()
        table["rank"] = pd.NA
        table.loc[ranked, "rank"] = table.loc[ranked, "value"].rank(ascending=False, method="min").astype(int)
        table["rank"] = table["rank"].astype("Int64")
        table["forces_ranked"] = int(ranked.sum())
        return table.sort_values(["rank", "force"], na_position="last").reset_index(drop=True)

    def record(self, area: str, year: int, since: int, metric: str = "rate", basis: str = "calendar") -> RecordCheck:
        """Is `year` the highest since `since` (inclusive) on the rate or on the count? Only years with complete
        data are compared; the claim year and the first year must be complete for a verdict."""
        values, incomplete = {}, {}
        for y in range(since, year + 1):
            fig = self.figures(area, Period(basis, y))
            if fig.complete:
                values[y] = fig.rate if metric == "rate" else fig.vdns
            else:
                incomplete[y] = fig.missing
        return RecordCheck(area, year, since, metric, values, incomplete)


@dataclass
class RecordCheck:
    area: str
    year: int
    since: int
    metric: str  # "rate" or "count"
    values: dict[int, float]
    incomplete: dict[int, list[str]]

    @property
    def verifiable(self) -> bool:
        return self.year in self.values and self.since in self.values

    @property
    def is_highest(self) -> bool:
        return self.verifiable and all(self.values[self.year] > v for y, v in self.values.items() if y != self.year)

    @property
    def higher_years(self) -> list[int]:
        return [y for y, v in self.values.items() if y != self.year and v >= self.values.get(self.year, float("inf"))]

    def describe(self) -> str:
        fmt = (lambda v: f"{100 * v:.1f}%") if self.metric == "rate" else (lambda v: f"{v:,.0f}")
        shown = ", ".join(f"{y}: {fmt(v)}" for y, v in sorted(self.values.items()))
        text = f"{'rate' if self.metric == 'rate' else 'count'} by year ({shown})"
        if self.incomplete:
            text += "; years left out as incomplete: " + ", ".join(str(y) for y in sorted(self.incomplete))
        return text


def trace(tidy: pd.DataFrame, force: str, period: Period | str, basis: str = "closed") -> dict[str, pd.DataFrame]:
    """From raw rows to the printed figure, for one force and period:
    - rows: the raw rows of outcome types 14 and 16 (with source file and row) that enter the count;
    - by_quarter: per quarter, offences closed, 14, 16 and the rate;
    - total: the period's sums and the rate."""
    period = period if isinstance(period, Period) else Period.parse(period)
    name = forces_mod.resolve(force).name
    keys = pd.DataFrame(period.quarters, columns=["financial_year", "fin_quarter"])
    t = tidy[(tidy["force"].astype(str) == name) & tidy["in_totals"]].copy()
    t["financial_year"] = t["financial_year"].astype(str)
    t["fin_quarter"] = t["fin_quarter"].astype(int)
    t = t.merge(keys, on=["financial_year", "fin_quarter"])
    t["outcome_type"] = t["outcome_type"].astype(str)
    rows = t[t["outcome_type"].isin(outcomes.VICTIM_DID_NOT_SUPPORT) & t[basis].fillna(0).ne(0)]
    rows = rows[["source_file", "source_row", "financial_year", "fin_quarter", "offence_code", "offence_description",
                 "outcome_type", basis]].sort_values(["financial_year", "fin_quarter", "source_row"])
    value = t[basis].astype("Float64").fillna(0)
    by_q = pd.DataFrame({
        "quarter": t["financial_year"] + " Q" + t["fin_quarter"].astype(str),
        "offences closed (types 1-22)": value,
        "type 14": value.where(t["outcome_type"].eq("14"), 0),
        "type 16": value.where(t["outcome_type"].eq("16"), 0),
        "rows": 1,
    }).groupby("quarter", sort=True).sum().astype("int64")
    by_q["types 14+16"] = by_q["type 14"] + by_q["type 16"]
    by_q["rate %"] = (100 * by_q["types 14+16"] / by_q["offences closed (types 1-22)"]).round(2)
    total = by_q.drop(columns="rate %").sum().to_frame(period.label).T
    total["rate %"] = round(100 * total["types 14+16"].iloc[0] / total["offences closed (types 1-22)"].iloc[0], 2)
    return {"rows": rows.reset_index(drop=True), "by_quarter": by_q, "total": total}
