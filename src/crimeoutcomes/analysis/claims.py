"""Claims registries (config/claims/*.yaml, or any file a user brings) and the audit of each claim.

A claim is a published figure written in the general form (see docs/claims.md):

    area: a force | "England and Wales" | [forces, summed]
    period: "calendar 2018" | "financial year 2017/18" | "2018/19 Q1-Q2" | "year ending September 2018"
    basis: closed | recorded
    offences: all | {code} | {codes} | {group} | {subgroup}
    numerator: outcome types [18] | all | all_including_unassigned | {all_except: [...]}
               | {all_including_unassigned_except: [...]}
    denominator: the same forms, for a rate or share
    claimed: as printed: "5,523" | "443,000" | "4.6m" | "82%" | "1 in 24" | "nine in 10" | "a third"
             | "fewer than 10" | "nearly 5 million" | "more than 400,000" | "highest since 2015" | "3 of 44"
    change_from: the earlier period of a change; claimed is then "up 4.7 points" | "from 11% to 9%"
                 | "down 41,215" | "up 12%" | "fallen by a third"
    statements (see STATEMENTS): "higher than the national rate", "up", "a sharp rise", "rose more than the national
                 rate" (with change_from), and ranks in words: "joint ninth highest of 42"
    alternatives: other readings of the same figure, each audited beside it

The articles' measure names (closed, vdns_rate, ...) are shorthands for numerator/denominator pairs.

Verdicts (docs/methods.md gives the rules with examples). Every printed figure stands for a band of exact values (the
*printed band*: "82%" is 81.5 <= x < 82.5, "1 in 24" is 1/24.5 < x <= 1/23.5, "443,000" is 442,500 <= x < 443,500,
"a third" the values nearer a third than any other common fraction, an exact count is itself):
- reproduced: the computed value is inside the printed band;
- revised: outside it, but inside the band widened by the tolerance for revised data (a count by 2% of itself and at
  least 1; a rate by the smaller of 5% of itself and half a point), or, when the story's release is earlier than the
  edition's, on the side later data move the figure, by at most `later` (60%) of the printed figure;
- differs: outside those bands too;
- not verifiable: the edition lacks a quarter the claim needs (the nearest figure it can compute is given apart);
- not from this dataset: a figure from another source.

The audit's results are typed (`Finding`); their words are written by publish/words/claims_text.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .. import paths
from ..data import forces as forces_mod
from ..data import outcomes as outcomes_mod
from ..data import tables
from ..errors import DataError
from ..rounding import half_up
from ..yamlfile import read_yaml, short, validate
from . import measures as m
from . import ranking as ranking_mod
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
DEFAULT_TOLERANCE = {
    "count": {"relative": 0.02, "later": 0.6},
    "percent": {"relative": 0.05, "points": 0.5, "later": 0.6},
}


# ------------------------------------------------------------------------------------------------ claimed values
@dataclass(frozen=True)
class Band:
    """Exact values a printed figure can stand for, in the claim's unit (a count, a percentage, a rank): a
    percentage's band is lo <= x < hi, "1 in N"'s lo < x <= hi, a count's lo <= x <= hi."""

    lo: float
    hi: float
    closed_high: bool = False  # hi is inside the band
    closed_low: bool = True  # lo is inside the band

    def __contains__(self, x: float) -> bool:
        eps = 1e-9
        if self.hi <= self.lo:
            return abs(x - self.lo) <= eps
        above = x >= self.lo - eps if self.closed_low else x > self.lo + eps
        below = x <= self.hi + eps if self.closed_high else x < self.hi - eps
        return above and below


@dataclass(frozen=True)
class Tolerance:
    """How far revised data may move a figure beyond its printed band: `relative` (a share of the figure) and
    `points` (percentage points), the smaller of the two when both are given, a count by at least 1; `later`: how far,
    as a share of the printed figure, a later release may move it the way later data move such a figure."""

    relative: float | None = None
    points: float | None = None
    later: float = 0.0

    @classmethod
    def of(cls, given: dict) -> Tolerance:
        return cls(given.get("relative"), given.get("points"), float(given.get("later", 0.0)))

    def width(self, value: float, count: bool) -> float:
        """The widening for a figure of this size: a count by its share (at least 1), a rate by the smaller of its
        share and the points."""
        size = abs(value)
        if count:
            return max((self.relative or 0.0) * size, 1.0)
        widths = [
            w
            for w in ((self.relative or 0.0) * size if self.relative is not None else None, self.points)
            if w is not None
        ]
        return min(widths) if widths else 0.0


#: numbers printed as words, as news stories print small counts and fractions ("just three", "nine in 10")
# fmt: off
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
# fmt: on
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: fractions printed as words, and the common fractions a reporter chooses between: a printed "a third" stands for
#: the values nearer a third than any other of these
FRACTION_WORDS = {
    "half": (1, 2),
    "a half": (1, 2),
    "one half": (1, 2),
    "a third": (1, 3),
    "one third": (1, 3),
    "one-third": (1, 3),
    "two thirds": (2, 3),
    "two-thirds": (2, 3),
    "a quarter": (1, 4),
    "one quarter": (1, 4),
    "three quarters": (3, 4),
    "three-quarters": (3, 4),
    "a fifth": (1, 5),
    "one fifth": (1, 5),
    "two fifths": (2, 5),
    "three fifths": (3, 5),
    "four fifths": (4, 5),
    "a tenth": (1, 10),
    "one tenth": (1, 10),
}
COMMON_FRACTIONS = sorted({k / d for k, d in FRACTION_WORDS.values()} | {0.9})
#: words before a figure that put its value on one side of it: "fewer than 10" (any value under 10), "nearly 5
#: million" (under 5 million, but at least what prints as 5 million), "more than 400,000" (over 400,000, but under
#: what prints as 400,000 plus half its printed unit)
SIDES = {
    "fewer than": "below",
    "less than": "below",
    "under": "below",
    "nearly": "nearly",
    "almost": "nearly",
    "just under": "nearly",
    "just short of": "nearly",
    "more than": "over",
    "over": "over",
    "just over": "over",
    "above": "over",
}
MAGNITUDES = {"m": 1e6, "million": 1e6, "mn": 1e6, "k": 1e3, "thousand": 1e3, "bn": 1e9, "billion": 1e9}


def number_value(text: str) -> float | None:
    """'5,523' -> 5523, 'three' -> 3, '4.7' -> 4.7 (None when it is neither)."""
    t = text.strip().lower()
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    return float(t.replace(",", "")) if re.fullmatch(_NUMBER, t) else None


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


