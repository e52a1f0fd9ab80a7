"""The stories step's files: for each story, every force's version (the story as plain text to paste, its page: the
story, its chart and the data behind it), the national picture (a ranking table, a chart, every version linked),
claims.yaml (every figure every version prints, in the general claim form) and its audit; and an index of the
stories."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path, PurePosixPath

import pandas as pd
import yaml

from .. import dag
from ..analysis import measures as m
from ..analysis import stories
from ..atomic import write_text
from ..data import tables
from . import charts, html, numbers, story, style, wording
from .numbers import Printed


def version_dir(story_id: str, slug: str) -> str:
    return str(PurePosixPath(dag.file("stories", "data", story=story_id, force=slug)).parent)


# ------------------------------------------------------------------------------------------- claims
def claims_doc(spec: stories.Spec, versions: list[story.Story], release: str) -> dict:
    """claims.yaml: every figure printed in every version, as a claim in the general claim form (its sentence as
    the quote; area, period, basis, offences, numerator, denominator and exclude written out)."""
    articles, claims = {}, []
    for v in versions:
        key = f"{spec.id}-{v.slug}"
        articles[key] = {"title": v.headline, "publisher": "crimeoutcomes stories (generated)", "release": release}
        sentences = {i: s.text for i, s in enumerate(v.sentences)}
        for n, f in enumerate(v.figures, start=1):
            claim = {"id": f"{key}-{n}", "article": key, "quote": sentences[f.sentence], **f.claim}
            claim.setdefault("exclude", [])
            claim.pop("rank", None)
            claims.append(claim)
    return {
        "description": f"Every figure printed in the versions of the story '{spec.title}' ({spec.id}).",
        "defaults": {"exclude": list(spec.exclude)},
        "articles": articles,
        "claims": claims,
    }


def write_claims(doc: dict, path: Path) -> None:
    write_text(path, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120))


# ------------------------------------------------------------------------------------------- one version
def version_table(v: stories.Version) -> list[dict]:
    """The data behind a version's chart: the force and England and Wales, for the story's period and the one it is
    compared with (exact values, with the printed ones)."""
    rows = []
    small = v.spec.thresholds["min_denominator"]
    for p in [v.now, v.ew, v.before, v.ew_before]:
        if p is None or not p.computable:
            continue
        if v.spec.measure.is_rate and (p.denominator or 0) < small:
            continue  # no rate on a small denominator, in the chart as in the story
        rows.append(
            {
                "area": wording.area_name(p.area, p.result.left_out),
                "short": "England and Wales" if p.area.is_ew else p.area.name,
                "period": wording.period_name(p.period),
                "numerator": p.numerator,
                "denominator": p.denominator,
                "rate": p.rate,
            }
        )
    return rows


def version_data(v: stories.Version, s: story.Story, chart: charts.Saved | None, ds: m.Dataset, site: str) -> dict:
    """version.json: what the version's page shows (the page computes nothing); site: the way from the story's
    folder to the site's folder ("../../" in reports/<edition>/stories/<id>/)."""
    table = version_table(v)
    printed_rows = [
        {
            "area": r["area"],
            "period": r["period"],
            "numerator": numbers.count(r["numerator"]).to_json(),
            "denominator": numbers.count(r["denominator"]).to_json() if r["denominator"] is not None else None,
            "rate": numbers.percent(r["rate"], 1).to_json() if r["rate"] is not None else None,
        }
        for r in table
    ]
    figures = [f.printed.to_json() for f in s.figures] + (chart.figures if chart else [])
    figures += [c for r in printed_rows for c in (r["numerator"], r["denominator"], r["rate"]) if c]
    return {
        "story": v.spec.id,
        "title": v.spec.title,
        "force": v.force.name,
        "slug": v.force.slug,
        "edition": ds.edition,
        "synthetic": ds.synthetic,
        "build": tables.edition_record(ds.build),
        "headline": s.headline,
        "ready": s.ready,
        "sections": {name: s.html_section(name) for name in ("intro", "body", "comparison", "caveats", "notes")},
        "table": printed_rows,
        "is_rate": v.spec.measure.is_rate,
        "chart": asdict(chart) if chart else None,
        "links": {
            "markdown": PurePosixPath(dag.file("stories", "markdown", story=v.spec.id, force=v.force.slug)).name,
            "index": PurePosixPath(dag.file("stories", "story", story=v.spec.id)).name,
            "claims": PurePosixPath(dag.file("stories", "claims", story=v.spec.id)).name,
            "audit": PurePosixPath(dag.file("stories", "audit", story=v.spec.id)).name,
            "report": site + dag.link("site", "reports", "page", force=v.force.slug),
            "site": site,
        },
        "figures": figures,
    }


