"""The dataset guide's exercises: every checker with a right and a wrong answer on the real sample edition (known
figures), on a SYNTHETIC edition made here (figures computed from the generated frames, not by the package), the
forms an answer may take, and the guide's words and page."""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd
import pytest

from crimeoutcomes import paths
from crimeoutcomes.analysis import exercises as facts_mod
from crimeoutcomes.analysis import measures as m
from crimeoutcomes.analysis import traps as guide
from crimeoutcomes.data import forces as forces_mod
from crimeoutcomes.publish import display, notebooks
from crimeoutcomes.publish import exercises as ex
from crimeoutcomes.tools import synthetic, testing
from tests.conftest import build_synthetic


def _in_root(root, fn):
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        return fn()
    finally:
        if before is None:
            os.environ.pop("CRIMEOUTCOMES_ROOT", None)
        else:
            os.environ["CRIMEOUTCOMES_ROOT"] = before


# --------------------------------------------------------------------------------------- the real sample edition
@pytest.fixture(scope="module")
def real(prepared_root, sample):
    return ex.Exercises("sample", "Cheshire", _in_root(prepared_root, lambda: facts_mod.facts(sample, "Cheshire")))


Q_2018_19 = ["2018/19 Q1", "2018/19 Q2", "2018/19 Q3", "2018/19 Q4"]
#: exercise -> (right answers in several forms, a wrong answer, how the hint starts, how the answer starts, the right
#: answer as the explanation writes it, which a hint must not give away)
SAMPLE = {
    1: (
        [24120, "24,120", 24120.0],
        22306,
        "That is the recorded basis (the recorded column)",
        "24,120: the closed",
        "24,120",
    ),
    2: ([2.2, 0.0223, "2.2 %"], 2.3, "You divided by the offences that have an outcome", "2.2%: 509 offences", "2.2%"),
    3: (
        [["2017/18 Q4", *Q_2018_19[:3]], ("2018/19 q3", "2018-19 Q2", ("2018/19", 1), "2017/18Q4")],
        Q_2018_19,
        "Those are the four quarters of financial year 2018/19 (April 2018 to March 2019)",
        "2017/18 Q4, 2018/19 Q1, 2018/19 Q2 and 2018/19 Q3: January to March 2018",
        "2017/18 Q4",
    ),
    4: (
        [["2020/21 Q1", "2020/21 Q2", "2020/21 Q3", "2019/20 Q4"], "2019/20 Q4, 2020/21 Q1, 2020/21 Q2, 2020/21 Q3"],
        ["2020/21 Q1", "2020/21 Q2", "2020/21 Q3", "2020/21 Q4"],
        "Those are the quarters of financial year 2020/21",
        "2019/20 Q4, 2020/21 Q1, 2020/21 Q2 and 2020/21 Q3: calendar 2020",
        "2019/20 Q4",
    ),
    5: (
        ["Cleveland", "cleveland police", ["Cleveland"]],
        "Cheshire Constabulary",
        "That force is first in calendar 2018, but financial year 2018/19 ends later (March 2019, against December",
        "Cleveland, with 37.4% in financial year 2018/19 (England and Wales: 24.1%)",
        "Cleveland",
    ),
    # England and Wales as this project counts it: every police force, Greater Manchester included
    6: ([24.1, 0.241, "24.1%"], 24.3, "That is the rate on the recorded basis", "24.1%: (261,400 of type 14", "24.1"),
    # England and Wales as the June 2021 articles counted it: without Greater Manchester
    7: (
        [4780690, "4,780,690"],
        5114207,
        "That includes Greater Manchester (333,517 offences closed): it is this project's England and Wales, but "
        "the June 2021 articles left Greater Manchester out of every year",
        "4,780,690 offences closed in England and Wales (without Greater Manchester), as the June 2021 articles "
        "counted it",
        "4,780,690",
    ),
    8: ([404, "404"], -404, "Right size, wrong sign", "404: Kent's 69 negative closed-basis cells", "404"),
    9: ([5, 5.0], 0, "Expired codes can still carry outcomes", "5, in 140,800 rows with an expired code", "140,800"),
    10: (
        [
            ["Derbyshire", "Avon & Somerset"],
            "avon and somerset; derbyshire",
            pd.Series(["Derbyshire", "Avon and Somerset"]),
        ],
        ["Avon and Somerset", "Derbyshire", "Bedfordshire"],
        "You included Bedfordshire: its quarters have a few cells left out",
        "Avon and Somerset and Derbyshire. Avon and Somerset, 2018/19 Q1: 12,917 offences closed",
        "Avon and Somerset",
    ),
}


