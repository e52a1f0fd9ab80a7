"""Localised stories, as a newsroom's template desk writes them: one template with wording for each scenario (a sharp
or modest rise, a fall, no change, a record high or low within the years of the data, above or below England and
Wales, a rank among forces with ties said as ties, small numbers, missing or partial supply), a version for every
police force, and every figure a version prints recorded as a claim in the general claim form so that the claims
engine audits it in the same run.

The figures come from analysis/stories.py (exact numbers); every number is formatted once (publish/numbers.py).
The words: a spec's own phrases where it gives them, else the data's offence and outcome descriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..analysis import measures as m
from ..analysis import stories
from ..analysis.periods import Period
from ..data import tables
from . import html, numbers, wording
from .numbers import Printed

#: what the offences of a measure's numerator did, for one outcome type or a known set (plural, past tense)
OUTCOME_PHRASES = {
    ("1",): "led to a charge or summons",
    ("2",): "ended with a youth caution",
    ("3",): "ended with an adult caution",
    ("4",): "were taken into consideration",
    ("5",): "ended because the offender had died",
    ("6",): "ended with a penalty notice for disorder",
    ("7",): "ended with a cannabis or khat warning",
    ("8",): "ended with a community resolution",
    ("9",): "were not prosecuted because the Crown Prosecution Service judged it not in the public interest",
    ("10",): "were not pursued because the police judged it not in the public interest",
    ("11",): "could not be prosecuted because the suspect was under age",
    ("12",): "could not be prosecuted because the suspect was too ill",
    ("13",): "could not be prosecuted because the victim or a key witness had died or was too ill",
    ("14",): "were closed with no suspect identified after the victim did not support further action",
    ("15",): "were closed for lack of evidence although a suspect was identified and the victim supported action",
    ("16",): "were closed because the victim did not support further action although a suspect was identified",
    ("17",): "were closed because the time limit for a prosecution had passed",
    ("18",): "were closed with no suspect identified",
    ("19",): "were filed by the National Fraud Intelligence Bureau",
    ("20",): "were passed to another body to investigate",
    ("21",): "were not investigated further because the police judged it not in the public interest",
    ("22",): "ended with diversionary, educational or intervention activity",
    ("14", "16"): "were closed because the victim did not support further action",
    ("1", "2", "3"): "led to a charge, a summons or a caution",
}
#: plural noun phrases for common offence codes, groups and subgroups (others are worded from their names)
NOUNS = {
    ("codes", ("28E",)): "residential burglaries",
    ("codes", ("28F",)): "attempted residential burglaries",
    ("codes", ("28", "28A")): "burglaries in a dwelling",
    ("codes", ("30C",)): "burglaries of business and community premises",
    ("codes", ("45",)): "thefts from vehicles",
    ("codes", ("48",)): "thefts of motor vehicles",
    ("codes", ("46",)): "shoplifting offences",
    ("codes", ("8L",)): "harassment offences",
    ("codes", ("19C",)): "rapes of women aged 16 and over",
    ("codes", ("19C", "19D", "19E")): "rapes of women and girls",
    ("codes", ("19C", "19D", "19E", "19F", "19G", "19H")): "rapes",
    ("subgroup", ("rape",)): "rapes",
    ("group", ("robbery",)): "robberies",
}
_UNCOUNTED = ("harassment", "arson", "fraud", "stalking", "shoplifting", "damage", "trafficking", "possession")


def plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def noun_phrase(name: str) -> str:
    """An offence group or subgroup's name as a plural noun phrase: 'Domestic burglary' -> 'domestic burglaries',
    'Theft from a vehicle' -> 'thefts from a vehicle', 'Criminal damage and arson' -> 'criminal damage and arson
    offences'."""
    text = name.strip()
    low = text[0].lower() + text[1:] if text else text
    words = low.split()
    if not words:
        return "offences"
    if words[-1] in ("offences", "crimes") or low.endswith(" offences"):
        return low
    if any(w.rstrip(",") in _UNCOUNTED for w in words) or words[-1].endswith("ing"):
        return f"{low} offences"
    for i, w in enumerate(words[1:], start=1):
        if w in ("of", "from", "in", "with", "without", "by"):
            words[i - 1] = plural(words[i - 1])
            return " ".join(words)
    words[-1] = plural(words[-1])
    return " ".join(words)


