"""Browser check of the rendered HTML pages: headless Chromium (Debian's `chromium`, driven by playwright).

Every page is opened at a phone width (390 px) and a desk width (1,280 px) and fails on:

* ``sideways-scroll``: the page itself scrolls sideways (``documentElement.scrollWidth > innerWidth``); content inside
  a box that scrolls on its own (``overflow-x: auto``) is fine. The widest overflowing element is named.
* ``image-alt``: an image without meaningful alt text (missing, empty without being marked decorative with
  ``role="presentation"``/``"none"`` or ``aria-hidden="true"``, a placeholder such as nbconvert's "No description has
  been provided for this image", or just a file name).
* ``broken-link``: a local ``<a href>``, ``<img src>``, ``<link href>``, ``<script src>`` (and ``<source>``,
  ``<iframe>``, ``<video>``, ``<audio>``) whose file does not exist under the site folder, points outside the site
  folder, or whose ``#fragment`` is not an id on the target page; any local request answered with an HTTP error.
  External ``<a href>`` links are listed, never fetched.
* ``external-load``: the page loads something (script, image, font, style, fetch…) from anywhere but the site
  itself. Such requests are blocked, so nothing leaves the machine.
* ``js-error``: console errors and uncaught exceptions (``pageerror``); "Failed to load resource" console messages are
  network failures and are reported by the two kinds above instead.
* ``sort-keyboard``: a sortable table heading (class ``sortable`` on the table: every column heading; or
  ``aria-sort`` on the ``<th>``) without a ``<button>`` (or ``tabindex``), without a valid ``aria-sort``; or, for the
  first sortable column with distinct values, Tab does not reach its button, Enter does not reorder the rows, or
  ``aria-sort`` does not switch to ascending/descending.
* ``table-caption``: a table without a (non-empty) ``<caption>``, or with more than one.
* ``hidden-columns``: at a desk width, a table wider than its box (columns a reader must scroll sideways to find).
* ``chart-text``: at a phone width, a chart whose smallest text is drawn under 12 CSS px (the phone drawing's
  smallest type size at the width the page shows it).
* ``axe``: any axe-core violation, of any impact (axe-core, bundled by axe-playwright-python, runs offline).
* ``numbers``: a figure that is not the half-up rounding of the exact value it states, a number outside the
  page's marked figures, or alt text stating a figure its chart does not print (tools/check_numbers.py).
* ``not-rendered`` (a page that does not exist) and ``load-error`` (a page that does not load).

Pages are served from the site folder by a local HTTP server on 127.0.0.1 (a thread in this process), not opened as
file:// URLs: that is how the pages behave once published. Over file:// Chromium gives every file its own opaque
origin (fetch/XHR of the CSV files and ES modules are blocked), ``claims/`` does not resolve to
``claims/index.html``, root-relative links (``/forces/x.html``) resolve against the file-system root, and "is this
request local?" would have to allow any file on the disk. With the server, "local" simply means "this origin".

A full-page screenshot of every page at every width is saved as ``<stem>-<width>.png`` (``forces/cheshire.html`` →
``cheshire-390.png``; ``claims/index.html`` → ``claims-390.png``; clashing stems fall back to the relative path with
``-`` for ``/``).

Command line: ``python -m crimeoutcomes.tools.check_pages EDITION [PAGE ...]`` (exit 0: no problem, 1: problems,
2: Chromium missing or not starting).
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import posixpath
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Self
from urllib.parse import quote, unquote, urljoin, urlsplit

from .. import dag, paths

CHROMIUM = "/usr/bin/chromium"  # overridable by env CRIMEOUTCOMES_CHROMIUM
CHROMIUM_ENV = "CRIMEOUTCOMES_CHROMIUM"
WIDTHS = (390, 1280)
#: Chromium switches that work offline on a server without a display or a GPU. playwright adds --headless (and
#: --hide-scrollbars) itself with headless=True and creates and deletes a fresh empty profile for every launch()
#: (passing --user-data-dir in args is refused: that is what launch_persistent_context is for).
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PHONE_HEIGHT, DESK_HEIGHT = 844, 800
NAV_TIMEOUT_MS = 30_000

NB_DEFAULT_ALT = "No description has been provided for this image"
PLACEHOLDER_ALTS = {
    NB_DEFAULT_ALT.lower(),
    "image",
    "img",
    "picture",
    "photo",
    "graph",
    "chart",
    "figure",
    "plot",
    "untitled",
    "alt",
    "alt text",
    "placeholder",
    "screenshot",
    "icon",
    "logo",
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif")
#: <link rel> values that make the browser contact the URL (others, such as canonical, are references only)
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
    "manifest",
}
VALID_ARIA_SORT = {"ascending", "descending", "none", "other"}
NOT_RENDERED = "not rendered: run make all"


@dataclass
class Problem:
    page: str  # relative to the site folder, POSIX separators
    width: int | None  # viewport width in px; None: every width checked (or width does not matter)
    kind: str
    detail: str

    def line(self) -> str:
        where = f"{self.width}px" if self.width else "all widths"
        return f"{self.page}  [{where}]  {self.kind}: {self.detail}"


class ChromiumError(RuntimeError):
    """Chromium is missing or does not start."""


def find_chromium() -> str | None:
    """The Chromium executable ($CRIMEOUTCOMES_CHROMIUM, else /usr/bin/chromium) when it exists, else None."""
    path = os.environ.get(CHROMIUM_ENV) or CHROMIUM
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


# ------------------------------------------------------------------------------------------- local server
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the output to problems
        pass


class _SiteServer:
    """The site folder on http://127.0.0.1:<free port>/, served from a daemon thread."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="check-pages-server", daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# ------------------------------------------------------------------------------------- in-page JavaScript
