"""The REAL sample edition (../shared/outcomes-data): known totals, coverage, quality, sensitivity and the guide's
tables. Every expected value here was read off the real files, not made up: the totals are summed again here, with
plain pandas, from the raw files of the mirror (`raw`)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from crimeoutcomes import paths
from crimeoutcomes.analysis import measures as m
from crimeoutcomes.analysis import sensitivity
from crimeoutcomes.analysis.periods import Period
from crimeoutcomes.publish.guide import guide
from crimeoutcomes.publish.pages import sensitivity_files
from crimeoutcomes.publish.words import sensitivity_text

GMP, BTP = "Greater Manchester", "British Transport Police"
CALENDAR_2018 = {("2017/18", 4), ("2018/19", 1), ("2018/19", 2), ("2018/19", 3)}


@pytest.fixture(scope="module")
def raw(mirror) -> pd.DataFrame:
    """The two raw files of the mirror as one table, read with pandas alone (the 2017/18 file has snake_case
    headers and the recorded basis renamed `offences`; the 2018/19 file has the published headers)."""
    columns = {  # raw header -> name here, for each layout
        "2017-18/detection-rates-data.csv.gz": {
            "financial_year": "fy",
            "financial_quarter": "q",
            "force_name": "force",
            "offence_group": "group",
            "outcome_type": "type",
            "force_outcomes_recorded_in_quarter": "closed",
            "offences": "recorded",
        },
        "2018-19/violence-prosecutions-raw-data.csv.gz": {
            "Financial Year": "fy",
            "Financial Quarter": "q",
            "Force Name": "force",
            "Offence Group": "group",
            "Outcome Type": "type",
            "Force outcomes recorded in quarter": "closed",
            "Force outcomes for offences recorded in quarter": "recorded",
        },
    }
    parts = []
    for name, cols in columns.items():
        f = pd.read_csv(mirror / name, dtype=str, keep_default_na=False, encoding="utf-8-sig", usecols=list(cols))
        f = f.rename(columns=cols)
        f = f[f["force"].ne("") & f["force"].ne("NA")]  # the 2017/18 file's trailing empty row
        for basis in ("closed", "recorded"):  # "NA", blanks and "N/A - offence code expired" are not counts
            f[basis] = pd.to_numeric(f[basis], errors="coerce").fillna(0).astype("int64")
        f["quarter"] = f["fy"] + " Q" + f["q"]
        parts.append(f)
    return pd.concat(parts, ignore_index=True)


def raw_sum(raw, quarters, types=None, basis="closed", without=(), where=None) -> int:
    """Sum of raw counts over the quarters and outcome types (default: offences closed, every type but 0)."""
    sel = raw[raw["quarter"].isin([f"{fy} Q{q}" for fy, q in quarters]) & ~raw["force"].isin(without)]
    sel = sel[sel["type"].isin(types)] if types is not None else sel[sel["type"].ne("0")]
    if where is not None:
        sel = sel[where(sel)]
    return int(sel[basis].sum())


def fy_quarters(fy: str) -> set:
    return {(fy, q) for q in (1, 2, 3, 4)}


def test_files_rows_and_hashes(sample_root):
    info = json.loads((paths.edition_dir("sample") / "build.json").read_text())
    files = {f["financial_year"]: f for f in info["files"]}
    assert files["2018/19"]["rows_read"] == 621_280
    assert files["2017/18"]["rows_read"] == 450_912 and files["2017/18"]["empty_rows"] == 1
    assert files["2018/19"]["sha256"] == "6260cf259ad9dea8b1555d2cfd41808ffc23b7e5bd7059a80473ac54d35bed8c"
    assert files["2017/18"]["headers"]["recorded"] == "offences"
    assert [f["release"] for f in info["files"]] == ["re-issue of around April 2019", "re-issue of around January 2020"]
    assert info["release"] == "re-issues of around April 2019 and January 2020"
    assert info["synthetic"] is False and info["rows"] == 1_072_192


def test_cheshire_and_england_and_wales(sample, raw):
    fy = m.figures(sample, m.Area.of("Cheshire"), Period.financial(2018))
    assert (fy.closed, fy.vdns) == (92_388, 34_452)
    cal = m.figures(sample, m.Area.of("Cheshire"), Period.calendar(2018))
    assert (cal.closed, cal.vdns, cal.suspect, round(100 * cal.rate, 1)) == (92_811, 33_872, 28_866, 36.5)
    cheshire = raw[raw["force"] == "Cheshire"]
    assert (cal.closed, cal.vdns) == (raw_sum(cheshire, CALENDAR_2018), raw_sum(cheshire, CALENDAR_2018, ["14", "16"]))
    assert cal.complete and cal.left_out == []
    de = m.figures(sample, m.Area.of("Derbyshire"), Period.calendar(2018))
    assert (de.closed, de.vdns, de.suspect) == (51_099, 6_690, 4_634)
    assert not de.complete and de.computable
    assert de.caveats == [m.Flag(m.LOW, "Derbyshire", "2018/19", 1, "closed", total=7_966, usual=14_541)]
    # England and Wales: every force (Greater Manchester included); none lacks data in calendar 2018
    ew = m.figures(sample, m.Area.of(m.EW), Period.calendar(2018))
    assert (ew.closed, ew.vdns, ew.suspect) == (5_013_523, 1_181_697, 925_998)
    assert (ew.closed, ew.vdns, ew.suspect) == tuple(
        raw_sum(raw, CALENDAR_2018, types) for types in (None, ["14", "16"], ["16"])
    )
    assert ew.computable and ew.left_out == []
    assert {(c.kind, c.force, c.quarter_label) for c in ew.caveats} == {
        (m.LOW, "Avon and Somerset", "2018/19 Q1"),
        (m.LOW, "Derbyshire", "2018/19 Q1"),
        (m.LEFT_OUT, "Bedfordshire", "2018/19 Q1"),
    }
    assert [c.cells for c in ew.caveats if c.kind == m.LEFT_OUT] == [130]  # Bedfordshire's 130 blank cells
    # the June 2021 articles' England and Wales: without Greater Manchester
    articles = m.figures(sample, m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE), Period.calendar(2018))
    assert (articles.closed, articles.vdns, articles.suspect) == (4_679_628, 1_106_472, 864_719)
    assert (articles.closed, articles.vdns, articles.suspect) == tuple(
        raw_sum(raw, CALENDAR_2018, types, without=[GMP]) for types in (None, ["14", "16"], ["16"])
    )
    assert articles.computable and len(articles.caveats) == 3
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


def test_sensitivity_of_the_national_rate(sample, raw):
    result = sensitivity.run(sample)
    assert list(sensitivity_text.NAMES) == [s.key for s in sensitivity.SCENARIOS]  # every scenario has its name
    national = result.national.set_index(["scenario", "period"])  # typed: scenario keys x periods x numbers
    nat = national["rate"]
    cal, fy = Period.calendar(2018), Period.financial

    def rate(quarters, basis="closed", without=(GMP,)):  # outcomes 14 + 16 over offences closed, in percent
        vdns = raw_sum(raw, quarters, ["14", "16"], basis, without)
        return 100 * vdns / raw_sum(raw, quarters, None, basis, without)

    expected = {  # exact (unrounded) rates, and the rates to two decimals as read off the real files
        ("baseline", cal): (rate(CALENDAR_2018), 23.64),
        ("financial_year", fy(2018)): (rate(fy_quarters("2018/19")), 24.10),
        ("financial_year", fy(2017)): (rate(fy_quarters("2017/18")), 21.19),
        ("recorded_basis", cal): (rate(CALENDAR_2018, "recorded"), 23.89),
        ("with_gmp", cal): (rate(CALENDAR_2018, without=()), 23.57),
        ("without_btp", cal): (rate(CALENDAR_2018, without=(GMP, BTP)), 23.83),
    }
    for key, (exact, printed) in expected.items():
        assert nat[key] == pytest.approx(exact, rel=1e-12), key
        assert round(nat[key], 2) == printed, key
    closed = national["closed"]
    fraud = raw_sum(raw, CALENDAR_2018, without=[GMP], where=lambda s: s["group"].str.lower().str.startswith("fraud"))
    assert closed[("baseline", cal)] - closed[("without_fraud", cal)] == fraud == 2
    change = national["change"]
    assert change[("with_gmp", cal)] == pytest.approx(rate(CALENDAR_2018, without=()) - rate(CALENDAR_2018), rel=1e-12)
    # the baseline's caveats are typed: two quarters that look incomplete and Bedfordshire's blank cells
    flags = national.loc[("baseline", cal), "flags"]
    assert sorted((f.kind, f.force) for f in flags) == [
        (m.LEFT_OUT, "Bedfordshire"),
        (m.LOW, "Avon and Somerset"),
        (m.LOW, "Derbyshire"),
    ]
    text = " ".join(sensitivity_files.conclusions(result))
    assert "Highest rate under the articles' method: Cheshire" in text and "Cleveland is first" in text
    assert (
        "calendar 2018: 23.64% of offences closed" in text  # the page's one precision: two decimals
        and "Greater Manchester included: 23.57% (-0.07 points)" in text
    )


def test_the_guides_tables_are_for_people(sample, raw):
    shares = guide.outcome_shares(sample, Period.calendar(2018))
    assert shares["Outcome type"].iloc[0] == "0" and shares["Outcome type"].tolist()[-3:] == ["20", "21", "22"]
    row = shares.set_index("Outcome type")
    # national: every force, Greater Manchester included (445,040 without it)
    assert row.loc["1", "Offences closed with this outcome"] == "465,705" == f"{raw_sum(raw, CALENDAR_2018, ['1']):,}"
    share = 100 * raw_sum(raw, CALENDAR_2018, ["1"]) / raw_sum(raw, CALENDAR_2018)
    assert row.loc["1", "Share of offences closed"] == f"{share:.2f}%" == "9.29%"
    assert row.loc["19", "Offences closed with this outcome"] == "not in this edition"
    assert not shares.astype(str).apply(lambda c: c.str.contains("nan|NaN|<NA>|\\.0$")).any().any()
    assert guide.absent_types(sample) == ["19", "22"]


def test_the_steps_outputs_in_the_prepared_root(sample_root, raw):
    sens = paths.reports_dir("sample") / "sensitivity"
    assert {
        "national.csv",
        "forces.csv",
        "ranks.csv",
        "conclusions.json",
        "charts.json",
        "rate-by-method.png",
        "rate-by-method.svg",
        "rate-by-method.csv",
    } <= {p.name for p in sens.iterdir()}
    text = (sens / "national.csv").read_text()
    assert not re.search(r"\b(nan|NaN|<NA>)\b", text)
    national = pd.read_csv(sens / "national.csv", dtype=str, keep_default_na=False)
    rate = "Rate (% of offences closed, unrounded)"
    assert {rate, "Change against the articles' method (points, unrounded)", "Caveats"} <= set(national.columns)
    base = national[national["Period"].eq("calendar 2018")].iloc[0]  # the articles' method comes first
    vdns, closed = raw_sum(raw, CALENDAR_2018, ["14", "16"], without=[GMP]), raw_sum(raw, CALENDAR_2018, without=[GMP])
    assert (int(base["Offences closed"]), int(base["Victim did not support action (14 + 16)"])) == (closed, vdns)
    assert float(base[rate]) == pytest.approx(100 * vdns / closed, rel=1e-12)  # unrounded in the file
    assert base["Caveats"] == "1; 2; 3"  # note numbers: the notes are in conclusions.json
    conclusions = json.loads((sens / "conclusions.json").read_text())
    assert set(conclusions) == {"conclusions", "notes", "row_notes", "places"} and conclusions["places"] == 2
    # the page's note markers come from the numbers, one list per row of national.csv, as its Caveats column says
    assert conclusions["row_notes"] == [[int(n) for n in c.split("; ") if n] for c in national["Caveats"]]
    assert conclusions["row_notes"][0] == [1, 2, 3]
    assert [n["number"] for n in conclusions["notes"]] == [1, 2, 3]
    assert "7,966 offences were closed, 55% of its usual 14,541" in " ".join(n["text"] for n in conclusions["notes"])
    (chart,) = json.loads((sens / "charts.json").read_text())
    assert chart["key"] == "rate-by-method"
    # the chart draws the methods compared on one period, calendar 2018, and its title's spread is theirs: the
    # financial years (another period, 21.19% and 24.10%) are in the table, not beside them
    drawn = pd.read_csv(sens / chart["files"]["csv"])
    assert set(drawn["Period"]) == {"calendar 2018"} and len(drawn) == 5
    shown = drawn[rate].max() - drawn[rate].min()
    assert (
        chart["title"]
        == f"The England and Wales rate for calendar 2018 moves by up to {shown:.2f} points depending on the method"
    )
    assert f"{shown:.2f}" == "0.32" and set(national["Period"]) - {"calendar 2018"} == {
        "financial year 2017/18",
        "financial year 2018/19",
    }
