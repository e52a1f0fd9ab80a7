"""The claims engine, proven on a SYNTHETIC raw dataset whose quarters make the articles' figures true, then on
the real sample edition. The synthetic data prove the engine, not the articles."""

from __future__ import annotations

import pandas as pd
import pytest

from crimeoutcomes import claims, forces, manifest, measures, pipeline, synthetic
from crimeoutcomes.errors import DataError

YEARS = range(2015, 2021)
FYS = [measures.fy_label(y) for y in range(2014, 2021)]  # 2014/15 .. 2020/21 cover calendar 2015-2020

# (offences closed, outcome types 14+16, outcome type 16) per calendar year, as printed where the articles give them
CHESHIRE = {2015: (70_000, 9_100, 7_000), 2016: (72_000, 14_400, 12_000), 2017: (74_000, 18_500, 15_000),
            2018: (76_000, 25_080, 21_000), 2019: (80_000, 30_720, 26_000), 2020: (81_842, 35_301, 30_758)}
DERBYSHIRE = {2015: (70_000, 2_800, 2_000), 2016: (72_000, 5_760, 4_500), 2017: (74_000, 11_100, 9_000),
              2018: (76_000, 15_200, 12_500), 2019: (78_000, 20_514, 17_000), 2020: (80_204, 23_489, 20_189)}
# England and Wales without GMP: 12.8% (2015), 25.1% (2019), 27.4% (2020), 82% with a suspect identified (2020)
EW = {2015: (3_000_000, 384_000, 300_000), 2016: (3_100_000, 558_000, 440_000), 2017: (3_200_000, 672_000, 530_000),
      2018: (3_300_000, 759_000, 600_000), 2019: (3_400_000, 853_400, 680_000), 2020: (3_500_000, 959_000, 786_380)}


