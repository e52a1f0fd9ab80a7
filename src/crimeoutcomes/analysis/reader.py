"""Reading an article: every figure in its text read into the claim form, as typed readings.

The reader splits the text into sentences, finds each figure (percentages, counts, rounded counts, "one in 12",
fractions, changes), and reads what it counts from the words around it, with the data's own vocabulary (force names
and their spellings; the edition's offence groups, subgroups and descriptions; outcome descriptions) and the news
phrasings of config/reader.yaml:

- the area: a force named near the figure, "England and Wales", "nationally", "across all forces";
- the period: "between April and June this year", "in the 12 months to March", "in 2018-19", "in 2018", "last year"
  (relative to the publication date: the latest year whose data had been published by then), "the previous year";
- the offences, the outcome (the numerator) and, for a share, what it is a share of (the denominator);
- the basis: "recorded", "reported" (the offences recorded in the period and their outcomes so far) against
  "closed", "concluded", "dealt with" (the outcomes assigned in the period); when the words do not say, a financial
  year is read on the recorded basis (the Home Office bulletins' basis) and any other period on the closed basis,
  and the other basis is kept as another reading.

What a sentence does not say is carried from the sentences before it ("Of those", "the same period", "this
crime"), then from the title. Every figure the reader cannot read is returned with why (`Unread`): not from this
dataset, an unknown phrase, a period that cannot be told. Each reading keeps the other readings it considered.

Readings are typed (field values in the claim form, and the words each was read from); publish/words/reader_text.py
writes them as a claims registry and unread.csv.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..data import forces as forces_mod
from ..errors import DataError
from ..yamlfile import read_yaml, validate
from . import claims as cl
from .periods import Period

# ------------------------------------------------------------------------------------------------ vocabulary
_ENTRY = {
    "type": "object",
    "required": ["words"],
    "additionalProperties": False,
    "properties": {
        "words": {"type": "string", "minLength": 1, "maxLength": 2000},
        "offences": {"type": ["string", "object"]},
        "also": {"type": "array", "items": {"type": ["string", "object"]}},
        "numerator": {"type": ["string", "array", "object"]},
        "denominator": {"type": ["string", "array", "object"]},
        "total": {"enum": ["closed", "recorded"]},
        "note": {"type": "string"},
        "why": {"type": "string"},
    },
}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["offences", "outcomes"],
    "properties": {
        "offences": {"type": "array", "items": _ENTRY},
        "offences_in_general": {"type": "string"},
        "outcomes": {"type": "array", "items": _ENTRY},
        "denominators": {"type": "array", "items": _ENTRY},
        "recorded": {"type": "string"},
        "closed": {"type": "string"},
        "not_from_this_dataset": {"type": "array", "items": _ENTRY},
    },
}


@dataclass(frozen=True)
class Phrase:
    pattern: re.Pattern
    value: object  # offences: the claim form's offences; outcomes: a numerator (or ("total", basis)); why
    also: tuple = ()
    note: str = ""


@dataclass
class Vocabulary:
    offences: list[Phrase]
    general: re.Pattern
    outcomes: list[Phrase]
    denominators: list[Phrase]
    recorded: re.Pattern
    closed: re.Pattern
    not_data: list[Phrase]
    areas: list[tuple[re.Pattern, str]]  # a force's spelling -> its canonical name (longest first)

    @classmethod
    def load(cls, path: Path, offence_lists: dict | None = None) -> Vocabulary:
        """The reader's vocabulary file (the step table's input `reader`), checked, with the data's own words: every
        force's spellings, and (given the edition's offence lists) its offence groups, subgroups and descriptions."""
        doc = read_yaml(path, "reader vocabulary", DataError)
        validate(doc, SCHEMA, paths.relative(path), DataError, id_key="words")

        def compiled(words: str, where: str) -> re.Pattern:
            try:
                return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)
            except re.error as exc:
                raise DataError(
                    f"{paths.relative(path)}: {where}: {words!r} is not a regular expression ({exc})"
                ) from None

        def phrases(key: str, value_key: str) -> list[Phrase]:
            out = []
            for i, e in enumerate(doc.get(key) or [], start=1):
                value = ("total", e["total"]) if "total" in e else e.get(value_key, e.get("why", ""))
                out.append(
                    Phrase(compiled(e["words"], f"{key} {i}"), value, tuple(e.get("also", ())), e.get("note", ""))
                )
            return out

        offences = phrases("offences", "offences")
        for kind, names in (offence_lists or {}).items():  # the edition's own names, read as they are written
            if kind in ("group", "subgroup"):
                offences += [Phrase(compiled(re.escape(n), kind), {kind: n}) for n in names if len(n) > 4]
        areas = []
        for f in forces_mod.POLICE_FORCES:
            spellings = {f.name, f.official, *f.aliases, f.name.replace("-", " "), f.official.replace("-", " ")}
            spellings |= {s.removeprefix("the ") for s in spellings}
            for s in spellings:
                if s and s.lower() not in ("btp",):
                    spelled = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", s))
                    areas.append((re.compile(rf"(?<![\w-]){spelled}(?![\w-])", re.I), f.name))
        areas.append((re.compile(r"(?<![\w-])Hampshire and the Isle of Wight(?![\w-])", re.I), "Hampshire"))
        areas.sort(key=lambda a: -len(a[0].pattern))
        return cls(
            offences=offences,
            general=compiled(doc.get("offences_in_general", "offences?|crimes?|cases"), "offences_in_general"),
            outcomes=phrases("outcomes", "numerator"),
            denominators=phrases("denominators", "denominator"),
            recorded=compiled(doc.get("recorded", "recorded|reported"), "recorded"),
            closed=compiled(doc.get("closed", "closed|concluded"), "closed"),
            not_data=phrases("not_from_this_dataset", "why"),
            areas=areas,
        )


# ------------------------------------------------------------------------------------------------ sentences
_ABBREVIATIONS = r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bNo)(?<!\bSt)(?<!\bvs)"


def sentences(text: str) -> list[str]:
    """The text's sentences, in order (paragraph breaks end a sentence; a full stop inside a number does not)."""
    out = []
    for para in re.split(r"\n\s*\n|\n(?=[“\"‘'A-Z\-–•])", text.replace("\r", "")):
        para = " ".join(para.split())
        if not para:
            continue
        parts = re.split(rf"{_ABBREVIATIONS}(?<=[.!?])[’”\"']?\s+(?=[“\"‘'(A-Z0-9£\-–])", para)
        out += [p.strip() for p in parts if p.strip()]
    return out


