"""Per-force reports: headline figures, a story paragraph, data notes, publishable charts (PNG + the CSV behind
each), HTML rendering of the force-report notebook, the index page, and running every force in parallel.

All numbers come from measures.Measures (computed in one place)."""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import forces as forces_mod
from . import outcomes, paths, pipeline, present
from .atomic import write_text
from .measures import EW, Measures, Period

TEMPLATE = "03_force_report"
FINGERPRINT_SUFFIX = ".inputs.json"


# ----------------------------------------------------------------------------------------------- context
@dataclass
class Context:
    """Everything a force report needs from one edition, loaded once."""

    edition: str
    build: dict
    agg: pd.DataFrame
    coverage: pd.DataFrame
    quality: pd.DataFrame
    groups: pd.DataFrame
    m: Measures

    @classmethod
    def load(cls, edition: str, processed_dir: Path | None = None) -> Context:
        agg = pipeline.load_aggregate(edition, processed_dir)
        cov = pipeline.load_coverage(edition, processed_dir)
        return cls(edition, pipeline.load_build(edition, processed_dir), agg, cov,
                   pipeline.load_quality(edition, processed_dir), pipeline.load_offence_groups(edition, processed_dir),
                   Measures(agg, cov))

    @property
    def synthetic(self) -> bool:
        return bool(self.build.get("synthetic"))

    def source_line(self) -> str:
        vint = "; ".join(f"{f['financial_year']} {f['file']}" for f in self.build["files"])
        prefix = "SYNTHETIC DATA, not Home Office statistics. " if self.synthetic else ""
        return (f"{prefix}Source: Home Office, Police recorded crime and outcomes open data tables, "
                f"{self.edition} edition ({vint}). OGL v3.0.")

    def periods(self) -> tuple[Period | None, Period | None]:
        """(latest complete calendar year, latest complete financial year) for England and Wales."""
        return self.m.latest_complete(EW, "calendar"), self.m.latest_complete(EW, "financial")


def force_label(name: str) -> str:
    if name in ("Metropolitan Police",):
        return "the Metropolitan Police"
    return name if "Police" in name else f"{name} police"


# ----------------------------------------------------------------------------------------------- headline
def headline(ctx: Context, force: str) -> pd.DataFrame:
    """Headline figures for the latest complete calendar year and financial year, force and England and Wales."""
    name = forces_mod.resolve(force).name
    rows = []
    for period in [p for p in ctx.periods() if p is not None]:
        f, e = ctx.m.figures(name, period), ctx.m.figures(EW, period)
        rank = ctx.m.ranking(period)
        r = rank.loc[rank["force"] == name].iloc[0]
        rank_text = f"{int(r['rank'])} of {int(r['forces_ranked'])}" if pd.notna(r["rank"]) else "not ranked (incomplete)"
        for label, fv, ev in [
            ("offences closed", f"{f.closed:,}", f"{e.closed:,}"),
            ("victim did not support action (outcomes 14 + 16)", f"{f.vdns:,}", f"{e.vdns:,}"),
            ("rate: victim did not support action", _pct(f.rate), _pct(e.rate)),
            ("share of those with a suspect identified (outcome 16)", _pct(f.share, 0), _pct(e.share, 0)),
            ("rank among forces by rate (1 = highest)", rank_text, ""),
            ("complete data", "yes" if f.complete else "no: " + "; ".join(f.missing), "yes" if e.complete else "no"),
        ]:
            rows.append({"period": period.label, "measure": label, name: fv,
                         "England and Wales (without Greater Manchester)": ev})
    return pd.DataFrame(rows).set_index(["period", "measure"])


def _pct(v: float | None, decimals: int = 1) -> str:
    return "" if v is None else f"{100 * v:.{decimals}f}%"


# ----------------------------------------------------------------------------------------------- story
def _trend_words(latest: float, previous: float, prev_label: str, decimals: int = 1) -> str:
    a, b = round(100 * latest, decimals), round(100 * previous, decimals)
    if a > b:
        return f"up from {b:.{decimals}f}% in {prev_label}"
    if a < b:
        return f"down from {b:.{decimals}f}% in {prev_label}"
    return f"unchanged from {prev_label}"


