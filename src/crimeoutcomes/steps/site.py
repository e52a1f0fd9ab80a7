"""site: the index page, the methods page, and the data tables the pages cite -> reports/<edition>/."""

from __future__ import annotations

from pathlib import Path

from .. import dag
from ..analysis import stories
from ..publish.pages import site


def run(ctx, target) -> dict:
    ds = ctx.dataset
    site.write_index(ds, target.folder, stories.load(Path(target.input("report_story"))).field)
    site.write_methods(ds, target.folder, target.input("methods"))
    site.write_measures(ds, target.folder)
    tables = site.publish_tables(ds, target.folder)
    return {
        "summary": "index, methods, measures and data pages",
        "files": [dag.file("site", "index"), dag.file("site", "methods"), dag.file("site", "measures"), *tables],
    }
