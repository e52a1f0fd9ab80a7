"""Inputs are declared in the step table (dag.py) like outputs (issue 28): a step body opens its inputs through the
table (`target.input(key)`), a user's own files replace a keyed input and are stamped by their bytes, and a SYNTHETIC
run of every step opens no project file that no step declares."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crimeoutcomes import atomic, cli, dag, paths, pipeline, stamps
from crimeoutcomes.tools import testing
from tests.conftest import SYNTHETIC_EDITION as EDITION
from tests.conftest import opened_by_the_synthetic_run, synthetic_context


# ------------------------------------------------------------------------------------------- the declaration
def test_every_input_has_one_key_and_one_path():
    seen: dict[str, str] = {}
    for s in dag.STEPS:
        for i in s.inputs:
            assert seen.setdefault(i.key, i.path) == i.path, f"{s.name}: input {i.key!r} names two files"
    assert dag.INPUTS["report_story"].path == f"config/stories/{dag.REPORT_STORY}.yaml"
    assert (
        dag.STORY_VERSION_NOTEBOOK.parameters["story"] == dag.REPORT_STORY
    )  # the story notebook's default: the same story


def test_step_bodies_and_stages_never_spell_an_input_path():
    """Config and docs files are named in dag.py alone: no module opens one by a path of its own."""
    spelled = re.compile(r"""/ ["'](config|docs|stories|claims|caveats\.yaml|methods\.md)["']|["']config/(?!sources)""")
    names = re.compile(r"caveats_file|claims_dir|config_dir|default_registries|default_specs|REPORT_STORY_SPEC")
    offenders = []
    for module, path in stamps.modules().items():
        if module in ("crimeoutcomes.dag",):
            continue
        text = path.read_text()
        offenders += [f"{module}: {m.group(0)}" for m in spelled.finditer(text)]
        offenders += [f"{module}: {m.group(0)}" for m in names.finditer(text)]
    assert offenders == []


def test_the_committed_notebooks_come_from_the_step_table():
    assert testing.COMMITTED is dag.COMMITTED
    assert set(testing.COMMITTED) == {nb.name for nb in dag.NOTEBOOKS} | {"examples/03_force_report_derbyshire"}
    assert testing.COMMITTED["examples/03_force_report_derbyshire"] == ("03_force_report", {"force": "Derbyshire"})


# ------------------------------------------------------------------------------------------- a user's own spec
def _cli(root: Path, *args: str) -> list[str]:
    """Run the command line in the SYNTHETIC root; returns what it printed, line by line."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main([*args, "--edition", EDITION, "--mirror", str(root / "mirror"), "--offline"])
    assert code == 0, out.getvalue()
    return out.getvalue().splitlines()


def test_editing_a_users_own_spec_reruns_their_stories_and_nothing_else(synthetic_root):
    """Issue 28: a user's spec was stamped by its path, so editing it and running again said "up to date"."""
    mine = synthetic_root.parent / "mine.yaml"
    mine.write_text(
        (synthetic_root / dag.REPORT_SPEC.path)
        .read_text()
        .replace(f"id: {dag.REPORT_STORY}", "id: mine")
        .replace("period: latest calendar year", "period: financial year 2018/19")
    )
    first = _cli(synthetic_root, "run", "stories", "--spec", str(mine))
    assert any(line.startswith("stories: running (not run yet)") for line in first), first
    folder = synthetic_root / "reports" / EDITION / "stories-mine"
    assert (folder / "mine" / "index.html").is_file()
    assert [line for line in _cli(synthetic_root, "run", "stories", "--spec", str(mine)) if "stories:" in line] == [
        f"stories: up to date (reports/{EDITION}/stories-mine/)"
    ]

    mine.write_text(mine.read_text().replace("title: Offences closed", "title: Edited offences closed", 1))
    said = _cli(synthetic_root, "run", "stories", "--spec", str(mine))
    running = [line for line in said if ": running" in line]
    assert len(running) == 1 and running[0].startswith("stories: running (changed: ")
    assert "mine.yaml" in running[0]
    assert "Edited offences closed" in (folder / "mine" / "index.html").read_text()
    # the project's own steps, and its own stories, are untouched and current
    assert not [d.step.name for d in pipeline.plan(synthetic_context(synthetic_root)) if d.stale]