@pytest.mark.parametrize("number", sorted(SAMPLE))
def test_each_exercise_on_the_sample_edition_with_a_right_and_a_wrong_answer(real, number):
    rights, wrong, hint, answer, secret = SAMPLE[number]
    assert real.answer(number).startswith(answer)
    for right in rights:
        verdict = real.check(number, right)
        assert verdict.correct and verdict.status == ex.RIGHT, (right, str(verdict))
        assert answer in verdict.message
    verdict = real.check(number, wrong)
    assert not verdict.correct and verdict.status == ex.WRONG
    assert verdict.message.startswith(hint), verdict.message
    assert verdict.message.endswith(f"(ex.answer({number}) shows the answer.)")
    assert secret not in verdict.message  # the answer stays hidden until asked


def test_the_sample_answers_are_the_tables_figures(real, sample):
    """Four answers, and the values of the England and Wales mistakes, recomputed from the processed tables by
    hand, as a student would."""
    agg = sample.aggregate
    agg = agg.assign(
        financial_year=agg["financial_year"].astype(str),
        force=agg["force"].astype(str),
        outcome_type=agg["outcome_type"].astype(str),
    )
    cheshire = agg[(agg["force"] == "Cheshire") & (agg["financial_year"] == "2018/19") & (agg["fin_quarter"] == 4)]
    assert real.fact(1).value == int(cheshire.loc[cheshire["in_totals"], "closed"].sum()) == 24120
    type0 = int(cheshire.loc[cheshire["outcome_type"] == "0", "recorded"].sum())
    recorded = int(cheshire.loc[cheshire["in_totals"], "recorded"].sum())
    assert real.fact(2).value == pytest.approx(100 * type0 / (type0 + recorded))
    police = agg["force_kind"].astype(str) != forces_mod.FRAUD_BODY
    year = agg[(agg["financial_year"] == "2018/19") & agg["in_totals"] & police]
    gmp = year["force"] == "Greater Manchester"
    # 6: every police force (this project's England and Wales), Greater Manchester included
    t14, t16 = (int(year.loc[year["outcome_type"] == t, "closed"].sum()) for t in ("14", "16"))
    closed = int(year["closed"].sum())
    assert (t14, closed) == (261_400, 5_114_207)
    assert real.fact(6).value == pytest.approx(100 * (t14 + t16) / closed)
    assert real.fact(6).about["t14"] == t14 and real.fact(6).about["t16"] == t16
    assert real.fact(6).about["left_out"] == []  # no force's 2018/19 data are unusable
    # 7: the articles' England and Wales leaves Greater Manchester out; counting it in is the known mistake
    assert real.fact(7).value == int(year.loc[~gmp, "closed"].sum()) == 4780690
    assert real.fact(7).traps["with_excluded"] == closed
    assert real.fact(7).about["excluded_closed"] == int(year.loc[gmp, "closed"].sum()) == 333_517
    btp = year["force"] == "British Transport Police"
    assert real.fact(7).traps["without_btp"] == int(year.loc[~gmp & ~btp, "closed"].sum())


def test_a_mistake_that_prints_as_the_answer_is_never_taken_for_it(real, sample):
    """In 2018/19, England and Wales with and without Greater Manchester both print 24.1%: an answer computed
    either way is right, never the articles' mistake (which is nearer to 24.1 than the answer itself)."""
    agg = sample.aggregate
    year = agg[
        (agg["financial_year"].astype(str) == "2018/19")
        & agg["in_totals"]
        & (agg["force"].astype(str) != "Greater Manchester")
    ]
    vdns = int(year.loc[year["outcome_type"].astype(str).isin(["14", "16"]), "closed"].sum())
    without_gmp = 100 * vdns / int(year["closed"].sum())
    assert real.fact(6).traps["articles_area"] == pytest.approx(without_gmp)
    assert f"{without_gmp:.1f}" == f"{real.fact(6).value:.1f}" == "24.1"
    assert abs(24.1 - without_gmp) < abs(24.1 - real.fact(6).value)
    assert real.check(6, without_gmp).correct and real.check(6, 24.1).correct