@dataclass(frozen=True)
class Claimed:
    """A figure as printed: its unit and the precision the article used."""

    text: str
    unit: str  # count | percent | one_in | fraction | record | rank | coverage | text | change
    value: float | None = None  # the count, the percentage, N of "1 in N", a fraction in per cent, the rank
    decimals: int = 0
    since: int | None = None  # record: the first year compared
    lowest: bool = False  # record: "lowest since"; rank: counted from the lowest
    of: int | None = None  # rank: of how many
    joint: bool = False  # rank: "joint ninth highest"
    relation: int = 0  # statement: 1 higher / up / more, -1 lower / down / less, 0 the same
    sharp: bool = False  # statement "a sharp rise": the change is at least the claim's threshold
    rising: bool = True  # statement "rose more than": the direction of both changes
    step: float = 1.0  # count: the printed unit ("443,000": 1,000; "4.6m": 100,000); 1 for a count printed exactly
    rounded: bool = False  # count: printed rounded to `step` (else exact)
    side: str = ""  # below ("fewer than"), nearly ("nearly", "almost"), over ("more than"): see SIDES
    parts: tuple[int, int] | None = None  # fraction: (k, d) as printed ("two in five": (2, 5); "a third": (1, 3))
    common: bool = False  # fraction: a common fraction in words ("a third"), not "k in d"
    change: Change | None = None  # change: the change as printed

    @classmethod
    def parse(cls, text, kind: str = "value") -> Claimed:
        t = " ".join(str(text).split())
        statement = _statement(t)
        if statement is not None:
            return statement
        if kind == "external":
            return cls(t, "text")
        if kind == "coverage":
            if t.lower() != "incomplete":
                raise ValueError(f"claimed must be 'incomplete' for a coverage claim, got {t!r}")
            return cls(t, "coverage")
        m_rec = re.fullmatch(r"(?i)(?:the )?(highest|lowest) since (\d{4})", t)
        if m_rec:
            return cls(t, "record", since=int(m_rec.group(2)), lowest=m_rec.group(1).lower() == "lowest")
        if kind == "record":
            raise ValueError(f"claimed must read 'highest since YEAR' for a record claim, got {t!r}")
        m_rank = re.fullmatch(r"(?i)(?:rank(?:ed)? )?(\d+) of (\d+)", t)
        if m_rank and int(m_rank.group(1)) <= int(m_rank.group(2)):
            return cls(t, "rank", float(m_rank.group(1)), of=int(m_rank.group(2)))
        words = "|".join(COUNT_WORDS)
        m_place = re.fullmatch(rf"(?i)(joint )?(?:({ORDINALS}) )?(highest|lowest) of ([\d,]+|{words})", t)
        if m_place:
            joint, nth, side, of = m_place.groups()
            of_n = COUNT_WORDS.index(of.lower()) if of.lower() in COUNT_WORDS else int(of.replace(",", ""))
            n = ordinal_value(nth) if nth else 1
            if n > of_n:
                raise ValueError(f"rank {t!r} counts past the {of_n} forces ranked")
            return cls(t, "rank", float(n), of=of_n, lowest=side.lower() == "lowest", joint=bool(joint))
        if t.lower() in COUNT_WORDS:
            return cls(t, "count", float(COUNT_WORDS.index(t.lower())))
        found = press_figure(t)
        if found is None:
            raise ValueError(
                f"claimed figure {t!r} not understood: write it as printed, e.g. '5,523', '443,000', '4.6m', '82%', "
                "'4.2%', '1 in 24', 'nine in 10', 'a third', 'fewer than 10', 'nearly 5 million', '3 of 44' or "
                "'highest since 2015'"
            )
        return found

    @property
    def is_rate(self) -> bool:
        return self.unit in ("percent", "one_in", "fraction")

    @property
    def is_statement(self) -> bool:
        return self.unit in STATEMENTS

    @property
    def as_percent(self) -> float | None:
        if self.unit == "one_in":
            return 100 / self.value
        return self.value if self.unit in ("percent", "fraction") else None

    @property
    def target(self) -> float | None:
        """The value the figure states, in the claim's unit (a rate in per cent)."""
        return self.as_percent if self.is_rate else self.value

    @property
    def unit_step(self) -> float:
        """One printed unit: 1 for an exact count (its step when rounded), 0.1 for '43.1%', 1 for '82%' and for
        '1 in 24' (of N)."""
        return self.step if self.unit == "count" or self.rounded else 10.0**-self.decimals

    def _base_band(self) -> Band | None:
        """The exact values that print as the figure itself (in per cent for rates)."""
        half = 0.5 * self.unit_step
        if self.unit == "count":
            return Band(self.value - half, self.value + half) if self.rounded else Band(self.value, self.value)
        if self.unit == "percent":
            return Band(self.value - half, self.value + half)
        if self.unit == "one_in":
            return Band(100 / (self.value + half), 100 / (self.value - half), closed_high=True, closed_low=False)
        if self.unit == "fraction":
            k, d = self.parts
            if not self.common:
                return Band(100 * (k - 0.5) / d, 100 * (k + 0.5) / d)
            x = k / d
            lower = [f for f in COMMON_FRACTIONS if f < x - 1e-9]
            upper = [f for f in COMMON_FRACTIONS if f > x + 1e-9]
            lo = (x + lower[-1]) / 2 if lower else x / 2
            hi = (x + upper[0]) / 2 if upper else (x + 1) / 2
            return Band(100 * lo, 100 * hi)
        return None

    def printed_band(self) -> Band | None:
        """The exact values the printed figure stands for (in per cent for rates)."""
        band = self._base_band()
        if band is None or not self.side:
            return band
        if self.side == "below":
            return Band(float("-inf"), self.target)
        if self.side == "nearly":
            return Band(band.lo, self.target, closed_low=band.closed_low)
        return Band(self.target, band.hi, closed_low=False, closed_high=band.closed_high)

    def revised_band(self, tolerance: Tolerance) -> Band | None:
        """The printed band widened by the tolerance for revised data (a count by at least 1)."""
        band = self.printed_band()
        if band is None:
            return None
        w = tolerance.width(self.target, self.unit == "count")
        exact = self.unit == "count" and self.side != "below"  # a count's band holds its ends
        return Band(band.lo - w, band.hi + w, closed_high=band.closed_high or exact, closed_low=band.closed_low)


def press_figure(text: str) -> Claimed | None:
    """A figure as news stories print it (None when the text is not one): a count ('5,523', 'three'), a rounded
    count ('443,000', '4.6m', '5 million'), a percentage ('82%', '82 per cent', '83per cent'), '1 in 24' ('one in
    every 24'), a fraction ('nine in 10', 'two out of five', 'a third', 'half'), any of them after 'fewer than',
    'nearly' or 'more than'."""
    t = " ".join(str(text).split())
    low = t.lower().replace("–", "-")
    side = ""
    for words in sorted(SIDES, key=len, reverse=True):
        if low.startswith(words + " "):
            side, low = SIDES[words], low[len(words) + 1 :]
            break
    low = re.sub(r"^(?:just|only|around|about|some) ", "", low)
    base = _base_figure(low)
    if base is None:
        return None
    if side in ("nearly", "over") and base.unit in ("count", "percent") and not base.decimals and not base.rounded:
        # a figure a story puts a bound on is a round one: "more than 100" is to the hundred, "nearly 50%" to ten
        digits = str(int(abs(base.value)))
        zeros = len(digits) - len(digits.rstrip("0")) if base.value else 0
        base = replace(base, step=10.0**zeros, rounded=True)
    return Claimed(
        t,
        base.unit,
        base.value,
        base.decimals,
        step=base.step,
        rounded=base.rounded,
        side=side,
        parts=base.parts,
        common=base.common,
    )


