"""Force reports, their charts (desk and phone layouts), the report's story (the victim-did-not-support story's
version for the force) and the index, on the REAL sample edition. Every figure is checked against sums of the tidy
table's rows made here with pandas, not by the package."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pandas as pd
import pytest

from crimeoutcomes import paths
from crimeoutcomes.analysis import caveats as caveats_mod
from crimeoutcomes.analysis import force_figures as ff
from crimeoutcomes.analysis import stories
from crimeoutcomes.analysis.periods import Period
from crimeoutcomes.data import forces, tables
from crimeoutcomes.publish.charts import chart as charts_mod
from crimeoutcomes.publish.charts import force as force_charts
from crimeoutcomes.publish.charts import style
from crimeoutcomes.publish.words import numbers, story
from crimeoutcomes.tools import testing
from tests.conftest import run_steps

CALENDAR_2018 = [("2017/18", 4), ("2018/19", 1), ("2018/19", 2), ("2018/19", 3)]
FINANCIAL = {"2017/18": [("2017/18", q) for q in (1, 2, 3, 4)], "2018/19": [("2018/19", q) for q in (1, 2, 3, 4)]}
POLICE = [f.name for f in forces.POLICE_FORCES]
#: the England and Wales caveats of calendar 2018 and 2018/19 in the sample (coverage.csv: two implausibly low
#: quarters, one with cells left out), which every force's report and story carries
EW_CAVEATS = {
    "caveat-low-avon-and-somerset-2018-19-q1-closed",
    "caveat-low-derbyshire-2018-19-q1-closed",
    "caveat-cells-left-out-bedfordshire-2018-19-q1-closed",
}


def pct(value: float, decimals: int = 1) -> str:
    """A percentage as a reader rounds it (half-up on the shortest decimal form): the printed precision."""
    return f"{Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)}%"


@pytest.fixture(scope="module")
def rows(sample) -> pd.DataFrame:
    """The tidy table's closed-basis rows of police forces that enter totals (types 0, 1a, 2a, 3a never do)."""
    t = sample.tidy
    out = pd.DataFrame(
        {
            "force": t["force"].astype(str),
            "fy": t["financial_year"].astype(str),
            "q": t["fin_quarter"].astype(int),
            "type": t["outcome_type"].astype(str),
            "closed": t["closed"].fillna(0).astype(int),
        }
    )
    return out[t["in_totals"].to_numpy() & out["force"].isin(POLICE).to_numpy()]


def by_hand(rows: pd.DataFrame, quarters) -> pd.DataFrame:
    """Per police force over the quarters: offences closed, outcomes 14 + 16, outcome 16, rate (%) and rank by rate."""
    part = rows[pd.MultiIndex.from_arrays([rows["fy"], rows["q"]]).isin(quarters)]
    out = pd.DataFrame(
        {
            "closed": part.groupby("force")["closed"].sum(),
            "vdns": part[part["type"].isin(["14", "16"])].groupby("force")["closed"].sum(),
            "suspect": part[part["type"] == "16"].groupby("force")["closed"].sum(),
        }
    ).fillna(0)
    out = out.astype(int)
    out["rate"] = 100 * out["vdns"] / out["closed"]
    out["rank"] = [1 + int((out["rate"] > r).sum()) for r in out["rate"]]
    return out


def one(table: pd.DataFrame, force: str | None = None) -> dict:
    """A force's row of a by_hand table (or, without a force, England and Wales: every police force summed), as
    Python numbers."""
    if force is None:
        total = table[["closed", "vdns", "suspect"]].sum()
        return {**{k: int(v) for k, v in total.items()}, "rate": 100 * total["vdns"] / total["closed"]}
    row = table.loc[force]
    return {k: (float(row[k]) if k == "rate" else int(row[k])) for k in table.columns}


def low_quarters(rows: pd.DataFrame, force: str) -> list[tuple[str, int]]:
    """The force's quarters whose offences closed are under 60% of the median of its other quarters."""
    totals = rows[rows["force"] == force].groupby(["fy", "q"])["closed"].sum()
    return [q for q, v in totals.items() if v < 0.6 * totals.drop(q).median()]


#: the months of the quarters the sample's caveats name
MONTHS = {("2018/19", 1): "April to June 2018"}


