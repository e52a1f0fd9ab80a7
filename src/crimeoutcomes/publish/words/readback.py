"""The audit reads what was printed: every figure and every statement a story's sentences print is read back from
the final text and matched to the claim recorded with it, so the claims engine audits the text as a reader sees it,
not the value the engine meant to print.

A sentence's *tokens* are the pieces of text a reader takes as figures or statements: numbers ("5,534", "29.8%",
"nine", "none"), ranks ("joint ninth highest"), records ("highest since 2015") and the statements of the claims
engine's vocabulary ("up", "a sharp rise", "higher than the national rate", "smaller than the national rise").
Numbers that name rather than count (years, financial years and quarters, outcome types and offence codes, a
licence's version) are not figures (NAMING); nor are the words that come from the data's own descriptions (an
offence description such as "aged 16 and over").

Every token must be exactly where a figure was put, and every figure must be read as a token there; the text read
becomes the claim's `claimed`. Anything else is a problem, one line naming the sentence.
"""

from __future__ import annotations

import re

from . import numbers

DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMBER = re.compile(rf"(?<![\w.])[-+−]?{DIGITS}(?![\w])")
#: numbers that name rather than count, by the words around them (the match is the whole phrase); also used by the
#: page check (tools/check_numbers.py)
NAMING = [
    re.compile(p)
    for p in (
        r"\b(?:19|20)\d\d-\d\d-\d\d\b",  # ISO dates: 2018-10-29
        r"\b(?:19|20)\d\d/\d\d(?: Q[1-4](?:[-–]Q[1-4])?)?",  # financial years and quarters: 2018/19 Q1-Q2
        r"\b(?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?\b",  # years and spans: 2018, 2019-20, 2019-2020
        r"\bQ[1-4]\b",
        r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
        r"\b(?:outcome|outcomes|type|types|outcome types?|codes?|offence codes?|except)\s+\d+(?:\.\d+)?[A-Z]?"
        r"(?:(?:\s*(?:\+|,|or|and|to|-|–)\s*)\d+(?:\.\d+)?[A-Z]?)*",
        r"\(\d+(?:\s*\+\s*\d+)+\)",  # (14 + 16)
        r"\b\d+ (?:or|\+|/) \(?\d+\b",  # 14 or 16, 14 + 16, 16 / (14
        r"\b\d+[A-Z]\b",  # offence codes: 28E, 19C
        r"\bv\d+(?:\.\d+)?\b",  # licence versions
        r"\bnotes? \d+(?:(?:, | and )\d+)*",  # note references
        r"\b1 = (?:highest|lowest)\b",
        r"\bsha256\b",
        r"\b0 \(not yet assigned\)",
        r"^\d+[a-z]?: ",  # an outcome type's label: "16: Evidential difficulties"
        r"\bheader row \d+\b",
    )
]

_ORDINALS = r"(?:\d+(?:st|nd|rd|th)|" + "|".join(numbers.ORDINAL_WORDS) + ")"
#: the tokens, the longest forms first
TOKEN = re.compile(
    "|".join(
        rf"(?:{p})"
        for p in (
            r"\b(?:highest|lowest) since (?:19|20)\d\d(?:/\d\d)?\b",
            rf"\b(?:joint )?(?:{_ORDINALS} )?(?:highest|lowest)\b",
            r"\b(?:higher than|lower than|the same as) the national (?:rate|figure|share)\b",
            r"\b(?:rose|fell) (?:more than|less than|as much as) the national (?:rate|figure)\b",
            r"\b(?:larger than|smaller than|the same as) the national (?:rise|fall)\b",
            r"\ban? (?:sharp|modest) (?:rise|fall)\b",
            r"\b(?:up|down|unchanged)\b",
            rf"(?<![\w.])[-+−]?{DIGITS}%",
            rf"(?<![\w.])[-+−]?{DIGITS}(?![\w])",
            r"\b(?:" + "|".join(numbers.WORDS[:10]) + r")\b",
            rf"\b{_ORDINALS}\b",
        )
    ),
    re.IGNORECASE,
)


def _covered(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for p in NAMING for m in p.finditer(text)]


def _masked(text: str, labels: list[str], keep: list[tuple[int, int]]) -> str:
    """The text with the data's own words blanked out (same length), except where a figure was put."""
    out = list(text)
    for label in sorted({lab for lab in labels if lab}, key=len, reverse=True):
        for m in re.finditer(re.escape(label), text):
            if not any(a < m.end() and m.start() < b for a, b in keep):
                out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


def tokens(text: str, labels: list[str] = (), keep: list[tuple[int, int]] = ()):
    """(start, end) of every figure or statement a reader sees in the text."""
    masked = _masked(text, list(labels), list(keep))
    covered = _covered(masked)
    found = []
    for m in TOKEN.finditer(masked):
        if m.group(0).isdigit() and re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
            continue  # a year
        if any(a <= m.start() and m.end() <= b for a, b in covered):
            continue
        found.append((m.start(), m.end()))
    return found


def read(story, what: str) -> list[str]:
    """Read every sentence of a story back: each figure's `read` is set to the text printed at its place; the
    problems (a token no figure stands behind, a figure not printed as a token) are returned, one line each, named
    by `what` ("story rape-charge, version Kent")."""
    problems = []
    for s in story.sentences:
        spans = {f.span: f for f in s.figures}
        seen = set()
        for a, b in tokens(s.text, story.labels, list(spans)):
            f = spans.get((a, b))
            if f is None:
                problems.append(
                    f"{what}: {s.text[a:b]!r} in {_clip(s.text)!r} reads as a figure or a statement that no claim "
                    "stands behind (a number typed into the spec's text, or a word the audit reads as a comparison)"
                )
                continue
            f.read = s.text[a:b]
            seen.add((a, b))
        for span, f in spans.items():
            if span not in seen:
                problems.append(
                    f"{what}: the figure {str(f.printed)!r} of {_clip(s.text)!r} is not printed as a figure where "
                    f"it was put (the text there reads {s.text[span[0] : span[1]]!r})"
                )
    return problems


def _clip(text: str) -> str:
    return text if len(text) <= 90 else text[:87] + "..."


def read_chart(texts: dict[str, str], story, labels: list[str], what: str) -> list[str]:
    """A version's chart (its title, alt text and caption: `texts`) prints only figures its story prints: every token
    must be the printed text of one of the story's figures, so a chart cannot state a number the audit has not
    checked."""
    printed = {str(f.printed).lower() for f in story.figures}
    problems = []
    for part, text in texts.items():
        for a, b in tokens(text, labels):
            if text[a:b].lower() not in printed:
                problems.append(
                    f"{what}: the chart's {part} prints {text[a:b]!r}, which the story does not print (and the audit "
                    f"did not check): {_clip(text)!r}"
                )
    return problems
