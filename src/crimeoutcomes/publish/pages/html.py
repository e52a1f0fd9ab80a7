"""The project's HTML: one page shell, tables for people, figures, and the edition's banner and "About the data".

Pages are self-contained apart from the chart files beside them: inline CSS, an inline sort script, no external
script, font or style. They work on a phone (390 px) and a desk: wide tables scroll inside their own box, images
scale, sortable headings are buttons with aria-sort, and colour never carries meaning alone.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import urllib.parse
from collections.abc import Callable

import pandas as pd

from ..words import numbers
from ..words.markup import esc, mark, plain_markdown, printed, spans  # noqa: F401 (a page's names for them)

CSS = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:1100px;margin:0 auto;
padding:1rem;color:#1a1a1a;line-height:1.5;font-size:1rem;overflow-wrap:break-word}
h1{font-size:1.6rem;line-height:1.25;margin:.6rem 0}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.08rem}
a{color:#0b57a4}
a:focus-visible,button:focus-visible,select:focus-visible,summary:focus-visible,[tabindex]:focus-visible{
outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #ffffff}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem;z-index:2}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
nav.crumbs{font-size:.95rem;margin-bottom:.5rem}
.banner{background:#f3f4f6;border-left:4px solid #4d4d4d;padding:.6rem .9rem;margin:1rem 0;font-size:.95rem}
.synthetic{background:#fff3cd;border:2px solid #8a6100;color:#3d2b00;padding:.6rem .9rem;font-weight:600}
.table-wrap{overflow-x:auto;max-width:100%;margin:1rem 0;-webkit-overflow-scrolling:touch;
background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/2rem 100% no-repeat local,
linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/2rem 100% no-repeat local,
linear-gradient(to right,rgba(0,0,0,.18),rgba(0,0,0,0)) left/.8rem 100% no-repeat scroll,
linear-gradient(to left,rgba(0,0,0,.18),rgba(0,0,0,0)) right/.8rem 100% no-repeat scroll}
table{border-collapse:collapse;font-size:.92rem;min-width:100%}
caption{text-align:left;font-weight:600;padding:.3rem 0;caption-side:top;position:sticky;left:0;
max-width:calc(100vw - 2rem)}
th,td{border-bottom:1px solid #d0d0d0;padding:.4rem .55rem;text-align:left;vertical-align:top}
thead th{background:#f3f4f6;border-bottom:2px solid #4d4d4d;vertical-align:bottom}
tbody th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}
thead th{min-width:4.5rem}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit;
text-align:inherit}
th button::after{content:" \\2195";color:#4d4d4d}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
sup.fn{font-size:.75em;line-height:0}
img{max-width:100%;height:auto}
figure{margin:1.5rem 0}figure img{display:block;border:1px solid #e5e5e5}
.output_png img{border:1px solid #e5e5e5;margin-top:1.2rem}.chart-caption{font-size:.92rem;margin-top:.2rem}
figcaption{font-size:.92rem;color:#333;margin-top:.4rem}
blockquote.story{border-left:4px solid #b2182b;margin:1rem 0;padding:.4rem 1rem;background:#fbf3f3}
blockquote.story h3{margin:.4rem 0}
.verdict{display:inline-block;padding:.05rem .45rem;border-radius:3px;font-weight:600;white-space:nowrap}
.v-reproduced{background:#d9f2e1;color:#0b4d22}.v-revised{background:#fff0c2;color:#5c4300}
.v-differs{background:#fadadd;color:#7a0b16}.v-not-verifiable{background:#e3e8f0;color:#243b5c}
.v-not-from-this-dataset{background:#ececec;color:#3d3d3d}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:0;list-style:none;font-size:.92rem}
ul.claims{list-style:none;padding:0}li.claim{border-top:2px solid #4d4d4d;padding:.6rem 0;margin:0}
li.claim blockquote{margin:0 0 .4rem;font-style:italic}p.what{font-size:.9rem;color:#4d4d4d;margin:.2rem 0}
ul.figures{list-style:none;padding:0;margin:0}li.figure{border-top:1px solid #d0d0d0;padding:.35rem 0;margin:0}
li.figure p.line{margin:.1rem 0;font-size:1.05rem}li.figure .printed{font-weight:600}
li.figure details{margin:.2rem 0}li.figure summary{font-size:.92rem}
.readings{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.4rem 1rem;margin:.3rem 0}
.reading{border-left:3px solid #d0d0d0;padding:0 .6rem}.reading p{margin:.15rem 0}
p.why{font-size:.9rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
dl.claim-fields{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.2rem 1rem;margin:.3rem 0}
dl.claim-fields dt{font-weight:600}dl.claim-fields dd{margin:0}
form.filters{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:center}
form.filters select{font:inherit;max-width:100%;padding:.2rem}
ol.notes li{margin:.4rem 0}
details{margin:.6rem 0}summary{cursor:pointer;font-weight:600}
pre,code{font-size:.88rem}pre{background:#f6f6f6;padding:.6rem;overflow-x:auto}
.output_text pre{white-space:pre-wrap;overflow-wrap:anywhere}
@media (min-width:601px){td{overflow-wrap:anywhere}td.num{overflow-wrap:normal}}
td:first-child,th:first-child{overflow-wrap:normal;word-break:normal;hyphens:none}
footer{margin-top:2.5rem;border-top:1px solid #d0d0d0;padding-top:1rem;font-size:.92rem}
.about dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.2rem 1rem}
.about dd{margin:0;overflow-wrap:anywhere}
div.output_html,div.output_subarea,div.output_markdown,div.text_cell_render{max-width:100%}
.anchor-link{display:none}
@media (max-width:600px){body{padding:.6rem}h1{font-size:1.35rem}table{font-size:.85rem}
th:first-child,td:first-child{position:sticky;left:0;background:#fff;z-index:1}
thead th:first-child{background:#f3f4f6}
table.cards thead{position:absolute;left:-9999px}
table.cards,table.cards caption,table.cards tbody,table.cards tr,table.cards td{display:block}
table.cards td:first-child{position:static}
table.cards tr{border-bottom:2px solid #4d4d4d;padding:.4rem 0}table.cards td{border:0;padding:.2rem 0;text-align:left}
table.cards td::before{content:attr(data-label);display:block;font-weight:600;font-size:.8rem;color:#4d4d4d}
.about dl,dl.claim-fields{grid-template-columns:1fr}dl.claim-fields dd{margin-bottom:.3rem}}
"""

SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function(t){
  var heads=t.tHead.rows[0].cells,live=document.getElementById('sort-status');
  Array.prototype.forEach.call(heads,function(th,i){
    var b=th.querySelector('button');if(!b){return;}
    b.addEventListener('click',function(){
      var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending';
      Array.prototype.forEach.call(heads,function(h){if(h.querySelector('button')){h.setAttribute('aria-sort','none');}});
      th.setAttribute('aria-sort',dir);
      var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,c){
        var x=a.cells[i].getAttribute('data-v'),y=c.cells[i].getAttribute('data-v');
        if(x===null){x=a.cells[i].textContent.trim();}if(y===null){y=c.cells[i].textContent.trim();}
        var nx=parseFloat(x),ny=parseFloat(y),r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);
        return dir==='ascending'?r:-r;});
      rows.forEach(function(r){body.appendChild(r);});
      if(live){live.textContent=(t.caption?t.caption.textContent+': ':'')+'sorted by '+b.textContent.trim()+
        ', '+dir+'.';}
    });
  });
});
"""

DASH = "–"


def safe_href(url) -> str | None:
    """A URL from a registry or a configuration file as a link's target, or None when it must not become a link.
    Only absolute http(s) URLs and relative URLs (a path, a query or a fragment, with no scheme) are links:
    javascript:, data:, vbscript: and every other scheme are refused, however they are written (leading spaces,
    mixed case, control characters or entities inside the scheme, backslashes that browsers read as slashes)."""
    if not isinstance(url, str):
        return None
    text = html.unescape(url).strip()  # the browser decodes entities in an attribute, then trims spaces
    if not text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text) or "\\" in text:
        return None
    scheme = urllib.parse.urlsplit(text).scheme.lower()
    if scheme:
        parts = urllib.parse.urlsplit(text)
        return text if scheme in ("http", "https") and parts.netloc else None
    if text.startswith("//") or ":" in text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return None  # a scheme-relative URL (another site), or a colon a browser could read as a scheme
    return text


def captioned(body: str) -> str:
    """Markdown's tables as the site shows tables: in a box that scrolls sideways on a phone, captioned with the
    heading they sit under. A table that already has its caption (made by `table`) is left as it is: a table has one
    caption."""
    heading = ""
    out, pos = [], 0
    seen: dict[str, int] = {}  # tables under each heading: each region's name is unique
    for match in re.finditer(r"<h[2-4][^>]*>(.*?)</h[2-4]>|<table>(.*?)</table>", body, flags=re.S):
        out.append(body[pos : match.start()])
        pos = match.end()
        if match.group(1) is not None:
            heading = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("¶", "").strip()
            out.append(match.group(0))
            continue
        if match.group(2).lstrip().startswith("<caption"):
            out.append(match.group(0))
            continue
        seen[heading] = seen.get(heading, 0) + 1
        n = seen[heading]
        label = heading if n == 1 else f"{heading}, {numbers.ORDINAL_WORDS[min(n, 9) - 1]} table"
        out.append(
            f'<div class="table-wrap" role="region" tabindex="0" aria-label="{esc(label)}">'
            f"<table><caption>{esc(label)}</caption>{match.group(2)}</table></div>"
        )
    return "".join(out) + body[pos:]


def cell_text(value, decimals: int | None = None) -> numbers.Printed | str:
    """A value as a person reads it, through the one formatter: thousands separators, a fixed number of decimals,
    a dash for nothing."""
    if isinstance(value, numbers.Printed):
        return value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and math.isinf(value):
        return DASH
    if isinstance(value, (int, float)) or hasattr(value, "is_integer"):
        return numbers.count(value) if not decimals else numbers.number(value, decimals)
    return str(value)


def _cell(value, decimals: int | None = None) -> str:
    text = cell_text(value, decimals)
    return printed(text) if isinstance(text, numbers.Printed) else esc(text)


def _numeric(series: pd.Series) -> bool:
    """A column of numbers, or of printed figures."""
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    values = [v for v in series if not (v is None or (isinstance(v, float) and math.isnan(v)))]
    return bool(values) and all(isinstance(v, numbers.Printed) and v.value is not None for v in values)


def _sort_value(value):
    if isinstance(value, numbers.Printed):
        return value.value
    return None if value is None or pd.isna(value) else value


def _decimals(series: pd.Series) -> int:
    """0 for a column of whole numbers, else 1 (rates are printed with one decimal)."""
    values = pd.to_numeric(series, errors="coerce").dropna()
    return 0 if pd.api.types.is_integer_dtype(series) or (values % 1 == 0).all() else 1


def table(
    df: pd.DataFrame,
    *,
    caption: str,
    sortable: bool = False,
    links: dict[str, str] | None = None,
    sort_values: dict[str, str] | None = None,
    row_class: Callable | None = None,
    cell_html: dict[str, Callable] | None = None,
    decimals: dict[str, int] | None = None,
    table_id: str | None = None,
    cards: bool = False,
    numbers_are: str = "",
) -> str:
    """An HTML table for people: a caption, no index, formatted numbers (right-aligned), escaped text.
    links: column -> column holding its href; sort_values: column -> column with the value to sort by;
    cell_html: column -> function(row) returning trusted HTML for the cell; cards: on a phone, show each row as a card
    with every cell labelled (for tables of long text); numbers_are: for a table whose numbers are not figures
    computed here (raw rows as published: "raw"), marks it so the page's number check reads it as such."""
    links, sort_values, cell_html, decimals = links or {}, sort_values or {}, cell_html or {}, decimals or {}
    hidden = set(links.values()) | set(sort_values.values())
    cols = [c for c in df.columns if c not in hidden]
    numeric = {c for c in cols if _numeric(df[c])}
    places = {c: decimals.get(c, _decimals(df[c])) for c in numeric if pd.api.types.is_numeric_dtype(df[c])}
    head = []
    for c in cols:
        cls = ' class="num"' if c in numeric else ""
        label = esc(c)
        head.append(
            f'<th scope="col"{cls} aria-sort="none"><button type="button">{label}</button></th>'
            if sortable
            else f'<th scope="col"{cls}>{label}</th>'
        )
    rows = []
    # rows as dicts of the frame's own values (iterrows would rebuild each row as a Series, and pandas would turn
    # printed figures into plain strings, losing the exact values they state)
    for values in df.itertuples(index=False, name=None):
        r = dict(zip(df.columns, values))
        cells = []
        for c in cols:
            if c in cell_html:
                content = cell_html[c](r)
            else:
                content = _cell(r[c], places.get(c))
                if c in links and isinstance(r[links[c]], str) and r[links[c]]:
                    content = f'<a href="{esc(r[links[c]])}">{content}</a>'
            attrs = ' class="num"' if c in numeric else ""
            if cards:
                attrs += f' data-label="{esc(c)}"'
            if c in sort_values and not pd.isna(r[sort_values[c]]):
                attrs += f' data-v="{esc(r[sort_values[c]])}"'
            elif c in numeric and _sort_value(r[c]) is not None:
                attrs += f' data-v="{esc(_sort_value(r[c]))}"'
            cells.append(f"<td{attrs}>{content}</td>")
        cls = f' class="{esc(row_class(r))}"' if row_class else ""
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    tid = f' id="{esc(table_id)}"' if table_id else ""
    classes = [name for name, on in (("sortable", sortable), ("cards", cards)) if on]
    tcls = f' class="{" ".join(classes)}"' if classes else ""
    marked = f' data-numbers="{esc(numbers_are)}"' if numbers_are else ""
    return (
        f'<div class="table-wrap" role="region" aria-label="{esc(caption)}" tabindex="0"{marked}>'
        f"<table{tid}{tcls}><caption>{esc(caption)}</caption><thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def picture(src: str, phone_src: str | None, alt: str, width: int | None = None, height: int | None = None) -> str:
    """A chart: the phone drawing on narrow screens, the desk drawing elsewhere (both PNG at 2x); width and height:
    the desk drawing's size in CSS px (a height only without a phone drawing, whose shape differs)."""
    size = (f' width="{width}"' if width else "") + (f' height="{height}"' if height and not phone_src else "")
    img = f'<img src="{esc(src)}" alt="{esc(alt)}" loading="lazy"{size}>'
    if not phone_src:
        return img
    return f'<picture><source media="(max-width: 600px)" srcset="{esc(phone_src)}">{img}</picture>'


def chart_downloads(files: dict[str, str], prefix: str = "") -> dict[str, str]:
    """A saved chart's files (charts/chart.Saved.files) as a reader asks for them, each by the way from the page to
    it (prefix)."""
    names = {"csv": "the figures (spreadsheet)", "png": "image", "png_phone": "PNG for phones", "svg": "SVG"}
    return {label: prefix + files[key] for key, label in names.items() if key in files}


#: a sentence's end: a full stop, question or exclamation mark, before any closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?][\u201d\u2019\"')\]]*$")


def caption_sentence(caption_html: str, downloads: dict[str, str]) -> str:
    """A chart's caption: its title (trusted HTML) made a sentence, then its files: "Title. Download: a · b."."""
    caption_html = caption_html.rstrip()
    if not downloads:
        return caption_html
    text = re.sub(r"<[^>]+>", "", caption_html)
    sentence = caption_html if not text or _SENTENCE_END.search(text) else f"{caption_html}."
    links = " · ".join(f'<a href="{esc(href)}">{esc(label)}</a>' for label, href in downloads.items())
    return f"{sentence} Download: {links}.".lstrip()


def figure(
    src: str,
    alt: str,
    caption_html: str,
    downloads: dict[str, str],
    phone_src: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> str:
    """A chart with its alt text, a caption (trusted HTML: the chart's title), and links to its files (relative,
    so a copied folder still works); width and height: its size on the page in CSS px, when known."""
    caption = caption_sentence(caption_html, downloads)
    return f"<figure>{picture(src, phone_src, alt, width, height)}<figcaption>{caption}</figcaption></figure>"


# -------------------------------------------------------------------------------------------- edition texts
SYNTHETIC_WARNING = (
    "SYNTHETIC DATA: this page was built from data generated by the project's own code. The numbers "
    "are not Home Office statistics and must not be quoted."
)


def period_covered(build: dict) -> str:
    years = build.get("financial_years") or []
    if not years:
        return "no financial years"
    first, last = years[0], years[-1]
    span = f"April {first[:4]} to March {int(last[:4]) + 1}"
    return f"financial years {first} to {last} ({span})" if len(years) > 1 else f"financial year {first} ({span})"


def banner(build: dict) -> str:
    parts = []
    if build.get("synthetic"):
        parts.append(f'<p class="synthetic" role="note">⚠ {esc(SYNTHETIC_WARNING)}</p>')
    parts.append(
        f'<p class="banner">Data: Home Office, Police recorded crime and outcomes open data tables, '
        f"{esc(build.get('release') or build.get('edition'))}; {esc(period_covered(build))}. "
        f'Details of the files are in <a href="#about-the-data">About the data</a>.</p>'
    )
    return "\n".join(parts)


def about(build: dict, extra: str = "", root: str = "") -> str:
    """About the data, for readers: which tables, which years and releases, the licence and the method; then, under
    "Check it yourself", the files as read (names, sha256 hashes, rows, sheets, header rows) for those who re-add the
    figures; and when the page was built."""
    years = "".join(
        f"<dt>{esc(f['financial_year'])}</dt><dd>{esc(f.get('release', '') or 'the release named above')}; "
        f"published by {esc(f['publisher'])}. Licence: {esc(f['licence'])}.</dd>"
        for f in build.get("files", [])
    )
    items = []
    for f in build.get("files", []):
        items.append(
            f"<dt>{esc(f['financial_year'])}</dt><dd><strong>{esc(f['file'])}</strong>; "
            f'<span data-numbers="cited">{esc(f["vintage"])}</span>. '
            f"{printed(numbers.count(f['rows_read']))} rows read from "
            f"{esc('sheet ' + repr(f['sheet']) if f.get('sheet') else 'a CSV file')}, header row {f['header_row']}. "
            f"sha256 <code>{esc(f['sha256'])}</code>.</dd>"
        )
    built = dt.date.today().strftime("%-d %B %Y")
    return (
        f'<section class="about" id="about-the-data" aria-labelledby="about-heading">'
        f'<h2 id="about-heading">About the data</h2>'
        "<p>Every figure here comes from the Home Office's Police recorded crime and outcomes open data tables: the "
        f"offences each police force recorded, and the outcome each investigation reached.</p><dl>{years}</dl>{extra}"
        f'<p>How each figure is worked out is on the <a href="{esc(root)}methods.html">methods page</a>. Crown '
        "copyright, Open Government Licence v3.0.</p>"
        '<details class="check"><summary>Check it yourself: the files behind these pages</summary>'
        f"<p>Data edition <code>{esc(build.get('edition'))}</code>: {esc(build.get('description'))}</p>"
        f"<dl>{''.join(items)}</dl>"
        "<p>Every number is computed by the crimeoutcomes package from these files, verified by their sha256 "
        "hashes.</p></details>"
        f"<p>This page was built on {esc(built)}.</p>"
        "</section>"
    )


def page(
    title: str,
    body: str,
    build: dict | None,
    *,
    crumbs: list[tuple[str, str]] = (),
    sortable: bool = False,
    heading: bool = True,
    about_extra: str = "",
    root: str = "",
    script: str = "",
) -> str:
    """A whole page: a skip link, the breadcrumbs (header), the content (main), the data's details (footer).
    heading=False when the body brings its own h1 (rendered notebooks); root: the way back to the site's folder."""
    nav = ""
    if crumbs:
        nav = (
            '<header><nav class="crumbs" aria-label="Breadcrumb">'
            + " › ".join(f'<a href="{esc(href)}">{esc(label)}</a>' for label, href in crumbs)
            + "</nav></header>"
        )
    h1 = f"<h1>{esc(title)}</h1>" if heading else ""
    top = banner(build) if build and heading else ""
    bottom = f"<footer>{about(build, about_extra, root)}</footer>" if build else ""
    scripts = (SORT_JS if sortable else "") + script
    live = '<p id="sort-status" class="visually-hidden" role="status" aria-live="polite"></p>' if sortable else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n"
        f'<a class="skip" href="#main">Skip to the content</a>{nav}<main id="main">{h1}\n{top}\n{body}\n{live}</main>\n'
        f"{bottom}" + (f"<script>{scripts}</script>" if scripts else "") + "\n</body></html>\n"
    )
