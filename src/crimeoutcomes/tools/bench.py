"""`make bench`: speed and memory figures, printed side by side in one run (not timed tests).

Each figure runs in a fresh process started by this light launcher, which samples the memory of the whole process
tree (the step, its pool workers and their Jupyter kernels) every 50 ms: the peak printed is that tree's largest
total resident memory, not a figure inherited from a parent that had loaded data before.

Full scale uses the SYNTHETIC current-release edition (12 workbooks of the real sizes, about 8 million rows),
generated once into data/raw/synthetic-current/. Each measurement works in a temporary project root whose
data/raw is the user's, so the user's processed data and reports are never touched.

Targets (2 cores): cold build <= 1.3 x the bare fastexcel read of the 12 workbooks one after another; warm build
<= 10 s; a build with nothing changed well under a second; the notebooks on the full edition <= 60 s; peak memory of
any step <= 2 GB; the 44 force reports cold <= 1.3 x drawing the same charts with plain matplotlib (PNG + SVG, the
same sizes, as many processes); the four stories x 44 forces cold <= 0.6 x the 44 force reports; `make all` with
nothing changed well under a second. The stories are measured before the reports (a force's report takes its story
from the stories step, so the reports measured cold are the reports alone).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .. import paths

FULL = "synthetic-current"
GB = 1024**3


# ------------------------------------------------------------------------------------------- child side
def _child(kind: str, edition: str) -> dict:
    """Runs in the measured process; prints its own figures as JSON."""
    t0 = time.perf_counter()
    extra: dict = {}
    if kind == "plain-charts":
        extra.update(_plain_charts(edition))
    elif kind == "bare-read":
        import fastexcel

        from ..data import manifest, read
        from .synthetic import ensure_generated

        mf = manifest.load()
        ed = ensure_generated(mf.edition(edition), mf, lambda *a: None)
        rows = 0
        for src in ed.files:
            reader = fastexcel.read_excel(str(paths.raw_dir() / edition / src.file))
            for name in reader.sheet_names:
                if not read.NOT_DATA_SHEET.match(name):
                    rows += reader.load_sheet(name).to_arrow().num_rows
        extra["rows"] = rows
    else:
        from .. import context, pipeline  # not imported for the bare read: its time is the baseline
        from .synthetic import ensure_generated

        ctx = context.create(
            edition, offline=True, generate=ensure_generated, log=lambda *_: None, rebuild=kind == "build-force"
        )
        step = {"build-force": "build", "reports-again": "reports"}.get(kind, kind)
        if step not in ("build", "claims", "sensitivity", "reports", "stories", "pages", "site", "all"):
            raise SystemExit(f"unknown benchmark {kind}")
        ran = pipeline.run(ctx, None if step == "all" else [step], log_current=False)
        last = ran[-1]
        extra.update(no_op=not any(r.ran for r in ran), step_seconds=round(sum(r.seconds for r in ran), 3))
        if step == "build":
            extra.update(
                rows=last.info.get("rows"), **{k: round(v, 1) for k, v in last.info.get("timings", {}).items()}
            )
        if step == "reports":
            extra.update({k: last.info.get(k, 0) for k in ("forces", "rendered", "skipped")})
    return {"seconds": round(time.perf_counter() - t0, 2), **extra}


def _plain_charts(edition: str) -> dict:
    """The baseline of the force reports: every chart they saved, drawn again with plain matplotlib from its own CSV
    (a bar or line chart with a title and axis labels, the same figure size, PNG at the same resolution and SVG), in
    as many processes as the reports step uses."""
    import multiprocessing

    folder = paths.step_dir("reports", edition)
    jobs = [
        (str(meta.parent), c["files"]["csv"], c["files"][png], c["title"])
        for meta in sorted(folder.glob("*/figures.json"))
        for c in json.loads(meta.read_text())["charts"]
        for png in ("png", "png_phone")
        if png in c["files"]
    ]
    with multiprocessing.get_context("spawn").Pool(os.cpu_count()) as pool:
        pool.map(_plain_chart, jobs, chunksize=4)
    return {"charts": len(jobs)}


def _plain_chart(job: tuple) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from PIL import Image

    folder, csv, png, title = job
    data = pd.read_csv(Path(folder) / csv)
    width, height = Image.open(Path(folder) / png).size
    fig, ax = plt.subplots(figsize=(width / 200, height / 200))
    numeric = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
    labels = data[data.columns[0]].astype(str)
    if numeric and len(data):
        ax.barh(labels, data[numeric[0]].fillna(0))
        for y, v in enumerate(data[numeric[0]].fillna(0)):
            ax.text(v, y, f" {v:.1f}")
    ax.set_title(title)
    ax.set_xlabel(numeric[0] if numeric else "")
    with tempfile.TemporaryDirectory() as tmp:
        fig.savefig(Path(tmp) / "c.png", dpi=200)
        fig.savefig(Path(tmp) / "c.svg")
    plt.close(fig)


# ------------------------------------------------------------------------------------------- launcher side
def measure(kind: str, edition: str, root: Path) -> dict:
    """Run one figure in a fresh process under `root`; return its figures and the tree's peak memory."""
    import psutil

    env = {**os.environ, "CRIMEOUTCOMES_ROOT": str(root)}
    t0 = time.perf_counter()
    proc = psutil.Popen(
        [sys.executable, "-m", "crimeoutcomes.tools.bench", kind, edition],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while proc.poll() is None:
        total = 0
        try:
            for p in [proc, *proc.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
        peak = max(peak, total)
        time.sleep(0.05)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"benchmark {kind} on {edition} failed:\n{err[-2000:]}")
    figures = json.loads(out.strip().splitlines()[-1])
    return {**figures, "wall": round(wall, 2), "peak_gb": round(peak / GB, 2)}


def _root(tmp: Path) -> Path:
    from . import testing

    root = testing.make_root(tmp)
    raw = root / "data" / "raw"
    raw.rmdir()
    raw.symlink_to(paths.CHECKOUT / "data" / "raw", target_is_directory=True)  # read the user's raw files, only
    return root


def _row(label: str, value: str, target: str, ok: bool | None, detail: str = "") -> str:
    mark = "" if ok is None else ("met" if ok else "MISSED")
    return f"{label:<44} {value:>22}  {target:<34} {mark:<6} {detail}"


def _sample(tmp: Path, show) -> None:
    """The sample edition (real data): every step, the force reports against plain charts, the stories against the
    reports, and a run with nothing changed."""
    root = _root(Path(tmp) / "sample")
    _sample_build(root, show)
    for kind in ("claims", "sensitivity"):
        fig = measure(kind, "sample", root)
        show(_row(f"sample: {kind}", f"{fig['seconds']:.1f} s", "", None, f"peak {fig['peak_gb']:.2f} GB"))
    stories = measure("stories", "sample", root)  # first: the reports take their story from it
    reports_seconds = _sample_reports(root, show)
    _sample_stories(stories, show, reports_seconds)
    _sample_again(root, show)


def _sample_build(root: Path, show) -> None:
    """The build, cold, then with nothing changed."""
    cold = measure("build", "sample", root)
    show(
        _row(
            "sample: build, cold (raw -> processed)",
            f"{cold['seconds']:.1f} s",
            "<= 15 s",
            cold["seconds"] <= 15,
            f"peak {cold['peak_gb']:.2f} GB, {cold['rows']:,} rows",
        )
    )
    noop = measure("build", "sample", root)
    show(
        _row(
            "sample: build, nothing changed (the step)",
            f"{noop['step_seconds']:.3f} s",
            "well under 1 s",
            noop["step_seconds"] < 1 and noop["no_op"],
            f"peak {noop['peak_gb']:.2f} GB; {noop['seconds']:.2f} s with Python's start and imports",
        )
    )


def _sample_reports(root: Path, show) -> float:
    """All 44 force reports, cold, against the same charts drawn with plain matplotlib; returns the reports'
    seconds."""
    rep = measure("reports", "sample", root)
    show(
        _row(
            "sample: all 44 force reports, cold",
            f"{rep['seconds']:.1f} s",
            "<= 90 s",
            rep["seconds"] <= 90,
            f"peak {rep['peak_gb']:.2f} GB (2 workers + 2 kernels)",
        )
    )
    plain = measure("plain-charts", "sample", root)
    ratio = rep["seconds"] / plain["seconds"]
    show(
        _row(
            "sample: the same charts, plain matplotlib",
            f"{plain['seconds']:.1f} s",
            "(the baseline)",
            None,
            f"{plain['charts']:,} charts, PNG + SVG, {os.cpu_count()} processes",
        )
    )
    show(
        _row(
            "sample: force reports against plain charts",
            f"{ratio:.2f}x",
            "<= 1.3x",
            ratio <= 1.3,
            "each report: its figures, 5 charts in 2 layouts, the notebook run and converted",
        )
    )
    return rep["seconds"]


def _sample_stories(stories: dict, show, reports_seconds: float) -> None:
    """Every story for every force, cold (measured before the reports), against the force reports."""
    show(
        _row(
            "sample: 4 stories x 44 forces, cold",
            f"{stories['seconds']:.1f} s = {stories['seconds'] / reports_seconds:.2f}x",
            "<= 0.6x the force reports",
            stories["seconds"] <= 0.6 * reports_seconds,
            f"peak {stories['peak_gb']:.2f} GB; every printed figure audited",
        )
    )


def _sample_again(root: Path, show) -> None:
    """The force reports with nothing changed, the notebook pages, the site, and make all with nothing changed."""
    again = measure("reports-again", "sample", root)
    show(
        _row(
            "sample: force reports, nothing changed",
            f"{again['seconds']:.1f} s",
            "<= 5 s",
            again["seconds"] <= 5 and again["rendered"] == 0,
            f"peak {again['peak_gb']:.2f} GB",
        )
    )
    pages = measure("pages", "sample", root)
    show(
        _row(
            "sample: notebook pages (00, 01, 02, 04)",
            f"{pages['seconds']:.1f} s",
            "",
            None,
            f"peak {pages['peak_gb']:.2f} GB",
        )
    )
    measure("site", "sample", root)
    nothing = measure("all", "sample", root)
    show(
        _row(
            "sample: make all, nothing changed (the steps)",
            f"{nothing['step_seconds']:.3f} s",
            "well under 1 s",
            nothing["step_seconds"] < 1 and nothing["no_op"],
            f"{nothing['seconds']:.2f} s with Python's start and imports",
        )
    )


def _full_scale(tmp: Path, show) -> None:
    """The SYNTHETIC current-release edition at full scale: the build against the bare read, memory of every step."""
    from ..data import manifest
    from .synthetic import ensure_generated

    # ---------------------------------------------------------------- full scale (SYNTHETIC)
    mf = manifest.load()
    ed = ensure_generated(mf.edition(FULL), mf, lambda m: print(m, flush=True))
    size = sum(f.bytes for f in ed.files)
    root = _root(Path(tmp) / "full")
    bare = measure("bare-read", FULL, root)
    show(
        _row(
            "full: bare fastexcel read, 12 one by one",
            f"{bare['seconds']:.1f} s",
            "(the baseline)",
            None,
            f"peak {bare['peak_gb']:.2f} GB, {bare['rows']:,} rows, {size / 1e6:,.0f} MB of xlsx",
        )
    )
    cold = measure("build", FULL, root)
    ratio = cold["seconds"] / bare["seconds"]
    show(
        _row(
            "full: build, cold",
            f"{cold['seconds']:.1f} s = {ratio:.2f}x",
            "<= 1.3x the bare read",
            ratio <= 1.3,
            f"peak {cold['peak_gb']:.2f} GB; read and clean {cold['read and clean']:.1f} s, "
            f"assemble and write the tables {cold['assemble and write tables']:.1f} s",
        )
    )
    warm = measure("build-force", FULL, root)
    show(
        _row(
            "full: build, warm (columnar cache)",
            f"{warm['seconds']:.1f} s",
            "<= 10 s",
            warm["seconds"] <= 10,
            f"peak {warm['peak_gb']:.2f} GB",
        )
    )
    noop = measure("build", FULL, root)
    show(
        _row(
            "full: build, nothing changed (the step)",
            f"{noop['step_seconds']:.3f} s",
            "well under 1 s",
            noop["step_seconds"] < 1 and noop["no_op"],
            f"peak {noop['peak_gb']:.2f} GB; {noop['seconds']:.2f} s with Python's start and imports",
        )
    )
    peaks = [cold["peak_gb"], warm["peak_gb"]]
    for kind in ("claims", "sensitivity"):
        fig = measure(kind, FULL, root)
        peaks.append(fig["peak_gb"])
        show(_row(f"full: {kind}", f"{fig['seconds']:.1f} s", "", None, f"peak {fig['peak_gb']:.2f} GB"))
    stories = measure("stories", FULL, root)  # first: the reports take their story from it
    peaks.append(stories["peak_gb"])
    rep = measure("reports", FULL, root)
    peaks.append(rep["peak_gb"])
    show(
        _row(
            "full: 4 stories x 44 forces, cold",
            f"{stories['seconds']:.1f} s = {stories['seconds'] / rep['seconds']:.2f}x",
            "",
            None,
            f"peak {stories['peak_gb']:.2f} GB",
        )
    )
    show(
        _row(
            "full: all 44 force reports, cold",
            f"{rep['seconds']:.1f} s",
            "",
            None,
            f"peak {rep['peak_gb']:.2f} GB",
        )
    )
    pages = measure("pages", FULL, root)
    peaks.append(pages["peak_gb"])
    show(
        _row(
            "full: notebook pages (00, 01, 02, 04)",
            f"{pages['seconds']:.1f} s",
            "<= 60 s",
            pages["seconds"] <= 60,
            f"peak {pages['peak_gb']:.2f} GB",
        )
    )
    show(_row("full: peak memory of any step", f"{max(peaks):.2f} GB", "<= 2 GB", max(peaks) <= 2, ""))


def main(args=None) -> int:
    quick = bool(getattr(args, "quick", False))
    print(
        f"crimeoutcomes benchmarks on {os.cpu_count()} cores; every figure from a fresh process, peak memory of "
        "its whole process tree (step + workers + kernels)\n"
    )
    rows = [_row("figure", "value", "target", None, "peak memory / detail"), "-" * 140]

    def show(line):
        rows.append(line)
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="crimeoutcomes-bench-", dir=paths.CHECKOUT / "data") as tmp:
        _sample(Path(tmp), show)
        if not quick:
            _full_scale(Path(tmp), show)
    print("\n" + "\n".join(rows))
    return 0


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], sys.argv[2])))
