"""Sensitivity scenarios and dataset-guide helpers on the REAL sample edition (exact values)."""

from __future__ import annotations

import pytest

from crimeoutcomes import guide, measures, pipeline, sensitivity


@pytest.fixture(scope="module")
def tables(sample_processed):
    return (pipeline.load_aggregate("sample", sample_processed), pipeline.load_offence_groups("sample", sample_processed),
            pipeline.load_coverage("sample", sample_processed))


@pytest.fixture(scope="module")
def result(tables):
    return sensitivity.run(*tables)


def test_national_rate_under_each_choice(result):
    nat = result["national"].set_index(["scenario", "period"])["rate_pct"]
    assert nat[("baseline", "calendar 2018")] == 23.64
    assert nat[("financial_year", "financial year 2018/19")] == 24.10
    assert nat[("financial_year", "financial year 2017/18")] == 21.19
    assert nat[("recorded_basis", "calendar 2018")] == 23.89
    assert nat[("with_gmp", "calendar 2018")] == 23.57
    assert nat[("without_btp", "calendar 2018")] == 23.83
    closed = result["national"].set_index(["scenario", "period"])["offences_closed"]
    assert closed[("baseline", "calendar 2018")] - closed[("without_fraud", "calendar 2018")] == 2


def test_force_ranks_and_generated_conclusions(result):
    table = sensitivity.force_table(result["forces"])
    assert table.loc["Cheshire", ("rank", "baseline")] == 1
    assert table.loc["Cheshire", ("rank", "financial_year")] == 2
    assert table.loc["Cleveland", ("rank", "financial_year")] == 1
    assert "British Transport Police" not in result["forces"].query("scenario == 'without_btp'")["force"].values
    text = sensitivity.conclusions(result)
    assert text[0].startswith("Baseline: England and Wales (without Greater Manchester), calendar 2018: 23.6%")
    assert any("ranked 2, first is Cleveland" in t for t in text)
    assert any(t.startswith("Using the financial year instead: financial year 2018/19 gives 24.1% (+0.5 points") for t in text)


def test_guide_tables_on_real_rows(sample_processed, tables):
    agg, groups, coverage = tables
    tidy = pipeline.load_tidy("sample", sample_processed)
    expired = guide.expired_codes(tidy)
    assert expired.loc["violence-prosecutions-raw-data.csv.gz", "rows with expired codes"] == 140_800
    assert expired.loc["detection-rates-data.csv.gz", "rows with expired codes"] == 0
    bases = guide.bases_example(agg, "Cheshire", "2018/19", 1).set_index("outcome type")
    assert bases.loc["total", "closed basis"] == 18_866
    assert bases.loc["0", "recorded basis"] == 228
    m = measures.Measures(agg, coverage)
    shares = guide.outcome_shares(agg, tidy, m, measures.Period("calendar", 2018)).set_index("outcome type")
    assert shares.loc["14", "closed"] + shares.loc["16", "closed"] == 1_106_472
    assert abs(shares["share of offences closed %"].sum() - 100) < 0.05  # shares rounded to 2 decimals
    neg = guide.negative_examples(tidy, 1)
    assert neg.loc[0, ["force", "closed", "source_row"]].tolist() == ["Kent", -166, 419_331]
