"""The reader: every figure of an article read into the claim form. Sentences of each kind (a share, a total and an
outcome count, a rounded and a one-sided count, "one in 12", a fraction, a change, "ended with no charge", figures
from elsewhere, periods relative to the publication date); one article end to end through `read` (its files, its
audit, --out); and the recall on the 128 registered published claims (its floor computed, never typed)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from crimeoutcomes import cli, csvfile, dag, paths
from crimeoutcomes.analysis import claims, measures
from crimeoutcomes.analysis import reader as rd
from crimeoutcomes.tools import recall, synthetic
from tests.test_faults_inputs import cli_line

VOCAB = None


def vocab() -> rd.Vocabulary:
    global VOCAB
    if VOCAB is None:
        VOCAB = rd.Vocabulary.load(paths.CHECKOUT / "config" / "reader.yaml")
    return VOCAB


def read(text: str, published: str, title: str = "") -> list[rd.Reading]:
    return rd.read_article(text, dt.date.fromisoformat(published), title, vocab()).readings


def fields(r: rd.Reading) -> dict:
    return {k: v for k, v in r.fields.items() if k != "total"}


# ------------------------------------------------------------------------------------------------ sentences
def test_a_share_of_the_offences_recorded():
    (total, share) = read(
        "Home Office figures show that of the 4,850 residential burglaries reported to Humberside Police in 2018-19, "
        "76% were closed with the outcome listed as “investigation complete – no suspect identified”.",
        "2020-02-24",
    )
    common = {
        "area": "Humberside",
        "period": "financial year 2018/19",
        "basis": "recorded",
        "offences": {"code": "28E"},
    }
    assert fields(total) == {**common, "numerator": "all_including_unassigned", "claimed": "4,850"}
    assert fields(share) == {**common, "numerator": [18], "denominator": "all_including_unassigned", "claimed": "76%"}
    # "reported" is loose wording for the offences counted: the closed basis is kept as another reading
    assert ({"basis": "closed", "numerator": "all"}, "basis") in total.alternatives


def test_a_total_and_an_outcome_count_closed_last_year():
    total, count = read(
        "Home Office data shows that of 81,842 offences closed by Cheshire Constabulary last year, 35,301 fell through "
        "after the alleged victim did not support further action.",
        "2021-06-15",  # calendar 2020 had been published (April 2021); financial 2020/21 had not (July 2021)
    )
    assert fields(total) == {
        "area": "Cheshire",
        "period": "calendar 2020",
        "basis": "closed",
        "numerator": "all",
        "claimed": "81,842",
    }
    assert count.fields["numerator"] == [14, 16] and count.fields["period"] == "calendar 2020"
    assert [c.source for c in count.cues if c.field == "period"] == [rd.ASSUMED]  # "last year", by the date
    assert read("Of 1,200 offences closed in Kent last year, 300 were charged.", "2020-02-24")[1].fields["period"] == (
        "financial year 2018/19"  # in February 2020 calendar 2019 was not yet published
    )


def test_rounded_and_one_sided_counts_and_one_in_n():
    (nearly,) = read(
        "Nearly 5 million offences were recorded in England and Wales in the year to March 2019.", "2019-08-15"
    )
    assert fields(nearly) == {
        "area": "England and Wales",
        "period": "financial year 2018/19",
        "basis": "recorded",
        "numerator": "all_including_unassigned",
        "claimed": "nearly 5 million",
    }
    assert claims.Claimed.parse(nearly.fields["claimed"]).printed_band().lo == 4_500_000
    (one_in,) = read(
        "Figures released in July also showed fewer than one in 12 offences resulted in a charge or summons in the "
        "year to March.",
        "2019-08-15",
    )
    assert one_in.fields["claimed"] == "fewer than one in 12" and one_in.fields["numerator"] == [1]
    assert one_in.fields["area"] == "England and Wales"  # the article names no police force
    assert one_in.fields["denominator"] == "all_including_unassigned"


def test_fractions_and_no_charge():
    frac, charge = read(
        "Nine in 10 household burglaries reported to Kent Police in 2018-19 were closed without a suspect being "
        "identified, and 5,100 of them ended with no charge.",
        "2020-02-24",
    )
    assert frac.fields["claimed"] == "Nine in 10" and claims.Claimed.parse("Nine in 10").unit == "fraction"
    assert frac.fields["numerator"] == [18] and frac.fields["offences"] == {"code": "28E"}
    assert charge.fields["numerator"] == {"all_including_unassigned_except": [1]}
    (third,) = read(
        "In relation to sexual offences (including rape), a third of reports had not been assigned an outcome in "
        "England and Wales in 2018-19.",
        "2019-07-22",
    )
    assert (third.fields["claimed"], third.fields["numerator"], third.fields["basis"]) == ("a third", [0], "recorded")
    assert third.fields["offences"] == {"group": "Sexual offences"}  # not the rape in the aside


def test_a_headline_figure_takes_the_period_the_article_states_later():
    head, count = read(
        "Almost three quarters of investigations into residential burglaries are closed by Cleveland Police with no "
        "suspected culprit in the frame.\n\nAcross three offence types, between April 2017 and March 2018, the "
        "investigations into 4,463 residential burglaries were closed by Cleveland Police and Durham Constabulary "
        "with no suspect identified.",
        "2018-09-07",
    )
    assert (head.fields["claimed"], head.fields["numerator"], head.fields["period"]) == (
        "almost three quarters",
        [18],
        "financial year 2017/18",
    )
    assert [c.source for c in head.cues if c.field == "period"] == [rd.ELSEWHERE]
    assert count.fields["area"] == ["Cleveland", "Durham"] and count.figure.text == "4,463"  # "three offence types"
    # "closed ... with no suspect identified" describes the outcome: the basis is the financial year's, and the
    # closed basis is kept as another reading
    assert count.fields["basis"] == "recorded" and ({"basis": "closed"}, "basis") in count.alternatives


def test_changes_between_two_periods():
    values, points = read(
        "The proportion of offences in England and Wales that resulted in a charge or summons dropped from 9% to 8% in "
        "2018-19, a fall of 1.2 points.",
        "2019-07-20",
    )
    assert fields(values) == {
        "area": "England and Wales",
        "period": "financial year 2018/19",
        "basis": "recorded",
        "numerator": [1],
        "denominator": "all_including_unassigned",
        "claimed": "from 9% to 8%",
        "change_from": "financial year 2017/18",
    }
    assert points.fields["claimed"] == "down 1.2 points" and points.fields["change_from"] == "financial year 2017/18"
    (relative,) = read("Charges for burglary in Kent fell by a third in 2018-19.", "2020-02-24")
    assert relative.fields["claimed"] == "down a third" and claims.parse_change("down a third").form == "relative"
    (share,) = read(
        "This makes up 43 per cent of all investigations where officers identified a suspect.", "2019-02-01"
    )
    assert share.figure.unit == "rate"  # "makes up": not a change


def test_figures_that_cannot_be_read_say_why():
    readings = read(
        "That is why we will be introducing a new Victims’ Law, as well as recruiting 20,000 more police officers.\n\n"
        "Staffordshire Police was forced to drop 152 rape cases in 2016 compared with 219 in 2018.",
        "2019-02-06",
    )
    why = {r.figure.text: r.unread for r in readings}
    assert why == {"20,000": rd.NOT_FROM_DATASET, "152": rd.PERIOD_NOT_PUBLISHED, "219": rd.PERIOD_NOT_PUBLISHED}
    (unsaid,) = read(
        "Just one in every 20 reports of this crime to Dorset Police led to someone being charged.", "2020-02-01"
    )
    assert unsaid.unread == rd.NO_PERIOD  # no period in the article: never guessed


def test_what_a_sentence_does_not_say_is_carried_from_the_one_before():
    total, charged, one_in = read(
        "Between April and June this year, 258 rape cases were closed by West Mercia Police.\n\n"
        "Of those, just 17 resulted in a suspect being charged or ordered to appear in court.\n\n"
        "That is one in every 15 of the cases closed.",
        "2018-10-29",
    )
    assert fields(total) == {
        "area": "West Mercia",
        "period": "2018/19 Q1",
        "basis": "closed",
        "offences": {"subgroup": "Rape"},
        "numerator": "all",
        "claimed": "258",
    }
    assert {k: charged.fields[k] for k in ("area", "period", "offences", "numerator")} == {
        "area": "West Mercia",
        "period": "2018/19 Q1",
        "offences": {"subgroup": "Rape"},
        "numerator": [1],
    }
    assert [c.source for c in charged.cues if c.field in ("area", "period")] == [rd.CARRIED, rd.CARRIED]
    assert one_in.fields["numerator"] == [1] and one_in.fields["basis"] == "closed"


# ------------------------------------------------------------------------------------------------ end to end
def synthetic_article(frames) -> tuple[str, dict]:
    """A SYNTHETIC article whose figures are Kent's in the SYNTHETIC edition (summed here from the raw frames)."""
    f = frames["2018/19"]
    kent = f[f["force_name"] == "Kent"]

    def total(types, basis="closed"):
        sel = kent["outcome_type"].isin(types)
        return int(kent.loc[sel, basis].fillna(0).astype(int).sum())

    every = [t for t in kent["outcome_type"].unique() if t != "0"]
    closed, vdns = total(every), total(["14", "16"])
    share = f"{100 * vdns / closed:.1f}"
    text = (
        f"SYNTHETIC test article.\n\nOf {closed:,} offences closed by Kent Police in 2018-19, {vdns:,} fell "
        f"through after the alleged victim did not support further action.\n\nAt {share}%, that was the rate of "
        "cases to collapse for this reason.\n\n"
        "The force also recruited 150 more officers."
    )
    return text, {"closed": closed, "vdns": vdns, "share": share}


