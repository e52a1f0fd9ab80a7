"""What the notebooks call to show results: they load the files the package's steps wrote, never compute a figure
that matters or write a file.

Charts are displayed as PNG with their alt text and a `filenames` entry naming the chart file relative to the page
the notebook becomes: nbconvert then writes <img src="that file" alt="..."> instead of embedding the picture a
second time, while Jupyter shows the embedded copy.
"""

from __future__ import annotations

import base64
import json
import math
import posixpath
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from ... import csvfile, dag, paths
from ...analysis import claims as cl
from ...data import forces, tables
from ...errors import DataError
from ..pages import force_page, html, version_page
from ..words import claims_text, numbers, sensitivity_text


def _show(markup: str):
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
    """Display one saved chart (PNG) with its alt text; on the HTML page it links the file beside the page (and its
    phone drawing), and its caption states the finding with each figure it prints."""
    files = meta["files"]
    png = Path(folder) / files["png"]
    if not png.is_file():
        raise not_found(png)
    data = base64.b64encode(png.read_bytes()).decode()
    display(
        {"image/png": data, "text/plain": f"Chart: {meta['title']}"},
        raw=True,
        metadata={
            "image/png": {"alt": meta["alt"], "width": 800},
            "filenames": {"image/png": page_prefix + files["png"]},
        },
    )
    figures = [numbers.Printed.from_json(f) for f in meta.get("figures", [])]
    caption = html.caption_sentence(html.mark(meta["title"], figures), html.chart_downloads(files, page_prefix))
    display(_show(f'<p class="chart-caption">{caption}</p>'))


class ForceReport:
    """The files the reports step wrote for one force: figures.json and the charts beside it."""

    def __init__(self, edition: str, force: str):

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
        self.build = self.data["build"]
        # links from the page (forces/<slug>.html) to its files (forces/<slug>/...)
        self.prefix = posixpath.dirname(dag.file("reports", "figures", force=self.force.slug)) + "/"
        self.by_number = {n["number"]: n["anchor"] for n in self.data["notes"]}

    def title(self):
        return _show(f"<h1>{html.esc(self.force.name)}: when the victim does not support further action</h1>")

    def banner(self):
        """The data's source; and, for a force whose outcomes are incomplete compared with the other forces', what
        that means for every figure below (its note, linked)."""
        flags = [n for n in self.data["notes"] if n["anchor"].startswith("incomplete-")]
        warning = "".join(
            f'<p class="banner" role="note"><strong>{html.esc(n["title"])}.</strong> '
            f"{html.mark(n['text'], [numbers.Printed.from_json(f) for f in n['figures']])} "
            f'(<a href="#{html.esc(n["anchor"])}">note {n["number"]}</a>)</p>'
            for n in flags
        )
        return _show(banner(self.build).data + warning)

    def headline(self):
        """One table per period: measure, the force, England and Wales (narrow enough for a phone)."""
        if not self.data["headline"]:
            display(
                _show(
                    f"<p>No period of this edition can be computed for {html.esc(self.force.name)}: a "
                    "quarter is missing (see the notes).</p>"
                )
            )
        for t in self.data["headline"]:
            display(_show(force_page.headline_html(t, self.by_number)))

    def story(self):

        s = self.data["story"]
        if not s:
            return _show("<p>No story can be written for this force in this edition (see the notes).</p>")
        if s["ready"]:
            state = "Written from the figures above, every figure checked against the raw rows: ready to publish."
        else:
            state = (
                "Written from the figures above, every figure checked against the raw rows. Read "
                f"{force_page.note_refs(s['notes'], self.by_number)} before you publish it."
            )
        paragraphs = "".join(f"<p>{s['html'][k]}</p>" for k in s["html"] if k != "headline" and s["html"][k])
        links = (
            f'<a href="{html.esc(s["links"]["page"])}">The story on its own page</a>, with its chart and data, '
            f'and <a href="{html.esc(s["links"]["markdown"])}">as text to paste</a>.'
        )
        others = "".join(
            f'<li><a href="{html.esc(o["link"])}">{html.esc(o["title"])}</a> ({html.esc(o["period"])})</li>'
            for o in s.get("all", [])
        )
        more = f"<p>Every story written for {html.esc(self.data['force'])}:</p><ul>{others}</ul>" if others else ""
        return _show(
            f'<blockquote class="story"><h3>{s["html"]["headline"]}</h3>{paragraphs}</blockquote>'
            f"<p>{state}</p><p>{links}</p>{more}"
        )

    def charts(self):
        for meta in self.data["charts"]:
            chart(self.folder, meta, self.prefix)

    def notes(self):

        return _show(force_page.notes_html(self.data["notes"], self.data["files"]))

    def check_yourself(self):
        slug = self.force.slug
        return _show(
            "<p>Every figure on this page is in "
            f'<a href="{html.esc(self.prefix)}figures.json">figures.json</a>, with the exact value each states; '
            "each chart's data is in the CSV beside it. The tables the figures come from are in "
            f"<code>data/processed/{html.esc(self.data['edition'])}/</code> (<code>make data</code>). To make this "
            f"page again: <code>make report FORCE=&quot;{html.esc(self.force.name)}&quot;</code> "
            f"(<code>forces/{html.esc(slug)}.html</code>). The method: <code>docs/methods.md</code>.</p>"
        )


