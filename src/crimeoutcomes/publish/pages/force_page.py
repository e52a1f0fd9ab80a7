"""A force report's content for readers: the headline tables, the notes (each caveat once, numbered, with an anchor
that every "with caveats" cell and sentence links to), and the HTML the report notebook shows.

`content` turns a force's figures (analysis.force_figures, exact numbers and typed facts) into figures.json's
content: every number formatted once (publish/words/numbers.py), with the exact value it states. The notebook reads that
file and shows it through `headline_html`, `notes_html` and friends; it computes nothing."""

from __future__ import annotations

from ... import dag
from ...analysis import force_figures as ff
from ...analysis import measures as m
from ..words import numbers, story, wording
from ..words.numbers import Printed
from . import html

MEASURES = (
    ("closed", "Offences closed"),
    ("vdns", "Victim did not support action (outcomes 14 + 16)"),
    ("rate", "Rate: outcomes 14 + 16 as a share of offences closed"),
    ("share", "Suspect identified (outcome 16, share of 14 + 16)"),
    ("rank", "Rank by rate among the territorial forces (1 = highest)"),
)


# ------------------------------------------------------------------------------------------- notes
def notes(figs: ff.ForceFigures, extra: list[m.Flag] = ()) -> list[dict]:
    """Every note the page needs, numbered in order: the force's data (gaps, caveats, negative counts), the England
    and Wales figures' caveats and the forces they leave out (and the story's), then the written caveats that
    apply."""
    out: list[dict] = []
    force = figs.force
    seen: set[str] = set()

    def add(section: str, anchor: str, title: str, text: str, figures=(), kind: str = "flag") -> None:
        if anchor in seen:
            return
        seen.add(anchor)
        out.append(
            {
                "number": len(out) + 1,
                "section": section,
                "anchor": anchor,
                "title": title,
                "text": text,
                "kind": kind,
                "figures": [p.to_json() for p in figures],
            }
        )

    mine = f"About {wording.possessive(force.name)} data"
    for gap in figs.notes.gaps:
        add(
            mine,
            _gap_anchor(gap),
            f"{force.name}, {wording.quarter(gap.financial_year, gap.quarter)}: no data",
            f"{wording.gap_text(gap)}: figures for periods that need it are not given.",
            kind="gap",
        )
    for flag in figs.notes.flags:
        add(mine, flag.anchor, wording.flag_title(flag), wording.flag_text(flag), _flag_figures(flag))
    for c in figs.quality.values():
        if c.comparable:
            continue
        share, ew_share = numbers.percent(c.mine.unassigned_pct, 1), numbers.percent(c.ew.unassigned_pct, 1)
        closed, recorded = numbers.count(c.mine.closed), numbers.count(c.mine.recorded)
        ew_closed, ew_recorded = numbers.count(c.ew.closed), numbers.count(c.ew.recorded)
        add(
            mine,
            _incomplete_anchor(c),
            f"{force.name}, {wording.period_name(c.period)}: outcomes incomplete compared with the other forces",
            f"{share} of the offences {force.name} recorded in {wording.period_name(c.period)} had no outcome when the "
            f"data were published, against {ew_share} across England and Wales; it closed {closed} offences against "
            f"{recorded} recorded (England and Wales: {ew_closed} against {ew_recorded}). Its figures for the period "
            "cannot fairly be compared with other forces', so it is not ranked (the methods page gives the rule).",
            [share, ew_share, closed, recorded, ew_closed, ew_recorded],
        )
    if not figs.notes.gaps and not figs.notes.flags:
        n = figs.notes.quarters
        add(
            mine,
            "data-complete",
            f"{force.name}: every quarter present",
            f"Every quarter of the edition ({numbers.count(n)} {wording.plural(n, 'quarter')}) is present for "
            f"{force.name}, with offences closed counted in every cell that should hold one, and none looks "
            "incomplete.",
            [numbers.count(n)],
            kind="complete",
        )
    for basis, (cells, total) in sorted(figs.notes.negatives.items()):
        c, t = numbers.count(cells), numbers.count(total)
        add(
            mine,
            f"negative-{basis}",
            f"{force.name}: corrections as negative counts ({basis} basis)",
            f"{c} {basis}-basis {wording.plural(cells, 'count is', 'counts are')} negative (corrections to earlier "
            f"quarters), summing to {t}; totals keep them, as published.",
            [c, t],
            kind="negative",
        )
    ew = "About the England and Wales figures"
    for h in figs.headline:
        for flag in h.ew.caveats:
            add(ew, flag.anchor, wording.flag_title(flag), wording.flag_text(flag), _flag_figures(flag))
        for gap in h.ew.left_out:
            add(
                ew,
                _gap_anchor(gap, "left-out"),
                f"England and Wales leaves out {wording.join(list(gap.forces))}",
                f"{wording.gap_text(gap)}, so England and Wales figures for periods that include it leave "
                f"{wording.plural(len(gap.forces), 'that force', 'those forces')} out.",
                kind="gap",
            )
    for flag in extra:
        add(
            mine if flag.force == force.name else ew,
            flag.anchor,
            wording.flag_title(flag),
            wording.flag_text(flag),
            _flag_figures(flag),
        )
    general = "Notes that apply to every figure here" if figs.notes.caveats else ""
    for c in figs.notes.caveats:
        add(general, f"note-{c.id}", c.label, c.text, kind="written")
    return out


