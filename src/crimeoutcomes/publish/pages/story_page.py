"""The stories step's files: for each story, every force's version (the story as plain text to paste, its page: the
story, its chart and the data behind it), the national picture (a ranking table, a chart, every version linked),
claims.yaml (every figure every version prints, in the general claim form) and its audit; and an index of the
stories."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from ... import dag, yamlfile
from ...analysis import measures as m
from ...analysis import quality, ranking, stories
from ...atomic import write_text
from ...data import tables
from ...errors import UserError
from ..charts import chart as charts_mod
from ..charts import stories as story_charts
from ..charts import style
from ..words import numbers, readback, story, wording
from ..words.numbers import Printed
from . import html, version_page


# ------------------------------------------------------------------------------------------- claims
def claims_doc(spec: stories.Spec, versions: list[story.Story], release: str) -> dict:
    """claims.yaml: every figure and statement printed in every version, as a claim in the general claim form (its
    sentence as the quote; area, period, basis, offences, numerator, denominator and exclude written out). The
    claimed figure is the text read back from the printed sentence (publish/words/readback.py); figures that make one
    claim together (a rank and the number of forces ranked) are one claim."""
    articles, claims = {}, []
    for v in versions:
        key = f"{spec.id}-{v.slug}"
        articles[key] = {"title": v.headline, "publisher": "crimeoutcomes stories (generated)", "release": release}
        sentences = {i: s.text for i, s in enumerate(v.sentences)}
        groups: dict[int, list[story.Figure]] = {}
        for f in v.figures:
            if f.claim is not None:  # a rule of the story (its threshold) is not a claim about the data
                groups.setdefault(id(f.claim), []).append(f)
        for n, parts in enumerate(groups.values(), start=1):
            first = parts[0]
            claimed = first.compose.format(*[p.read or str(p.printed) for p in parts])
            claims.append(
                {
                    "id": f"{key}-{n}",
                    "article": key,
                    "quote": sentences[first.sentence],
                    **first.claim,
                    "claimed": claimed,
                }
            )
    return {
        "description": f"Every figure and statement printed in the versions of the story '{spec.title}' ({spec.id}).",
        "articles": articles,
        "claims": claims,
    }


def write_claims(doc: dict, path: Path) -> None:
    write_text(path, yamlfile.dump(doc))


# ------------------------------------------------------------------------------------------- one version
@dataclass(frozen=True)
class About:
    """What a page says about the data it shows (the edition's record, whether it is SYNTHETIC, the chart source
    line): all a worker needs to write a version's files, without loading the data."""

    edition: str
    synthetic: bool
    build: dict
    source: str

    @classmethod
    def of(cls, ds: m.Dataset) -> About:
        return cls(ds.edition, ds.synthetic, tables.edition_record(ds.build), style_source(ds))


def version_table(v: stories.Version, s: story.Story) -> list[dict]:
    """The data behind a version's chart: the figures the version prints for the force and England and Wales, for the
    story's period and the one it is compared with (exact values)."""
    keys = {f.printed.key for f in s.figures}
    which = "rate" if v.spec.measure.is_rate else "numerator"
    rows = []
    for p in [v.now, v.ew, v.before, v.ew_before]:
        if p is None or not p.computable or f"{which}:{p.area.name}:{p.period.label}" not in keys:
            continue
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


def version_data(v: stories.Version, s: story.Story, chart: charts_mod.Saved | None, about: About, site: str) -> dict:
    """version.json: what the version's page shows (the page computes nothing); site: the way from the story's
    folder to the site's folder ("../../" in reports/<edition>/stories/<id>/)."""
    table = version_table(v, s)
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
        "edition": about.edition,
        "synthetic": about.synthetic,
        "build": about.build,
        "headline": s.headline,
        "headline_html": s.html_section("headline"),
        "ready": s.ready,
        "read_first": s.read_first,
        "comparable": v.comparable,
        "sections": {name: s.html_section(name) for name in (*story.STORY, "caveats", "data", "notes")},
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
        "written": s.to_json(),  # the story itself, for a page made elsewhere (the force's report)
    }


