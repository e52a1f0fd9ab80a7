"""The claims audit: printed precision, the articles' registry proven on SYNTHETIC data that make its figures true,
the general claim form, bad registries, and the real sample edition (the shared examples file, the project's
registries)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from crimeoutcomes import csvfile, paths
from crimeoutcomes.analysis import claims, measures
from crimeoutcomes.analysis.periods import Period, fy_label
from crimeoutcomes.data import forces, manifest
from crimeoutcomes.errors import DataError
from crimeoutcomes.publish.words import claims_text
from crimeoutcomes.tools import synthetic
from tests.conftest import build_synthetic, run_steps

EXAMPLES = paths.CHECKOUT.parent / "shared" / "published-claims" / "examples-2018-2020.yaml"


def audit_own(registry, out):
    """A user's own registry audited on the sample edition into `out` (as make claims CLAIMS= does)."""
    run_steps(["claims"], registries=[registry], out=out)
    return out


# ------------------------------------------------------------------------------------- printed precision
@pytest.mark.parametrize(
    "text,value,yes,no",
    [
        ("82%", 82, [81.5, 82.0, 82.49], [81.49, 82.5]),
        ("4.2%", 4.2, [4.15, 4.2, 4.2499], [4.149, 4.25]),
        ("1 in 24", 24, [100 / 24, 100 / 24.4, 100 / 23.5], [100 / 24.5, 100 / 23.4]),
        ("one in 5", 5, [20.0], [100 / 5.6]),
        ("5,523", 5523, [5523], [5522, 5524]),
    ],
)
def test_printed_precision(text, value, yes, no):
    c = claims.Claimed.parse(text)
    assert c.value == value
    band = c.printed_band()
    assert all(x in band for x in yes) and not any(x in band for x in no)


@pytest.mark.parametrize(
    "text,computed,shown",
    [
        ("43.1%", 43.05, "43.1%"),  # written as a reader rounds: half up, the rule the printed band uses
        ("3%", 2.5, "3%"),
        ("3%", 2.4999, "2%"),
        ("1 in 24", 100 / 24.5, "1 in 25"),
        ("1 in 2.5", 40.0, "1 in 2.5"),
        ("5,523", 5523, "5,523"),
        ("5,523", 5524, "5,524"),
    ],
)
def test_computed_values_are_written_at_the_printed_precision(text, computed, shown):
    c = claims.Claimed.parse(text)
    printed = claims_text.as_printed(c, computed)
    assert printed == shown  # and it carries the exact value it states (a "1 in N" as the fraction)
    assert printed.value == pytest.approx(computed / 100 if c.unit == "one_in" else computed, rel=1e-12)
    assert (computed in c.printed_band()) == (shown == text)


def test_one_in_n_with_decimals_keeps_its_precision():
    c = claims.Claimed.parse("1 in 2.5")
    assert (c.value, c.decimals) == (2.5, 1)
    band = c.printed_band()
    assert 100 / 2.46 in band and 100 / 2.56 not in band and 100 / 2.44 not in band


RATES = claims.Tolerance(relative=0.05, points=0.5)  # the defaults: the smaller of 5% of the figure and half a point
COUNTS = claims.Tolerance(relative=0.02)  # 2% of a count, at least 1


@pytest.mark.parametrize(
    "text,tolerance,inside,outside",
    [
        # the printed band widened by the smaller of 5% of the figure and half a point
        ("84%", RATES, [83.0, 83.49, 84.99], [82.99, 85.0]),  # 83.5-84.5 widened by 0.5 (5% is 4.2)
        ("3%", RATES, [2.35, 3.64], [2.34, 3.65]),  # 2.5-3.5 widened by 0.15 (5% of 3), not 1.5-4.5
        ("4.2%", RATES, [3.94, 4.45], [3.93, 4.46]),  # 4.15-4.25 widened by 0.21
        ("4.2%", claims.Tolerance(points=0.5), [3.65, 4.74], [3.64, 4.75]),  # a registry's points alone
        ("5,523", COUNTS, [5_413, 5_633], [5_412, 5_634]),  # exactly 5,523, by 2% of it (110.46)
        ("5,000", COUNTS, [4_400, 5_600], [4_399, 5_601]),  # to the thousand (4,500-5,500), by 2% of 5,000
        ("10", COUNTS, [9, 11], [8, 12]),  # 2% of 10 is 0.2: at least 1
        ("443,000", COUNTS, [433_640, 452_360], [433_639, 452_361]),  # 442,500-443,500 widened by 8,860
        ("1 in 24", RATES, [100 / 25.8, 100 / 22.41], [100 / 25.83, 100 / 22.39]),  # a rate: 4.17%, widened by 0.21
        ("fewer than 10", COUNTS, [0, 9, 10.9], [11]),  # the bound by at least 1
        ("a third", RATES, [28.67, 37.16], [28.66, 37.17]),  # 29.17-36.67 widened by half a point (5% is 1.67)
    ],
)
def test_the_band_allowed_for_revised_data(text, tolerance, inside, outside):
    band = claims.Claimed.parse(text).revised_band(tolerance)
    assert all(x in band for x in inside) and not any(x in band for x in outside)


