"""The dataset guide's exercises in words, and the checker a student calls from a notebook.

The right answers and the values of the usual mistakes come from `analysis/exercises.py`, computed on the edition
the notebook runs on; this module words the questions, the answers and the hints, and reads a student's answer in
any sensible form: a number as int, float, text ("12,345", "23.6%") or a one-value pandas result; a force in any
common spelling; a list of forces or quarters in any order, case or spacing.

    from crimeoutcomes.publish.guide import exercises as ex
    ex.setup("sample", "Cheshire")   # the guide's edition and example force (without setup: the guide's defaults)
    ex.check(3, my_answer)           # right, or a hint that says what the answer you gave actually measures
    ex.answer(3)                     # the answer and why (only when asked)

This module is imported by the dataset guide alone (not through `display`, which every notebook imports), so a change
to an exercise re-runs the pages step and nothing else.
"""

from __future__ import annotations

import math
import numbers as num
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from IPython.display import HTML

from ... import dag
from ...analysis import exercises as facts_mod
from ...analysis import measures as m
from ...analysis.periods import QUARTER_END_MONTH
from ...data import forces as forces_mod
from ..pages import html
from ..words import numbers, wording

RIGHT, WRONG, UNANSWERED, UNAVAILABLE = "right", "wrong", "no answer yet", "not available"
NO_SUCH = "no such exercise"


# ------------------------------------------------------------------------------------------------ small words
def count(v) -> str:
    return str(numbers.count(v))


def pct(v, decimals: int = 1) -> str:
    """A percentage (in percent units) as every page prints it: half-up, once (publish/words/numbers.py)."""
    return str(numbers.percent(v, decimals))


