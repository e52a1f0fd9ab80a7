"""The claim form's press forms on a hand-made SYNTHETIC edition: changes between two periods (in points, in a count,
relative to the earlier value, as two values), rounded counts, one-sided figures, "ended with no charge" (every
outcome including not yet assigned except a charge), fractions, and alternative readings. Every expected value is
summed here from the raw frames with pandas, not by the engine."""

from __future__ import annotations

import pandas as pd
import pytest

from crimeoutcomes.analysis import claims, measures
from crimeoutcomes.publish.words import claims_text, numbers
from crimeoutcomes.tools import synthetic
from tests.conftest import build_synthetic

FORCES = ["Cheshire", "Kent", "Derbyshire"]
EVERY = [c for c in synthetic.grid("2018/19", force_names=FORCES[:1], n_offences=1)["outcome_type"].unique()]


def frames_of() -> dict[str, pd.DataFrame]:
    return {
        fy: synthetic.grid(fy, force_names=FORCES, n_offences=2, seed=seed)
        for seed, fy in enumerate(["2017/18", "2018/19"], start=7)
    }


def total(frames, fy: str, types, force: str | None = "Kent", basis: str = "recorded") -> int:
    """The sum of the raw counts (independently of the engine)."""
    f = frames[fy]
    sel = f["outcome_type"].isin([str(t) for t in types]) & (f["force_name"] == force if force else True)
    return int(pd.to_numeric(f.loc[sel, basis]).fillna(0).sum())


def half_up(x: float, decimals: int = 0) -> str:
    return str(numbers.half_up(x, decimals))


@pytest.fixture
def edition(tmp_path):
    frames = frames_of()
    build_synthetic(tmp_path, frames, edition="synthetic-forms")
    return frames, measures.Dataset.load("synthetic-forms")


def audit(tmp_path, ds, claims_yaml: str) -> dict[str, claims.Finding]:
    path = tmp_path / "forms.yaml"
    path.write_text(
        "defaults: {basis: recorded, exclude: []}\n"
        "articles: {a: {title: SYNTHETIC claims, published: '2019-07-20'}}\nclaims:\n" + claims_yaml
    )
    done = claims.audit([claims.load(path)], ds, None)
    return {f.claim.id: f for f in done.findings}


def claim(cid: str, claimed: str, **fields) -> str:
    body = {"area": "Kent", "period": "financial year 2018/19", **fields}
    rest = ", ".join(f"{k}: {v}" for k, v in body.items())
    return f"  - {{id: {cid}, article: a, quote: q, claimed: '{claimed}', {rest}}}\n"


def test_changes_between_two_periods(tmp_path, edition):
    frames, ds = edition
    all_types = [t for t in EVERY]
    n = {fy: total(frames, fy, ["1"]) for fy in frames}
    d = {fy: total(frames, fy, all_types) for fy in frames}
    rate = {fy: 100 * n[fy] / d[fy] for fy in frames}
    points = rate["2018/19"] - rate["2017/18"]
    way = "up" if points > 0 else "down"
    rel = 100 * (n["2018/19"] - n["2017/18"]) / n["2017/18"]
    rel_way = "up" if rel > 0 else "down"
    charge = "numerator: [1], denominator: all_including_unassigned, change_from: financial year 2017/18"
    found = audit(
        tmp_path,
        ds,
        claim("points", f"{way} {half_up(abs(points), 1)} points", x=0).replace(", x: 0", ", " + charge)
        + claim("wrong-points", f"{way} {half_up(abs(points) + 3, 1)} points", x=0).replace(", x: 0", ", " + charge)
        + claim("values", f"from {half_up(rate['2017/18'])}% to {half_up(rate['2018/19'])}%", x=0).replace(
            ", x: 0", ", " + charge
        )
        + claim(
            "count",
            f"{'up' if n['2018/19'] > n['2017/18'] else 'down'} {abs(n['2018/19'] - n['2017/18']):,}",
            numerator="[1]",
            change_from="financial year 2017/18",
        )
        + claim("relative", f"{rel_way} {half_up(abs(rel))}%", numerator="[1]", change_from="financial year 2017/18"),
    )
    assert {k: f.verdict for k, f in found.items()} == {
        "points": "reproduced",
        "wrong-points": "differs",
        "values": "reproduced",
        "count": "reproduced",
        "relative": "reproduced",
    }
    assert found["points"].computed == pytest.approx(points, rel=1e-12)
    assert found["points"].values == pytest.approx((rate["2017/18"], rate["2018/19"]), rel=1e-12)
    assert found["count"].computed == n["2018/19"] - n["2017/18"]
    assert found["relative"].computed == pytest.approx(rel, rel=1e-12)
    assert [e.claim.query.period.label for e in found["values"].ends] == [
        "financial year 2017/18",
        "financial year 2018/19",
    ]
    # the rows of both periods, so the change can be re-added by hand
    rows = found["count"].rows
    assert set(rows["financial_year"]) == {"2017/18", "2018/19"}
    for fy in frames:
        part = rows[rows["financial_year"] == fy]
        assert (part["recorded_count"] * part["in_numerator"]).sum() == n[fy]
    with numbers.collect() as parts:
        shown = claims_text.computed_text(found["points"])
    assert shown == f"{way} {half_up(abs(points), 1)} points"
    assert [p.value for p in parts] == [pytest.approx(abs(points))]  # the size is the figure a page marks up
    reason = claims_text.reason(found["wrong-points"], {})
    assert "financial year 2017/18" in reason and "financial year 2018/19" in reason and "outside what" in reason
    table = claims_text.table(claims.Audit(list(found.values()), []), {}, {}).set_index("id")
    assert table.loc["count", "change_from"] == "financial year 2017/18"
    assert table.loc["count", "earlier_computed"] == n["2017/18"]