def noun(spec: stories.Spec, ds: m.Dataset) -> str:
    """What the measure counts, in the plural: the spec's own, a known phrase, or words from the data."""
    scope = spec.measure.offences
    if spec.noun:
        return spec.noun
    if scope.kind == "all":
        return "offences"
    key = (scope.kind, tuple(v if scope.kind == "codes" else v.lower() for v in scope.values))
    if key in NOUNS:
        return NOUNS[key]
    if scope.kind == "codes":
        described = _descriptions(ds, scope.values)
        if len(scope.values) == 1:
            return f"offences coded {scope.values[0]} ({described[0]})"
        return f"offences coded {wording.join(list(scope.values))}"
    return noun_phrase(scope.values[0])


def _descriptions(ds: m.Dataset, codes) -> list[str]:
    t = ds.tidy[["offence_code", "offence_description"]].drop_duplicates("offence_code")
    known = dict(zip(t["offence_code"].astype(str), t["offence_description"].astype(str)))
    return [known.get(c, c) for c in codes]


def numerator_phrase(spec: stories.Spec) -> str:
    if spec.phrases.get("numerator"):
        return spec.phrases["numerator"]
    s = spec.measure.numerator
    if s.kind == "types" and s.types in OUTCOME_PHRASES:
        return OUTCOME_PHRASES[s.types]
    if s.kind == "types":
        return f"ended with outcome {wording.join(list(s.types)).replace(' and ', ' or ')}"
    if s.kind == "all_except":
        return f"ended with an outcome other than {wording.join(list(s.types)).replace(' and ', ' or ')}"
    return "were given an outcome"


def _verb(spec: stories.Spec) -> str:
    """What the denominator counts: offences recorded (recorded basis) or closed (closed basis)."""
    return "recorded" if spec.measure.basis == "recorded" else "closed"


def when(period: Period) -> str:
    """A period as a sentence says it: '2018', 'the year to March 2019', 'April to September 2018'."""
    if period.kind == "calendar":
        return str(period.year)
    if period.kind == "financial":
        return f"the year to March {period.year + 1}"
    if period.kind == "year ending":
        fy, q = period.quarters[-1]
        _, last, later = wording.MONTHS[q]
        return f"the year to {last} {int(fy[:4]) + later}"
    return wording.join(wording.spans(list(period.quarters)))


def during(period: Period) -> str:
    """A period with its preposition, as a sentence says it: 'in 2018', 'in the year to March 2019', 'from January
    to September 2018'."""
    text = when(period)
    if period.kind in ("calendar", "financial", "year ending") or " to " not in text:
        return f"in {text}"
    return f"from {text}"


# ------------------------------------------------------------------------------------------- the story
@dataclass
class Figure:
    printed: Printed
    claim: dict  # the general claim form (without id, article and quote)
    sentence: int = -1