def names(items) -> str:
    items = [str(i) for i in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def quarter_end(fy_q) -> str:
    """(financial year, quarter) -> the month it ends: ('2018/19', 4) -> 'March 2019'."""
    fy, q = fy_q
    year = int(fy[:4]) + (1 if q == 4 else 0)
    return f"{QUARTER_END_MONTH[q]} {year}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


# ------------------------------------------------------------------------------------- reading a student's answer
class Unreadable(ValueError):
    """The answer cannot be read as the kind the exercise asks for; the message says why, for the student."""


def _one_value(given):
    """A pandas or numpy result holding one value -> that value; several values -> Unreadable."""
    if isinstance(given, pd.DataFrame):
        if given.size != 1:
            raise Unreadable(
                f"you gave a table of {given.shape[0]:,} rows and {given.shape[1]} columns; the answer is one "
                "number: pick the column and add it up (e.g. table['closed'].sum())"
            )
        return given.iloc[0, 0]
    if isinstance(given, (pd.Series, np.ndarray, list, tuple)):
        values = list(given.tolist() if hasattr(given, "tolist") else given)
        if len(values) != 1:
            raise Unreadable(
                f"you gave {len(values):,} values; the answer is one number: add them up with .sum(), or pick the "
                "one the question asks for"
            )
        return values[0]
    return given


@dataclass(frozen=True)
class Number:
    """A number as a student gave it: exactly as given (24.055 is 24.055, not the binary float nearest to it, and
    a value computed to full precision has all its digits), whether it was written as a percentage ("24.1%",
    "24.1 per cent"), and how to show it back to them."""

    exact: Decimal
    percent: bool
    shown: str

    @property
    def value(self) -> float:
        return float(self.exact)

    @property
    def places(self) -> int:
        """The decimal places it was given with: 24.1 -> 1, 24120 -> 0, 0.00001 -> 5."""
        exponent = self.exact.as_tuple().exponent
        return max(-exponent, 0) if isinstance(exponent, int) else 0

    def as_percentage(self) -> Number:
        """A fraction read as a percentage: 0.2406 -> 24.06."""
        return Number(self.exact.scaleb(2), True, self.shown)


_PERCENT_SIGN = re.compile(r"\s*(?:%|per\s*cent|percent|pct)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f_]")
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")  # 24,120 and 4,780,690.0
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")  # 0,9 and 24,1: a comma where English writes a point
_EUROPEAN = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+,\d+")  # 4.780.690,5


def _number_text(text: str) -> tuple[str, bool]:
    """Text as a student writes a number -> (plain decimal text, written as a percentage)."""
    sign = _PERCENT_SIGN.search(text)
    body = _SPACES.sub("", text[: sign.start()] if sign else text).replace("\u2212", "-")  # the minus sign
    if "," in body:
        if _THOUSANDS.fullmatch(body):
            body = body.replace(",", "")
        elif _EUROPEAN.fullmatch(body):
            body = body.replace(".", "").replace(",", ".")
        elif _DECIMAL_COMMA.fullmatch(body):
            body = body.replace(",", ".")
        else:
            raise Unreadable(f"{text!r} cannot be read as a number: write it like 24.1 or 24,120")
    return body, sign is not None


def read_number(given) -> Number:
    """A student's answer as a number: int, float, a numpy or one-value pandas result, or text such as "12,345",
    "24.1%", "24.1 %", "0,9" (a decimal comma) or "24.1 per cent"."""
    value = _one_value(given)
    if isinstance(value, bool):
        raise Unreadable(f"{value} is a yes/no value; the answer is a number")
    if value is None or value is pd.NA or (isinstance(value, num.Real) and math.isnan(float(value))):
        raise Unreadable("your answer is empty (NaN or NA): did a filter keep no rows, or a column hold no counts?")
    if isinstance(value, str):
        body, percent = _number_text(value.strip())
        try:
            exact = Decimal(body)
        except ArithmeticError:
            raise Unreadable(f"{value!r} cannot be read as a number") from None
        shown = value.strip()
    elif isinstance(value, Decimal):
        exact, percent, shown = value, False, str(value)
    elif isinstance(value, num.Real):
        exact = Decimal(int(value)) if isinstance(value, num.Integral) else Decimal(repr(float(value)))
        percent, shown = False, f"{exact:,}"
    else:
        raise Unreadable(f"{value!r} is not a number")
    if not exact.is_finite() or abs(exact) > LARGEST:
        raise Unreadable(f"{shown} is not a number this table could hold")
    return Number(exact, percent, shown)


#: the largest number an answer may be: far above any count in the table (tens of millions a year)
LARGEST = Decimal(10) ** 12


def _items(given) -> list:
    if given is None:
        return []
    if isinstance(given, str):
        return [given]
    if isinstance(given, pd.DataFrame):
        raise Unreadable("you gave a table; give a list (e.g. list(table['force'].unique()))")
    if isinstance(given, (pd.Series, pd.Index, np.ndarray)):
        return list(given.tolist())
    if isinstance(given, (list, tuple, set, frozenset)):
        return list(given)
    if isinstance(given, dict):
        return list(given)
    raise Unreadable(f"{given!r} is not a list")


_NONE = ("none", "no force", "no forces", "nothing", "")


def read_force(text) -> str:
    force = forces_mod.lookup(str(text).strip())
    if force is None:
        raise Unreadable(f"{str(text)!r} is not a police force I know.{forces_mod.close_matches(str(text))}")
    if not force.is_police_force:
        raise Unreadable(f"{force.name} is a central fraud reporting body, not a police force")
    return force.name


#: what separates the names of a list written as text: "A, B and C", "A; B", "A & B", one a line
_LIST_SEPARATOR = re.compile(r"((?:\s*[;,\n]\s*)+(?:and\s+)?|\s+and\s+|\s*&\s*)", re.IGNORECASE)


def _split_forces(text: str) -> list[str]:
    """Force names written as one text, "Avon and Somerset and Derbyshire" or "London, City of, Kent": the
    separators split it into pieces, and consecutive pieces are joined back where together they name a force
    (the fewest names that read every piece)."""
    parts = _LIST_SEPARATOR.split(text.strip(" \t\n,;&"))
    pieces, seps = parts[0::2], parts[1::2]
    best: list[list[str] | None] = [[]] + [None] * len(pieces)  # best[j]: the fewest names reading pieces[:j]
    for i in range(len(pieces)):
        if best[i] is None:
            continue
        for j in range(i + 1, len(pieces) + 1):
            name = "".join(pieces[k] + (seps[k] if k < j - 1 else "") for k in range(i, j))
            if forces_mod.lookup(name) is not None and (best[j] is None or len(best[i]) + 1 < len(best[j])):
                best[j] = [*best[i], name]
    if best[-1] is None:
        read_force(pieces[max(i for i, b in enumerate(best) if b is not None)])  # says which is not a force
    return best[-1]


def read_forces(given) -> set[str]:
    items = _items(given)
    if len(items) == 1 and str(items[0]).strip().lower() in _NONE:
        return set()
    names = []
    for item in items:
        if isinstance(item, str) and forces_mod.lookup(item.strip()) is None:
            names += _split_forces(item)
        else:
            names.append(item)
    return {read_force(n) for n in names}


_QUARTER = re.compile(r"(\d{4})\s*[/-]\s*(\d{2})\s*,?\s*q(?:uarter)?\s*([1-4])", re.IGNORECASE)
_BETWEEN_QUARTERS = re.compile(r"(?:[\s;,+&]|\band\b)*", re.IGNORECASE)


def read_quarter(item) -> str:
    if isinstance(item, (tuple, list)) and len(item) == 2:
        item = f"{item[0]} Q{item[1]}"
    match = _QUARTER.fullmatch(str(item).strip())
    if not match:
        raise Unreadable(f"{str(item)!r} is not a quarter written like '2015/16 Q2' (financial year and quarter)")
    start, end, q = match.groups()
    if (int(start) + 1) % 100 != int(end):
        raise Unreadable(f"{str(item)!r}: a financial year runs from one year to the next, like 2015/16")
    return f"{start}/{end} Q{q}"


def _split_quarters(text: str) -> list[str]:
    """Quarters written as one text: "2017/18 Q4, 2018/19 Q1 and 2018/19 Q2", "2018/19 q1 + 2018-19 Quarter 2"."""
    found, at = [], 0
    for match in _QUARTER.finditer(text):
        between = text[at : match.start()]
        if not _BETWEEN_QUARTERS.fullmatch(between):
            read_quarter(between.strip(" ;,+&"))  # says what is not a quarter
        found.append(match.group(0))
        at = match.end()
    rest = text[at:]
    if not _BETWEEN_QUARTERS.fullmatch(rest):
        read_quarter(rest.strip(" ;,+&"))
    return found


def read_quarters(given) -> set[str]:
    items = _items(given)
    if len(items) == 1 and isinstance(items[0], str) and items[0].strip().lower() in _NONE:
        return set()
    texts = []
    for item in items:
        texts += _split_quarters(item) if isinstance(item, str) else [item]
    return {read_quarter(t) for t in texts}


# ------------------------------------------------------------------------------------------------- the verdict
@dataclass
class Verdict:
    """What the checker says about one answer: right, wrong (with a hint), no answer yet, or not available."""

    number: int
    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == RIGHT

    def __str__(self) -> str:
        return f"Exercise {self.number}: {self.status}. {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return (
            f'<div class="exercise-check {self.status.replace(" ", "-")}"><p><strong>Exercise {self.number}: '
            f"{html.esc(self.status)}.</strong> {html.esc(self.message)}</p></div>"
        )


class Answer(str):
    """An exercise's answer and why, as text that a notebook shows as a paragraph."""

    def _repr_html_(self) -> str:
        return f"<p>{html.esc(self)}</p>"