@pytest.fixture(scope="module")
def cal2018(rows):
    return by_hand(rows, CALENDAR_2018)


@pytest.fixture(scope="module")
def rendered(prepared_root, tmp_path_factory):
    """A fresh root reading the prepared sample edition, with two forces' pages, their stories (the pages link
    them) and the index rendered."""
    import os

    root = testing.make_root(tmp_path_factory.mktemp("rendered"))
    (root / "data" / "processed" / "sample").symlink_to(prepared_root / "data" / "processed" / "sample")
    before = os.environ.get("CRIMEOUTCOMES_ROOT")
    os.environ["CRIMEOUTCOMES_ROOT"] = str(root)
    try:
        # the reports take their story from the stories step: both run for the two forces (steps a user names run
        # for the forces named; a step run first only because another needs it runs for every force)
        first = run_steps(["stories", "reports"], forces=["kent", "Metropolitan Police Service"], jobs=2)[0][-1].info
        second = run_steps(["stories", "reports"], forces=["Kent", "the Met"], jobs=2)[0][-1].info
        run_steps(["site"])
    finally:
        os.environ["CRIMEOUTCOMES_ROOT"] = before or ""
    return root / "reports" / "sample", first, second


def figures_json(slug: str) -> dict:
    return json.loads((paths.reports_dir("sample") / "forces" / slug / "figures.json").read_text())


def headline_table(data: dict, period: str) -> tuple[dict, dict]:
    """(measure -> row, the table) of one period's headline table in figures.json."""
    table = next(t for t in data["headline"] if t["period"] == period)
    return {r["measure"]: r for r in table["rows"]}, table


def test_the_force_files_hold_the_measures(sample_root, cal2018, rows, incomplete_2018):
    data = figures_json("cheshire")
    assert data["periods"] == {"calendar": "calendar 2018", "financial": "financial year 2018/19"}
    head, table = headline_table(data, "Calendar 2018")
    assert table["columns"] == ["Cheshire", "England and Wales"]  # every police force, Greater Manchester included
    mine, ew = one(cal2018, "Cheshire"), one(cal2018)
    assert (mine["closed"], mine["vdns"], ew["closed"], ew["vdns"]) == (92_811, 33_872, 5_013_523, 1_181_697)

    def shown(measure, who):
        cell = head[measure][who]
        return (cell["text"], cell["value"]) if cell else None

    assert shown("Offences closed", "force") == (f"{mine['closed']:,}", mine["closed"]) == ("92,811", 92811)
    assert shown("Offences closed", "ew") == (f"{ew['closed']:,}", ew["closed"])
    assert shown("Victim did not support action (outcomes 14 + 16)", "force") == ("33,872", mine["vdns"])
    text, value = shown("Rate: outcomes 14 + 16 as a share of offences closed", "force")
    assert text == pct(mine["rate"]) == "36.5%" and value == pytest.approx(mine["rate"])
    text, value = shown("Rate: outcomes 14 + 16 as a share of offences closed", "ew")
    assert text == pct(ew["rate"]) == "23.6%" and value == pytest.approx(ew["rate"])
    text, value = shown("Suspect identified (outcome 16, share of 14 + 16)", "force")
    assert text == pct(100 * mine["suspect"] / mine["vdns"], 0) == "85%"
    rank = "Rank by rate among the territorial forces (1 = highest)"
    words, n = place_by_hand(cal2018, incomplete_2018, "Cheshire")
    assert (words, n) == ("highest", 42)  # 43 territorial forces less North Yorkshire, whose outcomes are incomplete
    assert shown(rank, "force") == (f"1 of {n}", 1)
    assert shown(rank, "ew") is None
    # the data: Cheshire's figures are complete; England and Wales carries three caveats, each a numbered note
    notes = {n["number"]: n for n in data["notes"]}
    assert table["state"][0] == {"text": "complete", "notes": []}
    assert table["state"][1]["text"] == "with caveats"
    assert {notes[n]["anchor"] for n in table["state"][1]["notes"]} == EW_CAVEATS
    assert data["anchors"] == {n["anchor"]: n["number"] for n in data["notes"]}
    # every figure the page prints is in the ledger, with the exact value it states
    ledger = {(f["text"], json.dumps(f["value"])) for f in data["figures"]}
    for r in table["rows"]:
        for cell in (r["force"], r["ew"]):
            assert cell is None or (cell["text"], json.dumps(cell["value"])) in ledger

    assert [c["key"] for c in data["charts"]] == [
        "rate_by_quarter",
        "rate_by_year",
        "outcome_mix",
        "offence_groups_14_16",
        "place_among_forces",
    ]
    folder = paths.reports_dir("sample") / "forces" / "cheshire"
    for c in data["charts"]:  # each chart in a desk and a phone layout, and its data
        assert set(c["files"]) == {"png", "png_phone", "svg", "csv"}
        assert all((folder / name).is_file() for name in c["files"].values())
        assert c["files"]["png_phone"] == f"{c['key']}-phone.png"
    place = next(c for c in data["charts"] if c["key"] == "place_among_forces")
    assert place["title"] == "Cheshire had the highest rate of the 42 territorial forces ranked in 2018"
    assert "Cheshire: 36.5%, highest. England and Wales: 23.6%." in place["alt"]

    de = figures_json("derbyshire")
    head, table = headline_table(de, "Calendar 2018")
    notes = {n["number"]: n for n in de["notes"]}
    (own,) = table["state"][0]["notes"]
    assert table["state"][0]["text"] == "with caveats"
    assert notes[own]["anchor"] == "caveat-low-derbyshire-2018-19-q1-closed"
    # its April to June 2018 quarter against the median of its other seven quarters (derive's usual quarter)
    quarters = rows[rows["force"] == "Derbyshire"].groupby(["fy", "q"])["closed"].sum()
    low, usual = quarters[("2018/19", 1)], quarters.drop(("2018/19", 1)).median()
    assert (low, round(usual)) == (7_966, 14_541) and low < 0.6 * usual
    assert (
        f"{low:,} offences were closed, {pct(100 * low / round(usual), 0)} of its usual {round(usual):,}"
        in (notes[own]["text"])
    )
    assert not de["story"]["ready"] and own in de["story"]["notes"]
    assert (
        "(a total that includes April to June 2018, when its figures look incomplete; without that quarter its rate "
        "would be higher)" in de["story"]["text"]
    )