def test_what_the_checker_says_without_an_answer_or_to_an_answer_it_cannot_read(real):
    assert (
        str(real.check(1, None)) == "Exercise 1: no answer yet. Replace None with your answer and run the cell again."
    )
    assert str(real.check(11, 3)) == "Exercise 11: no such exercise. The exercises are numbered 1 to 10."
    said = real.check(1, pd.Series([1, 2, 3]))
    assert said.status == ex.WRONG and "you gave 3 values; the answer is one number: add them up with .sum()" in str(
        said
    )
    said = real.check(5, "Narnia")
    assert "I cannot read your answer: 'Narnia' is not a police force I know" in str(said)
    assert "is a central fraud reporting body" in str(real.check(5, "Action Fraud"))
    assert "'2018 Q1' is not a quarter written like '2015/16 Q2'" in str(real.check(3, ["2018 Q1"]))
    assert "your answer is empty (NaN or NA)" in str(real.check(6, float("nan")))
    assert "Right so far: none; not in the answer: Kent; 2 forces missing" in str(real.check(10, ["Kent"]))
    assert "Your list is empty; the answer has 4 quarters" in str(real.check(4, []))


def test_a_number_nearer_a_known_mistake_than_the_answer_is_that_mistake(real):
    # 2.28 rounds to the answer's neighbourhood (2.23 +- 0.05) but is the share of offences *with* an outcome, 2.28
    assert real.fact(2).traps["of_those_with_an_outcome"] == pytest.approx(2.2819, abs=1e-4)
    assert real.check(2, 2.28).message.startswith("You divided by the offences that have an outcome")
    assert real.check(2, 2.2).correct and real.check(2, 2.25).correct


def test_check_works_in_a_notebook_of_the_students_own(sample_root):
    """Without ex.setup, ex.check uses the guide's parameters (sample edition, Cheshire)."""
    ex._current.clear()
    try:
        assert ex.check(1, 24120).correct
        assert ex.answer(8).startswith("404: Kent's")
        assert "<details><summary>Show the answer</summary><p>404: Kent" in ex.show(8).data
        ex.setup("sample", "Derbyshire")
        assert ex.current().question(1).startswith("1. How many investigations did Derbyshire close in 2018/19 Q4")
    finally:
        ex._current.clear()


def test_the_guide_page_keeps_answers_folded_and_leaves_out_the_answer_cells(tmp_path):
    page = notebooks.to_html(
        paths.CHECKOUT / "notebooks" / "00_dataset_guide.ipynb", tmp_path / "guide.html", title="Guide", build=None
    )
    text = page.read_text()
    assert text.count("<details><summary>Show the answer</summary>") == 10
    assert "no answer yet" not in text and "answer_1" not in text and "exercise-check" not in text


# ----------------------------------------------------------------------------------------- a SYNTHETIC edition
FORCES = [f.name for f in forces_mod.POLICE_FORCES]
IN_TOTALS = "outcome_type != '0'"  # the grid has no 1a/2a/3a rows and only police forces


def _frames() -> dict[str, pd.DataFrame]:
    frames = {
        fy: synthetic.grid(fy, force_names=FORCES, n_offences=2, seed=i + 7)
        for i, fy in enumerate(["2017/18", "2018/19"])
    }
    f = frames["2018/19"]
    at = lambda force, q, code, t: (  # noqa: E731
        (f["force_name"] == force)
        & (f["financial_quarter"] == q)
        & (f["offence_code"] == code)
        & (f["outcome_type"] == t)
    )
    f.loc[at("Surrey", 2, "S001", "14"), "closed"] = -7  # negative adjustments: Surrey's take 12 off
    f.loc[at("Surrey", 3, "S001", "18"), "closed"] = -5
    f.loc[at("Dorset", 3, "S001", "8"), "closed"] = -3
    expired = f["offence_code"] == "S002"  # an expired code: rows listed, recorded count written as text
    f.loc[expired, "offence_code_expired"] = "x"
    f.loc[expired, "recorded"] = "N/A - offence code expired"
    partial = (f["force_name"] == "Wiltshire") & (f["financial_quarter"] == 1) & (f["outcome_type"] != "0")
    f.loc[partial, "closed"] = 1  # far under Wiltshire's usual quarter: partly supplied
    for year in frames.values():  # Greater Manchester: many 14s and 16s every quarter, so that England and Wales
        gmp = (year["force_name"] == "Greater Manchester") & year["outcome_type"].isin(["14", "16"])
        year.loc[gmp, "closed"] = 200  # with and without it print different rates (none of its quarters is low)
    return frames


