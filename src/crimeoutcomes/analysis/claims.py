"""Claims registries (config/claims/*.yaml, or any file a user brings) and the audit of each claim.

A claim is a published figure written in the general form (see docs/claims.md):

    area: a force | "England and Wales" | [forces, summed]
    period: "calendar 2018" | "financial year 2017/18" | "2018/19 Q1-Q2" | "year ending September 2018"
    basis: closed | recorded
    offences: all | {code} | {codes} | {group} | {subgroup}
    numerator: outcome types [18] | all | all_including_unassigned | {all_except: [...]}
    denominator: the same forms, for a rate or share
    claimed: "5,523" | "82%" | "1 in 24" | "highest since 2015"

The articles' measure names (closed, vdns_rate, ...) are shorthands for numerator/denominator pairs.

Verdicts:
- reproduced: the computed value is what the printed figure says at its printed precision ("82%" means
  81.5 <= x < 82.5; "1 in 24" means 1/24.5 < x <= 1/23.5; a count means exactly);
- revised: not, but within the registry's tolerance (revisions to the data since publication explain it);
- differs: outside the tolerance;
- not verifiable: the edition lacks a quarter the claim needs (listed), with the nearest figure it can compute;
- not from this dataset: a figure from another source (named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataError
from ..yamlfile import read_yaml, short, validate
from . import measures as m
from .periods import Period

REPRODUCED, REVISED, DIFFERS, NOT_VERIFIABLE, NOT_FROM_DATASET = (
    "reproduced",
    "revised",
    "differs",
    "not verifiable",
    "not from this dataset",
)
VERDICTS = (REPRODUCED, REVISED, DIFFERS, NOT_VERIFIABLE, NOT_FROM_DATASET)
RECORD_MEASURES = {"record_rate": "vdns_rate", "record_count": "vdns_count"}
SPECIAL_MEASURES = ("coverage_gap", "external")
MEASURES = (*m.SHORTHANDS, *RECORD_MEASURES, *SPECIAL_MEASURES)
DEFAULT_TOLERANCE = {"count": {"relative": 0.02}, "percent": {"points": 0.5}}
AUDIT_COLUMNS = [
    "id",
    "article",
    "verdict",
    "computed",
    "claimed",
    "difference",
    "reason",
    "unit",
    "computed_text",
    "tolerance",
    "caveats",
    "quote",
    "area",
    "period",
    "basis",
    "offences",
    "numerator",
    "denominator",
    "numerator_value",
    "denominator_value",
    "nearest_period",
    "nearest_computed",
    "nearest_text",
    "edition_to_check",
    "rows",
    "registry",
]


def default_registries() -> list[Path]:
    return sorted(paths.claims_dir().glob("*.yaml"))


# ------------------------------------------------------------------------------------------------ claimed values
@dataclass(frozen=True)
class Claimed:
    """A figure as printed: its unit and the precision the article used."""

    text: str
    unit: str  # count | percent | one_in | record | coverage | text
    value: float | None = None  # the count, the percentage, or N of "1 in N"
    decimals: int = 0
    since: int | None = None

    @classmethod
    def parse(cls, text, kind: str = "value") -> Claimed:
        t = " ".join(str(text).split())
        if kind == "external":
            return cls(t, "text")
        if kind == "coverage":
            if t.lower() != "incomplete":
                raise ValueError(f"claimed must be 'incomplete' for a coverage claim, got {t!r}")
            return cls(t, "coverage")
        m_rec = re.fullmatch(r"(?i)(?:the )?highest since (\d{4})", t)
        if m_rec:
            return cls(t, "record", since=int(m_rec.group(1)))
        if kind == "record":
            raise ValueError(f"claimed must read 'highest since YEAR' for a record claim, got {t!r}")
        m_one = re.fullmatch(r"(?i)(?:1|one) in (\d[\d,]*)(?:\.(\d+))?", t)
        if m_one:
            whole, frac = m_one.groups()
            n = float(whole.replace(",", "") + ("." + frac if frac else ""))
            if n < 1:
                raise ValueError(f"'1 in N' needs N of at least 1, got {t!r}")
            return cls(t, "one_in", n, len(frac or ""))
        m_num = re.fullmatch(r"(-?\d{1,3}(?:,\d{3})+|-?\d+)(?:\.(\d+))?\s*(%|per ?cent)?", t, re.IGNORECASE)
        if not m_num:
            raise ValueError(
                f"claimed figure {t!r} not understood: write it as printed, e.g. '5,523', '82%', '4.2%', "
                "'1 in 24' or 'highest since 2015'"
            )
        whole, frac, pct = m_num.groups()
        value = float(whole.replace(",", "") + ("." + frac if frac else ""))
        if not pct and frac:
            raise ValueError(f"claimed count {t!r} has decimals: a count is a whole number (a percentage needs '%')")
        return cls(t, "percent" if pct else "count", value, len(frac or ""))

    @property
    def is_rate(self) -> bool:
        return self.unit in ("percent", "one_in")

    @property
    def as_percent(self) -> float | None:
        if self.unit == "one_in":
            return 100 / self.value
        return self.value if self.unit == "percent" else None

    def matches(self, computed: float) -> bool:
        """computed: a count, or a percentage for a rate."""
        if self.unit == "count":
            return computed == self.value
        if self.unit == "percent":
            half = 0.5 * 10**-self.decimals
            return self.value - half <= computed + 1e-9 and computed + 1e-9 < self.value + half
        if self.unit == "one_in":  # "1 in 24": 1/24.5 < x <= 1/23.5, i.e. 23.5 <= 1/x < 24.5
            if computed <= 0:
                return False
            n, half = 100 / computed, 0.5 * 10**-self.decimals
            return self.value - half - 1e-9 <= n < self.value + half - 1e-9
        return False

    def format(self, computed: float) -> str:
        """A computed value written at this claim's printed precision."""
        if self.unit == "count":
            return f"{_half_up(computed, 0):,}"
        if self.unit == "one_in":
            return f"1 in {_half_up(100 / computed, self.decimals):,}" if computed else "none"
        return f"{_half_up(computed, self.decimals)}%"


