"""site: the index page, every force with its key figures and links to every page -> reports/<edition>/index.html."""

from __future__ import annotations

from .. import dag
from ..publish import site


def run(ctx, target) -> dict:
    site.write_index(ctx.dataset, target.folder)
    return {"summary": "index page", "files": [dag.file("site", "index")]}
