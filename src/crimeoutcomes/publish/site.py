"""The site index (reports/<edition>/index.html): every force with its key figures, sortable, linking its report,
plus the claims audit and the notebook pages (from the one list in publish/notebooks.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import dag
from ..analysis import force_figures as ff
from ..analysis import measures as m
from ..atomic import write_text
from ..data import forces as forces_mod
from . import html

CLAIMS_PAGE = dag.link("site", "claims", "page")


def index_table(ds: m.Dataset) -> tuple[pd.DataFrame, list[str]]:
    periods = [p for p in ff.latest_periods(ds).values() if p is not None]
    present = set(ds.coverage.loc[ds.coverage["rows"] > 0, "force"])
    ranks = {p: m.ranking(ds, p).set_index("force") for p in periods}
    rows = []
    for f in forces_mod.POLICE_FORCES:
        if f.name not in present:
            continue
        row = {"Force": f.name, "_href": dag.link("site", "reports", "page", force=f.slug)}
        for p in periods:
            r = ranks[p].loc[f.name]
            ok = bool(r["computable"])
            row[f"Offences closed, {p.short}"] = int(r["offences_closed"]) if ok else None
            row[f"Rate %, {p.short}"] = round(float(r["rate_pct"]), 1) if ok and pd.notna(r["rate_pct"]) else None
            row[f"Rank, {p.short}"] = int(r["rank"]) if pd.notna(r["rank"]) else None
        cov = ds.coverage[ds.coverage["force"] == f.name]
        flagged = cov[(cov["closed_status"] != "present") | (cov["plausibility"] == "low")]
        row["Data notes"] = (
            ", ".join(
                f"{q} ({s if s != 'present' else 'low'})"
                for q, s in zip(flagged["quarter_label"], flagged["closed_status"])
            )
            or "complete"
        )
        rows.append(row)
    return pd.DataFrame(rows), [p.label for p in periods]


def write_index(ds: m.Dataset, folder: Path) -> Path:
    """The index page into `folder` (reports/<edition>/)."""
    edition = ds.edition
    table, labels = index_table(ds)
    pages = "".join(
        f'<li><a href="{nb.page}">{html.esc(nb.title)}</a> (for {nb.audience}): {html.esc(nb.summary)}.</li>'
        for nb in dag.PAGES
    )
    body = [
        "<p>How often does a police investigation end because the alleged victim did not support further action? "
        "One report per police force: headline figures, a story paragraph, charts with the data behind them, and "
        "notes on the data. The rate is the share of offences closed that ended with outcome type 14 or 16; "
        f"England and Wales means {html.esc(m.ew_label())}.</p>",
        "<p>Periods: "
        + (", ".join(html.esc(label) for label in labels) or "none can be computed in this edition")
        + ". A dash means the force's figure cannot be computed for that period (a quarter is missing); the data "
        "notes column names quarters that are missing, only partly supplied, or implausibly low. Select a column "
        "heading to sort.</p>",
        html.table(
            table,
            caption="Police forces: offences closed, the rate and the rank (1 = highest rate)",
            sortable=True,
            links={"Force": "_href"},
            table_id="forces",
        ),
        f'<h2>More</h2><ul><li><a href="{CLAIMS_PAGE}">Claims audit</a>: every figure in the June 2021 articles '
        "and in other published stories, recomputed, with the raw rows behind each.</li>" + pages + "</ul>",
    ]
    target = folder / dag.file("site", "index")
    write_text(
        target,
        html.page(f"Crime outcomes by police force: {edition} edition", "\n".join(body), ds.build, sortable=True),
    )
    return target
