"""One value, one rounding: every number a reader sees on the sample edition's pages is the half-up rounding of the
exact value it states, every chart draws only figures it prints beside it, and the exact values are the raw rows'
own (recomputed here from the tidy table with plain pandas).

The site is rendered once for this module (every step, every force and every story version) in a root of its own
that reads the prepared sample build; the checks are crimeoutcomes.tools.check_numbers.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from crimeoutcomes import pipeline
from crimeoutcomes.tools import check_numbers as cn
from crimeoutcomes.tools import testing

PERIODS = {  # the quarters of each period label, written out (not from the package)
    "calendar 2018": [("2017/18", 4), ("2018/19", 1), ("2018/19", 2), ("2018/19", 3)],
    "financial year 2017/18": [("2017/18", q) for q in (1, 2, 3, 4)],
    "financial year 2018/19": [("2018/19", q) for q in (1, 2, 3, 4)],
}


@pytest.fixture(scope="module")
def site(prepared_root, tmp_path_factory) -> Path:
    """reports/sample/ of a root that reads the prepared build, with every step run."""
    root = testing.make_root(tmp_path_factory.mktemp("site"))
    (root / "data" / "processed" / "sample").symlink_to(prepared_root / "data" / "processed" / "sample")
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        pipeline.run(testing.sample_context(), None)
    finally:
        if before is None:
            os.environ.pop("CRIMEOUTCOMES_ROOT", None)
        else:
            os.environ["CRIMEOUTCOMES_ROOT"] = before
    return root / "reports" / "sample"


@pytest.fixture(scope="module")
def tidy(prepared_root) -> pd.DataFrame:
    t = pd.read_parquet(prepared_root / "data" / "processed" / "sample" / "outcomes.parquet")
    t = t[t["in_totals"] & t["force_kind"].isin(["territorial", "british transport police"])]
    return t.assign(
        fy=t["financial_year"].astype(str), q=t["fin_quarter"].astype(int), type=t["outcome_type"].astype(str)
    )


def _pages(site: Path) -> list[str]:
    skip = ("00_dataset_guide.html", "01_clean.html")  # teaching pages: their tables are checked by the guide's tests
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if str(p.relative_to(site)) not in skip)


def test_every_page_states_each_figure_as_the_half_up_rounding_of_its_exact_value(site):
    pages = _pages(site)
    forces = [p for p in pages if p.startswith("forces/")]
    versions = [p for p in pages if p.startswith("stories/") and not p.endswith("index.html")]
    assert len(forces) == 44 and len(versions) == 4 * 44
    assert {"index.html", "claims/index.html", "04_sensitivity.html", "02_claims.html", "methods.html"} <= set(pages)
    problems = []
    for page in pages:
        text = (site / page).read_text()
        marked = cn.marked_page(page)  # not the method in words, the guide or the cleaning walk-through
        problems += [
            f"{page}: {f.kind}: {f.message}"
            for f in cn.check_html(text, cn.ledger_for(site, page), require_marked=marked)
        ]
        assert "<data value=" in text or page in ("methods.html", "stories/index.html"), page
    assert problems == [], "\n".join(problems[:30])


def test_every_chart_draws_only_the_figures_it_prints(site):
    charts = []
    for meta in site.rglob("figures.json"):
        charts += [(meta.parent, c) for c in json.loads(meta.read_text())["charts"]]
    for meta in site.rglob("version.json"):
        chart = json.loads(meta.read_text())["chart"]
        charts += [(meta.parent, chart)] if chart else []
    charts += [(site / "sensitivity", c) for c in json.loads((site / "sensitivity" / "charts.json").read_text())]
    assert len(charts) > 44 * 5
    problems = []
    for folder, c in charts:
        problems += [
            f"{folder.name}/{c['files']['svg']}: {f.message}"
            for f in cn.check_svg((folder / c["files"]["svg"]).read_text(), c["figures"])
        ]
    assert problems == [], "\n".join(problems[:30])


def _sum(tidy, force: str | None, period: str, types=None) -> int:
    rows = tidy[pd.MultiIndex.from_arrays([tidy["fy"], tidy["q"]]).isin(PERIODS[period])]
    if force is not None:
        rows = rows[rows["force"].astype(str) == force]
    if types is not None:
        rows = rows[rows["type"].isin(types)]
    return int(rows["closed"].sum())


def test_the_exact_values_are_the_raw_rows_own(site, tidy):
    """Every force page's keyed figures (offences closed, victim did not support, the rate, the suspect-identified
    share, the outcome mix) recomputed from the tidy rows; England and Wales is every police force."""
    checked = 0
    for meta in sorted((site / "forces").glob("*/figures.json")):
        for f in json.loads(meta.read_text())["figures"]:
            parts = f["key"].split(":")
            if len(parts) < 3 or parts[2] not in PERIODS or f["value"] is None:
                continue
            what, area, period = parts[:3]
            force = None if area == "England and Wales" else area
            closed = _sum(tidy, force, period)
            vdns = _sum(tidy, force, period, ["14", "16"])
            expected = {
                "closed": closed,
                "denominator": closed,
                "vdns": vdns,
                "numerator": vdns,
                "rate": 100 * vdns / closed,
                "share": 100 * _sum(tidy, force, period, ["16"]) / vdns,
                "mix": 100 * _sum(tidy, force, period, parts[3:]) / closed if len(parts) > 3 else None,
            }.get(what)
            if expected is None:
                continue
            assert f["value"] == pytest.approx(expected, rel=1e-12), (meta.parent.name, f)
            checked += 1
    assert checked > 44 * 40


@pytest.mark.parametrize(
    "force, key, exact, shown",
    [  # the cases: the chart used to say one thing and the table another
        ("nottinghamshire", "rate:Nottinghamshire:financial year 2018/19", 20.848, "20.8%"),
        ("hampshire", "rate:Hampshire:financial year 2017/18", 19.046, "19.0%"),
        ("gloucestershire", "rate:Gloucestershire:calendar 2018", 22.252, "22.3%"),
        ("west-yorkshire", "rate:West Yorkshire:financial year 2017/18", 22.251, "22.3%"),
    ],
)
def test_a_rate_reads_the_same_in_the_table_the_story_and_the_charts(site, force, key, exact, shown):
    data = json.loads((site / "forces" / force / "figures.json").read_text())
    value = next(f["value"] for f in data["figures"] if f["key"] == key)
    assert value == pytest.approx(exact, abs=5e-4)
    page = (site / "forces" / f"{force}.html").read_text()
    on_page = re.findall(rf'<data value="{re.escape(repr(value))}">([^<]*)</data>', page)
    in_charts = [f["text"] for c in data["charts"] for f in c["figures"] if f["value"] == value]
    assert len(on_page) >= 2 and set(on_page) == {shown}  # the headline table and the story at least
    assert in_charts and set(in_charts) == {shown}
    charts = [c for c in data["charts"] if any(f["value"] == value for f in c["figures"])]
    for c in charts:  # the chart's alt text and its drawing say it the same way
        assert shown in c["alt"] or shown in c["title"]
        assert shown in (site / "forces" / force / c["files"]["svg"]).read_text()
