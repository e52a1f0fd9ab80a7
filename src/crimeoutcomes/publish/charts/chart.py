"""Charts of a force report and of the sensitivity page, in the project's style (publish/charts/style.py).

Each chart is defined once, as a `Chart`: its title (stating the finding), alt text and caption, the table saved
beside it as CSV (exact values: the picture and the numbers never differ), every figure it prints (each formatted
once, by publish/words/numbers.py), and a `draw(layout)` that draws it for the desk or the phone layout.
`save_chart` draws
each layout once per saved format (PNG 2x for both, SVG for the desk), checks the layout on the PNG's own draw, and
refuses a chart whose text is clipped, overlapping, or across a line or marker.

This module holds `Chart`, `save_chart` and the drawing helpers the charts share (axes, ticks, labelled bars);
force.py, sensitivity.py and stories.py define the charts.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ... import csvfile
from ...errors import UserError
from ..words import numbers
from ..words.numbers import Printed
from . import style
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


def tick_text(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,g}"


def axis_label_text(text: str, layout: Layout, axis_in: float) -> tuple[str, float]:
    """An axis label wrapped to the axis's width, and the bottom margin it needs (with the tick labels)."""
    lines = style.wrap(text, layout.small_pt, axis_in)
    return "\n".join(lines), 0.34 + style.lines_height_in(len(lines), layout.small_pt)


def axis_ticks(vmax: float, xmax: float, layout: Layout, axis_in: float) -> list[float]:
    """Round tick values up to xmax, as many as fit the axis without their labels touching."""
    for target in (6, 5, 4, 3, 2):
        ticks = [t for t in nice_ticks(vmax, target) if t <= xmax]
        width = text_width([tick_text(t) for t in ticks], layout.small_pt) + 0.15
        if len(ticks) < 2 or (ticks[1] - ticks[0]) / xmax * axis_in >= width:
            return ticks
    return [0.0]  # not even two labels fit: the bars carry their values


def text_width(texts, points: float, bold: bool = False) -> float:
    return max((style.text_width_in(t, points, bold) for t in texts), default=0.0)


def headroom(vmax: float, label_in: float, axis_in: float) -> float:
    """The axis maximum that leaves room for a label of label_in inches after a bar reaching vmax."""
    share = min(0.7, (label_in + 0.08) / max(axis_in, 0.5))
    return vmax / (1 - share) if vmax > 0 else 1.0


def empty_chart(key: str, title: str, source: str, synthetic: bool, data: pd.DataFrame) -> Chart:
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


def direction_word(first: Printed, last: Printed) -> str:
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


# ------------------------------------------------------------------------------------------- stories
def england_and_wales_line(ax, rate: Printed, layout: Layout) -> None:
    """The England and Wales rate as a dashed reference line, labelled with its printed figure above the axes: centred
    on the line, or ending (starting) at it when a centred label would pass the figure's right (left) edge (a line
    near the longest bar and no label of the force's own to make room). Call it after the x limits are set."""
    ax.axvline(rate.value, color=style.NATIONAL, linestyle="--", linewidth=1.2, label="England and Wales", gid="ew")
    label = f"England and Wales {rate}"
    x0, x1 = ax.get_xlim()
    box, width_in = ax.get_position(), ax.figure.get_figwidth()
    at = box.x0 + box.width * ((rate.value - x0) / (x1 - x0) if x1 != x0 else 0.5)  # the line, as a figure fraction
    half = (text_width([label], layout.small_pt) / 2 + 0.05) / width_in
    ha = "right" if at + half > 1 else "left" if at - half < 0 else "center"
    ax.annotate(
        label,
        xy=(rate.value, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 4),
        textcoords="offset points",
        ha=ha,
        va="bottom",
        fontsize=layout.small_pt,
        color=style.NATIONAL,
        gid="label:ew",
        annotation_clip=False,
    )


