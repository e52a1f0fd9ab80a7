"""How robust is the headline rate (outcomes 14 + 16 as a share of offences closed)? Each scenario changes one of
the articles' choices and recomputes the rate for England and Wales and every force, with the ranking. The results
are typed: scenario keys x `Period` x exact (unrounded) numbers, in frames with machine column names; the headers,
the scenarios' names and the conclusions in words are made in publish/pages/sensitivity_files.py. Editions of any length
work: a scenario with no computable period has one national row with no period (period None, no numbers)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data import forces as forces_mod
from . import measures as m
from .periods import Period


@dataclass(frozen=True)
class Scenario:
    key: str
    kind: str = "calendar"  # calendar | financial
    basis: str = "closed"  # closed | recorded
    exclude: tuple[str, ...] = m.ARTICLES_EXCLUDE
    include_btp: bool = True
    include_fraud: bool = True


BASELINE = Scenario("baseline")  # the articles' method: calendar year, closed basis, without Greater Manchester
SCENARIOS = (
    BASELINE,
    Scenario("financial_year", kind="financial"),
    Scenario("recorded_basis", basis="recorded"),
    Scenario("with_gmp", exclude=()),
    Scenario("without_btp", include_btp=False),
    Scenario("without_fraud", include_fraud=False),
)

#: national: one row per scenario and computable period (or one row with period None): scenario (key), period
#: (Period), closed (offences closed), vdns (outcomes 14 + 16), rate (% of offences closed), change (points against the
#: articles' method for the same period), flags (the caveats, typed)
NATIONAL = ["scenario", "period", "closed", "vdns", "rate", "change", "flags"]
#: forces: every force's rate (%) and rank (1 = highest) under each scenario, for its latest computable period
FORCES = ["force", "scenario", "period", "rate", "rank"]
#: ranks: one row per force: its rank under every scenario (a column per scenario key) and its largest rank move
LARGEST_MOVE = "largest_move"


@dataclass(frozen=True)
class Result:
    national: pd.DataFrame  # columns NATIONAL
    forces: pd.DataFrame  # columns FORCES


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


def _force_rates(ds: m.Dataset, s: Scenario, period: Period) -> pd.DataFrame:
    """Every force's rate under a scenario for one period, ranked (forces whose data are missing have no rate)."""
    rows = []
    for f in forces_mod.POLICE_FORCES:
        if f.kind == forces_mod.BTP and not s.include_btp:
            continue
        closed, vdns, missing, _ = _rate(ds, s, m.Area.of(f.name), period)
        rows.append(
            {
                "force": f.name,
                "scenario": s.key,
                "period": period,
                "rate": 100 * vdns / closed if closed and not missing else None,
            }
        )
    part = pd.DataFrame(rows)
    part["rank"] = part["rate"].rank(ascending=False, method="min").astype("Int64")
    return part


def run(ds: m.Dataset, scenarios=SCENARIOS) -> Result:
    """national: one row per scenario and computable period (or one row with no period); forces: every force's rate
    and rank under each scenario, for that scenario's latest computable period."""
    national, force_rows = [], []
    for s in scenarios:
        ew = m.Area.of(m.EW, exclude=s.exclude, include_btp=s.include_btp)
        periods = ds.computable_periods(ew, s.kind, s.basis)
        if not periods:
            national.append(
                {"scenario": s.key, "period": None, "closed": None, "vdns": None, "rate": None, "flags": []}
            )
            continue
        for p in periods:
            closed, vdns, _, caveats = _rate(ds, s, ew, p)
            national.append(
                {
                    "scenario": s.key,
                    "period": p,
                    "closed": closed,
                    "vdns": vdns,
                    "rate": 100 * vdns / closed if closed else None,
                    "flags": caveats,
                }
            )
        force_rows.append(_force_rates(ds, s, periods[-1]))
    national = pd.DataFrame(national)
    base = {r.period: r.rate for r in national.itertuples() if r.scenario == BASELINE.key and pd.notna(r.rate)}
    national["change"] = [
        r.rate - base[r.period] if r.scenario != BASELINE.key and r.period in base and pd.notna(r.rate) else None
        for r in national.itertuples()
    ]
    forces = pd.concat(force_rows, ignore_index=True) if force_rows else pd.DataFrame(columns=FORCES)
    return Result(national[NATIONAL], forces)


def ranks(forces: pd.DataFrame) -> pd.DataFrame:
    """One row per force: its rank under every scenario (a column per scenario key) and the largest move from the
    articles' method (LARGEST_MOVE), sorted by the rank under the articles' method."""
    if forces.empty:
        return pd.DataFrame(columns=["force"])
    rank = forces.pivot(index="force", columns="scenario", values="rank")
    keys = [s.key for s in SCENARIOS if s.key in rank.columns]
    table = rank[keys].copy()
    if BASELINE.key in keys:
        moves = rank[keys].sub(rank[BASELINE.key], axis=0).abs()
        table[LARGEST_MOVE] = moves.max(axis=1).astype("Int64")
        table = table.sort_values(BASELINE.key)
    return table.reset_index()