def _base_figure(low: str) -> Claimed | None:
    words = "|".join(NUMBER_WORDS)
    m_pct = re.fullmatch(rf"(-?{_NUMBER}|{words})\s*(?:%|per ?cent|pc)", low)
    if m_pct:
        v = number_value(m_pct.group(1))
        return Claimed(low, "percent", v, _decimals(m_pct.group(1)))
    m_in = re.fullmatch(rf"({_NUMBER}|{words}|a|an) (?:in|out of) (?:every )?({_NUMBER}|{words})", low)
    if m_in:
        k = 1.0 if m_in.group(1) in ("a", "an") else number_value(m_in.group(1))
        n = number_value(m_in.group(2))
        if k == 1:
            if n < 1:
                raise ValueError(f"'1 in N' needs N of at least 1, got {low!r}")
            return Claimed(low, "one_in", n, _decimals(m_in.group(2)))
        if not (0 < k <= n) or k != int(k) or n != int(n):
            return None
        return Claimed(low, "fraction", 100 * k / n, parts=(int(k), int(n)))
    if low in FRACTION_WORDS:
        k, d = FRACTION_WORDS[low]
        return Claimed(low, "fraction", 100 * k / d, parts=(k, d), common=True)
    m_mag = re.fullmatch(rf"({_NUMBER}) ?(m|mn|million|k|thousand|bn|billion)", low)
    if m_mag:
        digits = m_mag.group(1).replace(",", "")
        scale = MAGNITUDES[m_mag.group(2)]
        return Claimed(low, "count", float(digits) * scale, step=10.0 ** -_decimals(digits) * scale, rounded=True)
    m_num = re.fullmatch(rf"(-?{_NUMBER})|({words})", low)
    if not m_num:
        return None
    if m_num.group(2):
        return Claimed(low, "count", float(NUMBER_WORDS[m_num.group(2)]))
    digits = m_num.group(1).replace(",", "")
    if "." in digits:
        raise ValueError(f"claimed count {low!r} has decimals: a count is a whole number (a percentage needs '%')")
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros >= 3 and len(digits.lstrip("-")) > zeros:  # "443,000": printed to the thousand
        return Claimed(low, "count", float(digits), step=10.0**zeros, rounded=True)
    return Claimed(low, "count", float(digits))


# ------------------------------------------------------------------------------------------------ changes
SIGNS = {
    "up": 1,
    "rise": 1,
    "rose": 1,
    "risen": 1,
    "rising": 1,
    "increase": 1,
    "increased": 1,
    "grew": 1,
    "higher": 1,
    "down": -1,
    "fall": -1,
    "fell": -1,
    "fallen": -1,
    "falling": -1,
    "drop": -1,
    "dropped": -1,
    "decline": -1,
    "declined": -1,
    "reduction": -1,
    "decrease": -1,
    "decreased": -1,
    "lower": -1,
    "cut": -1,
}


@dataclass(frozen=True)
class Change:
    """A change between two periods as printed: in points ('up 4.7 points'), in a count ('down 41,215'), as a
    percentage or fraction of the earlier value ('up 12%', 'fallen by a third'), or as the two values ('from 11% to
    9%')."""

    form: str  # points | count | relative | values
    sign: int = 0  # +1 up, -1 down (0 for the two values)
    by: Claimed | None = None  # the size of the change as printed (points as a percentage with its decimals)
    start: Claimed | None = None  # values: the earlier figure
    end: Claimed | None = None  # values: the later figure

    def printed_band(self) -> Band | None:
        """The changes that print as this one (points, counts or per cent of the earlier value)."""
        if self.form == "values" or self.by is None:
            return None
        band = self.by.printed_band()
        if self.sign > 0:
            return band
        return Band(-band.hi, -band.lo, closed_high=band.closed_low, closed_low=band.closed_high)


def parse_change(text) -> Change | None:
    """A numeric change as news stories print it (None when the text is not one: a qualitative statement such as
    'up' or 'unchanged' is not read here)."""
    low = " ".join(str(text).split()).lower().replace("–", "-")
    m_values = re.fullmatch(r"(?:\w+ )?from (.+?) to (.+)", low)
    if m_values:
        start, end = press_figure(m_values.group(1)), press_figure(m_values.group(2))
        if start is None or end is None or start.side or end.side or start.is_rate != end.is_rate:
            return None
        return Change("values", start=start, end=end)
    m = re.fullmatch(r"(?:an? )?(?:annual |yearly )?(\w+)(?: by| of)? (.+)", low)
    if not m or m.group(1) not in SIGNS:
        return None
    sign, rest = SIGNS[m.group(1)], m.group(2)
    m_points = re.fullmatch(rf"({_NUMBER}) (?:percentage )?points?", rest)
    if m_points:
        return Change("points", sign, Claimed(rest, "percent", float(m_points.group(1)), _decimals(m_points.group(1))))
    by = press_figure(rest)
    if by is None or by.side:
        return None
    if by.unit == "count":
        return Change("count", sign, by)
    if by.unit in ("percent", "fraction"):
        return Change("relative", sign, by)
    return None


#: statements a story makes, judged at the printed precision (`precision`: decimals) and true or false:
#: versus       "higher than / lower than / the same as the national rate": the area against England and Wales
#:              (the claim's `exclude` applied to it), same measure and period;
#: direction    "up / down / unchanged": the period against `change_from`;
#: size         "a sharp / modest rise / fall": the change in printed points (or per cent of a count) against the
#:              claim's `sharp` threshold, and its direction;
#: change_versus "rose / fell more than / less than / as much as the national rate", or "larger than / smaller than
#:              / the same as the national rise (fall)": the area's change against England and Wales's over the same
#:              periods, in printed points (both in the direction said).
STATEMENTS = ("versus", "direction", "size", "change_versus")
COUNT_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
ORDINALS = r"\d+(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS)
_RELATION = {"higher": 1, "up": 1, "more": 1, "lower": -1, "down": -1, "less": -1}


def ordinal_value(text: str) -> int:
    """'ninth' -> 9, '15th' -> 15."""
    t = text.lower()
    return ORDINAL_WORDS.index(t) + 1 if t in ORDINAL_WORDS else int(re.match(r"\d+", t).group(0))


def _statement(t: str) -> Claimed | None:
    """A statement in the vocabulary of STATEMENTS, or None."""
    low = t.lower()
    if found := re.fullmatch(
        r"(higher than|lower than|the same as) (?:the national (?:rate|figure|share)|england and wales)", low
    ):
        return Claimed(t, "versus", relation=_RELATION.get(found.group(1).split()[0], 0))
    if low in ("up", "down", "unchanged"):
        return Claimed(t, "direction", relation=_RELATION.get(low, 0))
    if found := re.fullmatch(r"an? (sharp|modest) (rise|fall)", low):
        return Claimed(t, "size", relation=1 if found.group(2) == "rise" else -1, sharp=found.group(1) == "sharp")
    if found := re.fullmatch(r"(larger than|smaller than|the same as) the national (rise|fall)", low):
        return Claimed(
            t,
            "change_versus",
            relation={"larger": 1, "smaller": -1, "the": 0}[found.group(1).split()[0]],
            rising=found.group(2) == "rise",
        )
    if found := re.fullmatch(r"(rose|fell) (more than|less than|as much as) the national (?:rate|figure)", low):
        how = found.group(2)
        return Claimed(
            t,
            "change_versus",
            relation=0 if how == "as much as" else _RELATION[how.split()[0]],
            rising=found.group(1) == "rose",
        )
    return None


