"""The words for the typed facts analysis produces: quarters, gaps (data a figure cannot use), caveats (flags on a
figure that can be computed), areas, and offences a claim or story names that the edition does not have. Plain
English for readers; every number through the one formatter."""

from __future__ import annotations

from ...analysis import measures as m
from ...analysis import periods
from ...data import derive
from ...data import forces as forces_mod
from . import numbers

MONTHS = {
    1: ("April", "June", 0),
    2: ("July", "September", 0),
    3: ("October", "December", 0),
    4: ("January", "March", 1),
}


def months(financial_year: str, quarter: int) -> str:
    """'2018/19', 1 -> 'April to June 2018'; '2018/19', 4 -> 'January to March 2019'."""
    first, last, later = MONTHS[quarter]
    return f"{first} to {last} {int(financial_year[:4]) + later}"


def quarter(financial_year: str, quarter_number: int) -> str:
    """'April to June 2018 (2018/19 Q1)': the months a reader knows, then the table's own name for the quarter."""
    return f"{months(financial_year, quarter_number)} ({financial_year} Q{quarter_number})"


def possessive(name: str) -> str:
    """ "Cheshire's", "the Metropolitan Police's", "British Transport Police's"."""
    return f"{name}'" if name.endswith("s") and not name.endswith("ss") else f"{name}'s"


def short_name(name: str, start: bool = False) -> str:
    """A force's short name as a title uses it, with the article its name takes ("the Metropolitan Police",
    "Cheshire"); start: at the start of a sentence ("The Metropolitan Police")."""
    force = forces_mod.BY_NAME.get(name)
    text = f"the {name}" if force and force.official.startswith("the ") else name
    return text[:1].upper() + text[1:] if start else text


def force_name(name: str) -> str:
    """A force as a sentence names it ("the Metropolitan Police")."""
    force = forces_mod.BY_NAME.get(name)
    return force.prose if force else name


def plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


def counted(n: int, one: str, many: str | None = None) -> str:
    """'1 force', '44 forces', '1 story', '4 stories'."""
    return f"{numbers.count(n)} {plural(n, one, many)}"


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


# ------------------------------------------------------------------------------------------- caveats (flags)
def flag_title(flag: m.Flag) -> str:
    """A caveat in a few words: 'Avon and Somerset, April to June 2018: looks incomplete'."""
    what = {
        m.LOW: "looks incomplete",
        m.PARTLY_PROVIDED: "only partly provided",
        m.LEFT_OUT: "some counts left out",
    }[flag.kind]
    return f"{flag.force}, {quarter(flag.financial_year, flag.quarter)}: {what}"


def flag_text(flag: m.Flag) -> str:
    """A caveat in a sentence or two, for the data notes."""
    who, when = flag.force, quarter(flag.financial_year, flag.quarter)
    if flag.kind == m.LOW:
        return (
            f"{possessive(who)} figures for {when} look incomplete: {numbers.count(flag.total)} offences were closed, "
            f"{numbers.share(flag.total, flag.usual, 0)} of its usual {numbers.count(flag.usual)} a quarter. Figures "
            "that include that quarter are probably too low."
        )
    if flag.kind == m.PARTLY_PROVIDED:
        n = flag.cells or 0
        return (
            f"{who} did not provide all its counts for {when}: {numbers.count(n)} "
            f"{plural(n, 'count is', 'counts are')} marked 'data not provided', so figures that include that quarter "
            "are understated."
        )
    n = flag.cells or 0
    return (
        f"{numbers.count(n)} of {possessive(who)} {flag.basis}-basis {plural(n, 'count')} for {when} "
        f"{plural(n, 'is', 'are')} blank or not a number in the published file and {plural(n, 'is', 'are')} left out "
        "of its totals (the quality table lists every such cell)."
    )


# ------------------------------------------------------------------------------------------- gaps
_STATUS = {
    derive.COVERAGE_MISSING: "has no rows",
    derive.COVERAGE_NOT_PROVIDED: "was not provided",
    derive.COVERAGE_NO_COUNTS: "has no counts",
}


def gap_text(gap: m.Gap) -> str:
    """Why a quarter cannot be used: 'April to June 2020 (2020/21 Q1) is not in this edition'."""
    when = quarter(gap.financial_year, gap.quarter)
    if gap.status == m.NOT_IN_EDITION:
        return f"{when} is not in this edition"
    if len(gap.forces) <= 3:
        return f"{possessive(join(list(gap.forces)))} data for {when} {_STATUS[gap.status]}"
    return f"the data of {len(gap.forces)} forces for {when} {_STATUS[gap.status]}"


_PLAIN_STATUS = {
    derive.COVERAGE_MISSING: "are missing",
    derive.COVERAGE_NOT_PROVIDED: "were not provided",
    derive.COVERAGE_NO_COUNTS: "have no counts",
}