def _half_up(x: float, decimals: int) -> Decimal:
    """x rounded as a reader rounds (43.05 -> 43.1, 2.5 -> 3), the rule matches() uses."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------------------ claims
@dataclass(frozen=True)
class Claim:
    id: str
    article: str
    quote: str
    kind: str  # value | record | coverage | external
    claimed: Claimed
    registry: str
    query: m.Query | None = None
    measure: str = ""
    source_name: str = ""
    tolerance: dict = field(default_factory=dict)
    note: str = ""
    reading: str = ""  # how the figure is read where that is approximate, or a coincidence worth knowing


@dataclass
class Registry:
    path: Path
    articles: dict
    claims: list[Claim]
    tolerance: dict

    @property
    def name(self) -> str:
        """The file's name, as pages and tables show it (printable whatever bytes it holds)."""
        return paths.printable(self.path.name)


class _Where:
    def __init__(self, path: Path, claim_id=None, index: int | None = None):
        self.path, self.claim_id, self.index = path, claim_id, index

    def error(self, field_name: str | None, problem: str) -> DataError:
        who = f"claim {short(self.claim_id)}" if self.claim_id else f"claim {self.index}"
        where = f"{paths.relative(self.path)}: {who}" + (f", field {field_name!r}" if field_name else "")
        return DataError(f"{where}: {problem}")


