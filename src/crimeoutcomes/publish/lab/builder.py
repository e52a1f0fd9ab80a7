"""The story builder (notebooks/06_story_builder.ipynb, in `make lab`): a journalist picks the offences and outcomes
from the data's own lists, sees the story's definition, one force's version and the national table at once, every
figure and statement audited as the stories step audits them, and saves the definition to run for every force
(`make stories STORY=...`).

The notebook holds only parameters; everything here is the stories step's own machinery run on one version:
analysis/stories.py for the figures, publish/words/story.py for the words, publish/words/readback.py and
publish/words/house_style.py for the checks, the claims engine for the audit."""

from __future__ import annotations

from pathlib import Path

import yaml
from IPython.display import HTML

from ... import paths
from ...analysis import catalogue, claims, stories
from ...analysis import measures as m
from ...atomic import write_text
from ...data import forces as forces_mod
from ...data import tables
from ...errors import DataError, UserError
from ..pages import html, story_page
from ..words import claims_text, house_style, numbers, readback, story, wording


def _show(markup: str):
    return HTML(markup)


class StoryBuilder:
    def __init__(self, edition: str):
        self.ds = m.Dataset.load(edition)
        self.catalogue = catalogue.catalogue(self.ds)

    # ------------------------------------------------------------------ the lists to choose from
    def lists(self, kind: str = "group"):
        """The offence groups, subgroups or codes (kind), and the outcome types, with their counts."""
        cat = self.catalogue
        when = wording.period_name(cat.period) if cat.period is not None else "every quarter"
        part = cat.offences[cat.offences["kind"] == kind]
        rows = [
            {
                "Write it as": f"{{{kind}: {r.name}}}",
                **({"Description": r.description} if kind == "code" else {}),
                f"Offences recorded, {when}": numbers.count(r.recorded),
                f"Outcomes assigned, {when}": numbers.count(r.closed),
            }
            for r in part.itertuples(index=False)
        ]
        outcomes = [
            {
                "Outcome type": r.type,
                "Description": r.description,
                f"Outcomes assigned, {when}": numbers.count(r.closed),
            }
            for r in cat.outcomes.itertuples(index=False)
        ]
        return _show(
            html.table(numbers.frame(rows), caption=f"Offence {kind}s, England and Wales")
            + html.table(numbers.frame(outcomes), caption="Outcome types, England and Wales")
        )

    # ------------------------------------------------------------------ the definition
    @staticmethod
    def definition(story_id, title, basis, offences, numerator, denominator, period, **more) -> dict:
        """The story's definition (what a spec file holds), from the notebook's parameters."""
        measure = {"basis": basis, "offences": offences, "numerator": numerator}
        if denominator not in (None, ""):
            measure["denominator"] = denominator
        return {
            "id": story_id,
            "title": title,
            "measure": measure,
            "period": period,
            **{k: v for k, v in more.items() if v not in (None, "", [], {})},
        }

    def spec(self, doc: dict) -> stories.Spec:
        """The definition checked as the stories step checks a spec file, and its offences against the data."""
        spec = stories.parse(doc, None, "the story builder")
        problem = self.ds.check_offences(spec.measure.offences)
        if problem:
            raise DataError(f"the story builder: measure.offences: {wording.unknown_offence(problem)}")
        return spec

    @staticmethod
    def text(doc: dict) -> str:
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)

    def show_definition(self, doc: dict):
        return _show(f"<pre>{html.esc(self.text(doc))}</pre>")

    # ------------------------------------------------------------------ one version, checked and audited
    def version(self, spec: stories.Spec, force: str) -> tuple[stories.Version, story.Story, list[str]]:
        """A force's version, and every problem the stories step would fail it for (none when it would pass)."""
        period = stories.resolve_period(spec, self.ds)
        why = stories.cannot_write(spec, self.ds, period)
        if why is not None:
            raise UserError(f"the story cannot be written on these figures: {wording.no_figure(why)}")
        v = stories.version(self.ds, spec, forces_mod.resolve(force, police_only=True), period)
        written = story.write(v, self.ds, tables.release_of(self.ds.build))
        what = f"version {v.force.name}"
        problems = readback.read(written, what) + house_style.check(written, what)
        if not problems:
            doc = story_page.claims_doc(spec, [written], self.ds.release)
            registry = claims.parse(doc, Path(f"{spec.id}-claims.yaml"))
            claims_text.refuse_unknown_offences([registry], self.ds)
            audit = claims.audit([registry], self.ds, with_rows=False)
            release_of = tables.release_of(self.ds.build)
            problems += [
                f"{what}: {f.claim.claimed.text!r} is {f.verdict} ({claims_text.reason(f, release_of)})"
                for f in audit.findings
                if f.verdict != claims.REPRODUCED
            ]
        return v, written, problems

    def show_version(self, spec: stories.Spec, force: str):
        _, written, problems = self.version(spec, force)
        paragraphs = "".join(
            f"<p>{written.html_section(name)}</p>" for name in (*story.STORY, "caveats") if written.section(name)
        )
        state = (
            "<p>Every figure and statement passes the audit and the house style: the stories step would write it.</p>"
            if not problems
            else "<p>The stories step would stop on this version:</p><ul>"
            + "".join(f"<li>{html.esc(p)}</li>" for p in problems)
            + "</ul>"
        )
        return _show(
            f'<blockquote class="story"><h3>{written.html_section("headline")}</h3>{paragraphs}</blockquote>{state}'
        )

    def show_national(self, spec: stories.Spec):
        period = stories.resolve_period(spec, self.ds)
        forces = [f for f in forces_mod.POLICE_FORCES if f.name in set(self.ds.coverage["force"])]
        table, figures = story_page.national_table(spec, self.ds, period, forces, set())
        return _show(
            html.table(
                table,
                caption=f"Every police force, {wording.period_name(period)}",
                sortable=True,
                links={"Force": "_href"},
                cell_html={"Data": lambda r: html.mark(r["Data"], figures.get(r["Force"], []))},
            )
        )

    # ------------------------------------------------------------------ saving the definition
    def save(self, doc: dict, to: str) -> str:
        """Write the definition to `to` (a new file, named after the story's id), never over another file; returns
        what to run next."""
        if not to:
            return (
                'Not saved: set save_to to a file name, for example save_to = "my-stories/'
                f'{doc["id"]}.yaml", and run this cell again.'
            )
        path = Path(to).expanduser()
        if path.suffix not in (".yaml", ".yml") or path.stem != doc["id"]:
            raise UserError(f"save_to {to!r}: name the file after the story's id: {doc['id']}.yaml")
        if path.exists() and path.read_text(encoding="utf-8", errors="replace") != self.text(doc):
            raise UserError(
                f"save_to {paths.printable(str(path))} already holds something else: choose a new file name"
            )
        inside, project = path.resolve(), paths.CHECKOUT.resolve()
        yours = [project / "my-stories", project / "my-notebooks"]
        if inside.is_relative_to(project) and not any(inside.is_relative_to(f) for f in yours):
            raise UserError(
                f"save_to {to!r} is inside the project, outside my-stories/: save it there (or outside the project)"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, self.text(doc))
        shown = paths.printable(str(path))
        return f"Saved {shown}. Every force's version: make stories STORY={shown}"