def _numbers(frames) -> pd.DataFrame:
    t = pd.concat(frames.values(), ignore_index=True)
    return t.assign(
        closed=pd.to_numeric(t["closed"], errors="coerce"), recorded=pd.to_numeric(t["recorded"], errors="coerce")
    )


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    """(the generated rows, the exercises on the SYNTHETIC edition built from them)."""
    root = testing.make_root(tmp_path_factory.mktemp("exercises-root"))
    frames = _frames()

    def make():
        build_synthetic(tmp_path_factory.mktemp("exercises-mirror"), frames)
        ds = m.Dataset.load("synthetic-test")
        assert ds.synthetic
        return facts_mod.facts(ds, "Cheshire")

    return _numbers(frames), ex.Exercises("synthetic-test", "Cheshire", _in_root(root, make))


def test_the_checkers_on_a_synthetic_edition(synth):
    rows, exercises = synth
    y = rows[rows["financial_year"] == "2018/19"].query(IN_TOTALS)

    cheshire = y[(y["force_name"] == "Cheshire") & (y["financial_quarter"] == 4)]
    assert exercises.check(1, int(cheshire["closed"].sum())).correct
    assert exercises.check(1, int(cheshire["recorded"].sum())).message.startswith("That is the recorded basis")

    articles = y[y["force_name"] != "Greater Manchester"]  # the June 2021 articles' England and Wales
    assert exercises.fact(7).about["period"] == "financial year 2018/19"  # ends after calendar 2018
    assert exercises.check(7, int(articles["closed"].sum())).correct
    assert exercises.check(7, int(y["closed"].sum())).message.startswith("That includes Greater Manchester")

    def rate(rows):
        return 100 * rows[rows["outcome_type"].isin(["14", "16"])]["closed"].sum() / rows["closed"].sum()

    # this project's England and Wales: every police force (the grid has only police forces, all complete)
    assert exercises.check(6, round(rate(y), 1)).correct
    assert f"{rate(y):.1f}" != f"{rate(articles):.1f}"
    assert exercises.check(6, rate(articles)).message.startswith(
        "You left out Greater Manchester, as the June 2021 articles did (exercise 7)."
    )
    t14 = y[y["outcome_type"] == "14"]["closed"].sum()
    assert exercises.check(6, 100 * t14 / y["closed"].sum()).message.startswith("You used type 14 alone")

    by_force = y.groupby("force_name")
    rates = by_force.apply(lambda g: g[g["outcome_type"].isin(["14", "16"])]["closed"].sum() / g["closed"].sum())
    assert exercises.check(5, rates.idxmax()).correct
    assert exercises.check(5, rates.idxmin()).message.startswith("That force has the lowest rate")

    assert exercises.check(8, 12).correct and exercises.fact(8).about["force"] == "Surrey"
    assert exercises.check(8, -12).message.startswith("Right size, wrong sign")
    assert exercises.answer(8).startswith(
        "12: Surrey's 2 negative closed-basis cells in financial year 2018/19 add up to -12"
    )

    expired = y[y["offence_code"] == "S002"]
    assert exercises.check(9, int(expired["closed"].sum())).correct
    expired_rows = len(rows[(rows["offence_code"] == "S002") & (rows["financial_year"] == "2018/19")])
    assert exercises.check(9, expired_rows).message == (
        "That is how many rows have an expired code; add up their closed counts instead. "
        "(ex.answer(9) shows the answer.)"
    )

    assert exercises.check(10, ["wiltshire police"]).correct
    assert exercises.check(10, []).message.startswith("In coverage, look at closed_status")

    assert exercises.check(3, ["2017/18 Q4", "2018/19 Q1", "2018/19 Q2", "2018/19 Q3"]).correct
    assert exercises.check(4, ["2019/20 Q4", "2020/21 Q1", "2020/21 Q2", "2020/21 Q3"]).correct

    q4 = rows[
        (rows["financial_year"] == "2018/19") & (rows["financial_quarter"] == 4) & (rows["force_name"] == "Cheshire")
    ]
    type0 = q4[q4["outcome_type"] == "0"]["recorded"].sum()
    share = 100 * type0 / (type0 + q4.query(IN_TOTALS)["recorded"].sum())
    assert exercises.check(2, share).correct
    assert not exercises.check(2, share + 1).correct