def _incomplete_anchor(c) -> str:
    return f"incomplete-{c.force.lower().replace(' ', '-')}-{c.period.label.replace(' ', '-').replace('/', '-')}"


def _gap_anchor(gap: m.Gap, what: str = "gap") -> str:
    who = "-".join(sorted(gap.forces)).lower().replace(" ", "-")[:60] or "all"
    return f"{what}-{who}-{gap.financial_year.replace('/', '-')}-q{gap.quarter}"


def _flag_figures(flag: m.Flag) -> list[Printed]:
    if flag.kind == m.LOW:
        return [numbers.count(flag.total), numbers.share(flag.total, flag.usual, 0), numbers.count(flag.usual)]
    return [numbers.count(flag.cells)]


# ------------------------------------------------------------------------------------------- headline
def _figures(
    fig: m.Figures, who: str, period: str, rank: int | None = None, ranked: int = 0, tied: bool = False
) -> dict:
    """One area's headline figures for a period, formatted once (None where the figure cannot be given)."""
    if not fig.computable:
        return {}
    out = {
        "closed": numbers.count(fig.closed, key=f"closed:{who}:{period}"),
        "vdns": numbers.count(fig.vdns, key=f"vdns:{who}:{period}"),
        "rate": numbers.share(fig.vdns, fig.closed, 1, key=f"rate:{who}:{period}"),
        "share": numbers.share(fig.suspect, fig.vdns, 0, key=f"share:{who}:{period}"),
    }
    if ranked:
        out["rank"] = numbers.rank(rank, ranked, key=f"rank:{who}:{period}", tied=tied)
    return out


def headline(figs: ff.ForceFigures, anchors: dict[str, int]) -> list[dict]:
    """One table per period: the measures for the force and for England and Wales, and whether each column's
    figures are complete (with the numbers of the notes that say why not)."""
    tables = []
    for h in figs.headline:
        label = h.period.label[0].upper() + h.period.label[1:]
        mine = _figures(h.force, figs.force.name, h.period.label, h.rank, h.ranked, h.tied)
        ew = _figures(h.ew, m.EW, h.period.label)
        rows = [
            {"measure": name, "force": mine.get(key), "ew": ew.get(key) if key != "rank" else None}
            for key, name in MEASURES
        ]
        tables.append(
            {
                "period": label,
                "columns": [figs.force.name, wording.area_name(h.ew.area, h.ew.left_out)],
                "rows": [{**r, "force": _json(r["force"]), "ew": _json(r["ew"])} for r in rows],
                "state": [_state(h.force, anchors, figs.quality.get(h.period.label)), _state(h.ew, anchors)],
            }
        )
    return tables


def _json(p: Printed | None):
    return p.to_json() if p is not None else None


def _state(fig: m.Figures, anchors: dict[str, int], judged=None) -> dict:
    if not fig.computable:
        return {"text": "not available: " + wording.gaps_text(fig.missing), "notes": []}
    refs = sorted({anchors[f.anchor] for f in fig.caveats if f.anchor in anchors})
    refs += sorted({anchors[a] for g in fig.left_out if (a := _gap_anchor(g, "left-out")) in anchors})
    if judged is not None and not judged.comparable:
        refs = sorted({*refs, anchors[_incomplete_anchor(judged)]})
        return {"text": "outcomes incomplete: not comparable with other forces", "notes": refs}
    return {"text": "with caveats" if refs else "complete", "notes": refs}