@pytest.mark.parametrize(
    "text,value,yes,no",
    [
        ("443,000", 443_000, [442_500, 443_000, 443_499], [442_499, 443_500]),  # printed to the thousand
        ("4,877,000", 4_877_000, [4_876_500, 4_877_499], [4_878_302]),
        ("4.6m", 4_600_000, [4_550_000, 4_649_999], [4_549_999, 4_650_000]),
        ("5 million", 5_000_000, [4_500_000, 5_499_999], [4_499_999, 5_500_000]),
        ("nearly 5 million", 5_000_000, [4_500_000, 4_999_999], [4_499_999, 5_000_000]),
        ("more than 400,000", 400_000, [400_001, 449_999], [400_000, 450_000]),  # to the 100,000: under 450,000
        ("almost half", 50, [45.0, 49.99], [44.99, 50.0]),
        ("nine in 10", 90, [85.0, 94.99], [84.99, 95.0]),
        ("nine out of 10", 90, [85.0, 94.99], [84.99, 95.0]),
        ("two in five", 40, [30.0, 49.99], [29.99, 50.0]),
        ("a third", 100 / 3, [29.17, 36.66], [29.16, 36.67]),  # nearer a third than a quarter or two fifths
        ("half", 50, [45.0, 54.99], [44.99, 55.0]),  # nearer a half than two or three fifths
        ("three quarters", 75, [70.84, 77.49], [70.83, 77.5]),
        ("less than four per cent", 4, [0.1, 3.99], [4.0]),
        ("fewer than one in 12", 12, [8.0, 8.33], [8.34]),  # N of "1 in N"; the band holds the rate
        ("83per cent", 83, [82.5, 83.49], [83.5]),
        ("three", 3, [3], [2, 4]),
        ("one in every 24", 24, [100 / 24], [100 / 25]),
    ],
)
def test_the_press_forms(text, value, yes, no):
    c = claims.Claimed.parse(text)
    assert c.value == pytest.approx(value)
    band = c.printed_band()
    assert all(x in band for x in yes) and not any(x in band for x in no)


@pytest.mark.parametrize(
    "text,form,sign,band",
    [
        ("up 4.7 points", "points", 1, (4.65, 4.75)),
        ("down 0.3 points", "points", -1, (-0.35, -0.25)),
        ("down 41,215", "count", -1, (-41_215, -41_215)),
        ("an annual reduction of 41,215", "count", -1, (-41_215, -41_215)),
        ("up 12%", "relative", 1, (11.5, 12.5)),
        ("fallen by a third", "relative", -1, (-100 * 11 / 30, -100 * 7 / 24)),
        ("from 11% to 9%", "values", 0, None),
        ("rose from 29% to 32%", "values", 0, None),
        ("from 4,877,000 to 5,269,000", "values", 0, None),
    ],
)
def test_the_change_forms(text, form, sign, band):
    change = claims.parse_change(text)
    assert (change.form, change.sign) == (form, sign)
    if band is None:
        assert change.start.is_rate == change.end.is_rate and change.printed_band() is None
    else:
        assert (change.printed_band().lo, change.printed_band().hi) == pytest.approx(band)


@pytest.mark.parametrize("text", ["up", "down", "unchanged", "a sharp rise", "higher than England and Wales", "12%"])
def test_qualitative_statements_are_not_read_as_changes(text):
    assert claims.parse_change(text) is None  # statements are read by their own form, not as a numeric change


@pytest.mark.parametrize(
    "text,unit,value,extra",
    [
        ("fewer than 10", "count", 10, {"side": "below"}),
        ("less than 1,000", "count", 1000, {"side": "below"}),
        ("highest since 2015", "record", None, {"since": 2015, "lowest": False}),
        ("the lowest since 2016", "record", None, {"since": 2016, "lowest": True}),
        ("3 of 44", "rank", 3, {"of": 44}),
        ("43.1 per cent", "percent", 43.1, {"decimals": 1}),
    ],
)
def test_the_other_claimed_forms(text, unit, value, extra):
    c = claims.Claimed.parse(text)
    assert (c.unit, c.value) == (unit, value)
    assert {k: getattr(c, k) for k in extra} == extra
    if c.side == "below":
        assert value - 1 in c.printed_band() and value not in c.printed_band()


@pytest.mark.parametrize("text", ["43.1", "lots", "1 in 0", "12.5 (approx)", "", "two in one", "a great many"])
def test_unreadable_claimed_values(text):
    with pytest.raises(ValueError):
        claims.Claimed.parse(text)


