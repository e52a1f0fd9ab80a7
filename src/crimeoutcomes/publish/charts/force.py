"""The five charts of a force's report: its rate by quarter and by year, its outcome mix, its offence groups and its
place among the forces."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from ...analysis import force_figures as ff
from ...analysis import measures as m
from ...data import outcomes, tables
from ..words import numbers, wording
from ..words.numbers import Printed
from . import style
from .chart import (
    EW_SHORT,
    RATE_MEANS,
    Chart,
    Reference,
    Rows,
    axis_label_text,
    axis_ticks,
    direction_word,
    empty_chart,
    england_and_wales_line,
    headroom,
    labelled_bars,
    nice_ticks,
    text_width,
    tick_text,
    wrapped_names,
)
from .style import DESK, Frame, Layout, Margins


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
        return empty_chart(key, f"No quarter of this edition can be computed for {force.name}", source, synthetic, data)
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
    how, whose = direction_word(first, last), wording.possessive(wording.short_name(force.name, start=True))
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
    right = max(text_width([names[force_name]], layout.small_pt, True), text_width([names[m.EW]], layout.small_pt))
    right += 0.2
    ticks = nice_ticks(np.nanmax(q["rate_pct"].to_numpy(dtype=float)) * 1.1)
    left = text_width([tick_text(t) for t in ticks], layout.small_pt) + 0.45
    xlabel, bottom = axis_label_text(
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
    label_w = text_width([years[i] for i in firsts], layout.small_pt) + 0.1
    room = frame.layout.width_in - left - right
    step = max(1, math.ceil(len(firsts) * label_w / room))
    shown = firsts[::step]
    ax.set_xticks(shown, [years[i] for i in shown])
    ax.set_xticks(x, minor=True)
    ax.set_xlim(-0.4, len(quarters) - 0.6)
    ax.set_yticks(ticks, [tick_text(t) for t in ticks])
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
        return empty_chart(
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
        how, whose = direction_word(pa, pb), wording.possessive(wording.short_name(force.name, start=True))
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
    left = text_width(labels.values(), layout.small_pt) + 0.25
    axis_in = layout.width_in - left - 0.3
    vmax = float(table["rate"].max())
    xmax = headroom(vmax, text_width(printed.values(), layout.small_pt), axis_in)
    ticks = axis_ticks(vmax, xmax, layout, axis_in)
    xlabel, bottom = axis_label_text("% of offences closed", layout, axis_in)
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
        style.bar_names(ax, y, [labels[(r.kind, r.year, r.area)] for r in part.itertuples()], layout)
        ax.invert_yaxis()
        ax.set_xlim(0, xmax)
        ax.set_xticks(ticks, [tick_text(t) for t in ticks])
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
        return empty_chart(
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
    ew_shares = Reference(np.array([ew["share"].get(t, np.nan) for t in types], dtype=float), EW_SHORT)

    def draw(layout: Layout) -> Frame:
        labels = wrapped_names([f"{t}: {outcomes.OUTCOME_TYPES[t]}" for t in types], layout, desk=40, phone=24)
        return labelled_bars(
            layout,
            (title, subtitle, source, synthetic),
            labels,
            shares,
            [f" {printed[(force.name, t)]}" for t in types],
            style.FORCE,
            f"% of offences closed, {fy.label}",
            Rows.fitted(labels),
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
        return empty_chart(
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
        names = wrapped_names(g["group"], layout, desk=30, phone=20)
        return labelled_bars(
            layout,
            (title, subtitle, source, synthetic),
            names,
            g["vdns"].to_numpy(dtype=float),
            labels_text,
            [style.FORCE] * len(g),
            f"Offences closed with outcome 14 or 16, {fy.label}",
            Rows.even(names, 0.32),
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
        return empty_chart(key, f"{force.name} cannot be ranked in this edition", source, synthetic, pd.DataFrame())
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
        left = text_width(names, layout.small_pt, bold=True) + 0.25
        axis_in = layout.width_in - left - 0.3
        vmax = float(r["rate_pct"].max())
        label = f" {mine}" if mine else ""
        xmax = headroom(vmax, text_width([label], layout.small_pt, True) + 0.1, axis_in)
        xlabel, bottom = axis_label_text(f"% of offences closed, {period.label}", layout, axis_in)
        frame = Frame(
            layout, title, subtitle, source, 0.19 * n + 0.2, Margins(left, 0.3, bottom, 0.3), synthetic=synthetic
        )
        ax = frame.ax
        style.style_axes(ax, layout, grid="x")
        y = np.arange(n)
        colours = [style.FORCE if f == force.name else style.OTHER for f in r["force"]]
        ax.barh(y, r["rate_pct"], color=colours, height=0.72)
        mine_at = {i for i, f in enumerate(r["force"]) if f == force.name}
        style.bar_names(ax, y, names, layout, bold=mine_at, colour=style.FORCE)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlim(0, xmax)
        ticks = axis_ticks(vmax, xmax, layout, axis_in)
        ax.set_xticks(ticks, [tick_text(t) for t in ticks])
        if ew_rate is not None:
            england_and_wales_line(ax, ew_rate, layout)
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