class StoryVersion:
    """The files the stories step wrote for one force's version of a story (version.json and its chart), shown
    section by section as its page shows them."""

    def __init__(self, edition: str, story: str, force: str, folder: str = ""):

        self.force = forces.resolve(force, police_only=True)
        slug = self.force.slug
        rel = dag.file("stories", "data", story=story, force=slug)
        path = (
            Path(folder) / rel.split("/", 1)[1]
            if folder
            else paths.output("stories", "data", edition, story=story, force=slug)
        )
        try:
            self.data = json.loads(path.read_text())
        except FileNotFoundError:
            raise DataError(f"{paths.relative(path)} not found: run make stories EDITION={edition}") from None
        self.folder = path.parent
        self.prefix = f"{slug}/"  # the page is <story>/<slug>.html, its files are in <story>/<slug>/

    # each section is made by publish/pages/version_page.py, which writes the version's page from the same functions
    def headline(self):
        return _show(version_page.headline(self.data))

    def banner(self):
        return banner(self.data["build"])

    def story(self):
        return _show(version_page.story(self.data))

    def chart(self):
        if self.data["chart"]:
            chart(self.folder, self.data["chart"], self.prefix)
        else:
            display(_show(version_page.no_chart(self.data)))

    def table(self):
        return _show(version_page.table(self.data))

    def caveats(self):
        return _show(version_page.caveats(self.data))

    def notes(self):
        return _show(version_page.notes(self.data))

    def check_yourself(self):
        return _show(version_page.check_yourself(self.data))


