"""Localised stories, as a newsroom's template desk writes them, for a sub-editor to pass as they stand: one template
with wording for each case (a rise or a fall judged against England and Wales's, no change at the printed precision, a
record, above or below the national rate, a rank among the territorial forces with ties said as ties, exact small
counts, a force whose outcomes are incomplete, data that cannot be used), a version for every police force, and every
figure and every statement a version prints recorded with its claim in the general claim form, so that the claims engine
audits it in the same run. The house style (docs/style.md) is checked by publish/words/house_style.py, and the figures
are read back from the printed text by publish/words/readback.py.

The figures come from analysis/stories.py (exact numbers and typed facts); every number is formatted once
(publish/words/numbers.py). The words: a spec's own phrases where it gives them, else the data's offence and outcome
descriptions.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ...analysis import measures as m
from ...analysis import quality, ranking, stories
from ...analysis.periods import Period
from ...data import forces as forces_mod
from ...data import tables
from . import markup, numbers, wording
from .numbers import Printed

#: what the offences of a measure's numerator did, for one outcome type or a known set (plural, past tense)
OUTCOME_PHRASES = {
    ("0",): "have no outcome yet",
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
#: the same in at most five words, for a headline
SHORT_PHRASES = {
    ("0",): "have no outcome yet",
    ("1",): "led to a charge",
    ("2",): "ended in a youth caution",
    ("3",): "ended in an adult caution",
    ("4",): "were taken into consideration",
    ("5",): "ended as the offender died",
    ("6",): "ended in a penalty notice",
    ("7",): "ended in a drugs warning",
    ("8",): "ended in a community resolution",
    ("9",): "not prosecuted in public interest",
    ("10",): "dropped in the public interest",
    ("11",): "ended as suspect was underage",
    ("12",): "ended with suspect too ill",
    ("13",): "ended as witnesses were unavailable",
    ("14",): "dropped as victims withdrew support",
    ("15",): "dropped for lack of evidence",
    ("16",): "dropped as victims withdrew support",
    ("17",): "ran out of time",
    ("18",): "closed with no suspect identified",
    ("19",): "filed by the fraud bureau",
    ("20",): "passed to another body",
    ("21",): "not investigated in public interest",
    ("22",): "ended in diversionary activity",
    ("14", "16"): "dropped as victims withdrew support",
    ("1", "2", "3"): "ended in charge or caution",
}
#: plural noun phrases for common offence codes, groups and subgroups (others are worded from their names)
NOUNS = {
    ("codes", ("28E",)): "residential burglaries",
    ("codes", ("28F",)): "attempted residential burglaries",
    ("codes", ("28", "28A")): "burglaries in a dwelling",
    ("codes", ("30C",)): "business burglaries",
    ("codes", ("45",)): "thefts from vehicles",
    ("codes", ("48",)): "thefts of motor vehicles",
    ("codes", ("46",)): "shoplifting offences",
    ("codes", ("8L",)): "harassment offences",
    ("codes", ("19C",)): "rapes of women aged 16 and over",
    ("codes", ("19C", "19D", "19E")): "rapes of women and girls",
    ("codes", ("19C", "19D", "19E", "19F", "19G", "19H")): "rape offences",
    ("subgroup", ("rape",)): "rape offences",
    ("group", ("robbery",)): "robberies",
    ("group", ("violence against the person",)): "violent offences",
    ("group", ("miscellaneous crimes against society",)): "miscellaneous crimes",
    ("group", ("criminal damage and arson",)): "damage and arson offences",
    ("group", ("possession of weapons offences",)): "weapons possession offences",
    ("group", ("fraud offences to 2012/13",)): "fraud offences",
    ("subgroup", ("fraud offences to 2012/13",)): "fraud offences",
    ("subgroup", ("possession of weapons offences",)): "weapons possession offences",
}
_UNCOUNTED = (
    "harassment",
    "arson",
    "fraud",
    "stalking",
    "shoplifting",
    "damage",
    "trafficking",
    "possession",
    "violence",
    "abuse",
)
_PREPOSITIONS = ("of", "from", "in", "with", "without", "by", "against", "on", "to")
#: the most words a headline may have (docs/style.md)
HEADLINE_WORDS = 14


def plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def noun_phrase(name: str) -> str:
    """An offence group or subgroup's name as a plural noun phrase: 'Domestic burglary' -> 'domestic burglaries',
    'Theft from a vehicle' -> 'thefts from a vehicle', 'Criminal damage and arson' -> 'criminal damage and arson
    offences', 'Violence with injury' -> 'violence with injury offences'."""
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
        if w in _PREPOSITIONS:
            words[i - 1] = plural(words[i - 1])
            return " ".join(words)
    words[-1] = plural(words[-1])
    return " ".join(words)


def noun(spec: stories.Spec, ds: m.Dataset) -> str:
    """What the measure's denominator counts, in the plural: the spec's own, a known phrase, or words from the
    data's descriptions."""
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
            return noun_phrase(described[0])
        return "offences of the kinds " + wording.join([d[0].lower() + d[1:] for d in described])
    return noun_phrase(scope.values[0])


def _descriptions(ds: m.Dataset, codes) -> list[str]:
    t = ds.tidy[["offence_code", "offence_description"]].drop_duplicates("offence_code")
    known = dict(zip(t["offence_code"].astype(str), t["offence_description"].astype(str)))
    return [known.get(c, c) for c in codes]