_TEXT = {"type": "string", "maxLength": 2000}
_NAMES = {"anyOf": [{"type": "string", "maxLength": 200}, {"type": "array", "maxItems": 50, "items": _TEXT}]}
_OUTCOMES = {"type": ["string", "integer", "array", "object"]}  # the forms are checked by measures.OutcomeSet
_TOLERANCE = {
    "description": "write {relative: 0.02} (a share of the printed count) or {points: 0.5} (percentage points)",
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "additionalProperties": False,
    "properties": {"relative": {"type": "number", "minimum": 0}, "points": {"type": "number", "minimum": 0}},
}
_CLAIM_ID = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"}
#: a claims registry; the claim form's meaning (periods, areas, outcome types) is checked after it, claim by claim
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["claims"],
    "properties": {
        "description": _TEXT,
        "defaults": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "basis": {"enum": list(m.BASES)},
                "exclude": _NAMES,
                "tolerance": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"count": _TOLERANCE, "percent": _TOLERANCE},
                },
            },
        },
        "articles": {
            "description": "list the articles as key: {title: ..., url: ...} lines (see docs/claims.md)",
            "type": "object",
            "maxProperties": 10_000,
            "propertyNames": {"type": "string", "maxLength": 200},
            "additionalProperties": {
                "description": "write an article as {title: ..., url: ...} (see docs/claims.md)",
                "type": "object",
                "additionalProperties": False,
                "required": ["title"],
                "properties": {
                    "title": _TEXT,
                    "url": _TEXT,
                    "published": _TEXT,
                    "publisher": _TEXT,
                    "file": _TEXT,
                    "release": _TEXT,
                    "last_year": {"type": "integer"},
                },
            },
        },
        "claims": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100_000,
            "items": {
                "description": "see docs/claims.md for the claim form",
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "article", "quote", "claimed"],
                "properties": {
                    "id": _CLAIM_ID,
                    "article": {"type": "string", "maxLength": 200},
                    "quote": {"type": "string", "minLength": 1, "maxLength": 5000},
                    "area": _NAMES,
                    "period": {"type": ["string", "integer"]},
                    "basis": {"enum": list(m.BASES)},
                    "offences": {"type": ["string", "object"], "maxProperties": 1},
                    "numerator": _OUTCOMES,
                    "denominator": _OUTCOMES,
                    "claimed": {"type": ["string", "number"]},
                    "exclude": _NAMES,
                    "source": {"enum": ["dataset", "other"]},
                    "source_name": _TEXT,
                    "tolerance": _TOLERANCE,
                    "note": _TEXT,
                    "reading": _TEXT,
                    "measure": {"enum": list(MEASURES)},
                },
            },
        },
    },
}


def _where_in_registry(doc: dict, location: list) -> str:
    """['claims', 2, 'quote'] -> "claim 'x', field 'quote'" (or "claim 3" when it has no usable id)."""
    if len(location) >= 2 and location[0] == "claims" and isinstance(location[1], int):
        entry = doc["claims"][location[1]]
        cid = entry.get("id") if isinstance(entry, dict) else None
        who = f"claim {short(cid)}" if isinstance(cid, str) and cid else f"claim {location[1] + 1}"
        field = ".".join(str(p) for p in location[2:])
        return who + (f", field {field!r}" if field else "")
    return ".".join(str(p) for p in location) or "top level"


def load(path: Path | str) -> Registry:
    """Read and check one registry; every problem is an error naming the file, the claim and the field."""
    path = Path(path)
    doc = read_yaml(path, "claims registry", DataError)
    validate(doc, SCHEMA, paths.relative(path), DataError, where=_where_in_registry)
    defaults = doc.get("defaults") or {}
    articles = doc.get("articles") or {}
    tolerance = {**DEFAULT_TOLERANCE, **(defaults.get("tolerance") or {})}
    claims, seen = [], set()
    for i, entry in enumerate(doc["claims"], start=1):
        where = _Where(path, entry["id"], i)
        if entry["id"] in seen:
            raise where.error("id", f"duplicate id {entry['id']!r}: every claim id must be unique")
        seen.add(entry["id"])
        if entry["article"] not in articles:
            raise where.error(
                "article",
                f"{entry['article']!r} is not listed under articles: ({', '.join(articles) or 'none listed'})",
            )
        claims.append(_claim(entry, where, defaults, path))
    return Registry(path, articles, claims, tolerance)