class ClaimsAudit:
    """The claims step's files (claims_audit.csv and the raw rows of each claim), shown for people: every computed
    figure at its claim's printed precision, through the one formatter; the published figures marked as the
    articles' own; a claim re-added from its raw rows."""

    ROWS_HEADINGS = {
        "source_file": "Source file",
        "source_row": "Row",
        "force": "Force",
        "financial_year": "Financial year",
        "quarter": "Quarter",
        "offence_code": "Offence code",
        "offence_description": "Offence",
        "outcome_type": "Outcome type",
        "closed_count": "Closed count",
        "recorded_count": "Recorded count",
        "in_numerator": "In the numerator",
        "in_denominator": "In the denominator",
    }

    def __init__(self, edition: str):
        self.edition = edition
        self.path = paths.output("claims", "audit_csv", edition)
        if not self.path.is_file():
            raise not_found(self.path)
        self.audit = csvfile.read_csv(
            self.path,
            keep_default_na=False,
            na_values={c: [""] for c in ("computed", "nearest_computed", "earlier_computed")},
        )
        self._marked: dict[str, list] = {}  # a change's text -> its figures (marked on the page)

    def _figure(self, r, value_col: str, counts: bool) -> numbers.Printed | str:

        value = r[value_col]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if r.get("change_from") and value_col == "computed":
            return self._change(r)
        try:
            claimed = cl.Claimed.parse(r["claimed"])
        except ValueError:
            return ""
        if claimed.unit not in ("count", "percent", "one_in", "fraction"):
            return ""
        pair = (int(r["numerator_value"]), int(r["denominator_value"])) if counts and r["denominator_value"] else None
        return claims_text.as_printed(claimed, float(value), counts=pair)

    def _change(self, r) -> str:
        """A change as the audit computed it ('from 10% to 9%', 'up 4.1 points'), its figures marked on a page."""

        change = cl.parse_change(r["claimed"])
        if change is None or change.form != "values" or pd.isna(r["earlier_computed"]):
            return ""
        with numbers.collect() as parts:
            start = claims_text.as_printed(change.start, float(r["earlier_computed"]))
            end = claims_text.as_printed(change.end, float(r["computed"]))
        self._marked[f"from {start} to {end}"] = parts
        return f"from {start} to {end}"

    def _nearest(self, r) -> numbers.Printed | str:
        """The nearest figure for a claim this edition cannot check: at the claim's precision, or (a record) the
        year's value in its sentence."""
        shown = self._figure(r, "nearest_computed", False)
        if shown or r["nearest_computed"] is None or pd.isna(r["nearest_computed"]):
            return shown or r["nearest_text"]
        value = float(r["nearest_computed"])
        return numbers.percent(value, 1) if r["denominator"] else numbers.count(value)

    def summary(self):
        t = self.audit.groupby(["registry", "verdict"]).size().unstack(fill_value=0).reset_index()
        return table(t.rename(columns={"registry": "Registry"}), f"Verdicts by registry, {self.edition} edition")

    def claims(self):
        a = self.audit
        shown = numbers.frame(
            {
                "Claim": a["id"],
                "Area": a["area"],
                "Period": a["period"],
                "Printed": a["claimed"],
                "Computed": [self._figure(r, "computed", True) or r["computed_text"] for _, r in a.iterrows()],
                "Verdict": a["verdict"],
                "Nearest computable figure": [self._nearest(r) for _, r in a.iterrows()],
                "Its period": a["nearest_period"],
            }
        )

        def claimed(r):
            return f'<span data-numbers="claimed">{html.esc(r["Printed"])}</span>'

        def claim_id(r):
            return f"<code>{html.esc(r['Claim'])}</code>"

        texts = dict(zip(a["id"], a["nearest_text"]))

        def nearest(r):
            p = r["Nearest computable figure"]
            text = texts[r["Claim"]]
            if isinstance(p, numbers.Printed) and text and str(p) != text:
                return html.mark(text, [p])  # a record's sentence, its figure marked
            return html.printed(p) if isinstance(p, numbers.Printed) else html.esc(p)

        def computed(r):
            p = r["Computed"]
            if isinstance(p, numbers.Printed):
                return html.printed(p)
            return html.mark(p, self._marked[p]) if p in self._marked else html.esc(p)

        return table(
            shown,
            "Every claim (the full reasons are in claims_audit.csv and on the claims page)",
            cell_html={
                "Printed": claimed,
                "Claim": claim_id,
                "Nearest computable figure": nearest,
                "Computed": computed,
            },
        )

    def trace(self, claim_id: str):
        """One claim re-added from its raw rows: the rows, their sums by quarter, and whether they give the audit's
        numerator and denominator. A claim this edition cannot compute gives way to the first that it can."""
        traced = self.audit[self.audit["rows_file"] != ""]
        if traced.empty:
            return _show("<p>Not available in this edition: no claim can be computed on it, so none has rows.</p>")
        if claim_id not in set(traced["id"]):
            display(
                _show(
                    f"<p><code>{html.esc(claim_id)}</code> cannot be computed on this edition; tracing "
                    f"<code>{html.esc(traced['id'].iloc[0])}</code> instead.</p>"
                )
            )
            claim_id = traced["id"].iloc[0]
        r = self.audit.set_index("id").loc[claim_id]
        what = ", ".join(x for x in (r["area"], r["period"], f"{r['basis']} basis", r["offences"]) if x)
        measure = r["numerator"] + (f" / {r['denominator']}" if r["denominator"] else "")
        computed = self._figure(r, "computed", True) or r["computed_text"]
        shown = html.printed(computed) if isinstance(computed, numbers.Printed) else html.esc(computed)
        display(
            _show(
                f'<blockquote data-numbers="cited">“{html.esc(r["quote"])}”</blockquote>'
                f"<p>{html.esc(what)}: {html.esc(measure)}. Printed: "
                f'<strong data-numbers="claimed">{html.esc(r["claimed"])}</strong>; computed: '
                f"<strong>{shown}</strong> ({html.esc(r['verdict'])}).</p>"
            )
        )
        rows = csvfile.read_csv(self.path.parent / r["rows_file"])
        count = next(c for c in rows.columns if c.endswith("_count"))
        display(
            table(
                rows.head(8).rename(columns=self.ROWS_HEADINGS),
                f"The first 8 of the {numbers.count(len(rows))} raw rows summed, as published",
                numbers_are="raw",
            )
        )
        weights = rows[count].fillna(0).astype("int64")
        by_quarter = (
            rows.assign(
                numerator=weights * rows["in_numerator"],
                denominator=weights * rows.get("in_denominator", 0),
            )
            .groupby(["financial_year", "quarter"])[["numerator", "denominator"]]
            .sum()
            .reset_index()
        )
        display(
            table(
                by_quarter.rename(
                    columns={
                        "financial_year": "Financial year",
                        "quarter": "Quarter",
                        "numerator": "Numerator",
                        "denominator": "Denominator",
                    }
                ),
                "Re-added by quarter",
                numbers_are="",
            )
        )
        num, den = int(by_quarter["numerator"].sum()), int(by_quarter["denominator"].sum())
        same = num == int(r["numerator_value"]) and (not den or den == int(r["denominator_value"]))
        figures = [numbers.count(num), numbers.count(den), numbers.share(num, den, 2)] if den else [numbers.count(num)]
        text = (
            f"Re-added: numerator {figures[0]}"
            + (f", denominator {figures[1]}, rate {figures[2]}" if den else "")
            + (": the same as the audit." if same else ": NOT the same as the audit.")
        )
        return _show(f"<p>{html.mark(text, figures)}</p>")


