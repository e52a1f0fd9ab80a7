"""Every number a reader sees agrees with the exact value it states (issue: one value, one rounding).

Pages write each figure as ``<data value="exact">printed</data>`` (publish/pages/html.py). This check reads a rendered
page and reports:

* ``rounding``: a ``<data>`` whose text is not the half-up rounding of its value at the precision printed
  ("20.8%" for 20.848, "1 in 24" for 1/24.3, "<0.1%" for 0.03, "3 of 44" for rank 3, "ten" for 10);
* ``unmarked``: a number in the page's text that is not inside a ``<data>`` and is not one of the numbers that name
  rather than count (years and financial years, quarters, outcome types and offence codes, note numbers, dates, a
  licence version; see ALLOWED);
* ``alt``: a number in an image's alt text that is not a printed figure of that page's charts (the ledger a step
  writes beside the page: figures.json, version.json, charts.json), or a ledger entry that is not half-up.

The check is used by the tests (every force page of the sample edition, the stories, the claims, sensitivity and
index pages) and by `make check-pages`.
"""

from __future__ import annotations

import html.parser
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..publish.words import numbers, readback

DIGITS, NUMBER = readback.DIGITS, readback.NUMBER
#: numbers that name rather than count, by the words around them (the match is the whole phrase)
ALLOWED = readback.NAMING


@dataclass
class Found:
    kind: str
    message: str


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
#: elements whose numbers are not figures: code, scripts, footnote markers, and any element marked
#: data-numbers="..." (a source's words: an article's title or quote, a cited statement; a claimed figure; examples)
SKIP = ("script", "style", "code", "pre", "svg", "sup", "kbd", "samp")


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: list[tuple[str, str]] = []  # (value, text) of every <data>
        self.text: list[str] = []  # text outside <data> and outside skipped elements
        self.alts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # open elements: (tag, skips its content)
        self._skip = 0
        self._in_data: list[str] = []
        self._data_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img" and a.get("alt"):
            self.alts.append(a["alt"])
        if tag in VOID:
            return
        skips = tag in SKIP or "data-numbers" in a
        self._stack.append((tag, skips))
        self._skip += skips
        if tag == "data":
            self._in_data.append(a.get("value") or "")
            self._data_text = []

    def handle_endtag(self, tag):
        if tag in VOID or not any(t == tag for t, _ in self._stack):
            return
        while self._stack:
            t, skips = self._stack.pop()
            self._skip -= skips
            if t == "data" and self._in_data:
                self.data.append((self._in_data.pop(), "".join(self._data_text)))
            if t == tag:
                break

    def handle_data(self, d):
        if self._in_data:
            self._data_text.append(d)
        elif not self._skip:
            self.text.append(d)


def consistent(text: str, value) -> bool:
    """Is `text` the half-up rounding of `value` at the precision printed?"""
    t = text.strip().replace("−", "-")
    if value is None or value == "" or t in ("–", "-", "none", "not ranked"):
        return True
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    if math.isnan(v):
        return t in ("–", "-")
    press = _press_form(t, v)
    if press is not None:
        return press
    if t.lower() in numbers.WORDS:
        return numbers.WORDS.index(t.lower()) == v
    if t.startswith(("<", "less than ")):  # "<0.1%", "less than 0.1%": a positive share below the printed unit
        limit = _number(t.removeprefix("<").removeprefix("less than ").rstrip("%"))
        return limit is not None and 0 < v < float(limit)
    if m := re.fullmatch(r"1 in ([\d,]+(?:\.\d+)?)", t):
        shown = _number(m.group(1))  # N rounded half-up; 1 / v carries float error at an exact half, so allow it
        unit = 10.0 ** -_decimals(m.group(1))
        return v > 0 and shown is not None and abs(1 / v - float(shown)) <= unit / 2 + 1e-9
    if m := re.fullmatch(r"(?:joint )?(\d+) of (\d+)", t):
        return int(m.group(1)) == v
    words = "|".join(numbers.ORDINAL_WORDS)
    if m := re.fullmatch(rf"(?i)(?:joint )?(?:(\d+)(?:st|nd|rd|th)|{words})? ?(?:highest|lowest)", t):
        return True  # a rank in words: its value is the rank; the claims audit checks it against the data
    if m := re.fullmatch(r"(?:joint |=)?(\d+)=?", t):
        return int(m.group(1)) == v  # a rank in a table: "joint 9"
    body = re.sub(r"\s*(%|per cent|points?|pp)$", "", t).lstrip("+")
    shown = _number(body)
    if shown is None:
        return False
    if t.endswith(("points", "point")) and not t.startswith(("+", "-")) and v < 0:
        v = abs(v)  # a distance
    return shown == numbers.half_up(v, _decimals(body))


