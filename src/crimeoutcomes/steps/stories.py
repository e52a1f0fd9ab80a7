"""stories: for every story spec (config/stories/*.yaml, or --spec), a version for every police force ->
reports/<edition>/stories/<id>/ (<force>.md to paste, <force>.html with its chart and data, index.html with the
national picture, claims.yaml with every printed figure and statement as a claim, claims_audit.csv with their
audit).

Each version is computed once, here: its figures (analysis/stories.py), its words (publish/words/story.py), read back
from the printed text (publish/words/readback.py), checked against the house style (publish/words/house_style.py) and
audited by the claims engine. Any version that fails one of them fails the step, naming it. Each version's files are
then written from those results, in parallel (a worker loads no data: it writes what it is given): its text, its chart
in both drawings, version.json, and its page (publish/pages/version_page.py; notebooks/05_story.ipynb shows the same
sections). The national pages always rank every police force of the edition, whichever forces' versions are written
(--force)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import csvfile, dag, paths
from ..analysis import claims, stories
from ..atomic import write_text
from ..data import tables
from ..data.forces import Force
from ..errors import UserError
from ..publish.execute import workers
from ..publish.pages import reports, story_page, version_page
from ..publish.words import claims_text, house_style, readback, story, wording
from ..publish.words.wording import counted as plural

#: a worker starts in about 1.5 s and a version takes about 0.2 s: fewer than 16 versions a worker write here
PER_WORKER = 16


def _setup() -> dict:
    return {}


def _render(state: dict, item: tuple) -> None:
    """One version's files: its text, chart and version.json, then its page."""
    folder, version, written, about, site = item
    data = story_page.write_version(Path(folder), version, written, about, site)
    version_page.write(Path(folder), data, site)


def versions(ds, spec: stories.Spec, forces: list[Force], period) -> list[tuple[stories.Version, story.Story]]:
    """Every chosen force's version of a story, computed once, read back and checked against the house style; the
    first problem fails the step in one line (with how many there are)."""
    release_of = tables.release_of(ds.build)
    out, problems = [], []
    for f in forces:
        v = stories.version(ds, spec, f, period)
        written = story.write(v, ds, release_of)
        what = f"story {spec.id}, version {f.name}"
        problems += readback.read(written, what) + house_style.check(written, what)
        out.append((v, written))
    if problems:
        more = f" (and {plural(len(problems) - 1, 'more problem')})" if len(problems) > 1 else ""
        raise UserError(problems[0] + more)
    return out


def run(ctx, target) -> dict:
    ds = ctx.dataset
    specs = stories.load_all(target.inputs("specs"))
    every = reports.forces_in(ds)
    chosen = list(ctx.forces) or every
    about = story_page.About.of(ds)
    entries, writable, audits = [], [], {}
    # the way from a story's folder, and from the stories folder, to the site's (a run of one's own may be elsewhere)
    up = os.path.relpath(paths.reports_dir(ctx.name), target.final) + "/"
    site = "../" + up
    for spec in specs:
        period = stories.resolve_period(spec, ds)
        unwritable = stories.cannot_write(spec, ds, period)
        if unwritable is not None:
            why = wording.no_figure(unwritable)
            if ctx.specs:  # a spec the user brought must fit the edition
                raise UserError(f"story {spec.id} ({paths.relative(spec.path)}): {why}")
            # the project's own specs are written for the editions that hold their offences and period
            ctx.log(f"  story {spec.id}: not written for this edition: {why}")
            entries.append({"id": spec.id, "title": spec.title, "period": "", "skipped": why})
            continue
        writable.append((spec, period))
        entries.append(
            {"id": spec.id, "title": spec.title, "period": wording.period_name(period), "description": spec.description}
        )

    def pages():
        """Each story's versions computed once, audited, and its national page written; then its versions' pages
        rendered from those results (the workers render one story's while the next is computed)."""
        for spec, period in writable:
            folder = target.folder / spec.id
            folder.mkdir(parents=True, exist_ok=True)
            written = versions(ds, spec, chosen, period)
            audits[spec.id] = _audit(spec, [w for _, w in written], folder, ds, ctx)
            counts = audits[spec.id].counts().to_dict()
            story_page.write_index(spec, folder, ds, period, every, {f.name for f in chosen}, about, counts, site)
            yield from ((str(folder), v, w, about, site) for v, w in written)

    story_page.write_stories_index(target.folder, entries, about.build, up)
    write_text(target.folder / dag.file("stories", "list"), json.dumps(entries, indent=1) + "\n")
    items = workers.run(
        pages(),
        _render,
        _setup,
        (),
        jobs=ctx.jobs,
        what="story page(s)",
        per_worker=PER_WORKER,
        name=lambda i: f"{i[1].spec.id}, {i[1].force.name}",
        log=ctx.log,
        count=len(writable) * len(chosen),
    )
    n = sum(len(a.findings) for a in audits.values())
    return {
        "summary": f"{plural(len(audits), 'story', 'stories')} x {plural(len(chosen), 'force')}, "
        f"{plural(n, 'printed figure or statement', 'printed figures and statements')}, every one reproduced",
        "versions": len(items),
    }


def _audit(spec: stories.Spec, versions: list[story.Story], folder: Path, ds, ctx) -> claims.Audit:
    """claims.yaml and its audit; any figure or statement not reproduced fails the step, naming it."""
    doc = story_page.claims_doc(spec, versions, ds.release)
    path = folder / Path(dag.file("stories", "claims", story=spec.id)).name
    story_page.write_claims(doc, path)
    registry = claims.load(path)
    claims_text.refuse_unknown_offences([registry], ds)
    audit = claims.audit([registry], ds, ctx.manifest, with_rows=False)
    table = claims_text.table(audit, tables.release_of(ds.build), {})
    csvfile.to_csv(table, folder / Path(dag.file("stories", "audit", story=spec.id)).name)
    wrong = [f for f in audit.findings if f.verdict != claims.REPRODUCED]
    if wrong:
        f = wrong[0]
        raise UserError(
            f"story {spec.id}: {plural(len(wrong), 'printed figure or statement', 'printed figures and statements')} "
            f"the audit does not reproduce, e.g. {f.claim.article}: "
            f"'{f.claim.claimed.text}' in \"{f.claim.quote}\" is {f.verdict} "
            f"({claims_text.reason(f, tables.release_of(ds.build))})"
        )
    return audit
