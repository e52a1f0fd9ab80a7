"""Force reports, charts, the story paragraph and the index on the REAL sample edition."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from crimeoutcomes import paths
from crimeoutcomes.analysis import caveats as caveats_mod
from crimeoutcomes.analysis import force_figures as ff
from crimeoutcomes.data import forces
from crimeoutcomes.publish import charts, reports, story, style
from crimeoutcomes.tools import testing
from tests.conftest import run_steps


@pytest.fixture(scope="module")
def rendered(prepared_root, tmp_path_factory):
    """A fresh root reading the prepared sample edition, with two forces' pages and the index rendered."""
    import os

    root = testing.make_root(tmp_path_factory.mktemp("rendered"))
    (root / "data" / "processed" / "sample").symlink_to(prepared_root / "data" / "processed" / "sample")
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        first = run_steps(["reports"], forces=["kent", "Metropolitan Police Service"], jobs=2)[0][-1].info
        second = run_steps(["reports"], forces=["Kent", "the Met"], jobs=2)[0][-1].info
        run_steps(["site"])
    finally:
        os.environ["CRIMEOUTCOMES_ROOT"] = before or ""
    return root / "reports" / "sample", first, second


def test_the_force_files_hold_the_measures(sample_root):
    data = json.loads((paths.reports_dir("sample") / "forces" / "cheshire" / "figures.json").read_text())
    head = pd.DataFrame(data["headline"]).set_index(["Period", "Measure"])["Cheshire"]
    assert head[("Calendar 2018", "Offences closed")] == "92,811"
    assert head[("Calendar 2018", "Rate: 14 + 16 as % of offences closed")] == "36.5%"
    assert head[("Calendar 2018", "Rank by rate (1 = highest)")] == "1 of 44"
    assert head[("Calendar 2018", "Complete data")] == "yes"
    assert [c["key"] for c in data["charts"]] == [
        "rate_by_quarter",
        "rate_by_year",
        "outcome_mix",
        "offence_groups_14_16",
        "place_among_forces",
    ]
    place = next(c for c in data["charts"] if c["key"] == "place_among_forces")
    assert place["title"] == "Cheshire had the highest rate of the 44 forces in 2018"
    assert "Cheshire: 36.5%, ranked 1 of 44; England and Wales 23.6%" in place["alt"]
    de = json.loads((paths.reports_dir("sample") / "forces" / "derbyshire" / "figures.json").read_text())
    assert (
        pd.DataFrame(de["headline"])
        .set_index(["Period", "Measure"])
        .loc[("Calendar 2018", "Complete data"), "Derbyshire"]
        .startswith("with caveats")
    )
    assert not de["story"]["ready"] and "7,966 offences closed" in de["story"]["text"]


def test_chart_csvs_have_human_headers_and_complete_periods(sample_root):
    folder = paths.reports_dir("sample") / "forces" / "cheshire"
    by_year = pd.read_csv(folder / "rate_by_year.csv")
    assert list(by_year.columns) == ["Area", "Year type", "Year", ff.CLOSED, ff.VDNS, ff.RATE, "Data"]
    assert set(by_year["Year"]) == {"2018", "2017/18", "2018/19"}  # only years with every quarter present
    for csv in folder.glob("*.csv"):
        text = csv.read_text()
        assert not re.search(r"\b(nan|NaN|<NA>)\b", text), csv.name
        assert not text.startswith(","), csv.name  # no index column


def test_a_rendered_page_links_its_charts_and_has_no_code(rendered):
    folder, first, second = rendered
    assert (first["rendered"], second["rendered"], second["skipped"]) == (2, 0, 2)  # unchanged forces are skipped
    page = (folder / "forces" / "kent.html").read_text()
    data = json.loads((folder / "forces" / "kent" / "figures.json").read_text())
    for row in data["headline"]:
        assert row["Kent"] in page
    assert "<title>Kent: crime outcomes report</title>" in page and page.count("<h1") == 1
    imgs = re.findall(r"<img ([^>]*)>", page)
    assert len(imgs) == 5 and "data:image" not in page and "No description has been provided" not in page
    for attrs in imgs:
        src = re.search(r'src="([^"]+)"', attrs).group(1)
        assert (folder / "forces" / src).is_file() and src.startswith("kent/")
        assert re.search(r'alt="[^"]{40,}"', attrs)
    for href in re.findall(r'href="([^"#]+)"', page):
        if not href.startswith("http"):
            assert (folder / "forces" / href).resolve().is_file() or href == "../claims/index.html", href
    assert not re.findall(r'(?:src|href)="https?://', page.split("About the data")[0])
    assert "import " not in page and "ForceReport" not in page  # no code cells
    assert page.count("<caption>") >= 2 and page.index('id="about-the-data"') > page.index("Data notes")
    assert not list((folder / "forces").rglob("*.ipynb"))  # no kept notebooks unless asked for
    met = (folder / "forces" / "metropolitan-police.html").read_text()
    assert "closed by the Metropolitan Police" in met