@dataclass(frozen=True)
class Claim:
    id: str
    article: str
    quote: str
    kind: str  # value | record | rank | coverage | external | change
    claimed: Claimed
    registry: str
    query: m.Query | None = None
    change_from: Period | None = None  # change: the earlier period (the query's period is the later one)
    release: str = ""  # the release the figure came from, when the claim says (else its article's)
    release_from: str = ""  # change: the release of the earlier period's figure, when not the claim's
    measure: str = ""
    source_name: str = ""
    tolerance: dict = field(default_factory=dict)
    note: str = ""
    reading: str = ""  # how the figure is read where that is approximate, or a coincidence worth knowing
    min_denominator: int = 0  # rank: forces with a smaller denominator are not ranked
    change_from: Period | None = None  # a change: the earlier period
    precision: int | None = None  # statements and ranks: the decimals the figures are printed with
    sharp: float | None = None  # size: the smallest change called sharp (points, or per cent of a count)
    ranked: ranking_mod.Field | None = None  # rank: which forces are ranked, and how
    exclude: tuple[str, ...] = ()  # statements and ranks: the forces England and Wales and the ranking leave out
    alternatives: tuple[Claim, ...] = ()  # the other readings of the same figure, each audited beside this one


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
    "description": "write {relative: 0.02} (a share of the printed figure), {points: 0.5} (percentage points), or "
    "both; {later: 0.6}: how far, as a share of the printed figure, a later release may move it the way later data "
    "move such a figure",
    "type": "object",
    "minProperties": 1,
    "additionalProperties": False,
    "properties": {
        "relative": {"type": "number", "minimum": 0},
        "points": {"type": "number", "minimum": 0},
        "later": {"type": "number", "minimum": 0, "maximum": 1},
    },
}
_ALTERNATIVE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["reading"],
    "minProperties": 2,
    "properties": {
        "reading": _TEXT,
        "claimed": {"type": ["string", "number"]},
        "area": _NAMES,
        "period": {"type": ["string", "integer"]},
        "change_from": {"type": ["string", "integer"]},
        "basis": {"enum": list(m.BASES)},
        "offences": {"type": ["string", "object"], "maxProperties": 1},
        "numerator": _OUTCOMES,
        "denominator": _OUTCOMES,
        "exclude": _NAMES,
    },
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
                    "min_denominator": {"type": "integer", "minimum": 0},
                    "release": {
                        "description": "the release this figure came from, where it is not the article's",
                        **_TEXT,
                    },
                    "release_from": {
                        "description": "a change: the release of the earlier period's figure, where it is not the "
                        "claim's (a bulletin compares with the previous year as it printed it then)",
                        **_TEXT,
                    },
                    "change_from": {
                        "description": "a change: the earlier period, in the period forms (the claim's period is the "
                        "later one); claimed is then 'up 4.7 points', 'from 11% to 9%', 'down 41,215', 'up 12%', "
                        "'fallen by a third', or a statement ('up', 'a sharp rise', 'rose more than the national "
                        "rate')",
                        "type": ["string", "integer"],
                    },
                    "alternatives": {
                        "description": "other readings of the same figure: each a reading (why) and the fields it "
                        "reads differently (area, period, basis, offences, numerator, denominator, exclude, "
                        "change_from)",
                        "type": "array",
                        "maxItems": 20,
                        "items": _ALTERNATIVE,
                    },
                    "precision": {
                        "description": "statements and ranks: the decimals the figures are printed with",
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 3,
                    },
                    "sharp": {
                        "description": "a size statement: the smallest change called sharp (points, or per cent)",
                        "type": "number",
                        "minimum": 0,
                        "maximum": 1000,
                    },
                    "among": {
                        "description": "a rank: the forces ranked",
                        "enum": [ranking_mod.TERRITORIAL, ranking_mod.ALL_POLICE],
                    },
                    "comparable_only": {
                        "description": "a rank: leave out forces whose outcomes are incomplete (docs/methods.md)",
                        "type": "boolean",
                    },
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
    return parse(read_yaml(path, "claims registry", DataError), path)


def parse(doc: dict, path: Path) -> Registry:
    """Check a registry read from `path` (or made in memory under that name: a story builder's version)."""
    validate(doc, SCHEMA, paths.relative(path), DataError, where=_where_in_registry)
    defaults = doc.get("defaults") or {}
    articles = doc.get("articles") or {}
    given = defaults.get("tolerance") or {}
    tolerance = {unit: {**DEFAULT_TOLERANCE[unit], **given.get(unit, {})} for unit in DEFAULT_TOLERANCE}
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


def _query(
    entry: dict, where: _Where, defaults: dict, compares: bool = False
) -> tuple[m.Area, Period, str, m.OffenceScope]:
    """The area, period, basis and offences a claim names (checked). compares: the claim compares the area with
    England and Wales or ranks it, so its exclude names the forces they leave out."""
    for key in ("area", "period"):
        if entry.get(key) in (None, "", []):
            raise where.error(key, "missing (required for a figure from this dataset)")
    exclude = entry.get("exclude", defaults.get("exclude", list(m.DEFAULT_EXCLUDE))) or []
    exclude = [exclude] if isinstance(exclude, str) else exclude
    try:
        area = m.Area.of(entry["area"], exclude=exclude)
        if compares:
            m.Area.of(m.EW, exclude=exclude)
    except DataError as exc:
        raise where.error("area" if "exclude" not in entry else "area/exclude", str(exc)) from None
    if entry.get("exclude") and area.name != m.EW and not compares:
        raise where.error(
            "exclude",
            "only an England and Wales area, a rank or a comparison with England and Wales leaves forces out; "
            "remove exclude",
        )
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
    claim = _one_reading(entry, where, defaults, path)
    alternatives = []
    for n, alt in enumerate(entry.get("alternatives") or [], start=1):
        other = {**entry, **alt, "id": f"{entry['id']}~{n}"}
        other.pop("alternatives")
        try:
            alternatives.append(_one_reading(other, where, defaults, path))
        except DataError as exc:
            inner = re.sub(r"^claim [^,]+, ", "", str(exc).split(": ", 1)[-1])
            raise where.error(f"alternatives.{n}", inner) from None
    return replace(claim, alternatives=tuple(alternatives)) if alternatives else claim


def _one_reading(entry: dict, where: _Where, defaults: dict, path: Path) -> Claim:
    measure = entry.get("measure", "")
    common = dict(
        id=entry["id"],
        article=entry["article"],
        quote=" ".join(entry["quote"].split()),
        registry=paths.printable(path.name),
        note=entry.get("note", ""),
        reading=entry.get("reading", ""),
        tolerance=entry.get("tolerance") or {},
        min_denominator=entry.get("min_denominator", 0),
        release=entry.get("release", ""),
        release_from=entry.get("release_from", ""),
    )
    if common["release_from"] and entry.get("change_from") in (None, ""):
        raise where.error("release_from", "only a change (change_from) has an earlier figure; remove release_from")
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
    try:
        claimed_early = Claimed.parse(entry["claimed"]) if measure not in ("coverage_gap",) else None
    except ValueError:  # a change in the press forms, or a figure not understood (said below, with its field)
        claimed_early = None
    compares = claimed_early is not None and claimed_early.unit in ("rank", "versus", "change_versus")
    area, period, basis, offences = _query(entry, where, defaults, compares)
    if measure == "coverage_gap":
        query = m.Query(area, period, basis, offences)
        return Claim(
            kind="coverage", claimed=_claimed(entry, where, "coverage"), measure=measure, query=query, **common
        )
    numerator, denominator = _outcomes(entry, where)
    if entry.get("change_from") not in (None, "") and not (claimed_early is not None and claimed_early.is_statement):
        return _change_claim_of(entry, where, common, m.Query(area, period, basis, offences, numerator, denominator))
    kind = "record" if measure in RECORD_MEASURES else "value"
    claimed = _claimed(entry, where, kind)
    if claimed.unit in ("record", "rank") or claimed.is_statement:
        kind = claimed.unit
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
    extra = _statement_fields(entry, where, claimed, area, period, defaults)
    return Claim(kind=kind, claimed=claimed, measure=measure, query=query, **common, **extra)


