"""Stories a sub-editor passes as they stand, on a hand-made SYNTHETIC edition whose counts are chosen for each case
(a force whose outcomes are incomplete in every quarter, a tie, a zero count, a nine, British Transport Police, a spec
with `exclude`, a caveat that moves the national rate one way, blank cells that move nothing), and on the spec loader:
every figure and statement read back from the printed text and audited, the house style checked, and every bad spec
field one line naming the file and the field.

The stories run on the real sample (every version, every number on every page) are in test_site.py."""

from __future__ import annotations

import functools
import os
import re

import mistune
import pandas as pd
import pytest

from crimeoutcomes.analysis import claims, quality, ranking, stories
from crimeoutcomes.analysis import measures as m
from crimeoutcomes.data import forces as forces_mod
from crimeoutcomes.data import tables
from crimeoutcomes.errors import DataError
from crimeoutcomes.publish.pages import html, story_page
from crimeoutcomes.publish.words import house_style, numbers, readback, story
from crimeoutcomes.tools import synthetic, testing

from .conftest import build_synthetic

EDITION = "synthetic-stories"
#: per force: offences closed a quarter, of them outcomes 14 + 16, offences recorded a quarter, of them no outcome yet
DEFAULT = (1000, 100, 1000, 20)
FORCES = {
    "Kent": {"2018/19": (1000, 298, 1000, 20), "2017/18": (1000, 250, 1000, 20)},
    "Lancashire": {"2018/19": (1001, 298, 1000, 20), "2017/18": (1000, 300, 1000, 20)},  # 29.77%: prints as Kent's
    "North Yorkshire": {"2018/19": (400, 40, 1000, 600), "2017/18": (400, 40, 1000, 600)},  # incomplete every quarter
    "London, City of": {"2018/19": (7, 0, 7, 0), "2017/18": (7, 1, 7, 0)},  # 28 a year, none
    "Dorset": {"2018/19": (10, None, 10, 0), "2017/18": (10, 2, 10, 0)},  # 40 a year, nine (3 + 2 + 2 + 2)
    "Avon and Somerset": {"2018/19": DEFAULT, "2017/18": DEFAULT},  # its 2018/19 Q1 looks incomplete (below)
    "British Transport Police": {"2018/19": (1000, 50, 1000, 20), "2017/18": (1000, 50, 1000, 20)},
    "Greater Manchester": {"2018/19": (1000, 400, 1000, 20), "2017/18": (1000, 400, 1000, 20)},
    "Cheshire": {"2018/19": (1000, 150, 1000, 20), "2017/18": (1000, 150, 1000, 20)},
    "Essex": {"2018/19": (1000, 120, 1000, 20), "2017/18": (1000, 110, 1000, 20)},
    "Surrey": {"2018/19": (1000, 80, 1000, 20), "2017/18": (1000, 80, 1000, 20)},
}
TYPES = ["0", "1", "14", "16", "18"]


