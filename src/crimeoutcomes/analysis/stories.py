"""Localised stories for any measure: the story spec (config/stories/*.yaml) and, for each police force, the figures
of its version, as numbers and typed facts. The words are written by publish/story.py; every figure a version prints
is also a claim in the general claim form, audited by the claims engine in the same run.

A spec needs four keys (the contract):

    id: burglary-no-suspect
    title: Burglaries closed without a suspect being identified
    measure: {basis: recorded, offences: {code: 28E}, numerator: [18], denominator: all_including_unassigned}
    period: financial year 2017/18        # or "latest financial year" / "latest calendar year"

and may refine the wording and the rules with optional keys (see SCHEMA).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..data import forces as forces_mod
from ..errors import DataError
from ..yamlfile import read_yaml, validate
from . import measures as m
from .periods import Period

LATEST = {"latest financial year": "financial", "latest calendar year": "calendar"}
_OUTCOMES = {"type": ["string", "integer", "array", "object"]}
_TEXT = {"type": "string", "minLength": 1, "maxLength": 500}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "measure", "period"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$", "maxLength": 60},
        "title": _TEXT,
        "measure": {
            "type": "object",
            "additionalProperties": False,
            "required": ["numerator"],
            "properties": {
                "basis": {"enum": list(m.BASES)},
                "offences": {"type": ["string", "object"], "maxProperties": 1},
                "numerator": _OUTCOMES,
                "denominator": _OUTCOMES,
            },
        },
        "period": {"type": "string", "maxLength": 60},
        "description": {"type": "string", "maxLength": 2000},
        "noun": {"description": "what the measure counts, in the plural: 'residential burglaries'", **_TEXT},
        "phrases": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "numerator": {
                    "description": "what the numerator's offences did: 'were closed with no suspect identified'",
                    **_TEXT,
                },
                "headline": {
                    "description": "a headline with placeholders, e.g. '{rate} of {noun} {verb} by {place} {period} "
                    "{numerator}' ({period} comes with its preposition: 'in 2018', 'from January to September 2018')",
                    **_TEXT,
                },
            },
        },
        "thresholds": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "sharp": {
                    "type": "number",
                    "minimum": 0,
                    "description": "a change of at least this many "
                    "percentage points (or per cent, for a count) is sharp",
                },
                "min_denominator": {"type": "integer", "minimum": 1, "description": "no rate on fewer"},
                "small": {"type": "integer", "minimum": 1, "description": "counts under this are 'fewer than'"},
            },
        },
        "compare": {"enum": ["previous", "none"]},
        "exclude": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 100}},
        "also": {
            "type": "array",
            "maxItems": 5,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "numerator", "denominator", "phrase"],
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z0-9-]+$"},
                    "numerator": _OUTCOMES,
                    "denominator": _OUTCOMES,
                    "phrase": _TEXT,
                },
            },
        },
        "template": {
            "type": "array",
            "maxItems": 20,
            "items": _TEXT,
            "description": "sentences with placeholders ({place}, {period}, {numerator_count}, {denominator_count}, "
            "{rate}, {ew_rate}, ...) that replace the default body (the change and the record); every figure is "
            "audited, and a sentence whose figure the data cannot give is left out",
        },
    },
}
DEFAULT_THRESHOLDS = {"sharp": 5.0, "min_denominator": 50, "small": 10}
#: the placeholders a template sentence may use (publish/story.py fills them, each figure with its claim)
PLACEHOLDERS = (
    "place",
    "period",
    "noun",
    "numerator",
    "numerator_count",
    "denominator_count",
    "rate",
    "ew_numerator_count",
    "ew_denominator_count",
    "ew_rate",
)


@dataclass(frozen=True)
class Measure:
    basis: str
    offences: m.OffenceScope
    numerator: m.OutcomeSet
    denominator: m.OutcomeSet | None

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def query(self, area: m.Area, period: Period) -> m.Query:
        return m.Query(area, period, self.basis, self.offences, self.numerator, self.denominator)

    def claim_form(self) -> dict:
        """The measure in the claim form's words (for claims.yaml)."""
        out = {"basis": self.basis, "offences": _scope_form(self.offences), "numerator": _set_form(self.numerator)}
        if self.denominator is not None:
            out["denominator"] = _set_form(self.denominator)
        return out


@dataclass(frozen=True)
class Also:
    id: str
    numerator: m.OutcomeSet
    denominator: m.OutcomeSet
    phrase: str