# ------------------------------------------------------------------------------------- the articles, proven
YEARS = range(2015, 2021)
FYS = [fy_label(y) for y in range(2014, 2021)]
CHESHIRE = {
    2015: (70_000, 9_100, 7_000),
    2016: (72_000, 14_400, 12_000),
    2017: (74_000, 18_500, 15_000),
    2018: (76_000, 25_080, 21_000),
    2019: (80_000, 30_720, 26_000),
    2020: (81_842, 35_301, 30_758),
}
DERBYSHIRE = {
    2015: (70_000, 2_800, 2_000),
    2016: (72_000, 5_760, 4_500),
    2017: (74_000, 11_100, 9_000),
    2018: (76_000, 15_200, 12_500),
    2019: (78_000, 20_514, 17_000),
    2020: (80_204, 23_489, 20_189),
}
EW = {
    2015: (3_000_000, 384_000, 300_000),
    2016: (3_100_000, 558_000, 440_000),
    2017: (3_200_000, 672_000, 530_000),
    2018: (3_300_000, 759_000, 600_000),
    2019: (3_400_000, 853_400, 680_000),
    2020: (3_500_000, 959_000, 786_380),
}


def article_frames(gmp_gap=True):
    """SYNTHETIC quarters whose calendar-year totals are the articles' figures (every police force)."""
    targets = {}
    rest = [f.name for f in forces.POLICE_FORCES if f.name not in ("Cheshire", "Derbyshire", "Greater Manchester")]
    for y in YEARS:
        targets[("Cheshire", y)], targets[("Derbyshire", y)] = CHESHIRE[y], DERBYSHIRE[y]
        targets[("Greater Manchester", y)] = (100_000, 90_000, 80_000)  # wildly different: must be excluded
        remainder = [e - c - d for e, c, d in zip(EW[y], CHESHIRE[y], DERBYSHIRE[y])]
        for i, force in enumerate(rest):
            targets[(force, y)] = tuple(r // len(rest) + (r % len(rest) if i == 0 else 0) for r in remainder)
    frames = synthetic.from_calendar_totals(targets, FYS)
    if gmp_gap:  # GMP could not supply July 2019 - March 2020
        f = frames["2019/20"]
        frames["2019/20"] = f[~((f.force_name == "Greater Manchester") & f.financial_quarter.isin([2, 3, 4]))]
    return frames


def shift(frames, amount, fy="2020/21", quarter=2, force="Cheshire", outcome="16"):
    f = frames[fy].copy()
    sel = (f.force_name == force) & (f.financial_quarter == quarter) & (f.outcome_type == outcome)
    f.loc[sel, "closed"] = f.loc[sel, "closed"].astype(int) + amount
    return {**frames, fy: f}


def article_audit(tmp_path, frames) -> tuple[pd.DataFrame, dict, measures.Dataset]:
    """The articles' registry audited on SYNTHETIC data: (the audit table by id, the findings by id, the dataset)."""
    _result, manifest_path, _ = build_synthetic(tmp_path, frames, edition="synthetic-articles")
    regs = claims.load_all([paths.input_file("registries").parent / "articles-2021.yaml"])
    ds = measures.Dataset.load("synthetic-articles")
    audit = claims.audit(regs, ds, manifest.load(manifest_path))
    table = claims_text.table(audit, {}, {}).set_index("id")
    return table, {f.claim.id: f for f in audit.findings}, ds


def test_every_article_claim_is_reproduced_when_the_data_make_it_true(tmp_path):
    audit, found, _ = article_audit(tmp_path, article_frames())
    registry = claims.load(paths.input_file("registries").parent / "articles-2021.yaml")
    dataset = [c.id for c in registry.claims if c.kind != "external"]
    assert len(dataset) == 31 and len(registry.claims) == 36
    assert audit.loc[dataset, "verdict"].eq("reproduced").all(), audit.loc[dataset, ["verdict", "reason"]]
    assert (
        audit.loc[[c.id for c in registry.claims if c.kind == "external"], "verdict"].eq("not from this dataset").all()
    )
    rate = audit.loc["cheshire-vdns-rate-2020"]
    assert rate["computed_text"] == "43.1%"
    assert rate["computed"] == pytest.approx(100 * 35_301 / 81_842, rel=1e-12)  # exact, not rounded
    assert (rate["numerator_value"], rate["denominator_value"]) == (35_301, 81_842)
    assert audit.loc["derbyshire-suspect-share-2020", "computed_text"] == "86%"  # 20,189 / 23,489 = 85.95%
    # the articles' England and Wales leaves Greater Manchester out in every year
    ew = found["cheshire-ew-vdns-rate-2020"]
    assert ew.claim.query.area.exclude == ("Greater Manchester",) and ew.left_out == []
    assert (ew.numerator, ew.denominator) == (959_000, 3_500_000)
    assert audit.loc["cheshire-ew-vdns-rate-2020", "area"] == "England and Wales (without Greater Manchester)"
    gmp = found["cheshire-ew-gmp-excluded"]
    # calendar 2020 is 2019/20 Q4 + 2020/21 Q1-Q3: only the quarter inside the claim's period is named
    assert gmp.missing == [measures.Gap("2019/20", 4, "missing", ("Greater Manchester",))]
    assert audit.loc["cheshire-ew-gmp-excluded", "computed_text"] == "incomplete"
    assert audit.loc["cheshire-ew-gmp-excluded", "reason"] == (
        "Greater Manchester lacks data in calendar 2020: Greater Manchester's data for January to March 2020 "
        "(2019/20 Q4) has no rows."
    )


def test_england_and_wales_follows_the_data(tmp_path):
    """Every force by default; a force without data in a quarter of the period is left out of that period only."""
    _, _, ds = article_audit(tmp_path, article_frames())
    gmp = 100_000  # Greater Manchester's offences closed in every calendar year of article_frames

    def ew(year, **kw):
        return ds.evaluate(measures.Query(measures.Area.of(measures.EW, **kw), Period.calendar(year)))

    assert (ew(2018).numerator, ew(2018).left_out) == (EW[2018][0] + gmp, [])  # complete: GMP is in
    assert ew(2018, exclude=measures.ARTICLES_EXCLUDE).numerator == EW[2018][0]
    # GMP could not supply 2019/20 Q2-Q4: calendar 2019 and 2020 leave it out, and say so
    r = ew(2019)
    assert r.computable and r.numerator == EW[2019][0]
    assert r.left_out == [
        measures.Gap("2019/20", q, "missing", ("Greater Manchester",)) for q in (2, 3)
    ]  # calendar 2019 ends with 2019/20 Q3
    assert "Greater Manchester" not in r.forces and len(r.forces) == len(forces.POLICE_FORCES) - 1
    r = ew(2020)
    assert (r.numerator, r.left_out) == (EW[2020][0], [measures.Gap("2019/20", 4, "missing", ("Greater Manchester",))])
    # a force's own figure is not computable for such a period
    own = ds.evaluate(measures.Query(measures.Area.of("Greater Manchester"), Period.calendar(2020)))
    assert not own.computable and own.missing == r.left_out


def test_a_small_shift_is_revised_a_large_one_differs_and_a_gap_is_not_verifiable(tmp_path):
    revised = [
        "cheshire-closed-2020",
        "cheshire-vdns-count-2020",
        "cheshire-vdns-rate-2020",
        "cheshire-suspect-count-2020",
    ]
    small, _, _ = article_audit(tmp_path / "small", shift(article_frames(), 500))
    assert small.loc[revised, "verdict"].eq("revised").all(), small.loc[revised, ["verdict", "reason"]]
    assert small.loc["cheshire-vdns-rate-2020", "computed_text"] == "43.5%"  # 35,801 / 82,342 = 43.48%
    assert small.loc["cheshire-closed-2020", "difference"] == 500
    assert small.loc["cheshire-closed-2020", "difference_text"] == "500 more than printed (0.6%)"
    large, _, _ = article_audit(tmp_path / "large", shift(article_frames(), 5_000))
    assert large.loc[revised, "verdict"].eq("differs").all()
    frames = article_frames()
    f = frames["2020/21"]
    frames["2020/21"] = f[~((f.force_name == "Cheshire") & (f.financial_quarter == 2))]
    gap, found, _ = article_audit(tmp_path / "gap", frames)
    assert gap.loc["cheshire-closed-2020", "verdict"] == "not verifiable"
    assert found["cheshire-closed-2020"].missing == [measures.Gap("2020/21", 2, "missing", ("Cheshire",))]
    assert (
        "Cheshire's data for July to September 2020 (2020/21 Q2) has no rows"
        in gap.loc["cheshire-closed-2020", "reason"]
    )
    # the nearest computable figure, for its own period
    near = gap.loc["cheshire-closed-2020"]
    assert (near["nearest_period"], near["nearest_text"]) == ("calendar 2019", f"{CHESHIRE[2019][0]:,}")
    assert gap.loc["cheshire-vdns-rate-2019", "verdict"] == "reproduced"


# ------------------------------------------------------------------------------------- bad registries
GOOD = """
articles: {a: {title: t, url: 'https://example.org/a'}}
claims:
  - {id: x, article: a, quote: q, area: Cheshire, period: calendar 2018, numerator: [14, 16], denominator: all,
     claimed: '36.5%'}
"""


@pytest.mark.parametrize(
    "change,message",
    [
        (("claimed: '36.5%'", "claimed: '36.5%', colour: red"), r"claim 'x': unknown field\(s\) 'colour'"),
        (("claimed: '36.5%'", "claimed: '36.5%', peroid: x"), r"'peroid' \(did you mean 'period'\?\)"),
        (
            ("area: Cheshire", "area: Chesire"),
            r"claim 'x', field 'area': unknown police force 'Chesire'\. Close matches: Cheshire",
        ),
        (
            ("period: calendar 2018", "period: spring 2018"),
            r"claim 'x', field 'period': period 'spring 2018' not understood",
        ),
        (
            ("claimed: '36.5%'", "claimed: 'a great many'"),
            r"claim 'x', field 'claimed': claimed figure 'a great many'",
        ),
        ((", denominator: all", ""), r"claim 'x', field 'denominator': the claimed '36\.5%' is a rate or share"),
        (("numerator: [14, 16]", "numerator: [14, 99]"), r"field 'numerator': 99 is not an outcome type \(0 to 22"),
        (("article: a,", "article: b,"), r"claim 'x', field 'article': 'b' is not listed under articles"),
        (("area: Cheshire", "area: Action Fraud"), r"'Action Fraud' is a central fraud reporting body"),
        (
            ("claimed: '36.5%'", "claimed: '36.5%', tolerance: {points: lots}"),
            r"claim 'x', field 'tolerance.points': 'lots' is not of type 'number'",
        ),
        (
            ("claimed: '36.5%'", "claimed: '36.5%', tolerance: {relative: 0.1, later: 2}"),
            r"claim 'x', field 'tolerance.later': must be smaller than or equal to 1",
        ),
        (
            ("claimed: '36.5%'", "claimed: '36.5%', tolerance: {points: -1}"),
            r"'tolerance.points': -1 is less than the minimum of 0",
        ),
        (
            ("articles:", "defaults: {tolerance: {percent: {pts: 1}}}\narticles:"),
            r"mine\.yaml: defaults\.tolerance\.percent: unknown field\(s\) 'pts' \(did you mean 'points'\?\)",
        ),
        (
            ("claimed: '36.5%'", "claimed: '36.5%', exclude: [Kent]"),
            r"claim 'x', field 'exclude': only an England and Wales area, a rank or a comparison with England and "
            r"Wales leaves forces out",
        ),
    ],
)
def test_bad_registries_name_file_claim_and_field_and_write_nothing(tmp_path, sample_root, change, message):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD.replace(*change))
    out = tmp_path / "out"
    with pytest.raises(DataError, match=message):
        audit_own(path, out)
    assert not out.exists()