@dataclass
class Sentence:
    section: str  # headline | intro | body | comparison | caveats | notes
    text: str
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Story:
    spec_id: str
    title: str  # the spec's title (the story's topic)
    force: str
    slug: str
    sentences: list[Sentence]
    caveats: list[m.Flag]
    ready: bool

    @property
    def headline(self) -> str:
        return next((s.text for s in self.sentences if s.section == "headline"), "")

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sentences for f in s.figures]

    def section(self, name: str) -> str:
        return " ".join(s.text for s in self.sentences if s.section == name)

    def markdown(self) -> str:
        """The story as plain text a journalist pastes: headline, intro, body, the England and Wales comparison,
        caveats, and a notes-to-editors line."""
        parts = [f"# {self.headline}", ""]
        for name in ("intro", "body", "comparison"):
            if self.section(name):
                parts += [self.section(name), ""]
        if self.section("caveats"):
            parts += ["Caveats: " + self.section("caveats"), ""]
        parts += ["Notes to editors: " + self.section("notes"), ""]
        return "\n".join(parts)

    def html_section(self, name: str) -> str:
        return " ".join(html.mark(s.text, [f.printed for f in s.figures]) for s in self.sentences if s.section == name)

    def text(self) -> str:
        """The story in one paragraph (intro, body and comparison)."""
        return " ".join(self.section(n) for n in ("intro", "body", "comparison") if self.section(n))


class _Writer:
    """Builds sentences whose every figure is recorded with its claim."""

    def __init__(self):
        self.sentences: list[Sentence] = []
        self._pending: list[Figure] = []

    def fig(self, printed: Printed, claim: dict) -> str:
        self._pending.append(Figure(printed, claim))
        return str(printed)

    def say(self, section: str, text: str) -> None:
        text = text.strip()
        text = text[0].upper() + text[1:] if text else text
        idx = len(self.sentences)
        for f in self._pending:
            f.sentence = idx
        self.sentences.append(Sentence(section, text, self._pending))
        self._pending = []


def _claim(spec: stories.Spec, area: m.Area, period: Period, numerator, denominator, claimed: str, **extra) -> dict:
    out = {
        "area": area.name,
        "period": period.label,
        **{k: v for k, v in spec.measure.claim_form().items() if k not in ("numerator", "denominator")},
        "numerator": stories._set_form(numerator),
        "claimed": claimed,
    }
    if denominator is not None:
        out["denominator"] = stories._set_form(denominator)
    if area.is_ew:
        out["exclude"] = list(area.exclude)
    out.update(extra)
    return out