def _query(entry: dict, where: _Where, defaults: dict) -> tuple[m.Area, Period, str, m.OffenceScope]:
    """The area, period, basis and offences a claim names (checked)."""
    for key in ("area", "period"):
        if entry.get(key) in (None, "", []):
            raise where.error(key, "missing (required for a figure from this dataset)")
    exclude = entry.get("exclude", defaults.get("exclude", list(m.DEFAULT_EXCLUDE))) or []
    exclude = [exclude] if isinstance(exclude, str) else exclude
    try:
        area = m.Area.of(entry["area"], exclude=exclude)
    except DataError as exc:
        raise where.error("area" if "exclude" not in entry else "area/exclude", str(exc)) from None
    if entry.get("exclude") and area.name != m.EW:
        raise where.error("exclude", "only an England and Wales area leaves forces out; remove exclude")
    try:
        period = Period.parse(entry["period"])
    except ValueError as exc:
        raise where.error("period", str(exc)) from None
    try:
        offences = m.OffenceScope.parse(entry.get("offences", "all"))
    except ValueError as exc:
        raise where.error("offences", str(exc)) from None
    return area, period, entry.get("basis", defaults.get("basis", "closed")), offences


def _outcomes(entry: dict, where: _Where) -> tuple[m.OutcomeSet, m.OutcomeSet | None]:
    """The numerator and denominator: a measure's shorthand, or written out."""
    measure = entry.get("measure", "")
    if measure:
        if "numerator" in entry or "denominator" in entry:
            raise where.error("measure", "write either measure or numerator/denominator, not both")
        return m.SHORTHANDS[RECORD_MEASURES.get(measure, measure)]
    if "numerator" not in entry:
        raise where.error("numerator", "missing: say which outcome types are counted, e.g. [14, 16] or all")
    sets = []
    for key in ("numerator", "denominator"):
        try:
            sets.append(m.OutcomeSet.parse(entry[key]) if entry.get(key) is not None else None)
        except ValueError as exc:
            raise where.error(key, str(exc)) from None
    return sets[0], sets[1]


def _claim(entry: dict, where: _Where, defaults: dict, path: Path) -> Claim:
    measure = entry.get("measure", "")
    common = dict(
        id=entry["id"],
        article=entry["article"],
        quote=" ".join(entry["quote"].split()),
        registry=paths.printable(path.name),
        note=entry.get("note", ""),
        reading=entry.get("reading", ""),
        tolerance=entry.get("tolerance") or {},
    )
    if entry.get("source") == "other" or measure == "external":
        if not entry.get("source_name"):
            raise where.error("source_name", "name the source of a figure not from this dataset")
        return Claim(
            kind="external",
            claimed=_claimed(entry, where, "external"),
            measure="external",
            source_name=entry["source_name"],
            **common,
        )
    area, period, basis, offences = _query(entry, where, defaults)
    if measure == "coverage_gap":
        query = m.Query(area, period, basis, offences)
        return Claim(
            kind="coverage", claimed=_claimed(entry, where, "coverage"), measure=measure, query=query, **common
        )
    numerator, denominator = _outcomes(entry, where)
    kind = "record" if measure in RECORD_MEASURES else "value"
    claimed = _claimed(entry, where, kind)
    if claimed.unit == "record":
        kind = "record"
    elif claimed.is_rate and denominator is None:
        raise where.error(
            "denominator",
            f"the claimed {claimed.text!r} is a rate or share, so it needs a "
            "denominator (the outcome types it is a share of, e.g. all)",
        )
    elif claimed.unit == "count" and denominator is not None:
        raise where.error(
            "claimed",
            f"{claimed.text!r} is a count but the claim has a denominator; write the rate "
            "as printed (e.g. '43%') or remove the denominator",
        )
    query = m.Query(area, period, basis, offences, numerator, denominator)
    return Claim(kind=kind, claimed=claimed, measure=measure, query=query, **common)


def _claimed(entry: dict, where: _Where, kind: str) -> Claimed:
    try:
        return Claimed.parse(entry["claimed"], kind)
    except ValueError as exc:
        raise where.error("claimed", str(exc)) from None