def _statement_fields(entry: dict, where: _Where, claimed: Claimed, area: m.Area, period: Period, defaults) -> dict:
    """change_from, precision, sharp and the ranking of a statement or a rank (checked)."""
    out: dict = {}
    exclude = entry.get("exclude", defaults.get("exclude", [])) or []
    exclude = [exclude] if isinstance(exclude, str) else exclude
    if claimed.unit in ("rank", "versus", "change_versus"):
        out["exclude"] = tuple(forces_mod.resolve(e, police_only=True).name for e in exclude)
    if "change_from" in entry:
        try:
            out["change_from"] = Period.parse(entry["change_from"])
        except ValueError as exc:
            raise where.error("change_from", str(exc)) from None
        if out["change_from"].first >= period.first:
            raise where.error("change_from", f"{out['change_from'].label} must come before {period.label}")
        if claimed.unit not in ("direction", "size", "change_versus"):
            raise where.error("change_from", f"{claimed.text!r} is not a change: remove change_from")
    elif claimed.unit in ("direction", "size", "change_versus"):
        raise where.error("change_from", f"{claimed.text!r} is a change: say the earlier period in change_from")
    if claimed.is_statement or "precision" in entry:
        out["precision"] = entry.get("precision", 1 if claimed.unit != "count" else 0)
    if claimed.unit == "size":
        if "sharp" not in entry:
            raise where.error("sharp", f"{claimed.text!r} needs the threshold it is judged by (sharp: 5)")
        out["sharp"] = float(entry["sharp"])
    elif "sharp" in entry:
        raise where.error("sharp", "only a statement such as 'a sharp rise' takes a threshold; remove sharp")
    if claimed.unit in ("versus", "change_versus") and area.is_ew:
        raise where.error("area", f"{claimed.text!r} compares an area with England and Wales: name a force")
    if claimed.unit == "rank":
        out["ranked"] = ranking_mod.Field(
            among=entry.get("among", ranking_mod.ALL_POLICE),
            exclude=out["exclude"],
            comparable_only=bool(entry.get("comparable_only", False)),
            min_denominator=int(entry.get("min_denominator", 0)),
            precision=entry.get("precision"),
        )
    else:
        for key in ("among", "comparable_only"):
            if key in entry:
                raise where.error(key, f"only a rank takes {key}; remove it")
    return out


def _change_claim_of(entry: dict, where: _Where, common: dict, query: m.Query) -> Claim:
    """A change between two periods (change_from: the earlier one) in the press forms."""
    try:
        before = Period.parse(entry["change_from"])
    except ValueError as exc:
        raise where.error("change_from", str(exc)) from None
    if before.first >= query.period.first:
        raise where.error(
            "change_from", f"{before.label} does not come before the claim's period ({query.period.label})"
        )
    text = " ".join(str(entry["claimed"]).split())
    change = parse_change(text)
    if change is None:
        raise where.error(
            "claimed",
            f"{text!r} is not a change this form reads: write 'up 4.7 points', 'down 0.3 points', 'from 11% to 9%', "
            "'from 4,877,000 to 5,269,000', 'down 41,215', 'up 12%' or 'fallen by a third'",
        )
    rate = query.denominator is not None
    stated = change.start if change.form == "values" else (None if change.form == "relative" else change.by)
    if change.form == "points" and not rate:
        raise where.error("denominator", f"{text!r} is a change in percentage points, so it needs a denominator")
    if change.form == "values" and change.start.is_rate != rate:
        what = "rates" if change.start.is_rate else "counts"
        raise where.error(
            "claimed" if rate else "denominator",
            f"{text!r} gives two {what}; the claim's measure is {'a rate' if rate else 'a count'}",
        )
    if stated is not None and change.form == "count" and rate:
        raise where.error("claimed", f"{text!r} is a change in a count but the claim has a denominator")
    claimed = Claimed(text, "change", change=change)
    return Claim(
        kind="change", claimed=claimed, query=query, change_from=before, measure=entry.get("measure", ""), **common
    )


def _claimed(entry: dict, where: _Where, kind: str) -> Claimed:
    try:
        return Claimed.parse(entry["claimed"], kind)
    except ValueError as exc:
        raise where.error("claimed", str(exc)) from None