def write(v: stories.Version, ds: m.Dataset, release_of: dict[str, str]) -> Story:
    """One force's version of a story."""
    spec, force, now = v.spec, v.force, v.now
    w = _Writer()
    place, noun_ = force.prose, noun(spec, ds)
    verb, numphrase, period_words = _verb(spec), numerator_phrase(spec), during(v.period)
    meas = spec.measure
    th = spec.thresholds
    caveats: list[m.Flag] = list(dict.fromkeys(now.result.caveats))

    def count_fig(p: stories.Point, which: str) -> str:
        sets = (meas.numerator, None) if which == "numerator" else (meas.denominator or m.ALL, None)
        n = p.numerator if which == "numerator" else p.denominator
        if which == "numerator" and n is not None and 0 <= n < th["small"]:
            return "fewer than " + w.fig(
                numbers.words(th["small"], key="threshold"),
                _claim(spec, p.area, p.period, sets[0], None, f"fewer than {th['small']}"),
            )
        printed = numbers.count(n, key=f"{which}:{p.area.name}:{p.period.label}")
        return w.fig(printed, _claim(spec, p.area, p.period, sets[0], None, str(printed)))

    def rate_fig(p: stories.Point) -> str:
        printed = numbers.percent(p.rate, 1, key=f"rate:{p.area.name}:{p.period.label}")
        return w.fig(printed, _claim(spec, p.area, p.period, meas.numerator, meas.denominator, str(printed)))

    has_rate = meas.is_rate and now.computable and (now.denominator or 0) >= th["min_denominator"]
    if not now.computable:
        w.say("headline", f"{spec.title}: no figure for {place} {period_words}")
        w.say(
            "intro",
            f"No figure can be given for {place} for {when(v.period)}: {wording.gaps_text(now.result.missing)}.",
        )
        _notes(w, spec, ds, v, noun_, release_of)
        return Story(spec.id, spec.title, force.name, force.slug, w.sentences, caveats, ready=False)

    # the headline and the intro: a total that includes a quarter of the force's that looks incomplete says so in
    # the same sentence
    incomplete = [f for f in caveats if f.force == force.name and f.kind in (m.LOW, m.PARTLY_PROVIDED)]
    quarters = wording.join(wording.spans([(f.financial_year, f.quarter) for f in incomplete]))
    though = f", though its figures for {quarters} look incomplete" if incomplete else ""
    including = f" (a total that includes {quarters}, when its figures look incomplete)" if incomplete else ""
    if has_rate:
        w.say(
            "headline",
            spec.phrases.get("headline", "{rate} of {noun} {verb} by {place} {period} {numerator}").format(
                rate=rate_fig(now), noun=noun_, verb=verb, place=place, period=period_words, numerator=numphrase
            )
            + though,
        )
    else:
        w.say(
            "headline",
            f"{count_fig(now, 'numerator')} {noun_} {verb} by {place} {period_words} {numphrase}{though}",
        )
    if meas.is_rate:
        w.say(
            "intro",
            f"Of the {count_fig(now, 'denominator')} {noun_} {verb} by {place} {period_words}{including}, "
            f"{count_fig(now, 'numerator')} {numphrase}, Home Office figures show.",
        )
    else:
        w.say(
            "intro",
            f"{place} had {count_fig(now, 'numerator')} {noun_} that {numphrase} {period_words}{including}, "
            "Home Office figures show.",
        )

    # the rate, the change, a record (or the spec's own sentences); the force's own incomplete quarters said next to
    # its figures
    if spec.template:
        _template(w, v, has_rate, count_fig, rate_fig, period_words, noun_, numphrase)
    else:
        _change(w, v, has_rate, count_fig, rate_fig, period_words, release_of, caveats)
    for text in wording.story_caveats(caveats, force.name)[0]:
        w.say("body", text)
    # England and Wales, and the rank
    _comparison(w, v, has_rate, count_fig, rate_fig, noun_, verb, numphrase, period_words, caveats)
    for a in spec.also:
        mine, ew = v.also[a.id]
        if not mine.computable or not mine.denominator:
            continue
        sub = (a.numerator, a.denominator)
        share = numbers.percent(mine.rate, 0, key=f"also:{a.id}:{force.name}")
        part_p, whole_p = numbers.count(mine.numerator), numbers.count(mine.denominator)
        part = w.fig(part_p, _claim(spec, mine.area, mine.period, a.numerator, None, str(part_p)))
        whole = w.fig(whole_p, _claim(spec, mine.area, mine.period, a.denominator, None, str(whole_p)))
        share_text = w.fig(share, _claim(spec, mine.area, mine.period, *sub, str(share)))
        text = f"In {part} of those {whole} cases ({share_text}), {a.phrase}"
        if ew.computable and ew.rate is not None:
            ew_share = numbers.percent(ew.rate, 0, key=f"also:{a.id}:{m.EW}")
            same = numbers.compare(share, ew_share) == 0
            text += (
                ", the same share as across England and Wales"
                if same
                else f", compared with {w.fig(ew_share, _claim(spec, ew.area, ew.period, *sub, str(ew_share)))} "
                "across England and Wales"
            )
        w.say("comparison", text + ".")

    # caveats, said plainly
    for text in wording.story_caveats(caveats, force.name)[1]:
        w.say("caveats", text)
    _notes(w, spec, ds, v, noun_, release_of)
    return Story(spec.id, spec.title, force.name, force.slug, w.sentences, caveats, ready=not caveats)


