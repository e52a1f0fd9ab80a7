"""The project's one chart style (in the spirit of the BBC's bbplot and the FT's chart conventions).

- type legible when printed: nothing under 9 pt at the saved size (8 inches wide);
- a title that states the finding, a subtitle that says what is measured, labelled axes, no chart junk;
- colours that pass contrast on white (WCAG 1.4.11: at least 3:1 for marks, 4.5:1 for text);
- a source line naming the Home Office release and the licence (and SYNTHETIC DATA when it is);
- saved as PNG at twice the screen resolution and as SVG with live text, each written atomically;
- `layout_problems` reports any text outside the figure or overlapping other text (tests call it on every chart).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from ..atomic import atomic_path

FORCE = "#B2182B"  # the force in focus: 6.6:1 on white
NATIONAL = "#404040"  # England and Wales: 10.4:1
OTHER = "#8C8C8C"  # other forces: 3.4:1 (marks)
TEXT = "#1A1A1A"
MUTED = "#4D4D4D"  # secondary text: 8.5:1
GRID = "#DDDDDD"
WIDTH_IN = 8.0
DPI = 100  # screen resolution; PNGs are saved at 2x
TITLE_PT, SUBTITLE_PT, BODY_PT, SOURCE_PT = 13.0, 10.5, 10.0, 9.0
LICENCE = "Open Government Licence v3.0"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": BODY_PT,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": MUTED,
    "axes.labelsize": BODY_PT,
    "axes.titlesize": BODY_PT,
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
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "svg.fonttype": "none",
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.hashsalt": "crimeoutcomes",
}


_TEXT_TO_PATH = TextToPath()


def source_line(release: str, synthetic: bool) -> str:
    head = "SYNTHETIC DATA generated for testing, not Home Office statistics. " if synthetic else ""
    return f"{head}Source: Home Office, Police recorded crime and outcomes open data tables, {release}. {LICENCE}."


def text_width_in(text: str, points: float, bold: bool = False) -> float:
    """The width of one line of text as the chart's font draws it, in inches (measured, not estimated)."""
    prop = FontProperties(family=RC["font.family"], size=points, weight="bold" if bold else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72


def _wrap(text: str, points: float, width_in: float = WIDTH_IN, bold: bool = False) -> list[str]:
    """Lines of text that fit the width, each line's width measured with the font (capitals and wide letters
    take the room they really take)."""
    room = width_in - 0.5  # the text starts 0.16 in from the left edge; keep at least as much on the right
    lines: list[str] = []
    for word in text.split():
        if lines and text_width_in(f"{lines[-1]} {word}", points, bold) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


class Chart:
    """A figure with a title block above the plot and a source block below it."""

    def __init__(
        self,
        title: str,
        subtitle: str,
        source: str,
        plot_height_in: float,
        *,
        ncols: int = 1,
        nrows: int = 1,
        sharey: bool = False,
        synthetic: bool = False,
    ):
        plt.rcParams.update(RC)
        self.title_lines = _wrap(("SYNTHETIC DATA: " if synthetic else "") + title, TITLE_PT, bold=True)
        self.subtitle_lines = _wrap(subtitle, SUBTITLE_PT) if subtitle else []
        self.source_lines = _wrap(source, SOURCE_PT)
        top_in = 0.2 + (len(self.title_lines) * TITLE_PT + len(self.subtitle_lines) * SUBTITLE_PT) * 1.35 / 72 + 0.15
        bottom_in = 0.15 + len(self.source_lines) * SOURCE_PT * 1.35 / 72 + 0.1
        self.height = top_in + plot_height_in + bottom_in
        self.fig: Figure = plt.figure(figsize=(WIDTH_IN, self.height))
        self.axes = self.fig.subplots(nrows, ncols, sharey=sharey, squeeze=False).ravel().tolist()
        self.ax = self.axes[0]
        self._top, self._bottom = top_in, bottom_in
        y = 1 - 0.18 / self.height
        self.fig.text(
            0.02,
            y,
            "\n".join(self.title_lines),
            fontsize=TITLE_PT,
            fontweight="bold",
            va="top",
            ha="left",
            color=TEXT,
            linespacing=1.2,
        )
        y -= len(self.title_lines) * TITLE_PT * 1.35 / 72 / self.height
        if self.subtitle_lines:
            self.fig.text(
                0.02,
                y - 0.02 / self.height,
                "\n".join(self.subtitle_lines),
                fontsize=SUBTITLE_PT,
                va="top",
                ha="left",
                color=MUTED,
                linespacing=1.2,
            )
        self.fig.text(
            0.02,
            0.1 / self.height,
            "\n".join(self.source_lines),
            fontsize=SOURCE_PT,
            va="bottom",
            ha="left",
            color=MUTED,
            linespacing=1.2,
        )

    def finish(self) -> Figure:
        """Fit the plots between the title block and the source block (tick labels, legends and axis labels
        included)."""
        self.fig.tight_layout(rect=(0.0, self._bottom / self.height, 1.0, 1 - self._top / self.height), pad=0.6)
        self._keep_labels_in()
        return self.fig

    def _keep_labels_in(self) -> None:
        """tight_layout can leave an axis label a few pixels past the left edge (panels whose tick labels differ in
        width; a legend above a single panel): move the plots right by what sticks out."""
        self.fig.canvas.draw()
        renderer = self.fig.canvas.get_renderer()
        left = min((ax.yaxis.label.get_window_extent(renderer).x0 for ax in self.axes if ax.get_ylabel()), default=0)
        if left < 2:
            shift = (2 - left) / self.fig.bbox.width
            for ax in self.axes:
                box = ax.get_position()
                ax.set_position([box.x0 + shift, box.y0, box.width - shift, box.height])


def save(fig: Figure, stem: Path) -> dict[str, Path]:
    """PNG (2x, as a 256-colour palette image: the same to the eye, about 40% of the size) and SVG (live text)
    beside each other, each written atomically; the figure is closed."""
    import io

    from PIL import Image

    out = {}
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=2 * DPI)
        image = (
            Image.open(buffer)
            .convert("RGB")
            .quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        )
        palette = image.getpalette()
        for i in range(0, len(palette), 3):  # the quantiser turns white into 254: keep the background pure white
            if min(palette[i : i + 3]) >= 250:
                palette[i : i + 3] = [255, 255, 255]
        image.putpalette(palette)
        with atomic_path(stem.with_suffix(".png"), ".png") as tmp:
            image.save(tmp, format="PNG", optimize=True)
        out["png"] = stem.with_suffix(".png")
        with atomic_path(stem.with_suffix(".svg"), ".svg") as tmp:
            fig.savefig(tmp, format="svg", metadata={"Date": None})
        out["svg"] = stem.with_suffix(".svg")
    finally:
        plt.close(fig)
    return out


def _texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text the figure draws (tick labels only for ticks inside the view)."""
    undrawn: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # the ticks matplotlib draws: inside the view, on axes that are switched on
            drawn = {id(t) for t in axis._update_ticks()} if ax.axison else set()
            for tick in axis.majorTicks + axis.minorTicks:
                if id(tick) not in drawn:
                    undrawn.update((id(tick.label1), id(tick.label2)))
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in undrawn]


def layout_problems(fig: Figure) -> list[str]:
    """Text drawn outside the figure, or text boxes overlapping each other (empty list when the chart is clean)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    texts = _texts(fig)
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    problems = []
    for t, b in boxes:
        if b.x0 < box.x0 - 1 or b.y0 < box.y0 - 1 or b.x1 > box.x1 + 1 or b.y1 > box.y1 + 1:
            problems.append(f"text outside the figure: {t.get_text()[:40]!r}")
    for i, (t1, b1) in enumerate(boxes):
        for t2, b2 in boxes[i + 1 :]:
            if b1.overlaps(b2) and b1.intersection(b1, b2).width > 1 and b1.intersection(b1, b2).height > 1:
                problems.append(f"overlapping text: {t1.get_text()[:30]!r} and {t2.get_text()[:30]!r}")
    return problems
