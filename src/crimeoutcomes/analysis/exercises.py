"""The dataset guide's exercises, as numbers: for each one, the right answer on an edition, the values that the
usual mistakes give (so that a hint can say which mistake was made), and the figures its explanation needs.

No words here: questions, hints and explanations are made in `publish/guide/exercises.py`. Every value comes from the
processed tables and `measures`, so the exercises hold for any edition, a SYNTHETIC one included; a value is None
when the edition cannot answer that exercise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import derive, outcomes, tables
from ..data import forces as forces_mod
from . import measures as m
from . import traps as trap_figures
from .periods import Period

#: the year the June 2021 articles call "last year"
ARTICLES_YEAR = 2020

#: kinds of answer: a whole number, a percentage, one force (any of `value`), a set of forces, a set of quarters
KINDS = ("count", "percent", "force", "forces", "quarters")


@dataclass(frozen=True)
class Fact:
    """One exercise on one edition: the right answer, what each known mistake gives, and the figures behind it."""

    number: int
    topic: str
    kind: str
    value: object  # None: this edition cannot answer the exercise
    decimals: int = 0  # the least printed precision of a number (the guide asks for more where a mistake needs it)
    traps: dict = field(default_factory=dict)  # mistake -> the value it gives
    about: dict = field(default_factory=dict)  # the question's parameters and the explanation's figures

    @property
    def answerable(self) -> bool:
        return self.value is not None


def quarter_label(fy: str, q: int) -> str:
    return f"{fy} Q{q}"


def _labels(quarters) -> list[str]:
    return [quarter_label(fy, q) for fy, q in quarters]


def _year(ds: m.Dataset, area: m.Area) -> Period | None:
    """The latest financial year computable for the area, else the edition's last financial year."""
    found = ds.latest(area, "financial")
    if found is not None:
        return found
    every = ds.periods("financial")
    return every[-1] if every else None


# ------------------------------------------------------------------------------------------------ each exercise
def bases(ds: m.Dataset, force: str) -> Fact:
    area = m.Area.of(force)
    fy, q = ds.quarters[-1]
    p = Period.quarter(fy, q)
    closed = ds.evaluate(m.Query(area, p, "closed"))
    recorded = ds.evaluate(m.Query(area, p, "recorded")).numerator
    type0 = ds.counts("recorded", m.OffenceScope("all")).total(area.forces, p.quarters, (outcomes.NOT_YET_ASSIGNED,))
    of_which = ds.counts("closed", m.OffenceScope("all")).total(area.forces, p.quarters, outcomes.OF_WHICH)[0]
    traps = {"recorded": recorded, "recorded_with_type0": recorded + type0[0]}
    if of_which:
        traps["with_of_which"] = closed.numerator + of_which
    return Fact(
        1,
        "bases",
        "count",
        closed.numerator if closed.computable else None,
        traps=traps,
        about={"force": area.name, "quarter": p.label, "fy": fy, "q": q, "recorded": recorded, "type0": type0[0]},
    )


def type0(ds: m.Dataset, force: str) -> Fact:
    area = m.Area.of(force)
    rows = trap_figures.type0_by_quarter(ds, area)
    last, first = rows.iloc[-1], rows.iloc[0]
    value = last["share_pct"] if last["offences_recorded"] else None
    traps = {"of_those_with_an_outcome": 100 * last["type0"] / last["with_outcome"] if last["with_outcome"] else None}
    traps["count"] = int(last["type0"])
    if len(rows) > 1:
        traps["first_quarter"] = first["share_pct"]
    example = quarter_label(*trap_figures.example_quarter(ds))
    worked = rows[rows["quarter"] == example]
    if example not in (last["quarter"], first["quarter"]) and not worked.empty:
        traps["example_quarter"] = worked["share_pct"].iloc[0]  # the guide's worked example (sections 5 and 7.1)
    return Fact(
        2,
        "type0",
        "percent",
        value,
        decimals=1,
        traps=traps,
        about={
            "force": area.name,
            "quarter": last["quarter"],
            "type0": int(last["type0"]),
            "recorded": int(last["offences_recorded"]),
            "first_quarter": first["quarter"],
            "first_share": first["share_pct"],
            "example_quarter": example,
        },
    )


