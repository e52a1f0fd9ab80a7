"""The claims audit in words and as a table: what was computed (at the claim's own precision, for the claim's own
period only), the difference in words a reader understands, the bands behind the verdict, the reason, and the
nearest figure this edition can give (in its own column, with its period). Every number through the one formatter.
"""

from __future__ import annotations

import re

import pandas as pd

from ...analysis import claims as cl
from ...analysis import measures as m
from . import numbers, wording
from .numbers import Printed

#: the audit table (claims_audit.csv): one row per claim. `computed`, `difference`, `nearest_computed` are exact
#: (unrounded) values in the claim's unit (a count, a percentage, a rank); the *_text columns are as printed.
#: `later_band`: the values a later release may give a figure the story took from an earlier one; `story_release`,
#: `edition_release`: the release the story used (where known) and the edition's; `later_data_move`: up, down or
#: blank, the way later extracts of the table move such a figure. A change: `computed` is the change, `change_from` the
#: earlier period and `earlier_computed` the measure's exact value in it. `alternatives`: the other readings of the
#: figure, each with what it computes and its verdict.
COLUMNS = [
    "id",
    "registry",
    "article",
    "verdict",
    "claimed",
    "computed",
    "computed_text",
    "difference",
    "difference_text",
    "printed_band",
    "revised_band",
    "later_band",
    "story_release",
    "edition_release",
    "later_data_move",
    "reason",
    "caveats",
    "quote",
    "reading",
    "note",
    "area",
    "period",
    "quarters",
    "basis",
    "offences",
    "numerator",
    "denominator",
    "change_from",
    "earlier_computed",
    "numerator_value",
    "denominator_value",
    "nearest_period",
    "nearest_computed",
    "nearest_text",
    "edition_to_check",
    "years_needed",
    "rows",
    "alternatives",
]
INTEGER = ("numerator_value", "denominator_value", "rows")


_SUFFIX = {"m": 1e6, "mn": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3, "bn": 1e9, "billion": 1e9}


def as_printed(claimed: cl.Claimed, value, key: str = "", counts: tuple | None = None) -> Printed:
    """A computed value at the claim's own printed precision (one formatter, half-up); a "1 in N" from the counts
    (numerator, denominator) when known; a count printed rounded ("443,000", "4.6m") at the same rounding; a
    fraction ("a third", "nine in 10") as a percentage to one decimal."""
    if value is None:
        return Printed("–", None, key)
    if claimed.unit == "count":
        if not claimed.rounded:
            return numbers.count(value, key)
        unit = re.search(r"\d ?(" + "|".join(_SUFFIX) + r")$", claimed.text.lower())
        if unit:
            spaced = " " if claimed.text.lower().endswith(" " + unit.group(1)) else ""
            word = claimed.text[len(claimed.text) - len(unit.group(1)) :]
            return numbers.rounded(value, claimed.step, key, _SUFFIX[unit.group(1)], spaced + word)
        return numbers.rounded(value, claimed.step, key)
    if claimed.unit == "one_in":
        if counts and counts[0] and counts[1]:
            return numbers.one_in(counts[0] / counts[1], claimed.decimals, key, counts=counts)
        return numbers.one_in_percent(value, claimed.decimals, key)
    if claimed.unit == "rank":
        return Printed(f"{int(value)}", int(value), key)
    if claimed.unit == "fraction":
        return numbers.percent(value, 1, key)
    return numbers.percent(value, claimed.decimals, key)


def claimed_figure(c: cl.Claimed) -> Printed | str:
    """The figure an article printed, with the value it states (a page marks it up like any figure): a count or a
    percentage, a fraction in per cent, "1 in N" as the fraction; a change as printed, its figures marked."""
    if c.unit in ("count", "percent", "fraction"):
        return Printed(c.text, c.value)
    if c.unit == "one_in" and c.value:
        return Printed(c.text, 1 / c.value)
    if c.unit == "change":
        change = c.change
        if change.form == "values":
            return f"from {claimed_figure(change.start)} to {claimed_figure(change.end)}"
        figure = claimed_figure(change.by)
        return c.text.replace(change.by.text, figure) if change.by.text in c.text else f"{c.text} ({figure})"
    return c.text


