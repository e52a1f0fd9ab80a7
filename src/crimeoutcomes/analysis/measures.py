"""Every figure, computed in exactly one place: a Query (area x period x basis x offences x outcome types) evaluated
over one edition's processed tables.

- area: a police force, a list of forces (summed), or England and Wales = every police force (43 territorial +
  British Transport Police), minus the forces a claim or story leaves out explicitly (the June 2021 articles left out
  Greater Manchester), and minus, period by period, any force whose data for the period are missing or not
  provided (it "follows the data": the figure says which force it leaves out and why);
- period: a run of financial quarters (periods.Period);
- basis: closed (outcomes assigned in the quarter, whenever the offence was recorded) or recorded (outcomes of
  offences recorded in the quarter);
- offences: all, an offence code, a list of codes, an offence group or subgroup;
- numerator (and, for a rate or share, denominator): outcome types. `all` = every outcome type except 0 (not yet
  assigned) and the 1a/2a/3a "of which" rows; `all_including_unassigned` adds type 0 (on the recorded basis that is
  the number of offences recorded).

A result is *computable* when every needed force-quarter is in the edition with counts (its `missing` lists the
`Gap`s otherwise); it carries *caveats* (`Flag`s) when a quarter was only partly supplied ("N/A - data not
provided"), is implausibly low against the force's usual level, or has cells that should hold counts but do not. It
is *complete* only when computable with no caveat. Gaps and flags are typed facts; their words are made in publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .. import columns
from ..data import derive, outcomes, tables
from ..data import forces as forces_mod
from ..errors import DataError
from .periods import Period

EW = "England and Wales"
#: forces left out of every "England and Wales" figure unless a claim, registry or story says otherwise: none. A force
#: whose data for a period are missing or not provided is left out of that period's figure only (see Dataset.evaluate)
DEFAULT_EXCLUDE: tuple[str, ...] = ()
#: what the June 2021 articles left out of England and Wales in every year (GMP could not supply July 2019 - March 2020)
ARTICLES_EXCLUDE: tuple[str, ...] = ("Greater Manchester",)
BASES = ("closed", "recorded")
CLOSED_TYPES = tuple(c for c in outcomes.OUTCOME_CODES)  # every outcome type in totals
NOT_IN_EDITION = "not in this edition"


# ------------------------------------------------------------------------------------------------- typed facts
@dataclass(frozen=True)
class Gap:
    """A quarter a figure needs and cannot use: not in the edition at all, or a force's data for it are missing,
    not provided or without counts (`status`)."""

    financial_year: str
    quarter: int
    status: str  # NOT_IN_EDITION or one of derive.BLOCKING
    forces: tuple[str, ...] = ()  # the forces without data (empty when the whole quarter is not in the edition)

    @property
    def quarter_label(self) -> str:
        return f"{self.financial_year} Q{self.quarter}"


LOW, PARTLY_PROVIDED, LEFT_OUT = "low", derive.COVERAGE_PARTLY_PROVIDED, derive.COVERAGE_LEFT_OUT


@dataclass(frozen=True)
class Flag:
    """A caveat on a figure that can still be computed: one force's quarter that looks incomplete (LOW: its offences
    closed are under 60% of its usual quarter), was only partly supplied (PARTLY_PROVIDED: some counts 'N/A - data
    not provided'), or has cells that should hold a count but do not and are left out (LEFT_OUT)."""

    kind: str
    force: str
    financial_year: str
    quarter: int
    basis: str = "closed"
    total: int | None = None  # LOW: the quarter's offences closed
    usual: int | None = None  # LOW: the force's usual quarter
    cells: int | None = None  # PARTLY_PROVIDED, LEFT_OUT: how many cells

    @property
    def quarter_label(self) -> str:
        return f"{self.financial_year} Q{self.quarter}"

    @property
    def anchor(self) -> str:
        """An id for the caveat on a page (stable: the same caveat has the same anchor on every page)."""
        kind = self.kind.replace(" ", "-")
        force = forces_mod.BY_NAME[self.force].slug if self.force in forces_mod.BY_NAME else self.force
        return f"caveat-{kind}-{force}-{self.financial_year.replace('/', '-')}-q{self.quarter}-{self.basis}"


# ------------------------------------------------------------------------------------------------- query parts
#: every outcome type including 0 (not yet assigned) but some: "ended with no charge" is {EXCEPT_UNASSIGNED: [1]}
EXCEPT_UNASSIGNED = "all_including_unassigned_except"


@dataclass(frozen=True)
class OutcomeSet:
    kind: str  # types | all | all_including_unassigned | all_except | all_including_unassigned_except
    types: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value) -> OutcomeSet:
        if isinstance(value, str) and value.strip() in ("all", "all_including_unassigned"):
            return cls(value.strip())
        if isinstance(value, dict) and len(value) == 1 and set(value) <= {"all_except", EXCEPT_UNASSIGNED}:
            ((kind, types),) = value.items()
            listed = types if isinstance(types, (list, tuple)) else [types]
            if outcomes.NOT_YET_ASSIGNED in _types(listed):
                raise ValueError(
                    f"{{{kind}: {types!r}}}: type 0 (not yet assigned) is left out or kept by the form itself: write "
                    f"{{all_except: [...]}} (without it) or {{{EXCEPT_UNASSIGNED}: [...]}} (with it)"
                )
            return cls(kind, _types(listed))
        if isinstance(value, (list, tuple)) and value:
            return cls("types", _types(value))
        if isinstance(value, (int, str)) and str(value).strip():
            return cls("types", _types([value]))
        raise ValueError(
            f"outcome types {value!r} not understood: write a list such as [14, 16], 'all', "
            "'all_including_unassigned', {all_except: [14, 18]} or {all_including_unassigned_except: [1]}"
        )

    @property
    def codes(self) -> tuple[str, ...]:
        if self.kind == "all":
            return CLOSED_TYPES
        if self.kind == "all_including_unassigned":
            return (outcomes.NOT_YET_ASSIGNED, *CLOSED_TYPES)
        if self.kind == "all_except":
            return tuple(c for c in CLOSED_TYPES if c not in self.types)
        if self.kind == EXCEPT_UNASSIGNED:
            return (outcomes.NOT_YET_ASSIGNED, *(c for c in CLOSED_TYPES if c not in self.types))
        return self.types

    @property
    def label(self) -> str:
        if self.kind == "all":
            return "all outcome types"
        if self.kind == "all_including_unassigned":
            return "all outcome types including 0 (not yet assigned)"
        if self.kind in ("all_except", EXCEPT_UNASSIGNED):
            but = self.types[0] if len(self.types) == 1 else ", ".join(self.types[:-1]) + " and " + self.types[-1]
            with_zero = " including 0 (not yet assigned)" if self.kind == EXCEPT_UNASSIGNED else ""
            return f"all outcome types{with_zero} except {but}"
        return ("outcome type " if len(self.types) == 1 else "outcome types ") + " + ".join(self.types)


