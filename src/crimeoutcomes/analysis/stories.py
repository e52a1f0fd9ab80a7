"""Localised stories for any measure: the story spec (config/stories/*.yaml) and, for each police force, the figures
of its version, as numbers and typed facts. The words are written by publish/words/story.py; every figure a version
prints is also a claim in the general claim form, audited by the claims engine in the same run.

A spec needs four keys (the contract):

    id: burglary-no-suspect
    title: Burglaries closed without a suspect being identified
    measure: {basis: recorded, offences: {code: 28E}, numerator: [18], denominator: all_including_unassigned}
    period: financial year 2017/18        # or "latest financial year" / "latest calendar year"

and may refine the wording and the rules with optional keys (see SCHEMA).
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..data import forces as forces_mod
from ..errors import DataError
from ..rounding import half_up
from ..yamlfile import read_yaml, validate
from . import measures as m
from . import quality, ranking
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
        "noun": {
            "description": "what the measure's denominator counts, in the plural: 'residential burglaries', "
            "'offences with a suspect identified' (needed when the denominator is not every outcome)",
            **_TEXT,
        },
        "phrases": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "numerator": {
                    "description": "what the numerator's offences did: 'were closed with no suspect identified'",
                    **_TEXT,
                },
                "short": {
                    "description": "the same in at most five words, for the headline: 'closed with no suspect'",
                    **_TEXT,
                },
                "headline": {
                    "description": "a headline of at most 14 words with placeholders: {place} (the force's short "
                    "name), {rate} (or {numerator_count} and {denominator_count}), {noun}, {short}, {period} "
                    "('2018', 'the year to March 2019') or {in_period} ('in 2018', 'from January to September 2018')",
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
                    "maximum": 100,
                    "description": "a change of at least this many "
                    "percentage points (or per cent, for a count) is sharp",
                },
                "min_denominator": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1_000_000,
                    "description": "no rate (and no rank) on fewer offences: the counts are given instead",
                },
            },
        },
        "compare": {"enum": ["previous", "none"]},
        "exclude": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 100}},
        "rank_among": {
            "description": "the forces a version is ranked among: the 43 territorial forces (the default) or every "
            "police force, British Transport Police included",
            "enum": ["territorial forces", "police forces"],
        },
        "also": {
            "type": "array",
            "maxItems": 5,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "numerator", "denominator", "phrase"],
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z0-9-]+$", "maxLength": 60},
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
            "description": "sentences with placeholders ({place}, {period}, {in_period}, {numerator_count}, "
            "{denominator_count}, {rate}, {ew_rate}, ...) that replace the default body (the change and the record); "
            "every figure is audited, and a sentence whose figure the data cannot give is left out",
        },
    },
}
DEFAULT_THRESHOLDS = {"sharp": 5.0, "min_denominator": 50}
#: the placeholders a template sentence may use (publish/words/story.py fills them, each figure with its claim)
PLACEHOLDERS = (
    "place",
    "period",
    "in_period",
    "noun",
    "numerator",
    "numerator_count",
    "denominator_count",
    "rate",
    "ew_numerator_count",
    "ew_denominator_count",
    "ew_rate",
)
#: the placeholders a headline may use
HEADLINE_PLACEHOLDERS = (
    "place",
    "period",
    "in_period",
    "noun",
    "short",
    "rate",
    "numerator_count",
    "denominator_count",
)
#: words that make a figure or a statement: a spec's own text may not print them, because the audit could not
#: check them (the story's figures and statements come from the data, each with its claim)
_FIGURE_WORDS = re.compile(
    r"\d|\b(?:none|one|two|three|four|five|six|seven|eight|nine|ten|twice|half|halved|double|doubled|third|"
    r"quarter|first|second|fourth|fifth|sixth|seventh|eighth|ninth|tenth|higher|lower|highest|lowest|"
    r"(?:rise|rises|rose|risen|fall|falls|fell|fallen) (?:by|from|to|of|in|since)|increase[sd]?|decrease[sd]?|"
    r"record|more than|less than|fewer than|up from|down from|per ?cent|percent)\b|%",
    re.IGNORECASE,
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
    rank_among: str = ranking.TERRITORIAL

    @property
    def field(self) -> ranking.Field:
        """Which forces a version is ranked among, and at what precision (a rate as printed, to one decimal)."""
        rate = self.measure.is_rate
        return ranking.Field(
            among=self.rank_among,
            exclude=self.exclude,
            comparable_only=True,
            min_denominator=int(self.thresholds["min_denominator"]) if rate else 0,
            precision=1 if rate else 0,
        )


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
    return parse(doc, path, paths.relative(path))


def parse(doc: dict, path: Path | None, where: str) -> Spec:
    """Check a story spec read from `path` (or made by the story builder, `where` naming it); a problem is one line
    naming `where` and the field."""
    validate(doc, SCHEMA, where, DataError)

    def refuse(field_name: str, problem: str) -> DataError:
        return DataError(f"{where}: {field_name}: {problem}")

    meas = doc["measure"]
    try:
        numerator = m.OutcomeSet.parse(meas["numerator"])
        denominator = m.OutcomeSet.parse(meas["denominator"]) if meas.get("denominator") is not None else None
        offences = m.OffenceScope.parse(meas.get("offences", "all"))
    except ValueError as exc:
        raise refuse("measure", str(exc)) from None
    basis = meas.get("basis", "closed")
    if denominator is not None:
        _within(numerator, denominator, basis, refuse, "measure")
        if not _whole(denominator, basis) and not doc.get("noun"):
            raise refuse(
                "noun",
                f"the denominator ({denominator.label}) is not every offence {_VERB[basis]}, so the story must say "
                "what it counts: give noun (for example 'offences with a suspect identified')",
            )
    period = " ".join(doc["period"].lower().split())
    if period not in LATEST:
        try:
            Period.parse(period)
        except ValueError as exc:
            raise refuse("period", f"{exc} (or write 'latest financial year' or 'latest calendar year')") from None
    exclude = []
    for name in doc.get("exclude", []):
        try:
            exclude.append(forces_mod.resolve(name, police_only=True).name)
        except DataError as exc:
            raise refuse("exclude", str(exc)) from None
    also, seen = [], set()
    for a in doc.get("also", []):
        if a["id"] in seen:
            raise refuse("also", f"two entries have the id {a['id']!r}: every id must be unique")
        seen.add(a["id"])
        try:
            sub = (m.OutcomeSet.parse(a["numerator"]), m.OutcomeSet.parse(a["denominator"]))
        except ValueError as exc:
            raise refuse(f"also, {a['id']!r}", str(exc)) from None
        if sub[1].codes != numerator.codes:
            raise refuse(
                f"also, {a['id']!r}",
                f"its denominator ({sub[1].label}) must be the measure's numerator ({numerator.label}): the sentence "
                "says 'in N of those offences'",
            )
        _within(sub[0], sub[1], basis, refuse, f"also, {a['id']!r}")
        also.append(Also(a["id"], *sub, a["phrase"]))
    for name, text in _texts(doc):
        found = _FIGURE_WORDS.search(_unplaced(text))
        if found:
            raise refuse(
                name,
                f"{found.group(0)!r} in {_clip(text)!r} reads as a figure or a statement the audit cannot check: the "
                "story's figures and comparisons come from the data; write it in words without it, or use a "
                "placeholder",
            )
        if any(ord(ch) < 32 for ch in text):
            raise refuse(name, f"{_clip(text)!r} has a line break or a control character: write it on one line")
    for sentence in doc.get("template") or ():
        _placeholders(sentence, PLACEHOLDERS, refuse, "template")
    if (doc.get("phrases") or {}).get("headline"):
        _placeholders(doc["phrases"]["headline"], HEADLINE_PLACEHOLDERS, refuse, "phrases.headline")
    thresholds = {**DEFAULT_THRESHOLDS, **(doc.get("thresholds") or {})}
    if not math.isfinite(float(thresholds["sharp"])):
        raise refuse("thresholds.sharp", f"{thresholds['sharp']!r} is not a number of points: write 5 (the default)")
    if path is not None and path.stem != doc["id"]:
        raise refuse("id", f"{doc['id']!r} must be the file's name ({path.stem}.yaml): it names the folder")
    return Spec(
        id=doc["id"],
        title=doc["title"],
        measure=Measure(basis, offences, numerator, denominator),
        period=period,
        path=path or Path(f"{doc['id']}.yaml"),
        noun=doc.get("noun", ""),
        phrases=doc.get("phrases") or {},
        thresholds=thresholds,
        compare=doc.get("compare", "previous"),
        exclude=tuple(dict.fromkeys(exclude)),
        also=tuple(also),
        template=tuple(doc.get("template") or ()),
        description=doc.get("description", ""),
        rank_among=doc.get("rank_among", ranking.TERRITORIAL),
    )


_VERB = {"closed": "closed", "recorded": "recorded"}


def _whole(s: m.OutcomeSet, basis: str) -> bool:
    """Whether an outcome set counts every offence of the basis: every offence closed (all), every offence recorded
    (all outcomes including type 0)."""
    return s.kind == "all_including_unassigned" or (s.kind == "all" and basis == "closed")


def _within(part: m.OutcomeSet, whole: m.OutcomeSet, basis: str, refuse, name: str) -> None:
    outside = [c for c in part.codes if c not in whole.codes]
    if outside:
        raise refuse(
            name,
            f"the numerator ({part.label}) is not within the denominator ({whole.label}): outcome "
            f"{', '.join(outside)} would be counted in the numerator only; a rate's numerator must be part of "
            "its denominator",
        )


def _texts(doc: dict):
    """The spec's own text that a version prints: (field, text)."""
    for key in ("title", "noun", "description"):
        if doc.get(key):
            yield key, doc[key]
    for key, text in (doc.get("phrases") or {}).items():
        yield f"phrases.{key}", text
    for a in doc.get("also") or ():
        yield f"also, {a['id']!r}, phrase", a["phrase"]
    for text in doc.get("template") or ():
        yield "template", text


