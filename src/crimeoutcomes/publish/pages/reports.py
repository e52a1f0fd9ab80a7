"""A force's report: its files (figures.json, each chart as PNG, SVG and CSV with the data behind it) and its page.

figures   analysis.force_figures.build      headline table, chart data, data notes
story     the stories step's version of the report's story for the force (its version.json), as written and audited
charts    publish.charts.force_charts       PNG (2x), SVG and CSV per chart, checked for clipped text
files     forces/<slug>/figures.json + the chart files, swapped in as a folder
page      steps/reports.py has papermill run notebooks/03_force_report.ipynb and nbconvert make forces/<slug>.html
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ... import dag, paths
from ...analysis import force_figures as ff
from ...analysis import measures as m
from ...atomic import write_text
from ...data import forces as forces_mod
from ...data import tables
from ...data.forces import Force
from ..charts import chart as charts_mod
from ..charts import force as force_charts
from ..words import story
from . import force_page


def forces_in(ds: m.Dataset) -> list[Force]:
    """The police forces with rows in the edition."""
    present = set(ds.coverage.loc[ds.coverage["rows"] > 0, "force"])
    return [f for f in forces_mod.POLICE_FORCES if f.name in present]


def page_file(force: Force) -> str:
    return dag.file("reports", "page", force=force.slug)


def files_folder(force: Force) -> str:
    return str(Path(dag.file("reports", "figures", force=force.slug)).parent)


def stories_written(edition: str) -> list[dict]:
    """The stories the stories step wrote for this edition (id, title, period), from its list (stories.json): every
    force's report links to its version of each."""
    path = paths.output("stories", "list", edition)
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [{k: e[k] for k in ("id", "title", "period")} for e in entries if not e.get("skipped")]


def report_story(edition: str, story_id: str, force: Force) -> story.Story | None:
    """The force's version of the report's story (`story_id`) as the stories step wrote and audited it (None: not
    written)."""
    path = paths.output("stories", "data", edition, story=story_id, force=force.slug)
    if not path.is_file():
        return None
    return story.Story.from_json(json.loads(path.read_text(encoding="utf-8"))["written"])


def write_force_files(
    ds: m.Dataset, force: Force, caveat_list, folder: Path, spec, version: story.Story | None, others: list[dict] = ()
) -> dict:
    """Figures, story and charts of one force into `folder` (a fresh folder): its figures measure what `spec` (the
    report's story spec, the step table's input `report_story`) measures; `version`, the force's version of that
    story, is the stories step's (report_story), never written again here. others: the stories written for the
    edition (stories_written), each linked at the force's version."""

    figs = ff.build(ds, force, caveat_list, spec.field)
    releases = tables.release_of(ds.build)
    page = force_page.content(figs, version.caveats if version else [])
    release = ds.release
    saved = [charts_mod.save_chart(c, folder) for c in force_charts.force_charts(figs, release, ds.synthetic, releases)]
    ledger = [f for t in page["headline"] for r in t["rows"] for f in (r["force"], r["ew"]) if f]
    ledger += [f for n in page["notes"] for f in n["figures"]] + [f for c in saved for f in c.figures]
    links = [{**o, "link": dag.link("reports", "stories", "version", story=o["id"], force=force.slug)} for o in others]
    story_data = force_page.story_data(version, page["anchors"], force, links) if version else None
    if story_data:
        ledger += story_data["figures"]
    data = {
        "force": force.name,
        "prose": force.prose,
        "slug": force.slug,
        "edition": ds.edition,
        "synthetic": ds.synthetic,
        "build": tables.edition_record(ds.build),
        "periods": {k: (p.label if p else None) for k, p in figs.periods.items()},
        **page,
        "story": story_data,
        "charts": [asdict(c) for c in saved],
        "files": {
            "quality": dag.link("reports", "site", "quality"),
            "coverage": dag.link("reports", "site", "coverage"),
        },
        "figures": ledger,
    }
    write_text(folder / Path(dag.file("reports", "figures", force=force.slug)).name, json.dumps(data, indent=1) + "\n")
    return data