def _types(values) -> tuple[str, ...]:
    out = []
    for v in values:
        code = outcomes.normalise_code(str(v))
        if code is None:
            raise ValueError(f"{v!r} is not an outcome type (0 to 22, 1a, 2a, 3a)")
        out.append(code)
    return tuple(sorted(set(out), key=outcomes.sort_key))


@dataclass(frozen=True)
class OffenceScope:
    kind: str  # all | code | codes | group | subgroup
    values: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value) -> OffenceScope:
        if value is None or (isinstance(value, str) and value.strip() == "all"):
            return cls("all")
        if isinstance(value, dict) and len(value) == 1:
            ((kind, v),) = value.items()
            if kind == "code" and isinstance(v, (str, int)):
                return cls("codes", (str(v).strip().upper(),))
            if kind == "codes" and isinstance(v, list) and v:
                return cls("codes", tuple(str(x).strip().upper() for x in v))
            if kind in ("group", "subgroup") and isinstance(v, str) and v.strip():
                return cls(kind, (v.strip(),))
        raise ValueError(
            f"offences {value!r} not understood: write all, {{code: 28E}}, {{codes: [28E, '48']}}, "
            "{group: Robbery} or {subgroup: Rape}"
        )

    @property
    def label(self) -> str:
        if self.kind == "all":
            return "all offences"
        if self.kind == "codes":
            return ("offence code " if len(self.values) == 1 else "offence codes ") + ", ".join(self.values)
        return f"offence {self.kind} {self.values[0]!r}"