def test_a_change_needs_an_earlier_period_and_a_change_form(tmp_path, edition):
    _frames, ds = edition
    with pytest.raises(claims.DataError, match=r"field 'change_from': financial year 2018/19 does not come before"):
        audit(tmp_path, ds, claim("x", "up 2 points", numerator="[1]", denominator="all", change_from="2018/19"))
    with pytest.raises(claims.DataError, match=r"field 'claimed': 'went up a lot' is not a change this form reads"):
        audit(tmp_path, ds, claim("x", "went up a lot", numerator="[1]", denominator="all", change_from="2017/18"))
    up = audit(tmp_path, ds, claim("x", "up", numerator="[1]", denominator="all", change_from="2017/18"))["x"]
    assert up.claim.claimed.unit == "direction"  # a bare "up" is a statement (the stories'), judged as printed
    with pytest.raises(claims.DataError, match=r"field 'denominator': 'up 2 points' is a change in percentage points"):
        audit(tmp_path, ds, claim("x", "up 2 points", numerator="[1]", change_from="2017/18"))


def test_rounded_and_one_sided_counts(tmp_path, edition):
    frames, ds = edition
    everything = total(frames, "2018/19", EVERY)  # Kent: 3,3xx
    to_thousand = int(numbers.half_up(everything / 1000, 0)) * 1000
    assert to_thousand % 10_000  # "3,000": printed to the thousand (a "10,000" would be to the ten thousand)
    n18 = total(frames, "2018/19", ["18"])
    side = f"more than {n18 // 100 * 100}" if n18 % 100 < 50 else f"nearly {(n18 // 100 + 1) * 100}"
    found = audit(
        tmp_path,
        ds,
        claim("thousand", f"{to_thousand:,}", numerator="all_including_unassigned")
        + claim("k", f"{half_up(everything / 1000, 1)}k", numerator="all_including_unassigned")
        + claim("side", side, numerator="[18]")
        + claim("exact", f"{to_thousand + 1:,}", numerator="all_including_unassigned"),
    )
    assert found["thousand"].verdict == found["k"].verdict == found["side"].verdict == "reproduced"
    assert found["thousand"].computed == everything
    band = found["thousand"].printed
    assert (band.lo, band.hi) == (to_thousand - 500, to_thousand + 500)
    assert claims_text.computed_text(found["thousand"]) == f"{to_thousand:,}"
    assert claims_text.computed_text(found["k"]) == f"{half_up(everything / 1000, 1)}k"
    # the same total printed to the unit is read exactly: no longer reproduced
    assert found["exact"].verdict != "reproduced" and found["exact"].printed.lo == found["exact"].printed.hi


