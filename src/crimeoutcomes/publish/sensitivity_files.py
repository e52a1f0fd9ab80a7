"""The sensitivity step's files: the national and force tables, the ranks, the conclusions and the chart."""

from __future__ import annotations

import json
from pathlib import Path

from .. import csvfile, dag
from ..analysis import sensitivity
from ..analysis.measures import Dataset
from ..atomic import write_text
from . import charts, style


def _name(key: str) -> str:
    return dag.file("sensitivity", key)


def write(result: dict, ds: Dataset, folder: Path) -> None:
    national = result["national"].drop(columns=["Key"])
    csvfile.to_csv(national, folder / _name("national"))
    csvfile.to_csv(result["forces"].drop(columns=["Key"]), folder / _name("forces"))
    csvfile.to_csv(sensitivity.force_table(result["forces"]), folder / _name("ranks"))
    write_text(folder / _name("conclusions"), json.dumps(sensitivity.conclusions(result), indent=1) + "\n")
    computable = national[national[sensitivity.RATE].notna()]
    source = style.source_line(ds.build.get("release") or ds.edition, ds.synthetic)
    saved = charts.save_chart(charts.sensitivity_national(computable, source, ds.synthetic), folder)
    write_text(folder / _name("charts"), json.dumps([saved.__dict__], indent=1) + "\n")