def test_chart_csvs_have_human_headers_and_complete_periods(sample_root, rows):
    folder = paths.reports_dir("sample") / "forces" / "cheshire"
    by_year = pd.read_csv(folder / "rate_by_year.csv", dtype={"Year": str})
    assert list(by_year.columns) == [
        "Year type",
        "Year",
        "Area",
        "Offences closed",
        "Victim did not support action (outcomes 14 + 16)",
        "Rate (% of offences closed, unrounded)",
        "Caveats",
    ]
    assert set(by_year["Year"]) == {"2018", "2017/18", "2018/19"}  # only years with every quarter present
    mine = by_year[by_year["Area"] == "Cheshire"].set_index("Year")
    for year, quarters in [("2018", CALENDAR_2018), *FINANCIAL.items()]:
        hand = by_hand(rows, quarters)
        assert mine.loc[year, "Offences closed"] == hand.loc["Cheshire", "closed"]
        assert mine.loc[year, "Rate (% of offences closed, unrounded)"] == pytest.approx(hand.loc["Cheshire", "rate"])
    assert mine.loc["2018/19", "Offences closed"] == 92_388  # hand-summed in the mirror CSV
    for csv in folder.glob("*.csv"):
        text = csv.read_text()
        assert not re.search(r"\b(nan|NaN|<NA>)\b", text), csv.name
        assert not text.startswith(","), csv.name  # no index column
        assert (folder / f"{csv.stem}.png").is_file() and (folder / f"{csv.stem}-phone.png").is_file(), csv.name


