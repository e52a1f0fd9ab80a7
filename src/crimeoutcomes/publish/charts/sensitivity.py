"""The sensitivity page's chart: England and Wales's rate under each choice of method."""

from __future__ import annotations

import pandas as pd

from ...analysis.periods import Period
from ..words import numbers, sensitivity_text, wording
from ..words.numbers import Printed
from . import style
from .chart import RATE_MEANS, Chart, Rows, labelled_bars, wrapped_names
from .style import Frame, Layout


# ------------------------------------------------------------------------------------------- sensitivity
def sensitivity_national(
    national: pd.DataFrame, spread: Printed | None, period: Period | None, source: str, synthetic: bool, places: int = 2
) -> Chart:
    """The methods compared on one period, the one whose rate moves most (`period`, as `sensitivity_files.spread`
    finds it): national holds the computable scenario rows (exact rates) of every period (analysis/sensitivity.py's
    columns), and the chart draws the rows of that period only, so that the spread its title states is the spread it
    shows (a financial year is another period: its rates are in the table, not beside calendar years)."""
    rows = national.loc[[p == period for p in national["period"]]].reset_index(drop=True)
    names = rows["scenario"].map(sensitivity_text.NAMES)
    headers = sensitivity_text.NATIONAL
    data = pd.DataFrame(
        {
            headers["scenario"]: names,
            headers["period"]: rows["period"].map(sensitivity_text.period_name),
            headers["closed"]: rows["closed"],
            headers["vdns"]: rows["vdns"],
            headers["rate"]: rows["rate"],
            "Change against the articles' method (points)": rows["change"],
        }
    )
    label = period.label if period is not None else ""
    printed = [numbers.percent(v, places, key=f"sensitivity:{s}:{label}") for s, v in zip(names, rows["rate"])]
    if len(rows) > 1 and spread is not None:
        title = f"The England and Wales rate for {label} moves by up to {spread} depending on the method"
    elif len(rows):
        title = f"Only one method can be computed for England and Wales in {label}"
    else:
        title = "No period of this edition can be computed for England and Wales"
    others = sorted({p.label for p in national["period"]} - {label})
    named = wording.join(others) if len(others) <= 3 else wording.counted(len(others), "other period")
    subtitle = f"England and Wales, {label}: {RATE_MEANS}, under each choice of method" + (
        f"; the table also gives {named}" if others else ""
    )

    def draw(layout: Layout) -> Frame:
        labels = wrapped_names(names, layout, desk=48, phone=26)
        return labelled_bars(
            layout,
            (title, subtitle, source, synthetic),
            labels,
            rows["rate"].to_numpy(dtype=float),
            [f" {p}" for p in printed],
            [style.FORCE if i == 0 else style.NATIONAL for i in range(len(rows))],
            f"% of offences closed, {label}" if label else "% of offences closed",
            Rows.even(labels, 0.34),
            empty_max=10.0,
        )

    alt = (
        f"Bar chart of the England and Wales rate for {label} under each method: "
        + "; ".join(f"{s}: {v}" for s, v in zip(names, printed))
        + "."
    )
    figures = printed + ([spread] if spread is not None and len(rows) > 1 else [])
    return Chart("rate-by-method", title, subtitle, alt, title, data, figures, draw, source)
