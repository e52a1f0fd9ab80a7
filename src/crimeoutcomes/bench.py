"""Benchmarks that print figures (not timed tests). Each measurement runs in a fresh Python process so that
its peak memory (max RSS) is its own.

- sample edition, raw → processed, from cold (no columnar cache) and warm (cache present);
- a generated SYNTHETIC ~40 MB workbook in the current xlsx layout: read + normalise.
Targets (2 cores): workbook ≤ 10 s and ≤ 2 GB peak; sample edition raw → processed ≤ 15 s.
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
WORKBOOK_NAME = "synthetic-current-layout-40mb.xlsx"
# 44 forces × 4 quarters × 222 offences × 21 outcome types ≈ 820,000 rows: ~40 MB like a real workbook
# (which has about 620,000 rows; the generated one is sized by bytes, so it is the harder case)
WORKBOOK_OFFENCES = 222


def bench_dir() -> Path:
    return paths.processed_dir() / BENCH_DIR_NAME


def ensure_workbook() -> Path:
    from . import synthetic

    path = bench_dir() / WORKBOOK_NAME
    if not path.is_file():
        print(f"generating {paths.relative(path)} (SYNTHETIC, once; about a minute)…", flush=True)
        frame = synthetic.grid("2018/19", n_offences=WORKBOOK_OFFENCES, max_count=400)
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
        result = pipeline.build_edition(os.environ.get("BENCH_EDITION", "sample"), processed_dir=processed,
                                        progress=False, log=lambda *_: None)
        rows = result.rows
        extra = {k: round(v, 2) for k, v in result.timings.items()}
    else:
        raise SystemExit(f"unknown benchmark {kind}")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "rows": rows, "rows_per_s": round(rows / seconds), "peak_mb": round(peak_mb),
            **extra}


def run_child(kind: str, arg: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "crimeoutcomes.bench", kind, arg], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(label: str, fig: dict, target: str) -> str:
    detail = ", ".join(f"{k} {v}" for k, v in fig.items() if k not in ("seconds", "rows", "rows_per_s", "peak_mb"))
    return (f"{label:<46} {fig['seconds']:>7.2f} s  {fig['rows']:>10,} rows  {fig['rows_per_s']:>10,} rows/s  "
            f"peak {fig['peak_mb']:>6,} MB   [{target}]" + (f"\n{'':<48}({detail})" if detail else ""))


def main(args=None) -> int:
    print(f"crimeoutcomes benchmarks on {os.cpu_count()} cores (each figure from a fresh process)")
    with tempfile.TemporaryDirectory(dir=paths.processed_dir()) as tmp:
        cold = run_child("edition", tmp)
        warm = run_child("edition", tmp)
    print(_line("sample edition raw → processed (cold)", cold, "target ≤ 15 s"))
    print(_line("sample edition raw → processed (warm cache)", warm, "cache of columnar files"))
    if not getattr(args, "skip_workbook", False):
        wb = ensure_workbook()
        fig = run_child("workbook", str(wb))
        size_mb = wb.stat().st_size / 1e6
        print(_line(f"~40 MB workbook read + normalise ({size_mb:.0f} MB)", fig, "target ≤ 10 s, ≤ 2,048 MB"))
    extra = getattr(args, "extra", None)
    if extra:
        extra()
    return 0


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], sys.argv[2])))