def _highest_since(values: dict[int, float], year: int) -> str | None:
    """'the highest rate since 2016' when 2016 was as high or higher; a record phrase when no complete earlier
    year was as high; None when an earlier year of the series was higher and the last such year is the year
    before (nothing to say)."""
    earlier = {y: v for y, v in values.items() if y < year}
    if not earlier:
        return None
    higher = [y for y, v in earlier.items() if v >= values[year]]
    if not higher:
        return f"the highest since {min(earlier)}" if len(earlier) >= 2 else None
    last = max(higher)
    return f"the highest since {last}" if last < year - 1 else None


def story(ctx: Context, force: str) -> str:
    """A paragraph in the articles' style, with the right words for what the data say."""
    name = forces_mod.resolve(force).name
    cal = ctx.m.complete_years(name, "calendar")
    basis = "calendar" if len(cal) >= 2 else "financial"
    years = ctx.m.complete_years(name, basis)
    ew_years = ctx.m.complete_years(EW, basis)
    if not years:
        return (f"This edition has no complete year of data for {name}, so no figures can be given for it "
                f"(see the data notes).")
    latest = Period(basis, years[-1])
    f, e = ctx.m.figures(name, latest), ctx.m.figures(EW, latest)
    when = str(latest.year) if basis == "calendar" else f"the year to March {latest.year + 1}"
    label = lambda y: str(y) if basis == "calendar" else Period("financial", y).short  # noqa: E731
    rates = {y: ctx.m.figures(name, Period(basis, y)).rate for y in years}
    counts = {y: ctx.m.figures(name, Period(basis, y)).vdns for y in years}
    parts = []
    # a "record" needs at least three complete years to mean anything
    record_count = len(counts) >= 3 and all(counts[latest.year] > v for y, v in counts.items() if y != latest.year)
    if record_count:
        parts.append(f"A record number of criminal offences closed by {force_label(name)} in {when} fell through "
                     f"after the alleged victim did not support further action, figures show.")
    parts.append(f"Home Office data shows that of {f.closed:,} offences closed by {force_label(name)} in {when}, "
                 f"{f.vdns:,} fell through after the alleged victim did not support further action.")
    sentence = f"That is a rate of {100 * f.rate:.1f}%"
    since = _highest_since(rates, latest.year)
    if since:
        sentence += ", " + since.replace("the highest", "the highest rate")
    if len(years) >= 2:
        prev = years[-2]
        sentence += f", {_trend_words(f.rate, rates[prev], label(prev))}"
    parts.append(sentence + ".")
    if e.complete:
        ew_sentence = (f"Across England and Wales (excluding Greater Manchester), {100 * e.rate:.1f}% of offences "
                       f"closed in {when} ended this way")
        if latest.year in ew_years and len(ew_years) >= 2 and ew_years[-2] < latest.year:
            prev_e = ctx.m.figures(EW, Period(basis, ew_years[-2])).rate
            ew_sentence += f", {_trend_words(e.rate, prev_e, label(ew_years[-2]))}"
        parts.append(ew_sentence + ".")
    if f.vdns:
        parts.append(f"Of the cases dropped in {name} after a victim did not support further action, a suspect was "
                     f"identified for {f.suspect:,} – around {100 * f.share:.0f}%"
                     + (f", compared to {100 * e.share:.0f}% across England and Wales." if e.complete and e.share else "."))
    return " ".join(parts)


# ----------------------------------------------------------------------------------------------- data notes
GMP_GAP = "Greater Manchester Police could not supply data for July 2019 to March 2020 after moving to a new IT system"
KNOWN_CAVEATS = {
    "Greater Manchester": (GMP_GAP + ", and HMICFRS (December 2020) found it had closed some "
                           "victim-does-not-support cases prematurely. England and Wales comparisons exclude GMP "
                           "in every year."),
    "British Transport Police": ("British Transport Police is not a territorial force: it polices the railways "
                                 "across England, Wales and Scotland, so its offence mix differs from other forces'."),
    "Devon and Cornwall": ("Devon and Cornwall moved to a new records system in November 2022; quarters around the "
                           "change may be incomplete."),
}