def _counts(total: int, vdns: int, recorded: int, unassigned: int) -> tuple[dict, dict]:
    """One quarter's closed and recorded counts by outcome type (16 is three fifths of 14 + 16)."""
    c16 = vdns * 3 // 5
    charged = min(total // 10, total - vdns)
    closed = {"1": charged, "14": vdns - c16, "16": c16, "18": total - vdns - charged}
    share = (recorded - unassigned) / total if total else 0
    rec = {k: round(v * share) for k, v in closed.items()}
    rec["18"] += recorded - unassigned - sum(rec.values())
    return closed, {"0": unassigned, **rec}


def frames() -> dict[str, pd.DataFrame]:
    out = {}
    for fy in ("2017/18", "2018/19"):
        f = synthetic.grid(fy, force_names=list(FORCES), n_offences=2, outcome_types=TYPES, seed=3)
        for force, years in FORCES.items():
            for q in (1, 2, 3, 4):
                total, vdns, recorded, unassigned = years[fy]
                if force == "Dorset" and fy == "2018/19":
                    vdns = 3 if q == 1 else 2
                if force == "Avon and Somerset" and fy == "2018/19" and q == 1:
                    total, vdns, recorded = 300, 200, 300  # closed far below its usual quarter, at a high rate
                closed, rec = _counts(total, vdns, recorded, unassigned)
                main = (f["force_name"] == force) & (f["financial_quarter"] == q) & (f["offence_code"] == "S001")
                tiny = (f["force_name"] == force) & (f["financial_quarter"] == q) & (f["offence_code"] == "S002")
                for t in TYPES:
                    f.loc[main & (f["outcome_type"] == t), "recorded"] = rec[t]
                    f.loc[main & (f["outcome_type"] == t), "closed"] = closed.get(t)
                    f.loc[tiny & (f["outcome_type"] == t), "recorded"] = 1 if t in ("1", "18") else 0
                    f.loc[tiny & (f["outcome_type"] == t), "closed"] = (
                        (1 if t in ("1", "18") else 0) if t != "0" else None
                    )
        if fy == "2018/19":  # one blank cell in Essex's tiny offence: it can move no printed figure
            blank = (f["force_name"] == "Essex") & (f["financial_quarter"] == 2) & (f["offence_code"] == "S002")
            f.loc[blank & (f["outcome_type"] == "18"), "closed"] = ""
        out[fy] = f
    return out


@functools.cache
def _long() -> pd.DataFrame:
    long = pd.concat(frames().values(), ignore_index=True)
    for basis in ("closed", "recorded"):
        long[basis] = pd.to_numeric(long[basis], errors="coerce").fillna(0)
    return long


def by_hand(basis: str, types, forces=None, fy: str = "2018/19", skip=()) -> int:
    """A count summed by hand from the hand-made raw frames (every offence), for some forces (default: all)."""
    f = _long()
    sel = f[(f["financial_year"] == fy) & f["outcome_type"].isin(list(types))]
    if forces is not None:
        sel = sel[sel["force_name"].isin(forces)]
    for force, year, q in skip:
        sel = sel[~((sel["force_name"] == force) & (sel["financial_year"] == year) & (sel["financial_quarter"] == q))]
    return int(sel[basis].sum())


CLOSED = ["1", "14", "16", "18"]


def pct(num: int, den: int, decimals: int = 1) -> str:
    return str(numbers.percent(100 * num / den, decimals))


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory):
    root = testing.make_root(tmp_path_factory.mktemp("stories-root"))
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        build_synthetic(tmp_path_factory.mktemp("stories"), frames(), edition=EDITION)
        ds = m.Dataset.load(EDITION)
        ds.tidy  # noqa: B018
        yield ds
    finally:
        os.environ["CRIMEOUTCOMES_ROOT"] = before or ""


RATE = """id: {id}
title: Offences closed because the victim did not support action
measure: {{basis: closed, numerator: [14, 16], denominator: all}}
period: financial year 2018/19
"""


def spec(tmp_path, text: str = RATE, story_id: str = "test-rate", **fields) -> stories.Spec:
    body = text.format(id=story_id) + "".join(f"{k}: {v}\n" for k, v in fields.items())
    path = tmp_path / f"{story_id}.yaml"
    path.write_text(body)
    return stories.load(path)


def write(ds, s: stories.Spec, force: str) -> story.Story:
    period = stories.resolve_period(s, ds)
    return story.write(stories.version(ds, s, forces_mod.resolve(force), period), ds, tables.release_of(ds.build))


def checked(ds, s: stories.Spec, names=None) -> list[story.Story]:
    """Every chosen force's version, read back, checked against the house style and audited, as the stories step
    does: the test fails on any problem."""
    names = names or [f.name for f in ranking.candidates(ds, ranking.Field())]
    out = []
    for name in names:
        w = write(ds, s, name)
        problems = readback.read(w, name) + house_style.check(w, name)
        assert not problems, problems
        out.append(w)
    doc = story_page.claims_doc(s, out, ds.release)
    audit = claims.audit([claims.parse(doc, s.path.with_name("claims.yaml"))], ds, with_rows=False)
    wrong = [(f.claim.claimed.text, f.claim.quote, f.verdict) for f in audit.findings if f.verdict != "reproduced"]
    assert not wrong, wrong
    return out


