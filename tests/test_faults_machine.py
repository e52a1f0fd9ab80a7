"""The fault suite, part 3: what the machine or the project's state brings (issue 20). A deleted output is made
again by the step that makes it, and messages name that step; a venv that runs another checkout, or a missing
interpreter, is one line and loses nothing; workers are capped by cores and memory; concurrent runs never delete
each other's stamps; usage mistakes and running out of memory are one line; editions of one year and three forces
produce every output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from crimeoutcomes import cli, context, dag, paths, pipeline, procs, stamps
from crimeoutcomes.errors import BusyError, DataError
from crimeoutcomes.publish.lab import display
from tests.conftest import SYNTHETIC_EDITION, run_steps, synthetic_context
from tests.test_faults import assert_no_calendar_year, one_error_line, one_year, run_cli


# ---------------------------------------------------------------------------------- 6. deleted outputs
def _rows_file(root: Path) -> str:
    rows = sorted((paths.step_dir("claims", SYNTHETIC_EDITION) / "rows").glob("*.csv"))
    assert rows, "the synthetic edition's audit computes no claim"
    return f"rows/{rows[0].name}"


DELETED = [  # (step, file in the step's folder)
    ("reports", "cheshire.html"),
    ("reports", "kent/figures.json"),
    ("claims", "claims_audit.csv"),
    ("claims", "rows"),
    ("pages", "01_clean.html"),
    ("build", "coverage.csv"),
    ("sensitivity", "rate-by-method.png"),
]


def _delete(root: Path, step: str, name: str) -> str:
    name = _rows_file(root) if name == "rows" else name
    (paths.step_dir(step, SYNTHETIC_EDITION) / name).unlink()
    return name


@pytest.mark.parametrize("step,name", DELETED, ids=[f"{s}:{n}" for s, n in DELETED])
def test_a_deleted_output_makes_its_own_step_run_and_no_other(synthetic_root, step, name):
    name = _delete(synthetic_root, step, name)
    reasons = {d.step.name: d.reason for d in pipeline.plan(synthetic_context(synthetic_root)) if d.stale}
    assert reasons == {step: f"1 of its files missing ({name})"}


def test_deleted_outputs_are_made_again_and_then_everything_is_current(synthetic_root):
    gone = {(step, _delete(synthetic_root, step, name)) for step, name in DELETED}
    said = []
    ran = pipeline.run(synthetic_context(synthetic_root, log=said.append), None)
    assert {r.step for r in ran if r.ran} == {step for step, _ in gone}
    assert ran[[r.step for r in ran].index("reports")].info["rendered"] == 2  # Cheshire and Kent, not Derbyshire
    for step, name in gone:
        assert (paths.step_dir(step, SYNTHETIC_EDITION) / name).is_file(), name
    assert not [d for d in pipeline.plan(synthetic_context(synthetic_root)) if d.stale]
    index = (paths.output("site", "index", SYNTHETIC_EDITION)).read_text()
    assert dag.link("site", "reports", "page", force="cheshire") in index


@pytest.mark.parametrize(
    "rel,says",
    [
        ("reports/E/sensitivity/rate-by-method.png", "run make sensitivity EDITION=E (the sensitivity step writes it)"),
        ("reports/E/forces/kent/rate_by_year.png", "run make reports EDITION=E (the reports step writes it)"),
        ("data/processed/E/coverage.csv", "run make data EDITION=E (the build step writes it)"),
        ("reports/E/01_clean.html", "run make pages EDITION=E (the pages step writes it)"),
        ("reports/E/index.html", "run make site EDITION=E (the site step writes it)"),
        ("reports/E/claims/rows/c1.csv", "run make claims EDITION=E (the claims step writes it)"),
    ],
)
def test_a_missing_file_names_the_step_that_writes_it(rel, says):
    assert str(display.not_found(paths.project_root() / rel)) == f"{rel} not found: {says}"


def test_a_page_whose_chart_was_deleted_names_the_sensitivity_step(synthetic_root):
    (paths.step_dir("sensitivity", SYNTHETIC_EDITION) / "rate-by-method.png").unlink()
    with pytest.raises(DataError, match=r"rate-by-method.png not found: run make sensitivity EDITION=synthetic-steps"):
        display.Sensitivity(SYNTHETIC_EDITION).charts()


# ---------------------------------------------------------------------------------- concurrent runs
def test_a_run_that_finds_the_step_busy_leaves_the_other_runs_stamp(synthetic_root):
    step = dag.BY_NAME["claims"]
    final = paths.step_dir("claims", SYNTHETIC_EDITION)
    (final / "claims_audit.csv").unlink()  # so that the second run would run the step
    stamp = (final / step.stamp).read_bytes()
    ctx = synthetic_context(synthetic_root)
    with pipeline._lock(step, final, ctx), pytest.raises(BusyError, match="another run is already writing"):
        pipeline.run(synthetic_context(synthetic_root), ["claims"])
    assert (final / step.stamp).read_bytes() == stamp  # the stamp of the run holding the lock is untouched
    for makefile in ("Makefile", dag.MAKE_FILE):  # make never deletes a target of a failed (or busy) run
        assert ".DELETE_ON_ERROR" not in (paths.CHECKOUT / makefile).read_text()


# ---------------------------------------------------------------------------------- 7. the venv and the checkout
@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's make files, with a stand-in .venv whose python says which checkout it runs."""
    copy = tmp_path / "copy"
    (copy / ".venv" / "bin").mkdir(parents=True)
    for name in ("Makefile", dag.MAKE_FILE, dag.LOCK_FILE):
        shutil.copy(paths.CHECKOUT / name, copy / name)
    return copy