def write_version(folder: Path, v: stories.Version, s: story.Story, about: About, site: str) -> dict:
    """A version's text, chart and version.json into the story's folder; returns version.json's content."""
    files = version_page.files_folder(folder, v.spec.id, v.force.slug)
    files.mkdir(parents=True, exist_ok=True)
    write_text(
        folder / PurePosixPath(dag.file("stories", "markdown", story=v.spec.id, force=v.force.slug)).name, s.markdown()
    )
    table = version_table(v, s)
    has_own = any(r["short"] == v.force.name for r in table)
    chart = None
    if has_own:
        drawn = story_charts.story_version(v, s, table, about.source, about.synthetic)
        texts = {"title": drawn.title, "alt text": drawn.alt, "caption": drawn.caption}
        problems = readback.read_chart(
            texts, s, [*s.labels, v.spec.title], f"story {v.spec.id}, version {v.force.name}"
        )
        if problems:  # the chart states only figures the story prints (the audit checked them)
            raise UserError(problems[0])
        chart = charts_mod.save_chart(drawn, files)
    data = version_data(v, s, chart, about, site)
    write_text(
        files / PurePosixPath(dag.file("stories", "data", story=v.spec.id, force=v.force.slug)).name,
        json.dumps(data, indent=1) + "\n",
    )
    return data


# ------------------------------------------------------------------------------------------- the national picture
#: why a force is not ranked, as the national table says it
NOT_RANKED = {
    ranking.NOT_TERRITORIAL: "not ranked: polices the railways, not an area",
    ranking.LEFT_OUT: "not ranked: left out of this story",
    ranking.INCOMPLETE: "not ranked: outcomes incomplete",
    ranking.TOO_FEW: "not ranked: too few for a rate",
    ranking.NO_FIGURE: "no figure",
}


def national_table(
    spec: stories.Spec, ds: m.Dataset, period, forces, linked: set[str]
) -> tuple[pd.DataFrame, dict[str, list[Printed]]]:
    """Every police force of the edition (ranked as the versions rank them), the rate next to the force's name so
    that it stays in view on a phone; linked: the forces whose version was written (linked from the table). Also the
    figures each force's Data cell prints."""
    ranks = stories.ranks(ds, spec, period)
    incomplete = quality.incomplete(ds, period)
    rows, figures = [], {}
    for f in forces:
        p = stories.point(ds, spec.measure, m.Area.of(f.name), period)
        place = ranks.of(f.name)
        rank = place.rank if place else None
        row = {
            "Force": f.name,
            "_href": PurePosixPath(dag.file("stories", "version", story=spec.id, force=f.slug)).name
            if f.name in linked
            else "",
        }
        small = spec.measure.is_rate and (p.denominator or 0) < spec.thresholds["min_denominator"]
        if spec.measure.is_rate:
            row["Rate"] = numbers.percent(p.rate, 1) if p.rate is not None and not small else numbers.count(None)
        row["Rank"] = (
            numbers.Printed(f"joint {rank}" if place.tied else str(rank), rank, f"rank:{f.name}")
            if rank is not None
            else numbers.count(None)
        )
        row["Count"] = numbers.count(p.numerator if p.computable else None)
        if spec.measure.is_rate:
            row["Of"] = numbers.count(p.denominator if p.computable else None)
        why = place.why_not if place else ranking.NO_FIGURE
        if f.name in incomplete:
            row["Data"], figures[f.name] = incomplete_cell(incomplete[f.name])
        elif why:
            row["Data"] = NOT_RANKED[why]
        else:
            row["Data"] = caveats_cell(p.result.caveats) if p.result.caveats else "complete"
        rows.append(row)
    return numbers.frame(rows), figures


def incomplete_cell(q: quality.Completeness) -> tuple[str, list[Printed]]:
    """Why a force is not ranked as incomplete, with the figures that show it against England and Wales: "not
    ranked: outcomes incomplete (offences closed 66% of those recorded, 93% nationally)"."""
    parts, figures = [], []
    if quality.UNASSIGNED in q.reasons:
        mine, ew = numbers.percent(q.mine.unassigned_pct, 1), numbers.percent(q.ew.unassigned_pct, 1)
        parts.append(f"{mine} of offences recorded have no outcome yet, {ew} nationally")
        figures += [mine, ew]
    if quality.FEW_CLOSED in q.reasons:
        mine = numbers.percent(100 * q.mine.closed_per_recorded, 0)
        ew = numbers.percent(100 * q.ew.closed_per_recorded, 0)
        parts.append(f"offences closed {mine} of those recorded, {ew} nationally")
        figures += [mine, ew]
    return f"not ranked: outcomes incomplete ({'; '.join(parts)})", figures