_JS_HELPERS = r"""
const heading = (el) => {
  let last = null;
  for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
    if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) last = h; else break;
  }
  return last ? (last.innerText || last.textContent).replace(/\s*¶\s*$/, '').trim().slice(0, 60) : '';
};
const tables = () => Array.from(document.querySelectorAll('table'));
const headsOf = (t) => Array.from(t.querySelectorAll('th')).filter((th) => th.closest('table') === t);
const columnHead = (t, th) => {
  const row = th.parentElement;
  if (row.parentElement && row.parentElement.tagName === 'THEAD') return true;
  return !t.tHead && t.rows.length > 0 && row === t.rows[0];
};
const bodyRows = (t) => t.tBodies.length
  ? Array.from(t.tBodies).flatMap((b) => Array.from(b.rows)) : Array.from(t.rows).slice(1);
const sortTarget = (th) => th.querySelector('button') || th;
"""

_JS_OVERFLOW = r"""() => {
  const de = document.documentElement, iw = window.innerWidth, sw = de.scrollWidth;
  const out = {sw, iw, el: null};
  if (sw <= iw) return out;
  const ownScroll = (el) => {
    for (let p = el.parentElement; p && p !== document.body && p !== de; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    return s;
  };
  let best = null;
  const all = [document.body, ...document.body.querySelectorAll('*')];
  for (const el of all) {
    const r = el.getBoundingClientRect();
    const right = r.right + window.scrollX;
    if (right <= iw + 0.5 || r.width === 0) continue;
    if (getComputedStyle(el).position === 'fixed' || ownScroll(el)) continue;
    if (!best || r.width > best.width) best = {name: name(el), width: r.width, right, heading: heading(el)};
  }
  if (!best) {  // content overflowing a box that is itself narrow enough (nowrap text, a long word, a <pre>):
    for (const el of all) {  // the innermost box among those reaching furthest right
      const r = el.getBoundingClientRect(), right = r.left + window.scrollX + el.scrollWidth;
      if (el.scrollWidth <= el.clientWidth + 1 || getComputedStyle(el).overflowX !== 'visible') continue;
      if (right <= iw + 0.5 || ownScroll(el)) continue;
      if (!best || right >= best.right - 0.5)
        best = {name: name(el) + ' (its content)', width: el.scrollWidth, right, heading: heading(el)};
    }
  }
  out.el = best;
  return out;
}"""