def test_an_article_read_end_to_end(synthetic_root, tmp_path, capsys):
    frames = {
        fy: synthetic.grid(fy, force_names=["Cheshire", "Derbyshire", "Kent"], n_offences=2, seed=i)
        for i, fy in enumerate(["2017/18", "2018/19"])
    }
    text, want = synthetic_article(frames)
    article = tmp_path / "kent-synthetic.txt"
    article.write_text(text)
    out = tmp_path / "read"
    options = dict(article=article, published="2019-12-01", title="SYNTHETIC: Kent", out=out)
    from crimeoutcomes import pipeline
    from tests.conftest import synthetic_context

    ctx = synthetic_context(synthetic_root, **options)
    ctx.out_step = "read"
    ran = pipeline.run(ctx, ["read"])
    assert ran[-1].ran and "3 figures read" in ran[-1].info["summary"]
    doc = yaml.safe_load((out / dag.file("read", "claims")).read_text())
    registry = claims.load(out / dag.file("read", "claims"))  # a registry like any other
    assert [c.claimed.text for c in registry.claims] == [
        f"{want['closed']:,}",
        f"{want['vdns']:,}",
        f"{want['share']}%",
    ]
    assert all(c["reading"].startswith("Read as Kent, financial year 2018/19") for c in doc["claims"])
    audit = csvfile.read_csv(out / dag.file("read", "audit_csv"), keep_default_na=False).set_index("claimed")
    assert set(audit["verdict"]) == {"reproduced"}
    assert int(audit.loc[f"{want['closed']:,}", "computed"]) == want["closed"]
    unread = csvfile.read_csv(out / dag.file("read", "unread"), dtype=str)
    assert unread[["figure", "why"]].values.tolist() == [["150", "not from this dataset"]]
    page = (out / dag.file("read", "page")).read_text()
    assert page.count('<li class="claim"') == 2 and "Every figure read in “SYNTHETIC: Kent”" in page
    # nothing changed: current; a file of the user's in the folder: never emptied
    assert not pipeline.run(ctx, ["read"])[-1].ran
    (out / "mine.txt").write_text("mine")
    ctx = synthetic_context(synthetic_root, **options)
    ctx.out_step = "read"
    article.write_text(text + "\n\nAnother 12 offences were charged.")
    with pytest.raises(cli.UserError, match="already holds files that are not an article read"):
        pipeline.run(ctx, ["read"])
    assert (out / "mine.txt").read_text() == "mine"