def load_all(registry_paths: list[Path]) -> list[Registry]:
    """Load every registry; ids must be unique across them (they name the rows files)."""
    if not registry_paths:
        raise DataError(
            f"no claims registries: put YAML files in {paths.relative(paths.claims_dir())}/ or pass --registry"
        )
    registries = [load(p) for p in registry_paths]
    owner: dict[str, Path] = {}
    for reg in registries:
        for c in reg.claims:
            if c.id in owner:
                raise DataError(
                    f"{paths.relative(reg.path)}: claim {c.id!r}, field 'id': duplicate id, also in "
                    f"{paths.relative(owner[c.id])}"
                )
            owner[c.id] = reg.path
    return registries


# ------------------------------------------------------------------------------------------------ the audit
@dataclass
class Audit:
    table: pd.DataFrame
    rows: dict[str, pd.DataFrame]  # claim id -> the raw rows summed
    registries: list[Registry]

    def counts(self) -> pd.Series:
        return self.table["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)


def check_against(registries: list[Registry], ds: m.Dataset) -> None:
    """Claims naming offences the edition does not have are errors (before anything is written)."""
    for reg in registries:
        for c in reg.claims:
            if c.query is not None:
                problem = ds.check_offences(c.query.offences)
                if problem:
                    raise _Where(reg.path, c.id).error("offences", problem)


def audit(
    registries: list[Registry], ds: m.Dataset, manifest=None, with_rows: bool = True, strict: bool = True
) -> Audit:
    """strict: a claim naming offences the edition does not have is an error (a registry the user brought);
    otherwise (the project's own registries on another edition) that claim is not verifiable, with the reason."""
    if strict:
        check_against(registries, ds)
    records, rows = [], {}
    for reg in registries:
        for claim in reg.claims:
            problem = ds.check_offences(claim.query.offences) if claim.query is not None and not strict else None
            if problem:
                record = _base_row(claim, reg)
                record.update(verdict=NOT_VERIFIABLE, reason=f"The {problem}, so this claim cannot be checked on it.")
                records.append(record)
                continue
            record, traced = audit_claim(claim, reg, ds, manifest, with_rows)
            records.append(record)
            if traced is not None:
                rows[claim.id] = traced
    table = pd.DataFrame(records, columns=AUDIT_COLUMNS)
    for col in ("numerator_value", "denominator_value", "rows"):
        table[col] = table[col].astype("Int64")
    for col in ("computed", "difference", "nearest_computed"):  # counts stay whole numbers, rates keep decimals
        table[col] = pd.Series([r[col] for r in records], dtype=object)
    return Audit(table, rows, registries)


def _tolerance(claim: Claim, reg: Registry) -> tuple[str, float]:
    unit = "count" if claim.claimed.unit == "count" else "percent"
    tol = claim.tolerance or reg.tolerance.get(unit, {})
    if "relative" in tol:
        return "relative", float(tol["relative"])
    if "points" in tol:
        return "points", float(tol["points"])
    return ("relative", 0.0) if unit == "count" else ("points", 0.0)


def _tolerance_text(kind: str, amount: float) -> str:
    return f"±{amount:.1%}" if kind == "relative" else f"±{amount:g} percentage points"


def _needed_editions(claim: Claim, manifest, ds: m.Dataset, period: Period | None = None) -> str:
    period = period or claim.query.period
    needed = set(period.financial_years)
    if claim.kind == "record" and claim.claimed.since:
        needed |= {
            fy
            for y in range(claim.claimed.since, period.year + 1)
            for fy in period.shifted(y - period.year).financial_years
        }
    if manifest is None:
        return ""
    names = [n for n in manifest.covering(needed) if n != ds.edition and not manifest.editions[n].synthetic]
    years = f"{min(needed)} to {max(needed)}" if len(needed) > 1 else min(needed)
    if names:
        return f"the {names[0]} edition (financial years {years} needed) would check it: make claims EDITION={names[0]}"
    return f"no edition in config/sources.yaml holds financial years {years}"


def _value(result: m.Result) -> float | None:
    """A result in the claim's unit: a count, or a percentage."""
    if result.denominator is None:
        return float(result.numerator)
    return None if result.value is None else 100 * result.value


def _nearest(claim: Claim, ds: m.Dataset) -> tuple[str, float | None, str, list[str]]:
    """The same measure for the latest period of the same kind the edition can compute."""
    q = claim.query
    latest = ds.latest(q.area, like=q.period, basis=q.basis)
    if latest is None:
        return (
            "",
            None,
            f"no {q.period.kind} period of this kind can be computed for {q.area.label} in this edition",
            [],
        )
    result = ds.evaluate(q.with_period(latest))
    value = _value(result)
    if value is None:
        return latest.label, None, "the denominator is 0", []
    shown = (
        claim.claimed.format(value)
        if claim.claimed.unit in ("count", "percent", "one_in")
        else (f"{value:,.0f}" if q.denominator is None else f"{value:.1f}%")
    )
    return latest.label, round(value, 2), shown + (" (with caveats)" if result.caveats else ""), result.caveats


def _base_row(claim: Claim, reg: Registry) -> dict:
    """An audit row with what the claim says; the audit fills in the verdict and the computed figures."""
    row = {c: "" for c in AUDIT_COLUMNS}
    row.update(
        id=claim.id,
        article=claim.article,
        claimed=claim.claimed.text,
        quote=claim.quote,
        registry=reg.name,
        unit=claim.claimed.unit,
        computed=None,
        difference=None,
        numerator_value=None,
        denominator_value=None,
        nearest_computed=None,
        rows=None,
    )
    q = claim.query
    if q is not None:
        row.update(
            area=q.area.label,
            period=q.period.label,
            basis=q.basis,
            offences=q.offences.label,
            numerator=q.numerator.label,
            denominator=q.denominator.label if q.denominator else "",
        )
    return row


def audit_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest=None, with_rows: bool = True):
    """One row of the audit table, and the raw rows summed (or None)."""
    q = claim.query
    row = _base_row(claim, reg)
    if claim.kind == "external":
        row.update(
            verdict=NOT_FROM_DATASET,
            reason=f"From {claim.source_name}. The outcomes open data hold "
            "police-recorded outcomes only, so this figure cannot be checked against them.",
        )
        return row, None
    if claim.kind == "coverage":
        row = _coverage_claim(claim, ds, row)
        if row["verdict"] == NOT_VERIFIABLE:
            row["edition_to_check"] = _needed_editions(claim, manifest, ds)
            row.update(_nearest_coverage(claim, ds))
        return row, None
    if claim.kind == "record":
        return _record_claim(claim, reg, ds, manifest, row), None

    result = ds.evaluate(q)
    if not result.computable:
        period, value, text, caveats = _nearest(claim, ds)
        row.update(
            verdict=NOT_VERIFIABLE,
            nearest_period=period,
            nearest_computed=value,
            nearest_text=text,
            caveats="; ".join(f"nearest figure: {c}" for c in caveats),
            edition_to_check=_needed_editions(claim, manifest, ds),
            reason=f"The {ds.edition} edition lacks quarters this claim needs: {compact(result.missing)}.",
        )
        return row, None
    computed = _value(result)
    row.update(
        numerator_value=result.numerator, denominator_value=result.denominator, caveats="; ".join(result.caveats)
    )
    if computed is None:
        row.update(verdict=NOT_VERIFIABLE, reason=f"The denominator ({q.denominator.label}) is 0 for {q.period.label}.")
        return row, None
    claimed_value = claim.claimed.value if claim.claimed.unit == "count" else claim.claimed.as_percent
    difference = computed - claimed_value
    kind, amount = _tolerance(claim, reg)
    within = abs(difference) <= (amount * abs(claimed_value) if kind == "relative" else amount)
    verdict = REPRODUCED if claim.claimed.matches(computed) else (REVISED if within else DIFFERS)
    shown = claim.claimed.format(computed)
    if q.denominator is None:
        how = f"{q.numerator.label} = {result.numerator:,}"
    else:
        how = (
            f"{q.numerator.label} / {q.denominator.label} = {result.numerator:,} / {result.denominator:,} "
            f"= {computed:.2f}%"
        )
    if claim.claimed.unit != "count":
        unit_diff = f"{difference:+.2f} percentage points"
    elif claimed_value:
        unit_diff = f"{difference:+,.0f} ({difference / abs(claimed_value):+.1%})"
    else:
        unit_diff = f"{difference:+,.0f}"
    judged = {
        REPRODUCED: f"equals the printed {claim.claimed.text} at its printed precision",
        REVISED: f"is {unit_diff} from the printed {claim.claimed.text}, within the tolerance "
        f"{_tolerance_text(kind, amount)} that revisions to the data since publication explain",
        DIFFERS: f"is {unit_diff} from the printed {claim.claimed.text}, outside the tolerance "
        f"{_tolerance_text(kind, amount)}",
    }[verdict]
    traced = ds.rows(q) if with_rows else None
    row.update(
        verdict=verdict,
        computed=round(computed, 2) if q.denominator is not None else int(computed),
        difference=round(difference, 2) if q.denominator is not None else int(difference),
        computed_text=shown,
        tolerance=_tolerance_text(kind, amount),
        rows=None if traced is None else len(traced),
        reason=f"{q.area.label}, {q.period.label} ({q.period.quarters_text}), {q.basis} basis, {q.offences.label}: "
        f"{how}; {judged}." + (f" Caveats: {'; '.join(result.caveats)}." if result.caveats else ""),
    )
    return row, traced