# --------------------------------------------------------------------------------------------- the exercises
class Exercises:
    """The guide's exercises on one edition (and example force), computed when first needed."""

    def __init__(self, edition: str, force: str, facts: dict | None = None):
        self.edition = edition
        self.force = force
        self._facts = facts

    @property
    def facts(self) -> dict[int, facts_mod.Fact]:
        if self._facts is None:
            self._facts = facts_mod.facts(m.Dataset.load(self.edition), self.force)
        return self._facts

    @property
    def numbers(self) -> list[int]:
        return sorted(self.facts)

    def fact(self, number: int) -> facts_mod.Fact:
        try:
            return self.facts[int(number)]
        except (KeyError, ValueError, TypeError):
            raise Unreadable(f"there is no exercise {number!r}: the exercises are 1 to {max(self.facts)}") from None

    def question(self, number: int) -> str:
        f = self.fact(number)
        return f"{f.number}. " + QUESTIONS[f.topic](f)

    def answer(self, number: int) -> Answer:
        f = self.fact(number)
        if not f.answerable:
            return Answer(f"Not available in the {self.edition} edition: " + UNAVAILABLE_WHY[f.topic](f))
        return Answer(ANSWERS[f.topic](f))

    def html(self, number: int) -> str:
        """The question, with its answer folded away in a <details> block (what the guide's page shows)."""
        return (
            f"<p><strong>{html.esc(self.question(number))}</strong></p><details><summary>Show the answer</summary>"
            f"<p>{html.esc(self.answer(number))}</p></details>"
        )

    def check(self, number: int, given) -> Verdict:
        try:
            f = self.fact(number)
        except Unreadable:
            return Verdict(number, NO_SUCH, f"The exercises are numbered 1 to {max(self.facts)}.")
        if not f.answerable:
            return Verdict(f.number, UNAVAILABLE, self.answer(f.number))
        if given is None:
            return Verdict(f.number, UNANSWERED, "Replace None with your answer and run the cell again.")
        try:
            judged = judge(f, given)
        except Unreadable as exc:
            return Verdict(f.number, WRONG, f"I cannot read your answer: {str(exc).rstrip('.')}.")
        if judged.right:
            return Verdict(f.number, RIGHT, " ".join(p for p in (judged.note, ANSWERS[f.topic](f)) if p))
        return Verdict(f.number, WRONG, f"{hint(f, judged)} (ex.answer({f.number}) shows the answer.)")


# ------------------------------------------------------------------------------------------------- the judging
NUMBER_KINDS = ("count", "percent")
#: the finest precision a question asks for; a known mistake that prints as the answer even then is told from it
#: only when given at full precision
MOST_DECIMALS = 3


def _at(x, decimals: int) -> Decimal | None:
    """x as it prints at a precision, rounded half-up once (publish/words/numbers.py); None where it cannot be."""
    try:
        return numbers.half_up(float(x), decimals)
    except ArithmeticError:
        return None


def _same_number(a, b) -> bool:
    """Equal at full precision: the same value, computed in another order (a float's last digits may differ)."""
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def mistakes(f: facts_mod.Fact) -> dict:
    """The known mistakes a student can make on this edition, with the value each gives: a mistake whose value is
    the answer's (England and Wales without a force that has no data anyway) cannot be told from it and is left
    out; for the force exercise, a mistake names only forces that are not an answer."""
    found = {}
    for name, value in f.traps.items():
        if value is None:
            continue
        if f.kind in NUMBER_KINDS:
            if not _same_number(value, f.value):
                found[name] = value
        elif f.kind == "force":
            others = [v for v in value if v not in f.value]
            if others:
                found[name] = others
        elif set(value) != set(f.value):
            found[name] = value
    return found


def decimals(f: facts_mod.Fact) -> int:
    """The precision a question asks for: the fact's own (whole numbers for a count, one decimal place for a
    percentage), or finer, until every known mistake prints differently from the answer (at most MOST_DECIMALS)."""
    if f.kind not in NUMBER_KINDS or not f.answerable:
        return f.decimals
    known = mistakes(f).values()
    for places in range(f.decimals, MOST_DECIMALS + 1):
        if all(_at(v, places) != _at(f.value, places) for v in known):
            return places
    return MOST_DECIMALS


def printed(f: facts_mod.Fact) -> str:
    """The answer as the guide prints it: the text its explanation starts with, which a student may paste back."""
    if f.kind == "count":
        return count(f.value)
    if f.kind == "percent":
        return pct(f.value, decimals(f))
    text = names(f.value)
    return text[:1].upper() + text[1:]


@dataclass
class Judged:
    """How an answer was read: right, or the known mistakes it matches, or given too coarsely to tell."""

    right: bool
    read: object  # the answer as read: a Number, a force's name, a set of forces or quarters
    mistakes: tuple[str, ...] = ()
    note: str = ""  # for a right answer: what was made of its form
    coarse: bool = False  # a number given with fewer decimal places than asked, that the answer rounds to
    fraction: bool = False  # a number read as a fraction where a percentage was asked


def judge(f: facts_mod.Fact, given) -> Judged:
    if f.kind in NUMBER_KINDS:
        return _judge_number(f, given)
    known = mistakes(f)
    if f.kind == "force":
        items = _items(given)
        if len(items) != 1:
            raise Unreadable(f"you gave {len(items)} values; the answer is one force")
        name = read_force(items[0])
        return Judged(name in f.value, name, tuple(k for k, v in known.items() if name in v))
    got = (read_forces if f.kind == "forces" else read_quarters)(given)
    return Judged(got == set(f.value), got, tuple(k for k, v in known.items() if got == set(v)))


def _judge_number(f: facts_mod.Fact, given) -> Judged:
    """Right exactly when the answer prints as the expected answer at the precision asked (half-up, once); a
    known mistake is recognised first at full precision (or at the finer precision the answer was given with),
    so that a mistake that prints as the answer is still told from it, then at the precision asked."""
    n = read_number(given)
    if f.kind == "count" and n.percent:
        raise Unreadable(f"{n.shown} is a percentage; the answer is a count")
    places = decimals(f)
    known = mistakes(f)

    def given_as(n: Number, value) -> bool:  # at full precision, or at the finer precision the student gave
        return _same_number(n.value, value) or (n.places > places and _at(value, n.places) == n.exact)

    def exact(n: Number) -> tuple[str, ...]:
        return () if given_as(n, f.value) else tuple(k for k, v in known.items() if given_as(n, v))

    if exact(n):  # a known mistake's value as it is, before it is read as a fraction
        return Judged(False, n, exact(n))
    fraction = (
        f.kind == "percent" and not n.percent and 0 < abs(n.exact) < 1 and abs(f.value) >= 10 * abs(n.value)
    )  # a value under 1 that cannot be a percentage of the answer's size: a fraction
    if fraction:
        n = n.as_percentage()
        if exact(n):
            return Judged(False, n, exact(n), fraction=True)
    if _at(n.value, places) == _at(f.value, places):
        return Judged(True, n, note=_form_note(f, n, fraction, places), fraction=fraction)
    if n.places < places and n.exact == _at(f.value, n.places):
        return Judged(False, n, coarse=True, fraction=fraction)
    printed_as = tuple(k for k, v in known.items() if _at(v, places) == _at(n.value, places))
    return Judged(False, n, printed_as, fraction=fraction)


