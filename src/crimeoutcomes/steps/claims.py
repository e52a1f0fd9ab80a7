"""claims: every claim of the registries (config/claims/*.yaml, or a user's own) audited against the edition ->
reports/<edition>/claims/ (or the folder the user named)."""

from __future__ import annotations

import os

from .. import paths
from ..analysis import claims
from ..data import tables
from ..publish.pages import claims_page
from ..publish.words import claims_text


def run(ctx, target) -> dict:
    registries = claims.load_all(target.inputs("registries"))
    # a registry the user brought must fit the edition; the project's own may name offences another edition lacks
    if ctx.registries:
        claims_text.refuse_unknown_offences(registries, ctx.dataset)
    audit = claims.audit(registries, ctx.dataset, ctx.manifest)
    index = paths.output("site", "index", ctx.name)
    crumbs = [("All forces", os.path.relpath(index, target.final))]
    root = os.path.relpath(index.parent, target.final) + "/"
    claims_page.write(audit, target.folder, ctx.build_record, crumbs, tables.release_of(ctx.build_record), root)
    counts = ", ".join(f"{n} {v}" for v, n in audit.counts().items() if n)
    return {"summary": f"{len(audit.findings)} claims ({counts})"}