# ------------------------------------------------------------------------------------------- the cases
def test_every_version_reads_back_passes_the_house_style_and_the_audit(hand_made, tmp_path):
    written = checked(hand_made, spec(tmp_path))
    assert len(written) == len(FORCES)
    for w in written:
        assert len(w.headline.split()) <= 14 and "(s)" not in w.markdown()


def test_a_force_incomplete_in_every_quarter_is_flagged_not_ranked_and_named(hand_made, tmp_path):
    period = stories.resolve_period(spec(tmp_path), hand_made)
    judged = quality.completeness(hand_made, period)["North Yorkshire"]
    assert judged.reasons == (quality.UNASSIGNED, quality.FEW_CLOSED)
    ny = ["North Yorkshire"]
    share = pct(by_hand("recorded", ["0"], ny), by_hand("recorded", ["0", *CLOSED], ny))
    ew = pct(by_hand("recorded", ["0"]), by_hand("recorded", ["0", *CLOSED]))
    assert [n for n, c in quality.completeness(hand_made, period).items() if not c.comparable] == ny
    w = write(hand_made, spec(tmp_path), "North Yorkshire")
    second = w.section("quality")
    assert share == "59.9%" and second.startswith(
        f"North Yorkshire Police's figures cannot fairly be compared with other forces': {share} of the offences it "
        "recorded in the year to March 2019 had no outcome when the data were published, against "
        f"{ew} across England and Wales, and the offences it closed fell far short of the "
        f"{numbers.count(by_hand('recorded', ['0', *CLOSED], ny))} it recorded"
    )
    assert "It is not ranked" in second
    text = w.markdown()
    assert not re.search(r"highest|lowest|higher than|lower than|sharp|modest", text.split("Notes to editors")[0])
    kent = write(hand_made, spec(tmp_path), "Kent").section("comparison")
    assert "Not ranked: North Yorkshire Police, whose outcomes are incomplete" in kent


def test_a_tie_is_said_as_a_tie_and_audited(hand_made, tmp_path):
    s = spec(tmp_path)
    kent = write(hand_made, s, "Kent")
    kent_rate = pct(by_hand("closed", ["14", "16"], ["Kent"]), by_hand("closed", CLOSED, ["Kent"]), 2)
    lanc_rate = pct(by_hand("closed", ["14", "16"], ["Lancashire"]), by_hand("closed", CLOSED, ["Lancashire"]), 2)
    assert (kent_rate, lanc_rate) == ("29.74%", "29.71%")  # both print 29.7%, after Greater Manchester's 39.9%
    assert (
        "Kent Police's rate was higher than the national rate and the joint second highest of the seven territorial "
        "forces ranked, level with Lancashire Constabulary." in kent.section("comparison")
    )
    rank = next(f for f in kent.figures if f.printed == "joint second highest")
    doc = story_page.claims_doc(s, [kent], hand_made.release)
    claimed = [c["claimed"] for c in doc["claims"] if c.get("among")]
    assert claimed == ["joint second highest of seven"] and rank.claim["precision"] == 1


def test_a_zero_count_is_none_and_a_nine_is_nine_with_no_rate(hand_made, tmp_path):
    s = spec(tmp_path)
    city = write(hand_made, s, "City of London").markdown()
    n = by_hand("closed", CLOSED, ["London, City of"])  # 28 of the main offence, 8 of the tiny one
    assert n == 36 and city.startswith(f"# City of London: none of {n} closed offences dropped as victims withdrew")
    assert f"Of the {n} offences that City of London Police closed in the year to March 2019, none were closed" in city
    assert "%" not in city.split("Across")[0] and "too few offences for a rate, so it is not ranked" in city
    dorset = write(hand_made, s, "Dorset").markdown()
    assert by_hand("closed", ["14", "16"], ["Dorset"]) == 9
    assert dorset.startswith(f"# Dorset: nine of {by_hand('closed', CLOSED, ['Dorset'])} closed offences")
    assert "fewer than" not in dorset.split("Notes to editors")[0]