def test_duplicate_ids_and_offences_not_in_the_edition(tmp_path, sample_root):
    path = tmp_path / "dup.yaml"
    path.write_text(
        GOOD + "  - {id: x, article: a, quote: q, area: Kent, period: calendar 2018, numerator: all, claimed: '5'}\n"
    )
    with pytest.raises(DataError, match=r"dup\.yaml: claim 'x', field 'id': duplicate id 'x'"):
        audit_own(path, tmp_path / "o")
    for scope, message in (
        (["code", "28X"], "offence code '28X' is not in the data; the nearest: 28, 28H, 28G, 28F, 28E"),
        (["group", "Robery"], "offence group 'Robery' is not in the data; the nearest: Robbery"),
        (["subgroup", "Rap"], "offence subgroup 'Rap' is not in the data; the nearest: Rape"),
    ):
        path.write_text(GOOD.replace("numerator:", f"offences: {{{scope[0]}: {scope[1]}}}, numerator:"))
        said = re.escape(f"claim 'x', field 'offences': {message} (the list of measures names every one)")
        with pytest.raises(DataError, match=said):
            audit_own(path, tmp_path / "o")
        assert not (tmp_path / "o").exists()


def test_edge_claims_on_the_real_sample(tmp_path, sample_root):
    """A claimed 0, an exclude written as one name, a record 'since' after its own year, and a record whose
    denominator is 0 in every year each get a verdict and a reason, not a crash."""
    path = tmp_path / "edge.yaml"
    path.write_text(
        """
articles: {a: {title: t, url: 'https://example.org/a'}}
claims:
  - {id: zero, article: a, quote: q, area: Cheshire, period: financial year 2018/19, numerator: [18],
     offences: {code: '8L'}, claimed: '0'}
  - {id: one-name, article: a, quote: q, area: England and Wales, exclude: Greater Manchester,
     period: financial year 2018/19, numerator: all, claimed: '4,780,690'}
  - {id: since-later, article: a, quote: q, area: Cheshire, period: calendar 2018, numerator: [14, 16],
     denominator: all, claimed: highest since 2019}
  - {id: never, article: a, quote: q, area: Cheshire, period: calendar 2018, numerator: [18],
     denominator: [18], offences: {code: '8L'}, claimed: highest since 2015}
"""
    )
    result = audit_own(path, tmp_path / "o")
    table = csvfile.read_csv(result / "claims_audit.csv", dtype=str, keep_default_na=False).set_index("id")
    zero = table.loc["zero"]
    assert (zero["verdict"], zero["computed"], zero["difference"]) == ("differs", "275", "275")
    # a printed 0 stands for exactly 0; the band for revised data is at least one unit wide
    assert (zero["printed_band"], zero["revised_band"]) == ("exactly 0", "-1 to 1")
    assert (
        "outcome type 18 = 275, which prints as 275, 275 more than printed: outside what 0 can stand for"
        in (zero["reason"])
    )
    one = table.loc["one-name"]
    assert one["area"] == "England and Wales (without Greater Manchester)"
    assert (one["verdict"], one["computed"], one["computed_text"]) == ("reproduced", "4780690", "4,780,690")
    assert table.loc["since-later", "verdict"] == "differs"
    assert "comes before 2019" in table.loc["since-later", "reason"]
    assert table.loc["never", "verdict"] == "not verifiable"