def data_notes(ctx: Context, force: str) -> list[str]:
    name = forces_mod.resolve(force).name
    notes = []
    cov = ctx.coverage[ctx.coverage["force"] == name]
    gaps = cov[cov["status"] != "present"]
    if gaps.empty:
        notes.append(f"Every quarter of the edition ({len(cov)} quarters, {present.period_covered(ctx.build)}) is "
                     f"present for {name}.")
    else:
        notes.append(f"Quarters missing or without closed counts for {name}: "
                     + ", ".join(f"{r.quarter_label} ({r.status})" for r in gaps.itertuples())
                     + ". Totals for periods that include them are flagged incomplete, never shown as complete.")
    q = ctx.quality[ctx.quality["force"] == name]
    neg = q[q["issue"] == "negative"]
    if not neg.empty:
        by_col = neg.groupby("column").agg(cells=("cells", "sum"), total=("value_sum", "sum"))
        notes.append("Negative counts (reclassification adjustments, kept in the totals as published): "
                     + "; ".join(f"{int(r.cells):,} cells in the {col} column summing to {int(r.total):,}"
                                 for col, r in by_col.iterrows()) + ".")
    unexpected = q[(q["expected"] == "") & q["issue"].isin(["blank", "text", "non-integer"])]
    if not unexpected.empty:
        notes.append("Count cells that are blank or not numbers (left out of totals, not zero-filled): "
                     + "; ".join(f"{int(r.cells):,} {r.issue} cells ({r.token or 'empty'}) in the {r.column} column, "
                                 f"{r.financial_year} Q{int(r.fin_quarter)}" for r in unexpected.itertuples()) + ".")
    expected = q[(q["expected"] != "") & (q["issue"] != "negative")]
    if not expected.empty:
        notes.append(f"{int(expected['cells'].sum()):,} cells are blank or text by design (outcome type 0 has no "
                     "closed count; expired offence codes have no recorded count); they never enter a total.")
    if name in KNOWN_CAVEATS:
        notes.append(KNOWN_CAVEATS[name])
    if name != "Greater Manchester":
        notes.append(GMP_GAP + "; England and Wales figures here exclude Greater Manchester in every year.")
    notes.append("The Home Office revises these tables: figures from this edition (vintages: "
                 + "; ".join(f"{f['financial_year']} {f['vintage']}" for f in ctx.build["files"])
                 + ") can differ from other releases. Fraud is recorded centrally (Action Fraud), so force-level fraud "
                 "outcomes are not comparable between forces.")
    return notes


