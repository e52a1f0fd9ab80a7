"""The claims audit's files: the page for readers (index.html), the audit table (claims_audit.csv) and, for every
computed claim, the raw rows it sums (rows/<id>.csv, gzipped when large).

The page: a contents list, a filter by verdict and by article (a plain list of every claim without JavaScript),
each claim as a card (the quote, the printed figure, the computed figure for the claim's own period, the verdict and
the bands behind it, the nearest figure this edition can give in its own field, the reason in words), and a "Check it
yourself" section at the end with the files and commands."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pandas as pd

from ... import csvfile, dag, paths
from ...analysis import claims as cl
from ...atomic import write_text
from ..words import claims_text, numbers, wording
from ..words.numbers import Printed
from . import html

AUDIT_CSV = dag.file("claims", "audit_csv")
PAGE = dag.file("claims", "page")
ROWS_DIR = str(PurePosixPath(dag.file("claims", "rows", claim="x")).parent) + "/"
GZIP_ROWS_OVER = 100_000  # rows files larger than this are written as .csv.gz
VERDICT_HELP = {
    cl.REPRODUCED: "the figure this edition computes prints exactly as published",
    cl.REVISED: "not exactly, but within the band allowed for revised data, or, for a figure the story took from an "
    "earlier release, moved the way later data move it",
    cl.DIFFERS: "outside that band too",
    cl.NOT_VERIFIABLE: "this edition lacks a quarter the figure needs (the nearest figure it can give is shown apart)",
    cl.NOT_FROM_DATASET: "the figure comes from another source",
}
FILTER_JS = """
(function(){
  var box=document.getElementById('find');if(!box){return;}box.hidden=false;
  var v=document.getElementById('f-verdict'),a=document.getElementById('f-article'),
      out=document.getElementById('f-count'),cards=document.querySelectorAll('li.claim'),
      parts=document.querySelectorAll('section.article');
  function run(){var n=0;
    cards.forEach(function(c){var shown=0;
      c.querySelectorAll('li.figure').forEach(function(f){
        var ok=(!v.value||f.dataset.verdict===v.value)&&(!a.value||c.dataset.article===a.value);
        f.hidden=!ok;if(ok){shown++;}});
      c.hidden=!shown;n+=shown;});
    parts.forEach(function(s){s.hidden=!s.querySelector('li.claim:not([hidden])');});
    out.textContent=n+(n===1?' figure shown':' figures shown');}
  v.addEventListener('change',run);a.addEventListener('change',run);run();
})();
"""


def verdict_badge(verdict: str) -> str:
    return f'<span class="verdict v-{verdict.replace(" ", "-")}">{html.esc(verdict)}</span>'


def rows_file(claim_id: str, n: int) -> str:
    """The rows file of a claim, relative to the audit's folder (gzipped when large)."""
    name = dag.file("claims", "rows", claim=claim_id)
    return f"{name}.gz" if n > GZIP_ROWS_OVER else name


def write(
    audit: cl.Audit,
    folder: Path,
    build: dict,
    crumbs: list[tuple[str, str]],
    release_of: dict,
    root: str,
    heading: str = "",
) -> None:
    """The CSV, the rows files and the page, into `folder` (the caller swaps the folder in whole); root: the way
    from the page to the site's folder (for the Methods link)."""
    files = {}
    for f in audit.findings:
        if f.rows is None:
            continue
        name = rows_file(f.claim.id, len(f.rows))
        files[f.claim.id] = name
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # large rows files are gzipped at level 1: quick to write
        csvfile.to_csv(f.rows, target, gzip_level=1 if name.endswith(".gz") else None)
    table = claims_text.table(audit, release_of, files)
    csvfile.to_csv(table, folder / AUDIT_CSV)
    write_text(folder / PAGE, render(audit, table, build, crumbs, release_of, root, heading))


def _field(name: str, value: str) -> str:
    return f"<dt>{html.esc(name)}</dt><dd>{value}</dd>" if value else ""


def _computed(f: cl.Finding) -> str:
    """The computed figure for the claim's own period, marked up ('cannot be computed' when the edition cannot)."""
    with numbers.collect() as parts:
        computed = claims_text.computed_text(f)
    shown = html.printed(computed) if isinstance(computed, Printed) else html.mark(computed, parts)
    period = f.claim.query.period.label if f.claim.query else ""
    if shown:
        return f"{shown} <small>({html.esc(period)})</small>"
    return "<em>cannot be computed from this edition</em>" if f.verdict == cl.NOT_VERIFIABLE else ""


def _what(f: cl.Finding) -> str:
    """What a reading counts, in a line: area · period · offences · basis · outcomes."""
    q = f.claim.query
    if q is None:
        return ""
    measure = q.numerator.label + (f" / {q.denominator.label}" if q.denominator else "")
    change = f"change from {f.claim.change_from.label}" if f.claim.change_from else ""
    parts = [
        wording.area_name(q.area, f.left_out),
        q.period.label,
        change,
        q.offences.label,
        f"{q.basis} basis",
        measure,
    ]
    return html.esc(" · ".join(x for x in parts if x))


