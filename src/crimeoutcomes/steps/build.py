"""build: the edition's raw files -> the processed tables (data/processed/<edition>/)."""

from __future__ import annotations

import time

from ..data import build, fetch


def run(ctx, target) -> dict:
    t = time.perf_counter()
    located = fetch.obtain_all(ctx.edition, ctx.mirror, allow_download=not ctx.offline, log=ctx.log)
    timings = {"obtain and verify": time.perf_counter() - t}
    t = time.perf_counter()
    cached = build.read_and_clean(located, jobs=ctx.jobs, log=ctx.log)
    timings["read and clean"] = time.perf_counter() - t
    t = time.perf_counter()
    rows = build.write_tables(ctx.edition, cached, target.folder)
    timings["assemble and write tables"] = time.perf_counter() - t
    return {"summary": f"{rows:,} tidy rows", "rows": rows, "timings": timings, "files": cached.reports}