def band_text(band: cl.Band | None, claimed: cl.Claimed, count: bool | None = None) -> str:
    """A band in words: 'exactly 5,523', '442,500.0 to 443,500.0', '81.500% to 82.500%', 'under 10' (count: the
    band holds counts, for a change in a count)."""
    if band is None:
        return ""
    count = claimed.unit == "count" if count is None else count

    def fmt(x):
        if count:
            return numbers.count(x) if float(x).is_integer() else numbers.number(x, 1)
        return numbers.percent(x, 3)

    if count and band.lo == band.hi:
        return f"exactly {numbers.count(band.lo)}"
    if band.lo == float("-inf"):
        return f"under {fmt(band.hi)}"
    return f"{fmt(band.lo)} to {fmt(band.hi)}"


def difference(f: cl.Finding) -> float | int | None:
    """The computed value less the printed one (its bound for 'fewer than', 'nearly', 'more than'), in the claim's
    unit; a change: less the printed change."""
    c = f.claim.claimed
    if f.computed is None:
        return None
    if c.unit == "change":
        change = c.change
        if change.form == "values" or change.by is None:
            return None
        d = f.computed - change.sign * change.by.target
        return int(d) if change.form == "count" else d
    if c.unit not in ("count", "percent", "one_in", "fraction"):
        return None
    d = f.computed - c.target
    return int(d) if c.unit == "count" and float(d).is_integer() else d


def difference_text(f: cl.Finding) -> str:
    """The gap between the computed and the printed figure, in words."""
    c, d = f.claim.claimed, difference(f)
    if d is None or f.verdict == cl.REPRODUCED:
        return "none at the printed precision" if f.verdict == cl.REPRODUCED else ""
    counted = c.unit == "count" or (c.unit == "change" and c.change.form == "count")
    if counted:
        base = c.value if c.unit == "count" else c.change.by.value
        share = abs(d) / abs(base) * 100 if base else None
        small = Printed("less than 0.1%", share) if share is not None and share < 0.05 else None
        rel = "" if share is None else f" ({small or numbers.percent(share, 1)})"
        more = "more" if d > 0 else "fewer"
        return f"{numbers.count(abs(d))} {more} than printed{rel}"
    if c.unit == "change" and c.change.form == "relative":
        return f"{numbers.percent(abs(d), 2)} of the earlier value {'more' if d > 0 else 'less'} than printed"
    return f"{numbers.distance(d, 2)} {'higher' if d > 0 else 'lower'} than printed"


def _what(f: cl.Finding) -> str:
    q = f.claim.query
    area = wording.area_name(q.area, f.left_out)
    return f"{area}, {q.period.label} ({q.period.quarters_text}), {q.basis} basis, {q.offences.label}"


def _computation(f: cl.Finding) -> str:
    q = f.claim.query
    n = numbers.count(f.numerator)
    if q.denominator is None:
        return f"{q.numerator.label} = {n}"
    exact = numbers.percent(f.computed, 2)
    return f"{q.numerator.label} / {q.denominator.label} = {n} / {numbers.count(f.denominator)} = {exact}"


WHY_LATER = {
    cl.UP: "later extracts of the table hold fewer offences without an outcome and more of every other outcome",
    cl.DOWN: "later extracts of the table hold fewer offences without an outcome",
}


def release_sentence(f: cl.Finding, release_of: dict[str, str]) -> str:
    """What is known of the release the story used against this edition's, which way later data move the figure,
    and whether the difference goes the way revisions between the two would move it."""
    rev = f.revision
    if rev is None:
        return ""
    ours = wording.releases(list(rev.edition)) or "this edition's release"
    if not rev.story:
        said = f"The story does not say which release it used; this edition uses the {ours}."
    elif rev.order == "same":
        return (
            f"The story used the same release as this edition ({rev.story}), so revisions do not explain the "
            "difference: the story may have read the table differently."
        )
    elif rev.order in ("earlier", "later"):
        said = f"The story used the {rev.story}, {rev.order} than this edition's {ours}."
    else:
        said = f"The story used the {rev.story}; this edition uses the {ours}."
    if not rev.direction:
        return said + (" Revisions between them can explain the difference." if rev.story else "")
    way = "higher" if rev.direction == cl.UP else "lower"
    said += f" A later release gives this figure a {way} value ({WHY_LATER[rev.direction]})"
    if not rev.difference:
        return said + "."
    other = "lower" if rev.direction == cl.UP else "higher"
    mine = way if rev.difference == rev.direction else other
    if rev.order == "later":  # the story's figure is the later one: the edition's should lie the other way
        if rev.difference == rev.direction:
            return (
                said
                + f"; yet this edition's value, from the earlier release, is {mine}, so revisions do not explain it."
            )
        return said + f"; this edition's value, from the earlier release, is {mine}, as revisions would make it."
    if rev.difference != rev.direction:
        if f.computed in f.revised:
            return (
                said + f", but this edition's value is {mine}: only the small revision allowed either way explains it."
            )
        return said + f", but this edition's value is {mine}, so revisions do not explain the difference."
    if rev.order == "earlier" and f.later is not None:
        where = band_text(f.later, f.claim.claimed)
        if f.computed in f.later:
            return (
                said + f", and this edition's value is {mine}, as a later release's would be: inside the band a "
                f"later release may give it ({where})."
            )
        return said + f", and this edition's value is {mine}, but further than a later release may move it ({where})."
    return said + f", and this edition's value is {mine}, as it would be if the story used an earlier release."


