"""Charts of a force report and of the sensitivity page, in the project's style (publish/style.py).

Each chart is defined once, as a `Chart`: its title (stating the finding), alt text and caption, the table saved
beside it as CSV (exact values: the picture and the numbers never differ), every figure it prints (each formatted
once, by publish/numbers.py), and a `draw(layout)` that draws it for the desk or the phone layout. `save_chart` draws
each layout once per saved format (PNG 2x for both, SVG for the desk), checks the layout on the PNG's own draw, and
refuses a chart whose text is clipped, overlapping, or across a line or marker.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import csvfile
from ..analysis import force_figures as ff
from ..analysis import measures as m
from ..analysis.periods import Period
from ..data import outcomes, tables
from ..errors import UserError
from . import numbers, sensitivity_text, style, wording
from .numbers import Printed
from .style import DESK, LAYOUTS, Frame, Layout, Margins

EW_SHORT = "England and Wales"
RATE_MEANS = "the share of offences closed that ended because the victim did not support further action (14 or 16)"


@dataclass
class Chart:
    key: str
    title: str
    subtitle: str
    alt: str
    caption: str
    data: pd.DataFrame  # the CSV beside the chart: exact values, human headings
    figures: list[Printed]  # every number the chart prints or says
    draw: Callable[[Layout], Frame]
    source: str = ""


@dataclass
class Saved:
    key: str
    title: str
    alt: str
    caption: str
    files: dict[str, str]  # png, png_phone, svg, csv -> file name
    figures: list[dict] = field(default_factory=list)


def save_chart(chart: Chart, folder: Path) -> Saved:
    """Both layouts' files and the CSV; a chart with a layout problem is refused (a bug to report)."""
    taken = sorted(p.name for p in folder.glob(f"{chart.key}[.-]*") if p.stem in (chart.key, f"{chart.key}-phone"))
    if taken:
        raise RuntimeError(f"chart {chart.key} would overwrite {', '.join(taken)} in {folder}: give it another key")
    files: dict[str, str] = {}
    for layout in LAYOUTS:
        frame = chart.draw(layout)
        saved, problems = style.save(frame.fig, folder / chart.key, layout)
        if problems:
            raise UserError(
                f"chart {chart.key} ({layout.name} layout) in {folder.name}: "
                + "; ".join(problems[:3])
                + " (a layout bug: report it with the force's name)"
            )
        for kind, path in saved.items():
            files[kind if layout is DESK else f"{kind}_{layout.name}"] = path.name
    csv = folder / f"{chart.key}.csv"
    csvfile.to_csv(chart.data, csv)
    files["csv"] = csv.name
    return Saved(chart.key, chart.title, chart.alt, chart.caption, files, [p.to_json() for p in chart.figures])


# ------------------------------------------------------------------------------------------- shared helpers
def nice_ticks(vmax: float, target: int = 5) -> list[float]:
    """Round tick values from 0 to at least vmax (0, 5, 10, ... or 0, 20, 40, ...)."""
    if not vmax or not math.isfinite(vmax) or vmax <= 0:
        return [0.0, 1.0]
    raw = vmax / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    top = step * math.ceil(vmax / step)
    return [round(i * step, 10) for i in range(round(top / step) + 1)]


def _tick_text(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}"


def _xlabel(text: str, layout: Layout, axis_in: float) -> tuple[str, float]:
    """An axis label wrapped to the axis's width, and the bottom margin it needs (with the tick labels)."""
    lines = style.wrap(text, layout.small_pt, axis_in)
    return "\n".join(lines), 0.34 + style.lines_height_in(len(lines), layout.small_pt)


def _ticks(vmax: float, xmax: float, layout: Layout, axis_in: float) -> list[float]:
    """Round tick values up to xmax, as many as fit the axis without their labels touching."""
    for target in (6, 5, 4, 3, 2):
        ticks = [t for t in nice_ticks(vmax, target) if t <= xmax]
        width = _max_width([_tick_text(t) for t in ticks], layout.small_pt) + 0.15
        if len(ticks) < 2 or (ticks[1] - ticks[0]) / xmax * axis_in >= width:
            return ticks
    return [0.0]  # not even two labels fit: the bars carry their values


def _max_width(texts, points: float, bold: bool = False) -> float:
    return max((style.text_width_in(t, points, bold) for t in texts), default=0.0)


def _headroom(vmax: float, label_in: float, axis_in: float) -> float:
    """The axis maximum that leaves room for a label of label_in inches after a bar reaching vmax."""
    share = min(0.7, (label_in + 0.08) / max(axis_in, 0.5))
    return vmax / (1 - share) if vmax > 0 else 1.0


def _empty(key: str, title: str, source: str, synthetic: bool, data: pd.DataFrame) -> Chart:
    """A chart with nothing to draw says so where the plot would be."""

    def draw(layout: Layout) -> Frame:
        frame = Frame(layout, title, "", source, 0.9, Margins(0.2, 0.2, 0.1, 0.0), synthetic=synthetic)
        frame.ax.axis("off")
        frame.ax.text(
            0.0,
            0.5,
            "Nothing to draw for this edition (see the notes).",
            transform=frame.ax.transAxes,
            fontsize=layout.body_pt,
            color=style.MUTED,
            va="center",
        )
        return frame

    return Chart(key, title, "", f"{title}.", title, data, [], draw, source)


