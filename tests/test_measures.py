"""Periods and the measure engine. Every claim form is evaluated on a SYNTHETIC edition and checked against a sum
computed independently, with plain pandas, from the raw frames the files were written from."""

from __future__ import annotations

import pandas as pd
import pytest

from crimeoutcomes.analysis import measures as m
from crimeoutcomes.analysis.measures import Gap
from crimeoutcomes.analysis.periods import Period
from crimeoutcomes.data import forces as forces_mod
from crimeoutcomes.publish.words import wording
from tests.conftest import build_synthetic

FORCES = ["Cheshire", "Derbyshire", "Kent", "Greater Manchester"]


@pytest.mark.parametrize(
    "text,label,quarters",
    [
        ("calendar 2018", "calendar 2018", [("2017/18", 4), ("2018/19", 1), ("2018/19", 2), ("2018/19", 3)]),
        ("2018", "calendar 2018", [("2017/18", 4), ("2018/19", 1), ("2018/19", 2), ("2018/19", 3)]),
        ("financial year 2017/18", "financial year 2017/18", [("2017/18", q) for q in (1, 2, 3, 4)]),
        ("2017-18", "financial year 2017/18", [("2017/18", q) for q in (1, 2, 3, 4)]),
        ("year ending March 2019", "financial year 2018/19", [("2018/19", q) for q in (1, 2, 3, 4)]),
        ("2018/19 Q1", "2018/19 Q1", [("2018/19", 1)]),
        ("2018/19 Q1-Q2", "2018/19 Q1-Q2", [("2018/19", 1), ("2018/19", 2)]),
        ("2018/19 q1 to q3", "2018/19 Q1-Q3", [("2018/19", 1), ("2018/19", 2), ("2018/19", 3)]),
        ("2017/18 Q4-2018/19 Q2", "2017/18 Q4-2018/19 Q2", [("2017/18", 4), ("2018/19", 1), ("2018/19", 2)]),
        (
            "year ending September 2018",
            "year ending September 2018",
            [("2017/18", 3), ("2017/18", 4), ("2018/19", 1), ("2018/19", 2)],
        ),
        (
            "year ending December 2018",
            "year ending December 2018",
            [("2017/18", 4), ("2018/19", 1), ("2018/19", 2), ("2018/19", 3)],
        ),
    ],
)
def test_periods(text, label, quarters):
    p = Period.parse(text)
    assert p.label == label and p.quarters == quarters
    assert Period.parse(p.label) == p  # labels read back


def test_periods_shift_and_reject_nonsense():
    assert Period.parse("year ending June 2019").shifted(-1).label == "year ending June 2018"
    assert Period.calendar(2020).shifted(-5).label == "calendar 2015"
    for bad in ("2018/20", "spring 2018", "2018/19 Q5", "2018/19 Q3-Q1", "year ending May 2018"):
        with pytest.raises(ValueError):
            Period.parse(bad)


def frames():
    from crimeoutcomes.tools import synthetic

    out = {}
    for i, fy in enumerate(["2017/18", "2018/19"]):
        f = synthetic.grid(fy, force_names=FORCES, n_offences=3, seed=10 + i, max_count=50)
        f.loc[f["offence_code"] == "S002", "offence_subgroup"] = "Rape"
        out[fy] = f
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    import os

    from crimeoutcomes.tools import testing

    root = testing.make_root(tmp_path_factory.mktemp("measures-root"))
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        raw = frames()
        build_synthetic(tmp_path_factory.mktemp("measures"), raw)
        ds = m.Dataset.load("synthetic-test")
        ds.tidy  # noqa: B018
    finally:
        os.environ["CRIMEOUTCOMES_ROOT"] = before or ""
    long = pd.concat(raw.values(), ignore_index=True)
    long["closed"] = pd.to_numeric(long["closed"])
    long["recorded"] = pd.to_numeric(long["recorded"])
    return ds, long


def expected(long, forces, quarters, basis, types, offence=None):
    sel = long[long["force_name"].isin(forces) & long["outcome_type"].isin(types)]
    keys = set(quarters)
    sel = sel[[(fy, q) in keys for fy, q in zip(sel["financial_year"], sel["financial_quarter"])]]
    if offence is not None:
        sel = sel[offence(sel)]
    return int(sel[basis].sum())


