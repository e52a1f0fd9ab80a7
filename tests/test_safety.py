"""Output safety under what a machine or a user can do to the project's folders (issue 26): a step folder that is a
link, an --out that is a link (to an earlier run's folder, or to nothing), an immutable file in a step folder, an
output replaced behind a step's back, a deleted stamp in one's own folder, a reports run killed mid-force,
`make lab` pointed at the project's notebooks, CRIMEOUTCOMES_ROOT set wrong, a full disk and a file size limit.

Each case runs the payload as issue 26 writes it and expects one line naming the file, field or variable and what to
do, and no `.old` or `.building` folder left behind."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crimeoutcomes import dag, paths, pipeline, stamps
from crimeoutcomes.tools import lab
from tests.conftest import SYNTHETIC_EDITION as EDITION
from tests.conftest import synthetic_context
from tests.test_faults import one_error_line, run_cli


def OFFLINE(root: Path) -> list[str]:  # the options of every run here
    return ["--edition", EDITION, "--mirror", str(root / "mirror"), "--offline"]


def cli(root: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    return run_cli(*args, *OFFLINE(root), root=root, env=env)


def leftovers(folder: Path) -> list[str]:
    """Swap leftovers anywhere below a folder: .NAME.old, .NAME.undo, .NAME.PID.building."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if p.name.endswith((".old", ".undo", ".building")) and (p.is_dir() or p.is_symlink())
    )


def stale_sensitivity(root: Path) -> Path:
    """Make the sensitivity step run again (a file of it deleted); returns its folder."""
    folder = paths.step_dir("sensitivity", EDITION)
    (folder / "ranks.csv").unlink()
    return folder


# ------------------------------------------------------------------------------- BAD 4: links and immutable files
def test_a_symlinked_step_folder_is_refused_in_one_line_and_never_wedges(synthetic_root, tmp_path):
    """reports/E/sensitivity a link: the first run replaced it and left .sensitivity.old, every later run ended
    "Not a directory"."""
    folder = stale_sensitivity(synthetic_root)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    for _ in range(2):
        line = one_error_line(cli(synthetic_root, "run", "all"))
        assert f"reports/{EDITION}/sensitivity is a link (to {elsewhere})" in line
        assert "must be a real folder: remove the link and run again" in line
        assert folder.is_symlink() and leftovers(folder.parent) == []
    folder.unlink()
    assert cli(synthetic_root, "run", "all").returncode == 0  # a real folder again: the step runs
    assert (folder / "ranks.csv").is_file() and leftovers(folder.parent) == []


def _registry(root: Path, folder: Path) -> Path:
    mine = folder / "mine.yaml"
    mine.write_text((root / "config" / "claims" / "synthetic.yaml").read_text())
    return mine


def test_out_a_link_to_an_earlier_runs_folder_is_followed_and_never_wedges(synthetic_root, tmp_path):
    mine = _registry(synthetic_root, tmp_path)
    earlier = tmp_path / "audit"
    assert cli(synthetic_root, "claims", "--registry", str(mine), "--out", str(earlier)).returncode == 0
    link = tmp_path / "latest"
    link.symlink_to(earlier, target_is_directory=True)
    for n in range(2):
        mine.write_text(mine.read_text() + f"\n# edit {n}\n")  # so that the step runs
        done = cli(synthetic_root, "claims", "--registry", str(mine), "--out", str(link))
        assert done.returncode == 0, done.stderr
        assert "claims: running" in done.stdout
        assert link.is_symlink() and (earlier / dag.file("claims", "audit_csv")).is_file()
        assert leftovers(tmp_path) == []


def test_a_dangling_link_as_out_is_refused_before_the_step_runs(synthetic_root, tmp_path):
    mine = _registry(synthetic_root, tmp_path)
    link = tmp_path / "gone"
    link.symlink_to(tmp_path / "nowhere")
    done = cli(synthetic_root, "claims", "--registry", str(mine), "--out", str(link))
    line = one_error_line(done)
    assert f"--out {link} is a link to {tmp_path / 'nowhere'}, which does not exist; name a real folder" in line
    assert "claims: running" not in done.stdout and not (tmp_path / "nowhere").exists()


@pytest.fixture
def immutable(tmp_path):
    """chattr +i on a file (cleared afterwards); skips, saying why, where the machine does not allow it."""
    made: list[Path] = []

    def make(path: Path) -> Path:
        path.write_text("keep me\n")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not allowed here ({done.stderr.strip() or 'no chattr'}): needs root on ext4")
        made.append(path)
        return path

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_an_immutable_file_in_a_step_folder_is_named_in_one_line_and_nothing_is_left(synthetic_root, immutable):
    """Payload: chattr +i on a file in reports/E/sensitivity: "Directory not empty" on the second run, a
    .building folder left behind."""
    folder = stale_sensitivity(synthetic_root)
    stuck = immutable(folder / "notes.txt")
    for _ in range(2):
        line = one_error_line(cli(synthetic_root, "run", "sensitivity"))
        assert f"{stuck} cannot be deleted (it is immutable or append only" in line
        assert "clear the flag (chattr -i, or -a) or move it elsewhere, and run again" in line
        assert leftovers(folder.parent) == [] and stuck.is_file()
        assert (folder / "national.csv").is_file()  # the previous outputs are as they were