def _form_note(f: facts_mod.Fact, n: Number, fraction: bool, places: int) -> str:
    if fraction:
        return f"(You gave a fraction, {n.shown}; as a percentage that is {pct(n.value, places)}.)"
    if f.kind == "count" and n.exact != n.exact.to_integral_value():
        return f"(A count is a whole number: {n.shown} prints as {count(n.value)}.)"
    return ""


PLACES = {0: "no decimal places", 1: "one decimal place", 2: "two decimal places", 3: "three decimal places"}


def hint(f: facts_mod.Fact, judged: Judged) -> str:
    """What a wrong answer is told: what the known mistake it matches measures, or that it was given too coarsely
    to be told from the usual mistakes, or how to work the answer out (and how far off it is)."""
    if judged.mistakes:
        said = [MISTAKES[f.topic][k](f) for k in judged.mistakes]
        if len(said) == 1:
            return said[0]
        return f"{str(numbers.words(len(said))).capitalize()} usual mistakes give this answer. " + " Or: ".join(said)
    if judged.coarse:
        n, places = judged.read, decimals(f)
        return (
            f"Your answer, {_shown(f, judged)}, has {PLACES.get(n.places, f'{n.places} decimal places')}; the "
            f"question asks for {PLACES[places]}, which tell the right answer from the usual mistakes. Give the "
            "value unrounded, or as text with every decimal place (a float drops a final 0: 12.30 is 12.3)."
        )
    return OTHER[f.topic](f) + _off(f, judged)


def _shown(f: facts_mod.Fact, judged: Judged) -> str:
    n = judged.read
    if judged.fraction:
        return f"{n.shown} (as a percentage, {n.exact}%)"
    return n.shown + ("%" if f.kind == "percent" and not n.percent else "")


def _off(f: facts_mod.Fact, judged: Judged) -> str:
    """How far a wrong answer is: too high or too low, or what a list has right and what it lacks."""
    if f.kind == "forces":
        return _set_diff(judged.read, f.value, "forces")
    if f.kind == "quarters":
        return _set_diff(judged.read, f.value, "quarters")
    if f.kind not in NUMBER_KINDS:
        return ""
    n, places = judged.read, decimals(f)
    way = "high" if n.value > f.value else "low"
    if judged.fraction:
        as_pct = pct(n.value, places)
        said = f" Your answer, {n.shown}, looks like a fraction: as a percentage it is {as_pct}, too {way}."
    else:
        said = f" Your answer, {_shown(f, judged)}, is too {way}."
    if n.percent and 0 < abs(n.value) < 1 and _at(100 * n.value, places) == _at(f.value, places):
        said += " (A fraction with a per cent sign? A percentage is the fraction times 100.)"
    if n.places < places:
        said += f" The question asks for {PLACES[places]}."
    return said


def _set_diff(got, want, what: str) -> str:
    if not isinstance(got, set):
        return ""
    if not got:
        return f" Your list is empty; the answer has {plural(len(set(want)), what[:-1])}."
    right, extra, missing = sorted(got & set(want)), sorted(got - set(want)), len(set(want) - got)
    parts = [f"Right so far: {names(right)}"]
    if extra:
        parts.append(f"not in the answer: {names(extra)}")
    if missing:
        parts.append(f"{plural(missing, what[:-1])} missing")
    return " " + "; ".join(parts) + "."


# --------------------------------------------------------------------------------------- words, exercise by exercise
# Each topic has a question, an answer (with why), a hint for each known mistake (MISTAKES: one for every trap the
# analysis computes) and one for any other answer (OTHER), and the reason it may not be available on an edition.
# The figures come from the fact's `about` and `traps`. "Section N" is a section of the dataset guide.


def _q_bases(f):
    a = f.about
    return (
        f"How many investigations did {a['force']} close in {a['quarter']} (its offences closed, as the news "
        "stories count them)?"
    )


def _a_bases(f):
    a = f.about
    return (
        f"{printed(f)}: the closed basis (the closed column) for {a['force']} in {a['quarter']}, added over "
        f"every outcome type that enters totals (not 0, 1a, 2a or 3a). The recorded basis answers another question: "
        f"of the offences recorded in {a['quarter']}, {count(a['recorded'])} had an outcome by the time the data "
        f"were extracted and {count(a['type0'])} had none yet (type 0)."
    )


def _bases_mistakes():
    def recorded(f):
        return (
            f"That is the recorded basis (the recorded column): outcomes so far of the offences recorded in "
            f"{f.about['quarter']}. Offences closed are on the closed basis: outcomes assigned in the quarter, "
            "whenever the offence was recorded (section 5)."
        )

    def recorded_with_type0(f):
        return (
            f"That is every offence recorded in {f.about['quarter']}, type 0 included: the recorded basis, and type "
            "0 is not an outcome (section 7.1). Offences closed are on the closed basis (the closed column)."
        )

    def with_of_which(f):
        return (
            "You added the 'of which' rows 1a, 2a and 3a: they are already inside types 1, 2 and 3 (section 7.2). "
            "Keep the outcome types that enter totals (in_totals)."
        )

    return {"recorded": recorded, "recorded_with_type0": recorded_with_type0, "with_of_which": with_of_which}


def _o_bases(f):
    a = f.about
    return (
        f"Take the rows of totals for {a['force']}, financial year {a['fy']}, quarter {a['q']}, and add up the "
        "closed column over the outcome types that enter totals (in_totals is True)."
    )


def _q_type0(f):
    a = f.about
    return (
        f"Of the offences {a['force']} recorded in {a['quarter']}, what percentage had no outcome yet when the data "
        f"were extracted? Give a percentage with {PLACES[decimals(f)]}."
    )


def _type0_trend(f) -> str:
    a = f.about
    if a["first_quarter"] == a["quarter"] or a["first_share"] is None:
        return "Type 0 is not an outcome and never enters a total."
    if f.value > a["first_share"]:
        negative = (
            ": negative, because its adjustments (negative counts, section 7.3) outweigh the offences still waiting"
            if a["first_share"] < 0
            else ""
        )
        how = (
            f"in {a['first_quarter']}, the edition's first quarter, it was {pct(a['first_share'])}{negative}. The "
            "older the quarter when the data were extracted, the longer its offences have had to get an outcome, so "
            "type 0 is largest for the latest quarters (section 7.1)"
        )
    elif f.value < a["first_share"]:
        how = (
            f"in {a['first_quarter']}, the edition's first quarter, it was {pct(a['first_share'])}: more than in the "
            "latest quarter, so here old offences are still waiting for an outcome"
        )
    else:
        how = f"in {a['first_quarter']}, the edition's first quarter, it was the same"
    return f"For comparison, {how}. Type 0 is not an outcome and never enters a total."