def content(figs: ff.ForceFigures, story_flags: list[m.Flag] = ()) -> dict:
    """figures.json's headline and notes (the charts and the story are added by the reports module)."""
    note_list = notes(figs, story_flags)
    anchors = {n["anchor"]: n["number"] for n in note_list}
    return {"headline": headline(figs, anchors), "notes": note_list, "anchors": anchors}


def story_data(version, anchors: dict[str, int], force, others: list[dict] = ()) -> dict:
    """The report's story: the June 2021 story's version for the force (publish/words/story.py), its sentences marked
    with the figures they print, the notes its caveats are, and links to the version's own page and text and to
    the force's version of every story (`others`: title, period, link)."""

    return {
        "id": version.spec_id,
        "headline": version.headline,
        "html": {name: version.html_section(name) for name in ("headline", *story.STORY)},
        "all": list(others),
        "text": version.text(),
        "ready": version.ready,
        "notes": sorted({anchors[f.anchor] for f in version.caveats if f.anchor in anchors}),
        "links": {
            "page": dag.link("reports", "stories", "version", story=version.spec_id, force=force.slug),
            "markdown": dag.link("reports", "stories", "markdown", story=version.spec_id, force=force.slug),
        },
        "figures": [f.printed.to_json() for f in version.figures],
    }


# ------------------------------------------------------------------------------------------- HTML
def note_refs(numbers_: list[int], anchors_by_number: dict[int, str]) -> str:
    """'notes 1, 2 and 3', each number a link to its note."""
    links = [f'<a href="#{html.esc(anchors_by_number[n])}">{n}</a>' for n in numbers_]
    return ("note " if len(links) == 1 else "notes ") + wording.join(links)


def headline_html(table: dict, anchors_by_number: dict[int, str]) -> str:
    """One period's table: measure, the force, England and Wales (three columns: narrow enough for a phone)."""
    cols = table["columns"]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i else ""}>{html.esc(c)}</th>' for i, c in enumerate(["Measure", *cols]))
    body = []
    for r in table["rows"]:
        cells = []
        for key in ("force", "ew"):
            value = r[key]
            cells.append(f'<td class="num">{html.printed(Printed.from_json(value)) if value else html.DASH}</td>')
        body.append(f'<tr><th scope="row">{html.esc(r["measure"])}</th>{"".join(cells)}</tr>')
    states = []
    for s in table["state"]:
        refs = f": {note_refs(s['notes'], anchors_by_number)}" if s["notes"] else ""
        states.append(f"<td>{html.esc(s['text'])}{refs}</td>")
    body.append(f'<tr><th scope="row">Data</th>{"".join(states)}</tr>')
    caption = f"{cols[0]} and England and Wales, {table['period'][0].lower()}{table['period'][1:]}"
    return (
        f'<div class="table-wrap" role="region" aria-label="{html.esc(caption)}" tabindex="0">'
        f'<table class="headline"><caption>{html.esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def notes_html(note_list: list[dict], files: dict[str, str]) -> str:
    """The notes, numbered, grouped by what they are about; each has the anchor figures link to."""
    parts, section = [], None
    for n in note_list:
        if n["section"] != section:
            if section is not None:
                parts.append("</ol>")
            section = n["section"]
            if section:
                parts.append(f"<h3>{html.esc(section)}</h3>")
            parts.append(f'<ol class="notes" start="{n["number"]}">')
        figures = [Printed.from_json(f) for f in n["figures"]]
        text = html.mark(n["text"], figures)
        if n["kind"] in ("flag",) and "quality table" in n["text"] and files.get("quality"):
            text = text.replace("the quality table", f'the <a href="{html.esc(files["quality"])}">quality table</a>')
        if n["kind"] == "written":  # a statement from a source: its numbers are its words, not figures computed here
            text = f'<span data-numbers="cited">{text}</span>'
        parts.append(f'<li id="{html.esc(n["anchor"])}"><strong>{html.esc(n["title"])}.</strong> {text}</li>')
    if section is not None:
        parts.append("</ol>")
    return "\n".join(parts)