def refuse_unknown_offences(registries: list[cl.Registry], ds: m.Dataset) -> None:
    """A registry the user brought must fit the edition: its first claim naming offences the edition does not have is
    an error naming the file, the claim and the field, with the nearest names the edition has."""
    found = next(cl.unknown_offences(registries, ds), None)
    if found is not None:
        raise found.error(wording.unknown_offence(found.problem))


def reason(f: cl.Finding, release_of: dict[str, str]) -> str:
    """Why the verdict, in a few sentences."""
    c, claim = f.claim.claimed, f.claim
    if f.verdict == cl.NOT_FROM_DATASET:
        return (
            f"From {claim.source_name}: the outcomes tables hold police-recorded outcomes only, so this figure "
            "cannot be checked against them."
        )
    if f.problem:
        return f"The {wording.unknown_offence(f.problem)}, so this claim cannot be checked on it."
    if claim.kind == "coverage":
        return _coverage_reason(f)
    if claim.kind == "record":
        return _record_reason(f)
    if claim.kind == "rank":
        return _rank_reason(f)
    if c.is_statement:
        return _statement_reason(f)
    if claim.kind == "change":
        return _change_reason(f, release_of)
    if f.verdict == cl.NOT_VERIFIABLE:
        if f.missing:
            return f"This edition cannot give the figure: {wording.gaps_text(f.missing)}."
        return f"The denominator ({claim.query.denominator.label}) is 0 for {claim.query.period.label}."
    shown = as_printed(c, f.computed, counts=(f.numerator, f.denominator))
    head = f"{_what(f)}: {_computation(f)}, which prints as {shown}"
    if f.verdict == cl.REPRODUCED:
        return f"{head}: the published figure."
    where = f"outside what {claimed_figure(c)} can stand for ({band_text(f.printed, c)})"
    inside = f.computed in f.revised
    return (
        f"{head}, {difference_text(f)}: {where}, {'but inside' if inside else 'and outside'} the band allowed for "
        f"revised data ({band_text(f.revised, c)}). {release_sentence(f, release_of)}"
    )


# ------------------------------------------------------------------------------------------------ changes
def change_printed(f: cl.Finding, key: str = "") -> str:
    """The computed change at the printed change's precision: 'up 4.1 points', 'down 38,221', 'down 25.3%', 'from
    10% to 9%' ('' when it cannot be computed); its figures are `Printed` (a page marks them up)."""
    change = f.claim.claimed.change
    if f.values is None:
        return ""
    if change.form == "values":
        start, end = (
            as_printed(e.claim.claimed, e.computed, f"{key}:{n}", counts=(e.numerator, e.denominator))
            for n, e in enumerate(f.ends)
        )
        return f"from {start} to {end}"
    d = f.computed
    way = "up" if d > 0 else ("down" if d < 0 else "unchanged:")
    if change.form == "points":
        size = numbers.distance(d, change.by.decimals, key)
    elif change.form == "count":
        size = as_printed(change.by, abs(d), key)
    elif change.by.unit == "fraction":
        size = numbers.percent(abs(d), 1, key)
    else:
        size = numbers.percent(abs(d), change.by.decimals, key)
    return f"{way} {size}"