def load_all(registry_paths: list[Path]) -> list[Registry]:
    """Load every registry; ids must be unique across them (they name the rows files)."""
    if not registry_paths:
        raise DataError(
            f"no claims registries: put YAML files in {paths.relative(paths.input_file('registries').parent)}/ or "
            "pass --registry"
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


# ------------------------------------------------------------------------------------------------ releases
#: which way a later extract of the table moves a figure: on the recorded basis, later extracts hold fewer offences
#: without an outcome (type 0) and more of every other outcome (the sample edition's re-issues against the July
#: bulletins of 2018 and 2019); the closed basis has no such record
UP, DOWN = "up", "down"
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
CURRENT = "current release"


def release_date(label: str) -> tuple[int, int] | None:
    """(year, month) a release's name gives ('July 2018 release', 're-issue of around January 2020'; the current
    release is later than any dated one), None when it names no month and year."""
    text = " ".join(str(label).lower().split())
    found = re.findall(r"\b(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b", text)
    if found:
        month, year = found[-1]
        return int(year), _MONTHS[month]
    return (9999, 12) if text.startswith(CURRENT) else None


def _moves(codes: set[str]) -> str:
    """Which way a later extract moves a count of these outcome types ('' when it does not say)."""
    unassigned = outcomes_mod.NOT_YET_ASSIGNED
    others = codes - {unassigned}
    if unassigned in codes:
        return DOWN if not others else ""  # the offences recorded (every type with 0) barely move
    return UP if others else ""


def later_direction(query: m.Query) -> str:
    """Which way a later extract of the table moves this figure: UP, DOWN or '' (not known)."""
    if query is None or query.basis != "recorded":
        return ""
    num = set(query.numerator.codes)
    if query.denominator is None:
        return _moves(num)
    den = set(query.denominator.codes)
    every = {outcomes_mod.NOT_YET_ASSIGNED, *m.CLOSED_TYPES}
    if den >= every and num <= den:  # a share of the offences recorded, which barely move: the numerator's way
        return _moves(num)
    return ""


@dataclass(frozen=True)
class Revision:
    """What is known of the releases behind a claim: the release the story used ('' when not known), the releases
    of the edition's files for the claim's years, which is later, which way later data move the figure, and which
    way the edition's figure lies from the printed one."""

    story: str
    edition: tuple[str, ...]
    order: str  # "earlier" (the story's release is earlier than every edition file's), "same", "later" or ""
    direction: str  # UP, DOWN or '': which way later data move such a figure
    difference: str = ""  # UP or DOWN: where the edition's figure lies from the printed one ('' inside its band)

    @property
    def goes_that_way(self) -> bool:
        return bool(self.direction) and self.difference == self.direction


def revision(claim: Claim, reg: Registry, release_of: dict[str, str]) -> Revision:
    """The releases behind a claim (release_of: financial year -> the release of the edition's file)."""
    article = reg.articles.get(claim.article, {})
    story = claim.release or str(article.get("release") or "")
    years = claim.query.period.financial_years if claim.query is not None else []
    edition = tuple(tables.releases_for(years, release_of))
    order = ""
    if story and edition:
        if all(story == e for e in edition):
            order = "same"
        else:
            mine, theirs = release_date(story), [release_date(e) for e in edition]
            if mine is not None and None not in theirs:
                order = (
                    "earlier" if all(mine < t for t in theirs) else ("later" if all(mine > t for t in theirs) else "")
                )
    return Revision(story, edition, order, later_direction(claim.query))


def later_band(claimed: Claimed, direction: str, share: float) -> Band | None:
    """The values a later release may give a figure the story took from an earlier one: from its printed band, the
    way later data move it, by at most `share` of the printed figure."""
    band = claimed.printed_band()
    target = claimed.as_percent if claimed.is_rate else claimed.value
    if band is None or target is None or not direction or share <= 0:
        return None
    if direction == UP:
        top = target * (1 + share)
        return Band(band.lo, max(band.hi, min(top, 100.0) if claimed.is_rate else top), closed_high=True)
    return Band(min(band.lo, target * (1 - share)), band.hi)


# ------------------------------------------------------------------------------------------------ the audit
@dataclass
class Nearest:
    """The same measure for the latest period of the same kind the edition can compute (for a claim it cannot)."""

    period: Period
    computed: float | int | None  # exact, in the claim's unit
    caveats: list[m.Flag] = field(default_factory=list)
    counts: tuple[int, int] | None = None  # (numerator, denominator) of a rate
    series: dict[int, float] = field(default_factory=dict)  # record claims: the computable years' values
    gaps: list[m.Gap] = field(default_factory=list)  # coverage claims: the period's gaps (empty: complete)


@dataclass
class Finding:
    """What the audit found for one claim, as numbers and typed facts."""

    claim: Claim
    registry: Registry
    verdict: str
    computed: float | int | None = None  # exact, in the claim's unit (a count, a percentage, a rank)
    numerator: int | None = None
    denominator: int | None = None
    printed: Band | None = None
    revised: Band | None = None
    tolerance: Tolerance | None = None
    later: Band | None = None  # the band a later release may give the figure (the story's release is earlier)
    revision: Revision | None = None  # the releases behind the claim and the edition, and the way of revisions
    caveats: list[m.Flag] = field(default_factory=list)
    missing: list[m.Gap] = field(default_factory=list)  # why it cannot be checked
    left_out: list[m.Gap] = field(default_factory=list)  # England and Wales: forces left out for lack of data
    nearest: Nearest | None = None
    series: dict[int, float] = field(default_factory=dict)  # record: every computable year's value
    higher: list[int] = field(default_factory=list)  # record: years as high (low) or higher (lower)
    not_computable: list[int] = field(default_factory=list)  # record: years between that cannot be computed
    of: int | None = None  # rank: forces ranked
    tied: bool = False  # rank: another force's figure prints the same
    place: tuple[str, int] | None = None  # rank: ("highest", 9) - the rank from the nearer end
    values: tuple[float, float] | None = None  # change: the measure's exact value in the earlier and later period
    compared: dict[str, float | int | None] = field(default_factory=dict)  # statements: the exact values compared
    edition_needed: str | None = None  # an edition (real data) that holds every year the claim needs
    years_needed: list[str] = field(default_factory=list)
    problem: m.UnknownOffence | None = None  # a claim that names offences the edition does not have
    rows: pd.DataFrame | None = None  # the raw rows summed
    ends: tuple[Finding, ...] = ()  # change printed as two values ("from 11% to 9%"): each value's own finding
    alternatives: list[Finding] = field(default_factory=list)  # the claim's other readings, each audited


@dataclass
class Audit:
    findings: list[Finding]
    registries: list[Registry]

    def counts(self) -> pd.Series:
        return (
            pd.Series([f.verdict for f in self.findings], dtype=object)
            .value_counts()
            .reindex(list(VERDICTS), fill_value=0)
        )


@dataclass(frozen=True)
class UnknownOffences:
    """A claim (or one of its other readings, its field says which) naming offences the edition does not have."""

    path: Path
    claim_id: str
    field: str
    problem: m.UnknownOffence

    def error(self, words: str) -> DataError:
        """The error naming the file, the claim and the field, with the problem in words (publish/ words it)."""
        return _Where(self.path, self.claim_id).error(self.field, words)


def unknown_offences(registries: list[Registry], ds: m.Dataset) -> Iterator[UnknownOffences]:
    """Every claim reading that names offences the edition does not have, in the registries' order."""
    for reg in registries:
        for c in reg.claims:
            for n, reading in enumerate((c, *c.alternatives)):
                problem = ds.check_offences(reading.query.offences) if reading.query is not None else None
                if problem:
                    yield UnknownOffences(
                        reg.path, c.id, "offences" if not n else f"alternatives.{n}.offences", problem
                    )


def audit(registries: list[Registry], ds: m.Dataset, manifest=None, with_rows: bool = True) -> Audit:
    """Every claim audited. A claim naming offences the edition does not have is not verifiable, with the reason (a
    registry the user brought is refused before its audit instead: unknown_offences, worded in publish/)."""
    findings = []
    for reg in registries:
        for claim in reg.claims:
            problem = ds.check_offences(claim.query.offences) if claim.query is not None else None
            if problem:
                findings.append(Finding(claim, reg, NOT_VERIFIABLE, problem=problem))
                continue
            found = audit_claim(claim, reg, ds, manifest, with_rows)
            for alt in claim.alternatives:
                trouble = ds.check_offences(alt.query.offences) if alt.query is not None else None
                found.alternatives.append(
                    Finding(alt, reg, NOT_VERIFIABLE, problem=trouble)
                    if trouble
                    else audit_claim(alt, reg, ds, manifest, with_rows=False)
                )
            findings.append(found)
    return Audit(findings, registries)


def _unit(claim: Claim) -> str:
    """Which of the registry's tolerances applies: a count's or a rate's."""
    c = claim.claimed
    if c.unit == "change":
        return "percent" if claim.query.denominator is not None else "count"
    return "count" if c.unit in ("count", "rank") else "percent"


def tolerance(claim: Claim, reg: Registry) -> Tolerance:
    """The claim's tolerance for revised data: its own relative/points (else the registry's for its unit), and the
    registry's `later` unless the claim gives one."""
    unit = reg.tolerance.get(_unit(claim), {})
    own = claim.tolerance or {}
    symmetric = {k: v for k, v in own.items() if k in ("relative", "points")} or {
        k: v for k, v in unit.items() if k in ("relative", "points")
    }
    return Tolerance.of({**symmetric, "later": own.get("later", unit.get("later", 0.0))})


def _needed(claim: Claim, manifest, ds: m.Dataset) -> tuple[str | None, list[str]]:
    """An edition of real data that holds every financial year the claim needs, and those years."""
    period = claim.query.period
    needed = set(period.financial_years) | set(claim.change_from.financial_years if claim.change_from else ())
    if claim.kind == "record" and claim.claimed.since:
        needed |= {
            fy
            for y in range(claim.claimed.since, period.year + 1)
            for fy in period.shifted(y - period.year).financial_years
        }
    years = sorted(needed)
    if manifest is None:
        return None, years
    names = [n for n in manifest.covering(needed) if n != ds.edition and not manifest.editions[n].synthetic]
    return (names[0] if names else None), years


def _value(result: m.Result) -> float | None:
    """A result in the claim's unit: a count, or a percentage."""
    if result.denominator is None:
        return result.numerator
    # 100 * n / d, not 100 * (n / d): an exact half (23 of 40 = 57.5%) stays exact and prints as a reader rounds it
    return None if result.value is None or not result.denominator else 100 * result.numerator / result.denominator


def _nearest(claim: Claim, ds: m.Dataset) -> Nearest | None:
    """The same measure for the latest period of the same kind the edition can compute."""
    q = claim.query
    latest = ds.latest(q.area, like=q.period, basis=q.basis)
    if latest is None:
        return None
    result = ds.evaluate(q.with_period(latest))
    counts = (result.numerator, result.denominator) if result.denominator else None
    return Nearest(latest, _value(result), result.caveats, counts=counts)


def audit_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest=None, with_rows: bool = True) -> Finding:
    """One claim's finding, and (for a figure it computes) the raw rows summed."""
    if claim.kind == "external":
        return Finding(claim, reg, NOT_FROM_DATASET)
    if claim.kind == "coverage":
        return _coverage_claim(claim, reg, ds, manifest)
    if claim.kind == "record":
        return _record_claim(claim, reg, ds, manifest)
    if claim.kind == "rank":
        return _rank_claim(claim, reg, ds, manifest)
    if claim.claimed.is_statement:
        return _statement_claim(claim, reg, ds, manifest)
    if claim.kind == "change":
        return _change_claim(claim, reg, ds, manifest, with_rows)
    q = claim.query
    result = ds.evaluate(q)
    found = Finding(claim, reg, NOT_VERIFIABLE, caveats=result.caveats, left_out=result.left_out)
    if not result.computable:
        found.missing, found.nearest = result.missing, _nearest(claim, ds)
        found.edition_needed, found.years_needed = _needed(claim, manifest, ds)
        return found
    computed = _value(result)
    found.numerator, found.denominator, found.computed = result.numerator, result.denominator, computed
    if computed is None:
        return found  # the denominator is 0
    tol = tolerance(claim, reg)
    found.tolerance, found.printed, found.revised = tol, claim.claimed.printed_band(), claim.claimed.revised_band(tol)
    _judge(found, computed, claim, reg, ds)
    found.rows = ds.rows(q, result.forces) if with_rows else None
    return found