def _unplaced(text: str) -> str:
    """Text without its placeholders ({rate} is a figure the story fills in and audits)."""
    return re.sub(r"\{[^{}]*\}", " ", text)


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _placeholders(text: str, allowed: tuple[str, ...], refuse, name: str) -> None:
    """Only the declared placeholders, written plainly: no format spec, conversion, attribute or index."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise refuse(name, f"{_clip(text)!r}: {exc} (write a brace as {{{{ or }}}})") from None
    for _, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        if field_name not in allowed or spec or conversion:
            written = "{" + field_name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise refuse(
                name,
                f"{written} in {_clip(text)!r} is not a placeholder: write one of "
                f"{', '.join('{' + p + '}' for p in allowed)}, plainly (no format, conversion, attribute or index)",
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


@dataclass(frozen=True)
class Effect:
    """Caveats of one kind on a figure, and what they can do to it at the printed precision: `material` when
    leaving the quarters out (incomplete or partly provided quarters) or giving the blank cells the most their rows
    hold in the force's other quarters (cells left out) would change the figure as printed; `direction` for a rate:
    1 when leaving them out would print it higher, -1 lower, 0 when that cannot be said (blank cells)."""

    kind: str
    flags: tuple[m.Flag, ...]
    material: bool
    direction: int = 0


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
    ranks: ranking.Ranking  # every police force of the edition, ranked as the story ranks them
    quality: quality.Completeness | None  # the force's outcomes against the other forces' (None: not judged)
    also: dict[str, tuple[Point, Point]]  # also id -> (force, England and Wales)
    effects: list[Effect] = field(default_factory=list)  # on England and Wales's figure, every force's caveats
    own_effects: list[Effect] = field(default_factory=list)  # on the force's figures, its own caveats

    @property
    def place(self) -> ranking.Place | None:
        return self.ranks.of(self.force.name)

    @property
    def comparable(self) -> bool:
        """Whether the force's outcomes compare with the other forces' (a force not judged is taken as comparable)."""
        return self.quality is None or self.quality.comparable

    @property
    def small(self) -> bool:
        """A rate story whose denominator is under the threshold: the counts are given, not a rate."""
        return self.spec.measure.is_rate and (self.now.denominator or 0) < self.spec.thresholds["min_denominator"]


def resolve_period(spec: Spec, ds: m.Dataset) -> Period | None:
    """The spec's period: a named period, or the latest one England and Wales can be computed for."""
    if spec.period in LATEST:
        return ds.latest(ew_area(spec), LATEST[spec.period], spec.measure.basis)
    return Period.parse(spec.period)