#: a force's own caveats on its figure, as the national table's Data cell says them
CAVEAT_CELL = {
    m.LOW: "figures for {months} look incomplete",
    m.PARTLY_PROVIDED: "not every count provided for {months}",
    m.LEFT_OUT: "some counts blank for {months}",
}


def caveats_cell(flags: list[m.Flag]) -> str:
    """A ranked force's caveats in the Data cell: "some counts blank for April to June 2018" (the period's own
    caveats; the force's version says whether they change its figure)."""
    out = []
    for kind, form in CAVEAT_CELL.items():
        quarters = sorted({(f.financial_year, f.quarter) for f in flags if f.kind == kind})
        if quarters:
            out.append(form.format(months=wording.join(wording.spans(quarters))))
    return "; ".join(out)


def write_index(
    spec: stories.Spec,
    folder: Path,
    ds: m.Dataset,
    period,
    forces,
    linked: set[str],
    about: About,
    audit_counts: dict,
    site: str,
) -> None:
    """The story's national picture: England and Wales, who is not ranked and why, a ranking chart, the table of
    every police force of the edition (each written version linked), and the files behind it."""
    ew = stories.point(ds, spec.measure, stories.ew_area(spec), period)
    table, cell_figures = national_table(spec, ds, period, forces, linked)
    noun = story.noun(spec, ds)
    ranks = stories.ranks(ds, spec, period)
    chart = charts_mod.save_chart(
        story_charts.story_ranking(spec, period, table, ranks, ew, noun, about.source, about.synthetic), folder
    )
    ew_text, figures = "", []
    if ew.computable:
        ew_name = wording.area_name(ew.area, ew.result.left_out)
        numerator, denominator = numbers.count(ew.numerator), numbers.count(ew.denominator)
        if spec.measure.is_rate and ew.rate is not None:
            rate = numbers.percent(ew.rate, 1)
            ew_text = (
                f"Across {ew_name}, of the {denominator} {noun} that forces {story._verb(spec)} "
                f"{story.during(period)}, {numerator} {story.numerator_phrase(spec)}: {rate}."
            )
            figures = [numerator, denominator, rate]
        else:
            ew_text = f"Across {ew_name}, {numerator} {noun} {story.numerator_phrase(spec)} {story.during(period)}."
            figures = [numerator]
    unranked = _unranked_text(ranks, noun, story._verb(spec))
    caveats = (
        " ".join(text for _, text in story.national_caveats(stories.effects(ds, spec, ew), spec.measure.is_rate))
        if ew.computable
        else ""
    )
    headings = {
        "Of": f"{noun[0].upper()}{noun[1:]} {story._verb(spec)}",
        "Count": story.numerator_phrase(spec)[:1].upper() + story.numerator_phrase(spec)[1:],
        "Rate": "Rate",
        "Rank": "Rank (1 = highest)",
    }
    shown = table.rename(columns={k: v for k, v in headings.items() if k in table.columns})
    counts = ", ".join(f"{html.printed(numbers.count(n))} {html.esc(v)}" for v, n in audit_counts.items() if n)
    written = len(linked)
    caption = f"Every police force, {story.when(period)}: " + (
        "select a force for its version of the story"
        if written == len(forces)
        else "the forces with a version are linked"
    )
    body = [
        f"<p>{html.esc(spec.description)}</p>" if spec.description else "",
        f"<p>{html.mark(ew_text, figures)}</p>" if ew_text else "",
        f"<p>{html.esc(caveats)}</p>" if caveats else "",
        f"<p>{html.esc(unranked)}</p>" if unranked else "",
        html.figure(
            chart.files["png"],
            chart.alt,
            html.mark(chart.title, [Printed.from_json(f) for f in chart.figures]),
            html.chart_downloads(chart.files),
            chart.files.get("png_phone"),
        ),
        html.table(
            shown,
            caption=caption,
            sortable=True,
            links={"Force": "_href"},
            table_id="forces",
            cell_html={"Data": lambda r: html.mark(r["Data"], cell_figures.get(r["Force"], []))},
        ),
        '<h2 id="check">Check it yourself</h2>'
        f"<p>Every figure and comparison the {html.printed(numbers.count(written))} versions print is written as a "
        f'claim in <a href="{PurePosixPath(dag.file("stories", "claims", story=spec.id)).name}">claims.yaml</a> and '
        f'audited by the claims engine in <a href="{PurePosixPath(dag.file("stories", "audit", story=spec.id)).name}">'
        f"claims_audit.csv</a> ({counts}). Each version is also plain text to paste "
        "(the <code>.md</code> file beside its page). The story's definition is "
        f"<code>config/stories/{html.esc(spec.id)}.yaml</code>.</p>",
    ]
    used = [fy for fy in about.build.get("financial_years") or [] if fy in period.financial_years]
    banner_build = {  # the banner names the releases and years this story's figures come from
        **about.build,
        "financial_years": used,
        "release": wording.releases(tables.releases_for(used, tables.release_of(about.build)))
        or about.build.get("release"),
    }
    page = html.page(
        f"{spec.title}: {story.when(period)}",
        "\n".join(b for b in body if b),
        banner_build,
        sortable=True,
        root=site,
        crumbs=[("All forces", site + dag.file("site", "index")), ("Stories", "../" + dag.file("stories", "index"))],
    )
    write_text(folder / PurePosixPath(dag.file("stories", "story", story=spec.id)).name, page)