def _judge(found: Finding, computed: float, claim: Claim, reg: Registry, ds: m.Dataset) -> None:
    """The verdict of a computed value against the printed band, the band for revised data and, when the story took
    the figure from an earlier release, the band a later release may give it (the way later data move it)."""
    rev = revision(claim, reg, tables.release_of(ds.build))
    side = "" if computed in found.printed else (UP if computed > (found.printed.lo + found.printed.hi) / 2 else DOWN)
    found.revision = Revision(rev.story, rev.edition, rev.order, rev.direction, side)
    if rev.order == "earlier":
        found.later = later_band(claim.claimed, rev.direction, found.tolerance.later)
    if computed in found.printed:
        found.verdict = REPRODUCED
    elif computed in found.revised or (found.later is not None and computed in found.later):
        found.verdict = REVISED
    else:
        found.verdict = DIFFERS


def _series(q: m.Query, ds: m.Dataset, years) -> tuple[dict, dict, list[m.Flag]]:
    """The claim's measure for the same period in each year: values, what is missing, and caveats."""
    values, missing, caveats = {}, {}, []
    for year in years:
        r = ds.evaluate(q.with_period(q.period.shifted(year - q.period.year)))
        value = _value(r) if r.computable else None
        if value is None:
            missing[year] = r.missing
        else:
            values[year] = value
            caveats += [c for c in r.caveats if c not in caveats]
    return values, missing, caveats


ORDER = {REPRODUCED: 0, REVISED: 1, DIFFERS: 2, NOT_VERIFIABLE: 3}


def _change_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest, with_rows: bool) -> Finding:
    """A change between the claim's period and `change_from`: in points, in a count, relative to the earlier value,
    or as the two values (each judged as a value claim of its own period; the change takes the worse verdict)."""
    q, change = claim.query, claim.claimed.change
    earlier = q.with_period(claim.change_from)
    now, before = ds.evaluate(q), ds.evaluate(earlier)
    caveats = [*before.caveats, *[c for c in now.caveats if c not in before.caveats]]
    found = Finding(claim, reg, NOT_VERIFIABLE, caveats=caveats, left_out=[*before.left_out, *now.left_out])
    found.tolerance = tol = tolerance(claim, reg)
    if not (now.computable and before.computable):
        found.missing = [*before.missing, *now.missing]
        found.edition_needed, found.years_needed = _needed(claim, manifest, ds)
        return found
    v_now, v_before = _value(now), _value(before)
    if v_now is None or v_before is None or (change.form == "relative" and not v_before):
        return found  # a denominator (or the earlier value of a relative change) is 0
    found.values, found.numerator, found.denominator = (v_before, v_now), now.numerator, now.denominator
    count = q.denominator is None
    if change.form == "values":
        ends = []
        start_release = claim.release_from or claim.release
        for printed, period, release in ((change.start, claim.change_from, start_release), (change.end, q.period, "")):
            end = replace(claim, kind="value", claimed=printed, query=q.with_period(period), change_from=None)
            end = replace(end, release=release or claim.release, release_from="")
            ends.append(audit_claim(replace(end, alternatives=()), reg, ds, manifest, with_rows=False))
        found.ends, found.computed = tuple(ends), v_now
        found.verdict = max((e.verdict for e in ends), key=ORDER.__getitem__)
    else:
        if change.form == "points":
            computed, w = v_now - v_before, tol.width(v_now, False) + tol.width(v_before, False)
        elif change.form == "count":
            computed = now.numerator - before.numerator
            w = tol.width(now.numerator, True) + tol.width(before.numerator, True)
        else:  # relative to the earlier value: each value may move by its own share
            computed = 100 * (v_now - v_before) / v_before
            shares = [tol.width(v, count) / abs(v) if v else 0.0 for v in (v_now, v_before)]
            w = 100 * abs(v_now / v_before) * sum(shares)
        found.computed, found.printed = computed, change.printed_band()
        found.revised = Band(found.printed.lo - w, found.printed.hi + w, closed_high=True)
        found.verdict = REPRODUCED if computed in found.printed else (REVISED if computed in found.revised else DIFFERS)
    if with_rows:
        found.rows = pd.concat([ds.rows(earlier, before.forces), ds.rows(q, now.forces)], ignore_index=True)
    return found