def test_the_command_line_checks_the_article_and_its_date(project_root, tmp_path, capsys):
    line = cli_line(capsys, "read", str(tmp_path / "none.txt"), "--published", "2021-06-15", "--offline")
    assert "is not a file: give the path of its text" in line
    (tmp_path / "a.txt").write_text("Kent closed 5 offences in 2018.")
    line = cli_line(capsys, "read", str(tmp_path / "a.txt"), "--published", "June 2021", "--offline")
    assert "--published 'June 2021' is not a date: write the article's publication date as YYYY-MM-DD" in line
    assert "read: " in dag.makefile() and "make read ARTICLE=... PUBLISHED=..." in dag.makefile()
    assert "read" not in dag.order()  # run only when asked: never by make all
    line = cli_line(capsys, "run", "read", "--offline")
    assert "the read step needs ARTICLE and PUBLISHED: run it with its own command, make read ARTICLE=..." in line


# ------------------------------------------------------------------------------------------------ recall
def test_the_recall_on_the_registered_published_claims(sample_root, sample):
    """Each registered article's sentences, read with its title and date: at least 80% of the 128 registered claims
    read computing the registered value, and every miss unread or kept as another reading, never wrong."""
    got = recall.measure(sample, paths.input_file("registries").parent / "published-2018-2020.yaml")
    assert len(got.results) == 128
    assert got.share(recall.READ) >= 0.80, [(r.claim.id, r.why) for r in got.results if r.outcome != recall.READ]
    assert got.count(recall.WRONG) == 0, [(r.claim.id, r.why) for r in got.results if r.outcome == recall.WRONG]
    read_ = [r for r in got.results if r.outcome == recall.READ and r.registered is not None]
    assert all(abs(float(r.primary) - float(r.registered)) < 1e-9 for r in read_)
    assert isinstance(sample, measures.Dataset)
