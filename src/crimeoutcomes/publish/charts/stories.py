"""A story's charts: a force's version against England and Wales, and the national ranking."""

from __future__ import annotations

import pandas as pd

from ..words import numbers, wording
from ..words import story as story_words
from .chart import Chart, bar_chart, empty_chart


def story_version(v, s, table: list[dict], source: str, synthetic: bool) -> Chart:
    """A force's version of a story: its figure against England and Wales, for the story's period and the one it is
    compared with."""
    rate = v.spec.measure.is_rate
    printed, rows = [], []
    for r in table:
        value = r["rate"] if rate else r["numerator"]
        p = numbers.percent(value, 1) if rate else numbers.count(value)
        printed.append(p)
        rows.append((f"{r['short']}, {r['period']}", float(value), p, r["short"] == v.force.name))
    data = pd.DataFrame(
        {
            "Area": [r["area"] for r in table],
            "Period": [r["period"] for r in table],
            "Count": [r["numerator"] for r in table],
            "Of": [r["denominator"] for r in table],
            "Rate (%, unrounded)": [r["rate"] for r in table],
        }
    )
    mine = next((p for r, p in zip(table, printed) if r["short"] == v.force.name), None)
    ew = next((p for r, p in zip(table, printed) if r["short"] != v.force.name), None)
    what = "rate" if rate else "figure"
    story_period = next((r["period"] for r in table if r["short"] == v.force.name), "")
    title = (
        (f"{v.force.name}: {mine} in {story_period}" + (f", against {ew} across England and Wales" if ew else ""))
        if mine
        else s.headline
    )
    subtitle = f"{v.spec.title}: {v.force.name} and England and Wales"
    axis = "% (of the offences counted)" if rate else "Count"
    alt = (
        f"Bar chart of the {what} for {v.force.name} and England and Wales: "
        + "; ".join(f"{lab} {p}" for lab, _, p, _ in rows)
        + "."
    )
    draw = bar_chart(rows, title, subtitle, source, synthetic, axis)
    return Chart("story", title, subtitle, alt, title, data, printed, draw, source)


def story_ranking(spec, period, table: pd.DataFrame, ranks, ew, noun: str, source: str, synthetic: bool) -> Chart:
    """The police forces a story ranks, by the story's figure (analysis/ranking.py), England and Wales as a reference
    line; the forces not ranked are named in the subtitle."""
    rate = spec.measure.is_rate
    col = "Rate" if rate else "Count"
    ranked = table[table["Rank"].map(lambda p: p.value is not None)]
    ranked = ranked.assign(_v=ranked[col].map(lambda p: p.value)).sort_values(["_v", "Force"], ascending=[False, True])
    top = [f for f, r in zip(ranked["Force"], ranked["Rank"]) if r.value == 1]
    rows = [(f, float(v), p, f in top) for f, v, p in zip(ranked["Force"], ranked["_v"], ranked[col])]
    ref = numbers.percent(ew.rate, 1) if rate and ew.rate is not None else None
    if not rows:  # every force left out (too few offences for a rate, say): a chart that says so, not an empty axis
        return empty_chart("ranking", "No force can be ranked", source, synthetic, pd.DataFrame())
    of = numbers.count(len(ranked), key="ranked")
    among = "territorial forces" if ranks.field.among == "territorial forces" else "police forces"
    what = "rate" if rate else "figure"
    if top:
        who = wording.join([wording.short_name(f) for f in top])
        title = (
            f"{who[0].upper()}{who[1:]} had the {'joint ' if len(top) > 1 else ''}highest {what} of the {of} "
            f"{among} ranked {story_words.during(period)}"
        )
    else:
        title = "No force can be ranked"
    unranked = [wording.force_name(f) for f, p in ranks.places.items() if p.why_not]
    subtitle = f"{spec.title}, {story_words.when(period)}" + (
        f". Not ranked: {wording.join(unranked)}"
        if unranked and len(unranked) <= 4
        else (". Some forces are not ranked (see the table)" if unranked else "")
    )
    data = pd.DataFrame(
        {
            "Force": ranked["Force"],
            "Value (unrounded)": ranked["_v"],
            "Rank (1 = highest)": ranked["Rank"].map(lambda p: p.value),
        }
    )
    alt = (
        f"Bar chart ranking the {of} {among}: highest {wording.join(top)} {rows[0][2] if rows else ''}"
        + (f"; England and Wales {ref}" if ref else "")
        + "."
    )
    axis = f"% of {noun}" if rate else "Count"
    draw = bar_chart(rows, title, subtitle, source, synthetic, axis, ref, highlight_names=True)
    return Chart(
        "ranking",
        title,
        subtitle,
        alt,
        title,
        data,
        [r[2] for r in rows[:1]] + ([ref] if ref else []) + [of],
        draw,
        source,
    )