def calendar_quarters(ds: m.Dataset) -> Fact:
    ew = m.Area.of(m.EW)
    held = set(ds.quarters)
    whole = [p for p in ds.periods("calendar") if all(q in held for q in p.quarters)]
    year = ds.latest(ew, "calendar") or (whole or ds.periods("calendar") or [None])[-1]
    if year is None:
        return Fact(3, "calendar", "quarters", None, about={"year": None})
    y = year.year
    return Fact(
        3,
        "calendar",
        "quarters",
        _labels(year.quarters),
        traps={
            "financial_same_start": _labels(Period.financial(y).quarters),
            "financial_same_end": _labels(Period.financial(y - 1).quarters),
        },
        about={"year": y, "fy": Period.financial(y).short, "fy_before": Period.financial(y - 1).short},
    )


def articles_year(ds: m.Dataset) -> Fact:
    cal = Period.calendar(ARTICLES_YEAR)
    held = set(ds.quarters)
    missing = [quarter_label(fy, q) for fy, q in cal.quarters if (fy, q) not in held]
    return Fact(
        4,
        "articles_year",
        "quarters",
        missing,
        traps={"financial": _labels(Period.financial(ARTICLES_YEAR).quarters)},
        about={
            "year": ARTICLES_YEAR,
            "quarters": _labels(cal.quarters),
            "fy": Period.financial(ARTICLES_YEAR).short,
            "edition_first": quarter_label(*ds.quarters[0]) if ds.quarters else None,
            "edition_last": quarter_label(*ds.quarters[-1]) if ds.quarters else None,
        },
    )


def top_force(ds: m.Dataset) -> Fact:
    ew = m.Area.of(m.EW)
    latest = trap_figures.latest_period(ds, ew)
    if latest is None:
        return Fact(5, "latest", "force", None, about={"period": None})
    rank = m.ranking(ds, latest)
    ranked = rank[rank["rank"].notna()]
    if ranked.empty:
        return Fact(5, "latest", "force", None, about={"period": latest.label})
    top = ranked[ranked["rank"] == 1]
    about = {
        "period": latest.label,
        "period_end": latest.quarters[-1],
        "top": list(top["force"]),
        "rate": float(top["rate_pct"].iloc[0]),
        "ew_rate": _pct(m.figures(ds, ew, latest).rate),
        "forces_ranked": int(ranked.shape[0]),
    }
    traps = {"lowest": list(ranked[ranked["rank"] == ranked["rank"].max()]["force"])}
    other_kind = "financial" if latest.kind == "calendar" else "calendar"
    other = ds.latest(ew, other_kind)
    if other is not None:
        o_rank = m.ranking(ds, other)
        o_ranked = o_rank[o_rank["rank"].notna()].set_index("force")
        if not o_ranked.empty:
            o_top = list(o_ranked.index[o_ranked["rank"] == 1])
            about.update(
                other=other.label,
                other_end=other.quarters[-1],
                other_top=o_top,
                rank_in_other=[int(o_ranked.loc[f, "rank"]) if f in o_ranked.index else None for f in about["top"]],
            )
            traps["other_period"] = [f for f in o_top if f not in about["top"]]
    return Fact(5, "latest", "force", list(top["force"]), traps=traps, about=about)


def _pct(fraction) -> float | None:
    return None if fraction is None else 100 * fraction


def _left_out(fig: m.Figures) -> list[str]:
    """The forces England and Wales leaves out of a period for lack of usable data (it follows the data)."""
    return sorted({f for g in fig.left_out for f in g.forces})