# ------------------------------------------------------------------------------------- the real sample edition
def expected_verdict(
    claimed: str,
    computed: float,
    relative: float = 0.02,
    points: float = 0.5,
    rate_share: float = 0.05,
    later: str = "",
    share: float = 0.6,
) -> str:
    """The verdict for a computed value, from the rules of docs/methods.md written out here (not the program's):
    the printed band is what prints as the claimed text (half up); the band for revised data widens it by 2% of a
    count (at least 1), or by the smaller of 5% of a rate and half a point; `later` (up or down): the story took the
    figure from an earlier release and later data move it that way, so a value on that side within `share` of the
    printed figure is revised. Exact counts, percentages and "1 in N" (the registries' forms)."""
    text = claimed.replace(",", "")
    one_in = re.fullmatch(r"(?i)(?:1|one) in (\d+(?:\.\d+)?)", text)
    number = re.fullmatch(r"(\d+(?:\.\d+)?)(%?)", text)
    digits = (one_in or number).group(1)
    value, unit = float(digits), 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)
    if one_in:  # a rate: 100 / (N + half a unit) < x <= 100 / (N - half a unit)
        lo, hi, target = 100 / (value + unit / 2), 100 / (value - unit / 2), 100 / value
        printed = lo < computed <= hi
    elif number.group(2):  # a percentage
        lo, hi, target = value - unit / 2, value + unit / 2, value
        printed = lo <= computed < hi
    else:  # a count: exactly
        lo = hi = target = value
        printed = computed == value
    if printed:
        return "reproduced"
    widen = max(relative * value, 1.0) if lo == hi else min(points, rate_share * target)
    if lo == hi:
        inside = lo - widen <= computed <= hi + widen
    elif one_in:
        inside = lo - widen < computed <= hi + widen
    else:
        inside = lo - widen <= computed < hi + widen
    if later and not inside:
        up, down = target < computed <= target * (1 + share), target * (1 - share) <= computed < target
        inside = up if later == "up" else down
    return "revised" if inside else "differs"