def test_a_rendered_page_links_its_charts_and_has_no_code(rendered, cal2018, incomplete_2018):
    folder, first, second = rendered
    assert (first["rendered"], second["rendered"], second["skipped"]) == (2, 0, 2)  # unchanged forces are skipped
    page = (folder / "forces" / "kent.html").read_text()
    data = json.loads((folder / "forces" / "kent" / "figures.json").read_text())
    for table in data["headline"]:  # every figure written with the exact value it states
        for row in table["rows"]:
            for cell in (row["force"], row["ew"]):
                if cell:
                    assert f'<data value="{cell["value"]!r}">{cell["text"]}</data>' in page
    kent = one(cal2018, "Kent")
    assert f'<data value="{kent["closed"]}">{kent["closed"]:,}</data>' in page
    words, n = place_by_hand(cal2018, incomplete_2018, "Kent")
    assert words == "joint ninth highest"  # level with Lancashire, both 29.8%
    assert f'<data value="9">joint 9 of {n}</data>' in page
    assert "<title>Kent: crime outcomes report</title>" in page and page.count("<h1") == 1
    imgs = re.findall(r"<img ([^>]*)>", page)
    assert len(imgs) == 5 and "data:image" not in page and "No description has been provided" not in page
    for attrs in imgs:
        src = re.search(r'src="([^"]+)"', attrs).group(1)
        assert (folder / "forces" / src).is_file() and src.startswith("kent/")
        assert re.search(r'alt="[^"]{40,}"', attrs)
    phones = re.findall(r'<source media="\(max-width: \d+px\)" srcset="([^"]+)"', page)
    assert len(phones) == 5 and all(p.startswith("kent/") and p.endswith("-phone.png") for p in phones)
    for href in re.findall(r'href="([^"#]+)"', page):
        if not href.startswith("http"):
            assert (folder / "forces" / href).resolve().is_file(), href
    for anchor in re.findall(r'href="#([^"]+)"', page):  # every note a figure or sentence points to is there
        assert f'id="{anchor}"' in page, anchor
    assert not re.findall(r'(?:src|href)="https?://', page.split("About the data")[0])
    assert "import " not in page and "ForceReport" not in page  # no code cells
    assert page.count("<caption>") >= 2 and page.index('id="about-the-data"') > page.index("Notes on the data")
    assert not list((folder / "forces").rglob("*.ipynb"))  # no kept notebooks unless asked for
    text = re.sub(r"<[^>]+>", "", page)
    assert f"Of the {kent['closed']:,} offences that Kent Police closed in 2018" in text
    assert "Every story written for Kent:" in text  # the force's version of every story, linked (checked above)
    met = re.sub(r"<[^>]+>", "", (folder / "forces" / "metropolitan-police.html").read_text())
    met_hand = one(cal2018, "Metropolitan Police")
    assert f"Of the {met_hand['closed']:,} offences that the Metropolitan Police closed in 2018" in met


def test_the_index_links_every_force_and_sorts_by_keyboard(rendered):
    folder, _, _ = rendered
    index = (folder / "index.html").read_text()
    links = set(re.findall(r'href="forces/([a-z0-9-]+)\.html"', index))
    assert links == {f.slug for f in forces.POLICE_FORCES}
    assert index.count('aria-sort="none"><button type="button">') >= 7 and "<caption>" in index
    assert 'href="claims/index.html"' in index and 'href="00_dataset_guide.html"' in index
    assert "<script>" in index and " src=" not in index  # an inline sort script only


def test_every_chart_of_every_force_has_alt_text_with_its_figures(sample):
    """Alt text for all 5 charts of all 44 forces. (Their layout is checked on every draw: the reports step refuses a
    chart with text outside the figure or over other text, so the prepared build these tests run on is the check.)"""
    cav = caveats_mod.load()
    releases = tables.release_of(sample.build)
    short = {}
    for force in forces.POLICE_FORCES:
        figs = ff.build(sample, force, cav)
        for chart in force_charts.force_charts(figs, sample.release, False, releases):
            if len(chart.alt) <= 60 or not any(ch.isdigit() for ch in chart.alt):
                short[(force.name, chart.key)] = chart.alt
    assert short == {}


@pytest.mark.parametrize("layout", style.LAYOUTS, ids=lambda lay: lay.name)
def test_bar_names_sit_where_tick_labels_sat(layout):
    """Bar names are drawn as texts (style.bar_names), not tick labels: each lands on the pixels a tick label had,
    one line or two, in bold or not."""
    names = ["Kent", "England and Wales,\nfinancial year 2017/18", "Avon and Somerset *"]
    boxes = {}
    for how in ("ticks", "texts"):
        fig = style.plt.figure(figsize=(layout.width_in, 2.5), dpi=2 * style.DPI)
        ax = fig.add_axes((0.4, 0.2, 0.5, 0.7))
        style.style_axes(ax, layout)
        ax.barh(range(3), [3, 2, 1])
        if how == "ticks":
            ax.set_yticks(range(3), names, fontsize=layout.small_pt)
            texts = ax.get_yticklabels()
            texts[0].set_fontweight("bold")
        else:
            texts = style.bar_names(ax, range(3), names, layout, bold={0}, colour=style.FORCE)
        fig.canvas.draw()
        boxes[how] = [t.get_window_extent().get_points().round(1).tolist() for t in texts]
        style.plt.close(fig)
    assert boxes["texts"] == boxes["ticks"]