def write_version(folder: Path, v: stories.Version, s: story.Story, ds: m.Dataset, source: str, site: str) -> dict:
    """A version's text, chart and version.json into the story's folder; returns version.json's content."""
    files = folder / version_dir(v.spec.id, v.force.slug).split("/", 1)[1]
    files.mkdir(parents=True, exist_ok=True)
    write_text(
        folder / PurePosixPath(dag.file("stories", "markdown", story=v.spec.id, force=v.force.slug)).name, s.markdown()
    )
    table = version_table(v)
    has_own = any(r["short"] == v.force.name for r in table)
    chart = charts.save_chart(charts.story_version(v, s, table, source, ds.synthetic), files) if has_own else None
    data = version_data(v, s, chart, ds, site)
    write_text(
        files / PurePosixPath(dag.file("stories", "data", story=v.spec.id, force=v.force.slug)).name,
        json.dumps(data, indent=1) + "\n",
    )
    return data


# ------------------------------------------------------------------------------------------- the national picture
def national_table(spec: stories.Spec, ds: m.Dataset, period, forces) -> pd.DataFrame:
    ranks = stories.ranking(ds, spec, period)
    rows = []
    for f in forces:
        p = stories.point(ds, spec.measure, m.Area.of(f.name), period)
        rank, _ = ranks.get(f.name, (None, None))
        row = {
            "Force": f.name,
            "_href": PurePosixPath(dag.file("stories", "version", story=spec.id, force=f.slug)).name,
        }
        if spec.measure.is_rate:
            row["Of"] = numbers.count(p.denominator if p.computable else None)
        row["Count"] = numbers.count(p.numerator if p.computable else None)
        if spec.measure.is_rate:
            row["Rate"] = numbers.percent(p.rate, 1) if p.rate is not None and rank is not None else numbers.count(None)
        row["Rank"] = numbers.count(rank)
        row["Data"] = (
            "complete"
            if p.computable and not p.result.caveats
            else ("with caveats" if p.computable else "not available")
        )
        rows.append(row)
    return numbers.frame(rows)