def _venv_python(copy: Path, script: str) -> None:
    python = copy / ".venv" / "bin" / "python"
    python.write_text(f"#!/bin/sh\n{script}\n")
    python.chmod(0o755)
    (copy / ".venv" / ".installed").touch()


def _make(copy: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "CO_"))}
    return subprocess.run(["make", "--no-print-directory", *args], cwd=copy, capture_output=True, text=True, env=env)


def _make_error(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in done.stderr.splitlines() if not line.startswith("make: ***")]
    assert done.returncode != 0 and len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


@pytest.mark.parametrize("target", ["all", "claims", "test"])
def test_a_copy_of_the_project_with_its_venv_says_to_run_make_venv(project_copy, target):
    _venv_python(project_copy, "echo /somewhere/original")
    line = _make_error(_make(project_copy, target))
    assert line == (
        f"error: .venv runs the crimeoutcomes package of /somewhere/original, not this checkout ({project_copy}): "
        "the project was copied with its .venv; run make venv to make it again here"
    )


def test_a_moved_project_says_to_run_make_venv_and_make_venv_makes_it_again(project_copy):
    _venv_python(project_copy, "echo 'No module named crimeoutcomes' >&2; exit 1")
    line = _make_error(_make(project_copy, "all"))
    assert line.startswith("error: .venv cannot import this checkout's crimeoutcomes package (the project was moved")
    plan = _make(project_copy, "-n", "venv")  # what make venv would do: check the interpreter, make .venv again
    assert plan.returncode == 0, plan.stderr
    commands = plan.stdout.splitlines()
    assert "rm -rf .venv" in commands and '"$CO_PYTHON" -m venv .venv' in commands
    assert commands[0].startswith('"$CO_PYTHON" -c')  # the interpreter is checked before anything is removed


def test_a_venv_of_this_checkout_passes_the_check(project_copy):
    _venv_python(project_copy, f"echo {project_copy}")
    plan = _make(project_copy, "-n", "all")
    assert plan.returncode == 0 and "crimeoutcomes run all" in plan.stdout, plan.stderr


def test_a_missing_interpreter_leaves_the_working_venv(project_copy):
    keep = project_copy / ".venv" / "bin" / "keep"
    keep.write_text("the working venv")
    line = _make_error(_make(project_copy, "venv", "PYTHON=python3.99"))
    assert line == (
        "error: PYTHON=python3.99 is not a Python 3.11 or later with venv (try PYTHON=python3); "
        ".venv was left as it was"
    )
    assert keep.read_text() == "the working venv"


# ---------------------------------------------------------------------------------- 8. workers, usage, memory
def test_workers_are_capped_by_cores_and_by_memory(monkeypatch):
    import psutil

    said = []
    cores = os.cpu_count() or 1
    assert procs.workers(1000, said.append) <= cores
    assert said and said[0].startswith("JOBS=1000 capped to ") and f"this machine has {cores} core(s)" in said[0]
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    free = type("Memory", (), {"available": 3 * procs.WORKER_MEMORY + 1})
    monkeypatch.setattr(psutil, "virtual_memory", lambda: free)
    said.clear()
    assert procs.workers(1000, said.append) == 3
    assert said == [
        "JOBS=1000 capped to 3 worker(s): this machine has 64 core(s) and 1.8 GB of free memory (about 0.6 GB a worker)"
    ]
    assert procs.workers(None, said.append) == 3 and procs.workers(2, said.append) == 2 and len(said) == 1


def test_the_run_context_holds_the_capped_number_of_workers(project_root):
    said = []
    ctx = context.create("sample", jobs=1000, log=said.append)
    assert ctx.jobs <= (os.cpu_count() or 1) and said[0].startswith("JOBS=1000 capped to")


@pytest.mark.parametrize(
    "args,says",
    [
        (["pages", "nosuch"], "error: unrecognized arguments: nosuch; see python -m crimeoutcomes --help"),
        (
            ["run", "nosuch"],
            "error: no step named 'nosuch'; steps: build, claims, sensitivity, stories, reports, read, pages, site",
        ),
        (["run", "--jobs", "lots"], "JOBS (--jobs) must be a whole number of workers, such as 2, not 'lots'"),
        (["nosuch"], "error: argument command: invalid choice: 'nosuch'"),
    ],
)
def test_usage_mistakes_are_one_line(args, says, project_root):
    assert says in one_error_line(run_cli(*args, root=project_root))


def test_running_out_of_memory_is_one_line(monkeypatch, capsys):
    def exhausted(*a, **k):
        raise MemoryError

    monkeypatch.setattr(pipeline, "run", exhausted)
    assert cli.main(["site"]) == 2
    assert capsys.readouterr().err == (
        "error: out of memory: outputs are as they were before this run; close other programs, or run with fewer "
        "workers (JOBS=1), and run again\n"
    )


def test_an_edition_of_one_year_and_three_forces_produces_every_output(tmp_path):
    mf = one_year(tmp_path)
    ran, _ = run_steps(None, "synthetic-test", manifest_path=mf)
    assert all(r.ran for r in ran if r.step != "build")
    out = paths.reports_dir("synthetic-test")
    for slug in ("cheshire", "derbyshire", "kent"):
        figures = json.loads((out / "forces" / slug / "figures.json").read_text())
        # no whole calendar year; England and Wales is the three forces the edition holds, the rest said as absent
        assert figures["periods"] == {"calendar": None, "financial": "financial year 2018/19"}
        assert "SYNTHETIC DATA" in (out / "forces" / f"{slug}.html").read_text()
    assert_no_calendar_year(out, ["cheshire", "derbyshire", "kent"])
    for nb in dag.PAGES:
        assert "Traceback" not in (out / nb.page).read_text()
    assert sorted(stamps.read(out / dag.BY_NAME["site"].stamp)["files"]) == sorted(
        o.path for o in dag.BY_NAME["site"].outputs
    )