#: the words a published figure may carry around it (a claimed figure, as the story printed it)
_SIDES = ("fewer than ", "nearly ", "almost ", "just under ", "just over ", "more than ", "over ", "above ")
_MAGNITUDE = re.compile(rf"({DIGITS}) ?(m|mn|million|k|thousand|bn|billion)")
_SCALE = {"m": 1e6, "mn": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3, "bn": 1e9, "billion": 1e9}


def _press_form(text: str, v: float) -> bool | None:
    """A figure in a form news stories print (None when it is none of them): a count to a printed unit ("443,000"
    for 442,717), with a magnitude ("4.8m"), a fraction ("nine in 10", "a third": the value is the fraction, in per
    cent), "one in every 24", a figure after "fewer than" or "nearly" (the value is the figure's own)."""
    from ..analysis import claims

    t = text.lower()
    if t.startswith(("less than ", "under ")):  # a claimed bound ("less than four per cent") states its own figure
        rest = t.split(" ", 2)[-1] if t.startswith("less than ") else t.removeprefix("under ")
        return True if (_press_form(rest, v) or consistent(rest, v)) else None  # else: "<0.1%"-style, below
    side = next((w for w in _SIDES if t.startswith(w)), "")
    t = t.removeprefix(side)
    words = "|".join(claims.NUMBER_WORDS)
    if m := re.fullmatch(rf"({words}) ?(?:%|per ?cent)", t):
        return claims.NUMBER_WORDS[m.group(1)] == v
    if m := re.fullmatch(r"(?:one|a|an|1) in (?:every )?([\d,]+(?:\.\d+)?)", t):
        return v > 0 and abs(1 / v - float(_number(m.group(1)))) <= 10.0 ** -_decimals(m.group(1)) / 2 + 1e-9
    if t in claims.FRACTION_WORDS:
        k, d = claims.FRACTION_WORDS[t]
        return abs(100 * k / d - v) < 1e-9
    if m := re.fullmatch(rf"({words}|\d+) (?:in|out of) ({words}|\d+)", t):
        k, d = (claims.number_value(x) for x in m.groups())
        return abs(100 * k / d - v) < 1e-9
    if m := _MAGNITUDE.fullmatch(t):
        body, scale = m.group(1), _SCALE[m.group(2)]
        return _number(body) == numbers.half_up(v / scale, _decimals(body))
    body = t.replace(",", "")
    zeros = len(body) - len(body.rstrip("0"))
    if re.fullmatch(DIGITS, t) and body.isdigit() and zeros >= 3 and body.strip("0") and not side:
        step = 10**zeros  # printed to the thousand (or coarser), as the story printed its figure
        return int(body) == int(numbers.half_up(v / step, 0)) * step
    if side and t in claims.NUMBER_WORDS:
        return claims.NUMBER_WORDS[t] == v
    if side:  # "fewer than 10", "nearly 5 million": the figure printed is the value stated
        return consistent(t, v)
    return None


