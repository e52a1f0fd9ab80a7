"""site: the index page, the methods page, and the data tables the pages cite -> reports/<edition>/."""

from __future__ import annotations

from .. import dag
from ..publish import site


def run(ctx, target) -> dict:
    ds = ctx.dataset
    site.write_index(ds, target.folder)
    site.write_methods(ds, target.folder, target.input("methods"))
    tables = site.publish_tables(ds, target.folder)
    return {
        "summary": "index, methods and data pages",
        "files": [dag.file("site", "index"), dag.file("site", "methods"), *tables],
    }