def _set_phrase(s: m.OutcomeSet, table: dict, basis: str, short: bool) -> str:
    if s.kind == "types" and s.types in table:
        return table[s.types]
    if s.kind == "all_except" and s.types == ("1",):
        return "ended without a charge" if short else "ended without a charge or summons"
    if s.kind == "all":
        return "were closed" if basis == "closed" else "have an outcome"
    if s.kind == "all_including_unassigned":
        return "were recorded"
    if s.kind == "types" and len(s.types) == 2 and all((t,) in table for t in s.types):
        first, second = (table[(t,)] for t in s.types)
        return f"{first} or {second}" if not short else "ended with the outcomes counted"
    return "ended with the outcomes counted"


def numerator_phrase(spec: stories.Spec) -> str:
    """What the numerator's offences did, in full: the spec's own, or the outcome types' descriptions."""
    if spec.phrases.get("numerator"):
        return spec.phrases["numerator"]
    return _set_phrase(spec.measure.numerator, OUTCOME_PHRASES, spec.measure.basis, False)


def short_phrase(spec: stories.Spec) -> str:
    """The same in at most five words, for the headline."""
    if spec.phrases.get("short"):
        return spec.phrases["short"]
    if spec.phrases.get("numerator") and len(spec.phrases["numerator"].split()) <= 5:
        return spec.phrases["numerator"]
    return _set_phrase(spec.measure.numerator, SHORT_PHRASES, spec.measure.basis, True)


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


def since(period: Period) -> str:
    """The year a record runs from, as the claim form reads it: '2015', '2015/16' for a financial year."""
    return period.short if period.kind == "financial" else str(period.year)


# ------------------------------------------------------------------------------------------- the story
@dataclass(eq=False)
class Figure:
    """A figure or a statement a sentence prints, with its claim. Figures that make one claim together (a rank and
    the number of forces ranked) share the claim (the same dict), whose `claimed` is composed from their printed
    text by `compose` ("{0} of {1}")."""

    printed: Printed
    claim: dict | None  # the general claim form (without id, article and quote); None: a rule of the story, not data
    compose: str = "{0}"
    sentence: int = -1
    span: tuple[int, int] = (0, 0)  # where the sentence prints it
    read: str = ""  # the text the audit read at that place (publish/words/readback.py)


@dataclass
class Sentence:
    section: str  # headline | intro | quality | body | comparison | caveats | notes | data
    text: str
    figures: list[Figure] = field(default_factory=list)


#: the sections of a story a reader reads, in order, one paragraph each (caveats and notes to editors follow)
STORY = ("intro", "body", "quality", "change", "comparison")


@dataclass
class Story:
    spec_id: str
    title: str  # the spec's title (the story's topic)
    force: str
    slug: str
    sentences: list[Sentence]
    caveats: list[m.Flag]
    ready: bool
    labels: list[str] = field(default_factory=list)  # words from the data's descriptions (not figures)
    noun: str = ""  # what the story counts
    read_first: list[str] = field(default_factory=list)  # what an editor reads before publishing (none: ready)

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
        caveats, and a notes-to-editors line. Text from a spec is plain text here: Markdown links and HTML are
        removed (publish/words/markup.plain_markdown), so nothing in it can become a link or markup when pasted."""
        parts = [f"# {markup.plain_markdown(self.headline)}", ""]
        for name in STORY:
            if self.section(name):
                parts += [markup.plain_markdown(self.section(name)), ""]
        if self.section("caveats"):
            parts += [markup.plain_markdown("Caveats: " + self.section("caveats")), ""]
        parts += [markup.plain_markdown("Notes to editors: " + self.section("notes")), ""]
        return "\n".join(parts)

    def html_section(self, name: str) -> str:
        return " ".join(
            markup.spans(s.text, [(f.span, f.printed) for f in s.figures]) for s in self.sentences if s.section == name
        )

    def text(self) -> str:
        """The story in one paragraph (intro, body and comparison)."""
        return " ".join(self.section(n) for n in STORY if self.section(n))

    def to_json(self) -> dict:
        """The story as its pages need it (its sentences, each figure as printed and where, its caveats), so a page
        made elsewhere shows the very story the stories step wrote and audited (a force's report takes its version
        from here); the claims behind the figures are the story's claims.yaml."""
        return {
            "spec_id": self.spec_id,
            "title": self.title,
            "force": self.force,
            "slug": self.slug,
            "sentences": [
                {
                    "section": s.section,
                    "text": s.text,
                    "figures": [
                        {"printed": f.printed.to_json(), "span": list(f.span), "sentence": f.sentence, "read": f.read}
                        for f in s.figures
                    ],
                }
                for s in self.sentences
            ],
            "caveats": [asdict(c) for c in self.caveats],
            "ready": self.ready,
            "labels": list(self.labels),
            "noun": self.noun,
            "read_first": list(self.read_first),
        }

    @classmethod
    def from_json(cls, data: dict) -> Story:
        """A story as to_json gave it (its figures without their claims: those are in claims.yaml)."""
        sentences = [
            Sentence(
                s["section"],
                s["text"],
                [
                    Figure(
                        Printed.from_json(f["printed"]),
                        None,
                        sentence=f["sentence"],
                        span=tuple(f["span"]),
                        read=f["read"],
                    )
                    for f in s["figures"]
                ],
            )
            for s in data["sentences"]
        ]
        return cls(
            data["spec_id"],
            data["title"],
            data["force"],
            data["slug"],
            sentences,
            [m.Flag(**c) for c in data["caveats"]],
            data["ready"],
            data["labels"],
            data["noun"],
            data["read_first"],
        )