def test_a_chart_with_overlapping_text_is_refused(tmp_path):
    """The check the previous test relies on: two labels drawn on top of each other stop the step."""
    from crimeoutcomes.errors import UserError

    def draw(layout):
        fig = style.plt.figure(figsize=(layout.width_in, 3))
        fig.text(0.5, 0.5, "Overlapping label one")
        fig.text(0.5, 0.5, "Overlapping label two")
        return SimpleNamespace(fig=fig)

    chart = SimpleNamespace(
        key="overlap", draw=draw, data=pd.DataFrame({"a": [1]}), title="t", alt="a", caption="c", figures=[]
    )
    with pytest.raises(UserError, match=r"overlap.*layout bug"):
        charts_mod.save_chart(chart, tmp_path)


# ------------------------------------------------------------------------------------------- the report's story
@pytest.fixture(scope="module")
def report_story(sample):
    spec = stories.load(paths.input_file("report_story"))
    period = stories.resolve_period(spec, sample)
    releases = tables.release_of(sample.build)

    def write(name: str):
        v = stories.version(sample, spec, forces.BY_NAME[name], period)
        return v, story.write(v, sample, releases)

    return period, write


@pytest.fixture(scope="module")
def incomplete_2018(sample) -> set[str]:
    """The forces whose outcomes for calendar 2018 are incomplete compared with the other forces', by hand from the
    tidy rows with the rules of docs/methods.md: the share of offences recorded with no outcome yet (type 0) at least
    10 points above England and Wales's and at least twice it, or offences closed per offence recorded under 80% of
    England and Wales's."""
    t = sample.tidy
    when = pd.MultiIndex.from_arrays([t["financial_year"].astype(str), t["fin_quarter"].astype(int)])
    keep = when.isin(CALENDAR_2018) & t["force"].astype(str).isin(POLICE).to_numpy()
    part = t[keep]
    kind = part["outcome_type"].astype(str)
    recorded = part[(part["in_totals"] | (kind == "0")).to_numpy()].groupby(part["force"].astype(str))["recorded"].sum()
    unassigned = part[(kind == "0").to_numpy()].groupby(part["force"].astype(str))["recorded"].sum()
    closed = part[part["in_totals"].to_numpy()].groupby(part["force"].astype(str))["closed"].sum()
    ew_share, ew_ratio = 100 * unassigned.sum() / recorded.sum(), closed.sum() / recorded.sum()
    out = set()
    for force in recorded.index:
        share, ratio = 100 * unassigned.get(force, 0) / recorded[force], closed[force] / recorded[force]
        if (share >= ew_share + 10 and share >= 2 * ew_share) or ratio < 0.8 * ew_ratio:
            out.add(force)
    assert out == {"North Yorkshire"}
    return out


SUFFIX = {1: "st", 2: "nd", 3: "rd"}
ORDINAL = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def place_by_hand(cal2018: pd.DataFrame, incomplete: set[str], force: str) -> tuple[str, int] | None:
    """The words and the number of forces of a force's rank: the territorial forces less the incomplete, by the
    rate as printed, ties shared, said from the nearer end."""
    territorial = [f.name for f in forces.POLICE_FORCES if f.kind == forces.TERRITORIAL and f.name not in incomplete]
    printed = {f: Decimal(pct(cal2018.loc[f, "rate"])[:-1]) for f in territorial}
    if force not in printed:
        return None
    mine = printed[force]
    rank, from_bottom = 1 + sum(v > mine for v in printed.values()), 1 + sum(v < mine for v in printed.values())
    tied = sum(v == mine for v in printed.values()) > 1
    side, n = ("highest", rank) if rank <= from_bottom else ("lowest", from_bottom)
    if n <= 9:
        nth = ORDINAL[n - 1]
    else:
        nth = f"{n}{'th' if n % 100 in (11, 12, 13) else SUFFIX.get(n % 10, 'th')}"
    words = side if n == 1 else f"{nth} {side}"
    return ("joint " if tied else "") + words, len(printed)