def headline(text: str) -> str:
    """The article's headline when its text starts with one (a short first line with no full stop), else ''."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 200 and not first.endswith((".", "!", "?", ".”", '."')) else ""


# ------------------------------------------------------------------------------------------------ figures
_WORD_NUMBERS = "|".join(sorted(cl.NUMBER_WORDS, key=len, reverse=True))
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SIDE = r"(?:(?:fewer|less|more) than|nearly|almost|just (?:under|over)|over|under|around|about|some|only|just)\s+"
_PCT = rf"(?:{_NUM}|{_WORD_NUMBERS})\s?(?:%|per ?cent|pc\b)"
_ONE_IN = rf"(?:one|1|a)\s+in\s+(?:every\s+)?{_NUM}"
_K_IN = rf"(?:{_WORD_NUMBERS}|\d{{1,2}})\s+(?:in|out of)\s+(?:every\s+)?(?:{_WORD_NUMBERS}|\d{{1,2}}(?![\d,]))"
_FRACTIONS = "|".join(sorted((re.escape(w) for w in cl.FRACTION_WORDS), key=len, reverse=True))
_MAG = rf"{_NUM}\s?(?:m|mn|million|bn|billion|k|thousand)\b"
_COUNT = rf"{_NUM}"
FIGURE = re.compile(
    rf"(?P<side>{_SIDE})?(?P<fig>{_PCT}|{_ONE_IN}|{_K_IN}|{_MAG}|(?<![\w£$.,/-]){_COUNT}(?![\w/]|\.\d|-\d\d\b)"
    rf"|(?<![\w-])(?:{_FRACTIONS})(?= of\b| were\b| had\b)|(?<![\w-])(?:{_WORD_NUMBERS})(?![\w-]))",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_CHANGE_VALUES = re.compile(
    rf"(?:(?:has |have |had )?(?:fallen|fell|dropped|risen|rose|increased|decreased|gone (?:up|down)|moved) )?"
    rf"from (?P<a>{_PCT}|{_MAG}|{_COUNT}) to (?P<b>{_PCT}|{_MAG}|{_COUNT})",
    re.IGNORECASE,
)
_CHANGE_POINTS = re.compile(
    r"\b(?P<way>up|down|rose|fell|risen|fallen|increased|decreased|dropped"
    r"|a rise of|a fall of|an increase of|a drop of)"
    rf"(?: by)? (?P<n>{_NUM}) (?:percentage )?points?\b",
    re.IGNORECASE,
)
_CHANGE_RELATIVE = re.compile(
    rf"(?P<n>{_PCT}) (?P<way>decline|fall|drop|reduction|decrease|rise|increase)\b"
    r"|\b(?P<way2>up|down|rose|fell|risen|fallen|dropped|increased|decreased) "
    rf"(?:by )?(?P<n2>{_PCT}|a third|a quarter|half)",
    re.IGNORECASE,
)
_CHANGE_COUNT = re.compile(
    rf"\b(?P<way>(?:an? )?(?:annual |yearly )?(?:reduction|fall|drop|decrease|rise|increase) of)(?P<n> {_NUM}|{_MAG})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    text: str  # as printed, with the words that bound it ("nearly 5 million")
    claimed: str  # in the claim form
    start: int
    end: int
    unit: str  # count | rate | change
    words: bool = False  # a count printed as a word ("three")
    change: str = ""  # values | points | count: a change printed in the sentence


def _bare(side: str) -> str:
    """The words before a figure that the claim form keeps ("fewer than", "nearly", "more than")."""
    s = " ".join(side.lower().split())
    for words in (
        "fewer than",
        "less than",
        "more than",
        "nearly",
        "almost",
        "just under",
        "just over",
        "over",
        "under",
    ):
        if s == words:
            return words + " "
    return ""


def figures(sentence: str) -> list[Figure]:
    """Every figure the sentence prints, in order; years, dates and spans of years are not figures."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return not any(a < y and x < b for x, y in taken)

    for m in _CHANGE_VALUES.finditer(sentence):
        a, b = m.group("a"), m.group("b")
        if _YEAR.match(a.replace(",", "")) or _YEAR.match(b.replace(",", "")):
            continue
        found.append(Figure(m.group(0), f"from {a} to {b}", m.start(), m.end(), "change", change="values"))
        taken.append((m.start(), m.end()))
    for pattern, kind in ((_CHANGE_POINTS, "points"), (_CHANGE_COUNT, "count"), (_CHANGE_RELATIVE, "relative")):
        for m in pattern.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            if re.search(
                r"\b(?:makes?|made|making|takes?|took|add(?:s|ed)?|sums?|ends?|ended|sets?)\s+$",
                sentence[: m.start()],
                re.I,
            ):
                continue  # "this makes up 43 per cent": not a change
            g = m.groupdict()
            way = "up" if re.search(r"up|ris|rose|increas", g.get("way") or g.get("way2"), re.I) else "down"
            n = (g.get("n") or g.get("n2")).strip()
            claimed = f"{way} {n} points" if kind == "points" else f"{way} {n}"
            found.append(Figure(m.group(0), claimed, m.start(), m.end(), "change", change=kind))
            taken.append((m.start(), m.end()))
    for m in FIGURE.finditer(sentence):
        a, b = m.start("fig"), m.end("fig")
        fig = m.group("fig")
        if not free(a, b):
            continue
        plain = fig.replace(",", "")
        if ("," not in fig and _YEAR.match(plain)) or re.match(r"\d+(?:st|nd|rd|th)$", plain):
            continue
        after, before = sentence[b : b + 12].lower(), sentence[max(0, a - 12) : a].lower()
        if re.match(
            r"\s?(?:january|february|march|april|may|june|july|august|september|october|november|december)", after
        ):
            continue  # a date: "6 September"
        if re.match(r"^[-/–]\d", sentence[b : b + 3]) or before.endswith(("q", "£", "$")):
            continue
        word = fig.lower() in cl.NUMBER_WORDS
        if word and not _counts_something(sentence, b):
            continue
        side = _bare(m.group("side") or "")
        start = m.start("side") if side else a
        claimed = side + fig
        try:
            parsed = cl.Claimed.parse(claimed)
        except ValueError:
            continue
        found.append(Figure(sentence[start:b], claimed, start, b, "rate" if parsed.is_rate else "count", words=word))
        taken.append((start, b))
    return sorted(found, key=lambda f: f.start)


_COUNTED = re.compile(
    r"^\s+(?:(?:of|more|fewer|other|further|\w+ed|per|in)\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:crimes?|offences?|cases|investigations|incidents|inquiries|probes|reports|allegations|complaints|burglar\w*|"
    r"robber\w*|thefts?|rapes?|people|suspects|resulted|were|was|had|per ?cent|%|in (?:every )?\d+|out of)",
    re.IGNORECASE,
)


def _counts_something(sentence: str, end: int) -> bool:
    """A number in words is a figure when it counts something ("three resulted", "five sexual offences", "one in
    12"), not in "one of the", "one force"."""
    if re.match(
        r"\s+(?:offence |crime )?(?:types?|kinds?|categories|sorts?|forces?|ways?|times?)\b", sentence[end:], re.I
    ):
        return False  # "three offence types", "one force": not a figure of the table
    return bool(_COUNTED.match(sentence[end:]))


# ------------------------------------------------------------------------------------------------ mentions
@dataclass(frozen=True)
class Mention:
    kind: str  # area | period | offences | outcome | basis | denominator | total | notdata
    start: int
    end: int
    value: object
    words: str
    also: tuple = ()
    note: str = ""


_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), start=1)}  # fmt: skip
_MONTH = "|".join(_MONTHS)