_MARK = "\x00"


class _Writer:
    """Builds sentences whose every figure is recorded with its claim and the place it is printed."""

    def __init__(self):
        self.sentences: list[Sentence] = []
        self._pending: list[Figure] = []

    def fig(self, printed: Printed, claim: dict | None, compose: str = "{0}") -> str:
        """A figure in a sentence being written: a marker now, its printed text when the sentence is said."""
        self._pending.append(Figure(printed, claim, compose))
        return f"{_MARK}{len(self._pending) - 1}{_MARK}"

    def figures_so_far(self) -> list[Figure]:
        return [f for s in self.sentences for f in s.figures]

    def say(self, section: str, text: str) -> None:
        text = " ".join(text.split())
        if text and text[0] != _MARK:
            text = text[0].upper() + text[1:]
        out, figures, pos = [], [], 0
        for part in re.split(rf"({_MARK}\d+{_MARK})", text):
            if part.startswith(_MARK):
                f = self._pending[int(part.strip(_MARK))]
                shown = str(f.printed)
                if pos == 0:
                    shown = shown[0].upper() + shown[1:]
                    f.printed = Printed(shown, f.printed.value, f.printed.key)
                f.span, f.sentence = (pos, pos + len(shown)), len(self.sentences)
                figures.append(f)
                part = shown
            out.append(part)
            pos += len(part)
        self.sentences.append(Sentence(section, "".join(out), figures))
        self._pending = []


def claim(
    spec: stories.Spec, area: m.Area, period: Period, numerator, denominator, compares: bool = False, **extra
) -> dict:
    """A claim in the general form; `claimed` is filled in from the printed text by the audit. compares: a force's
    claim that compares it with England and Wales or ranks it (its exclude names the forces they leave out)."""
    out = {
        "area": area.name,
        "period": period.label,
        **{k: v for k, v in spec.measure.claim_form().items() if k not in ("numerator", "denominator")},
        "numerator": stories._set_form(numerator),
    }
    if denominator is not None:
        out["denominator"] = stories._set_form(denominator)
    if area.is_ew or compares:
        out["exclude"] = list(area.exclude if area.is_ew else spec.exclude)
    out.update(extra)
    return out