def check_computed_claims(audit: pd.DataFrame, out) -> None:
    """Every computed claim: its raw rows re-add to its numerator and denominator, its value is the ratio of the
    two (or the count), and its verdict follows from the rules (expected_verdict)."""
    computed = audit[audit["computed"] != ""]
    assert len(computed)
    for cid, row in computed.iterrows():
        rows = pd.read_csv(out / row["rows_file"])
        count = rows.filter(like="_count").iloc[:, 0]
        num = int(row["numerator_value"])
        assert (count * rows["in_numerator"]).sum() == num, cid
        if row["denominator_value"]:
            den = int(row["denominator_value"])
            assert (count * rows["in_denominator"]).sum() == den, cid
            assert float(row["computed"]) == pytest.approx(100 * num / den, rel=1e-12), cid
        else:
            assert float(row["computed"]) == num, cid
        editions = re.split(r" and |, ", row["edition_release"].replace("re-issues", "re-issue"))
        earlier = row["story_release"] and claims.release_date(row["story_release"]) < min(
            claims.release_date(r) for r in editions
        )
        later = row["later_data_move"] if earlier else ""
        assert row["verdict"] == expected_verdict(row["claimed"], float(row["computed"]), later=later), cid


def test_expected_verdict_follows_the_documented_rules():
    assert [expected_verdict("84%", x) for x in (83.5, 84.49, 83.0, 84.99, 82.99, 85.0)] == [
        "reproduced",
        "reproduced",
        "revised",
        "revised",
        "differs",
        "differs",
    ]
    assert [expected_verdict("3%", x) for x in (2.35, 3.64, 2.3, 1.6)] == ["revised", "revised", "differs", "differs"]
    assert [expected_verdict("18", x) for x in (18, 17, 19, 16)] == ["reproduced", "revised", "revised", "differs"]
    assert [expected_verdict("5,523", x) for x in (5_633, 5_634)] == ["revised", "differs"]
    assert [expected_verdict("1 in 24", 100 / n) for n in (23.5, 24.49, 25.8, 22.41, 25.83)] == [
        "reproduced",
        "reproduced",
        "revised",
        "revised",
        "differs",
    ]
    # a figure from an earlier release that later data move up: higher is revised up to 60% above the printed one
    assert [expected_verdict("72%", x, later="up") for x in (76.5, 115.2, 70.0)] == ["revised", "revised", "differs"]


