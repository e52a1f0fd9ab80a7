"""The sensitivity step's files: the national and force tables (exact values), the ranks, the conclusions in words
(generated from the numbers, every number through the one formatter), the caveats as numbered notes, and the chart.

national.csv's "Caveats" column holds the numbers of the notes that apply to each row (conclusions.json holds the
notes), so the page shows footnote markers, not paragraphs of caveat text in table cells."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import csvfile, dag
from ..analysis import measures as m
from ..analysis import sensitivity
from ..analysis.measures import Dataset
from ..atomic import write_text
from . import charts, numbers, style, wording

RATE = sensitivity.RATE
#: the page's one precision for rates and moves (the choices move the rate by tenths of a point: two decimals show
#: them; the table, the chart and the conclusions all print them so)
PLACES = 2
CHANGE = "Change against the articles' method (points)"
UNROUNDED = {RATE: f"{RATE[:-1]}, unrounded)", CHANGE: "Change against the articles' method (points, unrounded)"}


def _name(key: str) -> str:
    return dag.file("sensitivity", key)


def notes(national: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """The caveats of every row as numbered notes, and each row's note numbers ('1; 2')."""
    found: dict[str, dict] = {}
    refs = []
    for flags in national["flags"]:
        numbers_ = []
        for flag in flags:
            if flag.anchor not in found:
                with numbers.collect() as said:
                    text = wording.flag_text(flag)
                found[flag.anchor] = {
                    "number": len(found) + 1,
                    "anchor": flag.anchor,
                    "title": wording.flag_title(flag),
                    **_with_figures(text, said),
                }
            numbers_.append(found[flag.anchor]["number"])
        refs.append("; ".join(str(n) for n in sorted(set(numbers_))))
    return list(found.values()), refs


def spread(national: pd.DataFrame) -> tuple[numbers.Printed | None, str]:
    """The widest move of the England and Wales rate between methods, for one period: (printed, period)."""
    rows = national[national[RATE].notna()]
    if rows.empty:
        return None, ""
    by = rows.groupby("Period")[RATE].agg(["min", "max"])
    widest = (by["max"] - by["min"]).idxmax()
    return numbers.distance(by.loc[widest, "max"] - by.loc[widest, "min"], PLACES, key="sensitivity:spread"), widest


def conclusions(result: dict[str, pd.DataFrame]) -> list[str]:
    """Plain-words conclusions generated from the numbers."""
    national, forces = result["national"], result["forces"]
    base = national[(national["Key"] == sensitivity.BASELINE.key) & national[RATE].notna()]
    if base.empty:
        return [
            "This edition has no calendar year with every quarter present for England and Wales, so the "
            "articles' method gives no national figure here; the other scenarios show what can be computed."
        ]
    latest = base.iloc[-1]
    ew = wording.area_name(m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE))
    out = [
        f"The articles' method: {ew}, {latest['Period']}: {numbers.percent(latest[RATE], PLACES)} of offences closed "
        "ended because the victim did not support further action."
    ]
    changes = []
    for s in sensitivity.SCENARIOS[1:]:
        rows = national[(national["Key"] == s.key) & national[RATE].notna()]
        if rows.empty:
            out.append(f"{s.label}: {sensitivity.NOT_AVAILABLE}.")
            continue
        if s.kind == "financial":
            r = rows.iloc[-1]
            out.append(
                f"{s.label}: {r['Period']} gives {numbers.percent(r[RATE], PLACES)} "
                f"({numbers.points(r[RATE] - latest[RATE], PLACES)} against {latest['Period']}; the two periods share "
                "three quarters at most)."
            )
            continue
        same = rows[rows["Period"] == latest["Period"]]
        if same.empty:
            continue
        delta = float(same[CHANGE].iloc[0])
        printed = numbers.points(delta, PLACES)
        size = (
            "barely moves it"
            if abs(delta) < 0.3
            else ("moves it a little" if abs(delta) < 1 else "moves it materially")
        )
        changes.append((abs(delta), s, printed))
        out.append(f"{s.label}: {numbers.percent(float(same[RATE].iloc[0]), PLACES)} ({printed}), which {size}.")
    if changes:
        biggest = max(changes, key=lambda c: c[0])
        out.append(
            f"Of the choices compared on {latest['Period']}, the one that matters most for the national rate "
            f"is: {biggest[1].label.lower()} ({biggest[2]})."
        )
    widest, period = spread(national)
    if widest is not None:
        out.append(f"Across every choice, the England and Wales rate for {period} moves by up to {widest}.")
    out += _rank_conclusions(sensitivity.force_table(forces))
    return out


def _rank_conclusions(table: pd.DataFrame) -> list[str]:
    base_col = f"Rank: {sensitivity.BASELINE.label}"
    if base_col not in table.columns or not table[base_col].notna().any():
        return []
    top = table.loc[table[base_col].astype(float).idxmin(), "Force"]
    others = [c for c in table.columns if c.startswith("Rank: ") and c != base_col]
    mine = table[table["Force"] == top]
    lost = [c for c in others if mine[c].notna().all() and int(mine[c].iloc[0]) != 1]
    text = (
        f"Highest rate under the articles' method: {top}; it stays first under "
        f"{numbers.count(len(others) - len(lost))} of the {numbers.count(len(others))} other choices"
    )
    if lost:
        text += (
            " (not under: "
            + "; ".join(
                f"{c[6:].lower()}, where it ranks {numbers.count(int(mine[c].iloc[0]))} and "
                f"{table.loc[table[c].astype(float).idxmin(), 'Force']} is first"
                for c in lost
            )
            + ")"
        )
    movers = table[table["Largest rank move"].fillna(0) >= 5]
    most = (
        f" (most: {movers.loc[movers['Largest rank move'].astype(float).idxmax(), 'Force']}, "
        f"{numbers.count(int(movers['Largest rank move'].max()))} places)."
        if len(movers)
        else "."
    )
    return [
        text + ".",
        f"{numbers.count(len(movers))} of the {numbers.count(len(table))} forces move five or more "
        f"places under at least one choice{most}",
    ]


def _with_figures(text: str, figures: list[numbers.Printed]) -> dict:
    """A sentence with the figures it prints (so a page can write each as a figure, with its exact value)."""
    return {"text": text, "figures": [p.to_json() for p in figures if p.value is not None and str(p) in text]}


def write(result: dict, ds: Dataset, folder: Path) -> None:
    national = result["national"]
    note_list, refs = notes(national)
    table = national.drop(columns=["Key", "flags"]).assign(Caveats=refs).rename(columns=UNROUNDED)
    csvfile.to_csv(table, folder / _name("national"))
    forces = result["forces"].drop(columns=["Key"]).rename(columns=UNROUNDED)
    csvfile.to_csv(forces, folder / _name("forces"))
    csvfile.to_csv(sensitivity.force_table(result["forces"]), folder / _name("ranks"))
    with numbers.collect() as said:
        sentences = conclusions(result)
    text = {"conclusions": [_with_figures(s, said) for s in sentences], "notes": note_list, "places": PLACES}
    write_text(folder / _name("conclusions"), json.dumps(text, indent=1) + "\n")
    computable = national[national[RATE].notna()]
    source = style.source_line(ds.release, ds.synthetic)
    widest, period = spread(national)
    chart = charts.sensitivity_national(computable, widest, period, source, ds.synthetic, PLACES)
    saved = charts.save_chart(chart, folder)
    write_text(folder / _name("charts"), json.dumps([saved.__dict__], indent=1) + "\n")
