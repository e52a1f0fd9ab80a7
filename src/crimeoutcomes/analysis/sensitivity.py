"""How robust is the headline rate (outcomes 14 + 16 as a share of offences closed)? Each scenario changes one of
the articles' choices and recomputes the rate for England and Wales and every force, with the ranking. The numbers
are exact (unrounded); the conclusions are written from them in publish/sensitivity_files.py. Editions of any length
work: a scenario with no computable period has one row saying so (Period = NOT_AVAILABLE)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data import forces as forces_mod
from . import measures as m
from .periods import Period

RATE = "Rate (% of offences closed)"
NOT_AVAILABLE = "not available in this edition"


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    kind: str = "calendar"  # calendar | financial
    basis: str = "closed"  # closed | recorded
    exclude: tuple[str, ...] = m.ARTICLES_EXCLUDE
    include_btp: bool = True
    include_fraud: bool = True


BASELINE = Scenario("baseline", "The articles' method: calendar year, closed basis, without Greater Manchester")
SCENARIOS = (
    BASELINE,
    Scenario("financial_year", "Financial year instead of calendar year", kind="financial"),
    Scenario("recorded_basis", "Recorded basis (outcomes of offences recorded in the period)", basis="recorded"),
    Scenario("with_gmp", "Greater Manchester included", exclude=()),
    Scenario("without_btp", "British Transport Police left out", include_btp=False),
    Scenario("without_fraud", "Fraud offences left out", include_fraud=False),
)


def _fraud_groups(ds: m.Dataset) -> list[str]:
    if ds.offence_groups is None:
        return []
    groups = ds.offence_groups["offence_group"].astype(str).unique()
    return sorted(g for g in groups if g.lower().startswith("fraud"))


def _rate(ds: m.Dataset, s: Scenario, area: m.Area, period: Period) -> tuple[int, int, list[str], list[str]]:
    """(offences closed, outcomes 14 + 16, missing, caveats) under a scenario."""
    closed = ds.evaluate(m.Query(area, period, s.basis, m.OffenceScope("all"), m.ALL))
    vdns = ds.evaluate(m.Query(area, period, s.basis, m.OffenceScope("all"), m.VDNS)).numerator
    total = closed.numerator
    if not s.include_fraud:
        for g in _fraud_groups(ds):
            scope = m.OffenceScope("group", (g,))
            total -= ds.evaluate(m.Query(area, period, s.basis, scope, m.ALL)).numerator
            vdns -= ds.evaluate(m.Query(area, period, s.basis, scope, m.VDNS)).numerator
    return total, vdns, closed.missing, closed.caveats


def run(ds: m.Dataset, scenarios=SCENARIOS) -> dict[str, pd.DataFrame]:
    """national: one row per scenario and computable year (or one 'not available' row); forces: every force's rate
    and rank under each scenario, for that scenario's latest computable period."""
    national, force_rows = [], []
    for s in scenarios:
        ew = m.Area.of(m.EW, exclude=s.exclude, include_btp=s.include_btp)
        periods = ds.computable_periods(ew, s.kind, s.basis)
        if not periods:
            national.append(
                {
                    "Scenario": s.label,
                    "Key": s.key,
                    "Period": NOT_AVAILABLE,
                    "Offences closed": None,
                    "Victim did not support action (14 + 16)": None,
                    RATE: None,
                    "flags": [],
                }
            )
            continue
        for p in periods:
            closed, vdns, _, caveats = _rate(ds, s, ew, p)
            national.append(
                {
                    "Scenario": s.label,
                    "Key": s.key,
                    "Period": p.label,
                    "Offences closed": closed,
                    "Victim did not support action (14 + 16)": vdns,
                    RATE: 100 * vdns / closed if closed else None,
                    "flags": caveats,
                }
            )
        latest = periods[-1]
        rows = []
        for f in forces_mod.POLICE_FORCES:
            if f.kind == forces_mod.BTP and not s.include_btp:
                continue
            closed, vdns, missing, _ = _rate(ds, s, m.Area.of(f.name), latest)
            rows.append(
                {
                    "Force": f.name,
                    "Scenario": s.label,
                    "Key": s.key,
                    "Period": latest.label,
                    RATE: 100 * vdns / closed if closed and not missing else None,
                }
            )
        part = pd.DataFrame(rows)
        part["Rank (1 = highest)"] = part[RATE].rank(ascending=False, method="min").astype("Int64")
        force_rows.append(part)
    national = pd.DataFrame(national)
    base = national[(national["Key"] == BASELINE.key) & national[RATE].notna()].set_index("Period")[RATE]
    national["Change against the articles' method (points)"] = [
        r[RATE] - base[r["Period"]]
        if r["Key"] != BASELINE.key and r["Period"] in base.index and pd.notna(r[RATE])
        else None
        for _, r in national.iterrows()
    ]
    forces = (
        pd.concat(force_rows, ignore_index=True)
        if force_rows
        else pd.DataFrame(columns=["Force", "Scenario", "Key", "Period", RATE, "Rank (1 = highest)"])
    )
    return {"national": national, "forces": forces}


def force_table(forces: pd.DataFrame) -> pd.DataFrame:
    """One row per force: its rank under every scenario and the largest move from the articles' method."""
    if forces.empty:
        return pd.DataFrame(columns=["Force"])
    rank = forces.pivot(index="Force", columns="Key", values="Rank (1 = highest)")
    keys = [s.key for s in SCENARIOS if s.key in rank.columns]
    labels = {s.key: s.label for s in SCENARIOS}
    table = rank[keys].rename(columns={k: f"Rank: {labels[k]}" for k in keys})
    if BASELINE.key in keys:
        moves = rank[keys].sub(rank[BASELINE.key], axis=0).abs()
        table["Largest rank move"] = moves.max(axis=1).astype("Int64")
        table = table.sort_values(f"Rank: {labels[BASELINE.key]}")
    return table.reset_index()