@pytest.mark.parametrize("force", POLICE)
def test_the_story_of_every_force(report_story, cal2018, rows, incomplete_2018, force):
    period, write = report_story
    _, s = write(force)
    prose = forces.BY_NAME[force].prose
    mine, ew = one(cal2018, force), one(cal2018)
    assert period.label == "calendar 2018"  # the latest calendar year England and Wales can be computed for
    # a total that includes a quarter of the force's that looks incomplete says so in the same sentence
    low = [MONTHS[q] for q in low_quarters(rows, force) if q in CALENDAR_2018]
    assert len(low) <= 1
    assert s.headline == (
        f"{force}: {mine['vdns']:,} of {mine['closed']:,} closed offences dropped as victims withdrew support"
        if force in incomplete_2018
        else f"{force}: {pct(mine['rate'])} of closed offences dropped as victims withdrew support"
    )
    assert len(s.headline.split()) <= 14
    flagged = force in incomplete_2018
    including = ""
    if low:  # which way leaving the quarter out moves the rate, at the printed precision (none is flagged)
        assert not flagged
        quarter = rows[(rows["force"] == force) & (rows["fy"] == "2018/19") & (rows["q"] == 1)]
        vdns = int(quarter.loc[quarter["type"].isin(["14", "16"]), "closed"].sum())
        without = pct(100 * (mine["vdns"] - vdns) / (mine["closed"] - int(quarter["closed"].sum())))
        way = "higher" if Decimal(without[:-1]) > Decimal(pct(mine["rate"])[:-1]) else "lower"
        assert without != pct(mine["rate"])
        including = (
            f" (a total that includes {low[0]}, when its figures look incomplete; without that quarter its rate "
            f"would be {way})"
        )
    share_of = "" if flagged else f" ({pct(mine['rate'])})"  # a force not compared is given in counts
    assert s.section("intro") == (
        f"Of the {mine['closed']:,} offences that {prose} closed in 2018{including}, {mine['vdns']:,}{share_of} fell "
        "through after the alleged victim did not support further action, Home Office figures show."
    )
    assert s.section("quality").startswith(f"{prose}'s figures cannot fairly be compared") == flagged
    body = s.section("body")
    share, ew_share = pct(100 * mine["suspect"] / mine["vdns"], 0), pct(100 * ew["suspect"] / ew["vdns"], 0)
    assert body.startswith(f"In {mine['suspect']:,} of those offences ({share}), a suspect had been identified")
    if not flagged:
        assert ("the same as the national share" if share == ew_share else f"compared with {ew_share} across") in body
        assert s.section("change") == (  # a paragraph of its own
            "There is no figure for 2017 to compare with: the figures used here do not cover January to March 2017."
        )
    comparison = s.section("comparison")
    ew_rate = pct(ew["rate"])
    assert comparison.startswith(
        f"Across England and Wales, of the {ew['closed']:,} offences that forces closed in 2018, {ew['vdns']:,} fell "
        f"through after the alleged victim did not support further action, a rate of {ew_rate}."
    )
    how = (
        "the same as"
        if pct(mine["rate"]) == ew_rate
        else ("higher than" if Decimal(pct(mine["rate"])[:-1]) > Decimal(ew_rate[:-1]) else "lower than")
    )
    place = place_by_hand(cal2018, incomplete_2018, force)
    railways = force == "British Transport Police"  # not set against the territorial forces' national rate
    assert (f"rate was {how} the national rate" in comparison) == (not flagged and not railways)
    if place is None:
        assert not re.search(r"highest|lowest", comparison)
        if force == "British Transport Police":
            assert "polices the railways rather than an area, so it is not ranked" in comparison
    else:
        words, n = place  # the rank in the same sentence as the national comparison, the force named
        said = (
            f"{prose[0].upper()}{prose[1:]}'s rate was {how} the national rate and the {words} of the {n} territorial"
        )
        assert said in comparison
        assert "Not ranked: North Yorkshire Police, whose outcomes are incomplete." in comparison
        ranked = [f for f in s.figures if f.claim and f.claim.get("among")]  # one claim, read from both words
        assert [str(f.printed) for f in ranked] == [words, str(n)] and ranked[0].claim is ranked[1].claim
    assert not re.search(r"(by|in) (Metropolitan|Greater Manchester Police's)", s.text())
    # the England and Wales caveats of calendar 2018 move no printed figure: kept to the notes on the data
    # (every force's, its own included, grouped by quarter: the national figure is the same in every version)
    assert not s.section("caveats")
    assert "Avon and Somerset's and Derbyshire's for April to June 2018" in s.section("data")
    # its own blank cells, when giving each the most its row holds elsewhere could move its printed rate
    blank = "are blank in the published data and are left out of its figures" in body
    assert blank == (force == "Bedfordshire")
    assert s.ready == (not flagged and not low and not blank)
    assert bool(s.read_first) == (not s.ready)  # what to read before publishing, whenever it is not ready