def _unranked_text(ranks: ranking.Ranking, noun: str, verb: str) -> str:
    """Who is not ranked, and why, in one sentence."""
    parts = []
    for why, one, several in (
        (ranking.NOT_TERRITORIAL, "which polices the railways rather than an area", ""),
        (
            ranking.INCOMPLETE,
            "whose outcomes are incomplete compared with the other forces' (the methods page gives the rule)",
            "whose outcomes are incomplete compared with the other forces' (the methods page gives the rule)",
        ),
        (ranking.LEFT_OUT, "which this story leaves out of the national figures", "which this story leaves out"),
        (ranking.TOO_FEW, f"which {verb} too few {noun} for a rate", f"which {verb} too few {noun} for a rate"),
    ):
        names = ranks.not_ranked(why)
        if names:
            parts.append(
                f"{wording.join([wording.force_name(n) for n in names])}, {one if len(names) == 1 else several}"
            )
    return "Not ranked: " + "; ".join(parts) + "." if parts else ""


def write_stories_index(folder: Path, entries: list[dict], build: dict, site: str) -> None:
    """stories/index.html: every story with its period and a link to its national picture, and how to make one's
    own story."""
    items = "".join(
        (
            f'<li><a href="{html.esc(dag.file("stories", "story", story=e["id"]))}">{html.esc(e["title"])}</a>: '
            f"{html.esc(e['period'])}" + (f". {html.esc(e['description'])}" if e.get("description") else "")
            if not e.get("skipped")
            else f"<li>{html.esc(e['title'])}: not written for these figures ({html.esc(e['skipped'])})"
        )
        + "</li>"
        for e in entries
    )
    measures = site + dag.file("site", "measures")
    body = (
        "<p>Localised stories for any measure of the table: a version for every police force, written from one "
        "template with wording for each case (a rise or a fall against the national change, a record, above or below "
        "England and Wales, a rank among the territorial forces), and every figure and comparison checked against "
        f"the raw rows.</p><ul>{items}</ul>"
        '<h2 id="your-own">Make your own story</h2>'
        "<p>Any measure of the table can be a story: the share of burglaries closed with no suspect identified, the "
        "charge rate for an offence, the number of offences closed for lack of evidence. "
        f'<a href="{html.esc(measures)}">The list of measures</a> gives every offence group, subgroup and code and '
        "every outcome type with its description and how many offences it holds. Then either:</p><ul>"
        "<li>open the story builder in JupyterLab (<code>make lab</code>, then <code>06_story_builder.ipynb</code>): "
        "choose the offences and outcomes from the lists, see one force's version and the national table at once, "
        "and save the story's definition; or</li>"
        "<li>write the definition yourself: a short text file with four lines (its name, a title, the measure and the "
        "period; <code>config/stories/burglary-no-suspect.yaml</code> is one), then run "
        "<code>make stories STORY=path/to/your-story.yaml</code>.</li></ul>"
        "<p>Every version of your story is written for every force, checked like these, and fails with one line "
        "saying what to change if a figure or a word does not pass.</p>"
    )
    write_text(
        folder / dag.file("stories", "index"),
        html.page("Stories", body, build, root=site, crumbs=[("All forces", site + dag.file("site", "index"))]),
    )


def style_source(ds: m.Dataset) -> str:
    return style.source_line(ds.release, ds.synthetic)
