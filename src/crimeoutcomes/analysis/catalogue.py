"""What can be measured in an edition: every offence group, subgroup and code, and every outcome type, with its
description and how many offences it holds (England and Wales, the latest financial year the edition can give), in
the names a story spec or a claim writes them with. The stories' list of measures (the site's measures page, `make
measures`) and the story builder read it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data import outcomes
from . import measures as m
from .periods import Period

KINDS = ("group", "subgroup", "code")


@dataclass
class Catalogue:
    period: Period | None  # the period the counts are for
    offences: pd.DataFrame  # kind, name, description, group, subgroup, recorded, closed
    outcomes: pd.DataFrame  # type, description, closed, recorded


def catalogue(ds: m.Dataset) -> Catalogue:
    """Every offence group, subgroup and code of the edition, and every outcome type, with counts."""
    ew = m.Area.of(m.EW)
    period = ds.latest(ew, "financial", "recorded") or ds.latest(ew, "financial")
    t = ds.tidy
    keep = t["in_totals"].astype(bool).to_numpy() if "in_totals" in t else slice(None)
    rows = t[keep]
    if period is not None:
        quarters = set(period.quarters)
        mask = [
            (fy, q) in quarters for fy, q in zip(rows["financial_year"].astype(str), rows["fin_quarter"].astype(int))
        ]
        rows = rows[mask]
    rows = rows.assign(
        offence_group=rows["offence_group"].astype(str),
        offence_subgroup=rows["offence_subgroup"].astype(str),
        offence_code=rows["offence_code"].astype(str),
        offence_description=rows["offence_description"].astype(str),
        outcome_type=rows["outcome_type"].astype(str),
    )
    closing = rows[rows["outcome_type"] != outcomes.NOT_YET_ASSIGNED]
    out = []
    for kind, col in (("group", "offence_group"), ("subgroup", "offence_subgroup"), ("code", "offence_code")):
        recorded = rows.groupby(col)["recorded"].sum(min_count=1)
        closed = closing.groupby(col)["closed"].sum(min_count=1)
        first = rows.drop_duplicates(col).set_index(col, drop=False)
        for name in sorted(set(rows[col])):
            f = first.loc[name]
            out.append(
                {
                    "kind": kind,
                    "name": name,
                    "description": f["offence_description"] if kind == "code" else name,
                    "group": f["offence_group"],
                    "subgroup": f["offence_subgroup"] if kind != "group" else "",
                    "recorded": _int(recorded.get(name)),
                    "closed": _int(closed.get(name)),
                }
            )
    recorded = rows.groupby("outcome_type")["recorded"].sum(min_count=1)
    closed = rows.groupby("outcome_type")["closed"].sum(min_count=1)
    types = [
        {
            "type": code,
            "description": text,
            "closed": _int(closed.get(code)),
            "recorded": _int(recorded.get(code)),
        }
        for code, text in outcomes.OUTCOME_TYPES.items()
        if code not in outcomes.OF_WHICH
    ]
    return Catalogue(period, pd.DataFrame(out), pd.DataFrame(types))


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
