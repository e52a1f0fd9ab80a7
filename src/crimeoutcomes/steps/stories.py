"""stories: for every story spec (config/stories/*.yaml, or --spec), a version for every police force ->
reports/<edition>/stories/<id>/ (<force>.md to paste, <force>.html with its chart and data, index.html with the
national picture, claims.yaml with every printed figure as a claim, claims_audit.csv with their audit).

A version with any printed figure the audit does not reproduce fails the step, naming it. Pages are rendered by
papermill from notebooks/05_story.ipynb, in parallel, each worker keeping one kernel; each chart is drawn once per
saved format."""

from __future__ import annotations

import os
from pathlib import Path

from .. import csvfile, dag, paths
from ..analysis import claims, stories
from ..data import tables
from ..errors import UserError
from ..publish import claims_text, reports, story, story_page, wording, workers
from ..publish.wording import counted as plural

#: a worker starts in about 3 s and a version takes about 0.3 s: fewer than 16 versions a worker render here
PER_WORKER = 16


def _setup(edition: str, build: dict, spec_paths: list[str]) -> dict:
    from ..analysis.measures import Dataset

    return {
        "ds": Dataset.load(edition, build=build),
        "specs": {s.id: s for s in stories.load_all([Path(p) for p in spec_paths])},
    }


def _render(state: dict, item: tuple) -> None:
    """One version: its text, chart and version.json, then its page (papermill + nbconvert)."""
    folder, spec_id, force_name, keep, site = item
    from ..data.forces import resolve
    from ..publish import notebooks

    ds, spec = state["ds"], state["specs"][spec_id]
    force = resolve(force_name)
    period = stories.resolve_period(spec, ds)
    version = stories.version(ds, spec, force, period)
    written = story.write(version, ds, tables.release_of(ds.build))
    story_page.write_version(Path(folder), version, written, ds, story_page.style_source(ds), site)
    target = Path(folder) / Path(dag.file("stories", "version", story=spec.id, force=force.slug)).name
    notebooks.render_page(
        dag.STORY_PAGE,
        {"story": spec.id, "force": force.name, "edition": ds.edition, "folder": str(Path(folder))},
        target,
        ds.build,
        keep=keep,
        title=f"{force.name}: {spec.title}",
        crumbs=[
            ("All forces", site + dag.file("site", "index")),
            ("Stories", "../" + dag.file("stories", "index")),
            (spec.title, Path(dag.file("stories", "story", story=spec.id)).name),
        ],
        root=site,
        kernel=state.get("kernel"),
    )


def run(ctx, target) -> dict:
    ds = ctx.dataset
    spec_paths = target.inputs("specs")
    specs = stories.load_all(spec_paths)
    forces = list(ctx.forces) or reports.forces_in(ds)
    release_of = tables.release_of(ds.build)
    entries, items, audits = [], [], {}
    # the way from a story's folder, and from the stories folder, to the site's (a run of one's own may be elsewhere)
    up = os.path.relpath(paths.reports_dir(ctx.name), target.final) + "/"
    site = "../" + up
    for spec in specs:
        period = stories.resolve_period(spec, ds)
        why = stories.cannot_write(spec, ds, period)
        if why:
            if ctx.specs:  # a spec the user brought must fit the edition
                raise UserError(
                    f"story {spec.id} ({paths.relative(spec.path)}): {why}; choose another period or edition"
                )
            # the project's own specs are written for the editions that hold their offences and period
            ctx.log(f"  story {spec.id}: not written for this edition: {why}")
            entries.append({"id": spec.id, "title": spec.title, "period": "", "skipped": why})
            continue
        folder = target.folder / spec.id
        folder.mkdir(parents=True, exist_ok=True)
        versions = [story.write(stories.version(ds, spec, f, period), ds, release_of) for f in forces]
        audit = _audit(spec, versions, folder, ds, ctx)
        audits[spec.id] = audit
        story_page.write_index(
            spec, folder, ds, period, versions, forces, story_page.style_source(ds), audit.counts().to_dict(), site
        )
        entries.append(
            {"id": spec.id, "title": spec.title, "period": wording.period_name(period), "description": spec.description}
        )
        items += [(str(folder), spec.id, f.name, ctx.keep_notebooks, site) for f in forces]
    story_page.write_stories_index(target.folder, entries, tables.edition_record(ds.build), up)
    workers.run(
        items,
        _render,
        _setup,
        (ctx.name, ctx.build_record, [str(p) for p in spec_paths]),
        jobs=ctx.jobs,
        what="story page(s)",
        per_worker=PER_WORKER,
        name=lambda i: f"{i[1]}, {i[2]}",
        log=ctx.log,
    )
    n = sum(len(a.findings) for a in audits.values())
    return {
        "summary": f"{plural(len(audits), 'story', 'stories')} x {plural(len(forces), 'force')}, "
        f"{plural(n, 'printed figure')}, every one reproduced",
        "versions": len(items),
    }


def _audit(spec: stories.Spec, versions: list[story.Story], folder: Path, ds, ctx) -> claims.Audit:
    """claims.yaml and its audit; any figure not reproduced fails the step, naming it."""
    doc = story_page.claims_doc(spec, versions, ds.release)
    path = folder / Path(dag.file("stories", "claims", story=spec.id)).name
    story_page.write_claims(doc, path)
    registry = claims.load(path)
    audit = claims.audit([registry], ds, ctx.manifest, with_rows=False, strict=True)
    table = claims_text.table(audit, tables.release_of(ds.build), {})
    csvfile.to_csv(table, folder / Path(dag.file("stories", "audit", story=spec.id)).name)
    wrong = [f for f in audit.findings if f.verdict != claims.REPRODUCED]
    if wrong:
        f = wrong[0]
        raise UserError(
            f"story {spec.id}: {plural(len(wrong), 'printed figure')} the audit does not reproduce, "
            f"e.g. {f.claim.article}: "
            f"'{f.claim.claimed.text}' in \"{f.claim.quote}\" is {f.verdict} "
            f"({claims_text.reason(f, tables.release_of(ds.build))})"
        )
    return audit