def _a_type0(f):
    a = f.about
    labels = {
        "of_those_with_an_outcome": "dividing by the offences that have an outcome",
        "count": "the count",
        "first_quarter": f"{a['first_quarter']}, the edition's first quarter,",
        "example_quarter": f"{a.get('example_quarter')}, the guide's worked example,",
    }
    return (
        f"{printed(f)}: {count(a['type0'])} offences with outcome type 0 out of {count(a['recorded'])} recorded "
        f"in {a['quarter']} (type 0 plus every outcome type that enters totals, recorded basis). "
        + _type0_trend(f)
        + _why_places(f, labels)
    )


def _type0_mistakes():
    def of_those_with_an_outcome(f):
        return (
            "You divided by the offences that have an outcome. The question asks for a share of every offence "
            f"recorded in {f.about['quarter']}: divide type 0 by type 0 plus the outcome types that enter totals."
        )

    def count_(f):
        return (
            "That is how many offences have type 0; the question asks for them as a percentage of every offence "
            f"recorded in {f.about['quarter']}."
        )

    def first_quarter(f):
        a = f.about
        return f"That is {a['first_quarter']}, the edition's first quarter; the question is about {a['quarter']}."

    def example_quarter(f):
        a = f.about
        return (
            f"That is {a['example_quarter']}, the quarter of the guide's worked example (sections 5 and 7.1); the "
            f"question is about {a['quarter']}."
        )

    return {
        "of_those_with_an_outcome": of_those_with_an_outcome,
        "count": count_,
        "first_quarter": first_quarter,
        "example_quarter": example_quarter,
    }


def _o_type0(f):
    a = f.about
    return (
        f"Use the recorded column of totals for {a['force']} in {a['quarter']}: type 0 (outcome_type '0') divided by "
        "type 0 plus the outcome types that enter totals, times 100. The closed basis has no type 0 count."
    )


LATEST = "the latest period this edition can compute"


def _q_calendar(f):
    year = f.about.get("year")
    return (
        f"Which financial quarters make up {f'calendar year {year}' if year else 'a calendar year'}? Give a list of "
        "quarters written like '2015/16 Q2' (financial year and quarter), in any order."
    )


def _a_calendar(f):
    a = f.about
    return (
        f"{printed(f)}: January to March {a['year']} is Q4 of financial year {a['fy_before']}, and April to "
        f"December {a['year']} is Q1 to Q3 of {a['fy']}. So a calendar year needs two financial years' files "
        "(section 6)."
    )


MONTHS = "Financial Q1 is April to June, Q2 July to September, Q3 October to December and Q4 January to March."


def _calendar_mistakes():
    def financial_same_start(f):
        a = f.about
        return (
            f"Those are the four quarters of financial year {a['fy']} (April {a['year']} to March {a['year'] + 1}). "
            f"Calendar {a['year']} starts in January (section 6). {MONTHS}"
        )

    def financial_same_end(f):
        a = f.about
        return (
            f"Those are the four quarters of financial year {a['fy_before']} (April {a['year'] - 1} to March "
            f"{a['year']}). Calendar {a['year']} runs from January to December (section 6). {MONTHS}"
        )

    return {"financial_same_start": financial_same_start, "financial_same_end": financial_same_end}


def _o_calendar(f):
    return f"{MONTHS} A calendar year takes one quarter of one financial year and three of the next (section 6)."


def _q_articles(f):
    a = f.about
    return (
        f"The June 2021 articles compare with 'last year', calendar {a['year']}. Which of its quarters are not in "
        "this edition? Give a list of quarters like '2015/16 Q2' (an empty list if none is missing)."
    )


def _a_articles(f):
    a = f.about
    span = f"this edition runs from {a['edition_first']} to {a['edition_last']}"
    if f.value:
        return (
            f"{printed(f)}: calendar {a['year']} is {names(a['quarters'])}, and {span}. So the edition cannot "
            f"check the articles' {a['year']} figures: a figure that needs a missing quarter is not computed."
        )
    return f"{printed(f)}: calendar {a['year']} ({names(a['quarters'])}) is all in this edition; {span}."


def _articles_mistakes():
    def financial(f):
        a = f.about
        return (
            f"Those are the quarters of financial year {a['fy']}. Calendar {a['year']} runs from January to "
            f"December {a['year']} (exercise 3 shows how to build it)."
        )

    return {"financial": financial}


def _o_articles(f):
    return (
        f"List calendar {f.about['year']}'s four quarters (as in exercise 3), then keep those whose financial year "
        "and quarter have no rows in totals."
    )


def _q_latest(f):
    return (
        "Which police force had the highest victim-did-not-support rate (outcome types 14 + 16 as a share of "
        "offences closed) in the latest period this edition can compute for England and Wales, calendar year or "
        "financial year?"
    )


def _a_latest(f):
    a = f.about
    text = (
        f"{printed(f)}, with {pct(a['rate'])} in {a['period']} (England and Wales: {pct(a['ew_rate'])}). "
        f"{a['period'][0].upper() + a['period'][1:]} is the latest computable period: it ends in "
        f"{quarter_end(a['period_end'])}"
    )
    if "other" not in a:
        return text + "."
    ranks = ", ".join(str(r) for r in a["rank_in_other"] if r is not None) or "not ranked"
    text += f", after {a['other']}, which ends in {quarter_end(a['other_end'])}. "
    if set(a["other_top"]) == set(f.value):
        return text + f"It is first in {a['other']} too, so this ranking holds whichever year you choose."
    return text + (
        f"In {a['other']}, {names(f.value)} ranks {ranks} (first: {names(a['other_top'])}): the ranking depends on "
        "the year you choose."
    )


def _latest_mistakes():
    def other_period(f):
        a = f.about
        return (
            f"That force is first in {a['other']}, but {a['period']} ends later ({quarter_end(a['period_end'])}, "
            f"against {quarter_end(a['other_end'])}): the latest period is the one that ends last."
        )

    def lowest(f):
        return f"That force has the lowest rate in {f.about['period']}: sort the rates from the highest."

    return {"other_period": other_period, "lowest": lowest}