def _number(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _decimals(s: str) -> int:
    return len(s.split(".", 1)[1]) if "." in s else 0


def unmarked(text: str) -> list[str]:
    """The numbers in a piece of text that no ALLOWED phrase covers."""
    covered: list[tuple[int, int]] = []
    for pattern in ALLOWED:
        covered += [(m.start(), m.end()) for m in pattern.finditer(text)]
    out = []
    for m in NUMBER.finditer(text):
        if not any(a <= m.start() and m.end() <= b for a, b in covered):
            out.append(text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ").strip())
    return out


def check_html(page: str, ledger: list[dict] | None = None, *, require_marked: bool = True) -> list[Found]:
    """The problems of one rendered page; `ledger`: the printed figures of its charts ({"text", "value"})."""
    p = _Page()
    p.feed(page)
    found = [Found("rounding", f"{t!r} is not the half-up rounding of {v}") for v, t in p.data if not consistent(t, v)]
    if require_marked:
        text = re.sub(r"\s+", " ", " ".join(p.text)).replace(" ,", ",")
        found += [Found("unmarked", f"a number outside <data>: …{s}…") for s in unmarked(text)]
    if ledger is not None:
        found += [
            Found("alt", f"chart figure {f['text']!r} is not the half-up rounding of {f['value']}")
            for f in ledger
            if not consistent(f["text"], f["value"])
        ]
        printed = {f["text"] for f in ledger} | {t for _, t in p.data}
        for alt in p.alts:
            for s in _alt_numbers(alt):
                if s not in printed:
                    found.append(Found("alt", f"{s!r} in alt text is not a printed figure of the page: {alt[:80]}…"))
    return found


def _alt_numbers(alt: str) -> list[str]:
    """The figures in alt text, as printed ("36.5%", "92,811", "<0.1%", "+0.2 points"); naming numbers skipped."""
    covered: list[tuple[int, int]] = []
    for pattern in ALLOWED:
        covered += [(m.start(), m.end()) for m in pattern.finditer(alt)]
    out = []
    for m in re.finditer(rf"(?<![\w.])<?[-+]?{DIGITS}(?:%| points?|(?![\w]))", alt):
        if any(a <= m.start() and m.end() <= b for a, b in covered):
            continue
        rank = re.match(r"\d+ of \d+", alt[m.start() :]) if re.fullmatch(r"\d+", m.group(0)) else None
        if rank:  # "3 of 44"
            out.append(rank.group(0))
            continue
        out.append(m.group(0))
    return out


def check_svg(svg: str, figures: list[dict]) -> list[Found]:
    """The numbers drawn in a chart's SVG (live text): each is a printed figure of the chart, an axis tick (the
    scale, not a figure) or a naming number (a year, a quarter, an outcome type)."""
    import xml.etree.ElementTree as ET

    printed = {f["text"] for f in figures}
    found = []
    root = ET.fromstring(svg)

    def walk(node, ids: tuple[str, ...]):
        gid = node.get("id", "")
        ids = (*ids, gid) if gid else ids
        if node.tag.endswith("}text") or node.tag == "text":
            text = "".join(node.itertext()).strip()
            if any(i.startswith(("xtick_", "ytick_")) for i in ids) and re.fullmatch(r"[\d,.]+%?", text):
                return  # an axis value
            for s in _alt_numbers(text):
                if s not in printed:
                    found.append(Found("svg", f"{s!r} drawn in the chart is not one of its printed figures: {text!r}"))
        for child in node:
            walk(child, ids)

    walk(root, ())
    return found


def ledger_for(site: Path, rel: str) -> list[dict] | None:
    """The printed figures of a page's charts, as the step wrote them beside the page (None: a page without)."""
    import json

    from .. import dag

    here = site / rel
    if rel.startswith(dag.BY_NAME["reports"].folder.split("/")[-1] + "/"):
        meta = here.with_suffix("") / Path(dag.file("reports", "figures", force="x")).name
        return json.loads(meta.read_text())["figures"] if meta.is_file() else None
    meta = here.with_suffix("") / Path(dag.file("stories", "data", story="x", force="x")).name
    if meta.is_file():
        return json.loads(meta.read_text())["figures"]
    charts = site / dag.link("site", "sensitivity", "charts")
    if rel == dag.link("site", "pages", "04_sensitivity") and charts.is_file():
        return [f for c in json.loads(charts.read_text()) for f in c["figures"]]
    return None


def marked_page(rel: str) -> bool:
    """Pages whose every number must be a marked figure: all but the method in words and the teaching pages (the
    guide and the cleaning walk-through show raw cells and codes)."""
    from .. import dag

    free = {dag.link("site", "site", "methods")} | {
        dag.link("site", "pages", name) for name in ("00_dataset_guide", "01_clean")
    }
    return rel not in free