def _readings(f: cl.Finding) -> str:
    """The claim's reading beside each other reading it was given (Northumbria's "3,395": recorded basis against
    closed basis)."""
    if not f.alternatives:
        return ""
    cells = [("This reading", f, f.claim.reading)]
    cells += [("Another reading", alt, alt.claim.reading) for alt in f.alternatives]
    out = []
    for head, finding, why in cells:
        out.append(
            f'<div class="reading"><p><strong>{html.esc(head)}</strong>: {_computed(finding)} '
            f'{verdict_badge(finding.verdict)}</p><p class="what">{_what(finding)}</p>'
            + (f'<p class="why" data-numbers="note">{html.esc(why)}</p>' if why else "")
            + "</div>"
        )
    return f'<div class="readings">{"".join(out)}</div>'


def _figure(f: cl.Finding, r: pd.Series, release_of: dict) -> str:
    """One figure of a sentence: printed, computed, verdict; the other readings side by side; why, in a fold."""
    c = f.claim
    with numbers.collect() as near_figures:
        near = claims_text.nearest_text(f)
    near_html = ""
    if near:
        value = html.printed(near) if isinstance(near, Printed) else html.mark(near, near_figures)
        near_html = f"{value} <small>({html.esc(f.nearest.period.label)})</small>"
        if f.nearest.caveats:
            near_html += " <small>(with caveats)</small>"
    band = r["printed_band"] and f"printed {r['printed_band']}; revised data {r['revised_band']}" + (
        f"; a later release {r['later_band']}" if r["later_band"] else ""
    )
    with numbers.collect() as said:  # the reason and caveats again, to mark their figures up
        why = claims_text.reason(f, release_of)
        caveats = claims_text.caveats_text(f.caveats)
    rows = (
        f'<a href="{html.esc(r["rows_file"])}">the {html.printed(numbers.count(r["rows"]))} raw rows summed</a>'
        if r["rows_file"]
        else ""
    )
    fields = "".join(
        [
            _field("Bands", f'<span data-numbers="claimed">{html.esc(band)}</span>' if band else ""),
            _field("Nearest figure this edition can give", near_html),
            _field("Why", html.mark(why, said)),
            _field("Caveats", html.mark(caveats, said)),
            _field(
                "How it is read",
                f'<span data-numbers="note">{html.esc(c.reading)}</span>' if c.reading and not f.alternatives else "",
            ),
            _field("Rows", rows),
        ]
    )
    what = _what(f)
    return (
        f'<li class="figure" id="{html.esc(c.id)}" data-verdict="{html.esc(f.verdict)}">'
        f'<p class="line"><span class="printed" data-numbers="claimed">{html.esc(c.claimed.text)}</span> '
        f'<span aria-hidden="true">→</span><span class="sr-only">computed:</span> {_computed(f) or "–"} '
        f"{verdict_badge(f.verdict)}</p>"
        + (f'<p class="what">{what}</p>' if what and not f.alternatives else "")
        + _readings(f)
        + f"<details><summary>Why {html.esc(f.verdict)}</summary>"
        f'<dl class="claim-fields">{fields}</dl></details></li>'
    )


def _sentence(findings: list[cl.Finding], by_id: pd.DataFrame, article_key: str, release_of: dict) -> str:
    """One card per sentence: the quote once, then each figure it prints."""
    quote = findings[0].claim.quote
    verdicts = " ".join(dict.fromkeys(f.verdict for f in findings))
    figures = "".join(_figure(f, by_id.loc[f.claim.id], release_of) for f in findings)
    return (
        f'<li class="claim" data-article="{html.esc(article_key)}" data-verdicts="{html.esc(verdicts)}">'
        f'<blockquote data-numbers="cited">“{html.esc(quote)}”</blockquote>'
        f'<ul class="figures">{figures}</ul></li>'
    )


def _sentences(findings: list[cl.Finding]) -> list[list[cl.Finding]]:
    """The findings grouped by sentence, in the order the sentences first appear."""
    groups: dict[str, list[cl.Finding]] = {}
    for f in findings:
        groups.setdefault(f.claim.quote, []).append(f)
    return list(groups.values())


