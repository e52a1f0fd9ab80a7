"""The REAL sample edition (../shared/outcomes-data): known totals, coverage, quality, sensitivity and the guide's
tables. Every expected value here was read off the real files, not made up."""

from __future__ import annotations

import json
import re

from crimeoutcomes import paths
from crimeoutcomes.analysis import guide, sensitivity
from crimeoutcomes.analysis import measures as m
from crimeoutcomes.analysis.periods import Period


def test_files_rows_and_hashes(sample_root):
    info = json.loads((paths.edition_dir("sample") / "build.json").read_text())
    files = {f["financial_year"]: f for f in info["files"]}
    assert files["2018/19"]["rows_read"] == 621_280
    assert files["2017/18"]["rows_read"] == 450_912 and files["2017/18"]["empty_rows"] == 1
    assert files["2018/19"]["sha256"] == "6260cf259ad9dea8b1555d2cfd41808ffc23b7e5bd7059a80473ac54d35bed8c"
    assert files["2017/18"]["headers"]["recorded"] == "offences"
    assert [f["release"] for f in info["files"]] == ["2018 release", "2019 release"]
    assert info["synthetic"] is False and info["rows"] == 1_072_192


def test_cheshire_and_england_and_wales(sample):
    fy = m.figures(sample, m.Area.of("Cheshire"), Period.financial(2018))
    assert (fy.closed, fy.vdns) == (92_388, 34_452)
    cal = m.figures(sample, m.Area.of("Cheshire"), Period.calendar(2018))
    assert (cal.closed, cal.vdns, cal.suspect, round(100 * cal.rate, 1)) == (92_811, 33_872, 28_866, 36.5)
    assert cal.complete
    de = m.figures(sample, m.Area.of("Derbyshire"), Period.calendar(2018))
    assert (de.closed, de.vdns, de.suspect) == (51_099, 6_690, 4_634)
    assert not de.complete and "Derbyshire 2018/19 Q1: 7,966 offences closed" in de.caveats[0]
    ew = m.figures(sample, m.Area.of(m.EW), Period.calendar(2018))
    assert (ew.closed, ew.vdns, ew.suspect) == (4_679_628, 1_106_472, 864_719)
    assert ew.computable and len(ew.caveats) == 3  # Avon and Somerset, Derbyshire, Bedfordshire's 130 blank cells
    assert m.ranking(sample, Period.calendar(2018)).iloc[0]["force"] == "Cheshire"


def test_coverage_finds_the_real_gaps(sample):
    cov = sample.coverage
    assert len(cov) == 44 * 8
    odd = cov[(cov["closed_status"] != "present") | (cov["plausibility"] == "low")]
    found = {
        (r.force, r.quarter_label): (r.closed_status, r.plausibility, r.closed_total, r.closed_usual)
        for r in odd.itertuples()
    }
    assert found == {
        ("Avon and Somerset", "2018/19 Q1"): ("present", "low", 12_917, 33_938),
        ("Bedfordshire", "2018/19 Q1"): ("cells left out", "ok", 11_977, 11_989),
        ("Derbyshire", "2018/19 Q1"): ("present", "low", 7_966, 14_541),
    }
    assert cov["recorded_status"].eq("present").all()


def test_quality_report_counts(sample):
    q = sample.quality
    assert q.loc[q["token"] == "N/A - offence code expired", "cells"].sum() == 140_800
    unexpected = q[(q["issue"] == "blank") & (q["expected"] == "")]
    assert unexpected[["force", "financial_year", "fin_quarter", "cells"]].values.tolist() == [
        ["Bedfordshire", "2018/19", 1, 130]
    ]
    neg = q[(q["issue"] == "negative") & (q["financial_year"] == "2018/19")]
    assert neg.groupby("column")["value_min"].min().to_dict() == {"closed": -166, "recorded": -276}


def test_sensitivity_of_the_national_rate(sample):
    result = sensitivity.run(sample)
    nat = result["national"].set_index(["Key", "Period"])[sensitivity.RATE]
    assert nat[("baseline", "calendar 2018")] == 23.64
    assert nat[("financial_year", "financial year 2018/19")] == 24.10
    assert nat[("financial_year", "financial year 2017/18")] == 21.19
    assert nat[("recorded_basis", "calendar 2018")] == 23.89
    assert nat[("with_gmp", "calendar 2018")] == 23.57
    assert nat[("without_btp", "calendar 2018")] == 23.83
    closed = result["national"].set_index(["Key", "Period"])["Offences closed"]
    assert closed[("baseline", "calendar 2018")] - closed[("without_fraud", "calendar 2018")] == 2
    text = " ".join(sensitivity.conclusions(result))
    assert "Highest rate under the articles' method: Cheshire" in text and "Cleveland is first" in text


def test_the_guides_tables_are_for_people(sample):
    shares = guide.outcome_shares(sample, Period.calendar(2018))
    assert shares["Outcome type"].iloc[0] == "0" and shares["Outcome type"].tolist()[-3:] == ["20", "21", "22"]
    row = shares.set_index("Outcome type")
    assert row.loc["1", "Offences closed with this outcome"] == "445,040"
    assert row.loc["19", "Offences closed with this outcome"] == "not in this edition"
    assert not shares.astype(str).apply(lambda c: c.str.contains("nan|NaN|<NA>|\\.0$")).any().any()
    assert guide.absent_types(sample) == ["19", "22"]


def test_the_steps_outputs_in_the_prepared_root(sample_root):
    sens = paths.reports_dir("sample") / "sensitivity"
    assert {"national.csv", "forces.csv", "ranks.csv", "national.png", "national.svg"} <= {
        p.name for p in sens.iterdir()
    }
    national = (sens / "national.csv").read_text()
    assert "Rate (% of offences closed)" in national and not re.search(r"\b(nan|NaN|<NA>)\b", national)
