"""The house style of the stories (docs/style.md), checked on every version before it is written: a version that
breaks a rule fails the stories step in one line naming the story, the version and the rule, as a figure the audit
does not reproduce does.

Each rule is a function of a written story (publish/words/story.py) returning what breaks it; RULES names them in the
order docs/style.md gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import readback

#: the sections a reader reads (the notes to editors are for the newsroom)
READER = ("headline", "intro", "body", "quality", "change", "comparison", "caveats")
HEADLINE_WORDS = 14
#: words only the people who build the pages understand
BUILD_WORDS = re.compile(
    r"\b(?:edition|editions|config|spec|specs|stamp|parquet|yaml|json|csv|notebook|papermill|placeholder)\b"
    r"|\b[\w-]+\.(?:md|html|yaml|yml|csv|json|py|ipynb|parquet)\b|`",
    re.IGNORECASE,
)


def _reader(story) -> list:
    return [s for s in story.sentences if s.section in READER]


def headline_length(story) -> list[str]:
    n = len(story.headline.split())
    return [f"the headline has {n} words, more than {HEADLINE_WORDS}: {story.headline!r}"] if n > HEADLINE_WORDS else []


def headline_caveat(story) -> list[str]:
    found = re.search(r"(?i)\b(?:though|although|incomplete|caveat|however|but)\b|\(", story.headline)
    return [f"the headline carries a caveat ({found.group(0)!r}): say it in the story"] if found else []


def small_numbers_in_words(story) -> list[str]:
    """One to nine in words (counts and ordinals); 10 and over in figures."""
    out = []
    for s in _reader(story):
        masked = s.text
        for lab in story.labels:
            masked = masked.replace(lab, " " * len(lab)) if lab else masked
        covered = [(m.start(), m.end()) for p in readback.NAMING for m in p.finditer(masked)]
        for m in re.finditer(r"(?<![\w.,])(\d)(?:st|nd|rd|th)?(?![\w.,%]|\.\d)", masked):
            if not any(a <= m.start() and m.end() <= b for a, b in covered):
                out.append(f"{m.group(0)!r} in {_clip(s.text)!r}: one to nine are written in words ('nine', 'ninth')")
    return out


def no_optional_plural(story) -> list[str]:
    return [
        f"'(s)' in {_clip(s.text)!r}: choose the singular or the plural" for s in story.sentences if "(s)" in s.text
    ]


def no_build_words(story) -> list[str]:
    out = []
    for s in story.sentences:
        if s.section == "notes":
            continue
        for m in BUILD_WORDS.finditer(s.text):
            out.append(f"{m.group(0)!r} in {_clip(s.text)!r}: a word only the people who build the pages understand")
    return out


def one_noun(story) -> list[str]:
    """The table counts offences: a story says 'cases' only where its noun does."""
    noun = story.noun.lower()
    if "case" in noun:
        return []
    return [
        f"'cases' in {_clip(s.text)!r}: the story counts {noun or 'offences'}; use that noun throughout"
        for s in _reader(story)
        if re.search(r"(?i)\bcases?\b", s.text)
    ]


def no_repeated_figure(story) -> list[str]:
    """No sentence repeats a figure another sentence printed (the headline's figure may be the intro's)."""
    out, seen = [], {}
    for i, s in enumerate(story.sentences):
        for f in s.figures:
            if f.claim is None:
                continue
            key = _identity(f)
            first = seen.get(key)
            if (
                first is not None
                and first != i
                and {story.sentences[first].section, s.section} != {"headline", "intro"}
            ):
                earlier = _clip(story.sentences[first].text)
                out.append(f"{str(f.printed)!r} in {_clip(s.text)!r} repeats a figure of {earlier!r}")
            seen.setdefault(key, i)
    return out


def no_doubled_words(story) -> list[str]:
    out = []
    for s in story.sentences:
        m = re.search(r"(?i)\b(in|from|of|the|to|a|and|by|for)\s+\1\b", s.text)
        if m:
            out.append(f"{m.group(0)!r} in {_clip(s.text)!r}: a word printed twice")
    return out


def _identity(f) -> tuple:
    """A figure's quantity: the measure, area and period it states (a statement or a rank is its own)."""
    if f.printed.value is None or "precision" in f.claim:
        return (id(f.claim),)
    keys = ("area", "period", "basis", "offences", "numerator", "denominator")
    return tuple(repr(f.claim.get(k)) for k in keys)


def _clip(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


RULES: dict[str, Callable] = {
    "headline of at most 14 words": headline_length,
    "no caveat in a headline": headline_caveat,
    "one to nine in words": small_numbers_in_words,
    "no '(s)'": no_optional_plural,
    "no build words in reader text": no_build_words,
    "one counted noun": one_noun,
    "no figure printed twice": no_repeated_figure,
    "no word printed twice in a row": no_doubled_words,
}


def check(story, what: str) -> list[str]:
    """Every rule's problems, one line each: '<what>: house style (<rule>): <problem>'."""
    return [f"{what}: house style ({rule}): {p}" for rule, fn in RULES.items() for p in fn(story)]