def cannot_write(spec: Spec, ds: m.Dataset, period: Period | None) -> m.NoFigure | None:
    """Why the story cannot be written for this edition (None when it can): its offences are not in the data, or
    England and Wales has no figure for its period."""
    problem = ds.check_offences(spec.measure.offences)
    if problem:
        return m.NoFigure(offence=problem)
    if period is None:
        return m.NoFigure(kind=LATEST[spec.period])
    ew = point(ds, spec.measure, ew_area(spec), period)
    if not ew.computable:
        return m.NoFigure(period=period)
    if spec.measure.is_rate and not ew.denominator:
        return m.NoFigure(period=period, empty=True)
    return None


def ew_area(spec: Spec) -> m.Area:
    return m.Area.of(m.EW, exclude=spec.exclude)


def point(ds: m.Dataset, measure: Measure, area: m.Area, period: Period) -> Point:
    result = ds.evaluate(measure.query(area, period))
    if measure.denominator is None:
        return Point(area, period, result.numerator, None, result)
    return Point(area, period, result.numerator, result.denominator, result)


def ranks(ds: m.Dataset, spec: Spec, period: Period) -> ranking.Ranking:
    """Every police force of the edition by the story's figure in the period, ranked as the story ranks them
    (analysis/ranking.py; cached on the dataset)."""
    return ranking.rank(ds, spec.measure.query(m.Area.of(m.EW), period), spec.field)


