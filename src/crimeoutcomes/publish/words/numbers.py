"""The one formatter. Every figure a reader sees (a story, a table, a chart's title, labels and alt text, a caption,
a claim's computed value) travels unrounded from the computation to here and is formatted once, half-up, at the
precision it is printed with: 20.848% is "20.8%" everywhere, never "20.85" rounded again to "20.9%".

A formatted figure is a `Printed`: the text a reader sees, which also carries the exact value it states (and,
where it has one, the key of the quantity). Pages write it as `<data value="exact">text</data>`, so the page itself
says what every number states; plain text (a story to paste, alt text, a chart) uses the text alone.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from decimal import Decimal

import pandas as pd

from ...rounding import half_up

MINUS = "-"


class Printed(str):
    """The printed text of a figure, with the exact value it states."""

    value: float | int | None
    key: str

    def __new__(cls, text: str, value, key: str = ""):
        obj = super().__new__(cls, text)
        obj.value = value
        obj.key = key
        found = _COLLECTING.get()
        if found is not None:
            found.append(obj)
        return obj

    def __reduce__(self):
        """Pickled with its value and key (a story's figures travel to the workers that render its pages)."""
        return (Printed, (str(self), self.value, self.key))

    def to_json(self) -> dict:
        return {"text": str(self), "value": self.value, "key": self.key}

    @classmethod
    def from_json(cls, data: dict) -> Printed:
        return cls(data["text"], data["value"], data.get("key", ""))


_COLLECTING: contextvars.ContextVar[list | None] = contextvars.ContextVar("printed", default=None)


@contextlib.contextmanager
def collect():
    """Every figure formatted inside the block, so that a sentence built from them can be marked up on a page:
    `with numbers.collect() as figures: text = reason(...)` then `html.mark(text, figures)`."""
    found: list[Printed] = []
    token = _COLLECTING.set(found)
    try:
        yield found
    finally:
        _COLLECTING.reset(token)


def _missing(value) -> bool:
    """None, NaN or pandas' NA (a nullable integer column's gap)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def count(n, key: str = "") -> Printed:
    """A whole number with thousands separators: 92,811."""
    if _missing(n):
        return Printed("–", None, key)
    if isinstance(n, float) and not n.is_integer():  # a median, a mean: rounded half-up, never cut
        return Printed(f"{int(half_up(n, 0)):,}", float(n), key)
    return Printed(f"{int(n):,}", int(n), key)


def rounded(n, step: float, key: str = "", scale: float = 1.0, suffix: str = "") -> Printed:
    """A count at the precision a story printed it: to a step ("443,000": 442,717 is "443,000"), or in a unit of
    `scale` with a suffix ("4.6m": 4,786,848 is "4.8m")."""
    if _missing(n):
        return Printed("–", None, key)
    if suffix:
        decimals = max(0, -math.floor(math.log10(step / scale) + 1e-9))
        return Printed(f"{half_up(n / scale, decimals):,}{suffix}", float(n), key)
    units = int(half_up(n / step, 0))
    return Printed(f"{int(units * step):,}", float(n), key)


WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def words(n, key: str = "") -> Printed:
    """A whole number from zero to ten in words, as a newsroom writes it in a sentence ("fewer than ten")."""
    if _missing(n) or not 0 <= int(n) <= 10:
        return count(n, key)
    return Printed(WORDS[int(n)], int(n), key)


def spelled(n, key: str = "") -> Printed:
    """A count as a story prints it in a sentence (docs/style.md): "none", one to nine in words, 10 and over in
    figures with thousands separators ("12", "5,534")."""
    if _missing(n) or not 0 <= int(n) <= 9 or (isinstance(n, float) and not n.is_integer()):
        return count(n, key)
    return Printed(WORDS[int(n)], int(n), key)


ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def ordinal_words(n: int) -> str:
    """An ordinal as a story prints it: first to ninth in words, then 10th, 11th, 21st."""
    return ORDINAL_WORDS[n - 1] if 1 <= n <= 9 else ordinal(n)


def number(x, decimals: int = 1, key: str = "") -> Printed:
    """A plain number at a precision: 36.5 (chart labels, table cells whose heading carries the unit)."""
    if _missing(x):
        return Printed("–", None, key)
    return Printed(f"{half_up(x, decimals):,}", float(x), key)


def percent(p, decimals: int = 1, key: str = "") -> Printed:
    """A percentage given in percent units (36.51 -> "36.5%")."""
    if _missing(p):
        return Printed("–", None, key)
    return Printed(f"{half_up(p, decimals)}%", float(p), key)


def share(num, den, decimals: int = 1, key: str = "") -> Printed:
    """num as a percentage of den, from the counts (exact): share(35301, 81842) -> "43.1%"."""
    if _missing(num) or _missing(den) or not den:
        return Printed("–", None, key)
    return percent(100 * num / den, decimals, key)


def small_share(p, key: str = "") -> Printed:
    """A share in a list of shares: one decimal, "<0.1%" for a positive share that would print as 0.0%."""
    if not _missing(p) and 0 < p < 0.05:
        return Printed("<0.1%", float(p), key)
    return percent(p, 1, key)


def points(d, decimals: int = 1, key: str = "") -> Printed:
    """A difference in percentage points, signed: "+0.2 points", "-1.5 points", "0.0 points"."""
    if _missing(d):
        return Printed("–", None, key)
    text = half_up(d, decimals)
    sign = "+" if text > 0 else ""
    return Printed(f"{sign}{text} points" if text else f"{abs(text)} points", float(d), key)


def distance(d, decimals: int = 1, key: str = "") -> Printed:
    """A size of a difference in percentage points, unsigned: "0.2 points"."""
    if _missing(d):
        return Printed("–", None, key)
    return Printed(f"{half_up(abs(d), decimals)} points", float(abs(d)), key)


def one_in(fraction, decimals: int = 0, key: str = "", counts: tuple[int, int] | None = None) -> Printed:
    """A share as "1 in N" (fraction 1/24.3 -> "1 in 24"), N rounded half-up like any figure. N is computed from
    the counts when given (2 of 49 is 1 in 49/2 = 24.5 exactly: "1 in 25"), else as 1 / fraction."""
    if _missing(fraction) or fraction <= 0:
        return Printed("none", fraction, key)
    n = counts[1] / counts[0] if counts and counts[0] else 1 / fraction
    return Printed(f"1 in {half_up(n, decimals):,}", float(fraction), key)


def one_in_percent(p, decimals: int = 0, key: str = "") -> Printed:
    """A percentage as "1 in N": N = 100 / p (4.0816...% is 1 in 24.5: "1 in 25"); the value kept is the fraction."""
    if _missing(p) or p <= 0:
        return Printed("none", p, key)
    return Printed(f"1 in {half_up(100 / p, decimals):,}", float(p) / 100, key)


def rank(r, of: int, key: str = "", tied: bool = False) -> Printed:
    """A rank: "3 of 44", "joint 9 of 42"."""
    if _missing(r):
        return Printed("not ranked", None, key)
    return Printed(f"{'joint ' if tied else ''}{int(r)} of {of}", int(r), key)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, 22nd, 112th."""
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def compare(a: Printed, b: Printed) -> int:
    """-1, 0 or 1: how two figures compare AS PRINTED (equal text means 'the same' to a reader)."""
    x, y = _numeric(a), _numeric(b)
    return (x > y) - (x < y)


def difference(a: Printed, b: Printed) -> Decimal:
    """a - b AS PRINTED: the change a reader works out from two printed figures (30.1% - 29.8% = 0.3)."""
    return _numeric(a) - _numeric(b)


def _numeric(p: Printed) -> Decimal:
    digits = "".join(ch for ch in str(p) if ch.isdigit() or ch in ".-")
    return Decimal(digits or "0")


def frame(rows, columns=None):
    """A table of printed figures. pandas infers a string dtype for text, which would drop each figure's exact
    value, so the cells stay Python objects."""
    return pd.DataFrame(rows, columns=columns, dtype=object)


def column(values, fmt, index=None):
    """fmt applied to every value (NaN -> None first), as a column of printed figures (see frame)."""
    index = values.index if index is None and hasattr(values, "index") else index
    return pd.Series([fmt(None if _missing(v) else v) for v in values], index=index, dtype=object)