# ------------------------------------------------------------------------------- stamps record what was written
REPLACED = ["folder", "link", "bytes"]


@pytest.mark.parametrize("how", REPLACED)
def test_a_replaced_output_makes_its_step_run(synthetic_root, how):
    """A stories output replaced by a folder, or by a link to /etc/hostname, was "up to date"."""
    folder = paths.step_dir("stories", EDITION)
    version = sorted(folder.glob(f"{dag.REPORT_STORY}/*.md"))[0]
    version.unlink()
    if how == "folder":
        version.mkdir()
    elif how == "link":
        version.symlink_to("/etc/hostname")
    else:
        version.write_text("# another text\n")
    reasons = {d.step.name: d.reason for d in pipeline.plan(synthetic_context(synthetic_root)) if d.stale}
    rel = version.relative_to(folder).as_posix()
    assert reasons == {"stories": f"1 of its files replaced since it wrote them ({rel})"}
    ran = pipeline.run(synthetic_context(synthetic_root), ["stories"])
    assert ran[-1].ran and version.is_file() and not version.is_symlink()
    assert not [d for d in pipeline.plan(synthetic_context(synthetic_root)) if d.stale]


def test_a_touched_output_with_the_same_bytes_is_current(synthetic_root):
    page = paths.output("site", "index", EDITION)
    os.utime(page, ns=(1, 1))
    assert not [d for d in pipeline.plan(synthetic_context(synthetic_root)) if d.stale]


def test_deleting_the_stamp_of_ones_own_folder_does_not_make_it_foreign(synthetic_root, tmp_path):
    """Deleting the stamp in one's own --out folder made the next run refuse "files that are not stories"."""
    spec = tmp_path / "mine.yaml"
    spec.write_text((synthetic_root / dag.REPORT_SPEC.path).read_text().replace(f"id: {dag.REPORT_STORY}", "id: mine"))
    assert cli(synthetic_root, "stories", "--spec", str(spec)).returncode == 0
    out = synthetic_root / "reports" / EDITION / "stories-mine"
    (out / dag.step("stories").stamp).unlink()
    done = cli(synthetic_root, "stories", "--spec", str(spec))
    assert done.returncode == 0, done.stderr
    assert "stories: running (not run yet)" in done.stdout and (out / dag.step("stories").stamp).is_file()
    # a file of someone else's is still never lost, and the advice names a folder that is free
    (out / "notes.txt").write_text("mine\n")
    (out / dag.step("stories").stamp).unlink()
    line = one_error_line(cli(synthetic_root, "stories", "--spec", str(spec)))
    assert "already holds files that are not stories (e.g. notes.txt)" in line
    assert line.endswith(f"name a new or empty folder, e.g. reports/{EDITION}/stories-mine-2")


# ------------------------------------------------------------------------------- a killed reports run
KILL_AT_SECOND_PAGE = textwrap.dedent(
    """
    import os, signal, sys
    from crimeoutcomes import cli
    from crimeoutcomes.steps import reports

    real, calls = reports.render_page, []

    def render_page(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second force: its new files are in place, its page not yet written
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    reports.render_page = render_page
    sys.exit(cli.main(sys.argv[1:]))
    """
)


def _consistent(forces_dir: Path) -> dict[str, list[str]]:
    """Per force: the files that are not as its stamp recorded them (its page and its files from one run: [])."""
    out = {}
    for stamp in sorted(forces_dir.glob("*/.stamp.json")):
        record = stamps.read(stamp)
        missing, replaced = stamps.check_files(forces_dir, record)
        out[stamp.parent.name] = missing + replaced
    return out


def test_a_killed_reports_run_leaves_each_forces_page_and_files_from_one_run(synthetic_root):
    """kill -9 of `run reports` left Dorset's files folder new and dorset.html old."""
    caveats = synthetic_root / dag.CAVEATS.path
    caveats.write_text(caveats.read_text() + "\n# edited\n")  # every force's report runs again
    forces_dir = paths.step_dir("reports", EDITION)
    before = {p.name: p.read_bytes() for p in forces_dir.glob("*.html")}
    done = subprocess.run(
        [sys.executable, "-c", KILL_AT_SECOND_PAGE, "run", "reports", *OFFLINE(synthetic_root), "--jobs", "1"],
        env={**os.environ, "CRIMEOUTCOMES_ROOT": str(synthetic_root)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    pipeline.recover(synthetic_context(synthetic_root), ["reports"])  # what the next run does first
    assert _consistent(forces_dir) == {f: [] for f in ("cheshire", "derbyshire", "kent")}
    assert leftovers(forces_dir) == []
    changed = [n for n, b in before.items() if (forces_dir / n).read_bytes() != b]
    assert len(changed) <= 1  # the first force is new (page and files), the killed one is back as it was
    ran = pipeline.run(synthetic_context(synthetic_root), ["reports"])
    assert ran[-1].ran and _consistent(forces_dir) == {f: [] for f in ("cheshire", "derbyshire", "kent")}


# ------------------------------------------------------------------------------- BAD 5: make lab
@pytest.fixture
def lab_root(project_root):
    """A root whose notebooks/ is a real copy (so that a failure could never reach the checkout's)."""
    (project_root / "notebooks").unlink()
    shutil.copytree(paths.CHECKOUT / "notebooks", project_root / "notebooks")
    return project_root


def _notebooks(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "notebooks").rglob("*")) if p.is_file()}


