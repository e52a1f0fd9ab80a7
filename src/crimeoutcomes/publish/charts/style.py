"""The project's one chart style (in the spirit of the BBC's bbplot and the FT's chart conventions), for two layouts.

- a chart is defined once and drawn for a desk (8 inches wide) and a phone (3.7 inches wide: shown 370 px wide on a
  390 px phone, its smallest text, 9 pt, is 12.5 CSS px);
- a title that states the finding, a subtitle that says what is measured, labelled axes, direct labels (never a
  legend that relies on colour alone), no chart junk;
- colours that pass contrast on white (WCAG 1.4.11: at least 3:1 for marks, 4.5:1 for text); the force in focus and
  England and Wales also differ in shape (bars against ticks, solid against dashed lines);
- a source line naming the Home Office release and the licence (and SYNTHETIC DATA when it is);
- the plot is placed by measuring its labels with the font (no tight_layout, which draws the figure again);
- saved as PNG at twice the screen resolution (and, for the desk layout, SVG with live text), each written
  atomically; `layout_problems` checks the PNG's own draw: no text outside the figure, no text over other text,
  no text across a reference line or a marker.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import transforms
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from ...atomic import atomic_path

FORCE = "#B2182B"  # the force in focus: 6.6:1 on white
NATIONAL = "#262626"  # England and Wales: 15:1 on white; 2.3:1 against FORCE, and always a different shape
OTHER = "#8C8C8C"  # other forces: 3.4:1 (marks)
TEXT = "#1A1A1A"
MUTED = "#4D4D4D"  # secondary text: 8.5:1
GRID = "#DDDDDD"
DPI = 100  # screen resolution; PNGs are saved at 2x
LICENCE = "Open Government Licence v3.0"
FONT = "DejaVu Sans"
LINE = 1.3  # line spacing of wrapped text


@dataclass(frozen=True)
class Layout:
    name: str
    width_in: float
    title_pt: float
    subtitle_pt: float
    body_pt: float
    small_pt: float  # tick labels, value labels, the source line: never under 9 pt
    suffix: str  # file name suffix: chart.png, chart-phone.png
    svg: bool  # also saved as SVG (live text, for download)


DESK = Layout("desk", 8.0, 13.0, 10.5, 10.0, 9.5, "", True)
PHONE = Layout("phone", 3.7, 11.5, 9.5, 9.5, 9.0, "-phone", False)
LAYOUTS = (DESK, PHONE)

RC = {
    "font.family": FONT,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "both",
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": TEXT,
    "ytick.labelcolor": TEXT,
    "svg.fonttype": "none",
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.hashsalt": "crimeoutcomes",
    "text.parse_math": False,  # a "$" in a title (a story spec's) is a dollar sign, never mathtext
}
plt.rcParams.update(RC)

_TEXT_TO_PATH = TextToPath()


def source_line(release: str, synthetic: bool) -> str:
    head = "SYNTHETIC DATA generated for testing, not Home Office statistics. " if synthetic else ""
    return f"{head}Source: Home Office, Police recorded crime and outcomes open data tables, {release}. {LICENCE}."


@functools.lru_cache(maxsize=20_000)
def text_width_in(text: str, points: float, bold: bool = False) -> float:
    """The width of one line of text as the chart's font draws it, in inches (measured, not estimated; the same
    labels recur in every force's charts, so measurements are kept)."""
    prop = FontProperties(family=FONT, size=points, weight="bold" if bold else "normal")
    return (
        max(
            (_TEXT_TO_PATH.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n")),
            default=0.0,
        )
        / 72
    )


#: text is wrapped to this share of the room it has: glyphs hinted at screen resolution draw a little wider than the
#: font's outlines measure (up to about 0.5% at 1x), and the SVG is laid out at 1x
WRAP_SLACK = 0.97


def _units(text: str) -> list[str]:
    """The words of a text, a number kept with the word after it ("0.32 points", "44 forces"): a line never ends
    on a figure whose unit starts the next."""
    out: list[str] = []
    for word in text.split():
        if out and out[-1][-1:].isdigit() and " " not in out[-1]:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def wrap(text: str, points: float, width_in: float, bold: bool = False) -> list[str]:
    """Lines of text that fit the width, each line's width measured with the font (with WRAP_SLACK to spare)."""
    lines: list[str] = []
    for word in _units(text):
        if lines and text_width_in(f"{lines[-1]} {word}", points, bold) <= width_in * WRAP_SLACK:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def lines_height_in(n: int, points: float) -> float:
    return n * points * LINE / 72


PAD = 0.16  # inches between the figure's edge and its text


@dataclass
class Margins:
    """Room the plot needs around it, in inches: tick labels, axis labels, direct labels."""

    left: float = 0.5
    right: float = 0.25
    bottom: float = 0.45
    top: float = 0.1


class Frame:
    """A figure for one layout: a title block above the plot, a source block below it, and axes placed by their
    measured margins."""

    def __init__(
        self,
        layout: Layout,
        title: str,
        subtitle: str,
        source: str,
        plot_height_in: float,
        margins: Margins,
        *,
        nrows: int = 1,
        gap_in: float = 0.35,
        synthetic: bool = False,
        note: str = "",
    ):
        self.layout = layout
        width = layout.width_in
        room = width - 2 * PAD
        title_lines = wrap(("SYNTHETIC DATA: " if synthetic else "") + title, layout.title_pt, room, bold=True)
        subtitle_lines = wrap(subtitle, layout.subtitle_pt, room) if subtitle else []
        note_lines = wrap(note, layout.small_pt, room) if note else []
        source_lines = wrap(source, layout.small_pt, room)
        top = PAD + lines_height_in(len(title_lines), layout.title_pt)
        top += (0.06 + lines_height_in(len(subtitle_lines), layout.subtitle_pt)) if subtitle_lines else 0
        top += 0.12 + margins.top
        bottom = PAD + lines_height_in(len(source_lines), layout.small_pt) + 0.08
        bottom += (lines_height_in(len(note_lines), layout.small_pt) + 0.06) if note_lines else 0
        bottom += margins.bottom
        self.height = top + nrows * plot_height_in + (nrows - 1) * gap_in + bottom
        self.fig: Figure = plt.figure(figsize=(width, self.height), dpi=DPI)
        h = self.height
        self.axes = []
        for i in range(nrows):
            y0 = bottom + (nrows - 1 - i) * (plot_height_in + gap_in)
            self.axes.append(
                self.fig.add_axes(
                    (margins.left / width, y0 / h, (width - margins.left - margins.right) / width, plot_height_in / h)
                )
            )
        self.ax = self.axes[0]
        self._text(PAD, h - PAD, title_lines, layout.title_pt, TEXT, bold=True)
        if subtitle_lines:
            y = h - PAD - lines_height_in(len(title_lines), layout.title_pt) - 0.06
            self._text(PAD, y, subtitle_lines, layout.subtitle_pt, MUTED)
        self._text(PAD, PAD, source_lines, layout.small_pt, MUTED, va="bottom")
        if note_lines:
            y = PAD + lines_height_in(len(source_lines), layout.small_pt) + 0.08
            self._text(PAD, y, note_lines, layout.small_pt, MUTED, va="bottom")

    def _text(self, x_in, y_in, lines, points, colour, bold=False, va="top"):
        self.fig.text(
            x_in / self.layout.width_in,
            y_in / self.height,
            "\n".join(lines),
            fontsize=points,
            fontweight="bold" if bold else "normal",
            va=va,
            ha="left",
            color=colour,
            linespacing=LINE,
        )


TICK_LENGTH = 3.0  # points


def style_axes(ax, layout: Layout, *, grid: str = "x") -> None:
    """The house look for one axes: light grid on one axis, tick labels at the small size."""
    ax.grid(axis="y" if grid == "x" else "x", visible=False)
    ax.grid(axis=grid, visible=True)
    ax.tick_params(labelsize=layout.small_pt, length=TICK_LENGTH)


def bar_names(ax, y, names, layout: Layout, *, bold: Collection[int] = (), colour: str = TEXT) -> list[Text]:
    """Each bar's name to the left of the axis, as a tick label sits (right-aligned, centred on its bar, the tick's
    length and pad away from the axis, the small size), drawn as a plain text with no tick mark: matplotlib makes a
    tick in about a millisecond and a half (five artists), and a ranking of 44 forces in two layouts made 88.
    bold: the positions of the names drawn in bold, in `colour`."""
    ax.set_yticks([])
    gap = TICK_LENGTH + plt.rcParams["ytick.major.pad"]
    at = transforms.offset_copy(ax.get_yaxis_transform(), fig=ax.figure, x=-gap, units="points")
    return [
        ax.text(
            0,
            yi,
            name,
            transform=at,
            ha="right",
            va="center_baseline",
            fontsize=layout.small_pt,
            fontweight="bold" if i in bold else "normal",
            color=colour if i in bold else TEXT,
        )
        for i, (yi, name) in enumerate(zip(y, names))
    ]


# ------------------------------------------------------------------------------------------- saving and checking
def _texts(fig: Figure, renderer) -> list[tuple[Text, object]]:
    """Every visible, non-empty text the figure drew, with its box (tick labels only for ticks in the view)."""
    undrawn: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            drawn = {id(t) for t in axis._update_ticks()} if ax.axison else set()
            for tick in axis.majorTicks + axis.minorTicks:
                if id(tick) not in drawn:
                    undrawn.update((id(tick.label1), id(tick.label2)))
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in undrawn]
    return [(t, t.get_window_extent(renderer)) for t in texts]


