"""Integration tests on the REAL mirror files (../shared/outcomes-data): known totals, not fixtures."""

from __future__ import annotations

import pytest

from crimeoutcomes import pipeline


@pytest.fixture(scope="module")
def tidy(sample_processed):
    return pipeline.load_tidy("sample", sample_processed)


def test_files_rows_and_hashes(sample_processed):
    info = pipeline.load_build("sample", sample_processed)
    files = {f["financial_year"]: f for f in info["files"]}
    assert files["2018/19"]["rows_read"] == 621_280
    assert files["2017/18"]["rows_read"] == 450_912
    assert files["2017/18"]["empty_rows"] == 1  # the trailing all-NA row
    assert files["2018/19"]["sha256"] == "6260cf259ad9dea8b1555d2cfd41808ffc23b7e5bd7059a80473ac54d35bed8c"
    assert files["2017/18"]["headers"]["recorded"] == "offences"
    assert info["synthetic"] is False


def test_cheshire_closed_basis_2018_19(tidy):
    ch = tidy[(tidy["force"] == "Cheshire") & (tidy["financial_year"] == "2018/19") & tidy["in_totals"]]
    assert ch["closed"].sum() == 92_388
    assert ch.loc[ch["outcome_type"].isin(["14", "16"]), "closed"].sum() == 34_452


def test_aggregate_matches_tidy(sample_processed):
    agg = pipeline.load_aggregate("sample", sample_processed)
    ch = agg[(agg.force == "Cheshire") & (agg.financial_year == "2018/19") & agg.in_totals]
    assert ch["closed"].sum() == 92_388


def test_coverage_all_present(sample_processed):
    cov = pipeline.load_coverage("sample", sample_processed)
    assert len(cov) == 44 * 8
    assert (cov["status"] == "present").all()


def test_quality_report_counts(sample_processed):
    q = pipeline.load_quality("sample", sample_processed)
    expired = q[(q.token == "N/A - offence code expired")]
    assert expired["cells"].sum() == 140_800
    unexpected_blank = q[(q.issue == "blank") & (q.expected == "")]
    assert unexpected_blank[["force", "financial_year", "fin_quarter", "cells"]].values.tolist() == [
        ["Bedfordshire", "2018/19", 1, 130]]
    neg = q[(q.issue == "negative") & (q.financial_year == "2018/19")]
    assert neg.groupby("column")["value_min"].min().to_dict() == {"closed": -166, "recorded": -276}
