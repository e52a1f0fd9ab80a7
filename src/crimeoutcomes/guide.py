"""Helpers for the dataset guide (notebooks/00_dataset_guide.ipynb): tables that explain the outcomes table and
demonstrate its traps on the real rows of an edition."""

from __future__ import annotations

import pandas as pd

from . import forces as forces_mod
from . import outcomes
from .measures import EW, Measures, Period

COLUMN_MEANINGS = {
    "financial_year": "financial year, April to March ('2018/19' = April 2018 to March 2019)",
    "fin_quarter": "financial quarter: 1 = April-June, 2 = July-September, 3 = October-December, 4 = January-March",
    "calendar_year / calendar_quarter": "the same quarter on the calendar (financial Q4 of 2018/19 = 2019 Q1)",
    "force": "police force (canonical name; the raw files say 'London, City of')",
    "force_kind": "territorial (43), british transport police, or fraud reporting body (not a force)",
    "offence_code / offence_description": "Home Office offence classification code and its name",
    "offence_group / offence_subgroup": "the offence's group (e.g. Violence against the person) and subgroup",
    "offence_code_expired": "True where the code is no longer in use (older vintages list its outcomes still)",
    "outcome_type": "Home Office outcome type, as text: '0' to '22' ('1a', '2a', '3a' are 'of which' rows)",
    "outcome_description / outcome_group": "what the outcome type means, and its Home Office group",
    "closed": "outcomes assigned in the quarter, whenever the offence was recorded (closed basis)",
    "recorded": "outcomes, so far, of offences recorded in that quarter (recorded basis); type 0 = still none",
    "closed_issue / recorded_issue": "'' for a plain count, else blank / text / non-integer / negative",
    "closed_raw / recorded_raw": "the cell as written when it was not a plain count (e.g. 'N/A - offence code expired')",
    "in_totals": "False for outcome type 0, the 1a/2a/3a rows and fraud reporting bodies: they never enter a total",
    "source_file / source_row": "the raw file and row the figures came from",
}


def columns_table() -> pd.DataFrame:
    return pd.DataFrame({"column": list(COLUMN_MEANINGS), "meaning": list(COLUMN_MEANINGS.values())})