def write_index(
    spec: stories.Spec,
    folder: Path,
    ds: m.Dataset,
    period,
    versions: list[story.Story],
    forces,
    source: str,
    audit_counts: dict,
    site: str,
) -> None:
    """The story's national picture: England and Wales, a ranking chart, the table of every force (each version
    linked), and the files behind it."""
    build = tables.edition_record(ds.build)
    ew = stories.point(ds, spec.measure, stories.ew_area(spec), period)
    table = national_table(spec, ds, period, forces)
    chart = charts.save_chart(
        charts.story_ranking(spec, period, table, ew, story.noun(spec, ds), source, ds.synthetic), folder
    )
    noun = story.noun(spec, ds)
    ew_text = ""
    if ew.computable:
        ew_name = wording.area_name(ew.area, ew.result.left_out)
        if spec.measure.is_rate and ew.rate is not None:
            ew_text = (
                f"Across {ew_name}, {numbers.count(ew.numerator)} of {numbers.count(ew.denominator)} {noun} "
                f"{story._verb(spec)} {story.during(period)} {story.numerator_phrase(spec)}: "
                f"{numbers.percent(ew.rate, 1)}."
            )
        else:
            ew_text = f"Across {ew_name}, {numbers.count(ew.numerator)} {noun} {story.numerator_phrase(spec)}."
    headings = {
        "Of": f"{noun[0].upper()}{noun[1:]} {story._verb(spec)}",
        "Count": story.numerator_phrase(spec)[:1].upper() + story.numerator_phrase(spec)[1:],
        "Rate": "Rate",
        "Rank": "Rank (1 = highest)",
    }
    shown = table.rename(columns={k: v for k, v in headings.items() if k in table.columns})
    counts = ", ".join(f"{html.printed(numbers.count(n))} {html.esc(v)}" for v, n in audit_counts.items() if n)
    figures = (
        [numbers.count(ew.numerator), numbers.count(ew.denominator), numbers.percent(ew.rate, 1)]
        if ew.computable and ew.rate is not None
        else []
    )
    body = [
        f"<p>{html.esc(spec.description)}</p>" if spec.description else "",
        f"<p>{html.mark(ew_text, figures)}</p>" if ew_text else "",
        html.figure(
            chart.files["png"],
            chart.alt,
            html.mark(chart.title, [Printed.from_json(f) for f in chart.figures]),
            {"data (CSV)": chart.files["csv"], "PNG": chart.files["png"], "SVG": chart.files["svg"]},
            chart.files.get("png_phone"),
        ),
        html.table(
            shown,
            caption=f"Every police force, {wording.period_name(period)}: select a force for its version of the story",
            sortable=True,
            links={"Force": "_href"},
            table_id="forces",
        ),
        '<h2 id="check">Check it yourself</h2>'
        f"<p>Every figure the {html.printed(numbers.count(len(versions)))} versions print is written as a claim in "
        f'<a href="{PurePosixPath(dag.file("stories", "claims", story=spec.id)).name}">claims.yaml</a> and audited '
        f'by the claims engine in <a href="{PurePosixPath(dag.file("stories", "audit", story=spec.id)).name}">'
        f"claims_audit.csv</a> ({counts}). Each version is also plain text to paste "
        "(the <code>.md</code> file beside its page). The story's definition is "
        f"<code>config/stories/{html.esc(spec.id)}.yaml</code>.</p>",
    ]
    page = html.page(
        f"{spec.title}: {wording.period_name(period)}",
        "\n".join(b for b in body if b),
        build,
        sortable=True,
        root=site,
        crumbs=[("All forces", site + dag.file("site", "index")), ("Stories", "../" + dag.file("stories", "index"))],
    )
    write_text(folder / PurePosixPath(dag.file("stories", "story", story=spec.id)).name, page)


def write_stories_index(folder: Path, entries: list[dict], build: dict, site: str) -> None:
    """stories/index.html: every story with its period and a link to its national picture."""
    items = "".join(
        (
            f'<li><a href="{html.esc(dag.file("stories", "story", story=e["id"]))}">{html.esc(e["title"])}</a>: '
            f"{html.esc(e['period'])}" + (f". {html.esc(e['description'])}" if e.get("description") else "")
            if not e.get("skipped")
            else f"<li>{html.esc(e['title'])}: not written for this edition ({html.esc(e['skipped'])})"
        )
        + "</li>"
        for e in entries
    )
    body = (
        "<p>Localised stories for any measure of the table: a version for every police force, written from one "
        "template with wording for each case (a rise or a fall, a record, above or below England and Wales), and "
        f"every figure checked against the raw rows.</p><ul>{items}</ul>"
    )
    write_text(
        folder / dag.file("stories", "index"),
        html.page("Stories", body, build, root=site, crumbs=[("All forces", site + dag.file("site", "index"))]),
    )


def style_source(ds: m.Dataset) -> str:
    return style.source_line(ds.release, ds.synthetic)