@dataclass(frozen=True)
class UnknownOffence:
    """An offence scope names an offence the edition does not have: its kind (codes, group or subgroup), the name as
    written, and the nearest names the edition has (close spellings, then names that share a word; up to five)."""

    kind: str
    name: str
    nearest: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoFigure:
    """Why a measure gives England and Wales no figure in an edition (a story of it is not written): its offences are
    not in the data (offence), no period of the kind asked for can be computed (kind: calendar or financial, with no
    period), or the period asked for cannot (period)."""

    offence: UnknownOffence | None = None
    kind: str = ""
    period: Period | None = None
    empty: bool = False  # the period can be computed, but the measure's denominator is zero across England and Wales


@dataclass(frozen=True)
class Area:
    name: str  # a force's canonical name, "England and Wales", or "A + B"
    forces: tuple[str, ...]
    exclude: tuple[str, ...] = ()  # forces England and Wales leaves out on purpose (a claim's or story's choice)

    @property
    def is_ew(self) -> bool:
        return self.name == EW

    @classmethod
    def of(cls, value, exclude=DEFAULT_EXCLUDE, include_btp: bool = True) -> Area:
        if isinstance(value, (list, tuple)):
            members = tuple(dict.fromkeys(forces_mod.resolve(v, police_only=True).name for v in value))
            if not members:
                raise DataError("an area list needs at least one force")
            return cls(" + ".join(members), members) if len(members) > 1 else cls(members[0], members)
        if str(value).strip().lower() in (EW.lower(), "england & wales"):
            excluded = tuple(forces_mod.resolve(e, police_only=True).name for e in exclude)
            members = tuple(
                f.name
                for f in forces_mod.POLICE_FORCES
                if f.name not in excluded and (include_btp or f.kind != forces_mod.BTP)
            )
            if not include_btp:
                excluded = (*excluded, "British Transport Police")
            return cls(EW, members, excluded)
        force = forces_mod.resolve(str(value), police_only=True)
        return cls(force.name, (force.name,))


@dataclass(frozen=True)
class Query:
    area: Area
    period: Period
    basis: str = "closed"
    offences: OffenceScope = OffenceScope("all")
    numerator: OutcomeSet = OutcomeSet("all")
    denominator: OutcomeSet | None = None

    def with_period(self, period: Period) -> Query:
        return Query(self.area, period, self.basis, self.offences, self.numerator, self.denominator)


@dataclass
class Result:
    query: Query
    numerator: int
    denominator: int | None
    missing: list[Gap] = field(default_factory=list)  # blocking: quarters the figure needs and cannot use
    caveats: list[Flag] = field(default_factory=list)  # non-blocking: partial supply, implausibly low, cells left out
    left_out: list[Gap] = field(default_factory=list)  # England and Wales: forces left out for lack of data

    @property
    def forces(self) -> tuple[str, ...]:
        """The forces the figure sums (England and Wales without those left out for lack of data)."""
        gone = {f for g in self.left_out for f in g.forces}
        return tuple(f for f in self.query.area.forces if f not in gone)

    @property
    def computable(self) -> bool:
        return not self.missing

    @property
    def complete(self) -> bool:
        return self.computable and not self.caveats

    @property
    def value(self) -> float | int | None:
        """The count, or the rate as a fraction (None when the denominator is 0)."""
        if self.denominator is None:
            return self.numerator
        return self.numerator / self.denominator if self.denominator else None