def _change_reason(f: cl.Finding, release_of: dict[str, str]) -> str:
    claim, change = f.claim, f.claim.claimed.change
    q, before = claim.query, claim.change_from
    if f.verdict == cl.NOT_VERIFIABLE:
        if f.missing:
            return f"This edition cannot give the change: {wording.gaps_text(f.missing)}."
        return f"The denominator ({q.denominator.label}) is 0 for {before.label} or {q.period.label}."
    if change.form == "values":
        parts = [
            f"{e.claim.claimed.text} in {e.claim.query.period.label}: {e.verdict} ({reason(e, release_of)})"
            for e in f.ends
        ]
        return f"Each value judged in its own period, the change taking the worse verdict. {' '.join(parts)}"
    rate = q.denominator is not None
    fmt = (lambda v: numbers.percent(v, 2)) if rate else numbers.count
    values = f"{fmt(f.values[0])} in {before.label}, {fmt(f.values[1])} in {q.period.label}"
    how = {"points": "in percentage points", "count": "in the count", "relative": "as a share of the earlier value"}
    shown = change_printed(f)
    head = (
        f"{_what(f)}, {q.numerator.label}" + (f" / {q.denominator.label}" if rate else "") + f": {values}; the change "
        f"{how[change.form]} prints as {shown}"
    )
    if f.verdict == cl.REPRODUCED:
        return f"{head}: the published change."
    count = change.form == "count"
    unit = "" if count else (" points" if change.form == "points" else " of the earlier value")
    return (
        f"{head}, {difference_text(f)}: outside what “{claimed_figure(claim.claimed)}” can stand for "
        f"({band_text(f.printed, change.by, count)}{unit}), "
        f"{'but inside' if f.computed in f.revised else 'and outside'} the band allowed for revised data, each "
        f"period's value revised on its own ({band_text(f.revised, change.by, count)}{unit})."
    )


def _series_text(f: cl.Finding, series: dict[int, float]) -> str:
    c = f.claim
    rate = c.query.denominator is not None
    return ", ".join(f"{y}: {numbers.percent(v, 1) if rate else numbers.count(v)}" for y, v in sorted(series.items()))


def _record_reason(f: cl.Finding) -> str:
    c, q = f.claim.claimed, f.claim.query
    word = "lowest" if c.lowest else "highest"
    if f.verdict == cl.NOT_VERIFIABLE:
        return (
            f"A record since {c.since} needs {c.since} and {q.period.year} at least, and this edition cannot give "
            f"them: {wording.gaps_text(f.missing)}."
        )
    if not f.series:
        return f"'{c.text}' cannot be said of {q.period.label}, which comes before {c.since}."
    head = f"{_what(f)}, by {q.period.kind} year: {_series_text(f, f.series)}"
    gaps = f"; years that cannot be computed: {', '.join(map(str, f.not_computable))}" if f.not_computable else ""
    if f.verdict == cl.REPRODUCED:
        return f"{head}{gaps}. {q.period.year} is the {word}."
    also = wording.join([str(y) for y in f.higher])
    rel = " (within the band allowed for revised data)" if f.verdict == cl.REVISED else ""
    return (
        f"{head}{gaps}. {q.period.year} is not the {word}: {also} {'was' if len(f.higher) == 1 else 'were'} as "
        f"{'low or lower' if c.lowest else 'high or higher'}{rel}."
    )


def _rank_reason(f: cl.Finding) -> str:
    c, q = f.claim.claimed, f.claim.query
    field = f.claim.ranked
    if f.verdict == cl.NOT_VERIFIABLE:
        if f.missing:
            return f"This edition cannot rank {q.area.name} for {q.period.label}: {wording.gaps_text(f.missing)}."
        return f"{q.area.name} is not among the forces ranked for {q.period.label}."
    among = "police forces" if field is None or field.among != "territorial forces" else "territorial forces"
    how = ""
    if field is not None and field.precision is not None:
        how = f", compared as printed ({field.precision} decimal place{'s' if field.precision != 1 else ''})"
    if field is not None and field.comparable_only:
        how += ", forces whose outcomes are incomplete left out"
    place = ""
    if f.place:
        side, n = f.place
        place = f" ({'joint ' if f.tied else ''}{numbers.ordinal_words(n) + ' ' if n > 1 else ''}{side})"
    return (
        f"Ranked by {q.numerator.label}"
        + (f" / {q.denominator.label}" if q.denominator else "")
        + f", {q.period.label}, {q.basis} basis, {q.offences.label}{how}: {q.area.name} is {int(f.computed)}{place} "
        f"of {f.of} {among} (1 = highest); printed: {c.text}."
    )