def _template(w, v, has_rate, count_fig, rate_fig, period_words, noun_, numphrase) -> None:
    """The spec's own body sentences, each figure recorded with its claim like the default template's."""
    ew_rate = (
        v.ew.computable and v.ew.rate is not None and (v.ew.denominator or 0) >= v.spec.thresholds["min_denominator"]
    )
    figures = {
        "numerator_count": (v.now.computable, lambda: count_fig(v.now, "numerator")),
        "denominator_count": (v.now.computable and v.spec.measure.is_rate, lambda: count_fig(v.now, "denominator")),
        "rate": (has_rate, lambda: rate_fig(v.now)),
        "ew_numerator_count": (v.ew.computable, lambda: count_fig(v.ew, "numerator")),
        "ew_denominator_count": (v.ew.computable and v.spec.measure.is_rate, lambda: count_fig(v.ew, "denominator")),
        "ew_rate": (ew_rate, lambda: rate_fig(v.ew)),
    }
    words = {"place": v.force.prose, "period": period_words, "noun": noun_, "numerator": numphrase}
    for sentence in v.spec.template:
        used = list(dict.fromkeys(re.findall(r"{(\w+)}", sentence)))  # in the order the sentence prints them
        if any(not figures[u][0] for u in used if u in figures):
            continue  # a figure the data cannot give: the sentence is left out
        assert set(used) <= set(stories.PLACEHOLDERS), used  # the spec loader refuses any other
        values = {**words, **{u: figures[u][1]() for u in used if u in figures}}
        w.say("body", sentence.format(**values))


def _change(w, v, has_rate, count_fig, rate_fig, period_words, release_of, caveats) -> None:
    spec, now, before = v.spec, v.now, v.before
    lead = f"That is a rate of {rate_fig(now)}" if has_rate else ""
    if before is None or spec.compare == "none":
        if lead:
            w.say("body", lead + ".")
        return
    earlier = when(before.period)
    if (
        not before.computable
        or before.value is None
        or (has_rate and (before.denominator or 0) < spec.thresholds["min_denominator"])
    ):
        if lead:
            w.say("body", lead + ".")
        why = wording.gaps_text(before.result.missing) if not before.computable else "too few offences to compare"
        w.say("body", f"It cannot be compared with {earlier}: {why}.")
        return
    caveats.extend(f for f in before.result.caveats if f not in caveats)
    if has_rate:
        prev = numbers.percent(before.rate, 1)
        now_p = numbers.percent(now.rate, 1)
        diff = now.rate - before.rate
        sharp = abs(diff) >= spec.thresholds["sharp"]
        prev_text = rate_fig(before)
    else:
        prev, now_p = numbers.count(before.numerator), numbers.count(now.numerator)
        diff = now.numerator - before.numerator
        sharp = before.numerator and abs(diff) / abs(before.numerator) * 100 >= spec.thresholds["sharp"]
        prev_text = count_fig(before, "numerator")
    c = numbers.compare(now_p, prev)
    if c == 0:
        change = f"the same as in {earlier}"
    else:
        size = "sharp" if sharp else "modest"
        change = f"{'up' if c > 0 else 'down'} from {prev_text} in {earlier}, a {size} {'rise' if c > 0 else 'fall'}"
    sentence = (lead + ", " + change) if lead else f"That was {change}"
    rec = stories.record(v)
    if rec:
        first = v.series[0].period
        years = numbers.count(len(v.series), key="years")
        claim = _claim(
            spec,
            now.area,
            now.period,
            spec.measure.numerator,
            spec.measure.denominator,
            f"{'highest' if rec == 'high' else 'lowest'} since {first.year}",
        )
        sentence += (
            f", and the {'highest' if rec == 'high' else 'lowest'} of the "
            f"{w.fig(years, claim)} years the data cover, back to {when(first)}"
        )
    revisions = tables.releases_for(before.period.financial_years, release_of) != tables.releases_for(
        now.period.financial_years, release_of
    )
    if revisions:
        sentence += (
            " (the two years come from different releases of the data, so revisions may explain part of the change)"
        )
    w.say("body", sentence + ".")


