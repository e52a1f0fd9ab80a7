"""The dataset guide's exercises in words, and the checker a student calls from a notebook.

The right answers and the values of the usual mistakes come from `analysis/exercises.py`, computed on the edition
the notebook runs on; this module words the questions, the answers and the hints, and reads a student's answer in
any sensible form: a number as int, float, text ("12,345", "23.6%") or a one-value pandas result; a force in any
common spelling; a list of forces or quarters in any order, case or spacing.

    from crimeoutcomes.publish import exercises as ex
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

import numpy as np
import pandas as pd

from .. import dag
from ..analysis import exercises as facts_mod
from ..analysis import measures as m
from ..analysis.periods import QUARTER_END_MONTH
from ..data import forces as forces_mod
from . import html, numbers, wording

RIGHT, WRONG, UNANSWERED, UNAVAILABLE = "right", "wrong", "no answer yet", "not available"
NO_SUCH = "no such exercise"


# ------------------------------------------------------------------------------------------------ small words
def count(v) -> str:
    return str(numbers.count(v))


def pct(v, decimals: int = 1) -> str:
    """A percentage (in percent units) as every page prints it: half-up, once (publish/numbers.py)."""
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


def read_number(given) -> float:
    value = _one_value(given)
    if isinstance(value, bool):
        raise Unreadable(f"{value} is a yes/no value; the answer is a number")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace(" ", "").removesuffix("%")
        try:
            value = float(text)
        except ValueError:
            raise Unreadable(f"{value!r} cannot be read as a number") from None
    if value is None or value is pd.NA or (isinstance(value, num.Number) and math.isnan(float(value))):
        raise Unreadable("your answer is empty (NaN or NA): did a filter keep no rows, or a column hold no counts?")
    if not isinstance(value, num.Number):
        raise Unreadable(f"{value!r} is not a number")
    return float(value)


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


def read_force(text) -> str:
    force = forces_mod.lookup(str(text).strip())
    if force is None:
        raise Unreadable(f"{str(text)!r} is not a police force I know.{forces_mod.close_matches(str(text))}")
    if not force.is_police_force:
        raise Unreadable(f"{force.name} is a central fraud reporting body, not a police force")
    return force.name


def read_forces(given) -> set[str]:
    items = _items(given)
    if len(items) == 1 and isinstance(items[0], str) and forces_mod.lookup(items[0].strip()) is None:
        items = [p for p in re.split(r"[;,\n]", items[0]) if p.strip()]  # "Kent, Surrey"
    if len(items) == 1 and str(items[0]).strip().lower() in ("none", "no force", "nothing", ""):
        return set()
    return {read_force(i) for i in items}


_QUARTER = re.compile(r"(\d{4})\s*[/-]\s*(\d{2})\s*,?\s*q(?:uarter)?\s*([1-4])")


def read_quarter(item) -> str:
    if isinstance(item, (tuple, list)) and len(item) == 2:
        item = f"{item[0]} Q{item[1]}"
    match = _QUARTER.fullmatch(str(item).strip().lower())
    if not match:
        raise Unreadable(f"{str(item)!r} is not a quarter written like '2015/16 Q2' (financial year and quarter)")
    start, end, q = match.groups()
    if (int(start) + 1) % 100 != int(end):
        raise Unreadable(f"{str(item)!r}: a financial year runs from one year to the next, like 2015/16")
    return f"{start}/{end} Q{q}"


def read_quarters(given) -> set[str]:
    items = _items(given)
    if len(items) == 1 and isinstance(items[0], str):
        text = items[0].strip().lower()
        if text in ("none", "nothing", ""):
            return set()
        items = [p for p in re.split(r"[;,\n+]", items[0]) if p.strip()] if not _QUARTER.fullmatch(text) else items
    return {read_quarter(i) for i in items}


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
            right, note, mistake, read = _judge(f, given)
        except Unreadable as exc:
            return Verdict(f.number, WRONG, f"I cannot read your answer: {str(exc).rstrip('.')}.")
        if right:
            return Verdict(f.number, RIGHT, " ".join(p for p in (note, ANSWERS[f.topic](f)) if p))
        hint = HINTS[f.topic](f, mistake, read)
        return Verdict(f.number, WRONG, f"{hint} (ex.answer({f.number}) shows the answer.)")


def _close(x: float, target, decimals: int) -> bool:
    return isinstance(target, num.Number) and abs(x - float(target)) <= 0.5 * 10**-decimals + 1e-9


def _distinct_traps(f: facts_mod.Fact) -> dict:
    """The known mistakes of a number that print differently from the answer at its precision: one that prints the
    same (England and Wales with or without a force whose share is tiny) cannot be told from the answer, and a right
    answer must never be taken for it."""
    right = numbers.half_up(f.value, f.decimals)
    return {k: v for k, v in f.traps.items() if v is not None and numbers.half_up(v, f.decimals) != right}


def _judge(f: facts_mod.Fact, given) -> tuple[bool, str, str | None, object]:
    """(right, a note on the form of a right answer, the known mistake the answer matches, the answer as read)."""
    if f.kind in ("count", "percent"):
        x = read_number(given)
        if f.kind == "count" and _close(x, f.value, 0) and x != round(x):
            raise Unreadable(f"{x} is not a whole number; a count is")
        traps = _distinct_traps(f)
        # within half a unit of the printed precision; when a mistake's value is nearer still, it is that mistake
        near = [(abs(x - float(v)), i, name) for i, (name, v) in enumerate(traps.items()) if _close(x, v, f.decimals)]
        if _close(x, f.value, f.decimals) and not any(d < abs(x - float(f.value)) for d, _, _ in near):
            return True, "", None, x
        if near:
            return False, "", min(near)[2], x
        if f.kind == "percent" and 0 <= x <= 1 < abs(float(f.value)):  # a fraction where a percentage is asked
            if _close(100 * x, f.value, f.decimals):
                return (
                    True,
                    f"(You gave a fraction, {x:g}; as a percentage that is {pct(100 * x, f.decimals)}.)",
                    None,
                    x,
                )
            for name, v in traps.items():
                if _close(100 * x, v, f.decimals):
                    return False, "", name, x
        return False, "", None, x
    if f.kind == "force":
        items = _items(given)
        if len(items) != 1:
            raise Unreadable(f"you gave {len(items)} values; the answer is one force")
        name = read_force(items[0])
        if name in f.value:
            return True, "", None, name
        for trap, value in f.traps.items():
            if name in value:
                return False, "", trap, name
        return False, "", None, name
    reader = read_forces if f.kind == "forces" else read_quarters
    got = reader(given)
    if got == set(f.value):
        return True, "", None, got
    for trap, value in f.traps.items():
        if got == set(value):
            return False, "", trap, got
    return False, "", None, got


def _direction(x, value, unit: str = "") -> str:
    if not isinstance(x, float):
        return ""
    if unit == "%" and 0 <= x <= 1 < abs(float(value)):
        return (
            f" Your answer, {x:,.10g}, looks like a fraction: as a percentage it is {pct(100 * x)}, too "
            f"{'high' if 100 * x > float(value) else 'low'}."
        )
    return f" Your answer, {x:,.10g}{unit}, is too {'high' if x > float(value) else 'low'}."


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
# Each topic has a question, an answer (with why), a hint for each known mistake and one for any other answer, and
# the reason it may not be available on an edition. The figures come from the fact's `about` and `traps`.


def _q_bases(f):
    a = f.about
    return (
        f"How many investigations did {a['force']} close in {a['quarter']} (its offences closed, as the news "
        "stories count them)?"
    )


def _a_bases(f):
    a = f.about
    return (
        f"{count(f.value)}: the closed basis (the closed column) for {a['force']} in {a['quarter']}, added over "
        f"every outcome type that enters totals (not 0, 1a, 2a or 3a). The recorded basis answers another question: "
        f"of the offences recorded in {a['quarter']}, {count(a['recorded'])} had an outcome by the time the data "
        f"were extracted and {count(a['type0'])} had none yet (type 0)."
    )


def _h_bases(f, mistake, read):
    a = f.about
    if mistake == "recorded":
        return (
            f"That is the recorded basis (the recorded column): outcomes so far of the offences recorded in "
            f"{a['quarter']}. Offences closed are on the closed basis: outcomes assigned in the quarter, whenever "
            "the offence was recorded (section 5)."
        )
    if mistake == "recorded_with_type0":
        return (
            f"That is every offence recorded in {a['quarter']}, type 0 included: the recorded basis, and type 0 is "
            "not an outcome. Offences closed are on the closed basis (the closed column)."
        )
    if mistake == "with_of_which":
        return (
            "You added the 'of which' rows 1a, 2a and 3a: they are already inside types 1, 2 and 3 (section 7.2). "
            "Keep the outcome types that enter totals (in_totals)."
        )
    return (
        f"Take the rows of totals for {a['force']}, financial year {a['fy']}, quarter {a['q']}, and add up the "
        "closed column over the outcome types that enter totals (in_totals is True)." + _direction(read, f.value)
    )


def _q_type0(f):
    a = f.about
    return (
        f"Of the offences {a['force']} recorded in {a['quarter']}, what percentage had no outcome yet when the data "
        "were extracted? Give a percentage with one decimal place."
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
            "older the quarter, the longer its offences have had to get an outcome before the extraction, so type 0 "
            "is largest for the latest quarters"
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
    return (
        f"{pct(f.value)}: {count(a['type0'])} offences with outcome type 0 out of {count(a['recorded'])} recorded "
        f"in {a['quarter']} (type 0 plus every outcome type that enters totals, recorded basis). " + _type0_trend(f)
    )


def _h_type0(f, mistake, read):
    a = f.about
    if mistake == "of_those_with_an_outcome":
        return (
            "You divided by the offences that have an outcome. The question asks for a share of every offence "
            f"recorded in {a['quarter']}: divide type 0 by type 0 plus the outcome types that enter totals."
        )
    if mistake == "count":
        return (
            f"That is how many offences have type 0; the question asks for them as a percentage of every offence "
            f"recorded in {a['quarter']}."
        )
    if mistake == "first_quarter":
        return f"That is {a['first_quarter']}, the edition's first quarter; the question is about {a['quarter']}."
    return (
        f"Use the recorded column of totals for {a['force']} in {a['quarter']}: type 0 (outcome_type '0') divided by "
        "type 0 plus the outcome types that enter totals, times 100. The closed basis has no type 0 count."
        + _direction(read, f.value, "%")
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
        f"{names(f.value)}: January to March {a['year']} is Q4 of financial year {a['fy_before']}, and April to "
        f"December {a['year']} is Q1 to Q3 of {a['fy']}. So a calendar year needs two financial years' files."
    )


MONTHS = "Financial Q1 is April to June, Q2 July to September, Q3 October to December and Q4 January to March."


def _h_calendar(f, mistake, read):
    a = f.about
    if mistake == "financial_same_start":
        return (
            f"Those are the four quarters of financial year {a['fy']} (April {a['year']} to March {a['year'] + 1}). "
            f"Calendar {a['year']} starts in January. {MONTHS}"
        )
    if mistake == "financial_same_end":
        return (
            f"Those are the four quarters of financial year {a['fy_before']} (April {a['year'] - 1} to March "
            f"{a['year']}). Calendar {a['year']} runs from January to December. {MONTHS}"
        )
    return f"{MONTHS}" + _set_diff(read, f.value, "quarters")


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
            f"{names(f.value)}: calendar {a['year']} is {names(a['quarters'])}, and {span}. So the edition cannot "
            f"check the articles' {a['year']} figures: a figure that needs a missing quarter is not computed."
        )
    return f"None: calendar {a['year']} ({names(a['quarters'])}) is all in this edition; {span}."


def _h_articles(f, mistake, read):
    a = f.about
    if mistake == "financial":
        return (
            f"Those are the quarters of financial year {a['fy']}. Calendar {a['year']} runs from January to "
            f"December {a['year']} (exercise 3 shows how to build it)."
        )
    return (
        f"List calendar {a['year']}'s four quarters (as in exercise 3), then keep those whose financial year and "
        "quarter have no rows in totals." + _set_diff(read, f.value, "quarters")
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
        f"{names(f.value)}, with {pct(a['rate'])} in {a['period']} (England and Wales: {pct(a['ew_rate'])}). "
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


def _h_latest(f, mistake, read):
    a = f.about
    if mistake == "other_period" and "other" in a:
        return (
            f"That force is first in {a['other']}, but {a['period']} ends later ({quarter_end(a['period_end'])}, "
            f"against {quarter_end(a['other_end'])}): the latest period is the one that ends last."
        )
    if mistake == "lowest":
        return f"That force has the lowest rate in {a['period']}: sort the rates from the highest."
    return (
        f"The latest computable period is {a['period']}, the one that ends last. For each police force, add "
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


def _q_rate(f):
    a = f.about
    return (
        f"What was the victim-did-not-support rate of England and Wales, as this project counts it (every police "
        f"force with usable data for the period), in {a['period'] or LATEST}: outcome types 14 + 16 as a percentage "
        "of offences closed? Give it with one decimal place."
    )


def _a_rate(f):
    a = f.about
    return (
        f"{pct(f.value)}: ({count(a['t14'])} of type 14 + {count(a['t16'])} of type 16 = {count(a['vdns'])}) / "
        f"{count(a['closed'])} offences closed, on the closed basis, {_area(a)}, {a['period']}. This project's "
        "England and Wales is every police force (the 43 territorial forces and British Transport Police), each "
        "period without any force whose data for it cannot be used (section 7.8); the June 2021 articles left out "
        f"{names(a['articles_excluded'])} (exercise 7)."
    )


def _h_rate(f, mistake, read):
    a = f.about
    hints = {
        "type14_only": "You used type 14 alone. 'Victim did not support further action' is two outcome types: 14 "
        "(suspect not identified) and 16 (suspect identified).",
        "type16_only": "You used type 16 alone. 'Victim did not support further action' is two outcome types: 14 "
        "(suspect not identified) and 16 (suspect identified).",
        "share_16": "That is type 16 as a share of 14 + 16 (the 'suspect identified' share). The rate divides "
        "14 + 16 by every offence closed.",
        "recorded_basis": "That is the rate on the recorded basis. Offences closed, and the articles' rate, are on "
        "the closed basis.",
        "articles_area": f"You left out {names(a['articles_excluded'])}, as the June 2021 articles did (exercise 7). "
        "This project's England and Wales counts every police force whose data for the period can be used.",
    }
    if mistake in hints:
        return hints[mistake]
    return (
        f"Add outcome types 14 and 16 (closed column) over {a['period']}'s quarters and every police force"
        f"{_without_data(a)}, then divide by the same forces' offences closed (every outcome type that enters "
        "totals), times 100." + _direction(read, f.value, "%")
    )


def _q_exclusions(f):
    a = f.about
    return (
        f"How many offences were closed in England and Wales in {a['period'] or LATEST}, as the June 2021 articles "
        f"counted England and Wales? They left out {names(a['excluded'])} in every year (section 7.10 says why); "
        "sections 7.6 and 7.7 say who else is in it."
    )


def _a_exclusions(f):
    a = f.about
    excluded = names(a["excluded"])
    text = (
        f"{count(f.value)} offences closed in {_area(a, 'excluded')}, as the June 2021 articles counted it: every "
        f"police force (the 43 territorial forces and British Transport Police) except {excluded}. "
    )
    if a["excluded_closed"]:
        text += (
            f"In {a['period']}, {excluded} closed {count(a['excluded_closed'])}{_btp(a)}. This project's England "
            f"and Wales counts {excluded} too: {count(a['every_closed'])} offences closed."
        )
    else:
        text += f"In {a['period']}, {excluded} has no usable data, so it is left out either way{_btp(a)}."
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


def _h_exclusions(f, mistake, read):
    a = f.about
    excluded = names(a["excluded"])
    hints = {
        "with_excluded": f"That includes {excluded} ({count(a['excluded_closed'])} offences closed): it is this "
        f"project's England and Wales, but the June 2021 articles left {excluded} out of every year (section 7.10).",
        "without_btp": f"You left out British Transport Police ({count(a['btp_closed'])}): it is not a territorial "
        "force, but this project counts it in England and Wales, the articles' included (section 7.6).",
        "with_excluded_without_btp": f"You counted the 43 territorial forces: the articles' England and Wales "
        f"leaves out {excluded} (section 7.10), and this project counts British Transport Police in it (section 7.6).",
        "with_fraud_bodies": f"You counted the central fraud bodies ({names(a['fraud_bodies'])}): they are not police "
        "forces (section 7.7).",
    }
    if mistake in hints:
        return hints[mistake]
    return (
        f"Add the closed column of totals over {a['period']}'s quarters, the outcome types that enter totals, and "
        f"every police force except {excluded}{_without_data(a)}." + _direction(read, f.value)
    )


def _q_negative(f):
    a = f.about
    if "force" not in a:
        return (
            "Negative counts are adjustments: an offence moved to another code after its outcome was counted is "
            "taken off again as a negative number, and published totals include them. Which force's negative "
            f"closed-basis cells take the most off its offences closed in {a.get('year') or 'the latest year'}?"
        )
    return (
        "Negative counts are adjustments: an offence moved to another code after its outcome was counted is taken "
        f"off again as a negative number, and published totals include them. In {a['year']}, {a['force']} is the "
        "force whose negative closed-basis cells take the most off its offences closed. If you dropped them (say "
        "with .clip(lower=0)), by how many would its offences closed be overstated?"
    )


def _a_negative(f):
    a = f.about
    return (
        f"{count(f.value)}: {a['force']}'s {plural(a['cells'], 'negative closed-basis cell')} in {a['year']} add up "
        f"to -{count(f.value)}. Its published total, {count(a['closed'])} offences closed, includes them; without "
        f"them it would be {count(a['without_negatives'])}. In {a['year']}, "
        f"{plural(a['forces_with_negatives'], 'police force')} {'has' if a['forces_with_negatives'] == 1 else 'have'}"
        f" negative closed-basis cells ({plural(a['cells_in_year'], 'cell')})."
    )


def _h_negative(f, mistake, read):
    a = f.about
    if mistake == "signed":
        return (
            "Right size, wrong sign: dropping cells that add up to a negative number makes the total too high, so "
            "the overstatement is a positive number."
        )
    if mistake == "cells":
        return "That is how many negative cells there are; add up their values (the closed column) instead."
    if mistake == "every_outcome_type":
        return "You included outcome types that never enter a total (in_totals is False): keep those that do."
    return (
        f"Load the negative cells (tables.OUTCOMES.load(edition, filters=[('closed', '<', 0)])), keep "
        f"{a['force']}'s rows of {a['year']} (all four quarters) whose outcome type enters totals (in_totals), and "
        "add up closed: the overstatement is that sum with its sign turned." + _direction(read, f.value)
    )


def _q_expired(f):
    a = f.about
    return (
        "Offence codes go out of use, but later files may still list them (offence_code_expired is True). In "
        f"{a.get('fy', 'the edition')}, how many offences closed (closed basis, outcome types that enter totals, "
        "every force) are under expired offence codes?"
    )


def _a_expired(f):
    a = f.about
    per_year = "; ".join(f"{fy}: {count(n)}" for fy, n in a["rows_per_year"].items())
    return (
        f"{count(f.value)}, in {plural(a['rows'], 'row')} with an expired code in {a['fy']} "
        f"({count(a['rows_with_closed'])} of them with a closed count that is not 0). An expired code is no longer "
        "given to new offences, so its recorded-basis cells are text "
        f"({plural(a['recorded_text'], 'cell')}), but offences recorded under it before it expired can still be "
        f"closed. Rows with an expired code, by financial year: {per_year}. A file without any has dropped them or "
        "never listed them: its rows per force and quarter differ from the other files', and its totals lack what "
        f"such rows hold ({count(f.value)} offences closed in {a['fy']})."
    )


def _h_expired(f, mistake, read):
    a = f.about
    if mistake == "zero":
        return (
            "Expired codes can still carry outcomes: an offence recorded before its code expired may be closed "
            "later, and that outcome is on the closed basis. Add up the closed counts of the rows with an expired "
            "code."
        )
    if mistake == "rows":
        return "That is how many rows have an expired code; add up their closed counts instead."
    if mistake == "recorded":
        return (
            "That is the recorded basis: no offence is recorded under an expired code, so its recorded cells are "
            "text. Offences closed are on the closed basis."
        )
    return (
        "Load the rows with an expired code (tables.OUTCOMES.load(edition, filters=[('offence_code_expired', "
        f"'==', True)])), keep {a['fy']} and the outcome types that enter totals (in_totals), and add up closed."
        + _direction(read, f.value)
    )


def _q_partial(f):
    ratio = f.about.get("low_ratio", 0.6)
    return (
        "Which police forces have a quarter in this edition that looks only partly supplied: counts marked "
        f"'N/A - data not provided' (on either basis), or offences closed under {ratio:.0%} of the force's usual "
        "quarter? Give a list of forces, in any order (an empty list if none); coverage has one row per force and "
        "quarter."
    )


def _a_partial(f):
    a = f.about
    if not f.value:
        text = "None: every force-quarter of this edition was supplied in full, and none is implausibly low."
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
        text = f"{names(f.value)}. " + "; ".join(parts) + ". Figures that use these quarters say so (section 7.8)."
    if a["left_out_only"]:
        where = "; ".join(f"{force} ({names(qs)})" for force, qs in a["left_out_only"].items())
        text += (
            f" Not partial supply: {where}, where a few cells are left out (blank or text where a count should be) "
            "but the total is plausible."
        )
    return text


def _h_partial(f, mistake, read):
    a = f.about
    if mistake == "with_cells_left_out":
        one = len(a["left_out_only"]) == 1
        return (
            f"You included {names(a['left_out_only'])}: {'its' if one else 'their'} quarters have a few cells left "
            f"out (blank or text where a count should be), but {'its total is' if one else 'their totals are'} "
            "plausible. Partial supply shows in coverage as 'partly provided' or 'not provided' (closed_status, "
            "recorded_status) or as plausibility 'low'."
        )
    return (
        "In coverage, look at closed_status and recorded_status ('partly provided', 'not provided') and at "
        "plausibility ('low')." + _set_diff(read, f.value, "forces")
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
HINTS = {
    "bases": _h_bases,
    "type0": _h_type0,
    "calendar": _h_calendar,
    "articles_year": _h_articles,
    "latest": _h_latest,
    "rate": _h_rate,
    "exclusions": _h_exclusions,
    "negative": _h_negative,
    "expired": _h_expired,
    "partial": _h_partial,
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
assert set(QUESTIONS) == set(ANSWERS) == set(HINTS) == set(UNAVAILABLE_WHY)


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
    from IPython.display import HTML

    return HTML(current().html(number))
