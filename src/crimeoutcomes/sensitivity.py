"""How robust is the headline rate (victim did not support further action, outcome types 14 + 16, as a share of
offences closed)? Each scenario changes one choice from the articles' method and recomputes the rate for England
and Wales and every force, with the force ranking. Conclusions are generated from the numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .measures import DEFAULT_EXCLUDE, EW, Measures, Period

FRAUD_GROUP_PREFIX = "fraud"  # offence groups such as "Fraud offences" / "Fraud offences to 2012/13"


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    period_basis: str = "calendar"  # calendar | financial
    count_basis: str = "closed"  # closed | recorded
    exclude_gmp: bool = True
    include_btp: bool = True
    include_fraud: bool = True


BASELINE = Scenario("baseline", "articles' method: calendar year, closed basis, without GMP, with BTP and fraud")
SCENARIOS = (
    BASELINE,
    Scenario("financial_year", "financial year instead of calendar year", period_basis="financial"),
    Scenario("recorded_basis", "recorded basis (outcomes of offences recorded in the period)", count_basis="recorded"),
    Scenario("with_gmp", "Greater Manchester included in England and Wales", exclude_gmp=False),
    Scenario("without_btp", "British Transport Police left out", include_btp=False),
    Scenario("without_fraud", "fraud offences left out", include_fraud=False),
)


def _counts(agg: pd.DataFrame, groups: pd.DataFrame, include_fraud: bool) -> pd.DataFrame:
    if include_fraud:
        return agg
    return groups[~groups["offence_group"].str.lower().str.startswith(FRAUD_GROUP_PREFIX)]


def measures_for(s: Scenario, agg: pd.DataFrame, groups: pd.DataFrame, coverage: pd.DataFrame) -> Measures:
    return Measures(_counts(agg, groups, s.include_fraud), coverage, basis=s.count_basis,
                    exclude=DEFAULT_EXCLUDE if s.exclude_gmp else (), include_btp=s.include_btp)


def _period(m: Measures, s: Scenario, year: int | None) -> Period | None:
    if year is not None:
        return Period(s.period_basis, year)
    return m.latest_complete(EW, s.period_basis)


def run(agg: pd.DataFrame, groups: pd.DataFrame, coverage: pd.DataFrame, scenarios=SCENARIOS) -> dict[str, pd.DataFrame]:
    """national: one row per scenario and complete year; forces: one row per force × scenario (latest complete
    period of each scenario's year basis), with rate and rank."""
    national, force_rows = [], []
    for s in scenarios:
        m = measures_for(s, agg, groups, coverage)
        for year in m.complete_years(EW, s.period_basis):
            fig = m.figures(EW, Period(s.period_basis, year))
            national.append({"scenario": s.key, "description": s.label, "period": fig.period.label,
                             "year": year, "offences_closed": fig.closed, "victim_did_not_support": fig.vdns,
                             "rate_pct": round(100 * fig.rate, 2) if fig.rate is not None else None})
        period = _period(m, s, None)
        if period is None:
            continue
        ranking = m.ranking(period)
        for r in ranking.itertuples():
            force_rows.append({"scenario": s.key, "period": period.label, "force": r.force,
                               "rate_pct": None if r.value is None else round(100 * r.value, 2),
                               "rank": r.rank, "complete": r.complete})
    national = pd.DataFrame(national)
    base = national[national["scenario"] == BASELINE.key].set_index("year")["rate_pct"]
    national["change_vs_baseline_pts"] = [
        round(r.rate_pct - base[r.year], 2) if r.scenario != BASELINE.key and r.year in base.index
        and r.period.startswith("calendar") else None for r in national.itertuples()]
    forces = pd.DataFrame(force_rows)
    return {"national": national, "forces": forces}


def force_table(forces: pd.DataFrame) -> pd.DataFrame:
    """Wide: one row per force with its rate and rank under every scenario, and the largest rank move."""
    rate = forces.pivot(index="force", columns="scenario", values="rate_pct")
    rank = forces.pivot(index="force", columns="scenario", values="rank").astype("Int64")
    keys = [s.key for s in SCENARIOS if s.key in rate.columns]
    table = pd.concat({"rate %": rate[keys], "rank": rank[keys]}, axis=1)
    moves = rank[keys].sub(rank[BASELINE.key], axis=0).abs()
    table[("largest rank move", "")] = moves.max(axis=1).astype("Int64")
    return table.sort_values(("rank", BASELINE.key))


def conclusions(result: dict[str, pd.DataFrame]) -> list[str]:
    """Plain-words conclusions generated from the numbers."""
    national, forces = result["national"], result["forces"]
    out = []
    base = national[national["scenario"] == BASELINE.key]
    if base.empty:
        return ["This edition has no complete calendar year for England and Wales, so the baseline cannot be computed."]
    latest = base.sort_values("year").iloc[-1]
    out.append(f"Baseline: England and Wales (without Greater Manchester), {latest.period}: {latest.rate_pct:.1f}% of "
               f"offences closed ended because the victim did not support further action.")
    changes = []
    for s in SCENARIOS[1:]:
        rows = national[national["scenario"] == s.key]
        if rows.empty:
            continue
        if s.period_basis == "financial":
            r = rows.sort_values("year").iloc[-1]
            out.append(f"Using the financial year instead: {r.period} gives {r.rate_pct:.1f}% "
                       f"({r.rate_pct - latest.rate_pct:+.1f} points against {latest.period}; the periods overlap by "
                       f"three quarters).")
            continue
        r = rows[rows["year"] == latest.year]
        if r.empty:
            continue
        delta = float(r["change_vs_baseline_pts"].iloc[0])
        changes.append((abs(delta), s, delta, float(r["rate_pct"].iloc[0])))
    for _, s, delta, rate in changes:
        size = "barely moves it" if abs(delta) < 0.3 else ("moves it a little" if abs(delta) < 1 else "moves it materially")
        out.append(f"{s.label[0].upper() + s.label[1:]}: {rate:.1f}% ({delta:+.1f} points), which {size}.")
    if changes:
        biggest = max(changes, key=lambda c: c[0])
        out.append(f"Of the choices compared on the same period ({latest.period}), the one that matters most for the "
                   f"national rate is: {biggest[1].label} ({biggest[2]:+.1f} points).")
    if not forces.empty:
        table = force_table(forces)
        base_rank = table[("rank", BASELINE.key)]
        top = base_rank.idxmin()
        scen_keys = [k for k in table["rank"].columns if k != BASELINE.key]
        lost = [k for k in scen_keys if pd.notna(table.loc[top, ("rank", k)]) and int(table.loc[top, ("rank", k)]) != 1]
        text = (f"Highest rate under the baseline: {top}; it stays first in {len(scen_keys) - len(lost)} of "
                f"{len(scen_keys)} other scenarios")
        if lost:
            text += " (not under " + "; ".join(
                f"{next(s.label for s in SCENARIOS if s.key == k)}: ranked {int(table.loc[top, ('rank', k)])}, "
                f"first is {table[('rank', k)].astype(float).idxmin()}" for k in lost) + ")"
        out.append(text + ".")
        movers = table[table[("largest rank move", "")] >= 5]
        out.append(f"{len(movers)} of {len(table)} forces move five or more places in the ranking under at least one "
                   f"scenario" + (f" (most: {movers[('largest rank move', '')].idxmax()}, "
                                  f"{int(movers[('largest rank move', '')].max())} places)." if len(movers) else "."))
        for k in scen_keys:
            both = table[[("rank", BASELINE.key), ("rank", k)]].dropna()
            if len(both) > 2:
                # Spearman's rho = Pearson correlation of the ranks (no scipy needed)
                rho = both.iloc[:, 0].astype(float).rank().corr(both.iloc[:, 1].astype(float).rank())
                label = next(s.label for s in SCENARIOS if s.key == k)
                out.append(f"Rank correlation with the baseline, {label}: {rho:.2f}.")
    return out