# ----------------------------------------------------------------------------------------------- charts
def chart_data(ctx: Context, force: str) -> dict[str, pd.DataFrame]:
    """The data behind every chart (saved as CSV beside the report)."""
    name = forces_mod.resolve(force).name
    q_force, q_ew = ctx.m.quarterly(name), ctx.m.quarterly(EW)
    quarterly = pd.concat([q_force, q_ew], ignore_index=True)
    yearly = []
    for basis in ("calendar", "financial"):
        for area in (name, EW):
            for y in ctx.m.years(basis):
                fig = ctx.m.figures(area, Period(basis, y))
                row = fig.as_row()
                row["year_basis"] = basis
                row["year"] = Period(basis, y).short
                yearly.append(row)
    yearly = pd.DataFrame(yearly)
    _, latest_fy = ctx.periods()
    fy = latest_fy.short if latest_fy else None
    a = ctx.agg[(ctx.agg["financial_year"] == fy) & ctx.agg["in_totals"]]
    mix_rows = []
    for area, members in ((name, [name]), (EW, ctx.m.figures(EW, latest_fy).forces if latest_fy else [])):
        part = a[a["force"].isin(members)].groupby("outcome_type")["closed"].sum()
        total = part.sum()
        for code, value in part.items():
            mix_rows.append({"area": area, "financial_year": fy, "outcome_type": code,
                             "outcome": outcomes.OUTCOME_TYPES.get(code, code), "closed": int(value),
                             "share_pct": round(100 * value / total, 2) if total else None})
    mix = pd.DataFrame(mix_rows)
    if not mix.empty:
        mix["_o"] = mix["outcome_type"].map(outcomes.sort_key)
        mix = mix.sort_values(["area", "_o"]).drop(columns="_o").reset_index(drop=True)
    g = ctx.groups[(ctx.groups["force"] == name) & (ctx.groups["financial_year"] == fy) & ctx.groups["in_totals"]]
    g = g.assign(vdns=g["closed"].where(g["outcome_type"].isin(outcomes.VICTIM_DID_NOT_SUPPORT), 0))
    groups = g.groupby("offence_group").agg(closed=("closed", "sum"), vdns=("vdns", "sum")).reset_index()
    groups["vdns_rate_pct"] = (100 * groups["vdns"] / groups["closed"].where(groups["closed"] > 0)).round(1)
    groups["share_of_force_vdns_pct"] = (100 * groups["vdns"] / groups["vdns"].sum()).round(1) if groups["vdns"].sum() else 0.0
    groups.insert(0, "financial_year", fy)
    groups = groups.sort_values("vdns", ascending=False).reset_index(drop=True)
    calendar_latest, _ = ctx.periods()
    place_period = calendar_latest or latest_fy
    place = ctx.m.ranking(place_period)[["force", "rate_pct", "rank", "forces_ranked", "complete", "period"]]
    place["is_this_force"] = place["force"] == name
    return {"rate_by_quarter": quarterly, "rate_by_year": yearly, "outcome_mix": mix,
            "offence_groups_14_16": groups, "place_among_forces": place}


def _finish(fig, ctx: Context, title: str):
    import textwrap

    text = ("SYNTHETIC DATA – " if ctx.synthetic else "") + title
    fig.suptitle("\n".join(textwrap.wrap(text, 75)), fontsize=11, fontweight="bold", x=0.02, y=0.985, ha="left",
                 va="top")
    fig.text(0.01, 0.005, "\n".join(textwrap.wrap(ctx.source_line(), 150)), fontsize=6.5, color="#555", ha="left",
             va="bottom")