_JS_FACTS = r"""() => {
  const hidden = (el) => !!el.closest('[aria-hidden="true"]');
  const imgs = Array.from(document.querySelectorAll('img')).map((img, i) => ({
    index: i + 1, hasAlt: img.hasAttribute('alt'), alt: img.getAttribute('alt'),
    role: (img.getAttribute('role') || '').toLowerCase(), ariaHidden: hidden(img),
    src: img.getAttribute('src') || '', heading: heading(img)}));
  const tabs = tables().map((t, i) => {
    const cap = t.caption ? t.caption.textContent.trim() : null;
    const sortableTable = t.classList.contains('sortable');
    const heads = headsOf(t).map((th, j) => ({
      index: j, text: (th.innerText || th.textContent).trim().replace(/\s+/g, ' ').slice(0, 40),
      ariaSort: th.hasAttribute('aria-sort') ? th.getAttribute('aria-sort') : null,
      button: !!th.querySelector('button'), tabindex: th.hasAttribute('tabindex') ? th.tabIndex : null,
      columnHead: columnHead(t, th), classSortable: th.classList.contains('sortable'),
      distinct: new Set(bodyRows(t).map((r) => r.cells[th.cellIndex]
        ? r.cells[th.cellIndex].textContent.trim() : '')).size}));
    const captions = Array.from(t.children).filter((c) => c.tagName === 'CAPTION').length;
    return {index: i + 1, caption: cap, captions, sortable: sortableTable, heading: heading(t), heads};
  });
  const refs = [];
  const add = (sel, attr) => document.querySelectorAll(sel).forEach((el) => refs.push({
    tag: el.tagName.toLowerCase(), attr, value: el.getAttribute(attr),
    rel: (el.getAttribute('rel') || '').toLowerCase(), text: (el.textContent || '').trim().slice(0, 40)}));
  add('a[href]', 'href'); add('area[href]', 'href'); add('link[href]', 'href'); add('img[src]', 'src');
  add('script[src]', 'src'); add('source[src]', 'src'); add('iframe[src]', 'src'); add('video[src]', 'src');
  add('audio[src]', 'src'); add('video[poster]', 'poster');
  const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id)
    .concat(Array.from(document.querySelectorAll('a[name]')).map((e) => e.getAttribute('name')));
  return {imgs, tables: tabs, refs, ids, base: document.baseURI};
}"""

_JS_SORT_STATE = r"""([ti, tj]) => {
  const t = tables()[ti], th = headsOf(t)[tj];
  return {rows: bodyRows(t).map((r) => r.textContent.trim()), aria: th.getAttribute('aria-sort')};
}"""

_JS_FOCUS_BEFORE = r"""([ti, tj]) => {
  const th = headsOf(tables()[ti])[tj], target = sortTarget(th);
  const sel = 'a[href],area[href],button,input,select,textarea,summary,iframe,[tabindex],[contenteditable]';
  let prev = null;
  for (const e of document.querySelectorAll(sel)) {
    if (e === target || th.contains(e)) break;
    if (e.tabIndex < 0 || e.disabled || (e.checkVisibility && !e.checkVisibility())) continue;
    prev = e;
  }
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  if (prev) prev.focus({preventScroll: true});
  return prev !== null;
}"""

_JS_FOCUSED = r"""([ti, tj]) => {
  const th = headsOf(tables()[ti])[tj], a = document.activeElement;
  return !!a && (a === sortTarget(th) || th.contains(a));
}"""


_JS_WIDE_TABLES = r"""() => [...document.querySelectorAll('.table-wrap')]
  .filter((w) => w.scrollWidth > w.clientWidth + 1)
  .map((w) => ({sw: w.scrollWidth, cw: w.clientWidth,
                caption: (w.querySelector('caption') || {}).textContent || ''}))"""
_JS_CHARTS = r"""() => [...document.querySelectorAll('picture img, figure img')]
  .filter((i) => i.complete && i.naturalWidth > 0 && /\.png$/.test(i.currentSrc || i.src))
  .map((i) => ({src: (i.currentSrc || i.src).split('/').pop(), natural: i.naturalWidth, shown: i.clientWidth}))"""
#: the phone drawing's smallest type and resolution (publish/charts/style.py: PHONE, PNGs at twice DPI)
PHONE_MIN_PT, PNG_PX_PER_INCH, MIN_CHART_PX = 9.0, 200, 12.0


def _chart_text(images: list[dict]) -> list[str]:
    """Charts whose smallest text (the phone drawing's, PHONE_MIN_PT) shows under MIN_CHART_PX CSS px."""
    out = []
    for i in images:
        if not i["shown"]:
            continue
        px = PHONE_MIN_PT / 72 * i["shown"] / (i["natural"] / PNG_PX_PER_INCH)
        if px < MIN_CHART_PX - 0.05:
            out.append(f"{i['src']}: its smallest text shows at {px:.1f} px ({i['shown']} px wide); at least 12")
    return out


def _axe(page) -> list[str]:
    """axe-core's violations of any impact, one line each (axe-core is in the page already: _Tab)."""
    from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS

    response = page.evaluate("(options) => axe.run(document, options)", DEFAULT_OPTIONS)
    out = []
    for v in response["violations"]:
        nodes = v.get("nodes", [])
        where = ", ".join(str(n.get("target", [""])[0]) for n in nodes[:3])
        out.append(f"{v['id']} ({v.get('impact')}): {v.get('help', '')}; {len(nodes)} element(s): {where[:200]}")
    return out