def test_an_edition_that_cannot_answer_says_so(synth):
    _, exercises = synth
    fact = facts_mod.Fact(8, "negative", "count", None, about={"year": "financial year 2018/19"})
    empty = ex.Exercises("synthetic-test", "Cheshire", {**exercises.facts, 8: fact})
    said = empty.check(8, 3)
    assert str(said) == (
        "Exercise 8: not available. Not available in the synthetic-test edition: it has no negative closed-basis cell "
        "in financial year 2018/19 to change a total."
    )


# ------------------------------------------------------------------------------------------ the guide's words
def test_the_type0_words_follow_the_numbers(sample):
    """England and Wales is every police force now (Greater Manchester included): the shares, recomputed from the
    aggregate table (recorded basis: type 0 over type 0 plus every type that enters totals), and the words."""
    ew = m.Area.of(m.EW)
    shares = guide.type0_by_quarter(sample, ew)
    agg = sample.aggregate
    police = agg[agg["force_kind"].astype(str) != forces_mod.FRAUD_BODY]
    quarter = [police["financial_year"].astype(str), police["fin_quarter"]]
    type0 = police[police["outcome_type"].astype(str) == "0"].groupby(quarter)["recorded"].sum()
    with_outcome = police[police["in_totals"]].groupby(quarter)["recorded"].sum()
    expected = 100 * type0 / (type0 + with_outcome)
    assert list(shares["share_pct"]) == pytest.approx(list(expected))
    assert list(shares["type0"]) == list(type0)
    assert [f"{v:.1f}" for v in expected] == ["1.3", "1.7", "1.7", "2.9", "2.0", "2.4", "2.8", "5.6"]
    cheshire = guide.type0_by_quarter(sample, m.Area.of("Cheshire"))
    marked = display.type0_note(shares, ew.name, cheshire, "Cheshire", "2018/19 Q1").data
    # every figure is marked with the exact value it states
    figures = {text: float(value) for value, text in re.findall(r'<data value="([^"]+)">([^<]+)</data>', marked)}
    latest = int(type0.iloc[-1])
    assert latest == 72_494 and figures[f"{latest:,}"] == latest
    assert figures["5.6%"] == pytest.approx(expected.iloc[-1]) and figures["1.3%"] == pytest.approx(expected.iloc[0])
    text = re.sub(r"<[^>]+>", "", marked)
    assert f"in 2018/19 Q4, the edition&#x27;s latest quarter, 5.6% ({latest:,}) had no outcome yet" in text
    assert "Of the offences recorded in England and Wales in 2018/19 Q4" in text
    assert "of those recorded in 2017/18 Q1, its oldest, 1.3%. The older the quarter" in text
    assert "type 0 is largest for recent quarters and smaller for old ones" in text
    assert "Cheshire in 2018/19 Q1, it is 0.9% (228 of 24,359 offences recorded)" in text
    reversed_shares = shares.iloc[::-1].assign(quarter=list(shares["quarter"]))
    text = re.sub(r"<[^>]+>", "", display.type0_note(reversed_shares, "A", cheshire, "Cheshire", "none").data)
    assert "Here the oldest quarter has more offences without an outcome than the latest one." in text
    assert "largest for recent" not in text and "section 5" not in text


def test_the_latest_period_is_the_one_that_ends_last(sample):
    ew = m.Area.of(m.EW)
    assert sample.latest(ew, "calendar").label == "calendar 2018"
    assert guide.latest_period(sample, ew).label == "financial year 2018/19"