def test_the_index_links_every_force_and_sorts_by_keyboard(rendered):
    folder, _, _ = rendered
    index = (folder / "index.html").read_text()
    links = set(re.findall(r'href="forces/([a-z0-9-]+)\.html"', index))
    assert links == {f.slug for f in forces.POLICE_FORCES}
    assert index.count('aria-sort="none"><button type="button">') >= 7 and "<caption>" in index
    assert 'href="claims/index.html"' in index and 'href="00_dataset_guide.html"' in index
    assert "<script>" in index and " src=" not in index  # an inline sort script only


def test_every_chart_of_every_force_is_laid_out_cleanly(sample):
    """No text outside the figure and no overlapping text, for all 5 charts of all 44 forces."""
    cav = caveats_mod.load()
    problems = {}
    for force in forces.POLICE_FORCES:
        figs = ff.build(sample, force, cav)
        for drawn in charts.force_charts(figs, "2018 and 2019 releases", False):
            found = style.layout_problems(drawn.fig)
            style.plt.close(drawn.fig)
            if found:
                problems[(force.name, drawn.key)] = found
            assert len(drawn.alt) > 60 and any(ch.isdigit() for ch in drawn.alt)
    assert problems == {}


@pytest.mark.parametrize("force", [f.name for f in forces.POLICE_FORCES])
def test_the_story_paragraph_of_every_force(sample, force):
    figs = ff.build(sample, forces.BY_NAME[force], [])
    text = story.paragraph(figs, reports.release_of(sample.build)).text
    prose = forces.BY_NAME[force].prose
    assert f"closed by {prose} in the year to March 2019" in text
    assert f"dropped by {prose} after" in text
    assert not re.search(r"(by|in) (Metropolitan|Greater Manchester Police's)", text)
    assert "(the two years come from different releases of the data, 2018 release and 2019 release" in text
    share, ew_share = (
        round(100 * figs.years["financial"][-1][1].share),
        round(100 * figs.years["financial"][-1][2].share),
    )
    if share == ew_share:
        assert "the same as across England and Wales" in text and "compared with" not in text
    else:
        assert f"compared with {ew_share}% across England and Wales" in text


def test_the_story_paragraph_of_cheshire_by_hand(sample):
    """Cheshire 2018/19 from the real sample: 92,388 offences closed, 34,452 with outcome 14 or 16 (hand-summed
    in the mirror CSV: outcome types 14 and 16, all offences, four quarters)."""
    figs = ff.build(sample, forces.BY_NAME["Cheshire"], [])
    text = story.paragraph(figs, reports.release_of(sample.build)).text
    assert "of 92,388 offences closed by Cheshire Constabulary in the year to March 2019, 34,452 fell" in text
    assert f"{100 * 34_452 / 92_388:.1f}" == "37.3"
    assert "That is a rate of 37.3%, up from 28.8% in 2017/18 (the two years come from different releases" in text
    assert "Across England and Wales (without Greater Manchester), 24.1% of offences closed in the year to" in text


def test_story_words_at_the_printed_precision():
    assert story.compare(0.3751, 0.3749) == "the same as"
    assert story.compare(0.3760, 0.3749) == "up from 37.5%"
    assert story.compare(0.30, 0.35) == "down from 35.0%"
    # the audit's meaning of "highest since 2015": the highest of the years from 2015
    assert story.highest_since({2015: 0.1, 2016: 0.2, 2017: 0.3}, 2017) == (
        "the highest rate since comparable figures began in 2015",
        [2015, 2016, 2017],
    )
    assert story.highest_since({2015: 0.4, 2016: 0.2, 2017: 0.3}, 2017) == (
        "the highest rate since 2015, when it was 40.0%",
        [2015, 2016, 2017],
    )
    assert story.highest_since({2014: 0.5, 2015: 0.4, 2016: 0.2, 2017: 0.3}, 2017)[1] == [2015, 2016, 2017]
    assert story.highest_since({2015: 0.1, 2016: 0.4, 2017: 0.3}, 2017) is None
    assert story.highest_since({2016: 0.1, 2017: 0.3}, 2017) is None  # one earlier year is not a record