def _direction(first: Printed, last: Printed) -> str:
    """How a rate moved between two printed values, in words."""
    c = numbers.compare(last, first)
    if c == 0:
        return "was unchanged"
    ratio = last.value / first.value if first.value else None
    if c > 0 and ratio and ratio >= 3:
        return "more than tripled" if ratio > 3 else "tripled"
    if c > 0 and ratio and ratio >= 2:
        return "more than doubled" if ratio > 2 else "doubled"
    if c < 0 and ratio is not None and ratio <= 0.5:
        return "more than halved" if ratio < 0.5 else "halved"
    return "rose" if c > 0 else "fell"


# ------------------------------------------------------------------------------------------- 1. by quarter
def rate_by_quarter(figs: ff.ForceFigures, source: str, synthetic: bool) -> Chart:
    """The force's rate each quarter against England and Wales's, as two lines; the title states how it moved from
    the first computable quarter to the last."""
    force, q = figs.force, figs.quarters
    quarters = list(q.drop_duplicates("quarter")["quarter"])  # the edition's quarters, in order
    mine = q[q["area"] == force.name].set_index("quarter")
    ew = q[q["area"] == m.EW].set_index("quarter")
    key = "rate_by_quarter"
    data = pd.DataFrame(
        {
            "Area": [EW_SHORT if a == m.EW else a for a in q["area"]],
            "Quarter": q["quarter"],
            "Quarter starts": q["quarter_start"].dt.strftime("%Y-%m-%d"),
            "Offences closed": q["offences_closed"].where(q["computable"]).astype("Int64"),
            "Victim did not support action (outcomes 14 + 16)": q["vdns"].where(q["computable"]).astype("Int64"),
            "Rate (% of offences closed, unrounded)": q["rate_pct"],
            "Caveats": [len(f) for f in q["flags"]],
        }
    )
    got = mine[mine["rate_pct"].notna()]
    if got.empty:
        return _empty(key, f"No quarter of this edition can be computed for {force.name}", source, synthetic, data)
    q0, qn = got.index[0], got.index[-1]
    first = numbers.percent(got.loc[q0, "rate_pct"], key=f"rate:{force.name}:{q0}")
    last = numbers.percent(got.loc[qn, "rate_pct"], key=f"rate:{force.name}:{qn}")
    ew_first = numbers.percent(ew["rate_pct"].get(q0), key=f"rate:{m.EW}:{q0}")
    ew_last = numbers.percent(ew["rate_pct"].get(qn), key=f"rate:{m.EW}:{qn}")
    title = _quarters_title(force, (q0, first), (qn, last))
    caveats = bool(q["flags"].map(len).gt(0).any())
    note = "Hollow markers: quarters whose figures carry a caveat (see the notes)." if caveats else ""
    subtitle = f"Each quarter: {RATE_MEANS}"
    figures = [first, last, ew_first, ew_last]

    def draw(layout: Layout) -> Frame:
        return _quarter_lines(layout, (title, subtitle, source, synthetic), note, q, force.name)

    alt = (
        f"Line chart of {RATE_MEANS}, each quarter from {quarters[0]} to {quarters[-1]}: {force.name} (solid line) "
        f"and England and Wales (dashed line). {force.name}: {first} in {q0}, {last} in {qn}. England and Wales: "
        f"{ew_first} in {q0}, {ew_last} in {qn}."
    )
    return Chart(key, title, subtitle, alt, title, data, figures, draw, source)


def _quarters_title(force, start: tuple[str, Printed], end: tuple[str, Printed]) -> str:
    """How the force's rate moved from its first computable quarter to its last (or its one quarter's rate)."""
    (q0, first), (qn, last) = start, end
    if q0 == qn:
        return f"In {qn}, {last} of offences closed by {force.prose} ended because the victim did not support action"
    how, whose = _direction(first, last), wording.possessive(wording.short_name(force.name, start=True))
    if how == "was unchanged":
        return f"{whose} rate {how} at {last}"
    return f"{whose} rate {how}, from {first} in {q0} to {last} in {qn}"