def _series(q: m.Query, ds: m.Dataset, years) -> tuple[dict, dict, list[str]]:
    """The claim's measure for the same period in each year: values, what is missing, and caveats."""
    values, missing, caveats = {}, {}, []
    for year in years:
        r = ds.evaluate(q.with_period(q.period.shifted(year - q.period.year)))
        value = _value(r) if r.computable else None
        if value is None:
            missing[year] = r.missing or [f"{year}: the denominator is 0"]
        else:
            values[year] = value
            caveats += [c for c in r.caveats if c not in caveats]
    return values, missing, caveats


def _record_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest, row: dict) -> dict:
    q, since = claim.query, claim.claimed.since
    if since > q.period.year:
        row.update(
            verdict=DIFFERS,
            reason=f"'highest since {since}' cannot be said of {q.period.label}, which comes before {since}.",
        )
        return row
    values, missing, caveats = _series(q, ds, range(since, q.period.year + 1))
    metric = "rate" if q.denominator is not None else "count"
    fmt = (lambda v: f"{v:.1f}%") if metric == "rate" else (lambda v: f"{v:,.0f}")
    if q.period.year not in values or since not in values:
        needed = {y: missing[y] for y in (since, q.period.year) if y in missing}
        latest = ds.latest(q.area, like=q.period, basis=q.basis)
        if latest is not None:
            lq = q.with_period(latest)
            series, _, near_caveats = _series(lq, ds, range(latest.year - 10, latest.year + 1))
            if latest.year in series:
                first = min(series)
                higher = [y for y, v in series.items() if y != latest.year and v >= series[latest.year]]
                if len(series) == 1:
                    text = f"{fmt(series[latest.year])} (the only computable year: no record can be judged)"
                else:
                    text = (
                        f"{fmt(series[latest.year])}, "
                        + ("the highest" if not higher else "not the highest")
                        + f" of the {len(series)} computable years from {first}"
                    )
                row.update(
                    nearest_period=latest.label,
                    nearest_computed=round(series[latest.year], 2),
                    nearest_text=text + (" (with caveats)" if near_caveats else ""),
                    caveats="; ".join(f"nearest figure: {c}" for c in near_caveats),
                )
        row.update(
            verdict=NOT_VERIFIABLE,
            edition_to_check=_needed_editions(claim, manifest, ds),
            reason=f"A record since {since} needs {since} and {q.period.year} at least; the {ds.edition} edition "
            "lacks: " + "; ".join(f"for {y}, {compact(v)}" for y, v in sorted(needed.items())) + ".",
        )
        return row
    shown = ", ".join(f"{y}: {fmt(v)}" for y, v in sorted(values.items()))
    gaps = f"; years left out as not computable: {', '.join(map(str, sorted(missing)))}" if missing else ""
    higher = [y for y, v in values.items() if y != q.period.year and v >= values[q.period.year]]
    row.update(
        computed=round(values[q.period.year], 2),
        caveats="; ".join(caveats),
        computed_text=(
            f"highest since {since}"
            if not higher
            else f"not the highest ({', '.join(map(str, higher))} as high or higher)"
        ),
    )
    row.update(
        verdict=REPRODUCED if not higher else DIFFERS,
        reason=f"{q.area.label}, {q.numerator.label}"
        + (f" / {q.denominator.label}" if q.denominator else "")
        + f", {q.basis} basis, by {q.period.kind} year: {shown}{gaps}."
        + (f" Caveats: {'; '.join(caveats)}." if caveats else ""),
    )
    return row


