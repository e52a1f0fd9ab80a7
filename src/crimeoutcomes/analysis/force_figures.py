"""The figures of one force's report, as numbers and typed facts: the headline figures of the latest calendar and
financial year, the series behind each chart, and what a reader must know about the force's data. Every number is
exact (unrounded) and comes from measures; words and formats are made in publish."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import forces as forces_mod
from . import caveats as caveats_mod
from . import measures as m
from . import quality, ranking
from .periods import Period


def ew_area() -> m.Area:
    return m.Area.of(m.EW)


def latest_periods(ds: m.Dataset) -> dict[str, Period | None]:
    """The latest calendar and financial year England and Wales can be computed for."""
    return {kind: ds.latest(ew_area(), kind) for kind in ("calendar", "financial")}


@dataclass
class Headline:
    """One period's headline figures: the force, England and Wales, and the force's rank by rate."""

    period: Period
    force: m.Figures
    ew: m.Figures
    rank: int | None
    ranked: int  # forces with a rate that period
    tied: bool = False
    why_not: str = ""  # why the force is not ranked (analysis/ranking.py)


@dataclass
class Notes:
    """What a reader must know about the force's data in this edition."""

    quarters: int  # quarters of the edition
    gaps: list[m.Gap]  # quarters the force lacks (missing, not provided, no counts)
    flags: list[m.Flag]  # quarters with a caveat: low, partly provided, cells left out
    negatives: dict[str, tuple[int, int]]  # basis -> (cells, their sum): negative counts kept in totals
    caveats: list[caveats_mod.Caveat]  # the written caveats that apply (config/caveats.yaml)


@dataclass
class ForceFigures:
    force: forces_mod.Force
    edition: str
    periods: dict[str, Period | None]
    headline: list[Headline]
    years: dict[str, list[tuple[Period, m.Figures, m.Figures]]]  # kind -> (period, force, England and Wales)
    quarters: pd.DataFrame  # one row per area and quarter (measures.quarterly)
    mix: pd.DataFrame  # the outcome mix of the latest financial year
    groups: pd.DataFrame  # the offence groups behind outcomes 14 + 16
    place_period: Period | None
    place: pd.DataFrame  # every force's rate in place_period, ranked
    notes: Notes
    ew_by_period: dict[str, m.Figures] = field(default_factory=dict)
    quality: dict[str, quality.Completeness] = field(default_factory=dict)  # period label -> the force's, when judged


def place_table(ds: m.Dataset, period: Period, field_: ranking.Field) -> pd.DataFrame:
    """Every police force's victim-did-not-support rate for a period, ranked as the report's story ranks them
    (analysis/ranking.py): force, offences closed, outcomes 14 + 16, rate, rank, tied, why not ranked, caveats."""
    query = m.Query(m.Area.of(m.EW), period, "closed", m.OffenceScope("all"), m.VDNS, m.ALL)
    ranks = ranking.rank(ds, query, field_)
    rows = []
    for name, place in ranks.places.items():
        fig = m.figures(ds, m.Area.of(name), period)
        rows.append(
            {
                "force": name,
                "offences_closed": fig.closed,
                "vdns": fig.vdns,
                "rate_pct": place.value if place.value is not None else float("nan"),
                "computable": fig.computable,
                "rank": place.rank,
                "tied": place.tied,
                "side": place.side[0] if place.side else "",  # the rank said from the nearer end: ninth highest
                "nth": place.side[1] if place.side else None,
                "why_not": place.why_not,
                "flags": fig.caveats,
                "forces_ranked": ranks.ranked,
            }
        )
    table = pd.DataFrame(rows)
    table["rank"] = table["rank"].astype("Int64")
    return table


def headline(
    ds: m.Dataset, force: forces_mod.Force, periods: dict[str, Period | None], field_: ranking.Field
) -> list[Headline]:
    out = []
    for period in [p for p in periods.values() if p is not None]:
        place = place_table(ds, period, field_).set_index("force").loc[force.name]
        out.append(
            Headline(
                period,
                m.figures(ds, m.Area.of(force.name), period),
                m.figures(ds, ew_area(), period),
                int(place["rank"]) if pd.notna(place["rank"]) else None,
                int(place["forces_ranked"]),
                bool(place["tied"]),
                str(place["why_not"]),
            )
        )
    return out


def year_series(ds: m.Dataset, force: forces_mod.Force, kind: str) -> list[tuple[Period, m.Figures, m.Figures]]:
    """Every computable year of a kind for the force, with England and Wales alongside."""
    area, ew = m.Area.of(force.name), ew_area()
    return [(p, m.figures(ds, area, p), m.figures(ds, ew, p)) for p in ds.computable_periods(area, kind)]


def quarters(ds: m.Dataset, force: forces_mod.Force) -> pd.DataFrame:
    return pd.concat([m.quarterly(ds, m.Area.of(force.name)), m.quarterly(ds, ew_area())], ignore_index=True)


