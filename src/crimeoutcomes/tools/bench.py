"""`make bench`: speed and memory figures, printed side by side in one run (not timed tests).

Each figure runs in a fresh process started by this light launcher, which samples the memory of the whole process
tree (the step, its pool workers and their Jupyter kernels) every 50 ms: the peak printed is that tree's largest
total resident memory, not a figure inherited from a parent that had loaded data before.

Full scale uses the SYNTHETIC current-release edition (12 workbooks of the real sizes, about 8 million rows),
generated once into data/raw/synthetic-current/. Each measurement works in a temporary project root whose
data/raw is the user's, so the user's processed data and reports are never touched.

Targets (2 cores): cold build <= 1.3 x the bare fastexcel read of the 12 workbooks one after another; warm build
<= 10 s; a build with nothing changed well under a second; the notebooks on the full edition <= 60 s; peak memory of
any step <= 2 GB.
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
    if kind == "bare-read":
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
        if step not in ("build", "claims", "sensitivity", "reports", "pages", "all"):
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


def main(args=None) -> int:
    from ..data import manifest
    from .synthetic import ensure_generated

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
        # ---------------------------------------------------------------- the sample edition (real data)
        root = _root(Path(tmp) / "sample")
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
        for kind in ("claims", "sensitivity"):
            fig = measure(kind, "sample", root)
            show(_row(f"sample: {kind}", f"{fig['seconds']:.1f} s", "", None, f"peak {fig['peak_gb']:.2f} GB"))
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

        if not quick:
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
                    f"peak {cold['peak_gb']:.2f} GB; read+clean {cold.get('read and clean')} s, "
                    f"assemble {cold.get('assemble tidy table')} s, tables "
                    f"{cold.get('derive and write tables')} s",
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
            rep = measure("reports", FULL, root)
            peaks.append(rep["peak_gb"])
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
    print("\n" + "\n".join(rows))
    return 0


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], sys.argv[2])))