def _types(ds: m.Dataset, area: m.Area, period: Period, *codes: str) -> int:
    """Offences closed with the outcome types, over the forces the area's figure sums (England and Wales without
    the forces it leaves out for lack of data)."""
    return ds.evaluate(m.Query(area, period, numerator=m.OutcomeSet.parse(list(codes)))).numerator


#: the caveats of a figure that say a quarter looks only partly supplied (cells left out leave a plausible total)
PARTLY_SUPPLIED = (m.LOW, m.PARTLY_PROVIDED)


def partly_supplied(fig: m.Figures) -> tuple[str, ...]:
    """The forces with a quarter in the figure that looks only partly supplied (section 7.8): they stay in a total,
    with a caveat; leaving them out is a mistake."""
    return tuple(sorted({c.force for c in fig.caveats if c.kind in PARTLY_SUPPLIED}))


def _mean_of_quarters(ds: m.Dataset, area: m.Area, period: Period) -> float | None:
    """The average of the quarters' rates: a mistake, since quarters of different sizes weigh differently."""
    rates = [m.figures(ds, area, Period.quarter(fy, q)).rate for fy, q in period.quarters]
    return None if any(r is None for r in rates) else _pct(sum(rates) / len(rates))


def rate(ds: m.Dataset) -> Fact:
    """England and Wales as this project counts it: every police force (each period without any force whose data
    for it cannot be used); the June 2021 articles' England and Wales, without Greater Manchester, is a mistake."""
    ew = m.Area.of(m.EW)
    latest = trap_figures.latest_period(ds, ew)
    if latest is None:
        return Fact(6, "rate", "percent", None, decimals=1, about={"area": ew.name, "period": None, "left_out": []})
    fig = m.figures(ds, ew, latest)
    t14, t16 = _types(ds, ew, latest, "14"), _types(ds, ew, latest, "16")
    recorded = m.figures(ds, ew, latest, "recorded")
    articles_area = m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE)
    articles = m.figures(ds, articles_area, latest)
    partly = partly_supplied(fig)
    without_partly = m.figures(ds, m.Area.of(m.EW, exclude=partly), latest) if partly else None
    without_btp = m.figures(ds, m.Area.of(m.EW, include_btp=False), latest)
    traps = {
        "type14_only": _pct(t14 / fig.closed) if fig.closed else None,
        "type16_only": _pct(t16 / fig.closed) if fig.closed else None,
        "share_16": _pct(fig.share),
        "recorded_basis": _pct(recorded.rate),
        "articles_area": _pct(articles.rate) if articles.computable else None,
        "without_partly_supplied": _pct(without_partly.rate) if without_partly else None,
        "without_btp": _pct(without_btp.rate) if without_btp.computable else None,
        "mean_of_quarters": _mean_of_quarters(ds, ew, latest) if len(latest.quarters) > 1 else None,
    }
    return Fact(
        6,
        "rate",
        "percent",
        _pct(fig.rate) if fig.computable else None,
        decimals=1,
        traps={k: v for k, v in traps.items() if v is not None},
        about={
            "period": latest.label,
            "area": ew.name,
            "vdns": fig.vdns,
            "t14": t14,
            "t16": t16,
            "closed": fig.closed,
            "left_out": _left_out(fig),
            "left_out_gaps": list(fig.left_out),
            "articles_excluded": list(articles_area.exclude),
            "partly_supplied": [
                {"force": f, "quarters": sorted({c.quarter_label for c in fig.caveats if c.force == f})} for f in partly
            ],
            "quarters": len(latest.quarters),
        },
    )