class _Version:
    """One force's version being written: its figures, its words and the writer."""

    def __init__(self, v: stories.Version, ds: m.Dataset, release_of: dict[str, str]):
        self.v, self.ds, self.release_of = v, ds, release_of
        self.spec, self.force = v.spec, v.force
        self.w = _Writer()
        self.meas = v.spec.measure
        self.place = v.force.prose
        self.short_place = v.force.name
        self.noun = noun(v.spec, ds)
        self.verb = _verb(v.spec)
        self.numphrase = numerator_phrase(v.spec)
        self.in_period = during(v.period)
        self.rate = self.meas.is_rate
        self.caveats: list[m.Flag] = list(dict.fromkeys(v.now.result.caveats))
        self.own_blank = False  # the version says some of its force's counts are blank (and could move a figure)
        self._versus = ""  # "higher than the national rate", with its claim, waiting for the rank's sentence

    # ------------------------------------------------------------------ figures, each with its claim
    def count(self, p: stories.Point, which: str) -> str:
        sets = self.meas.numerator if which == "numerator" else (self.meas.denominator or m.ALL)
        n = p.numerator if which == "numerator" else p.denominator
        printed = numbers.spelled(n, key=f"{which}:{p.area.name}:{p.period.label}")
        return self.w.fig(printed, claim(self.spec, p.area, p.period, sets, None))

    def rate_of(self, p: stories.Point) -> str:
        printed = numbers.percent(p.rate, 1, key=f"rate:{p.area.name}:{p.period.label}")
        out = self.w.fig(printed, claim(self.spec, p.area, p.period, self.meas.numerator, self.meas.denominator))
        same = next(
            (
                f
                for f in self.w.figures_so_far()
                if str(f.printed) == str(printed) and f.printed.key.startswith("rate:") and f.printed.key != printed.key
            ),
            None,
        )
        if same is not None and same.printed.key.split(":")[2] != p.period.label:
            out += f" (the same figure as {self._rate_name(same.printed.key)})"  # one printed figure, two meanings
        return out

    def _rate_name(self, key: str) -> str:
        """A printed rate's key ('rate:Kent:2017/18 Q1-Q2') in words: "Kent Police's rate from April to September
        2017"."""
        _, area, label = key.split(":", 2)
        whose = "the national rate" if area == m.EW else f"{wording.possessive(self.place)} rate"
        period = next(
            (p.period for p in (self.v.now, self.v.before) if p is not None and p.period.label == label), None
        )
        return whose + (f" {during(period)}" if period is not None else "")

    def statement(self, text: str, p: stories.Point, value, **extra) -> str:
        """A statement (up, a sharp rise, higher than the national rate, ...) with its claim."""
        compares = not p.area.is_ew and ("national" in text)
        c = claim(
            self.spec,
            p.area,
            p.period,
            self.meas.numerator,
            self.meas.denominator,
            compares=compares,
            precision=1 if self.rate else 0,
            **extra,
        )
        return self.w.fig(Printed(text, None, f"statement:{p.area.name}:{p.period.label}"), c)

    # ------------------------------------------------------------------ the version
    def write(self) -> Story:
        v = self.v
        if not v.now.computable:
            self.w.say("headline", f"{self.short_place}: no figure {self.in_period}")
            self.w.say(
                "intro",
                f"No figure can be given for {self.place} for {when(v.period)}: "
                f"{wording.gaps_plain(v.now.result.missing)}.",
            )
            self.notes()
            return self.story(ready=False)
        if self.rate and not v.now.denominator:
            self.w.say("headline", f"{self.short_place}: no {self.noun} {self.verb}")
            self.w.say("intro", f"{self.place} {self.verb} no {self.noun} {self.in_period}, Home Office figures show.")
            self.notes()
            return self.story(ready=False)
        self.headline()
        self.intro()
        self.also()
        if not v.comparable:
            self.quality()
        if self.spec.template:
            self.template()
        elif v.comparable:
            self.change()
        self.own_effects()
        self.comparison()
        self.rank()
        self.national_caveats()
        self.notes()
        read = []
        if [e for e in v.effects if e.material]:
            read.append("the caveats below")
        if not v.comparable:
            read.append(f"the paragraph on why {self.place} is not compared with other forces")
        if self.own_incomplete():
            read.append("the quarters the intro says look incomplete")
        if self.own_blank:
            read.append("the sentence on its blank counts")
        return self.story(ready=not read, read_first=read)

    def story(self, ready: bool, read_first: list[str] = ()) -> Story:
        labels = [self.place, self.short_place, wording.area_name(self.v.ew.area, self.v.ew.result.left_out)]
        labels += [] if self.spec.noun else [self.noun]  # words from the data's descriptions ("aged 16 and over")
        labels += [] if self.spec.phrases.get("numerator") else [self.numphrase]
        return Story(
            self.spec.id,
            self.spec.title,
            self.force.name,
            self.force.slug,
            self.w.sentences,
            self.caveats,
            ready,
            labels,
            self.noun,
            list(read_first) or ([] if ready else ["the first paragraph: there is no figure to publish"]),
        )

    def own_incomplete(self) -> list[m.Flag]:
        return [f for f in self.caveats if f.force == self.force.name and f.kind in (m.LOW, m.PARTLY_PROVIDED)]

    def headline(self) -> None:
        v, adj = self.v, self.verb
        with_rate = self.rate and not v.small and v.comparable  # a force not compared is given in counts
        counts = "all {numerator_count}" if self._all_of_them else "{numerator_count} of {denominator_count}"
        if with_rate:
            default, available = "{place}: {rate} of " + adj + " {noun} {short}", {"rate"}
        elif self.rate:
            default, available = (
                "{place}: " + counts + " " + adj + " {noun} {short}",
                {
                    "numerator_count",
                    "denominator_count",
                },
            )
        else:
            default, available = "{place}: {numerator_count} {noun} {short}", {"numerator_count"}
        form = self.spec.phrases.get("headline") or default
        if self.rate and not with_rate and "{rate} of " in form:
            form = form.replace("{rate} of ", counts + " ")  # the spec's headline, with the counts for the rate
        figures = {
            "rate": lambda: self.rate_of(v.now),
            "numerator_count": lambda: self.count(v.now, "numerator"),
            "denominator_count": lambda: self.count(v.now, "denominator"),
        }
        used = re.findall(r"{(\w+)}", form)
        if any(u in figures and u not in available for u in used) or not any(u in available for u in used):
            form, used = default, re.findall(r"{(\w+)}", default)  # the spec's headline needs a figure not given
        words = {
            "place": self.short_place,
            "noun": self.noun,
            "short": short_phrase(self.spec),
            "period": when(v.period),
            "in_period": self.in_period,
        }
        values = {u: figures[u]() if u in figures else words[u] for u in dict.fromkeys(used)}
        self.w.say("headline", form.format(**values))

    def intro(self) -> None:
        v = self.v
        including = self._own_incomplete_text()
        if self.rate and self._all_of_them:
            self.w.say(
                "intro",
                f"All {self.count(v.now, 'denominator')} {self.noun} that {self.place} {self.verb} {self.in_period}"
                f"{including} {self.numphrase}, Home Office figures show.",
            )
        elif self.rate:
            share = f" ({self.rate_of(v.now)})" if not v.small and v.comparable else ""
            self.w.say(
                "intro",
                f"Of the {self.count(v.now, 'denominator')} {self.noun} that {self.place} {self.verb} "
                f"{self.in_period}{including}, {self.count(v.now, 'numerator')}{share} {self.numphrase}, Home Office "
                "figures show.",
            )
        else:
            self.w.say(
                "intro",
                f"{self.place} {self.verb} {self.count(v.now, 'numerator')} {self.noun} {self.in_period}"
                f"{including} that {self.numphrase}, Home Office figures show.",
            )

    @property
    def _all_of_them(self) -> bool:
        """Every one of at least two offences counted: "all three", never "three of three"."""
        return self.v.now.numerator == self.v.now.denominator and (self.v.now.numerator or 0) > 1

    def _own_incomplete_text(self) -> str:
        """'(a total that includes April to June 2018, when its figures look incomplete; without that quarter its
        rate would be higher)': the force's own incomplete quarters in the period, and which way leaving them out
        would move the figure the intro prints."""
        v = self.v
        own = [f for f in self.own_incomplete() if (f.financial_year, f.quarter) in v.period.quarters]
        if not own:
            return ""
        quarters = wording.join(wording.spans([(f.financial_year, f.quarter) for f in own]))
        those = "that quarter" if len(own) == 1 else "those quarters"
        text = f" (a total that includes {quarters}, when its figures look incomplete"
        effects = [
            e
            for e in v.own_effects
            if e.kind in (m.LOW, m.PARTLY_PROVIDED)
            and all((f.financial_year, f.quarter) in v.period.quarters for f in e.flags)
        ]
        if not self.rate:
            text += "; the count is probably too low as a result"
        elif not v.small and v.comparable and effects:
            moves = sorted({e.direction for e in effects if e.material})
            if moves == [1] or moves == [-1]:
                text += f"; without {those} its rate would be {'higher' if moves[0] > 0 else 'lower'}"
            elif not moves:
                text += f"; leaving {those} out would not change its rate as printed"
        return text + ")"

    def quality(self) -> None:
        """A force whose outcomes are incomplete compared with the other forces': said in the second paragraph,
        with the figures that show it."""
        v, q = self.v, self.v.quality
        period = v.period
        everything = m.OffenceScope("all")

        def fig(area: m.Area, basis: str, num: m.OutcomeSet, den: m.OutcomeSet | None, printed: Printed) -> str:
            c = {
                "area": area.name,
                "period": period.label,
                "basis": basis,
                "offences": "all",
                "numerator": stories._set_form(num),
                "exclude": list(area.exclude),
            }
            if den is not None:
                c["denominator"] = stories._set_form(den)
            return self.w.fig(printed, c)

        mine, ew = m.Area.of(self.force.name), m.Area.of(m.EW)  # the rule judges against all of England and Wales
        parts = []
        if quality.UNASSIGNED in q.reasons:
            share = fig(
                mine,
                "recorded",
                quality.NOT_YET,
                quality.RECORDED,
                numbers.percent(q.mine.unassigned_pct, 1, key=f"unassigned:{self.force.name}"),
            )
            ew_share = fig(
                ew,
                "recorded",
                quality.NOT_YET,
                quality.RECORDED,
                numbers.percent(q.ew.unassigned_pct, 1, key=f"unassigned:{m.EW}"),
            )
            parts.append(
                f"{share} of the offences it recorded {self.in_period} had no outcome when the data were published, "
                f"against {ew_share} across England and Wales"
            )
        if quality.FEW_CLOSED in q.reasons:
            printed_closed = (
                self.meas.basis == "closed"
                and self.meas.offences == everything
                and self.meas.denominator is not None
                and self.meas.denominator.kind == "all"
            )
            recorded = fig(mine, "recorded", quality.RECORDED, None, numbers.spelled(q.mine.recorded))
            if printed_closed:  # the intro printed its offences closed
                parts.append(
                    f"the offences it closed fell far short of the {recorded} it recorded, much further than across "
                    "England and Wales as a whole"
                )
            else:
                closed = fig(mine, "closed", m.ALL, None, numbers.spelled(q.mine.closed))
                parts.append(
                    f"it closed {closed} offences against {recorded} recorded, a far lower proportion than across "
                    "England and Wales as a whole"
                )
        text = f"{wording.possessive(self.place)} figures cannot fairly be compared with other forces': " + (
            ", and ".join(parts)
        )
        consequence = (
            "so its figures describe only the offences it had dealt with"
            if self.meas.basis == "closed"
            else "so its figures will change as those offences are dealt with"
        )
        self.w.say(
            "quality",
            f"{text}, {consequence}. It is not ranked, and its figures are not set against the national ones.",
        )

    def also(self) -> None:
        v = self.v
        for a in self.spec.also:
            mine, ew = v.also[a.id]
            if not mine.computable or not mine.denominator:
                continue
            sub = (a.numerator, a.denominator)
            part = self.w.fig(
                numbers.spelled(mine.numerator), claim(self.spec, mine.area, mine.period, a.numerator, None)
            )
            if mine.denominator < self.spec.thresholds["min_denominator"]:
                self.w.say("body", f"In {part} of those {self.noun}, {a.phrase}.")
                continue
            share = self.w.fig(
                numbers.percent(mine.rate, 0, key=f"also:{a.id}:{self.force.name}"),
                claim(self.spec, mine.area, mine.period, *sub),
            )
            text = f"In {part} of those {self.noun} ({share}), {a.phrase}"
            if ew.computable and ew.rate is not None and v.comparable:
                ew_share = numbers.percent(ew.rate, 0, key=f"also:{a.id}:{m.EW}")
                same = numbers.compare(numbers.percent(mine.rate, 0), ew_share) == 0
                if same:
                    c = claim(self.spec, mine.area, mine.period, *sub, compares=True, precision=0)
                    text += ", " + self.w.fig(Printed("the same as the national share", None, f"also:{a.id}"), c)
                else:
                    text += (
                        f", compared with {self.w.fig(ew_share, claim(self.spec, ew.area, ew.period, *sub))} "
                        "across England and Wales"
                    )
            self.w.say("body", text + ".")

    def template(self) -> None:
        """The spec's own body sentences, each figure recorded with its claim like the default template's."""
        v = self.v
        th = self.spec.thresholds["min_denominator"]
        ew_rate = v.ew.computable and v.ew.rate is not None and (v.ew.denominator or 0) >= th
        figures = {
            "numerator_count": (v.now.computable, lambda: self.count(v.now, "numerator")),
            "denominator_count": (v.now.computable and self.rate, lambda: self.count(v.now, "denominator")),
            "rate": (self.rate and not v.small, lambda: self.rate_of(v.now)),
            "ew_numerator_count": (v.ew.computable, lambda: self.count(v.ew, "numerator")),
            "ew_denominator_count": (v.ew.computable and self.rate, lambda: self.count(v.ew, "denominator")),
            "ew_rate": (ew_rate, lambda: self.rate_of(v.ew)),
        }
        words = {
            "place": self.place,
            "period": when(v.period),
            "in_period": self.in_period,
            "noun": self.noun,
            "numerator": self.numphrase,
        }
        for sentence in self.spec.template:
            used = list(dict.fromkeys(re.findall(r"{(\w+)}", sentence)))  # in the order the sentence prints them
            if any(not figures[u][0] for u in used if u in figures):
                continue  # a figure the data cannot give: the sentence is left out
            values = {**words, **{u: figures[u][1]() for u in used if u in figures}}
            self.w.say("body", sentence.format(**values))

    # ------------------------------------------------------------------ the change, against England and Wales's
    def _comparable(self, p: stories.Point | None) -> bool:
        return (
            p is not None
            and p.computable
            and p.value is not None
            and (not self.rate or (p.denominator or 0) >= self.spec.thresholds["min_denominator"])
        )

    def _printed(self, p: stories.Point) -> Printed:
        return numbers.percent(p.rate, 1) if self.rate else numbers.count(p.numerator)

    def change(self) -> None:
        v, spec = self.v, self.spec
        before = v.before
        if before is None or spec.compare == "none":
            return
        earlier = when(before.period)
        if v.small:
            return  # no rate to compare; the counts are in the intro
        if not before.computable:
            self.w.say(
                "change",
                f"There is no figure for {earlier} to compare with: {wording.gaps_plain(before.result.missing)}.",
            )
            return
        if not self._comparable(before):
            self.w.say("change", f"Too few {self.noun} were {self.verb} {during(before.period)} to compare rates.")
            return
        self.caveats.extend(f for f in before.result.caveats if f not in self.caveats)
        what = "The rate" if self.rate else "The number"
        d = numbers.compare(self._printed(v.now), self._printed(before))
        change_from = {"change_from": before.period.label}
        if d == 0:
            word = self.statement("unchanged", v.now, 0, **change_from)
            self.w.say("change", f"{what} was {word} from {earlier}.")
            self._record()
            return
        word = self.statement("up" if d > 0 else "down", v.now, d, **change_from)
        prev = self.rate_of(before) if self.rate else self.count(before, "numerator")
        text = f"{what} was {word} from {prev} in {earlier}"
        size, national = self._size(d), self._national_change(d)
        if size:
            text += ", " + self.statement(size, v.now, d, sharp=spec.thresholds["sharp"], **change_from)
        if national:
            text += national
        self.w.say("change", text + ".")
        self._record()
        self._revisions()

    def _steps(self, now: stories.Point, before: stories.Point):
        """The change in printed units (points for a rate), as a reader would work it out from the printed figures."""
        return numbers.difference(self._printed(now), self._printed(before))

    def _size(self, d: int) -> str:
        """'a sharp rise' when the change reaches the threshold and is larger than England and Wales's (or England
        and Wales moved the other way), 'a modest rise' when it is under the threshold, nothing otherwise."""
        v, sharp = self.v, self.spec.thresholds["sharp"]
        mine = self._steps(v.now, v.before)
        size = (
            abs(mine)
            if self.rate
            else (
                abs(v.now.numerator - v.before.numerator) / abs(v.before.numerator) * 100
                if v.before.numerator
                else float("inf")
            )
        )
        noun_ = "rise" if d > 0 else "fall"
        if size < sharp:
            return f"a modest {noun_}"
        if self.rate and self._comparable(v.ew_before) and self._comparable(v.ew):
            theirs = self._steps(v.ew, v.ew_before)
            if (theirs > 0) == (d > 0) and theirs != 0 and abs(theirs) >= abs(mine):
                return ""  # as large as the national change: not called sharp
        return f"a sharp {noun_}"

    def _national_change(self, d: int) -> str:
        """How the change compares with England and Wales's over the same periods (rates only)."""
        v = self.v
        if not self.rate or not (self._comparable(v.ew) and self._comparable(v.ew_before)):
            return ""
        theirs = numbers.compare(self._printed(v.ew), self._printed(v.ew_before))
        change_from = {"change_from": v.before.period.label}
        if theirs == 0:
            return ", while the national rate was " + self.statement("unchanged", v.ew, 0, **change_from)
        if (theirs > 0) != (d > 0):
            return ", while the national rate went " + self.statement(
                "up" if theirs > 0 else "down", v.ew, theirs, **change_from
            )
        mine, national = abs(self._steps(v.now, v.before)), abs(self._steps(v.ew, v.ew_before))
        how = "larger than" if mine > national else ("smaller than" if mine < national else "the same as")
        noun_ = "rise" if d > 0 else "fall"
        return ", " + self.statement(f"{how} the national {noun_}", v.now, mine - national, **change_from)

    def _record(self) -> None:
        v = self.v
        rec = stories.record(v)
        if not rec:
            return
        first = v.series[0].period
        word = "highest" if rec == "high" else "lowest"
        c = claim(self.spec, v.now.area, v.now.period, self.meas.numerator, self.meas.denominator)
        token = self.w.fig(Printed(f"{word} since {since(first)}", None, "record"), c)
        self.w.say("change", f"It was {wording.possessive(self.place)} {token}.")

    def _revisions(self) -> None:
        """Beside a printed change between periods whose figures come from different releases: revisions between
        them may explain part of it."""
        if not self._compared_across_issues():
            return
        self.w.say(
            "change",
            f"The figures compared come from different releases of the data "
            f"({releases_used(self.v, self.release_of)}), so later revisions may explain part of the change.",
        )

    def own_effects(self) -> None:
        """The force's own blank cells, where they could change a figure it prints (this period's, or the
        earlier one's when the change is printed)."""
        printed = {f.printed.key for f in self.w.figures_so_far()}
        earlier = self.v.before.period if self.v.before is not None else None
        for e in self.v.own_effects:
            if not e.material or e.kind != m.LEFT_OUT:
                continue
            of_earlier = earlier is not None and all(
                f.financial_year in earlier.financial_years and (f.financial_year, f.quarter) in earlier.quarters
                for f in e.flags
            )
            if of_earlier and not any(k.endswith(f":{self.force.name}:{earlier.label}") for k in printed):
                continue  # the earlier period's cells, when its figure is not printed
            quarters = wording.join(wording.spans([(f.financial_year, f.quarter) for f in e.flags]))
            self.own_blank = True
            self.w.say(
                "body",
                f"Some of {wording.possessive(self.place)} counts for {quarters} are blank in the published data and "
                "are left out of its figures.",
            )

    # ------------------------------------------------------------------ England and Wales, and the rank
    def comparison(self) -> None:
        v = self.v
        ew, now = v.ew, v.now
        if not ew.computable:
            return
        self.caveats.extend(f for f in ew.result.caveats if f not in self.caveats)
        ew_name = wording.area_name(ew.area, ew.result.left_out)
        if self.rate and ew.rate is not None and self._comparable(ew):
            text = (
                f"Across {ew_name}, of the {self.count(ew, 'denominator')} {self.noun} that forces {self.verb} "
                f"{self.in_period}, {self.count(ew, 'numerator')} {self.numphrase}, a rate of {self.rate_of(ew)}"
            )
        else:
            text = (
                f"Across {ew_name}, forces {self.verb} {self.count(ew, 'numerator')} {self.noun} {self.in_period} "
                f"that {self.numphrase}"
            )
        if (
            v.comparable
            and not v.small
            and self._comparable(v.ew_before)
            and self.v.before is not None
            and self.spec.compare != "none"
            and not self.spec.template
        ):
            d = numbers.compare(self._printed(ew), self._printed(v.ew_before))
            change_from = {"change_from": v.ew_before.period.label}
            if d == 0:
                text += ", " + self.statement("unchanged", ew, 0, **change_from) + f" from {when(v.ew_before.period)}"
            else:
                prev = self.rate_of(v.ew_before) if self.rate else self.count(v.ew_before, "numerator")
                text += (
                    ", "
                    + self.statement("up" if d > 0 else "down", ew, d, **change_from)
                    + f" from {prev} in {when(v.ew_before.period)}"
                )
        self.w.say("comparison", text + ".")
        railways = v.place is not None and v.place.why_not == ranking.NOT_TERRITORIAL
        if self.rate and v.comparable and not v.small and not railways and ew.rate is not None and self._comparable(ew):
            c = numbers.compare(numbers.percent(now.rate, 1), numbers.percent(ew.rate, 1))
            how = "the same as" if c == 0 else ("higher than" if c > 0 else "lower than")
            self._versus = self.statement(f"{how} the national rate", now, c)  # said with the rank, if any

    def rank(self) -> None:
        v = self.v
        place, r = v.place, v.ranks
        what = "rate" if self.rate else "figure"
        among = self._among(r)
        if place is not None and place.rank is not None:
            side, n = place.side
            words = ("joint " if place.tied else "") + (side if n == 1 else f"{numbers.ordinal_words(n)} {side}")
            c = claim(
                self.spec,
                v.now.area,
                v.now.period,
                self.meas.numerator,
                self.meas.denominator,
                compares=True,
                among=self.spec.field.among,
                comparable_only=True,
                min_denominator=self.spec.field.min_denominator,
                precision=self.spec.field.precision,
            )
            words_fig = self.w.fig(Printed(words, place.rank, f"rank:{self.force.name}"), c, "{0} of {1}")
            n_fig = self.w.fig(numbers.spelled(r.ranked, key="ranked"), c, "{0} of {1}")
            level = [f for f, p in r.places.items() if p.rank == place.rank and f != self.force.name]
            alongside = (
                f", level with {wording.join([wording.force_name(f) for f in level])}"
                if level and len(level) <= 3
                else ""
            )
            if self._versus:  # one sentence: "Kent Police's rate was higher than the national rate and the ..."
                self.w.say(
                    "comparison",
                    f"{wording.possessive(self.place)} rate was {self._versus} and the {words_fig} of the {n_fig} "
                    f"{among}{alongside}.",
                )
            else:
                self.w.say("comparison", f"{self.place} had the {words_fig} {what} of the {n_fig} {among}{alongside}.")
            others = self._not_ranked_others(r)
            if others:
                self.w.say("comparison", others)
            return
        if self._versus:
            self.w.say("comparison", f"{wording.possessive(self.place)} rate was {self._versus}.")
        why = place.why_not if place else ranking.NO_FIGURE
        text = {
            ranking.NOT_TERRITORIAL: f"{self.place} polices the railways rather than an area, so it is not ranked "
            "with the territorial forces.",
            ranking.LEFT_OUT: f"The story leaves {self.place} out of the national figures and the ranking.",
            ranking.TOO_FEW: f"{self.place} {self.verb} too few {self.noun} for a rate, so it is not ranked.",
            ranking.INCOMPLETE: "",  # said in the second paragraph
            ranking.NO_FIGURE: "",
        }[why]
        if text:
            self.w.say("comparison", text)

    def _among(self, r: ranking.Ranking) -> str:
        """The forces ranked, as the sentence names them."""
        if r.field.among == ranking.TERRITORIAL:
            whole = r.ranked == sum(1 for p in r.places.values() if p.why_not != ranking.NOT_TERRITORIAL)
            return "territorial forces" if whole else "territorial forces ranked"
        whole = r.ranked == len(r.places)
        return (
            "police forces, British Transport Police included"
            if whole
            else "police forces ranked, British Transport Police included"
        )

    def _not_ranked_others(self, r: ranking.Ranking) -> str:
        """Which other forces are not ranked and why (the incomplete and the small), in one sentence."""
        parts = []
        incomplete = [f for f in r.not_ranked(ranking.INCOMPLETE) if f != self.force.name]
        if incomplete:
            names = wording.join([wording.force_name(f) for f in incomplete])
            parts.append(f"{names}, whose outcomes are incomplete")
        few = [f for f in r.not_ranked(ranking.TOO_FEW) if f != self.force.name]
        if few:
            names = (
                wording.join([wording.force_name(f) for f in few])
                if len(few) <= 3
                else (", ".join(wording.force_name(f) for f in few[:3]) + " and other forces")
            )
            parts.append(f"{names}, with too few {self.noun} for a rate")
        if not parts:
            return ""
        return "Not ranked: " + "; ".join(parts) + "."

    def national_caveats(self) -> None:
        """The caveats on the England and Wales figure, where they could change it as printed, with the way they
        would move it; the others go to the data notes."""
        for section, text in national_caveats(self.v.effects, self.rate):
            self.w.say(section, text)

    # ------------------------------------------------------------------ notes to editors
    def notes(self) -> None:
        spec, v, meas = self.spec, self.v, self.meas
        release = releases_used(v, self.release_of) or self.ds.release
        how = (
            f"The rate is {meas.numerator.label} as a share of {(meas.denominator or m.ALL).label}"
            if meas.is_rate
            else f"The figure counts {meas.numerator.label}"
        )
        ranked = (
            "Forces are ranked among the territorial police forces of England and Wales (British Transport Police, "
            "which polices the railways, is shown beside them)"
            if spec.field.among == ranking.TERRITORIAL
            else "Forces are ranked among every police force, British Transport Police included"
        )
        ranked += (
            ", by the rate as printed, so forces whose rates print the same share a rank; a force is not ranked when "
            "its outcomes are incomplete compared with the other forces' (the methods page gives the rule), or when "
            f"it {self.verb} fewer than "
            f"{self.w.fig(numbers.count(spec.thresholds['min_denominator'], key='threshold'), None)} {self.noun}"
            if self.rate
            else ", by the count"
        )
        self.w.say(
            "notes",
            f"{how}, on the {meas.basis} basis ({BASIS_WORDS[meas.basis]}), for {meas.offences.label}; "
            f"{v.period.label} runs from {wording.join(wording.spans(list(v.period.quarters)))} "
            f"({v.period.quarters_text} in the table). {ranked}. England and Wales means every territorial police "
            "force and British Transport Police"
            + (f", without {wording.join(list(spec.exclude))}" if spec.exclude else "")
            + f". Source: Home Office, Police recorded crime and outcomes open data tables, {release} "
            "(Open Government Licence v3.0)." + " Every figure and comparison in this story was checked against the "
            "published data rows by an automated audit.",
        )

    def _compared_across_issues(self) -> bool:
        """Whether the version printed a change between periods whose figures come from different releases."""
        compared = [f.claim["change_from"] for f in self.w.figures_so_far() if f.claim and f.claim.get("change_from")]
        if not compared or self.v.before is None:
            return False
        issues = [
            tables.releases_for(p.financial_years, self.release_of) for p in (self.v.before.period, self.v.period)
        ]
        return issues[0] != issues[1]


