"""Shared fixtures. No test touches the internet (downloads go to a server on 127.0.0.1) or the user's data/ and
reports/: every test runs in a temporary project root, and the tests on the real sample edition share one prepared
root (`make test` prepares it once; run alone, pytest prepares its own)."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from crimeoutcomes import paths
from crimeoutcomes.tools import synthetic, testing

#: the test files with the longest set-up, run first among those that do not need the prepared root (or among those
#: that do), so that pytest-xdist's workers finish together (`make test` passes --no-loadscope-reorder, which keeps
#: this order; xdist would otherwise start with the files of most tests)
LONGEST_FIRST = ("test_site.py", "test_faults_machine.py", "test_steps.py", "test_check_pages.py")


def _needs_prepared_root(item) -> bool:
    """A test on the prepared root (through its fixtures), or a committed notebook nbval re-runs (it reads that
    root)."""
    return item.path.suffix == ".ipynb" or "prepared_root" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items) -> None:
    """make test prepares the root beside the tests (tools/testing.py): the files that do not need it run first,
    then those that do, then the notebooks; within each, the longest first. A file stays in one piece."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    needs: dict = {}
    for item in items:
        needs[item.path] = needs.get(item.path, False) or _needs_prepared_root(item)

    def key(item):
        return (needs[item.path], item.path.suffix == ".ipynb", rank.get(item.path.name, len(rank)))

    items.sort(key=key)  # stable: the rest keep their order


@pytest.fixture(autouse=True)
def project_root(tmp_path_factory, monkeypatch) -> Path:
    """Every test starts in an empty temporary project root (config and notebooks linked from the checkout)."""
    root = testing.make_root(tmp_path_factory.mktemp("root"))
    monkeypatch.setenv("CRIMEOUTCOMES_ROOT", str(root))
    return root


@pytest.fixture(scope="session")
def mirror() -> Path:
    m = paths.default_mirror()
    if m is None or not (m / "2018-19").is_dir():
        pytest.skip("the real mirror (../shared/outcomes-data or $CRIMEOUTCOMES_MIRROR) is not available")
    return m


@pytest.fixture(scope="session")
def prepared_root(mirror, tmp_path_factory) -> Path:
    """A root with the whole site of the real sample edition (tools/testing.prepare_root; read only): `make test`
    prepares it beside the tests (this waits for it); run alone, pytest prepares its own."""
    given = os.environ.get("CRIMEOUTCOMES_TEST_ROOT")
    if given:
        testing.wait_prepared_or_fail()  # the root make test prepares beside the tests
    if given and (Path(given) / "data" / "processed" / "sample" / "build.json").is_file():
        return Path(given)
    return testing.prepare_root(tmp_path_factory.mktemp("prepared"), log=lambda *a: None)


@pytest.fixture
def sample_root(prepared_root, monkeypatch) -> Path:
    """Use the prepared sample root (read only) for this test."""
    monkeypatch.setenv("CRIMEOUTCOMES_ROOT", str(prepared_root))
    return prepared_root


@pytest.fixture(scope="session")
def sample(prepared_root):
    """The real sample edition's Dataset (loaded once)."""
    from crimeoutcomes.analysis import measures

    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(prepared_root)
    try:
        ds = measures.Dataset.load("sample")
        ds.tidy  # noqa: B018 (load the tidy table while the root is set)
        return ds
    finally:
        if before is None:
            os.environ.pop("CRIMEOUTCOMES_ROOT", None)
        else:
            os.environ["CRIMEOUTCOMES_ROOT"] = before


@pytest.fixture
def small_frame():
    """A small SYNTHETIC frame: 3 forces, 4 quarters, 2 offences, outcome types 0-18 and 20-21."""
    return synthetic.grid("2018/19", force_names=["Cheshire", "London, City of", "Derbyshire"], n_offences=2, seed=1)


SYNTHETIC_EDITION = "synthetic-steps"
SYNTHETIC_FORCES = ["Cheshire", "Derbyshire", "Kent"]


def synthetic_context(root: Path, **options):
    """The run context of the SYNTHETIC edition of `synthetic_built` (in that root), quiet."""
    from crimeoutcomes import context

    options.setdefault("log", lambda *a: None)
    return context.create(SYNTHETIC_EDITION, mirror=root / "mirror", **options)