def _marks(fig: Figure, renderer) -> list[tuple[str, object, list]]:
    """Reference lines and markers that text must not cross: (what, line, its points in display coordinates).
    Grid lines, spines and tick marks are not marks; data lines are (labels must not sit on them either)."""
    out = []
    for ax in fig.axes:
        for line in ax.get_lines():
            if not line.get_visible() or line.get_gid() == "ignore":
                continue
            xy = line.get_transform().transform(line.get_xydata())
            out.append((line.get_label() or "a line", line, xy))
    return out


def _crosses(box, xy, markers_only: bool = False) -> bool:
    """Does a text box meet a polyline, or one of its points (markers)?"""
    if markers_only or len(xy) == 1:
        return any(box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1 for x, y in xy if np.isfinite([x, y]).all())
    for (x0, y0), (x1, y1) in itertools.pairwise(xy):
        if not (np.isfinite([x0, y0, x1, y1]).all()):
            continue
        # sample the segment densely enough to catch a crossing of the box (boxes are at least a few px)
        n = int(max(abs(x1 - x0), abs(y1 - y0)) // 2) + 2
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        inside = (xs > box.x0 + 1) & (xs < box.x1 - 1) & (ys > box.y0 + 1) & (ys < box.y1 - 1)
        if inside.any():
            return True
    return False


def layout_problems(fig: Figure, renderer=None) -> list[str]:
    """Text outside the figure, text over text, or text across a reference line, a data line or a marker (an empty
    list when the chart is clean). With `renderer`, the check reads the draw that just happened (no draw of its own)."""
    if renderer is None:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
    box = fig.bbox
    boxes = _texts(fig, renderer)
    problems = []
    for t, b in boxes:
        if b.x0 < box.x0 - 1 or b.y0 < box.y0 - 1 or b.x1 > box.x1 + 1 or b.y1 > box.y1 + 1:
            problems.append(f"text outside the figure: {t.get_text()[:40]!r}")
    for i, (t1, b1) in enumerate(boxes):
        for t2, b2 in boxes[i + 1 :]:
            if b1.overlaps(b2) and b1.intersection(b1, b2).width > 1 and b1.intersection(b1, b2).height > 1:
                problems.append(f"overlapping text: {t1.get_text()[:30]!r} and {t2.get_text()[:30]!r}")
    for what, line, xy in _marks(fig, renderer):
        for t, b in boxes:
            dots = line.get_linestyle() in ("None", "none", "", " ")
            if t.axes is line.axes and t.get_gid() != f"label:{line.get_gid()}" and _crosses(b, xy, dots):
                problems.append(f"text across {what}: {t.get_text()[:30]!r}")
    return problems


def save(fig: Figure, stem: Path, layout: Layout) -> tuple[dict[str, Path], list[str]]:
    """PNG (2x, a 256-colour palette image: the same to the eye, about 40% of the size) and, for the desk layout,
    SVG (live text), each written atomically; returns the files and the layout problems found on the PNG's own draw
    (the figure is drawn once for the PNG, once for the SVG). The figure is closed."""
    out: dict[str, Path] = {}
    try:
        fig.set_dpi(2 * DPI)
        fig.canvas.draw()
        problems = layout_problems(fig, fig.canvas.get_renderer())
        size = fig.canvas.get_width_height(physical=True)
        rgb = Image.frombuffer("RGBA", size, fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
        image = rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        palette = image.getpalette()
        for i in range(0, len(palette), 3):  # the quantiser turns white into 254: keep the background pure white
            if min(palette[i : i + 3]) >= 250:
                palette[i : i + 3] = [255, 255, 255]
        image.putpalette(palette)
        png = stem.with_name(stem.name + layout.suffix + ".png")
        with atomic_path(png, ".png") as tmp:
            image.save(tmp, format="PNG")
        out["png"] = png
        if layout.svg and not problems:
            svg = stem.with_name(stem.name + layout.suffix + ".svg")
            with atomic_path(svg, ".svg") as tmp:
                fig.savefig(tmp, format="svg", dpi=DPI, metadata={"Date": None})
            out["svg"] = svg
    finally:
        plt.close(fig)
    return out, problems
