"""Charts of a force report and of the sensitivity page, in the project's style (publish/style.py).

Each chart function takes the table that is saved beside it as CSV (so the picture and the numbers never differ)
and returns a `Drawn`: the figure, its title (stating the finding) and an alt text generated from the data (what it
shows and its main number). `save_chart` writes PNG (2x), SVG and CSV atomically and refuses a chart whose text is
clipped or overlapping.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import csvfile
from ..analysis import force_figures as ff
from ..analysis.measures import EW, ew_label
from ..errors import UserError
from . import style

_RATE, _VDNS, _CLOSED = ff.RATE, ff.VDNS, ff.CLOSED
CAVEAT_NOTE = "Hollow markers: quarters whose figures carry a caveat (see the data notes)."


@dataclass
class Drawn:
    key: str
    fig: object
    title: str
    alt: str
    data: pd.DataFrame
    caption: str = ""


@dataclass
class Saved:
    key: str
    title: str
    alt: str
    caption: str
    files: dict[str, str]  # png, svg, csv -> file name


def save_chart(drawn: Drawn, folder: Path) -> Saved:
    problems = style.layout_problems(drawn.fig)
    if problems:
        raise UserError(
            f"chart {drawn.key} in {folder.name}: "
            + "; ".join(problems[:3])
            + " (a layout bug: report it with the force's name)"
        )
    files = style.save(drawn.fig, folder / drawn.key)
    csv = folder / f"{drawn.key}.csv"
    csvfile.to_csv(drawn.data, csv)
    return Saved(
        drawn.key, drawn.title, drawn.alt, drawn.caption, {**{k: p.name for k, p in files.items()}, "csv": csv.name}
    )


def _nothing(chart: style.Chart, message: str) -> None:
    """A chart with no data: say so where the plot would be (no empty axes)."""
    for ax in chart.axes:
        ax.axis("off")
    chart.ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        transform=chart.ax.transAxes,
        fontsize=style.BODY_PT,
        color=style.MUTED,
        wrap=True,
    )


def _short_area(label: str) -> str:
    return "England and Wales" if label.startswith(EW) else label


def _fmt_pct(v) -> str:
    return "–" if v is None or pd.isna(v) else f"{v:.1f}%"


# ------------------------------------------------------------------------------------------------ force charts
def rate_by_quarter(data: pd.DataFrame, force, source: str, synthetic: bool) -> Drawn:
    areas = list(dict.fromkeys(data["Area"]))
    quarters = list(dict.fromkeys(data["Quarter"]))
    mine = data[data["Area"] == force.name].set_index("Quarter")[_RATE]
    ew = data[data["Area"] != force.name].set_index("Quarter")[_RATE]
    last = mine.dropna().index[-1] if mine.notna().any() else None
    if last is not None:
        title = (
            f"In {last}, {mine[last]:.1f}% of offences closed by {force.prose} ended because the victim did not "
            f"support action (England and Wales: {_fmt_pct(ew.get(last))})"
        )
    else:
        title = f"No quarter of this edition can be computed for {force.name}"
    chart = style.Chart(
        title,
        "Share of offences closed in each quarter that ended with outcome 14 or 16 "
        "(evidential difficulties; the victim does not support further action)",
        source,
        3.6,
        synthetic=synthetic,
    )
    ax = chart.ax
    x = np.arange(len(quarters))
    for area, colour in zip(areas, (style.FORCE, style.NATIONAL)):
        part = data[data["Area"] == area].set_index("Quarter").reindex(quarters)
        y = part[_RATE].to_numpy(dtype=float)
        caveat = part["Data"].astype(str).str.startswith("with caveats").to_numpy()
        ax.plot(
            x,
            y,
            color=colour,
            linewidth=2.2,
            label=_short_area(area) + (" (without Greater Manchester)" if area.startswith(EW) else ""),
        )
        ax.scatter(x[~caveat], y[~caveat], color=colour, s=28, zorder=3)
        ax.scatter(x[caveat], y[caveat], facecolor="white", edgecolor=colour, linewidth=1.6, s=34, zorder=3)
    firsts = [i for i, q in enumerate(quarters) if q.endswith("Q1")] or list(range(len(quarters)))
    step = max(1, len(firsts) // 8)
    ticks = firsts[::step]
    ax.set_xticks(ticks, [quarters[i].split(" ")[0] for i in ticks])
    ax.set_xticks(x, minor=True)
    ax.set_xlabel("Financial year (labels mark Q1, April to June)")
    ax.set_ylabel("% of offences closed")
    ax.set_ylim(0, max(5, np.nanmax(data[_RATE].to_numpy(dtype=float)) * 1.18) if data[_RATE].notna().any() else 10)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    if data["Data"].astype(str).str.startswith("with caveats").any():
        ax.annotate(
            CAVEAT_NOTE,
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -44),
            textcoords="offset points",
            fontsize=style.SOURCE_PT,
            color=style.MUTED,
            va="top",
        )
    alt = (
        f"Line chart of the quarterly rate of offences closed because the victim did not support action, "
        f"{force.name} against England and Wales, {quarters[0]} to {quarters[-1]}."
    )
    if last is not None:
        alt += f" In {last}: {force.name} {mine[last]:.1f}%, England and Wales {_fmt_pct(ew.get(last))}."
    return Drawn("rate_by_quarter", chart.finish(), title, alt, data)


def rate_by_year(
    data: pd.DataFrame, force, source: str, synthetic: bool, release_of: dict[str, str] | None = None
) -> Drawn:
    kinds = [k for k in ("calendar", "financial") if (data["Year type"] == k).any()]
    mine = data[data["Area"] == force.name]
    title = f"No complete year of this edition can be computed for {force.name}"
    headline_kind = "calendar" if (mine["Year type"] == "calendar").sum() >= 2 else "financial"
    series = mine[mine["Year type"] == headline_kind]
    if len(series) >= 2:
        a, b = series.iloc[-2], series.iloc[-1]
        verb = (
            "rose"
            if round(b[_RATE], 1) > round(a[_RATE], 1)
            else ("fell" if round(b[_RATE], 1) < round(a[_RATE], 1) else "was unchanged")
        )
        title = (
            f"{force.name}'s rate {verb} from {a[_RATE]:.1f}% in {a['Year']} to {b[_RATE]:.1f}% in {b['Year']}"
            if verb != "was unchanged"
            else f"{force.name}'s rate was {b[_RATE]:.1f}% in both {a['Year']} and {b['Year']}"
        )
    elif len(series) == 1:
        b = series.iloc[-1]
        title = f"{force.name}'s rate was {b[_RATE]:.1f}% in {b['Year']}"
    subtitle = (
        "Share of offences closed in each complete year that ended with outcome 14 or 16; years of the "
        "edition that lack a quarter are left out"
    )
    if len(series) >= 2 and release_of:
        releases = [
            sorted(release_of.get(fy, "") for fy in _financial_years(y, headline_kind))
            for y in series["Year"].iloc[-2:]
        ]
        if releases[0] != releases[1]:
            subtitle += (
                f". {series['Year'].iloc[-2]} and {series['Year'].iloc[-1]} come from different releases ("
                f"{', '.join(sorted(set(releases[0] + releases[1])))}), so revisions may explain part of the "
                "change"
            )
    chart = style.Chart(
        title,
        subtitle,
        source,
        2.6 * max(1, len(kinds)),
        nrows=max(1, len(kinds)),
        sharey=True,
        synthetic=synthetic,
    )
    if not kinds:
        _nothing(chart, "No year of this edition has every quarter present")
    for ax, kind in zip(chart.axes, kinds):
        part = data[data["Year type"] == kind]
        years = list(dict.fromkeys(part["Year"]))
        width = 0.38
        for i, (area, colour) in enumerate(((force.name, style.FORCE), (None, style.NATIONAL))):
            sel = part[(part["Area"] == force.name) if area else (part["Area"] != force.name)].set_index("Year")
            values = sel.reindex(years)[_RATE].to_numpy(dtype=float)
            xs = np.arange(len(years)) + (i - 0.5) * width
            label = force.name if area else "England and Wales (without Greater Manchester)"
            ax.bar(xs, values, width=width, color=colour, label=label if kind == kinds[0] else None)
            if len(years) <= 8:
                for xv, v in zip(xs, values):
                    if not np.isnan(v):
                        ax.text(xv, v, f"{v:.1f}", ha="center", va="bottom", fontsize=9, color=style.TEXT)
        ax.set_xticks(range(len(years)), years)
        ax.set_xlim(-0.8, max(len(years) - 0.2, 2.2))
        ax.set_ylabel("% of offences closed")
        ax.set_title(f"{kind.capitalize()} years", loc="right", fontsize=style.BODY_PT, color=style.MUTED)
        top = np.nanmax(data[_RATE].to_numpy(dtype=float)) if len(data) else 10  # one scale for both panels
        ax.set_ylim(0, top * 1.25)
        ax.grid(axis="x", visible=False)
    if kinds:
        chart.axes[0].legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1)
    alt = f"Bar chart of the yearly rate for {force.name} against England and Wales. " + " ".join(
        f"{r['Year']}: {r[_RATE]:.1f}%." for _, r in mine.iterrows()
    )
    return Drawn("rate_by_year", chart.finish(), title, alt, data)


def _financial_years(year: str, kind: str) -> list[str]:
    from ..analysis.periods import Period

    p = Period.parse(year if kind == "financial" else f"calendar {year}")
    return p.financial_years


def outcome_mix(data: pd.DataFrame, force, source: str, synthetic: bool) -> Drawn:
    mine = data[data["Area"] == force.name]
    fy = data["Financial year"].iloc[0] if len(data) else ""
    if len(mine):
        top = mine.sort_values("Share of offences closed (%)", ascending=False).iloc[0]
        title = (
            f"The most common outcome of offences closed by {force.prose} in {fy} was type {top['Outcome type']}, "
            f"{top['Outcome'].lower()} ({top['Share of offences closed (%)']:.1f}%)"
        )
    else:
        title = f"No financial year of this edition can be computed for {force.name}"
    types = list(dict.fromkeys(data["Outcome type"]))
    labels = {
        r["Outcome type"]: "\n".join(textwrap.wrap(f"{r['Outcome type']}: {r['Outcome']}", 42))
        for _, r in data.drop_duplicates("Outcome type").iterrows()
    }
    # each row as tall as its label needs (labels wrap to up to three lines)
    heights = np.array([max(0.36, 0.17 * labels[t].count("\n") + 0.2) for t in types])
    chart = style.Chart(
        title,
        f"Share of all offences closed in financial year {fy}, by outcome type",
        source,
        max(3.0, heights.sum() + 0.9),
        synthetic=synthetic,
    )
    ax = chart.ax
    y = np.concatenate([[0.0], np.cumsum((heights[:-1] + heights[1:]) / 2)]) / 0.36 if len(types) else np.arange(0)
    h = 0.38
    for i, (sel, colour, label) in enumerate(
        (
            (data["Area"] == force.name, style.FORCE, force.name),
            (data["Area"] != force.name, style.NATIONAL, ew_label()),
        )
    ):
        values = (
            data[sel].set_index("Outcome type").reindex(types)["Share of offences closed (%)"].to_numpy(dtype=float)
        )
        ax.barh(y + (i - 0.5) * h, values, height=h, color=colour, label=label)
        if i == 0:
            for yv, v in zip(y, values):
                if not np.isnan(v):
                    ax.text(v, yv - 0.5 * h, f" {v:.1f}%", va="center", ha="left", fontsize=9, color=style.TEXT)
    ax.set_yticks(y, [labels[t] for t in types], fontsize=9)
    ax.set_xlabel(f"% of offences closed, financial year {fy}")
    xmax = np.nanmax(data["Share of offences closed (%)"].to_numpy(dtype=float)) if len(data) else 10
    ax.set_xlim(0, xmax * 1.2)
    ax.set_ylim(y[-1] + 0.8 if len(types) else 1, -0.8)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1)
    alt = (
        f"Horizontal bar chart of the share of offences closed by each outcome type in {fy}, {force.name} against "
        f"England and Wales."
    )
    if len(mine):
        share = top["Share of offences closed (%)"]
        alt += f" Largest for {force.name}: type {top['Outcome type']} ({top['Outcome']}), {share:.1f}%."
    return Drawn("outcome_mix", chart.finish(), title, alt, data)


def offence_groups(data: pd.DataFrame, force, source: str, synthetic: bool) -> Drawn:
    share = "Share of the force's outcomes 14 + 16 (%)"
    fy = data["Financial year"].iloc[0] if len(data) else ""
    if len(data):
        top = data.iloc[0]
        title = (
            f"{top['Offence group']} accounts for {top[share]:.0f}% of the offences {force.prose} closed in {fy} "
            "because the victim did not support action"
        )
    else:
        title = f"No offences closed by {force.name} ended with outcome 14 or 16 in this edition"
    chart = style.Chart(
        title,
        "Offences closed with outcome 14 or 16, by offence group (groups with none left out); "
        "in brackets, the group's share of all the force's outcomes 14 and 16",
        source,
        max(2.4, 0.45 * len(data) + 0.6),
        synthetic=synthetic,
    )
    ax = chart.ax
    y = np.arange(len(data))
    labels = ["\n".join(textwrap.wrap(str(g), 30)) for g in data["Offence group"]]
    ax.barh(y, data[_VDNS].to_numpy(dtype=float), color=style.FORCE, height=0.62)
    for yv, (_, r) in zip(y, data.iterrows()):
        part = f"{r[share]:.0f}%" if r[share] >= 0.5 else "<1%"
        ax.text(r[_VDNS], yv, f" {r[_VDNS]:,} ({part})", va="center", ha="left", fontsize=9.5)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    xmax = float(data[_VDNS].max()) if len(data) else 1.0
    ax.set_xlim(0, max(1.0, xmax) * 1.3)
    ax.set_xlabel(f"Offences closed with outcome 14 or 16, financial year {fy}")
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    alt = f"Horizontal bar chart of {force.name}'s outcomes 14 and 16 by offence group in {fy}."
    if len(data):
        alt += f" Largest: {top['Offence group']}, {top[_VDNS]:,} ({top[share]:.0f}%)."
    return Drawn("offence_groups_14_16", chart.finish(), title, alt, data)


def place_among_forces(data: pd.DataFrame, force, ew_rate: float | None, source: str, synthetic: bool) -> Drawn:
    period = data["Period"].iloc[0] if len(data) else ""
    ranked = data.sort_values(_RATE, ascending=True).reset_index(drop=True)
    me = ranked[ranked["Force"] == force.name]
    n = len(ranked)
    if len(me):
        rank = int(me["Rank (1 = highest)"].iloc[0])
        from_bottom = n - rank + 1
        place = (
            "the highest"
            if rank == 1
            else "the lowest"
            if rank == n
            else f"the {_ordinal(rank) if rank > 2 else 'second'} highest"
            if rank <= from_bottom
            else f"the {_ordinal(from_bottom) if from_bottom > 2 else 'second'} lowest"
        )
        title = f"{force.name} had {place} rate of the {n} forces in {period.replace('calendar ', '')}"
    else:
        title = f"{force.name} cannot be ranked in this edition"
    chart = style.Chart(
        title,
        "Share of offences closed that ended because the victim did not support action; "
        "* marks figures with a caveat (see data notes)",
        source,
        max(3.0, 0.2 * n + 0.8),
        synthetic=synthetic,
    )
    ax = chart.ax
    y = np.arange(n)
    colours = [style.FORCE if f == force.name else style.OTHER for f in ranked["Force"]]
    ax.barh(y, ranked[_RATE], color=colours, height=0.7)
    names = [f + (" *" if d != "complete" else "") for f, d in zip(ranked["Force"], ranked["Data"])]
    ax.set_yticks(y, names, fontsize=9)
    for label, f in zip(ax.get_yticklabels(), ranked["Force"]):
        if f == force.name:
            label.set_fontweight("bold")
            label.set_color(style.FORCE)
    if len(me):
        i = int(me.index[0])
        ax.text(
            ranked.loc[i, _RATE],
            i,
            f" {ranked.loc[i, _RATE]:.1f}%",
            va="center",
            ha="left",
            fontsize=9.5,
            color=style.FORCE,
            fontweight="bold",
        )
    ax.set_xlim(0, (ranked[_RATE].max() if n else 10) * 1.18)
    ax.set_ylim(-0.7, n - 0.3)
    if ew_rate is not None:
        ax.axvline(ew_rate, color=style.NATIONAL, linestyle="--", linewidth=1.2)
        ax.annotate(
            f"England and Wales {ew_rate:.1f}%",
            xy=(ew_rate, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9.5,
            color=style.NATIONAL,
        )
    ax.set_xlabel(f"% of offences closed, {period}")
    ax.grid(axis="y", visible=False)
    alt = f"Horizontal bar chart ranking the {n} police forces by the rate in {period}."
    if len(me):
        alt += f" {force.name}: {me[_RATE].iloc[0]:.1f}%, ranked {rank} of {n}" + (
            f"; England and Wales {ew_rate:.1f}%." if ew_rate is not None else "."
        )
    return Drawn("place_among_forces", chart.finish(), title, alt, data)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _empty(key: str, title: str, data: pd.DataFrame, source: str, synthetic: bool) -> Drawn:
    chart = style.Chart(title, "", source, 1.0, synthetic=synthetic)
    _nothing(chart, "Nothing to draw for this edition (see the data notes)")
    return Drawn(key, chart.finish(), title, f"{title}.", data)


def force_charts(
    figs: ff.ForceFigures, release: str, synthetic: bool, release_of: dict[str, str] | None = None
) -> list[Drawn]:
    source = style.source_line(release, synthetic)
    c = figs.charts
    name = figs.force.name
    ew_rate = None
    period = figs.periods.get("calendar") or figs.periods.get("financial")
    if period is not None:
        rows = c["rate_by_year"]
        hit = rows[(rows["Area"] != name) & (rows["Year"] == period.short)]
        ew_rate = float(hit[_RATE].iloc[0]) if len(hit) else None
    plans = [
        (
            "rate_by_quarter",
            c["rate_by_quarter"][_RATE].notna().any(),
            f"No quarter of this edition can be computed for {name}",
            lambda: rate_by_quarter(c["rate_by_quarter"], figs.force, source, synthetic),
        ),
        (
            "rate_by_year",
            len(c["rate_by_year"]) > 0,
            f"No year of this edition has every quarter present for {name}",
            lambda: rate_by_year(c["rate_by_year"], figs.force, source, synthetic, release_of),
        ),
        (
            "outcome_mix",
            len(c["outcome_mix"]) > 0,
            "No financial year of this edition can be computed for England and Wales",
            lambda: outcome_mix(c["outcome_mix"], figs.force, source, synthetic),
        ),
        (
            "offence_groups_14_16",
            len(c["offence_groups_14_16"]) > 0,
            f"No offences closed by {name} ended with outcome 14 or 16 in a computable financial year",
            lambda: offence_groups(c["offence_groups_14_16"], figs.force, source, synthetic),
        ),
        (
            "place_among_forces",
            len(c["place_among_forces"]) > 0,
            f"{name} cannot be ranked in this edition",
            lambda: place_among_forces(c["place_among_forces"], figs.force, ew_rate, source, synthetic),
        ),
    ]
    return [
        draw() if has_data else _empty(key, title, c[key], source, synthetic) for key, has_data, title, draw in plans
    ]


# ------------------------------------------------------------------------------------------------ sensitivity
def sensitivity_national(national: pd.DataFrame, source: str, synthetic: bool) -> Drawn:
    rate = "Rate (% of offences closed)"
    if len(national):
        spread = national.groupby("Period")[rate].agg(["min", "max"])
        widest = (spread["max"] - spread["min"]).idxmax()
        title = (
            f"The England and Wales rate moves by up to {spread.loc[widest, 'max'] - spread.loc[widest, 'min']:.1f}"
            f" points depending on the method ({widest})"
        )
    else:
        title = "No period of this edition can be computed for England and Wales"
    rows = national.reset_index(drop=True)
    labels = ["\n".join(textwrap.wrap(f"{s} ({p})", 52)) for s, p in zip(rows["Scenario"], rows["Period"])]
    chart = style.Chart(
        title,
        "Share of offences closed that ended because the victim did not support action, "
        "England and Wales, under each choice of method",
        source,
        max(2.5, 0.48 * len(rows) + 0.5),
        synthetic=synthetic,
    )
    ax = chart.ax
    y = np.arange(len(rows))
    colours = [style.FORCE if i == 0 else style.NATIONAL for i in range(len(rows))]
    ax.barh(y, rows[rate], color=colours, height=0.6)
    for yv, v in zip(y, rows[rate]):
        ax.text(v, yv, f" {v:.2f}%", va="center", fontsize=9.5)
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, (rows[rate].max() if len(rows) else 10) * 1.2)
    ax.set_xlabel("% of offences closed")
    ax.grid(axis="y", visible=False)
    alt = (
        "Horizontal bar chart of the England and Wales rate under each method: "
        + "; ".join(f"{s}, {p}: {v:.2f}%" for s, p, v in zip(rows["Scenario"], rows["Period"], rows[rate]))
        + "."
    )
    return Drawn("national", chart.finish(), title, alt, national)