def _statement_reason(f: cl.Finding) -> str:
    """What a statement compares, the figures as printed, and whether it holds."""
    c, claim, q = f.claim.claimed, f.claim, f.claim.query
    if f.verdict == cl.NOT_VERIFIABLE:
        return f"This edition cannot give every figure the statement compares: {wording.gaps_text(f.missing)}."
    decimals = claim.precision or 0

    def shown(key: str) -> Printed:
        v = f.compared[key]
        return numbers.percent(v, decimals) if q.denominator is not None else numbers.count(v)

    area = wording.area_name(q.area)
    earlier = claim.change_from.label if claim.change_from else ""
    if c.unit == "versus":
        facts = f"{area} {shown('now')} against England and Wales {shown('ew')}, {q.period.label}"
    elif c.unit == "direction":
        facts = f"{area} {shown('before')} in {earlier}, {shown('now')} in {q.period.label}"
    elif c.unit == "size":
        facts = (
            f"{area} {shown('before')} in {earlier}, {shown('now')} in {q.period.label}; a change of at least "
            f"{numbers.number(claim.sharp, 1)} {'points' if q.denominator is not None else 'per cent'} is sharp"
        )
    else:  # change_versus
        facts = (
            f"{area} {shown('before')} to {shown('now')}, England and Wales {shown('ew_before')} to {shown('ew')}, "
            f"{earlier} to {q.period.label}"
        )
    holds = "which is what the story says" if f.verdict == cl.REPRODUCED else "so the statement does not hold"
    return f"{c.text!r}: {facts} (as printed), {holds}."


def _coverage_reason(f: cl.Finding) -> str:
    q = f.claim.query
    if f.verdict == cl.REPRODUCED:
        return f"{q.area.name} lacks data in {q.period.label}: {wording.gaps_text(f.missing)}."
    if f.verdict == cl.NOT_VERIFIABLE:
        return (
            f"This edition cannot show {possessive(q.area.name)} coverage in {q.period.label}: "
            f"{wording.gaps_text(f.missing)}."
        )
    return f"{q.area.name} has data for every quarter of {q.period.label} in this edition."


def possessive(name: str) -> str:
    return wording.possessive(name)


def computed_text(f: cl.Finding) -> Printed | str:
    """The computed figure for the claim's OWN period, at its printed precision ('' when it cannot be computed)."""
    c = f.claim.claimed
    if f.verdict in (cl.NOT_VERIFIABLE, cl.NOT_FROM_DATASET) or f.claim.kind == "coverage":
        return (
            "incomplete"
            if f.claim.kind == "coverage" and f.verdict == cl.REPRODUCED
            else ("complete" if f.claim.kind == "coverage" and f.verdict == cl.DIFFERS else "")
        )
    if f.claim.kind == "record":
        word = "lowest" if c.lowest else "highest"
        return f"{word} since {c.since}" if f.verdict == cl.REPRODUCED else f"not the {word}"
    if f.claim.kind == "rank":
        return Printed(f"{int(f.computed)} of {f.of}", int(f.computed), f"rank:{f.claim.id}")
    if c.is_statement:
        return "true" if f.verdict == cl.REPRODUCED else "not true"
    if f.claim.kind == "change":
        return change_printed(f, key=f"claim:{f.claim.id}")
    return as_printed(c, f.computed, key=f"claim:{f.claim.id}", counts=(f.numerator, f.denominator))


def nearest_text(f: cl.Finding) -> Printed | str:
    """The nearest figure this edition can give, at the claim's precision, for a claim it cannot check."""
    near = f.nearest
    if near is None:
        return ""
    if f.claim.kind == "coverage":
        return "complete" if not near.gaps else f"incomplete: {wording.gaps_text(near.gaps)}"
    if f.claim.kind == "record" and near.series:
        value = near.series[near.period.year]
        higher = [y for y, v in near.series.items() if y != near.period.year and v >= value]
        shown = _series_text(f, {near.period.year: value})
        if len(near.series) == 1:
            return f"{shown} (the only computable year: no record can be judged)"
        return f"{shown}, {'not the highest' if higher else 'the highest'} of the {len(near.series)} computable years"
    return as_printed(f.claim.claimed, near.computed, key=f"nearest:{f.claim.id}", counts=near.counts)


