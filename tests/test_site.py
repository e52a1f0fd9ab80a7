"""One value, one rounding: every number a reader sees on the sample edition's pages is the half-up rounding of the
exact value it states, every chart draws only figures it prints beside it, and the exact values are the raw rows'
own (recomputed here from the tidy table with plain pandas).

The site is the prepared root's (tools/testing.py renders it once for the whole run, before the tests: every step,
every force and every story version, on the real sample edition); the checks are crimeoutcomes.tools.check_numbers.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from crimeoutcomes import paths, pipeline
from crimeoutcomes.tools import check_numbers as cn
from crimeoutcomes.tools import testing

PERIODS = {  # the quarters of each period label, written out (not from the package)
    "calendar 2018": [("2017/18", 4), ("2018/19", 1), ("2018/19", 2), ("2018/19", 3)],
    "financial year 2017/18": [("2017/18", q) for q in (1, 2, 3, 4)],
    "financial year 2018/19": [("2018/19", q) for q in (1, 2, 3, 4)],
}


@pytest.fixture(scope="module")
def site(prepared_root) -> Path:
    """reports/sample/ of the prepared root: every step run, every force (read only)."""
    return prepared_root / "reports" / "sample"


@pytest.fixture(scope="module")
def tidy(prepared_root) -> dict:
    """The tidy table's closed counts summed by force, quarter, outcome type and offence group (plain pandas; police
    forces only, rows in totals only)."""
    t = pd.read_parquet(prepared_root / "data" / "processed" / "sample" / "outcomes.parquet")
    t = t[t["in_totals"] & t["force_kind"].isin(["territorial", "british transport police"])]
    t = t.assign(
        force=t["force"].astype(str),
        fy=t["financial_year"].astype(str),
        q=t["fin_quarter"].astype(int),
        type=t["outcome_type"].astype(str),
        group=t["offence_group"].astype(str),
    )
    by_group = t.groupby(["force", "fy", "q", "group", "type"])["closed"].sum()
    by_type = by_group.groupby(level=["force", "fy", "q", "type"]).sum()
    return {
        "all": {k: g.droplevel([0, 1, 2]).to_dict() for k, g in by_type.groupby(level=[0, 1, 2])},
        "group": {k: g.droplevel([0, 1, 2, 3]).to_dict() for k, g in by_group.groupby(level=[0, 1, 2, 3])},
        "forces": sorted(t["force"].unique()),
    }


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


def _quarters(label: str) -> list[tuple[str, int]] | None:
    if label in PERIODS:
        return PERIODS[label]
    one = re.fullmatch(r"(\d{4}/\d\d) Q([1-4])", label)
    return [(one.group(1), int(one.group(2)))] if one else None


def _sum(tidy, force: str | None, period: str, types=None, group: str | None = None) -> int:
    total = 0
    for f in [force] if force is not None else tidy["forces"]:
        for fy, q in _quarters(period):
            cell = tidy["all"].get((f, fy, q), {}) if group is None else tidy["group"].get((f, fy, q, group), {})
            total += sum(v for t, v in cell.items() if types is None or t in types)
    return int(total)


def test_the_exact_values_are_the_raw_rows_own(site, tidy):
    """Every force page's keyed figures (offences closed, victim did not support, the rate, the suspect-identified
    share, the outcome mix) recomputed from the tidy rows; England and Wales is every police force."""
    checked = 0
    for meta in sorted((site / "forces").glob("*/figures.json")):
        for f in json.loads(meta.read_text())["figures"]:
            parts = f["key"].split(":")
            if len(parts) < 3 or _quarters(parts[2]) is None or f["value"] is None:
                continue
            what, area, period = parts[:3]
            force = None if area == "England and Wales" else area
            closed = _sum(tidy, force, period)
            vdns = _sum(tidy, force, period, ["14", "16"])
            extra = parts[3] if len(parts) > 3 else None  # an outcome type (mix) or an offence group (vdns)
            expected = {
                "closed": closed,
                "denominator": closed,
                "vdns": vdns if extra is None else _sum(tidy, force, period, ["14", "16"], group=extra),
                "numerator": vdns,
                "rate": 100 * vdns / closed,
                "share": (
                    100 * _sum(tidy, force, period, ["16"]) / vdns  # suspect identified, of 14 + 16
                    if extra is None
                    else 100 * _sum(tidy, force, period, ["14", "16"], group=extra) / vdns  # a group's share of them
                ),
                "mix": 100 * _sum(tidy, force, period, [extra]) / closed if extra else None,
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
        ("hampshire", "rate:Hampshire:financial year 2017/18", 19.046, "19.0%"),  # the yearly chart only
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
    assert on_page and set(on_page) == {shown}  # wherever the page states it (table, story, caption)
    assert in_charts and set(in_charts) == {shown}
    charts = [c for c in data["charts"] if any(f["value"] == value for f in c["figures"])]
    for c in charts:  # the chart's alt text and its drawing say it the same way
        assert shown in c["alt"] or shown in c["title"]
        assert shown in (site / "forces" / force / c["files"]["svg"]).read_text()


# ------------------------------------------------------------------------------------------- stories
def _key(q):
    return (q.area.forces, tuple(q.period.quarters), q.basis, q.offences, q.numerator, q.denominator)


def _audit(folder: Path) -> pd.DataFrame:
    from crimeoutcomes import csvfile

    return csvfile.read_csv(folder / "claims_audit.csv", keep_default_na=False, na_values={"computed": [""]})


@pytest.mark.parametrize("spec_id", ["burglary-no-suspect", "rape-charge", "suspect-identified-no-support"])
def test_the_back_test_each_published_figure_the_audit_reproduces_is_stated_by_its_forces_version(site, spec_id):
    """Each spec runs on the period a published story used: for every figure of those stories that the audit
    reproduces (same area, period, basis, offences and outcome types), the force's version states the same figure
    (a count as printed; a rate whose exact value prints as the published one at its precision)."""
    from crimeoutcomes.analysis import claims

    published = claims.load(paths.CHECKOUT / "config" / "claims" / "published-2018-2020.yaml")
    verdicts = _audit(site / "claims").set_index("id")["verdict"]
    folder = site / "stories" / spec_id
    stated = claims.load(folder / "claims.yaml")
    story_audit = _audit(folder).set_index("id")
    by_key: dict = {}
    for c in stated.claims:
        by_key.setdefault(_key(c.query), []).append(c)
    matched = 0
    for c in published.claims:
        if c.query is None or c.kind != "value" or verdicts[c.id] != claims.REPRODUCED:
            continue
        if c.query.area.is_ew or _key(c.query) not in by_key:
            continue
        ours = by_key[_key(c.query)]
        values = [float(story_audit.loc[o.id, "computed"]) for o in ours]
        if c.claimed.unit == "count":
            assert c.claimed.text in {o.claimed.text for o in ours}, (c.id, c.claimed.text)
        else:
            assert any(v in c.claimed.printed_band() for v in values), (c.id, c.claimed.text, values)
        slug = ours[0].article.removeprefix(f"{spec_id}-")
        assert ours[0].quote in (folder / f"{slug}.md").read_text()  # the sentence is in the version as published
        matched += 1
    assert matched >= {"burglary-no-suspect": 8, "rape-charge": 3, "suspect-identified-no-support": 3}[spec_id]
    if spec_id == "burglary-no-suspect":  # the example, as the reader sees it
        kent = (folder / "kent.md").read_text()
        assert "Of the 6,742 residential burglaries that Kent Police recorded in the year to March 2018" in kent


def test_every_version_prints_at_least_three_figures_and_the_audit_reproduces_every_one(site):
    for folder in sorted(p for p in (site / "stories").iterdir() if p.is_dir()):
        audit = _audit(folder)
        assert set(audit["verdict"]) == {"reproduced"}, folder.name
        per_version = audit.groupby("article").size()
        assert len(per_version) == 44 and per_version.min() >= 3, folder.name
        assert len(list(folder.glob("*.md"))) == 44 and len(list(folder.glob("*.html"))) == 45


def test_the_force_reports_story_is_the_june_2021_storys_version(site):
    for meta in sorted((site / "forces").glob("*/figures.json")):
        story = json.loads(meta.read_text())["story"]
        md = (site / "stories" / "victim-did-not-support" / f"{meta.parent.name}.md").read_text()
        assert md.splitlines()[0] == f"# {story['headline']}"


def test_a_spec_of_only_four_keys_for_a_new_measure_gives_44_audited_versions(prepared_root, tmp_path):
    """Shoplifting closed with a community resolution: a measure no project spec uses, worded from the data."""
    from crimeoutcomes import context
    from crimeoutcomes.tools.synthetic import ensure_generated

    spec = tmp_path / "shoplifting-community-resolution.yaml"
    spec.write_text(
        "id: shoplifting-community-resolution\n"
        "title: Shoplifting closed with a community resolution\n"
        "measure: {basis: closed, offences: {code: '46'}, numerator: [8], denominator: all}\n"
        "period: latest financial year\n"
    )
    out = tmp_path / "mine"
    root = testing.make_root(tmp_path / "root")  # a root of its own, reading the prepared build
    (root / "data" / "processed" / "sample").symlink_to(prepared_root / "data" / "processed" / "sample")
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        ctx = context.create("sample", offline=True, generate=ensure_generated, specs=[spec], out=out, log=lambda *a: 0)
        ctx.out_step = "stories"
        pipeline.run(ctx, ["stories"])
    finally:
        if before is None:
            os.environ.pop("CRIMEOUTCOMES_ROOT", None)
        else:
            os.environ["CRIMEOUTCOMES_ROOT"] = before
    folder = out / "shoplifting-community-resolution"
    versions = sorted(folder.glob("*.md"))
    assert len(versions) == 44
    audit = _audit(folder)
    assert set(audit["verdict"]) == {"reproduced"} and audit.groupby("article").size().min() >= 3
    kent = (folder / "kent.md").read_text()
    headline = kent.splitlines()[0]
    assert headline == "# Kent: 2.3% of closed shoplifting offences ended in a community resolution"
    assert "shoplifting offences that Kent Police closed in the year to March 2019" in kent
    assert "ended with a community resolution" in kent and "(s)" not in kent


def test_a_table_has_one_caption_on_every_page_of_the_prepared_site(prepared_root):
    """A Markdown table in a rendered notebook is captioned by the heading it sits under; a table the package made
    already has its caption and is left alone (it once got a second caption and a second scrolling box: 27 tables on
    the sample site's notebook pages and every story version)."""
    from crimeoutcomes.publish.pages import html

    made = html.table(pd.DataFrame({"Area": ["Kent"]}), caption="The figures")
    body = f"<h2>Rates</h2><table><tr><th>a</th></tr></table><h2>Kent</h2>{made}"
    out = html.captioned(body)
    assert out.count("<caption>") == 2 and "<caption>Rates</caption>" in out and out.count("table-wrap") == 2
    assert made in out
    pages = sorted((prepared_root / "reports" / "sample").rglob("*.html"))
    assert len(pages) > 200
    doubled = [p.name for p in pages if re.search(r"</caption>\s*<caption>", p.read_text())]
    assert doubled == []


@pytest.mark.parametrize(
    ("title", "sentence"),
    [
        ("Kent was ranked 3rd", "Kent was ranked 3rd."),
        ('Rate <data value="36.49">36.5%</data>', 'Rate <data value="36.49">36.5%</data>.'),
        ("Most closed (2018)", "Most closed (2018)."),
        ("Rates fell.", "Rates fell."),
        ("He said “no.”", "He said “no.”"),
        ("Which force closed most?", "Which force closed most?"),
    ],
)
def test_a_charts_caption_is_one_sentence_then_its_files(title, sentence):
    from crimeoutcomes.publish.pages import html

    links = html.chart_downloads({"png": "x.png", "csv": "x.csv", "png_phone": "x-phone.png", "svg": "x.svg"}, "k/")
    assert list(links) == ["the figures (spreadsheet)", "image", "PNG for phones", "SVG"]
    assert html.caption_sentence(title, links) == (
        f'{sentence} Download: <a href="k/x.csv">the figures (spreadsheet)</a> · <a href="k/x.png">image</a> · '
        '<a href="k/x-phone.png">PNG for phones</a> · <a href="k/x.svg">SVG</a>.'
    )
    assert html.caption_sentence(title, {}) == title.rstrip()
    # a phone drawing has its own shape: the desk drawing's height would hold the wrong space on a phone
    assert 'width="800" height="301"' in html.picture("a.png", None, "A chart", 800, 301)
    assert 'width="800"' in html.picture("a.png", "p.png", "A chart", 800, 301)
    assert "height" not in html.picture("a.png", "p.png", "A chart", 800, 301)
