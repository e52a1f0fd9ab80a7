"""Tests and regeneration work in a temporary project root, never in the user's data/ or reports/.

`python -m crimeoutcomes.tools.testing` (what `make test` runs):
  0. compiles the package's modules once for every process of the run (compile_package);
  1. records the user's data/ and reports/ (every file's path, size and modification time);
  2. prepares a temporary root, in a process of its own beside the tests: config/, notebooks/ and docs/ linked from
     the checkout, and the whole site of the sample edition written by the steps themselves from the local mirror
     (offline): what the committed notebooks read and what the tests of the rendered pages check;
  3. runs pytest on tests/ and nbval on every committed notebook, in one parallel run (pytest-xdist), with
     CRIMEOUTCOMES_ROOT pointing there: the tests that do not need the prepared root run first, those that do wait
     for it (tests/conftest.py), a failure to prepare it fails them with its reason;
  4. fails if the user's data/ or reports/ changed, and removes the temporary root.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .. import dag, paths, procs
from ..atomic import write_text

#: committed copies (file stem under notebooks/ -> (notebook, parameters)), re-run by nbval in `make test`
COMMITTED: dict[str, tuple[str, dict]] = dag.COMMITTED

EDITION = "sample"


def make_root(root: Path) -> Path:
    """An empty project root whose config/ and notebooks/ are the checkout's."""
    root = Path(root)
    for name in ("config", "notebooks", "docs"):
        link = root / name
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(paths.CHECKOUT / name, target_is_directory=True)
    for sub in ("data/raw", "data/processed", "reports"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def sample_context(log=lambda *a: None):
    """The run context of the sample edition, offline (the current project root)."""
    from .. import context

    return context.create(EDITION, offline=True, log=log)


def prepare_root(root: Path, log=print) -> Path:
    """A root with the whole site of the sample edition, written by the steps themselves (every step, every force,
    every story), offline from the mirror: what the committed notebooks read, and what the tests of the rendered site
    check (read only), made once for the whole run with every core rather than once per test module."""
    root = make_root(root)
    env_before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        from .. import pipeline

        pipeline.run(sample_context(), None, log_current=False)
        log(f"prepared a temporary project root: {root}")
    finally:
        if env_before is None:
            os.environ.pop("CRIMEOUTCOMES_ROOT", None)
        else:
            os.environ["CRIMEOUTCOMES_ROOT"] = env_before
    return root


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    """path -> (size, mtime in ns) of every file below the folders."""
    out = {}
    for folder in folders:
        if folder.is_dir():
            for p in folder.rglob("*"):
                if p.is_file():
                    st = p.stat()
                    out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def _run(cmd: list[str], root: Path) -> int:
    env = {**os.environ, "CRIMEOUTCOMES_ROOT": str(root), "CRIMEOUTCOMES_TEST_ROOT": str(root)}
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, env=env, cwd=paths.CHECKOUT).returncode


def regenerate_committed(names: list[str] | None = None) -> int:
    """Re-run the committed notebooks in a prepared temporary root, so their outputs are what nbval will see."""
    from ..publish.execute import notebooks

    with tempfile.TemporaryDirectory(prefix="crimeoutcomes-notebooks-") as tmp:
        root = prepare_root(Path(tmp))
        os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
        try:
            for stem in names or list(COMMITTED):
                template, params = COMMITTED[stem]
                path = notebooks.execute(template, paths.notebooks_dir() / f"{stem}.ipynb", params, strip=True)
                print(f"regenerated {paths.relative(path)}")
        finally:
            os.environ.pop("CRIMEOUTCOMES_ROOT", None)
    return 0


#: set for the tests by main(): the file the preparing process writes when the prepared root is ready ("ok") or
#: could not be made (why)
READY_ENV = "CRIMEOUTCOMES_TEST_READY"


def _prepare_in_background(root: Path, ready: Path) -> int:
    """`python -m crimeoutcomes.tools.testing --prepare ROOT READY`: prepare the root, then say so in READY."""
    procs.die_with_parent()  # never left building a site nobody will read
    try:
        prepare_root(root, log=lambda *a: None)
    except BaseException as exc:  # the tests waiting for the root fail with this line
        write_text(ready, f"the prepared root could not be made: {type(exc).__name__}: {exc}"[:2000])
        raise
    write_text(ready, "ok")
    return 0


def _watch(preparing: subprocess.Popen, ready: Path, log: Path) -> None:
    """When the preparing process ends without saying it is ready (killed, out of memory), say so for it: the tests
    waiting for the root fail at once with why, never wait for nothing."""
    code = preparing.wait()
    if not ready.exists():
        tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-3:]) if log.is_file() else ""
        write_text(ready, f"the prepared root could not be made: the preparing process ended with code {code}: {tail}")
    # (main() never polls the process itself: this thread is the one that waits for it)