def _quarter_lines(
    layout: Layout, heading: tuple[str, str, str, bool], note: str, q: pd.DataFrame, force_name: str
) -> Frame:
    """The force's line and England and Wales's (dashed) over the edition's quarters, hollow markers on quarters
    with a caveat, each line named at its end; the x axis labels each financial year at its first quarter."""
    title, subtitle, source, synthetic = heading
    each = q.drop_duplicates("quarter")  # the edition's quarters, in order
    quarters, years, numbered = list(each["quarter"]), list(each["financial_year"]), list(each["fin_quarter"])
    names = {
        force_name: "\n".join(textwrap.wrap(force_name, 12, break_long_words=False)),
        m.EW: "England\nand Wales",
    }
    right = max(_max_width([names[force_name]], layout.small_pt, True), _max_width([names[m.EW]], layout.small_pt))
    right += 0.2
    ticks = nice_ticks(np.nanmax(q["rate_pct"].to_numpy(dtype=float)) * 1.1)
    left = _max_width([_tick_text(t) for t in ticks], layout.small_pt) + 0.45
    xlabel, bottom = _xlabel(
        "Financial year (labels mark its first quarter, April to June)", layout, layout.width_in - left - right
    )
    frame = Frame(
        layout,
        title,
        subtitle,
        source,
        2.6 if layout is DESK else 2.3,
        Margins(left, right, bottom),
        synthetic=synthetic,
        note=note,
    )
    ax = frame.ax
    style.style_axes(ax, layout, grid="y")
    x = np.arange(len(quarters))
    for area, colour, dash in ((force_name, style.FORCE, "-"), (m.EW, style.NATIONAL, "--")):
        part = q[q["area"] == area].set_index("quarter").reindex(quarters)
        y = part["rate_pct"].to_numpy(dtype=float)
        flagged = part["flags"].map(lambda f: bool(isinstance(f, list) and f)).to_numpy(dtype=bool)
        ax.plot(x, y, color=colour, linewidth=2.0, linestyle=dash, label=area, gid=area)
        ax.scatter(x[~flagged], y[~flagged], color=colour, s=22, zorder=3)
        ax.scatter(x[flagged], y[flagged], facecolor="white", edgecolor=colour, linewidth=1.5, s=28, zorder=3)
    firsts = [i for i, n in enumerate(numbered) if n == 1] or list(range(len(quarters)))
    label_w = _max_width([years[i] for i in firsts], layout.small_pt) + 0.1
    room = frame.layout.width_in - left - right
    step = max(1, math.ceil(len(firsts) * label_w / room))
    shown = firsts[::step]
    ax.set_xticks(shown, [years[i] for i in shown])
    ax.set_xticks(x, minor=True)
    ax.set_xlim(-0.4, len(quarters) - 0.6)
    ax.set_yticks(ticks, [_tick_text(t) for t in ticks])
    ax.set_ylim(0, ticks[-1])
    _end_labels(ax, layout, x, q, quarters, names)
    ax.set_ylabel("% of offences closed", fontsize=layout.small_pt)
    ax.set_xlabel(xlabel, fontsize=layout.small_pt, linespacing=style.LINE)
    return frame


