"""The figures behind the dataset's traps, for the guide and its exercises (numbers only; the guide's tables for
people are in publish/guide/guide.py): the negative cells, the share of offences with no outcome yet (type 0) by
quarter, and the latest period an area can be computed for."""

from __future__ import annotations

import pandas as pd

from ..data import outcomes, tables
from . import measures as m
from .periods import Period


def negative_cells(edition: str) -> pd.DataFrame:
    """Every row of the tidy table with a negative count on either basis (read with a filter: a few rows)."""

    return tables.OUTCOMES.load(edition, filters=[[("closed", "<", 0)], [("recorded", "<", 0)]])


def example_quarter(ds: m.Dataset) -> tuple[str, int]:
    """The quarter the guide works its examples on (sections 5 and 7.1): the first quarter of the edition's last
    financial year."""
    return ds.quarters[-1][0], 1


def type0_by_quarter(ds: m.Dataset, area: m.Area) -> pd.DataFrame:
    """Outcome type 0 on the recorded basis, quarter by quarter (oldest first): of the offences recorded in each
    quarter, how many had no outcome yet when the data were extracted."""
    rec = ds.counts("recorded", m.OffenceScope("all"))
    rows = []
    for fy, q in ds.quarters:
        p = Period.quarter(fy, q)
        result = ds.evaluate(m.Query(area, p, "recorded"))
        used = result.forces or area.forces  # the forces the figure sums (England and Wales follows the data)
        type0 = rec.total(used, p.quarters, (outcomes.NOT_YET_ASSIGNED,))[0]
        with_outcome = result.numerator
        recorded = type0 + with_outcome
        rows.append(
            {
                "quarter": p.label,
                "type0": type0,
                "with_outcome": with_outcome,
                "offences_recorded": recorded,
                "share_pct": 100 * type0 / recorded if recorded else None,
            }
        )
    return pd.DataFrame(rows)


def latest_period(ds: m.Dataset, area: m.Area) -> Period | None:
    """The latest computable period for the area: of the latest calendar and the latest financial year, the one
    that ends last (financial 2018/19 ends in March 2019, after calendar 2018)."""
    found = [p for p in (ds.latest(area, "calendar"), ds.latest(area, "financial")) if p is not None]
    return max(found, key=lambda p: p.first + p.length) if found else None
