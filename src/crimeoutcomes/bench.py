"""Benchmarks that print figures (not timed tests). Each measurement runs in a fresh Python process so that
its peak memory (max RSS) is its own.

- sample edition, raw → processed, from cold (no columnar cache) and warm (cache present);
- generated SYNTHETIC workbooks in the current xlsx layout, read + normalise: one of a real workbook's shape
  (8.7 million cells, ~35 MB) and one padded to 40 MB by bytes (10.7 million cells);
- all force reports of the sample edition from cold, and again with nothing changed.
Targets (2 cores): workbook ≤ 10 s and ≤ 2 GB peak; sample edition raw → processed ≤ 15 s; all 44 reports
≤ 90 s cold and ≤ 5 s when nothing changed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import paths

BENCH_DIR_NAME = "bench"
#: SYNTHETIC workbooks in the current xlsx layout (shared strings, styled cells, cover and notes sheets).
#: name -> (offences, largest count, description). 44 forces × 4 quarters × offences × 21 outcome types rows.
WORKBOOKS = {
    "synthetic-current-layout-real-shape.xlsx": (
        181,
        20_000,
        "real shape: 669,000 rows, 8.7 million cells (like a real 2018/19 workbook)",
    ),
    "synthetic-current-layout-40mb.xlsx": (
        222,
        400,
        "sized to 40 MB by bytes: 820,000 rows, 10.7 million cells (more rows than any real file)",
    ),
}


def bench_dir() -> Path:
    return paths.processed_dir() / BENCH_DIR_NAME


def ensure_workbook(name: str) -> Path:
    from . import synthetic

    path = bench_dir() / name
    if not path.is_file():
        n_offences, max_count, _ = WORKBOOKS[name]
        print(f"generating {paths.relative(path)} (SYNTHETIC, once; one to two minutes)…", flush=True)
        frame = synthetic.grid("2018/19", n_offences=n_offences, max_count=max_count, seed=3)
        synthetic.write(frame, path, "xlsx-current")
    return path


def _child(kind: str, arg: str) -> dict:
    """Runs in the child process; returns figures."""
    t0 = time.perf_counter()
    if kind == "workbook":
        from . import clean, read

        raw = read.read_raw(Path(arg), "xlsx")
        t_read = time.perf_counter() - t0
        tidy = clean.normalise(raw, financial_year="2018/19", source_file=Path(arg).name, edition="bench")
        rows = len(tidy)
        extra = {"read_s": round(t_read, 2), "normalise_s": round(time.perf_counter() - t0 - t_read, 2)}
    elif kind == "edition":
        from . import pipeline

        processed = Path(arg)
        result = pipeline.build_edition(
            os.environ.get("BENCH_EDITION", "sample"), processed_dir=processed, progress=False, log=lambda *_: None
        )
        rows = result.rows
        extra = {k: round(v, 2) for k, v in result.timings.items()}
    elif kind == "reports":
        from . import reports

        os.environ["CRIMEOUTCOMES_REPORTS_DIR"] = arg
        figures = reports.render_all("sample", log=lambda *a: None)
        rows = figures["forces"]
        extra = {"rendered": figures["rendered"], "skipped": figures["skipped"]}
    else:
        raise SystemExit(f"unknown benchmark {kind}")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_s = round(rows / seconds) if rows >= 1000 else round(rows / seconds, 1)
    return {"seconds": round(seconds, 2), "rows": rows, "rows_per_s": per_s, "peak_mb": round(peak_mb), **extra}


def run_child(kind: str, arg: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "crimeoutcomes.bench", kind, arg], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(label: str, fig: dict, target: str, unit: str = "rows") -> str:
    detail = ", ".join(f"{k} {v}" for k, v in fig.items() if k not in ("seconds", "rows", "rows_per_s", "peak_mb"))
    return (
        f"{label:<46} {fig['seconds']:>7.2f} s  {fig['rows']:>10,} {unit}  {fig['rows_per_s']:>10,} {unit}/s  "
        f"peak {fig['peak_mb']:>6,} MB   [{target}]" + (f"\n{'':<48}({detail})" if detail else "")
    )


def main(args=None) -> int:
    print(f"crimeoutcomes benchmarks on {os.cpu_count()} cores (each figure from a fresh process)")
    with tempfile.TemporaryDirectory(dir=paths.processed_dir()) as tmp:
        cold = run_child("edition", tmp)
        warm = run_child("edition", tmp)
    print(_line("sample edition raw → processed (cold)", cold, "target ≤ 15 s"))
    print(_line("sample edition raw → processed (warm cache)", warm, "cache of columnar files"))
    if not getattr(args, "skip_workbook", False):
        for name, (_, _, description) in WORKBOOKS.items():
            wb = ensure_workbook(name)
            fig = run_child("workbook", str(wb))
            print(
                _line(
                    f"xlsx workbook read + normalise ({wb.stat().st_size / 1e6:.1f} MB)",
                    fig,
                    "target ≤ 10 s, ≤ 2,048 MB",
                )
                + f"\n{'':<48}({description})"
            )
    if not getattr(args, "skip_reports", False):
        with tempfile.TemporaryDirectory(dir=paths.reports_dir()) as tmp:
            cold = run_child("reports", tmp)
            warm = run_child("reports", tmp)
        print(_line("all force reports, sample edition (cold)", cold, "target ≤ 90 s", unit="forces"))
        print(_line("all force reports, nothing changed (warm)", warm, "target ≤ 5 s", unit="forces"))
        print(f"{'':<48}(peak memory is the coordinating process; kernels and workers are separate processes)")
    return 0


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], sys.argv[2])))
