"""The sensitivity tables' words: analysis/sensitivity.py gives scenario keys, periods and numbers; here each scenario
gets its name and each column its header, once. The step writes the tables with these headers
(publish/pages/sensitivity_files.py) and the page reads them back by the same names (publish/lab/display.py)."""

from __future__ import annotations

#: each scenario of analysis/sensitivity.SCENARIOS, by key, as the tables, the chart and the conclusions name it
NAMES = {
    "baseline": "The articles' method: calendar year, closed basis, without Greater Manchester",
    "financial_year": "Financial year instead of calendar year",
    "recorded_basis": "Recorded basis (outcomes of offences recorded in the period)",
    "with_gmp": "Greater Manchester included",
    "without_btp": "British Transport Police left out",
    "without_fraud": "Fraud offences left out",
}
#: the period of a scenario that no period of the edition can be computed for
NOT_AVAILABLE = "not available in this edition"
RATE = "Rate (% of offences closed, unrounded)"
#: national.csv's headers, by the column of analysis/sensitivity.NATIONAL they show (caveats: the numbers of the
#: notes that apply to the row)
NATIONAL = {
    "scenario": "Scenario",
    "period": "Period",
    "closed": "Offences closed",
    "vdns": "Victim did not support action (14 + 16)",
    "rate": RATE,
    "change": "Change against the articles' method (points, unrounded)",
    "caveats": "Caveats",
}
#: forces.csv's headers, by the column of analysis/sensitivity.FORCES they show
FORCES = {"force": "Force", "scenario": "Scenario", "period": "Period", "rate": RATE, "rank": "Rank (1 = highest)"}
#: ranks.csv: a force's largest move from its rank under the articles' method
LARGEST_MOVE = "Largest rank move"


def rank_header(key: str) -> str:
    """ranks.csv's header for the ranks under one scenario."""
    return f"Rank: {NAMES[key]}"


def period_name(period) -> str:
    """A scenario's period as the tables name it (a period of analysis/periods.py, or None when none computes)."""
    return NOT_AVAILABLE if period is None else period.label