def caveats_text(flags: list[m.Flag]) -> str:
    return " ".join(wording.flag_text(flag) for flag in flags)


def edition_text(f: cl.Finding) -> str:
    if not f.years_needed or f.verdict != cl.NOT_VERIFIABLE:
        return ""
    years = f.years_needed[0] if len(f.years_needed) == 1 else f"{f.years_needed[0]} to {f.years_needed[-1]}"
    if f.edition_needed:
        return f"the {f.edition_needed} edition holds financial years {years}"
    return f"no edition in the sources manifest holds financial years {years}"


def bands(f: cl.Finding) -> tuple[str, str, str]:
    """The printed band, the band for revised data and the band a later release may give, in words."""
    c = f.claim.claimed
    if c.unit == "change":
        change = c.change
        if change.form == "values":
            return "", "", ""
        count = change.form == "count"
        return band_text(f.printed, change.by, count), band_text(f.revised, change.by, count), ""
    return band_text(f.printed, c), band_text(f.revised, c), band_text(f.later, c)


def alternatives_text(f: cl.Finding) -> str:
    """The claim's other readings, each with what it computes and its verdict: 'closed basis: 3,386 (revised)'."""
    said = []
    for alt in f.alternatives:
        why = (alt.claim.reading or "another reading").rstrip(".")
        said.append(f"{why}: {computed_text(alt) or 'cannot be computed'} ({alt.verdict})")
    return "; ".join(said)


def table(audit: cl.Audit, release_of: dict[str, str], rows_files: dict[str, str]) -> pd.DataFrame:
    """claims_audit.csv: one row per claim, exact values and their printed forms."""
    records = []
    for f in audit.findings:
        c, q = f.claim, f.claim.query
        near = f.nearest
        records.append(
            {
                "id": c.id,
                "registry": f.registry.name,
                "article": c.article,
                "verdict": f.verdict,
                "claimed": c.claimed.text,
                "computed": f.computed
                if c.kind != "coverage" and f.verdict != cl.NOT_VERIFIABLE and not c.claimed.is_statement
                else None,
                "computed_text": str(computed_text(f)),
                "difference": difference(f),
                "difference_text": difference_text(f),
                **dict(zip(("printed_band", "revised_band", "later_band"), bands(f))),
                "story_release": f.revision.story if f.revision else "",
                "edition_release": wording.releases(list(f.revision.edition)) if f.revision else "",
                "later_data_move": f.revision.direction if f.revision else "",
                "reason": reason(f, release_of),
                "caveats": caveats_text(f.caveats if f.verdict != cl.NOT_VERIFIABLE else []),
                "quote": c.quote,
                "reading": c.reading,
                "note": c.note,
                "area": wording.area_name(q.area, f.left_out) if q else "",
                "period": q.period.label if q else "",
                "quarters": q.period.quarters_text if q else "",
                "basis": q.basis if q else "",
                "offences": q.offences.label if q else "",
                "numerator": q.numerator.label if q else "",
                "denominator": q.denominator.label if q and q.denominator else "",
                "change_from": c.change_from.label if c.change_from else "",
                "earlier_computed": f.values[0] if f.values else None,
                "numerator_value": f.numerator,
                "denominator_value": f.denominator,
                "nearest_period": near.period.label if near else "",
                "nearest_computed": near.computed if near else None,
                "nearest_text": str(nearest_text(f)),
                "edition_to_check": edition_text(f),
                "years_needed": ", ".join(f.years_needed) if f.verdict == cl.NOT_VERIFIABLE else "",
                "rows": None if f.rows is None else len(f.rows),
                "alternatives": alternatives_text(f),
            }
        )
    out = pd.DataFrame(records, columns=COLUMNS)
    for col in ("computed", "difference", "nearest_computed", "earlier_computed"):  # counts stay whole numbers
        out[col] = pd.Series([r[col] for r in records], dtype=object)
    for col in INTEGER:
        out[col] = out[col].astype("Int64")
    out["rows_file"] = [rows_files.get(i, "") for i in out["id"]]
    return out