def made_once(tmp_path_factory, name: str, make) -> Path:
    """A folder `make(folder)` fills once per test session, also when pytest-xdist runs the session in several
    workers: the first worker to need it makes it, under a lock, and the others wait for it and read it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    from filelock import FileLock

    session = tmp_path_factory.getbasetemp().parent  # one per session, shared by its workers
    folder, made = session / name, session / f"{name}.made"
    with FileLock(str(session / f"{name}.lock")):
        if not made.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed to make it left it half made
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


@pytest.fixture(scope="session")
def synthetic_built(tmp_path_factory) -> Path:
    """A project root with copied config/, notebooks/ and docs/ and a small SYNTHETIC edition (three forces, two
    financial years) run through every step, by the command line in a process of its own that records every file it
    and its workers and kernels open (`opened_by_the_synthetic_run`). Made once per session; use `synthetic_root`
    for a copy a test may change."""
    return made_once(tmp_path_factory, "synthetic-root", _build_synthetic_root)


def opened_by_the_synthetic_run(root: Path) -> list[Path]:
    """The record files of what the run that built `synthetic_built` opened: one per process."""
    return sorted(_open_log(root).parent.glob(f"{_open_log(root).name}.*"))


def _open_log(root: Path) -> Path:
    return root.with_name(f"{root.name}-opened") / "opened"  # beside the root: never copied with it


#: a sitecustomize.py that records every file a process opens (an audit hook: Python's own, in every process started
#: with it on PYTHONPATH, workers and kernels included), one record file per process
AUDIT_HOOK = textwrap.dedent(
    """
    import os, sys
    _log = os.environ.get("CRIMEOUTCOMES_OPEN_LOG")
    if _log:
        _busy = []

        def _hook(event, args):
            if event != "open" or _busy or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
                return
            name = os.fsdecode(args[0])
            if not os.path.isabs(name):  # relative to a folder's descriptor (rmtree, scandir): not a file read
                return
            _busy.append(1)
            try:
                with open(f"{_log}.{os.getpid()}", "a", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(name + "\\n")
            finally:
                _busy.pop()

        sys.addaudithook(_hook)
    """
)


def _build_synthetic_root(root: Path) -> None:
    from crimeoutcomes import pipeline

    shutil.copytree(paths.CHECKOUT / "config", root / "config")
    shutil.copytree(paths.CHECKOUT / "notebooks", root / "notebooks")
    shutil.copytree(paths.CHECKOUT / "docs", root / "docs")  # docs/methods.md is the site's methods page
    for sub in ("data/raw", "data/processed", "reports"):
        (root / sub).mkdir(parents=True)
    frames = {
        fy: synthetic.grid(fy, force_names=SYNTHETIC_FORCES, n_offences=2, seed=i)
        for i, fy in enumerate(["2017/18", "2018/19"])
    }
    generated = synthetic.write_edition(frames, root / "mirror", edition=SYNTHETIC_EDITION)
    shutil.copy(generated, root / "config" / "sources.yaml")
    # a claim this edition can compute (the published registries' need other years and every force): a rows file
    (root / "config" / "claims" / "synthetic.yaml").write_text(
        "articles: {synthetic: {title: SYNTHETIC claims for tests}}\nclaims:\n"
        "  - {id: synthetic-kent, article: synthetic, quote: Kent closed 1 offence, claimed: '1', area: Kent,\n"
        "     period: financial year 2018/19, numerator: all}\n"
    )
    log = _open_log(root)
    log.parent.mkdir()
    (log.parent / "sitecustomize.py").write_text(AUDIT_HOOK)
    env = {
        **os.environ,
        "CRIMEOUTCOMES_ROOT": str(root),
        "CRIMEOUTCOMES_OPEN_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(log.parent), os.environ.get("PYTHONPATH", "")]),
    }
    mirror = ["--mirror", str(root / "mirror")]
    cmd = [sys.executable, "-m", "crimeoutcomes", "run", "all", "--edition", SYNTHETIC_EDITION, "--offline", *mirror]
    done = subprocess.run([*cmd, "--jobs", "2"], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:  # every step ran, and is current
        assert not [d.step.name for d in pipeline.plan(synthetic_context(root)) if d.stale], done.stdout[-2000:]
    finally:
        os.environ["CRIMEOUTCOMES_ROOT"] = before or ""


@pytest.fixture
def synthetic_root(synthetic_built, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the built SYNTHETIC root for one test, made the project root (its config/ and notebooks/ are
    real copies: editing them can never reach the checkout)."""
    copy = tmp_path / "root"
    shutil.copytree(synthetic_built, copy, symlinks=True)
    assert not (copy / "config").is_symlink() and not (copy / "notebooks").is_symlink()
    monkeypatch.setenv("CRIMEOUTCOMES_ROOT", str(copy))
    return copy


@dataclass
class Built:
    """What a build did: its folder, rows, the files' reports (from the cache or read), its stamp, whether it ran."""

    out_dir: Path
    rows: int
    files: list
    stamp: str
    no_op: bool


def run_steps(names, edition: str | None = "sample", *, manifest_path=None, mirror=None, log=None, **options):
    """Run steps (and what they need) as the command line does, offline; returns (what ran, the run context)."""
    from crimeoutcomes import context, pipeline

    ctx = context.create(
        edition, manifest_path=manifest_path, mirror=mirror, offline=True, log=log or (lambda *a: None), **options
    )
    return pipeline.run(ctx, names), ctx


def build(edition: str, manifest_path, mirror, *, log=None, **options) -> Built:
    """The build step of an edition (a no-op when current)."""
    from crimeoutcomes import stamps
    from crimeoutcomes.data import tables

    ran, ctx = run_steps(["build"], edition, manifest_path=manifest_path, mirror=mirror, log=log, **options)
    out = paths.step_dir("build", ctx.name)
    return Built(
        out,
        tables.load_record(ctx.name)["rows"],
        ran[-1].info.get("files", []),
        stamps.read(out / ".stamp.json").get("stamp"),
        not ran[-1].ran,
    )


def build_synthetic(
    tmp_path: Path, frames: dict, *, layout: str = "csv-2019", edition: str = "synthetic-test", jobs: int = 1
):
    """Write SYNTHETIC raw files (one per financial year) into a mirror folder with their manifest, and build them
    into the current project root. Returns (Built, manifest path, mirror folder)."""
    mirror_dir = tmp_path / "mirror"
    manifest_path = synthetic.write_edition(frames, mirror_dir, edition=edition, layout=layout)
    return build(edition, manifest_path, mirror_dir, jobs=jobs), manifest_path, mirror_dir


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        body, behaviour = route
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour == "interrupt":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if behaviour == "stall":
            self.wfile.write(body[:100_000])
            self.wfile.flush()
            threading.Event().wait(3)
            return
        self.wfile.write(body)


@pytest.fixture
def http_server():
    """A local HTTP server; add routes with server.routes[path] = (bytes, 'ok' | 'interrupt' | 'stall')."""
    handler = type("Handler", (_Handler,), {"routes": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.routes = handler.routes
    yield server
    server.shutdown()
    server.server_close()