def _numbers(root: Path, rel: str) -> list[tuple[str, str]]:
    from . import check_numbers

    text = (root / rel).read_text(encoding="utf-8", errors="replace")
    found = check_numbers.check_html(
        text, check_numbers.ledger_for(root, rel), require_marked=check_numbers.marked_page(rel)
    )
    return [("numbers", f"{f.kind}: {f.message}") for f in found]


def _js(body: str) -> str:
    """A function expression (one argument) with the shared helpers in scope."""
    return f"(arg) => {{ {_JS_HELPERS}\n return ({body})(arg); }}"


# ------------------------------------------------------------------------------------------------ helpers
def _short(text: str, origin: str) -> str:
    return text.replace(origin + "/", "").replace(origin, "")


def _show_url(value: str, limit: int = 80) -> str:
    if value.startswith("data:"):
        return f"{value[:22]}… ({len(value):,} chars)"
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _stem_names(rels: list[str]) -> dict[str, str]:
    """Screenshot stems: file stem; `index` below the root → its folder name; clashes → the relative path."""

    def stem(rel: str) -> str:
        p = Path(rel)
        return p.parent.name if p.stem == "index" and p.parent.name else p.stem

    first = {rel: stem(rel) for rel in rels}
    counts: dict[str, int] = {}
    for s in first.values():
        counts[s] = counts.get(s, 0) + 1
    return {
        rel: (s if counts[s] == 1 else Path(rel).with_suffix("").as_posix().replace("/", "-"))
        for rel, s in first.items()
    }


class _IdParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


@functools.lru_cache(maxsize=256)
def _ids_in(path: Path) -> frozenset[str]:
    parser = _IdParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def _alt_problem(img: dict) -> str | None:
    where = f"image {img['index']} (src {_show_url(img['src'])}" + (
        f", under '{img['heading']}')" if img["heading"] else ")"
    )
    if not img["hasAlt"]:
        return f"{where} has no alt attribute"
    alt = (img["alt"] or "").strip()
    if not alt:
        if img["role"] in ("presentation", "none") or img["ariaHidden"]:
            return None
        return f'{where} has alt="" but is not marked decorative (role="presentation" or aria-hidden="true")'
    low = alt.lower().rstrip(".")
    src = img["src"] if not img["src"].startswith("data:") else ""
    src_name = unquote(urlsplit(src).path.rsplit("/", 1)[-1]).lower() if src else ""
    if low in PLACEHOLDER_ALTS:
        return f"{where} has placeholder alt text '{alt}'"
    if low.endswith(IMAGE_SUFFIXES) or (src_name and low == src_name):
        return f"{where} has a file name as alt text '{alt}'"
    return None


def _table_label(t: dict) -> str:
    if t["caption"]:
        return f"table {t['index']} '{t['caption'][:50]}'"
    return f"table {t['index']}" + (f" under '{t['heading']}'" if t["heading"] else "")


def _sortable_heads(t: dict) -> list[dict]:
    return [
        h for h in t["heads"] if h["ariaSort"] is not None or h["classSortable"] or (t["sortable"] and h["columnHead"])
    ]