def _o_latest(f):
    return (
        f"The latest computable period is {f.about['period']}, the one that ends last. For each police force, add "
        "outcome types 14 and 16 on the closed basis over its quarters and divide by the force's offences closed; "
        "the highest rate wins."
    )


def _area(a: dict, excluded_key: str = "") -> str:
    """England and Wales as an exercise counts it, in words: the forces it leaves out on purpose (the articles'
    England and Wales) and those it leaves out of the period for lack of usable data."""
    area = m.Area.of(m.EW, exclude=tuple(a.get(excluded_key, ())) if excluded_key else ())
    return wording.area_name(area, a.get("left_out_gaps", []))


def _without_data(a: dict) -> str:
    """', without X, whose data for the period cannot be used' when England and Wales follows the data and leaves
    forces out of the period."""
    gone = a.get("left_out") or []
    if not gone:
        return ""
    who = names(gone) if len(gone) <= 3 else f"the {len(gone)} forces"
    return f", without {who} whose data for the period cannot be used (section 7.8)"


def _partly(a: dict) -> str:
    """'Avon and Somerset (2018/19 Q1) and Derbyshire (2018/19 Q1)': the forces with a quarter that looks only
    partly supplied."""
    return names([f"{p['force']} ({names(p['quarters'])})" for p in a.get("partly_supplied", [])])


def _q_rate(f):
    a = f.about
    return (
        f"What was the victim-did-not-support rate of England and Wales, as this project counts it (every police "
        f"force with usable data for the period), in {a['period'] or LATEST}: outcome types 14 + 16 as a percentage "
        f"of offences closed? Give it with {PLACES[decimals(f)]}."
    )


def _rate_labels(f) -> dict:
    """Each known mistake of exercise 6 in a few words, for the answer's explanation of its precision."""
    a = f.about
    return {
        "type14_only": "type 14 alone",
        "type16_only": "type 16 alone",
        "share_16": "the suspect-identified share",
        "recorded_basis": "the recorded basis",
        "articles_area": f"leaving out {names(a['articles_excluded'])}, as the June 2021 articles did,",
        "without_partly_supplied": f"leaving out {_partly(a)}, whose quarters look only partly supplied,",
        "without_btp": "leaving out British Transport Police",
        "mean_of_quarters": "averaging the quarters' rates",
    }


def _why_places(f, labels: dict) -> str:
    """Why the question asks for more decimal places than the fact's own: the known mistakes that print as the
    answer at that precision, and what each gives at the precision asked."""
    places = decimals(f)
    if places == f.decimals:
        return ""
    close = {k: v for k, v in mistakes(f).items() if _at(v, f.decimals) == _at(f.value, f.decimals)}
    said = [f"{labels[k]} gives {pct(v, places)}" for k, v in close.items()]
    return (
        f" With {PLACES[f.decimals]}, {'some usual mistakes print' if len(said) > 1 else 'a usual mistake prints'} "
        f"as the answer does ({pct(f.value, f.decimals)}); with {PLACES[places]} {'they' if len(said) > 1 else 'it'} "
        f"{'differ' if len(said) > 1 else 'differs'}: {wording.join(said)}."
    )


def _a_rate(f):
    a = f.about
    return (
        f"{printed(f)}: ({count(a['t14'])} of type 14 + {count(a['t16'])} of type 16 = {count(a['vdns'])}) / "
        f"{count(a['closed'])} offences closed, on the closed basis, {_area(a)}, {a['period']}. This project's "
        "England and Wales is every police force (the 43 territorial forces and British Transport Police), each "
        "period without any force whose data for it cannot be used (section 7.8); quarters that look only partly "
        f"supplied stay in, with a caveat. The June 2021 articles left out {names(a['articles_excluded'])} "
        "(exercise 7)." + _why_places(f, _rate_labels(f))
    )


def _rate_mistakes():
    two_types = (
        "'Victim did not support further action' is two outcome types: 14 (suspect not identified) and 16 (suspect "
        "identified)."
    )

    def type14_only(f):
        return f"You used type 14 alone. {two_types}"

    def type16_only(f):
        return f"You used type 16 alone. {two_types}"

    def share_16(f):
        return (
            "That is type 16 as a share of 14 + 16 (the 'suspect identified' share). The rate divides 14 + 16 by "
            "every offence closed."
        )

    def recorded_basis(f):
        return (
            "That is the rate on the recorded basis. Offences closed, and the articles' rate, are on the closed basis "
            "(section 5)."
        )

    def articles_area(f):
        return (
            f"You left out {names(f.about['articles_excluded'])}, as the June 2021 articles did (exercise 7). This "
            "project's England and Wales counts every police force whose data for the period can be used."
        )

    def without_partly_supplied(f):
        return (
            f"You left out {_partly(f.about)}: those quarters look only partly supplied, but they stay in England and "
            "Wales, with a caveat (section 7.8). Only a force whose data for the period cannot be used is left out."
        )

    def without_btp(f):
        return (
            "You left out British Transport Police. It is not a territorial force, but this project counts it in "
            "England and Wales (section 7.6)."
        )

    def mean_of_quarters(f):
        return (
            f"You averaged the {f.about['quarters']} quarters' rates. A rate over the period divides its outcomes "
            "14 + 16 by its offences closed, added over every quarter: a quarter that closed more offences weighs "
            "more."
        )

    return {
        "type14_only": type14_only,
        "type16_only": type16_only,
        "share_16": share_16,
        "recorded_basis": recorded_basis,
        "articles_area": articles_area,
        "without_partly_supplied": without_partly_supplied,
        "without_btp": without_btp,
        "mean_of_quarters": mean_of_quarters,
    }


def _o_rate(f):
    a = f.about
    return (
        f"Add outcome types 14 and 16 (closed column) over {a['period']}'s quarters and every police force"
        f"{_without_data(a)}, then divide by the same forces' offences closed (every outcome type that enters "
        "totals), times 100."
    )


def _q_exclusions(f):
    a = f.about
    return (
        f"How many offences were closed in England and Wales in {a['period'] or LATEST}, as the June 2021 articles "
        f"counted England and Wales? They left out {names(a['excluded'])} in every year (section 7.10 says why). They "
        "do not say whether they counted British Transport Police: count it in, as this project does (section 7.6). "
        "Section 7.7 says who else a file may list that is never counted."
    )