# ------------------------------------------------------------------------------------------- what a run opens
def _declared(root: Path, ctx) -> tuple[set[Path], list[Path]]:
    """(files, folders): every declared input, resolved; the folders of the edition's raw files and of every
    step's outputs."""
    files = {p.resolve() for s in dag.STEPS for p in pipeline.input_files(s, ctx)}
    files.add((paths.CHECKOUT / dag.LOCK_FILE).resolve())
    folders = [ctx.edition.raw_dir, ctx.mirror, paths.cache_dir()]  # the raw files: where they are found and kept
    folders += [root / s.folder_for(EDITION) for s in dag.STEPS]
    return files, [f.resolve() for f in folders]


def test_a_synthetic_run_opens_only_files_a_step_declares(synthetic_built, monkeypatch):
    """Every step of the SYNTHETIC edition ran from nothing, by the command line, in a process (and its workers and
    Jupyter kernels) that recorded every file it opened (conftest.synthetic_built); every file of the project (its
    root, or the checkout outside the code and the environment) must be a declared input, a raw file, or in a step's
    folder."""
    monkeypatch.setenv("CRIMEOUTCOMES_ROOT", str(synthetic_built))
    logs = opened_by_the_synthetic_run(synthetic_built)
    assert len(logs) >= 3, "the run's workers and kernels were not recorded"
    opened = {Path(line) for f in logs for line in f.read_text().splitlines()}
    ctx = synthetic_context(synthetic_built)
    files, folders = _declared(synthetic_built, ctx)
    code = [paths.PACKAGE_DIR.resolve(), Path(sys.prefix).resolve(), (paths.CHECKOUT / ".venv").resolve()]
    project = [synthetic_built.resolve(), paths.CHECKOUT.resolve()]
    undeclared = set()
    for p in opened:
        real = p.resolve()
        if not any(real.is_relative_to(b) for b in project) or any(real.is_relative_to(c) for c in code):
            continue
        if real in files or any(real.is_relative_to(f) for f in folders) or real.is_dir():
            continue
        if re.fullmatch(r"\..*\.lock", real.name):  # the machinery's locks beside a step's folder
            continue
        if any(atomic._STALE.match(part) for part in real.parts):  # a step's output under its temporary name
            continue
        undeclared.add(paths.relative(real))
    assert sorted(undeclared) == [], "\n".join(sorted(undeclared))
    # the declared inputs were read (the test sees what a run opens)
    for key in ("caveats", "report_story", "methods", "manifest"):
        assert (synthetic_built / dag.INPUTS[key].path).resolve() in {p.resolve() for p in opened}, key
    assert json.loads((synthetic_built / "reports" / EDITION / "forces" / ".stamp.json").read_text())["files"]


# ------------------------------------------------------------------------------------------- options in the table
def test_force_means_a_police_force_and_build_rebuilds_with_its_own_flag():
    parser = cli.build_parser()
    assert parser.parse_args(["build", "--rebuild"]).rebuild is True
    with pytest.raises(SystemExit):
        parser.parse_args(["build", "--force"])  # --force names a police force, and build takes none
    for step in ("reports", "stories"):
        assert parser.parse_args([step, "--force", "Kent", "--force", "Dorset"]).forces == ["Kent", "Dorset"]


def test_make_report_and_make_story_are_generated_from_the_table():
    makefile = (paths.CHECKOUT / "Makefile").read_text()
    for s in dag.STEPS:
        if s.make_with is None:
            continue
        target = s.make_with.target
        assert f"\n{target}: $(INSTALLED) ## " in dag.makefile() and f"\n{target}:" not in makefile
        assert f'$(CLI) {s.name} $(RUN_ARGS) --force "$$CO_FORCE"' in dag.makefile()
    said = subprocess.run(["make", "--no-print-directory", "help"], capture_output=True, text=True, cwd=paths.CHECKOUT)
    assert (
        "make report       One force's report" in said.stdout and "make story        One force's stories" in said.stdout
    )
    usage = subprocess.run(
        ["make", "--no-print-directory", "story"], capture_output=True, text=True, cwd=paths.CHECKOUT
    )
    assert usage.returncode == 2 and usage.stderr.startswith('usage: make story FORCE="force name" [STORY=spec.yaml]\n')


def test_out_default_folders_come_from_the_table(project_root):
    from crimeoutcomes import context

    ctx = context.create("sample", specs=[project_root / "x" / "mine.yaml"], log=lambda *a: None, jobs=1)
    assert pipeline.default_out(dag.step("stories"), ctx) == project_root / "reports" / "sample" / "stories-mine"
    assert pipeline.default_out(dag.step("claims"), ctx) is None  # no registry of the user's: the project's run
