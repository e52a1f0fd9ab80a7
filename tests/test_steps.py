"""The step table (dag.py) and the pipeline that runs it: what each output depends on is declared once, a step runs
again exactly when something it depends on changed (or a file of it is missing), and tools are outside every step.

A small SYNTHETIC edition (three forces, two years) is built once in a project root whose config/ and notebooks/
are copies, so each declared input can be edited (conftest.synthetic_built); every case works on a fresh copy of
that root."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from crimeoutcomes import dag, paths, pipeline, stamps
from crimeoutcomes.tools import testing
from tests.conftest import SYNTHETIC_EDITION as EDITION
from tests.conftest import SYNTHETIC_FORCES as FORCES
from tests.conftest import synthetic_context


# ------------------------------------------------------------------------------------------- the declaration
def test_steps_mk_and_the_docs_table_are_generated_from_the_table():
    done = subprocess.run(
        [sys.executable, "-m", "crimeoutcomes", "steps", "--check"], capture_output=True, text=True, cwd=paths.CHECKOUT
    )
    assert done.returncode == 0, done.stderr
    assert (paths.CHECKOUT / dag.MAKE_FILE).read_text() == dag.makefile()
    for s in dag.STEPS:
        assert f"\n{s.make}: $(INSTALLED) ## Step {s.name}" in dag.makefile()
        assert f"| **{s.name}**: {s.summary} | `make {s.make}` |" in dag.markdown()


def test_make_help_lists_every_step_from_the_table():
    out = subprocess.run(["make", "--no-print-directory", "help"], capture_output=True, text=True, cwd=paths.CHECKOUT)
    assert out.returncode == 0, out.stderr
    for s in dag.STEPS:
        assert f"make {s.make:<12} Step {s.name}" in out.stdout


def test_every_step_is_ordered_after_what_it_needs():
    order = dag.order()
    assert order == [s.name for s in dag.STEPS if not s.asks]  # a step run only when asked is not in `make all`
    for s in dag.STEPS:
        asked = dag.order([s.name])
        assert asked[-1] == s.name and all(asked.index(u) < asked.index(s.name) for u in s.after), s.name
    assert dag.downstream("build") == {s.name for s in dag.STEPS} - {"build"}
    assert dag.order(["read"]) == ["build", "read"]


def _graph() -> dict[str, set[str]]:
    return {m: set(stamps._imports(m)) for m in stamps.modules()}


def test_stages_import_down_only_and_never_tools_or_the_machinery():
    rank = {"data": 0, "analysis": 1, "publish": 2}
    banned = {"crimeoutcomes.cli", "crimeoutcomes.pipeline", "crimeoutcomes.context"}
    for module, imports in _graph().items():
        parts = module.split(".")
        if len(parts) < 3 or parts[1] not in (*rank, "steps"):
            continue
        for imp in imports:
            assert not imp.startswith("crimeoutcomes.tools"), (module, imp)
            assert imp not in banned, (module, imp)
            assert not imp.startswith("crimeoutcomes.steps") or parts[1] == "steps", (module, imp)
            target = imp.split(".")[1] if imp.count(".") >= 1 else ""
            if parts[1] in rank and target in rank:
                assert rank[target] <= rank[parts[1]], f"{module} imports {imp} (upward)"


def test_there_is_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(m, trail):
        state[m] = 1
        for n in graph.get(m, ()):
            if n == m or n in m.split(".")[0]:
                continue
            if state.get(n) == 1 and not m.startswith(n + "."):  # a package importing its own module is no cycle
                raise AssertionError(f"import cycle: {' -> '.join([*trail, m, n])}")
            if n not in state:
                visit(n, [*trail, m])
        state[m] = 2

    for module in graph:
        if module not in state:
            visit(module, [])


def test_tools_are_outside_every_step_and_notebooks_count_as_code():
    for s in dag.STEPS:
        modules = pipeline.code_modules(s)
        assert s.code in modules
        assert not any(m.startswith("crimeoutcomes.tools") for m in modules), s.name
        assert not any(m in stamps.MACHINERY for m in modules), s.name
    # the pages step runs the notebooks, so what they import is its code
    assert "crimeoutcomes.publish.guide.guide" in pipeline.code_modules(dag.BY_NAME["pages"])
    assert "crimeoutcomes.publish.lab.display" in pipeline.code_modules(dag.BY_NAME["reports"])


def test_imports_are_found_wherever_they_stand():
    tree = ast.parse("def f():\n    from crimeoutcomes.data import tables\nimport crimeoutcomes.analysis.periods\n")
    assert stamps.imports_in(tree) == {"crimeoutcomes.data.tables", "crimeoutcomes.analysis.periods"}


def test_every_output_name_comes_from_the_table():
    """Output file names are written once, in dag.py: no other module spells one."""
    names = {o.path for s in dag.STEPS for o in s.outputs if not o.per_item}
    # a web server answers a folder with its index.html: the page checker serves pages as a web server does
    allowed = {"crimeoutcomes.tools.check_pages: index.html"}
    offenders = []
    for module, path in stamps.modules().items():
        if module in ("crimeoutcomes.dag",):
            continue
        text = path.read_text()
        offenders += [f"{module}: {n}" for n in names if f'"{n}"' in text or f"'{n}'" in text]
    offenders = [o for o in offenders if o not in allowed]
    for nb in sorted((paths.CHECKOUT / "notebooks").rglob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        offenders += [f"{nb.name}: {n}" for n in names if f'"{n}"' in code or f"'{n}'" in code]
    assert offenders == []


# ------------------------------------------------------------------------------------------- the pipeline
@pytest.fixture
def root(synthetic_root):
    return synthetic_root


def _ctx(root):
    return synthetic_context(root)


def stale(root) -> dict[str, str]:
    return {d.step.name: d.reason for d in pipeline.plan(_ctx(root)) if d.stale}


def dependent(step_names) -> set[str]:
    """The steps a plan of every step reruns when these change (a step run only when asked is never planned)."""
    out = set(step_names)
    for n in step_names:
        out |= dag.downstream(n)
    return {n for n in out if not dag.BY_NAME[n].asks}


def test_nothing_runs_when_nothing_changed(root):
    assert stale(root) == {}
    outputs = [root / "data", root / "reports"]
    before = testing.snapshot(*outputs)
    ran = pipeline.run(_ctx(root), None)
    assert not any(r.ran for r in ran)
    assert testing.snapshot(*outputs) == before  # no file written, none touched: sizes and times are the same


def _edit(path):
    assert not path.resolve().is_relative_to(paths.CHECKOUT), f"{path} is in the checkout"
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text())
        nb["cells"][0]["source"] = [*nb["cells"][0]["source"], " "]
        path.write_text(json.dumps(nb))
    else:
        path.write_text(path.read_text() + "\n# edited\n")


def _declared_inputs():
    """(input file relative to the project root, the steps that read it), from the table (and the checkout's files,
    which every root shares)."""
    files = {}
    for s in dag.STEPS:
        for p in pipeline.input_files(s):
            files.setdefault(p.relative_to(paths.project_root()).as_posix(), set()).add(s.name)
    assert files and not any(rel.startswith("/") for rel in files)
    return sorted(files.items())


@pytest.mark.parametrize("rel,readers", _declared_inputs(), ids=lambda v: v if isinstance(v, str) else "")
def test_editing_a_declared_input_reruns_exactly_the_steps_that_depend_on_it(root, rel, readers):
    _edit(root / rel)
    assert set(stale(root)) == dependent(readers)
    assert all(rel in stale(root)[s] for s in readers if not dag.BY_NAME[s].asks)


def test_editing_a_caveat_label_updates_the_guide_page_and_nothing_else_runs(root):
    caveats = root / "config" / "caveats.yaml"
    label = "Outcome 22 was voluntary before April 2021"
    caveats.write_text(caveats.read_text().replace(label, "Outcome 22 was optional until April 2021"))
    ran = {r.step: r for r in pipeline.run(_ctx(root), None)}
    assert {n for n, r in ran.items() if r.ran} == {"reports", "pages"}
    assert ran["reports"].info["rendered"] == len(FORCES)
    guide = (paths.output("pages", "00_dataset_guide", EDITION)).read_text()
    assert "Outcome 22 was optional until April 2021" in guide and label not in guide


@pytest.mark.parametrize(
    "module,expected",
    [
        ("crimeoutcomes.tools.bench", set()),
        ("crimeoutcomes.tools.synthetic", set()),
        ("crimeoutcomes.tools.check_pages", set()),
        ("crimeoutcomes.cli", set()),
        ("crimeoutcomes.publish.charts.chart", {"sensitivity", "reports", "stories"}),
        ("crimeoutcomes.publish.pages.claims_page", {"claims"}),
        ("crimeoutcomes.publish.guide.guide", {"pages"}),
        ("crimeoutcomes.analysis.exercises", {"pages"}),  # the guide alone imports the exercises, not display
        ("crimeoutcomes.publish.guide.exercises", {"pages"}),
        ("crimeoutcomes.tools.lab", set()),
        ("crimeoutcomes.data.read", set(dag.BY_NAME)),
        ("crimeoutcomes.steps.site", {"site"}),
    ],
)
def test_editing_a_module_reruns_exactly_the_steps_that_run_it(root, monkeypatch, module, expected):
    real = stamps.file_digest
    edited = stamps.modules()[module]
    monkeypatch.setattr(stamps, "file_digest", lambda p: "edited" if p == edited else real(p))
    assert set(stale(root)) == dependent(expected)
    assert all(s in dependent(expected) or s in expected for s in stale(root))


def test_a_new_lock_file_reruns_everything(root, monkeypatch):
    real = stamps.file_digest
    lock = paths.CHECKOUT / dag.LOCK_FILE
    monkeypatch.setattr(stamps, "file_digest", lambda p: "new" if p == lock else real(p))
    assert set(stale(root)) == {s.name for s in dag.STEPS if not s.asks}
    assert all("requirements.lock" in reason for reason in stale(root).values())


def test_a_deleted_output_is_made_again_by_its_step_alone(root):
    forces_dir = paths.step_dir("reports", EDITION)
    (forces_dir / "kent.html").unlink()
    (paths.step_dir("build", EDITION) / "coverage.csv").unlink()
    (paths.step_dir("sensitivity", EDITION) / "rate-by-method.png").unlink()
    reasons = stale(root)
    assert set(reasons) == {"build", "sensitivity", "reports"}
    assert "coverage.csv" in reasons["build"] and "kent.html" in reasons["reports"]
    ran = {r.step: r for r in pipeline.run(_ctx(root), None)}
    assert {n for n, r in ran.items() if r.ran} == {"build", "sensitivity", "reports"}
    assert ran["reports"].info["rendered"] == 1  # the other forces' reports are current
    assert (forces_dir / "kent.html").is_file() and stale(root) == {}


#: publish/'s rooms, lowest floor first: a room imports only rooms on lower floors (and its own)
ROOMS = ("words", "charts", "pages", "guide", "execute", "lab")


def test_publish_rooms_import_down_only():
    floor = {room: i for i, room in enumerate(ROOMS)}
    found = set()
    for module, imports in _graph().items():
        parts = module.split(".")
        if parts[:2] != ["crimeoutcomes", "publish"] or len(parts) < 4:
            continue
        found.add(parts[2])
        for imp in imports:
            target = imp.split(".")
            if target[:2] == ["crimeoutcomes", "publish"] and len(target) >= 3 and target[2] != parts[2]:
                assert floor[target[2]] < floor[parts[2]], f"{module} imports {imp} (a room on its floor or above)"
    assert found == set(ROOMS)  # every module of publish/ sits in a room
    assert sorted(p.name for p in (paths.PACKAGE_DIR / "publish").glob("*.py")) == ["__init__.py"]


# ------------------------------------------------------------------------------------------- compute once
def test_a_forces_report_takes_its_story_from_the_stories_step_and_never_writes_it_again(synthetic_root, monkeypatch):
    """The reports step runs after the stories step and reads the force's version of the report's story from its
    version.json: with the story engine broken, a report rendered again (in this process: one force) still has its
    story, the very one the stories step wrote."""
    from crimeoutcomes.analysis import stories as stories_mod
    from crimeoutcomes.publish.words import story as story_mod

    assert "stories" in dag.BY_NAME["reports"].after
    assert dag.order(["reports"]).index("stories") < dag.order(["reports"]).index("reports")

    def broken(*args, **kwargs):
        raise AssertionError("the reports step computed a story version itself")

    monkeypatch.setattr(stories_mod, "version", broken)
    monkeypatch.setattr(story_mod, "write", broken)
    forces_dir = paths.step_dir("reports", EDITION)
    (forces_dir / "kent.html").unlink()  # Kent's report alone is rendered again
    ran = {r.step: r for r in pipeline.run(synthetic_context(synthetic_root, jobs=1), None)}
    assert ran["reports"].ran and ran["reports"].info["rendered"] == 1 and not ran["stories"].ran
    written = paths.output("stories", "data", EDITION, story=dag.REPORT_STORY, force="kent")
    version = json.loads(written.read_text())
    report = json.loads((forces_dir / "kent" / "figures.json").read_text())["story"]
    assert report["headline"] == version["headline"] and report["headline"]
    assert report["figures"] == [f["printed"] for s in version["written"]["sentences"] for f in s["figures"]]
    assert report["html"]["intro"] == version["sections"]["intro"]