def test_the_story_of_cheshire_by_hand(report_story, sample, sample_root, tmp_path):
    """Cheshire, calendar 2018, from the tidy table's rows (closed basis, types that enter totals); the force
    report's story is this version; and the story for financial year 2018/19, which can be compared with 2017/18:
    92,388 offences closed and 34,452 with outcome 14 or 16 (hand-summed in the mirror CSV)."""
    t = sample.tidy
    cheshire = t[(t["force"].astype(str) == "Cheshire") & t["in_totals"]]
    when = pd.MultiIndex.from_arrays([cheshire["financial_year"].astype(str), cheshire["fin_quarter"].astype(int)])
    year = cheshire[when.isin(CALENDAR_2018)]
    closed = int(year["closed"].sum())
    vdns = int(year.loc[year["outcome_type"].astype(str).isin(["14", "16"]), "closed"].sum())
    suspect = int(year.loc[year["outcome_type"].astype(str) == "16", "closed"].sum())
    assert (closed, vdns, suspect) == (92_811, 33_872, 28_866)

    _, write = report_story
    _, s = write("Cheshire")
    assert s.text() == (
        "Of the 92,811 offences that Cheshire Constabulary closed in 2018, 33,872 (36.5%) fell through after the "
        "alleged victim did not support further action, Home Office figures show. In 28,866 of those offences (85%), a "
        "suspect had been identified, compared with 78% across England and Wales. There is no figure for 2017 to "
        "compare with: the figures used here do not cover January to March 2017. Across England and Wales, of the "
        "5,013,523 offences that forces closed in 2018, 1,181,697 fell through after the alleged victim did not "
        "support further action, a rate of 23.6%. Cheshire Constabulary's rate was higher than the national rate and "
        "the highest of the 42 territorial forces ranked. Not ranked: North Yorkshire Police, whose outcomes are "
        "incomplete."
    )
    assert f"{100 * 33_872 / 92_811:.2f}" == "36.50" and f"{100 * 28_866 / 33_872:.1f}" == "85.2"
    assert s.markdown().startswith(
        "# Cheshire: 36.5% of closed offences dropped as victims withdrew support\n\nOf the 92,811 offences that "
        "Cheshire Constabulary closed"
    )
    assert "\nNotes to editors: The rate is outcome types 14 + 16 as a share of all outcome types" in s.markdown()
    assert '<data value="92811">92,811</data>' in s.html_section("intro")
    report = figures_json("cheshire")["story"]  # the force report's story is the story's version for the force
    assert report["id"] == "victim-did-not-support" and report["text"] == s.text()
    assert report["headline"] == s.headline and report["ready"] is True  # complete, ranked, no material caveat
    assert report["links"]["page"] == "../stories/victim-did-not-support/cheshire.html"

    # financial year 2018/19 against 2017/18, each year's file a different re-issue: said in the notes to editors
    spec = tmp_path / "cheshire-financial.yaml"
    spec.write_text(
        paths.input_file("report_story")
        .read_text()
        .replace("id: victim-did-not-support", "id: cheshire-financial")
        .replace("period: latest calendar year", "period: financial year 2018/19")
    )
    fy = stories.load(spec)
    v = stories.version(sample, fy, forces.BY_NAME["Cheshire"], Period.financial(2018))
    written = story.write(v, sample, tables.release_of(sample.build))
    text = written.text()
    before = cheshire[when.isin(FINANCIAL["2017/18"])]
    rate_before = 100 * before.loc[before["outcome_type"].astype(str).isin(["14", "16"]), "closed"].sum()
    rate_before /= before["closed"].sum()
    assert pct(rate_before) == "28.8%" and pct(100 * 34_452 / 92_388) == "37.3%"
    assert text.startswith(
        "Of the 92,388 offences that Cheshire Constabulary closed in the year to March 2019, 34,452 (37.3%) fell "
        "through"
    )
    # England and Wales rose from 21.1% to 24.1% (3.0 points); Cheshire by 8.5 points; the two years' files are
    # different re-issues, said beside the change
    assert written.section("change") == (
        "The rate was up from 28.8% in the year to March 2018, a sharp rise, larger than the national rise. The "
        "figures compared come from different releases of the data (re-issues of around April 2019 and January "
        "2020), so later revisions may explain part of the change."
    )
    assert "of the 5,114,207 offences that forces closed in the year to March 2019, 1,230,614 fell through" in text
    assert "a rate of 24.1%, up from 21.1% in the year to March 2018" in text
    assert "different releases" not in written.section("notes")