def wait_prepared(timeout: float = 1800) -> None:
    """Wait until the prepared root (made beside the tests by main) is ready; raise RuntimeError when it could not
    be made. Returns at once when no root is being prepared."""
    ready = os.environ.get(READY_ENV)
    if not ready:
        return
    deadline = time.monotonic() + timeout
    while not Path(ready).is_file():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the prepared root was not ready after {timeout:.0f} s")
        time.sleep(0.25)
    said = Path(ready).read_text()
    if said != "ok":
        raise RuntimeError(said)


def wait_prepared_or_fail() -> None:
    """wait_prepared for a test: a root that could not be made fails the test with why, in one line."""
    try:
        wait_prepared()
    except RuntimeError as exc:
        import pytest  # only ever called inside a pytest run

        pytest.fail(str(exc), pytrace=False)


# pytest plugin (`-p crimeoutcomes.tools.testing`, given by main): a committed notebook runs only once the prepared
# root is ready, wherever it is collected from (tests/conftest.py's hooks reach only the tests under tests/)
def pytest_runtest_setup(item) -> None:
    if item.path.suffix == ".ipynb":
        wait_prepared_or_fail()


def compile_package() -> None:
    """Compile the package's modules before the run's processes import them (files already compiled and current are
    left alone): where PYTHONDONTWRITEBYTECODE is set, as on these machines, every process of the run (workers,
    kernels, each command-line run) would otherwise compile them again, about 0.1 s of CPU each."""
    compileall.compile_dir(paths.CHECKOUT / "src" / "crimeoutcomes", quiet=1)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--prepare"]:
        return _prepare_in_background(Path(argv[1]), Path(argv[2]))
    compile_package()
    user = [paths.CHECKOUT / "data", paths.CHECKOUT / "reports"]
    before = snapshot(*user)
    mirror = paths.default_mirror()
    mirror = mirror if mirror is not None and mirror.is_dir() else None
    with tempfile.TemporaryDirectory(prefix="crimeoutcomes-test-") as tmp:
        if mirror is None:  # say why, once; each test that needs the mirror says it again as it is skipped
            print(
                "the real mirror (../shared/outcomes-data, or $CRIMEOUTCOMES_MIRROR) is not here: the tests on the "
                "real sample edition are skipped, each saying why, and nbval is not run (the committed notebooks "
                "show the sample edition)",
                file=sys.stderr,
            )
        root, ready, preparing = make_root(Path(tmp) / "root"), Path(tmp) / "prepared", None
        log_file = Path(tmp) / "prepare.log"
        if mirror is not None:
            # the prepared root is made beside the tests, not before them: the tests that need it wait for it
            # (tests/conftest.py, and this module as a pytest plugin for the notebooks), the others run meanwhile
            cmd = [sys.executable, "-m", "crimeoutcomes.tools.testing", "--prepare", str(root), str(ready)]
            env = {**os.environ, "CRIMEOUTCOMES_ROOT": str(root)}
            print(f"preparing a temporary project root beside the tests: {root}", flush=True)
            with log_file.open("w") as log:
                preparing = subprocess.Popen(cmd, env=env, cwd=paths.CHECKOUT, stdout=log, stderr=subprocess.STDOUT)
            watcher = threading.Thread(target=_watch, args=(preparing, ready, log_file), daemon=True)
            watcher.start()
        targets = [] if "--nbval-only" in argv else ["tests"]
        if "--unit-only" not in argv and mirror is not None:
            targets += ["--nbval", "--nbval-kernel-name", "crime-outcomes", "--nbval-cell-timeout", "600", "notebooks"]
        # one run, in parallel (pytest-xdist): a test file or notebook per worker at a time (its module fixtures are
        # made once, a notebook's cells run in order in one kernel); the files that do not need the prepared root
        # first, the longest first (tests/conftest.py)
        workers = ["-n", os.environ.get("TEST_WORKERS") or "auto", "--dist", "loadfile", "--no-loadscope-reorder"]
        # -rs: every skipped test is listed with its reason at the end
        plugin = ["-p", "crimeoutcomes.tools.testing"]
        if preparing is not None:
            os.environ[READY_ENV] = str(ready)
        code = 1
        try:
            code = _run(
                [sys.executable, "-m", "pytest", *workers, "-rs", "-p", "no:cacheprovider", *plugin, *targets], root
            )
        finally:
            os.environ.pop(READY_ENV, None)
            if preparing is not None:
                needed = ready.exists()  # else the tests are done and the root is not: none of them needed it
                if not needed:
                    preparing.kill()
                watcher.join()  # it waits for the process, then says why it ended if it did not say it was ready
                said = ready.read_text() if ready.exists() else ""
                if needed and said != "ok" and code == 0:
                    print(said, file=sys.stderr)
                    code = 1
    after = snapshot(*user)
    changed = sorted(set(before) ^ set(after) | {p for p in before if p in after and before[p] != after[p]})
    if changed:
        print(
            f"FAILED: the tests changed the user's outputs ({len(changed)} file(s)), e.g. "
            + ", ".join(paths.relative(p) for p in changed[:5]),
            file=sys.stderr,
        )
        return 1
    print(f"the user's data/ and reports/ are unchanged ({len(before):,} files checked)")
    return code


if __name__ == "__main__":
    sys.exit(main())