ALL = [str(t) for t in range(1, 19)] + ["20", "21"]


#: the forces absent from the synthetic files: England and Wales leaves them out of every period, and says so
ABSENT = tuple(f.name for f in forces_mod.POLICE_FORCES if f.name not in FORCES)


@pytest.mark.parametrize(
    "area,forces",
    [
        ("Kent", ["Kent"]),
        (["Kent", "Cheshire"], ["Kent", "Cheshire"]),
        (m.EW, FORCES),  # every force with data, Greater Manchester included
        ("articles", ["Cheshire", "Derbyshire", "Kent"]),  # the June 2021 articles' area: without GMP
    ],
)
@pytest.mark.parametrize(
    "period", ["calendar 2018", "financial year 2017/18", "2018/19 Q1-Q2", "2018/19 Q3", "year ending September 2018"]
)
def test_counts_for_every_area_and_period_form(data, area, forces, period):
    ds, long = data
    p = Period.parse(period)
    where = m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE) if area == "articles" else m.Area.of(area)
    r = ds.evaluate(m.Query(where, p, "closed", m.OffenceScope("all"), m.OutcomeSet.parse([14, 16])))
    assert r.numerator == expected(long, forces, p.quarters, "closed", ["14", "16"])
    assert r.computable and r.denominator is None and r.missing == []
    assert sorted(r.forces) == sorted(forces)
    if where.is_ew:  # the 40 forces not in the files are left out, quarter by quarter, as typed gaps
        assert r.left_out == [Gap(fy, q, "missing", ABSENT) for fy, q in p.quarters]
    else:
        assert r.left_out == []


@pytest.mark.parametrize(
    "offences,select",
    [
        ("all", None),
        ({"code": "s001"}, lambda s: s["offence_code"] == "S001"),
        ({"codes": ["S001", "S003"]}, lambda s: s["offence_code"].isin(["S001", "S003"])),
        ({"group": "Sexual offences"}, lambda s: s["offence_group"] == "Sexual offences"),
        ({"subgroup": "Rape"}, lambda s: s["offence_subgroup"] == "Rape"),
    ],
)
@pytest.mark.parametrize(
    "numerator,types",
    [
        ([18], ["18"]),
        ("all", ALL),
        ("all_including_unassigned", ["0", *ALL]),
        ({"all_except": [14, 18]}, [t for t in ALL if t not in ("14", "18")]),
    ],
)
def test_rates_for_every_offence_scope_and_outcome_form(data, offences, select, numerator, types):
    ds, long = data
    p = Period.parse("financial year 2018/19")
    q = m.Query(
        m.Area.of("Derbyshire"),
        p,
        "recorded",
        m.OffenceScope.parse(offences),
        m.OutcomeSet.parse(numerator),
        m.OutcomeSet.parse("all"),
    )
    r = ds.evaluate(q)
    num = expected(long, ["Derbyshire"], p.quarters, "recorded", types, select)
    den = expected(long, ["Derbyshire"], p.quarters, "recorded", ALL, select)
    assert (r.numerator, r.denominator) == (num, den)
    assert r.value == pytest.approx(num / den)


def test_england_and_wales_includes_every_force_by_default_and_the_articles_area_leaves_out_gmp(data):
    ds, long = data
    p = Period.calendar(2018)
    default, articles = m.Area.of(m.EW), m.Area.of(m.EW, exclude=m.ARTICLES_EXCLUDE)
    assert m.DEFAULT_EXCLUDE == () and default.exclude == () and "Greater Manchester" in default.forces
    assert articles.exclude == ("Greater Manchester",) and "Greater Manchester" not in articles.forces
    assert default.name == articles.name == m.EW and default.is_ew and articles.is_ew
    assert not m.Area.of("Kent").is_ew
    every = ds.evaluate(m.Query(default, p)).numerator
    without = ds.evaluate(m.Query(articles, p)).numerator
    assert every == expected(long, FORCES, p.quarters, "closed", ALL)
    assert every - without == expected(long, ["Greater Manchester"], p.quarters, "closed", ALL)


