"""The sensitivity step's files: the national and force tables (exact values), the ranks, the conclusions in words
(generated from the numbers, every number through the one formatter), the caveats as numbered notes, and the chart.

national.csv's "Caveats" column holds the numbers of the notes that apply to each row (conclusions.json holds the
notes, and each row's note numbers for the page), so the page shows footnote markers, not paragraphs of caveat text
in table cells. analysis/sensitivity.py gives keys, periods and numbers; the names and headers are in
publish/words/sensitivity_text.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ... import csvfile, dag
from ...analysis import measures as m
from ...analysis import sensitivity
from ...analysis.measures import Dataset
from ...analysis.periods import Period
from ...atomic import write_text
from ..charts import chart as charts_mod
from ..charts import sensitivity as sensitivity_chart
from ..charts import style
from ..words import numbers, wording
from ..words.sensitivity_text import FORCES, LARGEST_MOVE, NAMES, NATIONAL, NOT_AVAILABLE, period_name, rank_header

#: the page's one precision for rates and moves (the choices move the rate by tenths of a point: two decimals show
#: them; the table, the chart and the conclusions all print them so)
PLACES = 2


def _name(key: str) -> str:
    return dag.file("sensitivity", key)


def notes(national: pd.DataFrame) -> tuple[list[dict], list[list[int]]]:
    """The caveats of every row as numbered notes, and each row's note numbers."""
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
        refs.append(sorted(set(numbers_)))
    return list(found.values()), refs


def spread(national: pd.DataFrame) -> tuple[numbers.Printed | None, Period | None]:
    """The widest move of the England and Wales rate between methods, for one period: (printed, period)."""
    rows = national[national["rate"].notna()]
    if rows.empty:
        return None, None
    by = rows.groupby(rows["period"].map(period_name))["rate"].agg(["min", "max"])
    widest = (by["max"] - by["min"]).idxmax()
    period = next(p for p in rows["period"] if p.label == widest)
    return numbers.distance(by.loc[widest, "max"] - by.loc[widest, "min"], PLACES, key="sensitivity:spread"), period


def conclusions(result: sensitivity.Result) -> list[str]:
    """Plain-words conclusions generated from the numbers."""
    national = result.national
    computable = national[national["rate"].notna()]
    base = computable[computable["scenario"] == sensitivity.BASELINE.key]
    if base.empty:
        return [
            "This edition has no calendar year with every quarter present for England and Wales, so the "
            "articles' method gives no national figure here; the other scenarios show what can be computed."
        ]
    latest = base.iloc[-1]
    ew = wording.area_name(m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE))
    out = [
        f"The articles' method: {ew}, {latest.period.label}: {numbers.percent(latest.rate, PLACES)} of offences "
        "closed ended because the victim did not support further action."
    ]
    changes = []
    for s in sensitivity.SCENARIOS[1:]:
        name = NAMES[s.key]
        rows = computable[computable["scenario"] == s.key]
        if rows.empty:
            out.append(f"{name}: {NOT_AVAILABLE}.")
            continue
        if s.kind == "financial":
            r = rows.iloc[-1]
            out.append(
                f"{name}: {r.period.label} gives {numbers.percent(r.rate, PLACES)} "
                f"({numbers.points(r.rate - latest.rate, PLACES)} against {latest.period.label}; the two periods "
                "share three quarters at most)."
            )
            continue
        same = rows.loc[[p == latest.period for p in rows["period"]]]
        if same.empty:
            continue
        delta = float(same["change"].iloc[0])
        printed = numbers.points(delta, PLACES)
        size = (
            "barely moves it"
            if abs(delta) < 0.3
            else ("moves it a little" if abs(delta) < 1 else "moves it materially")
        )
        changes.append((abs(delta), s, printed))
        out.append(f"{name}: {numbers.percent(float(same['rate'].iloc[0]), PLACES)} ({printed}), which {size}.")
    if changes:
        biggest = max(changes, key=lambda c: c[0])
        out.append(
            f"Of the choices compared on {latest.period.label}, the one that matters most for the national rate "
            f"is: {NAMES[biggest[1].key].lower()} ({biggest[2]})."
        )
    widest, period = spread(national)
    if widest is not None:
        out.append(f"Across every choice, the England and Wales rate for {period.label} moves by up to {widest}.")
    out += _rank_conclusions(sensitivity.ranks(result.forces))
    return out


def _rank_conclusions(table: pd.DataFrame) -> list[str]:
    base = sensitivity.BASELINE.key
    if base not in table.columns or not table[base].notna().any():
        return []
    top = table.loc[table[base].astype(float).idxmin(), "force"]
    others = [s.key for s in sensitivity.SCENARIOS[1:] if s.key in table.columns]
    mine = table[table["force"] == top]
    lost = [k for k in others if mine[k].notna().all() and int(mine[k].iloc[0]) != 1]
    text = (
        f"Highest rate under the articles' method: {top}; it stays first under "
        f"{numbers.count(len(others) - len(lost))} of the {numbers.count(len(others))} other choices"
    )
    if lost:
        text += (
            " (not under: "
            + "; ".join(
                f"{NAMES[k].lower()}, where it ranks {numbers.count(int(mine[k].iloc[0]))} and "
                f"{table.loc[table[k].astype(float).idxmin(), 'force']} is first"
                for k in lost
            )
            + ")"
        )
    move = sensitivity.LARGEST_MOVE
    movers = table[table[move].fillna(0) >= 5]
    most = (
        f" (most: {movers.loc[movers[move].astype(float).idxmax(), 'force']}, "
        f"{numbers.count(int(movers[move].max()))} places)."
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


def _headed(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """A result's columns under their headers (scenario keys and periods as the tables name them)."""
    named = frame.assign(scenario=frame["scenario"].map(NAMES), period=frame["period"].map(period_name))
    return named[list(headers)].rename(columns=headers)


def ranks_table(forces: pd.DataFrame) -> pd.DataFrame:
    """ranks.csv: one row per force, its rank under every scenario and its largest rank move."""
    table = sensitivity.ranks(forces)
    headers = {"force": "Force", sensitivity.LARGEST_MOVE: LARGEST_MOVE}
    return table.rename(columns={c: headers.get(c) or rank_header(c) for c in table.columns})


def write(result: sensitivity.Result, ds: Dataset, folder: Path) -> None:
    national = result.national
    note_list, refs = notes(national)
    caveats = ["; ".join(str(n) for n in numbers_) for numbers_ in refs]
    csvfile.to_csv(_headed(national.assign(caveats=caveats), NATIONAL), folder / _name("national"))
    csvfile.to_csv(_headed(result.forces, FORCES), folder / _name("forces"))
    csvfile.to_csv(ranks_table(result.forces), folder / _name("ranks"))
    with numbers.collect() as said:
        sentences = conclusions(result)
    text = {
        "conclusions": [_with_figures(s, said) for s in sentences],
        "notes": note_list,
        "row_notes": refs,  # national.csv's rows, in order: the numbers of the notes that apply to each
        "places": PLACES,
    }
    write_text(folder / _name("conclusions"), json.dumps(text, indent=1) + "\n")
    computable = national[national["rate"].notna()]
    source = style.source_line(ds.release, ds.synthetic)
    widest, period = spread(national)
    chart = sensitivity_chart.sensitivity_national(computable, widest, period, source, ds.synthetic, PLACES)
    saved = charts_mod.save_chart(chart, folder)
    write_text(folder / _name("charts"), json.dumps([saved.__dict__], indent=1) + "\n")