def test_british_transport_police_is_reported_beside_the_territorial_forces(hand_made, tmp_path):
    btp = write(hand_made, spec(tmp_path), "British Transport Police").section("comparison")
    assert "polices the railways rather than an area, so it is not ranked with the territorial forces" in btp
    assert "the national rate" not in btp  # nor set against the territorial forces' rate
    among_all = write(hand_made, spec(tmp_path, rank_among="police forces"), "British Transport Police")
    assert "the lowest of the eight police forces ranked, British Transport Police included" in among_all.section(
        "comparison"
    )


def test_a_spec_with_exclude_runs_and_ranks_only_the_forces_it_keeps(hand_made, tmp_path):
    s = spec(tmp_path, exclude="[Greater Manchester]")
    written = checked(hand_made, s)  # the audit ranks exactly what the story ranks
    kent = next(w for w in written if w.force == "Kent")
    assert "the joint highest of the six territorial forces ranked" in kent.section("comparison")
    assert "England and Wales (without Greater Manchester" in kent.section("comparison")
    gmp = next(w for w in written if w.force == "Greater Manchester")
    assert "The story leaves Greater Manchester Police out of the national figures and the ranking." in gmp.text()


def test_a_caveat_says_which_way_it_moves_the_national_rate_and_only_when_it_does(hand_made, tmp_path):
    w = write(hand_made, spec(tmp_path), "Kent")
    gone = {("Avon and Somerset", "2018/19", 1)}
    with_q1 = pct(by_hand("closed", ["14", "16"]), by_hand("closed", CLOSED))
    without_q1 = pct(by_hand("closed", ["14", "16"], skip=gone), by_hand("closed", CLOSED, skip=gone))
    assert float(without_q1[:-1]) < float(with_q1[:-1])  # the incomplete quarter ran at 66.7%: it lifts the rate
    assert (
        "The national figures include quarters that look incomplete (far fewer offences closed than usual): Avon and "
        "Somerset's for April to June 2018. Leaving them out would make the national rate lower."
    ) in w.section("caveats")
    assert "too low" not in w.markdown()
    # Essex's one blank cell (its tiny offence's row holds 1 in the other quarters): kept to the data notes
    assert "blank" not in w.markdown() and "Essex" in w.section("data") and "do not change" in w.section("data")


def test_the_change_is_set_against_the_national_change(hand_made, tmp_path):
    s = spec(tmp_path)
    kent = write(hand_made, s, "Kent")
    now = float(pct(by_hand("closed", ["14", "16"]), by_hand("closed", CLOSED))[:-1])
    before = float(pct(by_hand("closed", ["14", "16"], fy="2017/18"), by_hand("closed", CLOSED, fy="2017/18"))[:-1])
    assert now - before < 29.7 - 25.0  # Kent rose 25.0% -> 29.7%, more than England and Wales
    assert (
        "The rate was up from 25.0% in the year to March 2018, a modest rise, larger than the national rise."
        in kent.section("change")
    )
    sharp = write(hand_made, spec(tmp_path, story_id="test-sharp", thresholds="{sharp: 4}"), "Kent")
    assert "a sharp rise, larger than the national rise" in sharp.section("change")
    doc = story_page.claims_doc(s, [sharp], hand_made.release)  # the statement is a claim the audit reads
    assert "larger than the national rise" in [c["claimed"] for c in doc["claims"]]
    lanc = write(hand_made, s, "Lancashire").section("change")  # 29.9% -> 29.7% while the national rate went up
    assert (
        "The rate was down from 29.9% in the year to March 2018, a modest fall, while the national rate went up" in lanc
    )


# ------------------------------------------------------------------------------------------- the audit reads the text
def test_a_figure_changed_after_it_was_written_fails_the_read_back(hand_made, tmp_path):
    w = write(hand_made, spec(tmp_path), "Kent")
    head = w.sentences[0]
    head.text = head.text.replace("29.7%", "7", 1)  # what the engine meant to print is no longer what is printed
    problems = readback.read(w, "Kent")
    assert problems and "not printed as a figure where it was put" in " ".join(problems)
    w = write(hand_made, spec(tmp_path), "Kent")
    w.sentences[1].text += " Burglaries are up 400% since 2010."
    assert any("'400%'" in p for p in readback.read(w, "Kent"))