def _run(m1: int, y1: int, m2: int, y2: int) -> Period | None:
    """The months m1/y1 to m2/y2 as a run of financial quarters (None unless they start and end a quarter)."""
    if m1 not in (1, 4, 7, 10) or m2 not in (3, 6, 9, 12):
        return None

    def quarter(m, y):  # (financial year, quarter) of a month
        q = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[m]
        start = y if m >= 4 else y - 1
        return f"{start}/{(start + 1) % 100:02d}", q

    first, last = quarter(m1, y1), quarter(m2, y2)
    try:
        p = Period.quarters_run(first, last)
    except ValueError:
        return None
    if m1 == 4 and m2 == 3 and y2 == y1 + 1:
        return Period.financial(y1)
    if m1 == 1 and m2 == 12 and y1 == y2:
        return Period.calendar(y1)
    return p


def available(period: Period, published: dt.date) -> bool:
    """Whether a period's data had been published by a date: the Home Office publishes a quarter's outcomes about
    four months after it ends (the quarter to December in April, to March in July)."""
    fy, q = period.quarters[-1]
    end_month = {1: 6, 2: 9, 3: 12, 4: 3}[q]
    end_year = int(fy[:4]) + (1 if q == 4 else 0)
    month = end_month + 4
    ready = (end_year + (month - 1) // 12, (month - 1) % 12 + 1)
    return (published.year, published.month) >= ready


def _year_of(words: str, published: dt.date) -> int | None:
    w = words.lower()
    if w in ("this year",):
        return published.year
    if w in ("last year",):
        return published.year - 1
    if re.fullmatch(r"(?:19|20)\d\d", w):
        return int(w)
    return None


def find_mentions(sentence: str, vocab: Vocabulary, published: dt.date) -> list[Mention]:
    """Every area, period, offence, outcome, basis, denominator and not-from-this-dataset phrase of a sentence."""
    out: list[Mention] = []
    taken: list[tuple[int, int, str]] = []

    def add(kind, m, value, also=(), note="", group=0):
        a, b = m.start(group), m.end(group)
        if any(k == kind and a < y and x < b for x, y, k in taken):
            return
        taken.append((a, b, kind))
        out.append(Mention(kind, a, b, value, m.group(group), tuple(also), note))

    # areas
    for m in re.finditer(
        r"(?:England (?:and|&) Wales|nationally|national(?:ly)? figures?|across (?:all|the) (?:\d+ )?forces|"
        r"all (?:police )?forces|across the country|(?:in|across) the two nations)",
        sentence,
        re.I,
    ):
        add("area", m, "England and Wales")
    for pattern, name in vocab.areas:
        for m in pattern.finditer(sentence):
            if re.match(r"\s+and Wales", sentence[m.end() :]) and name in ("North Wales", "South Wales"):
                continue
            add("area", m, name)
    for m in re.finditer(r"\bthe force\b|\bthe region'?s? (?:cash-strapped )?force\b", sentence, re.I):
        add("area", m, "=force")
    # periods
    year = r"(?:19|20)\d\d"
    for m in re.finditer(
        rf"(?:between|from) ({_MONTH})(?: ({year}))? (?:and|to) ({_MONTH}) ({year}|this year|last year)", sentence, re.I
    ):
        m1, m2 = _MONTHS[m.group(1).lower()], _MONTHS[m.group(3).lower()]
        y2 = _year_of(m.group(4), published)
        y1 = int(m.group(2)) if m.group(2) else (y2 if m1 <= m2 else y2 - 1)
        p = _run(m1, y1, m2, y2)
        if p is not None:
            add("period", m, p)
    for m in re.finditer(
        rf"(?:in )?the (?:12 months|year|twelve months) (?:up )?(?:to|ending) ({_MONTH})"
        rf"(?: ({year}|this year|last year))?",
        sentence,
        re.I,
    ):
        month = _MONTHS[m.group(1).lower()]
        if month not in (3, 6, 9, 12):
            continue
        y = _year_of(m.group(2), published) if m.group(2) else None
        if y is None:
            y = published.year if (published.month > month + 3) else published.year - 1
        add("period", m, Period.year_ending(m.group(1), y))
    for m in re.finditer(rf"\b(?:in |for |the )?({year})[-/–](\d\d)\b(?: financial year)?", sentence):
        start = int(m.group(1))
        if (start + 1) % 100 == int(m.group(2)):
            add("period", m, Period.financial(start))
    for m in re.finditer(rf"\b(?:since|in) ({year}), when\b", sentence, re.I):
        add("period", m, ("year", int(m.group(1)), False))
    for m in re.finditer(rf"\b(?:in (?:the )?|during )({year})(?: period)?\b(?![-/–]\d)", sentence, re.I):
        add("period", m, ("year", int(m.group(1)), "period" in m.group(0).lower()), group=0)
    for m in re.finditer(rf"^({year}),", sentence):
        add("period", m, ("year", int(m.group(1)), False))
    for m in re.finditer(rf"\b(?:since|in) ({year}), when\b", sentence, re.I):
        add("period", m, ("year", int(m.group(1)), False))
    for m in re.finditer(r"\blast year\b|\bin a year\b|\bover a year\b", sentence, re.I):
        add("period", m, ("last year",))
    for m in re.finditer(r"\b(?:the )?(?:previous|preceding) year\b|\bthe year before\b", sentence, re.I):
        add("period", m, ("previous",))
    for m in re.finditer(r"\b(?:in )?(?:that|the same) (?:year|period)\b|\bover that period\b", sentence, re.I):
        add("period", m, ("same",))
    # outcomes, denominators, totals
    for ph in vocab.denominators:
        for m in ph.pattern.finditer(sentence):
            add("denominator", m, ph.value, note=ph.note)
    for ph in vocab.outcomes:
        for m in ph.pattern.finditer(sentence):
            if isinstance(ph.value, tuple):
                add("total", m, ph.value[1])
            elif ph.value == [1] and re.search(r"\b(?:without|no|not|never|press)(?: any)?\s+$", sentence[: m.start()]):
                continue  # "without any charges", "to press charges": not a charge
            else:
                add("outcome", m, ph.value, ph.also, note=ph.note)
    for m in re.finditer(
        r"\bthe same (?:outcome|reason)\b|\bfor this reason\b|\bwith this result\b|\bthis result\b", sentence, re.I
    ):
        add("outcome", m, "=same")
    for m in re.finditer(
        r"\b(?:suspects? (?:had been |was |were |are )?(?:identified|known)|named suspect)", sentence, re.I
    ):
        if not re.search(
            r"\bno\s+$|\bnot\s+$|without\s+(?:a\s+|any\s+)?$|before\s+a\s+$", sentence[: m.start()][-12:], re.I
        ):
            add("suspect", m, True)
    # offences
    for ph in vocab.offences:
        for m in ph.pattern.finditer(sentence):
            add("offences", m, ph.value, ph.also, ph.note)
    for m in vocab.general.finditer(sentence):
        add("offences", m, "=general")
    for m in re.finditer(r"\bthis crime\b|\bthese (?:crimes|offences)\b", sentence, re.I):
        add("offences", m, "=topic")
    # basis
    for m in vocab.recorded.finditer(sentence):
        add("basis", m, "recorded")
    for m in vocab.closed.finditer(sentence):
        add("basis", m, "closed")
    for ph in vocab.not_data:
        for m in ph.pattern.finditer(sentence):
            add("notdata", m, ph.value)
    asides = [
        (m.start(), m.end()) for m in re.finditer(r"\((?:including|excluding|not including)[^)]*\)", sentence, re.I)
    ]
    out = [m for m in out if m.kind != "offences" or not any(a <= m.start and m.end <= b for a, b in asides)]
    outcome_spans = [(m.start, m.end) for m in out if m.kind == "outcome"]
    out = [m for m in out if m.kind != "basis" or not any(a <= m.start and m.end <= b for a, b in outcome_spans)]
    named = [(m.start, m.end) for m in out if m.kind == "period"]
    out = [m for m in out if m.kind != "notdata" or not any(a < m.end and m.start < b for a, b in named)]
    return sorted(out, key=lambda x: x.start)


# ------------------------------------------------------------------------------------------------ readings
STATED, CARRIED, TITLE, ASSUMED, ELSEWHERE, NATIONAL, TOTAL = (
    "stated",
    "carried",
    "title",
    "assumed",
    "elsewhere",
    "national",
    "total",
)
#: why a figure could not be read (publish/words/reader_text.py says each in words)
NOT_FROM_DATASET, NO_PERIOD, PERIOD_NOT_PUBLISHED, NO_AREA, NO_OUTCOME, UNKNOWN = (
    "not from this dataset",
    "no period",
    "period not yet published",
    "no area",
    "no outcome",
    "unknown phrase",
)


@dataclass(frozen=True)
class Cue:
    """How one field was read: from the sentence's own words (stated), an earlier sentence (carried), the title, or
    assumed by the reader's rule."""

    field: str
    source: str
    words: str = ""


@dataclass
class Reading:
    sentence: int  # its index in the article
    quote: str
    figure: Figure
    fields: dict = field(default_factory=dict)  # the claim form (area, period, basis, offences, numerator, ...)
    cues: list[Cue] = field(default_factory=list)
    alternatives: list[tuple[dict, str]] = field(default_factory=list)  # (fields read otherwise, why)
    unread: str = ""  # why it could not be read ('' when read)
    detail: str = ""  # the words behind `unread`
    notes: list[str] = field(default_factory=list)  # the vocabulary's notes on the words read


@dataclass
class Article:
    title: str
    published: dt.date
    sentences: list[str]
    readings: list[Reading]


@dataclass
class _Context:
    """What the sentences so far have said (carried to the next when it does not say)."""

    published: dt.date
    area: tuple | None = None  # (value, words)
    force: str | None = None  # the last single force named
    period: Period | None = None
    period_words: str = ""
    offences: tuple | None = None  # (value, also, note, words)
    topic: tuple | None = None  # the article's own offences (its title's, or the first it names)
    outcome: tuple | None = None  # (numerator, words)
    suspect: bool = False  # the article reads the victim not supporting action with a suspect known (16)
    total: dict | None = None  # the last total: {"basis", "numerator", "offences", "area", "period", "words"}
    basis: str = ""
    basis_assumed: bool = False  # the article's basis was assumed (or said loosely): the other is kept too
    kind: str = ""  # the kind of period the article uses (financial, calendar, quarters)
    only_force: tuple | None = None  # (force, words): the one force the whole article names, if only one
    only_period: tuple | None = None  # (period, words): the one period the whole article states, if only one
    named: list = field(default_factory=list)  # the offences named so far, in order (each once)
    exclude: dict = field(default_factory=dict)
    forces_named: bool = True  # whether the article names any police force
    last: Reading | None = None  # the last figure read


def read_article(text: str, published: dt.date, title: str, vocab: Vocabulary) -> Article:
    """Every figure of an article read into the claim form (or said unread, with why)."""
    ctx = _Context(published)
    if title:
        _learn(ctx, find_mentions(title, vocab, published), title, from_title=True)
    said = sentences(text)
    every = [m for t in [title, *said] for m in find_mentions(t, vocab, published)]
    forces = {m.value: m.words for m in every if m.kind == "area" and m.value not in ("England and Wales", "=force")}
    if len(forces) == 1:
        ctx.only_force = next(iter(forces.items()))
    ctx.forces_named = bool(forces) or any(m.kind == "area" and m.value == "=force" for m in every)
    for t in [title, *said]:  # "The figures do not include Greater Manchester Police": England and Wales without it
        for m in find_mentions(t, vocab, published):
            if (
                m.kind == "area"
                and m.value not in ("England and Wales", "=force")
                and re.search(
                    r"\b(?:do(?:es)? not include|not including|excluding|exclude[sd]?|except(?: for)?"
                    r"|leaves? out|left out)"
                    r"\s+(?:the\s+)?$",
                    t[: m.start],
                    re.I,
                )
            ):
                ctx.exclude[m.value] = t[max(0, m.start - 30) : m.end].strip()
    if ctx.exclude:
        forces.pop(next(iter(ctx.exclude)), None)
        ctx.only_force = next(iter(forces.items())) if len(forces) == 1 else None
    stated = {m.value: m.words for m in every if m.kind == "period" and isinstance(m.value, Period)}
    years = [m for m in every if m.kind == "period" and isinstance(m.value, tuple) and m.value[0] == "year"]
    if all(not m.value[2] and available(Period.calendar(m.value[1]), published) for m in years):
        stated |= {Period.calendar(m.value[1]): m.words for m in years}  # none the article could not have meant
    if len(stated) == 1:
        ctx.only_period = next(iter(stated.items()))
    readings: list[Reading] = []
    for i, sentence in enumerate(said):
        mentions = find_mentions(sentence, vocab, published)
        naming = [(m.start, m.end) for m in mentions if m.kind in ("period", "area")]
        figs = [f for f in figures(sentence) if not any(a <= f.start and f.end <= b for a, b in naming)]
        done: list[Reading] = []
        for fig in figs:
            r = _read(i, sentence, fig, figs, mentions, done, ctx)
            done.append(r)
        readings += done
        _learn(ctx, mentions, sentence, readings=done)
    return Article(title, published, said, readings)


def _learn(ctx: _Context, mentions: list[Mention], sentence: str, from_title=False, readings=()) -> None:
    """What a sentence (or the title) says that later sentences may rely on."""
    areas = [m for m in mentions if m.kind == "area" and m.value != "=force"]
    if areas:
        ctx.area = (areas[-1].value, areas[-1].words)
        forces = [m for m in areas if m.value != "England and Wales"]
        if forces:
            ctx.force = forces[-1].value
    offs = [m for m in mentions if m.kind == "offences" and not str(m.value).startswith("=")]
    for o in offs:
        if o.value not in ctx.named:
            ctx.named.append(o.value)
    if offs:
        ctx.offences = (offs[-1].value, offs[-1].also, offs[-1].note, offs[-1].words)
        if ctx.topic is None:
            ctx.topic = ctx.offences
    outs = [m for m in mentions if m.kind == "outcome" and not str(m.value).startswith("=")]
    if any(m.kind == "suspect" for m in mentions) and any(
        m.kind == "outcome" and m.value == [14, 16] for m in mentions
    ):
        ctx.suspect = True
    if from_title:
        return
    if outs:
        ctx.outcome = (outs[-1].value, outs[-1].words)
    periods = [m for m in mentions if m.kind == "period" and isinstance(m.value, Period)]
    if periods:
        ctx.period, ctx.kind, ctx.period_words = periods[-1].value, periods[-1].value.kind, periods[-1].words
    for r in readings:
        if r.unread:
            continue
        if r.fields.get("period"):
            p = Period.parse(r.fields["period"])
            ctx.period, ctx.kind = p, p.kind
        if r.fields.get("basis"):
            ctx.basis = r.fields["basis"]
            ctx.basis_assumed = any(c.field == "basis" and c.source == ASSUMED for c in r.cues) or any(
                why == "basis" for _, why in r.alternatives
            )
        ctx.last = r
        if r.fields.get("total"):
            ctx.total = r.fields


def _segment(fig: Figure, figs: list[Figure], sentence: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(before, after): the text between the previous figure and this one, and between this one and the next."""
    i = figs.index(fig)
    lo = figs[i - 1].end if i else 0
    hi = figs[i + 1].start if i + 1 < len(figs) else len(sentence)
    return (lo, fig.start), (fig.end, hi)


def _near(mentions, kind, span, fig, direction) -> list[Mention]:
    a, b = span
    found = [m for m in mentions if m.kind == kind and a <= m.start and m.end <= b]
    return sorted(found, key=lambda m: (m.start - fig.end) if direction > 0 else (fig.start - m.end))


def _pick(mentions, kind, fig, back, fwd, *, prefer="fwd") -> tuple[Mention | None, str]:
    """The mention of a kind that governs a figure: in the words after it, then before it, then the nearest in the
    sentence before it, then after it."""
    after = _near(mentions, kind, fwd, fig, 1)
    before = _near(mentions, kind, back, fig, -1)
    order = [after, before] if prefer == "fwd" else [before, after]
    for found in order:
        if found:
            return found[0], "near"
    earlier = [m for m in mentions if m.kind == kind and m.end <= fig.start]
    if earlier:
        return earlier[-1], "sentence"
    later = [m for m in mentions if m.kind == kind and m.start >= fig.end]
    return (later[0], "sentence") if later else (None, "")


def _read(i: int, sentence: str, fig: Figure, figs, mentions, done: list[Reading], ctx: _Context) -> Reading:
    r = Reading(i, sentence, fig)
    back, fwd = _segment(fig, figs, sentence)
    after = sentence[fig.end : fwd[1]]
    before = sentence[back[0] : fig.start]
    # not from this dataset: money, staff, time, courts
    near_words = [
        m
        for m in mentions
        if m.kind == "notdata" and (fig.end <= m.start <= fig.end + 12 or 0 <= fig.start - m.end <= 2)
    ]
    noun_after = [
        m for m in mentions if m.kind == "offences" and m.value != "=general" and 0 <= m.start - fig.end <= 30
    ]
    near_words += [
        m
        for m in mentions
        if m.kind == "notdata"
        and 0 <= fig.start - m.end <= 40
        and not noun_after
        and not [o for o in mentions if o.kind == "offences" and m.end <= o.start < fig.start]
    ]
    if near_words:
        r.unread, r.detail = NOT_FROM_DATASET, f"{near_words[0].value} (“{near_words[0].words}”)"
        return r
    parallel = _parallel(fig, figs, before, done)
    # ---- area
    area_m, _how = _pick(mentions, "area", fig, back, fwd)
    named_before = [m for m in mentions if m.kind == "area" and m.value not in ("=force", "England and Wales")]
    named_before = [m for m in named_before if area_m is not None and m.end <= area_m.start]
    if area_m is not None and area_m.value == "=force" and named_before:
        area, words, src = named_before[-1].value, named_before[-1].words, STATED
    elif area_m is not None and area_m.value == "=force":
        force = ctx.force or (ctx.only_force[0] if ctx.only_force else None)
        area, words, src = (force, area_m.words, CARRIED) if force else (None, "", "")
    elif area_m is not None:
        area, words, src = area_m.value, area_m.words, STATED
        pair = _pair_of_forces(mentions, area_m, sentence)
        if pair:
            area, words = pair
    elif parallel is not None:
        area, words, src = parallel.fields.get("area"), "", CARRIED
    elif ctx.area is not None:
        area, words, src = ctx.area[0], ctx.area[1], CARRIED
    elif ctx.only_force is not None:
        area, words, src = ctx.only_force[0], ctx.only_force[1], ELSEWHERE
    elif not ctx.forces_named and not (area_m is not None and area_m.value == "=force"):
        area, words, src = "England and Wales", "", NATIONAL  # an article that names no police force
    else:
        area, words, src = None, "", ""
    if area is None:
        r.unread, r.detail = NO_AREA, ""
        return r
    r.fields["area"] = area
    r.cues.append(Cue("area", src, words))
    if area == "England and Wales" and ctx.exclude:
        r.fields["exclude"] = list(ctx.exclude)
        r.cues.append(Cue("exclude", ELSEWHERE, "; ".join(ctx.exclude.values())))
    # ---- period
    period, pcue, palts = _period(fig, mentions, back, fwd, ctx, parallel, sentence, done)
    if isinstance(period, str):
        r.unread, r.detail = period, pcue.words if pcue else ""
        return r
    r.fields["period"] = period.label
    r.cues.append(pcue)
    # ---- offences
    offences, ocue, oalts, onote = _offences(fig, mentions, back, fwd, ctx, parallel, after, sentence)
    if offences != "all":
        r.fields["offences"] = offences
    r.cues.append(ocue)
    if onote:
        r.notes.append(onote)
    # ---- outcome, total, share
    i_fig = figs.index(fig)
    total = _is_total(fig, before, after, mentions, fwd, figs[i_fig - 1] if i_fig else None)
    numerator, ncue, nalts, nnote = (
        (None, None, [], "") if total else _outcome(fig, mentions, back, fwd, ctx, parallel, done, sentence)
    )
    if nnote:
        r.notes.append(nnote)
    basis, bcue, balt = _basis(fig, mentions, back, fwd, ctx, period, total, sentence, done)
    if total or numerator is None:
        if fig.unit == "rate" and numerator is None:
            r.unread, r.detail = NO_OUTCOME, ""
            return r
        if numerator is None and fig.unit == "count" and not total:
            r.unread, r.detail = NO_OUTCOME, ""
            return r
    if numerator is not None and "0" in {str(t) for t in (numerator if isinstance(numerator, list) else [])}:
        basis, bcue, balt = (
            "recorded",
            Cue("basis", STATED, "not assigned an outcome (only the offences recorded have one)"),
            "",
        )
    r.fields["basis"] = basis
    r.cues.append(bcue)
    if total:
        r.fields["numerator"] = "all_including_unassigned" if basis == "recorded" else "all"
        r.fields["total"] = True
        r.cues.append(Cue("numerator", TOTAL, fig.text))
    else:
        r.fields["numerator"] = numerator
        r.cues.append(ncue)
    if fig.unit == "rate" or (fig.unit == "change" and fig.change in ("values", "points") and "%" in fig.claimed):
        den, dcue, dnote = _denominator(fig, mentions, fwd, ctx, done, basis, after, sentence)
        r.fields["denominator"] = den
        r.cues.append(dcue)
        if dnote:
            r.notes.append(dnote)
    # ---- the figure as the claim form writes it
    r.fields["claimed"] = fig.claimed
    if fig.unit == "change":
        if fig.change in ("values",) and "%" not in fig.claimed and "denominator" in r.fields:
            del r.fields["denominator"]
        before_p = period.shifted(-1)
        r.fields["change_from"] = before_p.label
        r.cues.append(Cue("change_from", ASSUMED, "the year before"))
    # ---- the other readings it considered
    if balt:
        r.alternatives.append(({"basis": balt, **_other_total(r.fields, balt)}, "basis"))
    for alt_period, why in palts:
        r.alternatives.append(({"period": alt_period.label}, why))
    for alt_off in oalts:
        r.alternatives.append(({"offences": alt_off}, "offences"))
    if fig.change == "relative" and "%" in fig.claimed:  # "a 2% decline" of a rate may be two points
        points = re.sub(r"\s*(?:%|per ?cent|pc)$", " points", fig.claimed)
        r.alternatives.append(
            ({"claimed": points, "denominator": "all_including_unassigned" if basis == "recorded" else "all"}, "points")
        )
    if numerator == [16] and ncue is not None and ncue.source == CARRIED:
        r.alternatives.append(({"numerator": [14, 16]}, "outcome"))
    for alt in nalts:
        r.alternatives.append(({"numerator": alt}, "numerator"))
    return r


def _parallel(fig: Figure, figs: list[Figure], before: str, done: list[Reading]) -> Reading | None:
    """The figure before this one when this one repeats its measure: "59 ..., compared with 17 in 2016", "16,142
    cases ..., with 9,012 cases dropped in Staffordshire", "18, or 3%"."""
    if not done or done[-1].unread:
        return None
    b = before.strip().lower()
    if re.fullmatch(
        r",?\s*(?:compared with|compared to|against|up from|down from|from|with|while|and|or|-|–|\(|,)\s*"
        r"(?:just\s+|around\s+|about\s+|some\s+)?",
        b + " ",
    ):
        return done[-1]
    return None


def _pair_of_forces(mentions, m, sentence) -> tuple[list, str] | None:
    """'Cleveland Police and Durham Constabulary': two forces named together, summed."""
    nxt = [
        x for x in mentions if x.kind == "area" and x.start > m.end and x.value not in ("England and Wales", "=force")
    ]
    if nxt and re.fullmatch(r"\s+and\s+", sentence[m.end : nxt[0].start]):
        return [m.value, nxt[0].value], sentence[m.start : nxt[0].end]
    prev = [
        x for x in mentions if x.kind == "area" and x.end < m.start and x.value not in ("England and Wales", "=force")
    ]
    if prev and re.fullmatch(r"\s+and\s+", sentence[prev[-1].end : m.start]):
        return [prev[-1].value, m.value], sentence[prev[-1].start : m.end]
    return None


def _period(fig, mentions, back, fwd, ctx: _Context, parallel, sentence, done):
    """(period, cue, alternatives) or (why unread, cue, [])."""
    alts: list[tuple[Period, str]] = []
    # "since 2015, when just 13% ...": a period said for the figure after it is not this one's
    mentions = [
        x for x in mentions if not (x.kind == "period" and x.start >= fig.end and x.words.lower().endswith("when"))
    ]
    m, _how = _pick(mentions, "period", fig, back, fwd)
    # a period said after the figure governs it only within its clause ("17 in 2016"); one before governs the rest
    if m is None:
        if parallel is not None:
            return Period.parse(parallel.fields["period"]), Cue("period", CARRIED, "the same period"), alts
        if ctx.period is not None:
            return ctx.period, Cue("period", CARRIED, ctx.period_words), alts
        if ctx.only_period is not None:
            return ctx.only_period[0], Cue("period", ELSEWHERE, ctx.only_period[1]), alts
        return NO_PERIOD, None, []
    value = m.value
    if isinstance(value, Period):
        if not available(value, ctx.published):
            return PERIOD_NOT_PUBLISHED, Cue("period", STATED, m.words), []
        return value, Cue("period", STATED, m.words), alts
    tag = value[0]
    if tag == "same":
        earlier = [
            x
            for x in mentions
            if x.kind == "period" and x.end <= m.start and x.value[0] != "same"
            if isinstance(x.value, tuple)
        ] + [x for x in mentions if x.kind == "period" and x.end <= m.start and isinstance(x.value, Period)]
        if earlier:
            last = max(earlier, key=lambda x: x.end)
            if isinstance(last.value, Period):
                return last.value, Cue("period", STATED, f"{m.words} ({last.words})"), alts
            if last.value[0] == "year":
                return Period.calendar(last.value[1]), Cue("period", STATED, f"{m.words} ({last.words})"), alts
        if ctx.period is not None:
            return ctx.period, Cue("period", CARRIED, m.words), alts
        if ctx.only_period is not None:
            return ctx.only_period[0], Cue("period", ELSEWHERE, ctx.only_period[1]), alts
        return _latest_year(ctx, m.words)  # "over that period", the period not said: the latest published
    if tag == "previous":
        base = ctx.period
        read = [Period.parse(r.fields["period"]) for r in done if r.fields.get("period")]
        earlier = [x for x in done_periods(mentions, m)]
        if read:
            base = read[-1]
        elif earlier:
            base = earlier[-1]
        if base is None:
            return NO_PERIOD, Cue("period", STATED, m.words), []
        return base.shifted(-1), Cue("period", STATED, m.words), alts
    if tag == "last year":
        return _latest_year(ctx, m.words)
    if tag == "year":
        year, said_period = value[1], value[2]
        run = ctx.period if ctx.period is not None and ctx.period.kind == "quarters" and ctx.period.length < 4 else None
        cal = Period.calendar(year)
        if run is not None:
            shifted = run.shifted(year - run.year)
            if not available(shifted, ctx.published):
                return PERIOD_NOT_PUBLISHED, Cue("period", STATED, m.words), []
            return shifted, Cue("period", CARRIED, f"{m.words} ({run.label}, the article's period)"), [(cal, "period")]
        if said_period:
            return NO_PERIOD, Cue("period", STATED, m.words), []
        if not available(cal, ctx.published):
            return PERIOD_NOT_PUBLISHED, Cue("period", STATED, m.words), []
        others = [
            x
            for x in mentions
            if x.kind == "period"
            and x is not m
            and isinstance(x.value, tuple)
            and x.value[0] == "year"
            and not available(Period.calendar(x.value[1]), ctx.published)
        ]
        if others:
            return PERIOD_NOT_PUBLISHED, Cue("period", STATED, others[0].words), []
        return cal, Cue("period", STATED, m.words), alts
    return NO_PERIOD, None, []


def _latest_year(ctx: _Context, words: str):
    """'Last year' (or a year the article does not name): the latest financial or calendar year whose data had been
    published by the article's date, of the kind the article uses when it says; the other kept as another reading."""
    fy = Period.financial(ctx.published.year - 1 if ctx.published.month >= 4 else ctx.published.year - 2)
    cal = Period.calendar(ctx.published.year - 1)
    options = [p for p in (fy, cal) if available(p, ctx.published)]
    if not options:
        options = [fy.shifted(-1), cal.shifted(-1)]
    if ctx.kind in ("financial", "calendar"):
        chosen = next((p for p in options if p.kind == ctx.kind), options[0])
    else:
        chosen = max(options, key=lambda p: p.first + p.length)
    return chosen, Cue("period", ASSUMED, words), [(p, "period") for p in options if p != chosen]


def done_periods(mentions, before: Mention) -> list[Period]:
    return [m.value for m in mentions if m.kind == "period" and isinstance(m.value, Period) and m.end <= before.start]


def _offences(fig, mentions, back, fwd, ctx: _Context, parallel, after: str, sentence: str):
    """(offences in the claim form, cue, other readings, note)."""
    specific = [m for m in mentions if m.kind == "offences" and not str(m.value).startswith("=")]
    a, b = fwd
    # "of <offences>" or "<offences>" right after the figure (within its clause)
    before_text = sentence[back[0] : fig.start]
    own = [] if re.search(r"\bat\s*$", before_text) else [m for m in specific if a <= m.start <= min(b, a + 25)]
    if not own:
        own = [m for m in specific if back[0] <= m.start and m.end <= back[1]]
        own = own[-1:]
    types = re.search(r"\b(two|three|four|five|\d) (?:types|kinds) of (?:offences?|crimes?)", sentence)
    if types and not own:
        n = cl.NUMBER_WORDS.get(types.group(1), None) or int(types.group(1))
        codes = [v["code"] for v in ctx.named if isinstance(v, dict) and "code" in v]
        if len(codes) == n == len(ctx.named):
            return {"codes": codes}, Cue("offences", CARRIED, types.group(0)), [], ""
    if not own:
        general_after = [m for m in mentions if m.value == "=general" and a <= m.start <= a + 25]
        topic_words = [m for m in mentions if m.kind == "offences" and m.value == "=topic"]
        if topic_words and ctx.topic is not None:
            value, also, note, words = ctx.topic
            return value, Cue("offences", CARRIED, topic_words[0].words), list(also), note
        if parallel is not None:
            return parallel.fields.get("offences", "all"), Cue("offences", CARRIED, "the same offences"), [], ""
        every = [m for m in mentions if m.value == "=general" and re.fullmatch(r"crimes|offences", m.words, re.I)]
        if (
            every and not specific
        ):  # "2% decline in crimes", "15% of crimes": every offence  # "2% decline in crimes", "15% of crimes"
            return "all", Cue("offences", STATED, every[0].words), [], ""
        earlier = [m for m in specific if m.end <= fig.start]
        if earlier:
            m = earlier[-1]
            return m.value, Cue("offences", STATED, m.words), list(m.also), m.note
        later = [m for m in specific if m.start >= fig.end]
        if later and not general_after:
            m = later[0]
            return m.value, Cue("offences", STATED, m.words), list(m.also), m.note
        if ctx.offences is not None:
            value, also, note, words = ctx.offences
            return value, Cue("offences", CARRIED, words), list(also), note
        if ctx.topic is not None:
            value, also, note, words = ctx.topic
            return value, Cue("offences", TITLE, words), list(also), note
        words = general_after[0].words if general_after else ""
        return "all", Cue("offences", STATED if words else ASSUMED, words or "every offence"), [], ""
    m = own[0]
    return m.value, Cue("offences", STATED, m.words), list(m.also), m.note


def _is_total(fig: Figure, before: str, after: str, mentions, fwd, previous: Figure | None) -> bool:
    """A count of offences, not of an outcome: 'of 6,742 burglaries reported', '(out of 27,264 cases)', 'there
    were 4,236 instances', '258 rape cases were closed by West Mercia Police', '2,998 offences were made', '81 per
    cent of the 249,235 recorded residential burglaries'."""
    if fig.unit != "count":
        return False
    b = before.lower()
    clause = re.split(r"[,;–—(]| - | but | while | and (?=\d)", after, maxsplit=1)[0]
    end = fwd[0] + len(clause)
    outcome_in_clause = [m for m in mentions if m.kind == "outcome" and fwd[0] <= m.start <= end]
    if re.search(r"out of\s*$", b):
        return True
    if previous is not None and previous.unit == "rate" and re.fullmatch(r"\s*of(?: the)?\s*", b):
        return True  # the rate's own total
    if re.search(r"(?:\bof(?: the)?|\bin the|there were|\btotal of)\s*$", b):
        return not outcome_in_clause
    counted = [m for m in mentions if m.kind in ("basis", "total") and fwd[0] <= m.start <= end]
    return bool(counted) and not outcome_in_clause


def _outcome(fig, mentions, back, fwd, ctx: _Context, parallel, done, sentence: str):
    """(numerator, cue, other readings, note): the outcome a figure counts, and what the vocabulary says of it."""
    numerator, cue = _outcome_of(fig, mentions, back, fwd, ctx, parallel, done, sentence)
    said = [
        m for m in mentions if m.kind == "outcome" and m.value == numerator and cue is not None and m.words in cue.words
    ]
    also = [a for m in said for a in m.also]
    return numerator, cue, also, next((m.note for m in said if m.note), "")


#: a sentence that refers back to the figure before it: "This accounted for 35% of cases", "It was also higher than
#: 38.4% in 2019", "The percentage falls ... at 3.5%"
ANAPHORA = r"\s*(?:this|that|these|it|the (?:figure|percentage|proportion|rate))\b"


def _outcome_of(fig, mentions, back, fwd, ctx: _Context, parallel, done, sentence: str):
    """(numerator, cue) for a figure; (None, None) when no outcome is said (a count is then read as a total)."""
    a, b = fwd
    after, before = sentence[a:b], sentence[back[0] : fig.start]
    clause_end = a + len(re.split(r"[;]| while | but in | whereas ", after, maxsplit=1)[0])
    in_fwd = [m for m in mentions if m.kind == "outcome" and a <= m.start < clause_end]
    in_back = [m for m in mentions if m.kind == "outcome" and back[0] <= m.start and m.end <= back[1]]
    found = in_fwd or in_back
    if (
        not found
        and parallel is not None
        and parallel.fields.get("numerator") not in (None, "all", "all_including_unassigned")
    ):
        return parallel.fields["numerator"], Cue("numerator", CARRIED, "the same outcome")
    if not found:  # the sentence's predicate, further off ("405 violent offences (out of 27,264 cases) with a CR")
        found = sorted(
            (m for m in mentions if m.kind == "outcome"),
            key=lambda m: min(abs(m.start - fig.end), abs(fig.start - m.end)),
        )[:1]
    if not found:
        dropped = re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:were |was )?(?:dropped|discontinued|shelved)\b", after)
        if (
            dropped or re.search(r"\b(?:drop|dropped|discontinued|shelved)[\s,]*$", before)
        ) and ctx.outcome is not None:
            return _refine(ctx.outcome[0], ctx), Cue("numerator", CARRIED, ctx.outcome[1])
        if (
            re.match(r"\s*(?:this|that|these|it|the (?:figure|percentage|proportion|rate|number))\b", sentence, re.I)
            and ctx.outcome is not None
        ):
            return _refine(ctx.outcome[0], ctx), Cue("numerator", CARRIED, ctx.outcome[1])
        return None, None
    values = [m for m in found if not str(m.value).startswith("=")]
    same = [m for m in found if m.value == "=same"]
    if same and done:
        last = next(
            (r for r in reversed(done) if r.fields.get("numerator") not in (None, "all", "all_including_unassigned")),
            None,
        )
        if last is not None:
            return last.fields["numerator"], Cue("numerator", CARRIED, same[0].words)
    if same and ctx.outcome is not None:
        return ctx.outcome[0], Cue("numerator", CARRIED, same[0].words)
    suspect = any(m.kind == "suspect" and fig.start - 90 <= m.start <= fig.end + 90 for m in mentions)
    if not values:
        if (
            re.match(r"\s*(?:this|that|these|it|the (?:figure|percentage|proportion|rate|number))\b", sentence, re.I)
            and ctx.outcome is not None
        ):
            return _refine(ctx.outcome[0], ctx), Cue("numerator", CARRIED, ctx.outcome[1])
        return None, None
    chosen = _combine(values, suspect)
    words = " … ".join(dict.fromkeys(m.words for m in values))
    if chosen == [14, 16] and ctx.suspect and not any(m.value == [14] for m in values):
        return [16], Cue("numerator", CARRIED, f"{words} (the article's suspects known)")
    return chosen, Cue("numerator", STATED, words)


def _refine(numerator, ctx: _Context):
    return [16] if numerator == [14, 16] and ctx.suspect else numerator


def _combine(values: list[Mention], suspect: bool):
    """One outcome from the phrases of a clause: 'a suspect had been identified, but the victim did not support' is
    16; 'no suspect was identified and the victim declined' is 14; the victim supported with evidential
    difficulties is 15."""
    kinds = [m.value for m in values]
    if [15] in kinds:
        return [15]
    if [14] in kinds:
        return [14]
    if [16] in kinds:
        return [16]
    if [14, 16] in kinds:
        if [18] in kinds:
            return [14]
        return [16] if suspect else [14, 16]
    for preferred in ([16], [18], [1], [8], [0], [2, 3], [5, 9, 10, 11, 12, 13, 17], [14, 15, 16]):
        if preferred in kinds:
            return preferred
    return kinds[0]


def _basis(fig, mentions, back, fwd, ctx: _Context, period: Period, total: bool, sentence: str, done=()):
    """(basis, cue, the other basis when the words do not decide)."""
    a = fwd[0]
    words = [m for m in mentions if m.kind == "basis"]
    totals = [m for m in mentions if m.kind == "total"]
    # a basis word qualifying the offences counted: "offences closed", "cases reported", "recorded burglaries"
    near = [
        m
        for m in words
        if (a <= m.start <= a + 60) or (back[0] <= m.start and m.end <= back[1] and fig.start - m.end < 40)
    ]
    near += [m for m in totals if a <= m.start <= a + 60]
    outcome_words = [m for m in mentions if m.kind == "outcome" and m.value != "=suspect"]

    def describes_outcome(m):  # "were closed with the outcome", "closed by the force with no suspect identified"
        return m.value == "closed" and any(
            0 <= o.start - m.end <= 80 and not re.search(r"[,;]", sentence[m.end : o.start]) for o in outcome_words
        )

    deciding = [m for m in near if not describes_outcome(m)]
    if deciding:
        m = deciding[0]
        value = m.value
        loose = m.words.lower() in ("reported", "made", "opened", "logged") or (ctx.basis and ctx.basis != value)
        return value, Cue("basis", STATED, m.words), ("closed" if value == "recorded" else "recorded") if loose else ""
    same = [r for r in done if not r.unread and r.fields.get("period") == period.label]
    if same:
        return same[-1].fields["basis"], Cue("basis", CARRIED, same[-1].figure.text), ""
    if ctx.total is not None and ctx.total.get("period") == period.label and not total:
        return ctx.total["basis"], Cue("basis", CARRIED, "the total it is part of"), ""
    if ctx.basis:  # the article's basis; when that was assumed, the other is still kept
        other = ("closed" if ctx.basis == "recorded" else "recorded") if ctx.basis_assumed else ""
        return ctx.basis, Cue("basis", CARRIED, ""), other
    basis = "recorded" if period.kind in ("financial", "year ending") else "closed"
    return basis, Cue("basis", ASSUMED, period.kind), "closed" if basis == "recorded" else "recorded"


def _other_total(fields: dict, basis: str) -> dict:
    """The numerator and denominator of a total on the other basis."""
    out = {}
    if fields.get("total"):
        out["numerator"] = "all_including_unassigned" if basis == "recorded" else "all"
    if fields.get("denominator") in ("all", "all_including_unassigned"):
        out["denominator"] = "all_including_unassigned" if basis == "recorded" else "all"
    return out


def _denominator(fig, mentions, fwd, ctx: _Context, done, basis, after, sentence=""):
    """(denominator, cue, note) of a share."""
    a = fwd[0]
    named = [m for m in mentions if m.kind == "denominator" and a <= m.start <= a + 30]
    if named:
        return named[0].value, Cue("denominator", STATED, named[0].words), named[0].note
    base = re.match(r"\s*Of (?:the|those) [^,\d]{0,200},", sentence)
    said = [m for m in mentions if m.kind == "outcome" and base and m.end <= base.end() and m.value != "=same"]
    if (
        said and fig.start >= base.end()
    ):  # "Of the cases dropped ... after a victim did not support further action, ..."
        values = [m for m in said if not str(m.value).startswith("=")]
        if values:
            return _combine(values, False), Cue("denominator", STATED, base.group(0).strip(" ,")), ""
    base = "all_including_unassigned" if basis == "recorded" else "all"
    totals = [r for r in done if r.fields.get("total")]
    if totals:
        return totals[-1].fields["numerator"], Cue("denominator", CARRIED, totals[-1].figure.text), ""
    return (
        base,
        Cue("denominator", ASSUMED, "every offence recorded" if basis == "recorded" else "every offence closed"),
        "",
    )


# ------------------------------------------------------------------------------------------------ publication dates
def published_date(text: str) -> dt.date | None:
    """'2018-09-08' -> that day; '2018-09 (PA analysis released 6 September 2018...)' -> 6 September 2018;
    '2019-04 (...)' -> 1 April 2019 (None when it names no month)."""
    t = str(text)
    m = re.search(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b", t)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(rf"\b(\d{{1,2}}) ({_MONTH}) ((?:19|20)\d\d)\b", t, re.I)
    if m:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = re.search(r"\b((?:19|20)\d\d)-(\d\d)\b", t)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), 1)
    return None