def test_the_shared_examples_on_the_real_mirror(tmp_path, sample_root):
    """The 39 example claims (6 stories) on the real 2017/18 and 2018/19 data."""
    if not EXAMPLES.is_file():
        pytest.skip("../shared/published-claims is not available")
    out = audit_own(EXAMPLES, tmp_path / "examples")
    audit = csvfile.read_csv(out / "claims_audit.csv", keep_default_na=False, dtype=str).set_index("id")
    # cambridgeshire-2019-rape-2 (printed 18, computed 17) is revised: the band for revised data is at least 1 wide
    assert audit["verdict"].value_counts().to_dict() == {"reproduced": 29, "revised": 9, "differs": 1}
    expected = {
        "kentonline-2018-09-burglary-1": ("reproduced", 6742),
        "kentonline-2018-09-burglary-2": ("revised", 5534),
        "kentonline-2018-09-burglary-7": ("reproduced", 13586),
        "west-mercia-2018-10-rape-charge-1": ("revised", 262),
        "west-mercia-2018-10-rape-charge-2": ("reproduced", 17),
        "lancashire-2019-02-victim-no-support-2": ("reproduced", 42.61),
        "cambridgeshire-2019-rape-1": ("differs", 697),
        "cambridgeshire-2019-rape-2": ("revised", 17),
        "cambridgeshire-2019-rape-3": ("reproduced", 34.58),
        "west-mercia-2019-06-community-resolutions-1": ("reproduced", 1.92),
        "west-mercia-2019-06-community-resolutions-6": ("revised", 812),
        "humberside-2020-02-burglary-2": ("reproduced", 75.87),
        "humberside-2020-02-burglary-6": ("reproduced", 5.8),
    }
    for cid, (verdict, computed) in expected.items():
        got = audit.loc[cid]
        assert got["verdict"] == verdict, cid
        assert float(got["computed"]) == pytest.approx(computed, abs=0.005), cid  # exact in the file
    assert audit.loc["cambridgeshire-2019-rape-3", "computed_text"] == "35%"
    assert audit.loc["kentonline-2018-09-burglary-2", "difference_text"] == "11 more than printed (0.2%)"
    check_computed_claims(audit, out)


def test_the_projects_registries_on_the_sample_edition(sample_root):
    out = paths.reports_dir("sample") / "claims"
    audit = csvfile.read_csv(out / "claims_audit.csv", keep_default_na=False, dtype=str)
    assert {"id", "article", "verdict", "computed", "claimed", "difference", "reason"} <= set(audit.columns)
    articles = audit[audit["registry"] == "articles-2021.yaml"]
    assert articles["verdict"].value_counts().to_dict() == {"not verifiable": 31, "not from this dataset": 5}
    nearest = articles.set_index("id")
    # the nearest figure the sample can give, at the claim's precision (Cheshire, calendar 2018: 33,872 / 92,811)
    assert nearest.loc["cheshire-closed-2020", ["nearest_period", "nearest_text"]].tolist() == [
        "calendar 2018",
        "92,811",
    ]
    assert nearest.loc["cheshire-vdns-rate-2020", "nearest_text"] == "36.5%"
    assert float(nearest.loc["cheshire-vdns-rate-2020", "nearest_computed"]) == pytest.approx(100 * 33_872 / 92_811)
    assert nearest.loc["derbyshire-closed-2020", "nearest_text"].startswith("51,099")
    assert "current edition" in nearest.loc["cheshire-closed-2020", "edition_to_check"]
    not_verifiable = nearest[nearest["verdict"] == "not verifiable"]
    assert not_verifiable["nearest_text"].ne("").all() and not_verifiable["edition_to_check"].ne("").all()
    assert nearest.loc["cheshire-ew-gmp-excluded", ["nearest_period", "nearest_text"]].tolist() == [
        "calendar 2018",
        "complete",
    ]
    published = audit[audit["registry"] == "published-2018-2020.yaml"].set_index("id")
    assert len(published) == 128
    assert published["verdict"].value_counts().to_dict() == {
        "reproduced": 78,
        "revised": 42,  # 11 of them differ from the re-issue the way later data move them (July 2018 release)
        "differs": 5,
        "not verifiable": 3,
    }
    check_computed_claims(published, out)  # each of the 125 verdicts, from the rules and the raw rows
    assert published["quote"].str.len().gt(20).all()
    # only the earlier years two sentences compare with (April-September 2016, 2014-15) are outside the sample
    earlier = published[published["verdict"] == "not verifiable"]
    assert sorted(earlier.index) == [
        "eands-2019-02-victim-no-support-4",
        "lancashire-2019-02-victim-no-support-5",
        "west-mercia-2019-06-community-resolutions-15",
    ]
    assert earlier["edition_to_check"].str.contains("current edition").all()
    page = (out / "index.html").read_text()
    assert page.count('class="verdict v-') >= len(audit) and "What the verdicts mean" in page
    assert page.count('href="rows/') == audit["rows_file"].ne("").sum()  # every computed claim's rows
    assert published["rows_file"].ne("").sum() == 125
    # the nearest figure in its own field, with its period and the exact value it states
    assert '<data value="92811">92,811</data> <small>(calendar 2018)</small>' in page
    # one card per sentence: a quote with three figures is written once, its figures under it
    kent = published.loc["kentonline-2018-09-burglary-1", "quote"]
    assert page.count(kent.replace("'", "&#x27;")) == 1 and page.count('<li class="claim"') == len(
        audit.groupby(["article", "quote"])
    )
    card = page[page.index('id="northumbria-2018-09-burglary-1"') :]
    card = card[: card.index("</li>")]
    # the documented alternative, side by side: the recorded basis the PA analysis used against the closed basis
    assert '<div class="readings">' in card and "3,502" in card and "3,386" in card and "closed basis" in card