@pytest.mark.parametrize(
    "field, value, problem",
    [
        ("phrases", '{headline: "{rate:.1} of {noun} {short}"}', "{rate:.1} in"),
        ("phrases", '{headline: "{0} of {noun}"}', "{0} in"),
        ("phrases", '{headline: "{nouns} dropped"}', "{nouns} in"),
        ("phrases", '{headline: "{noun {short}"}', "phrases.headline"),
        ("template", "['{place.__class__} closed them']", "{place.__class__}"),
        ("template", "['{place[0]} closed them']", "{place[0]}"),
        ("template", "['{place!r} closed them']", "{place!r}"),
        ("template", "['{rate:.2} of them']", "{rate:.2}"),
        ("template", "['{rate.real} of them']", "{rate.real}"),
        ("template", "['{place:x<20000000} closed them']", "{place:x<20000000}"),
        ("template", "['{place} is 35.2 points above the 2010 rate of 41.9%']", "'3'"),
        ("title", "Burglaries up 400% since 2010", "title"),
        ("noun", "4.6m burglaries", "noun"),
        ("thresholds", "{sharp: .nan}", "thresholds.sharp"),
        ("thresholds", "{small: 1000000000000000000000}", "small"),
        ("exclude", "[Kent, Nowhere Constabulary]", "exclude: unknown police force 'Nowhere Constabulary'"),
        (
            "also",
            "[{id: a, numerator: [16], denominator: [14, 16], phrase: p}, "
            "{id: a, numerator: [14], denominator: [14, 16], phrase: q}]",
            "also: two entries have the id 'a'",
        ),
        ("phrases", '{headline: "{place}\\n\\n<script>x</script>"}', "line break"),
    ],
)
def test_a_bad_spec_field_is_one_line_naming_the_file_and_the_field(tmp_path, field, value, problem):
    body = RATE.format(id="x")
    if field == "title":
        body = body.replace("title: Offences closed because the victim did not support action", f"title: {value}")
    else:
        body += f"{field}: {value}\n"
    path = tmp_path / "x.yaml"
    path.write_text(body)
    with pytest.raises(DataError) as err:
        stories.load(path)
    message = str(err.value)
    assert "x.yaml" in message and problem in message and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize(
    "measure, problem",
    [
        ("{basis: closed, numerator: [16], denominator: [14, 16]}", "noun: the denominator"),
        ("{basis: closed, numerator: [14, 16, 18], denominator: [16]}", "is not within the denominator"),
        ("{basis: recorded, numerator: [0], denominator: all}", "is not within the denominator"),
    ],
)
def test_the_words_follow_the_measure(tmp_path, measure, problem):
    path = tmp_path / "x.yaml"
    path.write_text(f"id: x\ntitle: T\nmeasure: {measure}\nperiod: calendar 2018\n")
    with pytest.raises(DataError, match=problem):
        stories.load(path)


def test_a_denominator_that_is_not_every_offence_is_named_by_its_noun(hand_made, tmp_path):
    s = spec(
        tmp_path,
        "id: {id}\ntitle: Suspects\nmeasure: {{basis: closed, numerator: [16], denominator: [14, 16]}}\n"
        "period: financial year 2018/19\nnoun: offences victims withdrew from\n"
        "phrases: {{short: had a suspect identified}}\n",
        story_id="test-subset",
    )
    written = checked(hand_made, s, ["Kent", "Cheshire"])
    dropped = numbers.count(by_hand("closed", ["14", "16"], ["Kent"]))
    assert f"Of the {dropped} offences victims withdrew from that Kent Police closed" in written[0].text()