def test_ended_with_no_charge_counts_the_offences_without_an_outcome(tmp_path, edition):
    frames, ds = edition
    every, charged, waiting = (total(frames, "2018/19", t) for t in (EVERY, ["1"], ["0"]))
    found = audit(
        tmp_path,
        ds,
        claim("no-charge", f"{every - charged:,}", numerator="{all_including_unassigned_except: [1]}")
        + claim("assigned-no-charge", f"{every - charged - waiting:,}", numerator="{all_except: [1]}")
        + claim(
            "no-charge-share",
            f"{half_up(100 * (every - charged) / every, 1)}%",
            numerator="{all_including_unassigned_except: [1]}",
            denominator="all_including_unassigned",
        ),
    )
    assert {k: f.verdict for k, f in found.items()} == dict.fromkeys(found, "reproduced")
    assert found["no-charge"].computed == every - charged and waiting > 0  # type 0 is in, not only assigned types
    assert found["assigned-no-charge"].computed == every - charged - waiting
    rows = found["no-charge"].rows
    assert set(rows.loc[rows["in_numerator"] == 1, "outcome_type"]) == set(EVERY) - {"1"}
    assert found["no-charge"].claim.query.numerator.label == (
        "all outcome types including 0 (not yet assigned) except 1"
    )
    with pytest.raises(claims.DataError, match=r"type 0 \(not yet assigned\) is left out or kept by the form itself"):
        audit(tmp_path, ds, claim("x", "5", numerator="{all_except: [0, 1]}"))


def test_fractions_as_printed(tmp_path, edition):
    frames, ds = edition
    every = total(frames, "2018/19", EVERY)
    share = {
        "five": 100 * total(frames, "2018/19", ["14", "15", "16", "17", "18"]) / every,
        "seven": 100 * total(frames, "2018/19", [str(t) for t in range(12, 19)]) / every,
    }
    tenths = int(numbers.half_up(share["five"] / 10, 0))
    words = {v: k for k, v in claims.NUMBER_WORDS.items()}
    common = min(
        claims.FRACTION_WORDS,
        key=lambda w: abs(100 * claims.FRACTION_WORDS[w][0] / claims.FRACTION_WORDS[w][1] - share["seven"]),
    )
    found = audit(
        tmp_path,
        ds,
        claim(
            "tenths", f"{words[tenths]} in 10", numerator="[14, 15, 16, 17, 18]", denominator="all_including_unassigned"
        )
        + claim("common", common, numerator="[12, 13, 14, 15, 16, 17, 18]", denominator="all_including_unassigned")
        + claim("wrong", "nine in 10", numerator="[14, 15, 16, 17, 18]", denominator="all_including_unassigned"),
    )
    assert found["tenths"].verdict == "reproduced" and found["tenths"].computed == pytest.approx(share["five"])
    assert (found["tenths"].printed.lo, found["tenths"].printed.hi) == pytest.approx((10 * tenths - 5, 10 * tenths + 5))
    assert found["common"].verdict == "reproduced"  # the nearest common fraction stands for the values nearest it
    assert found["wrong"].verdict == "differs"
    assert claims_text.computed_text(found["tenths"]) == f"{half_up(share['five'], 1)}%"


def test_alternative_readings_are_audited_beside_the_claim(tmp_path, edition):
    frames, ds = edition
    recorded, closed = total(frames, "2018/19", ["18"]), total(frames, "2018/19", ["18"], basis="closed")
    path_claim = (
        f"  - {{id: alt, article: a, quote: q, claimed: '{recorded:,}', area: Kent, period: financial year 2018/19,\n"
        "     numerator: [18], alternatives: [{reading: the outcomes assigned in the year, basis: closed}]}\n"
    )
    found = audit(tmp_path, ds, path_claim)["alt"]
    assert found.verdict == "reproduced" and found.computed == recorded
    (alt,) = found.alternatives
    assert alt.claim.query.basis == "closed" and alt.computed == closed
    assert alt.claim.reading == "the outcomes assigned in the year"
    assert claims_text.alternatives_text(found).startswith(f"the outcomes assigned in the year: {closed:,} (")
    with pytest.raises(claims.DataError, match=r"field 'alternatives.1': field 'basis'|'alternatives.0.basis'"):
        audit(tmp_path, ds, path_claim.replace("basis: closed", "basis: sideways"))