def _names(heads: Iterable[dict], limit: int = 6) -> str:
    names = [f"'{h['text'] or '(empty)'}'" for h in heads]
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _structure_problems(tables: list[dict]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for t in tables:
        label = _table_label(t)
        if not t["caption"]:
            out.append(("table-caption", f"{label} has no <caption>"))
        elif t.get("captions", 1) > 1:
            out.append(("table-caption", f"{label} has {t['captions']} <caption>s (a table has one)"))
        heads = _sortable_heads(t)
        if not heads:
            continue
        no_key = [h for h in heads if not h["button"] and (h["tabindex"] is None or h["tabindex"] < 0)]
        if no_key:
            out.append(
                (
                    "sort-keyboard",
                    (f"{label}: sortable heading(s) {_names(no_key)} have no <button> (keyboard users cannot sort)"),
                )
            )
        no_aria = [h for h in heads if h["ariaSort"] is None]
        if no_aria:
            out.append(("sort-keyboard", f"{label}: sortable heading(s) {_names(no_aria)} have no aria-sort"))
        bad = [h for h in heads if h["ariaSort"] is not None and h["ariaSort"] not in VALID_ARIA_SORT]
        if bad:
            out.append(
                (
                    "sort-keyboard",
                    f"{label}: invalid aria-sort value(s) "
                    + ", ".join(f"'{h['ariaSort']}' on '{h['text']}'" for h in bad),
                )
            )
    return out


def _keyboard_sort(page, t: dict) -> list[str]:
    """Tab to the first sortable heading that has keyboard access and a column of distinct values, press Enter
    (twice when the first press leaves the order as it was: the table may already be sorted that way)."""
    heads = [h for h in _sortable_heads(t) if h["button"] or (h["tabindex"] is not None and h["tabindex"] >= 0)]
    if not heads:
        return []
    varied = [h for h in heads if h["distinct"] >= 2]
    h = (varied or heads)[0]
    ti, tj = t["index"] - 1, h["index"]
    label, name = _table_label(t), f"'{h['text']}'"
    state_js, arg = _js(_JS_SORT_STATE), [ti, tj]
    page.evaluate(_js(_JS_FOCUS_BEFORE), arg)
    for _ in range(8):  # Chromium also stops on scrollable boxes between the previous control and the button
        page.keyboard.press("Tab")
        if page.evaluate(_js(_JS_FOCUSED), arg):
            break
    else:
        return [f"{label}: Tab does not reach the sort button of heading {name}"]

    def press() -> dict:
        before = page.evaluate(state_js, arg)
        page.keyboard.press("Enter")
        for _ in range(10):
            now = page.evaluate(state_js, arg)
            if now != before:
                break
            page.wait_for_timeout(50)
        return now

    start = page.evaluate(state_js, arg)
    first = press()
    states = [first]
    if first["rows"] == start["rows"]:
        states.append(press())
    out = []
    if varied and all(s["rows"] == start["rows"] for s in states):
        out.append(f"{label}: Enter on heading {name} does not reorder the rows")
    if first["aria"] not in ("ascending", "descending"):
        out.append(
            f"{label}: aria-sort on heading {name} is {first['aria']!r} after Enter "
            "(expected 'ascending' or 'descending')"
        )
    elif len(states) == 2 and states[1]["aria"] == first["aria"]:
        out.append(f"{label}: aria-sort on heading {name} stays {first['aria']!r} when Enter is pressed again")
    return out


@dataclass
class _Refs:
    problems: list[tuple[str, str]]
    external_links: list[str]  # listed, never fetched
    external_loads: set[str]  # already reported: their blocked request is not reported again
    missing: set[str]  # local URLs already reported missing: their HTTP 404 is not reported again


def _check_refs(facts: dict, rel: str, root: Path, origin: str) -> _Refs:
    """Static check, on disk, of every reference the page makes."""
    problems: list[tuple[str, str]] = []
    external: list[str] = []
    loads: set[str] = set()
    missing: set[str] = set()
    own_ids = set(facts["ids"])
    base = facts["base"]
    for ref in facts["refs"]:
        raw = (ref["value"] or "").strip()
        what = f'<{ref["tag"]} {ref["attr"]}="{_show_url(raw)}">'
        if not raw:
            if ref["tag"] != "a":
                problems.append(("broken-link", f"{what} is empty"))
            continue
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        if scheme in ("data", "blob", "mailto", "tel", "javascript", "about"):
            continue
        if scheme == "file":
            problems.append(("broken-link", f"{what} is a file: URL (does not work once published)"))
            continue
        absolute = urljoin(base, raw)
        target = urlsplit(absolute)
        if f"{target.scheme}://{target.netloc}" != origin:
            reference_only = ref["tag"] in ("a", "area") or (
                ref["tag"] == "link" and not set(ref["rel"].split()) & LOADING_RELS
            )
            if not reference_only:
                problems.append(("external-load", f"{what} loads {_show_url(absolute, 120)} from outside the site"))
                loads.add(absolute)
            elif absolute not in external:
                external.append(absolute)
            continue
        # a local reference: where is it on disk?
        if not parts.scheme and not parts.netloc and not raw.startswith("/"):
            joined = posixpath.normpath(
                posixpath.join(posixpath.dirname(urlsplit(base).path).lstrip("/"), unquote(parts.path) or ".")
            )
            if joined == ".." or joined.startswith("../"):
                problems.append(("broken-link", f"{what} points outside the site folder ({joined})"))
                continue
        path = unquote(target.path).lstrip("/")
        file = root / path if path else root
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            problems.append(("broken-link", f"{what} → missing file {paths.relative(file, root)}"))
            missing.add(unquote(absolute.split("#", 1)[0]))
            continue
        frag = target.fragment  # the browser tries the fragment as written, then percent-decoded (HTML spec)
        if not frag or frag.lower() == "top" or ref["tag"] not in ("a", "area"):
            continue
        same_page = file.resolve() == (root / rel).resolve()
        ids = own_ids if same_page else (_ids_in(file) if file.suffix.lower() in (".html", ".htm") else None)
        if ids is not None and frag not in ids and unquote(frag) not in ids:
            page_name = "this page" if same_page else paths.relative(file, root)
            problems.append(("broken-link", f"{what}: no id '{frag}' on {page_name}"))
    return _Refs(problems, external, loads, missing)


def _merge(per_width: dict[int, list[tuple[str, str]]]) -> list[tuple[int | None, str, str]]:
    """One problem for what every width shows (width None), else one per width; first-seen order."""
    widths = list(per_width)
    seen: dict[tuple[str, str], list[int]] = {}
    for w in widths:
        for key in per_width[w]:
            ws = seen.setdefault(key, [])
            if w not in ws:
                ws.append(w)
    out: list[tuple[int | None, str, str]] = []
    for (kind, detail), ws in seen.items():
        if len(widths) > 1 and len(ws) == len(widths):
            out.append((None, kind, detail))
        else:
            out.extend((w, kind, detail) for w in ws)
    return out


class _Events:
    """What one page does while it is open: requests (external ones are blocked), HTTP errors, JavaScript errors."""

    def __init__(self, origin: str):
        self.origin = origin
        self.found: list[tuple[str, str]] = []
        self.external_loads: dict[str, str] = {}  # url -> resource type
        self.http_errors: dict[str, int] = {}

    def route(self, route) -> None:
        url = route.request.url
        if url == self.origin or url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.external_loads.setdefault(url, route.request.resource_type)
            route.abort("blockedbyclient")

    def console(self, msg) -> None:
        if msg.type != "error" or msg.text.startswith("Failed to load resource"):
            return  # network failures: reported as broken-link / external-load
        loc = msg.location or {}
        where = f" ({_short(loc['url'], self.origin)}:{loc.get('lineNumber', 0) + 1})" if loc.get("url") else ""
        self.found.append(("js-error", f"console error: {_short(msg.text, self.origin)[:300]}{where}"))

    def pageerror(self, err) -> None:
        stack = getattr(err, "stack", "") or ""
        at = next((line.strip() for line in stack.splitlines() if self.origin in line), "")
        where = f" ({_short(at, self.origin)})" if at else ""
        name = getattr(err, "name", "") or "error"
        self.found.append(("js-error", f"uncaught {name}: {_short(err.message, self.origin)[:300]}{where}"))

    def response(self, resp) -> None:
        if resp.status >= 400 and resp.url.startswith(self.origin):
            self.http_errors[resp.url] = resp.status


# ---------------------------------------------------------------------------------------------- the check
class _Tab:
    """One tab at one width, in a browser context of its own, that opens the pages to check one after the other (a
    new context and tab for every page cost about 0.3 s each); axe-core is added to every page it opens. Its requests
    and errors go to the `events` of the page being checked. Routing its requests turns the HTTP cache off, so no
    page is served what an earlier one loaded."""

    def __init__(self, browser, width: int):
        from axe_playwright_python.base import AXE_SCRIPT

        self.width = width
        self.events = _Events("")  # until a page is checked: nothing to report for
        context = browser.new_context(
            viewport={"width": width, "height": PHONE_HEIGHT if width < 600 else DESK_HEIGHT},
            device_scale_factor=1,
            service_workers="block",
        )
        context.add_init_script(script=AXE_SCRIPT)  # axe-core's source, bundled by axe-playwright-python
        self.page = page = context.new_page()
        page.route("**/*", lambda route: self.events.route(route))
        page.on("console", lambda msg: self.events.console(msg))
        page.on("pageerror", lambda err: self.events.pageerror(err))
        page.on("response", lambda resp: self.events.response(resp))

    def open(self, events: _Events):
        """The tab, reporting to `events` from now on."""
        self.events = events
        return self.page

    def leave(self) -> None:
        """Open an empty page in place of the page checked, so that anything it does as it closes is reported for it,
        never for the next page."""
        self.page.goto("about:blank")


def _load(page, origin: str, rel: str, found: list) -> bool:
    """Open the page and wait for its fonts and two frames; False, with the problem in `found`, when it does not
    load."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        response = page.goto(f"{origin}/{quote(rel)}", wait_until="load", timeout=NAV_TIMEOUT_MS)
    except PlaywrightError as exc:  # TimeoutError is a subclass
        found.append(("load-error", f"does not load: {str(exc).splitlines()[0]}"))
        return False
    if response is not None and response.status >= 400:
        found.append(("load-error", f"HTTP {response.status}"))
        return False
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise((r) => "
        "requestAnimationFrame(() => requestAnimationFrame(r))))"
    )
    return True


def _layout_problems(page, found: list) -> dict:
    """Sideways scrolling, images without useful alt text, tables without their structure; returns the page's facts
    (images, tables, links) for the checks that follow."""
    ov = page.evaluate(_js(_JS_OVERFLOW))
    if ov["sw"] > ov["iw"]:
        detail = (
            f"page is {ov['sw']} px wide in a {ov['iw']} px window (scrollWidth {ov['sw']} > innerWidth {ov['iw']})"
        )
        if ov["el"]:
            e = ov["el"]
            detail += (
                f"; widest overflowing element: {e['name']}, {round(e['width'])} px wide, right edge at "
                f"{round(e['right'])} px" + (f", under '{e['heading']}'" if e["heading"] else "")
            )
        found.append(("sideways-scroll", detail))
    facts = page.evaluate(_js(_JS_FACTS))
    for img in facts["imgs"]:
        msg = _alt_problem(img)
        if msg:
            found.append(("image-alt", msg))
    found.extend(_structure_problems(facts["tables"]))
    return facts


def _screenshot(page, path: Path) -> None:
    """A full-page screenshot, every lazy image loaded first (a full-page screenshot does not scroll to them)."""
    page.evaluate(
        "() => Promise.all([...document.images].map(i => { i.loading = 'eager'; "
        "return i.complete ? null : new Promise(r => { i.onload = i.onerror = r; }); }))"
    )
    page.screenshot(path=str(path), full_page=True, animations="disabled")


def _width_problems(page, width: int, found: list) -> None:
    """At a desk width, tables whose columns are out of sight; at a phone width, chart text too small to read."""
    if width >= 1000:
        for t in page.evaluate(_js(_JS_WIDE_TABLES)):
            found.append(
                (
                    "hidden-columns",
                    f"table '{t['caption'][:60]}' is {t['sw']} px wide in a {t['cw']} px box: columns are out of sight",
                )
            )
    else:
        found.extend(("chart-text", msg) for msg in _chart_text(page.evaluate(_js(_JS_CHARTS))))


def _network_problems(events: _Events, refs: _Refs) -> None:
    """Requests to outside the site, and HTTP errors the link check did not already report."""
    for url, rtype in events.external_loads.items():
        if url not in refs.external_loads:
            events.found.append(("external-load", f"requests {_show_url(url, 120)} ({rtype}) from outside the site"))
    for url, status in events.http_errors.items():
        if unquote(url.split("#", 1)[0]) not in refs.missing and not url.endswith("/favicon.ico"):
            events.found.append(("broken-link", f"HTTP {status} for {_short(url, events.origin)}"))


def _check_one(
    tabs: list[_Tab], server: _SiteServer, root: Path, rel: str, stem: str, out_dir: Path, log: Callable
) -> list[Problem]:
    """One page at every width: it loads, its layout, images and tables, its links and numbers (once), a
    screenshot, the width's own checks, axe-core, sorting by keyboard, and what it requests; the problems that every
    width shows are reported once."""
    origin = server.origin
    per_width: dict[int, list[tuple[str, str]]] = {}
    refs: _Refs | None = None
    for tab in tabs:
        width, events = tab.width, _Events(origin)
        found = per_width[width] = events.found
        page = tab.open(events)
        if not _load(page, origin, rel, found):
            tab.leave()
            continue
        facts = _layout_problems(page, found)
        if refs is None:  # links and numbers do not depend on the width: checked once
            refs = _check_refs(facts, rel, root, origin)
            refs.problems.extend(_numbers(root, rel))
            if refs.external_links:
                log(f"{rel}  note: {len(refs.external_links)} external link(s), listed, not fetched (no internet)")
        out_dir.mkdir(parents=True, exist_ok=True)
        _screenshot(page, out_dir / f"{stem}-{width}.png")
        _width_problems(page, width, found)
        found.extend(("axe", msg) for msg in _axe(page))
        for t in facts["tables"]:
            for msg in _keyboard_sort(page, t):
                found.append(("sort-keyboard", msg))
        page.wait_for_timeout(20)  # let late console messages arrive
        tab.leave()
        _network_problems(events, refs)
    problems = [Problem(rel, None, k, d) for k, d in (refs.problems if refs else [])]
    problems += [Problem(rel, w, k, d) for w, k, d in _merge(per_width)]
    return problems


def check_pages(pages: list[Path], site_root: Path, out_dir: Path, widths=WIDTHS, log=print) -> list[Problem]:
    """Open every page at every width in headless Chromium, save full-page screenshots in out_dir, log one line per
    problem and a summary, and return the problems. Raises ChromiumError when Chromium is missing or does not start."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    root = Path(site_root).resolve()
    out_dir = Path(out_dir)
    widths = tuple(widths)
    problems: list[Problem] = []
    todo: list[str] = []
    for p in pages:
        p = Path(p)
        full = (p if p.is_absolute() else root / p).resolve()
        try:
            rel = full.relative_to(root).as_posix()
        except ValueError:
            problems.append(Problem(p.as_posix(), None, "load-error", f"not inside the site folder {root}"))
            continue
        if not full.is_file():
            problems.append(Problem(rel, None, "not-rendered", NOT_RENDERED))
        elif rel not in todo:
            todo.append(rel)
    for prob in problems:
        log(prob.line())

    chromium = find_chromium()
    if todo and chromium is None:
        raise ChromiumError(f"Chromium not found at {os.environ.get(CHROMIUM_ENV) or CHROMIUM}")
    started = time.perf_counter()
    if todo:
        stems = _stem_names(todo)
        with _SiteServer(root) as server, sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
            try:
                browser = pw.chromium.launch(
                    executable_path=chromium, headless=True, args=list(LAUNCH_ARGS), downloads_path=tmp, timeout=60_000
                )
            except PlaywrightError as exc:
                raise ChromiumError(f"Chromium at {chromium} does not start: {str(exc).splitlines()[0]}") from exc
            try:
                tabs = [_Tab(browser, width) for width in widths]
                for rel in todo:
                    found = _check_one(tabs, server, root, rel, stems[rel], out_dir, log)
                    for prob in found:
                        log(prob.line())
                    problems.extend(found)
            finally:
                browser.close()

    kinds: dict[str, int] = {}
    for prob in problems:
        kinds[prob.kind] = kinds.get(prob.kind, 0) + 1
    n_pages = len({p.as_posix() for p in map(Path, pages)})
    what = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) if kinds else "no problems"
    log(
        f"check-pages: {n_pages} page(s) at {', '.join(f'{w}' for w in widths)} px: {len(problems)} problem(s)"
        f"{' (' + what + ')' if kinds else ''}; screenshots in {paths.relative(out_dir)}/ "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return problems


#: the story versions checked by default, for every story (the articles' two forces and Kent, the back-test's)
DEFAULT_VERSIONS = ("cheshire", "derbyshire", "kent")


def default_pages(site_root: Path) -> list[str]:
    """Every kind of page: the index and the methods page, every force report, the claims page, every notebook
    page, the stories index, every story's national picture and the versions of DEFAULT_VERSIONS (paths relative to
    the site folder, from the step table). The pages every edition has are listed even when missing (so a missing
    one is reported); force reports and stories are the ones the edition has."""
    site = [dag.link("site", "site", "index"), dag.link("site", "site", "methods")]
    forces = sorted(
        paths.relative(p, site_root)
        for p in (site_root / dag.link("site", "reports", "page", force="x")).parent.glob("*.html")
    )
    pages = [dag.link("site", "pages", nb.name) for nb in dag.PAGES]
    stories = [dag.link("site", "stories", "index")]
    for folder in sorted((site_root / dag.link("site", "stories", "index")).parent.glob("*/")):
        story = folder.name
        stories.append(dag.link("site", "stories", "story", story=story))
        stories += [dag.link("site", "stories", "version", story=story, force=f) for f in DEFAULT_VERSIONS]
    found = [p for p in [*forces, *stories[1:]] if (site_root / p).is_file()]
    return [*site, *[f for f in found if f in forces], dag.link("site", "claims", "page"), *pages, stories[0]] + [
        p for p in found if p not in forces
    ]


def main(edition: str, pages: list[str] | None = None, out_dir: Path | None = None) -> int:
    """Check an edition's rendered pages. 0: no problem, 1: problems, 2: Chromium missing or not starting."""
    chromium = find_chromium()
    if chromium is None:
        where = os.environ.get(CHROMIUM_ENV) or CHROMIUM
        print(f"Chromium not found at {where}: install it with .ci/install-chromium or apt-get install chromium")
        return 2
    site_root = paths.reports_dir(edition)
    out_dir = Path(out_dir) if out_dir else site_root / "screenshots"
    try:
        problems = check_pages([Path(p) for p in (pages or default_pages(site_root))], site_root, out_dir)
    except ChromiumError as exc:
        print(exc)
        return 2
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: python -m crimeoutcomes.tools.check_pages EDITION [PAGE ...]")
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:] or None))
