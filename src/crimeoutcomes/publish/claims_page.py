"""The claims audit's page (reports/<edition>/claims/index.html) and its files: the audit CSV and, for every
computed claim, the raw rows it sums (rows/<id>.csv, gzipped when large)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pandas as pd

from .. import csvfile, dag
from ..analysis import claims as claims_mod
from ..atomic import write_text
from . import html

ROWS_DIR = str(PurePosixPath(dag.file("claims", "rows", claim="x")).parent) + "/"

AUDIT_CSV = dag.file("claims", "audit_csv")
PAGE = dag.file("claims", "page")
GZIP_ROWS_OVER = 100_000  # rows files larger than this are written as .csv.gz
VERDICT_HELP = {
    claims_mod.REPRODUCED: "the computed value is the printed figure at its printed precision",
    claims_mod.REVISED: "close, within the tolerance that later revisions of the data explain",
    claims_mod.DIFFERS: "outside the tolerance",
    claims_mod.NOT_VERIFIABLE: "this edition lacks a quarter the claim needs (the nearest figure it can compute is "
    "shown)",
    claims_mod.NOT_FROM_DATASET: "the figure comes from another source",
}


def verdict_badge(verdict: str) -> str:
    return f'<span class="verdict v-{verdict.replace(" ", "-")}">{html.esc(verdict)}</span>'


def rows_file(claim_id: str, n: int) -> str:
    """The rows file of a claim, relative to the audit's folder (gzipped when large)."""
    name = dag.file("claims", "rows", claim=claim_id)
    return f"{name}.gz" if n > GZIP_ROWS_OVER else name


def write(audit: claims_mod.Audit, folder: Path, build: dict, crumbs: list[tuple[str, str]]) -> dict[str, Path]:
    """Write the CSV, the rows files and the page into `folder` (the caller swaps the folder in whole)."""
    table = audit.table.copy()
    table["rows_file"] = [rows_file(i, len(audit.rows[i])) if i in audit.rows else "" for i in table["id"]]
    for claim_id, rows in audit.rows.items():
        target = folder / rows_file(claim_id, len(rows))
        target.parent.mkdir(parents=True, exist_ok=True)
        csvfile.to_csv(rows, target, compression="gzip" if target.name.endswith(".gz") else None)
    csv = folder / AUDIT_CSV
    csvfile.to_csv(table, csv)
    page = folder / PAGE
    write_text(page, render(table, audit, build, crumbs))
    return {"csv": csv, "page": page}


def _why(r: pd.Series) -> str:
    parts = [html.esc(r["reason"])]
    if r["verdict"] == claims_mod.NOT_VERIFIABLE and r["nearest_text"]:
        parts.append(
            f"Nearest figure this edition can compute, for {html.esc(r['nearest_period'])}: "
            f"{html.esc(r['nearest_text'])}."
        )
    if r["edition_to_check"]:
        parts.append(html.esc(r["edition_to_check"][0].upper() + r["edition_to_check"][1:]) + ".")
    if r["caveats"] and r["verdict"] != claims_mod.NOT_VERIFIABLE:
        parts.append(f"<em>Caveats</em>: {html.esc(r['caveats'])}.")
    if r["rows_file"]:
        parts.append(f'<a href="{html.esc(r["rows_file"])}">The {int(r["rows"]):,} raw rows summed</a>.')
    return "<br>".join(parts)


def _claim_cell(r: pd.Series) -> str:
    what = " · ".join(
        html.esc(x)
        for x in (
            r["area"],
            r["period"],
            r["offences"],
            r["numerator"] + (f" / {r['denominator']}" if r["denominator"] else ""),
            r["basis"] and f"{r['basis']} basis",
        )
        if x
    )
    return f'<span id="{html.esc(r["id"])}">“{html.esc(r["quote"])}”</span>' + (
        f"<br><small>{what}</small>" if what else ""
    )


def _computed(r: pd.Series) -> str:
    """The computed value; for a claim this edition cannot check, the nearest figure it can compute, labelled."""
    if r["computed_text"]:
        return html.esc(r["computed_text"])
    if r["nearest_text"] and r["nearest_period"]:
        return f"{html.esc(r['nearest_text'])}<br><small>nearest: {html.esc(r['nearest_period'])}</small>"
    if r["verdict"] == claims_mod.NOT_FROM_DATASET:
        return "<small>other source</small>"
    return html.DASH


def render(table: pd.DataFrame, audit: claims_mod.Audit, build: dict, crumbs) -> str:
    counts = table["verdict"].value_counts().reindex(list(claims_mod.VERDICTS), fill_value=0)
    articles = {key: art for reg in audit.registries for key, art in reg.articles.items()}
    summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    per_registry = "; ".join(
        f"{reg.name}: {len(reg.claims)} claims ("
        + ", ".join(f"{n} {v}" for v, n in table[table["registry"] == reg.name]["verdict"].value_counts().items())
        + ")"
        for reg in audit.registries
    )
    body = [
        f"<p><strong>{len(table)} claims from {len(articles)} articles</strong>: {html.esc(summary)}.</p>",
        f"<p>By registry: {html.esc(per_registry)}.</p>",
        '<h2 id="verdicts">What the verdicts mean</h2><ul class="legend">'
        + "".join(f"<li>{verdict_badge(v)} {html.esc(text)}</li>" for v, text in VERDICT_HELP.items())
        + "</ul>",
        f"<h2>Method</h2><p>{html.esc(claims_mod.METHOD)}</p>",
        f'<p>Download the whole audit: <a href="{AUDIT_CSV}">{AUDIT_CSV}</a> (one row per claim, with the computed '
        "value in the claim's unit). For every computed claim, its raw rows (source file, source row, force, quarter, "
        "offence code, outcome type, count, and whether the row enters the numerator and the denominator) are in "
        f"<code>{ROWS_DIR}</code>: rows with a count of 0 are left out, as they add nothing.</p>",
    ]
    for key, art in articles.items():
        part = table[table["article"] == key]
        if part.empty:
            continue
        title = html.esc(art.get("title", key))
        href = html.safe_href(art.get("url"))
        link = f'<a href="{html.esc(href)}">{title}</a>' if href else title
        meta = ", ".join(html.esc(str(art[k])) for k in ("publisher", "published") if art.get(k))
        body.append(f'<h2 id="article-{html.esc(key)}">{link}</h2>' + (f"<p>{meta}</p>" if meta else ""))
        shown = pd.DataFrame(
            {
                "Claim": part["id"],
                "Printed": part["claimed"],
                "Computed": part["id"],
                "Verdict": part["verdict"],
                "Why": part["id"],
            }
        )
        lookup = part.set_index("id", drop=False)
        body.append(
            html.table(
                shown,
                caption=f"{len(part)} claims from this article",
                cards=True,
                cell_html={
                    "Claim": lambda r, rows=lookup: _claim_cell(rows.loc[r["Claim"]]),
                    "Computed": lambda r, rows=lookup: _computed(rows.loc[r["Computed"]]),
                    "Verdict": lambda r: verdict_badge(r["Verdict"]),
                    "Why": lambda r, rows=lookup: _why(rows.loc[r["Why"]]),
                },
            )
        )
    return html.page(f"Claims audit: {build.get('edition')} edition", "\n".join(body), build, crumbs=crumbs)