def _coverage_gaps(claim: Claim, ds: m.Dataset, period: Period) -> tuple[list[str], list[str]]:
    """(gaps, not in edition) for the claim's area in `period`: quarters missing, left out or 'not provided', and
    quarters the edition does not hold."""
    q = claim.query
    missing, caveats = ds.coverage_problems(q.area.forces, period, q.basis)
    not_in = [x for x in missing if x.endswith("(not in this edition)")]
    gaps = [x for x in missing if x not in not_in] + [c for c in caveats if "not provided" in c]
    return gaps, not_in


def _coverage_claim(claim: Claim, ds: m.Dataset, row: dict) -> dict:
    """'incomplete': the area lacks data (missing, left out or not provided) in a quarter of the claim's period."""
    q = claim.query
    absent, not_in = _coverage_gaps(claim, ds, q.period)
    if absent:
        row.update(
            computed_text=f"{len(absent)} quarter(s) incomplete",
            verdict=REPRODUCED,
            reason=f"{q.area.label} lacks data in {q.period.label}: " + "; ".join(absent) + ".",
        )
    elif not_in:
        row.update(
            verdict=NOT_VERIFIABLE,
            reason=f"The {ds.edition} edition lacks the quarters needed to check {q.area.label}'s coverage in "
            f"{q.period.label}: {compact(not_in)}.",
        )
    else:
        row.update(
            computed_text="complete",
            verdict=DIFFERS,
            reason=f"{q.area.label} has data for every quarter of {q.period.label} in this edition.",
        )
    return row