def overview(tidy: pd.DataFrame) -> pd.DataFrame:
    police = tidy["force_kind"].astype(str) != forces_mod.FRAUD_BODY
    return pd.DataFrame({"value": {
        "rows": f"{len(tidy):,}",
        "police forces": tidy.loc[police, "force"].nunique(),
        "fraud reporting bodies": tidy.loc[~police, "force"].nunique(),
        "offence codes": tidy["offence_code"].nunique(),
        "of which expired codes": tidy.loc[tidy["offence_code_expired"], "offence_code"].nunique(),
        "offence groups": tidy["offence_group"].nunique(),
        "outcome types": tidy["outcome_type"].nunique(),
        "quarters": tidy[["financial_year", "fin_quarter"]].drop_duplicates().shape[0],
        "rows per force and quarter": ", ".join(
            f"{fy}: {n:,}" for fy, n in tidy.groupby("financial_year", observed=True)
            .apply(lambda g: len(g) // max(1, g[["force", "fin_quarter"]].drop_duplicates().shape[0])).items()),
    }})


def one_row(tidy: pd.DataFrame, force: str, financial_year: str, quarter: int, offence_code: str, outcome_type: str):
    t = tidy[(tidy["force"].astype(str) == force) & (tidy["financial_year"].astype(str) == financial_year)
             & (tidy["fin_quarter"] == quarter) & (tidy["offence_code"].astype(str) == offence_code)
             & (tidy["outcome_type"].astype(str) == outcome_type)]
    return t.drop(columns=["edition"]).T.rename(columns=lambda _: "value")


def outcome_shares(agg: pd.DataFrame, tidy: pd.DataFrame, m: Measures, period: Period) -> pd.DataFrame:
    """Every outcome type with its description, Home Office group and national share of offences closed."""
    members = m.figures(EW, period).forces
    a = agg[agg["force"].isin(members)].merge(pd.DataFrame(period.quarters, columns=["financial_year", "fin_quarter"]))
    counts = a.groupby("outcome_type")["closed"].sum()
    in_totals = a.groupby("outcome_type")["in_totals"].first()
    total = counts[in_totals[in_totals].index].sum()
    groups = tidy.drop_duplicates("outcome_type").set_index(tidy.drop_duplicates("outcome_type")["outcome_type"].astype(str))["outcome_group"].astype(str)
    rows = []
    for code in sorted(counts.index, key=outcomes.sort_key):
        rows.append({"outcome type": code, "description": outcomes.OUTCOME_TYPES.get(code, ""),
                     "Home Office group": groups.get(code, ""), "closed": int(counts[code]),
                     "share of offences closed %": round(100 * counts[code] / total, 2) if in_totals[code] else None,
                     "in totals": bool(in_totals[code])})
    table = pd.DataFrame(rows)
    table.loc[table["outcome type"] == outcomes.NOT_YET_ASSIGNED, "closed"] = None  # no closed count exists
    return table


def bases_example(agg: pd.DataFrame, force: str, financial_year: str, quarter: int) -> pd.DataFrame:
    """Closed vs recorded basis for one force and quarter, per outcome type, with totals."""
    a = agg[(agg["force"] == force) & (agg["financial_year"] == financial_year) & (agg["fin_quarter"] == quarter)]
    a = a.assign(_o=a["outcome_type"].map(outcomes.sort_key)).sort_values("_o")
    table = pd.DataFrame({"outcome type": a["outcome_type"], "description": a["outcome_description"],
                          "closed basis": a["closed"], "recorded basis": a["recorded"], "in totals": a["in_totals"]})
    tot = a[a["in_totals"]]
    total = pd.DataFrame([{"outcome type": "total", "description": "all outcome types in totals (not 0)",
                           "closed basis": tot["closed"].sum(), "recorded basis": tot["recorded"].sum(), "in totals": True}])
    return pd.concat([table, total], ignore_index=True)


def negative_examples(tidy: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    neg = tidy[(tidy["closed"] < 0) | (tidy["recorded"] < 0)]
    cols = ["source_file", "source_row", "force", "financial_year", "fin_quarter", "offence_description",
            "outcome_type", "closed", "recorded"]
    return neg.sort_values("closed").head(n)[cols].reset_index(drop=True)


def expired_codes(tidy: pd.DataFrame) -> pd.DataFrame:
    """Per source file: how many rows carry an expired offence code, and what their counts hold."""
    g = tidy.groupby("source_file", observed=True)
    return pd.DataFrame({
        "rows": g.size(),
        "rows with expired codes": g["offence_code_expired"].sum(),
        "closed total on expired codes": g.apply(lambda x: x.loc[x["offence_code_expired"] & x["in_totals"], "closed"].sum()),
        "recorded cells with text on expired codes": g.apply(
            lambda x: (x["offence_code_expired"] & x["recorded_issue"].astype(str).eq("text")).sum()),
    })


def group_mix(groups: pd.DataFrame, financial_year: str, force: str, members: list[str]) -> pd.DataFrame:
    """Offence-group shares of offences closed and of outcomes 14 + 16: one force against England and Wales."""
    g = groups[(groups["financial_year"] == financial_year) & groups["in_totals"]]
    out = {}
    for label, who in ((force, [force]), ("England and Wales", members)):
        part = g[g["force"].isin(who)]
        closed = part.groupby("offence_group")["closed"].sum()
        vdns = part[part["outcome_type"].isin(outcomes.VICTIM_DID_NOT_SUPPORT)].groupby("offence_group")["closed"].sum()
        out[(label, "% of closed")] = (100 * closed / closed.sum()).round(1)
        out[(label, "rate 14+16 %")] = (100 * vdns.reindex(closed.index).fillna(0) / closed.where(closed > 0)).round(1)
    return pd.DataFrame(out).sort_values((force, "% of closed"), ascending=False)


def compare_vintages(a: pd.DataFrame, b: pd.DataFrame, label_a: str, label_b: str) -> pd.DataFrame:
    """Force × quarter closed totals (types in totals) in two editions' aggregates, over the quarters both hold."""
    def totals(agg):
        return agg[agg["in_totals"]].groupby(["force", "financial_year", "fin_quarter"])["closed"].sum()
    ta, tb = totals(a), totals(b)
    both = pd.concat({label_a: ta, label_b: tb}, axis=1).dropna()
    both["difference"] = both[label_b] - both[label_a]
    both["difference %"] = (100 * both["difference"] / both[label_a]).round(2)
    return both.reset_index()