def _end_labels(ax, layout, x, q, quarters, names) -> None:
    """Name each line at its last point, in the right margin, moved apart when they would overlap."""
    ends = []
    for area in names:
        part = q[q["area"] == area].set_index("quarter").reindex(quarters)["rate_pct"].to_numpy(dtype=float)
        ok = np.flatnonzero(~np.isnan(part))
        if len(ok):
            ends.append((area, float(part[ok[-1]])))
    if not ends:
        return
    lo, hi = ax.get_ylim()
    plot_in = ax.get_position().height * ax.figure.get_figheight()
    per_line = style.lines_height_in(1, layout.small_pt) * (hi - lo) / plot_in  # one text line, in data units
    ends.sort(key=lambda e: e[1])
    placed: list[tuple[float, int]] = []
    for area, v in ends:
        n = names[area].count("\n") + 1
        y = v
        if placed:
            below, lines_below = placed[-1]
            y = max(v, below + per_line * (lines_below + n) / 2 + per_line * 0.2)
        placed.append((y, n))
        colour = style.FORCE if area != m.EW else style.NATIONAL
        ax.annotate(
            names[area],
            xy=(1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=layout.small_pt,
            color=colour,
            fontweight="bold" if area != m.EW else "normal",
            annotation_clip=False,
        )


# ------------------------------------------------------------------------------------------- 2. by year
def rate_by_year(figs: ff.ForceFigures, source: str, synthetic: bool, release_of: dict[str, str] | None) -> Chart:
    """Each complete year's rate, the force's against England and Wales's, calendar and financial years in a panel
    each; the title states the change between the force's last two years of the kind it has more of."""
    force = figs.force
    key = "rate_by_year"
    table = _years(figs)
    data = table.drop(columns=["period"]).rename(
        columns={
            "kind": "Year type",
            "year": "Year",
            "area": "Area",
            "closed": "Offences closed",
            "vdns": "Victim did not support action (outcomes 14 + 16)",
            "rate": "Rate (% of offences closed, unrounded)",
            "caveats": "Caveats",
        }
    )
    if table.empty:
        return _empty(
            key, f"No year of this edition has every quarter present for {force.name}", source, synthetic, data
        )
    printed = {
        (r.kind, r.year, r.area): numbers.percent(
            r.rate, key=f"rate:{m.EW if r.area == EW_SHORT else r.area}:{r.period.label}"
        )
        for r in table.itertuples()
    }
    mine = table[table["area"] == force.name]
    kind = "calendar" if (mine["kind"] == "calendar").sum() >= 2 else "financial"
    series = mine[mine["kind"] == kind]
    title = _years_title(force, mine, series, printed)
    subtitle = f"Each complete year: {RATE_MEANS}. Years of the edition that lack a quarter are left out"
    subtitle += _releases_differ(series, release_of)
    kinds = [k for k in ("calendar", "financial") if (table["kind"] == k).any()]

    def draw(layout: Layout) -> Frame:
        return _year_panels(layout, (title, subtitle, source, synthetic), table, kinds, printed, force.name)

    alt = (
        f"Bar chart of {RATE_MEANS}, each complete year, {force.name} against England and Wales: "
        + "; ".join(
            f"{r.year} ({r.kind} year): {r.area} {printed[(r.kind, r.year, r.area)]}" for r in table.itertuples()
        )
        + "."
    )
    return Chart(key, title, subtitle, alt, title, data, list(printed.values()), draw, source)


def _years(figs: ff.ForceFigures) -> pd.DataFrame:
    """One row per complete year and area (the force, then England and Wales), calendar years first: kind, year (its
    short name), area, offences closed, outcomes 14 + 16, rate (%), caveats (how many), period."""
    rows = []
    for kind in ("calendar", "financial"):
        for period, f, e in figs.years.get(kind, []):
            for name, fig in ((figs.force.name, f), (EW_SHORT, e)):
                if fig.computable and fig.rate is not None:
                    rows.append(
                        {
                            "kind": kind,
                            "year": period.short,
                            "period": period,
                            "area": name,
                            "closed": fig.closed,
                            "vdns": fig.vdns,
                            "rate": 100 * fig.rate,
                            "caveats": len(fig.caveats),
                        }
                    )
    return pd.DataFrame(rows, columns=["kind", "year", "period", "area", "closed", "vdns", "rate", "caveats"])


def _years_title(force, mine: pd.DataFrame, series: pd.DataFrame, printed: dict) -> str:
    """The change between the last two years of the series, or the one year against England and Wales."""
    if len(series) >= 2:
        a, b = series.iloc[-2], series.iloc[-1]
        pa, pb = printed[(a["kind"], a["year"], force.name)], printed[(b["kind"], b["year"], force.name)]
        how, whose = _direction(pa, pb), wording.possessive(wording.short_name(force.name, start=True))
        if how == "was unchanged":
            return f"{whose} rate {how} at {pb} in {b['year']}"
        return f"{whose} rate {how}, from {pa} in {a['year']} to {pb} in {b['year']}"
    last = series.iloc[-1] if len(series) else mine.iloc[-1]
    ewv = printed.get((last["kind"], last["year"], EW_SHORT))
    return (
        f"In {last['year']}, {printed[(last['kind'], last['year'], force.name)]} of offences closed by "
        f"{force.prose} ended this way" + (f", against {ewv} across England and Wales" if ewv else "")
    )


def _releases_differ(series: pd.DataFrame, release_of: dict[str, str] | None) -> str:
    """When the series' last two years come from different releases, a sentence saying so ('' otherwise)."""
    if len(series) < 2 or not release_of:
        return ""
    years, periods = list(series["year"].iloc[-2:]), list(series["period"].iloc[-2:])
    rel = [tables.releases_for(p.financial_years, release_of) for p in periods]
    if rel[0] == rel[1]:
        return ""
    return (
        f". {years[0]} and {years[1]} come from different releases "
        f"({', '.join(sorted(set(rel[0] + rel[1])))}), so revisions may explain part of the change"
    )


def _year_panels(
    layout: Layout,
    heading: tuple[str, str, str, bool],
    table: pd.DataFrame,
    kinds: list[str],
    printed: dict,
    force_name: str,
) -> Frame:
    """A panel of bars per kind of year (calendar, financial), each bar's printed rate at its end."""
    title, subtitle, source, synthetic = heading
    sep = "  " if layout is DESK else "\n"
    labels = {(r.kind, r.year, r.area): f"{r.year}{sep}{r.area}" for r in table.itertuples()}
    left = _max_width(labels.values(), layout.small_pt) + 0.25
    axis_in = layout.width_in - left - 0.3
    vmax = float(table["rate"].max())
    xmax = _headroom(vmax, _max_width(printed.values(), layout.small_pt), axis_in)
    ticks = _ticks(vmax, xmax, layout, axis_in)
    xlabel, bottom = _xlabel("% of offences closed", layout, axis_in)
    rows_per = [int((table["kind"] == k).sum()) for k in kinds]
    height = (0.3 if layout is DESK else 0.42) * max(rows_per) + 0.35
    frame = Frame(
        layout,
        title,
        subtitle,
        source,
        height,
        Margins(left, 0.3, bottom, 0.25),
        nrows=len(kinds),
        gap_in=0.55,
        synthetic=synthetic,
    )
    for ax, k in zip(frame.axes, kinds):
        style.style_axes(ax, layout, grid="x")
        part = table[table["kind"] == k].reset_index(drop=True)
        y = np.arange(len(part))
        colours = [style.FORCE if a == force_name else style.NATIONAL for a in part["area"]]
        ax.barh(y, part["rate"], color=colours, height=0.7)
        for yi, r in zip(y, part.itertuples()):
            ax.text(
                r.rate,
                yi,
                f" {printed[(r.kind, r.year, r.area)]}",
                va="center",
                ha="left",
                fontsize=layout.small_pt,
                color=style.TEXT,
            )
        ax.set_yticks(y, [labels[(r.kind, r.year, r.area)] for r in part.itertuples()])
        ax.invert_yaxis()
        ax.set_xlim(0, xmax)
        ax.set_xticks(ticks, [_tick_text(t) for t in ticks])
        ax.set_title(f"{k.capitalize()} years", loc="left", fontsize=layout.small_pt, color=style.MUTED, pad=4)
    frame.axes[-1].set_xlabel(xlabel, fontsize=layout.small_pt, linespacing=style.LINE)
    return frame


# ------------------------------------------------------------------------------------------- 3. outcome mix
def outcome_mix(figs: ff.ForceFigures, source: str, synthetic: bool) -> Chart:
    """The force's share of offences closed by each outcome type in the latest financial year, England and Wales as a
    tick on each bar; the title states the type where the force differs most."""
    force, mix, fy = figs.force, figs.mix, figs.periods.get("financial")
    key = "outcome_mix"
    data = pd.DataFrame(
        {
            "Area": [EW_SHORT if a == m.EW else a for a in mix["area"]],
            "Financial year": fy.short if fy else "",
            "Outcome type": mix["outcome_type"],
            "Outcome": mix["outcome_type"].map(outcomes.OUTCOME_TYPES),
            "Offences closed with this outcome": mix["count"],
            "Share of offences closed (%, unrounded)": mix["share"],
        }
    )
    mine = mix[mix["area"] == force.name].set_index("outcome_type")
    ew = mix[mix["area"] == m.EW].set_index("outcome_type")
    if mine.empty or fy is None:
        return _empty(
            key, f"No financial year of this edition can be computed for {force.name}", source, synthetic, data
        )
    types = [t for t in mine.index if mine.loc[t, "count"] != 0 or ew["count"].get(t, 0) != 0]
    printed = {
        (a, t): numbers.small_share(tab.loc[t, "share"], key=f"mix:{a}:{fy.label}:{t}")
        for a, tab in ((force.name, mine), (m.EW, ew))
        for t in types
        if t in tab.index
    }
    title = _mix_title(force, mine, ew, types, printed)
    subtitle = (
        f"Share of all offences closed in {fy.label}, by outcome type: {force.name} (bars) and England and "
        "Wales (black ticks)"
    )
    shares = np.array([mine.loc[t, "share"] for t in types], dtype=float)
    ew_shares = _Reference(np.array([ew["share"].get(t, np.nan) for t in types], dtype=float), EW_SHORT)

    def draw(layout: Layout) -> Frame:
        labels = _wrapped([f"{t}: {outcomes.OUTCOME_TYPES[t]}" for t in types], layout, desk=40, phone=24)
        return _labelled_bars(
            layout,
            (title, subtitle, source, synthetic),
            labels,
            shares,
            [f" {printed[(force.name, t)]}" for t in types],
            style.FORCE,
            f"% of offences closed, {fy.label}",
            _Rows.fitted(labels),
            reference=ew_shares,
            room_for=[str(p) for p in printed.values()],
        )

    alt = (
        f"Bar chart of the share of offences closed by each outcome type in {fy.label}, {force.name} (bars) "
        f"against England and Wales (ticks). "
        + "; ".join(
            f"type {t}: {force.name} {printed[(force.name, t)]}"
            + (f", England and Wales {printed[(m.EW, t)]}" if (m.EW, t) in printed else "")
            for t in types
        )
        + "."
    )
    return Chart(key, title, subtitle, alt, title, data, list(printed.values()), draw, source)


def _mix_title(force, mine: pd.DataFrame, ew: pd.DataFrame, types: list[str], printed: dict) -> str:
    """The outcome type whose share differs most from England and Wales's, and which way."""
    diffs = [(abs(mine.loc[t, "share"] - ew.loc[t, "share"]), t) for t in types if t in ew.index]
    _, top = max(diffs) if diffs else (0, types[0])
    more = mine.loc[top, "share"] > ew["share"].get(top, 0)
    name = outcomes.OUTCOME_TYPES[top].lower()
    if (m.EW, top) in printed:
        return (
            f"Compared with England and Wales, {force.prose} closed a {'larger' if more else 'smaller'} share of "
            f"offences with outcome {top}, {name} ({printed[(force.name, top)]} against {printed[(m.EW, top)]})"
        )
    return f"Outcome {top}, {name}, closed {printed[(force.name, top)]} of offences closed by {force.prose}"


# ------------------------------------------------------------------------------------------- 4. offence groups
def offence_groups(figs: ff.ForceFigures, source: str, synthetic: bool) -> Chart:
    force, g = figs.force, figs.groups
    key = "offence_groups_14_16"
    fy = figs.periods.get("financial")
    data = pd.DataFrame(
        {
            "Offence group": g["group"],
            "Financial year": fy.short if fy else "",
            "Victim did not support action (outcomes 14 + 16)": g["vdns"],
            "Offences closed": g["closed"],
            "Share of the force's outcomes 14 + 16 (%, unrounded)": g["share"],
            "Rate in the group (% of offences closed, unrounded)": g["rate"],
        }
    )
    if g.empty or fy is None:
        return _empty(
            key,
            f"No offences closed by {force.name} ended with outcome 14 or 16 in a computable financial year",
            source,
            synthetic,
            data,
        )
    counts = [numbers.count(v, key=f"vdns:{force.name}:{fy.label}:{grp}") for grp, v in zip(g["group"], g["vdns"])]
    shares = [_group_share(s, f"share:{force.name}:{fy.label}:{grp}") for grp, s in zip(g["group"], g["share"])]
    top = g.iloc[0]
    title = (
        f"{top['group']} accounts for {shares[0]} of the offences {force.prose} closed in {fy.label} because "
        "the victim did not support action"
    )
    subtitle = (
        "Offences closed with outcome 14 or 16, by offence group; in brackets, the group's share of all the "
        "force's outcomes 14 and 16"
    )
    labels_text = [f" {c} ({s})" for c, s in zip(counts, shares)]

    def draw(layout: Layout) -> Frame:
        names = _wrapped(g["group"], layout, desk=30, phone=20)
        return _labelled_bars(
            layout,
            (title, subtitle, source, synthetic),
            names,
            g["vdns"].to_numpy(dtype=float),
            labels_text,
            [style.FORCE] * len(g),
            f"Offences closed with outcome 14 or 16, {fy.label}",
            _Rows.even(names, 0.32),
        )

    alt = (
        f"Bar chart of {possessive_force(force)} outcomes 14 and 16 by offence group in {fy.label}: "
        + "; ".join(f"{grp} {c} ({s})" for grp, c, s in zip(g["group"], counts, shares))
        + "."
    )
    return Chart(key, title, subtitle, alt, title, data, counts + shares, draw, source)


def possessive_force(force) -> str:
    return wording.possessive(wording.short_name(force.name))


def _group_share(share: float, key: str) -> Printed:
    """A share of a whole, to the whole per cent; a positive share under half a per cent is "<1%" (never "0%")."""
    if share is not None and 0 < share < 0.5:
        return Printed("<1%", float(share), key)
    return numbers.percent(share, 0, key)


# ------------------------------------------------------------------------------------------- 5. place
def place_among_forces(figs: ff.ForceFigures, source: str, synthetic: bool) -> Chart:
    force, ranked, period = figs.force, figs.place, figs.place_period
    key = "place_among_forces"
    if ranked is None or ranked.empty or period is None:
        return _empty(key, f"{force.name} cannot be ranked in this edition", source, synthetic, pd.DataFrame())
    r = ranked.sort_values("rate_pct", ascending=True).reset_index(drop=True)
    data = pd.DataFrame(
        {
            "Force": r["force"],
            "Period": period.label,
            "Rate (% of offences closed, unrounded)": r["rate_pct"],
            "Rank (1 = highest)": r["rank"],
            "Caveats": r["flags"].map(len),
            "This force": ["yes" if f == force.name else "" for f in r["force"]],
        }
    )
    n = len(r)
    me = r[r["force"] == force.name]
    ew_fig = next((h.ew for h in figs.headline if h.period == period), None)
    ew_rate = numbers.percent(100 * ew_fig.rate, key=f"rate:{m.EW}:{period.label}") if ew_fig and ew_fig.rate else None
    figures = [p for p in [ew_rate] if p is not None]
    of = numbers.spelled(n, key="ranked")
    if len(me):
        rank = int(me["rank"].iloc[0])
        tied = bool(me["tied"].iloc[0])
        mine = numbers.percent(me["rate_pct"].iloc[0], key=f"rate:{force.name}:{period.label}")
        figures.append(mine)
        words = _place(str(me["side"].iloc[0]), int(me["nth"].iloc[0]), tied)
        place = Printed(words.removeprefix("the "), rank, f"rank:{force.name}:{period.label}")
        figures += [place, of]
        title = (
            f"{wording.short_name(force.name, start=True)} had the {place} rate of the {of} territorial forces "
            f"ranked in {period.short}"
        )
    else:
        figures.append(of)
        mine, title = (
            None,
            f"{wording.short_name(force.name, start=True)} is not ranked in {period.short}: "
            + (
                "it polices the railways, not an area"
                if force.kind != "territorial"
                else "its outcomes are incomplete compared with the other forces'"
            )
            + f"; the {of} territorial forces ranked",
        )
    subtitle = f"{RATE_MEANS[0].upper()}{RATE_MEANS[1:]}, {period.label}; * marks a figure with a caveat"

    def draw(layout: Layout) -> Frame:
        names = [f + (" *" if c else "") for f, c in zip(r["force"], r["flags"].map(len))]
        left = _max_width(names, layout.small_pt, bold=True) + 0.25
        axis_in = layout.width_in - left - 0.3
        vmax = float(r["rate_pct"].max())
        label = f" {mine}" if mine else ""
        xmax = _headroom(vmax, _max_width([label], layout.small_pt, True) + 0.1, axis_in)
        xlabel, bottom = _xlabel(f"% of offences closed, {period.label}", layout, axis_in)
        frame = Frame(
            layout, title, subtitle, source, 0.19 * n + 0.2, Margins(left, 0.3, bottom, 0.3), synthetic=synthetic
        )
        ax = frame.ax
        style.style_axes(ax, layout, grid="x")
        y = np.arange(n)
        colours = [style.FORCE if f == force.name else style.OTHER for f in r["force"]]
        ax.barh(y, r["rate_pct"], color=colours, height=0.72)
        ax.set_yticks(y, names, fontsize=layout.small_pt)
        for lab, f in zip(ax.get_yticklabels(), r["force"]):
            if f == force.name:
                lab.set_fontweight("bold")
                lab.set_color(style.FORCE)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlim(0, xmax)
        ticks = _ticks(vmax, xmax, layout, axis_in)
        ax.set_xticks(ticks, [_tick_text(t) for t in ticks])
        if ew_rate is not None:
            _england_and_wales_line(ax, ew_rate, layout)
        if len(me):
            i = int(me.index[0])
            v = float(r.loc[i, "rate_pct"])
            at = v
            if ew_rate is not None and v <= ew_rate.value:  # a label after the bar would cross the reference line
                at = max(v, ew_rate.value) + vmax * 0.01
            ax.text(
                at, i, label, va="center", ha="left", fontsize=layout.small_pt, color=style.FORCE, fontweight="bold"
            )
        ax.set_xlabel(xlabel, fontsize=layout.small_pt, linespacing=style.LINE)
        return frame

    alt = f"Bar chart ranking the {n} police forces by {RATE_MEANS}, {period.label}."
    if mine:
        alt += f" {force.name}: {mine}, {place}."
    if ew_rate:
        alt += f" England and Wales: {ew_rate}."
    return Chart(key, title, subtitle, alt, title, data, figures, draw, source)


def _place(side: str, n: int, tied: bool) -> str:
    """A rank from the nearer end (analysis/ranking.py), in words for one to nine: 'the joint ninth highest', 'the 12th
    lowest', 'the lowest'."""
    return ("the joint " if tied else "the ") + (side if n == 1 else f"{numbers.ordinal_words(n)} {side}")


def force_charts(figs: ff.ForceFigures, release: str, synthetic: bool, release_of=None) -> list[Chart]:
    source = style.source_line(release, synthetic)
    return [
        rate_by_quarter(figs, source, synthetic),
        rate_by_year(figs, source, synthetic, release_of),
        outcome_mix(figs, source, synthetic),
        offence_groups(figs, source, synthetic),
        place_among_forces(figs, source, synthetic),
    ]


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
        labels = _wrapped(names, layout, desk=48, phone=26)
        return _labelled_bars(
            layout,
            (title, subtitle, source, synthetic),
            labels,
            rows["rate"].to_numpy(dtype=float),
            [f" {p}" for p in printed],
            [style.FORCE if i == 0 else style.NATIONAL for i in range(len(rows))],
            f"% of offences closed, {label}" if label else "% of offences closed",
            _Rows.even(labels, 0.34),
            empty_max=10.0,
        )

    alt = (
        f"Bar chart of the England and Wales rate for {label} under each method: "
        + "; ".join(f"{s}: {v}" for s, v in zip(names, printed))
        + "."
    )
    figures = printed + ([spread] if spread is not None and len(rows) > 1 else [])
    return Chart("rate-by-method", title, subtitle, alt, title, data, figures, draw, source)


# ------------------------------------------------------------------------------------------- stories
def _england_and_wales_line(ax, rate: Printed, layout: Layout) -> None:
    """The England and Wales rate as a dashed reference line, labelled with its printed figure above the axes."""
    ax.axvline(rate.value, color=style.NATIONAL, linestyle="--", linewidth=1.2, label="England and Wales", gid="ew")
    ax.annotate(
        f"England and Wales {rate}",
        xy=(rate.value, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=layout.small_pt,
        color=style.NATIONAL,
        gid="label:ew",
        annotation_clip=False,
    )


def _wrapped(names, layout: Layout, *, desk: int, phone: int) -> list[str]:
    """Bar names wrapped onto lines of at most `desk` (or, on a phone, `phone`) characters."""
    width = desk if layout is DESK else phone
    return ["\n".join(textwrap.wrap(str(n), width)) for n in names]


@dataclass(frozen=True)
class _Rows:
    """Where the rows of a horizontal bar chart sit, top to bottom: each bar's centre and height (data units), the
    plot's height (inches) and its y limits (None: matplotlib's own, turned upside down)."""

    y: np.ndarray
    bar: np.ndarray | float
    plot_in: float
    ylim: tuple[float, float] | None = None

    @staticmethod
    def _lines(names: list[str]) -> np.ndarray:
        return np.array([n.count("\n") + 1 for n in names]) if names else np.array([1])

    @classmethod
    def even(cls, names: list[str], row_in: float) -> _Rows:
        """Evenly spaced bars; the plot is as tall as its rows, each at least row_in and as tall as its name."""
        height = float(np.maximum(row_in, 0.17 * cls._lines(names) + 0.1).sum()) + 0.1
        return cls(np.arange(len(names)), 0.62, height)

    @classmethod
    def fitted(cls, names: list[str]) -> _Rows:
        """Each row as tall as its name (at least 0.3 in), its bar in proportion."""
        heights = np.maximum(0.3, 0.17 * cls._lines(names) + 0.08)
        y = np.concatenate([[0.0], np.cumsum((heights[:-1] + heights[1:]) / 2)])
        return cls(y, heights * 0.62, float(heights.sum()) + 0.2, (y[-1] + 0.5, -0.5))


@dataclass(frozen=True)
class _Reference:
    """A reference value for each bar (England and Wales), drawn as a tick across it and named above the first."""

    values: np.ndarray
    name: str


def _labelled_bars(
    layout: Layout,
    heading: tuple[str, str, str, bool],
    names: list[str],
    values,
    texts: list,
    colours,
    axis_label: str,
    rows: _Rows,
    *,
    empty_max: float = 1.0,
    reference: _Reference | None = None,
    room_for: list[str] | None = None,
) -> Frame:
    """Horizontal bars with their names (already wrapped) on the left and each bar's printed value at its end, after
    the reference tick when there is one; heading: title, subtitle, source and whether the data are SYNTHETIC.
    room_for: the texts the axis leaves room for after the longest bar (the bars' own texts unless given)."""
    title, subtitle, source, synthetic = heading
    left = _max_width(names, layout.small_pt) + 0.25
    axis_in = layout.width_in - left - 0.3
    vmax = float(max(values)) if len(values) else empty_max
    if reference is not None and not np.isnan(reference.values).all():
        vmax = max(vmax, float(np.nanmax(reference.values)))
    room = _max_width([str(t) for t in (texts if room_for is None else room_for)], layout.small_pt)
    xmax = _headroom(vmax, room, axis_in)
    xlabel, bottom = _xlabel(axis_label, layout, axis_in)
    top = 0.3 if reference is not None else Margins.top  # the reference's name sits above the first bar
    frame = Frame(layout, title, subtitle, source, rows.plot_in, Margins(left, 0.3, bottom, top), synthetic=synthetic)
    ax = frame.ax
    style.style_axes(ax, layout, grid="x")
    ax.barh(rows.y, values, color=colours, height=rows.bar)
    if reference is not None:
        ax.plot(
            reference.values,
            rows.y,
            linestyle="none",
            marker="|",
            markersize=13,
            markeredgewidth=2.2,
            color=style.NATIONAL,
            label=reference.name,
            gid="ew",
        )
    for i, (yi, v, text) in enumerate(zip(rows.y, values, texts)):
        at = v if reference is None else np.nanmax([v, reference.values[i]]) + vmax * 0.012
        ax.text(at, yi, str(text), va="center", ha="left", fontsize=layout.small_pt)
    ax.set_yticks(rows.y, names, fontsize=layout.small_pt)
    if rows.ylim is None:
        ax.invert_yaxis()
    else:
        ax.set_ylim(*rows.ylim)
    ticks = _ticks(vmax, xmax, layout, axis_in)
    ax.set_xticks(ticks, [_tick_text(t) for t in ticks])
    ax.set_xlim(0, xmax)
    ax.set_xlabel(xlabel, fontsize=layout.small_pt, linespacing=style.LINE)
    if reference is not None:
        ax.annotate(
            reference.name,
            xy=(reference.values[0], rows.y[0]),
            xycoords="data",
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=layout.small_pt,
            color=style.NATIONAL,
            annotation_clip=False,
            gid="label:ew",
        )
    return frame


def _bars(
    rows: list[tuple[str, float, Printed, bool]],
    title: str,
    subtitle: str,
    source: str,
    synthetic: bool,
    axis_label: str,
    ref: Printed | None = None,
    highlight_names: bool = False,
) -> Callable[[Layout], Frame]:
    """A horizontal bar chart: (label, value, printed value, highlighted) rows; an optional reference line."""

    def draw(layout: Layout) -> Frame:
        # labels wider than two fifths of the chart wrap onto more lines (force, period)
        room = layout.width_in * 0.4
        labels = ["\n".join(style.wrap(r[0], layout.small_pt, room, highlight_names)) for r in rows]
        left = max(_max_width(lab.split("\n"), layout.small_pt, bold=highlight_names) for lab in labels) + 0.25
        lines = max(lab.count("\n") + 1 for lab in labels)
        axis_in = layout.width_in - left - 0.3
        vmax = max([r[1] for r in rows] + [ref.value if ref is not None else 0.0]) or 1.0
        xmax = _headroom(vmax, _max_width([str(r[2]) for r in rows], layout.small_pt, True) + 0.1, axis_in)
        xlabel, bottom = _xlabel(axis_label, layout, axis_in)
        frame = Frame(
            layout,
            title,
            subtitle,
            source,
            max(0.6, (0.19 + 0.15 * (lines - 1)) * len(rows) + 0.25),
            Margins(left, 0.3, bottom, 0.3 if ref is not None else 0.1),
            synthetic=synthetic,
        )
        ax = frame.ax
        style.style_axes(ax, layout, grid="x")
        y = np.arange(len(rows))
        colours = [style.FORCE if r[3] else (style.OTHER if highlight_names else style.NATIONAL) for r in rows]
        ax.barh(y, [r[1] for r in rows], color=colours, height=0.72)
        ax.set_yticks(y, labels, fontsize=layout.small_pt)
        for lab, r in zip(ax.get_yticklabels(), rows):
            if r[3] and highlight_names:
                lab.set_fontweight("bold")
                lab.set_color(style.FORCE)
        ax.invert_yaxis()
        ax.set_xlim(0, xmax)
        ticks = _ticks(vmax, xmax, layout, axis_in)
        ax.set_xticks(ticks, [_tick_text(t) for t in ticks])
        for yi, r in zip(y, rows):
            if highlight_names and not r[3]:
                continue
            at = r[1]
            if ref is not None and r[1] <= ref.value:
                at = ref.value + vmax * 0.01
            ax.text(
                at,
                yi,
                f" {r[2]}",
                va="center",
                ha="left",
                fontsize=layout.small_pt,
                fontweight="bold" if r[3] else "normal",
                color=style.FORCE if r[3] else style.TEXT,
            )
        if ref is not None:
            _england_and_wales_line(ax, ref, layout)
        ax.set_xlabel(xlabel, fontsize=layout.small_pt, linespacing=style.LINE)
        return frame

    return draw


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
    draw = _bars(rows, title, subtitle, source, synthetic, axis)
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
        return _empty("ranking", "No force can be ranked", source, synthetic, pd.DataFrame())
    of = numbers.count(len(ranked), key="ranked")
    among = "territorial forces" if ranks.field.among == "territorial forces" else "police forces"
    what = "rate" if rate else "figure"
    if top:
        who = wording.join([wording.short_name(f) for f in top])
        title = (
            f"{who[0].upper()}{who[1:]} had the {'joint ' if len(top) > 1 else ''}highest {what} of the {of} "
            f"{among} ranked in {wording.period_name(period)}"
        )
    else:
        title = "No force can be ranked"
    unranked = [wording.force_name(f) for f, p in ranks.places.items() if p.why_not]
    subtitle = f"{spec.title}, {wording.period_name(period)}" + (
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
    draw = _bars(rows, title, subtitle, source, synthetic, axis, ref, highlight_names=True)
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
