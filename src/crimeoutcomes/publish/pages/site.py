"""The site's own pages (reports/<edition>/): the index (every force with its key figures, sortable, linking its
report; the stories, the claims audit and the notebook pages), the methods page (docs/methods.md), and the data
tables the pages cite (the build's quality and coverage tables, published beside them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import mistune
import pandas as pd

from ... import dag
from ...analysis import catalogue, ranking
from ...analysis import force_figures as ff
from ...analysis import measures as m
from ...atomic import atomic_path, write_text
from ...data import derive, tables
from ...data import forces as forces_mod
from ..words import numbers, wording
from . import html

CLAIMS_PAGE = dag.link("site", "claims", "page")
STORIES_PAGE = dag.link("site", "stories", "index")


def index_table(ds: m.Dataset, field: ranking.Field) -> tuple[pd.DataFrame, list[str]]:
    """Every force's key figures, ranked as the force reports rank them (`field`: the report's story's ranking), and
    what a reader must know about its data."""
    periods = [p for p in ff.latest_periods(ds).values() if p is not None]
    present = set(ds.coverage.loc[ds.coverage["rows"] > 0, "force"])
    ranks = {p: ff.place_table(ds, p, field).set_index("force") for p in periods}
    rows = []
    for f in forces_mod.POLICE_FORCES:
        if f.name not in present:
            continue
        row = {"Force": f.name, "_href": dag.link("site", "reports", "page", force=f.slug)}
        for p in periods:
            r = ranks[p].loc[f.name]
            ok = bool(r["computable"])
            row[f"Offences closed, {p.short}"] = numbers.count(
                r["offences_closed"] if ok else None, key=f"closed:{f.name}:{p.label}"
            )
            row[f"Rate, {p.short}"] = (
                numbers.share(r["vdns"], r["offences_closed"], 1, key=f"rate:{f.name}:{p.label}")
                if ok
                else numbers.count(None)
            )
            rank = r["rank"] if pd.notna(r["rank"]) else None
            row[f"Rank, {p.short}"] = (
                numbers.Printed(f"joint {int(rank)}" if r["tied"] else str(int(rank)), int(rank), f"rank:{f.name}")
                if rank is not None
                else numbers.count(None)
            )
        cov = ds.coverage[ds.coverage["force"] == f.name]
        flagged = cov[(cov["closed_status"] != derive.COVERAGE_PRESENT) | (cov["plausibility"] == "low")]
        notes = [
            f"outcomes incomplete in {p.short}: not ranked"
            for p in periods
            if ranks[p].loc[f.name, "why_not"] == ranking.INCOMPLETE
        ]
        notes += ["polices the railways: not ranked"] if f.kind != forces_mod.TERRITORIAL else []
        row["Data notes"] = "; ".join(notes + [_coverage_note(r) for r in flagged.itertuples()]) or "complete"
        rows.append(row)
    return numbers.frame(rows), [p.label for p in periods]


def _coverage_note(r) -> str:
    what = (
        "looks incomplete"
        if r.plausibility == "low" and r.closed_status == derive.COVERAGE_PRESENT
        else {
            derive.COVERAGE_LEFT_OUT: "some counts left out",
            derive.COVERAGE_PARTLY_PROVIDED: "partly provided",
            derive.COVERAGE_NOT_PROVIDED: "not provided",
            derive.COVERAGE_NO_COUNTS: "no counts",
            derive.COVERAGE_MISSING: "missing",
        }.get(r.closed_status, r.closed_status)
    )
    return f"{r.quarter_label} {what}"


def write_index(ds: m.Dataset, folder: Path, field: ranking.Field) -> Path:
    """The index page into `folder` (reports/<edition>/); field: how the force reports rank the forces."""
    table, labels = index_table(ds, field)
    pages = "".join(
        f'<li><a href="{dag.link("site", "pages", nb.name)}">{html.esc(nb.title)}</a> (for {nb.audience}): '
        f"{html.esc(nb.summary)}.</li>"
        for nb in dag.PAGES
    )
    body = [
        "<p>How often does a police investigation end because the alleged victim did not support further action? "
        "One report per police force: headline figures, a story, charts with the data behind them, and notes on "
        "the data. The rate is the share of offences closed that ended with outcome type 14 or 16. England and "
        "Wales means every territorial police force and British Transport Police, leaving a force out "
        "of a period only when its data for that period are missing.</p>",
        "<p>Periods: "
        + (wording.join([html.esc(label) for label in labels]) or "none can be computed from these figures")
        + ". A dash means the force's figure cannot be computed for that period (a quarter is missing); the data "
        "notes column names quarters that are missing, only partly supplied, or look incomplete. Select a column "
        "heading to sort.</p>",
        html.table(
            table,
            caption="Police forces: offences closed, the rate (outcomes 14 + 16 as a share of offences closed) and "
            "the rank among the territorial forces (1 = highest rate; a force whose outcomes are incomplete is not "
            "ranked, and the data notes say so)",
            sortable=True,
            links={"Force": "_href"},
            table_id="forces",
        ),
        f'<h2>More</h2><ul><li><a href="{STORIES_PAGE}">Stories</a>: localised stories for any measure, a version '
        "for every police force, every figure checked against the raw rows.</li>"
        f'<li><a href="{CLAIMS_PAGE}">Claims audit</a>: every figure in the June 2021 articles and in other published '
        "stories, recomputed, with the raw rows behind each.</li>"
        + pages
        + f'<li><a href="{dag.file("site", "methods")}">Methods</a>: the definitions behind every figure.</li>'
        f'<li>The data the pages cite: <a href="{dag.file("site", "coverage")}">coverage of every force and '
        f'quarter</a> and <a href="{dag.file("site", "quality")}">every cell that is not a plain count</a> (CSV).'
        "</li></ul>",
    ]
    target = folder / dag.file("site", "index")
    write_text(
        target,
        html.page("Crime outcomes by police force", "\n".join(body), ds.build, sortable=True),
    )
    return target


def write_methods(ds: m.Dataset, folder: Path, source: Path) -> Path:
    """The method (docs/methods.md: the step table's input `methods`) as a page of the site."""
    text = source.read_text(encoding="utf-8")
    body = html.captioned(mistune.html(text))
    target = folder / dag.file("site", "methods")
    write_text(
        target,
        html.page(
            "Methods",
            body.replace("<h1>Methods</h1>", "", 1),
            ds.build,
            crumbs=[("All forces", dag.file("site", "index"))],
        ),
    )
    return target


def _cited(column: str):
    """A cell holding the data's own words (a code such as 4.1, an age): not figures computed here."""
    return lambda r: f'<span data-numbers="cited">{html.esc(r[column])}</span>'


#: the measures page's names and descriptions
_NAMES = {
    "Write it as": lambda r: f"<code>{html.esc(r['Write it as'])}</code>",
    "Description": _cited("Description"),
    "Group": _cited("Group"),
    "Subgroup": _cited("Subgroup"),
}


def write_measures(ds: m.Dataset, folder: Path) -> Path:
    """What a story can measure: every offence group, subgroup and code and every outcome type, with its description
    and counts, and how a story's definition writes it."""
    cat = catalogue.catalogue(ds)
    when = wording.period_name(cat.period) if cat.period is not None else "the whole of the data"
    sections = []
    spec_key = {"group": "group", "subgroup": "subgroup", "code": "code"}
    titles = {"group": "Offence groups", "subgroup": "Offence subgroups", "code": "Offence codes"}
    for kind in catalogue.KINDS:
        part = cat.offences[cat.offences["kind"] == kind]
        rows = []
        for r in part.itertuples(index=False):
            row = {"Write it as": f"{{{spec_key[kind]}: {r.name}}}"}
            if kind == "code":
                row["Description"] = r.description
            if kind != "group":
                row["Group"] = r.group
            if kind == "code":
                row["Subgroup"] = r.subgroup
            row[f"Offences recorded, {when}"] = numbers.count(r.recorded)
            row[f"Outcomes assigned, {when}"] = numbers.count(r.closed)
            rows.append(row)
        sections.append(f'<h2 id="{kind}">{titles[kind]}</h2>')
        sections.append(
            html.table(
                numbers.frame(rows),
                caption=f"{titles[kind]}: England and Wales, {when}",
                sortable=True,
                table_id=f"measures-{kind}",
                cell_html=_NAMES,
            )
        )
    outcome_rows = [
        {
            "Outcome type": r.type,
            "Description": r.description,
            f"Outcomes assigned, {when}": numbers.count(r.closed),
            f"Offences recorded in {when} with this outcome so far": numbers.count(r.recorded),
        }
        for r in cat.outcomes.itertuples(index=False)
    ]
    body = [
        "<p>Any of these can be a story's measure: a share of one set of outcomes among the offences of a group, a "
        "subgroup or a code (for example the share of residential burglaries closed with no suspect identified), or "
        "a count. A story's definition names the offences as the first column writes them, and the outcomes by their "
        'type numbers; the <a href="stories/index.html#your-own">stories page</a> says how to make one.</p>',
        f"<p>The counts are for England and Wales, {html.esc(when)}: offences recorded (with any outcome, or none yet) "
        "and outcomes assigned in the period (whenever the offence was recorded).</p>",
        *sections,
        '<h2 id="outcomes">Outcome types</h2>',
        html.table(
            numbers.frame(outcome_rows),
            caption=f"Outcome types: England and Wales, {when}",
            table_id="measures-outcomes",
            cell_html={"Description": _NAMES["Description"], "Outcome type": _cited("Outcome type")},
        ),
    ]
    target = folder / dag.file("site", "measures")
    write_text(
        target,
        html.page(
            "What a story can measure",
            "\n".join(body),
            ds.build,
            sortable=True,
            crumbs=[("All forces", dag.file("site", "index"))],
        ),
    )
    return target


def publish_tables(ds: m.Dataset, folder: Path) -> list[str]:
    """The build's quality and coverage tables, beside the pages that cite them."""
    written = []
    for key, table in (("quality", tables.QUALITY), ("coverage", tables.COVERAGE)):
        name = dag.file("site", key)
        with atomic_path(folder / name) as tmp:
            shutil.copyfile(table.path(ds.edition), tmp)
        written.append(name)
    return written