# --------------------------------------------------------------------------------------------------- the data
def _category_mask(series: pd.Series, keep) -> np.ndarray:
    """Rows of a categorical column whose category passes `keep` (tested once per category, not per row)."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return series.astype(str).map(keep).to_numpy(dtype=bool)
    return columns.category_mask(series, keep)


class _Cube:
    """Totals as a dense force x quarter x outcome type array: a query is one slice and a sum."""

    def __init__(self, force, fy, q, outcome, value, left_out):
        self.forces = {f: i for i, f in enumerate(sorted(set(force)))}
        self.quarters = {k: i for i, k in enumerate(sorted(set(zip(fy, q.tolist()))))}
        self.types = {t: i for i, t in enumerate(sorted(set(outcome)))}
        shape = (len(self.forces), len(self.quarters), len(self.types))
        fi = np.array([self.forces[f] for f in force], dtype=np.int64)
        qi = np.array([self.quarters[k] for k in zip(fy, q.tolist())], dtype=np.int64)
        ti = np.array([self.types[t] for t in outcome], dtype=np.int64)
        flat = np.ravel_multi_index((fi, qi, ti), shape) if len(fi) else np.array([], dtype=np.int64)
        size = int(np.prod(shape))
        self.value = np.bincount(flat, weights=value, minlength=size).astype(np.int64).reshape(shape)
        self.left = np.bincount(flat, weights=left_out, minlength=size).astype(np.int64).reshape(shape)

    def left_by(self, forces, quarters, types) -> dict[tuple[str, tuple[str, int]], int]:
        """Cells left out, per force and quarter, where there are any."""
        fs = [f for f in dict.fromkeys(forces) if f in self.forces]
        qs = [qk for qk in dict.fromkeys(quarters) if qk in self.quarters]
        ti = [self.types[t] for t in types if t in self.types]
        if not (fs and qs and ti):
            return {}
        left = self.left[np.ix_([self.forces[f] for f in fs], [self.quarters[qk] for qk in qs], ti)].sum(axis=2)
        return {(fs[a], qs[b]): int(left[a, b]) for a, b in zip(*np.nonzero(left))}  # force by force, as given

    def total(self, forces, quarters, types) -> tuple[int, int]:
        fi = [self.forces[f] for f in forces if f in self.forces]
        qi = [self.quarters[q] for q in quarters if q in self.quarters]
        ti = [self.types[t] for t in types if t in self.types]
        if not (fi and qi and ti):
            return 0, 0
        ix = np.ix_(fi, qi, ti)
        return int(self.value[ix].sum()), int(self.left[ix].sum())


class Dataset:
    """One edition's processed tables, loaded once, and the evaluation of queries over them."""

    def __init__(
        self,
        aggregate: pd.DataFrame,
        coverage: pd.DataFrame,
        *,
        offence_groups: pd.DataFrame | None = None,
        build: dict | None = None,
        edition: str | None = None,
        tidy_loader=None,
        quality: pd.DataFrame | None = None,
    ):
        self.edition = edition or (build or {}).get("edition", "")
        self.build = build or {}
        self.aggregate = aggregate
        self.offence_groups = offence_groups
        self.quality = quality
        self._tidy_loader = tidy_loader
        cov = coverage.copy()
        cov["financial_year"] = cov["financial_year"].astype(str)
        cov["fin_quarter"] = cov["fin_quarter"].astype(int)
        self.coverage = cov
        key = list(zip(cov["force"], cov["financial_year"], cov["fin_quarter"]))
        self._status = {b: dict(zip(key, cov[f"{b}_status"].astype(str))) for b in BASES}
        self._not_provided = {b: dict(zip(key, cov[f"{b}_not_provided"].fillna(0).astype(int))) for b in BASES}
        self._low = {
            k: (int(t), int(u))
            for k, p, t, u in zip(
                key, cov["plausibility"].astype(str), cov["closed_total"].fillna(0), cov["closed_usual"].fillna(0)
            )
            if p == "low"
        }
        self.quarters = sorted(set(zip(cov["financial_year"], cov["fin_quarter"])), key=lambda x: (x[0], x[1]))
        self._counts: dict = {}
        self._rankings: dict = {}  # (period, basis, include_btp, offences) -> ranking table (every report reads it)

    @classmethod
    def load(cls, edition: str, build: dict | None = None) -> Dataset:
        """An edition's processed tables; `build` is its build.json when the caller has already read it."""
        if build is None:
            build = tables.load_record(edition)
        return cls(
            tables.AGGREGATE.load(edition),
            tables.COVERAGE.load(edition),
            offence_groups=tables.OFFENCE_GROUPS.load(edition),
            build=build,
            edition=edition,
            quality=tables.QUALITY.load(edition),
            tidy_loader=lambda columns: tables.OUTCOMES.load(edition, columns=columns),
        )

    @property
    def synthetic(self) -> bool:
        return bool(self.build.get("synthetic"))

    @property
    def release(self) -> str:
        """The release(s) the edition's files come from, as build.json names them (else the edition's name)."""
        return self.build.get("release") or self.edition

    # ------------------------------------------------------------------ the tidy table (only when needed)
    TIDY_COLUMNS = [
        "force",
        "financial_year",
        "fin_quarter",
        "offence_code",
        "offence_description",
        "offence_group",
        "offence_subgroup",
        "offence_code_expired",
        "outcome_type",
        "in_totals",
        "closed",
        "closed_issue",
        "recorded",
        "recorded_issue",
        "source_file",
        "source_row",
    ]

    @cached_property
    def tidy(self) -> pd.DataFrame:
        if self._tidy_loader is None:
            raise DataError("this dataset was made without its tidy table; offence codes and subgroups need it")
        return self._tidy_loader(self.TIDY_COLUMNS)

    @cached_property
    def offence_lists(self) -> dict[str, list[str]]:
        """Offence codes, groups and subgroups of the edition (for checking claims and suggesting close matches)."""
        t = self.tidy
        return {
            "codes": sorted(map(str, t["offence_code"].unique())),
            "group": sorted(map(str, t["offence_group"].unique())),
            "subgroup": sorted(map(str, t["offence_subgroup"].unique())),
        }

    def check_offences(self, scope: OffenceScope) -> UnknownOffence | None:
        """None if the scope names offences the edition has, else the first name it does not have, with the nearest
        valid names (close spellings, then names that share a word)."""
        import difflib

        if scope.kind == "all":
            return None
        known = self.offence_lists[scope.kind]
        folded = {k.lower(): k for k in known}
        for v in scope.values:
            if v in known or v.lower() in folded:
                continue
            close = difflib.get_close_matches(v.lower(), list(folded), n=5, cutoff=0.5)
            words = {w for w in v.lower().split() if len(w) > 2}
            close += [k for k in folded if words & set(k.split())]
            return UnknownOffence(scope.kind, v, tuple(folded[c] for c in dict.fromkeys(close))[:5])
        return None

    # ------------------------------------------------------------------ counts by force-quarter-outcome type
    def _selection_rows(self, scope: OffenceScope) -> pd.DataFrame:
        """Tidy rows of an offence scope (codes, group or subgroup), matched on the categories (fast)."""
        t = self.tidy
        if scope.kind == "codes":
            codes = {str(c).upper() for c in scope.values}
            mask = _category_mask(t["offence_code"], lambda c: str(c).upper() in codes)
        else:
            col = "offence_group" if scope.kind == "group" else "offence_subgroup"
            wanted = scope.values[0].lower()
            mask = _category_mask(t[col], lambda c: str(c).lower() == wanted)
        return t[mask]

    def left_out_bounds(self, basis: str, scope: OffenceScope, quarters: frozenset) -> dict[str, int]:
        """The cells of an offence scope left out (LEFT_OUT) in the given (force, financial year, quarter)s, each
        given the most its row (force, offence code, outcome type) holds in the force's other quarters: the bound
        summed by outcome type (worked out once per basis, scope and quarters: every version shares them)."""
        cache_key = ("left out", basis, scope, quarters)
        if cache_key in self._counts:
            return self._counts[cache_key]
        t = self.tidy if scope.kind == "all" else self._selection_rows(scope)
        forces = {q[0] for q in quarters}
        part = t[_category_mask(t["force"], lambda f: str(f) in forces)]
        cols = ["force", "financial_year", "fin_quarter", "offence_code", "outcome_type", basis]
        rows = part.loc[:, cols].assign(gone=derive.left_out(part, basis))
        rows = rows.astype({"force": str, "financial_year": str, "offence_code": str, "outcome_type": str})
        key = list(zip(rows["force"], rows["financial_year"], rows["fin_quarter"].astype(int)))
        blank = rows[[g and k in quarters for g, k in zip(rows["gone"], key)]]
        most = rows[~rows["gone"]].groupby(["force", "offence_code", "outcome_type"], observed=True)[basis].max()
        bounds: dict[str, int] = {}
        for r in blank.itertuples(index=False):
            b = max(int(most.get((r.force, r.offence_code, r.outcome_type), 0) or 0), 0)
            bounds[r.outcome_type] = bounds.get(r.outcome_type, 0) + b
        self._counts[cache_key] = bounds
        return bounds

    def counts(self, basis: str, scope: OffenceScope) -> _Cube:
        """The offence scope's totals as a force x quarter x outcome type array (built once per basis and scope)."""
        cache_key = (basis, scope)
        if cache_key in self._counts:
            return self._counts[cache_key]
        if basis not in BASES:
            raise DataError(f"basis must be one of {', '.join(BASES)}, got {basis!r}")
        if scope.kind == "all":
            src = self.aggregate
            value, left = src[basis], src[f"{basis}_left_out"].to_numpy()
        elif scope.kind == "group" and self.offence_groups is not None:
            g = self.offence_groups
            src = g[(g["offence_group"].astype(str).str.lower() == scope.values[0].lower()).to_numpy()]
            value, left = src[basis], src[f"{basis}_left_out"].to_numpy()
        else:
            src = self._selection_rows(scope)
            left = derive.left_out(src, basis) if len(src) else np.zeros(0, dtype=bool)
            value = src[basis]
        cube = _Cube(
            src["force"].astype(str).to_numpy(),
            src["financial_year"].astype(str).to_numpy(),
            src["fin_quarter"].astype(int).to_numpy(),
            src["outcome_type"].astype(str).to_numpy(),
            value.astype("Float64").fillna(0).to_numpy(dtype="int64"),
            np.asarray(left, dtype="int64"),
        )
        self._counts[cache_key] = cube
        return cube

    # ------------------------------------------------------------------ evaluation
    def coverage_of(
        self, forces: tuple[str, ...], period: Period, basis: str, follow_data: bool = False
    ) -> tuple[list[Gap], list[Flag], list[Gap]]:
        """(missing, flags, left out) for the force-quarters a figure needs. With follow_data (England and Wales),
        a force whose data for a quarter are missing or not provided is left out of the whole period's figure
        instead of making it uncomputable; the quarter itself must be in the edition."""
        missing: list[Gap] = []
        edition = set(self.quarters)
        blocked: dict[tuple[str, int, str], list[str]] = {}
        for fy, q in period.quarters:
            if (fy, q) not in edition:
                missing.append(Gap(fy, q, NOT_IN_EDITION))
                continue
            for f in forces:
                status = self._status[basis].get((f, fy, q), derive.COVERAGE_MISSING)
                if status in derive.BLOCKING:
                    blocked.setdefault((fy, q, status), []).append(f)
        gaps = [Gap(fy, q, status, tuple(who)) for (fy, q, status), who in blocked.items()]
        gone = {f for g in gaps for f in g.forces}
        if follow_data and len(gone) < len(forces) and self._few_enough(gone, forces):
            left_out, kept = gaps, tuple(f for f in forces if f not in gone)
        else:
            missing += gaps
            left_out, kept = [], forces
        return missing, self._flags(kept, period, basis), left_out

    #: England and Wales follows the data only while it stays England and Wales: of the forces the edition holds, at
    #: most a quarter (and at least one) may be left out of a period; beyond that the figure cannot be given
    MAX_LEFT_OUT_SHARE = 0.25

    def _few_enough(self, gone: set[str], forces: tuple[str, ...]) -> bool:
        """Whether leaving these forces out still leaves England and Wales: forces absent from the whole edition
        (a test edition of three forces) are named but not counted."""
        if "_held" not in self.__dict__:
            self.__dict__["_held"] = set(self.coverage.loc[self.coverage["rows"] > 0, "force"])
        present = [f for f in forces if f in self.__dict__["_held"]]
        return len(gone & set(present)) <= max(1, int(len(present) * self.MAX_LEFT_OUT_SHARE))

    def _flags(self, forces: tuple[str, ...], period: Period, basis: str) -> list[Flag]:
        flags = []
        for fy, q in period.quarters:
            for f in forces:
                if basis == "closed" and (f, fy, q) in self._low:
                    total, usual = self._low[(f, fy, q)]
                    flags.append(Flag(LOW, f, fy, q, basis, total=total, usual=usual))
                if self._status[basis].get((f, fy, q)) == derive.COVERAGE_PARTLY_PROVIDED:
                    flags.append(Flag(PARTLY_PROVIDED, f, fy, q, basis, cells=self._not_provided[basis][(f, fy, q)]))
        return flags

    def evaluate(self, query: Query) -> Result:
        follow = query.area.is_ew
        missing, flags, left_out = self.coverage_of(query.area.forces, query.period, query.basis, follow)
        gone = {f for g in left_out for f in g.forces}
        forces = tuple(f for f in query.area.forces if f not in gone)
        cube = self.counts(query.basis, query.offences)
        quarters = query.period.quarters
        num = cube.total(forces, quarters, query.numerator.codes)[0]
        den = cube.total(forces, quarters, query.denominator.codes)[0] if query.denominator else None
        codes = sorted(set(query.numerator.codes) | set(query.denominator.codes if query.denominator else ()))
        for (f, (fy, q)), cells in cube.left_by(forces, quarters, codes).items():
            flags.append(Flag(LEFT_OUT, f, fy, q, query.basis, cells=cells))
        return Result(query, num, den, missing, flags, left_out)

    def rows(self, query: Query, forces: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The raw rows a result sums (non-zero counts only), with their file and row, and whether each enters the
        numerator and the denominator: a researcher can re-add the figure by hand. `forces`: the forces the result
        summed (England and Wales without those left out for lack of data)."""
        scope = query.offences
        src = self.tidy if scope.kind == "all" else self._selection_rows(scope)
        codes = set(query.numerator.codes) | set(query.denominator.codes if query.denominator else ())
        quarters = pd.DataFrame(query.period.quarters, columns=["financial_year", "fin_quarter"])
        forces = set(forces if forces is not None else query.area.forces)
        fys = set(query.period.financial_years)
        mask = (
            _category_mask(src["force"], lambda f: f in forces)
            & _category_mask(src["outcome_type"], lambda o: o in codes)
            & _category_mask(src["financial_year"], lambda y: y in fys)
            & src[query.basis].fillna(0).ne(0).to_numpy()
        )
        part = src[mask]
        part = part.assign(
            financial_year=part["financial_year"].astype(str), fin_quarter=part["fin_quarter"].astype(int)
        )
        part = part.merge(quarters, on=["financial_year", "fin_quarter"])
        out = pd.DataFrame(
            {
                "source_file": part["source_file"].astype(str),
                "source_row": part["source_row"].astype(int),
                "force": part["force"].astype(str),
                "financial_year": part["financial_year"],
                "quarter": part["fin_quarter"],
                "offence_code": part["offence_code"].astype(str),
                "offence_description": part["offence_description"].astype(str),
                "outcome_type": part["outcome_type"].astype(str),
                f"{query.basis}_count": part[query.basis].astype(int),
                "in_numerator": part["outcome_type"].astype(str).isin(query.numerator.codes).astype(int),
            }
        )
        if query.denominator:
            out["in_denominator"] = out["outcome_type"].isin(query.denominator.codes).astype(int)
        return out.sort_values(["source_file", "source_row"]).reset_index(drop=True)

    # ------------------------------------------------------------------ periods available
    def periods(self, kind: str, like: Period | None = None) -> list[Period]:
        """Every period of a kind (calendar / financial / like a given period) with at least one quarter in the
        edition, oldest first."""
        if like is None and kind not in ("calendar", "financial"):
            raise ValueError(
                f"periods({kind!r}) needs like=<a period of that kind>; only calendar and financial stand alone"
            )
        if not self.quarters:
            return []
        years = sorted({int(fy[:4]) for fy, _ in self.quarters})
        candidates = []
        for y in range(years[0] - 1, years[-1] + 2):
            if like is not None:
                p = like.shifted(y - like.year)
            elif kind == "calendar":
                p = Period.calendar(y)
            else:
                p = Period.financial(y)
            if any(q in set(self.quarters) for q in p.quarters):
                candidates.append(p)
        return sorted(set(candidates), key=lambda p: p.first)

    def computable_periods(
        self, area: Area, kind: str = "calendar", basis: str = "closed", like: Period | None = None
    ) -> list[Period]:
        return [p for p in self.periods(kind, like) if not self.coverage_of(area.forces, p, basis, area.is_ew)[0]]

    def latest(
        self, area: Area, kind: str = "calendar", basis: str = "closed", like: Period | None = None
    ) -> Period | None:
        found = self.computable_periods(area, kind, basis, like)
        return found[-1] if found else None


# -------------------------------------------------------------------------- the articles' headline measures
VDNS = OutcomeSet("types", outcomes.VICTIM_DID_NOT_SUPPORT)  # 14 + 16: victim did not support further action
SUSPECT = OutcomeSet("types", outcomes.SUSPECT_IDENTIFIED_VICTIM_DID_NOT_SUPPORT)  # 16
ALL = OutcomeSet("all")

#: the articles' measure names, as shorthands of the general form: measure -> (numerator, denominator)
SHORTHANDS: dict[str, tuple[OutcomeSet, OutcomeSet | None]] = {
    "closed": (ALL, None),
    "vdns_count": (VDNS, None),
    "vdns_rate": (VDNS, ALL),
    "suspect_identified_count": (SUSPECT, None),
    "suspect_identified_share": (SUSPECT, VDNS),
}


@dataclass
class Figures:
    """The headline figures for one area and period: offences closed, outcomes 14 + 16, outcome 16, rate, share."""

    area: Area
    period: Period
    closed: int
    vdns: int
    suspect: int
    missing: list[Gap]
    caveats: list[Flag]
    left_out: list[Gap] = field(default_factory=list)

    @property
    def computable(self) -> bool:
        return not self.missing

    @property
    def complete(self) -> bool:
        return not self.missing and not self.caveats

    @property
    def rate(self) -> float | None:
        return self.vdns / self.closed if self.closed else None

    @property
    def share(self) -> float | None:
        return self.suspect / self.vdns if self.vdns else None


def figures(
    ds: Dataset, area: Area, period: Period, basis: str = "closed", offences: OffenceScope = OffenceScope("all")
) -> Figures:
    closed = ds.evaluate(Query(area, period, basis, offences, ALL))
    vdns = ds.evaluate(Query(area, period, basis, offences, VDNS)).numerator
    suspect = ds.evaluate(Query(area, period, basis, offences, SUSPECT)).numerator
    return Figures(area, period, closed.numerator, vdns, suspect, closed.missing, closed.caveats, closed.left_out)


def ranking(
    ds: Dataset,
    period: Period,
    *,
    basis: str = "closed",
    include_btp: bool = True,
    offences: OffenceScope = OffenceScope("all"),
) -> pd.DataFrame:
    """Every police force's victim-did-not-support rate for a period, computable ones ranked (1 = highest)."""
    key = (period, basis, include_btp, offences)
    if key not in ds._rankings:
        ds._rankings[key] = _ranking(ds, period, basis, include_btp, offences)
    return ds._rankings[key].copy()


def _ranking(ds: Dataset, period: Period, basis: str, include_btp: bool, offences: OffenceScope) -> pd.DataFrame:
    rows = []
    for f in forces_mod.POLICE_FORCES:
        if f.kind == forces_mod.BTP and not include_btp:
            continue
        fig = figures(ds, Area.of(f.name), period, basis, offences)
        rows.append(
            {
                "force": f.name,
                "period": period.label,
                "offences_closed": fig.closed,
                "vdns": fig.vdns,
                "rate_pct": np.nan if fig.rate is None or not fig.computable else 100 * fig.rate,
                "computable": fig.computable,
                "complete": fig.complete,
                "flags": fig.caveats,
            }
        )
    table = pd.DataFrame(rows)
    ranked = table["rate_pct"].notna()
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table.loc[ranked, "rank"] = table.loc[ranked, "rate_pct"].rank(ascending=False, method="min").astype(int)
    table["forces_ranked"] = int(ranked.sum())
    return table.sort_values(["rank", "force"], na_position="last").reset_index(drop=True)


def quarterly(ds: Dataset, area: Area, basis: str = "closed") -> pd.DataFrame:
    """One row per financial quarter of the edition (its label, financial year and number 1-4): offences closed,
    outcomes 14 + 16, rate, and whether the quarter is computable and complete for the area."""
    rows = []
    for fy, q in ds.quarters:
        p = Period.quarter(fy, q)
        fig = figures(ds, area, p, basis)
        start = pd.Timestamp(year=p.year, month={1: 4, 2: 7, 3: 10, 4: 1}[q], day=1)
        rows.append(
            {
                "area": area.name,
                "quarter": p.label,
                "financial_year": fy,
                "fin_quarter": q,
                "quarter_start": start,
                "offences_closed": fig.closed,
                "vdns": fig.vdns,
                "rate_pct": 100 * fig.rate if fig.rate is not None and fig.computable else np.nan,
                "computable": fig.computable,
                "complete": fig.complete,
                "flags": fig.caveats,
                "left_out": fig.left_out,
            }
        )
    return pd.DataFrame(rows)