def wrapped_names(names, layout: Layout, *, desk: int, phone: int) -> list[str]:
    """Bar names wrapped onto lines of at most `desk` (or, on a phone, `phone`) characters."""
    width = desk if layout is DESK else phone
    return ["\n".join(textwrap.wrap(str(n), width)) for n in names]


@dataclass(frozen=True)
class Rows:
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
    def even(cls, names: list[str], row_in: float) -> Rows:
        """Evenly spaced bars; the plot is as tall as its rows, each at least row_in and as tall as its name."""
        height = float(np.maximum(row_in, 0.17 * cls._lines(names) + 0.1).sum()) + 0.1
        return cls(np.arange(len(names)), 0.62, height)

    @classmethod
    def fitted(cls, names: list[str]) -> Rows:
        """Each row as tall as its name (at least 0.3 in), its bar in proportion."""
        heights = np.maximum(0.3, 0.17 * cls._lines(names) + 0.08)
        y = np.concatenate([[0.0], np.cumsum((heights[:-1] + heights[1:]) / 2)])
        return cls(y, heights * 0.62, float(heights.sum()) + 0.2, (y[-1] + 0.5, -0.5))


@dataclass(frozen=True)
class Reference:
    """A reference value for each bar (England and Wales), drawn as a tick across it and named above the first."""

    values: np.ndarray
    name: str


def labelled_bars(
    layout: Layout,
    heading: tuple[str, str, str, bool],
    names: list[str],
    values,
    texts: list,
    colours,
    axis_label: str,
    rows: Rows,
    *,
    empty_max: float = 1.0,
    reference: Reference | None = None,
    room_for: list[str] | None = None,
) -> Frame:
    """Horizontal bars with their names (already wrapped) on the left and each bar's printed value at its end, after
    the reference tick when there is one; heading: title, subtitle, source and whether the data are SYNTHETIC.
    room_for: the texts the axis leaves room for after the longest bar (the bars' own texts unless given)."""
    title, subtitle, source, synthetic = heading
    left = text_width(names, layout.small_pt) + 0.25
    axis_in = layout.width_in - left - 0.3
    vmax = float(max(values)) if len(values) else empty_max
    if reference is not None and not np.isnan(reference.values).all():
        vmax = max(vmax, float(np.nanmax(reference.values)))
    room = text_width([str(t) for t in (texts if room_for is None else room_for)], layout.small_pt)
    xmax = headroom(vmax, room, axis_in)
    xlabel, bottom = axis_label_text(axis_label, layout, axis_in)
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
    style.bar_names(ax, rows.y, names, layout)
    if rows.ylim is None:
        ax.invert_yaxis()
    else:
        ax.set_ylim(*rows.ylim)
    ticks = axis_ticks(vmax, xmax, layout, axis_in)
    ax.set_xticks(ticks, [tick_text(t) for t in ticks])
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


def bar_chart(
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
        left = max(text_width(lab.split("\n"), layout.small_pt, bold=highlight_names) for lab in labels) + 0.25
        lines = max(lab.count("\n") + 1 for lab in labels)
        axis_in = layout.width_in - left - 0.3
        vmax = max([r[1] for r in rows] + [ref.value if ref is not None else 0.0]) or 1.0
        xmax = headroom(vmax, text_width([str(r[2]) for r in rows], layout.small_pt, True) + 0.1, axis_in)
        xlabel, bottom = axis_label_text(axis_label, layout, axis_in)
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
        bold = {i for i, r in enumerate(rows) if r[3] and highlight_names}
        style.bar_names(ax, y, labels, layout, bold=bold, colour=style.FORCE)
        ax.invert_yaxis()
        ax.set_xlim(0, xmax)
        ticks = axis_ticks(vmax, xmax, layout, axis_in)
        ax.set_xticks(ticks, [tick_text(t) for t in ticks])
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
            england_and_wales_line(ax, ref, layout)
        ax.set_xlabel(xlabel, fontsize=layout.small_pt, linespacing=style.LINE)
        return frame

    return draw