def render(
    audit: cl.Audit, table: pd.DataFrame, build: dict, crumbs, release_of: dict, root: str = "", heading: str = ""
) -> str:
    counts = audit.counts()
    articles = {key: art for reg in audit.registries for key, art in reg.articles.items()}
    used = [k for k in articles if any(f.claim.article == k for f in audit.findings)]
    summary = ", ".join(f"{html.printed(numbers.count(n))} {html.esc(v)}" for v, n in counts.items() if n)
    by_id = table.set_index("id")
    contents = "".join(
        f'<li><a href="#article-{html.esc(k)}" data-numbers="cited">{html.esc(articles[k].get("title", k))}</a> '
        f"({html.printed(numbers.count(sum(1 for f in audit.findings if f.claim.article == k)))})</li>"
        for k in used
    )
    body = [
        f"<p><strong>{html.printed(numbers.count(len(audit.findings)))} published figures from "
        f"{html.printed(numbers.count(len(used)))} articles</strong>: {summary}.</p>",
        '<nav aria-label="Contents"><h2 id="contents">Contents</h2><ul><li><a href="#verdicts">What the verdicts '
        'mean</a></li><li><a href="#find">Find a claim</a></li><li>The articles<ol>'
        + contents
        + '</ol></li><li><a href="#check">Check it yourself</a></li></ul></nav>',
        '<h2 id="verdicts">What the verdicts mean</h2>'
        '<p data-numbers="examples">A printed figure stands for a band of exact values: “82%” '
        "for 81.5% up to 82.5%, “1 in 24” for 1 in 24.5 up to 1 in 23.5, “443,000” for 442,500 up to 443,500, "
        "“a third” for the values nearer a third than a quarter or two fifths, a count printed in full for itself. "
        "The band allowed for revised data widens it by 2% of a count (at least 1) or by the smaller of 5% of a "
        "rate and half a percentage point. Where the story took a figure from an earlier release, later data move "
        "it one way (more outcomes assigned, fewer offences still without one): a value that way is revised too, "
        'up to 60% beyond the printed figure.</p><ul class="legend">'
        + "".join(f"<li>{verdict_badge(v)} {html.esc(t)}</li>" for v, t in VERDICT_HELP.items())
        + "</ul>",
        _filter(used, articles, len(audit.findings)),
    ]
    for key in used:
        art = articles[key]
        title = f'<span data-numbers="cited">{html.esc(art.get("title", key))}</span>'
        href = html.safe_href(art.get("url"))
        link = f'<a href="{html.esc(href)}">{title}</a>' if href else title
        meta = ", ".join(html.esc(str(art[k])) for k in ("publisher", "published") if art.get(k))
        release = f" The story used the {html.esc(art['release'])}." if art.get("release") else ""
        cards = "".join(
            _sentence(group, by_id, key, release_of)
            for group in _sentences([f for f in audit.findings if f.claim.article == key])
        )
        body.append(
            f'<section class="article" id="article-{html.esc(key)}" data-article="{html.esc(key)}">'
            f"<h2>{link}</h2>"
            + (f"<p>{meta}.{release}</p>" if meta or release else "")
            + f'<ul class="claims">{cards}</ul></section>'
        )
    body.append(_check_yourself(audit))
    return html.page(
        heading or f"Claims audit: {build.get('edition')} edition",
        "\n".join(body),
        build,
        crumbs=crumbs,
        script=FILTER_JS,
        root=root,
    )


def _filter(used: list[str], articles: dict, n: int) -> str:
    verdicts = "".join(f'<option value="{html.esc(v)}">{html.esc(v)}</option>' for v in cl.VERDICTS)
    arts = "".join(
        f'<option value="{html.esc(k)}" data-numbers="cited">{html.esc(articles[k].get("title", k))}</option>'
        for k in used
    )
    return (
        '<section id="find" class="find" hidden><h2>Find a claim</h2><form class="filters" onsubmit="return false">'
        f'<label for="f-verdict">Verdict</label><select id="f-verdict"><option value="">every verdict</option>'
        f"{verdicts}</select>"
        f'<label for="f-article">Article</label><select id="f-article"><option value="">every article</option>'
        f"{arts}</select></form>"
        f'<p id="f-count" role="status" aria-live="polite">{html.printed(numbers.count(n))} figures shown</p></section>'
    )


def _check_yourself(audit: cl.Audit) -> str:
    registries = ", ".join(f"<code>{html.esc(paths.relative(r.path))}</code>" for r in audit.registries)
    return (
        '<section id="check"><h2>Check it yourself</h2>'
        f'<p>The whole audit is in <a href="{AUDIT_CSV}">{AUDIT_CSV}</a>: one row per claim, with the exact '
        "computed value in the claim's unit, the value as printed, the bands and the reason. For every computed "
        f"claim, the raw rows it sums are in <code>{ROWS_DIR}</code> (source file, source row, force, quarter, "
        "offence code, outcome type, count, and whether the row enters the numerator and the denominator; rows with "
        "a zero count are left out, as they add nothing).</p>"
        f"<p>The claims are in {registries}. To audit your own figures, write them in the same form "
        "(<code>docs/claims.md</code>) and run <code>make claims CLAIMS=path/to/yours.yaml</code>. To check the claims "
        "this edition cannot, with the current Home Office release: <code>make claims EDITION=current</code> "
        "(online, or with <code>MIRROR=</code> a folder holding the workbooks).</p></section>"
    )