@dataclass(frozen=True)
class Spec:
    id: str
    title: str
    measure: Measure
    period: str
    path: Path
    noun: str = ""
    phrases: dict = field(default_factory=dict, hash=False)
    thresholds: dict = field(default_factory=dict, hash=False)
    compare: str = "previous"
    exclude: tuple[str, ...] = ()
    also: tuple[Also, ...] = ()
    template: tuple[str, ...] = ()
    description: str = ""


def _scope_form(scope: m.OffenceScope):
    if scope.kind == "all":
        return "all"
    if scope.kind == "codes":
        return {"code": scope.values[0]} if len(scope.values) == 1 else {"codes": list(scope.values)}
    return {scope.kind: scope.values[0]}


def _set_form(s: m.OutcomeSet):
    if s.kind == "types":
        return [int(t) if t.isdigit() else t for t in s.types]
    if s.kind == "all_except":
        return {"all_except": [int(t) if t.isdigit() else t for t in s.types]}
    return s.kind


def load(path: Path | str) -> Spec:
    """Read and check one story spec; a problem is one line naming the file and the field."""
    path = Path(path)
    doc = read_yaml(path, "story spec", DataError)
    validate(doc, SCHEMA, paths.relative(path), DataError)
    where = paths.relative(path)
    meas = doc["measure"]
    try:
        numerator = m.OutcomeSet.parse(meas["numerator"])
        denominator = m.OutcomeSet.parse(meas["denominator"]) if meas.get("denominator") is not None else None
        offences = m.OffenceScope.parse(meas.get("offences", "all"))
    except ValueError as exc:
        raise DataError(f"{where}: measure: {exc}") from None
    period = " ".join(doc["period"].lower().split())
    if period not in LATEST:
        try:
            Period.parse(period)
        except ValueError as exc:
            raise DataError(
                f"{where}: period: {exc} (or write 'latest financial year' or 'latest calendar year')"
            ) from None
    exclude = tuple(forces_mod.resolve(f, police_only=True).name for f in doc.get("exclude", []))
    also = []
    for a in doc.get("also", []):
        try:
            also.append(
                Also(a["id"], m.OutcomeSet.parse(a["numerator"]), m.OutcomeSet.parse(a["denominator"]), a["phrase"])
            )
        except ValueError as exc:
            raise DataError(f"{where}: also, {a['id']!r}: {exc}") from None
    for sentence in doc.get("template") or ():
        unknown = sorted(set(re.findall(r"{(\w*)}", sentence)) - set(PLACEHOLDERS))
        if unknown or sentence.count("{") != sentence.count("}"):
            raise DataError(
                f"{where}: template: {sentence[:60]!r} uses {', '.join(map(repr, unknown)) or 'an unmatched brace'}; "
                f"the placeholders are {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
            )
    if path.stem != doc["id"]:
        raise DataError(f"{where}: id {doc['id']!r} must be the file's name ({path.stem}.yaml): it names the folder")
    return Spec(
        id=doc["id"],
        title=doc["title"],
        measure=Measure(meas.get("basis", "closed"), offences, numerator, denominator),
        period=period,
        path=path,
        noun=doc.get("noun", ""),
        phrases=doc.get("phrases") or {},
        thresholds={**DEFAULT_THRESHOLDS, **(doc.get("thresholds") or {})},
        compare=doc.get("compare", "previous"),
        exclude=exclude,
        also=tuple(also),
        template=tuple(doc.get("template") or ()),
        description=doc.get("description", ""),
    )


def load_all(spec_paths: list[Path]) -> list[Spec]:
    if not spec_paths:
        raise DataError(
            f"no story specs: put YAML files in {paths.relative(paths.input_file('specs').parent)}/ or pass --spec"
        )
    specs = [load(p) for p in spec_paths]
    ids = [s.id for s in specs]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise DataError(f"two story specs have the id {dup[0]!r}: every id must be unique (it names the folder)")
    return specs


# ------------------------------------------------------------------------------------------- the figures
@dataclass
class Point:
    """The measure for one area and period: its counts and rate (percent, exact), and what limits it."""

    area: m.Area
    period: Period
    numerator: int
    denominator: int | None
    result: m.Result

    @property
    def computable(self) -> bool:
        return self.result.computable

    @property
    def rate(self) -> float | None:
        if self.denominator is None or not self.denominator or not self.computable:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def value(self) -> float | None:
        """What the story compares: the rate, or the count of a count story."""
        return self.rate if self.denominator is not None else (self.numerator if self.computable else None)


@dataclass
class Version:
    """The figures of one force's version of a story."""

    spec: Spec
    force: forces_mod.Force
    period: Period
    now: Point
    ew: Point
    before: Point | None  # the same period a year earlier (the comparison)
    ew_before: Point | None
    series: list[Point]  # the force, every computable period of the same kind in the edition, oldest first
    rank: int | None
    ranked: int  # forces with a rank
    rankable: int  # forces the story could rank (in the edition, not left out by the spec)
    tied: bool
    also: dict[str, tuple[Point, Point]]  # also id -> (force, England and Wales)


