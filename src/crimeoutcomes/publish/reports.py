"""A force's report: its files (figures.json, each chart as PNG, SVG and CSV with the data behind it) and its page.

figures   analysis.force_figures.build      headline table, chart data, data notes
story     publish.story.paragraph           the story paragraph
charts    publish.charts.force_charts       PNG (2x), SVG and CSV per chart, checked for clipped text
files     forces/<slug>/figures.json + the chart files, swapped in as a folder
page      papermill runs notebooks/03_force_report.ipynb, nbconvert makes forces/<slug>.html
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

from .. import dag
from ..analysis import force_figures as ff
from ..analysis import measures as m
from ..atomic import write_text
from ..data import forces as forces_mod
from ..data.forces import Force
from . import charts, notebooks, story


def release_of(build: dict) -> dict[str, str]:
    return {f["financial_year"]: f.get("release") or f["file"] for f in build.get("files", [])}


def forces_in(ds: m.Dataset) -> list[Force]:
    """The police forces with rows in the edition."""
    present = set(ds.coverage.loc[ds.coverage["rows"] > 0, "force"])
    return [f for f in forces_mod.POLICE_FORCES if f.name in present]


def page_file(force: Force) -> str:
    return dag.file("reports", "page", force=force.slug)


def files_folder(force: Force) -> str:
    return str(Path(dag.file("reports", "figures", force=force.slug)).parent)


def write_force_files(ds: m.Dataset, force: Force, caveat_list, folder: Path) -> dict:
    """Figures, story and charts of one force into `folder` (a fresh folder); returns figures.json's content."""
    figs = ff.build(ds, force, caveat_list)
    releases = release_of(ds.build)
    text = story.paragraph(figs, releases)
    release = ds.build.get("release") or ds.edition
    saved = [charts.save_chart(d, folder) for d in charts.force_charts(figs, release, ds.synthetic, releases)]
    data = {
        "force": force.name,
        "prose": force.prose,
        "edition": ds.edition,
        "synthetic": ds.synthetic,
        "periods": {k: (p.label if p else None) for k, p in figs.periods.items()},
        "headline": figs.headline.to_dict(orient="records"),
        "story": {"text": text.text, "ready": text.ready, "caveats": text.caveats},
        "charts": [asdict(s) for s in saved],
        "notes": figs.notes,
    }
    write_text(folder / Path(dag.file("reports", "figures", force=force.slug)).name, json.dumps(data, indent=1) + "\n")
    return data


def render_page(edition: str, force: Force, build: dict, forces_dir: Path, kernel=None, keep: bool = False) -> Path:
    """Run the report template for one force with papermill and convert it to the force's page."""
    folder = forces_dir / files_folder(force)
    tmp = forces_dir / f".render-{force.slug}.{os.getpid()}.building"  # removed by clean_stale after a kill
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        nb = tmp / "report.ipynb"
        try:
            notebooks.execute(
                dag.FORCE_REPORT.name,
                nb,
                {"force": force.name, "edition": edition},
                kernel_manager=kernel.get() if kernel else None,
            )
        except Exception:
            if kernel:
                kernel.restart()  # never reuse a kernel whose run failed
            raise
        page = notebooks.to_html(
            nb,
            forces_dir / page_file(force),
            title=f"{force.name}: crime outcomes report",
            build=build,
            crumbs=[
                ("All forces", dag.link("reports", "site", "index")),
                ("Claims audit", dag.link("reports", "claims", "page")),
            ],
        )
        if keep:
            os.replace(nb, folder / "report.ipynb")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return page