def exclusions(ds: m.Dataset) -> Fact:
    """England and Wales as the June 2021 articles counted it: every police force except those they left out of
    every year (measures.ARTICLES_EXCLUDE: Greater Manchester), named explicitly. Counting them in (this project's
    England and Wales) is the mistake the exercise is about."""
    ew = m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE)
    latest = trap_figures.latest_period(ds, ew)
    if latest is None:
        return Fact(7, "exclusions", "count", None, about={"period": None, "excluded": list(ew.exclude)})
    fig = m.figures(ds, ew, latest)
    every = m.figures(ds, m.Area.of(m.EW), latest)  # this project's England and Wales: the excluded forces in
    no_btp = m.figures(ds, m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE, include_btp=False), latest).closed
    agg = ds.aggregate
    quarters = set(latest.quarters)
    in_period = [
        (fy, q) in quarters for fy, q in zip(agg["financial_year"].astype(str), agg["fin_quarter"].astype(int))
    ]
    part = agg[in_period]
    types = part["outcome_type"].astype(str).isin(outcomes.OUTCOME_CODES)
    every_row = int(part.loc[types, "closed"].fillna(0).sum())
    fraud = part["force_kind"].astype(str) == forces_mod.FRAUD_BODY
    traps = {
        "with_excluded": every.closed,
        "without_btp": no_btp,
        "with_excluded_without_btp": m.figures(ds, m.Area.of(m.EW, include_btp=False), latest).closed,
    }
    if every_row != every.closed:
        traps["with_fraud_bodies"] = every_row
    return Fact(
        7,
        "exclusions",
        "count",
        fig.closed if fig.computable else None,
        traps=traps,
        about={
            "period": latest.label,
            "area": ew.name,
            "excluded": list(ew.exclude),
            "left_out": _left_out(fig),
            "left_out_gaps": list(fig.left_out),
            "every_closed": every.closed,
            "excluded_closed": every.closed - fig.closed,
            "btp_closed": fig.closed - no_btp,
            "fraud_bodies": sorted(set(part.loc[fraud, "force"].astype(str))),
            "fraud_closed": every_row - every.closed,
        },
    )


def negative(ds: m.Dataset, negative_cells: pd.DataFrame) -> Fact:
    """The force whose negative closed-basis cells take the most off its offences closed in the latest year."""
    year = _year(ds, m.Area.of(m.EW))
    if year is None:
        return Fact(8, "negative", "count", None, about={"year": None})
    neg = negative_cells
    when = set(year.quarters)
    in_year = [(fy, q) in when for fy, q in zip(neg["financial_year"].astype(str), neg["fin_quarter"].astype(int))]
    police = {f.name for f in forces_mod.POLICE_FORCES}
    closed_neg = neg[pd.Series(in_year, index=neg.index, dtype=bool) & (neg["closed"] < 0).fillna(False)]
    closed_neg = closed_neg[closed_neg["force"].astype(str).isin(police)]
    counted = closed_neg[closed_neg["in_totals"]]
    if counted.empty:
        return Fact(8, "negative", "count", None, about={"year": year.label, "cells_in_year": 0})
    by_force = counted.groupby(counted["force"].astype(str), observed=True)["closed"].agg(["sum", "count"])
    by_force = by_force.sort_values(["sum", "count"], ascending=[True, False])
    force = str(by_force.index[0])
    total, cells = int(by_force["sum"].iloc[0]), int(by_force["count"].iloc[0])
    closed = m.figures(ds, m.Area.of(force), year).closed
    mine = closed_neg[closed_neg["force"].astype(str) == force]
    traps = {"signed": total, "cells": cells}
    every_type = int(mine["closed"].sum())
    if every_type != total:
        traps["every_outcome_type"] = -every_type
    return Fact(
        8,
        "negative",
        "count",
        -total,
        traps=traps,
        about={
            "year": year.label,
            "force": force,
            "cells": cells,
            "closed": closed,
            "without_negatives": closed - total,
            "forces_with_negatives": int(by_force.shape[0]),
            "cells_in_year": int(counted.shape[0]),
        },
    )


EXPIRED_COLUMNS = ["financial_year", "offence_code_expired", "in_totals", "closed", "recorded", "recorded_issue"]