def _a_exclusions(f):
    a = f.about
    excluded = names(a["excluded"])
    text = (
        f"{printed(f)} offences closed in {_area(a, 'excluded')}, as the June 2021 articles counted it: every "
        f"police force (the 43 territorial forces and British Transport Police) except {excluded}. "
    )
    if a["excluded_closed"]:
        text += (
            f"In {a['period']}, {excluded} closed {count(a['excluded_closed'])}{_btp(a)}. This project's England "
            f"and Wales counts {excluded} too: {count(a['every_closed'])} offences closed."
        )
    else:
        text += f"In {a['period']}, {excluded} has no usable data, so it is left out either way{_btp(a)}."
    text += (
        " British Transport Police is in, as in this project's England and Wales; the articles do not say whether "
        "they counted it (section 7.6)."
    )
    if a["fraud_bodies"]:
        text += (
            f" The central fraud bodies listed as forces ({names(a['fraud_bodies'])}) are not police forces and "
            "are never counted."
        )
    return text


def _btp(a: dict) -> str:
    if "British Transport Police" in (a.get("left_out") or []):
        return "; British Transport Police has no usable data for it"
    return f", and British Transport Police {count(a['btp_closed'])}"


def _exclusions_mistakes():
    def with_excluded(f):
        a = f.about
        excluded = names(a["excluded"])
        return (
            f"That includes {excluded} ({count(a['excluded_closed'])} offences closed): it is this project's England "
            f"and Wales, but the June 2021 articles left {excluded} out of every year (section 7.10)."
        )

    def without_btp(f):
        return (
            f"You left out British Transport Police ({count(f.about['btp_closed'])} offences closed). It is not a "
            "territorial force, and the articles do not say whether they counted it (section 7.6): the question "
            "counts it in, as this project does."
        )

    def with_excluded_without_btp(f):
        excluded = names(f.about["excluded"])
        return (
            f"You counted the 43 territorial forces. The articles' England and Wales leaves out {excluded} (section "
            "7.10), and the question counts British Transport Police in, as this project does (the articles do not "
            "say whether they counted it: section 7.6)."
        )

    def with_fraud_bodies(f):
        return (
            f"You counted the central fraud bodies ({names(f.about['fraud_bodies'])}): they are not police forces "
            "(section 7.7)."
        )

    return {
        "with_excluded": with_excluded,
        "without_btp": without_btp,
        "with_excluded_without_btp": with_excluded_without_btp,
        "with_fraud_bodies": with_fraud_bodies,
    }


def _o_exclusions(f):
    a = f.about
    return (
        f"Add the closed column of totals over {a['period']}'s quarters, the outcome types that enter totals, and "
        f"every police force except {names(a['excluded'])}{_without_data(a)}."
    )


def _q_negative(f):
    a = f.about
    if "force" not in a:
        return (
            "Negative counts are adjustments: an offence moved to another code after its outcome was counted is "
            "taken off again as a negative number, and published totals include them (section 7.3). Which force's "
            "negative closed-basis cells take the most off its offences closed in "
            f"{a.get('year') or 'the latest year'}?"
        )
    return (
        "Negative counts are adjustments: an offence moved to another code after its outcome was counted is taken "
        "off again as a negative number, and published totals include them (section 7.3). In "
        f"{a['year']}, {a['force']} is the force whose negative closed-basis cells take the most off its offences "
        "closed. If you dropped them (say with .clip(lower=0)), by how many would its offences closed be overstated?"
    )


def _a_negative(f):
    a = f.about
    return (
        f"{printed(f)}: {a['force']}'s {plural(a['cells'], 'negative closed-basis cell')} in {a['year']} add up "
        f"to -{count(f.value)}. Its published total, {count(a['closed'])} offences closed, includes them; without "
        f"them it would be {count(a['without_negatives'])}. In {a['year']}, "
        f"{plural(a['forces_with_negatives'], 'police force')} {'has' if a['forces_with_negatives'] == 1 else 'have'}"
        f" negative closed-basis cells ({plural(a['cells_in_year'], 'cell')})."
    )


def _negative_mistakes():
    def signed(f):
        return (
            "Right size, wrong sign: dropping cells that add up to a negative number makes the total too high, so "
            "the overstatement is a positive number."
        )

    def cells(f):
        return "That is how many negative cells there are; add up their values (the closed column) instead."

    def every_outcome_type(f):
        return "You included outcome types that never enter a total (in_totals is False): keep those that do."

    return {"signed": signed, "cells": cells, "every_outcome_type": every_outcome_type}


def _o_negative(f):
    a = f.about
    return (
        f"Load the negative cells (tables.OUTCOMES.load(edition, filters=[('closed', '<', 0)])), keep "
        f"{a['force']}'s rows of {a['year']} (all four quarters) whose outcome type enters totals (in_totals), and "
        "add up closed: the overstatement is that sum with its sign turned."
    )


def _q_expired(f):
    a = f.about
    return (
        "Offence codes go out of use, but later files may still list them (offence_code_expired is True; section "
        f"7.5). In {a.get('fy', 'the edition')}, how many offences closed (closed basis, outcome types that enter "
        "totals, every force) are under expired offence codes?"
    )


def _a_expired(f):
    a = f.about
    per_year = "; ".join(f"{fy}: {count(n)}" for fy, n in a["rows_per_year"].items())
    return (
        f"{printed(f)}, in {plural(a['rows'], 'row')} with an expired code in {a['fy']} "
        f"({count(a['rows_with_closed'])} of them with a closed count that is not 0). An expired code is no longer "
        "given to new offences, so its recorded-basis cells are text "
        f"({plural(a['recorded_text'], 'cell')}), but offences recorded under it before it expired can still be "
        f"closed. Rows with an expired code, by financial year: {per_year}. A file without any has dropped them or "
        "never listed them: its rows per force and quarter differ from the other files', and its totals lack what "
        f"such rows hold ({count(f.value)} offences closed in {a['fy']})."
    )


def _expired_mistakes():
    def zero(f):
        return (
            "Expired codes can still carry outcomes: an offence recorded before its code expired may be closed "
            "later, and that outcome is on the closed basis. Add up the closed counts of the rows with an expired "
            "code."
        )

    def rows(f):
        return "That is how many rows have an expired code; add up their closed counts instead."

    def recorded(f):
        return (
            "That is the recorded basis: no offence is recorded under an expired code, so its recorded cells are "
            "text (section 7.4). Offences closed are on the closed basis."
        )

    return {"zero": zero, "rows": rows, "recorded": recorded}