# ------------------------------------------------------------------------------------------- text to paste
PAYLOADS = [
    "[x](javascript:alert(5))",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[site](//evil.example)",
    "[v](vbscript:msgbox)",
    "[e](&#106;avascript:alert(1))",
    "<iframe src=x></iframe>",
    "![i](https://evil.example/x.png)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_text_to_paste_is_plain_text(hand_made, tmp_path, payload):
    """Each payload as written is refused when the spec loads (its digits read as a figure) or, written without
    digits, is plain text in the .md: rendered as Markdown it makes no link, image, script or frame."""
    rendered = mistune.html(html.plain_markdown(f"Text {payload} more"))
    assert not re.search(r"<(a|img|script|iframe)\b", rendered), rendered
    wordy = re.sub(r"\d", "x", payload)
    md = write(hand_made, spec(tmp_path, phrases=f"{{numerator: {wordy!r}}}"), "Kent").markdown()
    rendered = mistune.html(md)
    assert not re.search(r"<(a|img|script|iframe)\b", rendered), (payload, rendered[:300])
    assert "](" not in md


# ------------------------------------------------------------------------------------------- the step
def test_national_pages_rank_every_force_whatever_forces_are_written(synthetic_root):
    from crimeoutcomes import cli

    from .conftest import SYNTHETIC_EDITION

    assert cli.main(["stories", "--edition", SYNTHETIC_EDITION, "--offline", "--force", "Kent"]) == 0
    out = synthetic_root / "reports" / SYNTHETIC_EDITION / "stories-kent"
    page = (out / "victim-did-not-support" / "index.html").read_text()
    for force in ("Cheshire", "Derbyshire", "Kent"):
        assert f">{force}<" in page
    assert "the forces with a version are linked" in page and "of the 1 police forces" not in page
    assert not (out / "victim-did-not-support" / "cheshire.html").exists()


def test_a_chart_prints_only_figures_its_story_prints(hand_made, tmp_path):
    w = write(hand_made, spec(tmp_path), "Kent")
    rate = next(str(f.printed) for f in w.figures if f.printed.key.startswith("rate:Kent:"))
    ok = {"title": f"Kent Police: {rate} in the year to March 2019", "alt text": "", "caption": ""}
    assert readback.read_chart(ok, w, w.labels, "Kent") == []
    bad = {"title": f"Kent Police: {rate}, up 400% since 2010", "alt text": "", "caption": ""}
    (problem,) = readback.read_chart(bad, w, w.labels, "Kent")
    assert "'400%'" in problem and "the story does not print" in problem


def test_a_denominator_of_none_anywhere_and_a_threshold_above_every_force_are_said_in_one_line(hand_made, tmp_path):
    from crimeoutcomes.publish.words import wording

    empty = spec(
        tmp_path,
        "id: {id}\ntitle: Passed on\nmeasure: {{basis: closed, numerator: [20], denominator: [20]}}\n"
        "period: financial year 2018/19\nnoun: offences passed on\n",
        story_id="test-empty",
    )
    period = stories.resolve_period(empty, hand_made)
    why = wording.no_figure(stories.cannot_write(empty, hand_made, period))
    assert "no offences in the measure's denominator in financial year 2018/19" in why and "\n" not in why
    huge = spec(tmp_path, story_id="test-huge", thresholds="{min_denominator: 1000000}")
    written = checked(hand_made, huge, ["Kent", "Cheshire"])  # no force ranked: no rate, no rank, no crash
    assert "too few offences for a rate, so it is not ranked" in written[0].text()
    assert stories.ranks(hand_made, huge, period).ranked == 0


def test_a_dollar_in_a_title_is_a_dollar_sign_in_a_chart(hand_made, tmp_path):
    from crimeoutcomes.publish.charts import chart as charts_mod
    from crimeoutcomes.publish.charts import stories as story_charts

    s = spec(tmp_path, story_id="test-dollar")
    s = stories.Spec(**{**s.__dict__, "title": "Costs $\\foo{$ paid"})
    period = stories.resolve_period(s, hand_made)
    forces = ranking.candidates(hand_made, s.field)
    table, _ = story_page.national_table(s, hand_made, period, forces, set())
    ew = stories.point(hand_made, s.measure, stories.ew_area(s), period)
    chart = story_charts.story_ranking(
        s, period, table, stories.ranks(hand_made, s, period), ew, "offences", "src", True
    )
    saved = charts_mod.save_chart(chart, tmp_path)  # mathtext would raise ParseFatalException on "$\foo{$"
    assert saved.files["svg"] and "Costs $\\foo{$ paid" in (tmp_path / saved.files["svg"]).read_text()
