"""Per-force reports: rendered HTML shows the package's numbers, no code, nothing external; index; skipping."""

from __future__ import annotations

import re

import pytest

from crimeoutcomes import cli, forces, manifest, measures, pipeline, present, reports, synthetic


@pytest.fixture(scope="module")
def rendered(sample_processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    mp = pytest.MonkeyPatch()
    mp.setenv("CRIMEOUTCOMES_REPORTS_DIR", str(out))
    mp.setenv("CRIMEOUTCOMES_PROCESSED_DIR", str(sample_processed))
    first = reports.render_all("sample", jobs=2, only=["cheshire", "Derbyshire Constabulary"], log=lambda *a: None)
    second = reports.render_all("sample", jobs=2, only=["Cheshire", "Derbyshire"], log=lambda *a: None)
    yield out / "sample", first, second
    mp.undo()


@pytest.mark.parametrize("force", ["Cheshire", "Derbyshire"])
def test_report_html_shows_the_package_numbers(rendered, sample_processed, force):
    folder, _, _ = rendered
    page = (folder / "forces" / f"{forces.resolve(force).slug}.html").read_text()
    m = measures.Measures(pipeline.load_aggregate("sample", sample_processed), pipeline.load_coverage("sample", sample_processed))
    fig = m.figures(force, "calendar 2018")
    fy = m.figures(force, "financial year 2018/19")
    assert f"<title>{force}: crime outcomes report</title>" in page
    for text in (f"{fig.closed:,}", f"{fig.vdns:,}", f"{100 * fig.rate:.1f}%", f"{fy.closed:,}", f"{100 * fy.rate:.1f}%"):
        assert text in page, text
    assert re.search(r"Edition:</strong> <code>sample</code>", page)
    assert "Period covered:</strong> financial years 2017/18 to 2018/19" in page and "Data vintage:" in page
    assert page.count("<h1") == 1 and page.count("Period covered:") == 1
    assert '<a href="../index.html">' in page
    # no code cells, images embedded, nothing loaded from elsewhere
    assert "jp-InputArea" not in page and "reports.headline" not in page and "import " not in page
    assert page.count("data:image/png;base64") == 5
    assert not re.findall(r'(?:src|href)="https?://', page)
    assert "SYNTHETIC" not in page
    csvs = sorted(p.name for p in (folder / "forces" / forces.resolve(force).slug).glob("*.csv"))
    assert csvs == ["offence_groups_14_16.csv", "outcome_mix.csv", "place_among_forces.csv", "rate_by_quarter.csv",
                    "rate_by_year.csv"]


def test_cheshire_values_in_the_page(rendered):
    folder, _, _ = rendered
    page = (folder / "forces" / "cheshire.html").read_text()
    assert "92,811" in page and "33,872" in page and "36.5%" in page and "1 of 44" in page


def test_index_links_every_force(rendered):
    folder, _, _ = rendered
    index = (folder / "index.html").read_text()
    links = set(re.findall(r'href="forces/([a-z0-9-]+)\.html"', index))
    assert links == {f.slug for f in forces.POLICE_FORCES}
    assert 'href="claims.html"' in index and 'href="00_dataset_guide.html"' in index
    assert "<script>" in index and "src=" not in index  # inline sort script only


def test_unchanged_reports_are_skipped(rendered):
    _, first, second = rendered
    assert (first["rendered"], first["skipped"]) == (2, 0)
    assert (second["rendered"], second["skipped"]) == (0, 2)
    assert not reports.is_current("sample", "Cheshire", "a-different-fingerprint")


def test_text_from_the_data_is_escaped():
    import pandas as pd

    table = present.html_table(pd.DataFrame({"offence": ["<script>alert(1)</script> & more"]}))
    assert "<script>alert" not in table and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in table
    page = present.page("A & <b>", "", {"edition": "e<", "description": "d&", "financial_years": ["2018/19"],
                                         "files": [], "synthetic": True})
    assert "<title>A &amp; &lt;b&gt;</title>" in page and "e&lt;" in page and "SYNTHETIC DATA" in page


def test_force_names_resolve_or_fail_clearly(capsys):
    assert forces.resolve("cheshire").name == forces.resolve("Cheshire Constabulary").name == "Cheshire"
    assert cli.main(["reports", "--force", "Chesire"]) == 2
    err = capsys.readouterr().err
    assert "Unknown police force 'Chesire'" in err and "Cheshire" in err


def test_story_words_follow_the_data():
    assert reports._trend_words(0.431, 0.384, "2019") == "up from 38.4% in 2019"
    assert reports._trend_words(0.30, 0.35, "2019") == "down from 35.0% in 2019"
    assert reports._trend_words(0.3001, 0.3004, "2019") == "unchanged from 2019"
    assert reports._highest_since({2015: .1, 2016: .2, 2017: .3}, 2017) == "the highest since 2015"
    assert reports._highest_since({2015: .4, 2016: .2, 2017: .3}, 2017) == "the highest since 2015"
    assert reports._highest_since({2014: .5, 2015: .4, 2016: .2, 2017: .3}, 2017) == "the highest since 2015"
    assert reports._highest_since({2015: .2, 2016: .4, 2017: .3}, 2017) is None


def test_story_on_synthetic_articles_data_reads_like_the_article(tmp_path):
    from tests.test_claims import FYS, article_frames

    mirror = tmp_path / "mirror"
    path = synthetic.write_edition(article_frames(), mirror, edition="synthetic-articles", layout="csv-2018")
    pipeline.build_edition("synthetic-articles", manifest=manifest.load(path), raw_dir=tmp_path / "raw",
                           processed_dir=tmp_path / "processed", mirror=mirror, allow_download=False, progress=False,
                           log=lambda *a: None)
    assert len(FYS) == 7
    ctx = reports.Context.load("synthetic-articles", tmp_path / "processed")
    text = reports.story(ctx, "Cheshire")
    assert text.startswith("A record number of criminal offences closed by Cheshire police in 2020")
    assert "of 81,842 offences closed by Cheshire police in 2020, 35,301 fell through" in text
    assert "That is a rate of 43.1%, the highest rate since 2015, up from 38.4% in 2019." in text
    assert "27.4% of offences closed in 2020 ended this way, up from 25.1% in 2019" in text
    assert "a suspect was identified for 30,758 – around 87%, compared to 82% across England and Wales" in text
    notes = " ".join(reports.data_notes(ctx, "Greater Manchester"))
    assert "2019/20 Q2 (missing)" in notes and "HMICFRS" in notes
    assert ctx.synthetic and ctx.source_line().startswith("SYNTHETIC DATA")