def expired(ds: m.Dataset) -> Fact:
    rows = tables.OUTCOMES.load(ds.edition, columns=EXPIRED_COLUMNS, filters=[("offence_code_expired", "==", True)])
    years = [p.short for p in ds.periods("financial")]
    per_year = rows.groupby(rows["financial_year"].astype(str), observed=True).size().reindex(years, fill_value=0)
    if per_year.empty or per_year.max() == 0:
        return Fact(9, "expired", "count", None, about={"years": years})
    fy = str(per_year.idxmax())
    mine = rows[rows["financial_year"].astype(str) == fy]
    counted = mine[mine["in_totals"]]
    value = int(counted["closed"].fillna(0).sum())
    traps = {"zero": 0} if value else {}
    traps.update(rows=int(mine.shape[0]), recorded=int(counted["recorded"].fillna(0).sum()))
    return Fact(
        9,
        "expired",
        "count",
        value,
        traps=traps,
        about={
            "fy": fy,
            "rows": int(mine.shape[0]),
            "rows_with_closed": int((counted["closed"].fillna(0) != 0).sum()),
            "recorded_text": int((mine["recorded_issue"].astype(str) != "").sum()),
            "rows_per_year": {str(k): int(v) for k, v in per_year.items()},
        },
    )


PARTIAL = (derive.COVERAGE_PARTLY_PROVIDED, derive.COVERAGE_NOT_PROVIDED)


def partial_supply(ds: m.Dataset) -> Fact:
    """Forces with a quarter that looks only partly supplied: counts marked 'data not provided' on either basis, or
    offences closed implausibly low against the force's usual quarter."""
    cov = ds.coverage
    closed_s, recorded_s = cov["closed_status"].astype(str), cov["recorded_status"].astype(str)
    low = cov["plausibility"].astype(str) == "low"
    flagged = cov[closed_s.isin(PARTIAL) | recorded_s.isin(PARTIAL) | low]
    quarters = {
        str(f): [
            {
                "quarter": str(r.quarter_label),
                "closed_status": str(r.closed_status),
                "recorded_status": str(r.recorded_status),
                "low": str(r.plausibility) == "low",
                "closed_total": None if pd.isna(r.closed_total) else int(r.closed_total),
                "usual": None if pd.isna(r.closed_usual) else int(r.closed_usual),
            }
            for r in g.itertuples()
        ]
        for f, g in flagged.groupby(flagged["force"].astype(str), observed=True)
    }
    left = cov[(closed_s == derive.COVERAGE_LEFT_OUT) | (recorded_s == derive.COVERAGE_LEFT_OUT)]
    left_only = sorted(set(left["force"].astype(str)) - set(quarters))
    traps = {"with_cells_left_out": sorted({*quarters, *left_only})} if left_only else {}
    missing = cov[closed_s == derive.COVERAGE_MISSING]
    return Fact(
        10,
        "partial",
        "forces",
        sorted(quarters),
        traps=traps,
        about={
            "quarters": quarters,
            "low_ratio": derive.LOW_RATIO,
            "left_out_only": {
                f: sorted(set(left.loc[left["force"].astype(str) == f, "quarter_label"].astype(str))) for f in left_only
            },
            "missing": sorted(set(missing["force"].astype(str) + " " + missing["quarter_label"].astype(str))),
        },
    )


def facts(ds: m.Dataset, force: str, negative_cells: pd.DataFrame | None = None) -> dict[int, Fact]:
    """Every exercise on the edition of `ds`, numbered as the guide asks them; `force` is the guide's example
    force; `negative_cells` is trap_figures.negative_cells(edition) when the caller has it already."""
    if negative_cells is None:
        negative_cells = trap_figures.negative_cells(ds.edition)
    made = [
        bases(ds, force),
        type0(ds, force),
        calendar_quarters(ds),
        articles_year(ds),
        top_force(ds),
        rate(ds),
        exclusions(ds),
        negative(ds, negative_cells),
        expired(ds),
        partial_supply(ds),
    ]
    assert [f.number for f in made] == list(range(1, len(made) + 1))
    return {f.number: f for f in made}