def article_targets() -> dict:
    targets = {}
    rest = [f.name for f in forces.POLICE_FORCES if f.name not in ("Cheshire", "Derbyshire", "Greater Manchester")]
    assert len(rest) == 41
    for y in YEARS:
        targets[("Cheshire", y)] = CHESHIRE[y]
        targets[("Derbyshire", y)] = DERBYSHIRE[y]
        targets[("Greater Manchester", y)] = (100_000, 90_000, 80_000)  # wildly different: must be excluded
        remainder = [e - c - d for e, c, d in zip(EW[y], CHESHIRE[y], DERBYSHIRE[y])]
        for i, force in enumerate(rest):
            targets[(force, y)] = tuple(r // len(rest) + (r % len(rest) if i == 0 else 0) for r in remainder)
    return targets


def run_audit(tmp_path, frames) -> pd.DataFrame:
    """Full pipeline on synthetic raw files: raw (csv layout of the 2019 vintage) → processed → audit."""
    mirror = tmp_path / "mirror"
    manifest_path = synthetic.write_edition(frames, mirror, edition="synthetic-articles", layout="csv-2019")
    pipeline.build_edition("synthetic-articles", manifest=manifest.load(manifest_path), raw_dir=tmp_path / "raw",
                           processed_dir=tmp_path / "processed", mirror=mirror, allow_download=False, progress=False,
                           log=lambda *a: None)
    agg = pipeline.load_aggregate("synthetic-articles", tmp_path / "processed")
    cov = pipeline.load_coverage("synthetic-articles", tmp_path / "processed")
    return claims.audit(claims.load(), agg, cov).set_index("claim_id")


def article_frames(gmp_gap=True):
    frames = synthetic.from_calendar_totals(article_targets(), FYS)
    if gmp_gap:  # GMP could not supply July 2019 - March 2020
        f = frames["2019/20"]
        frames["2019/20"] = f[~((f.force_name == "Greater Manchester") & f.financial_quarter.isin([2, 3, 4]))]
    return frames


def shift(frames, amount, fy="2020/21", quarter=2, force="Cheshire", outcome="16"):
    f = frames[fy].copy()
    sel = (f.force_name == force) & (f.financial_quarter == quarter) & (f.outcome_type == outcome)
    f.loc[sel, "closed"] = f.loc[sel, "closed"].astype(int) + amount
    return {**frames, fy: f}


@pytest.fixture(scope="module")
def true_audit(tmp_path_factory):
    return run_audit(tmp_path_factory.mktemp("true"), article_frames())


def test_every_dataset_claim_is_reproduced_when_the_data_make_them_true(true_audit):
    registry = claims.load()
    dataset = [c.id for c in registry.claims if c.source == "dataset"]
    assert len(dataset) == 31
    assert true_audit.loc[dataset, "verdict"].eq("reproduced").all(), true_audit.loc[dataset, ["verdict", "explanation"]]
    external = [c.id for c in registry.claims if c.source == "other"]
    assert true_audit.loc[external, "verdict"].eq("not from this dataset").all()
    assert true_audit.loc["cheshire-vdns-rate-2020", "computed"] == "43.1%"
    assert true_audit.loc["derbyshire-suspect-share-2020", "computed"] == "86%"
    assert "2019/20 Q2: Greater Manchester (missing)" in true_audit.loc["cheshire-ew-gmp-excluded", "explanation"]


def test_a_small_shift_is_revised_and_a_large_one_differs(tmp_path):
    small = run_audit(tmp_path / "small", shift(article_frames(), 500))
    revised = ["cheshire-closed-2020", "cheshire-vdns-count-2020", "cheshire-vdns-rate-2020", "cheshire-suspect-count-2020"]
    assert small.loc[revised, "verdict"].eq("revised").all(), small.loc[revised, ["verdict", "explanation"]]
    assert small.loc["cheshire-vdns-rate-2020", "computed"] == "43.5%"
    assert small.loc["cheshire-closed-2020", "difference"] == "+500 (+0.61%)"
    unchanged = small.index.difference(revised)
    assert small.loc[unchanged, "verdict"].isin(["reproduced", "not from this dataset"]).all()

    large = run_audit(tmp_path / "large", shift(article_frames(), 5_000))
    assert large.loc[revised, "verdict"].eq("differs").all()
    assert large.loc["cheshire-suspect-share-2020", "verdict"] == "differs"  # 88.7% printed as 87%


def test_a_record_that_is_not_a_record_differs(tmp_path):
    audit = run_audit(tmp_path, shift(article_frames(), 20_000, fy="2018/19", quarter=1))  # Cheshire 2018 soars
    assert audit.loc["cheshire-record-rate-2020", "verdict"] == "differs"
    assert audit.loc["cheshire-record-count-2020", "verdict"] == "differs"
    assert audit.loc["derbyshire-record-rate-2020", "verdict"] == "reproduced"


def test_a_removed_quarter_is_not_verifiable(tmp_path):
    frames = article_frames()
    f = frames["2020/21"]
    frames["2020/21"] = f[~((f.force_name == "Cheshire") & (f.financial_quarter == 2))]
    audit = run_audit(tmp_path, frames)
    for cid in ["cheshire-closed-2020", "cheshire-vdns-rate-2020", "cheshire-ew-vdns-rate-2020", "derbyshire-ew-suspect-share-2020"]:
        assert audit.loc[cid, "verdict"] == "not verifiable"
        assert "2020/21 Q2: Cheshire (missing)" in audit.loc[cid, "explanation"]
    assert audit.loc["cheshire-record-rate-2020", "verdict"] == "not verifiable"
    assert audit.loc["cheshire-vdns-rate-2019", "verdict"] == "reproduced"
    assert audit.loc["derbyshire-vdns-rate-2020", "verdict"] == "reproduced"


def test_sample_edition_says_not_verifiable_with_the_missing_quarters(sample_processed):
    agg = pipeline.load_aggregate("sample", sample_processed)
    cov = pipeline.load_coverage("sample", sample_processed)
    audit = claims.audit(claims.load(), agg, cov).set_index("claim_id")
    assert (audit["verdict"].value_counts().to_dict() == {"not verifiable": 31, "not from this dataset": 5})
    assert audit.loc["cheshire-vdns-rate-2019", "explanation"].endswith(
        "2019/20 Q1 (not in this edition); 2019/20 Q2 (not in this edition); 2019/20 Q3 (not in this edition).")


def test_sample_edition_calendar_2018_exact_values(sample_processed):
    m = measures.Measures(pipeline.load_aggregate("sample", sample_processed), pipeline.load_coverage("sample", sample_processed))
    assert m.latest_complete() == measures.Period("calendar", 2018)
    ch = m.figures("Cheshire", "calendar 2018")
    assert (ch.closed, ch.vdns, round(100 * ch.rate, 1)) == (92_811, 33_872, 36.5)
    assert ch.suspect == 28_866
    de = m.figures("Derbyshire", "calendar 2018")
    assert (de.closed, de.vdns, de.suspect) == (51_099, 6_690, 4_634)
    ew = m.figures(measures.EW, "calendar 2018")
    assert (ew.closed, ew.vdns, ew.suspect) == (4_679_628, 1_106_472, 864_719)
    assert "Greater Manchester" not in ew.forces and len(ew.forces) == 43


def test_registry_errors_name_the_claim(tmp_path):
    bad = tmp_path / "claims.yaml"
    bad.write_text("articles: {a: {title: t}}\nclaims:\n  - {id: x, article: a, quote: q, area: Cheshire, "
                   "period: calendar 2020, measure: vdns_rate, claimed: '43.1', source: dataset}\n")
    with pytest.raises(DataError, match=r"claim 1 \(x\): vdns_rate needs a percentage, got '43.1'"):
        claims.load(bad)
    bad.write_text("articles: {a: {title: t}}\nclaims:\n  - {id: y, article: a, quote: q, area: Chesire, "
                   "period: calendar 2020, measure: closed, claimed: '1', source: dataset}\n")
    with pytest.raises(DataError, match="Unknown police force 'Chesire'.*Cheshire"):
        claims.load(bad)


def test_a_new_article_needs_only_registry_entries(tmp_path, sample_processed):
    reg = tmp_path / "claims.yaml"
    reg.write_text(
        "defaults: {exclude: [Greater Manchester], tolerance: {count: {relative: 0.02}, percent: {points: 0.5}}}\n"
        "articles: {kent-2019: {title: 'A made-up test article'}}\n"
        "claims:\n"
        "  - {id: kent-rate-2018, article: kent-2019, quote: 'q', area: kent, period: calendar 2018,"
        "     measure: vdns_rate, claimed: '99.9%', source: dataset}\n")
    audit = claims.audit(claims.load(reg), pipeline.load_aggregate("sample", sample_processed),
                         pipeline.load_coverage("sample", sample_processed))
    assert audit.loc[0, "verdict"] == "differs" and audit.loc[0, "area"] == "Kent"