def draw_charts(ctx: Context, force: str, data: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, Path]:
    """Draw the five charts, save each as PNG with its CSV; return name -> PNG path."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.85)
    name = forces_mod.resolve(force).name
    out_dir.mkdir(parents=True, exist_ok=True)
    colours = {name: "#c0392b", EW: "#7f8c8d"}
    pngs = {}

    def save(fig, key, left=0.1):
        # fixed margins (tight_layout would cost a second full draw of every figure)
        fig.subplots_adjust(left=left, right=0.97, top=0.84, bottom=0.16, wspace=0.08)
        path = out_dir / f"{key}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        write_text(out_dir / f"{key}.csv", data[key].to_csv(index=False))
        pngs[key] = path

    q = data["rate_by_quarter"]
    fig, ax = plt.subplots(figsize=(8, 4))
    for area, part in q.groupby("area", sort=False):
        ax.plot(part["quarter_start"], part["rate_pct"], marker="o", label=area if area != EW else "England and Wales (without GMP)",
                color=colours.get(area))
    ax.set_ylabel("% of offences closed")
    ax.set_xlabel("quarter (first month)")
    ax.legend(loc="best", fontsize=8)
    ax.set_ylim(bottom=0)
    _finish(fig, ctx, f"{name}: % of offences closed where the victim did not support action, by quarter")
    save(fig, "rate_by_quarter")

    y = data["rate_by_year"]
    y_complete = y[y["complete"]]
    fig, axes = plt.subplots(1, 2, figsize=(9, 4), sharey=True)
    for ax, basis in zip(axes, ("calendar", "financial")):
        part = y_complete[y_complete["year_basis"] == basis]
        if part.empty:
            ax.text(0.5, 0.5, f"no complete {basis} year\nin this edition", ha="center", va="center", transform=ax.transAxes)
        else:
            years = list(dict.fromkeys(part["year"]))
            for i, area in enumerate((name, EW)):
                vals = part[part["area"] == area].set_index("year")["rate_pct"].reindex(years)
                ax.bar([j + (i - 0.5) * 0.4 for j in range(len(years))], vals, width=0.4, color=colours[area],
                       label=area if area != EW else "England and Wales (without GMP)")
            ax.set_xticks(range(len(years)), years)
            ax.legend(fontsize=7, loc="upper left", framealpha=0.9)
        ax.set_title(f"{basis} years (complete only)", fontsize=9)
        ax.set_xlabel("")
        ax.set_ylabel("% of offences closed")
    _finish(fig, ctx, f"{name}: victim-did-not-support rate by year")
    save(fig, "rate_by_year", left=0.08)

    mix = data["outcome_mix"]
    fig, ax = plt.subplots(figsize=(9, 6))
    if not mix.empty:
        pivot = mix.pivot_table(index="outcome", columns="area", values="share_pct", sort=False).fillna(0)
        order = mix.drop_duplicates("outcome")["outcome"].tolist()
        pivot = pivot.reindex(order)[[c for c in (name, EW) if c in pivot.columns]]
        pivot.columns = [c if c != EW else "England and Wales (without GMP)" for c in pivot.columns]
        pivot.index = ["\n".join(textwrap.wrap(f"{code}: {label}", 48)) for code, label in
                       zip(mix.drop_duplicates("outcome")["outcome_type"], pivot.index)]
        pivot.plot.barh(ax=ax, color=[colours[name], colours[EW]][: len(pivot.columns)], width=0.8)
        ax.invert_yaxis()
        ax.set_xlabel(f"% of offences closed, financial year {mix['financial_year'].iloc[0]}")
        ax.set_ylabel("")
        ax.tick_params(axis="y", labelsize=7)
        ax.legend(fontsize=8)
    _finish(fig, ctx, f"{name}: the mix of outcomes")
    save(fig, "outcome_mix", left=0.36)

    groups = data["offence_groups_14_16"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    if not groups.empty:
        ax.barh(groups["offence_group"], groups["vdns"], color=colours[name])
        ax.invert_yaxis()
        ax.set_xlabel(f"outcomes 14 + 16 (victim did not support action), financial year {groups['financial_year'].iloc[0]}")
        ax.set_ylabel("")
        for i, r in enumerate(groups.itertuples()):
            ax.text(r.vdns, i, f"  {r.share_of_force_vdns_pct:.0f}%", va="center", fontsize=7)
    _finish(fig, ctx, f"{name}: which offence groups drive outcomes 14 and 16")
    save(fig, "offence_groups_14_16", left=0.3)

    place = data["place_among_forces"].dropna(subset=["rate_pct"]).sort_values("rate_pct", ascending=True)
    fig, ax = plt.subplots(figsize=(8, 8))
    ax.barh(place["force"], place["rate_pct"], color=[colours[name] if f else "#bdc3c7" for f in place["is_this_force"]])
    ew_rate = y[(y["area"] == EW) & (y["period"] == place["period"].iloc[0])]["rate_pct"] if not place.empty else []
    if len(ew_rate):
        ax.axvline(float(ew_rate.iloc[0]), color="#34495e", linestyle="--", linewidth=1)
        ax.text(float(ew_rate.iloc[0]), -0.9, " England and Wales", fontsize=7, color="#34495e")
    ax.tick_params(axis="y", labelsize=6.5)
    ax.set_xlabel(f"% of offences closed: victim did not support action, {place['period'].iloc[0] if not place.empty else ''}")
    _finish(fig, ctx, f"{name}: place among all forces")
    save(fig, "place_among_forces", left=0.24)
    return pngs


# ----------------------------------------------------------------------------------------------- rendering
def force_dir(edition: str, force: str) -> Path:
    return paths.reports_dir(edition) / "forces" / forces_mod.resolve(force).slug


def html_path(edition: str, force: str) -> Path:
    return paths.reports_dir(edition) / "forces" / f"{forces_mod.resolve(force).slug}.html"


def input_fingerprint(edition: str, force: str) -> str:
    """Changes when the processed data, the template notebook or the package code change."""
    h = hashlib.sha256(forces_mod.resolve(force).name.encode())
    processed = paths.edition_dir(edition)
    for name in (pipeline.AGGREGATE_FILE, pipeline.OFFENCE_GROUPS_FILE, pipeline.COVERAGE_FILE,
                 pipeline.QUALITY_FILE, pipeline.BUILD_FILE):
        h.update((processed / name).read_bytes())
    h.update((paths.project_root() / "notebooks" / f"{TEMPLATE}.ipynb").read_bytes())
    for py in sorted(paths.PACKAGE_DIR.glob("*.py")):
        h.update(py.name.encode() + py.read_bytes())
    return h.hexdigest()


def render_force(edition: str, force: str, *, fingerprint: str | None = None, kernel=None) -> Path:
    """Run the template for one force with papermill, then convert it to HTML. `kernel`: a
    notebooks.ReusableKernel to run in (the parallel workers keep one each)."""
    from . import notebooks

    name = forces_mod.resolve(force).name
    out_nb = force_dir(edition, name) / "report.ipynb"
    try:
        notebooks.execute(TEMPLATE, out_nb, {"force": name, "edition": edition}, strip=False,
                          kernel_manager=kernel.get() if kernel else None)
    except Exception:
        if kernel:
            kernel.restart()  # never reuse a kernel whose run failed
        raise
    build = pipeline.load_build(edition)
    page = notebooks.to_html(out_nb, html_path(edition, name), title=f"{name}: crime outcomes report", build=build,
                             index_href="../index.html")
    fp = fingerprint or input_fingerprint(edition, name)
    write_text(Path(str(page) + FINGERPRINT_SUFFIX), json.dumps({"force": name, "inputs": fp}))
    return page


_WORKER_KERNEL = None


def _worker_init() -> None:
    from multiprocessing.util import Finalize

    from .notebooks import ReusableKernel

    global _WORKER_KERNEL
    _WORKER_KERNEL = ReusableKernel()
    # pool workers skip atexit; multiprocessing's own exit hook runs this finaliser
    Finalize(_WORKER_KERNEL, _WORKER_KERNEL.shutdown, exitpriority=10)


def _render_worker(edition: str, force: str, fingerprint: str) -> tuple[str, float]:
    t = time.perf_counter()
    render_force(edition, force, fingerprint=fingerprint, kernel=_WORKER_KERNEL)
    return force, time.perf_counter() - t


def is_current(edition: str, force: str, fingerprint: str) -> bool:
    page = html_path(edition, force)
    marker = Path(str(page) + FINGERPRINT_SUFFIX)
    if not (page.is_file() and marker.is_file()):
        return False
    try:
        return json.loads(marker.read_text()).get("inputs") == fingerprint
    except ValueError:
        return False


def forces_in(ctx: Context) -> list[str]:
    present_forces = set(ctx.coverage.loc[ctx.coverage["rows"] > 0, "force"])
    return [f.name for f in forces_mod.POLICE_FORCES if f.name in present_forces]


def render_all(edition: str, *, jobs: int | None = None, only: list[str] | None = None, log=print) -> dict:
    """Render every force present in the processed data (or `only`), in parallel, skipping unchanged ones;
    then write the index. Returns timing figures."""
    started = time.perf_counter()
    ctx = Context.load(edition)
    names = [forces_mod.resolve(f).name for f in only] if only else forces_in(ctx)
    todo, skipped = [], []
    for name in names:
        fp = input_fingerprint(edition, name)
        (skipped if is_current(edition, name, fp) else todo).append((name, fp))
    jobs = max(1, jobs or os.cpu_count() or 1)
    log(f"{len(names)} force reports for edition {edition!r}: {len(todo)} to render, {len(skipped)} unchanged "
        f"(skipped), {jobs} in parallel")
    failures = []
    if todo:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            futures = {pool.submit(_render_worker, edition, n, fp): n for n, fp in todo}
            for i, fut in enumerate(as_completed(futures), start=1):
                name = futures[fut]
                try:
                    _, secs = fut.result()
                    log(f"  [{i}/{len(todo)}] {name} ({secs:.1f} s)")
                except Exception as exc:  # report every failure, then fail
                    failures.append((name, exc))
                    log(f"  [{i}/{len(todo)}] {name} FAILED: {str(exc).splitlines()[-1] if str(exc) else exc!r}")
    if failures:
        raise RuntimeError(f"{len(failures)} force report(s) failed: " + ", ".join(n for n, _ in failures))
    index = write_index(ctx)
    seconds = time.perf_counter() - started
    log(f"index: {paths.relative(index)} ({seconds:.1f} s)")
    return {"forces": len(names), "rendered": len(todo), "skipped": len(skipped), "seconds": seconds}


# ----------------------------------------------------------------------------------------------- index
def index_table(ctx: Context) -> pd.DataFrame:
    cal, fy = ctx.periods()
    rows = []
    rank_cal = ctx.m.ranking(cal).set_index("force") if cal else None
    for name in forces_in(ctx):
        f = forces_mod.resolve(name)
        row = {"force": name, "link": f"forces/{f.slug}.html"}
        for period, rank in ((cal, rank_cal), (fy, None)):
            if period is None:
                continue
            fig = ctx.m.figures(name, period)
            row[f"offences closed {period.short}"] = f"{fig.closed:,}" if fig.complete else "incomplete"
            row[f"_closed {period.short}"] = fig.closed
            row[f"rate {period.short}"] = _pct(fig.rate) if fig.complete else "incomplete"
            row[f"_rate {period.short}"] = round(100 * fig.rate, 3) if fig.complete and fig.rate is not None else -1
            if rank is not None:
                r = rank.loc[name, "rank"]
                row[f"rank {period.short}"] = "" if pd.isna(r) else int(r)
        gaps = ctx.coverage[(ctx.coverage["force"] == name) & (ctx.coverage["status"] != "present")]
        row["missing quarters"] = ", ".join(gaps["quarter_label"]) if len(gaps) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def write_index(ctx: Context) -> Path:
    table = index_table(ctx)
    cal, fy = ctx.periods()
    sort_values = {}
    for c in table.columns:
        if c.startswith("offences closed "):
            sort_values[c] = "_closed " + c.split(" ")[-1]
        elif c.startswith("rate "):
            sort_values[c] = "_rate " + c.split(" ")[-1]
    numeric = [c for c in table.columns if c.startswith(("offences closed", "rate ", "rank "))]
    links = {"force": "link"}
    body = [
        "<p>One report per police force: headline figures, charts with the data behind them (CSV), a story "
        "paragraph and data notes. The rate is the share of offences closed where the victim did not support further "
        "action (outcome types 14 + 16); England and Wales excludes Greater Manchester. Click a column heading to sort.</p>",
        f"<p>Periods: the latest complete calendar year ({html.escape(cal.label if cal else 'none in this edition')}) "
        f"and the latest complete financial year ({html.escape(fy.label if fy else 'none')}).</p>",
        present.html_table(table, sortable=True, numeric=numeric, links=links, sort_values=sort_values),
        "<h2>More</h2><ul>"
        '<li><a href="claims.html">Claims audit: every figure in the June 2021 articles</a></li>'
        '<li><a href="00_dataset_guide.html">Dataset guide (for students)</a></li>'
        '<li><a href="04_sensitivity.html">Sensitivity of the headline rate</a></li>'
        '<li><a href="01_clean.html">Cleaning notebook: files, coverage, quality</a></li></ul>',
    ]
    path = paths.reports_dir(ctx.edition) / "index.html"
    write_text(path, present.page(f"Crime outcomes by police force: {ctx.edition} edition", "\n".join(body),
                                  ctx.build, sortable=True))
    return path


def main_reports(edition: str, force: str | None, jobs: int | None) -> int:
    try:
        render_all(edition, jobs=jobs, only=[force] if force else None)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if force:
        print(f"report: {paths.relative(html_path(edition, force))}")
    return 0