def national_caveats(effects: list[stories.Effect], rate: bool) -> list[tuple[str, str]]:
    """(section, sentence) for each kind of caveat on the England and Wales figure: "caveats" when it could change
    the figure as printed (saying which way, for a rate), "data" when it could not. The same words in every version
    and on the story's national page."""
    out = []
    for e in effects:
        by_months: dict[str, list[str]] = {}
        for f in e.flags:
            by_months.setdefault(wording.months(f.financial_year, f.quarter), []).append(f.force)
        items = [
            f"{wording.join([wording.possessive(x) for x in dict.fromkeys(fs)])} for {months}"
            for months, fs in by_months.items()
        ]
        listed = wording.join(items) if len(e.flags) <= 4 else "quarters of several forces (listed in the notes)"
        what = {
            m.LOW: "quarters that look incomplete (far fewer offences closed than usual)",
            m.PARTLY_PROVIDED: "quarters for which not every count was provided",
            m.LEFT_OUT: "quarters with some counts blank in the published data",
        }[e.kind]
        text = f"The national figures include {what}: {listed}."
        if not e.material:
            out.append(("data", text + " They do not change the national figures as printed here."))
        elif not rate:
            out.append(("caveats", text + " The national count is probably too low as a result."))
        elif e.direction:
            way = "higher" if e.direction > 0 else "lower"
            out.append(("caveats", text + f" Leaving them out would make the national rate {way}."))
        else:
            out.append(("caveats", text + " They could change the national rate as printed."))
    return out


def write(v: stories.Version, ds: m.Dataset, release_of: dict[str, str]) -> Story:
    """One force's version of a story."""
    return _Version(v, ds, release_of).write()


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


def place_name(force: forces_mod.Force) -> str:
    return force.name
