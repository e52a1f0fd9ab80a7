"""What the notebooks call to show results: they load the files the package's steps wrote, never compute a figure
that matters or write a file.

Charts are displayed as PNG with their alt text and a `filenames` entry naming the chart file relative to the page
the notebook becomes: nbconvert then writes <img src="that file" alt="..."> instead of embedding the picture a
second time, while Jupyter shows the embedded copy.
"""

from __future__ import annotations

import base64
import json
import posixpath
from pathlib import Path

import pandas as pd

from .. import csvfile, dag, paths
from ..data import tables
from ..errors import DataError
from . import html


def _show(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def setup() -> None:
    """pandas display options for the notebooks (wide tables, long text)."""
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 200)
    pd.set_option("display.max_rows", 120)


def load_build(edition: str) -> dict:
    return tables.load_record(edition)


def banner(build: dict):
    return _show(html.banner(build))


def about(build: dict, extra: str = ""):
    return _show(html.about(build, extra))


def table(df: pd.DataFrame, caption: str, **kw):
    return _show(html.table(df, caption=caption, **kw))


def not_found(path: Path) -> DataError:
    """A file a step writes is missing: the error names the file and the step that writes it."""
    rel = paths.relative(path)
    made = dag.made_by(rel)
    how = f"make {made[0].make} EDITION={made[1]} (the {made[0].name} step writes it)" if made else "make all"
    return DataError(f"{rel} not found: run {how}")


def chart(folder: Path, meta: dict, page_prefix: str = ""):
    """Display one saved chart (PNG) with its alt text; on the HTML page it links the file beside the page."""
    from IPython.display import display

    png = Path(folder) / meta["files"]["png"]
    if not png.is_file():
        raise not_found(png)
    data = base64.b64encode(png.read_bytes()).decode()
    display(
        {"image/png": data, "text/plain": f"Chart: {meta['title']}"},
        raw=True,
        metadata={
            "image/png": {"alt": meta["alt"], "width": 800},
            "filenames": {"image/png": page_prefix + meta["files"]["png"]},
        },
    )
    links = {
        "data (CSV)": page_prefix + meta["files"]["csv"],
        "PNG": page_prefix + meta["files"]["png"],
        "SVG": page_prefix + meta["files"]["svg"],
    }
    display(
        _show(
            f'<p class="chart-caption">{html.esc(meta["title"])}. Download: '
            + " · ".join(f'<a href="{html.esc(h)}">{html.esc(k)}</a>' for k, h in links.items())
            + "</p>"
        )
    )


def csv_table(path: Path, caption: str, **kw):
    """A CSV written by a step, shown as a table for people."""
    if not Path(path).is_file():
        raise not_found(path)
    return table(csvfile.read_csv(path, keep_default_na=False, na_values=[""]), caption, **kw)


class ForceReport:
    """The files the reports step wrote for one force: figures.json and the charts beside it."""

    def __init__(self, edition: str, force: str):
        from ..data import forces

        self.force = forces.resolve(force, police_only=True)
        figures = paths.output("reports", "figures", edition, force=self.force.slug)
        self.folder = figures.parent
        try:
            self.data = json.loads(figures.read_text())
        except FileNotFoundError:
            raise DataError(
                f"{paths.relative(figures)} not found: run make reports "
                f"EDITION={edition} (or make report FORCE={self.force.name!r})"
            ) from None
        self.build = load_build(edition)
        # links from the page (forces/<slug>.html) to its files (forces/<slug>/...)
        self.prefix = posixpath.dirname(dag.file("reports", "figures", force=self.force.slug)) + "/"

    def title(self):
        return _show(f"<h1>{html.esc(self.force.name)}: when the victim does not support further action</h1>")

    def banner(self):
        return banner(self.build)

    def headline(self):
        """One table per period: measure, the force, England and Wales (narrow enough for a phone)."""
        from IPython.display import display

        df = pd.DataFrame(self.data["headline"])
        if df.empty:
            display(
                _show(
                    f"<p>No period of this edition can be computed for {html.esc(self.force.name)} and "
                    "England and Wales together: a quarter is missing (see the data notes).</p>"
                )
            )
            return
        for period, part in df.groupby("Period", sort=False):
            display(table(part.drop(columns="Period"), f"{self.force.name} and England and Wales: {period}"))

    def story(self):
        s = self.data["story"]
        state = (
            "Generated from the figures above; ready to paste."
            if s["ready"]
            else "Generated from the figures above. Read the caveats before you use it."
        )
        return _show(f'<p>{html.esc(state)}</p><blockquote class="story">{html.esc(s["text"])}</blockquote>')

    def charts(self):
        for meta in self.data["charts"]:
            chart(self.folder, meta, self.prefix)

    def notes(self):
        items = "".join(f"<li>{html.esc(n)}</li>" for n in self.data["notes"])
        return _show(f"<ul>{items}</ul>")

    def about(self):
        return about(self.build)


def exercise(question: str, answer: str):
    """An exercise with its answer folded away (a <details> block), so students try it first."""
    return _show(
        f"<p><strong>{html.esc(question)}</strong></p><details><summary>Show the answer</summary>"
        f"<p>{html.esc(answer)}</p></details>"
    )


class Sensitivity:
    """The files the sensitivity step wrote (the step table names them), shown for people."""

    def __init__(self, edition: str):
        self.edition = edition
        self.folder = paths.step_dir("sensitivity", edition)
        self.prefix = dag.link("pages", "sensitivity", "charts").rsplit("/", 1)[0] + "/"

    def _file(self, key: str) -> Path:
        path = paths.output("sensitivity", key, self.edition)
        if not path.is_file():
            raise not_found(path)
        return path

    def national(self):
        return csv_table(self._file("national"), "England and Wales under each choice of method")

    def charts(self):
        for meta in json.loads(self._file("charts").read_text()):
            chart(self.folder, meta, self.prefix)

    def ranks(self):
        return csv_table(self._file("ranks"), "Each force's rank under each choice")

    def conclusions(self):
        items = "".join(f"<li>{html.esc(c)}</li>" for c in json.loads(self._file("conclusions").read_text()))
        return _show(f"<ul>{items}</ul>")