def version(ds: m.Dataset, spec: Spec, force: forces_mod.Force, period: Period) -> Version:
    area, ew = m.Area.of(force.name), ew_area(spec)
    now, ew_now = point(ds, spec.measure, area, period), point(ds, spec.measure, ew, period)
    before = ew_before = None
    if spec.compare == "previous":
        earlier = period.shifted(-1)
        before, ew_before = point(ds, spec.measure, area, earlier), point(ds, spec.measure, ew, earlier)
    series = [point(ds, spec.measure, area, p) for p in ds.periods(period.kind, like=period)]
    series = [p for p in series if p.computable and p.period.first <= period.first]
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
        ranks(ds, spec, period),
        quality.completeness(ds, period).get(force.name),
        also,
        effects(ds, spec, ew_now) if ew_now.computable else [],  # every force's caveats, its own included
        [e for p in (now, before) if p is not None and p.computable for e in effects(ds, spec, p, own=True)],
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


# ------------------------------------------------------------------------------------------- what caveats do
def _printed(p_value: float | None, rate: bool):
    return None if p_value is None else half_up(p_value, 1 if rate else 0)


def effects(ds: m.Dataset, spec: Spec, p: Point, own: bool = False) -> list[Effect]:
    """What the caveats on a figure can do to it as printed, one Effect per kind: for England and Wales, every
    force's caveats (the same in every version); for a force (`own`), its own caveats (incomplete quarters, with the
    way leaving them out would move its rate; cells left out)."""
    rate = spec.measure.is_rate
    flags = [f for f in p.result.caveats if not own or f.force == p.area.name]
    out = []
    for kind in (m.LOW, m.PARTLY_PROVIDED, m.LEFT_OUT):
        these = tuple(f for f in flags if f.kind == kind)
        if not these:
            continue
        if kind == m.LEFT_OUT:
            out.append(_left_out_effect(ds, spec, p, these, rate))
        elif not rate:  # a count that includes a quarter that looks incomplete is too low: always material
            out.append(Effect(kind, these, True))
        else:
            cube = ds.counts(spec.measure.basis, spec.measure.offences)
            num, den = p.numerator, p.denominator or 0
            for f in {(f.force, f.financial_year, f.quarter) for f in these}:
                num -= cube.total([f[0]], [(f[1], f[2])], spec.measure.numerator.codes)[0]
                den -= cube.total([f[0]], [(f[1], f[2])], spec.measure.denominator.codes)[0]
            without = 100 * num / den if den else None
            shown, other = _printed(p.rate, True), _printed(without, True)
            material = other is not None and shown != other
            out.append(Effect(kind, these, material, (other > shown) - (other < shown) if material else 0))
    return out


def _left_out_effect(ds: m.Dataset, spec: Spec, p: Point, flags: tuple[m.Flag, ...], rate: bool) -> Effect:
    """Blank cells: each given the most its row (force, offence code, outcome type) holds in the force's other
    quarters; material when that could change the figure as printed."""
    meas = spec.measure
    wanted = frozenset((f.force, f.financial_year, f.quarter) for f in flags)
    bounds = ds.left_out_bounds(meas.basis, meas.offences, wanted)
    bound_num = sum(b for o, b in bounds.items() if o in meas.numerator.codes)
    bound_den = sum(b for o, b in bounds.items() if meas.denominator is not None and o in meas.denominator.codes)
    if not rate:
        return Effect(m.LEFT_OUT, flags, bound_num > 0)
    den = p.denominator or 0
    shown = _printed(p.rate, True)
    highest = _printed(100 * (p.numerator + bound_num) / (den + bound_num), True) if den + bound_num else shown
    others_only = bound_den - bound_num  # blank cells outside the numerator raise the denominator alone
    lowest = _printed(100 * p.numerator / (den + others_only), True) if den + others_only else shown
    return Effect(m.LEFT_OUT, flags, highest != shown or lowest != shown)