def _record_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest) -> Finding:
    q, since, lowest = claim.query, claim.claimed.since, claim.claimed.lowest
    found = Finding(claim, reg, DIFFERS)
    if since > q.period.year:
        return found  # "since" a year after the claim's own: it cannot be said
    values, missing, caveats = _series(q, ds, range(since, q.period.year + 1))
    found.caveats = caveats
    if q.period.year not in values or since not in values:
        found.verdict = NOT_VERIFIABLE
        found.missing = [g for y in (since, q.period.year) for g in missing.get(y, [])]
        found.edition_needed, found.years_needed = _needed(claim, manifest, ds)
        latest = ds.latest(q.area, like=q.period, basis=q.basis)
        if latest is not None:
            series, _, near = _series(q.with_period(latest), ds, range(latest.year - 10, latest.year + 1))
            if latest.year in series:
                found.nearest = Nearest(latest, series[latest.year], near, series=series)
        return found
    now = values[q.period.year]
    found.series, found.not_computable, found.computed = values, sorted(missing), now
    others = {y: v for y, v in values.items() if y != q.period.year}
    found.higher = sorted(y for y, v in others.items() if (v <= now if lowest else v >= now))
    if not found.higher:
        found.verdict = REPRODUCED
        return found
    tol = tolerance(claim, reg)
    worst = max(abs(others[y] - now) for y in found.higher)
    within = worst <= tol.width(now, claim.query.denominator is None)
    found.tolerance = tol
    found.verdict = REVISED if within else DIFFERS
    return found


def _rank_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest) -> Finding:
    """A rank among the police forces by the claim's measure (1 = highest), ranked as the claim says (`ranked`:
    which forces, at what precision; analysis/ranking.py): forces whose figure cannot be computed, or whose
    denominator is under the claim's min_denominator, are not ranked."""
    q = claim.query
    found = Finding(claim, reg, NOT_VERIFIABLE)
    field_ = claim.ranked or ranking_mod.Field(
        among=ranking_mod.ALL_POLICE, comparable_only=False, min_denominator=claim.min_denominator, precision=None
    )
    result = ds.evaluate(q)
    found.caveats, found.missing = result.caveats, result.missing
    place = ranking_mod.rank(ds, q, field_).of(q.area.name)
    if place is None or place.rank is None:
        found.edition_needed, found.years_needed = _needed(claim, manifest, ds)
        return found
    ranked = ranking_mod.rank(ds, q, field_).ranked
    found.computed, found.of, found.tied, found.place = place.rank, ranked, place.tied, place.side
    c = claim.claimed
    if c.joint or c.lowest or re.search(r"(?i)highest|lowest", c.text):  # said from an end, in words
        said = ("lowest" if c.lowest else "highest", int(c.value))
        exact = said == place.side and c.joint == place.tied and c.of == ranked
        found.verdict = REPRODUCED if exact else DIFFERS
        return found
    exact = place.rank == c.value and ranked == c.of
    near = abs(place.rank - c.value) <= 1 and ranked == c.of
    found.verdict = REPRODUCED if exact else (REVISED if near else DIFFERS)
    return found


def _printed(value: float | int, precision: int | None):
    return value if precision is None else half_up(value, precision)


def _statement_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest) -> Finding:
    """A statement (STATEMENTS), judged on the figures at the printed precision: reproduced when true, differs when
    not, not verifiable when a figure it needs cannot be computed."""
    q, c = claim.query, claim.claimed
    found = Finding(claim, reg, NOT_VERIFIABLE)
    ew = m.Area.of(m.EW, exclude=claim.exclude)
    needed = {"now": q}
    if c.unit in ("versus", "change_versus"):
        needed["ew"] = m.Query(ew, q.period, q.basis, q.offences, q.numerator, q.denominator)
    if c.unit in ("direction", "size", "change_versus"):
        needed["before"] = q.with_period(claim.change_from)
    if c.unit == "change_versus":
        needed["ew_before"] = needed["ew"].with_period(claim.change_from)
    results = {k: ds.evaluate(v) for k, v in needed.items()}
    found.caveats = list(dict.fromkeys(f for r in results.values() for f in r.caveats))
    found.compared = {k: ranking_mod.value(r) for k, r in results.items()}
    if any(v is None for v in found.compared.values()):
        found.missing = [g for r in results.values() for g in r.missing]
        found.edition_needed, found.years_needed = _needed(claim, manifest, ds)
        return found
    p = {k: _printed(v, claim.precision) for k, v in found.compared.items()}
    sign = lambda d: (d > 0) - (d < 0)  # noqa: E731
    if c.unit == "versus":
        true = sign(p["now"] - p["ew"]) == c.relation
    elif c.unit == "direction":
        true = sign(p["now"] - p["before"]) == c.relation
    elif c.unit == "size":
        change = p["now"] - p["before"]
        if q.denominator is None:  # a count: the change in per cent of the earlier count
            change = (
                (found.compared["now"] - found.compared["before"]) / abs(found.compared["before"]) * 100
                if (found.compared["before"])
                else float("inf")
            )
        true = sign(change) == c.relation and (abs(change) >= claim.sharp) == c.sharp
    else:  # change_versus: both moved the way said, and the area's change against England and Wales's
        mine, theirs = p["now"] - p["before"], p["ew"] - p["ew_before"]
        way = 1 if c.rising else -1
        true = sign(mine) == way and sign(theirs) == way and sign(abs(mine) - abs(theirs)) == c.relation
    found.verdict = REPRODUCED if true else DIFFERS
    return found


def _coverage_gaps(claim: Claim, ds: m.Dataset, period: Period) -> tuple[list[m.Gap], list[m.Gap]]:
    """(gaps, not in the edition) for the claim's area in `period`: quarters with no usable data or only partly
    provided, and quarters the edition does not hold."""
    q = claim.query
    missing, flags, _ = ds.coverage_of(q.area.forces, period, q.basis)
    not_in = [g for g in missing if g.status == m.NOT_IN_EDITION]
    gaps = [g for g in missing if g.status != m.NOT_IN_EDITION]
    gaps += [
        m.Gap(f.financial_year, f.quarter, m.PARTLY_PROVIDED, (f.force,)) for f in flags if f.kind == m.PARTLY_PROVIDED
    ]
    return gaps, not_in


def _coverage_claim(claim: Claim, reg: Registry, ds: m.Dataset, manifest) -> Finding:
    """'incomplete': the area lacks data (missing or not provided) in a quarter of the claim's period."""
    gaps, not_in = _coverage_gaps(claim, ds, claim.query.period)
    found = Finding(claim, reg, REPRODUCED if gaps else (NOT_VERIFIABLE if not_in else DIFFERS), missing=gaps)
    if not gaps and not_in:
        found.missing = not_in
        found.edition_needed, found.years_needed = _needed(claim, manifest, ds)
        for p in reversed(ds.periods(claim.query.period.kind, like=claim.query.period)):
            near_gaps, near_not_in = _coverage_gaps(claim, ds, p)
            if not near_not_in:
                found.nearest = Nearest(p, None, gaps=near_gaps)
                break
    return found