def _o_expired(f):
    return (
        "Load the rows with an expired code (tables.OUTCOMES.load(edition, filters=[('offence_code_expired', "
        f"'==', True)])), keep {f.about['fy']} and the outcome types that enter totals (in_totals), and add up closed."
    )


def _q_partial(f):
    ratio = f.about.get("low_ratio", 0.6)
    return (
        "Which police forces have a quarter in this edition that looks only partly supplied: counts marked "
        f"'N/A - data not provided' (on either basis), or offences closed under {ratio:.0%} of the force's usual "
        "quarter (section 7.8)? Give a list of forces, in any order (an empty list if none); coverage has one row per "
        "force and quarter."
    )


def _a_partial(f):
    a = f.about
    if not f.value:
        text = f"{printed(f)}: every force-quarter of this edition was supplied in full, and none is implausibly low."
    else:
        parts = []
        for force in f.value:
            for q in a["quarters"][force]:
                if q["low"]:
                    parts.append(
                        f"{force}, {q['quarter']}: {count(q['closed_total'])} offences closed against a usual "
                        f"{count(q['usual'])} a quarter"
                    )
                else:
                    parts.append(
                        f"{force}, {q['quarter']}: counts marked 'data not provided' (closed basis: "
                        f"{q['closed_status']}; recorded basis: {q['recorded_status']})"
                    )
        text = f"{printed(f)}. " + "; ".join(parts) + ". Figures that use these quarters say so (section 7.8)."
    if a["left_out_only"]:
        where = "; ".join(f"{force} ({names(qs)})" for force, qs in a["left_out_only"].items())
        text += (
            f" Not partial supply: {where}, where a few cells are left out (blank or text where a count should be) "
            "but the total is plausible."
        )
    return text


def _partial_mistakes():
    def with_cells_left_out(f):
        a = f.about
        one = len(a["left_out_only"]) == 1
        return (
            f"You included {names(a['left_out_only'])}: {'its' if one else 'their'} quarters have a few cells left "
            f"out (blank or text where a count should be), but {'its total is' if one else 'their totals are'} "
            "plausible. Partial supply shows in coverage as 'partly provided' or 'not provided' (closed_status, "
            "recorded_status) or as plausibility 'low' (section 7.8)."
        )

    return {"with_cells_left_out": with_cells_left_out}


def _o_partial(f):
    return (
        "In coverage, look at closed_status and recorded_status ('partly provided', 'not provided') and at "
        "plausibility ('low')."
    )


def _unavailable_negative(f):
    return f"it has no negative closed-basis cell in {f.about.get('year') or 'its latest year'} to change a total."


QUESTIONS = {
    "bases": _q_bases,
    "type0": _q_type0,
    "calendar": _q_calendar,
    "articles_year": _q_articles,
    "latest": _q_latest,
    "rate": _q_rate,
    "exclusions": _q_exclusions,
    "negative": _q_negative,
    "expired": _q_expired,
    "partial": _q_partial,
}
ANSWERS = {
    "bases": _a_bases,
    "type0": _a_type0,
    "calendar": _a_calendar,
    "articles_year": _a_articles,
    "latest": _a_latest,
    "rate": _a_rate,
    "exclusions": _a_exclusions,
    "negative": _a_negative,
    "expired": _a_expired,
    "partial": _a_partial,
}
#: topic -> {known mistake (a trap the analysis computes) -> the hint that names it}
MISTAKES = {
    "bases": _bases_mistakes(),
    "type0": _type0_mistakes(),
    "calendar": _calendar_mistakes(),
    "articles_year": _articles_mistakes(),
    "latest": _latest_mistakes(),
    "rate": _rate_mistakes(),
    "exclusions": _exclusions_mistakes(),
    "negative": _negative_mistakes(),
    "expired": _expired_mistakes(),
    "partial": _partial_mistakes(),
}
#: topic -> how to work the answer out, for an answer that matches no known mistake
OTHER = {
    "bases": _o_bases,
    "type0": _o_type0,
    "calendar": _o_calendar,
    "articles_year": _o_articles,
    "latest": _o_latest,
    "rate": _o_rate,
    "exclusions": _o_exclusions,
    "negative": _o_negative,
    "expired": _o_expired,
    "partial": _o_partial,
}
_NO_PERIOD = (
    "no calendar or financial year can be computed for England and Wales: each lacks a quarter, or every force's "
    "data for one (section 7.8)."
)
UNAVAILABLE_WHY = {
    "bases": lambda f: f"{f.about.get('force', 'the force')}'s last quarter is missing or has no counts.",
    "type0": lambda f: "no offence was recorded in the force's last quarter.",
    "calendar": lambda f: "it touches no calendar year.",
    "articles_year": lambda f: "it has no quarter.",
    "latest": lambda f: _NO_PERIOD,
    "rate": lambda f: _NO_PERIOD,
    "exclusions": lambda f: _NO_PERIOD,
    "negative": _unavailable_negative,
    "expired": lambda f: "no row has an expired offence code.",
    "partial": lambda f: "it has no coverage table.",
}
assert set(QUESTIONS) == set(ANSWERS) == set(MISTAKES) == set(OTHER) == set(UNAVAILABLE_WHY)


# ------------------------------------------------------------------------------------ what a notebook calls
_current: list[Exercises] = []  # the exercises set up last (setup), for check, answer and show


def setup(edition: str, force: str) -> None:
    """Set up the guide's exercises on an edition (and its example force) for check, answer and show. Their right
    answers are computed from the edition when first needed."""
    _current[:] = [Exercises(edition, force)]


def current() -> Exercises:
    if not _current:  # a notebook of the student's own: the guide's parameters
        guide = next(nb for nb in dag.NOTEBOOKS if nb.name == "00_dataset_guide")
        setup(guide.parameters["edition"], guide.parameters["example_force"])
    return _current[0]


def check(number: int, answer) -> Verdict:
    """Check your answer to exercise `number` on the edition set up: right, or a hint that says what went wrong."""
    return current().check(number, answer)


def answer(number: int) -> Answer:
    """The answer to exercise `number`, and why."""
    return current().answer(number)


def show(number: int):
    """The question, with its answer folded away (a <details> block), so students try it first."""
    return HTML(current().html(number))