def _nearest_coverage(claim: Claim, ds: m.Dataset) -> dict:
    """The area's coverage in the latest period of the same kind the edition holds every quarter of."""
    for p in reversed(ds.periods(claim.query.period.kind, like=claim.query.period)):
        gaps, not_in = _coverage_gaps(claim, ds, p)
        if not not_in:
            text = f"{len(gaps)} quarter(s) incomplete: " + "; ".join(gaps) if gaps else "complete"
            return {"nearest_period": p.label, "nearest_text": text}
    return {}


METHOD = (
    "Each claim is recomputed from the edition's processed tables: the counts of the named basis (closed: outcomes "
    "assigned in the period; recorded: outcomes so far of offences recorded in the period) are summed over the "
    "area's forces, the period's financial quarters and the offence scope, for the numerator's outcome types (and "
    "the denominator's, for a rate). 'all' outcome types means every type except 0 (not yet assigned) and the "
    "1a/2a/3a 'of which' rows. A calendar year Y is financial Q4 of (Y-1)/Y plus Q1-Q3 of Y/(Y+1). England and "
    "Wales is every police force (43 territorial forces and British Transport Police) minus the registry's "
    "exclusions (Greater Manchester by default)."
)


def compact(missing: list[str]) -> str:
    """'2019/20 Q4 (not in this edition); 2020/21 Q1 (not in this edition)' -> '2019/20 Q4, 2020/21 Q1 (not in
    this edition)'; other problems are kept as they are."""
    absent = [x.replace(" (not in this edition)", "") for x in missing if x.endswith("(not in this edition)")]
    other = [x for x in missing if not x.endswith("(not in this edition)")]
    parts = ([", ".join(absent) + " (not in this edition)"] if absent else []) + other
    return "; ".join(parts)