@pytest.mark.parametrize("how", ["my-notebooks a link to notebooks/", "--folder notebooks", "--folder notebooks/x"])
def test_make_lab_never_moves_writes_or_deletes_under_notebooks(lab_root, how):
    before = _notebooks(lab_root)
    where = None
    if how.startswith("my-notebooks"):
        (lab_root / lab.FOLDER).symlink_to(lab_root / "notebooks", target_is_directory=True)
    else:
        where = lab_root / how.split()[1]
    for fresh in (False, True):
        with pytest.raises(lab.UserError, match=r"is the project's notebooks/ \(or holds it\): make lab never writes"):
            lab.prepare("sample", fresh=fresh, where=where)
    assert _notebooks(lab_root) == before


def test_make_lab_refuses_a_folder_inside_the_project_other_than_my_notebooks(lab_root):
    with pytest.raises(lab.UserError, match=r"is inside the project: your copies go in my-notebooks/"):
        lab.prepare("sample", where=lab_root / "reports" / "mine")
    assert not (lab_root / "reports" / "mine").exists()


def test_my_notebooks_as_a_file_is_one_line_with_advice(lab_root):
    (lab_root / lab.FOLDER).write_text("not a folder\n")
    with pytest.raises(lab.UserError, match=r"my-notebooks is a file, not a folder: .* move the file away"):
        lab.prepare("sample")


def test_fresh_twice_in_one_second_keeps_both_sets_of_copies(lab_root):
    lab.prepare("sample")
    first = lab.prepare("sample", fresh=True).put_aside
    second = lab.prepare("sample", fresh=True).put_aside
    assert first != second and first.is_dir() and second.is_dir()
    assert len(list(first.glob("*.ipynb"))) == len(list(second.glob("*.ipynb"))) == len(dag.NOTEBOOKS)


# ------------------------------------------------------------------------------- the environment
@pytest.mark.parametrize(
    "value,says",
    [
        ("FILE", "is not a folder: set it to a project root folder"),
        ("", "is empty: unset it"),
        ("MISSING", "does not exist: create it"),
        ("relative/root", "is a relative path"),
    ],
)
def test_a_wrong_crimeoutcomes_root_is_one_line_naming_it(tmp_path, value, says):
    value = {"FILE": str(tmp_path / "a-file"), "MISSING": str(tmp_path / "missing")}.get(value, value)
    (tmp_path / "a-file").write_text("")
    done = run_cli("steps", env={"CRIMEOUTCOMES_ROOT": value})
    line = one_error_line(done)
    assert line.startswith(f"error: CRIMEOUTCOMES_ROOT={value!r} ") and says in line


def test_a_file_size_limit_names_the_file_and_the_advice(synthetic_root):
    """ulimit -f: "File too large" without the file or the advice."""
    shutil.rmtree(paths.processed_dir())
    limit = 4096  # smaller than the tidy table of the SYNTHETIC edition

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "crimeoutcomes", "build", *OFFLINE(synthetic_root)],
        env={**os.environ, "CRIMEOUTCOMES_ROOT": str(synthetic_root)},
        capture_output=True,
        text=True,
        preexec_fn=small_files,
    )
    line = one_error_line(done)
    assert f"data/processed/{EDITION}/" in line or "data/processed/cache/" in line, line
    assert "grew larger than this shell lets a program write a file (ulimit -f); raise the limit" in line
    assert leftovers(synthetic_root / "data") == []


@pytest.fixture
def small_disk(synthetic_root):
    """data/processed on a 16 KB tmpfs (unmounted afterwards); skips, saying why, where mounting is not allowed."""
    target = paths.processed_dir()
    shutil.rmtree(target)
    target.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(target)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill ({done.stderr.strip()}): needs root")
    yield target
    subprocess.run(["umount", str(target)], check=False)


def test_a_full_disk_names_the_file_and_the_advice(synthetic_root, small_disk):
    frames = subprocess.run(["df", "-k", str(small_disk)], capture_output=True, text=True).stdout
    assert "tmpfs" in frames
    done = cli(synthetic_root, "build")
    line = one_error_line(done)
    assert "the disk is full while writing " in line and "data/processed/" in line
    assert "free some space and run again (nothing half-written was kept)" in line