def _comparison(w, v, has_rate, count_fig, rate_fig, noun_, verb, numphrase, period_words, caveats) -> None:
    spec, now, ew = v.spec, v.now, v.ew
    place = v.force.prose
    ew_name = wording.area_name(ew.area, ew.result.left_out)
    if ew.computable:
        caveats.extend(f for f in ew.result.caveats if f not in caveats)
        if has_rate and ew.rate is not None:
            mine_p, ew_p = numbers.percent(now.rate, 1), numbers.percent(ew.rate, 1)
            c = numbers.compare(mine_p, ew_p)
            how = "the same as" if c == 0 else ("higher than" if c > 0 else "lower than")
            w.say(
                "comparison",
                f"Across {ew_name}, {count_fig(ew, 'numerator')} of {count_fig(ew, 'denominator')} "
                f"{noun_} {verb} {period_words} {numphrase}, a rate of {rate_fig(ew)}: "
                f"{wording.possessive(place)} rate was {how} the national rate.",
            )
        else:
            w.say(
                "comparison",
                f"Across {ew_name}, {count_fig(ew, 'numerator')} {noun_} {verb} {period_words} {numphrase}.",
            )
    if v.rank is not None and v.ranked > 1:
        from_bottom = v.ranked - v.rank + 1
        joint = "joint " if v.tied else ""
        if v.rank <= from_bottom:
            words = "highest" if v.rank == 1 else f"{_nth(v.rank)} highest"
        else:
            words = "lowest" if from_bottom == 1 else f"{_nth(from_bottom)} lowest"
        claim = _claim(
            spec,
            now.area,
            now.period,
            spec.measure.numerator,
            spec.measure.denominator,
            f"{v.rank} of {v.ranked}",
            rank=True,
            min_denominator=spec.thresholds["min_denominator"],
        )
        what = "rate" if has_rate else "figure"
        place_words = w.fig(Printed(f"{joint}{words}", v.rank, f"rank:{v.force.name}:{now.period.label}"), claim)
        n = w.fig(numbers.count(v.ranked, key="ranked"), claim)
        among = "police forces" if v.ranked >= v.rankable else "police forces with enough data to compare"
        w.say(
            "comparison",
            f"It was the {place_words} {what} of the {n} {among}"
            + ("" if not v.tied else ", level with another force at the printed precision")
            + ".",
        )


def _nth(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, numbers.ordinal(n))


BASIS_WORDS = {
    "closed": "outcomes assigned in the period",
    "recorded": "outcomes so far of offences recorded in the period",
}


def releases_used(v: stories.Version, release_of: dict[str, str]) -> str:
    """The releases the version's figures come from: '2018 release', '2018 and 2019 releases', 're-issues of around
    April 2019 and January 2020'."""
    periods = [p.period for p in (v.now, v.before) if p is not None and p.computable]
    return wording.releases(
        tables.releases_for([fy for period in periods for fy in period.financial_years], release_of)
    )


def _notes(w, spec, ds, v, noun_, release_of) -> None:
    meas = spec.measure
    release = releases_used(v, release_of) or ds.release
    how = (
        f"The rate is {meas.numerator.label} as a share of {(meas.denominator or m.ALL).label}"
        if meas.is_rate
        else f"The figure counts {meas.numerator.label}"
    )
    w.say(
        "notes",
        f"{how}, on the {meas.basis} basis ({BASIS_WORDS[meas.basis]}), "
        f"for {meas.offences.label}; {v.period.label} runs from {wording.join(wording.spans(list(v.period.quarters)))} "
        f"({v.period.quarters_text} in the table). England and Wales "
        "means every territorial police force and British Transport Police"
        + (f", without {wording.join(list(spec.exclude))}" if spec.exclude else "")
        + f". Source: Home Office, Police recorded crime and outcomes open data tables, {release} "
        "(Open Government Licence v3.0). Every figure in this story was checked against the published "
        "data rows by an automated audit.",
    )