def test_missing_quarters_make_a_figure_not_computable(data):
    ds, _ = data
    # calendar 2019 = 2018/19 Q4 (in the files) + 2019/20 Q1-Q3 (not in this edition)
    r = ds.evaluate(m.Query(m.Area.of("Kent"), Period.calendar(2019)))
    assert not r.computable and not r.complete
    assert r.missing == [Gap("2019/20", q, m.NOT_IN_EDITION) for q in (1, 2, 3)]
    r = ds.evaluate(m.Query(m.Area.of("Dorset"), Period.calendar(2018)))  # a force absent from the files
    assert r.missing == [Gap(fy, q, "missing", ("Dorset",)) for fy, q in Period.calendar(2018).quarters]
    # England and Wales leaves out a force without data, but not a quarter the edition does not hold
    r = ds.evaluate(m.Query(m.Area.of(m.EW), Period.calendar(2019)))
    assert not r.computable and r.missing == [Gap("2019/20", q, m.NOT_IN_EDITION) for q in (1, 2, 3)]
    # and a figure whose every force lacks data is not computable either
    r = ds.evaluate(m.Query(m.Area.of(m.EW, exclude=FORCES), Period.calendar(2018)))
    assert not r.computable and r.left_out == [] and r.numerator == 0
    assert r.missing == [Gap(fy, q, "missing", ABSENT) for fy, q in Period.calendar(2018).quarters]


def test_rows_re_add_to_the_figure(data):
    ds, _ = data
    q = m.Query(
        m.Area.of(["Kent", "Cheshire"]),
        Period.parse("2018/19 Q1-Q2"),
        "closed",
        m.OffenceScope.parse({"group": "Robbery"}),
        m.OutcomeSet.parse([16]),
        m.OutcomeSet.parse("all"),
    )
    r, rows = ds.evaluate(q), ds.rows(q)
    assert (rows["closed_count"] * rows["in_numerator"]).sum() == r.numerator
    assert (rows["closed_count"] * rows["in_denominator"]).sum() == r.denominator
    assert rows["source_row"].gt(1).all() and rows["source_file"].str.startswith("synthetic-").all()


def test_unknown_offences_are_reported_with_close_matches(data):
    ds, _ = data
    code = ds.check_offences(m.OffenceScope.parse({"code": "S01"}))
    assert code == m.UnknownOffence("codes", "S01", ("S001", "S003", "S002"))  # typed: publish/ words it
    assert wording.unknown_offence(code) == (
        "offence code 'S01' is not in the data; the nearest: S001, S003, S002 (the list of measures names every one)"
    )
    group = ds.check_offences(m.OffenceScope.parse({"group": "Robery"}))
    assert group == m.UnknownOffence("group", "Robery", ())  # the synthetic groups have no name near it
    assert (
        wording.unknown_offence(group)
        == "offence group 'Robery' is not in the data (the list of measures names every one)"
    )
    assert ds.check_offences(m.OffenceScope.parse({"subgroup": "rape"})) is None


def test_why_a_story_cannot_be_written_is_a_typed_fact_worded_in_publish(data, tmp_path):
    """stories.cannot_write says why as a typed fact (its offences, the kind of period, the period): wording words it
    for the stories step."""
    from crimeoutcomes.analysis import stories

    ds, _ = data

    def spec(period: str, offences: str = "all") -> stories.Spec:
        path = tmp_path / "x.yaml"
        measure = f"{{basis: closed, offences: {offences}, numerator: [14, 16], denominator: all}}"
        path.write_text(f"id: x\ntitle: T\nmeasure: {measure}\nperiod: {period}\nnoun: offences\n")
        return stories.load(path)

    why = stories.cannot_write(spec("calendar 2018", "{group: Robery}"), ds, Period.calendar(2018))
    assert why == m.NoFigure(offence=m.UnknownOffence("group", "Robery", ()))
    assert wording.no_figure(why) == "offence group 'Robery' is not in the data (the list of measures names every one)"
    latest = spec("latest calendar year")
    why = stories.cannot_write(latest, ds, None)  # no calendar year of the edition can be computed
    assert why == m.NoFigure(kind="calendar")
    assert wording.no_figure(why) == "no calendar year can be computed for England and Wales in this edition"
    why = stories.cannot_write(latest, ds, Period.calendar(2016))
    assert why == m.NoFigure(period=Period.calendar(2016))
    assert wording.no_figure(why) == "England and Wales has no figure for calendar 2016 in this edition"
    assert stories.cannot_write(latest, ds, Period.calendar(2018)) is None
