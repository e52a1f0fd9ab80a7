"""The claims registry (config/claims.yaml) and the audit of each claim against an edition.

Verdicts:
- reproduced: equal at the article's printed precision;
- revised: not equal, but within the registry's tolerance (data revisions since publication explain it);
- differs: outside the tolerance;
- not verifiable: the edition lacks quarters the claim needs (listed);
- not from this dataset: a figure from another source (named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import forces as forces_mod
from . import paths
from .config import read_yaml
from .errors import DataError
from .measures import EW, Measures, Period, quarters_label

REPRODUCED, REVISED, DIFFERS, NOT_VERIFIABLE, NOT_FROM_DATASET = (
    "reproduced", "revised", "differs", "not verifiable", "not from this dataset")
VERDICTS = (REPRODUCED, REVISED, DIFFERS, NOT_VERIFIABLE, NOT_FROM_DATASET)

VALUE_MEASURES = ("closed", "vdns_count", "vdns_rate", "suspect_identified_count", "suspect_identified_share")
RECORD_MEASURES = ("record_rate", "record_count")
MEASURES = VALUE_MEASURES + RECORD_MEASURES + ("coverage_gap", "external")
MEASURE_LABELS = {
    "closed": "offences closed", "vdns_count": "victim did not support action (14+16)",
    "vdns_rate": "rate: victim did not support action", "suspect_identified_count": "suspect identified (16)",
    "suspect_identified_share": "share with suspect identified", "record_rate": "record: rate",
    "record_count": "record: count (14+16)", "coverage_gap": "incomplete data (coverage)", "external": "other source",
}
DEFAULT_REGISTRY = "claims.yaml"


def default_path() -> Path:
    return paths.config_dir() / DEFAULT_REGISTRY


@dataclass(frozen=True)
class Claimed:
    """A figure as printed: value, unit and the precision the article used."""

    text: str
    unit: str  # count | percent | record | coverage | text
    value: float | None = None
    decimals: int = 0
    since: int | None = None

    @classmethod
    def parse(cls, text: str, measure: str, where: str) -> Claimed:
        t = str(text).strip()
        if measure == "external":
            return cls(t, "text")
        if measure in RECORD_MEASURES:
            m = re.fullmatch(r"(?i)highest since (\d{4})", t)
            if not m:
                raise DataError(f"{where}: claimed must read 'highest since YEAR' for {measure}, got {t!r}")
            return cls(t, "record", since=int(m.group(1)))
        if measure == "coverage_gap":
            if t.lower() != "incomplete":
                raise DataError(f"{where}: claimed must be 'incomplete' for coverage_gap, got {t!r}")
            return cls(t, "coverage")
        m = re.fullmatch(r"(\d[\d,]*)(?:\.(\d+))?\s*(%?)", t)
        if not m:
            raise DataError(f"{where}: claimed figure {t!r} not understood: write it as printed, e.g. '81,842' or '43.1%'")
        whole, frac, pct = m.groups()
        value = float(whole.replace(",", "") + ("." + frac if frac else ""))
        is_rate = measure in ("vdns_rate", "suspect_identified_share")
        if is_rate != bool(pct):
            raise DataError(f"{where}: {measure} needs {'a percentage' if is_rate else 'a count'}, got {t!r}")
        return cls(t, "percent" if pct else "count", value, len(frac or ""))


@dataclass(frozen=True)
class Claim:
    id: str
    article: str
    quote: str
    measure: str
    claimed: Claimed
    source: str
    area: str | None = None
    period: Period | None = None
    source_name: str = ""
    tolerance: dict = field(default_factory=dict)
    note: str = ""


@dataclass
class Registry:
    path: Path
    articles: dict
    claims: list[Claim]
    basis: str
    exclude: tuple[str, ...]
    tolerance: dict


def load(path: Path | str | None = None) -> Registry:
    path = Path(path) if path else default_path()
    doc = read_yaml(path, "claims registry", DataError)
    defaults = doc.get("defaults") or {}
    articles = doc.get("articles") or {}
    claims, seen = [], set()
    for i, entry in enumerate(doc.get("claims") or [], start=1):
        where = f"{path.name}: claim {i} ({entry.get('id', 'no id')})"
        for key in ("id", "article", "quote", "measure", "claimed", "source"):
            if not entry.get(key):
                raise DataError(f"{where}: missing field {key!r}")
        if entry["id"] in seen:
            raise DataError(f"{where}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        if entry["article"] not in articles:
            raise DataError(f"{where}: article {entry['article']!r} is not listed under articles:")
        measure = entry["measure"]
        if measure not in MEASURES:
            raise DataError(f"{where}: unknown measure {measure!r}; known: {', '.join(MEASURES)}")
        if entry["source"] not in ("dataset", "other"):
            raise DataError(f"{where}: source must be 'dataset' or 'other', got {entry['source']!r}")
        if (entry["source"] == "other") != (measure == "external"):
            raise DataError(f"{where}: use measure 'external' exactly when source is 'other'")
        if entry["source"] == "other" and not entry.get("source_name"):
            raise DataError(f"{where}: name the source (source_name) of a figure not from this dataset")
        area = period = None
        if measure != "external":
            if not entry.get("area") or not entry.get("period"):
                raise DataError(f"{where}: a dataset claim needs area and period")
            area = EW if str(entry["area"]).strip().lower() == EW.lower() else forces_mod.resolve(entry["area"]).name
            try:
                period = Period.parse(entry["period"])
            except ValueError as exc:
                raise DataError(f"{where}: {exc}") from None
        claims.append(Claim(
            id=entry["id"], article=entry["article"], quote=" ".join(str(entry["quote"]).split()), measure=measure,
            claimed=Claimed.parse(entry["claimed"], measure, where), source=entry["source"], area=area, period=period,
            source_name=entry.get("source_name", ""), tolerance=entry.get("tolerance") or {}, note=entry.get("note", ""),
        ))
    return Registry(path, articles, claims, defaults.get("basis", "closed"),
                    tuple(defaults.get("exclude", ["Greater Manchester"])), defaults.get("tolerance") or {})


def _fmt(value: float | None, unit: str, decimals: int = 1) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if unit == "count" else f"{value:.{decimals}f}%"


def _tolerance(claim: Claim, registry: Registry) -> tuple[str, float]:
    """('relative', 0.02) for counts or ('points', 0.5) for percentages."""
    tol = claim.tolerance or registry.tolerance.get(claim.claimed.unit, {})
    if "relative" in tol:
        return "relative", float(tol["relative"])
    if "points" in tol:
        return "points", float(tol["points"])
    return ("relative", 0.0) if claim.claimed.unit == "count" else ("points", 0.0)


def _tolerance_text(kind: str, amount: float) -> str:
    return f"±{amount:.1%}" if kind == "relative" else f"±{amount:g} percentage points"


def audit_claim(claim: Claim, registry: Registry, m: Measures) -> dict:
    row = {"claim_id": claim.id, "article": claim.article, "quote": claim.quote, "area": claim.area or "",
           "period": claim.period.label if claim.period else "", "measure": MEASURE_LABELS[claim.measure],
           "claimed": claim.claimed.text, "computed": "", "difference": "", "tolerance": "", "verdict": "",
           "explanation": ""}
    if claim.measure == "external":
        row.update(verdict=NOT_FROM_DATASET,
                   explanation=f"From {claim.source_name}. The outcomes open data hold police-recorded outcomes only, "
                               "so this figure cannot be checked against them.")
        return row

    if claim.measure == "coverage_gap":
        members = [claim.area]
        periods = [Period("calendar", y) for y in range(claim.period.year - 1, claim.period.year + 1)] \
            if claim.period.basis == "calendar" else [claim.period]
        not_in_edition, absent = [], []
        for p in periods:
            for item in m.missing_quarters(members, p):
                (not_in_edition if "not in this edition" in item else absent).append(item)
        absent = sorted(set(absent))
        span = ", ".join(p.label for p in periods)
        if absent:
            row.update(computed=f"{len(absent)} quarter(s) missing", verdict=REPRODUCED,
                       explanation=f"{claim.area} lacks data in {span}: " + "; ".join(absent)
                       + ". Excluding it from England and Wales in every year keeps the years comparable.")
        elif not_in_edition:
            row.update(verdict=NOT_VERIFIABLE,
                       explanation=f"The edition lacks the quarters needed to check {claim.area}'s coverage in {span}: "
                       + "; ".join(sorted(set(not_in_edition))) + ".")
        else:
            row.update(computed="complete", verdict=DIFFERS,
                       explanation=f"{claim.area} has data for every quarter of {span} in this edition.")
        return row

    if claim.measure in RECORD_MEASURES:
        metric = "rate" if claim.measure == "record_rate" else "count"
        check = m.record(claim.area, claim.period.year, claim.claimed.since, metric, claim.period.basis)
        if not check.verifiable:
            needed = {y: check.incomplete[y] for y in (claim.claimed.since, claim.period.year) if y in check.incomplete}
            row.update(verdict=NOT_VERIFIABLE, explanation=(
                f"A record since {claim.claimed.since} needs complete data for {claim.period.year} and "
                f"{claim.claimed.since} at least; missing: "
                + "; ".join(f"{y}: {', '.join(v)}" for y, v in sorted(needed.items())) + "."))
            return row
        if check.is_highest:
            row.update(computed=f"highest since {claim.claimed.since}", verdict=REPRODUCED,
                       explanation=f"{claim.period.year} is the highest {check.describe()}.")
        else:
            row.update(computed=f"not the highest ({', '.join(map(str, check.higher_years))} as high or higher)",
                       verdict=DIFFERS, explanation=f"{claim.period.year} is not the highest: {check.describe()}.")
        return row

    fig = m.figures(claim.area, claim.period)
    parts = f"{quarters_label(claim.period.quarters)}, {fig.basis} basis" + (
        f", England and Wales without {', '.join(m.exclude)}" if claim.area == EW and m.exclude else "")
    if not fig.complete:
        row.update(verdict=NOT_VERIFIABLE,
                   explanation=f"The edition lacks quarters needed for {claim.period.label} ({parts}): "
                   + "; ".join(fig.missing) + ".")
        return row
    raw_value = fig.value(claim.measure)
    unit, decimals = claim.claimed.unit, claim.claimed.decimals
    computed = raw_value if unit == "count" else (None if raw_value is None else 100 * raw_value)
    if computed is None:
        row.update(verdict=NOT_VERIFIABLE, explanation=f"The denominator is zero for {claim.period.label}.")
        return row
    shown = round(computed, decimals)
    kind, amount = _tolerance(claim, registry)
    diff = computed - claim.claimed.value
    within = (abs(diff) <= amount * claim.claimed.value) if kind == "relative" else (abs(shown - claim.claimed.value) <= amount)
    if shown == claim.claimed.value:
        verdict = REPRODUCED
    elif within:
        verdict = REVISED
    else:
        verdict = DIFFERS
    detail = {"closed": f"sum of outcome types 1-22 ({fig.closed:,})",
              "vdns_count": f"outcome types 14 + 16 ({fig.vdns:,})",
              "vdns_rate": f"{fig.vdns:,} (types 14 + 16) / {fig.closed:,} closed",
              "suspect_identified_count": f"outcome type 16 ({fig.suspect:,})",
              "suspect_identified_share": f"{fig.suspect:,} (type 16) / {fig.vdns:,} (types 14 + 16)"}[claim.measure]
    computed_text = _fmt(computed, unit, decimals)
    if unit == "count":
        diff_text = f"{diff:+,.0f} ({diff / claim.claimed.value:+.2%})" if diff else "0"
    else:
        diff_text = f"{shown - claim.claimed.value:+.{max(decimals, 1)}f} points" if shown != claim.claimed.value else "0"
    precision = "exactly" if unit == "count" else (f"at {decimals} decimal{'s' if decimals != 1 else ''}" if decimals else "to the whole percent")
    verdict_text = {
        REPRODUCED: f"equals the printed {claim.claimed.text} {precision}",
        REVISED: f"differs from the printed {claim.claimed.text} by {diff_text}, within the tolerance "
                 f"{_tolerance_text(kind, amount)} that revisions to the data since publication explain",
        DIFFERS: f"differs from the printed {claim.claimed.text} by {diff_text}, outside the tolerance "
                 f"{_tolerance_text(kind, amount)}",
    }[verdict]
    row.update(computed=computed_text, difference=diff_text, tolerance=_tolerance_text(kind, amount), verdict=verdict,
               explanation=f"{detail} for {claim.area}, {claim.period.label} ({parts}) {verdict_text}.")
    return row


def audit(registry: Registry, counts: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """The audit table: one row per claim."""
    m = Measures(counts, coverage, basis=registry.basis, exclude=registry.exclude)
    return pd.DataFrame([audit_claim(c, registry, m) for c in registry.claims])


def verdict_counts(table: pd.DataFrame) -> pd.Series:
    return table["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


AUDIT_CSV = "claims_audit.csv"
METHOD_TEXT = (
    "Each dataset claim is recomputed from the edition's processed quarters: a calendar year Y is financial Q4 of "
    "(Y-1)/Y plus Q1-Q3 of Y/(Y+1); offences closed = every outcome type except 0 and the 1a/2a/3a 'of which' "
    "rows, on the closed basis (outcomes assigned in the quarter); victim did not support further action = "
    "outcome types 14 + 16, rate = (14+16) / closed; suspect identified = type 16, share = 16 / (14+16); "
    "England and Wales = all police forces except Greater Manchester. A claim is 'reproduced' when the computed "
    "value equals the printed one at the printed precision, 'revised' when it differs within the stated "
    "tolerance, 'differs' otherwise, and 'not verifiable' when the edition lacks a needed quarter.")


def write_outputs(table: pd.DataFrame, edition: str, build: dict, registry: Registry,
                  processed_dir: Path | None = None, reports_dir: Path | None = None) -> tuple[Path, Path]:
    """claims_audit.csv beside the processed edition and a self-contained reports/<edition>/claims.html."""
    import html as html_mod

    from . import present
    from .atomic import write_text

    processed = (Path(processed_dir) if processed_dir else paths.processed_dir()) / edition
    csv_path = processed / AUDIT_CSV
    write_text(csv_path, table.to_csv(index=False))
    html_path = (Path(reports_dir) / edition if reports_dir else paths.reports_dir(edition)) / "claims.html"
    counts = verdict_counts(table)
    summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    body = [f"<p><strong>{len(table)} claims</strong> from {len(registry.articles)} articles: {html_mod.escape(summary)}.</p>",
            f"<h2>Method</h2><p>{html_mod.escape(METHOD_TEXT)}</p>"]
    for key, art in registry.articles.items():
        part = table[table["article"] == key]
        if part.empty:
            continue
        body.append(f"<h2>{html_mod.escape(str(art.get('title', key)))}</h2>")
        body.append(present.html_table(
            part[["claim_id", "quote", "area", "period", "measure", "claimed", "computed", "difference", "tolerance",
                  "verdict", "explanation"]],
            row_class=lambda r: "v-" + str(r["verdict"]).replace(" ", "-")))
    body.append('<p><a href="index.html">All forces</a> · <a href="00_dataset_guide.html">Dataset guide</a></p>')
    write_text(html_path, present.page(f"Claims audit: {edition} edition", "\n".join(body), build,
                                       nav='<a href="index.html">← All forces and reports</a>'))
    return csv_path, html_path
