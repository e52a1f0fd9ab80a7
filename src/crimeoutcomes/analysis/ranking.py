"""Ranks that mean what they say: the police forces ranked by a figure, as a reader sees it.

One function ranks for the stories, the force reports, the index and the claims engine's rank claims, so that a
story and its audit rank exactly the same forces in exactly the same way:

- **who is ranked** (`Field`): the 43 territorial forces by default (British Transport Police polices the railways,
  not an area: it is reported beside them, not among them), less the forces a story leaves out, less the forces whose
  outcomes for the period are incomplete compared with the other forces' (analysis/quality.py), less the forces whose
  figure cannot be given or rests on fewer than `min_denominator` offences;
- **by what**: the figure at the precision it is printed with (a rate to one decimal place), so two forces whose
  figures print alike share a rank ("joint ninth highest"), and the next rank after a tie skips (9, 9, 11);
- **why not ranked**: every force left out carries its reason (`NotRanked`), for the sentence that says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data import forces as forces_mod
from ..rounding import half_up
from . import measures as m
from . import quality
from .periods import Period

# why a force is not ranked
NOT_TERRITORIAL, LEFT_OUT, INCOMPLETE, TOO_FEW, NO_FIGURE = (
    "not territorial",
    "left out",
    "incomplete",
    "too few",
    "no figure",
)
TERRITORIAL, ALL_POLICE = "territorial forces", "police forces"


@dataclass(frozen=True)
class Field:
    """Which forces are ranked, and at what precision."""

    among: str = TERRITORIAL  # territorial forces | police forces (British Transport Police too)
    exclude: tuple[str, ...] = ()
    comparable_only: bool = True  # leave out forces whose outcomes are incomplete (quality.py)
    min_denominator: int = 0
    precision: int | None = 1  # decimals the figure is printed with (None: the exact value)


#: how the published claims of 2018-2020 ranked: every police force, by the exact value (a registry says otherwise)
EXACT_ALL = Field(among=ALL_POLICE, comparable_only=False, precision=None)


@dataclass(frozen=True)
class Place:
    force: str
    value: float | int | None  # the exact figure (a percentage for a rate, else a count)
    rank: int | None  # 1 = highest
    tied: bool
    why_not: str = ""  # why the force is not ranked ("" when it is)
    from_bottom: int | None = None  # 1 = lowest (a tie at the bottom shares the lowest place)

    @property
    def side(self) -> tuple[str, int] | None:
        """(highest, n) or (lowest, n): the rank said from the nearer end ("ninth highest", "second lowest"); a force
        as near one end as the other is counted from the top."""
        if self.rank is None or self.from_bottom is None:
            return None
        return ("highest", self.rank) if self.rank <= self.from_bottom else ("lowest", self.from_bottom)


@dataclass(frozen=True)
class Ranking:
    places: dict[str, Place]
    field: Field
    period: Period

    @property
    def ranked(self) -> int:
        return sum(1 for p in self.places.values() if p.rank is not None)

    def not_ranked(self, why: str) -> list[str]:
        return [p.force for p in self.places.values() if p.why_not == why]

    def of(self, force: str) -> Place | None:
        return self.places.get(force)


def value(result: m.Result) -> float | int | None:
    """A result as a story prints it: a percentage for a rate (100 * n / d, exact), else the count."""
    if not result.computable:
        return None
    if result.denominator is None:
        return result.numerator
    return 100 * result.numerator / result.denominator if result.denominator else None


def candidates(ds: m.Dataset, field: Field) -> list[forces_mod.Force]:
    """The police forces of the edition a ranking considers (before the data are judged)."""
    present = set(ds.coverage.loc[ds.coverage["rows"] > 0, "force"])
    return [f for f in forces_mod.POLICE_FORCES if f.name in present]


def rank(ds: m.Dataset, query: m.Query, field: Field) -> Ranking:
    """Every police force of the edition by the query's measure over the query's period (the query's area is
    ignored). Cached on the dataset."""
    key = ("ranking", query.period, query.basis, query.offences, query.numerator, query.denominator, field)
    if key in ds._rankings:
        return ds._rankings[key]
    incomplete = quality.incomplete(ds, query.period) if field.comparable_only else {}
    places: dict[str, Place] = {}
    keyed: dict[str, object] = {}
    for f in candidates(ds, field):
        r = ds.evaluate(
            m.Query(m.Area.of(f.name), query.period, query.basis, query.offences, query.numerator, query.denominator)
        )
        v = value(r)
        why = ""
        if field.among == TERRITORIAL and f.kind != forces_mod.TERRITORIAL:
            why = NOT_TERRITORIAL
        elif f.name in field.exclude:
            why = LEFT_OUT
        elif v is None:
            why = NO_FIGURE
        elif f.name in incomplete:
            why = INCOMPLETE
        elif r.denominator is not None and r.denominator < field.min_denominator:
            why = TOO_FEW
        places[f.name] = Place(f.name, v, None, False, why)
        if not why:
            keyed[f.name] = v if field.precision is None else half_up(v, field.precision)
    for name, k in keyed.items():
        higher = sum(1 for other in keyed.values() if other > k)
        lower = sum(1 for other in keyed.values() if other < k)
        tied = sum(1 for other in keyed.values() if other == k) > 1
        places[name] = Place(name, places[name].value, 1 + higher, tied, "", 1 + lower)
    out = Ranking(places, field, query.period)
    ds._rankings[key] = out
    return out
