"""The story template's wording for each case, on versions made by hand (exact counts chosen for the case): a sharp
or modest rise, a fall, no change at the printed precision, a record, above, below or level with England and Wales,
a rank with a tie, small numbers, data that cannot be used, a quarter that looks incomplete, different releases,
and English for every police force. The spec loader's errors are one line naming the file and the field.

The stories run on the real sample (every figure audited, the back-tests) are in test_site.py."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from crimeoutcomes.analysis import measures as m
from crimeoutcomes.analysis import stories
from crimeoutcomes.analysis.periods import Period
from crimeoutcomes.data import derive
from crimeoutcomes.data import forces as forces_mod
from crimeoutcomes.errors import DataError
from crimeoutcomes.publish import numbers, story

DS = SimpleNamespace(build={"release": "2019 release"}, edition="test", release="2019 release")
RELEASES = {"2017/18": "2018 release", "2018/19": "2018 release"}  # one release: no revisions sentence


def spec(tmp_path, text: str) -> stories.Spec:
    name = re.search(r"^id: (\S+)", text, re.M).group(1)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return stories.load(path)


RATE_SPEC = """id: test-rate
title: Offences closed because the victim did not support action
measure: {basis: closed, numerator: [14, 16], denominator: all}
period: calendar 2018
noun: offences
"""


def point(area: str, period: Period, num: int, den: int | None, missing=(), caveats=()) -> stories.Point:
    a = m.Area.of(area)
    q = m.Query(a, period, "closed", m.OffenceScope("all"), m.OutcomeSet.parse([14, 16]), m.OutcomeSet("all"))
    return stories.Point(a, period, num, den, m.Result(q, num, den, list(missing), list(caveats)))


def version(
    s: stories.Spec,
    force="Kent",
    now=(300, 1000),
    before=(250, 1000),
    ew=(2000, 10000),
    rank=(5, 44, False),
    series=None,
    now_caveats=(),
    missing=(),
) -> stories.Version:
    p = Period.calendar(2018)
    earlier = p.shifted(-1)
    name = forces_mod.resolve(force).name
    mine = point(name, p, *now, missing=missing, caveats=now_caveats)
    prev = point(name, earlier, *before) if before else point(name, earlier, 0, 0, missing=[_gap(earlier)])
    ew_now = point(m.EW, p, *ew)
    ew_before = point(m.EW, earlier, *ew)
    history = series if series is not None else [prev, mine]
    return stories.Version(
        s, forces_mod.resolve(force), p, mine, ew_now, prev, ew_before, history, *rank[:2], 44, rank[2], {}
    )


def _gap(period: Period) -> m.Gap:
    fy, q = period.quarters[0]
    return m.Gap(fy, q, m.NOT_IN_EDITION)


def text(v) -> str:
    return story.write(v, DS, RELEASES).markdown()


def test_a_sharp_rise_and_above_england_and_wales(tmp_path):
    t = text(version(spec(tmp_path, RATE_SPEC)))
    assert t.startswith("# 30.0% of offences closed by Kent Police in 2018 were closed because the victim")
    assert "up from 25.0% in 2017, a sharp rise" in t  # 5.0 points: the default threshold
    assert "Kent Police's rate was higher than the national rate" in t
    assert "Of the 1,000 offences closed by Kent Police in 2018, 300 " in t  # the counts behind the rate


def test_a_modest_fall_below_and_the_same(tmp_path):
    s = spec(tmp_path, RATE_SPEC)
    assert "down from 31.0% in 2017, a modest fall" in text(version(s, before=(310, 1000)))
    assert "rate was lower than the national rate" in text(version(s, now=(150, 1000)))
    # 30.04% and 29.96% both print as 30.0%: the same at the printed precision, whatever the exact values
    same = text(version(s, now=(3004, 10000), before=(2996, 10000)))
    assert "the same as in 2017" in same and "rise" not in same and "fall" not in same
    level = text(version(s, now=(2004, 10000), ew=(2000, 10000)))
    assert "rate was the same as the national rate" in level


def test_a_record_high_needs_three_years_and_strictly_the_highest(tmp_path):
    s = spec(tmp_path, RATE_SPEC)
    p = Period.calendar(2018)
    years = [point("Kent", p.shifted(-k), n, 1000) for k, n in ((2, 200), (1, 250))]
    now = point("Kent", p, 300, 1000)
    assert "the highest of the 3 years the data cover, back to 2016" in text(version(s, series=[*years, now]))
    tied = [point("Kent", p.shifted(-2), 300, 1000), years[1], now]
    assert "highest of the" not in text(version(s, series=tied))  # a tie is no record
    assert "highest of the" not in text(version(s, series=[years[1], now]))  # two years are not a record


def test_ranks_are_said_in_words_and_ties_as_ties(tmp_path):
    s = spec(tmp_path, RATE_SPEC)
    assert "It was the highest rate of the 44 police forces." in text(version(s, rank=(1, 44, False)))
    assert "It was the third highest rate" in text(version(s, rank=(3, 44, False)))
    assert "It was the lowest rate of the 44 police forces." in text(version(s, rank=(44, 44, False)))
    assert "It was the 40th lowest rate" not in text(version(s, rank=(40, 44, False)))
    assert "It was the fifth lowest rate" in text(version(s, rank=(40, 44, False)))
    tie = text(version(s, rank=(3, 44, True)))
    assert "It was the joint third highest rate" in tie and "level with another force" in tie
    fewer = text(version(s, rank=(3, 40, False)))
    assert "of the 40 police forces with enough data to compare" in fewer


def test_small_numbers_give_no_rate_and_say_fewer_than_ten(tmp_path):
    s = spec(tmp_path, RATE_SPEC)
    t = text(version(s, now=(4, 30), before=(3, 30)))
    assert "%" not in t.split("Across")[0]  # no rate on 30 offences
    assert "# Fewer than ten offences closed by Kent Police in 2018 were closed" in t
    assert "Of the 30 offences closed by Kent Police in 2018, fewer than ten were closed" in t
    w = story.write(version(s, now=(4, 30), before=(3, 30)), DS, RELEASES)
    below = [f for f in w.figures if f.claim["claimed"] == "fewer than 10"]
    assert below and below[0].printed == "ten" and below[0].printed.value == 10  # audited as a claim


def test_data_that_cannot_be_used_give_no_figure_and_say_why(tmp_path):
    s = spec(tmp_path, RATE_SPEC)
    gap = m.Gap("2018/19", 2, derive.COVERAGE_MISSING, ("Kent",))
    v = version(s, missing=[gap])
    w = story.write(v, DS, RELEASES)
    assert not w.ready and w.figures == []
    assert "No figure can be given for Kent Police for 2018" in w.markdown()
    assert "July to September 2018" in w.markdown()
    no_prev = text(version(s, before=None))
    assert "It cannot be compared with 2017: the data for January to March 2017 are not in this edition." in no_prev


def test_a_quarter_of_the_force_that_looks_incomplete_is_said_in_the_sentence_that_leads_with_its_total(tmp_path):
    s = spec(tmp_path, RATE_SPEC)
    low = m.Flag(m.LOW, "Kent", "2018/19", 1, total=100, usual=300)
    t = text(version(s, now_caveats=[low]))
    head, intro = t.splitlines()[0], t.splitlines()[2]
    assert head.endswith("though its figures for April to June 2018 look incomplete")
    assert "(a total that includes April to June 2018, when its figures look incomplete)" in intro
    assert "Caveats:" not in t  # the force's own quarter is said in its sentences, not again as a caveat


def test_different_releases_are_said(tmp_path):
    s = spec(tmp_path, RATE_SPEC)
    w = story.write(version(s), DS, {"2017/18": "2018 release", "2018/19": "2019 release"})
    assert "the two years come from different releases of the data" in w.markdown()
    assert "open data tables, 2018 and 2019 releases (Open Government Licence" in w.markdown()
    one = story.write(version(s), DS, RELEASES).markdown()  # both years from the 2018 release (the build says 2019)
    assert "open data tables, 2018 release (Open Government Licence" in one
    reissues = {"2017/18": "re-issue of around April 2019", "2018/19": "re-issue of around January 2020"}
    said = story.write(version(s), DS, reissues).markdown()  # the sample edition's files, named as re-issues
    assert "open data tables, re-issues of around April 2019 and January 2020 (Open Government Licence" in said


@pytest.mark.parametrize("force", [f.name for f in forces_mod.POLICE_FORCES])
def test_english_for_every_police_force(tmp_path, force):
    s = spec(tmp_path, RATE_SPEC)
    t = text(version(s, force=force))
    prose = forces_mod.resolve(force).prose
    assert "(s)" not in t and "  " not in t and " ," not in t and " ." not in t
    assert f"by {prose} in 2018" in t
    possessive = f"{prose}'" if prose.endswith("s") else f"{prose}'s"
    assert f"{possessive} rate was" in t
    for para in [p for p in t.split("\n\n") if p and not p.startswith("#")]:
        assert para[0].isupper() and para.rstrip().endswith("."), para


def test_a_spec_template_prints_only_audited_figures(tmp_path):
    s = spec(
        tmp_path,
        RATE_SPEC.replace("id: test-rate", "id: test-template")
        + "template:\n  - '{place} closed {denominator_count} {noun} {period}; the rate was {rate}.'\n"
        + "  - 'Nationally it was {ew_rate}.'\n",
    )
    w = story.write(version(s), DS, RELEASES)
    body = w.section("body")
    assert body == "Kent Police closed 1,000 offences in 2018; the rate was 30.0%. Nationally it was 20.0%."
    claimed = [
        f.claim["claimed"]
        for f in w.figures
        if f.sentence in {i for i, x in enumerate(w.sentences) if x.section == "body"}
    ]
    assert claimed == ["1,000", "30.0%", "20.0%"]
    small = story.write(version(s, now=(4, 30)), DS, RELEASES)
    assert "the rate was" not in small.section("body")  # no rate on 30 offences: the sentence is left out


@pytest.mark.parametrize(
    "text, problem",
    [
        ("id: x\ntitle: T\nmeasure: {numerator: [14]}\n", "period: missing (required)"),
        ("id: x\ntitle: T\nmeasure: {numerator: [14]}\nperiod: calendar 20x8\n", "period"),
        ("id: y\ntitle: T\nmeasure: {numerator: [14]}\nperiod: calendar 2018\n", "must be the file's name (x.yaml)"),
        ("id: x\ntitle: T\nmeasure: {numerator: [99]}\nperiod: calendar 2018\n", "measure"),
        (
            "id: x\ntitle: T\nmeasure: {numerator: [14]}\nperiod: calendar 2018\ntemplate: ['{rat}']\n",
            "the placeholders are",
        ),
    ],
)
def test_a_bad_spec_is_one_line_naming_the_file_and_the_field(tmp_path, text, problem):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(DataError) as err:
        stories.load(path)
    message = str(err.value)
    assert "x.yaml" in message and problem in message and "\n" not in message


def test_printed_figures_keep_their_exact_values(tmp_path):
    w = story.write(version(spec(tmp_path, RATE_SPEC), now=(1, 3), before=None), DS, RELEASES)
    assert not any("%" in f.printed for f in w.figures)  # 3 offences: no rate
    w = story.write(version(spec(tmp_path, RATE_SPEC), now=(2085, 10000)), DS, RELEASES)
    rate = next(f.printed for f in w.figures if f.printed.key.startswith("rate:Kent"))
    assert rate == "20.9%" and rate.value == pytest.approx(20.85) and rate == numbers.percent(20.85)


def test_a_printed_figure_the_audit_does_not_reproduce_fails_the_step_naming_it(sample, tmp_path):
    """The stories step audits every figure a version prints: one count spoiled by hand stops it, in one line that
    names the story, the version, the figure and its verdict."""
    from crimeoutcomes import paths
    from crimeoutcomes.data import tables
    from crimeoutcomes.errors import UserError
    from crimeoutcomes.steps import stories as stories_step

    spec = stories.load(paths.CHECKOUT / "config" / "stories" / "victim-did-not-support.yaml")
    period = stories.resolve_period(spec, sample)
    releases = tables.release_of(sample.build)
    written = [
        story.write(stories.version(sample, spec, forces_mod.BY_NAME[n], period), sample, releases)
        for n in ("Kent", "Cheshire")
    ]
    ctx = SimpleNamespace(manifest=None)
    counts = stories_step._audit(spec, written, tmp_path, sample, ctx).counts()
    assert counts["reproduced"] == 26 and counts.sum() == 26  # 13 figures in each version
    spoiled = next(f for f in written[1].figures if f.claim["claimed"] == "92,811")  # Cheshire's offences closed
    spoiled.claim["claimed"] = "99,811"
    with pytest.raises(UserError) as err:
        stories_step._audit(spec, written, tmp_path, sample, ctx)
    message = str(err.value)
    assert "\n" not in message and message.startswith("story victim-did-not-support: 1 printed figure the audit")
    assert "'99,811'" in message and "cheshire" in message.lower() and "differs" in message
