"""The story paragraph of a force report, in the June 2021 articles' style, with the words the data support.

- the force is named as prose names it ("Cheshire Constabulary", "the Metropolitan Police", "British Transport
  Police");
- "up from", "down from" or "the same as", judged at the precision printed (so 79% is never "compared to 79%");
- "a record" only with at least three complete years, "the highest since" only against complete years, in the
  meaning the claims audit gives it ("since comparable figures began in 2015", or "since 2016, when it was x%");
- the caveats of every year the paragraph reads (not only the latest) are the paragraph's caveats;
- a year-on-year change that spans two releases of the data says so;
- when the figures carry caveats (partial supply, implausibly low quarters, cells left out) the paragraph says so
  and is not marked ready to paste.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import force_figures as ff
from ..analysis.periods import Period


@dataclass
class Story:
    text: str
    ready: bool  # complete data: can be pasted as it is
    caveats: list[str] = field(default_factory=list)


def _when(period: Period) -> str:
    return str(period.year) if period.kind == "calendar" else f"the year to March {period.year + 1}"


def _label(period: Period) -> str:
    return period.short


def compare(latest: float, previous: float, decimals: int = 1) -> str:
    """'up from 35.0%', 'down from 35.0%' or 'the same as' (at the printed precision)."""
    a, b = round(100 * latest, decimals), round(100 * previous, decimals)
    if a > b:
        return f"up from {b:.{decimals}f}%"
    if a < b:
        return f"down from {b:.{decimals}f}%"
    return "the same as"


def highest_since(values: dict[int, float], year: int) -> tuple[str, list[int]] | None:
    """What the rate of `year` is highest since, and the years that judgement reads; None when there is nothing
    worth saying (fewer than two earlier years, or the year before was as high or higher).

    The claims audit reads "highest since 2015" as "the highest of the years from 2015", so a rate higher than
    every earlier year is "the highest since comparable figures began in <first year>"; otherwise it is "the
    highest since <the last year as high or higher>, when it was <rate>"."""
    earlier = {y: v for y, v in values.items() if y < year}
    if len(earlier) < 2:
        return None
    higher = [y for y, v in earlier.items() if v >= values[year]]
    if not higher:
        return f"the highest rate since comparable figures began in {min(earlier)}", sorted(values)
    last = max(higher)
    if last >= year - 1:
        return None
    return (
        f"the highest rate since {last}, when it was {100 * values[last]:.1f}%",
        [y for y in sorted(values) if y >= last],
    )


def _releases(period: Period, release_of: dict[str, str]) -> set[str]:
    return {release_of.get(fy, "") for fy in period.financial_years}


def paragraph(figs: ff.ForceFigures, release_of: dict[str, str]) -> Story:
    force = figs.force
    cal = [(p, f, e) for p, f, e in figs.years.get("calendar", []) if f.computable]
    kind = "calendar" if len(cal) >= 2 else "financial"
    years = [(p, f, e) for p, f, e in figs.years.get(kind, []) if f.computable]
    if not years:
        return Story(
            f"This edition has no complete year of data for {force.name}, so no figures can be given for it "
            "(see the data notes).",
            ready=False,
        )
    latest, f, e = years[-1]
    when = _when(latest)
    rates = {p.year: fig.rate for p, fig, _ in years if fig.rate is not None}
    counts = {p.year: fig.vdns for p, fig, _ in years}
    parts = []
    by_year = {p.year: fig for p, fig, _ in years}
    used = [latest.year]  # the years whose figures the paragraph reads (their caveats are the paragraph's)
    if len(counts) >= 3 and all(counts[latest.year] > v for y, v in counts.items() if y != latest.year):
        used += list(counts)
        parts.append(
            f"A record number of criminal offences closed by {force.prose} in {when} fell through after the "
            "alleged victim did not support further action, figures show."
        )
    parts.append(
        f"Home Office data shows that of {f.closed:,} offences closed by {force.prose} in {when}, "
        f"{f.vdns:,} fell through after the alleged victim did not support further action."
    )
    if f.rate is None:
        return Story(" ".join(parts), ready=False, caveats=f.caveats)
    sentence = f"That is a rate of {100 * f.rate:.1f}%"
    since = highest_since(rates, latest.year)
    if since:
        sentence += ", " + since[0]
        used += since[1]
    if len(years) >= 2 and years[-2][1].rate is not None:
        prev, pf, _ = years[-2]
        used.append(prev.year)
        words = compare(f.rate, pf.rate)
        sentence += f", {words} {'the rate in' if words == 'the same as' else 'in'} {_label(prev)}"
        if _releases(prev, release_of) != _releases(latest, release_of):
            sentence += (
                f" (the two years come from different releases of the data, "
                f"{' and '.join(sorted(_releases(prev, release_of) | _releases(latest, release_of)))}, "
                "so revisions may account for part of the change)"
            )
    parts.append(sentence + ".")
    if e.computable and e.rate is not None:
        ew = f"Across {e.area.label}, {100 * e.rate:.1f}% of offences closed in {when} ended this way"
        if len(years) >= 2 and years[-2][2].computable and years[-2][2].rate is not None:
            words = compare(e.rate, years[-2][2].rate)
            ew += f", {words} {'the rate in' if words == 'the same as' else 'in'} {_label(years[-2][0])}"
        parts.append(ew + ".")
    if f.vdns and f.share is not None:
        share = (
            f"Of the cases dropped by {force.prose} after a victim did not support further action, a suspect was "
            f"identified in {f.suspect:,}, around {100 * f.share:.0f}%"
        )
        if e.computable and e.share is not None:
            same = round(100 * f.share) == round(100 * e.share)
            share += (
                ", the same as across England and Wales"
                if same
                else f", compared with {100 * e.share:.0f}% across England and Wales"
            )
        parts.append(share + ".")
    own = list(dict.fromkeys(c for y in sorted(set(used)) for c in by_year[y].caveats))
    national = [c for c in (e.caveats if e.computable else []) if c not in own]
    if own:
        parts.append(f"These figures for {force.prose} come with a caveat: " + "; ".join(own) + ".")
    if national:
        parts.append(
            f"The England and Wales figures use {len(national)} quarter(s) or cells with a caveat (see the data notes)."
        )
    caveats = list(dict.fromkeys(own + national))
    return Story(" ".join(parts), ready=not caveats, caveats=caveats)