def gaps_plain(gaps: list[m.Gap]) -> str:
    """Gaps in words for a story's reader (no "edition"): 'the figures used here do not cover April 2016 to March
    2017'; 'North Yorkshire Police's data for July to September 2018 are missing'."""
    absent = [(g.financial_year, g.quarter) for g in gaps if g.status == m.NOT_IN_EDITION]
    parts = [f"the figures used here do not cover {join(spans(absent))}"] if absent else []
    for g in gaps:
        if g.status == m.NOT_IN_EDITION:
            continue
        who = possessive(join([force_name(f) for f in g.forces])) if len(g.forces) <= 3 else ("several forces'")
        parts.append(f"{who} data for {months(g.financial_year, g.quarter)} {_PLAIN_STATUS[g.status]}")
    return "; ".join(parts)


def spans(quarters: list[tuple[str, int]]) -> list[str]:
    """Quarters as runs of months: [('2016/17', 1), ..., ('2016/17', 4)] -> ['April 2016 to March 2017'];
    [('2019/20', 2), ('2019/20', 3)] -> ['July to December 2019']."""
    order = sorted(set(quarters), key=lambda q: (q[0], q[1]))
    runs: list[list[tuple[str, int]]] = []
    for q in order:
        if runs and periods.next_quarter(*runs[-1][-1]) == q:
            runs[-1].append(q)
        else:
            runs.append([q])
    out = []
    for run in runs:
        (fy0, q0), (fy1, q1) = run[0], run[-1]
        first, _, later0 = MONTHS[q0]
        _, last, later1 = MONTHS[q1]
        y0, y1 = int(fy0[:4]) + later0, int(fy1[:4]) + later1
        if len(run) == 1:
            out.append(months(fy0, q0))
        else:  # 'July to December 2019', 'October 2019 to March 2020'
            out.append(f"{first} to {last} {y1}" if y0 == y1 else f"{first} {y0} to {last} {y1}")
    return out


def period_name(period) -> str:
    """A period as a heading or a table names it: 'calendar 2018', 'financial year 2017/18', and any other run of
    quarters in months ('January to September 2018'), never in the table's quarter codes."""
    return period.label if period.kind in ("calendar", "financial") else join(spans(list(period.quarters)))


def gaps_text(gaps: list[m.Gap]) -> str:
    """Gaps in one sentence, quarters not in the edition run together: 'the data for April 2016 to March 2017
    are not in this edition'."""
    absent = [(g.financial_year, g.quarter) for g in gaps if g.status == m.NOT_IN_EDITION]
    other = [gap_text(g) for g in gaps if g.status != m.NOT_IN_EDITION]
    parts = [f"the data for {join(spans(absent))} are not in this edition"] if absent else []
    return "; ".join(parts + other)


def unknown_offence(problem: m.UnknownOffence) -> str:
    """An offence the edition does not have, with the nearest names it has: "offence code '28X' is not in the data;
    the nearest: 28, 28H (the list of measures names every one)"."""
    what = "offence code" if problem.kind == "codes" else f"offence {problem.kind}"
    return (
        f"{what} {problem.name!r} is not in the data"
        + (f"; the nearest: {', '.join(problem.nearest)}" if problem.nearest else "")
        + " (the list of measures names every one)"
    )


def no_figure(why: m.NoFigure) -> str:
    """Why a measure has no England and Wales figure in the edition, for the person who asked for it."""
    if why.offence is not None:
        return unknown_offence(why.offence)
    if why.period is None:
        return f"no {why.kind} year can be computed for England and Wales in this edition"
    if why.empty:
        return (
            f"England and Wales has no offences in the measure's denominator in {why.period.label}, so there is no "
            "rate to write about: choose other offences or outcomes (make measures lists them, with counts)"
        )
    return f"England and Wales has no figure for {why.period.label} in this edition"


def area_name(area: m.Area, left_out: list[m.Gap] | tuple = ()) -> str:
    """'England and Wales', or with the forces it leaves out and why: 'England and Wales (without Greater
    Manchester)', '(without Greater Manchester, which has no usable data for July to September 2019)'."""
    if not area.is_ew:
        return area.name
    reasons = []
    if area.exclude:
        reasons.append(f"without {join(list(area.exclude))}")
    lacking = sorted({f for g in left_out for f in g.forces})
    if lacking:
        who = join(lacking) if len(lacking) <= 3 else f"{len(lacking)} forces"
        when = join(spans([(g.financial_year, g.quarter) for g in left_out]))  # in date order, runs joined
        reasons.append(f"without {who}, which {'has' if len(lacking) == 1 else 'have'} no usable data for {when}")
    return f"{m.EW} ({'; '.join(reasons)})" if reasons else m.EW


REISSUE = "re-issue of around "  # how config/sources.yaml names a later re-issue of a year's table


def releases(names: list[str]) -> str:
    """Releases named together: '2018 and 2019 releases', 're-issues of around April 2019 and January 2020'."""
    if len(names) > 1 and all(n.endswith(" release") for n in names):
        return join([n.removesuffix(" release") for n in names]) + " releases"
    if len(names) > 1 and all(n.startswith(REISSUE) for n in names):
        return "re-issues of around " + join([n.removeprefix(REISSUE) for n in names])
    return join(names)