def test_story_words_at_the_printed_precision():
    # figures compare as printed: equal text is "the same" to a reader
    assert numbers.compare(numbers.percent(37.51), numbers.percent(37.49)) == 0
    assert numbers.compare(numbers.percent(37.56), numbers.percent(37.49)) == 1
    assert numbers.compare(numbers.percent(30.0), numbers.percent(35.0)) == -1
    # rounded once, half-up, on the shortest decimal form
    assert (numbers.percent(43.05), numbers.percent(20.848), numbers.share(1, 8, 2)) == ("43.1%", "20.8%", "12.50%")
    assert numbers.percent(20.848).value == 20.848  # the exact value travels with the text
    # a record: the highest (or lowest) of at least three periods of the edition, strictly
    periods = lambda *values: SimpleNamespace(  # noqa: E731
        series=[SimpleNamespace(value=x) for x in values], now=SimpleNamespace(value=values[-1])
    )
    assert stories.record(periods(10, 20, 30)) == "high"
    assert stories.record(periods(40, 20, 30)) is None
    assert stories.record(periods(40, 50, 30)) == "low"
    assert stories.record(periods(30, 20, 30)) is None  # a tie is no record
    assert stories.record(periods(10, 30)) is None  # one earlier period is not a record
    # periods as a sentence says them
    assert story.when(Period.calendar(2018)) == "2018"
    assert story.when(Period.financial(2018)) == "the year to March 2019"


def test_a_chart_line_never_ends_on_a_figure_whose_unit_starts_the_next():
    """A title wrapped at any width keeps '0.32 points' on one line (the number checker reads each drawn line)."""
    title = "The England and Wales rate for calendar 2018 moves by up to 0.32 points depending on the method"
    breaks = set()
    for tenth in range(25, 80):
        lines = style.wrap(title, 13.0, tenth / 10, bold=True)
        assert " ".join(lines) == title
        assert not any(line.endswith(("2018", "0.32")) for line in lines), lines
        breaks.add(len(lines))
    assert len(breaks) >= 3  # the widths tried wrap it in several ways


@pytest.mark.parametrize("layout", style.LAYOUTS, ids=lambda lay: lay.name)
@pytest.mark.parametrize("value", [0.2, 5.0, 9.9])
def test_the_england_and_wales_label_stays_inside_the_chart_wherever_its_line_falls(layout, value):
    """Found by `make bench` on the full SYNTHETIC edition: British Transport Police's ranking chart (no label of its
    own to make room) had England and Wales's line near the longest bar, and its centred label ran off the figure."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(layout.width_in, 2.5))
    ax = fig.add_axes((0.35, 0.15, 0.6, 0.6))  # the plot ends near the figure's right edge, as the ranking charts do
    ax.set_xlim(0, 10)
    charts_mod.england_and_wales_line(ax, numbers.percent(value, 1), layout)
    try:
        assert style.layout_problems(fig) == []
    finally:
        plt.close(fig)