def test_reading_answers_in_every_sensible_form():
    assert ex.read_number(np.int64(7)) == 7 and ex.read_number(" 1,234 ") == 1234 and ex.read_number("5.5%") == 5.5
    assert ex.read_number(pd.DataFrame({"closed": [3]})) == 3 and ex.read_number([4]) == 4
    for bad in (True, "many", pd.NA, [1, 2]):
        with pytest.raises(ex.Unreadable):
            ex.read_number(bad)
    assert ex.read_forces("the Met, City of London Police") == {"Metropolitan Police", "City of London"}
    assert ex.read_forces("London, City of") == {"City of London"} and ex.read_forces("none") == set()
    assert ex.read_quarters("2018/19 q1 + 2018-19 Quarter 2") == {"2018/19 Q1", "2018/19 Q2"}
    assert ex.read_quarters(pd.Series(["2017/18 Q4"])) == {"2017/18 Q4"}
    with pytest.raises(ex.Unreadable, match="runs from one year to the next"):
        ex.read_quarter("2018/20 Q1")


def test_an_edition_too_small_for_some_exercises_asks_them_all_and_says_which_it_cannot_answer(tmp_path):
    """Three forces: England and Wales follows the data, so it is those three (the other 41 police forces, without
    rows, are left out of every period) and exercises 5 to 7 are answered on them; 8 and 9 cannot be (no negative
    cell, no expired code)."""
    frames = {
        fy: synthetic.grid(fy, force_names=["Cheshire", "Derbyshire", "Kent"], n_offences=2, seed=i)
        for i, fy in enumerate(["2017/18", "2018/19"])
    }
    build_synthetic(tmp_path, frames)
    small = ex.Exercises("synthetic-test", "Cheshire")
    unavailable = [n for n in small.numbers if not small.fact(n).answerable]
    assert unavailable == [8, 9]
    y = frames["2018/19"].assign(closed=lambda t: pd.to_numeric(t["closed"])).query(IN_TOTALS)
    vdns = y[y["outcome_type"].isin(["14", "16"])]["closed"].sum()
    assert small.fact(6).about["left_out"] == sorted(set(FORCES) - {"Cheshire", "Derbyshire", "Kent"})
    assert len(small.fact(6).about["left_out"]) == 41
    assert small.check(6, 100 * vdns / y["closed"].sum()).correct
    assert small.check(7, int(y["closed"].sum())).correct  # Greater Manchester has no rows: left out either way
    assert small.fact(7).traps["with_excluded"] == small.fact(7).value  # so that mistake cannot be made here
    assert "Greater Manchester has no usable data, so it is left out either way" in small.answer(7)
    assert "England and Wales (without 41 forces, which have no usable data for " in small.answer(6)
    assert small.question(6).startswith(
        "6. What was the victim-did-not-support rate of England and Wales, as this project counts it (every police "
        "force with usable data for the period), in financial year 2018/19"
    )
    assert str(small.check(8, 3)) == (
        "Exercise 8: not available. Not available in the synthetic-test edition: it has no negative closed-basis "
        "cell in financial year 2018/19 to change a total."
    )
    assert small.check(3, ["2017/18 Q4", "2018/19 Q1", "2018/19 Q2", "2018/19 Q3"]).correct
    assert "<details>" in small.html(9) and "no row has an expired offence code" in small.html(9)


def test_an_edition_without_a_whole_year_cannot_answer_the_england_and_wales_exercises(tmp_path):
    """Two quarters only: no calendar or financial year can be computed, so exercises 5 to 7 say why."""
    frames = {"2018/19": synthetic.grid("2018/19", force_names=["Cheshire", "Kent"], n_offences=2, quarters=(1, 2))}
    build_synthetic(tmp_path, frames)
    short = ex.Exercises("synthetic-test", "Cheshire")
    assert [n for n in (5, 6, 7) if not short.fact(n).answerable] == [5, 6, 7]
    assert str(short.check(6, 24.1)) == (
        "Exercise 6: not available. Not available in the synthetic-test edition: no calendar or financial year can "
        "be computed for England and Wales: each lacks a quarter, or every force's data for one (section 7.8)."
    )


def test_a_fraction_where_a_percentage_is_asked(real):
    assert real.check(6, 0.241).correct
    # 261,400 / 5,114,207 = 5.11%: type 14 alone (every police force), as a fraction
    assert real.check(6, 261_400 / 5_114_207).message.startswith("You used type 14 alone")
    assert real.check(6, 0.0511).message.startswith("You used type 14 alone")
    said = real.check(6, 0.3).message
    assert "Your answer, 0.3, looks like a fraction: as a percentage it is 30.0%, too high." in said
    assert "Your answer, 4,000,000, is too low." in real.check(7, 4_000_000).message