def test_bulletin_figures_are_revisions_the_way_later_data_move_them(sample_root):
    """The national figures reports printed from the July 2018 and July 2019 bulletins, on the sample edition's
    later re-issues: every one the sample can compute differs the way later extracts move it (more outcomes
    assigned, fewer without one), and its reason names both releases and that direction."""
    audit = csvfile.read_csv(paths.reports_dir("sample") / "claims" / "claims_audit.csv", keep_default_na=False)
    bulletins = audit[audit["registry"] == "bulletins-2018-2019.yaml"].set_index("id")
    computed = bulletins[bulletins["verdict"] != "not verifiable"]
    assert len(computed) == 20 and computed["verdict"].value_counts().to_dict() == {"revised": 19, "reproduced": 1}
    assert set(bulletins.loc[bulletins["verdict"] == "not verifiable", "years_needed"]) <= {
        "2014/15",
        "2016/17, 2017/18",
    }
    for cid, row in computed[computed["verdict"] == "revised"].iterrows():
        if row["later_data_move"]:  # the charge, outcome-group and not-yet-assigned figures: a known direction
            assert row["story_release"] in row["reason"] or "each value judged" in row["reason"].lower(), cid
            assert "re-issue of around" in row["reason"], cid
            assert "as a later release's would be" in row["reason"], cid
    rape = bulletins.loc["guardian-2019-07-rape-charge-rate-1"]
    assert (rape["claimed"], rape["computed_text"], rape["later_data_move"]) == ("1 in 65", "1 in 45", "up")
    assert (
        "The story used the July 2019 release, earlier than this edition's re-issue of around January 2020"
        in (rape["reason"])
    )
    unassigned = bulletins.loc["brettwilson-2019-07-prosecutions-11"]
    assert (unassigned["claimed"], unassigned["computed_text"], unassigned["later_data_move"]) == (
        "a third",
        "14.6%",
        "down",
    )
    total = bulletins.loc["parliament-2018-charge-rate-1"]  # offences recorded barely move: no direction, 2% either way
    assert (total["computed_text"], total["verdict"], total["later_data_move"]) == ("4,878,000", "revised", "")
    change = bulletins.loc["wiredgov-2019-07-bulletin-1"]
    assert (change["computed_text"], change["change_from"]) == ("from 10% to 9%", "financial year 2017/18")
    assert (
        "The story used the July 2018 release, earlier than this edition's re-issue of around April 2019"
        in (change["reason"])
    )


#: figures in registered sentences that are not claims, and why
NOT_FIGURES = {
    "the three types of offences": "a count of offence types, not a figure from the table",
    "less than four per cent": "a bound on a percentage: 'fewer than N' is a form for counts (Staffordshire: 3.61%)",
}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def figures_in(quote: str) -> list[str]:
    """The checkable figures a sentence prints, as a registry writes them: '5,523', '82%', '1 in 24'."""
    for phrase in NOT_FIGURES:
        quote = quote.replace(phrase, " ")
    quote = re.sub(r"\b(?:19|20)\d\d(?:-\d\d)?\b|\b12 months\b", " ", quote)  # years, "2014-15"
    found = [f"1 in {n}" for n in re.findall(r"(?i)\b(?:one|1) in (?:every )?(\d+)", quote)]
    quote = re.sub(r"(?i)\b(?:one|1) in (?:every )?\d+", " ", quote)
    words = "|".join(NUMBER_WORDS)
    for number, percent in re.findall(rf"(?i)\b(\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{words})\b)\s*(%|per ?cent)?", quote):
        found.append(str(NUMBER_WORDS.get(number.lower(), number)) + ("%" if percent else ""))
    return found


def test_every_figure_of_every_registered_sentence_is_registered():
    registry = claims.load(paths.input_file("registries").parent / "published-2018-2020.yaml")
    registered: dict[str, set[str]] = {}
    for claim in registry.claims:
        registered.setdefault(claim.quote, set()).add(claim.claimed.text)
    missing = {quote[:80]: [f for f in figures_in(quote) if f not in got] for quote, got in registered.items()}
    assert {quote: figs for quote, figs in missing.items() if figs} == {}
    assert figures_in("Just 64, or six per cent, of them; one in every 24 of the 2,998 in 2014-15; 83per cent") == [
        "1 in 24",
        "64",
        "6%",
        "2,998",
        "83%",
    ]
    # a reading where it is approximate: people are not offences
    people = [c for c in registry.claims if " people " in c.quote]
    assert people and all("offences, not people" in c.reading for c in people)


def test_a_users_own_registry_goes_to_its_own_folder(tmp_path, sample_root):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    out = audit_own(path, tmp_path / "mine")
    audit = csvfile.read_csv(out / "claims_audit.csv").set_index("id")
    assert audit.loc["x", "verdict"] == "reproduced" and audit.loc["x", "computed_text"] == "36.5%"
    assert audit.loc["x", "computed"] == pytest.approx(100 * 33_872 / 92_811, rel=1e-12)  # exact: Cheshire 2018
    assert not (paths.reports_dir("sample") / "claims-mine").exists()
