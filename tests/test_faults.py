"""The fault suite: bad inputs and failing machines, each a clear one-line message or the right result.

Cases covered in other modules: strict count cells and offence-code normalisation (test_read_clean), a kill in the
middle of the folder swap, concurrent builds and leftovers of a killed build (test_build), malformed manifests, the
same bytes rule for every source and a stalled download (test_fetch), a damaged .csv.gz (test_read_clean)."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from crimeoutcomes import cli, paths, pipeline
from crimeoutcomes.analysis import force_figures, measures
from crimeoutcomes.atomic import atomic_path, clean_stale
from crimeoutcomes.data import forces
from crimeoutcomes.errors import DataError
from crimeoutcomes.publish.charts import style
from crimeoutcomes.publish.words import story
from crimeoutcomes.tools import synthetic
from tests.conftest import build_synthetic, run_steps

EVIL = [
    'Cheshire"; echo INJECTED; "',
    "Ches`touch injected-file`hire",
    "$(shell touch make-injected)",
    "Cheshire'; echo INJECTED; '",
]


def run_cli(*args, root=None, env=None):
    full = {**os.environ, **(env or {})}
    if root is not None:
        full["CRIMEOUTCOMES_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "crimeoutcomes", *args], capture_output=True, text=True, env=full)


def one_error_line(proc) -> str:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


# ---------------------------------------------------------------------------------- 1. user values are data
@pytest.mark.parametrize("value", EVIL)
def test_make_passes_user_values_as_data_never_as_shell_or_make_text(value, tmp_path, sample_root):
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "report", f"FORCE={value}"],
        cwd=paths.CHECKOUT,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert dry.returncode == 0, dry.stderr
    recipe = [line for line in dry.stdout.splitlines() if "crimeoutcomes reports" in line][-1]
    assert '--force "$CO_FORCE"' in recipe
    assert not any(marker in dry.stdout for marker in ("INJECTED", "injected-file", "make-injected", "Ches`"))
    assert not (paths.CHECKOUT / "make-injected").exists()
    # run the recipe as make would, with the value in the environment: the value reaches the command as data
    done = subprocess.run(
        ["bash", "-c", recipe],
        cwd=paths.CHECKOUT,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "CO_FORCE": value,
            "CO_EDITION": "sample",
            "CRIMEOUTCOMES_ROOT": str(sample_root),
            "PATH": os.environ["PATH"],
        },
    )
    assert done.stdout == ""  # nothing was echoed: the value never ran as a command
    assert f"unknown police force {value!r}" in one_error_line(done)  # it arrived intact, as data
    assert not (paths.CHECKOUT / "injected-file").exists()


# ---------------------------------------------------------------------------------- 2. full disk: nothing truncated
def test_a_full_disk_while_saving_a_chart_leaves_no_truncated_file(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    fig = plt.figure()
    real = fig.savefig

    def failing(target, **kw):
        real(target, **kw)
        if kw.get("format") == "svg":
            raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(fig, "savefig", failing)
    with pytest.raises(OSError):
        style.save(fig, tmp_path / "chart", style.DESK)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]  # the PNG finished; no part-written SVG


def test_disk_full_and_read_only_end_in_one_line(monkeypatch, capsys):
    for err in (
        OSError(errno.ENOSPC, "No space left on device", "reports/sample/forces/kent/x.png"),
        PermissionError(errno.EACCES, "Permission denied", "data/processed/sample"),
    ):

        def boom(*a, _err=err, **k):
            raise _err

        monkeypatch.setattr(pipeline, "run", boom)
        assert cli.main(["site"]) == 2
        message = capsys.readouterr().err.strip()
        assert message.count("\n") == 0 and message.startswith("error: ")
        assert ("disk is full" in message) if err.errno == errno.ENOSPC else ("permission denied" in message)


def test_ctrl_c_ends_in_one_line(monkeypatch, capsys):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run", interrupted)
    assert cli.main(["site"]) == 130
    assert capsys.readouterr().err.strip() == (
        "interrupted: outputs are as they were before this run (partial files were removed)"
    )


def test_every_atomic_write_removes_its_temporary_file_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------- 3. children die with the parent
def test_workers_and_kernels_die_with_a_killed_parent(tmp_path):
    pids = tmp_path / "pids.txt"
    script = textwrap.dedent(f"""
        import os, time
        from crimeoutcomes import procs
        from crimeoutcomes.publish.execute.notebooks import ReusableKernel
        K = None
        def start():
            global K
            K = ReusableKernel()
            km, _client = K.get()
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}} {{km.provisioner.pid}}\\n")
        def work(x):
            time.sleep(60)
        pool = procs.pool(2, start)
        [pool.submit(work, i) for i in range(2)]
        time.sleep(60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    deadline = time.time() + 60
    while time.time() < deadline and (not pids.exists() or len(pids.read_text().split()) < 4):
        time.sleep(0.5)
    children = [int(p) for p in pids.read_text().split()]
    assert len(children) == 4  # two workers, each with its kernel
    parent.send_signal(signal.SIGKILL)  # as the out-of-memory killer would
    parent.wait()
    deadline = time.time() + 15
    alive = children
    while alive and time.time() < deadline:
        time.sleep(0.5)
        alive = [p for p in children if _alive(p)]
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"  # a zombie has exited
    except OSError:
        return False


# ---------------------------------------------------------------------------------- 4. editions of any length
def one_year(tmp_path, drop=None):
    """A SYNTHETIC edition of one financial year and three forces (one quarter of one force left out with `drop`)."""
    frame = synthetic.grid("2018/19", force_names=["Cheshire", "Derbyshire", "Kent"], n_offences=1, seed=3)
    if drop is not None:
        frame = frame[~((frame["force_name"] == drop[0]) & (frame["financial_quarter"] == drop[1]))]
    return build_synthetic(tmp_path, {"2018/19": frame})[1]


def test_an_edition_with_no_complete_period_produces_every_output(tmp_path):
    """One financial year with a quarter of Kent missing: no whole calendar year, and England and Wales leaves Kent
    out of 2018/19. (One financial year with every quarter: test_faults_machine's edition of one year and three
    forces.)"""
    mf = one_year(tmp_path, ("Kent", 2))
    run_steps(["stories", "reports"], "synthetic-test", manifest_path=mf, forces=["Cheshire"])
    run_steps(["claims", "sensitivity", "pages", "site"], "synthetic-test", manifest_path=mf)
    out = paths.reports_dir("synthetic-test")
    for page in (
        "index.html",
        "forces/cheshire.html",
        "claims/index.html",
        "00_dataset_guide.html",
        "01_clean.html",
        "02_claims.html",
        "04_sensitivity.html",
    ):
        text = (out / page).read_text()
        assert "SYNTHETIC DATA" in text and "Traceback" not in text, page
    assert_no_calendar_year(out, ["cheshire"])
    # England and Wales follows the data: Kent is left out of the quarter it lacks (as are the 41 forces the edition
    # does not hold, from every quarter), and the page says so
    data = json.loads((out / "forces" / "cheshire" / "figures.json").read_text())
    assert data["periods"] == {"calendar": None, "financial": "financial year 2018/19"}
    page = " ".join(re.sub(r"<[^>]+>", " ", (out / "forces" / "cheshire.html").read_text()).split())
    assert "the data of 42 forces for July to September 2018 (2018/19 Q2) has no rows" in page
    assert "the data of 41 forces for April to June 2018 (2018/19 Q1) has no rows" in page


def assert_no_calendar_year(out, slugs: list[str]) -> None:
    """An edition with no whole calendar year: the sensitivity analysis says so, and each force's report's story
    (latest calendar year) says it cannot be written, in words, with every other part of the page there."""
    conclusions = (out / "sensitivity" / "conclusions.json").read_text()
    assert "not available in this edition" in conclusions or "no calendar year" in conclusions
    for slug in slugs:
        assert json.loads((out / "forces" / slug / "figures.json").read_text())["story"] is None
        page = (out / "forces" / f"{slug}.html").read_text()
        assert "No story can be written for this force in this edition" in page, slug


# ---------------------------------------------------------------------------------- 8. cells left out are visible
def _report_story(ds, period: str):
    """Cheshire's version of the report's story (the June 2021 story) on another period."""
    from crimeoutcomes.analysis import stories

    spec = dataclasses.replace(stories.load(paths.input_file("report_story")), period=period)
    v = stories.version(ds, spec, forces.resolve("Cheshire"), stories.resolve_period(spec, ds))
    return story.write(v, ds, {})


def test_a_count_that_is_not_a_number_makes_the_data_incomplete(tmp_path):
    frames = {fy: synthetic.grid(fy, n_offences=1, seed=i) for i, fy in enumerate(["2017/18", "2018/19"])}
    f = frames["2018/19"]
    row = f.index[(f["force_name"] == "Cheshire") & (f["financial_quarter"] == 1) & (f["outcome_type"] == "14")][0]
    f.loc[row, "closed"] = "1,234"
    build_synthetic(tmp_path, frames)
    ds = measures.Dataset.load("synthetic-test")
    figs = force_figures.build(ds, forces.resolve("Cheshire"), [])
    year = next(h for h in figs.headline if h.period.label == "financial year 2018/19")
    assert [(f.kind, f.cells) for f in year.force.caveats] == [(measures.LEFT_OUT, 1)]
    version = _report_story(ds, "latest financial year")
    assert not version.ready
    assert "Some of Cheshire Constabulary's counts for April to June 2018 are blank in the published data" in (
        version.markdown()
    )


def test_a_caveat_in_the_earlier_year_the_story_compares_with_is_the_storys_caveat(tmp_path):
    frames = {fy: synthetic.grid(fy, n_offences=1, seed=i) for i, fy in enumerate(["2017/18", "2018/19"])}
    f = frames["2017/18"]
    row = f.index[(f["force_name"] == "Cheshire") & (f["financial_quarter"] == 2) & (f["outcome_type"] == "14")][0]
    f.loc[row, "closed"] = "1,234"
    build_synthetic(tmp_path, frames)
    ds = measures.Dataset.load("synthetic-test")
    figs = force_figures.build(ds, forces.resolve("Cheshire"), [])
    latest = next(h for h in figs.headline if h.period.label == "financial year 2018/19")
    assert not latest.force.caveats  # the latest year is complete ...
    version = _report_story(ds, "latest financial year")
    assert "in the year to March 2018" in version.markdown()  # ... but the story compares with 2017/18, which is not
    assert [f.quarter_label for f in version.caveats if f.force == "Cheshire"] == ["2017/18 Q2"]
    assert not version.ready
    said = "Some of Cheshire Constabulary's counts for July to September 2017 are blank in the published data"
    assert said in version.markdown()


# ---------------------------------------------------------------------------------- 9. forces that are not forces
def test_a_fraud_body_or_unknown_force_is_a_clear_error_and_leaves_nothing(sample_root, tmp_path):
    one = one_error_line(run_cli("reports", "--force", "Action Fraud", root=sample_root))
    assert "'Action Fraud' is a central fraud reporting body, not a police force" in one
    assert not (paths.reports_dir("sample") / "forces" / "action-fraud").exists()
    one = one_error_line(run_cli("reports", "--force", "Chesire", root=sample_root))
    assert "unknown police force 'Chesire'. Close matches: Cheshire" in one


# ---------------------------------------------------------------------------------- 10. one line, non-zero
@pytest.mark.parametrize(
    "args,says",
    [
        (["build", "--edition", "nope", "--offline"], "no edition named 'nope'"),
        (["claims", "--edition", "current", "--offline"], "could not obtain prc-outcomes-open-data-mar2015-tables"),
        (["--manifest", "{manifest}", "editions"], "'bytes': 'lots' is not of type 'integer'"),
        (["claims", "--registry", "{registry}"], "claim 1, field 'quote': missing (required)"),
    ],
)
def test_expected_failures_print_one_line(args, says, tmp_path, sample_root):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        (paths.CHECKOUT / "config" / "sources.yaml").read_text().replace("bytes: 2990229", "bytes: lots")
    )
    registry = tmp_path / "r.yaml"
    registry.write_text("articles: {a: {title: t}}\nclaims:\n  - {id: c1, article: a, area: Kent}\n")
    args = [a.format(manifest=manifest, registry=registry) for a in args]
    line = one_error_line(run_cli(*args, root=sample_root))
    assert says in line.replace("claim 'c1'", "claim 1")
    debug = run_cli("--debug", *args, root=sample_root)
    assert "Traceback" in debug.stderr  # --debug shows where it failed


# ---------------------------------------------------------------------------------- 12. leftovers of killed runs
def test_a_rerun_removes_leftovers_of_killed_report_runs(tmp_path):
    dead = 2**22 + 4321
    folder = tmp_path / "reports" / "sample" / "forces"
    folder.mkdir(parents=True)
    leftovers = [folder / f".render-kent.{dead}.building", folder / f".kent.html.{dead}.0a1b2c3d.part.html"]
    leftovers[0].mkdir()
    leftovers[1].write_text("half a page")
    live = folder / f".render-cheshire.{os.getpid()}.building"  # a live run's work is left alone
    live.mkdir()
    removed = clean_stale(tmp_path / "reports")
    assert sorted(removed) == sorted(leftovers) and live.exists()


def test_a_bad_force_page_request_does_not_build_anything(sample_root):
    with pytest.raises(DataError, match="unknown police force 'Atlantis'"):
        run_steps(["reports"], forces=["Atlantis"])