def outcome_mix(ds: m.Dataset, force: forces_mod.Force, period: Period | None) -> pd.DataFrame:
    """Offences closed by outcome type in a financial year, the force and England and Wales (areas whose year can
    be computed): area, outcome type, count, total, share (% of offences closed), flags of the total."""
    rows = []
    if period is not None:
        cube = ds.counts("closed", m.OffenceScope("all"))
        for area in (m.Area.of(force.name), ew_area()):
            whole = ds.evaluate(m.Query(area, period))
            if not whole.computable:
                continue
            for code in m.CLOSED_TYPES:
                if code in cube.types:
                    value = cube.total(whole.forces, period.quarters, (code,))[0]
                    rows.append(
                        {
                            "area": area.name,
                            "outcome_type": code,
                            "count": value,
                            "total": whole.numerator,
                            "share": 100 * value / whole.numerator if whole.numerator else None,
                            "flags": whole.caveats,
                            "left_out": whole.left_out,
                        }
                    )
    return pd.DataFrame(rows, columns=["area", "outcome_type", "count", "total", "share", "flags", "left_out"])


def offence_groups(ds: m.Dataset, force: forces_mod.Force, period: Period | None) -> pd.DataFrame:
    """Offence groups behind the force's outcomes 14 + 16 in a financial year (groups with none left out):
    group, outcomes 14 + 16, offences closed, share of the force's 14 + 16 (%), rate in the group (%)."""
    columns = ["group", "vdns", "closed", "share", "rate"]
    area = m.Area.of(force.name)
    if period is None or not ds.evaluate(m.Query(area, period)).computable:
        return pd.DataFrame(columns=columns)
    g = ds.offence_groups
    names = sorted(set(g.loc[g["force"].astype(str) == force.name, "offence_group"].astype(str)))
    rows = []
    for name in names:
        scope = m.OffenceScope("group", (name,))
        vdns = ds.evaluate(m.Query(area, period, "closed", scope, m.VDNS)).numerator
        closed = ds.evaluate(m.Query(area, period, "closed", scope, m.ALL)).numerator
        if vdns > 0:
            rows.append(
                {"group": name, "vdns": vdns, "closed": closed, "rate": 100 * vdns / closed if closed > 0 else None}
            )
    out = pd.DataFrame(rows, columns=[c for c in columns if c != "share"])
    total = out["vdns"].clip(lower=0).sum()
    out.insert(3, "share", 100 * out["vdns"] / total if total else 0.0)
    return out.sort_values("vdns", ascending=False).reset_index(drop=True)


def notes(ds: m.Dataset, force: forces_mod.Force, caveat_list: list[caveats_mod.Caveat]) -> Notes:
    """The force's quarters that lack data or carry a caveat (closed basis), its negative counts, and the written
    caveats that apply, most specific first."""
    every = Period("quarters", Period.quarter(*ds.quarters[0]).first, len(ds.quarters)) if ds.quarters else None
    gaps, flags = [], []
    if every is not None:
        gaps, flags, _ = ds.coverage_of((force.name,), every, "closed")
        cov = ds.coverage[(ds.coverage["force"] == force.name) & (ds.coverage["closed_left_out"] > 0)]
        flags += [
            m.Flag(m.LEFT_OUT, force.name, r.financial_year, int(r.fin_quarter), "closed", cells=int(r.closed_left_out))
            for r in cov.itertuples()
        ]
    negatives = {}
    if ds.quality is not None:
        q = ds.quality[(ds.quality["force"] == force.name) & (ds.quality["issue"] == "negative")]
        for col, part in q.groupby("column"):
            negatives[str(col)] = (int(part["cells"].sum()), int(part["value_sum"].sum()))
    written = caveats_mod.applying(caveat_list, ds.build.get("financial_years", []), force.name)
    order = {q: i for i, q in enumerate(ds.quarters)}
    flags.sort(key=lambda f: (order.get((f.financial_year, f.quarter), 0), f.kind))
    return Notes(len(ds.quarters), gaps, flags, negatives, written)


def build(
    ds: m.Dataset, force: forces_mod.Force, caveat_list: list[caveats_mod.Caveat], field_: ranking.Field | None = None
) -> ForceFigures:
    """field_: how the report ranks the forces (the report's story spec's; the default ranking otherwise)."""
    field_ = field_ or ranking.Field()
    periods = latest_periods(ds)
    latest_fy = periods.get("financial")
    place_period = periods.get("calendar") or latest_fy
    place = place_table(ds, place_period, field_) if place_period is not None else pd.DataFrame()
    judged = {p.label: quality.completeness(ds, p).get(force.name) for p in periods.values() if p is not None}
    return ForceFigures(
        force=force,
        edition=ds.edition,
        periods=periods,
        headline=headline(ds, force, periods, field_),
        years={kind: year_series(ds, force, kind) for kind in ("calendar", "financial")},
        quarters=quarters(ds, force),
        mix=outcome_mix(ds, force, latest_fy),
        groups=offence_groups(ds, force, latest_fy),
        place_period=place_period,
        place=place[place["rank"].notna()].reset_index(drop=True) if len(place) else place,
        notes=notes(ds, force, caveat_list),
        quality={label: c for label, c in judged.items() if c is not None},
    )