def _marked(said: dict) -> str:
    """A sentence a step wrote ({"text", "figures"}), each figure written as a figure."""
    return html.mark(said["text"], [numbers.Printed.from_json(f) for f in said.get("figures", [])])


class Sensitivity:
    """The files the sensitivity step wrote (the step table names them), shown for people: exact values formatted
    once; caveats as numbered notes the tables' markers link to; every file linked."""

    def __init__(self, edition: str):
        self.edition = edition
        self.folder = paths.step_dir("sensitivity", edition)
        self.prefix = dag.link("pages", "sensitivity", "charts").rsplit("/", 1)[0] + "/"
        self.text = json.loads(self._file("conclusions").read_text())

    def _file(self, key: str) -> Path:
        path = paths.output("sensitivity", key, self.edition)
        if not path.is_file():
            raise not_found(path)
        return path

    def _link(self, key: str, label: str | None = None) -> str:
        name = dag.file("sensitivity", key)
        return f'<a href="{html.esc(self.prefix + name)}">{html.esc(label or name)}</a>'

    def national(self):
        df = csvfile.read_csv(self._file("national"), keep_default_na=False, na_values=[""], dtype={"Caveats": str})
        df = df.rename(columns={header: column for column, header in sensitivity_text.NATIONAL.items()})
        anchors = {n["number"]: n["anchor"] for n in self.text["notes"]}
        places = self.text.get("places", 2)  # the page's one precision, as the step printed its conclusions
        shown = numbers.frame(
            {
                "Choice": df["scenario"],
                "Period": df["period"],
                "Offences closed": numbers.column(df["closed"], numbers.count),
                "Rate": numbers.column(df["rate"], lambda v: numbers.percent(v, places)),
                "Change (points)": numbers.column(df["change"], lambda v: numbers.points(v, places)),
                "Notes": self.text["row_notes"],  # each row's note numbers, as the step numbered them
            }
        )

        def notes_cell(r):
            return (
                ", ".join(f'<a href="#{html.esc(anchors[n])}"><sup class="fn">{n}</sup></a>' for n in r["Notes"]) or "–"
            )

        display(table(shown, "England and Wales under each choice of method", cell_html={"Notes": notes_cell}))
        items = "".join(
            f'<li id="{html.esc(n["anchor"])}"><strong>{html.esc(n["title"])}.</strong> {_marked(n)}</li>'
            for n in self.text["notes"]
        )
        display(
            _show(
                (f'<h3>Notes to the table</h3><ol class="notes">{items}</ol>' if items else "")
                + f"<p>The table as data: {self._link('national')} (exact values).</p>"
            )
        )

    def charts(self):
        for meta in json.loads(self._file("charts").read_text()):
            chart(self.folder, meta, self.prefix)

    def ranks(self):
        df = csvfile.read_csv(self._file("ranks"), keep_default_na=False, na_values=[""])
        short = {sensitivity_text.rank_header(key): name for key, name in sensitivity_text.NAMES.items()}
        display(table(df.rename(columns=short), "Each force's rank under each choice (1 = highest rate)"))
        display(
            _show(
                f"<p>As data: {self._link('ranks')}; every force's rate and rank under each "
                f"choice: {self._link('forces')} (exact values).</p>"
            )
        )

    def conclusions(self):
        items = "".join(f"<li>{_marked(c)}</li>" for c in self.text["conclusions"])
        return _show(f"<ul>{items}</ul>")
