"""Data quality judged across forces: a force whose outcomes for a period are incomplete compared with the other
forces' (beside the within-force check of measures.Dataset, which compares a quarter only with the same force's
other quarters, so a force that is low in every quarter passes it).

The rules are declared once, here (RULES), and written in docs/methods.md with the figures that led to them. A force
is judged over the same quarters as the figure it is about, on all offences:

- **unassigned**: the share of the offences it recorded in the period that have no outcome yet (outcome type 0, the
  recorded basis) is far above England and Wales's: at least `unassigned_points` percentage points above it and at
  least `unassigned_times` times it;
- **few closed**: the offences it closed in the period (every outcome assigned, the closed basis) per offence it
  recorded are under `closed_share` of England and Wales's.

Either makes the force's figures for the period not comparable with other forces': a story says so about it, and a
ranking leaves it out. The judgement is a typed fact (`Completeness`); its words are made in publish.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data import forces as forces_mod
from ..data import outcomes
from . import measures as m
from .periods import Period

UNASSIGNED, FEW_CLOSED = "unassigned", "few closed"


@dataclass(frozen=True)
class Rules:
    #: the share with no outcome yet is far above the national share: at least this many points above it ...
    unassigned_points: float = 10.0
    #: ... and at least this many times it
    unassigned_times: float = 2.0
    #: offences closed per offence recorded under this share of England and Wales's
    closed_share: float = 0.8


RULES = Rules()
NOT_YET = m.OutcomeSet("types", (outcomes.NOT_YET_ASSIGNED,))
RECORDED = m.OutcomeSet("all_including_unassigned")


@dataclass(frozen=True)
class Counts:
    """An area's counts over a period: offences recorded, of them still without an outcome, and offences closed."""

    recorded: int
    unassigned: int
    closed: int

    @property
    def unassigned_pct(self) -> float | None:
        return 100 * self.unassigned / self.recorded if self.recorded else None

    @property
    def closed_per_recorded(self) -> float | None:
        return self.closed / self.recorded if self.recorded else None


@dataclass(frozen=True)
class Completeness:
    """A force's outcomes over a period against England and Wales's; `reasons` is empty when they compare."""

    force: str
    period: Period
    mine: Counts
    ew: Counts
    reasons: tuple[str, ...]

    @property
    def comparable(self) -> bool:
        return not self.reasons


def _counts(ds: m.Dataset, area: m.Area, period: Period) -> Counts | None:
    everything = m.OffenceScope("all")
    rec = ds.evaluate(m.Query(area, period, "recorded", everything, NOT_YET, RECORDED))
    closed = ds.evaluate(m.Query(area, period, "closed", everything, m.ALL))
    if not (rec.computable and closed.computable) or not rec.denominator:
        return None
    return Counts(int(rec.denominator), int(rec.numerator), int(closed.numerator))


def judge(mine: Counts, ew: Counts, rules: Rules = RULES) -> tuple[str, ...]:
    """The rules, on an area's counts against England and Wales's: the reasons its outcomes are incomplete."""
    reasons = []
    share, national = mine.unassigned_pct, ew.unassigned_pct
    if (
        share is not None
        and national is not None
        and share >= national + rules.unassigned_points
        and share >= national * rules.unassigned_times
    ):
        reasons.append(UNASSIGNED)
    ratio, national_ratio = mine.closed_per_recorded, ew.closed_per_recorded
    if ratio is not None and national_ratio and ratio < rules.closed_share * national_ratio:
        reasons.append(FEW_CLOSED)
    return tuple(reasons)


def completeness(ds: m.Dataset, period: Period) -> dict[str, Completeness]:
    """Every police force of the edition whose outcomes for the period can be judged (cached on the dataset)."""
    key = ("completeness", period)
    if key not in ds._rankings:
        out: dict[str, Completeness] = {}
        ew = _counts(ds, m.Area.of(m.EW), period)
        if ew is not None:
            for f in forces_mod.POLICE_FORCES:
                mine = _counts(ds, m.Area.of(f.name), period)
                if mine is not None:
                    out[f.name] = Completeness(f.name, period, mine, ew, judge(mine, ew))
        ds._rankings[key] = out
    return ds._rankings[key]


def incomplete(ds: m.Dataset, period: Period) -> dict[str, Completeness]:
    """The forces whose outcomes for the period are incomplete compared with the other forces'."""
    return {name: c for name, c in completeness(ds, period).items() if not c.comparable}