def resolve_period(spec: Spec, ds: m.Dataset) -> Period | None:
    """The spec's period: a named period, or the latest one England and Wales can be computed for."""
    if spec.period in LATEST:
        return ds.latest(ew_area(spec), LATEST[spec.period], spec.measure.basis)
    return Period.parse(spec.period)


def cannot_write(spec: Spec, ds: m.Dataset, period: Period | None) -> str:
    """Why the story cannot be written for this edition ("" when it can): its offences are not in the data, or
    England and Wales has no figure for its period."""
    problem = ds.check_offences(spec.measure.offences)
    if problem:
        return problem
    if period is None:
        return f"no {spec.period.removeprefix('latest ')} can be computed for England and Wales in this edition"
    ew = point(ds, spec.measure, ew_area(spec), period)
    if not ew.computable:
        return f"England and Wales has no figure for {period.label} in this edition"
    return ""


def ew_area(spec: Spec) -> m.Area:
    return m.Area.of(m.EW, exclude=spec.exclude)


def point(ds: m.Dataset, measure: Measure, area: m.Area, period: Period) -> Point:
    result = ds.evaluate(measure.query(area, period))
    if measure.denominator is None:
        return Point(area, period, result.numerator, None, result)
    return Point(area, period, result.numerator, result.denominator, result)


def ranking(ds: m.Dataset, spec: Spec, period: Period) -> dict[str, tuple[int | None, float | None]]:
    """force -> (rank, value): every police force by the story's value in the period (1 = highest; forces whose
    figure cannot be given, or whose denominator is under the threshold, are not ranked). Cached on the dataset."""
    key = ("story-ranking", spec.measure, period, spec.thresholds["min_denominator"], spec.exclude)
    if key not in ds._rankings:
        values = {}
        for f in rankable(ds, spec):
            p = point(ds, spec.measure, m.Area.of(f.name), period)
            small = p.denominator is not None and (p.denominator or 0) < spec.thresholds["min_denominator"]
            values[f.name] = None if small else p.value
        ranked = sorted((v for v in values.values() if v is not None), reverse=True)
        ds._rankings[key] = {
            name: ((1 + sum(1 for x in ranked if x > v)) if v is not None else None, v) for name, v in values.items()
        }
    return ds._rankings[key]


def rankable(ds: m.Dataset, spec: Spec) -> list[forces_mod.Force]:
    """The police forces a story ranks: those in the edition, less the forces the spec leaves out."""
    present = set(ds.coverage.loc[ds.coverage["rows"] > 0, "force"])
    return [f for f in forces_mod.POLICE_FORCES if f.name in present and f.name not in spec.exclude]


def version(ds: m.Dataset, spec: Spec, force: forces_mod.Force, period: Period) -> Version:
    area, ew = m.Area.of(force.name), ew_area(spec)
    now, ew_now = point(ds, spec.measure, area, period), point(ds, spec.measure, ew, period)
    before = ew_before = None
    if spec.compare == "previous":
        earlier = period.shifted(-1)
        before, ew_before = point(ds, spec.measure, area, earlier), point(ds, spec.measure, ew, earlier)
    series = [point(ds, spec.measure, area, p) for p in ds.periods(period.kind, like=period)]
    series = [p for p in series if p.computable and p.period.first <= period.first]
    ranks = ranking(ds, spec, period)
    rank, _ = ranks.get(force.name, (None, None))
    tied = rank is not None and sum(1 for r, _ in ranks.values() if r == rank) > 1
    also = {}
    for a in spec.also:
        sub = Measure(spec.measure.basis, spec.measure.offences, a.numerator, a.denominator)
        also[a.id] = (point(ds, sub, area, period), point(ds, sub, ew, period))
    return Version(
        spec,
        force,
        period,
        now,
        ew_now,
        before,
        ew_before,
        series,
        rank,
        sum(1 for r, _ in ranks.values() if r is not None),
        len(ranks),
        tied,
        also,
    )


def record(v: Version) -> str | None:
    """'high' or 'low' when the force's value is the highest or lowest of at least three computable periods of the
    edition (strictly: a tie is no record)."""
    values = [p.value for p in v.series if p.value is not None]
    if len(values) < 3 or v.now.value is None:
        return None
    others = values[:-1]
    if all(v.now.value > x for x in others):
        return "high"
    if all(v.now.value < x for x in others):
        return "low"
    return None
